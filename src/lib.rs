//! # fleksim
//!
//! Simulates a Danish municipality's flexjob scheme (fleksjobordningen)
//! month by month and prices it: people on ledighedsydelse (LY, the benefit
//! while without a flexjob), people in flexjobs, and the money the
//! municipality pays and the state reimburses (refusion).
//!
//! Data flows one way:
//! scenario file → [`load`] (validated [`Scenario`]) → [`Plan`] (per-month
//! tables) → [`engine`] (replications, pure functions of plan and index),
//! run in chunks by the [`runner`] → [`stats`] (means and quantiles) →
//! [`export`] (files, atomically).
//!
//! ```
//! use fleksim::runner::{Lane, Runner};
//! use fleksim::stats::RunSummaries;
//! use fleksim::uncertain::{Draw, Model};
//! use fleksim::Plan;
//! let model = Model::load("scenarios/markov-check.toml".as_ref(), &[]).unwrap();
//! let plan = Plan::new(&model.base);
//! let mut run = RunSummaries::new(&plan);
//! Runner::new(1)
//!     .unwrap()
//!     .stream(&[Lane::new(&model, &Draw::Random)], 0..10, &|| (), |_, chunk| {
//!         chunk[0].iter().for_each(|r| drop(run.push(&plan, r)));
//!         Ok::<_, fleksim::ScenarioError>(())
//!     })
//!     .unwrap();
//! let monthly = run.finish().monthly;
//! assert_eq!(monthly.len(), plan.months * fleksim::metrics::N);
//! ```

pub mod cli;
pub mod compare;
pub mod engine;
pub mod error;
pub mod export;
pub mod hash;
pub mod kpi;
pub mod limits;
pub mod load;
pub mod metrics;
pub mod money;
pub mod month;
pub mod output;
pub mod plan;
pub mod population;
pub mod progress;
pub mod report;
pub mod rng;
pub mod run;
pub mod runner;
pub mod scenario;
pub mod stats;
pub mod sweep;
pub mod tornado;
pub mod uncertain;
pub mod validate;

pub use error::ScenarioError;
pub use month::Month;
pub use plan::Plan;
pub use scenario::Scenario;
