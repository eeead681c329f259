//! `fleksim compare` (docs/model.md "What comes out": paired differences with
//! common random numbers): zero against itself, far less noise than two
//! independent runs, a difference known by hand, bad input, and the files.

mod common;

use common::*;
use fleksim::engine::Replication;
use fleksim::uncertain::{Draw, Model};
use std::path::Path;

const BASELINE: &str = "scenarios/aalborg-baseline.toml";
const PSA: &str = "scenarios/aalborg-project-psa.toml";

/// Runs `fleksim compare <files> <extra> --out <out> --quiet`; returns stdout.
fn compare(files: &[&Path], extra: &[&str], out: &Path) -> String {
    let mut cmd = fleksim();
    cmd.arg("compare")
        .args(files)
        .args(extra)
        .arg("--out")
        .arg(out)
        .arg("--quiet");
    succeeds(cmd)
}

fn path(rel: &str) -> std::path::PathBuf {
    root(rel)
}

// ------------------------------------------------------------ self, CRN

#[test]
fn a_scenario_compared_with_itself_differs_by_exactly_zero() {
    for rel in [PROJECT, PSA] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let p = path(rel);
        compare(
            &[&p, &p],
            &["--replications", "10", "--set", "horizon_months=24"],
            &out,
        );
        let rows = read_csv(&out.join("comparison.csv"));
        assert_eq!(
            rows[0].join(","),
            "scenario,month,metric,mean_diff,p05,p50,p95"
        );
        assert_eq!(rows.len() - 1, 24 * metric_names().len(), "{rel}");
        for r in &rows[1..] {
            for (k, v) in r[3..7].iter().enumerate() {
                assert_eq!(v, "0", "{rel}: {} column {} of {r:?}", r[2], k + 3);
            }
        }
        let rows = read_csv(&out.join("comparison_summary.csv"));
        assert!(rows.len() > 1);
        for r in &rows[1..] {
            for v in &r[3..7] {
                assert_eq!(v, "0", "{rel}: comparison_summary.csv row {r:?}");
            }
        }
        // Both runs are written, the second under a unique name.
        let name = rel
            .trim_start_matches("scenarios/")
            .trim_end_matches(".toml");
        for run in [name.to_string(), format!("{name}-2")] {
            let a = std::fs::read(out.join("runs").join(&run).join("monthly.csv"));
            assert!(a.is_ok(), "runs/{run}/monthly.csv missing");
        }
    }
}

/// Sample variance.
fn variance(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)
}

fn runs(rel: &str, sets: &[&str], n: u64) -> Vec<Replication> {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let model = Model::load(&root(rel), &sets).unwrap_or_else(|e| panic!("{rel}: {e}"));
    run_model(&model, 0, n, &Draw::Random)
}

#[test]
fn common_random_numbers_halve_the_variance_of_a_difference() {
    // ly_stock in 2018-03 (month 18 from 2016-09), 200 replications.
    const N: u64 = 200;
    let t = 18;
    let base = runs(BASELINE, &["horizon_months=24", "seed=2016"], N);
    let alt = runs(PROJECT, &["horizon_months=24", "seed=2016"], N);
    let indep = runs(PROJECT, &["horizon_months=24", "seed=99"], N);
    let b = across(&base, t, "ly_stock");
    let paired: Vec<f64> = across(&alt, t, "ly_stock")
        .iter()
        .zip(&b)
        .map(|(a, b)| a - b)
        .collect();
    let independent: Vec<f64> = across(&indep, t, "ly_stock")
        .iter()
        .zip(&b)
        .map(|(a, b)| a - b)
        .collect();
    let (vp, vi) = (variance(&paired), variance(&independent));
    let ratio = vp / vi;
    eprintln!(
        "CRN: variance of the paired difference of ly_stock at 2018-03 = {vp:.2}, \
         of two independent runs = {vi:.2}, ratio = {ratio:.3}"
    );
    assert!(vi > 0.0);
    assert!(
        ratio <= 0.5,
        "common random numbers remove too little noise: ratio {ratio:.3}"
    );
    // The project does change the LY stock (the comparison is not trivial).
    assert!(paired.iter().any(|d| *d != 0.0));
}

// ------------------------------------------------------- a known answer

/// The one-person scenario under another name and with `find_job` as given.
fn one_person_file(dir: &Path, name: &str, find: f64) -> std::path::PathBuf {
    let text = ONE_PERSON
        .replacen(r#"name = "one-person""#, &format!("name = \"{name}\""), 1)
        .replacen(
            "find_job = [{ from = 0, p = 0.0 }]",
            &format!("find_job = [{{ from = 0, p = {find:?} }}]"),
            1,
        );
    assert!(text.contains(&format!("name = \"{name}\"")));
    write_file(dir, &format!("{name}.toml"), &text)
}

#[test]
fn one_person_hired_at_once_differs_by_hand() {
    // Baseline: one person on LY all through 2017. Alternative: the same
    // person hired at the end of January, in a 10-hour flexjob from February.
    let dir = tempfile::tempdir().unwrap();
    let base = one_person_file(dir.path(), "stays", 0.0);
    let alt = one_person_file(dir.path(), "hired", 1.0);
    let out = dir.path().join("out");
    compare(
        &[&base, &alt],
        &[
            "--replications",
            "3",
            "--set",
            "start=2017-01",
            "--set",
            "horizon_months=12",
        ],
        &out,
    );
    let ly = 0.89 * 18_403.0; // LY of 2017
    let subsidy = 18_027.0 - 0.30 * (180.0 * 10.0 * 52.0 / 12.0); // 10 h in 2017
    let rows = read_csv(&out.join("comparison.csv"));
    let diff = |month: &str, metric: &str| -> [f64; 4] {
        let r = rows
            .iter()
            .find(|r| r[0] == "hired" && r[1] == month && r[2] == metric)
            .unwrap_or_else(|| panic!("comparison.csv lacks hired {month} {metric}"));
        [3, 4, 5, 6].map(|k| r[k].parse::<f64>().unwrap())
    };
    for t in 0..12 {
        let month = format!("2017-{:02}", t + 1);
        let want = [
            ("ly_stock", -1.0),
            ("flex_stock", 1.0),
            ("hires", if t == 0 { 1.0 } else { 0.0 }),
            ("cost_ly", if t == 0 { 0.0 } else { -ly }),
            ("cost_flex_subsidy", if t == 0 { 0.0 } else { subsidy }),
        ];
        for (metric, w) in want {
            // Every replication has the same difference: mean = quantiles.
            // Written to the documented precision: DKK in whole kroner.
            for (k, got) in diff(&month, metric).into_iter().enumerate() {
                check_close(&format!("{month} {metric} column {k}"), got, w, 0.5);
            }
        }
    }
    // Over the horizon: 11 months of LY fewer, 11 of flex subsidy more.
    let summary = read_csv(&out.join("comparison_summary.csv"));
    let total = |metric: &str| -> f64 {
        summary
            .iter()
            .find(|r| r[0] == "hired" && r[1] == metric && r[2] == "horizon")
            .unwrap_or_else(|| panic!("comparison_summary.csv lacks {metric}"))[3]
            .parse()
            .unwrap()
    };
    check_close("cost_ly_total", total("cost_ly_total"), -11.0 * ly, 0.5);
    check_close(
        "cost_flex_subsidy_total",
        total("cost_flex_subsidy_total"),
        11.0 * subsidy,
        0.5,
    );
    // The budget planner's table: 2017 (12 months), alternative minus
    // baseline per budget line, each replication alike.
    let budget = read_csv(&out.join("budget_difference.csv"));
    assert_eq!(
        budget[0].join(","),
        "scenario,year,months,line,mean,p05,p50,p95"
    );
    let line = |name: &str| -> Vec<f64> {
        let r = budget
            .iter()
            .find(|r| r[0] == "hired" && r[1] == "2017" && r[3] == name)
            .unwrap_or_else(|| panic!("budget_difference.csv lacks hired 2017 {name}"));
        assert_eq!(r[2], "12", "2017 holds 12 simulated months");
        r[4..8].iter().map(|v| v.parse().unwrap()).collect()
    };
    for v in line("cost_ly") {
        check_close("2017 cost_ly", v, -11.0 * ly, 0.5);
    }
    for v in line("cost_flex_subsidy") {
        check_close("2017 cost_flex_subsidy", v, 11.0 * subsidy, 0.5);
    }
    let lines: Vec<&str> = budget[1..]
        .iter()
        .filter(|r| r[0] == "hired" && r[1] == "2017")
        .map(|r| r[3].as_str())
        .collect();
    assert_eq!(
        lines,
        [
            "cost_ly",
            "refusion_ly",
            "cost_flex_subsidy",
            "cost_old_scheme",
            "refusion_flex",
            "cost_staff_municipal",
            "cost_staff_grant",
            "cost_measures",
            "cost_exit",
            "refusion_exit",
            "net_municipal_cost",
            "tax_municipal",
            "net_public_cost",
        ]
    );
    // The net is the sum of its lines (the grant's staff is not in it).
    let get = |name: &str| line(name)[0];
    let sum =
        get("cost_ly") - get("refusion_ly") + get("cost_flex_subsidy") + get("cost_old_scheme")
            - get("refusion_flex")
            + get("cost_staff_municipal")
            + get("cost_measures");
    check_close("2017 net", get("net_municipal_cost"), sum, 4.0);
}

// ------------------------------------------------------------ bad input

#[test]
fn a_missing_alternative_is_a_usage_error() {
    let mut cmd = fleksim();
    cmd.args(["compare", BASELINE]);
    let err = refused(cmd, &["required"]);
    assert!(err.to_lowercase().contains("alternatives"), "{err}");
}

#[test]
fn a_nonexistent_alternative_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut cmd = fleksim();
    cmd.args([
        "compare",
        BASELINE,
        "no-such-alternative.toml",
        "--quiet",
        "--out",
    ])
    .arg(&out);
    refused(cmd, &["no-such-alternative.toml"]);
    assert!(!out.exists());
}

#[test]
fn scenarios_must_share_start_and_horizon() {
    let dir = tempfile::tempdir().unwrap();
    let markov = text(MARKOV);
    for (from, to) in [
        (r#"start = "2016-09""#, r#"start = "2016-10""#),
        ("horizon_months = 60", "horizon_months = 48"),
    ] {
        assert!(markov.contains(from));
        let other = write_file(dir.path(), "other.toml", &markov.replacen(from, to, 1));
        let out = dir.path().join("out");
        let mut cmd = fleksim();
        cmd.arg("compare")
            .arg(root(MARKOV))
            .arg(&other)
            .args(["--replications", "2", "--quiet", "--out"])
            .arg(&out);
        refused(cmd, &["`start`", "`horizon_months`", "other.toml"]);
        assert!(!out.exists(), "--out created for {to}");
    }
}

#[test]
fn at_outside_the_horizon_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for at in ["2030-01", "2016-08"] {
        let out = dir.path().join("out");
        let mut cmd = fleksim();
        cmd.args(["compare", BASELINE, PROJECT, "--at", at])
            .args(["--replications", "2", "--set", "horizon_months=24"])
            .args(["--quiet", "--out"])
            .arg(&out);
        refused(cmd, &["--at", at, "outside"]);
        assert!(!out.exists(), "--out created for --at {at}");
    }
    let mut cmd = fleksim();
    cmd.args(["compare", BASELINE, PROJECT, "--at", "March"]);
    refused(cmd, &["March"]);
}

// ---------------------------------------------------------------- files

fn files_of(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn compare_writes_the_documented_files_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut outs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("out{threads}"));
        let stdout = compare(
            &[&root(BASELINE), &root(PROJECT)],
            &[
                "--replications",
                "10",
                "--set",
                "horizon_months=24",
                "--threads",
                threads,
            ],
            &out,
        );
        assert!(stdout.contains("LY share"), "steering table:\n{stdout}");
        assert!(
            stdout.contains("target 13.0 %"),
            "steering table:\n{stdout}"
        );
        assert!(
            stdout.contains("aalborg-project"),
            "steering table:\n{stdout}"
        );
        outs.push(out);
    }
    let out = &outs[0];
    let header = |name: &str| read_csv(&out.join(name))[0].join(",");
    assert_eq!(
        header("comparison.csv"),
        "scenario,month,metric,mean_diff,p05,p50,p95"
    );
    assert_eq!(
        header("comparison_summary.csv"),
        "scenario,metric,period,mean_diff,p05,p50,p95,prob_better,months"
    );
    assert_eq!(
        header("budget_difference.csv"),
        "scenario,year,months,line,mean,p05,p50,p95"
    );
    assert!(out.join("payback.csv").is_file());
    assert!(out.join("steering.csv").is_file());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["kind"], "comparison");
    assert_eq!(manifest["baseline"], "aalborg-baseline");
    assert_eq!(manifest["alternatives"][0], "aalborg-project");
    for run in ["aalborg-baseline", "aalborg-project"] {
        let monthly = out.join("runs").join(run).join("monthly.csv");
        assert!(monthly.is_file(), "runs/{run}/monthly.csv missing");
        assert_eq!(read_csv(&monthly).len() - 1, 24 * metric_names().len());
    }
    // The KPI month's differences are reported.
    let summary = read_csv(&out.join("comparison_summary.csv"));
    assert!(summary
        .iter()
        .any(|r| r[1] == "ly_stock" && r[2] == "2018-03"));
    // Every period says how many months it holds: 2016 is partial.
    let months = |period: &str| -> Vec<&str> {
        summary[1..]
            .iter()
            .filter(|r| r[2] == period)
            .map(|r| r[8].as_str())
            .collect()
    };
    assert!(
        months("2016").iter().all(|m| *m == "4"),
        "2016 holds 4 months"
    );
    assert!(months("2017").iter().all(|m| *m == "12"));
    assert!(
        months("2018").iter().all(|m| *m == "8"),
        "2018 holds 8 months"
    );
    assert!(months("horizon").iter().all(|m| *m == "24"));
    assert!(months("2018-03").iter().all(|m| *m == "1"));
    let budget = read_csv(&out.join("runs/aalborg-project/budget.csv"));
    assert_eq!(budget[0].join(","), "year,metric,mean,p05,p50,p95,months");
    for r in &budget[1..] {
        let want = match r[0].as_str() {
            "2016" => "4",
            "2017" => "12",
            _ => "8",
        };
        assert_eq!(r[6], want, "budget.csv {r:?}");
    }
    // Byte-identical with 1 and 2 threads (the manifest records time and threads).
    let (a, b) = (files_of(&outs[0]), files_of(&outs[1]));
    assert_eq!(a, b, "the same files");
    for f in a.iter().filter(|f| !f.ends_with("manifest.json")) {
        let x = std::fs::read(outs[0].join(f)).unwrap();
        let y = std::fs::read(outs[1].join(f)).unwrap();
        assert!(x == y, "{f} differs between --threads 1 and 2");
    }
}
