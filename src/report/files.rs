//! Reading the files of a results folder: CSV files with a header and the
//! manifest's JSON, with errors that name the file, the line or key, and
//! what is allowed.

use crate::error::InputError;
use crate::month::Month;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::Path;

fn err(msg: String) -> InputError {
    InputError(msg)
}

pub fn parse_month(path: &Path, row: usize, text: &str) -> Result<Month, InputError> {
    Month::parse(text).ok_or_else(|| {
        err(format!(
            "`{}` line {}: `{text}` is not a month: write YYYY-MM, e.g. 2018-03",
            path.display(),
            row + 2
        ))
    })
}

pub const MONTHLY: &[&str] = &["month", "metric", "mean", "p05", "p50", "p95"];
pub const BUDGET: &[&str] = &["year", "metric", "mean", "p05", "p50", "p95"];
pub const SUMMARY: &[&str] = &["metric", "mean", "p05", "p50", "p95"];
pub const COMPARISON: &[&str] = &[
    "scenario",
    "month",
    "metric",
    "mean_diff",
    "p05",
    "p50",
    "p95",
];
pub const COMPARISON_SUMMARY: &[&str] = &[
    "scenario",
    "metric",
    "period",
    "mean_diff",
    "p05",
    "p50",
    "p95",
    "prob_better",
];
pub const PAYBACK: &[&str] = &["scenario", "payback_month", "share_paid_back"];
pub const STEERING: &[&str] = &[
    "scenario",
    "indicator",
    "unit",
    "target",
    "p50",
    "p05",
    "p95",
];
pub const TORNADO: &[&str] = &[
    "parameter",
    "low_value",
    "high_value",
    "metric_low",
    "metric_high",
    "swing",
    "base",
];

/// Reads a CSV file with a header into rows after checking that it has the
/// `required` columns; names the file, the line and the expected columns on
/// any problem.
pub fn read_csv<T: DeserializeOwned>(path: &Path, required: &[&str]) -> Result<Vec<T>, InputError> {
    let expected = required.join(",");
    let mut reader = csv::Reader::from_path(path).map_err(|e| {
        err(format!(
            "cannot read `{}`: {e}; a fleksim results folder has this file with the columns `{expected}`",
            path.display()
        ))
    })?;
    let headers = reader.headers().map_err(|e| {
        err(format!(
            "`{}` has no readable header: {e}; expected the columns `{expected}`",
            path.display()
        ))
    })?;
    if let Some(missing) = required.iter().find(|c| !headers.iter().any(|h| h == **c)) {
        return Err(err(format!(
            "`{}` has no column `{missing}`: expected the columns `{expected}`",
            path.display()
        )));
    }
    let mut rows = Vec::new();
    for record in reader.deserialize() {
        let row: T = record.map_err(|e| {
            let line = e
                .position()
                .map_or(String::new(), |p| format!(" line {}", p.line()));
            err(format!(
                "`{}`{line} is not a valid fleksim CSV: {e}; expected the columns `{expected}` with numbers where fleksim writes them",
                path.display()
            ))
        })?;
        rows.push(row);
    }
    Ok(rows)
}

pub fn read_json(path: &Path) -> Result<Value, InputError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| err(format!("cannot read `{}`: {e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        err(format!(
            "`{}` is not valid JSON: {e}; it should be the manifest a fleksim command wrote",
            path.display()
        ))
    })
}

/// Typed access to a manifest's keys with errors that name file and key.
pub struct Field<'a> {
    pub file: &'a Path,
    pub json: &'a Value,
}

impl Field<'_> {
    pub fn get(&self, key: &str) -> Result<&Value, InputError> {
        self.json.get(key).ok_or_else(|| {
            err(format!(
                "`{}` has no key `{key}`: it is not a manifest of this fleksim version",
                self.file.display()
            ))
        })
    }

    pub fn wrong(&self, key: &str, allowed: &str) -> InputError {
        err(format!(
            "`{}`: key `{key}` must be {allowed}",
            self.file.display()
        ))
    }

    pub fn string(&self, key: &str) -> Result<String, InputError> {
        self.get(key)?
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| self.wrong(key, "a string"))
    }

    pub fn uint(&self, key: &str) -> Result<u64, InputError> {
        self.get(key)?
            .as_u64()
            .ok_or_else(|| self.wrong(key, "a whole number ≥ 0"))
    }
}
