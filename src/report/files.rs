//! Reading the files of a results folder: CSV files with a header and the
//! manifest's JSON, with errors that name the file, the line or key, and
//! what is allowed.
//!
//! Bounded input: a file the report reads must be a regular file of at most
//! [`MAX_INPUT_BYTES`] (so a FIFO or `/dev/zero` cannot hang it), and every
//! number in a CSV file must be finite and at most [`MAX_ABS_VALUE`] in size
//! (so no chart range overflows). The names of the files live here too
//! ([`MANIFEST`], [`RUN_FILES`], …), so that `--out` can be checked against
//! them before anything is read ([`is_input`]).

use crate::model::error::InputError;
use crate::model::month::Month;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

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

/// The largest file the report reads: fleksim's results files are a few
/// MB even for long horizons, so anything larger is not one of them.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

pub use crate::model::limits::MAX_ABS_VALUE;

/// Every results folder's manifest.
pub const MANIFEST: &str = "manifest.json";
/// The files of a run the report reads (also in a comparison's
/// `runs/<scenario>/`).
pub const RUN_FILES: [&str; 3] = ["monthly.csv", "budget.csv", "summary.csv"];
/// The files of a comparison the report reads besides its runs.
pub const COMPARISON_FILES: [&str; 4] = [
    "comparison.csv",
    "comparison_summary.csv",
    "payback.csv",
    "steering.csv",
];
/// A comparison's per-replication cumulative net cost difference by month;
/// folders written before it existed lack it, and the report then draws the
/// running sum of the mean.
pub const CUMULATIVE_FILE: &str = "cumulative_monthly.csv";
/// A comparison's files of the verdict and the budget planner, which older
/// folders lack (the report then leaves their tables out):
/// `cumulative.csv`, `cheaper.csv`, `budget_difference.csv`.
pub const VERDICT_FILES: [&str; 3] = ["cumulative.csv", "cheaper.csv", "budget_difference.csv"];
/// A comparison's folder of runs: `runs/<scenario>/`.
pub const RUNS: &str = "runs";
/// The file of a tornado the report reads.
pub const TORNADO_FILE: &str = "tornado.csv";
/// A run's file that only a run with uncertain parameters has.
pub const UNCERTAINTY_FILE: &str = "uncertainty.csv";
/// The files of a calibration the report reads.
pub const CALIBRATION_FILES: [&str; 3] = ["fit.csv", "fit_monthly.csv", "posterior.csv"];
/// A run's declared KPIs (`[[kpis]]`), when the scenario has them.
pub const KPIS_FILE: &str = "kpis.csv";
/// The files of a (merged or unsharded) sweep the report reads.
pub const SWEEP_FILES: [&str; 2] = ["points.csv", "results.csv"];

/// Whether `rel`, a path relative to a results folder, is (or holds) a
/// file the report reads from that folder: the folder itself, its
/// manifest, a run's, comparison's or tornado's files, `runs/`, a
/// `runs/<scenario>/` or a run's files in it.
pub fn is_input(rel: &Path) -> bool {
    let parts: Vec<Component> = rel.components().collect();
    let name = |c: &Component| c.as_os_str().to_str().map(str::to_string);
    match parts.as_slice() {
        [] => true,
        [one] => name(one).is_some_and(|n| {
            n == MANIFEST
                || n == RUNS
                || n == TORNADO_FILE
                || n == UNCERTAINTY_FILE
                || n == KPIS_FILE
                || RUN_FILES.contains(&n.as_str())
                || COMPARISON_FILES.contains(&n.as_str())
                || n == CUMULATIVE_FILE
                || VERDICT_FILES.contains(&n.as_str())
                || SWEEP_FILES.contains(&n.as_str())
                || CALIBRATION_FILES.contains(&n.as_str())
        }),
        [runs, _] => name(runs).is_some_and(|n| n == RUNS),
        [runs, _, file] => {
            name(runs).is_some_and(|n| n == RUNS)
                && name(file).is_some_and(|n| {
                    n == UNCERTAINTY_FILE || n == KPIS_FILE || RUN_FILES.contains(&n.as_str())
                })
        }
        _ => false,
    }
}

/// The files the report would read from `dir` that exist now, canonical
/// (symbolic links resolved), with `dir` itself first. A missing folder
/// gives nothing: reading it fails later with its own message.
pub fn existing_inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(canonical) = dir.canonicalize() else {
        return Vec::new();
    };
    let mut names: Vec<PathBuf> = [MANIFEST, TORNADO_FILE, UNCERTAINTY_FILE, KPIS_FILE]
        .iter()
        .chain(&RUN_FILES)
        .chain(&COMPARISON_FILES)
        .chain(&[CUMULATIVE_FILE])
        .chain(&VERDICT_FILES)
        .chain(&SWEEP_FILES)
        .chain(&CALIBRATION_FILES)
        .map(|n| dir.join(n))
        .collect();
    if let Ok(entries) = std::fs::read_dir(dir.join(RUNS)) {
        // A comparison has one folder a scenario; a bound keeps a huge
        // folder from making the check the slow part.
        for e in entries.flatten().take(10_000) {
            names.extend(
                RUN_FILES
                    .iter()
                    .chain(&[UNCERTAINTY_FILE, KPIS_FILE])
                    .map(|n| e.path().join(n)),
            );
        }
    }
    std::iter::once(canonical)
        .chain(names.iter().filter_map(|p| p.canonicalize().ok()))
        .collect()
}

/// A reader that fails once more than [`MAX_INPUT_BYTES`] were read, for
/// files whose size the file system does not tell (or that grow).
struct Capped<R> {
    inner: R,
    left: u64,
    /// The last byte read: fleksim ends every file it writes with a newline,
    /// so a file that ends without one was cut short.
    last: Option<u8>,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(too_large())),
            };
        }
        let n = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let read = self.inner.read(&mut buf[..n])?;
        self.left -= read as u64;
        if read > 0 {
            self.last = Some(buf[read - 1]);
        }
        Ok(read)
    }
}

fn too_large() -> String {
    format!(
        "it is larger than the {} MB the report reads (fleksim's results files are far smaller)",
        MAX_INPUT_BYTES / (1024 * 1024)
    )
}

/// Opens a file the report reads: a regular file of at most
/// [`MAX_INPUT_BYTES`], read through a reader that stops there too.
/// `hint` ends any message (what the file should be).
fn open_input(path: &Path, hint: &str) -> Result<Capped<std::fs::File>, InputError> {
    let cannot =
        |e: &dyn std::fmt::Display| err(format!("cannot read `{}`: {e}; {hint}", path.display()));
    let meta = std::fs::metadata(path).map_err(|e| cannot(&e))?;
    if !meta.is_file() {
        return Err(cannot(
            &"it is not a regular file (a folder, device or pipe)",
        ));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(cannot(&too_large()));
    }
    let file = std::fs::File::open(path).map_err(|e| cannot(&e))?;
    Ok(Capped {
        inner: file,
        left: MAX_INPUT_BYTES,
        last: None,
    })
}

/// Columns that hold numbers in some file the report reads. A value there
/// that reads as a number must be finite and at most [`MAX_ABS_VALUE`] in
/// size (`steering.csv` holds months in some of them: text is left to the
/// row's type).
const NUMERIC: &[&str] = &[
    "mean",
    "mean_diff",
    "p05",
    "p25",
    "p50",
    "p75",
    "p95",
    "prob_better",
    "share_paid_back",
    "target",
    "low_value",
    "high_value",
    "metric_low",
    "metric_high",
    "swing",
    "base",
    "fixed_mean",
    "fixed_p05",
    "fixed_p95",
    "parameter_share",
    "months",
    "prob_cheaper",
];

/// Refuses a value in a numeric column that is not finite or too large.
fn check_number(path: &Path, line: u64, column: &str, text: &str) -> Result<(), InputError> {
    match text.trim().parse::<f64>() {
        Ok(v) if !crate::model::limits::is_written_value(v) => Err(err(format!(
            "`{}` line {line}, column `{column}`: `{text}` is not a value fleksim writes: results hold finite numbers of at most {MAX_ABS_VALUE:e} in size; the file is damaged or not from fleksim, so write it again with the command that made it",
            path.display()
        ))),
        _ => Ok(()),
    }
}

pub const MONTHLY: &[&str] = &["month", "metric", "mean", "p05", "p50", "p95"];
pub const BUDGET: &[&str] = &["year", "metric", "mean", "p05", "p50", "p95"];
pub const SUMMARY: &[&str] = &["metric", "mean", "p05", "p50", "p95"];
pub const KPIS: &[&str] = &[
    "kpi", "value", "at", "unit", "target", "goal", "mean", "p05", "p50", "p95", "met",
];
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
pub const CUMULATIVE: &[&str] = &["scenario", "month", "mean_diff", "p05", "p50", "p95"];
pub const CUMULATIVE_POINTS: &[&str] = &[
    "scenario",
    "point",
    "month",
    "mean_diff",
    "p05",
    "p50",
    "p95",
    "prob_cheaper",
];
pub const CHEAPER: &[&str] = &["scenario", "from", "to"];
pub const BUDGET_DIFFERENCE: &[&str] = &[
    "scenario", "year", "months", "line", "mean", "p05", "p50", "p95",
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
pub const UNCERTAINTY: &[&str] = &[
    "metric",
    "mean",
    "p05",
    "p95",
    "fixed_mean",
    "fixed_p05",
    "fixed_p95",
    "parameter_share",
];
pub const SWEEP_RESULTS: &[&str] = &["point", "period", "metric", "mean", "p05", "p50", "p95"];
pub const SWEEP_POINTS: &[&str] = &["point"];
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
/// `required` columns and that its numbers are finite and in range; names
/// the file, the line (and column) and the expected columns on any problem.
pub fn read_csv<T: DeserializeOwned>(path: &Path, required: &[&str]) -> Result<Vec<T>, InputError> {
    read_csv_where(path, required, false, |_: &T| true)
}

/// [`read_csv`] keeping only the rows `keep` accepts (so a large file's
/// other rows are never held); `every_column`: check the numbers of every
/// column, not only of the known numeric ones (for files whose columns are
/// the user's, like a sweep's `points.csv`).
pub fn read_csv_where<T: DeserializeOwned>(
    path: &Path,
    required: &[&str],
    every_column: bool,
    mut keep: impl FnMut(&T) -> bool,
) -> Result<Vec<T>, InputError> {
    let expected = required.join(",");
    let file = open_input(
        path,
        &format!("a fleksim results folder has this file with the columns `{expected}`"),
    )?;
    let mut reader = csv::Reader::from_reader(file);
    let headers = reader
        .headers()
        .map_err(|e| {
            err(format!(
                "`{}` has no readable header: {e}; expected the columns `{expected}`",
                path.display()
            ))
        })?
        .clone();
    if let Some(missing) = required.iter().find(|c| !headers.iter().any(|h| h == **c)) {
        return Err(err(format!(
            "`{}` has no column `{missing}`: expected the columns `{expected}`",
            path.display()
        )));
    }
    let numeric: Vec<(usize, &str)> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| every_column || NUMERIC.contains(h))
        .collect();
    let invalid = |line: Option<u64>, e: &dyn std::fmt::Display| {
        let line = line.map_or(String::new(), |l| format!(" line {l}"));
        err(format!(
            "`{}`{line} is not a valid fleksim CSV: {e}; expected the columns `{expected}` with numbers where fleksim writes them",
            path.display()
        ))
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| match e.kind() {
            csv::ErrorKind::Io(io) => err(format!("cannot read `{}`: {io}", path.display())),
            _ => invalid(e.position().map(|p| p.line()), &e),
        })?;
        let line = record.position().map(|p| p.line());
        for &(i, column) in &numeric {
            if let Some(text) = record.get(i) {
                check_number(path, line.unwrap_or(0), column, text)?;
            }
        }
        let row: T = record
            .deserialize(Some(&headers))
            .map_err(|e| invalid(line, &e))?;
        if keep(&row) {
            rows.push(row);
        }
    }
    if reader.into_inner().last != Some(b'\n') {
        return Err(err(format!(
            "`{}` ends in the middle of a line: the file was cut short; write it again with the \
             command that made it",
            path.display()
        )));
    }
    Ok(rows)
}

pub fn read_json(path: &Path) -> Result<Value, InputError> {
    let hint = "it should be the manifest a fleksim command wrote";
    let mut text = String::new();
    open_input(path, hint)?
        .read_to_string(&mut text)
        .map_err(|e| err(format!("cannot read `{}`: {e}; {hint}", path.display())))?;
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

/// Mean and quantiles over replications; `p25`/`p75` where a file has them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantiles {
    pub mean: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
    pub p25: Option<f64>,
    pub p75: Option<f64>,
}

/// Provenance every kind of folder has.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    pub version: String,
    pub seed: u64,
    pub replications: u64,
}
