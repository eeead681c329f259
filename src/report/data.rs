//! Reading results folders into memory: the only part of the report that
//! touches the file system's inputs.
//!
//! A folder's `manifest.json` names its [`Folder`] kind:
//! - `run` ([`RunData`]): `monthly.csv`, `budget.csv`, `summary.csv`;
//! - `comparison` ([`ComparisonData`]): paired differences, payback,
//!   the steering-group table and `runs/<scenario>/` for every scenario;
//! - `tornado` ([`TornadoData`]): one-way sensitivity rows;
//! - `sweep` ([`super::sweep_data::SweepData`]): a merged or unsharded
//!   sweep's points and one metric's results.
//!
//! Every problem is an [`InputError`] that names the file (and line) and
//! says what is allowed; nothing here panics on what a user can change.
//! The file formats' details are in [`super::files`], the scenario JSON's
//! in [`super::scenario_info`].

use super::files::{self, parse_month, read_csv, read_json, Field};
pub use super::files::{Provenance, Quantiles};
use super::scenario_info::scenario_info;
pub use super::scenario_info::{union_windows, ScenarioInfo};
use crate::model::error::{code_list, InputError};
use crate::model::month::Month;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
    /// `budget.csv`'s simulated months of the year (older files lack it).
    #[serde(default)]
    months: Option<f64>,
}

/// One row of `cumulative_monthly.csv`.
#[derive(Deserialize)]
struct CumRow {
    scenario: String,
    month: String,
    mean_diff: f64,
    p05: f64,
    p50: f64,
    p95: f64,
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

/// One row of `uncertainty.csv`: a whole-horizon figure's spread with the
/// uncertain parameters drawn and with them at their medians.
#[derive(Debug, Clone, Deserialize)]
pub struct UncertaintyRow {
    pub metric: String,
    pub mean: f64,
    pub p05: f64,
    pub p95: f64,
    pub fixed_mean: f64,
    pub fixed_p05: f64,
    pub fixed_p95: f64,
    pub parameter_share: f64,
}

/// The simulation's results for one scenario.
#[derive(Debug, Clone, Default)]
pub struct RunData {
    pub monthly: BTreeMap<String, Series>,
    pub budget: Vec<BudgetYear>,
    pub summary: BTreeMap<String, Quantiles>,
    /// From `uncertainty.csv`, which only a run with uncertain parameters
    /// writes (empty otherwise).
    pub uncertainty: Vec<UncertaintyRow>,
    /// From `kpis.csv`, which only a run of a scenario with `[[kpis]]`
    /// writes (empty otherwise).
    pub kpis: Vec<KpiRow>,
}

/// One row of `kpis.csv`: a declared KPI's summary over the replications.
#[derive(Debug, Clone, Deserialize)]
pub struct KpiRow {
    pub kpi: String,
    pub value: String,
    pub at: String,
    pub unit: String,
    pub target: f64,
    pub goal: crate::model::kpi::Goal,
    pub mean: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
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

    /// The KPIs of this run's scenario (`declared`: its `[[kpis]]`; none:
    /// the seed project's, at the KPI month); `None` without months.
    pub fn kpis(&self, declared: &[crate::model::kpi::Kpi]) -> Option<crate::model::kpi::Kpis> {
        let months = self.months();
        let (first, last) = (*months.first()?, *months.last()?);
        Some(crate::model::kpi::Kpis::of(declared, first, last))
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
    let kpi = crate::model::kpi::month();
    if months.contains(&kpi) {
        Some(kpi)
    } else {
        months.last().copied()
    }
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
    /// Simulated months in the period (older folders lack the column).
    #[serde(default)]
    pub months: Option<f64>,
}

/// One row of `cumulative.csv`: the cumulative net cost difference at a
/// reported point (`project_end`, `3y`, `5y`, `10y`, `horizon`).
#[derive(Debug, Clone, Deserialize)]
pub struct PointRow {
    pub scenario: String,
    pub point: String,
    pub month: String,
    pub mean_diff: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
    pub prob_cheaper: f64,
}

/// One row of `cheaper.csv`: a period in which the alternative has cost
/// less so far.
#[derive(Debug, Clone, Deserialize)]
pub struct CheaperRow {
    pub scenario: String,
    pub from: String,
    pub to: String,
}

/// One row of `budget_difference.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct BudgetDiffRow {
    pub scenario: String,
    pub year: i32,
    pub months: f64,
    pub line: String,
    pub mean: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
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
    /// Alternative → its cumulative net cost difference by month, each
    /// replication summed over its own months (empty for a folder written
    /// before `cumulative_monthly.csv` existed).
    pub cumulative: BTreeMap<String, Series>,
    /// `cumulative.csv`, `cheaper.csv` and `budget_difference.csv` (empty
    /// for a folder written before they existed).
    pub points: Vec<PointRow>,
    pub cheaper: Vec<CheaperRow>,
    pub budget_diff: Vec<BudgetDiffRow>,
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
    Sweep(Box<super::sweep_data::SweepData>),
    Calibration(Box<super::calibration_view::CalibrationData>),
}

/// The monthly metrics the report charts.
const CHARTED: [&str; 4] = ["ly_share", "progression_share", "ly_stock", "flex_stock"];

fn err(msg: String) -> InputError {
    InputError(msg)
}

/// Reads a results folder of any kind.
pub fn read_folder(dir: &Path) -> Result<Folder, InputError> {
    if !dir.is_dir() {
        return Err(err(format!(
            "`{}` is not a folder: give results folders written by `fleksim run`, `fleksim compare`, `fleksim tornado` or `fleksim sweep`",
            dir.display()
        )));
    }
    let path = dir.join(files::MANIFEST);
    if !path.is_file() {
        return Err(err(format!(
            "`{}` is not a fleksim results folder (no manifest.json): give a folder written by `fleksim run`, `fleksim compare`, `fleksim tornado` or `fleksim sweep`",
            dir.display()
        )));
    }
    let manifest = read_json(&path)?;
    let field = Field {
        file: &path,
        json: &manifest,
    };
    // A sweep's manifest keeps its provenance under `sweep`.
    match field.string("kind")?.as_str() {
        "sweep" => {
            return Ok(Folder::Sweep(Box::new(super::sweep_data::read_sweep(
                dir, &field,
            )?)))
        }
        "calibration" => {
            return Ok(Folder::Calibration(Box::new(
                super::calibration_view::read(dir, &field)?,
            )))
        }
        "sweep-part" => {
            return Err(err(format!(
                "`{}` is one part of a sharded sweep: run `fleksim merge` on the sweep's folder and give the merged folder",
                dir.display()
            )))
        }
        _ => {}
    }
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
            rows: read_csv(&dir.join(files::TORNADO_FILE), files::TORNADO)?,
        }))),
        other => Err(err(format!(
            "`{}`: key `kind` is `{other}`: the report reads `run`, `comparison`, `tornado` or `sweep` folders",
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
        if !is_plain_name(name) {
            let key = if *name == baseline {
                "baseline"
            } else {
                "alternatives"
            };
            return Err(err(format!(
                "`{}`: key `{key}` holds `{name}`, which is not a plain folder name: a scenario's run is read from `runs/<scenario>/` inside the comparison folder",
                field.file.display()
            )));
        }
        let run_dir = dir.join(files::RUNS).join(name);
        if !run_dir.is_dir() {
            return Err(err(format!(
                "`{}` is missing: a comparison folder holds `runs/<scenario>/` for the baseline and each alternative",
                run_dir.display()
            )));
        }
        runs.insert(name.clone(), read_run(&run_dir)?);
    }
    let [comparison, comparison_summary, payback, steering] = files::COMPARISON_FILES;
    let path = dir.join(comparison);
    let mut diffs: BTreeMap<(String, String), Series> = BTreeMap::new();
    for (line, r) in read_csv::<QRow>(&path, files::COMPARISON)?
        .into_iter()
        .enumerate()
    {
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
    let mut cumulative: BTreeMap<String, Series> = BTreeMap::new();
    let path = dir.join(files::CUMULATIVE_FILE);
    if path.is_file() {
        for (line, r) in read_csv::<CumRow>(&path, files::CUMULATIVE)?
            .into_iter()
            .enumerate()
        {
            let month = parse_month(&path, line, &r.month)?;
            let q = Quantiles {
                mean: r.mean_diff,
                p05: r.p05,
                p50: r.p50,
                p95: r.p95,
                p25: None,
                p75: None,
            };
            cumulative.entry(r.scenario).or_default().push((month, q));
        }
        for s in cumulative.values_mut() {
            s.sort_by_key(|(m, _)| *m);
        }
    }
    let [points_csv, cheaper_csv, budget_diff_csv] = files::VERDICT_FILES;
    let optional = |name: &str| dir.join(name).is_file();
    let points = if optional(points_csv) {
        read_csv(&dir.join(points_csv), files::CUMULATIVE_POINTS)?
    } else {
        Vec::new()
    };
    let cheaper: Vec<CheaperRow> = if optional(cheaper_csv) {
        read_csv(&dir.join(cheaper_csv), files::CHEAPER)?
    } else {
        Vec::new()
    };
    let path = dir.join(cheaper_csv);
    for (line, r) in cheaper.iter().enumerate() {
        parse_month(&path, line, &r.from)?;
        parse_month(&path, line, &r.to)?;
    }
    let budget_diff = if optional(budget_diff_csv) {
        read_csv(&dir.join(budget_diff_csv), files::BUDGET_DIFFERENCE)?
    } else {
        Vec::new()
    };
    Ok(ComparisonData {
        dir: dir.to_path_buf(),
        provenance,
        baseline,
        alternatives,
        scenarios,
        diffs,
        summary: read_csv(&dir.join(comparison_summary), files::COMPARISON_SUMMARY)?,
        payback: read_csv(&dir.join(payback), files::PAYBACK)?,
        steering: read_csv(&dir.join(steering), files::STEERING)?,
        cumulative,
        points,
        cheaper,
        budget_diff,
        runs,
    })
}

/// Whether `name` is one plain path component (no `/`, `..` or root), so
/// that `runs/<name>/` stays inside the comparison folder.
fn is_plain_name(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!(
        (parts.next(), parts.next()),
        (Some(std::path::Component::Normal(_)), None)
    ) && !name.contains('/')
}

/// Reads `monthly.csv`, `budget.csv` and `summary.csv` of a run.
pub fn read_run(dir: &Path) -> Result<RunData, InputError> {
    let [monthly_csv, budget_csv, summary_csv] = files::RUN_FILES;
    let path = dir.join(monthly_csv);
    let mut monthly: BTreeMap<String, Series> = BTreeMap::new();
    for (line, r) in read_csv::<QRow>(&path, files::MONTHLY)?
        .into_iter()
        .enumerate()
    {
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
            code_list(CHARTED)
        )));
    }
    let mut years: BTreeMap<i32, BudgetYear> = BTreeMap::new();
    for r in read_csv::<QRow>(&dir.join(budget_csv), files::BUDGET)? {
        let y = years.entry(r.year).or_insert_with(|| BudgetYear {
            year: r.year,
            months: 12,
            ..BudgetYear::default()
        });
        if let Some(m) = r.months {
            y.months = m.round().clamp(0.0, 12.0) as u32;
        }
        if r.metric == "months" {
            y.months = r.mean.round().clamp(0.0, 12.0) as u32;
        } else {
            y.mean.insert(r.metric, r.mean);
        }
    }
    let summary = read_csv::<QRow>(&dir.join(summary_csv), files::SUMMARY)?
        .into_iter()
        .map(|r| (r.metric.clone(), r.q()))
        .collect();
    let uncertainty_csv = dir.join(files::UNCERTAINTY_FILE);
    let uncertainty = if uncertainty_csv.exists() {
        read_csv(&uncertainty_csv, files::UNCERTAINTY)?
    } else {
        Vec::new()
    };
    let kpis_csv = dir.join(files::KPIS_FILE);
    let kpis = if kpis_csv.exists() {
        read_csv(&kpis_csv, files::KPIS)?
    } else {
        Vec::new()
    };
    Ok(RunData {
        monthly,
        budget: years.into_values().collect(),
        summary,
        uncertainty,
        kpis,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
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
}
