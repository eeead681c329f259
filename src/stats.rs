//! Statistics over replications: means and quantiles (p05, p50, p95) per
//! month, per calendar year and over the whole horizon.
//!
//! Quantiles are statrs' `OrderStatistics::quantile`, which is Hyndman–Fan
//! type 8 (median-unbiased). Every reduction runs in replication order in one
//! thread per cell, so results do not depend on the thread count.

use crate::engine::Replication;
use crate::metrics::{self as mx, Kind, METRICS};
use crate::plan::Plan;
use rayon::prelude::*;
use statrs::statistics::{Data, OrderStatistics};

/// Mean and quantiles of one quantity over replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub mean: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
}

/// Summarises values (in replication order).
pub fn summarize(values: Vec<f64>) -> Summary {
    let n = values.len().max(1) as f64;
    let mean = values.iter().sum::<f64>() / n;
    let mut d = Data::new(values);
    Summary {
        mean,
        p05: d.quantile(0.05),
        p50: d.quantile(0.50),
        p95: d.quantile(0.95),
    }
}

/// Summaries of `cells` quantities, each read from every replication with
/// `get(replication, cell)`; computed in parallel, returned in cell order.
pub fn summarize_cells<T: Sync>(
    items: &[T],
    cells: usize,
    get: impl Fn(&T, usize) -> f64 + Sync,
) -> Vec<Summary> {
    (0..cells)
        .into_par_iter()
        .map(|c| summarize(items.iter().map(|r| get(r, c)).collect()))
        .collect()
}

/// Per month and metric: index `t * metrics::N + m`.
pub fn monthly(reps: &[Replication], months: usize) -> Vec<Summary> {
    summarize_cells(reps, months * mx::N, |r, c| r.values[c])
}

/// Names of the whole-horizon quantities, in [`horizon_values`] order.
pub fn horizon_names() -> Vec<String> {
    let mut names = Vec::new();
    for m in METRICS {
        match m.kind {
            Kind::Stock | Kind::Share => {
                names.push(format!("{}_end", m.name));
                names.push(format!("{}_avg", m.name));
            }
            Kind::Flow => {
                names.push(format!("{}_total", m.name));
                if m.money {
                    names.push(format!("{}_npv", m.name));
                }
            }
        }
    }
    names.push("person_months".to_string());
    names
}

/// The whole-horizon quantities of one replication: stocks and shares at
/// the end and on average; flows in total; money also as net present value
/// at the start month, discounted monthly at the scenario's yearly rate.
pub fn horizon_values(plan: &Plan, r: &Replication) -> Vec<f64> {
    let months = plan.months;
    let rate = plan.scenario.money.discount_rate;
    let mut out = Vec::with_capacity(2 * mx::N + 1);
    for (i, m) in METRICS.iter().enumerate() {
        let series = (0..months).map(|t| r.get(t, i));
        match m.kind {
            Kind::Stock | Kind::Share => {
                out.push(r.get(months - 1, i));
                out.push(series.sum::<f64>() / months as f64);
            }
            Kind::Flow => {
                out.push(series.sum());
                if m.money {
                    let npv = (0..months)
                        .map(|t| r.get(t, i) / (1.0 + rate).powf(t as f64 / 12.0))
                        .sum();
                    out.push(npv);
                }
            }
        }
    }
    out.push(r.person_months as f64);
    out
}

/// Calendar years of the horizon, with the month range of each.
pub fn years(plan: &Plan) -> Vec<(i32, usize, usize)> {
    let mut out: Vec<(i32, usize, usize)> = Vec::new();
    for t in 0..plan.months {
        let y = plan.scenario.month(t).year();
        match out.last_mut() {
            Some(last) if last.0 == y => last.2 = t + 1,
            _ => out.push((y, t, t + 1)),
        }
    }
    out
}

/// Per calendar year and metric (index `year * (metrics::N + 1) + m`; the
/// last metric of a year is the number of simulated months in it): flows
/// summed, stocks and shares averaged.
pub fn yearly_values(plan: &Plan, r: &Replication) -> Vec<f64> {
    let ys = years(plan);
    let mut out = Vec::with_capacity(ys.len() * (mx::N + 1));
    for &(_, a, b) in &ys {
        for (i, m) in METRICS.iter().enumerate() {
            let sum: f64 = (a..b).map(|t| r.get(t, i)).sum();
            out.push(match m.kind {
                Kind::Flow => sum,
                _ => sum / (b - a) as f64,
            });
        }
        out.push((b - a) as f64);
    }
    out
}

/// Names of the per-year quantities (repeated for each year).
pub fn yearly_names() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = METRICS.iter().map(|m| m.name).collect();
    v.push("months");
    v
}

/// Sample variance (n − 1), in the given order.
pub fn variance(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let n = values.clone().count();
    if n < 2 {
        return 0.0;
    }
    let mean = values.clone().sum::<f64>() / n as f64;
    values.map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64
}
