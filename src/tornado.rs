//! `fleksim tornado`: one-way sensitivity.

use crate::error::InputError;

#[derive(Debug, clap::Args)]
pub struct TornadoArgs {
    /// Scenario file.
    pub scenario: std::path::PathBuf,
}

pub fn command(_a: TornadoArgs) -> anyhow::Result<()> {
    Err(InputError("tornado: being built".into()).into())
}
