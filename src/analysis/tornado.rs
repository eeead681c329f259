//! `fleksim tornado`: one-way sensitivity of a metric to each uncertain
//! parameter.
//!
//! Each uncertain parameter in turn is set to its 5th and then its 95th
//! percentile, every other parameter at its median, and the scenario is run
//! with the same seed (common random numbers): the change of the metric's
//! mean between the two is the parameter's swing. The default metric is the
//! cumulative net municipal cost difference against the scenario's declared
//! `baseline`, or the scenario's own cumulative net municipal cost when it
//! declares none.

use crate::analysis::runner::{Lane, Runner};
use crate::input::uncertain::{Draw, Model};
use crate::model::error::InputError;
use crate::model::metrics::{self as mx, Kind, METRICS};
use crate::model::month::Month;
use crate::output::export::{share, val};
use crate::sim::engine::Replication;
use crate::sim::plan::Plan;
use crate::stats::{self, Accumulator};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// How the metric is read off a replication.
#[derive(Debug, Clone)]
pub enum Measure {
    /// A monthly metric at month `t`.
    At { metric: usize, t: usize },
    /// A flow summed over the horizon.
    Total { metric: usize },
    /// A horizon figure by name index.
    Horizon { index: usize },
}

impl Measure {
    /// Parses a metric name for a plan.
    pub fn parse(name: &str, at: Option<Month>, plan: &Plan) -> Result<Measure, InputError> {
        let s = &plan.scenario;
        if let Some(i) = mx::index(name) {
            let t = match at {
                Some(m) => {
                    if m < s.start || m > s.end() {
                        return Err(InputError(format!(
                            "--at {m} is outside the simulated months {} to {}",
                            s.start,
                            s.end()
                        )));
                    }
                    s.start.months_until(m) as usize
                }
                None if METRICS[i].kind == Kind::Flow => return Ok(Measure::Total { metric: i }),
                None => plan.months - 1,
            };
            return Ok(Measure::At { metric: i, t });
        }
        if let Some(index) = stats::horizon_names().iter().position(|n| n == name) {
            return Ok(Measure::Horizon { index });
        }
        Err(InputError(format!(
            "--metric `{name}` is not a metric: use a monthly metric such as `ly_share` or \
             `net_municipal_cost`, or a horizon figure such as `ly_share_end` or \
             `net_municipal_cost_total` (see summary.csv)"
        )))
    }

    /// The name of what is measured (a metric or a horizon figure).
    pub fn name(&self) -> String {
        match *self {
            Measure::At { metric, .. } | Measure::Total { metric } => METRICS[metric].name.into(),
            Measure::Horizon { index } => stats::horizon_names()
                .get(index)
                .cloned()
                .unwrap_or_default(),
        }
    }

    fn value(&self, plan: &Plan, r: &Replication) -> f64 {
        match *self {
            Measure::At { metric, t } => r.get(t, metric),
            Measure::Total { metric } => (0..plan.months).map(|t| r.get(t, metric)).sum(),
            Measure::Horizon { index } => stats::horizon_values(plan, r)[index],
        }
    }
}

/// One bar of the tornado.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub parameter: String,
    pub low_value: f64,
    pub high_value: f64,
    pub metric_low: f64,
    pub metric_high: f64,
    pub swing: f64,
    /// The metric's name, for its precision in `tornado.csv`.
    #[serde(skip)]
    pub metric: String,
}

/// Runs the tornado on `runner`. `baseline` is the declared baseline, if
/// any.
pub fn tornado(
    runner: &Runner,
    model: &Model,
    baseline: Option<&Model>,
    measure: &Measure,
    progress: &(dyn Fn() + Sync),
) -> anyhow::Result<(f64, Vec<Bar>)> {
    if !model.is_uncertain() {
        return Err(InputError(format!(
            "`{}` has no uncertain parameters: give some values as distributions, e.g. \
             `effect = {{ dist = \"lognormal\", median = 1.25, p95 = 1.6 }}`",
            model.file
        ))
        .into());
    }
    let n = model.base.replications as u64;
    let plan = Plan::new(&model.base);
    // The baseline's metric per replication (8 bytes a replication), to pair
    // with each end's replications.
    let base_values: Option<Vec<f64>> = match baseline {
        Some(b) => {
            let p = Plan::new(&b.base);
            let mut out = Vec::with_capacity(n as usize);
            runner.stream(
                &[Lane::new(b, &Draw::Median)],
                0..n,
                progress,
                |_, chunk| {
                    out.extend(chunk[0].iter().map(|r| measure.value(&p, r)));
                    Ok::<_, anyhow::Error>(())
                },
            )?;
            Some(out)
        }
        None => None,
    };
    // The mean of the metric (minus the baseline's) with the parameters
    // drawn as `draw` says: the same estimator as every other mean.
    let run = |draw: Draw| -> anyhow::Result<f64> {
        let mut acc = Accumulator::new(1);
        runner.stream(
            &[Lane::new(model, &draw)],
            0..n,
            progress,
            |first, chunk| {
                for (k, r) in (first as usize..).zip(&chunk[0]) {
                    let b = base_values.as_ref().map_or(0.0, |b| b[k]);
                    acc.push([measure.value(&plan, r) - b]);
                }
                Ok::<_, anyhow::Error>(())
            },
        )?;
        Ok(acc.means()[0])
    };
    let centre = run(Draw::Median)?;
    let mut bars = Vec::new();
    for (i, p) in model.params.iter().enumerate() {
        let lo = run(Draw::OneAt { param: i, q: 0.05 })?;
        let hi = run(Draw::OneAt { param: i, q: 0.95 })?;
        bars.push(Bar {
            parameter: p.path.clone(),
            low_value: p.dist.quantile(0.05).unwrap_or(f64::NAN),
            high_value: p.dist.quantile(0.95).unwrap_or(f64::NAN),
            metric_low: lo,
            metric_high: hi,
            swing: (hi - lo).abs(),
            metric: measure.name(),
        });
    }
    // Largest swing first; ties by name so the order is stable.
    bars.sort_by(|a, b| {
        b.swing
            .total_cmp(&a.swing)
            .then(a.parameter.cmp(&b.parameter))
    });
    Ok((centre, bars))
}

/// `tornado.csv`.
pub fn tornado_csv(centre: f64, bars: &[Bar]) -> std::io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(
        w,
        "parameter,low_value,high_value,metric_low,metric_high,swing,base"
    )?;
    for b in bars {
        // The parameters' low and high values (quantiles of their
        // distributions) at 6 decimals; the metric at its own precision.
        let v = |x: f64| val(&b.metric, x);
        writeln!(
            w,
            "{},{},{},{},{},{},{}",
            b.parameter,
            share(b.low_value)?,
            share(b.high_value)?,
            v(b.metric_low)?,
            v(b.metric_high)?,
            v(b.swing)?,
            v(centre)?
        )?;
    }
    Ok(w)
}

/// A text tornado for the terminal.
pub fn text_chart(metric: &str, centre: f64, bars: &[Bar]) -> String {
    let width = 30.0;
    let max = bars.iter().map(|b| b.swing).fold(0.0, f64::max).max(1e-12);
    let name_w = bars.iter().map(|b| b.parameter.len()).max().unwrap_or(0);
    let mut out = format!(
        "{metric}: {} with every parameter at its median\n",
        fmt(centre)
    );
    for b in bars {
        let len = (b.swing / max * width).round() as usize;
        out.push_str(&format!(
            "{:<name_w$}  {:<30}  {} … {}\n",
            b.parameter,
            "█".repeat(len.max(1)),
            fmt(b.metric_low),
            fmt(b.metric_high)
        ));
    }
    out
}

fn fmt(x: f64) -> String {
    if x.abs() >= 1e5 {
        format!("{:.2} mio.", x / 1e6)
    } else if x.abs() < 1.0 {
        format!("{x:.4}")
    } else {
        format!("{x:.1}")
    }
}

pub fn resolve_baseline(
    model: &Model,
    file: &Path,
    sets: &[String],
) -> anyhow::Result<Option<Model>> {
    let Some(b) = &model.base.baseline else {
        return Ok(None);
    };
    let path = file.parent().unwrap_or(Path::new(".")).join(b);
    if !path.is_file() {
        return Err(InputError(format!(
            "`{}`: key `baseline`: `{}` is not a file (the path is relative to the scenario file)",
            file.display(),
            path.display()
        ))
        .into());
    }
    Ok(Some(Model::load(&path, sets)?))
}
