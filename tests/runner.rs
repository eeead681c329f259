//! One runner behind every command: the same scenario, seed and
//! replications give the same bytes from `run`, from `compare`'s
//! `runs/<scenario>/` and from a one-point sweep, below and above the
//! count where quantiles become estimates; and one scenario identity
//! (`scenario_sha256`) in every manifest.

mod common;

use common::*;
use fleksim::uncertain::Model;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Value;

const RUN_FILES: [&str; 3] = ["monthly.csv", "summary.csv", "budget.csv"];

fn ok(args: &[&str]) {
    let out = fleksim().args(args).output().expect("fleksim runs");
    assert!(
        out.status.success(),
        "fleksim {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&read(&dir.join("manifest.json"))).expect("manifest is JSON")
}

/// Rows of a result CSV keyed by its leading fields, with the last four
/// fields (mean, p05, p50, p95) as written.
fn figures(path: &Path, keys: usize) -> BTreeMap<Vec<String>, Vec<String>> {
    read_csv(path)
        .into_iter()
        .skip(1)
        .map(|row| (row[..keys].to_vec(), row[keys..keys + 4].to_vec()))
        .collect()
}

fn same_figures_everywhere(replications: u32) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let n = replications.to_string();
    let scenario = root(MARKOV);
    let scenario = scenario.to_str().unwrap();
    let out = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let common = [
        "--replications",
        &n,
        "--set",
        "horizon_months=12",
        "--quiet",
    ];

    let run = out("run");
    ok(&[&["run", scenario, "--out", &run][..], &common[..]].concat());
    let cmp = out("cmp");
    ok(&[
        &["compare", scenario, scenario, "--out", &cmp][..],
        &common[..],
    ]
    .concat());
    for name in ["markov-check", "markov-check-2"] {
        for file in RUN_FILES {
            let a = read(&Path::new(&run).join(file));
            let b = read(&Path::new(&cmp).join("runs").join(name).join(file));
            assert!(
                a == b,
                "{replications} replications: run's {file} differs from compare's runs/{name}/{file}"
            );
        }
    }

    // A one-point sweep of the same scenario, every metric, every month.
    std::fs::copy(scenario, dir.join("markov.toml")).unwrap();
    let metrics: Vec<String> = metric_names().iter().map(|m| format!("\"{m}\"")).collect();
    let sweep = dir.join("sweep.toml");
    std::fs::write(
        &sweep,
        format!(
            "name = \"one-point\"\nscenario = \"markov.toml\"\nreplications = {n}\n\
             months = \"monthly\"\nmetrics = [{}]\nset = {{ horizon_months = 12 }}\n\
             [axes]\n\"staffing.consultants\" = [13]\n",
            metrics.join(", ")
        ),
    )
    .unwrap();
    let sw = out("sweep");
    ok(&["sweep", sweep.to_str().unwrap(), "--out", &sw, "--quiet"]);
    let run = Path::new(&run);
    let monthly = figures(&run.join("monthly.csv"), 2);
    let budget = figures(&run.join("budget.csv"), 2);
    let summary = figures(&run.join("summary.csv"), 1);
    let rows = read_csv(&Path::new(&sw).join("results.csv"));
    assert!(rows.len() > 12 * metric_names().len());
    for row in &rows[1..] {
        let (period, metric, got) = (&row[1], &row[2], &row[3..7]);
        let want = if period == "end" {
            summary.get(&vec![format!("{metric}_end")])
        } else if period == "horizon" {
            [
                metric.clone(),
                format!("{metric}_total"),
                format!("{metric}_avg"),
            ]
            .iter()
            .find_map(|k| summary.get(&vec![k.clone()]))
        } else if period.contains('-') {
            monthly.get(&vec![period.clone(), metric.clone()])
        } else {
            budget.get(&vec![period.clone(), metric.clone()])
        };
        let want = want.unwrap_or_else(|| panic!("no run figure for sweep row {row:?}"));
        assert_eq!(
            got, want,
            "{replications} replications: sweep row {period},{metric} differs from run"
        );
    }

    // One identity in every manifest.
    let sha = |m: &serde_json::Value| m["scenario_sha256"].clone();
    let r = sha(&manifest(run));
    assert_eq!(r.as_str().map(str::len), Some(64));
    assert_eq!(sha(&manifest(Path::new(&cmp)))["markov-check"], r);
    assert_eq!(manifest(Path::new(&sw))["sweep"]["scenario_sha256"], r);
}

#[test]
fn run_compare_and_sweep_agree_below_the_exact_limit() {
    same_figures_everywhere(200);
}

#[test]
fn run_compare_and_sweep_agree_above_the_exact_limit() {
    same_figures_everywhere(2000);
}

/// Every leaf of a resolved scenario with its dotted path.
fn leaves(v: &Value, path: &str, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Table(t) => {
            for (k, child) in t {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                leaves(child, &p, out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                leaves(child, &format!("{path}[{i}]"), out);
            }
        }
        _ => out.push((path.to_string(), v.clone())),
    }
}

/// A different value of the same type, as a `--set` value.
fn changed(v: &Value) -> Option<String> {
    Some(match v {
        Value::Integer(i) => (i + 1).to_string(),
        Value::Float(f) if *f == 0.0 => "0.01".to_string(),
        Value::Float(f) => format!("{:?}", f * 1.01),
        Value::Boolean(b) => (!b).to_string(),
        Value::String(s) if s.len() == 7 && s.as_bytes()[4] == b'-' => {
            let month: u32 = s[5..].parse().ok()?;
            format!("\"{}-{:02}\"", &s[..4], month % 12 + 1)
        }
        Value::String(s) => format!("\"{s}x\""),
        _ => return None,
    })
}

#[test]
fn changing_any_key_changes_the_scenario_identity() {
    let file = "scenarios/aalborg-project-psa.toml";
    let text = text(file);
    let base = Model::from_str(&text, file, &[]).unwrap();
    let sha = base.sha256().unwrap();
    let resolved: Value = toml::from_str(&base.resolved_toml().unwrap()).unwrap();
    let mut all = Vec::new();
    leaves(&resolved, "", &mut all);
    let (mut tried, mut distribution) = (0, false);
    for (path, v) in &all {
        let Some(value) = changed(v) else { continue };
        let Ok(m) = Model::from_str(&text, file, &[format!("{path}={value}")]) else {
            continue; // the changed value is not allowed there
        };
        assert_ne!(
            m.sha256().unwrap(),
            sha,
            "changing `{path}` kept the identity"
        );
        tried += 1;
        distribution |= base
            .params
            .iter()
            .any(|p| path.starts_with(&format!("{}.", p.path)));
    }
    assert!(
        tried * 2 > all.len(),
        "only {tried} of {} keys tried",
        all.len()
    );
    assert!(distribution, "no distribution parameter was changed");
    // The same scenario twice has the same identity.
    assert_eq!(
        Model::from_str(&text, file, &[]).unwrap().sha256().unwrap(),
        sha
    );
}

#[test]
fn an_unreadable_scenario_names_its_cause_once() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("missing.toml");
    let out = fleksim()
        .args(["run", missing.to_str().unwrap(), "--quiet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("cannot read scenario file").count(),
        1,
        "{stderr}"
    );
    assert_eq!(stderr.matches("os error").count(), 1, "{stderr}");
}
