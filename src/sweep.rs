//! `fleksim sweep` and `fleksim merge`.

use crate::error::InputError;

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Sweep file (TOML).
    pub sweep: std::path::PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Folder holding the shards.
    pub dir: std::path::PathBuf,
}

pub fn sweep_command(_a: SweepArgs) -> anyhow::Result<()> {
    Err(InputError("sweep: being built".into()).into())
}

pub fn merge_command(_a: MergeArgs) -> anyhow::Result<()> {
    Err(InputError("merge: being built".into()).into())
}
