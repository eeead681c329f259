//! The scenario: everything a run needs to know, read from a TOML file.
//!
//! A scenario is plain data. [`crate::input::load`] reads it (with `--set`
//! overrides), fills every default and validates it; the engine never sees an
//! unvalidated scenario. Every mechanism can be switched off, so that the
//! model reduces to a plain Markov chain (see `scenarios/markov-check.toml`).
//!
//! Danish words: *ledighedsydelse* (LY) is the benefit paid while a
//! flexjob-qualified person has no flexjob; *visitation* is the decision that
//! a person qualifies; *virksomhedskonsulent* is the job consultant.

use crate::model::money::Money;
use crate::model::month::Month;
use crate::model::states::{Cohort, Intervention, Shares, StateDef};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole scenario, defaults filled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name; results go to `results/<name>/` by default.
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Which values are assumptions and why (free text, shown in reports).
    #[serde(default)]
    pub assumptions: Vec<String>,
    /// `description` in Danish, for `fleksim report --lang da`. Left out of
    /// the resolved scenario when empty, so its hash stays as it was.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description_da: String,
    /// `assumptions` in Danish (the Danish report shows these instead).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumptions_da: Vec<String>,
    /// First simulated month, `"YYYY-MM"`.
    pub start: Month,
    pub horizon_months: u32,
    #[serde(default = "default_replications")]
    pub replications: u32,
    #[serde(default)]
    pub seed: u64,
    /// How the engine gives jobs the months in which nothing can happen
    /// to them (docs/model.md, "Next-event sampling"); results do not
    /// depend on it. Left out of the resolved scenario at its default.
    #[serde(default, skip_serializing_if = "Sampling::is_default")]
    pub sampling: Sampling,
    /// The scenario this one is measured against (a file path, relative to
    /// this file), used by `fleksim tornado` for its default metric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    pub inflow: Inflow,
    pub initial: Initial,
    pub ly: Ly,
    pub flex: Flex,
    #[serde(default)]
    pub old_rules: OldRules,
    #[serde(default)]
    pub hours: Hours,
    pub staffing: Staffing,
    #[serde(default)]
    pub policy: Policies,
    #[serde(default)]
    pub money: Money,
    /// Model v2's declared states (exit states), by name
    /// ([`crate::model::states`]). Empty in v1 files.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub states: BTreeMap<String, StateDef>,
    /// Model v2's cohorts, followed into `cohorts.csv`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cohorts: Vec<Cohort>,
    /// Model v2's interventions, beside the v1 policies of `[policy]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interventions: Vec<Intervention>,
    /// Model v2's key performance indicators (`[[kpis]]`); empty: the seed
    /// project's flexjob KPIs ([`crate::model::kpi`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kpis: Vec<crate::model::kpi::Kpi>,
}

fn default_replications() -> u32 {
    1000
}

/// One step of a piecewise-constant hazard: from completed month `from` on,
/// the monthly probability is `p` (or the yearly probability `p_year`,
/// converted by `p = 1 - (1 - p_year)^(1/12)`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub from: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p_year: Option<f64>,
}

impl Step {
    /// The monthly probability of this step.
    pub fn monthly(&self) -> f64 {
        match (self.p, self.p_year) {
            (Some(p), _) => p,
            (None, Some(y)) => 1.0 - (1.0 - y).powf(1.0 / 12.0),
            (None, None) => 0.0,
        }
    }

    pub fn constant(p: f64) -> Vec<Step> {
        vec![Step {
            from: 0,
            p: Some(p),
            p_year: None,
        }]
    }
}

/// The value of piecewise-constant steps at duration `d`.
pub fn step_value(steps: &[Step], d: u32) -> f64 {
    steps
        .iter()
        .rev()
        .find(|s| s.from <= d)
        .map_or(0.0, Step::monthly)
}

/// An hours band `from..=to` with its share of a distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub from: u8,
    pub to: u8,
    pub share: f64,
}

/// A dated window, both ends inclusive; a missing end is open.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Month>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Month>,
}

impl Window {
    pub fn contains(&self, m: Month) -> bool {
        self.from.is_none_or(|f| f <= m) && self.to.is_none_or(|t| m <= t)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inflow {
    /// Mean number of people newly visitated to flexjob who start on LY.
    pub visitations_per_month: f64,
    /// Mean number visitated straight into a flexjob (no LY spell).
    #[serde(default)]
    pub direct_per_month: f64,
    /// Dated changes of the rates (model v2): from `from` on, the rates
    /// given replace the ones before; a rate left out stays as it was.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<InflowChange>,
}

/// A dated change of the inflow rates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InflowChange {
    pub from: Month,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitations_per_month: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_per_month: Option<f64>,
}

impl Inflow {
    /// The rates (visitations, direct hires) in force in calendar month `m`.
    pub fn at(&self, m: Month) -> (f64, f64) {
        let (mut v, mut d) = (self.visitations_per_month, self.direct_per_month);
        for c in self.changes.iter().filter(|c| c.from <= m) {
            v = c.visitations_per_month.unwrap_or(v);
            d = c.direct_per_month.unwrap_or(d);
        }
        (v, d)
    }

    /// The largest rates at any time (for the limits).
    pub fn max(&self) -> (f64, f64) {
        self.changes.iter().fold(
            (self.visitations_per_month, self.direct_per_month),
            |(v, d), c| {
                (
                    v.max(c.visitations_per_month.unwrap_or(v)),
                    d.max(c.direct_per_month.unwrap_or(d)),
                )
            },
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Initial {
    /// People on LY at the start.
    pub ly: u32,
    /// Share of the initial LY stock at most 6 months into the spell.
    #[serde(default = "default_le6m_share")]
    pub ly_le6m_share: f64,
    /// Mean of the months beyond 6 for the longer initial spells (geometric).
    #[serde(default = "default_long_extra")]
    pub ly_long_extra_mean: f64,
    /// People in flexjobs at the start, old rules included.
    pub flex: u32,
    /// Of `flex`, people in flexjobs granted before 2013 (old rules).
    #[serde(default)]
    pub old_rules: u32,
    /// Current hours of the initial 2013-rules flexjobs (their start hours,
    /// before any progression).
    #[serde(default = "default_start_bands")]
    pub hours: Vec<Band>,
    /// Share of initial 2013-rules jobs that started at ≤ 10 hours and have
    /// already raised their hours (the seed KPI: 21 % in June 2016).
    #[serde(default)]
    pub progressed_share: f64,
    /// Mean months already spent in the current job (geometric).
    #[serde(default = "default_tenure_mean")]
    pub tenure_mean_months: f64,
}

fn default_le6m_share() -> f64 {
    0.365
}
fn default_long_extra() -> f64 {
    12.0
}
fn default_tenure_mean() -> f64 {
    24.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ly {
    /// Monthly probability of finding a flexjob, by completed spell month.
    pub find_job: Vec<Step>,
    /// Monthly probability of leaving the scheme from LY, by spell month.
    pub exit: Vec<Step>,
    /// Gamma shape of the mean-1 job-finding frailty; 0 = no heterogeneity.
    #[serde(default)]
    pub frailty_shape: f64,
    /// Job finding by work capacity: a multiplier on `find_job` for people
    /// whose hour ceiling is in a band (v2; people outside every band and
    /// all people when empty: 1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub find_job_by_ceiling: Vec<CeilingFactor>,
    /// Where exits from LY go, by spell month (v2; empty: all to `gone`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exit_to: Vec<Shares>,
    /// The transitions out of LY that the frailty multiplies (v2; by
    /// default job finding only).
    #[serde(default = "find_job_only", skip_serializing_if = "is_find_job_only")]
    pub frailty_on: Vec<Transition>,
}

/// A transition out of LY, by name: to a job, or out of the scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    FindJob,
    Exit,
}

fn find_job_only() -> Vec<Transition> {
    vec![Transition::FindJob]
}

fn is_find_job_only(v: &Vec<Transition>) -> bool {
    *v == find_job_only()
}

/// A multiplier for people whose hour ceiling is in `from..=to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CeilingFactor {
    pub from: u8,
    pub to: u8,
    pub multiplier: f64,
}

/// The multiplier of the first band holding `ceiling`, or 1.
pub fn ceiling_factor(bands: &[CeilingFactor], ceiling: u8) -> f64 {
    bands
        .iter()
        .find(|b| (b.from..=b.to).contains(&ceiling))
        .map_or(1.0, |b| b.multiplier)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flex {
    /// Monthly probability of dismissal (back to LY), by months in the job.
    pub dismissal: Vec<Step>,
    /// Monthly probability of leaving the scheme from a flexjob.
    pub exit: Vec<Step>,
    /// Where exits from 2013-rules flexjobs go, by months in the job (v2;
    /// empty: all to `gone`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exit_to: Vec<Shares>,
}

/// Flexjobs granted before 2013: no hours model, their own hazards. A person
/// who loses such a job and is hired again comes under the 2013 rules.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OldRules {
    /// Defaults to `flex.dismissal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dismissal: Option<Vec<Step>>,
    /// Defaults to `flex.exit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<Vec<Step>>,
    /// Where exits from old-rules flexjobs go; defaults to `flex.exit_to`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_to: Option<Vec<Shares>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    /// Distribution of a person's hour ceiling (work capacity).
    #[serde(default = "default_ceiling_bands")]
    pub ceiling: Vec<Band>,
    /// Distribution of a new job's start hours (capped by the ceiling).
    #[serde(default = "default_start_bands")]
    pub start: Vec<Band>,
    /// Monthly probability of an increase without a follow-up contact.
    #[serde(default)]
    pub p_up_organic: f64,
    /// Monthly probability of a decrease.
    #[serde(default)]
    pub p_down: f64,
    /// An increase or decrease is uniform in `step_min..=step_max` hours.
    #[serde(default = "one")]
    pub step_min: u8,
    #[serde(default = "three")]
    pub step_max: u8,
    /// Share of new jobs with a progression agreement (tillægsaftale).
    #[serde(default)]
    pub agreement_share: f64,
    /// Multiplier on the increase probability in jobs with an agreement.
    #[serde(default = "one_f")]
    pub agreement_up_multiplier: f64,
}

impl Default for Hours {
    fn default() -> Self {
        Hours {
            ceiling: default_ceiling_bands(),
            start: default_start_bands(),
            p_up_organic: 0.0,
            p_down: 0.0,
            step_min: 1,
            step_max: 3,
            agreement_share: 0.0,
            agreement_up_multiplier: 1.0,
        }
    }
}

fn one() -> u8 {
    1
}
fn three() -> u8 {
    3
}
fn one_f() -> f64 {
    1.0
}

fn band(from: u8, to: u8, share: f64) -> Band {
    Band { from, to, share }
}

/// New flexjobs: about 60 % at ≤ 10 hours (Rambøll 2015; the seed's 20 hires
/// a month into 0–10 hours), the rest as the national stock (October 2022).
pub fn default_start_bands() -> Vec<Band> {
    vec![
        band(1, 5, 0.27),
        band(6, 10, 0.34),
        band(11, 15, 0.22),
        band(16, 20, 0.12),
        band(21, 30, 0.05),
    ]
}

/// Work capacity: somewhat above start hours (assumption).
pub fn default_ceiling_bands() -> Vec<Band> {
    vec![
        band(1, 5, 0.15),
        band(6, 10, 0.30),
        band(11, 15, 0.25),
        band(16, 20, 0.18),
        band(21, crate::model::money::FULL_TIME_HOURS, 0.12),
    ]
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Addition {
    /// Extra full-time consultants (negative for a cut).
    pub count: f64,
    /// First month in force (inclusive); absent = from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Month>,
    /// Last month in force (inclusive); absent = to the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Month>,
    /// Paid by a project grant rather than the municipality.
    #[serde(default)]
    pub grant: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Staffing {
    /// Full-time virksomhedskonsulenter in the flexjob unit.
    pub consultants: f64,
    /// Time-limited additions, e.g. `{ count = 2, from = "2017-01", to = "2017-12" }`.
    #[serde(default)]
    pub additions: Vec<Addition>,
    /// Working hours of a full-time consultant per month.
    #[serde(default = "default_hours_per_month")]
    pub hours_per_month: f64,
    /// LY persons per search-effective consultant at which hazards are as
    /// calibrated.
    #[serde(default = "default_reference_caseload")]
    pub reference_caseload: f64,
    /// `capacity = (reference_caseload / caseload)^elasticity`; 0 = no effect.
    #[serde(default)]
    pub elasticity: f64,
    #[serde(default = "default_cap_min")]
    pub capacity_min: f64,
    /// The transitions out of LY that the capacity multiplies (v2; by
    /// default job finding only).
    #[serde(default = "find_job_only", skip_serializing_if = "is_find_job_only")]
    pub capacity_on: Vec<Transition>,
    #[serde(default = "default_cap_max")]
    pub capacity_max: f64,
}

fn default_hours_per_month() -> f64 {
    160.33
}
fn default_reference_caseload() -> f64 {
    25.7
}
fn default_cap_min() -> f64 {
    0.5
}
fn default_cap_max() -> f64 {
    2.0
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policies {
    #[serde(default)]
    pub jobclub: Jobclub,
    #[serde(default)]
    pub three_month_review: Review,
    #[serde(default)]
    pub rehab_meeting: RehabMeeting,
    #[serde(default)]
    pub followup: Followup,
    #[serde(default)]
    pub screening: Screening,
}

/// Jobclub within 14 days of visitation, ABC job plan: multiplies `p_find`
/// in spell months `[0, months)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jobclub {
    #[serde(default)]
    pub enabled: bool,
    /// First month in force (inclusive); absent = from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Month>,
    /// Last month in force (inclusive); absent = to the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Month>,
    #[serde(default = "one_f")]
    pub effect: f64,
    #[serde(default = "three_u")]
    pub months: u32,
}

impl Default for Jobclub {
    fn default() -> Self {
        Jobclub {
            enabled: false,
            from: None,
            to: None,
            effect: 1.0,
            months: 3,
        }
    }
}

fn three_u() -> u32 {
    3
}

/// Three-party meeting and praktik after `start_month` months without a job:
/// multiplies `p_find` in spell months `[start_month, start_month + months)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    #[serde(default)]
    pub enabled: bool,
    /// First month in force (inclusive); absent = from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Month>,
    /// Last month in force (inclusive); absent = to the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Month>,
    #[serde(default = "one_f")]
    pub effect: f64,
    #[serde(default = "three_u")]
    pub start_month: u32,
    #[serde(default = "three_u")]
    pub months: u32,
}

impl Default for Review {
    fn default() -> Self {
        Review {
            enabled: false,
            from: None,
            to: None,
            effect: 1.0,
            start_month: 3,
            months: 3,
        }
    }
}

/// A consultant at the rehabilitation team meeting. Applies to people
/// visitated while it is active: multiplies `p_find` in the first `months`
/// of their first spell and gives `agreement_share` of their first jobs a
/// progression agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RehabMeeting {
    #[serde(default)]
    pub enabled: bool,
    /// First month in force (inclusive); absent = from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Month>,
    /// Last month in force (inclusive); absent = to the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Month>,
    #[serde(default = "one_f")]
    pub effect: f64,
    #[serde(default = "three_u")]
    pub months: u32,
    #[serde(default)]
    pub agreement_share: f64,
}

impl Default for RehabMeeting {
    fn default() -> Self {
        RehabMeeting {
            enabled: false,
            from: None,
            to: None,
            effect: 1.0,
            months: 3,
            agreement_share: 0.0,
        }
    }
}

/// Close follow-up in small flexjobs: contacts at the months of `schedule`
/// (months since the job started) in 2013-rules jobs that started at
/// ≤ `max_start_hours`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Followup {
    #[serde(default)]
    pub enabled: bool,
    /// First month in force (inclusive); absent = from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Month>,
    /// Last month in force (inclusive); absent = to the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Month>,
    #[serde(default = "default_schedule")]
    pub schedule: Vec<u32>,
    #[serde(default = "ten")]
    pub max_start_hours: u8,
    /// Consultant hours per contact.
    #[serde(default = "default_hours_per_contact")]
    pub hours_per_contact: f64,
    /// Probability of an hours increase in a contact month.
    #[serde(default)]
    pub p_up_contact: f64,
    /// Multiplier on dismissal in the contact month and `protect_months - 1`
    /// months after it.
    #[serde(default = "one_f")]
    pub dismissal_multiplier: f64,
    #[serde(default = "three_u")]
    pub protect_months: u32,
}

impl Default for Followup {
    fn default() -> Self {
        Followup {
            enabled: false,
            from: None,
            to: None,
            schedule: default_schedule(),
            max_start_hours: 10,
            hours_per_contact: default_hours_per_contact(),
            p_up_contact: 0.0,
            dismissal_multiplier: 1.0,
            protect_months: 3,
        }
    }
}

fn default_schedule() -> Vec<u32> {
    vec![1, 3, 6, 12]
}
fn ten() -> u8 {
    10
}
fn default_hours_per_contact() -> f64 {
    1.5
}

/// Screening of the existing small flexjobs: one contact (as a follow-up
/// contact) for each person of the initial 2013-rules stock whose job started
/// at ≤ `max_start_hours`, spread evenly over the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Screening {
    #[serde(default)]
    pub enabled: bool,
    /// First month in force (inclusive); absent = from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Month>,
    /// Last month in force (inclusive); absent = to the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Month>,
    #[serde(default = "ten")]
    pub max_start_hours: u8,
    #[serde(default = "one_f")]
    pub hours_per_contact: f64,
}

impl Default for Screening {
    fn default() -> Self {
        Screening {
            enabled: false,
            from: None,
            to: None,
            max_start_hours: 10,
            hours_per_contact: 1.0,
        }
    }
}

/// How the engine gives jobs their months (docs/model.md, "Next-event
/// sampling"). Both give the same results to the bit; only the speed
/// differs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sampling {
    /// Every job is met in the monthly loop every month (the reference
    /// against which the tests hold next-event sampling).
    Monthly,
    /// A job whose chances do not change sleeps until the first month in
    /// which its own draws decide something (the default).
    #[default]
    NextEvent,
}

impl Sampling {
    fn is_default(&self) -> bool {
        *self == Sampling::NextEvent
    }
}

impl Scenario {
    /// The last simulated month.
    pub fn end(&self) -> Month {
        self.start.plus(self.horizon_months as i32 - 1)
    }

    /// The calendar month of simulation month `t`.
    pub fn month(&self, t: usize) -> Month {
        self.start.plus(t as i32)
    }

    /// Old-rules hazards with their defaults filled in.
    pub fn old_rules_dismissal(&self) -> &[Step] {
        self.old_rules
            .dismissal
            .as_deref()
            .unwrap_or(&self.flex.dismissal)
    }

    pub fn old_rules_exit(&self) -> &[Step] {
        self.old_rules.exit.as_deref().unwrap_or(&self.flex.exit)
    }

    pub fn old_rules_exit_to(&self) -> &[Shares] {
        self.old_rules
            .exit_to
            .as_deref()
            .unwrap_or(&self.flex.exit_to)
    }

    /// The v2 model this scenario means, as TOML comment lines: the states
    /// with their kinds, where each state's transitions go, the
    /// interventions and the cohorts (printed by `fleksim validate`).
    pub fn v2_form(&self) -> String {
        let shares = |steps: &[Shares]| -> String {
            if steps.is_empty() {
                return "all to gone".into();
            }
            steps
                .iter()
                .map(|st| {
                    let parts: Vec<String> = st
                        .shares
                        .iter()
                        .map(|(n, v)| format!("{n} {:.1} %", v * 100.0))
                        .collect();
                    format!("from month {}: {}", st.from, parts.join(", "))
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        let (benefit, job) = crate::model::states::scheme(&self.states);
        let benefit = match benefit {
            Some(b) if b.work_share > 0.0 => format!(
                "benefit: {}; {:.1} % work {} hours a week, {:.0} % of it deducted",
                if b.label.is_empty() {
                    "declared"
                } else {
                    &b.label
                },
                b.work_share * 100.0,
                b.work_hours,
                b.work_reduction * 100.0
            ),
            Some(b) if !b.label.is_empty() => format!("benefit: {}", b.label),
            _ => "benefit: ledighedsydelse".to_string(),
        };
        let job = match job.and_then(|j| j.job) {
            Some(crate::model::states::JobKind::Ordinary) => format!(
                "job: ordinary, no subsidy; {} months of self-support within 18 restart the staircase",
                job.map_or(12, |j| j.self_support_months)
            ),
            _ => "job: 2013-rules flexjob".to_string(),
        };
        let mut out = vec![
            "# Model v2 form (docs/model.md, \"Model v2\"):".to_string(),
            format!("# state ly ({benefit}): find_job -> flex; exit ->"),
            format!("#   {}", shares(&self.ly.exit_to)),
            format!("# state flex ({job}): dismissal -> ly; exit ->"),
            format!("#   {}", shares(&self.flex.exit_to)),
            "# state old_rules (job: flexjob granted before 2013): dismissal -> ly; exit ->"
                .to_string(),
            format!("#   {}", shares(self.old_rules_exit_to())),
        ];
        for (name, d) in self.exit_states() {
            let leave = if d.leave > 0.0 {
                format!(", leave {:.2} % a month -> gone", d.leave * 100.0)
            } else {
                String::new()
            };
            let initial = if d.initial > 0 {
                format!(", {} at the start", d.initial)
            } else {
                String::new()
            };
            if d.kind == crate::model::states::Kind::Programme {
                let course: Vec<String> = d
                    .course
                    .iter()
                    .map(|b| format!("{}-{} months {:.1} %", b.from, b.to, b.share * 100.0))
                    .collect();
                let end: Vec<String> = d
                    .end_to
                    .iter()
                    .map(|(n, v)| format!("{n} {:.1} %", v * 100.0))
                    .collect();
                out.push(format!(
                    "# state {name} (programme): {} DKK a month, refusion {:.0} %{initial}, \
                     inflow {} a month; course {}; at its end -> {}",
                    d.monthly_cost,
                    d.refusion * 100.0,
                    d.inflow_per_month,
                    course.join(", "),
                    end.join(", ")
                ));
                continue;
            }
            out.push(format!(
                "# state {name} (exit): {} DKK a month, refusion {:.0} %, earnings {} DKK a month{leave}{initial}",
                d.monthly_cost,
                d.refusion * 100.0,
                d.earnings
            ));
        }
        for v in &self.interventions {
            let when = |m: Option<Month>| m.map_or("open".to_string(), |m| m.to_string());
            if v.state == crate::model::states::InterventionState::Programme {
                let end: Vec<String> = v
                    .end_to
                    .iter()
                    .map(|(n, s)| format!("{n} {:.1} %", s * 100.0))
                    .collect();
                out.push(format!(
                    "# intervention {} in programme {}: {} to {}, places {}, until the course ends; at its end -> {}",
                    v.name,
                    v.programme.as_deref().unwrap_or(""),
                    when(v.from),
                    when(v.to),
                    v.places.map_or("unlimited".into(), |p| p.to_string()),
                    end.join(", ")
                ));
                continue;
            }
            use crate::model::states::IvEntry;
            let hours = v
                .max_start_hours
                .map_or(String::new(), |h| format!(", jobs started at ≤ {h} hours"));
            let who = match v.entry {
                IvEntry::Eligible | IvEntry::InForce | IvEntry::Visitation
                    if v.state == crate::model::states::InterventionState::Ly
                        || v.entry == IvEntry::Eligible =>
                {
                    format!(
                        "months in state {}..{}{hours}",
                        v.min_months,
                        v.max_months.map_or("".into(), |m| m.to_string())
                    )
                }
                IvEntry::InForce => format!("contacts at job months {:?}{hours}", v.contact_months),
                _ => format!("one contact each for the initial stock{hours}"),
            };
            let how = match v.entry {
                IvEntry::Eligible => format!(
                    "people enter {} to {}, {} months, places {}",
                    when(v.from),
                    when(v.to),
                    v.months,
                    v.places.map_or("unlimited".into(), |p| p.to_string())
                ),
                IvEntry::InForce => {
                    format!("in force {} to {}, no places", when(v.from), when(v.to))
                }
                IvEntry::Visitation => format!(
                    "for who enters the scheme {} to {}, no places",
                    when(v.from),
                    when(v.to)
                ),
                IvEntry::Stock => {
                    format!("spread over {} to {}, no places", when(v.from), when(v.to))
                }
            };
            out.push(format!(
                "# intervention {} in {}: {how}; {who}",
                v.name,
                format!("{:?}", v.state).to_lowercase(),
            ));
        }
        for c in &self.cohorts {
            out.push(format!(
                "# cohort {}: {} into {}{} from {}{}, followed {} months",
                c.name,
                format!("{:?}", c.entry).to_lowercase(),
                match c.state {
                    crate::model::states::CohortState::Ly => "ly",
                    crate::model::states::CohortState::Flex => "flex",
                    crate::model::states::CohortState::Intervention => "intervention",
                    crate::model::states::CohortState::CourseEnd => "course_end",
                },
                c.intervention
                    .as_ref()
                    .or(c.programme.as_ref())
                    .map_or(String::new(), |n| format!(" `{n}`")),
                c.from,
                c.to.map_or(String::new(), |t| format!(" to {t}")),
                c.months
            ));
        }
        for k in &self.kpis {
            out.push(format!(
                "# kpi {}: {} at {}, target {} {} ({})",
                k.name,
                k.value,
                k.at,
                match k.goal {
                    crate::model::kpi::Goal::AtMost => "at most",
                    crate::model::kpi::Goal::AtLeast => "at least",
                },
                k.target,
                k.unit
            ));
        }
        out.join("\n") + "\n"
    }

    /// The exit states in the engine's order ([`crate::model::states::exit_states`]).
    pub fn exit_states(&self) -> Vec<(String, StateDef)> {
        crate::model::states::exit_states(
            &self.states,
            &[
                &self.ly.exit_to,
                &self.flex.exit_to,
                self.old_rules_exit_to(),
            ],
        )
    }

    /// Fills defaults that depend on other fields, so the resolved scenario
    /// shows every value the engine uses.
    pub fn resolve(&mut self) {
        if self.old_rules.dismissal.is_none() {
            self.old_rules.dismissal = Some(self.flex.dismissal.clone());
        }
        if self.old_rules.exit.is_none() {
            self.old_rules.exit = Some(self.flex.exit.clone());
        }
    }

    /// Consultants employed in simulation month `t`, and of them those paid
    /// by a grant.
    pub fn consultants(&self, t: usize) -> (f64, f64) {
        let m = self.month(t);
        let mut total = self.staffing.consultants;
        let mut grant = 0.0;
        for a in &self.staffing.additions {
            if a.window().contains(m) {
                total += a.count;
                if a.grant {
                    grant += a.count;
                }
            }
        }
        (total.max(0.0), grant)
    }
}

macro_rules! windowed {
    ($($t:ty),*) => {$(
        impl $t {
            /// The dated window in which this is in force.
            pub fn window(&self) -> Window {
                Window { from: self.from, to: self.to }
            }
        }
    )*};
}

windowed!(Addition, Jobclub, Review, RehabMeeting, Followup, Screening);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::money::Discrete;

    #[test]
    fn band_draws_cover_bands() {
        let b = default_start_bands();
        let d = Discrete::from_bands(b.iter().map(|b| (b.from as u32, b.to as u32, b.share)));
        assert_eq!(d.sample(0.0), 1);
        assert_eq!(d.sample(0.999_999), 30);
        let mut le10 = 0;
        for i in 0..100_000 {
            let h = d.sample(i as f64 / 100_000.0);
            assert!((1..=30).contains(&h));
            le10 += (h <= 10) as u32;
        }
        // 27 % + 34 % of the mass is at 1–10 hours.
        assert!((le10 as f64 / 100_000.0 - 0.61).abs() < 1e-3);
    }
}
