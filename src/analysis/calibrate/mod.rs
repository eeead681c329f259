//! `fleksim calibrate`: fit a scenario's parameters to observed figures,
//! with a weighted sample of parameter points as the answer (the
//! posterior), not one best point.
//!
//! A calibration file names a base scenario, the parameters to fit (dotted
//! keys with priors) and the targets (observed figures with tolerances);
//! docs/calibration.md gives the format. The method is likelihood-free
//! (ABC-SMC, [`smc`]): points whose simulated targets all fall inside
//! their tolerances are kept, the tolerances narrow generation by
//! generation, and the importance weights keep the sample a posterior.
//!
//! Every point runs replications `0..R` with the calibration's seed
//! (common random numbers: two points differ by their parameters, not by
//! chance), through the [`crate::analysis::runner`], points of a batch in
//! parallel; a point's distance is the largest over the targets of
//! |mean simulated − observed| in units of the tolerance on that side.
//!
//! The modules, in the order data flows:
//! - [`file`]: the calibration file and a targets CSV, checked.
//! - [`target`]: a target's value in one replication, and its distance.
//! - [`smc`]: the sampler (no IO).
//! - [`output`]: the results folder (checkpoint after each generation,
//!   then `posterior.csv`, `fit.csv`, `fit_monthly.csv`, `generations.csv`,
//!   `calibrated.toml`, `manifest.json`), always through
//!   [`crate::output::folder::AtomicDir`].
//!
//! Invariants: the posterior does not depend on the thread count; a run
//! stopped after generation `g` and resumed gives the files of a run that
//! was never stopped.

pub mod file;
pub mod output;
pub mod smc;
pub mod target;

pub use file::Calibration;

use crate::analysis::runner::{Lane, Runner};
use crate::input::uncertain::Draw;
use crate::sim::plan::Plan;
use file::Parameter;
use output::PointRun;
use rayon::prelude::*;
use smc::PriorFn;

impl PriorFn for Parameter {
    fn quantile(&self, q: f64) -> f64 {
        self.prior.quantile(q)
    }
    fn density(&self, x: f64) -> f64 {
        self.prior.density(x)
    }
    fn integer(&self) -> bool {
        self.integer
    }
}

impl Calibration {
    /// The distinct monthly quantities of the targets, in target order
    /// (the rows of `fit_monthly.csv`), with a target of each.
    pub fn series_metrics(&self) -> Vec<(String, usize)> {
        let mut out: Vec<(String, usize)> = Vec::new();
        for (k, t) in self.targets.iter().enumerate() {
            if t.monthly() && !out.iter().any(|(m, _)| *m == t.metric) {
                out.push((t.metric.clone(), k));
            }
        }
        out
    }

    /// Runs one point with replications `0..reps`; `Ok(None)` when its
    /// scenario is invalid (a combination the scenario refuses).
    pub fn run_point(
        &self,
        runner: &Runner,
        theta: &[f64],
        reps: u32,
        series: bool,
        progress: &(dyn Fn() + Sync),
    ) -> anyhow::Result<Option<PointRun>> {
        let model = match self.point_model(theta) {
            Ok(m) => m,
            Err(e) if e.is_input() => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let plan = Plan::new(&model.scenario(0, &Draw::Median)?);
        let metrics = if series {
            self.series_metrics()
        } else {
            Vec::new()
        };
        let mut out = PointRun::default();
        runner.stream(
            &[Lane::new(&model, &Draw::Median)],
            0..reps as u64,
            progress,
            |_, chunk| {
                for r in &chunk[0] {
                    out.values
                        .push(self.targets.iter().map(|t| t.value(&plan, r)).collect());
                    out.series.push(
                        metrics
                            .iter()
                            .map(|&(_, k)| {
                                (0..plan.months)
                                    .map(|t| self.targets[k].quantity.month_value(r, t))
                                    .collect()
                            })
                            .collect(),
                    );
                    out.person_months += r.person_months;
                }
                Ok::<_, anyhow::Error>(())
            },
        )?;
        Ok(Some(out))
    }

    /// A point's distance: the largest distance of a fitted target's mean
    /// over replications (∞ for an invalid point).
    pub fn distance(&self, run: Option<&PointRun>) -> f64 {
        let Some(run) = run else {
            return f64::INFINITY;
        };
        let n = run.values.len() as f64;
        self.targets
            .iter()
            .enumerate()
            .filter(|(_, t)| t.fitted)
            .map(|(k, t)| {
                let mean = run.values.iter().map(|v| v[k]).sum::<f64>() / n;
                t.distance(mean)
            })
            .fold(0.0, f64::max)
    }

    /// Runs points in parallel on `runner`, in the order given.
    pub fn run_points(
        &self,
        runner: &Runner,
        points: &[Vec<f64>],
        reps: u32,
        series: bool,
        progress: &(dyn Fn() + Sync),
    ) -> anyhow::Result<Vec<Option<PointRun>>> {
        runner.install(|| {
            points
                .par_iter()
                .map(|theta| {
                    let r = self.run_point(runner, theta, reps, series, &|| ());
                    progress();
                    r
                })
                .collect()
        })
    }

    /// The sampler's settings.
    pub fn settings(&self) -> smc::Settings {
        smc::Settings {
            seed: self.seed,
            particles: self.particles,
            initial_points: self.initial_points,
            generations: self.generations,
            reps_start: self.reps_start,
            reps_max: self.reps_max,
            quantile: self.quantile,
            max_evaluations: self.max_evaluations,
        }
    }
}

/// What a calibration did, for the command's summary.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub state: smc::State,
    /// The generation it resumed after, if it resumed.
    pub resumed_after: Option<u32>,
    pub fit: Vec<output::FitRow>,
    pub elapsed_seconds: f64,
    pub path: std::path::PathBuf,
}

/// Callbacks of a calibration: a point is done; `total(n)`: `n` more points
/// are about to run; a generation is complete.
pub struct Progress<'a> {
    pub point: &'a (dyn Fn() + Sync),
    pub total: &'a mut dyn FnMut(u64),
    pub generation: &'a mut dyn FnMut(&smc::Generation),
}

/// Runs (or resumes) a calibration into `out`.
pub fn calibrate(
    cal: &Calibration,
    runner: &Runner,
    out: &std::path::Path,
    progress: Progress,
) -> anyhow::Result<Outcome> {
    let started = std::time::Instant::now();
    let identity = output::Identity::new(cal)?;
    crate::output::folder::check_target(out, crate::output::folder::FolderKind::Calibration)?;
    let resumed = output::read_checkpoint(out, &identity, cal.parameters.len());
    let resumed_after = resumed.as_ref().map(|(s, _)| s.history.len() as u32 - 1);
    let prior_elapsed = resumed.as_ref().map_or(0.0, |(_, e)| *e);
    let priors: Vec<&dyn PriorFn> = cal.parameters.iter().map(|p| p as &dyn PriorFn).collect();
    let Progress {
        point,
        total,
        generation,
    } = progress;
    let mut eval = |points: &[Vec<f64>], reps: u32| -> anyhow::Result<Vec<f64>> {
        let runs = cal.run_points(runner, points, reps, false, point)?;
        Ok(runs.iter().map(|r| cal.distance(r.as_ref())).collect())
    };
    let mut checkpoint = |st: &smc::State| -> anyhow::Result<()> {
        if let Some(g) = st.history.last() {
            generation(g);
        }
        let elapsed = prior_elapsed + started.elapsed().as_secs_f64();
        output::write_checkpoint(out, cal, &identity, st, elapsed, runner.threads())
    };
    let state = smc::run(
        &cal.settings(),
        &priors,
        resumed.map(|(s, _)| s),
        &mut eval,
        &mut checkpoint,
        total,
    )?;
    // The posterior predictive: every particle again with the last
    // generation's replications, keeping the monthly series.
    let reps = state.replications().max(1);
    total(state.population.len() as u64);
    let thetas: Vec<Vec<f64>> = state.population.iter().map(|p| p.theta.clone()).collect();
    let runs = cal.run_points(runner, &thetas, reps, true, point)?;
    let elapsed = prior_elapsed + started.elapsed().as_secs_f64();
    let (path, fit) = output::write_final(
        out,
        cal,
        &identity,
        &state,
        &runs,
        elapsed,
        runner.threads(),
    )?;
    Ok(Outcome {
        state,
        resumed_after,
        fit,
        elapsed_seconds: elapsed,
        path,
    })
}
