//! The `run` pipeline: plan → replications → statistics → files.

use crate::export;
use crate::load;
use crate::output::{AtomicDir, FolderKind, OutputError};
use crate::plan::Plan;
use crate::scenario::Scenario;
use crate::stats::{self, Accumulator};
use crate::uncertain::{Draw, Model};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// Replications simulated at a time; fixed so that output never depends on
/// the thread count.
pub const CHUNK: u64 = 256;

/// Options of a run beyond the scenario itself.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// Also write `replications.csv`.
    pub per_replication: bool,
    /// Every uncertain parameter at its median (`--fixed`).
    pub fixed: bool,
}

/// What a finished run reports.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// What produced the folder: `run`.
    pub kind: String,
    pub program: String,
    pub version: String,
    pub scenario_name: String,
    pub scenario_sha256: String,
    pub seed: u64,
    pub replications: u32,
    pub threads: usize,
    pub months: usize,
    pub person_months: u64,
    pub started: String,
    pub finished: String,
    pub elapsed_seconds: f64,
    pub person_months_per_second: f64,
    pub files: Vec<String>,
    pub scenario: serde_json::Value,
    /// Uncertain parameters with their distributions (empty if none).
    pub uncertain: Vec<crate::uncertain::Param>,
    /// Whether uncertain parameters were held at their medians.
    pub fixed: bool,
}

/// SHA-256 of the resolved scenario's TOML text.
pub fn scenario_hash(s: &Scenario) -> String {
    let digest = Sha256::digest(load::to_toml(s).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn timestamp(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// Why a run failed after its input was accepted.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot start {threads} worker threads: {source}")]
    Threads {
        threads: usize,
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
    #[error(transparent)]
    Scenario(#[from] crate::error::ScenarioError),
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// Runs a scenario and writes its results atomically to `out`.
pub fn run_to_dir(
    model: &Model,
    opts: &RunOptions,
    out: &Path,
    progress: &(dyn Fn() + Sync),
) -> Result<(PathBuf, Manifest), RunError> {
    let started = SystemTime::now();
    let clock = Instant::now();
    // Claim the output first: a bad --out fails before the work is done.
    let dir = AtomicDir::new(out, FolderKind::Run)?;
    let io_err = |name: &str, e| OutputError::io("write", &dir.display(name), e);
    let scenario = &model.base;
    let plan = Plan::new(scenario);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|source| RunError::Threads {
            threads: opts.threads,
            source,
        })?;
    let n = scenario.replications as u64;
    let draw = if opts.fixed {
        Draw::Median
    } else {
        Draw::Random
    };
    // Replications run in chunks of a fixed size (independent of the thread
    // count) and are folded into the summaries in replication order, so
    // memory stays flat in the number of replications.
    let names = stats::horizon_names();
    let mut monthly = Accumulator::new(plan.months * crate::metrics::N);
    let mut horizon = Accumulator::new(names.len());
    let mut yearly = Accumulator::new(stats::years(&plan).len() * stats::yearly_names().len());
    // With uncertain parameters, the same replications with every parameter
    // at its median separate chance from parameter uncertainty.
    let mut fixed = (model.is_uncertain() && !opts.fixed).then(|| Accumulator::new(names.len()));
    let mut per_rep = if opts.per_replication {
        Some(dir.create("replications.csv")?)
    } else {
        None
    };
    let mut person_months = 0u64;
    let mut first = 0u64;
    while first < n {
        let count = CHUNK.min(n - first);
        let reps = pool.install(|| model.run(first, count, &draw, progress))?;
        for r in &reps {
            monthly.push(r.values.iter().copied());
            horizon.push(stats::horizon_values(&plan, r));
            yearly.push(stats::yearly_values(&plan, r));
            person_months += r.person_months;
        }
        if let Some(w) = per_rep.as_mut() {
            export::replications_csv(w, &plan, first, &reps, first == 0)
                .map_err(|e| io_err("replications.csv", e))?;
        }
        if let Some(acc) = fixed.as_mut() {
            let reps = pool.install(|| model.run(first, count, &Draw::Median, &|| ()))?;
            for r in &reps {
                acc.push(stats::horizon_values(&plan, r));
            }
        }
        first += count;
    }
    if let Some(w) = per_rep {
        dir.finish("replications.csv", w)?;
    }
    let threads = pool.current_num_threads();
    let total_var = horizon.variances();
    let monthly = monthly.finish();
    let summary = horizon.finish();
    let budget = yearly.finish();

    let write = |name: &str, bytes: std::io::Result<Vec<u8>>| -> Result<(), RunError> {
        let bytes = bytes.map_err(|e| io_err(name, e))?;
        Ok(dir.write(name, &bytes)?)
    };
    write("monthly.csv", export::monthly_csv(&plan, &monthly))?;
    write("summary.csv", export::summary_csv(&names, &summary))?;
    write("budget.csv", export::budget_csv(&plan, &budget))?;
    let mut files = vec![
        "monthly.csv".to_string(),
        "summary.csv".to_string(),
        "budget.csv".to_string(),
    ];
    if let Some(fixed) = fixed {
        let chance_var = fixed.variances();
        let fixed_summary = fixed.finish();
        let share: Vec<f64> = total_var
            .iter()
            .zip(&chance_var)
            .map(|(&total, &chance)| {
                if total > 0.0 {
                    (1.0 - chance / total).clamp(0.0, 1.0)
                } else {
                    0.0
                }
            })
            .collect();
        write(
            "uncertainty.csv",
            export::uncertainty_csv(&names, &summary, &fixed_summary, &share),
        )?;
        files.push("uncertainty.csv".to_string());
    }
    if model.is_uncertain() && opts.per_replication {
        let mut w = Vec::new();
        export::parameters_csv(&mut w, model, n, &draw).map_err(|e| io_err("parameters.csv", e))?;
        write("parameters.csv", Ok(w))?;
        files.push("parameters.csv".to_string());
    }
    if opts.per_replication {
        files.push("replications.csv".to_string());
    }
    let elapsed = clock.elapsed().as_secs_f64();
    files.push("manifest.json".to_string());
    let manifest = Manifest {
        kind: "run".into(),
        program: "fleksim".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        scenario_name: scenario.name.clone(),
        scenario_sha256: scenario_hash(scenario),
        seed: scenario.seed,
        replications: scenario.replications,
        threads,
        months: plan.months,
        person_months,
        started: timestamp(started),
        finished: timestamp(SystemTime::now()),
        elapsed_seconds: elapsed,
        person_months_per_second: person_months as f64 / elapsed.max(1e-9),
        files,
        scenario: serde_json::to_value(scenario).unwrap_or(serde_json::Value::Null),
        uncertain: model.params.clone(),
        fixed: opts.fixed,
    };
    let json =
        serde_json::to_vec_pretty(&manifest).map_err(|e| io_err("manifest.json", e.into()))?;
    write("manifest.json", Ok(json))?;
    let path = dir.commit()?;
    Ok((path, manifest))
}
