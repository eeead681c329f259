//! Break-even (issue 18): how large an alternative's effects would have
//! to be for its cumulative net municipal cost over the horizon to equal
//! the baseline's.
//!
//! One common multiplier `m` scales every effect of the alternative: each
//! effect multiplier `e` of the v1 policies (`jobclub.effect`,
//! `three_month_review.effect`, `rehab_meeting.effect`,
//! `followup.dismissal_multiplier`) and of model v2's interventions
//! (`find_job`, `exit`, `dismissal`, `hours_up`) becomes `1 + m (e − 1)`,
//! at least 0; each effect probability `p` (`rehab_meeting.agreement_share`,
//! `followup.p_up_contact`, and the interventions' `agreement_share` and
//! `hours_up_contact`) becomes `m p`, at most 1. So `m = 0` keeps the
//! alternative's costs without any effect, and `m = 1` is the alternative
//! as written. Costs, windows and places are not scaled.
//!
//! For a multiplier, every replication of the alternative runs with the
//! baseline's seed (common random numbers) and its cumulative net
//! municipal cost over the horizon is set against the baseline's in the
//! same replication. The break-even multiplier is where the mean of these
//! differences is zero; the interval is where their 5th and their 95th
//! percentile are zero (from that multiplier on, 5 % and 95 % of the
//! replications break even). Each is found by bisection on
//! `[LOW, HIGH]` until its bracket is narrower than [`TOLERANCE`], and
//! reported as the bracket's midpoint, within `TOLERANCE / 2` of the
//! simulated root. Evaluated multipliers are kept, so later searches start
//! from the tightest bracket already known. If the differences do not
//! change sign on `[LOW, HIGH]`, no multiplier in range breaks even and
//! [`Outcome`] says why.

use crate::analysis::runner::Runner;
use crate::input::uncertain::{Draw, Model};
use crate::model::error::ScenarioError;
use crate::model::metrics as mx;
use crate::model::scenario::Scenario;
use crate::output::export::share;
use crate::sim::engine::{self, Population};
use crate::sim::plan::Plan;
use crate::stats;
use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;

/// The searched range of multipliers.
pub const LOW: f64 = 0.0;
pub const HIGH: f64 = 10.0;
/// The bisection stops when its bracket is narrower than this.
pub const TOLERANCE: f64 = 0.01;

/// The most evaluations one alternative's search needs: both ends, then
/// three bisections of at most `log2((HIGH − LOW) / TOLERANCE)` steps.
pub fn max_evaluations() -> u64 {
    2 + 3 * ((HIGH - LOW) / TOLERANCE).log2().ceil() as u64
}

/// `s` with every effect scaled by `m` (see the module doc).
pub fn scale_effects(s: &Scenario, m: f64) -> Scenario {
    let mult = |e: f64| (1.0 + m * (e - 1.0)).clamp(0.0, crate::model::limits::MAX_FACTOR);
    let prob = |p: f64| (m * p).clamp(0.0, 1.0);
    let mut s = s.clone();
    let p = &mut s.policy;
    p.jobclub.effect = mult(p.jobclub.effect);
    p.three_month_review.effect = mult(p.three_month_review.effect);
    p.rehab_meeting.effect = mult(p.rehab_meeting.effect);
    p.rehab_meeting.agreement_share = prob(p.rehab_meeting.agreement_share);
    p.followup.dismissal_multiplier = mult(p.followup.dismissal_multiplier);
    p.followup.p_up_contact = prob(p.followup.p_up_contact);
    for v in &mut s.interventions {
        v.find_job = mult(v.find_job);
        v.exit = mult(v.exit);
        v.dismissal = mult(v.dismissal);
        v.hours_up = mult(v.hours_up);
        v.hours_up_contact = prob(v.hours_up_contact);
        v.agreement_share = prob(v.agreement_share);
    }
    s
}

/// Whether the scenario has any effect the multiplier scales.
pub fn has_effects(s: &Scenario) -> bool {
    crate::model::presets::policy_interventions(s)
        .iter()
        .chain(&s.interventions)
        .any(|v| {
            [v.find_job, v.exit, v.dismissal, v.hours_up] != [1.0; 4]
                || v.hours_up_contact > 0.0
                || v.agreement_share > 0.0
        })
}

/// Each replication's net municipal cost summed over the horizon, with
/// the effects scaled by `m` (`None`: as written), in replication order.
fn horizon_costs(
    model: &Model,
    m: Option<f64>,
    reps: u64,
    runner: &Runner,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<f64>, ScenarioError> {
    let scaled = |s: Scenario| match m {
        Some(m) => scale_effects(&s, m),
        None => s,
    };
    let shared = (!model.is_uncertain()).then(|| Plan::new(&scaled(model.base.clone())));
    runner.install(|| {
        (0..reps)
            .into_par_iter()
            .map_init(Population::default, |pop, r| {
                let own;
                let plan = match &shared {
                    Some(p) => p,
                    None => {
                        own = Plan::new(&scaled(model.scenario(r, &Draw::Random)?));
                        &own
                    }
                };
                let rep = engine::simulate_with(plan, r, pop);
                progress();
                Ok((0..plan.months)
                    .map(|t| rep.get(t, mx::NET_MUNICIPAL_COST))
                    .sum())
            })
            .collect()
    })
}

/// The differences at one multiplier: mean, 5th and 95th percentile.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub multiplier: f64,
    pub mean: f64,
    pub p05: f64,
    pub p95: f64,
}

impl Point {
    fn get(&self, k: usize) -> f64 {
        [self.mean, self.p05, self.p95][k]
    }
}

/// Why a search found what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A multiplier in range breaks even.
    Found,
    /// The alternative costs less than the baseline even without effects.
    CheaperWithoutEffects,
    /// The alternative costs more at both ends of the range (with effects
    /// that do not pay, or a cost that falls too slowly).
    DearerThroughout,
    /// The alternative has no effect to scale.
    NoEffects,
}

/// One alternative's break-even.
#[derive(Debug, Clone, Serialize)]
pub struct BreakEven {
    pub scenario: String,
    /// Where the mean difference is zero.
    pub multiplier: Option<f64>,
    /// Where the 5th and the 95th percentile are zero, the lower first.
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub outcome: Outcome,
    /// Every multiplier evaluated, in order of evaluation.
    pub points: Vec<Point>,
}

/// A search's settings, for the manifest.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    pub low: f64,
    pub high: f64,
    pub tolerance: f64,
    pub statistic: &'static str,
    pub results: Vec<BreakEven>,
}

/// The tightest bracket `[a, b]` among `points` in which statistic `k`
/// changes sign (a zero counts as a root at that point).
fn bracket(points: &[Point], k: usize) -> Option<(Point, Point)> {
    let mut sorted = points.to_vec();
    sorted.sort_by(|a, b| a.multiplier.total_cmp(&b.multiplier));
    sorted
        .windows(2)
        .filter(|w| w[0].get(k).signum() != w[1].get(k).signum() || w[0].get(k) == 0.0)
        .min_by(|x, y| {
            (x[1].multiplier - x[0].multiplier).total_cmp(&(y[1].multiplier - y[0].multiplier))
        })
        .map(|w| (w[0], w[1]))
}

/// Runs the search for each alternative (`models[1..]`) against the
/// baseline `models[0]`, with `reps` replications each.
pub fn search(
    models: &[Model],
    names: &[String],
    reps: u64,
    runner: &Runner,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<BreakEven>, ScenarioError> {
    let base = horizon_costs(&models[0], None, reps, runner, progress)?;
    let mut out = Vec::new();
    for (model, name) in models[1..].iter().zip(&names[1..]) {
        if !has_effects(&model.base) {
            out.push(BreakEven {
                scenario: name.clone(),
                multiplier: None,
                lower: None,
                upper: None,
                outcome: Outcome::NoEffects,
                points: Vec::new(),
            });
            continue;
        }
        let eval = |m: f64| -> Result<Point, ScenarioError> {
            let alt = horizon_costs(model, Some(m), reps, runner, progress)?;
            let d: Vec<f64> = alt.iter().zip(&base).map(|(a, b)| a - b).collect();
            let s = stats::summarize(d);
            Ok(Point {
                multiplier: m,
                mean: s.mean,
                p05: s.p05,
                p95: s.p95,
            })
        };
        let mut points = vec![eval(LOW)?, eval(HIGH)?];
        let mut roots = [None; 3];
        for (k, root) in roots.iter_mut().enumerate() {
            let Some((mut a, mut b)) = bracket(&points, k) else {
                continue;
            };
            while b.multiplier - a.multiplier > TOLERANCE && a.get(k) != 0.0 {
                let p = eval(0.5 * (a.multiplier + b.multiplier))?;
                points.push(p);
                if p.get(k).signum() == a.get(k).signum() && p.get(k) != 0.0 {
                    a = p;
                } else {
                    b = p;
                }
            }
            *root = Some(if a.get(k) == 0.0 {
                a.multiplier
            } else {
                0.5 * (a.multiplier + b.multiplier)
            });
        }
        let lo = points[0];
        let outcome = match roots[0] {
            Some(_) => Outcome::Found,
            None if lo.mean < 0.0 => Outcome::CheaperWithoutEffects,
            None => Outcome::DearerThroughout,
        };
        // As effects grow the difference falls, so the 5th percentile
        // reaches zero first; a bound outside the range stays empty.
        let (lower, upper) = match (roots[1], roots[2]) {
            (Some(x), Some(y)) => (Some(x.min(y)), Some(x.max(y))),
            other => other,
        };
        out.push(BreakEven {
            scenario: name.clone(),
            multiplier: roots[0],
            lower,
            upper,
            outcome,
            points,
        });
    }
    Ok(out)
}

/// `break_even.csv`: `scenario,multiplier,lower,upper`; a field is empty
/// where no multiplier in range breaks even (the manifest says why).
pub fn csv(results: &[BreakEven]) -> std::io::Result<Vec<u8>> {
    let mut w = Vec::new();
    writeln!(w, "scenario,multiplier,lower,upper")?;
    let f = |x: Option<f64>| x.map(share).transpose().map(Option::unwrap_or_default);
    for b in results {
        writeln!(
            w,
            "{},{},{},{}",
            b.scenario,
            f(b.multiplier)?,
            f(b.lower)?,
            f(b.upper)?
        )?;
    }
    Ok(w)
}

/// One line for people: the multiplier and its interval, or why none.
pub fn text(b: &BreakEven) -> String {
    let x = |v: Option<f64>, out: String| v.map_or(out, |v| format!("{v:.2}"));
    match b.outcome {
        Outcome::Found => format!(
            "{}: breaks even at {}× its effects (90 % interval {} – {}; tolerance ±{})",
            b.scenario,
            x(b.multiplier, String::new()),
            x(b.lower, format!("below {LOW}")),
            x(b.upper, format!("above {HIGH}")),
            TOLERANCE / 2.0
        ),
        Outcome::CheaperWithoutEffects => format!(
            "{}: no multiplier from {LOW} to {HIGH} breaks even: it costs less than the baseline even without effects",
            b.scenario
        ),
        Outcome::DearerThroughout => format!(
            "{}: no multiplier from {LOW} to {HIGH} breaks even: it costs more than the baseline even at {HIGH}× its effects",
            b.scenario
        ),
        Outcome::NoEffects => format!(
            "{}: no multiplier breaks even: it has no effect to scale",
            b.scenario
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(m: f64, v: f64) -> Point {
        Point {
            multiplier: m,
            mean: v,
            p05: v - 1.0,
            p95: v + 1.0,
        }
    }

    #[test]
    fn the_tightest_sign_change_is_the_bracket() {
        let pts = [pt(0.0, 5.0), pt(10.0, -5.0), pt(2.0, 1.0), pt(4.0, -0.5)];
        let (a, b) = bracket(&pts, 0).unwrap();
        assert_eq!((a.multiplier, b.multiplier), (2.0, 4.0));
        assert!(bracket(&[pt(0.0, 5.0), pt(10.0, 3.0)], 0).is_none());
    }
}
