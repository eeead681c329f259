//! Reading results folders into memory: the only part of the report that
//! touches the file system's inputs.
//!
//! A folder's `manifest.json` names its [`Folder`] kind:
//! - `run` ([`RunData`]): `monthly.csv`, `budget.csv`, `summary.csv`;
//! - `comparison` ([`ComparisonData`]): paired differences, payback,
//!   the steering-group table and `runs/<scenario>/` for every scenario;
//! - `tornado` ([`TornadoData`]): one-way sensitivity rows.
//!
//! Every problem is an [`InputError`] that names the file (and line) and
//! says what is allowed; nothing here panics on what a user can change.

use crate::error::InputError;
use crate::month::Month;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The KPI month of the seed (target 13 % on LY, 35 % progression).
pub const KPI_MONTH: &str = "2018-03";

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

/// A row of any file of quantiles: `monthly.csv`, `budget.csv`,
/// `summary.csv`, `comparison.csv` (`mean` is `mean_diff` there). Key
/// columns a file lacks stay empty; [`read_csv`] checks each file's
/// required columns first. (The csv crate cannot `flatten` numbers, hence
/// one wide row type.)
#[derive(Debug, Deserialize)]
struct QRow {
    #[serde(default)]
    scenario: String,
    #[serde(default)]
    month: String,
    #[serde(default)]
    year: i32,
    metric: String,
    #[serde(alias = "mean_diff")]
    mean: f64,
    p05: f64,
    p50: f64,
    p95: f64,
    #[serde(default)]
    p25: Option<f64>,
    #[serde(default)]
    p75: Option<f64>,
}

impl QRow {
    fn q(&self) -> Quantiles {
        Quantiles {
            mean: self.mean,
            p05: self.p05,
            p50: self.p50,
            p95: self.p95,
            p25: self.p25,
            p75: self.p75,
        }
    }
}

/// A metric month by month, in month order.
pub type Series = Vec<(Month, Quantiles)>;

/// One calendar year of `budget.csv`.
#[derive(Debug, Clone, Default)]
pub struct BudgetYear {
    pub year: i32,
    /// Simulated months in the year (12 unless partial).
    pub months: u32,
    /// Metric → mean over replications.
    pub mean: BTreeMap<String, f64>,
}

/// What the report shows of a scenario: from a manifest's scenario JSON.
#[derive(Debug, Clone, Default)]
pub struct ScenarioInfo {
    pub name: String,
    pub description: String,
    pub assumptions: Vec<String>,
    /// Windows `[from, to]` (inclusive months) of the enabled policies.
    pub policy_windows: Vec<(Month, Month)>,
}

/// The simulation's results for one scenario.
#[derive(Debug, Clone, Default)]
pub struct RunData {
    pub monthly: BTreeMap<String, Series>,
    pub budget: Vec<BudgetYear>,
    pub summary: BTreeMap<String, Quantiles>,
}

impl RunData {
    pub fn series(&self, metric: &str) -> &[(Month, Quantiles)] {
        self.monthly.get(metric).map_or(&[], Vec::as_slice)
    }

    /// All months of the results, in order.
    pub fn months(&self) -> Vec<Month> {
        let mut all: Vec<Month> = self
            .monthly
            .values()
            .flat_map(|s| s.iter().map(|(m, _)| *m))
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// The KPI month (2018-03) if the results cover it, else the last month.
    pub fn kpi_month(&self) -> Option<Month> {
        kpi_month(&self.months())
    }

    /// A metric's value in a month.
    pub fn at(&self, metric: &str, month: Month) -> Option<Quantiles> {
        self.series(metric)
            .iter()
            .find(|(m, _)| *m == month)
            .map(|(_, q)| *q)
    }
}

/// The KPI month if `months` covers it, else the last month.
pub fn kpi_month(months: &[Month]) -> Option<Month> {
    let kpi = Month::parse(KPI_MONTH)?;
    if months.contains(&kpi) {
        Some(kpi)
    } else {
        months.last().copied()
    }
}

/// Provenance every kind of folder has.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    pub version: String,
    pub seed: u64,
    pub replications: u64,
}

/// A `fleksim run` folder.
#[derive(Debug, Clone)]
pub struct RunFolder {
    pub dir: PathBuf,
    pub provenance: Provenance,
    pub scenario: ScenarioInfo,
    pub data: RunData,
}

/// One row of `comparison_summary.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct SummaryRow {
    pub scenario: String,
    pub metric: String,
    pub period: String,
    pub mean_diff: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
    pub prob_better: Option<f64>,
}

/// One row of `payback.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct PaybackRow {
    pub scenario: String,
    pub payback_month: Option<String>,
    pub share_paid_back: Option<f64>,
}

/// One row of `steering.csv`: `p50`/`p05`/`p95` are text because the
/// payback indicator holds months.
#[derive(Debug, Clone, Deserialize)]
pub struct SteeringRow {
    pub scenario: String,
    pub indicator: String,
    pub unit: String,
    pub target: Option<String>,
    pub p50: Option<String>,
    pub p05: Option<String>,
    pub p95: Option<String>,
}

/// A `fleksim compare` folder.
#[derive(Debug, Clone)]
pub struct ComparisonData {
    pub dir: PathBuf,
    pub provenance: Provenance,
    pub baseline: String,
    pub alternatives: Vec<String>,
    /// Scenario name → what its manifest says about it.
    pub scenarios: BTreeMap<String, ScenarioInfo>,
    /// (alternative, metric) → paired differences by month.
    pub diffs: BTreeMap<(String, String), Series>,
    pub summary: Vec<SummaryRow>,
    pub payback: Vec<PaybackRow>,
    pub steering: Vec<SteeringRow>,
    /// Scenario name → its run, from `runs/<name>/`.
    pub runs: BTreeMap<String, RunData>,
}

/// One row of `tornado.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct TornadoRow {
    pub parameter: String,
    pub low_value: f64,
    pub high_value: f64,
    pub metric_low: f64,
    pub metric_high: f64,
    pub swing: f64,
    pub base: f64,
}

/// A `fleksim tornado` folder.
#[derive(Debug, Clone)]
pub struct TornadoData {
    pub dir: PathBuf,
    pub provenance: Provenance,
    pub scenario_name: String,
    pub metric: String,
    pub at: String,
    pub rows: Vec<TornadoRow>,
}

/// A results folder of any kind.
#[derive(Debug, Clone)]
pub enum Folder {
    Run(Box<RunFolder>),
    Comparison(Box<ComparisonData>),
    Tornado(Box<TornadoData>),
}

fn err(msg: String) -> InputError {
    InputError(msg)
}

/// Reads a results folder of any kind.
pub fn read_folder(dir: &Path) -> Result<Folder, InputError> {
    if !dir.is_dir() {
        return Err(err(format!(
            "`{}` is not a folder: give results folders written by `fleksim run`, `fleksim compare` or `fleksim tornado`",
            dir.display()
        )));
    }
    let path = dir.join("manifest.json");
    if !path.is_file() {
        return Err(err(format!(
            "`{}` is not a fleksim results folder (no manifest.json): give a folder written by `fleksim run`, `fleksim compare` or `fleksim tornado`",
            dir.display()
        )));
    }
    let manifest = read_json(&path)?;
    let field = Field {
        file: &path,
        json: &manifest,
    };
    let provenance = Provenance {
        version: field.string("version")?,
        seed: field.uint("seed")?,
        replications: field.uint("replications")?,
    };
    match field.string("kind")?.as_str() {
        "run" => Ok(Folder::Run(Box::new(RunFolder {
            dir: dir.to_path_buf(),
            provenance,
            scenario: scenario_info(&path, "scenario", field.get("scenario")?)?,
            data: read_run(dir)?,
        }))),
        "comparison" => Ok(Folder::Comparison(Box::new(read_comparison(
            dir, &field, provenance,
        )?))),
        "tornado" => Ok(Folder::Tornado(Box::new(TornadoData {
            dir: dir.to_path_buf(),
            provenance,
            scenario_name: field.string("scenario_name")?,
            metric: field.string("metric")?,
            at: field.string("at")?,
            rows: read_csv(&dir.join("tornado.csv"), TORNADO)?,
        }))),
        other => Err(err(format!(
            "`{}`: key `kind` is `{other}`: the report reads `run`, `comparison` or `tornado` folders",
            path.display()
        ))),
    }
}

fn read_comparison(
    dir: &Path,
    field: &Field,
    provenance: Provenance,
) -> Result<ComparisonData, InputError> {
    let baseline = field.string("baseline")?;
    let alternatives: Vec<String> = match field.get("alternatives")? {
        Value::Array(a) => a
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<_>>(),
        _ => None,
    }
    .ok_or_else(|| field.wrong("alternatives", "a list of scenario names"))?;
    let scenarios_json = field
        .get("scenarios")?
        .as_object()
        .ok_or_else(|| field.wrong("scenarios", "an object of scenario name → scenario"))?;
    let mut scenarios = BTreeMap::new();
    for (name, json) in scenarios_json {
        let key = format!("scenarios.{name}");
        scenarios.insert(name.clone(), scenario_info(field.file, &key, json)?);
    }
    let mut runs = BTreeMap::new();
    for name in std::iter::once(&baseline).chain(&alternatives) {
        let run_dir = dir.join("runs").join(name);
        if !run_dir.is_dir() {
            return Err(err(format!(
                "`{}` is missing: a comparison folder holds `runs/<scenario>/` for the baseline and each alternative",
                run_dir.display()
            )));
        }
        runs.insert(name.clone(), read_run(&run_dir)?);
    }
    let path = dir.join("comparison.csv");
    let mut diffs: BTreeMap<(String, String), Series> = BTreeMap::new();
    for (line, r) in read_csv::<QRow>(&path, COMPARISON)?.into_iter().enumerate() {
        let month = parse_month(&path, line, &r.month)?;
        let q = r.q();
        diffs
            .entry((r.scenario, r.metric))
            .or_default()
            .push((month, q));
    }
    for s in diffs.values_mut() {
        s.sort_by_key(|(m, _)| *m);
    }
    Ok(ComparisonData {
        dir: dir.to_path_buf(),
        provenance,
        baseline,
        alternatives,
        scenarios,
        diffs,
        summary: read_csv(&dir.join("comparison_summary.csv"), COMPARISON_SUMMARY)?,
        payback: read_csv(&dir.join("payback.csv"), PAYBACK)?,
        steering: read_csv(&dir.join("steering.csv"), STEERING)?,
        runs,
    })
}

/// Reads `monthly.csv`, `budget.csv` and `summary.csv` of a run.
pub fn read_run(dir: &Path) -> Result<RunData, InputError> {
    let path = dir.join("monthly.csv");
    let mut monthly: BTreeMap<String, Series> = BTreeMap::new();
    for (line, r) in read_csv::<QRow>(&path, MONTHLY)?.into_iter().enumerate() {
        let month = parse_month(&path, line, &r.month)?;
        let q = r.q();
        monthly.entry(r.metric).or_default().push((month, q));
    }
    for s in monthly.values_mut() {
        s.sort_by_key(|(m, _)| *m);
    }
    if let Some(missing) = CHARTED.iter().find(|m| !monthly.contains_key(**m)) {
        return Err(err(format!(
            "`{}` has no rows for the metric `{missing}`: the report needs {} (as `fleksim run` writes them)",
            path.display(),
            CHARTED.map(|m| format!("`{m}`")).join(", ")
        )));
    }
    let mut years: BTreeMap<i32, BudgetYear> = BTreeMap::new();
    for r in read_csv::<QRow>(&dir.join("budget.csv"), BUDGET)? {
        let y = years.entry(r.year).or_insert_with(|| BudgetYear {
            year: r.year,
            months: 12,
            ..BudgetYear::default()
        });
        if r.metric == "months" {
            y.months = r.mean.round().clamp(0.0, 12.0) as u32;
        } else {
            y.mean.insert(r.metric, r.mean);
        }
    }
    let summary = read_csv::<QRow>(&dir.join("summary.csv"), SUMMARY)?
        .into_iter()
        .map(|r| (r.metric.clone(), r.q()))
        .collect();
    Ok(RunData {
        monthly,
        budget: years.into_values().collect(),
        summary,
    })
}

fn parse_month(path: &Path, row: usize, text: &str) -> Result<Month, InputError> {
    Month::parse(text).ok_or_else(|| {
        err(format!(
            "`{}` line {}: `{text}` is not a month: write YYYY-MM, e.g. 2018-03",
            path.display(),
            row + 2
        ))
    })
}

/// The monthly metrics the report charts.
const CHARTED: [&str; 4] = ["ly_share", "progression_share", "ly_stock", "flex_stock"];

const MONTHLY: &[&str] = &["month", "metric", "mean", "p05", "p50", "p95"];
const BUDGET: &[&str] = &["year", "metric", "mean", "p05", "p50", "p95"];
const SUMMARY: &[&str] = &["metric", "mean", "p05", "p50", "p95"];
const COMPARISON: &[&str] = &[
    "scenario",
    "month",
    "metric",
    "mean_diff",
    "p05",
    "p50",
    "p95",
];
const COMPARISON_SUMMARY: &[&str] = &[
    "scenario",
    "metric",
    "period",
    "mean_diff",
    "p05",
    "p50",
    "p95",
    "prob_better",
];
const PAYBACK: &[&str] = &["scenario", "payback_month", "share_paid_back"];
const STEERING: &[&str] = &[
    "scenario",
    "indicator",
    "unit",
    "target",
    "p50",
    "p05",
    "p95",
];
const TORNADO: &[&str] = &[
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
fn read_csv<T: DeserializeOwned>(path: &Path, required: &[&str]) -> Result<Vec<T>, InputError> {
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

fn read_json(path: &Path) -> Result<Value, InputError> {
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
struct Field<'a> {
    file: &'a Path,
    json: &'a Value,
}

impl Field<'_> {
    fn get(&self, key: &str) -> Result<&Value, InputError> {
        self.json.get(key).ok_or_else(|| {
            err(format!(
                "`{}` has no key `{key}`: it is not a manifest of this fleksim version",
                self.file.display()
            ))
        })
    }

    fn wrong(&self, key: &str, allowed: &str) -> InputError {
        err(format!(
            "`{}`: key `{key}` must be {allowed}",
            self.file.display()
        ))
    }

    fn string(&self, key: &str) -> Result<String, InputError> {
        self.get(key)?
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| self.wrong(key, "a string"))
    }

    fn uint(&self, key: &str) -> Result<u64, InputError> {
        self.get(key)?
            .as_u64()
            .ok_or_else(|| self.wrong(key, "a whole number ≥ 0"))
    }
}

/// Reads what the report needs from a scenario as JSON. Lenient: keys the
/// report does not need may be missing or of any shape.
fn scenario_info(file: &Path, key: &str, json: &Value) -> Result<ScenarioInfo, InputError> {
    let text = |k: &str| {
        json.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let month = |v: Option<&Value>, what: &str| -> Result<Option<Month>, InputError> {
        match v.and_then(Value::as_str) {
            None => Ok(None),
            Some(s) => Month::parse(s).map(Some).ok_or_else(|| {
                err(format!(
                    "`{}`: key `{key}.{what}` is `{s}`: write a month as YYYY-MM",
                    file.display()
                ))
            }),
        }
    };
    let start = month(json.get("start"), "start")?;
    let horizon = json.get("horizon_months").and_then(Value::as_u64);
    let end = match (start, horizon) {
        (Some(s), Some(h)) if h > 0 => Some(s.plus(h.min(12_000) as i32 - 1)),
        _ => None,
    };
    let mut policy_windows = Vec::new();
    if let Some(policies) = json.get("policy").and_then(Value::as_object) {
        for (name, p) in policies {
            if p.get("enabled").and_then(Value::as_bool) != Some(true) {
                continue;
            }
            let from = month(p.get("from"), &format!("policy.{name}.from"))?.or(start);
            let to = month(p.get("to"), &format!("policy.{name}.to"))?.or(end);
            if let (Some(f), Some(t)) = (from, to) {
                if f <= t {
                    policy_windows.push((f, t));
                }
            }
        }
    }
    Ok(ScenarioInfo {
        name: text("name"),
        description: text("description"),
        assumptions: json
            .get("assumptions")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        policy_windows,
    })
}

/// Merges windows `[from, to]` into disjoint, sorted windows (touching
/// windows join).
pub fn union_windows(mut windows: Vec<(Month, Month)>) -> Vec<(Month, Month)> {
    windows.sort();
    let mut out: Vec<(Month, Month)> = Vec::new();
    for (f, t) in windows {
        match out.last_mut() {
            Some(last) if f <= last.1.plus(1) => last.1 = last.1.max(t),
            _ => out.push((f, t)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    #[test]
    fn windows_merge() {
        let w = union_windows(vec![
            (m("2017-01"), m("2018-06")),
            (m("2017-01"), m("2017-06")),
            (m("2018-07"), m("2018-09")),
            (m("2020-01"), m("2020-02")),
        ]);
        assert_eq!(
            w,
            vec![(m("2017-01"), m("2018-09")), (m("2020-01"), m("2020-02"))]
        );
        assert!(union_windows(vec![]).is_empty());
    }

    #[test]
    fn kpi_month_falls_back_to_the_last() {
        assert_eq!(
            kpi_month(&[m("2018-02"), m("2018-03"), m("2018-04")]),
            Some(m("2018-03"))
        );
        assert_eq!(kpi_month(&[m("2016-09"), m("2017-12")]), Some(m("2017-12")));
        assert_eq!(kpi_month(&[]), None);
    }

    #[test]
    fn enabled_policies_give_windows() {
        let json: Value = serde_json::json!({
            "name": "x", "start": "2016-09", "horizon_months": 24,
            "policy": {
                "jobclub": {"enabled": true, "from": "2017-01", "to": "2017-06"},
                "followup": {"enabled": false, "from": "2016-09", "to": "2018-08"},
                "screening": {"enabled": true}
            }
        });
        let info = scenario_info(Path::new("m.json"), "scenario", &json).unwrap();
        let mut w = info.policy_windows;
        w.sort();
        assert_eq!(
            w,
            vec![(m("2016-09"), m("2018-08")), (m("2017-01"), m("2017-06"))]
        );
        let bad = serde_json::json!({"policy": {"jobclub": {"enabled": true, "from": "2017"}}});
        let e = scenario_info(Path::new("m.json"), "scenario", &bad)
            .unwrap_err()
            .0;
        assert!(
            e.contains("policy.jobclub.from") && e.contains("YYYY-MM"),
            "{e}"
        );
    }
}
