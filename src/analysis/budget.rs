//! Budget practice (issue 18): who pays from which budget, levels beside
//! differences, and the budget year with its three overslagsår.
//!
//! Each replication's monthly metrics are split by payer and budget frame
//! ([`crate::model::payer`]) and summed per calendar year and over the
//! horizon ("periods"). A run writes the split as `payer.csv`; a comparison
//! also writes, per alternative, `budget_levels.csv` (baseline and
//! alternative levels, the paired difference and the change, undiscounted
//! and discounted at the baseline's rate side by side) and, with
//! `--budget-year YYYY`, `budget_year.csv` (the budget year and the three
//! overslagsår, each marked as in the grant period, the permanent period,
//! or neither).
//!
//! Present values are at the first simulated month, discounted monthly at
//! the yearly rate, as `summary.csv`'s `_npv` figures; in a comparison both
//! scenarios are discounted at the baseline's rate, so the difference of
//! present values is the present value of the difference.

use crate::model::error::InputError;
use crate::model::month::Month;
use crate::model::payer::{self, CELLS};
use crate::model::scenario::{Scenario, Window};
use crate::output::export::{quantiles, share, val};
use crate::sim::engine::Replication;
use crate::sim::plan::Plan;
use crate::stats::{self, Accumulator, Summary};
use std::io::Write;

/// A period of the split: a calendar year or the whole horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The calendar year; `None` for the horizon.
    pub year: Option<i32>,
    /// Simulated months in it.
    pub months: usize,
}

impl Period {
    /// `2018` or `horizon`.
    pub fn label(&self) -> String {
        self.year.map_or("horizon".into(), |y| y.to_string())
    }
}

/// The periods of a plan: its calendar years, then the horizon.
pub fn periods(plan: &Plan) -> Vec<Period> {
    let mut out: Vec<Period> = stats::years(plan)
        .into_iter()
        .map(|(y, a, b)| Period {
            year: Some(y),
            months: b - a,
        })
        .collect();
    out.push(Period {
        year: None,
        months: plan.months,
    });
    out
}

/// One replication's split per period (`period * payer::N + cell`),
/// each month discounted by `1 / (1 + rate)^(t / 12)` (`rate` 0: none).
pub fn values(plan: &Plan, r: &Replication, rate: f64) -> Vec<f64> {
    let years = stats::years(plan);
    let mut out = vec![0.0; (years.len() + 1) * payer::N];
    let horizon = years.len() * payer::N;
    for (k, &(_, a, b)) in years.iter().enumerate() {
        for t in a..b {
            let f = if rate == 0.0 {
                1.0
            } else {
                1.0 / (1.0 + rate).powf(t as f64 / 12.0)
            };
            let split =
                payer::split(&r.values[t * crate::model::metrics::N..][..crate::model::metrics::N]);
            for (c, v) in split.iter().enumerate() {
                out[k * payer::N + c] += f * v;
                out[horizon + c] += f * v;
            }
        }
    }
    out
}

/// A scenario's split over replications: undiscounted, and discounted at
/// a stated rate.
#[derive(Debug, Clone)]
pub struct PayerAcc {
    plain: Accumulator,
    pv: Accumulator,
    rate: f64,
}

/// One replication's split, undiscounted and discounted.
#[derive(Debug, Clone)]
pub struct PayerFigures {
    pub plain: Vec<f64>,
    pub pv: Vec<f64>,
}

/// Finished [`PayerAcc`]: summaries per `period * payer::N + cell`.
#[derive(Debug, Clone)]
pub struct PayerTables {
    pub periods: Vec<Period>,
    pub plain: Vec<Summary>,
    pub pv: Vec<Summary>,
    pub rate: f64,
}

impl PayerAcc {
    /// For `plan`'s periods, discounting at `rate`.
    pub fn new(plan: &Plan, rate: f64) -> PayerAcc {
        let cells = periods(plan).len() * payer::N;
        PayerAcc {
            plain: Accumulator::new(cells),
            pv: Accumulator::new(cells),
            rate,
        }
    }

    /// Adds a replication; returns its figures (for paired differences).
    pub fn push(&mut self, plan: &Plan, r: &Replication) -> PayerFigures {
        let f = PayerFigures {
            plain: values(plan, r, 0.0),
            pv: values(plan, r, self.rate),
        };
        self.plain.push(f.plain.iter().copied());
        self.pv.push(f.pv.iter().copied());
        f
    }

    pub fn finish(self, plan: &Plan) -> PayerTables {
        PayerTables {
            periods: periods(plan),
            plain: self.plain.finish(),
            pv: self.pv.finish(),
            rate: self.rate,
        }
    }
}

/// `payer.csv`: `period,months,line,payer,frame,mean,p05,p50,p95`, each
/// money line by payer per calendar year and over the horizon
/// (undiscounted DKK).
pub fn payer_csv(t: &PayerTables) -> std::io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(w, "period,months,line,payer,frame,mean,p05,p50,p95")?;
    for (k, p) in t.periods.iter().enumerate() {
        for (c, cell) in CELLS.iter().enumerate() {
            writeln!(
                w,
                "{},{},{},{},{},{}",
                p.label(),
                p.months,
                cell.line,
                cell.payer.name(),
                cell.frame.map_or("", |f| f.name()),
                quantiles("net_municipal_cost", &t.plain[k * payer::N + c])?
            )?;
        }
    }
    Ok(w)
}

/// The paired differences of the split (alternative minus baseline).
#[derive(Debug, Clone)]
pub struct LevelsAcc {
    plain: Accumulator,
    pv: Accumulator,
}

impl LevelsAcc {
    pub fn new(plan: &Plan) -> LevelsAcc {
        let cells = periods(plan).len() * payer::N;
        LevelsAcc {
            plain: Accumulator::new(cells),
            pv: Accumulator::new(cells),
        }
    }

    pub fn push(&mut self, base: &PayerFigures, alt: &PayerFigures) {
        self.plain
            .push(alt.plain.iter().zip(&base.plain).map(|(a, b)| a - b));
        self.pv
            .push(alt.pv.iter().zip(&base.pv).map(|(a, b)| a - b));
    }

    /// The level rows against the baseline's and the alternative's tables.
    pub fn finish(self, base: &PayerTables, alt: &PayerTables) -> Vec<LevelRow> {
        let plain = self.plain.finish();
        let pv = self.pv.finish();
        let mut out = Vec::new();
        for (k, p) in base.periods.iter().enumerate() {
            for c in 0..payer::N {
                let i = k * payer::N + c;
                out.push(LevelRow {
                    period: *p,
                    cell: c,
                    base: base.plain[i].mean,
                    alt: alt.plain[i].mean,
                    diff: plain[i],
                    base_pv: base.pv[i].mean,
                    alt_pv: alt.pv[i].mean,
                    diff_pv: pv[i],
                });
            }
        }
        out
    }
}

/// A line's levels in one period: the baseline's and the alternative's
/// means, and the paired difference over replications, undiscounted and
/// discounted.
#[derive(Debug, Clone, Copy)]
pub struct LevelRow {
    pub period: Period,
    /// Index into [`CELLS`].
    pub cell: usize,
    pub base: f64,
    pub alt: f64,
    pub diff: Summary,
    pub base_pv: f64,
    pub alt_pv: f64,
    pub diff_pv: Summary,
}

impl LevelRow {
    /// The difference of the means relative to the baseline's level
    /// (0.05 = 5 %); none where the baseline's level is zero.
    pub fn change(&self) -> Option<f64> {
        (self.base.abs() >= 0.5).then(|| self.diff.mean / self.base.abs())
    }
}

/// `budget_levels.csv` for the alternatives' level rows.
pub fn levels_csv(rows: &[(&str, &[LevelRow])], rate: f64) -> std::io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(
        w,
        "scenario,period,months,line,payer,frame,baseline,alternative,diff_mean,diff_p05,diff_p50,diff_p95,change,\
         baseline_pv,alternative_pv,diff_pv_mean,diff_pv_p05,diff_pv_p50,diff_pv_p95,discount_rate"
    )?;
    let dkk = |v: f64| val("net_municipal_cost", v);
    for (name, rows) in rows {
        for r in rows.iter() {
            let cell = &CELLS[r.cell];
            writeln!(
                w,
                "{name},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                r.period.label(),
                r.period.months,
                cell.line,
                cell.payer.name(),
                cell.frame.map_or("", |f| f.name()),
                dkk(r.base)?,
                dkk(r.alt)?,
                quantiles("net_municipal_cost", &r.diff)?,
                r.change().map(share).transpose()?.unwrap_or_default(),
                dkk(r.base_pv)?,
                dkk(r.alt_pv)?,
                quantiles("net_municipal_cost", &r.diff_pv)?,
                share(rate)?,
            )?;
        }
    }
    Ok(w)
}

/// A year's role in the municipal budget.
pub fn role(budget_year: i32, year: i32) -> Option<&'static str> {
    match year - budget_year {
        0 => Some("budget_year"),
        1 => Some("overslagsaar_1"),
        2 => Some("overslagsaar_2"),
        3 => Some("overslagsaar_3"),
        _ => None,
    }
}

/// The four years a municipal budget decides.
pub const BUDGET_YEARS: i32 = 4;

/// Refuses a budget year whose four years are not all simulated, each
/// whole (twelve months: a part of a year is not a budget year).
pub fn check_budget_year(year: i32, plan: &Plan) -> Result<(), InputError> {
    let years: Vec<i32> = stats::years(plan)
        .iter()
        .filter(|(_, a, b)| b - a == 12)
        .map(|y| y.0)
        .collect();
    let (Some(&first), Some(&last)) = (years.first(), years.last()) else {
        return Err(InputError(format!(
            "--budget-year {year}: the horizon holds no whole calendar year"
        )));
    };
    if year < first || year + BUDGET_YEARS - 1 > last {
        let hint = if last - first + 1 < BUDGET_YEARS {
            "the horizon is too short for four years; raise horizon_months".to_string()
        } else {
            format!("use a year from {first} to {}", last - BUDGET_YEARS + 1)
        };
        return Err(InputError(format!(
            "--budget-year {year}: the budget year and its three overslagsår ({year}–{}) must all be \
             simulated whole, but the horizon covers whole years {first} to {last} ({hint})",
            year + BUDGET_YEARS - 1
        )));
    }
    Ok(())
}

fn clip(w: &Window, s: &Scenario) -> Option<(Month, Month)> {
    let from = w.from.unwrap_or(s.start).max(s.start);
    let to = w.to.unwrap_or(s.end()).min(s.end());
    (from <= to).then_some((from, to))
}

/// The grant period: from the first to the last month of the grant-funded
/// staff additions and project costs, within the horizon.
pub fn grant_period(s: &Scenario) -> Option<(Month, Month)> {
    let mut spans = Vec::new();
    for a in s.staffing.additions.iter().filter(|a| a.grant) {
        spans.extend(clip(
            &Window {
                from: a.from,
                to: a.to,
            },
            s,
        ));
    }
    for c in s.money.project_costs.iter().filter(|c| c.grant) {
        spans.extend(clip(
            &Window {
                from: Some(c.from),
                to: Some(c.to),
            },
            s,
        ));
    }
    let from = spans.iter().map(|w| w.0).min()?;
    let to = spans.iter().map(|w| w.1).max()?;
    Some((from, to))
}

/// The permanent period: the months the alternative's policies and
/// interventions are in force after the grant period (all of them, if
/// there is no grant), paid by the municipality; `project_end` is the
/// last month of those windows (`compare::project_end`).
pub fn permanent_period(s: &Scenario, project_end: Option<Month>) -> Option<(Month, Month)> {
    let end = project_end?;
    let from = match grant_period(s) {
        Some((_, g)) => g.plus(1),
        None => crate::model::presets::windows(s)
            .iter()
            .map(|w| w.from.unwrap_or(s.start).max(s.start))
            .min()?,
    };
    (from <= end).then_some((from, end))
}

/// How a year meets the grant and permanent periods: `grant`,
/// `permanent`, `grant+permanent`, or empty.
pub fn period_mark(
    year: i32,
    grant: Option<(Month, Month)>,
    permanent: Option<(Month, Month)>,
) -> &'static str {
    let meets =
        |w: Option<(Month, Month)>| w.is_some_and(|(f, t)| f.year() <= year && year <= t.year());
    match (meets(grant), meets(permanent)) {
        (true, true) => "grant+permanent",
        (true, false) => "grant",
        (false, true) => "permanent",
        (false, false) => "",
    }
}

/// The budget year's view of one alternative.
#[derive(Debug, Clone)]
pub struct BudgetYearView {
    pub scenario: String,
    pub grant: Option<(Month, Month)>,
    pub permanent: Option<(Month, Month)>,
    /// The level rows of the four years, in year and cell order.
    pub rows: Vec<LevelRow>,
}

/// The four years' rows of an alternative's levels.
pub fn budget_year_view(
    name: &str,
    alt: &Scenario,
    project_end: Option<Month>,
    year: i32,
    levels: &[LevelRow],
) -> BudgetYearView {
    BudgetYearView {
        scenario: name.to_string(),
        grant: grant_period(alt),
        permanent: permanent_period(alt, project_end),
        rows: levels
            .iter()
            .filter(|r| r.period.year.is_some_and(|y| role(year, y).is_some()))
            .copied()
            .collect(),
    }
}

/// `budget_year.csv`: `scenario,year,role,months,period,line,payer,frame,
/// baseline,alternative,diff_mean,diff_p05,diff_p50,diff_p95,change`,
/// undiscounted DKK (a budget is in the year's kroner).
pub fn budget_year_csv(year: i32, views: &[BudgetYearView]) -> std::io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(
        w,
        "scenario,year,role,months,period,line,payer,frame,baseline,alternative,\
         diff_mean,diff_p05,diff_p50,diff_p95,change"
    )?;
    let dkk = |v: f64| val("net_municipal_cost", v);
    for v in views {
        for r in &v.rows {
            let Some(y) = r.period.year else { continue };
            let cell = &CELLS[r.cell];
            writeln!(
                w,
                "{},{y},{},{},{},{},{},{},{},{},{},{}",
                v.scenario,
                role(year, y).unwrap_or_default(),
                r.period.months,
                period_mark(y, v.grant, v.permanent),
                cell.line,
                cell.payer.name(),
                cell.frame.map_or("", |f| f.name()),
                dkk(r.base)?,
                dkk(r.alt)?,
                quantiles("net_municipal_cost", &r.diff)?,
                r.change().map(share).transpose()?.unwrap_or_default(),
            )?;
        }
    }
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    #[test]
    fn years_are_marked_by_the_grant_and_permanent_periods() {
        let g = Some((m("2017-01"), m("2018-06")));
        let p = Some((m("2018-07"), m("2026-08")));
        assert_eq!(period_mark(2016, g, p), "");
        assert_eq!(period_mark(2017, g, p), "grant");
        assert_eq!(period_mark(2018, g, p), "grant+permanent");
        assert_eq!(period_mark(2019, g, p), "permanent");
        assert_eq!(period_mark(2019, g, None), "");
        assert_eq!(role(2018, 2021), Some("overslagsaar_3"));
        assert_eq!(role(2018, 2022), None);
        assert_eq!(role(2018, 2017), None);
    }
}
