//! One point of a sweep: its replications, summarised into the rows it
//! contributes to `points.csv` and `results.csv`.
//!
//! A point's bytes are a pure function of the sweep and the point number:
//! its replications come from the [`crate::analysis::runner`] in index order, and
//! every cell is summarised by the same estimator as `run`'s files (see
//! [`crate::stats`]), so a one-point sweep's row holds the figures of
//! `run`'s `monthly.csv`, `budget.csv` and `summary.csv`.

use super::design::{cell_text, Sweep};
use super::file::Months;
use crate::analysis::runner::{Lane, Runner};
use crate::input::uncertain::Draw;
use crate::model::metrics::{self as mx, Kind, METRICS};
use crate::output::export::quantiles;
use crate::sim::plan::Plan;
use crate::stats::{self, Accumulator};
use std::io::Write;

/// Header of `results.csv`.
pub const RESULTS_HEADER: &str = "point,period,metric,mean,p05,p50,p95\n";

/// Header of `points.csv`: `point`, then one column per axis key.
pub fn points_header(sweep: &Sweep) -> String {
    let mut h = String::from("point");
    for k in sweep.keys() {
        h.push(',');
        h.push_str(&csv_field(k));
    }
    h.push('\n');
    h
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// What one point writes.
#[derive(Debug, Clone, PartialEq)]
pub struct PointOutput {
    pub point: u64,
    /// Its line of `points.csv`.
    pub row: String,
    /// Its lines of `results.csv`.
    pub results: Vec<u8>,
    pub person_months: u64,
}

/// Where a result cell comes from in one replication.
#[derive(Debug, Clone, Copy)]
enum Source {
    Month(usize, usize),
    /// Calendar year `k`, metric `m` (index into [`stats::yearly_values`]).
    Year(usize, usize),
    /// Index into [`stats::horizon_values`].
    Horizon(usize),
}

/// The cells of a point, in output order: months (if kept), calendar
/// years, then `end` (stocks and shares at the last month) and `horizon`
/// (stocks and shares averaged, flows summed, money also as `*_npv`).
fn layout(plan: &Plan, metrics: &[usize], months: Months) -> Vec<(String, String, Source)> {
    let mut cells = Vec::new();
    if months == Months::Monthly {
        for t in 0..plan.months {
            let period = plan.scenario.month(t).to_string();
            for &m in metrics {
                cells.push((
                    period.clone(),
                    METRICS[m].name.to_string(),
                    Source::Month(t, m),
                ));
            }
        }
    }
    for (k, (year, _, _)) in stats::years(plan).iter().enumerate() {
        for &m in metrics {
            cells.push((
                year.to_string(),
                METRICS[m].name.to_string(),
                Source::Year(k, m),
            ));
        }
    }
    let names = stats::horizon_names();
    let at = |n: String| names.iter().position(|x| *x == n);
    for &m in metrics {
        let metric = &METRICS[m];
        if metric.kind != Kind::Flow {
            if let Some(i) = at(format!("{}_end", metric.name)) {
                cells.push(("end".into(), metric.name.into(), Source::Horizon(i)));
            }
        }
    }
    for &m in metrics {
        let metric = &METRICS[m];
        let whole = if metric.kind == Kind::Flow {
            "total"
        } else {
            "avg"
        };
        if let Some(i) = at(format!("{}_{whole}", metric.name)) {
            cells.push(("horizon".into(), metric.name.into(), Source::Horizon(i)));
        }
        if metric.money {
            if let Some(i) = at(format!("{}_npv", metric.name)) {
                cells.push((
                    "horizon".into(),
                    format!("{}_npv", metric.name),
                    Source::Horizon(i),
                ));
            }
        }
    }
    cells
}

/// Runs point `u` on `runner` (also from inside [`Runner::install`]).
pub fn run_point(
    runner: &Runner,
    sweep: &Sweep,
    u: u64,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<PointOutput> {
    let model = sweep.model(u)?;
    let plan = Plan::new(&model.base);
    let cells = layout(&plan, &sweep.metrics, sweep.months);
    let mut acc = Accumulator::new(cells.len());
    let mut person_months = 0;
    let reps = 0..sweep.replications as u64;
    let lane = Lane::new(&model, &Draw::Random);
    runner.stream(&[lane], reps, progress, |_, chunk| {
        for r in &chunk[0] {
            let h = stats::horizon_values(&plan, r);
            let y = stats::yearly_values(&plan, r);
            acc.push(cells.iter().map(|(_, _, s)| match *s {
                Source::Month(t, m) => r.get(t, m),
                Source::Year(k, m) => y[k * (mx::N + 1) + m],
                Source::Horizon(i) => h[i],
            }));
            person_months += r.person_months;
        }
        Ok::<_, anyhow::Error>(())
    })?;
    let summaries = acc.finish();
    let mut results = Vec::with_capacity(cells.len() * 64);
    for ((period, metric, _), s) in cells.iter().zip(&summaries) {
        writeln!(results, "{u},{period},{metric},{}", quantiles(metric, s)?)?;
    }
    let mut row = u.to_string();
    for v in sweep.point(u) {
        row.push(',');
        row.push_str(&csv_field(&cell_text(&v)?));
    }
    row.push('\n');
    Ok(PointOutput {
        point: u,
        row,
        results,
        person_months,
    })
}
