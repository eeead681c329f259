//! `fleksim compare`: what an alternative changes against a baseline, and
//! how sure we are.
//!
//! Every scenario runs with the same seed, so the same people arrive at the
//! same times and draw the same personal random numbers wherever the
//! scenarios agree (common random numbers, docs/model.md "Randomness and reproducibility"). Each
//! alternative is then compared with the baseline replication by
//! replication: the paired difference has far less noise than the
//! difference of two independent runs, and is exactly zero where the
//! scenarios are identical.
//!
//! Alignment rule: all scenarios must have the same `start` and
//! `horizon_months` (differences are taken month by month); `--set`,
//! `--replications` and `--seed` apply to every scenario, and without
//! `--seed` all use the baseline's seed.

use crate::analysis::break_even::{self, BreakEven};
use crate::analysis::budget::{
    self, BudgetYearView, LevelRow, LevelsAcc, PayerAcc, PayerFigures, PayerTables,
};
use crate::analysis::kpis::Measured;
use crate::analysis::run::GrantUse;
use crate::analysis::runner::{Lane, Runner};
use crate::input::uncertain::{Draw, Model};
use crate::model::error::{InputError, SerializeError};
use crate::model::kpi::{self, Kpis};
use crate::model::metrics::{self as mx, Kind, METRICS};
use crate::model::month::Month;
use crate::model::scenario::Scenario;
use crate::output::export::{self, quantiles, quantiles_at, share, val, Precision};
use crate::output::{AtomicDir, FolderKind};
use crate::sim::engine::Replication;
use crate::sim::plan::Plan;
use crate::stats::{self, Accumulator, Figures, RunSummaries, RunTables, Summary};
use serde::Serialize;
use std::io::Write;
use std::path::Path;
use std::time::{Instant, SystemTime};

/// Which direction of a metric is better, where there is one.
pub fn better_lower(metric: &str) -> Option<bool> {
    match metric {
        "ly_stock" | "ly_stock_le6m" | "ly_share" | "dismissals" | "caseload" | "cost_ly"
        | "net_municipal_cost" | "net_public_cost" | "exits_ly" => Some(true),
        "progression_share" | "hires" | "flex_stock" | "hours_up" => Some(false),
        _ => None,
    }
}

/// The summaries of one scenario's own run (`runs/<name>/`, the same
/// summaries `run` writes) and its levels: the KPIs and the yearly net
/// costs ([`Levels`]).
struct RunAcc {
    run: RunSummaries,
    levels: Accumulator,
    /// The declared KPIs alone (`runs/<name>/kpis.csv`).
    kpis: Option<Accumulator>,
    /// The scenario's cohort figures (`cohorts.csv`, model v2).
    cohorts: Accumulator,
    /// Its money by payer (`payer.csv`, the levels).
    payer: PayerAcc,
}

impl RunAcc {
    fn new(plan: &Plan, rate: f64, levels: &Levels) -> RunAcc {
        RunAcc {
            run: RunSummaries::new(plan),
            levels: Accumulator::new(levels.names.len()),
            kpis: levels
                .kpis
                .kpis
                .declared
                .then(|| Accumulator::new(levels.kpis.len())),
            cohorts: Accumulator::new(plan.cohorts.cells()),
            payer: PayerAcc::new(plan, rate),
        }
    }

    /// Adds a replication; returns its horizon and yearly figures and its
    /// KPI values so that the paired differences reuse them instead of
    /// computing them again.
    fn push(
        &mut self,
        plan: &Plan,
        r: &Replication,
        levels: &Levels,
    ) -> (Figures, PayerFigures, Vec<f64>) {
        let (values, kpis) = levels.values(plan, r);
        self.levels.push(values);
        if let Some(acc) = self.kpis.as_mut() {
            acc.push(kpis.iter().copied());
        }
        self.cohorts.push(r.cohorts.iter().copied());
        let payer = self.payer.push(plan, r);
        (self.run.push(plan, r), payer, kpis)
    }
}

/// The levels of `steering.csv`, per scenario: each KPI (`kpi:NAME` for a
/// declared one; the seed's `ly_share_at_kpi` and
/// `progression_share_at_kpi`, followed by `ly_stock_at_kpi` at the same
/// month), then the yearly net costs of the municipality and of the public
/// purse (`net_cost_per_year`, `net_public_cost_per_year`).
struct Levels {
    kpis: Measured,
    /// The seed's month index for `ly_stock_at_kpi` (no declared KPIs).
    seed_month: Option<usize>,
    names: Vec<String>,
}

impl Levels {
    fn new(kpis: Measured, plan: &Plan) -> Levels {
        let seed_month = (!kpis.kpis.declared).then(|| {
            let m = kpi::month_in(plan.scenario.start, plan.scenario.end());
            plan.scenario.start.months_until(m) as usize
        });
        let mut names: Vec<String> = kpis
            .kpis
            .list
            .iter()
            .map(|k| kpis.kpis.indicator(k))
            .collect();
        if seed_month.is_some() {
            names.push("ly_stock_at_kpi".into());
        }
        names.push("net_cost_per_year".into());
        names.push("net_public_cost_per_year".into());
        Levels {
            kpis,
            seed_month,
            names,
        }
    }

    /// One replication's levels, and its KPI values alone.
    fn values(&self, plan: &Plan, r: &Replication) -> (Vec<f64>, Vec<f64>) {
        let years = plan.months as f64 / 12.0;
        let per_year =
            |metric: usize| (0..plan.months).map(|t| r.get(t, metric)).sum::<f64>() / years;
        let kpis: Vec<f64> = self.kpis.values(plan, r).collect();
        let mut out = kpis.clone();
        if let Some(t) = self.seed_month {
            out.push(r.get(t, mx::LY_STOCK));
        }
        out.push(per_year(mx::NET_MUNICIPAL_COST));
        out.push(per_year(mx::NET_PUBLIC_COST));
        (out, kpis)
    }

    fn rows(&self, acc: Accumulator) -> Vec<Level> {
        self.names.iter().cloned().zip(acc.finish()).collect()
    }
}

/// First month from which a cumulative series stays below zero to its end.
fn below_from(cum: &[f64]) -> Option<usize> {
    let mut idx = None;
    for (t, &v) in cum.iter().enumerate().rev() {
        if v < 0.0 {
            idx = Some(t);
        } else {
            break;
        }
    }
    idx
}

/// The payback month of a cumulative difference (alternative minus
/// baseline): the first month from which it stays below zero to the end,
/// provided it was above zero before (an investment that is paid back). A
/// series below zero from its first month was never an investment and has
/// no payback month; its cheaper periods ([`cheaper_periods`]) say so.
pub fn payback_index(cum: &[f64]) -> Option<usize> {
    let from = below_from(cum)?;
    cum[..from].iter().any(|&v| v > 0.0).then_some(from)
}

/// The periods `[from, to]` (month indices, both inclusive) in which a
/// cumulative difference is below zero: where the alternative has cost less
/// than the baseline so far.
pub fn cheaper_periods(cum: &[f64]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (t, &v) in cum.iter().enumerate() {
        match (v < 0.0, open) {
            (true, None) => open = Some(t),
            (false, Some(f)) => {
                out.push((f, t - 1));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(f) = open {
        out.push((f, cum.len() - 1));
    }
    out
}

/// The last month of the enabled policies' and the interventions' windows
/// (an open end is the horizon; an intervention's last participants run
/// `months` beyond its window), if any is in force within the horizon.
pub fn project_end(s: &Scenario) -> Option<Month> {
    let windows = crate::model::presets::windows(s);
    let end = s.end();
    windows
        .iter()
        .filter(|w| w.from.is_none_or(|f| f <= end))
        .map(|w| w.to.map_or(end, |t| t.min(end)))
        .filter(|t| *t >= s.start)
        .max()
}

/// The points at which the cumulative difference is reported: the end of
/// the project window (if any), after 3, 5 and 10 years, and the horizon,
/// as (name, month index); points beyond the horizon are skipped.
pub fn cumulative_points(s: &Scenario, alt: &Scenario) -> Vec<(&'static str, usize)> {
    let months = s.horizon_months as usize;
    let mut out = Vec::new();
    if let Some(m) = project_end(alt) {
        out.push(("project_end", s.start.months_until(m) as usize));
    }
    for (name, years) in [("3y", 3), ("5y", 5), ("10y", 10)] {
        if 12 * years <= months {
            out.push((name, 12 * years - 1));
        }
    }
    out.push(("horizon", months - 1));
    out
}

/// The cumulative net municipal cost difference at one point.
#[derive(Debug, Clone, Copy)]
pub struct CumPoint {
    /// `project_end`, `3y`, `5y`, `10y` or `horizon`.
    pub point: &'static str,
    pub month: Month,
    /// Over replications, each summed over its own months.
    pub diff: Summary,
    /// Share of replications in which the alternative has cost less so far.
    pub prob_cheaper: f64,
}

/// The paired differences of one alternative, accumulated.
struct DiffAcc {
    monthly: Accumulator,
    at: Accumulator,
    yearly: Accumulator,
    horizon: Accumulator,
    /// Net saving per year and the positions it pays for.
    saving: Accumulator,
    /// Cumulative net municipal cost difference per month, per replication.
    cumulative: Accumulator,
    /// Payback month index per replication (infinite if never): 8 bytes a
    /// replication.
    paybacks: Vec<f64>,
    /// The declared KPIs' paired differences (none for the seed's, whose
    /// months are among the `--at` months).
    kpis: Option<Accumulator>,
}

/// Share of replications in which the alternative is better, per cell.
fn better(acc: &Accumulator, cells: &[(usize, &str)]) -> Vec<Option<f64>> {
    let lower = acc.share_signed(true);
    let higher = acc.share_signed(false);
    cells
        .iter()
        .map(|&(c, metric)| better_lower(metric).map(|l| if l { lower[c] } else { higher[c] }))
        .collect()
}

impl DiffAcc {
    fn new(plan: &Plan, at: usize, kpis: &Measured) -> DiffAcc {
        DiffAcc {
            kpis: kpis.kpis.declared.then(|| Accumulator::new(kpis.len())),
            monthly: Accumulator::new(plan.months * mx::N),
            at: Accumulator::new(at * mx::N),
            yearly: Accumulator::new(stats::years(plan).len() * stats::yearly_names().len()),
            horizon: Accumulator::new(stats::horizon_names().len()),
            saving: Accumulator::new(2),
            cumulative: Accumulator::new(plan.months),
            paybacks: Vec::new(),
        }
    }

    fn push(
        &mut self,
        plan: &Plan,
        pair: [(&Replication, &Figures, &[f64]); 2],
        at: &[usize],
        cost: f64,
    ) {
        let [(b, fb, kb), (a, fa, ka)] = pair;
        if let Some(acc) = self.kpis.as_mut() {
            acc.push(ka.iter().zip(kb).map(|(x, y)| x - y));
        }
        let d: Vec<f64> = a.values.iter().zip(&b.values).map(|(x, y)| x - y).collect();
        self.at.push(
            at.iter()
                .flat_map(|&t| d[t * mx::N..(t + 1) * mx::N].iter().copied()),
        );
        self.yearly
            .push(fa.yearly.iter().zip(&fb.yearly).map(|(x, y)| x - y));
        self.horizon
            .push(fa.horizon.iter().zip(&fb.horizon).map(|(x, y)| x - y));
        let mut cum = Vec::with_capacity(plan.months);
        let mut acc = 0.0;
        for t in 0..plan.months {
            acc += d[t * mx::N + mx::NET_MUNICIPAL_COST];
            cum.push(acc);
        }
        let saving = -acc / (plan.months as f64 / 12.0);
        self.saving.push([saving, saving / cost.max(1.0)]);
        // A replication that never pays back sorts after every month.
        self.paybacks
            .push(payback_index(&cum).map_or(f64::INFINITY, |t| t as f64));
        self.cumulative.push(cum);
        self.monthly.push(d);
    }

    fn finish(
        self,
        plan: &Plan,
        name: &str,
        at: &[usize],
        levels: Vec<Level>,
        points: &[(&'static str, usize)],
        kpis: &Measured,
    ) -> AltResult {
        let mut summary = Vec::new();
        // At the --at months.
        let cells: Vec<(usize, &str)> = (0..at.len())
            .flat_map(|k| {
                METRICS
                    .iter()
                    .enumerate()
                    .map(move |(i, m)| (k * mx::N + i, m.name))
            })
            .collect();
        let probs = better(&self.at, &cells);
        let at_sum = self.at.finish();
        for (k, &t) in at.iter().enumerate() {
            let period = plan.scenario.month(t).to_string();
            for (i, m) in METRICS.iter().enumerate() {
                let c = k * mx::N + i;
                summary.push(DiffRow::new(m.name, &period, 1, at_sum[c], probs[c]));
            }
        }
        // Per calendar year: flows and costs.
        let ynames = stats::yearly_names();
        let width = ynames.len();
        let years = stats::years(plan);
        let cells: Vec<(usize, &str)> = (0..years.len())
            .flat_map(|k| {
                ynames
                    .iter()
                    .enumerate()
                    .map(move |(i, n)| (k * width + i, *n))
            })
            .collect();
        let probs = better(&self.yearly, &cells);
        let y_sum = self.yearly.finish();
        let mut budget = Vec::new();
        for (k, &(year, a, b)) in years.iter().enumerate() {
            for (i, m) in METRICS.iter().enumerate() {
                if m.kind != Kind::Flow {
                    continue;
                }
                let c = k * ynames.len() + i;
                summary.push(DiffRow::new(
                    m.name,
                    &year.to_string(),
                    b - a,
                    y_sum[c],
                    probs[c],
                ));
            }
            for line in BUDGET_LINES {
                if let Some(i) = mx::index(line) {
                    budget.push(BudgetDiff {
                        year,
                        months: b - a,
                        line,
                        diff: y_sum[k * width + i],
                    });
                }
            }
        }
        // Over the horizon.
        let hnames = stats::horizon_names();
        let cells: Vec<(usize, &str)> = hnames
            .iter()
            .enumerate()
            .map(|(c, h)| {
                let root = h
                    .trim_end_matches("_total")
                    .trim_end_matches("_npv")
                    .trim_end_matches("_avg")
                    .trim_end_matches("_end");
                (c, root)
            })
            .collect();
        let probs = better(&self.horizon, &cells);
        let h_sum = self.horizon.finish();
        for (c, h) in hnames.iter().enumerate() {
            summary.push(DiffRow::new(h, "horizon", plan.months, h_sum[c], probs[c]));
        }
        let saved = self.saving.share_signed(false)[0];
        let s = self.saving.finish();
        summary.push(DiffRow::new(
            "net_saving_per_year",
            "horizon",
            plan.months,
            s[0],
            Some(saved),
        ));
        summary.push(DiffRow::new(
            "positions_paid",
            "horizon",
            plan.months,
            s[1],
            None,
        ));
        // The declared KPIs: `kpi:NAME` at its `at`, better by its goal.
        if let Some(acc) = self.kpis {
            let lower = acc.share_signed(true);
            let higher = acc.share_signed(false);
            let months = kpis.months();
            for (i, (k, d)) in kpis.kpis.list.iter().zip(acc.finish()).enumerate() {
                let p = if k.goal.lower_is_better() {
                    lower[i]
                } else {
                    higher[i]
                };
                let mut row = DiffRow::new(&kpis.kpis.indicator(k), &k.at, months[i], d, Some(p));
                row.precision = Precision::of_unit(&k.unit);
                summary.push(row);
            }
        }
        let monthly = self.monthly.finish();
        let cheaper_share = self.cumulative.share_signed(true);
        let cumulative = self.cumulative.finish();
        let mean_cum: Vec<f64> = cumulative.iter().map(|s| s.mean).collect();
        let cum_points = points
            .iter()
            .map(|&(point, t)| CumPoint {
                point,
                month: plan.scenario.month(t),
                diff: cumulative[t],
                prob_cheaper: cheaper_share[t],
            })
            .collect();
        let cheaper = cheaper_periods(&mean_cum)
            .into_iter()
            .map(|(f, t)| (plan.scenario.month(f), plan.scenario.month(t)))
            .collect();
        let n = self.paybacks.len().max(1) as f64;
        let paid = self.paybacks.iter().filter(|p| p.is_finite()).count();
        let pb = stats::summarize(self.paybacks);
        let to_month = |x: f64| x.is_finite().then(|| plan.scenario.month(x as usize));
        AltResult {
            name: name.to_string(),
            monthly,
            summary,
            budget,
            payback: payback_index(&mean_cum).map(|t| plan.scenario.month(t)),
            cumulative,
            cumulative_cheaper: cheaper_share,
            points: cum_points,
            cheaper,
            payback_q: (to_month(pb.p05), to_month(pb.p95)),
            share_paid_back: paid as f64 / n,
            saving_per_year: s[0],
            positions: s[1],
            levels,
            budget_levels: Vec::new(),
        }
    }
}

/// The results of one alternative against the baseline.
pub struct AltResult {
    pub name: String,
    /// Paired differences per month and metric (`t * N + m`).
    pub monthly: Vec<Summary>,
    /// Rows of `comparison_summary.csv`.
    pub summary: Vec<DiffRow>,
    /// Rows of `budget_difference.csv`: per calendar year and budget line.
    pub budget: Vec<BudgetDiff>,
    /// Payback month of the mean cumulative net cost difference
    /// ([`payback_index`]).
    pub payback: Option<Month>,
    /// Cumulative net municipal cost difference per month, each replication
    /// summed over its own months.
    pub cumulative: Vec<Summary>,
    /// Per month, the share of replications whose cumulative difference is
    /// below zero.
    pub cumulative_cheaper: Vec<f64>,
    /// The cumulative difference at the reported points.
    pub points: Vec<CumPoint>,
    /// Periods in which the mean cumulative difference is below zero.
    pub cheaper: Vec<(Month, Month)>,
    /// 5th and 95th percentiles of the replications' payback months.
    pub payback_q: (Option<Month>, Option<Month>),
    /// Share of replications with a payback month.
    pub share_paid_back: f64,
    pub saving_per_year: Summary,
    pub positions: Summary,
    /// Levels of the alternative at the KPI month.
    pub levels: Vec<Level>,
    /// Baseline and alternative per period and payer cell, with the
    /// paired difference, undiscounted and discounted (`budget_levels.csv`).
    pub budget_levels: Vec<LevelRow>,
}

/// A named figure at the KPI month (or per year).
pub type Level = (String, Summary);

/// One row of `comparison_summary.csv`: a metric's paired difference in a
/// period (a month, a calendar year or the horizon).
#[derive(Debug, Clone)]
pub struct DiffRow {
    pub metric: String,
    /// `YYYY-MM`, `YYYY` or `horizon`.
    pub period: String,
    /// Simulated months in the period: 1 for a month, fewer than 12 for a
    /// partial year, `horizon_months` for the horizon.
    pub months: usize,
    pub diff: Summary,
    /// Share of replications in which the alternative is better, where the
    /// metric has a better direction.
    pub prob_better: Option<f64>,
    /// The precision of `diff` (the metric's, or a KPI's unit's).
    pub precision: Precision,
}

impl DiffRow {
    fn new(metric: &str, period: &str, months: usize, diff: Summary, p: Option<f64>) -> DiffRow {
        DiffRow {
            metric: metric.to_string(),
            period: period.to_string(),
            months,
            diff,
            prob_better: p,
            precision: Precision::of(metric),
        }
    }
}

/// The budget lines of `budget_difference.csv` ([`mx::BUDGET_LINES`]).
pub use crate::model::metrics::BUDGET_LINES;

/// An alternative minus the baseline on one budget line in one calendar
/// year, over the replications' paired differences.
#[derive(Debug, Clone, Copy)]
pub struct BudgetDiff {
    pub year: i32,
    /// Simulated months in the year.
    pub months: usize,
    pub line: &'static str,
    pub diff: Summary,
}

/// Options of a comparison.
pub struct CompareOptions {
    pub at: Vec<Month>,
    pub threads: usize,
    /// `--budget-year`: the budget year (three overslagsår follow).
    pub budget_year: Option<i32>,
    /// `--break-even`: search each alternative's break-even multiplier.
    pub break_even: bool,
    /// The language of `budget.xlsx` (`--lang`).
    pub lang: crate::output::workbook::Lang,
}

/// A finished comparison.
pub struct Comparison {
    pub baseline: String,
    /// First and last simulated month.
    pub start: Month,
    pub end: Month,
    pub base_levels: Vec<(String, Summary)>,
    pub alternatives: Vec<AltResult>,
    /// The KPIs every scenario is measured by: the baseline's.
    pub kpis: Kpis,
    /// The seed KPIs' month (2018-03 if simulated, else the last month);
    /// declared KPIs say their own months.
    pub kpi: Month,
    pub at: Vec<Month>,
    /// Each scenario that states a grant, with the grant's use.
    pub grants: Vec<(String, GrantUse)>,
    /// Each scenario's money by payer (`runs/<name>/payer.csv`).
    pub payer: Vec<(String, PayerTables)>,
    /// The yearly rate at which the levels are discounted (the baseline's).
    pub discount_rate: f64,
    /// With `--budget-year`: the year and each alternative's four years.
    pub budget_year: Option<(i32, Vec<BudgetYearView>)>,
    /// With `--break-even`: each alternative's break-even multiplier.
    pub break_even: Vec<BreakEven>,
}

impl Comparison {
    /// One terminal line per scenario that states a grant (an overrun
    /// flagged).
    pub fn grant_lines(&self) -> Vec<String> {
        self.grants.iter().map(|(n, g)| g.text(n)).collect()
    }
}

/// Scenario names made unique (a scenario compared with itself gets `-2`).
fn unique_names(models: &[Model]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in models {
        let mut name = m.base.name.clone();
        let mut k = 2;
        while out.contains(&name) {
            name = format!("{}-{k}", m.base.name);
            k += 1;
        }
        out.push(name);
    }
    out
}

/// Checks the alignment rule.
pub fn check_aligned(models: &[Model]) -> Result<(), InputError> {
    let b = &models[0].base;
    for m in &models[1..] {
        let s = &m.base;
        if s.start != b.start || s.horizon_months != b.horizon_months {
            return Err(InputError(format!(
                "`{}` runs from {} for {} months but the baseline `{}` from {} for {} months: \
                 compared scenarios must share `start` and `horizon_months` \
                 (use --set start=... --set horizon_months=... to align them)",
                m.file, s.start, s.horizon_months, models[0].file, b.start, b.horizon_months
            )));
        }
        if !s.kpis.is_empty() && s.kpis != b.kpis {
            return Err(InputError(format!(
                "`{}` declares [[kpis]] that differ from the baseline `{}`'s: a comparison \
                 measures every scenario by the baseline's KPIs, so give the alternatives the \
                 same [[kpis]] as the baseline, or none",
                m.file, models[0].file
            )));
        }
        // A KPI on a cohort measures the cohort of that name in every
        // scenario: it must be the same cohort.
        for kpi in &b.kpis {
            let Some(name) = kpi
                .value
                .strip_prefix("cohort:")
                .and_then(|r| r.split(':').next())
            else {
                continue;
            };
            let ours = b.cohorts.iter().find(|c| c.name == name);
            let theirs = s.cohorts.iter().find(|c| c.name == name);
            if let (Some(ours), Some(theirs)) = (ours, theirs) {
                if ours != theirs {
                    return Err(InputError(format!(
                        "`{}` declares the cohort `{name}` differently from the baseline `{}`, \
                         whose KPI `{}` measures it: give the alternatives the baseline's \
                         [[cohorts]] entry `{name}` unchanged",
                        m.file, models[0].file, kpi.name
                    )));
                }
            }
        }
    }
    Ok(())
}

/// Runs and compares; writes the folder `out`. Returns the comparison.
pub fn compare_to_dir(
    models: &[Model],
    opts: &CompareOptions,
    out: &Path,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<Comparison> {
    check_aligned(models)?;
    let started = SystemTime::now();
    let clock = Instant::now();
    let dir = AtomicDir::new(out, FolderKind::Comparison)?;
    let names = unique_names(models);
    let plan = Plan::new(&models[0].base);
    let months = plan.months;
    let end = plan.scenario.end();
    let kpi = kpi::month_in(plan.scenario.start, end);
    let base_kpis = Measured::of(&plan)?;
    // Every scenario measured by the baseline's KPIs.
    let plans: Vec<Plan> = models.iter().map(|m| Plan::new(&m.base)).collect();
    let levels: Vec<Levels> = plans
        .iter()
        .map(|p| Ok(Levels::new(Measured::new(base_kpis.kpis.clone(), p)?, p)))
        .collect::<Result<_, InputError>>()?;
    let mut at = if opts.at.is_empty() {
        let mut at = base_kpis.single_months(&plan);
        at.push(end);
        at
    } else {
        opts.at.clone()
    };
    at.sort();
    at.dedup();
    for m in &at {
        if *m < plan.scenario.start || *m > end {
            return Err(InputError(format!(
                "--at {m} is outside the simulated months {} to {end}",
                plan.scenario.start
            ))
            .into());
        }
    }
    let at_idx: Vec<usize> = at
        .iter()
        .map(|m| plan.scenario.start.months_until(*m) as usize)
        .collect();
    if let Some(y) = opts.budget_year {
        budget::check_budget_year(y, &plan)?;
    }
    let rate = plan.scenario.money.discount_rate;
    let runner = Runner::new(opts.threads)?;
    let reps = models[0].base.replications as u64;
    let mut runs: Vec<RunAcc> = plans
        .iter()
        .zip(&levels)
        .map(|(p, l)| RunAcc::new(p, rate, l))
        .collect();
    let mut diffs: Vec<DiffAcc> = (1..models.len())
        .map(|_| DiffAcc::new(&plan, at_idx.len(), &base_kpis))
        .collect();
    let mut level_accs: Vec<LevelsAcc> = (1..models.len()).map(|_| LevelsAcc::new(&plan)).collect();
    // Every scenario's chunk k before any chunk k + 1, folded in
    // replication order: memory is flat in the number of replications and
    // the output does not depend on threads.
    let lanes: Vec<Lane> = models.iter().map(|m| Lane::new(m, &Draw::Random)).collect();
    runner.stream(&lanes, 0..reps, progress, |_, chunk| {
        let base_figures: Vec<(Figures, PayerFigures, Vec<f64>)> = chunk[0]
            .iter()
            .map(|r| runs[0].push(&plans[0], r, &levels[0]))
            .collect();
        for i in 1..models.len() {
            let cost = models[i].base.money.consultant_annual_cost;
            for ((b, (fb, pb, kb)), a) in chunk[0].iter().zip(&base_figures).zip(&chunk[i]) {
                let (fa, pa, ka) = runs[i].push(&plans[i], a, &levels[i]);
                diffs[i - 1].push(&plan, [(b, fb, kb), (a, &fa, &ka)], &at_idx, cost);
                level_accs[i - 1].push(pb, &pa);
            }
        }
        Ok::<_, anyhow::Error>(())
    })?;
    let person_months: u64 = runs.iter().map(|r| r.run.person_months).sum();
    let mut base_levels = Vec::new();
    let mut alt_levels = Vec::new();
    let mut grants = Vec::new();
    let mut payer_tables = Vec::new();
    let mut budgets = Vec::new();
    for (i, r) in runs.into_iter().enumerate() {
        let tables = runner.install(|| r.run.finish());
        write_run(&dir, &names[i], &plans[i], &tables)?;
        let payer = runner.install(|| r.payer.finish(&plans[i]));
        let payer_csv = budget::payer_csv(&payer)?;
        dir.write(&format!("runs/{}/payer.csv", names[i]), &payer_csv)?;
        budgets.push((export::budget_csv(&plans[i], &tables.yearly)?, payer_csv));
        payer_tables.push((names[i].clone(), payer));
        if !plans[i].cohorts.list.is_empty() {
            let cohorts = runner.install(|| r.cohorts.finish());
            let bytes = export::cohorts_csv(&plans[i], &cohorts)?;
            dir.write(&format!("runs/{}/cohorts.csv", names[i]), &bytes)?;
        }
        if let Some(g) = GrantUse::of(&models[i].base, &tables) {
            grants.push((names[i].clone(), g));
        }
        if let Some(acc) = r.kpis {
            let summaries = runner.install(|| acc.finish());
            let bytes = export::kpis_csv(&levels[i].kpis.kpis, &summaries)?;
            dir.write(&format!("runs/{}/kpis.csv", names[i]), &bytes)?;
        }
        if i == 0 {
            base_levels = levels[i].rows(r.levels);
        } else {
            alt_levels.push(levels[i].rows(r.levels));
        }
    }
    let alternatives: Vec<AltResult> = diffs
        .into_iter()
        .zip(alt_levels)
        .zip(level_accs)
        .enumerate()
        .map(|(k, ((d, lv), la))| {
            let points = cumulative_points(&plan.scenario, &models[k + 1].base);
            let mut a = d.finish(
                &plan,
                &names[k + 1],
                &at_idx,
                lv,
                &points,
                &levels[k + 1].kpis,
            );
            a.budget_levels =
                runner.install(|| la.finish(&payer_tables[0].1, &payer_tables[k + 1].1));
            a
        })
        .collect();
    let budget_year = opts.budget_year.map(|y| {
        let views = alternatives
            .iter()
            .zip(&models[1..])
            .map(|(a, m)| {
                budget::budget_year_view(
                    &a.name,
                    &m.base,
                    project_end(&m.base),
                    y,
                    &a.budget_levels,
                )
            })
            .collect();
        (y, views)
    });
    let break_even = if opts.break_even {
        break_even::search(models, &names, reps, &runner, progress)?
    } else {
        Vec::new()
    };
    let cmp = Comparison {
        baseline: names[0].clone(),
        start: plan.scenario.start,
        end,
        base_levels,
        alternatives,
        kpis: base_kpis.kpis.clone(),
        kpi,
        at,
        grants,
        payer: payer_tables,
        discount_rate: rate,
        budget_year,
        break_even,
    };
    dir.write("comparison.csv", &comparison_csv(&plan, &cmp)?)?;
    dir.write("comparison_summary.csv", &summary_csv(&cmp)?)?;
    dir.write("payback.csv", &payback_csv(&cmp)?)?;
    dir.write("cumulative.csv", &cumulative_csv(&cmp)?)?;
    dir.write(
        "cumulative_monthly.csv",
        &cumulative_monthly_csv(&plan, &cmp)?,
    )?;
    dir.write("cheaper.csv", &cheaper_csv(&cmp)?)?;
    dir.write("budget_difference.csv", &budget_difference_csv(&cmp)?)?;
    dir.write("steering.csv", &steering_csv(&cmp)?)?;
    let level_rows: Vec<(&str, &[LevelRow])> = cmp
        .alternatives
        .iter()
        .map(|a| (a.name.as_str(), a.budget_levels.as_slice()))
        .collect();
    let levels_csv = budget::levels_csv(&level_rows, cmp.discount_rate)?;
    dir.write("budget_levels.csv", &levels_csv)?;
    let break_even_csv = if opts.break_even {
        let bytes = break_even::csv(&cmp.break_even)?;
        dir.write("break_even.csv", &bytes)?;
        Some(bytes)
    } else {
        None
    };
    let budget_year_csv = match &cmp.budget_year {
        Some((y, views)) => {
            let bytes = budget::budget_year_csv(*y, views)?;
            dir.write("budget_year.csv", &bytes)?;
            Some(bytes)
        }
        None => None,
    };
    let practice = PracticeFiles {
        budget_levels: levels_csv,
        budget_year: budget_year_csv,
        break_even: break_even_csv,
    };
    let book = budget_book(&plan, &cmp, models, &names, budgets, practice, opts.lang)?;
    dir.write("budget.xlsx", &book)?;
    let manifest = Manifest {
        kind: "comparison",
        program: "fleksim",
        version: env!("CARGO_PKG_VERSION"),
        baseline: cmp.baseline.clone(),
        alternatives: cmp.alternatives.iter().map(|a| a.name.clone()).collect(),
        seed: models[0].base.seed,
        replications: reps,
        months,
        at: cmp.at.iter().map(Month::to_string).collect(),
        kpi_month: (!cmp.kpis.declared).then(|| kpi.to_string()),
        threads: runner.threads(),
        person_months,
        started: humantime::format_rfc3339_seconds(started).to_string(),
        elapsed_seconds: clock.elapsed().as_secs_f64(),
        scenario_sha256: models
            .iter()
            .zip(&names)
            .map(|(m, n)| Ok((n.clone(), m.sha256()?)))
            .collect::<Result<_, SerializeError>>()?,
        scenarios: models
            .iter()
            .zip(&names)
            .map(|(m, n)| Ok((n.clone(), SerializeError::json(&m.base)?)))
            .collect::<Result<_, SerializeError>>()?,
        break_even: opts.break_even.then(|| break_even::Settings {
            low: break_even::LOW,
            high: break_even::HIGH,
            tolerance: break_even::TOLERANCE,
            statistic:
                "cumulative net municipal cost over the horizon, alternative minus baseline: \
                        multiplier where its mean is zero, lower and upper where its 5th and 95th \
                        percentiles are",
            results: cmp.break_even.clone(),
        }),
        budget_year: cmp.budget_year.as_ref().map(|(y, _)| *y),
        discount_rate: cmp.discount_rate,
    };
    dir.write("manifest.json", &serde_json::to_vec_pretty(&manifest)?)?;
    dir.commit()?;
    Ok(cmp)
}

#[derive(Serialize)]
struct Manifest {
    kind: &'static str,
    program: &'static str,
    version: &'static str,
    baseline: String,
    alternatives: Vec<String>,
    seed: u64,
    replications: u64,
    months: usize,
    at: Vec<String>,
    /// The seed KPIs' month; declared KPIs are in the scenarios.
    #[serde(skip_serializing_if = "Option::is_none")]
    kpi_month: Option<String>,
    threads: usize,
    person_months: u64,
    started: String,
    elapsed_seconds: f64,
    scenario_sha256: std::collections::BTreeMap<String, String>,
    scenarios: std::collections::BTreeMap<String, serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    break_even: Option<break_even::Settings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    budget_year: Option<i32>,
    /// The yearly rate of `budget_levels.csv`'s present values.
    discount_rate: f64,
}

/// Writes a scenario's run files under `runs/<name>/`.
fn write_run(dir: &AtomicDir, name: &str, plan: &Plan, tables: &RunTables) -> anyhow::Result<()> {
    dir.create_dir(&format!("runs/{name}"))?;
    for (file, bytes) in export::run_files(plan, tables) {
        dir.write(&format!("runs/{name}/{file}"), &bytes?)?;
    }
    Ok(())
}

/// `lead`, the summary at `metric`'s precision, and a share if any.
fn row(
    w: &mut Vec<u8>,
    lead: &str,
    metric: &str,
    s: &Summary,
    tail: Option<f64>,
) -> std::io::Result<()> {
    write!(w, "{lead},{}", quantiles(metric, s)?)?;
    match tail {
        Some(p) => writeln!(w, ",{}", share(p)?),
        None => writeln!(w),
    }
}

fn comparison_csv(plan: &Plan, c: &Comparison) -> std::io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(w, "scenario,month,metric,mean_diff,p05,p50,p95")?;
    for a in &c.alternatives {
        for t in 0..plan.months {
            let month = plan.scenario.month(t);
            for (i, m) in METRICS.iter().enumerate() {
                row(
                    &mut w,
                    &format!("{},{month},{}", a.name, m.name),
                    m.name,
                    &a.monthly[t * mx::N + i],
                    None,
                )?;
            }
        }
    }
    Ok(w)
}

fn summary_csv(c: &Comparison) -> std::io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(
        w,
        "scenario,metric,period,mean_diff,p05,p50,p95,prob_better,months"
    )?;
    for a in &c.alternatives {
        for r in &a.summary {
            let p = r.prob_better.map(share).transpose()?.unwrap_or_default();
            writeln!(
                w,
                "{},{},{},{},{p},{}",
                a.name,
                r.metric,
                r.period,
                quantiles_at(r.precision, &r.diff)?,
                r.months
            )?;
        }
    }
    Ok(w)
}

fn payback_csv(c: &Comparison) -> std::io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(w, "scenario,payback_month,share_paid_back")?;
    for a in &c.alternatives {
        let m = a.payback.map(|m| m.to_string()).unwrap_or_default();
        writeln!(w, "{},{m},{}", a.name, share(a.share_paid_back)?)?;
    }
    Ok(w)
}

fn cumulative_csv(c: &Comparison) -> std::io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(w, "scenario,point,month,mean_diff,p05,p50,p95,prob_cheaper")?;
    for a in &c.alternatives {
        for p in &a.points {
            let lead = format!("{},{},{}", a.name, p.point, p.month);
            row(
                &mut w,
                &lead,
                "net_municipal_cost",
                &p.diff,
                Some(p.prob_cheaper),
            )?;
        }
    }
    Ok(w)
}

fn cumulative_monthly_csv(plan: &Plan, c: &Comparison) -> std::io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(w, "scenario,month,mean_diff,p05,p50,p95,prob_cheaper")?;
    for a in &c.alternatives {
        for (t, (s, p)) in a.cumulative.iter().zip(&a.cumulative_cheaper).enumerate() {
            let lead = format!("{},{}", a.name, plan.scenario.month(t));
            row(&mut w, &lead, "net_municipal_cost", s, Some(*p))?;
        }
    }
    Ok(w)
}

fn cheaper_csv(c: &Comparison) -> std::io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(w, "scenario,from,to")?;
    for a in &c.alternatives {
        for (f, t) in &a.cheaper {
            writeln!(w, "{},{f},{t}", a.name)?;
        }
    }
    Ok(w)
}

/// `budget_difference.csv`: `scenario,year,months,line,mean,p05,p50,p95`,
/// the alternative minus the baseline per calendar year and budget line.
fn budget_difference_csv(c: &Comparison) -> std::io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(w, "scenario,year,months,line,mean,p05,p50,p95")?;
    for a in &c.alternatives {
        for b in &a.budget {
            let lead = format!("{},{},{},{}", a.name, b.year, b.months, b.line);
            row(&mut w, &lead, b.line, &b.diff, None)?;
        }
    }
    Ok(w)
}

fn opt_month(m: Option<Month>) -> String {
    m.map(|m| m.to_string()).unwrap_or_default()
}

fn steering_csv(c: &Comparison) -> std::io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(w, "scenario,indicator,unit,target,p50,p05,p95")?;
    let level =
        |w: &mut Vec<u8>, name: &str, levels: &[(String, Summary)]| -> std::io::Result<()> {
            for (ind, s) in levels {
                let (unit, target, p) = match (c.kpis.by_indicator(ind), ind.as_str()) {
                    (Some(k), _) => {
                        let p = Precision::of_unit(&k.unit);
                        (k.unit.as_str(), p.fmt(k.target)?, p)
                    }
                    (None, "ly_stock_at_kpi") => ("people", String::new(), Precision::of(ind)),
                    _ => ("DKK/year", String::new(), Precision::of(ind)),
                };
                let v = |x: f64| p.fmt(x);
                writeln!(
                    w,
                    "{name},{ind},{unit},{target},{},{},{}",
                    v(s.p50)?,
                    v(s.p05)?,
                    v(s.p95)?
                )?;
            }
            Ok(())
        };
    let grant = |w: &mut Vec<u8>, name: &str| -> std::io::Result<()> {
        if let Some((_, g)) = c.grants.iter().find(|(n, _)| n == name) {
            let v = |x: f64| val("cost_staff_grant_total", x);
            writeln!(
                w,
                "{name},grant_cost_total,DKK,{},{},{},{}",
                v(g.grant)?,
                v(g.cost.p50)?,
                v(g.cost.p05)?,
                v(g.cost.p95)?
            )?;
        }
        Ok(())
    };
    level(&mut w, &c.baseline, &c.base_levels)?;
    grant(&mut w, &c.baseline)?;
    for a in &c.alternatives {
        level(&mut w, &a.name, &a.levels)?;
        grant(&mut w, &a.name)?;
        let s = &a.saving_per_year;
        let dkk = |x: f64| val("net_cost_diff_per_year", x);
        writeln!(
            w,
            "{},net_cost_diff_per_year,DKK/year,,{},{},{}",
            a.name,
            dkk(-s.p50)?,
            dkk(-s.p95)?,
            dkk(-s.p05)?
        )?;
        for p in &a.points {
            let v = |x: f64| val("net_municipal_cost", x);
            writeln!(
                w,
                "{},cum_diff_{},DKK,,{},{},{}",
                a.name,
                p.point,
                v(p.diff.p50)?,
                v(p.diff.p05)?,
                v(p.diff.p95)?
            )?;
        }
        if let Some(p) = a.points.iter().find(|p| p.point == "horizon") {
            writeln!(
                w,
                "{},prob_cheaper_horizon,share,,{},,",
                a.name,
                share(p.prob_cheaper)?
            )?;
        }
        writeln!(
            w,
            "{},cheaper_periods,periods,,{},,",
            a.name,
            periods_text(&a.cheaper)
        )?;
        let p = &a.positions;
        let v = |x: f64| val("positions_paid", x);
        writeln!(
            w,
            "{},positions_paid,consultants,,{},{},{}",
            a.name,
            v(p.p50)?,
            v(p.p05)?,
            v(p.p95)?
        )?;
        writeln!(
            w,
            "{},payback_month,month,,{},{},{}",
            a.name,
            opt_month(a.payback),
            opt_month(a.payback_q.0),
            opt_month(a.payback_q.1)
        )?;
    }
    Ok(w)
}

/// The budget-practice files of a comparison, as written.
struct PracticeFiles {
    budget_levels: Vec<u8>,
    budget_year: Option<Vec<u8>>,
    break_even: Option<Vec<u8>>,
}

/// `budget.xlsx` of a comparison, made from the same bytes as its CSV
/// files (`output::workbook`); `budgets` holds each scenario's
/// `budget.csv` and `payer.csv`.
fn budget_book(
    plan: &Plan,
    c: &Comparison,
    models: &[Model],
    names: &[String],
    budgets: Vec<(Vec<u8>, Vec<u8>)>,
    practice: PracticeFiles,
    lang: crate::output::workbook::Lang,
) -> anyhow::Result<Vec<u8>> {
    use crate::output::workbook::{comparison_book, ComparisonFiles, Noted};
    let scenarios = models
        .iter()
        .zip(names)
        .zip(budgets)
        .map(|((m, name), (b, p))| {
            Ok((
                Noted {
                    name: name.clone(),
                    scenario: &m.base,
                    sha256: m.sha256()?,
                },
                b,
                p,
            ))
        })
        .collect::<Result<Vec<_>, SerializeError>>()?;
    let files = ComparisonFiles {
        scenarios,
        budget_difference: budget_difference_csv(c)?,
        cumulative: cumulative_csv(c)?,
        cumulative_monthly: cumulative_monthly_csv(plan, c)?,
        steering: steering_csv(c)?,
        budget_levels: practice.budget_levels,
        budget_year: practice.budget_year,
        break_even: practice.break_even,
    };
    Ok(comparison_book(&files, lang)?)
}

/// Cheaper periods as data: ISO 8601 intervals `2017-01/2024-06`, several
/// separated by spaces; empty if never cheaper.
pub fn periods_text(periods: &[(Month, Month)]) -> String {
    periods
        .iter()
        .map(|(f, t)| format!("{f}/{t}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the verdict rows mean, printed under the steering table.
pub const DEFINITIONS: &str = "\
Cumulative difference: the alternative's net municipal cost minus the baseline's, summed
  over the months so far in each replication (below zero: the alternative has cost less).
Project end: the last month of the alternative's policy windows.
Payback month: the month from which the cumulative difference of the mean, after being above
  zero (an investment), stays below zero to the horizon; never if it does not.
Consultant positions: the yearly net saving divided by a consultant's annual cost; \"costs\"
  is an extra cost worth that many positions.
";

/// A point's name for people.
pub fn point_label(point: &str) -> String {
    match point {
        "project_end" => "project end".into(),
        "3y" => "after 3 years".into(),
        "5y" => "after 5 years".into(),
        "10y" => "after 10 years".into(),
        "horizon" => "horizon".into(),
        other => other.into(),
    }
}

/// The cheaper periods in words: "cheaper until 2024-02, dearer after".
pub fn cheaper_text(periods: &[(Month, Month)], start: Month, end: Month) -> String {
    let Some(&(_, last)) = periods.last() else {
        return "never".into();
    };
    if periods == [(start, end)] {
        return "throughout".into();
    }
    let list = periods
        .iter()
        .map(|&(f, t)| match (f == start, t == end) {
            (true, _) => format!("until {t}"),
            (_, true) => format!("from {f} on"),
            _ if f == t => f.to_string(),
            _ => format!("{f} – {t}"),
        })
        .collect::<Vec<_>>()
        .join(", ");
    if last < end {
        format!("{list}, dearer after")
    } else {
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    #[test]
    fn cheaper_early_and_dearer_late_has_no_payback_but_a_cheaper_period() {
        // Shape of issue 17's project: cheaper for years, dearer at the end.
        let cum = [-1.0, -3.0, -2.0, 1.0, 2.0];
        assert_eq!(payback_index(&cum), None);
        assert_eq!(cheaper_periods(&cum), vec![(0, 2)]);
        let start = m("2017-01");
        let end = start.plus(4);
        let months = [(start, start.plus(2))];
        assert_eq!(
            cheaper_text(&months, start, end),
            "until 2017-03, dearer after"
        );
    }

    #[test]
    fn a_series_cheaper_from_the_start_is_no_investment() {
        // The old definition called month 0 the payback month.
        let cum = [-1.0, -2.0, -3.0];
        assert_eq!(payback_index(&cum), None);
        assert_eq!(cheaper_periods(&cum), vec![(0, 2)]);
        let start = m("2020-01");
        assert_eq!(
            cheaper_text(&[(start, start.plus(2))], start, start.plus(2)),
            "throughout"
        );
    }

    #[test]
    fn an_investment_paid_back_has_its_payback_month() {
        let cum = [2.0, 3.0, 1.0, -1.0, 0.5, -0.5, -2.0];
        assert_eq!(payback_index(&cum), Some(5));
        assert_eq!(cheaper_periods(&cum), vec![(3, 3), (5, 6)]);
        let start = m("2020-01");
        assert_eq!(
            cheaper_text(
                &[
                    (start.plus(3), start.plus(3)),
                    (start.plus(5), start.plus(6))
                ],
                start,
                start.plus(6)
            ),
            "2020-04, from 2020-06 on"
        );
    }

    #[test]
    fn a_cheaper_period_inside_the_horizon_says_dearer_after() {
        let start = m("2016-09");
        let (f, t) = (m("2017-01"), m("2024-06"));
        assert_eq!(
            cheaper_text(&[(f, t)], start, m("2026-08")),
            "2017-01 – 2024-06, dearer after"
        );
        assert_eq!(cheaper_text(&[], start, m("2026-08")), "never");
    }

    #[test]
    fn zero_differences_have_no_payback_and_no_cheaper_period() {
        let cum = [0.0; 6];
        assert_eq!(payback_index(&cum), None);
        assert!(cheaper_periods(&cum).is_empty());
    }
}
