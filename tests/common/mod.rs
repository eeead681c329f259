//! Helpers shared by the integration tests. Every test reaches the library
//! through these few functions, so that an API change is fixed here once.
#![allow(dead_code)]

use fleksim::engine::{self, Replication};
use fleksim::runner::{Lane, Runner};
use fleksim::uncertain::{Draw, Model};
use fleksim::{metrics, Plan, Scenario, ScenarioError};
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
    fleksim::input::load_file(&root(rel), &owned(sets))
}

/// Loads scenario text with overrides (the file is named `x.toml`).
pub fn try_load_str(text: &str, sets: &[String]) -> Result<Scenario, ScenarioError> {
    fleksim::input::load_str(text, "x.toml", sets)
}

/// Compiles a scenario.
pub fn plan(s: &Scenario) -> Plan {
    Plan::new(s)
}

/// Runs `n` replications of a plan on `threads` threads.
pub fn run_threads(plan: &Plan, n: u64, threads: usize) -> Vec<Replication> {
    Runner::new(threads)
        .expect("thread pool")
        .collect_plan(plan, 0..n, &|| ())
}

/// Replications `first..first + n` of a model, drawn as `draw`, on two
/// threads.
pub fn run_model(model: &Model, first: u64, n: u64, draw: &Draw) -> Vec<Replication> {
    Runner::new(2)
        .expect("thread pool")
        .collect(Lane::new(model, draw), first..first + n, &|| ())
        .unwrap_or_else(|e| panic!("{e}"))
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

/// Every metric of every replication of `a` and `b`, and every cohort
/// figure, is the same to the bit in the months before `months`
/// (`usize::MAX`: all of them).
pub fn same_to_the_bit(what: &str, a: &[Replication], b: &[Replication], months: usize) {
    assert_eq!(a.len(), b.len());
    for (rep, (x, y)) in a.iter().zip(b).enumerate() {
        let n = (x.values.len() / metric_names().len()).min(months);
        for t in 0..n {
            for name in metric_names() {
                let (u, v) = (value(x, t, name), value(y, t, name));
                assert!(
                    u.to_bits() == v.to_bits(),
                    "{what}: replication {rep}, month {t}, {name}: {u} against {v}"
                );
            }
        }
        if months == usize::MAX {
            let same = x.cohorts.len() == y.cohorts.len()
                && x.cohorts
                    .iter()
                    .zip(&y.cohorts)
                    .all(|(u, v)| u.to_bits() == v.to_bits());
            assert!(same, "{what}: replication {rep}: cohort figures differ");
        }
    }
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

// ------------------------------------------------ single-person scenarios

/// One person on LY at the start and every stochastic part off: no
/// arrivals, no job finding, no exits, no frailty, no capacity effect, no
/// policies, no consultants, nominal prices, every refusion rule explicit.
/// Its initial spell duration is drawn (`initial.ly_le6m_share`), so pick a
/// seed with [`seed_with_initial_dur`] where the duration matters.
pub const ONE_PERSON: &str = r#"
name = "one-person"
start = "2016-11"
horizon_months = 14
replications = 1
seed = 1

[inflow]
visitations_per_month = 0.0
direct_per_month = 0.0

[initial]
ly = 1
ly_le6m_share = 1.0
ly_long_extra_mean = 0.0
flex = 0
old_rules = 0
hours = [{ from = 10, to = 10, share = 1.0 }]
progressed_share = 0.0
tenure_mean_months = 0.0

[ly]
find_job = [{ from = 0, p = 0.0 }]
exit = [{ from = 0, p = 0.0 }]
frailty_shape = 0.0

[flex]
dismissal = [{ from = 0, p = 0.0 }]
exit = [{ from = 0, p = 0.0 }]

[hours]
ceiling = [{ from = 10, to = 10, share = 1.0 }]
start = [{ from = 10, to = 10, share = 1.0 }]
p_up_organic = 0.0
p_down = 0.0
agreement_share = 0.0

[staffing]
consultants = 0
elasticity = 0.0

[money]
wage_per_hour = 180.0
indexation = 0.02
discount_rate = 0.035
price_year = 0
consultant_annual_cost = 0.0
old_rules_monthly_cost = 0.0
grant_amount = 0.0

[money.ly]
rate = 0.89
cash_children_share = 0.0
cash_single_share = 0.0

[money.refusion]
regime = "staircase"
initial_new_rules_share = 1.0
staircase_rates = [0.8, 0.4, 0.3, 0.2]
flat_ly_rate = 0.30
flat_ly_rate_active = 0.50
flat_flex_rate = 0.65
cap_months = 18
keep_flex_months = 9
prior_weeks = [{ from = 0, to = 0, share = 1.0 }]
"#;

/// [`ONE_PERSON`] with `--set`-style overrides; panics if refused.
pub fn one_person(sets: &[&str]) -> Scenario {
    try_load_str(ONE_PERSON, &owned(sets))
        .unwrap_or_else(|e| panic!("one-person scenario with {sets:?} refused: {e}"))
}

/// The first seed (from 0) at which replication 0's initial LY person of
/// [`ONE_PERSON`] with `sets` has spell duration `dur`; panics if none of
/// the first 5,000 seeds gives it.
pub fn seed_with_initial_dur(sets: &[&str], dur: u16) -> u64 {
    for seed in 0..5_000u64 {
        let mut all: Vec<&str> = sets.to_vec();
        let s = format!("seed={seed}");
        all.push(&s);
        let p = Plan::new(&one_person(&all));
        let person = fleksim::population::Factory::new(&p, 0).initial_ly(0);
        if person.dur == dur {
            return seed;
        }
    }
    panic!("no seed below 5000 gives an initial LY spell of {dur} months with {sets:?}");
}

/// A metric over all months of one replication.
pub fn series(r: &Replication, months: usize, name: &str) -> Vec<f64> {
    (0..months).map(|t| value(r, t, name)).collect()
}

/// Runs replication 0 of a scenario.
pub fn simulate_one(s: &Scenario) -> (Plan, Replication) {
    let p = Plan::new(s);
    let r = engine::simulate(&p, 0);
    (p, r)
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    path
}

/// Runs a `fleksim` command and checks that it failed with exit code 2,
/// without a panic, with every `needle` in stderr; returns stderr.
pub fn refused(mut cmd: assert_cmd::Command, needles: &[&str]) -> String {
    let output = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(
        output.status.code(),
        Some(2),
        "expected exit code 2 from {cmd:?}; stderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "panicked:\n{stderr}");
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "message of {cmd:?} lacks `{needle}`:\n{stderr}"
        );
    }
    stderr
}

/// Runs a `fleksim` command and checks that it succeeded; returns stdout.
pub fn succeeds(mut cmd: assert_cmd::Command) -> String {
    let output = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "{cmd:?} failed ({:?}):\n{stderr}",
        output.status.code()
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every file under `dir` with its bytes (links by their target).
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let rel = p.strip_prefix(dir).unwrap().to_path_buf();
            let ft = e.file_type().unwrap();
            if ft.is_symlink() {
                let t = std::fs::read_link(&p).unwrap();
                out.insert(rel, t.display().to_string().into_bytes());
            } else if ft.is_dir() {
                out.insert(rel, b"<dir>".to_vec());
                stack.push(p);
            } else {
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}
