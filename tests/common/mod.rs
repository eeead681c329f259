//! Helpers shared by the integration tests. Every test reaches the library
//! through these few functions, so that an API change is fixed here once.
#![allow(dead_code)]

use fleksim::engine::{self, Replication};
use fleksim::{load, metrics, Plan, Scenario, ScenarioError};
use std::path::{Path, PathBuf};

/// The plain Markov chain scenario (every mechanism off).
pub const MARKOV: &str = "scenarios/markov-check.toml";
/// The Aalborg project scenario (every mechanism on).
pub const PROJECT: &str = "scenarios/aalborg-project.toml";

/// A path inside the crate.
pub fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The text of a file inside the crate.
pub fn text(rel: &str) -> String {
    std::fs::read_to_string(root(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

fn owned(sets: &[&str]) -> Vec<String> {
    sets.iter().map(|s| s.to_string()).collect()
}

/// Loads a scenario of the crate with `--set`-style overrides; panics with
/// the loader's message if it is refused.
pub fn load(rel: &str, sets: &[&str]) -> Scenario {
    try_load(rel, sets).unwrap_or_else(|e| panic!("{rel} with {sets:?} refused: {e}"))
}

/// As [`load`], returning the loader's error.
pub fn try_load(rel: &str, sets: &[&str]) -> Result<Scenario, ScenarioError> {
    load::load_file(&root(rel), &owned(sets))
}

/// Loads scenario text with overrides (the file is named `x.toml`).
pub fn try_load_str(text: &str, sets: &[String]) -> Result<Scenario, ScenarioError> {
    load::load_str(text, "x.toml", sets)
}

/// Compiles a scenario.
pub fn plan(s: &Scenario) -> Plan {
    Plan::new(s)
}

/// Runs `n` replications of a plan on `threads` threads.
pub fn run_threads(plan: &Plan, n: u64, threads: usize) -> Vec<Replication> {
    engine::run(plan, n, threads, &|| ()).expect("thread pool")
}

/// Runs `n` replications of a plan on two threads.
pub fn run(plan: &Plan, n: u64) -> Vec<Replication> {
    run_threads(plan, n, 2)
}

/// Loads a crate scenario with overrides and runs `n` replications.
pub fn simulate(rel: &str, sets: &[&str], n: u64) -> (Plan, Vec<Replication>) {
    let p = plan(&load(rel, sets));
    let reps = run(&p, n);
    (p, reps)
}

/// The index of a metric by name; panics on an unknown name.
pub fn metric(name: &str) -> usize {
    metrics::index(name).unwrap_or_else(|| panic!("no metric `{name}`"))
}

/// Names of all metrics, in output order.
pub fn metric_names() -> Vec<&'static str> {
    metrics::METRICS.iter().map(|m| m.name).collect()
}

/// The value of a metric in month `t` of one replication.
pub fn value(r: &Replication, t: usize, name: &str) -> f64 {
    r.get(t, metric(name))
}

/// A metric in month `t` over all replications.
pub fn across(reps: &[Replication], t: usize, name: &str) -> Vec<f64> {
    let i = metric(name);
    reps.iter().map(|r| r.get(t, i)).collect()
}

/// Mean and standard error (sample sd / sqrt(n)) of values.
pub fn mean_se(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    assert!(n >= 2.0, "need at least two values for a standard error");
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// Asserts `|actual - expected| <= tol`, naming what is compared.
pub fn check_close(what: &str, actual: f64, expected: f64, tol: f64) {
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: got {actual}, expected {expected} (± {tol}, off by {})",
        (actual - expected).abs()
    );
}

/// Asserts two amounts agree to a relative tolerance (absolute near zero).
pub fn check_rel(what: &str, actual: f64, expected: f64, rel: f64) {
    let tol = rel * actual.abs().max(expected.abs()).max(1.0);
    check_close(what, actual, expected, tol);
}

/// The `fleksim` binary, run from the crate root.
pub fn fleksim() -> assert_cmd::Command {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("fleksim");
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// A CSV file as rows of fields (the result files quote nothing).
pub fn read_csv(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}
