//! Reading scenarios: TOML text, `--set` overrides and uncertain
//! parameters (distributions drawn per replication from the simulation's
//! streams).

pub mod load;
pub mod observed;
pub mod posterior;
pub mod uncertain;

pub use load::{from_table, to_table};

use crate::model::error::ScenarioError;
use crate::model::scenario::Scenario;
use std::path::Path;

/// Reads, overrides, resolves and validates a scenario file.
pub fn load_file(path: &Path, sets: &[String]) -> Result<Scenario, ScenarioError> {
    let file = path.display().to_string();
    let text = crate::model::limits::read_text(path).map_err(|source| ScenarioError::Read {
        file: file.clone(),
        source,
    })?;
    load_str(&text, &file, sets)
}

/// As [`load_file`], from text; `file` names it in messages. Uncertain
/// values (distributions) are set to their medians; use
/// [`uncertain::Model`] to draw them.
pub fn load_str(text: &str, file: &str, sets: &[String]) -> Result<Scenario, ScenarioError> {
    uncertain::Model::from_str(text, file, sets).map(|m| m.base)
}
