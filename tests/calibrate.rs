//! `fleksim calibrate`: recovery of known parameters, the same posterior
//! whatever the thread count, resuming after a stop, joint posterior draws
//! in `run`, and bad input refused with exit code 2 before any folder is
//! written.

mod common;

use common::{fleksim, read_csv, refused, root, snapshot, succeeds, write_file};
use std::path::Path;

/// The true values of the recovery test, with the width of their priors.
const TRUE: [(&str, f64, f64); 4] = [
    ("ly.find_job[0].p", 0.065, 0.19),
    ("ly.exit[0].p", 0.013, 0.049),
    ("flex.dismissal[0].p", 0.0057, 0.019),
    ("flex.exit[0].p", 0.009, 0.028),
];

/// Copies the Markov-check scenario into `dir` and returns its file name.
fn scenario(dir: &Path) -> &'static str {
    std::fs::copy(root("scenarios/markov-check.toml"), dir.join("markov.toml")).unwrap();
    "markov.toml"
}

/// A small calibration of the Markov check (36 months) to `targets.csv`.
fn calibration(dir: &Path, extra: &str) -> std::path::PathBuf {
    let s = scenario(dir);
    write_file(
        dir,
        "cal.toml",
        &format!(
            r#"scenario = "{s}"
seed = 11
set = {{ horizon_months = 36 }}
particles = 40
initial_points = 200
generations = 6
replications = {{ start = 2, max = 8 }}
max_evaluations = 3000
targets_csv = "targets.csv"
{extra}
[parameters]
"ly.find_job[0].p" = [0.01, 0.2]
"ly.exit[0].p" = [0.001, 0.05]
"flex.dismissal[0].p" = [0.001, 0.02]
"flex.exit[0].p" = {{ dist = "uniform", min = 0.002, max = 0.03 }}
"#
        ),
    )
}

/// Simulates the Markov check at the true values (200 replications, a
/// seed the calibration does not use) and writes its figures as targets,
/// each with a tolerance of 4 standard errors of one replication's value
/// (at least 3 % of the value).
fn write_targets(dir: &Path) {
    let mut cmd = fleksim();
    cmd.args([
        "run",
        "scenarios/markov-check.toml",
        "--quiet",
        "--seed",
        "99",
    ])
    .args([
        "--replications",
        "200",
        "--set",
        "horizon_months=36",
        "--out",
    ])
    .arg(dir.join("truth"));
    for (k, v, _) in TRUE {
        cmd.args(["--set", &format!("{k}={v}")]);
    }
    succeeds(cmd);
    let rows = read_csv(&dir.join("truth/monthly.csv"));
    let mut csv = String::from("month,metric,value,lower,upper\n");
    for (month, metric) in [
        ("2017-08", "ly_stock"),
        ("2019-08", "ly_stock"),
        ("2019-08", "flex_stock"),
        ("2018-08", "flex_stock"),
        ("2018-08", "dismissals"),
        ("2019-08", "exits_flex"),
        ("2019-08", "exits_ly"),
        ("2019-08", "hires"),
    ] {
        let r = rows
            .iter()
            .find(|r| r[0] == month && r[1] == metric)
            .unwrap_or_else(|| panic!("{month} {metric}"));
        let (mean, p05, p95): (f64, f64, f64) = (
            r[2].parse().unwrap(),
            r[3].parse().unwrap(),
            r[5].parse().unwrap(),
        );
        // 90 % interval of one replication ≈ 3.3 sd; a point's mean over
        // replications is tighter, so this is about ±1.2 sd of one value.
        let half = ((p95 - p05) / 2.8).max(0.03 * mean);
        csv.push_str(&format!(
            "{month},{metric},{mean},{},{}\n",
            mean - half,
            mean + half
        ));
    }
    write_file(dir, "targets.csv", &csv);
}

fn calibrate(dir: &Path, out: &str, threads: &str) -> String {
    let mut cmd = fleksim();
    cmd.arg("calibrate")
        .arg(dir.join("cal.toml"))
        .args(["--quiet", "--threads", threads, "--out"])
        .arg(dir.join(out));
    succeeds(cmd)
}

/// Weighted 5 % and 95 % quantiles of each column of `posterior.csv`.
fn intervals(path: &Path) -> Vec<(String, f64, f64)> {
    let rows = read_csv(path);
    let header = rows[0].clone();
    let w: Vec<f64> = rows[1..].iter().map(|r| r[0].parse().unwrap()).collect();
    (1..header.len())
        .map(|c| {
            let mut v: Vec<(f64, f64)> = rows[1..]
                .iter()
                .zip(&w)
                .map(|(r, &w)| (r[c].parse().unwrap(), w))
                .collect();
            v.sort_by(|a, b| a.0.total_cmp(&b.0));
            let q = |q: f64| {
                let mut acc = 0.0;
                for &(x, w) in &v {
                    acc += w;
                    if acc >= q {
                        return x;
                    }
                }
                v.last().unwrap().0
            };
            (header[c].clone(), q(0.05), q(0.95))
        })
        .collect()
}

#[test]
fn known_parameters_are_recovered_and_threads_do_not_matter() {
    let dir = tempfile::tempdir().unwrap();
    write_targets(dir.path());
    calibration(dir.path(), "");
    calibrate(dir.path(), "one", "1");
    let found = intervals(&dir.path().join("one/posterior.csv"));
    // A true value counts when the posterior's 90 % interval holds it and
    // is at most half as wide as the prior (it learnt something).
    let mut inside = Vec::new();
    for (k, v, prior) in TRUE {
        let (_, lo, hi) = found.iter().find(|(p, _, _)| p == k).unwrap();
        if *lo <= v && v <= *hi && hi - lo <= prior / 2.0 {
            inside.push(k);
        }
    }
    assert!(
        inside.len() >= 3,
        "only {inside:?} of the true values inside narrow 90 % intervals: {found:?}"
    );
    // The weights sum to 1 and every target of fit.csv is named.
    let fit = read_csv(&dir.path().join("one/fit.csv"));
    assert_eq!(
        fit[0].join(","),
        "target,metric,month,observed,lower,upper,p05,p50,p95,inside,fitted"
    );
    assert_eq!(fit.len(), 9);
    // The same calibration on 2 threads: the same files to the bit.
    calibrate(dir.path(), "two", "2");
    for f in [
        "posterior.csv",
        "fit.csv",
        "fit_monthly.csv",
        "generations.csv",
        "calibrated.toml",
    ] {
        assert_eq!(
            std::fs::read(dir.path().join("one").join(f)).unwrap(),
            std::fs::read(dir.path().join("two").join(f)).unwrap(),
            "{f} differs between 1 and 2 threads"
        );
    }
}

#[test]
fn a_stopped_calibration_resumes_to_the_same_posterior() {
    let dir = tempfile::tempdir().unwrap();
    write_targets(dir.path());
    let cal = calibration(dir.path(), "");
    calibrate(dir.path(), "full", "2");
    // The same calibration stopped after generation 1 (its limit) ...
    let text = std::fs::read_to_string(&cal).unwrap();
    write_file(
        dir.path(),
        "cal.toml",
        &text.replace("generations = 6", "generations = 2"),
    );
    calibrate(dir.path(), "part", "1");
    let gens = read_csv(&dir.path().join("part/generations.csv"));
    assert_eq!(gens.len(), 3, "two generations and the header");
    // ... and run again with the full limit: it resumes there and ends
    // where the uninterrupted run ended, to the bit.
    write_file(dir.path(), "cal.toml", &text);
    let mut cmd = fleksim();
    cmd.arg("calibrate")
        .arg(&cal)
        .args(["--threads", "1", "--out"])
        .arg(dir.path().join("part"));
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("resumed after generation 1"), "{stderr}");
    for f in [
        "posterior.csv",
        "fit.csv",
        "generations.csv",
        "checkpoint.json",
    ] {
        assert_eq!(
            std::fs::read(dir.path().join("part").join(f)).unwrap(),
            std::fs::read(dir.path().join("full").join(f)).unwrap(),
            "{f}: the resumed calibration differs from the uninterrupted one"
        );
    }
}

#[test]
fn the_calibrated_scenario_draws_whole_posterior_rows() {
    let dir = tempfile::tempdir().unwrap();
    write_targets(dir.path());
    calibration(dir.path(), "");
    calibrate(dir.path(), "fit", "0");
    let cal = dir.path().join("fit/calibrated.toml");
    let mut cmd = fleksim();
    cmd.arg("run")
        .arg(&cal)
        .args([
            "--replications",
            "30",
            "--per-replication",
            "--quiet",
            "--out",
        ])
        .arg(dir.path().join("run"));
    succeeds(cmd);
    let post = read_csv(&dir.path().join("fit/posterior.csv"));
    let rows: Vec<Vec<String>> = post[1..].iter().map(|r| r[1..].to_vec()).collect();
    let drawn = read_csv(&dir.path().join("run/parameters.csv"));
    for rep in 0..30 {
        let values: Vec<String> = post[0][1..]
            .iter()
            .map(|k| {
                drawn
                    .iter()
                    .find(|r| r[0] == rep.to_string() && r[1] == *k)
                    .unwrap()[2]
                    .clone()
            })
            .collect();
        assert!(
            rows.contains(&values),
            "replication {rep} drew {values:?}, not a row of posterior.csv"
        );
    }
    // The report draws the folder: each target quantity over time and each
    // parameter's posterior, as strict XML, in one language.
    for (lang, title) in [("en", "Calibration"), ("da", "Kalibrering")] {
        let page = dir.path().join(format!("report-{lang}.html"));
        let mut cmd = fleksim();
        cmd.arg("report")
            .arg(dir.path().join("fit"))
            .args(["--lang", lang, "--out"])
            .arg(&page);
        succeeds(cmd);
        let html = std::fs::read_to_string(&page).unwrap();
        let opts = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        roxmltree::Document::parse_with_options(&html, opts).expect("the page is well-formed XML");
        assert!(html.contains(title), "{lang}: no `{title}` heading");
        // 8 target quantities in 6 metrics, and 4 parameters.
        assert!(
            html.matches("<svg").count() >= 6 + 4,
            "{lang}: too few charts"
        );
        if lang == "da" {
            for (en, da) in fleksim::report::calibration_view::text_pairs() {
                if en != da && en.len() > 8 {
                    assert!(!html.contains(en), "English `{en}` on the Danish page");
                }
            }
        }
    }
    // A changed posterior file is refused by its hash.
    let p = dir.path().join("fit/posterior.csv");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replacen("\n0.", "\n1.", 1)).unwrap();
    let mut cmd = fleksim();
    cmd.arg("validate").arg(&cal);
    refused(cmd, &["uncertainty.posterior.sha256", "calibrated.toml"]);
}

/// Each bad input: exit 2, the file and the field named, no folder.
#[test]
fn bad_calibration_files_are_refused_by_field() {
    let dir = tempfile::tempdir().unwrap();
    write_file(
        dir.path(),
        "targets.csv",
        "month,metric,value,lower,upper\n2017-08,ly_stock,334,300,360\n",
    );
    let cases: &[(&str, &str, &[&str])] = &[
        ("extra = 1\n", "", &["cal.toml", "unknown field `extra`", "expected one of"]),
        (
            "",
            "\"ly.find_jobs[0].p\" = [0.01, 0.2]\n",
            &["cal.toml", "ly.find_jobs[0].p", "find_job"],
        ),
        ("", "\"ly.exit[0].p\" = [0.2, 0.1]\n", &["cal.toml", "ly.exit[0].p", "low < high"]),
        ("", "\"ly.exit[0].p\" = [0.1, 1.5]\n", &["cal.toml", "ly.exit[0].p", "refuses"]),
        (
            "[[targets]]\nmetric = \"ly_stok\"\nmonth = \"2017-01\"\nvalue = 1\nse = 1\n",
            "",
            &["cal.toml", "ly_stok", "allowed a metric of monthly.csv"],
        ),
        (
            "[[targets]]\nmetric = \"ly_stock\"\nmonth = \"2030-01\"\nvalue = 1\nse = 1\n",
            "",
            &["cal.toml", "2030-01", "outside the simulated months"],
        ),
        (
            "[[targets]]\nmetric = \"ly_stock\"\nmonth = \"2017-01\"\nvalue = 5\nlower = 6\nupper = 7\n",
            "",
            &["cal.toml", "lower < value < upper"],
        ),
        ("particles = 1\n", "", &["cal.toml", "particles", "2 to"]),
        ("quantile = 1.5\n", "", &["cal.toml", "quantile", "above 0 and below 1"]),
        ("replications = { start = 4, max = 2 }\n", "", &["cal.toml", "replications", "start ≤ max"]),
    ];
    for (i, (top, params, needles)) in cases.iter().enumerate() {
        let s = scenario(dir.path());
        // Top-level keys before any table; targets after the parameters.
        let (head, tail) = if top.starts_with("[[") {
            ("", *top)
        } else {
            (*top, "")
        };
        write_file(
            dir.path(),
            "cal.toml",
            &format!(
                "scenario = \"{s}\"\ntargets_csv = \"targets.csv\"\n{head}\n[parameters]\n\
                 \"ly.find_job[0].p\" = [0.01, 0.2]\n{params}\n{tail}"
            ),
        );
        let before = snapshot(dir.path());
        let mut cmd = fleksim();
        cmd.arg("calibrate")
            .arg(dir.path().join("cal.toml"))
            .args(["--quiet", "--out"])
            .arg(dir.path().join(format!("out{i}")));
        refused(cmd, needles);
        assert_eq!(snapshot(dir.path()), before, "case {i} changed the folder");
    }
    // A bad targets CSV names its file and line.
    write_file(
        dir.path(),
        "targets.csv",
        "month,metric,value,lower,upper\n2017-08,ly_stock,abc,300,360\n",
    );
    let s = scenario(dir.path());
    write_file(
        dir.path(),
        "cal.toml",
        &format!(
            "scenario = \"{s}\"\ntargets_csv = \"targets.csv\"\n[parameters]\n\"ly.find_job[0].p\" = [0.01, 0.2]\n"
        ),
    );
    let mut cmd = fleksim();
    cmd.arg("calibrate")
        .arg(dir.path().join("cal.toml"))
        .arg("--quiet");
    refused(cmd, &["targets.csv", "line 2", "`value`"]);
}
