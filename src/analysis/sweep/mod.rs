//! `fleksim sweep` and `fleksim merge`: parameter sweeps, on one machine or
//! sharded over a cluster.
//!
//! A sweep file names a base scenario and axes; every combination is a
//! *point*, and each point runs the same number of replications with the
//! same seed, so points share their random numbers (common random numbers:
//! differences between points are the parameters', not chance's).
//!
//! ```toml
//! scenario = "aalborg-project.toml"   # relative to the sweep file
//! replications = 100                  # per point
//! seed = 2016                         # default: the scenario's
//! metrics = ["ly_share", "net_municipal_cost"]   # default: DEFAULT_METRICS
//! months = "yearly"                   # or "monthly"
//! set = { horizon_months = 60 }       # fixed overrides for every point
//!
//! [axes]                              # crossed; the last varies fastest
//! "staffing.consultants" = { from = 13, to = 19, step = 1 }
//! "policy.followup.enabled" = [true, false]
//!
//! [lhs]                               # a Latin hypercube, crossed with the grid
//! points = 200
//! seed = 7
//! ranges = { "policy.jobclub.effect" = [1.0, 1.5] }
//! ```
//!
//! The modules, in the order data flows:
//! - [`file`]: the sweep file's syntax (unknown keys are errors).
//! - [`axes`]: grid axis values and the Latin hypercube.
//! - [`design`]: [`Sweep`], the file resolved against its base scenario:
//!   axes expanded, hypercube drawn, every value tried, the design hashed.
//! - [`point`]: one point → its rows of `points.csv` and `results.csv`.
//! - [`shard`]: which points a process computes (flags or scheduler
//!   environment), and part folders.
//! - [`output`]: streaming points to disk, parts written atomically, final
//!   files moved into place with the manifest last.
//! - [`manifest`]: what identifies a sweep and its parts.
//! - [`merge`]: parts → final files.
//! - [`slurm`]: job-array scripts.
//!
//! Layout under `--out` (default `results/<sweep name>/`):
//!
//! ```text
//! points.csv  results.csv  manifest.json  timing.json   final (unsharded run or merge)
//! part-K-of-N/points.csv  results.csv  manifest.json      shard K of N
//! slurm/sweep.sbatch  merge.sbatch  submit.sh             from --emit-slurm N
//! ```
//!
//! Invariants: a point's bytes depend only on the sweep and the point
//! number (never on threads or shards); a merged folder's `points.csv`,
//! `results.csv` and `manifest.json` equal the unsharded run's byte for
//! byte; a part folder exists only when complete; memory is flat in the
//! number of points.

pub mod axes;
pub mod design;
pub mod file;
pub mod manifest;
pub mod merge;
pub mod output;
pub mod point;
pub mod shard;
pub mod slurm;

pub use design::{Overrides, Sweep};
