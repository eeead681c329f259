//! Model v2's declared states: exit states with their prices, the shares in
//! which exits from LY and from flexjobs go to them, and the public purse's
//! tax rates (docs/model.md, "Model v2").
//!
//! The scheme's own states stay built in (LY is the benefit state, `flex`
//! and `old_rules` the job states, with the rules of docs/model.md). What a
//! scenario declares are the states outside the scheme: exit states
//! (førtidspension, ordinary work, other), each absorbing and costing what
//! it costs until the horizon, and programme states (ressourceforløb): a
//! course of scheduled length with a benefit, at whose end people go on to
//! LY (a flexjob visitation), a flexjob or another declared state. A v1
//! file declares none: its exits go to the built-in exit state [`GONE`],
//! which costs nothing.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The exit state of v1 files: leaving the scheme at no cost.
pub const GONE: &str = "gone";

/// At most this many declared states, exit and programme states and
/// [`GONE`] together (the engine counts them in a fixed-size array).
pub const MAX_EXIT_STATES: usize = 8;

/// Longest course of a programme state, in months.
pub const MAX_COURSE_MONTHS: u32 = 120;

/// Where a programme's course can end besides the declared states: back
/// in the scheme, on LY (a flexjob visitation) or in a 2013-rules flexjob.
pub const TO_LY: &str = "ly";
pub const TO_FLEX: &str = "flex";

/// The kind of a declared state. LY and the two job states are the
/// scheme's own (docs/model.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Absorbing, with a monthly price (førtidspension, ordinary work).
    Exit,
    /// A course of scheduled length with a benefit, whose participants go
    /// on at its end (ressourceforløb).
    Programme,
    /// The scheme's benefit state, declared as `[states.ly]` to name and
    /// label it (kontanthjælp, ledighedsydelse) and to give it ordinary
    /// paid hours while on the benefit. Its rates are `[money.ly]`, its
    /// refusion rule `[money.refusion]`, its hazards `[ly]`.
    Benefit,
    /// The scheme's job state, declared as `[states.flex]`: a flexjob (the
    /// default) or an ordinary job (`job = "ordinary"`). Its hazards are
    /// `[flex]`, its hours `[hours]`.
    Job,
}

/// What the scheme's job state is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// A 2013-rules flexjob: the hours model and the flex subsidy; its
    /// months count as benefit weeks on the staircase.
    #[default]
    Flexjob,
    /// An ordinary job: wages only, no subsidy; self-support, so its months
    /// do not count on the staircase, and `self_support_months` of them
    /// within the last 18 start the staircase over.
    Ordinary,
}

/// The name of the scheme's benefit state, and of its job state, in every
/// model (docs/model.md, "The scheme's states").
pub const BENEFIT: &str = "ly";
pub const JOB: &str = "flex";

/// Course lengths in `from..=to` months (each equally likely) with this
/// share of the courses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseBand {
    pub from: u32,
    pub to: u32,
    pub share: f64,
}

/// From month `from` on, a programme takes new participants from outside
/// the model at `per_month` a month (a Poisson mean).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateChange {
    pub from: crate::model::month::Month,
    pub per_month: f64,
}

/// A declared state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateDef {
    pub kind: Kind,
    /// Benefit the public pays a person in this state each month, DKK in the
    /// scenario's first year, indexed like the law amounts. Exit and
    /// programme states must write it, 0 included; the scheme's states
    /// (benefit, job) take their money from `[money]` and leave it out.
    #[serde(default = "unset", skip_serializing_if = "is_unset")]
    pub monthly_cost: f64,
    /// Share of `monthly_cost` the state refunds to the municipality.
    #[serde(default)]
    pub refusion: f64,
    /// Taxable earnings from work each month (ordinary work), DKK in the
    /// first year, indexed like wages. Counted only in the public purse, as
    /// income tax.
    #[serde(default)]
    pub earnings: f64,
    /// Whether `monthly_cost` is taxable income (pensions and benefits are).
    #[serde(default = "yes")]
    pub taxable: bool,
    /// Monthly probability of leaving this exit state for [`GONE`]
    /// (pension age, moving); 0 keeps people here to the horizon. Not for
    /// programmes, whose people leave at the end of their course.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub leave: f64,
    /// People in this state at the start (month 0). A programme's initial
    /// participants are at a random point of their course.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub initial: u32,
    /// Programmes: the distribution of course lengths in months.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub course: Vec<CourseBand>,
    /// Programmes: where participants go at the end of their course, in
    /// shares summing to 1 ([`TO_LY`], [`TO_FLEX`] or a declared state,
    /// the programme itself included: a new course).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub end_to: BTreeMap<String, f64>,
    /// Programmes: new participants from outside the model per month (a
    /// Poisson mean), from the scenario's start.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub inflow_per_month: f64,
    /// Programmes: dated changes of `inflow_per_month`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inflow_changes: Vec<RateChange>,
    /// Benefit (`ly`): the share of people on the benefit who work
    /// ordinary paid hours in a month, their weekly hours, and the share of
    /// those earnings by which the benefit is reduced (kontanthjælp: about
    /// krone for krone).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub work_share: f64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub work_hours: f64,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub work_reduction: f64,
    /// Job (`flex`): a flexjob or an ordinary job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<JobKind>,
    /// Ordinary job: months of self-support within the last 18 after which
    /// the staircase starts over (the law: 52 weeks within 3 years).
    #[serde(default = "twelve", skip_serializing_if = "is_twelve")]
    pub self_support_months: u32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label_da: String,
}

fn yes() -> bool {
    true
}

fn unset() -> f64 {
    f64::NAN
}

fn is_unset(v: &f64) -> bool {
    v.is_nan()
}

fn is_one(v: &f64) -> bool {
    *v == 1.0
}

fn twelve() -> u32 {
    12
}

fn is_twelve(v: &u32) -> bool {
    *v == 12
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}

impl StateDef {
    /// The programme inflow per month in force in `month`: the last change
    /// dated at or before it, else `inflow_per_month`.
    pub fn inflow_at(&self, month: crate::model::month::Month) -> f64 {
        self.inflow_changes
            .iter()
            .rev()
            .find(|c| c.from <= month)
            .map_or(self.inflow_per_month, |c| c.per_month)
    }

    /// The highest programme inflow per month at any time.
    pub fn inflow_max(&self) -> f64 {
        self.inflow_changes
            .iter()
            .map(|c| c.per_month)
            .fold(self.inflow_per_month, f64::max)
    }
}

/// From completed month `from` in the state on, exits go to the named exit
/// states in these shares (summing to 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shares {
    pub from: u32,
    pub shares: BTreeMap<String, f64>,
}

/// The shares in force at duration `d`: the last step with `from <= d`.
pub fn shares_at(steps: &[Shares], d: u32) -> Option<&BTreeMap<String, f64>> {
    steps.iter().rev().find(|s| s.from <= d).map(|s| &s.shares)
}

/// Income tax rates of the public purse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tax {
    /// The municipality's income tax rate (kommuneskat), applied to flexjob
    /// wages for `tax_municipal`.
    #[serde(default = "default_municipal_rate")]
    pub municipal_rate: f64,
    /// Average income tax rate (municipality and state, after the personal
    /// allowance) on the incomes the model pays or produces: flexjob wages,
    /// LY, flex subsidy, taxable exit benefits and exit earnings. The public
    /// purse nets it out.
    #[serde(default = "default_income_rate")]
    pub income_rate: f64,
}

/// The national average kommuneskat of 2017, 24.9 % (assumption: the
/// published average as remembered, not a DOMAIN.md figure).
fn default_municipal_rate() -> f64 {
    0.249
}

/// About 30 % on incomes of 150,000–250,000 DKK a year after the personal
/// allowance (assumption).
fn default_income_rate() -> f64 {
    0.30
}

impl Default for Tax {
    fn default() -> Self {
        Tax {
            municipal_rate: default_municipal_rate(),
            income_rate: default_income_rate(),
        }
    }
}

impl Tax {
    pub fn is_default(&self) -> bool {
        *self == Tax::default()
    }
}

/// The exit states of a scenario in the engine's order: the declared ones
/// by name, then [`GONE`] when some exit goes there (every v1 file). Index
/// `i` of this list is exit state `i` everywhere in the engine.
pub fn exit_states(
    declared: &BTreeMap<String, StateDef>,
    routes: &[&[Shares]],
) -> Vec<(String, StateDef)> {
    let mut out: Vec<(String, StateDef)> = declared
        .iter()
        .filter(|(_, d)| matches!(d.kind, Kind::Exit | Kind::Programme))
        .map(|(n, d)| (n.clone(), d.clone()))
        .collect();
    let to_gone = routes.iter().any(|r| {
        r.is_empty()
            || r.iter()
                .any(|s| s.shares.get(GONE).is_some_and(|v| *v > 0.0))
    }) || out
        .iter()
        .any(|(_, d)| d.leave > 0.0 || d.end_to.get(GONE).is_some_and(|v| *v > 0.0));
    if to_gone && !declared.contains_key(GONE) {
        out.push((GONE.to_string(), gone()));
    }
    out
}

/// The built-in exit state of v1 files.
pub fn gone() -> StateDef {
    StateDef {
        kind: Kind::Exit,
        monthly_cost: 0.0,
        refusion: 0.0,
        earnings: 0.0,
        taxable: false,
        leave: 0.0,
        initial: 0,
        course: Vec::new(),
        end_to: BTreeMap::new(),
        inflow_per_month: 0.0,
        inflow_changes: Vec::new(),
        work_share: 0.0,
        work_hours: 0.0,
        work_reduction: 1.0,
        job: None,
        self_support_months: 12,
        label: "Left the scheme (unpriced)".into(),
        label_da: "Ude af ordningen (uden pris)".into(),
    }
}

/// The scheme's benefit state and job state as a scenario declares them
/// (`[states.ly]`, `[states.flex]`), if it does.
pub fn scheme(declared: &BTreeMap<String, StateDef>) -> (Option<&StateDef>, Option<&StateDef>) {
    let of = |name: &str, kind: Kind| declared.get(name).filter(|d| d.kind == kind);
    (of(BENEFIT, Kind::Benefit), of(JOB, Kind::Job))
}

/// The kind of the scheme's job state.
pub fn job_kind(declared: &BTreeMap<String, StateDef>) -> JobKind {
    scheme(declared).1.and_then(|d| d.job).unwrap_or_default()
}

/// The state a cohort enters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CohortState {
    /// LY: a new spell (a visitation, or a dismissal from a flexjob).
    Ly,
    /// A 2013-rules flexjob: a new job (a hire from LY, or a direct hire).
    Flex,
    /// An intervention (named by `intervention`): taking a place in it.
    Intervention,
    /// The end of a course of a programme state (named by `programme`):
    /// its members are the people whose course ends in the window, at the
    /// start of the month they go on.
    CourseEnd,
}

/// How people join a cohort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entry {
    /// Starting a spell in the state in a month of the window.
    Enter,
    /// Being in the state at the start of the window's first month.
    Stock,
}

/// A cohort (docs/model.md, "Cohorts"): the people who enter `state` in the
/// window (or are in it at its start), followed for `months` months. A
/// person belongs to at most one cohort, the first listed whose rule they
/// meet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cohort {
    pub name: String,
    pub state: CohortState,
    /// With `state = "intervention"`: the intervention's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intervention: Option<String>,
    /// With `state = "course_end"`: the programme state's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme: Option<String>,
    #[serde(default = "enter")]
    pub entry: Entry,
    /// First and last month of the window (both inclusive). A `stock`
    /// cohort uses only `from`.
    pub from: crate::model::month::Month,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<crate::model::month::Month>,
    /// Eligibility of a `stock` cohort: completed months in the state at
    /// `from`, at least `min_months` and at most `max_months` (open when
    /// absent).
    #[serde(default)]
    pub min_months: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_months: Option<u32>,
    /// Months of follow-up after entry (`months_since_entry` 0 ..= this).
    #[serde(default = "default_follow")]
    pub months: u32,
}

fn enter() -> Entry {
    Entry::Enter
}

fn default_follow() -> u32 {
    24
}

/// At most this many cohorts (a person's cohort is one byte).
pub const MAX_COHORTS: usize = 32;

/// At most this many months of follow-up.
pub const MAX_COHORT_MONTHS: u32 = 240;

/// The state an intervention acts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterventionState {
    /// People on LY.
    Ly,
    /// People in 2013-rules flexjobs.
    Flex,
    /// People in the programme state named by `programme` (aggregate: the
    /// places are filled from its stock, and participants whose course
    /// ends go on by the intervention's `end_to`).
    Programme,
}

/// An intervention (docs/model.md, "Interventions"): in its window, people
/// in `state` who meet its eligibility take a free place and stay in it
/// for `months` months or until they leave the state; while in it their
/// hazards are multiplied by its effects, they take consultant time, and
/// they cost money. People eligible beyond its places wait: each month the
/// free places go to eligible people (in the engine's order of people),
/// as long as they are still eligible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intervention {
    pub name: String,
    pub state: InterventionState,
    /// With `state = "programme"`: the programme state's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme: Option<String>,
    /// With `state = "programme"`: where participants go when their course
    /// ends, in shares summing to 1 (as the programme's own `end_to`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub end_to: BTreeMap<String, f64>,
    /// First and last month people can enter (both inclusive; open when
    /// absent). Participation that started runs its course.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<crate::model::month::Month>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<crate::model::month::Month>,
    /// Eligibility: completed months in the state (spell or job), at least
    /// `min_months` and at most `max_months` (open when absent).
    #[serde(default)]
    pub min_months: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_months: Option<u32>,
    /// Eligibility in flexjobs: start hours at most this (absent: any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_start_hours: Option<u8>,
    /// Months in the intervention (on LY and in flexjobs; in a programme a
    /// participant stays until the course ends, and this is left out).
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    pub months: u32,
    /// Participants at a time (absent: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub places: Option<u32>,
    /// Multipliers while in it: on job finding and exits from LY; on
    /// dismissal, exits and the chance of more hours in a flexjob.
    #[serde(default = "one")]
    pub find_job: f64,
    #[serde(default = "one")]
    pub exit: f64,
    #[serde(default = "one")]
    pub dismissal: f64,
    #[serde(default = "one")]
    pub hours_up: f64,
    /// Multiplier on the share of participants on the benefit who work
    /// ordinary paid hours in a month (`[states.ly] work_share`).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub work_share: f64,
    /// Consultant hours per participant-month (feed the capacity model as
    /// follow-up contacts do).
    #[serde(default)]
    pub consultant_hours_per_month: f64,
    /// Cost per participant-week and per participant-month, DKK in the
    /// scenario's first year, indexed like the law amounts (a measure:
    /// counted in `cost_measures`).
    #[serde(default)]
    pub cost_per_week: f64,
    #[serde(default)]
    pub cost_per_month: f64,
    /// Contacts with a consultant: one in participation months 0, k, 2k,
    /// … (k = `contact_every_months`), each taking
    /// `consultant_hours_per_contact` (feeding the capacity model) and
    /// costing `cost_per_contact` (DKK in the first year, indexed like the
    /// law amounts; a measure).
    #[serde(default = "one_u32", skip_serializing_if = "is_one_u32")]
    pub contact_every_months: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub consultant_hours_per_contact: f64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cost_per_contact: f64,
    /// How people come to be in it (docs/model.md, "How people enter"):
    /// by taking a place (the default), by meeting the eligibility in a
    /// month of the window (`in_force`), by entering the scheme in the
    /// window (`visitation`), or as the stock at the window's start
    /// (`stock`). The five v1 policies are interventions of the last three
    /// kinds ([`crate::model::presets`]).
    #[serde(default, skip_serializing_if = "IvEntry::is_default")]
    pub entry: IvEntry,
    /// On LY with `entry = "in_force"`: the months in it are an active
    /// offer, which lifts the refusion of LY under the duration cap and
    /// the 2013-rules regime (docs/model.md, "Money and refusion").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub active_offer: bool,
    /// With `entry = "visitation"`: the share of its people's first jobs
    /// that carry a progression agreement.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub agreement_share: f64,
    /// In flexjobs with `entry = "in_force"`: the job months (months since
    /// the job started) at which a contact falls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact_months: Vec<u32>,
    /// In flexjobs with `entry = "in_force"` or `"stock"`: the chance of
    /// an hours increase in a contact month (it replaces the organic
    /// chance then), and the months from a contact on (the contact month
    /// included) in which `dismissal` multiplies dismissal.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub hours_up_contact: f64,
    #[serde(default = "three_u32", skip_serializing_if = "is_three_u32")]
    pub protect_months: u32,
    /// With `places`: what happens to an eligible person who finds every
    /// place taken. `wait` (the default): they take a place in a later
    /// month of the window if one is free and they are still eligible;
    /// `not_served`: they are not served in this spell or job (as if they
    /// had finished it).
    #[serde(default, skip_serializing_if = "Beyond::is_default")]
    pub beyond_places: Beyond,
}

/// What happens to the eligible beyond an intervention's places.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Beyond {
    #[default]
    Wait,
    NotServed,
}

impl Beyond {
    fn is_default(&self) -> bool {
        *self == Beyond::Wait
    }
}

/// How people come to be in an intervention.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IvEntry {
    /// Eligible people take a free place and keep it `months` months or
    /// until they leave the state.
    #[default]
    Eligible,
    /// No places: everybody in the state who meets the eligibility in a
    /// month of the window is in it that month (the jobclub, the
    /// three-month review, follow-up of small flexjobs).
    InForce,
    /// People who enter the scheme (visitated onto LY, or hired directly)
    /// in a month of the window are in it for their first spell, whatever
    /// the month; its effect acts in the spell months of its eligibility,
    /// and `agreement_share` of their first jobs get a progression
    /// agreement (the consultant at the rehabilitation team meeting).
    Visitation,
    /// The people in 2013-rules flexjobs at the window's start who meet
    /// the eligibility get one contact each, in a month drawn evenly over
    /// the window (screening of the existing small flexjobs).
    Stock,
}

impl IvEntry {
    fn is_default(&self) -> bool {
        *self == IvEntry::Eligible
    }
}

fn three_u32() -> u32 {
    3
}

fn is_three_u32(v: &u32) -> bool {
    *v == 3
}

fn one_u32() -> u32 {
    1
}

fn is_one_u32(v: &u32) -> bool {
    *v == 1
}

fn one() -> f64 {
    1.0
}

/// At most this many interventions.
pub const MAX_INTERVENTIONS: usize = 8;
