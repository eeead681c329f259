//! The bytes of result files (CSV). Folders are written by
//! [`crate::output::AtomicDir`].

use crate::model::metrics::{self as mx, METRICS};
use crate::sim::engine::Replication;
use crate::sim::plan::Plan;
use crate::stats::{self, Summary};

pub use crate::output::AtomicDir;
use std::io::{self, Write};

/// Formats a number for CSV in its shortest round-trip form: for values a
/// user gave (sweep axis values, drawn parameters), which must read back
/// exactly. Every number a result file holds goes through here or
/// [`fixed`], and a non-finite one (`NaN`, `inf`) is refused: it would be a
/// bug, reported (exit code 1), never written.
pub fn num(v: f64) -> io::Result<String> {
    finite(v)?;
    Ok(if v == 0.0 {
        "0".to_string()
    } else {
        format!("{v}")
    })
}

fn finite(v: f64) -> io::Result<()> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "bug: a result is {v}, which fleksim never writes; please report it with the scenario"
        )))
    }
}

/// The precision at which a result is written (README, "Precision of the
/// numbers"): DKK to whole kroner, shares, probabilities and factors to 6
/// decimals, people and other counts to 0.01. Trailing zeros are dropped
/// (`22.8`, `-1234`, `0.153`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// Money: whole kroner.
    Dkk,
    /// Shares, probabilities, multipliers: 6 decimals.
    Share,
    /// People, counts, consultants, months: 0.01.
    People,
}

/// Suffixes of derived figures whose unit is their metric's.
const SUFFIXES: [&str; 7] = [
    "_total",
    "_npv",
    "_avg",
    "_end",
    "_at_kpi",
    "_per_year",
    "_diff",
];

impl Precision {
    /// Decimals written.
    pub fn decimals(self) -> usize {
        match self {
            Precision::Dkk => 0,
            Precision::Share => 6,
            Precision::People => 2,
        }
    }

    /// The precision of a figure by its name: a metric of
    /// [`crate::model::metrics::METRICS`] (money lines in DKK, shares at 6
    /// decimals, `capacity` a factor, the rest people or counts), or such a
    /// metric with a suffix (`_total`, `_npv`, `_avg`, `_end`, `_at_kpi`,
    /// `_per_year`), or one of the comparison's own figures. Unknown names
    /// get 6 decimals, which loses nothing a report shows.
    pub fn of(name: &str) -> Precision {
        match name {
            "net_cost_per_year"
            | "net_public_cost_per_year"
            | "net_saving_per_year"
            | "net_cost_diff_per_year" => return Precision::Dkk,
            "positions_paid" | "months" | "person_months" => return Precision::People,
            "capacity" => return Precision::Share,
            _ => {}
        }
        if name.starts_with("prob_") || name.starts_with("share_") {
            return Precision::Share;
        }
        let mut base = name;
        for s in SUFFIXES {
            if let Some(b) = base.strip_suffix(s) {
                base = b;
                break;
            }
        }
        match mx::index(base).map(|i| METRICS[i]) {
            Some(_) if base == "capacity" => Precision::Share,
            Some(m) if m.money => Precision::Dkk,
            Some(m) if m.kind == mx::Kind::Share => Precision::Share,
            Some(_) => Precision::People,
            None => Precision::Share,
        }
    }

    /// The precision of a KPI's unit (`share`, `people`, `DKK`;
    /// [`crate::model::kpi::UNITS`]).
    pub fn of_unit(unit: &str) -> Precision {
        match unit {
            "DKK" => Precision::Dkk,
            "people" => Precision::People,
            _ => Precision::Share,
        }
    }

    /// `v` at this precision.
    pub fn fmt(self, v: f64) -> io::Result<String> {
        fixed(v, self.decimals())
    }
}

/// `v` with at most `decimals` decimals, trailing zeros dropped, and never
/// `-0`. Refuses a non-finite number like [`num`].
pub fn fixed(v: f64, decimals: usize) -> io::Result<String> {
    finite(v)?;
    let mut s = format!("{v:.decimals$}");
    if s.contains('.') {
        let keep = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(keep);
    }
    if s == "-0" {
        s = "0".to_string();
    }
    Ok(s)
}

/// A result figure `v` of `metric` at the metric's precision.
pub fn val(metric: &str, v: f64) -> io::Result<String> {
    Precision::of(metric).fmt(v)
}

/// A share or probability at 6 decimals.
pub fn share(v: f64) -> io::Result<String> {
    Precision::Share.fmt(v)
}

/// The four figures of a summary at `metric`'s precision, comma-separated.
pub fn quantiles(metric: &str, s: &Summary) -> io::Result<String> {
    quantiles_at(Precision::of(metric), s)
}

/// The four figures of a summary at precision `p`, comma-separated.
pub fn quantiles_at(p: Precision, s: &Summary) -> io::Result<String> {
    Ok(format!(
        "{},{},{},{}",
        p.fmt(s.mean)?,
        p.fmt(s.p05)?,
        p.fmt(s.p50)?,
        p.fmt(s.p95)?
    ))
}

fn row(w: &mut impl Write, lead: &[&str], metric: &str, s: &Summary) -> io::Result<()> {
    for l in lead {
        write!(w, "{l},")?;
    }
    writeln!(w, "{}", quantiles(metric, s)?)
}

/// `monthly.csv`: `month,metric,mean,p05,p50,p95`.
pub fn monthly_csv(plan: &Plan, monthly: &[Summary]) -> io::Result<Vec<u8>> {
    let mut w = Vec::with_capacity(plan.months * mx::N * 60);
    writeln!(w, "month,metric,mean,p05,p50,p95")?;
    for t in 0..plan.months {
        let month = plan.scenario.month(t).to_string();
        for (i, m) in METRICS.iter().enumerate() {
            row(&mut w, &[&month, m.name], m.name, &monthly[t * mx::N + i])?;
        }
    }
    Ok(w)
}

/// `summary.csv`: `metric,mean,p05,p50,p95`.
pub fn summary_csv(names: &[String], summaries: &[Summary]) -> io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(w, "metric,mean,p05,p50,p95")?;
    for (n, s) in names.iter().zip(summaries) {
        row(&mut w, &[n], n, s)?;
    }
    Ok(w)
}

/// `budget.csv`: `year,metric,mean,p05,p50,p95,months`, where `months` is
/// the number of simulated months in the year (the first and last years
/// can be partial; the metric `months` says the same, kept for older
/// scripts).
pub fn budget_csv(plan: &Plan, yearly: &[Summary]) -> io::Result<Vec<u8>> {
    let names = stats::yearly_names();
    let mut w = Vec::new();
    writeln!(w, "year,metric,mean,p05,p50,p95,months")?;
    for (k, (year, a, b)) in stats::years(plan).iter().enumerate() {
        let y = year.to_string();
        for (i, n) in names.iter().enumerate() {
            let q = quantiles(n, &yearly[k * names.len() + i])?;
            writeln!(w, "{y},{n},{q},{}", b - a)?;
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

/// `kpis.csv` of a scenario that declares `[[kpis]]`:
/// `kpi,value,at,unit,start,target,goal,mean,p05,p50,p95,met`, one row per
/// KPI in the scenario's order; the figures at the unit's precision, `met`
/// whether the median meets the target (`true`/`false`).
pub fn kpis_csv(kpis: &crate::model::kpi::Kpis, summaries: &[Summary]) -> io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(
        w,
        "kpi,value,at,unit,start,target,goal,mean,p05,p50,p95,met"
    )?;
    for (k, s) in kpis.list.iter().zip(summaries) {
        let p = Precision::of_unit(&k.unit);
        let start = k.start.map(|v| p.fmt(v)).transpose()?.unwrap_or_default();
        writeln!(
            w,
            "{},{},{},{},{start},{},{},{},{}",
            k.name,
            k.value,
            k.at,
            k.unit,
            p.fmt(k.target)?,
            k.goal.as_str(),
            quantiles_at(p, s)?,
            k.goal.met(s.p50, k.target)
        )?;
    }
    Ok(w)
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
                writeln!(w, "{id},{month},{},{}", m.name, val(m.name, r.get(t, i))?)?;
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
        let v = |x: f64| val(n, x);
        writeln!(
            w,
            "{n},{},{},{},{},{},{},{}",
            v(t.mean)?,
            v(t.p05)?,
            v(t.p95)?,
            v(f.mean)?,
            v(f.p05)?,
            v(f.p95)?,
            share(parameter_share[i])?
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
                    share(s.mean)?,
                    share(s.p05)?,
                    share(s.p50)?,
                    share(s.p95)?,
                    Precision::People.fmt(members)?
                )?;
            }
        }
    }
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_at_their_documented_precision() {
        // The float noise issue 17 saw in comparison.csv.
        assert_eq!(val("ly_stock", -22.799999999999997).unwrap(), "-22.8");
        assert_eq!(val("net_municipal_cost", 1234.56).unwrap(), "1235");
        assert_eq!(val("cost_ly_npv", -0.4).unwrap(), "0");
        assert_eq!(val("ly_share", 0.1234567891).unwrap(), "0.123457");
        assert_eq!(val("ly_share_end", 0.15).unwrap(), "0.15");
        assert_eq!(val("capacity", 1.0234567).unwrap(), "1.023457");
        assert_eq!(val("hires_total", 12.0).unwrap(), "12");
        assert_eq!(val("consultants", 13.0).unwrap(), "13");
        assert_eq!(val("net_cost_per_year", 99.5).unwrap(), "100");
        assert_eq!(val("prob_better", 0.4200000001).unwrap(), "0.42");
        assert_eq!(val("positions_paid", -0.333333).unwrap(), "-0.33");
        assert_eq!(share(1.0 / 3.0).unwrap(), "0.333333");
        assert!(val("ly_stock", f64::NAN).is_err());
        assert_eq!(Precision::of("cost_staff_grant_total"), Precision::Dkk);
        assert_eq!(Precision::of("progression_share_at_kpi"), Precision::Share);
        assert_eq!(Precision::of("flex_stock_avg"), Precision::People);
    }
}
