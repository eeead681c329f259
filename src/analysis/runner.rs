//! The runner: where every command's replications come from.
//!
//! `run`, `compare`, `tornado` and `sweep` all get their replications the
//! same way, so that the same scenario, seed and replications give the same
//! figures whichever command asks:
//!
//! - A [`Runner`] owns the command's one thread pool (made once, errors
//!   typed).
//! - [`Runner::stream`] runs one or more [`Lane`]s (a model and how its
//!   uncertain parameters are drawn) over a range of replications, in
//!   chunks of [`CHUNK`] replications, and hands each chunk to a sink in
//!   replication order: chunk `k` of every lane before chunk `k + 1` of any.
//!   Replications run in parallel within a chunk and come back in index
//!   order, so the sink sees the same values in the same order whatever the
//!   thread count, and memory holds one chunk per lane.
//! - The sink folds the chunk into the summaries the command asks for,
//!   with the one estimator of [`crate::stats`] ([`crate::stats::RunSummaries`]
//!   for a run's files, [`crate::stats::Accumulator`] for any other cells).
//!
//! ```
//! use fleksim::runner::{Lane, Runner};
//! use fleksim::uncertain::{Draw, Model};
//! let model = Model::load("scenarios/markov-check.toml".as_ref(), &["horizon_months=12".into()]).unwrap();
//! let runner = Runner::new(1).unwrap();
//! let mut n = 0;
//! runner
//!     .stream(&[Lane::new(&model, &Draw::Random)], 0..10, &|| (), |first, lanes| {
//!         assert_eq!(first, n);
//!         n += lanes[0].len() as u64;
//!         Ok::<_, fleksim::ScenarioError>(())
//!     })
//!     .unwrap();
//! assert_eq!(n, 10);
//! ```

use crate::input::uncertain::{Draw, Model};
use crate::model::error::ScenarioError;
use crate::sim::engine::{self, Population, Replication};
use crate::sim::plan::Plan;
use rayon::prelude::*;
use std::ops::Range;

pub use crate::model::limits::CHUNK;

/// The thread pool could not start.
#[derive(Debug, thiserror::Error)]
#[error("cannot start {threads} worker threads")]
pub struct PoolError {
    pub threads: usize,
    #[source]
    pub source: rayon::ThreadPoolBuildError,
}

/// One stream of replications: a model and how its uncertain parameters
/// are drawn.
#[derive(Debug, Clone, Copy)]
pub struct Lane<'a> {
    pub model: &'a Model,
    pub draw: &'a Draw,
}

impl<'a> Lane<'a> {
    pub fn new(model: &'a Model, draw: &'a Draw) -> Lane<'a> {
        Lane { model, draw }
    }

    /// The plan every replication of this lane shares, if they share one:
    /// without uncertain parameters, or with parameters not drawn per
    /// replication (medians, tornado ends).
    fn shared_plan(&self, first: u64) -> Result<Option<Plan>, ScenarioError> {
        if self.model.is_uncertain() && *self.draw == Draw::Random {
            return Ok(None);
        }
        Ok(Some(Plan::new(&self.model.scenario(first, self.draw)?)))
    }
}

/// A command's thread pool and the way it runs replications.
#[derive(Debug)]
pub struct Runner {
    pool: rayon::ThreadPool,
}

impl Runner {
    /// A runner with `threads` worker threads (0 = all cores).
    pub fn new(threads: usize) -> Result<Runner, PoolError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|source| PoolError { threads, source })?;
        Ok(Runner { pool })
    }

    /// Number of worker threads.
    pub fn threads(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// Runs `op` on the pool: for work that is parallel beyond one stream
    /// (a sweep's points) and for finishing summaries. A [`Runner::stream`]
    /// called from inside runs on the same threads.
    pub fn install<R: Send>(&self, op: impl FnOnce() -> R + Send) -> R {
        self.pool.install(op)
    }

    /// Runs replications `reps` of every lane, [`CHUNK`] at a time, and
    /// calls `sink(first, lanes)` for each chunk in replication order, with
    /// `lanes[i]` holding lane `i`'s replications `first..first + len`.
    /// `progress` is called once per replication of each lane.
    pub fn stream<E: From<ScenarioError>>(
        &self,
        lanes: &[Lane],
        reps: Range<u64>,
        progress: &(dyn Fn() + Sync),
        mut sink: impl FnMut(u64, &[Vec<Replication>]) -> Result<(), E>,
    ) -> Result<(), E> {
        let plans = lanes
            .iter()
            .map(|l| l.shared_plan(reps.start))
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::with_capacity(lanes.len());
        let mut first = reps.start;
        while first < reps.end {
            let chunk = first..CHUNK.min(reps.end - first) + first;
            out.clear();
            for (lane, plan) in lanes.iter().zip(&plans) {
                let r = self
                    .pool
                    .install(|| run_chunk(lane, plan.as_ref(), chunk.clone(), progress))?;
                out.push(r);
            }
            sink(first, &out)?;
            first = chunk.end;
        }
        Ok(())
    }

    /// All replications `reps` of one lane, in index order (for tests and
    /// small runs: memory grows with the number of replications).
    pub fn collect(
        &self,
        lane: Lane,
        reps: Range<u64>,
        progress: &(dyn Fn() + Sync),
    ) -> Result<Vec<Replication>, ScenarioError> {
        let mut all = Vec::with_capacity((reps.end - reps.start) as usize);
        self.stream(&[lane], reps, progress, |_, lanes| {
            all.extend_from_slice(&lanes[0]);
            Ok::<_, ScenarioError>(())
        })?;
        Ok(all)
    }

    /// All replications `reps` of a compiled plan, in index order (for
    /// tests and benchmarks that change a plan directly).
    pub fn collect_plan(
        &self,
        plan: &Plan,
        reps: Range<u64>,
        progress: &(dyn Fn() + Sync),
    ) -> Vec<Replication> {
        self.pool.install(|| simulate_range(plan, reps, progress))
    }
}

/// Replications `reps` of one plan on the current pool, in index order.
fn simulate_range(plan: &Plan, reps: Range<u64>, progress: &(dyn Fn() + Sync)) -> Vec<Replication> {
    reps.into_par_iter()
        .map_init(Population::default, |pop, r| {
            let out = engine::simulate_with(plan, r, pop);
            progress();
            out
        })
        .collect()
}

/// One chunk of one lane on the current pool, in index order.
fn run_chunk(
    lane: &Lane,
    plan: Option<&Plan>,
    reps: Range<u64>,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<Replication>, ScenarioError> {
    match plan {
        Some(plan) => Ok(simulate_range(plan, reps, progress)),
        None => reps
            .into_par_iter()
            .map_init(Population::default, |pop, r| {
                let s = lane.model.scenario(r, lane.draw)?;
                let out = engine::simulate_with(&Plan::new(&s), r, pop);
                progress();
                Ok(out)
            })
            .collect(),
    }
}
