//! `fleksim report`: one self-contained HTML page with charts.

use crate::error::InputError;

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Results folders (a run, a comparison, or a tornado).
    pub dirs: Vec<std::path::PathBuf>,
}

pub fn command(_a: ReportArgs) -> anyhow::Result<()> {
    Err(InputError("report: being built".into()).into())
}
