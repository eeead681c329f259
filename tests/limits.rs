//! Bounded inputs (issue 9, items 7–12, 14 and the names of 15): every
//! count, rate, amount and file size has a documented limit; input beyond
//! it is refused with exit code 2 and a message naming the file, the key
//! and what is allowed, and every file that was there before is still
//! there, byte for byte, with nothing added.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A temporary folder with the Markov scenario as `s.toml`, a user's file
/// and an earlier run's results, so that a refusal can be checked to leave
/// everything as it was.
struct Case {
    dir: tempfile::TempDir,
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A small, quick sweep over the Markov scenario.
const SWEEP_HEAD: &str = "scenario = \"s.toml\"\nreplications = 2\nset = { horizon_months = 3 }\n";

impl Case {
    fn new() -> Case {
        let c = Case {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::write(c.path("s.toml"), text(MARKOV)).unwrap();
        std::fs::create_dir_all(c.path("mine")).unwrap();
        std::fs::write(c.path("mine/notes.txt"), "a user's file\n").unwrap();
        c.ok(&[
            "run",
            "s.toml",
            "--replications",
            "2",
            "--set",
            "horizon_months=3",
            "--out",
            "earlier",
            "--quiet",
        ]);
        c
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `s.toml` with `from` replaced by `to` as `name`.
    fn scenario(&self, name: &str, from: &str, to: &str) -> PathBuf {
        let text = text(MARKOV);
        assert!(text.contains(from), "markov-check.toml lacks `{from}`");
        let p = self.path(name);
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
        p
    }

    fn write(&self, name: &str, body: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, body).unwrap();
        p
    }

    fn output(&self, args: &[&str]) -> std::process::Output {
        fleksim()
            .current_dir(self.dir.path())
            .args(args)
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) {
        let o = self.output(args);
        assert!(
            o.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }

    /// Runs fleksim, which must exit 2 with every needle in its message,
    /// without a panic, and leave the folder exactly as it was.
    fn refused(&self, args: &[&str], needles: &[&str]) -> String {
        let before = snapshot(self.dir.path());
        let o = self.output(args);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        for n in needles {
            assert!(err.contains(n), "{args:?}: `{n}` not in: {err}");
        }
        let after = snapshot(self.dir.path());
        assert_eq!(
            before.keys().collect::<Vec<_>>(),
            after.keys().collect::<Vec<_>>(),
            "{args:?} added or removed files"
        );
        assert!(before == after, "{args:?} changed a file");
        err
    }

    /// `fleksim run FILE --out out --quiet EXTRA…` refused.
    fn run_refused(&self, file: &str, extra: &[&str], needles: &[&str]) -> String {
        let mut args = vec!["run", file, "--out", "out", "--quiet"];
        args.extend_from_slice(extra);
        self.refused(&args, needles)
    }
}

// 7. Population, rates, horizon, replications, prior weeks, threads.

#[test]
fn population_and_rate_limits() {
    let c = Case::new();
    for (set, key, allowed) in [
        ("initial.ly=100000000", "initial.ly", "at most 2000000"),
        ("initial.flex=5000000", "initial.flex", "at most 2000000"),
        (
            "inflow.visitations_per_month=1e9",
            "inflow.visitations_per_month",
            "at most 10000",
        ),
        (
            "inflow.direct_per_month=20000",
            "inflow.direct_per_month",
            "at most 10000",
        ),
        ("horizon_months=5000", "horizon_months", "1 to 1200"),
        ("replications=2000000", "replications", "1 to 1000000"),
        (
            "ly.frailty_shape=1e-320",
            "ly.frailty_shape",
            "0.001 to 1000",
        ),
        (
            "money.refusion.prior_weeks=[{from=0,to=4000000000,share=1.0}]",
            "money.refusion.prior_weeks[0]",
            "≤ 2600",
        ),
    ] {
        c.run_refused("s.toml", &["--set", set], &["s.toml", key, allowed]);
        c.refused(&["validate", "s.toml", "--set", set], &[key, allowed]);
    }
    // Each rate is fine, but together over the horizon they are too many
    // people.
    c.run_refused(
        "s.toml",
        &[
            "--set",
            "inflow.visitations_per_month=9000",
            "--set",
            "horizon_months=1200",
        ],
        &["`inflow`", "people per replication", "at most 2000000"],
    );
    c.refused(
        &["run", "s.toml", "--threads", "5000", "--out", "out"],
        &["--threads", "0 (all cores) to 1024"],
    );
    for cmd in [
        vec!["run", "s.toml"],
        vec!["compare", "s.toml", "s.toml"],
        vec!["tornado", "s.toml"],
    ] {
        let mut args = cmd.clone();
        args.extend(["--replications", "2000000", "--out", "out"]);
        let err = c.refused(&args, &["--replications", "1..=1000000"]);
        assert!(!err.contains("s.toml"), "blamed on the scenario: {err}");
    }
}

#[test]
fn a_distribution_must_not_draw_beyond_a_limit() {
    let c = Case::new();
    // A lognormal with a long tail can draw 1e9 arrivals a month.
    let wide = c.scenario(
        "wide.toml",
        "visitations_per_month = 15.0",
        "visitations_per_month = { dist = \"lognormal\", median = 15.0, p95 = 1000.0 }",
    );
    c.run_refused(
        s(&wide),
        &[],
        &[
            "wide.toml",
            "inflow.visitations_per_month",
            "the distribution can draw",
            "at most 10000",
        ],
    );
    // A uniform whose support passes the limit.
    let uniform = c.scenario(
        "uniform.toml",
        "direct_per_month = 10.0",
        "direct_per_month = { dist = \"uniform\", min = 0, max = 12000 }",
    );
    c.run_refused(
        s(&uniform),
        &[],
        &[
            "inflow.direct_per_month",
            "the distribution can draw 1199",
            "10000",
        ],
    );
    // A narrow one is fine.
    let narrow = c.scenario(
        "narrow.toml",
        "visitations_per_month = 15.0",
        "visitations_per_month = { dist = \"gamma\", shape = 100.0, scale = 0.15 }",
    );
    c.ok(&["validate", s(&narrow)]);
}

#[test]
fn a_run_that_needs_more_memory_than_the_machine_has_is_refused() {
    let c = Case::new();
    let sets = [
        "--set",
        "initial.ly=1900000",
        "--threads",
        "1024",
        "--replications",
        "1000",
    ];
    let s_ = fleksim::input::load_file(&c.path("s.toml"), &["initial.ly=1900000".into()]).unwrap();
    let need = fleksim::limits::estimate_bytes(&s_, 1024, 1);
    assert!(need > 400_000_000_000, "estimate {need}");
    match fleksim::limits::available_bytes() {
        Some(avail) if avail < need => {
            c.run_refused("s.toml", &sets, &["estimated", "MB of memory", "available"]);
        }
        _ => eprintln!("skipped: MemAvailable unreadable or above {need} bytes"),
    }
    // The estimate and the refusal themselves, independent of the machine.
    let e = fleksim::limits::check_memory_against(need, Some(1 << 30)).unwrap_err();
    assert!(e.to_string().contains("1074 MB available"), "{e}");
    assert!(fleksim::limits::check_memory_against(need, None).is_ok());
}

#[test]
fn sweep_point_limits() {
    let c = Case::new();
    let lhs = c.write(
        "lhs.toml",
        &format!(
            "{SWEEP_HEAD}[lhs]\npoints = 200000\nranges = {{ \"staffing.consultants\" = [10, 20] }}\n"
        ),
    );
    c.refused(
        &["sweep", s(&lhs), "--out", "sw", "--quiet"],
        &["lhs.toml", "lhs.points", "1 to 100000"],
    );
    let axis = c.write(
        "axis.toml",
        &format!("{SWEEP_HEAD}[axes]\n\"staffing.consultants\" = {{ from = 0, to = 1000000 }}\n"),
    );
    c.refused(
        &["sweep", s(&axis), "--out", "sw", "--quiet"],
        &[
            "axis.toml",
            "staffing.consultants",
            "at most 10000 per axis",
        ],
    );
    // 100,000 hypercube points × 20 grid values are each allowed, but not
    // 2 million points.
    let many = c.write(
        "many.toml",
        &format!(
            "{SWEEP_HEAD}[axes]\n\"staffing.consultants\" = {{ from = 1, to = 20 }}\n\
             [lhs]\npoints = 100000\nranges = {{ \"staffing.elasticity\" = [0.0, 1.0] }}\n"
        ),
    );
    c.refused(
        &["sweep", s(&many), "--out", "sw", "--quiet"],
        &["many.toml", "allowed at most 1000000"],
    );
    let reps = c.write(
        "reps.toml",
        "scenario = \"s.toml\"\nreplications = 2000000\n[axes]\n\"staffing.consultants\" = [1]\n",
    );
    c.refused(
        &["sweep", s(&reps), "--out", "sw", "--quiet"],
        &["reps.toml", "replications", "1 to 1000000"],
    );
}

// 8. `merge` must not trust `sweep.points` in the part manifests.

#[test]
fn merge_refuses_a_tampered_point_count() {
    let c = Case::new();
    let sweep = c.write(
        "sw.toml",
        &format!("{SWEEP_HEAD}[axes]\n\"staffing.consultants\" = [1, 2, 3]\n"),
    );
    for k in ["0", "1"] {
        c.ok(&[
            "sweep",
            s(&sweep),
            "--out",
            "sw",
            "--quiet",
            "--shard-index",
            k,
            "--shard-count",
            "2",
        ]);
    }
    for points in [u64::MAX / 2, 4_000_000, 4] {
        for k in 0..2 {
            let m = c.path(&format!("sw/part-{k}-of-2/manifest.json"));
            let mut v: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&m).unwrap()).unwrap();
            v["sweep"]["points"] = points.into();
            std::fs::write(&m, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
        }
        let err = c.refused(&["merge", "sw", "--quiet"], &["manifest", "points"]);
        assert!(
            err.contains("allowed 1 to 1000000") || err.contains("should hold"),
            "{err}"
        );
    }
}

// 9. Scenario and sweep files are read with a size cap.

#[test]
fn huge_and_endless_files_are_refused_quickly() {
    let c = Case::new();
    let big = c.path("big.toml");
    let mut text = text(MARKOV);
    text.push_str(&format!("# {}\n", "x".repeat(17 * 1024 * 1024)));
    std::fs::write(&big, text).unwrap();
    let clock = Instant::now();
    c.refused(&["validate", s(&big)], &["big.toml", "larger than 16 MB"]);
    c.run_refused(s(&big), &[], &["big.toml", "larger than 16 MB"]);
    let sweep = c.write(
        "bigsweep.toml",
        &format!("{SWEEP_HEAD}# {}\n", "x".repeat(17 << 20)),
    );
    c.refused(
        &["sweep", s(&sweep), "--out", "sw", "--quiet"],
        &["bigsweep.toml", "larger than 16 MB"],
    );
    if Path::new("/dev/zero").exists() {
        c.refused(
            &["validate", "/dev/zero"],
            &["/dev/zero", "larger than 16 MB"],
        );
        c.refused(
            &["sweep", "/dev/zero", "--out", "sw", "--quiet"],
            &["/dev/zero", "larger than 16 MB"],
        );
    }
    assert!(
        clock.elapsed() < Duration::from_secs(30),
        "{:?}",
        clock.elapsed()
    );
}

// 10. A rate the Poisson sampler cannot take is refused, never zero arrivals.

#[test]
fn an_absurd_arrival_rate_is_refused_not_zero() {
    let c = Case::new();
    let f = c.scenario(
        "rate.toml",
        "visitations_per_month = 15.0",
        "visitations_per_month = 1e20",
    );
    c.refused(
        &["validate", s(&f)],
        &[
            "rate.toml",
            "inflow.visitations_per_month",
            "1e20",
            "at most 10000",
        ],
    );
    c.run_refused(s(&f), &[], &["inflow.visitations_per_month"]);
    // At the limit itself the engine draws arrivals (and does not fail).
    let scenario = load(
        MARKOV,
        &[
            "inflow.visitations_per_month=10000",
            "horizon_months=1",
            "initial.ly=0",
            "initial.flex=0",
        ],
    );
    let reps = run(&plan(&scenario), 1);
    let visitations = fleksim::metrics::index("visitations").unwrap();
    assert!(reps[0].get(0, visitations) > 9000.0);
}

// 11. Money beyond its limit is refused; nothing non-finite is written.

#[test]
fn absurd_money_is_refused() {
    let c = Case::new();
    for (set, key) in [
        ("staffing.consultants=1e308", "staffing.consultants"),
        ("money.wage_per_hour=1e308", "money.wage_per_hour"),
        (
            "money.consultant_annual_cost=1e300",
            "money.consultant_annual_cost",
        ),
        (
            "money.law=[{year=2016,dp_max=1e308,subsidy_max=1.0,threshold=1.0}]",
            "money.law[0].dp_max",
        ),
        ("money.grant_amount=1e11", "money.grant_amount"),
        (
            "money.measures.per_contact=1e200",
            "money.measures.per_contact",
        ),
    ] {
        c.run_refused(
            "s.toml",
            &["--set", set],
            &["s.toml", key, "allowed at most"],
        );
    }
}

#[test]
fn a_non_finite_number_is_never_formatted() {
    use fleksim::export::num;
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let e = num(bad).unwrap_err();
        assert!(e.to_string().contains("never writes"), "{e}");
    }
    assert_eq!(num(0.0).unwrap(), "0");
    assert_eq!(num(-0.0).unwrap(), "0");
    assert_eq!(num(1.5).unwrap(), "1.5");
    assert_eq!(num(1e308).unwrap(), format!("{}", 1e308));
}

// 12. A sweep axis with a step too fine for its range.

#[test]
fn a_tiny_step_is_refused_not_zero_points() {
    let c = Case::new();
    for (step, shown) in [("1e-300", "values"), ("1e-12", "values")] {
        let f = c.write(
            "tiny.toml",
            &format!(
                "{SWEEP_HEAD}[axes]\n\"staffing.elasticity\" = {{ from = 0.0, to = 1.0, step = {step} }}\n"
            ),
        );
        c.refused(
            &["sweep", s(&f), "--out", "sw", "--quiet"],
            &[
                "tiny.toml",
                "staffing.elasticity",
                shown,
                "at most 10000 per axis",
            ],
        );
        std::fs::remove_file(&f).unwrap();
    }
}

// 14. Seeds beyond a TOML integer are flag errors, on every command.

#[test]
fn a_seed_beyond_i64_is_a_flag_error() {
    let c = Case::new();
    let big = "9223372036854775808";
    for args in [
        vec!["run", "s.toml", "--seed", big, "--out", "out"],
        vec!["compare", "s.toml", "s.toml", "--seed", big, "--out", "out"],
        vec!["tornado", "s.toml", "--seed", big, "--out", "out"],
    ] {
        let err = c.refused(&args, &["--seed", big, "0..=9223372036854775807"]);
        assert!(!err.contains("s.toml"), "blamed on the scenario: {err}");
    }
    // The largest allowed seed works.
    c.ok(&[
        "run",
        "s.toml",
        "--seed",
        "9223372036854775807",
        "--replications",
        "2",
        "--set",
        "horizon_months=2",
        "--out",
        "maxseed",
        "--quiet",
    ]);
    // In a scenario file and a sweep file, TOML itself cannot hold it.
    let f = c.scenario("seed.toml", "seed = 1", &format!("seed = {big}"));
    c.refused(&["validate", s(&f)], &["seed.toml"]);
    let sw = c.write(
        "seedsweep.toml",
        &format!("{SWEEP_HEAD}seed = {big}\n[axes]\n\"staffing.consultants\" = [1]\n"),
    );
    c.refused(
        &["sweep", s(&sw), "--out", "sw", "--quiet"],
        &["seedsweep.toml"],
    );
}

// 15. Names a file system cannot take.

#[test]
fn names_must_fit_a_file_system() {
    let c = Case::new();
    let long = "a".repeat(250);
    for name in [long.as_str(), ".", "..", ".hidden", "a/b", "a\\\\b", ""] {
        let f = c.scenario(
            "named.toml",
            "name = \"markov-check\"",
            &format!("name = \"{name}\""),
        );
        c.refused(&["validate", s(&f)], &["named.toml", "`name`", "1 to 100"]);
        c.refused(&["run", s(&f), "--quiet"], &["named.toml", "`name`"]);
        let sw = c.write(
            "namedsweep.toml",
            &format!("name = \"{name}\"\n{SWEEP_HEAD}[axes]\n\"staffing.consultants\" = [1]\n"),
        );
        c.refused(
            &["sweep", s(&sw), "--quiet"],
            &["namedsweep.toml", "`name`", "1 to 100"],
        );
    }
    // 100 characters are fine.
    let f = c.scenario(
        "hundred.toml",
        "name = \"markov-check\"",
        &format!("name = \"{}\"", "b".repeat(100)),
    );
    c.ok(&["validate", s(&f)]);
}
