//! `fleksim compare`: paired differences against a baseline.

use crate::error::InputError;

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Baseline scenario file.
    pub baseline: std::path::PathBuf,
}

pub fn command(_a: CompareArgs) -> anyhow::Result<()> {
    Err(InputError("compare: being built".into()).into())
}
