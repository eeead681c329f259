//! The analyses every command runs: the runner (one pool, one chunking),
//! run, compare, tornado and sweeps. They compute and stream results to
//! `output`; they never print.

pub mod break_even;
pub mod budget;
pub mod calibrate;
pub mod compare;
pub mod kpis;
pub mod run;
pub mod runner;
pub mod sweep;
pub mod tornado;
