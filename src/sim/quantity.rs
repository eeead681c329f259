//! A quantity of one replication at a time: what calibration targets and
//! the scenario's KPIs (`[[kpis]]`) measure, parsed against the plan and
//! read off a [`Replication`].
//!
//! A *quantity* is a `monthly.csv` metric, a ratio of sums of metrics such
//! as `hires_le10h/hires`, or a cohort's share in a state
//! (`cohort:NAME:STATE`, from `cohorts.csv`); *when* is a month, a period
//! of months, a calendar year, or months since a cohort's entry.
//!
//! Per replication a quantity's value is: for a month, the metric in that
//! month; for a period `YYYY-MM/YYYY-MM`, the mean of the monthly values
//! (a flow is then "per month"); for a calendar year `YYYY`, the figure of
//! `budget.csv` (flows summed, stocks and shares averaged over the
//! simulated months of the year); for a ratio, the sum of the numerator's
//! metrics over the months divided by the denominator's (0 when the
//! denominator is 0); for a cohort, the share of its members in the state
//! that many months after entry. Pure functions: no IO.

use crate::model::error::code_list;
use crate::model::metrics::{self as mx, Kind, METRICS};
use crate::model::month::Month;
use crate::sim::engine::Replication;
use crate::sim::plan::Plan;

/// What is measured.
#[derive(Debug, Clone, PartialEq)]
pub enum Quantity {
    /// `num[0] + num[1] + …` over `den[0] + …`, or one metric (`den` empty).
    Metrics { num: Vec<usize>, den: Vec<usize> },
    /// A cohort's share in a state: the cohort's index and the state's.
    Cohort { cohort: usize, state: usize },
}

/// When it is measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum When {
    /// Months `first..=last` (one month when equal), as indices.
    Months { first: usize, last: usize },
    /// A calendar year's months, as indices; flows summed.
    Year { first: usize, last: usize },
    /// Months since a cohort's entry.
    SinceEntry(usize),
}

/// Parses a quantity against a plan; `Err` says what is allowed.
pub fn parse_quantity(text: &str, plan: &Plan) -> Result<Quantity, String> {
    if let Some(rest) = text.strip_prefix("cohort:") {
        let co = &plan.cohorts;
        let (name, state) = rest.split_once(':').unwrap_or((rest, ""));
        let Some(cohort) = co.list.iter().position(|c| c.name == name) else {
            return Err(format!(
                "the scenario has no cohort `{name}`; its cohorts: {}",
                if co.list.is_empty() {
                    "none (add [[cohorts]])".to_string()
                } else {
                    code_list(co.list.iter().map(|c| &c.name))
                }
            ));
        };
        let Some(state) = co.states.iter().position(|s| s == state) else {
            return Err(format!(
                "unknown state `{state}` in `{text}`: allowed {}",
                code_list(&co.states)
            ));
        };
        return Ok(Quantity::Cohort { cohort, state });
    }
    let (num, den) = text.split_once('/').unwrap_or((text, ""));
    let list = |side: &str| -> Result<Vec<usize>, String> {
        side.split('+')
            .map(|m| {
                let m = m.trim();
                mx::index(m).ok_or_else(|| {
                    format!(
                        "unknown metric `{m}`: allowed a metric of monthly.csv ({}), a ratio of \
                         sums such as `hires_le10h/hires` or `flex_h01_05/flex_h01_05+flex_h06_10`, \
                         or a cohort share `cohort:NAME:STATE`",
                        METRICS.iter().map(|m| m.name).collect::<Vec<_>>().join(", ")
                    )
                })
            })
            .collect()
    };
    let num = list(num)?;
    let den = if den.is_empty() && !text.contains('/') {
        Vec::new()
    } else {
        list(den)?
    };
    if den.is_empty() && num.len() > 1 {
        return Err(format!(
            "`{text}` is a sum: allowed one metric or a ratio `a+b/c+d`"
        ));
    }
    Ok(Quantity::Metrics { num, den })
}

/// Parses when a target is measured; `Err` says what is allowed.
pub fn parse_when(text: &str, q: &Quantity, plan: &Plan) -> Result<When, String> {
    let start = plan.scenario.start;
    let months = plan.months;
    if let Quantity::Cohort { cohort, .. } = q {
        let c = &plan.cohorts.list[*cohort];
        let follow = c.follow;
        // Months since entry that some member is seen at: the first
        // entrants are the first to reach them.
        let seen = months.checked_sub(c.first + 1);
        return match (text.trim().parse::<usize>(), seen) {
            (_, None) => Err(format!(
                "the cohort enters from {}, after the last simulated month {}: nobody is \
                 followed",
                start.plus(c.first as i32),
                start.plus(months as i32 - 1)
            )),
            (Ok(k), Some(seen)) if k <= follow && k > seen => Err(format!(
                "`{k}` months after entry is not simulated: the cohort's first entrants ({}) \
                 are followed to {}, the last simulated month; allowed 0 to {seen}",
                start.plus(c.first as i32),
                start.plus(months as i32 - 1)
            )),
            (Ok(k), Some(_)) if k <= follow => Ok(When::SinceEntry(k)),
            _ => Err(format!(
                "a cohort share is measured in months since entry, a whole number 0 to {follow} \
                 (the months the cohort is followed), not `{text}`"
            )),
        };
    }
    let index = |m: Month| -> Result<usize, String> {
        let t = start.months_until(m);
        if t < 0 || t as usize >= months {
            Err(format!(
                "{m} is outside the simulated months {start} to {}",
                start.plus(months as i32 - 1)
            ))
        } else {
            Ok(t as usize)
        }
    };
    let bad = || {
        format!(
            "`{text}` is not a month `YYYY-MM`, a period `YYYY-MM/YYYY-MM` or a calendar year `YYYY`"
        )
    };
    if let Some((a, b)) = text.split_once('/') {
        let (Some(a), Some(b)) = (Month::parse(a.trim()), Month::parse(b.trim())) else {
            return Err(bad());
        };
        let (first, last) = (index(a)?, index(b)?);
        if last < first {
            return Err(format!("the period `{text}` ends before it starts"));
        }
        return Ok(When::Months { first, last });
    }
    if let Some(m) = Month::parse(text.trim()) {
        let t = index(m)?;
        return Ok(When::Months { first: t, last: t });
    }
    let Ok(year) = text.trim().parse::<i32>() else {
        return Err(bad());
    };
    let ts: Vec<usize> = (0..months)
        .filter(|&t| plan.scenario.month(t).year() == year)
        .collect();
    match (ts.first(), ts.last()) {
        (Some(&first), Some(&last)) => Ok(When::Year { first, last }),
        _ => Err(format!(
            "no month of {year} is simulated ({start} to {})",
            start.plus(months as i32 - 1)
        )),
    }
}

/// The index of a cohort cell in [`Replication::cohorts`].
fn cohort_cell(plan: &Plan, cohort: usize, state: usize, k: usize) -> usize {
    let co = &plan.cohorts;
    let width = co.states.len() + 1;
    let before: usize = co.list[..cohort]
        .iter()
        .map(|c| (c.follow + 1) * width)
        .sum();
    before + k * width + state
}

impl Quantity {
    /// Its value in month `t` of one replication (a ratio of that month).
    pub fn month_value(&self, r: &Replication, t: usize) -> f64 {
        match self {
            Quantity::Metrics { num, den } => {
                let n: f64 = num.iter().map(|&m| r.get(t, m)).sum();
                if den.is_empty() {
                    return n;
                }
                let d: f64 = den.iter().map(|&m| r.get(t, m)).sum();
                if d == 0.0 {
                    0.0
                } else {
                    n / d
                }
            }
            Quantity::Cohort { .. } => f64::NAN,
        }
    }

    /// Whether its monthly values are flows (summed over a calendar year).
    pub fn is_flow(&self) -> bool {
        match self {
            Quantity::Metrics { num, den } => den.is_empty() && METRICS[num[0]].kind == Kind::Flow,
            Quantity::Cohort { .. } => false,
        }
    }
}

/// A quantity's value `when` in one replication (see the module doc).
pub fn value(quantity: &Quantity, when: When, plan: &Plan, r: &Replication) -> f64 {
    match (quantity, when) {
        (Quantity::Cohort { cohort, state }, When::SinceEntry(k)) => r
            .cohorts
            .get(cohort_cell(plan, *cohort, *state, k))
            .copied()
            .unwrap_or(0.0),
        (
            Quantity::Metrics { num, den },
            When::Months { first, last } | When::Year { first, last },
        ) if !den.is_empty() => {
            let sum = |ms: &[usize]| -> f64 {
                (first..=last)
                    .map(|t| ms.iter().map(|&m| r.get(t, m)).sum::<f64>())
                    .sum()
            };
            let d = sum(den);
            if d == 0.0 {
                0.0
            } else {
                sum(num) / d
            }
        }
        (q, When::Months { first, last }) => {
            let s: f64 = (first..=last).map(|t| q.month_value(r, t)).sum();
            s / (last - first + 1) as f64
        }
        (q, When::Year { first, last }) => {
            let s: f64 = (first..=last).map(|t| q.month_value(r, t)).sum();
            if q.is_flow() {
                s
            } else {
                s / (last - first + 1) as f64
            }
        }
        _ => f64::NAN,
    }
}

/// A quantity and when it is measured, parsed together against a plan
/// (as a KPI's `value` and `at` give them); `Err` names the field that is
/// wrong (`value` or `at`) and says what is allowed.
pub fn parse(
    value: &str,
    at: &str,
    plan: &Plan,
) -> Result<(Quantity, When), (&'static str, String)> {
    let q = parse_quantity(value, plan).map_err(|e| ("value", e))?;
    let w = parse_when(at, &q, plan).map_err(|e| ("at", e))?;
    Ok((q, w))
}
