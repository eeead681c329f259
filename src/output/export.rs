//! The bytes of result files (CSV). Folders are written by
//! [`crate::output::AtomicDir`].

use crate::model::metrics::{self as mx, METRICS};
use crate::sim::engine::Replication;
use crate::sim::plan::Plan;
use crate::stats::{self, Summary};

pub use crate::output::AtomicDir;
use std::io::{self, Write};

/// Formats a number for CSV: shortest round-trip form. Every number a
/// result file holds goes through here, and a non-finite one (`NaN`, `inf`)
/// is refused: it would be a bug, reported (exit code 1), never written.
pub fn num(v: f64) -> io::Result<String> {
    if !v.is_finite() {
        return Err(io::Error::other(format!(
            "bug: a result is {v}, which fleksim never writes; please report it with the scenario"
        )));
    }
    Ok(if v == 0.0 {
        "0".to_string()
    } else {
        format!("{v}")
    })
}

fn row(w: &mut impl Write, lead: &[&str], s: &Summary) -> io::Result<()> {
    for l in lead {
        write!(w, "{l},")?;
    }
    writeln!(
        w,
        "{},{},{},{}",
        num(s.mean)?,
        num(s.p05)?,
        num(s.p50)?,
        num(s.p95)?
    )
}

/// `monthly.csv`: `month,metric,mean,p05,p50,p95`.
pub fn monthly_csv(plan: &Plan, monthly: &[Summary]) -> io::Result<Vec<u8>> {
    let mut w = Vec::with_capacity(plan.months * mx::N * 60);
    writeln!(w, "month,metric,mean,p05,p50,p95")?;
    for t in 0..plan.months {
        let month = plan.scenario.month(t).to_string();
        for (i, m) in METRICS.iter().enumerate() {
            row(&mut w, &[&month, m.name], &monthly[t * mx::N + i])?;
        }
    }
    Ok(w)
}

/// `summary.csv`: `metric,mean,p05,p50,p95`.
pub fn summary_csv(names: &[String], summaries: &[Summary]) -> io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(w, "metric,mean,p05,p50,p95")?;
    for (n, s) in names.iter().zip(summaries) {
        row(&mut w, &[n], s)?;
    }
    Ok(w)
}

/// `budget.csv`: `year,metric,mean,p05,p50,p95`.
pub fn budget_csv(plan: &Plan, yearly: &[Summary]) -> io::Result<Vec<u8>> {
    let names = stats::yearly_names();
    let mut w = Vec::new();
    writeln!(w, "year,metric,mean,p05,p50,p95")?;
    for (k, (year, _, _)) in stats::years(plan).iter().enumerate() {
        let y = year.to_string();
        for (i, n) in names.iter().enumerate() {
            row(&mut w, &[&y, n], &yearly[k * names.len() + i])?;
        }
    }
    Ok(w)
}

/// A run's files (`monthly.csv`, `summary.csv`, `budget.csv`) and their
/// bytes: what `run` writes and what `compare` writes under
/// `runs/<scenario>/`, from the same code.
pub fn run_files(
    plan: &Plan,
    tables: &stats::RunTables,
) -> [(&'static str, io::Result<Vec<u8>>); 3] {
    [
        ("monthly.csv", monthly_csv(plan, &tables.monthly)),
        (
            "summary.csv",
            summary_csv(&stats::horizon_names(), &tables.horizon),
        ),
        ("budget.csv", budget_csv(plan, &tables.yearly)),
    ]
}

/// `replications.csv`: `replication,month,metric,value`, streamed.
pub fn replications_csv(
    w: &mut impl Write,
    plan: &Plan,
    first: u64,
    reps: &[Replication],
    header: bool,
) -> io::Result<()> {
    if header {
        writeln!(w, "replication,month,metric,value")?;
    }
    let months: Vec<String> = (0..plan.months)
        .map(|t| plan.scenario.month(t).to_string())
        .collect();
    for (k, r) in reps.iter().enumerate() {
        let id = first + k as u64;
        for (t, month) in months.iter().enumerate() {
            for (i, m) in METRICS.iter().enumerate() {
                writeln!(w, "{id},{month},{},{}", m.name, num(r.get(t, i))?)?;
            }
        }
    }
    Ok(())
}

/// `uncertainty.csv`: the spread over replications with parameters drawn
/// (`p05`, `p95`) and with every parameter at its median (`fixed_p05`,
/// `fixed_p95`: chance alone), and the share of the variance that the
/// parameters add.
pub fn uncertainty_csv(
    names: &[String],
    total: &[Summary],
    fixed: &[Summary],
    parameter_share: &[f64],
) -> io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(
        w,
        "metric,mean,p05,p95,fixed_mean,fixed_p05,fixed_p95,parameter_share"
    )?;
    for (i, n) in names.iter().enumerate() {
        let (t, f) = (&total[i], &fixed[i]);
        writeln!(
            w,
            "{n},{},{},{},{},{},{},{}",
            num(t.mean)?,
            num(t.p05)?,
            num(t.p95)?,
            num(f.mean)?,
            num(f.p05)?,
            num(f.p95)?,
            num(parameter_share[i])?
        )?;
    }
    Ok(w)
}

/// `parameters.csv`: `replication,parameter,value`, the drawn values.
pub fn parameters_csv(
    w: &mut impl Write,
    model: &crate::input::uncertain::Model,
    replications: u64,
    draw: &crate::input::uncertain::Draw,
) -> io::Result<()> {
    writeln!(w, "replication,parameter,value")?;
    for r in 0..replications {
        for (p, v) in model.params.iter().zip(model.values(r, draw)) {
            writeln!(w, "{r},{},{}", p.path, num(v)?)?;
        }
    }
    Ok(())
}

/// `cohorts.csv`: `cohort,months_since_entry,state,mean,p05,p50,p95,members`,
/// the share of each cohort in each state `k` months after entry
/// (docs/model.md, "Cohorts"), and the mean number of members observed
/// that long after their entry. `summaries` are in
/// [`crate::sim::plan::Cohorts::cells`] order.
pub fn cohorts_csv(plan: &Plan, summaries: &[Summary]) -> io::Result<Vec<u8>> {
    let co = &plan.cohorts;
    let mut w = Vec::new();
    writeln!(
        w,
        "cohort,months_since_entry,state,mean,p05,p50,p95,members"
    )?;
    let mut cells = summaries.iter();
    for c in &co.list {
        for k in 0..=c.follow {
            let shares: Vec<&Summary> = cells.by_ref().take(co.states.len()).collect();
            let members = cells.next().map_or(0.0, |s| s.mean);
            for (state, s) in co.states.iter().zip(shares) {
                writeln!(
                    w,
                    "{},{k},{state},{},{},{},{},{}",
                    c.name,
                    num(s.mean)?,
                    num(s.p05)?,
                    num(s.p50)?,
                    num(s.p95)?,
                    num(members)?
                )?;
            }
        }
    }
    Ok(w)
}
