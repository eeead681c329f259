//! A calibration's results folder, written only through
//! [`AtomicDir`]: after every complete generation the folder is replaced
//! by one holding `checkpoint.json` (the sampler's [`State`], floats by
//! their bits), `generations.csv` and a `manifest.json` with
//! `"complete": false`; at the end by the full results with
//! `"complete": true`. A run that finds a folder whose manifest has the
//! same `calibration_sha256` and program version resumes after its last
//! generation; any other folder of this kind is replaced.

use super::file::Calibration;
use super::smc::{weighted_quantile, Generation, State};
use crate::input::load;
use crate::input::uncertain::Model;
use crate::output::export::num;
use crate::output::folder::{AtomicDir, FolderKind};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// One point's replications, as target values: `values[r][k]` is target
/// `k` in replication `r`; `series[r][m][t]` the monthly value of the
/// `m`-th monthly quantity (see [`Calibration::series_metrics`]) when asked.
#[derive(Debug, Clone, Default)]
pub struct PointRun {
    pub values: Vec<Vec<f64>>,
    pub series: Vec<Vec<Vec<f64>>>,
    pub person_months: u64,
}

/// Header of `fit.csv`.
pub const FIT_HEADER: &str = "target,metric,month,observed,lower,upper,p05,p50,p95,inside,fitted";
/// Header of `fit_monthly.csv`.
pub const FIT_MONTHLY_HEADER: &str = "metric,month,p05,p50,p95";
/// Header of `generations.csv`.
pub const GENERATIONS_HEADER: &str = "generation,tolerance,replications,evaluations,invalid,ess";

/// What identifies a calibration: its resolved settings, base scenario,
/// priors and targets, hashed.
#[derive(Debug, Clone)]
pub struct Identity {
    pub json: serde_json::Value,
    pub sha256: String,
}

impl Identity {
    pub fn new(cal: &Calibration) -> anyhow::Result<Identity> {
        let json = cal.identity()?;
        let sha256 = crate::model::hash::sha256_hex(serde_json::to_string(&json)?.as_bytes());
        Ok(Identity { json, sha256 })
    }
}

/// One row of `fit.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct FitRow {
    pub name: String,
    pub metric: String,
    pub month: String,
    pub observed: f64,
    pub lower: f64,
    pub upper: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
    /// The posterior median inside the tolerance.
    pub inside: bool,
    /// Counted in the distance (`fit = false`: reported only).
    pub fitted: bool,
}

/// A figure of `fit.csv`: 6 decimals, trailing zeros dropped.
fn fig(x: f64) -> std::io::Result<String> {
    num(x)?;
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    Ok(if s == "-0" || s.is_empty() {
        "0".into()
    } else {
        s.to_string()
    })
}

/// The checkpoint of the folder at `out`, if it is this calibration's (of
/// `parameters` parameters) and holds only what a calibration writes: its
/// state and the seconds already spent. Anything else (a broken or edited
/// file) is not resumed: the calibration starts afresh.
pub fn read_checkpoint(out: &Path, id: &Identity, parameters: usize) -> Option<(State, f64)> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).ok()?).ok()?;
    let same = manifest.get("kind")?.as_str()? == "calibration"
        && manifest.get("version")?.as_str()? == env!("CARGO_PKG_VERSION")
        && manifest.get("calibration_sha256")?.as_str()? == id.sha256;
    if !same {
        return None;
    }
    let state: State =
        serde_json::from_slice(&std::fs::read(out.join("checkpoint.json")).ok()?).ok()?;
    let sane = state.population.iter().all(|p| {
        p.theta.len() == parameters
            && p.theta.iter().all(|x| x.is_finite())
            && p.weight.is_finite()
            && p.weight >= 0.0
            && !p.distance.is_nan()
    }) && state
        .history
        .iter()
        .all(|g| !g.tolerance.is_nan() && g.ess.is_finite());
    // A positive total weight: a population, and weights to draw from.
    let total: f64 = state.population.iter().map(|p| p.weight).sum();
    if state.history.is_empty() || !sane || total <= 0.0 {
        return None;
    }
    let elapsed = manifest.get("elapsed_seconds")?.as_f64().unwrap_or(0.0);
    Some((state, elapsed))
}

fn generations_csv(h: &[Generation]) -> std::io::Result<String> {
    let mut s = format!("{GENERATIONS_HEADER}\n");
    for g in h {
        let tol = if g.tolerance.is_finite() {
            fig(g.tolerance)?
        } else {
            "inf".into()
        };
        let _ = writeln!(
            s,
            "{},{tol},{},{},{},{}",
            g.generation,
            g.replications,
            g.evaluations,
            g.invalid,
            fig(g.ess)?
        );
    }
    Ok(s)
}

fn manifest(
    cal: &Calibration,
    id: &Identity,
    st: &State,
    complete: bool,
    elapsed: f64,
    threads: usize,
) -> anyhow::Result<serde_json::Value> {
    let tolerance = st.tolerance();
    Ok(serde_json::json!({
        "program": "fleksim",
        "kind": "calibration",
        "version": env!("CARGO_PKG_VERSION"),
        "complete": complete,
        "name": cal.name,
        "calibration_file": cal.file,
        "scenario": cal.scenario_path.display().to_string(),
        "calibration_sha256": id.sha256,
        "scenario_sha256": cal.model.sha256()?,
        "seed": cal.seed,
        "generations": cal.generations,
        "max_evaluations": cal.max_evaluations,
        "generations_done": st.history.len(),
        "stopped": st.stopped,
        "tolerance": if tolerance.is_finite() { serde_json::json!(tolerance) } else { serde_json::Value::Null },
        "evaluations": st.evaluations,
        "replications_run": st.replications_run,
        "threads": threads,
        "elapsed_seconds": elapsed,
        "calibration": id.json,
    }))
}

/// Replaces the folder with the checkpoint of a complete generation.
pub fn write_checkpoint(
    out: &Path,
    cal: &Calibration,
    id: &Identity,
    st: &State,
    elapsed: f64,
    threads: usize,
) -> anyhow::Result<()> {
    let dir = AtomicDir::new(out, FolderKind::Calibration)?;
    dir.write("checkpoint.json", &serde_json::to_vec(st)?)?;
    dir.write("generations.csv", generations_csv(&st.history)?.as_bytes())?;
    let m = manifest(cal, id, st, false, elapsed, threads)?;
    dir.write(
        "manifest.json",
        serde_json::to_string_pretty(&m)?.as_bytes(),
    )?;
    dir.commit()?;
    Ok(())
}

/// `posterior.csv`: `weight` and one column per parameter, one row per
/// particle, values in their shortest exact form.
pub fn posterior_csv(cal: &Calibration, st: &State) -> std::io::Result<String> {
    let mut s = String::from("weight");
    for p in &cal.parameters {
        s.push(',');
        s.push_str(&p.path);
    }
    s.push('\n');
    for p in &st.population {
        s.push_str(&num(p.weight)?);
        for &x in &p.theta {
            s.push(',');
            s.push_str(&num(x)?);
        }
        s.push('\n');
    }
    Ok(s)
}

/// The weighted quantiles (5, 50, 95 %) of per-replication values, each
/// replication of particle `i` weighing `w_i / R`.
fn bands(
    st: &State,
    runs: &[Option<PointRun>],
    value: impl Fn(&PointRun, usize) -> f64,
) -> [f64; 3] {
    let mut v = Vec::new();
    for (p, r) in st.population.iter().zip(runs) {
        if let Some(r) = r {
            let n = r.values.len().max(1) as f64;
            for rep in 0..r.values.len() {
                v.push((value(r, rep), p.weight / n));
            }
        }
    }
    [0.05, 0.5, 0.95].map(|q| weighted_quantile(&v, q))
}

/// The fit of every target at the posterior.
pub fn fit(cal: &Calibration, st: &State, runs: &[Option<PointRun>]) -> Vec<FitRow> {
    cal.targets
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let [p05, p50, p95] = bands(st, runs, |r, rep| r.values[rep][k]);
            FitRow {
                name: t.name.clone(),
                metric: t.metric.clone(),
                month: t.month.clone(),
                observed: t.value,
                lower: t.lower,
                upper: t.upper,
                p05,
                p50,
                p95,
                inside: t.lower <= p50 && p50 <= t.upper,
                fitted: t.fitted,
            }
        })
        .collect()
}

fn csv_field(s: &str) -> String {
    crate::analysis::sweep::point::csv_field(s)
}

fn fit_csv(rows: &[FitRow]) -> std::io::Result<String> {
    let mut s = format!("{FIT_HEADER}\n");
    for r in rows {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{},{},{}",
            csv_field(&r.name),
            csv_field(&r.metric),
            csv_field(&r.month),
            fig(r.observed)?,
            fig(r.lower)?,
            fig(r.upper)?,
            fig(r.p05)?,
            fig(r.p50)?,
            fig(r.p95)?,
            r.inside,
            r.fitted
        );
    }
    Ok(s)
}

fn fit_monthly_csv(
    cal: &Calibration,
    st: &State,
    runs: &[Option<PointRun>],
) -> std::io::Result<String> {
    let mut s = format!("{FIT_MONTHLY_HEADER}\n");
    let months = crate::sim::plan::Plan::new(&cal.model.base).months;
    for (m, (metric, _)) in cal.series_metrics().iter().enumerate() {
        for t in 0..months {
            let [a, b, c] = bands(st, runs, |r, rep| r.series[rep][m][t]);
            let _ = writeln!(
                s,
                "{},{},{},{},{}",
                csv_field(metric),
                cal.model.base.month(t),
                fig(a)?,
                fig(b)?,
                fig(c)?
            );
        }
    }
    Ok(s)
}

/// `calibrated.toml`: the base scenario as its file gives it (without the
/// calibration's `set`), resolved, named `<name>-calibrated`, the fitted
/// keys at their posterior medians and drawn jointly from `posterior.csv`.
pub fn calibrated_toml(cal: &Calibration, posterior: &str) -> anyhow::Result<String> {
    let file = cal.scenario_path.display().to_string();
    let base = Model::from_str(&cal.scenario_text, &file, &[])?;
    let name = format!("{}-calibrated", base.base.name);
    let name = if crate::model::limits::name_problem(&name).is_none() {
        name
    } else {
        base.base.name.clone()
    };
    let text = Model::from_str(&cal.scenario_text, &file, &[format!("name=\"{name}\"")])?
        .resolved_toml()?;
    let mut root = Value::Table(toml::from_str::<Table>(&text)?);
    let joint = crate::input::posterior::Joint::parse("posterior.csv", posterior)
        .map_err(anyhow::Error::msg)?;
    for (k, p) in cal.parameters.iter().enumerate() {
        let m = joint.quantile(k, 0.5);
        let v = if p.integer {
            Value::Integer(m.round() as i64)
        } else {
            Value::Float(m)
        };
        load::set_path(&mut root, &p.path, v).map_err(anyhow::Error::msg)?;
    }
    let mut post = Table::new();
    post.insert("file".into(), Value::String("posterior.csv".into()));
    post.insert("sha256".into(), Value::String(joint.sha256.clone()));
    let mut u = Table::new();
    u.insert("posterior".into(), Value::Table(post));
    if let Value::Table(t) = &mut root {
        t.insert("uncertainty".into(), Value::Table(u));
    }
    let Value::Table(t) = root else {
        unreachable!("a scenario is a table")
    };
    Ok(format!(
        "# Written by `fleksim calibrate {}`: the scenario `{}` with the fitted parameters\n\
         # drawn as whole rows of posterior.csv (each replication one row, by weight);\n\
         # the numbers at their keys are the posterior medians (`run --fixed`).\n{}",
        cal.file,
        cal.scenario_path.display(),
        toml::to_string(&t)?
    ))
}

/// Writes the final results; returns the folder and the fit.
pub fn write_final(
    out: &Path,
    cal: &Calibration,
    id: &Identity,
    st: &State,
    runs: &[Option<PointRun>],
    elapsed: f64,
    threads: usize,
) -> anyhow::Result<(PathBuf, Vec<FitRow>)> {
    let fit = fit(cal, st, runs);
    let posterior = posterior_csv(cal, st)?;
    let calibrated = calibrated_toml(cal, &posterior)?;
    let dir = AtomicDir::new(out, FolderKind::Calibration)?;
    dir.write("posterior.csv", posterior.as_bytes())?;
    dir.write("fit.csv", fit_csv(&fit)?.as_bytes())?;
    dir.write(
        "fit_monthly.csv",
        fit_monthly_csv(cal, st, runs)?.as_bytes(),
    )?;
    dir.write("generations.csv", generations_csv(&st.history)?.as_bytes())?;
    dir.write("calibrated.toml", calibrated.as_bytes())?;
    dir.write("checkpoint.json", &serde_json::to_vec(st)?)?;
    let mut m = manifest(cal, id, st, true, elapsed, threads)?;
    let person_months: u64 = runs.iter().flatten().map(|r| r.person_months).sum();
    m["targets_inside"] = serde_json::json!(fit.iter().filter(|r| r.inside).count());
    m["targets"] = serde_json::json!(fit.len());
    m["posterior_person_months"] = serde_json::json!(person_months);
    dir.write(
        "manifest.json",
        serde_json::to_string_pretty(&m)?.as_bytes(),
    )?;
    let path = dir.commit()?;
    Ok((path, fit))
}
