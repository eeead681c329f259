//! # fleksim
//!
//! Simulates a Danish municipality's flexjob scheme (fleksjobordningen)
//! month by month and prices it: people on ledighedsydelse (LY, the benefit
//! while without a flexjob), people in flexjobs, and the money the
//! municipality pays and the state reimburses (refusion).
//!
//! Data flows one way:
//! scenario file → [`load`] (validated [`Scenario`]) → [`Plan`] (per-month
//! tables) → [`engine`] (replications, pure functions of plan and index) →
//! [`stats`] (means and quantiles) → [`export`] (files, atomically).
//!
//! ```
//! use fleksim::{engine, load, stats, Plan};
//! let scenario = load::load_file("scenarios/markov-check.toml".as_ref(), &[]).unwrap();
//! let plan = Plan::new(&scenario);
//! let reps = engine::run(&plan, 10, 1, &|| ()).unwrap();
//! let monthly = stats::monthly(&reps, plan.months);
//! assert_eq!(monthly.len(), plan.months * fleksim::metrics::N);
//! ```

pub mod cli;
pub mod compare;
pub mod engine;
pub mod error;
pub mod export;
pub mod limits;
pub mod load;
pub mod metrics;
pub mod money;
pub mod month;
pub mod plan;
pub mod population;
pub mod report;
pub mod rng;
pub mod run;
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
