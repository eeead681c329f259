//! The `run` pipeline: plan → replications → statistics → files.

use crate::analysis::runner::{Lane, PoolError, Runner};
use crate::input::uncertain::{Draw, Model};
use crate::model::error::SerializeError;
use crate::model::scenario::Scenario;
use crate::output::export;
use crate::output::{AtomicDir, FolderKind, OutputError};
use crate::sim::plan::Plan;
use crate::stats::{self, Accumulator, RunSummaries, RunTables, Summary};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// Options of a run beyond the scenario itself.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// Also write `replications.csv`.
    pub per_replication: bool,
    /// Every uncertain parameter at its median (`--fixed`).
    pub fixed: bool,
    /// The language of `budget.xlsx` (`--lang`).
    pub lang: crate::output::workbook::Lang,
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
    pub uncertain: Vec<crate::input::uncertain::Param>,
    /// Whether uncertain parameters were held at their medians.
    pub fixed: bool,
    /// The project grant against the grant-funded cost, if the scenario
    /// states `money.grant_amount` (not written to the manifest).
    #[serde(skip)]
    pub grant: Option<GrantUse>,
    /// The scenario's declared KPIs (`[[kpis]]`) with their summaries over
    /// the replications, as `kpis.csv` has them (not written to the
    /// manifest); `None` for a scenario that declares none.
    #[serde(skip)]
    pub kpis: Option<(crate::model::kpi::Kpis, Vec<Summary>)>,
}

/// A scenario's project grant (`money.grant_amount`) against the simulated
/// grant-funded cost (`cost_staff_grant` summed over the horizon).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GrantUse {
    pub grant: f64,
    /// Over the replications.
    pub cost: Summary,
}

/// Half a krone: a cost above the grant by less is rounding.
const GRANT_TOLERANCE: f64 = 0.5;

impl GrantUse {
    /// The grant and its use, if the scenario states a grant.
    pub fn of(scenario: &Scenario, tables: &RunTables) -> Option<GrantUse> {
        let grant = scenario.money.grant_amount;
        let i = stats::horizon_names()
            .iter()
            .position(|n| n == "cost_staff_grant_total")?;
        (grant > 0.0).then(|| GrantUse {
            grant,
            cost: tables.horizon[i],
        })
    }

    /// Whether the median cost exceeds the grant.
    pub fn overrun(&self) -> bool {
        self.cost.p50 > self.grant + GRANT_TOLERANCE
    }

    /// Whether some replications (the 95th percentile) exceed the grant.
    pub fn may_overrun(&self) -> bool {
        self.cost.p95 > self.grant + GRANT_TOLERANCE
    }

    /// One line for the terminal: the grant, the cost and the verdict.
    pub fn text(&self, scenario: &str) -> String {
        let dkk = |x: f64| group(x.round());
        let head = format!(
            "{scenario}: grant {} DKK; grant-funded cost {} DKK (median)",
            dkk(self.grant),
            dkk(self.cost.p50)
        );
        if self.overrun() {
            let over = self.cost.p50 - self.grant;
            format!(
                "{head}:\n    OVERRUN of {} DKK ({:.1} % over the grant)",
                dkk(over),
                100.0 * over / self.grant
            )
        } else if self.may_overrun() {
            format!(
                "{head}:\n    within the grant at the median, over it at the 95th percentile ({} DKK)",
                dkk(self.cost.p95)
            )
        } else {
            format!(
                "{head}:\n    within the grant ({:.1} % used)",
                100.0 * self.cost.p50 / self.grant
            )
        }
    }
}

/// Whole kroner with thousands separated by commas: `2,179,500`.
fn group(v: f64) -> String {
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 && digits != "0" {
        format!("-{out}")
    } else {
        out
    }
}

fn timestamp(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

/// Why a run failed after its input was accepted.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Pool(#[from] PoolError),
    #[error(transparent)]
    Scenario(#[from] crate::model::error::ScenarioError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error(transparent)]
    Serialize(#[from] SerializeError),
}

/// Whether a run also runs its replications with every uncertain parameter
/// at its median (for `uncertainty.csv`).
fn with_fixed(model: &Model, opts: &RunOptions) -> bool {
    model.is_uncertain() && !opts.fixed
}

/// Replications a run simulates (for a progress bar): twice the scenario's
/// when it also runs them with every parameter at its median.
pub fn work(model: &Model, opts: &RunOptions) -> u64 {
    model.base.replications as u64 * (1 + with_fixed(model, opts) as u64)
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
    let runner = Runner::new(opts.threads)?;
    let n = scenario.replications as u64;
    let draw = if opts.fixed {
        Draw::Median
    } else {
        Draw::Random
    };
    let mut lanes = vec![Lane::new(model, &draw)];
    // With uncertain parameters, the same replications with every parameter
    // at its median separate chance from parameter uncertainty.
    let names = stats::horizon_names();
    let mut fixed = None;
    if with_fixed(model, opts) {
        lanes.push(Lane::new(model, &Draw::Median));
        fixed = Some(Accumulator::new(names.len()));
    }
    let mut run = RunSummaries::new(&plan);
    let mut cohorts = Accumulator::new(plan.cohorts.cells());
    // Declared KPIs only: a scenario without `[[kpis]]` writes the files
    // of fleksim 0.1.
    let kpis = crate::analysis::kpis::Measured::of(&plan).map_err(|e| {
        RunError::Scenario(crate::model::error::ScenarioError::Invalid {
            file: model.file.clone(),
            problems: vec![crate::model::error::Problem {
                key: "kpis".into(),
                message: e.0,
            }],
        })
    })?;
    let mut kpi_acc = kpis.kpis.declared.then(|| Accumulator::new(kpis.len()));
    let mut payer = crate::analysis::budget::PayerAcc::new(&plan, scenario.money.discount_rate);
    let mut per_rep = if opts.per_replication {
        Some(dir.create("replications.csv")?)
    } else {
        None
    };
    runner.stream(&lanes, 0..n, progress, |first, chunk| {
        for r in &chunk[0] {
            run.push(&plan, r);
            cohorts.push(r.cohorts.iter().copied());
            payer.push(&plan, r);
            if let Some(acc) = kpi_acc.as_mut() {
                acc.push(kpis.values(&plan, r));
            }
        }
        if let Some(w) = per_rep.as_mut() {
            export::replications_csv(w, &plan, first, &chunk[0], first == 0)
                .map_err(|e| io_err("replications.csv", e))?;
        }
        if let Some(acc) = fixed.as_mut() {
            for r in &chunk[1] {
                acc.push(stats::horizon_values(&plan, r));
            }
        }
        Ok::<_, RunError>(())
    })?;
    if let Some(w) = per_rep {
        dir.finish("replications.csv", w)?;
    }
    let threads = runner.threads();
    let person_months = run.person_months;
    let total_var = run.horizon_variances();
    let tables = runner.install(|| run.finish());

    let write = |name: &str, bytes: std::io::Result<Vec<u8>>| -> Result<(), RunError> {
        let bytes = bytes.map_err(|e| io_err(name, e))?;
        Ok(dir.write(name, &bytes)?)
    };
    let mut files = Vec::new();
    for (name, bytes) in export::run_files(&plan, &tables) {
        write(name, bytes)?;
        files.push(name.to_string());
    }
    let payer = runner.install(|| payer.finish(&plan));
    let payer_csv =
        crate::analysis::budget::payer_csv(&payer).map_err(|e| io_err("payer.csv", e))?;
    write("payer.csv", Ok(payer_csv.clone()))?;
    files.push("payer.csv".to_string());
    // The budget office's workbook, from the bytes of budget.csv and
    // payer.csv.
    let noted = crate::output::workbook::Noted {
        name: scenario.name.clone(),
        scenario,
        sha256: model.sha256()?,
    };
    write(
        "budget.xlsx",
        export::budget_csv(&plan, &tables.yearly)
            .and_then(|b| crate::output::workbook::run_book(&noted, &b, &payer_csv, opts.lang)),
    )?;
    files.push("budget.xlsx".to_string());
    if !plan.cohorts.list.is_empty() {
        let summaries = runner.install(|| cohorts.finish());
        write("cohorts.csv", export::cohorts_csv(&plan, &summaries))?;
        files.push("cohorts.csv".to_string());
    }
    let mut kpi_summaries = None;
    if let Some(acc) = kpi_acc {
        let summaries = runner.install(|| acc.finish());
        write("kpis.csv", export::kpis_csv(&kpis.kpis, &summaries))?;
        files.push("kpis.csv".to_string());
        kpi_summaries = Some((kpis.kpis.clone(), summaries));
    }
    if let Some(fixed) = fixed {
        let chance_var = fixed.variances();
        let fixed_summary = runner.install(|| fixed.finish());
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
            export::uncertainty_csv(&names, &tables.horizon, &fixed_summary, &share),
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
        scenario_sha256: model.sha256()?,
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
        scenario: SerializeError::json(scenario)?,
        uncertain: model.params.clone(),
        fixed: opts.fixed,
        grant: GrantUse::of(scenario, &tables),
        kpis: kpi_summaries,
    };
    let json =
        serde_json::to_vec_pretty(&manifest).map_err(|e| io_err("manifest.json", e.into()))?;
    write("manifest.json", Ok(json))?;
    let path = dir.commit()?;
    Ok((path, manifest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn use_of(grant: f64, p50: f64, p95: f64) -> GrantUse {
        GrantUse {
            grant,
            cost: Summary {
                mean: p50,
                p05: p50,
                p50,
                p95,
            },
        }
    }

    #[test]
    fn a_cost_above_the_grant_is_flagged() {
        // Issue 17: 2,197,112 DKK of cost against a grant of 2,179,500.
        let g = use_of(2_179_500.0, 2_197_112.0, 2_197_112.0);
        assert!(g.overrun());
        assert_eq!(
            g.text("aalborg-project"),
            "aalborg-project: grant 2,179,500 DKK; grant-funded cost 2,197,112 DKK (median):\n    OVERRUN of 17,612 DKK (0.8 % over the grant)"
        );
        let ok = use_of(2_179_500.0, 2_000_000.0, 2_000_000.0);
        assert!(!ok.overrun() && !ok.may_overrun());
        assert!(ok.text("x").ends_with("within the grant (91.8 % used)"));
        let tail = use_of(100.0, 90.0, 120.0);
        assert!(!tail.overrun() && tail.may_overrun());
        assert_eq!(group(-1234.0), "-1,234");
    }
}
