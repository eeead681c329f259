//! # fleksim
//!
//! Simulates a Danish municipality's flexjob scheme (fleksjobordningen)
//! month by month and prices it: people on ledighedsydelse (LY, the benefit
//! while without a flexjob), people in flexjobs, and the money the
//! municipality pays and the state reimburses (refusion).
//!
//! The library is in layers, each a folder; a layer uses only those below
//! it (`tests/layers.rs` checks this, ARCHITECTURE.md maps them):
//! [`model`] (scenario types, validation, law tables, metrics) →
//! [`sim`] (streams, plan, people, engine) → [`input`] (TOML, `--set`,
//! distributions) → [`stats`] (streaming summaries) → [`output`] (CSV
//! bytes, results folders) → [`analysis`] (the runner; run, compare,
//! tornado, sweep) → [`report`] (the HTML page) → [`cli`] (flags, progress
//! bars, terminal tables, exit codes; the only code that prints).
//!
//! Data flows one way: scenario file → [`load`] (validated [`Scenario`])
//! → [`Plan`] (per-month tables) → [`engine`] (replications, pure
//! functions of plan and index), run in chunks by the [`runner`] →
//! [`stats`] (means and quantiles) → [`export`] (files, atomically).
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

pub mod analysis;
pub mod cli;
pub mod input;
pub mod model;
pub mod output;
pub mod report;
pub mod sim;
pub mod stats;

// The modules under their short names, for users of the library and the
// tests; inside the crate every path names its layer.
pub use analysis::{compare, run, runner, sweep, tornado};
pub use input::{load, uncertain};
pub use model::payer;
pub use model::{error, hash, kpi, limits, metrics, money, month, scenario, states, validate};
pub use output::export;
pub use sim::{engine, plan, population, rng};

pub use model::error::ScenarioError;
pub use model::month::Month;
pub use model::scenario::Scenario;
pub use sim::plan::Plan;
