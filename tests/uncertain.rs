//! Uncertain parameters (probabilistic sensitivity analysis): draws keyed
//! per parameter, numbers and medians, distributions that do not fit their
//! key, `--fixed`, uncertainty.csv and `fleksim tornado`.

mod common;

use common::*;
use fleksim::engine::{self, Replication};
use fleksim::uncertain::{Draw, Model};
use fleksim::Plan;
use std::path::Path;

const PSA: &str = "scenarios/aalborg-project-psa.toml";

/// The project scenario's text with `from` replaced by `to` (once; it must occur).
fn project_with(edits: &[(&str, &str)]) -> String {
    let mut text = text(PROJECT);
    for (from, to) in edits {
        assert_eq!(
            text.matches(from).count(),
            1,
            "aalborg-project.toml must hold `{from}` exactly once"
        );
        text = text.replacen(from, to, 1);
    }
    text
}

fn model(text: &str, sets: &[&str]) -> Model {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    Model::from_str(text, "x.toml", &sets).unwrap_or_else(|e| panic!("refused: {e}"))
}

fn param(m: &Model, path: &str) -> usize {
    m.params
        .iter()
        .position(|p| p.path == path)
        .unwrap_or_else(|| panic!("no uncertain parameter {path}"))
}

const JOBCLUB: &str = "effect = 1.25";
const REVIEW: &str = "effect = 1.20";
const REHAB: &str = "effect = 1.10";
const JOBCLUB_DIST: &str = r#"effect = { dist = "lognormal", median = 1.25, p95 = 1.6 }"#;

#[test]
fn a_parameters_draws_do_not_move_when_another_changes() {
    let a = model(
        &project_with(&[
            (JOBCLUB, JOBCLUB_DIST),
            (
                REVIEW,
                r#"effect = { dist = "uniform", min = 1.0, max = 1.4 }"#,
            ),
        ]),
        &[],
    );
    let b = model(
        &project_with(&[
            (JOBCLUB, JOBCLUB_DIST),
            (
                REVIEW,
                r#"effect = { dist = "triangular", min = 0.9, mode = 1.2, max = 1.6 }"#,
            ),
        ]),
        &[],
    );
    // Two more parameters, one of them listed before the jobclub's.
    let c = model(
        &project_with(&[
            (JOBCLUB, JOBCLUB_DIST),
            (
                REVIEW,
                r#"effect = { dist = "uniform", min = 1.0, max = 1.4 }"#,
            ),
            (
                REHAB,
                r#"effect = { dist = "gamma", shape = 20.0, scale = 0.055 }"#,
            ),
            (
                "agreement_up_multiplier = 2.0",
                r#"agreement_up_multiplier = { dist = "lognormal", median = 2.0, p95 = 3.0 }"#,
            ),
        ]),
        &[],
    );
    assert_eq!((a.params.len(), b.params.len(), c.params.len()), (2, 2, 4));
    let (ja, jb, jc) = (
        param(&a, "policy.jobclub.effect"),
        param(&b, "policy.jobclub.effect"),
        param(&c, "policy.jobclub.effect"),
    );
    let ra = param(&a, "policy.three_month_review.effect");
    let rb = param(&b, "policy.three_month_review.effect");
    let mut review_moved = false;
    let mut jobclub_varies = false;
    for rep in 0..50 {
        let (va, vb, vc) = (
            a.values(rep, &Draw::Random),
            b.values(rep, &Draw::Random),
            c.values(rep, &Draw::Random),
        );
        assert_eq!(
            va[ja], vb[jb],
            "replication {rep}: jobclub moved with the review"
        );
        assert_eq!(
            va[ja], vc[jc],
            "replication {rep}: jobclub moved with the rehab"
        );
        assert!((1.0..=1.4).contains(&va[ra]));
        review_moved |= va[ra] != vb[rb];
        jobclub_varies |= va[ja] != a.values(0, &Draw::Random)[ja];
        // The drawn scenario holds the drawn value.
        if rep < 3 {
            let s = a.scenario(rep, &Draw::Random).unwrap();
            assert_eq!(s.policy.jobclub.effect, va[ja]);
            assert_eq!(s.policy.three_month_review.effect, va[ra]);
        }
    }
    assert!(
        review_moved,
        "the review's draws did not change with its distribution"
    );
    assert!(
        jobclub_varies,
        "the jobclub effect is not drawn per replication"
    );
}

fn same(a: &[Replication], b: &[Replication], what: &str) {
    assert_eq!(a.len(), b.len());
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(x == y, "{what}: replication {k} differs");
    }
}

#[test]
fn a_number_equals_a_distribution_at_its_median() {
    let number = model(&text(PROJECT), &["horizon_months=24"]);
    let dist = model(
        &project_with(&[(JOBCLUB, JOBCLUB_DIST)]),
        &["horizon_months=24"],
    );
    assert!(!number.is_uncertain());
    assert_eq!(dist.params[0].median, 1.25, "the lognormal's median");
    let n = 6;
    let a = run_model(&number, 0, n, &Draw::Random);
    let b = run_model(&dist, 0, n, &Draw::Median);
    same(&a, &b, "a number vs its distribution at the median");
    // Drawn, the effect does change the results.
    let c = run_model(&dist, 0, n, &Draw::Random);
    assert!(a != c, "drawing the jobclub effect changed nothing");
}

#[test]
fn without_distributions_a_random_draw_is_the_plain_engine() {
    let m = model(&text(PROJECT), &["horizon_months=24"]);
    let a = run_model(&m, 0, 6, &Draw::Random);
    let plan = Plan::new(&m.base);
    let b: Vec<Replication> = (0..6).map(|r| engine::simulate(&plan, r)).collect();
    same(&a, &b, "Model::run vs engine::simulate");
    // A later range is the same replications.
    let c = run_model(&m, 3, 3, &Draw::Random);
    same(&a[3..], &c, "replications 3..6 run on their own");
}

// ------------------------------------------------------------ bad input

/// markov-check with `[hours] p_down = <value>`.
fn markov_with_p_down(dir: &Path, value: &str) -> std::path::PathBuf {
    let text = format!("{}\n[hours]\np_down = {value}\n", text(MARKOV));
    write_file(dir, "p.toml", &text)
}

fn validate(file: &Path) -> assert_cmd::Command {
    let mut cmd = fleksim();
    cmd.arg("validate").arg(file);
    cmd
}

#[test]
fn a_distribution_outside_its_keys_range_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let f = markov_with_p_down(dir.path(), r#"{ dist = "normal", mean = 0.01, sd = 0.01 }"#);
    refused(validate(&f), &["hours.p_down", "beta"]);
    let out = dir.path().join("out");
    let mut cmd = fleksim();
    cmd.arg("run").arg(&f).args(["--quiet", "--out"]).arg(&out);
    refused(cmd, &["hours.p_down"]);
    assert!(!out.exists());
    // The same through --set.
    let mut cmd = fleksim();
    cmd.args(["validate", MARKOV, "--set"])
        .arg(r#"hours.p_down={dist="uniform",min=0.5,max=1.5}"#);
    refused(cmd, &["hours.p_down"]);
    // A gamma can draw any positive number: not a probability.
    let f = markov_with_p_down(
        dir.path(),
        r#"{ dist = "gamma", shape = 2.0, scale = 0.005 }"#,
    );
    refused(validate(&f), &["hours.p_down"]);
}

#[test]
fn a_beta_on_a_probability_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let f = markov_with_p_down(dir.path(), r#"{ dist = "beta", mean = 0.01, sd = 0.005 }"#);
    let output = validate(&f).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("hours.p_down (median"), "{stderr}");
    // A uniform inside [0, 1] is accepted too.
    let f = markov_with_p_down(dir.path(), r#"{ dist = "uniform", min = 0.0, max = 0.02 }"#);
    succeeds(validate(&f));
}

#[test]
fn an_unknown_distribution_or_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let f = markov_with_p_down(
        dir.path(),
        r#"{ dist = "weibull", shape = 1.0, scale = 0.01 }"#,
    );
    refused(validate(&f), &["hours.p_down", "weibull", "beta"]);
    let f = markov_with_p_down(
        dir.path(),
        r#"{ dist = "beta", mean = 0.01, sd = 0.005, mode = 0.01 }"#,
    );
    refused(validate(&f), &["hours.p_down", "`mode`", "`mean`", "`sd`"]);
    let f = markov_with_p_down(dir.path(), r#"{ dist = "beta", mean = 0.01 }"#);
    refused(validate(&f), &["hours.p_down", "sd"]);
    let f = markov_with_p_down(
        dir.path(),
        r#"{ dist = "lognormal", median = 0.02, p95 = 0.01 }"#,
    );
    refused(validate(&f), &["hours.p_down", "median"]);
}

// ------------------------------------------------------------ --fixed

fn run_psa(out: &Path, extra: &[String]) {
    let mut cmd = fleksim();
    cmd.args([
        "run",
        PSA,
        "--replications",
        "20",
        "--set",
        "horizon_months=24",
    ])
    .args(extra)
    .args(["--quiet", "--out"])
    .arg(out);
    succeeds(cmd);
}

#[test]
fn fixed_is_every_distribution_at_its_median() {
    let psa = Model::load(&root(PSA), &[]).unwrap();
    assert!(psa.params.len() >= 2);
    let dir = tempfile::tempdir().unwrap();
    let (fixed, medians, drawn) = (
        dir.path().join("fixed"),
        dir.path().join("medians"),
        dir.path().join("drawn"),
    );
    run_psa(&fixed, &["--fixed".to_string()]);
    let sets: Vec<String> = psa
        .params
        .iter()
        .flat_map(|p| ["--set".to_string(), format!("{}={:?}", p.path, p.median)])
        .collect();
    run_psa(&medians, &sets);
    run_psa(&drawn, &[]);

    let bytes = |d: &Path, f: &str| std::fs::read(d.join(f)).unwrap();
    assert!(
        bytes(&fixed, "monthly.csv") == bytes(&medians, "monthly.csv"),
        "--fixed differs from every parameter set to its median"
    );
    assert!(
        bytes(&fixed, "monthly.csv") != bytes(&drawn, "monthly.csv"),
        "drawing the parameters changed nothing"
    );
    // uncertainty.csv only when parameters are drawn.
    assert!(!fixed.join("uncertainty.csv").exists());
    assert!(!medians.join("uncertainty.csv").exists());
    let rows = read_csv(&drawn.join("uncertainty.csv"));
    assert_eq!(
        rows[0].join(","),
        "metric,mean,p05,p95,fixed_mean,fixed_p05,fixed_p95,parameter_share"
    );
    assert!(rows.len() > 10);
    let mut some_share = false;
    for r in &rows[1..] {
        let share: f64 = r[7].parse().unwrap();
        assert!((0.0..=1.0).contains(&share), "{r:?}");
        some_share |= share > 0.0;
    }
    assert!(some_share, "no metric has any parameter uncertainty");
    // The fixed columns are the --fixed run's summary.
    let summary = read_csv(&fixed.join("summary.csv"));
    let net = rows
        .iter()
        .find(|r| r[0] == "net_municipal_cost_total")
        .unwrap();
    let fixed_net = summary
        .iter()
        .find(|r| r[0] == "net_municipal_cost_total")
        .unwrap();
    assert_eq!(net[4], fixed_net[1], "fixed_mean vs the --fixed run's mean");
    let manifest: serde_json::Value =
        serde_json::from_slice(&bytes(&fixed, "manifest.json")).unwrap();
    assert_eq!(manifest["fixed"], true);
}

// ------------------------------------------------------------- tornado

#[test]
fn tornado_has_one_row_per_parameter_by_swing() {
    let psa = Model::load(&root(PSA), &[]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut cmd = fleksim();
    cmd.args([
        "tornado",
        PSA,
        "--replications",
        "10",
        "--set",
        "horizon_months=24",
    ])
    .args(["--quiet", "--out"])
    .arg(&out);
    succeeds(cmd);
    let rows = read_csv(&out.join("tornado.csv"));
    assert_eq!(
        rows[0].join(","),
        "parameter,low_value,high_value,metric_low,metric_high,swing,base"
    );
    let mut names: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    names.sort();
    let mut want: Vec<&str> = psa.params.iter().map(|p| p.path.as_str()).collect();
    want.sort();
    assert_eq!(names, want, "one row per uncertain parameter");
    let f = |r: &Vec<String>, k: usize| -> f64 { r[k].parse().unwrap() };
    let swings: Vec<f64> = rows[1..].iter().map(|r| f(r, 5)).collect();
    assert!(
        swings.windows(2).all(|w| w[0] >= w[1]),
        "not sorted by swing: {swings:?}"
    );
    assert!(swings[0] > 0.0, "no parameter moves the metric");
    for r in &rows[1..] {
        assert!(f(r, 1) < f(r, 2), "low value below high value: {r:?}");
        // Each written in whole kroner (±0.5).
        check_close("swing", f(r, 5), (f(r, 4) - f(r, 3)).abs(), 1.5);
        assert_eq!(r[6], rows[1][6], "one base for every row");
        let p = &psa.params[param(&psa, &r[0])];
        // Written at 6 decimals.
        check_close("low value", f(r, 1), p.dist.quantile(0.05).unwrap(), 5e-7);
        check_close("high value", f(r, 2), p.dist.quantile(0.95).unwrap(), 5e-7);
    }
}

#[test]
fn tornado_refuses_a_scenario_without_distributions_and_unknown_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut cmd = fleksim();
    cmd.args([
        "tornado",
        PROJECT,
        "--replications",
        "2",
        "--quiet",
        "--out",
    ])
    .arg(&out);
    refused(cmd, &["no uncertain parameters"]);
    assert!(!out.exists());
    let mut cmd = fleksim();
    cmd.args([
        "tornado",
        PSA,
        "--replications",
        "2",
        "--metric",
        "nonsense",
    ])
    .args(["--quiet", "--out"])
    .arg(&out);
    refused(cmd, &["nonsense"]);
    assert!(!out.exists());
}
