//! The command line: every bad input exits 2, writes nothing, never panics
//! and says what is wrong where; good input writes the documented files.

mod common;

use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A temporary folder holding bad scenarios and the would-be `--out` folder.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Case {
        Case {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes markov-check.toml with `from` replaced by `to` (which must occur).
    fn scenario(&self, from: &str, to: &str) -> PathBuf {
        let text = text(MARKOV);
        assert!(text.contains(from), "markov-check.toml lacks `{from}`");
        let path = self.path("bad.toml");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        path
    }

    /// Runs `fleksim run <scenario> <extra> --out <tmp>/out --quiet` and
    /// checks that it failed cleanly with every `needle` in the message.
    fn refused(&self, scenario: &Path, extra: &[&str], needles: &[&str]) -> String {
        let out = self.path("out");
        let output = fleksim()
            .arg("run")
            .arg(scenario)
            .args(extra)
            .arg("--out")
            .arg(&out)
            .arg("--quiet")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert_eq!(
            output.status.code(),
            Some(2),
            "expected exit code 2; stderr:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "panicked:\n{stderr}");
        assert!(stdout.is_empty(), "wrote to stdout:\n{stdout}");
        assert!(!out.exists(), "--out folder was created:\n{stderr}");
        self.no_stray_dirs();
        for needle in needles {
            assert!(
                stderr.contains(needle),
                "message lacks `{needle}`:\n{stderr}"
            );
        }
        stderr
    }

    fn no_stray_dirs(&self) {
        for entry in std::fs::read_dir(self.dir.path()).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                !name.starts_with(".out"),
                "stray temporary folder `{name}` next to --out"
            );
        }
    }
}

// ---------------------------------------------------------------- bad input

#[test]
fn missing_file() {
    let c = Case::new();
    let missing = c.path("no-such-scenario.toml");
    c.refused(&missing, &[], &["no-such-scenario.toml", "cannot read"]);
}

#[test]
fn malformed_toml() {
    let c = Case::new();
    let bad = c.scenario("horizon_months = 60", "horizon_months = = 60");
    c.refused(&bad, &[], &["bad.toml", "not valid TOML", "horizon_months"]);
    let bad = c.scenario("[inflow]", "[inflow");
    c.refused(&bad, &[], &["bad.toml", "not valid TOML", "line"]);
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let c = Case::new();
    let bad = c.scenario("visitations_per_month", "visitation_per_month");
    c.refused(
        &bad,
        &[],
        &[
            "bad.toml",
            "inflow.visitation_per_month",
            "unknown key",
            "Did you mean `visitations_per_month`?",
        ],
    );
    let bad = c.scenario("horizon_months", "horizon_month");
    c.refused(
        &bad,
        &[],
        &["bad.toml", "horizon_month", "`horizon_months`?"],
    );
    let bad = c.scenario("consultants = 13", "consultant = 13");
    c.refused(
        &bad,
        &[],
        &["bad.toml", "staffing.consultant", "`consultants`?"],
    );
}

/// The "Allowed here" list of an unknown nested key should list the keys of
/// that table only.
#[test]
fn unknown_key_lists_only_the_keys_of_its_table() {
    let c = Case::new();
    let bad = c.scenario("visitations_per_month", "visitation_per_month");
    let msg = c.refused(&bad, &[], &["Allowed here:"]);
    let allowed = msg.split("Allowed here:").nth(1).unwrap_or("");
    assert!(
        !allowed.contains("`inflow`"),
        "`inflow` listed as an allowed key of [inflow]:\n{msg}"
    );
    let bad = c.scenario("p = 0.065", "q = 0.065");
    let msg = c.refused(&bad, &[], &["ly.find_job[0].q", "`p_year`"]);
    let allowed = msg.split("Allowed here:").nth(1).unwrap_or("");
    assert!(
        !allowed.contains("`ly.find_job`"),
        "`ly.find_job` listed as an allowed key of a step:\n{msg}"
    );
}

#[test]
fn wrong_type() {
    let c = Case::new();
    let bad = c.scenario("horizon_months = 60", "horizon_months = \"ten\"");
    c.refused(
        &bad,
        &[],
        &["bad.toml", "horizon_months", "\"ten\"", "whole number"],
    );
    let bad = c.scenario("consultants = 13", "consultants = \"many\"");
    c.refused(&bad, &[], &["bad.toml", "staffing.consultants", "number"]);
}

#[test]
fn probability_outside_0_1() {
    let c = Case::new();
    let bad = c.scenario("p = 0.065", "p = 1.5");
    c.refused(
        &bad,
        &[],
        &["bad.toml", "ly.find_job[0].p", "1.5", "0 to 1"],
    );
    let bad = c.scenario("p = 0.009", "p = -0.1");
    c.refused(&bad, &[], &["bad.toml", "flex.exit[0].p", "0 to 1"]);
}

#[test]
fn negative_rate() {
    let c = Case::new();
    let bad = c.scenario("visitations_per_month = 15.0", "visitations_per_month = -3");
    c.refused(
        &bad,
        &[],
        &["bad.toml", "inflow.visitations_per_month", "-3", "≥ 0"],
    );
}

#[test]
fn negative_count() {
    let c = Case::new();
    let bad = c.scenario("ly = 334", "ly = -5");
    c.refused(&bad, &[], &["bad.toml", "initial.ly", "-5", "≥ 0"]);
}

#[test]
fn steps_not_starting_at_zero() {
    let c = Case::new();
    let bad = c.scenario("{ from = 0, p = 0.065 }", "{ from = 2, p = 0.065 }");
    c.refused(
        &bad,
        &[],
        &["bad.toml", "ly.find_job[0].from", "must start at 0"],
    );
}

#[test]
fn steps_not_increasing() {
    let c = Case::new();
    let bad = c.scenario(
        "{ from = 0, p = 0.065 }",
        "{ from = 0, p = 0.065 }, { from = 12, p = 0.05 }, { from = 6, p = 0.04 }",
    );
    c.refused(
        &bad,
        &[],
        &["bad.toml", "ly.find_job[2].from", "increasing"],
    );
    let bad = c.scenario(
        "{ from = 0, p = 0.0057 }",
        "{ from = 0, p = 0.0057 }, { from = 0, p = 0.004 }",
    );
    c.refused(
        &bad,
        &[],
        &["bad.toml", "flex.dismissal[1].from", "increasing"],
    );
}

#[test]
fn start_that_is_not_a_month() {
    let c = Case::new();
    let bad = c.scenario("start = \"2016-09\"", "start = \"2016-13\"");
    c.refused(&bad, &[], &["bad.toml", "start", "2016-13", "YYYY-MM"]);
}

#[test]
fn set_path_that_does_not_exist() {
    let c = Case::new();
    let good = root(MARKOV);
    c.refused(
        &good,
        &["--set", "staffing.consultantz=3"],
        &["staffing.consultantz", "Did you mean `consultants`?"],
    );
    c.refused(
        &good,
        &["--set", "stafing.consultants=3"],
        &["stafing", "`staffing`"],
    );
    c.refused(&good, &["--set", "consultants"], &["KEY=VALUE"]);
}

#[test]
fn set_value_that_is_invalid() {
    let c = Case::new();
    let good = root(MARKOV);
    c.refused(
        &good,
        &["--set", "horizon_months=ten"],
        &["markov-check.toml", "horizon_months", "whole number"],
    );
    c.refused(
        &good,
        &["--set", "ly.find_job=[{from=0,p=2}]"],
        &["markov-check.toml", "ly.find_job[0].p", "0 to 1"],
    );
    c.refused(
        &good,
        &["--set", "initial.ly=-5"],
        &["markov-check.toml", "initial.ly", "≥ 0"],
    );
}

/// Every error message names the file it is about.
#[test]
fn set_path_error_names_the_file() {
    let c = Case::new();
    c.refused(
        &root(MARKOV),
        &["--set", "staffing.consultantz=3"],
        &["markov-check.toml", "staffing.consultantz"],
    );
}

/// `capacity_max = nan` passes `capacity_max < capacity_min` (false for NaN).
#[test]
fn capacity_max_nan_is_refused() {
    let c = Case::new();
    c.refused(
        &root(MARKOV),
        &[
            "--set",
            "staffing.elasticity=0.5",
            "--set",
            "staffing.capacity_max=nan",
        ],
        &["markov-check.toml", "staffing.capacity_max"],
    );
    let bad = c.scenario("elasticity = 0.0", "elasticity = 0.5\ncapacity_max = nan");
    c.refused(&bad, &[], &["bad.toml", "staffing.capacity_max"]);
}

/// An `--out` that is an existing regular file must not be clobbered.
#[test]
fn out_that_is_a_file_is_left_alone() {
    let c = Case::new();
    let out = c.path("out");
    std::fs::write(&out, "precious").unwrap();
    let output = fleksim()
        .args([
            "run",
            MARKOV,
            "--replications",
            "2",
            "--set",
            "horizon_months=3",
        ])
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let names: Vec<String> = std::fs::read_dir(c.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["out".to_string()], "left behind: {names:?}");
    if output.status.success() {
        assert!(out.join("monthly.csv").exists(), "exit 0 without results");
    } else {
        assert_eq!(
            std::fs::read_to_string(&out).ok().as_deref(),
            Some("precious"),
            "failed run changed the existing file; stderr:\n{stderr}"
        );
    }
}

#[test]
fn zero_replications() {
    let c = Case::new();
    c.refused(
        &root(MARKOV),
        &["--replications", "0"],
        &["--replications", "0"],
    );
    c.refused(
        &root(MARKOV),
        &["--set", "replications=0"],
        &["markov-check.toml", "replications", "at least 1"],
    );
}

#[test]
fn validate_refuses_bad_input_with_exit_2() {
    let c = Case::new();
    let bad = c.scenario("p = 0.065", "p = 1.5");
    let output = fleksim().arg("validate").arg(&bad).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty());
    assert!(stderr.contains("ly.find_job[0].p"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

// --------------------------------------------------------------- good input

#[test]
fn validate_prints_every_default() {
    let output = fleksim().args(["validate", PROJECT]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let toml = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "[policy.followup]",
        "[policy.jobclub]",
        "[policy.screening]",
        "[money.refusion]",
        "capacity_min",
        "capacity_max",
        "hours_per_month",
        "reference_caseload",
        "staircase_rates",
        "flat_flex_rate",
        "cap_months",
        "prior_weeks",
        "ly_le6m_share",
        "frailty_shape",
        "[[old_rules.dismissal]]",
    ] {
        assert!(toml.contains(needle), "validate output lacks `{needle}`");
    }
    // The printed scenario is itself a valid scenario, the same one.
    let again = try_load_str(&toml, &[]).expect("validate output reloads");
    assert_eq!(again, load(PROJECT, &[]));
    // Defaults appear for a scenario that names none of them.
    let output = fleksim().args(["validate", MARKOV]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let toml = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "[policy.followup]",
        "capacity_min",
        "max_start_hours",
        "[hours]",
    ] {
        assert!(toml.contains(needle), "validate output lacks `{needle}`");
    }
}

const MONTHLY_METRICS: [&str; 14] = [
    "ly_stock",
    "ly_stock_le6m",
    "flex_stock",
    "flex_le10h",
    "ly_share",
    "progression_share",
    "visitations",
    "direct_hires",
    "hires",
    "dismissals",
    "exits_ly",
    "exits_flex",
    "consultants",
    "caseload",
];

fn run_ok(args: &[&str], out: &Path) {
    fleksim()
        .arg("run")
        .args(args)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .assert()
        .success();
}

#[test]
fn run_writes_the_documented_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    run_ok(&[MARKOV, "--replications", "20"], &out);

    let monthly = read_csv(&out.join("monthly.csv"));
    assert_eq!(monthly[0].join(","), "month,metric,mean,p05,p50,p95");
    let summary = read_csv(&out.join("summary.csv"));
    assert_eq!(summary[0].join(","), "metric,mean,p05,p50,p95");
    assert!(summary.len() > 1);
    let budget = read_csv(&out.join("budget.csv"));
    assert_eq!(budget[0].join(","), "year,metric,mean,p05,p50,p95,months");
    assert!(!out.join("replications.csv").exists());

    // Every metric in every month, once, with numbers.
    let s = load(MARKOV, &[]);
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for row in &monthly[1..] {
        assert_eq!(row.len(), 6, "row {row:?}");
        for x in &row[2..] {
            x.parse::<f64>()
                .unwrap_or_else(|_| panic!("`{x}` in {row:?} is not a number"));
        }
        *seen.entry((row[0].clone(), row[1].clone())).or_default() += 1;
    }
    for t in 0..s.horizon_months as usize {
        let month = s.month(t).to_string();
        for m in MONTHLY_METRICS {
            assert_eq!(
                seen.get(&(month.clone(), m.to_string())),
                Some(&1),
                "{m} in {month}"
            );
        }
    }
    let months: BTreeSet<&String> = seen.keys().map(|(m, _)| m).collect();
    assert_eq!(months.len(), s.horizon_months as usize);

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    for key in [
        "version",
        "scenario",
        "scenario_sha256",
        "seed",
        "replications",
        "threads",
        "person_months",
        "started",
        "finished",
    ] {
        assert!(manifest.get(key).is_some(), "manifest.json lacks `{key}`");
    }
    assert_eq!(manifest["replications"], 20);
    assert_eq!(manifest["seed"], s.seed);
    assert!(manifest["person_months"].as_u64().unwrap_or(0) > 0);
    let sha = manifest["scenario_sha256"].as_str().unwrap_or("");
    assert_eq!(sha.len(), 64, "scenario_sha256 `{sha}`");
    assert!(sha.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(
        !tmp.path().read_dir().unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".r")),
        "stray temporary folder next to --out"
    );
}

#[test]
fn rerun_replaces_an_existing_out_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    let args = [MARKOV, "--replications", "5", "--set", "horizon_months=6"];
    run_ok(&[&args[..], &["--per-replication"]].concat(), &out);
    assert!(out.join("replications.csv").exists());
    let before = std::fs::read(out.join("monthly.csv")).unwrap();
    run_ok(
        &[MARKOV, "--replications", "5", "--set", "horizon_months=12"],
        &out,
    );
    assert!(
        !out.join("replications.csv").exists(),
        "old folder not replaced whole"
    );
    let after = std::fs::read(out.join("monthly.csv")).unwrap();
    assert_ne!(before, after);
    assert_eq!(
        read_csv(&out.join("monthly.csv")).len(),
        1 + 12 * metric_names().len()
    );
    let names: Vec<String> = tmp
        .path()
        .read_dir()
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["r".to_string()], "left behind: {names:?}");
}

/// The mean, p05, p50 and p95 of a metric in every month.
fn monthly_values(out: &Path, metric: &str) -> Vec<(String, [f64; 4])> {
    read_csv(&out.join("monthly.csv"))[1..]
        .iter()
        .filter(|r| r[1] == metric)
        .map(|r| {
            let v: Vec<f64> = r[2..].iter().map(|x| x.parse().unwrap()).collect();
            (r[0].clone(), [v[0], v[1], v[2], v[3]])
        })
        .collect()
}

#[test]
fn set_consultants_is_reflected_in_the_consultants_metric() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    run_ok(
        &[
            MARKOV,
            "--replications",
            "5",
            "--set",
            "staffing.consultants=15",
            "--set",
            "horizon_months=12",
        ],
        &out,
    );
    let rows = monthly_values(&out, "consultants");
    assert_eq!(rows.len(), 12);
    for (month, v) in rows {
        assert_eq!(v, [15.0; 4], "consultants in {month}");
    }
    // With the project's time-limited addition on top.
    let out = tmp.path().join("p");
    run_ok(
        &[
            PROJECT,
            "--replications",
            "3",
            "--set",
            "staffing.consultants=15",
            "--set",
            "horizon_months=24",
        ],
        &out,
    );
    for (month, v) in monthly_values(&out, "consultants") {
        let want = if month.starts_with("2017") {
            17.0
        } else {
            15.0
        };
        assert_eq!(v, [want; 4], "consultants in {month}");
    }
}

#[test]
fn seed_and_replications_flags_override_the_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    run_ok(
        &[
            MARKOV,
            "--replications",
            "3",
            "--seed",
            "99",
            "--set",
            "horizon_months=3",
        ],
        &out,
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["seed"], 99);
    assert_eq!(manifest["replications"], 3);
}

/// Every command's `--help` documents every flag and ends with examples.
#[test]
fn every_flag_has_help_and_every_command_examples() {
    for cmd in [
        "run", "validate", "compare", "tornado", "sweep", "merge", "report",
    ] {
        let out = assert_cmd::Command::cargo_bin("fleksim")
            .unwrap()
            .args([cmd, "--help"])
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{cmd} --help");
        assert!(help.contains("Examples:\n  fleksim "), "{cmd}: no examples");
        let options = help.split("Examples:").next().unwrap_or_default();
        for line in options.lines() {
            let t = line.trim_start();
            if t.starts_with("--") || t.starts_with("-h") {
                // `--flag <VALUE>  text`: the text after the flag's column.
                let words: Vec<&str> = t.split("  ").filter(|w| !w.is_empty()).collect();
                assert!(words.len() >= 2, "{cmd}: `{t}` has no help text");
            }
        }
    }
}
