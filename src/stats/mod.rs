//! Statistics over replications: means and quantiles (p05, p50, p95) per
//! month, per calendar year and over the whole horizon.
//!
//! One estimator serves every command (`run`, `compare` and its
//! `runs/<scenario>/`, `tornado`, `sweep`): an [`Accumulator`] fed one
//! replication at a time, in replication order, by the
//! [`crate::analysis::runner`]. So the same scenario, seed and replications give the
//! same figures whichever command computes them, and the figures do not
//! depend on the thread count.
//!
//! - **Mean**: exact (Welford's running update), at any count.
//! - **Quantiles up to [`EXACT_REPLICATIONS`] replications**: exact,
//!   statrs' `OrderStatistics::quantile`, which is Hyndman–Fan type 8
//!   (median-unbiased).
//! - **Quantiles beyond**: each block of [`EXACT_REPLICATIONS`] values is
//!   folded into a t-digest of 200 centroids per cell, so memory stays flat
//!   in the number of replications, and the quantiles become estimates.
//!   Documented error (checked by `quantile_error_is_as_documented` at
//!   1,001 to 20,000 replications): for continuous figures (money,
//!   averages) the estimate's rank among the replications is within 0.5
//!   percentage points of the quantile's (p05 is between the exact p04.5
//!   and p05.5; the worst seen is 0.27 points); for whole-number counts
//!   with many ties (stocks, flows in a month) the estimate may fall
//!   between two neighbouring whole numbers, and is within 1 of the exact
//!   type-8 quantile (the worst seen is 0.45).
//!
//! The one exception is `compare`'s payback month, an order statistic that
//! may be "never": it keeps one number per replication and its quantiles
//! are always exact ([`summarize`]).

use crate::model::metrics::{self as mx, Kind, METRICS};
use crate::sim::engine::Replication;
use crate::sim::plan::Plan;
use rayon::prelude::*;
use statrs::statistics::{Data, OrderStatistics};
use tdigest::TDigest;

pub use crate::model::limits::EXACT_REPLICATIONS;

/// Centroids of a t-digest (its accuracy).
const DIGEST_SIZE: usize = 200;

/// The t-digest's rank error bound checked by the tests (see the module doc).
#[cfg(test)]
const DIGEST_RANK_ERROR: f64 = 0.005;

/// Streaming summaries of `cells` quantities, fed one replication at a
/// time in replication order.
#[derive(Debug, Clone)]
pub struct Accumulator {
    /// The values of the block not yet folded, one row of `cells` values
    /// per replication (a push appends a row in one copy).
    buf: Vec<f64>,
    /// Replications in `buf`.
    rows: usize,
    cells: usize,
    digests: Vec<Option<TDigest>>,
    mean: Vec<f64>,
    m2: Vec<f64>,
    below: Vec<u32>,
    above: Vec<u32>,
    n: usize,
}

impl Accumulator {
    pub fn new(cells: usize) -> Accumulator {
        Accumulator {
            buf: Vec::new(),
            rows: 0,
            cells,
            digests: vec![None; cells],
            mean: vec![0.0; cells],
            m2: vec![0.0; cells],
            below: vec![0; cells],
            above: vec![0; cells],
            n: 0,
        }
    }

    /// Number of replications pushed.
    pub fn count(&self) -> usize {
        self.n
    }

    /// Adds one replication's values, in cell order.
    pub fn push(&mut self, values: impl IntoIterator<Item = f64>) {
        // A full block is folded only when more values come, so that up to
        // EXACT_REPLICATIONS values stay exact.
        if self.cells > 0 && self.rows == EXACT_REPLICATIONS {
            self.fold();
        }
        self.n += 1;
        let n = self.n as f64;
        let start = self.buf.len();
        self.buf.extend(values.into_iter().take(self.cells));
        // Every caller gives every cell; were a row ever short, its missing
        // cells would read NaN (which the CSV writers refuse), not shift
        // the rows after it.
        debug_assert_eq!(self.buf.len() - start, self.cells, "a short row");
        self.buf.resize(start + self.cells, f64::NAN);
        self.rows += 1;
        let row = &self.buf[start..];
        for (c, &v) in row.iter().enumerate() {
            // Welford's update: mean and sum of squared deviations.
            let d = v - self.mean[c];
            self.mean[c] += d / n;
            self.m2[c] += d * (v - self.mean[c]);
            self.below[c] += (v < 0.0) as u32;
            self.above[c] += (v > 0.0) as u32;
        }
    }

    /// The values of cell `c` in the block not yet folded, in replication
    /// order.
    fn column(&self, c: usize) -> Vec<f64> {
        self.buf
            .iter()
            .skip(c)
            .step_by(self.cells)
            .copied()
            .collect()
    }

    /// Share of replications with a value below zero (`lower`) or above
    /// zero, per cell: for a paired difference, how often the alternative
    /// is lower (or higher) than the baseline.
    pub fn share_signed(&self, lower: bool) -> Vec<f64> {
        let n = self.n.max(1) as f64;
        let counts = if lower { &self.below } else { &self.above };
        counts.iter().map(|&k| k as f64 / n).collect()
    }

    fn fold(&mut self) {
        for c in 0..self.cells {
            let values = self.column(c);
            let digest = &mut self.digests[c];
            let d = digest
                .take()
                .unwrap_or_else(|| TDigest::new_with_size(DIGEST_SIZE));
            *digest = Some(d.merge_unsorted(values));
        }
        self.buf.clear();
        self.rows = 0;
    }

    /// Mean of each cell (the mean of [`Accumulator::finish`], without the
    /// quantiles).
    pub fn means(&self) -> &[f64] {
        &self.mean
    }

    /// Sample variance of each cell.
    pub fn variances(&self) -> Vec<f64> {
        let d = (self.n.max(2) - 1) as f64;
        self.m2.iter().map(|m| m / d).collect()
    }

    /// Summaries per cell, computed in parallel, in cell order.
    pub fn finish(mut self) -> Vec<Summary> {
        let exact = self.digests.first().is_none_or(Option::is_none);
        if !exact {
            self.fold();
        }
        // Each cell's values are gathered by the task that summarises it,
        // so only the cells in flight are copied out of the block.
        let this = &self;
        (0..self.cells)
            .into_par_iter()
            .map(|c| match &this.digests[c] {
                Some(d) if !exact => {
                    let q = |p: f64| d.estimate_quantile(p).unwrap_or(f64::NAN);
                    Summary {
                        mean: this.mean[c],
                        p05: q(0.05),
                        p50: q(0.5),
                        p95: q(0.95),
                    }
                }
                _ => Summary {
                    mean: this.mean[c],
                    ..summarize(this.column(c))
                },
            })
            .collect()
    }
}

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

/// The summaries of one scenario's run, as `run` writes them and `compare`
/// writes under `runs/<scenario>/`: per month and metric, over the horizon,
/// and per calendar year. One type for both, so the files are the same.
#[derive(Debug, Clone)]
pub struct RunSummaries {
    monthly: Accumulator,
    horizon: Accumulator,
    yearly: Accumulator,
    /// Person-months simulated.
    pub person_months: u64,
}

/// The whole-horizon and yearly figures of one replication
/// ([`horizon_values`], [`yearly_values`]).
#[derive(Debug, Clone)]
pub struct Figures {
    pub horizon: Vec<f64>,
    pub yearly: Vec<f64>,
}

/// Finished [`RunSummaries`]: per month and metric (`t * metrics::N + m`),
/// over the horizon (in [`horizon_names`] order) and per calendar year
/// (`year * (metrics::N + 1) + m`).
#[derive(Debug, Clone)]
pub struct RunTables {
    pub monthly: Vec<Summary>,
    pub horizon: Vec<Summary>,
    pub yearly: Vec<Summary>,
}

impl RunSummaries {
    pub fn new(plan: &Plan) -> RunSummaries {
        RunSummaries {
            monthly: Accumulator::new(plan.months * mx::N),
            horizon: Accumulator::new(horizon_names().len()),
            yearly: Accumulator::new(years(plan).len() * yearly_names().len()),
            person_months: 0,
        }
    }

    /// Adds the next replication; returns its horizon and yearly figures
    /// for callers that need them too (paired differences).
    pub fn push(&mut self, plan: &Plan, r: &Replication) -> Figures {
        let f = Figures {
            horizon: horizon_values(plan, r),
            yearly: yearly_values(plan, r),
        };
        self.monthly.push(r.values.iter().copied());
        self.horizon.push(f.horizon.iter().copied());
        self.yearly.push(f.yearly.iter().copied());
        self.person_months += r.person_months;
        f
    }

    /// Sample variance of each whole-horizon figure.
    pub fn horizon_variances(&self) -> Vec<f64> {
        self.horizon.variances()
    }

    pub fn finish(self) -> RunTables {
        RunTables {
            monthly: self.monthly.finish(),
            horizon: self.horizon.finish(),
            yearly: self.yearly.finish(),
        }
    }
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
    // The discount divisor of each month, worked out once for all money
    // metrics.
    let divisor: Vec<f64> = (0..months)
        .map(|t| (1.0 + rate).powf(t as f64 / 12.0))
        .collect();
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
                    let npv = (0..months).map(|t| r.get(t, i) / divisor[t]).sum();
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand::SeedableRng;
    use rand_distr::{Distribution, Exp, Normal, Poisson};

    /// Distance of `q` from the ranks a value `x` takes among `sorted`
    /// (an interval where values tie).
    fn rank_error(sorted: &[f64], x: f64, q: f64) -> f64 {
        let n = sorted.len() as f64;
        let below = sorted.partition_point(|v| *v < x) as f64 / n;
        let upto = sorted.partition_point(|v| *v <= x) as f64 / n;
        if q < below {
            below - q
        } else if q > upto {
            q - upto
        } else {
            0.0
        }
    }

    fn samples(kind: usize, n: usize, seed: u64) -> Vec<f64> {
        let mut r = Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..n)
            .map(|_| match kind {
                0 => Normal::new(1e6, 2e5).unwrap().sample(&mut r),
                1 => Poisson::new(40.0).unwrap().sample(&mut r),
                _ => Exp::new(1e-3).unwrap().sample(&mut r),
            })
            .collect()
    }

    /// The bounds stated in the module doc, over continuous figures
    /// (normal, exponential: money and averages) and whole-number counts
    /// with many ties (Poisson: stocks and flows), at 1,001 to 20,000
    /// replications.
    #[test]
    fn quantile_error_is_as_documented() {
        let (mut worst_rank, mut worst_whole): (f64, f64) = (0.0, 0.0);
        for n in [1001, 2000, 5000, 20_000] {
            for kind in 0..3 {
                for seed in 0..5 {
                    let v = samples(kind, n, seed);
                    let mut acc = Accumulator::new(1);
                    for x in &v {
                        acc.push([*x]);
                    }
                    let s = acc.finish()[0];
                    let mut sorted = v.clone();
                    sorted.sort_by(f64::total_cmp);
                    let mean = v.iter().sum::<f64>() / n as f64;
                    assert!((s.mean - mean).abs() <= 1e-9 * mean.abs().max(1.0));
                    let exact = summarize(v);
                    for (q, x, e) in [
                        (0.05, s.p05, exact.p05),
                        (0.5, s.p50, exact.p50),
                        (0.95, s.p95, exact.p95),
                    ] {
                        if kind == 1 {
                            worst_whole = worst_whole.max((x - e).abs());
                        } else {
                            worst_rank = worst_rank.max(rank_error(&sorted, x, q));
                        }
                    }
                }
            }
        }
        assert!(worst_rank <= DIGEST_RANK_ERROR, "rank error {worst_rank}");
        assert!(worst_whole < 1.0, "whole-number error {worst_whole}");
    }
}
