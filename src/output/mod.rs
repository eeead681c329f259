//! Writing results: the only code that creates, replaces or removes a
//! results folder.

pub mod export;
pub mod folder;
pub mod workbook;

pub use folder::{AtomicDir, FolderKind, OutputError};
