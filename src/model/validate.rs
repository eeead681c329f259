//! Checks of a typed scenario: ranges, step lists, bands, windows. Every
//! problem names its key and what is allowed; all problems are reported at
//! once.

use crate::model::error::{code_list, Problem};
use crate::model::limits as L;

/// The last spell month a step may start at: the engine's tables by spell
/// month end there, and longer spells take its value (docs/model.md,
/// "Hazards and step tables"), so a later step would never apply.
const MAX_STEP_FROM: u32 = 255;
const STEP_FROM_ALLOWED: &str =
    "allowed 0 to 255 months (longer spells take the step in force at 255; a step from later \
     would never apply)";
use crate::model::month::Month;
use crate::model::scenario::{Band, Scenario, Step, Window};
use crate::model::states::{IvEntry, StateDef};

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn fail(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            key: key.into(),
            message: message.into(),
        });
    }

    fn probability(&mut self, key: &str, v: f64) {
        if !(0.0..=1.0).contains(&v) {
            // NaN lands here too: `contains` is false for it.
            self.fail(key, format!("{v} is not a probability: allowed 0 to 1"));
        }
    }

    fn non_negative(&mut self, key: &str, v: f64) {
        if !v.is_finite() {
            self.fail(key, format!("{v} is not allowed: a finite number ≥ 0"));
        } else if v < 0.0 {
            self.fail(key, format!("{v} is negative: allowed a number ≥ 0"));
        }
    }

    /// Job months of follow-up contacts: increasing, below 64.
    fn contact_months(&mut self, key: &str, months: &[u32]) {
        for (k, w) in months.windows(2).enumerate() {
            if w[1] <= w[0] {
                self.fail(
                    format!("{key}[{}]", k + 1),
                    "contact months must be increasing",
                );
            }
        }
        if months.iter().any(|&m| m >= 64) {
            self.fail(key, "contact months must be below 64");
        }
    }

    /// A number of months used in date arithmetic.
    fn months(&mut self, key: &str, v: u32) {
        if v > 1200 {
            self.fail(key, format!("{v} is not allowed: 0 to 1200 months"));
        }
    }

    /// A number at most `max` (a limit of [`crate::model::limits`]); NaN is left
    /// to the other rules.
    fn at_most(&mut self, key: &str, v: f64, max: f64) {
        if v > max {
            self.fail(
                key,
                format!(
                    "{} is more than fleksim's limit: allowed at most {}",
                    L::show(v),
                    L::show(max)
                ),
            );
        }
    }

    fn positive(&mut self, key: &str, v: f64) {
        if !v.is_finite() || v <= 0.0 {
            self.fail(key, format!("{v} is not allowed: a number > 0"));
        }
    }

    fn steps(&mut self, key: &str, steps: &[Step]) {
        if steps.is_empty() {
            self.fail(
                key,
                "is empty: give at least one step, e.g. [{ from = 0, p = 0.05 }]",
            );
            return;
        }
        if steps[0].from != 0 {
            self.fail(
                format!("{key}[0].from"),
                format!("is {}: the first step must start at 0", steps[0].from),
            );
        }
        for (i, w) in steps.windows(2).enumerate() {
            if w[1].from <= w[0].from {
                self.fail(
                    format!("{key}[{}].from", i + 1),
                    format!(
                        "is {} after {}: steps must be in increasing order of `from`",
                        w[1].from, w[0].from
                    ),
                );
            }
        }
        for (i, s) in steps.iter().enumerate() {
            if s.from > MAX_STEP_FROM {
                self.fail(format!("{key}[{i}].from"), STEP_FROM_ALLOWED);
            }
            match (s.p, s.p_year) {
                (Some(p), None) => self.probability(&format!("{key}[{i}].p"), p),
                (None, Some(p)) => self.probability(&format!("{key}[{i}].p_year"), p),
                _ => self.fail(
                    format!("{key}[{i}]"),
                    "give exactly one of `p` (monthly) or `p_year` (yearly)",
                ),
            }
        }
    }

    fn bands(&mut self, key: &str, bands: &[Band]) {
        if bands.is_empty() {
            self.fail(
                key,
                "is empty: give hour bands, e.g. [{ from = 1, to = 5, share = 1.0 }]",
            );
            return;
        }
        let mut total = 0.0;
        for (i, b) in bands.iter().enumerate() {
            let full = crate::model::money::FULL_TIME_HOURS;
            if b.from < 1 || b.to > full || b.from > b.to {
                self.fail(
                    format!("{key}[{i}]"),
                    format!(
                        "hours {}..{} are not allowed: 1 ≤ from ≤ to ≤ {full}",
                        b.from, b.to
                    ),
                );
            }
            self.non_negative(&format!("{key}[{i}].share"), b.share);
            total += b.share;
        }
        if (total - 1.0).abs() > 1e-3 {
            self.fail(key, format!("shares sum to {total}: they must sum to 1"));
        }
    }

    fn window(&mut self, key: &str, w: Window) {
        if let (Some(f), Some(t)) = (w.from, w.to) {
            if t < f {
                self.fail(
                    format!("{key}.to"),
                    format!("{t} is before `from` {f}: a window must not end before it starts"),
                );
            }
        }
    }
}

/// All problems of a scenario; empty when it is valid: the rules of
/// [`check_rules`] and the limits of [`check_limits`].
pub fn check(s: &Scenario) -> Vec<Problem> {
    let mut problems = check_rules(s);
    problems.extend(check_limits(s));
    problems
}

/// The upper limits of [`crate::model::limits`] on counts, rates, money and
/// factors. Kept apart from the other rules so that a distribution's
/// largest possible draw is checked against them (see
/// [`crate::input::uncertain`]).
pub fn check_limits(s: &Scenario) -> Vec<Problem> {
    let mut c = Checker {
        problems: Vec::new(),
    };
    if s.horizon_months > L::MAX_HORIZON_MONTHS {
        c.fail(
            "horizon_months",
            format!(
                "{} is not allowed: 1 to {} months",
                s.horizon_months,
                L::MAX_HORIZON_MONTHS
            ),
        );
    }
    if s.replications > L::MAX_REPLICATIONS {
        c.fail(
            "replications",
            format!(
                "{} is not allowed: 1 to {}",
                s.replications,
                L::MAX_REPLICATIONS
            ),
        );
    }
    if s.seed > L::MAX_SEED {
        c.fail(
            "seed",
            format!("{} is not allowed: 0 to {}", s.seed, L::MAX_SEED),
        );
    }
    let arrivals = L::MAX_ARRIVALS_PER_MONTH;
    c.at_most(
        "inflow.visitations_per_month",
        s.inflow.visitations_per_month,
        arrivals,
    );
    c.at_most(
        "inflow.direct_per_month",
        s.inflow.direct_per_month,
        arrivals,
    );
    for (k, ch) in s.inflow.changes.iter().enumerate() {
        let at = format!("inflow.changes[{k}]");
        for (field, v) in [
            ("visitations_per_month", ch.visitations_per_month),
            ("direct_per_month", ch.direct_per_month),
        ] {
            if let Some(v) = v {
                c.at_most(&format!("{at}.{field}"), v, arrivals);
            }
        }
    }
    c.at_most("initial.ly", s.initial.ly as f64, L::MAX_PEOPLE);
    c.at_most("initial.flex", s.initial.flex as f64, L::MAX_PEOPLE);
    let people = L::people_per_replication(s);
    if c.problems.is_empty() && people > L::MAX_PEOPLE {
        c.fail(
            "inflow",
            format!(
                "initial.ly + initial.flex + horizon_months × (inflow.visitations_per_month + \
                 inflow.direct_per_month) is {people:.0} people per replication: allowed at most {}",
                L::MAX_PEOPLE
            ),
        );
    }
    let months = L::MAX_HORIZON_MONTHS as f64;
    c.at_most(
        "initial.ly_long_extra_mean",
        s.initial.ly_long_extra_mean,
        months,
    );
    c.at_most(
        "initial.tenure_mean_months",
        s.initial.tenure_mean_months,
        months,
    );
    c.at_most("ly.frailty_shape", s.ly.frailty_shape, L::MAX_FACTOR);
    c.at_most(
        "hours.agreement_up_multiplier",
        s.hours.agreement_up_multiplier,
        L::MAX_FACTOR,
    );
    let st = &s.staffing;
    c.at_most("staffing.consultants", st.consultants, L::MAX_CONSULTANTS);
    for (k, a) in st.additions.iter().enumerate() {
        c.at_most(
            &format!("staffing.additions[{k}].count"),
            a.count.abs(),
            L::MAX_CONSULTANTS,
        );
    }
    c.at_most(
        "staffing.hours_per_month",
        st.hours_per_month,
        HOURS_IN_MONTH,
    );
    c.at_most(
        "staffing.reference_caseload",
        st.reference_caseload,
        L::MAX_PEOPLE,
    );
    c.at_most("staffing.elasticity", st.elasticity, L::MAX_FACTOR);
    c.at_most("staffing.capacity_min", st.capacity_min, L::MAX_FACTOR);
    c.at_most("staffing.capacity_max", st.capacity_max, L::MAX_FACTOR);
    let p = &s.policy;
    c.at_most("policy.jobclub.effect", p.jobclub.effect, L::MAX_FACTOR);
    c.at_most(
        "policy.three_month_review.effect",
        p.three_month_review.effect,
        L::MAX_FACTOR,
    );
    c.at_most(
        "policy.rehab_meeting.effect",
        p.rehab_meeting.effect,
        L::MAX_FACTOR,
    );
    c.at_most(
        "policy.followup.hours_per_contact",
        p.followup.hours_per_contact,
        HOURS_IN_MONTH,
    );
    c.at_most(
        "policy.followup.dismissal_multiplier",
        p.followup.dismissal_multiplier,
        L::MAX_FACTOR,
    );
    c.at_most(
        "policy.screening.hours_per_contact",
        p.screening.hours_per_contact,
        HOURS_IN_MONTH,
    );
    let m = &s.money;
    let dkk = L::MAX_AMOUNT_DKK;
    c.at_most("money.wage_per_hour", m.wage_per_hour, dkk);
    for (k, l) in m.law.iter().enumerate() {
        c.at_most(&format!("money.law[{k}].dp_max"), l.dp_max, dkk);
        c.at_most(&format!("money.law[{k}].subsidy_max"), l.subsidy_max, dkk);
        c.at_most(&format!("money.law[{k}].threshold"), l.threshold, dkk);
    }
    c.at_most(
        "money.old_rules_monthly_cost",
        m.old_rules_monthly_cost,
        dkk,
    );
    c.at_most(
        "money.consultant_annual_cost",
        m.consultant_annual_cost,
        dkk,
    );
    c.at_most("money.grant_amount", m.grant_amount, dkk);
    for (k, l) in m.project_costs.iter().enumerate() {
        c.at_most(&format!("money.project_costs[{k}].amount"), l.amount, dkk);
    }
    let me = &m.measures;
    c.at_most(
        "money.measures.jobclub_per_participant_month",
        me.jobclub_per_participant_month,
        dkk,
    );
    c.at_most(
        "money.measures.review_per_participant_month",
        me.review_per_participant_month,
        dkk,
    );
    c.at_most("money.measures.per_contact", me.per_contact, dkk);
    c.at_most("money.measures.mentor_per_week", me.mentor_per_week, dkk);
    let weeks = &m.refusion.prior_weeks;
    if weeks.len() > L::MAX_PRIOR_WEEK_BANDS {
        c.fail(
            "money.refusion.prior_weeks",
            format!(
                "has {} bands: allowed at most {}",
                weeks.len(),
                L::MAX_PRIOR_WEEK_BANDS
            ),
        );
    }
    for (k, b) in weeks.iter().enumerate() {
        if b.from > L::MAX_PRIOR_WEEKS || b.to > L::MAX_PRIOR_WEEKS {
            c.fail(
                format!("money.refusion.prior_weeks[{k}]"),
                format!(
                    "weeks {}..{} are not allowed: 0 ≤ from ≤ to ≤ {}",
                    b.from,
                    b.to,
                    L::MAX_PRIOR_WEEKS
                ),
            );
        }
    }
    c.problems
}

/// Hours in the longest month (31 × 24).
const HOURS_IN_MONTH: f64 = 744.0;

/// The rules of a scenario other than the limits: ranges, orderings,
/// windows, bands.
pub fn check_rules(s: &Scenario) -> Vec<Problem> {
    let mut c = Checker {
        problems: Vec::new(),
    };
    if let Some(why) = L::name_problem(&s.name) {
        c.fail("name", why);
    }
    if s.horizon_months == 0 {
        c.fail(
            "horizon_months",
            format!("0 is not allowed: 1 to {} months", L::MAX_HORIZON_MONTHS),
        );
    }
    if s.replications == 0 {
        c.fail(
            "replications",
            format!(
                "0 is not allowed: at least 1 (and at most {})",
                L::MAX_REPLICATIONS
            ),
        );
    }
    if s.start < Month::new(1990, 1).unwrap_or(s.start) {
        c.fail("start", "is before 1990-01: allowed 1990-01 to 2200-12");
    }
    if s.start > Month::new(2200, 12).unwrap_or(s.start) {
        c.fail(
            "start",
            format!("{} is after 2200-12: allowed 1990-01 to 2200-12", s.start),
        );
    }
    c.non_negative(
        "inflow.visitations_per_month",
        s.inflow.visitations_per_month,
    );
    c.non_negative("inflow.direct_per_month", s.inflow.direct_per_month);
    for (k, ch) in s.inflow.changes.iter().enumerate() {
        let at = format!("inflow.changes[{k}]");
        if k > 0 && ch.from <= s.inflow.changes[k - 1].from {
            c.fail(
                format!("{at}.from"),
                "changes must be in increasing order of `from`",
            );
        }
        if ch.visitations_per_month.is_none() && ch.direct_per_month.is_none() {
            c.fail(
                &at,
                "changes nothing: give `visitations_per_month`, `direct_per_month` or both",
            );
        }
        if let Some(v) = ch.visitations_per_month {
            c.non_negative(&format!("{at}.visitations_per_month"), v);
        }
        if let Some(v) = ch.direct_per_month {
            c.non_negative(&format!("{at}.direct_per_month"), v);
        }
    }
    let i = &s.initial;
    c.probability("initial.ly_le6m_share", i.ly_le6m_share);
    c.non_negative("initial.ly_long_extra_mean", i.ly_long_extra_mean);
    if i.old_rules > i.flex {
        c.fail(
            "initial.old_rules",
            format!(
                "{} is more than `initial.flex` ({}): old-rules jobs are part of the flexjob stock",
                i.old_rules, i.flex
            ),
        );
    }
    c.bands("initial.hours", &i.hours);
    c.probability("initial.progressed_share", i.progressed_share);
    c.non_negative("initial.tenure_mean_months", i.tenure_mean_months);
    c.steps("ly.find_job", &s.ly.find_job);
    c.steps("ly.exit", &s.ly.exit);
    c.non_negative("ly.frailty_shape", s.ly.frailty_shape);
    // A shape so small that 1 / shape overflows is no Gamma distribution:
    // refused here rather than silently running without frailty.
    if s.ly.frailty_shape > 0.0 && s.ly.frailty_shape < 1e-3 {
        c.fail(
            "ly.frailty_shape",
            format!(
                "{} is not allowed: 0 (no frailty) or 0.001 to {}",
                s.ly.frailty_shape,
                L::MAX_FACTOR
            ),
        );
    }
    c.steps("flex.dismissal", &s.flex.dismissal);
    c.steps("flex.exit", &s.flex.exit);
    if let Some(d) = &s.old_rules.dismissal {
        c.steps("old_rules.dismissal", d);
    }
    if let Some(e) = &s.old_rules.exit {
        c.steps("old_rules.exit", e);
    }
    let h = &s.hours;
    c.bands("hours.ceiling", &h.ceiling);
    c.bands("hours.start", &h.start);
    c.probability("hours.p_up_organic", h.p_up_organic);
    c.probability("hours.p_down", h.p_down);
    if h.step_min < 1 || h.step_min > h.step_max || h.step_max > 36 {
        c.fail(
            "hours.step_min",
            format!(
                "{}..{} is not allowed: 1 ≤ step_min ≤ step_max ≤ 36",
                h.step_min, h.step_max
            ),
        );
    }
    c.probability("hours.agreement_share", h.agreement_share);
    c.non_negative("hours.agreement_up_multiplier", h.agreement_up_multiplier);
    let st = &s.staffing;
    c.non_negative("staffing.consultants", st.consultants);
    for (k, a) in st.additions.iter().enumerate() {
        if !a.count.is_finite() {
            c.fail(format!("staffing.additions[{k}].count"), "must be a number");
        }
        c.window(&format!("staffing.additions[{k}]"), a.window());
    }
    c.positive("staffing.hours_per_month", st.hours_per_month);
    c.positive("staffing.reference_caseload", st.reference_caseload);
    c.non_negative("staffing.elasticity", st.elasticity);
    c.positive("staffing.capacity_min", st.capacity_min);
    c.positive("staffing.capacity_max", st.capacity_max);
    if st.capacity_max < st.capacity_min {
        c.fail(
            "staffing.capacity_max",
            format!(
                "{} is below `capacity_min` ({}): allowed capacity_max ≥ capacity_min",
                st.capacity_max, st.capacity_min
            ),
        );
    }
    let p = &s.policy;
    c.months("policy.jobclub.months", p.jobclub.months);
    c.months(
        "policy.three_month_review.start_month",
        p.three_month_review.start_month,
    );
    c.months(
        "policy.three_month_review.months",
        p.three_month_review.months,
    );
    c.months("policy.rehab_meeting.months", p.rehab_meeting.months);
    c.months("policy.followup.protect_months", p.followup.protect_months);
    c.months("money.refusion.cap_months", s.money.refusion.cap_months);
    if s.money.refusion.keep_flex_months > 18 {
        c.fail(
            "money.refusion.keep_flex_months",
            format!(
                "{} is not allowed: 0 to 18 months (months of flexjob within the last 18)",
                s.money.refusion.keep_flex_months
            ),
        );
    }
    c.non_negative("policy.jobclub.effect", p.jobclub.effect);
    c.window("policy.jobclub", p.jobclub.window());
    c.non_negative(
        "policy.three_month_review.effect",
        p.three_month_review.effect,
    );
    c.window("policy.three_month_review", p.three_month_review.window());
    c.non_negative("policy.rehab_meeting.effect", p.rehab_meeting.effect);
    c.probability(
        "policy.rehab_meeting.agreement_share",
        p.rehab_meeting.agreement_share,
    );
    c.window("policy.rehab_meeting", p.rehab_meeting.window());
    let f = &p.followup;
    c.window("policy.followup", f.window());
    c.contact_months("policy.followup.schedule", &f.schedule);
    c.non_negative("policy.followup.hours_per_contact", f.hours_per_contact);
    c.probability("policy.followup.p_up_contact", f.p_up_contact);
    c.non_negative(
        "policy.followup.dismissal_multiplier",
        f.dismissal_multiplier,
    );
    c.window("policy.screening", p.screening.window());
    c.non_negative(
        "policy.screening.hours_per_contact",
        p.screening.hours_per_contact,
    );
    if p.screening.enabled {
        if let Some(to) = p.screening.to {
            if to < s.start {
                c.fail(
                    "policy.screening.to",
                    "the screening window ends before the simulation starts",
                );
            }
        }
    }
    check_money(&mut c, s);
    check_states(&mut c, s);
    c.problems
}

/// Model v2's interventions: names, windows, eligibility, effects, money.
fn check_interventions(c: &mut Checker, s: &Scenario) {
    use crate::model::states::{InterventionState, MAX_INTERVENTIONS};
    if s.interventions.len() > MAX_INTERVENTIONS {
        c.fail(
            "interventions",
            format!(
                "{} interventions are more than fleksim's limit: at most {MAX_INTERVENTIONS}",
                s.interventions.len()
            ),
        );
    }
    for (k, v) in s.interventions.iter().enumerate() {
        let at = format!("interventions[{k}]");
        if v.name.is_empty() || v.name.len() > 60 {
            c.fail(format!("{at}.name"), "allowed 1 to 60 characters");
        }
        if s.interventions[..k].iter().any(|o| o.name == v.name) {
            c.fail(
                format!("{at}.name"),
                format!("`{}` is given twice: one intervention per name", v.name),
            );
        }
        c.window(
            &at,
            crate::model::scenario::Window {
                from: v.from,
                to: v.to,
            },
        );
        if v.state == InterventionState::Programme {
            check_programme_intervention(c, s, &at, v);
        } else {
            for (field, set) in [
                ("programme", v.programme.is_some()),
                ("end_to", !v.end_to.is_empty()),
            ] {
                if set {
                    c.fail(
                        format!("{at}.{field}"),
                        "applies to `state = \"programme\"` only: leave it out",
                    );
                }
            }
            if v.months == 0 && v.entry == IvEntry::Eligible {
                c.fail(
                    format!("{at}.months"),
                    "is missing or 0: allowed 1 to 1200 months",
                );
            }
        }
        check_entry(c, &at, v);
        c.months(&format!("{at}.min_months"), v.min_months);
        if v.max_months.is_some_and(|m| m < v.min_months) {
            c.fail(
                format!("{at}.max_months"),
                "is below `min_months`: allowed `min_months` or more",
            );
        }
        c.months(&format!("{at}.months"), v.months);
        if v.places == Some(0) {
            c.fail(
                format!("{at}.places"),
                "0 is not allowed: at least 1, or leave it out for no limit",
            );
        }
        for (field, value, applies) in [
            ("find_job", v.find_job, v.state == InterventionState::Ly),
            ("exit", v.exit, v.state != InterventionState::Programme),
            ("dismissal", v.dismissal, v.state == InterventionState::Flex),
            ("hours_up", v.hours_up, v.state == InterventionState::Flex),
            ("work_share", v.work_share, v.state == InterventionState::Ly),
        ] {
            let key = format!("{at}.{field}");
            c.non_negative(&key, value);
            c.at_most(&key, value, L::MAX_FACTOR);
            if !applies && value != 1.0 {
                c.fail(&key, "does not act in this state: allowed only 1 here (find_job and work_share act on LY; dismissal and hours_up in flexjobs)");
            }
        }
        if v.max_start_hours.is_some() && v.state == InterventionState::Ly {
            c.fail(
                format!("{at}.max_start_hours"),
                "applies in flexjobs only: leave it out for LY",
            );
        }
        for (field, value) in [
            ("consultant_hours_per_month", v.consultant_hours_per_month),
            ("cost_per_week", v.cost_per_week),
            ("cost_per_month", v.cost_per_month),
            (
                "consultant_hours_per_contact",
                v.consultant_hours_per_contact,
            ),
            ("cost_per_contact", v.cost_per_contact),
        ] {
            let key = format!("{at}.{field}");
            c.non_negative(&key, value);
            c.at_most(&key, value, L::MAX_AMOUNT_DKK);
        }
        if !(1..=1200).contains(&v.contact_every_months) {
            c.fail(
                format!("{at}.contact_every_months"),
                format!(
                    "{} is not allowed: a contact every 1 to 1200 months",
                    v.contact_every_months
                ),
            );
        }
    }
}

/// What an intervention's `entry` allows (docs/model.md, "How people
/// enter"): each field that has no meaning for its entry and state must be
/// left out, so that nothing written is silently ignored.
fn check_entry(c: &mut Checker, at: &str, v: &crate::model::states::Intervention) {
    use crate::model::states::InterventionState as S;
    let (ly, flex) = (v.state == S::Ly, v.state == S::Flex);
    let entry = v.entry;
    let name = match entry {
        IvEntry::Eligible => "eligible",
        IvEntry::InForce => "in_force",
        IvEntry::Visitation => "visitation",
        IvEntry::Stock => "stock",
    };
    let state_ok = match entry {
        IvEntry::Eligible => true,
        IvEntry::InForce => ly || flex,
        IvEntry::Visitation => ly,
        IvEntry::Stock => flex,
    };
    if !state_ok {
        let allowed = match entry {
            IvEntry::Visitation => "`state = \"ly\"`",
            IvEntry::Stock => "`state = \"flex\"`",
            _ => "`state = \"ly\"` or `\"flex\"`",
        };
        c.fail(
            format!("{at}.entry"),
            format!("`{name}` is not allowed in this state: allowed with {allowed}"),
        );
        return;
    }
    let contacts = flex && matches!(entry, IvEntry::InForce | IvEntry::Stock);
    // (field, is set, allowed with this entry and state)
    let fields = [
        ("months", v.months != 0, entry == IvEntry::Eligible),
        ("places", v.places.is_some(), entry == IvEntry::Eligible),
        ("min_months", v.min_months != 0, !contacts),
        ("max_months", v.max_months.is_some(), !contacts),
        ("exit", v.exit != 1.0, entry == IvEntry::Eligible),
        (
            "work_share",
            v.work_share != 1.0,
            entry == IvEntry::Eligible,
        ),
        ("hours_up", v.hours_up != 1.0, entry == IvEntry::Eligible),
        (
            "dismissal",
            v.dismissal != 1.0,
            entry == IvEntry::Eligible || contacts,
        ),
        (
            "consultant_hours_per_month",
            v.consultant_hours_per_month != 0.0,
            entry == IvEntry::Eligible,
        ),
        (
            "cost_per_month",
            v.cost_per_month != 0.0,
            entry != IvEntry::Visitation,
        ),
        (
            "cost_per_week",
            v.cost_per_week != 0.0,
            entry != IvEntry::Visitation,
        ),
        (
            "contact_every_months",
            v.contact_every_months != 1,
            entry == IvEntry::Eligible,
        ),
        (
            "consultant_hours_per_contact",
            v.consultant_hours_per_contact != 0.0,
            entry == IvEntry::Eligible || contacts,
        ),
        (
            "cost_per_contact",
            v.cost_per_contact != 0.0,
            entry == IvEntry::Eligible || contacts,
        ),
        (
            "active_offer",
            v.active_offer,
            ly && entry == IvEntry::InForce,
        ),
        (
            "agreement_share",
            v.agreement_share != 0.0,
            entry == IvEntry::Visitation,
        ),
        (
            "contact_months",
            !v.contact_months.is_empty(),
            flex && entry == IvEntry::InForce,
        ),
        ("hours_up_contact", v.hours_up_contact != 0.0, contacts),
        ("protect_months", v.protect_months != 3, contacts),
    ];
    for (field, set, allowed) in fields {
        if set && !allowed {
            c.fail(
                format!("{at}.{field}"),
                format!(
                    "does not apply to an intervention with `entry = \"{name}\"` in this state: leave it out (docs/scenario-guide.md, \"Interventions\")"
                ),
            );
        }
    }
    if v.beyond_places != crate::model::states::Beyond::Wait
        && !(entry == IvEntry::Eligible && v.places.is_some() && (ly || flex))
    {
        c.fail(
            format!("{at}.beyond_places"),
            "applies to an intervention with `places` on LY or in flexjobs (`entry = \"eligible\"`): leave it out",
        );
    }
    c.probability(&format!("{at}.agreement_share"), v.agreement_share);
    c.probability(&format!("{at}.hours_up_contact"), v.hours_up_contact);
    c.months(&format!("{at}.protect_months"), v.protect_months);
    if flex && entry == IvEntry::InForce {
        c.contact_months(&format!("{at}.contact_months"), &v.contact_months);
    }
}

/// What the compiled plan holds of the interventions without places
/// ([`crate::model::presets::standing`], the v1 policies included): at
/// most [`crate::model::presets::MAX_OFFERS`] offers on LY, one
/// visitation intervention, one follow-up and one screening in flexjobs,
/// and when there are both, one set of contact effects and prices.
fn check_standing(c: &mut Checker, s: &Scenario) {
    use crate::model::presets::{policy_interventions, MAX_OFFERS};
    use crate::model::states::InterventionState as S;
    let v1 = policy_interventions(s);
    // A key for each: the v1 section, or the scenario's own entry.
    let mut all: Vec<(String, &crate::model::states::Intervention)> = v1
        .iter()
        .map(|v| (format!("policy.{}", v.name), v))
        .collect();
    for (k, v) in s.interventions.iter().enumerate() {
        if v.entry != IvEntry::Eligible {
            all.push((format!("interventions[{k}]"), v));
        }
    }
    for (k, v) in s.interventions.iter().enumerate() {
        if v1.iter().any(|p| p.name == v.name) {
            c.fail(
                format!("interventions[{k}].name"),
                format!(
                    "`{}` is the name of the enabled [policy.{}] as an intervention: choose another",
                    v.name, v.name
                ),
            );
        }
    }
    let offers = all
        .iter()
        .filter(|(_, v)| v.state == S::Ly && v.entry == IvEntry::InForce)
        .count();
    if offers > MAX_OFFERS {
        c.fail(
            "interventions",
            format!(
                "{offers} interventions on LY with `entry = \"in_force\"` (the jobclub and the three-month review included) are more than fleksim's limit: at most {MAX_OFFERS}"
            ),
        );
    }
    let one = |c: &mut Checker,
               what: &str,
               pick: &dyn Fn(&crate::model::states::Intervention) -> bool| {
        let found: Vec<&String> = all
            .iter()
            .filter(|(_, v)| pick(v))
            .map(|(k, _)| k)
            .collect();
        if found.len() > 1 {
            c.fail(
                format!("{}.entry", found[1]),
                format!(
                    "a second {what}: fleksim allows one (here {}); merge them into one",
                    code_list(&found)
                ),
            );
        }
    };
    one(c, "intervention with `entry = \"visitation\"`", &|v| {
        v.entry == IvEntry::Visitation
    });
    one(
        c,
        "intervention in flexjobs with `entry = \"in_force\"`",
        &|v| v.state == S::Flex && v.entry == IvEntry::InForce,
    );
    one(c, "intervention with `entry = \"stock\"`", &|v| {
        v.entry == IvEntry::Stock
    });
    let contacts: Vec<&(String, &crate::model::states::Intervention)> =
        all.iter().filter(|(_, v)| v.state == S::Flex).collect();
    if let [(_, a), (key, b)] = contacts[..] {
        let differs = [
            ("hours_up_contact", a.hours_up_contact != b.hours_up_contact),
            ("dismissal", a.dismissal != b.dismissal),
            ("protect_months", a.protect_months != b.protect_months),
            ("cost_per_contact", a.cost_per_contact != b.cost_per_contact),
            ("cost_per_week", a.cost_per_week != b.cost_per_week),
            ("cost_per_month", a.cost_per_month != b.cost_per_month),
        ]
        .into_iter()
        .find(|(_, d)| *d);
        if let Some((field, _)) = differs {
            c.fail(
                format!("{key}.{field}"),
                "a follow-up and a screening contact have one set of effects and prices in fleksim: give both the same hours_up_contact, dismissal, protect_months, cost_per_contact, cost_per_week and cost_per_month (a v1 [policy.screening] takes [policy.followup]'s)",
            );
        }
    }
}

/// At most this many KPIs (`[[kpis]]`): a steering table, not a data dump.
pub const MAX_KPIS: usize = 50;

/// The scenario's KPIs (`[[kpis]]`): what the model layer can check. What
/// they measure and when (`value`, `at`) needs the compiled plan (its
/// cohorts and months) and is checked where the plan is built
/// (`input::uncertain`).
fn check_kpis(c: &mut Checker, s: &Scenario) {
    use crate::model::kpi::UNITS;
    if s.kpis.len() > MAX_KPIS {
        c.fail(
            "kpis",
            format!(
                "{} KPIs are more than fleksim's limit: at most {MAX_KPIS}",
                s.kpis.len()
            ),
        );
    }
    for (k, kpi) in s.kpis.iter().enumerate() {
        let at = format!("kpis[{k}]");
        let ok = !kpi.name.is_empty()
            && kpi.name.len() <= 60
            && kpi
                .name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !ok {
            c.fail(
                format!("{at}.name"),
                format!(
                    "`{}` is not allowed as a KPI name: 1 to 60 of a-z, A-Z, 0-9, - and _",
                    kpi.name
                ),
            );
        }
        if s.kpis[..k].iter().any(|o| o.name == kpi.name) {
            c.fail(
                format!("{at}.name"),
                format!("`{}` is given twice: one KPI per name", kpi.name),
            );
        }
        for (key, text) in [("label", &kpi.label), ("label_da", &kpi.label_da)] {
            if key == "label" && text.trim().is_empty() {
                c.fail(
                    format!("{at}.{key}"),
                    "is empty: give the KPI's name as the steering group reads it",
                );
            }
            if text.chars().count() > 200 || text.chars().any(char::is_control) {
                c.fail(
                    format!("{at}.{key}"),
                    "is not allowed: at most 200 characters on one line",
                );
            }
        }
        // What a results file can hold: a share from 0 to 1, a count or an
        // amount of at most `MAX_ABS_VALUE` in size.
        let max = L::MAX_ABS_VALUE;
        for (key, v) in [("target", Some(kpi.target)), ("start", kpi.start)] {
            let Some(v) = v.filter(|v| v.is_finite()) else {
                continue;
            };
            // A share proper (a share metric, a cohort's share) is 0 to 1; a
            // ratio of sums (`unit = "share"`, the default) may exceed 1.
            let share = kpi.value.starts_with("cohort:")
                || crate::model::metrics::METRICS.iter().any(|m| {
                    m.name == kpi.value.trim() && m.kind == crate::model::metrics::Kind::Share
                });
            if share && !(0.0..=1.0).contains(&v) {
                c.fail(
                    format!("{at}.{key}"),
                    format!(
                        "{} is not allowed: `{}` is a share, 0 to 1",
                        L::show(v),
                        kpi.value
                    ),
                );
            } else if kpi.unit == "share" && v < 0.0 {
                c.fail(
                    format!("{at}.{key}"),
                    format!(
                        "{} is not allowed for `unit = \"share\"` (the default): a share or \
                         ratio of people or money, 0 or more",
                        L::show(v)
                    ),
                );
            } else if v.abs() > max {
                c.fail(
                    format!("{at}.{key}"),
                    format!("{} is not allowed: at most {max:e} in size", L::show(v)),
                );
            }
        }
        if !kpi.target.is_finite() {
            c.fail(
                format!("{at}.target"),
                format!("{} is not allowed: a finite number", kpi.target),
            );
        }
        if let Some(v) = kpi.start.filter(|v| !v.is_finite()) {
            c.fail(
                format!("{at}.start"),
                format!("{v} is not allowed: a finite number"),
            );
        }
        if !UNITS.contains(&kpi.unit.as_str()) {
            c.fail(
                format!("{at}.unit"),
                format!("`{}` is not a unit: allowed {}", kpi.unit, code_list(UNITS)),
            );
        }
    }
}

/// Model v2's cohorts: names, windows within the horizon, follow-up.
fn check_cohorts(c: &mut Checker, s: &Scenario) {
    use crate::model::states::{CohortState, Entry, MAX_COHORTS, MAX_COHORT_MONTHS};
    if s.cohorts.len() > MAX_COHORTS {
        c.fail(
            "cohorts",
            format!(
                "{} cohorts are more than fleksim's limit: at most {MAX_COHORTS}",
                s.cohorts.len()
            ),
        );
    }
    for (k, h) in s.cohorts.iter().enumerate() {
        let at = format!("cohorts[{k}]");
        let ok = !h.name.is_empty()
            && h.name.len() <= 60
            && h.name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !ok {
            c.fail(
                format!("{at}.name"),
                "is not allowed as a cohort name: 1 to 60 of a-z, A-Z, 0-9, - and _",
            );
        }
        if s.cohorts[..k].iter().any(|o| o.name == h.name) {
            c.fail(
                format!("{at}.name"),
                format!("`{}` is given twice: one cohort per name", h.name),
            );
        }
        // A window after the horizon is allowed (a shortened run): the
        // cohort then has no members.
        if h.from < s.start {
            c.fail(
                format!("{at}.from"),
                format!(
                    "{} is before the simulation starts: allowed {} or later",
                    h.from, s.start
                ),
            );
        }
        match (h.entry, h.to) {
            (Entry::Stock, Some(_)) => c.fail(
                format!("{at}.to"),
                "a `stock` cohort is the people in the state at `from`: leave out `to`",
            ),
            (Entry::Enter, Some(to)) if to < h.from => c.fail(
                format!("{at}.to"),
                format!("{to} is before `from`: allowed `from` or later"),
            ),
            _ => {}
        }
        if h.months > MAX_COHORT_MONTHS {
            c.fail(
                format!("{at}.months"),
                format!(
                    "{} is not allowed: 0 to {MAX_COHORT_MONTHS} months",
                    h.months
                ),
            );
        }
        let named = h
            .intervention
            .as_ref()
            .map(|n| s.interventions.iter().any(|v| &v.name == n));
        let standing = h.intervention.as_ref().is_some_and(|n| {
            s.interventions
                .iter()
                .any(|v| &v.name == n && v.entry != IvEntry::Eligible)
        });
        match (h.state, named) {
            (CohortState::Intervention, Some(true)) if standing => c.fail(
                format!("{at}.intervention"),
                "names an intervention without places, which has no entrants to follow: allowed an intervention with `entry = \"eligible\"` (or a cohort of `ly` or `flex`)",
            ),
            (CohortState::Intervention, Some(true)) if h.entry == Entry::Stock => c.fail(
                format!("{at}.entry"),
                "a cohort of an intervention is its entrants: allowed `enter` only",
            ),
            (CohortState::Intervention, Some(true)) => {}
            (CohortState::Intervention, _) => c.fail(
                format!("{at}.intervention"),
                format!(
                    "must name one of the scenario's [[interventions]]: {}",
                    code_list(s.interventions.iter().map(|v| &v.name))
                ),
            ),
            (_, Some(_)) => c.fail(
                format!("{at}.intervention"),
                "applies to `state = \"intervention\"` only: leave it out",
            ),
            _ => {}
        }
        let named = h.programme.as_ref().map(|n| is_programme(s, n));
        match (h.state, named) {
            (CohortState::CourseEnd, Some(true)) if h.entry == Entry::Stock => c.fail(
                format!("{at}.entry"),
                "a cohort of course ends is the people whose course ends in the window: allowed `enter` only",
            ),
            (CohortState::CourseEnd, Some(true)) => {}
            (CohortState::CourseEnd, _) => c.fail(format!("{at}.programme"), programme_choice(s)),
            (_, Some(_)) => c.fail(
                format!("{at}.programme"),
                "applies to `state = \"course_end\"` only: leave it out",
            ),
            _ => {}
        }
        if h.entry == Entry::Enter && (h.min_months > 0 || h.max_months.is_some()) {
            c.fail(
                format!("{at}.min_months"),
                "applies to a `stock` cohort only: an `enter` cohort joins at month 0 of the spell",
            );
        }
        if h.max_months.is_some_and(|m| m < h.min_months) {
            c.fail(
                format!("{at}.max_months"),
                "is below `min_months`: allowed `min_months` or more",
            );
        }
        c.months(&format!("{at}.min_months"), h.min_months);
    }
}

/// A key and whether a declaration sets it.
type Set = (&'static str, bool);

/// The keys of the scheme's benefit state and of its job state, each with
/// whether `d` sets it (away from its default).
fn scheme_keys(d: &StateDef) -> ([Set; 3], [Set; 2]) {
    (
        [
            ("work_share", d.work_share != 0.0),
            ("work_hours", d.work_hours != 0.0),
            ("work_reduction", d.work_reduction != 1.0),
        ],
        [
            ("job", d.job.is_some()),
            ("self_support_months", d.self_support_months != 12),
        ],
    )
}

/// The scheme's benefit and job states, when a scenario declares them
/// (`[states.ly]` of kind `benefit`, `[states.flex]` of kind `job`). Returns
/// whether `d` is one of the scheme's kinds (then the exit and programme
/// checks do not apply).
fn check_scheme_state(c: &mut Checker, name: &str, d: &StateDef) -> bool {
    use crate::model::states::{Kind, BENEFIT, JOB};
    let key = format!("states.{name}");
    let (own, kind) = match d.kind {
        Kind::Benefit => (BENEFIT, "benefit"),
        Kind::Job => (JOB, "job"),
        _ => return false,
    };
    if name != own {
        c.fail(
            format!("{key}.kind"),
            format!(
                "`{kind}` is the kind of the scheme's own state only, declared as `[states.{own}]`: \
                 allowed here {}",
                match name {
                    "ly" => "`benefit`",
                    "flex" => "`job`",
                    _ => "`exit` or `programme`",
                }
            ),
        );
        return true;
    }
    let unused = [
        ("monthly_cost", !d.monthly_cost.is_nan()),
        ("refusion", d.refusion != 0.0),
        ("earnings", d.earnings != 0.0),
        ("leave", d.leave != 0.0),
        ("initial", d.initial != 0),
        ("course", !d.course.is_empty()),
        ("end_to", !d.end_to.is_empty()),
        ("inflow_per_month", d.inflow_per_month != 0.0),
        ("inflow_changes", !d.inflow_changes.is_empty()),
        ("taxable", !d.taxable),
    ];
    for (field, set) in unused {
        if set {
            c.fail(
                format!("{key}.{field}"),
                format!(
                    "is not used by the scheme's {kind} state: its money is in `[money]`, its \
                     stocks in `[initial]`, its inflow in `[inflow]`; leave it out"
                ),
            );
        }
    }
    let (benefit_only, job_only) = scheme_keys(d);
    let wrong = if d.kind == Kind::Benefit {
        &job_only[..]
    } else {
        &benefit_only[..]
    };
    for (field, set) in wrong {
        if *set {
            c.fail(
                format!("{key}.{field}"),
                format!("does not apply to a {kind} state: leave it out"),
            );
        }
    }
    c.probability(&format!("{key}.work_share"), d.work_share);
    c.probability(&format!("{key}.work_reduction"), d.work_reduction);
    c.non_negative(&format!("{key}.work_hours"), d.work_hours);
    c.at_most(
        &format!("{key}.work_hours"),
        d.work_hours,
        crate::model::money::FULL_TIME_HOURS as f64,
    );
    if d.work_share > 0.0 && d.work_hours == 0.0 {
        c.fail(
            format!("{key}.work_hours"),
            "is 0 while `work_share` is above 0: give the weekly hours of those who work",
        );
    }
    if d.kind == Kind::Job && !(1..=18).contains(&d.self_support_months) {
        c.fail(
            format!("{key}.self_support_months"),
            format!(
                "{} is not allowed: 1 to 18 (months of self-support within the last 18)",
                d.self_support_months
            ),
        );
    }
    true
}

/// Model v2's declared states and the shares in which exits go to them.
fn check_states(c: &mut Checker, s: &Scenario) {
    use crate::model::states::{GONE, MAX_EXIT_STATES};
    for (name, d) in &s.states {
        let key = format!("states.{name}");
        let ok = !name.is_empty()
            && name.len() <= 40
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !ok {
            c.fail(
                &key,
                "is not allowed as a state name: 1 to 40 of a-z, 0-9 and _",
            );
        }
        if check_scheme_state(c, name, d) {
            continue;
        }
        if ["ly", "flex", "old_rules"].contains(&name.as_str()) {
            c.fail(&key, "names a built-in state: choose another name");
        }
        if d.monthly_cost.is_nan() {
            c.fail(
                format!("{key}.monthly_cost"),
                "is missing: an exit or programme state must write its monthly cost in DKK (0 is allowed)",
            );
        }
        let (benefit_only, job_only) = scheme_keys(d);
        for (field, set) in benefit_only.into_iter().chain(job_only) {
            if set {
                c.fail(
                    format!("{key}.{field}"),
                    "is for the scheme's states only (`[states.ly]` of kind benefit, `[states.flex]` of kind job): leave it out here",
                );
            }
        }
        // A missing cost (NaN) is said once, above.
        if !d.monthly_cost.is_nan() {
            c.non_negative(&format!("{key}.monthly_cost"), d.monthly_cost);
            c.at_most(
                &format!("{key}.monthly_cost"),
                d.monthly_cost,
                L::MAX_AMOUNT_DKK,
            );
        }
        c.probability(&format!("{key}.refusion"), d.refusion);
        c.probability(&format!("{key}.leave"), d.leave);
        if name == GONE && d.kind != crate::model::states::Kind::Exit {
            c.fail(
                format!("{key}.kind"),
                "must be `exit`: `gone` is where people leave to, and nobody comes back from it",
            );
        }
        if name == GONE && d.leave > 0.0 {
            c.fail(
                format!("{key}.leave"),
                "must be 0: `gone` is where people leave to",
            );
        }
        c.non_negative(&format!("{key}.earnings"), d.earnings);
        c.at_most(&format!("{key}.earnings"), d.earnings, L::MAX_AMOUNT_DKK);
        c.at_most(&format!("{key}.initial"), d.initial as f64, L::MAX_PEOPLE);
        check_programme(c, s, name, d);
    }
    let exits = s.exit_states();
    if exits.len() > MAX_EXIT_STATES {
        c.fail(
            "states",
            format!(
                "{} exit states (`gone` included) are more than fleksim's limit: at most {MAX_EXIT_STATES}",
                exits.len()
            ),
        );
    }
    let known: Vec<&str> = exits.iter().map(|(n, _)| n.as_str()).collect();
    let routes = [
        ("ly.exit_to", &s.ly.exit_to),
        ("flex.exit_to", &s.flex.exit_to),
    ];
    let old = s
        .old_rules
        .exit_to
        .as_ref()
        .map(|r| ("old_rules.exit_to", r));
    for (key, steps) in routes.into_iter().chain(old) {
        for (k, step) in steps.iter().enumerate() {
            let at = format!("{key}[{k}]");
            if k == 0 && step.from != 0 {
                c.fail(format!("{at}.from"), "the first step must start at 0");
            }
            if k > 0 && step.from <= steps[k - 1].from {
                c.fail(
                    format!("{at}.from"),
                    "steps must be in increasing order of `from`",
                );
            }
            if step.from > MAX_STEP_FROM {
                c.fail(format!("{at}.from"), STEP_FROM_ALLOWED);
            }
            let mut sum = 0.0;
            for (name, &v) in &step.shares {
                let field = format!("{at}.shares.{name}");
                if ["ly", "flex", "old_rules"].contains(&name.as_str()) {
                    c.fail(
                        &field,
                        format!(
                            "`{name}` is a state of the scheme, not an exit: `exit_to` shares \
                             out those who leave it, among {}",
                            code_list(&known)
                        ),
                    );
                } else if !known.contains(&name.as_str()) && name != GONE {
                    c.fail(
                        &field,
                        format!(
                            "is not a declared exit state: declare [states.{name}] with kind = \"exit\", or use one of {}",
                            code_list(&known)
                        ),
                    );
                }
                c.probability(&field, v);
                sum += v;
            }
            if !(sum - 1.0).abs().le(&1e-6) {
                c.fail(
                    format!("{at}.shares"),
                    format!("sum to {sum}: the shares of a step must sum to 1"),
                );
            }
        }
    }
    check_cohorts(c, s);
    check_interventions(c, s);
    check_standing(c, s);
    check_kpis(c, s);
    for (k, b) in s.ly.find_job_by_ceiling.iter().enumerate() {
        let at = format!("ly.find_job_by_ceiling[{k}]");
        if b.from == 0 || b.from > b.to || b.to > crate::model::money::FULL_TIME_HOURS {
            c.fail(
                &at,
                format!(
                    "{}..={} is not allowed: hours from 1 to {}, `from` ≤ `to`",
                    b.from,
                    b.to,
                    crate::model::money::FULL_TIME_HOURS
                ),
            );
        }
        c.non_negative(&format!("{at}.multiplier"), b.multiplier);
        c.at_most(&format!("{at}.multiplier"), b.multiplier, L::MAX_FACTOR);
    }
    let t = &s.money.tax;
    c.probability("money.tax.municipal_rate", t.municipal_rate);
    c.probability("money.tax.income_rate", t.income_rate);
}

/// A declared state's programme keys: a programme must have a course and
/// an end; an exit state must have neither.
fn check_programme(c: &mut Checker, s: &Scenario, name: &str, d: &StateDef) {
    use crate::model::states::{Kind, MAX_COURSE_MONTHS};
    let key = format!("states.{name}");
    if d.kind == Kind::Exit {
        let programme_keys = [
            ("course", !d.course.is_empty()),
            ("end_to", !d.end_to.is_empty()),
            ("inflow_per_month", d.inflow_per_month != 0.0),
            ("inflow_changes", !d.inflow_changes.is_empty()),
        ];
        for (field, given) in programme_keys {
            if given {
                c.fail(
                    format!("{key}.{field}"),
                    "is a programme's key: set kind = \"programme\" or remove it",
                );
            }
        }
        return;
    }
    if d.leave > 0.0 {
        c.fail(
            format!("{key}.leave"),
            "must be 0 for a programme: its people leave at the end of their course (end_to)",
        );
    }
    if d.course.is_empty() {
        c.fail(
            format!("{key}.course"),
            format!("is missing: a programme needs its course lengths, bands of 1 to {MAX_COURSE_MONTHS} months"),
        );
    }
    let mut sum = 0.0;
    for (k, b) in d.course.iter().enumerate() {
        let at = format!("{key}.course[{k}]");
        if b.from == 0 || b.from > b.to || b.to > MAX_COURSE_MONTHS {
            c.fail(
                &at,
                format!(
                    "{}..={} is not allowed: months from 1 to {MAX_COURSE_MONTHS}, `from` ≤ `to`",
                    b.from, b.to
                ),
            );
        }
        c.probability(&format!("{at}.share"), b.share);
        sum += b.share;
    }
    if !d.course.is_empty() && (sum - 1.0).abs() > 1e-6 {
        c.fail(
            format!("{key}.course"),
            format!("shares sum to {sum}: they must sum to 1"),
        );
    }
    check_end_to(c, s, &key, &d.end_to);
    let rates = std::iter::once((format!("{key}.inflow_per_month"), d.inflow_per_month)).chain(
        d.inflow_changes
            .iter()
            .enumerate()
            .map(|(k, ch)| (format!("{key}.inflow_changes[{k}].per_month"), ch.per_month)),
    );
    for (field, v) in rates {
        c.non_negative(&field, v);
        c.at_most(&field, v, L::MAX_ARRIVALS_PER_MONTH);
    }
    for (k, ch) in d.inflow_changes.iter().enumerate() {
        if k > 0 && ch.from <= d.inflow_changes[k - 1].from {
            c.fail(
                format!("{key}.inflow_changes[{k}].from"),
                "changes must be in increasing order of `from`",
            );
        }
    }
}

fn check_money(c: &mut Checker, s: &Scenario) {
    let m = &s.money;
    c.non_negative("money.wage_per_hour", m.wage_per_hour);
    if !(-0.5..=1.0).contains(&m.indexation) {
        c.fail("money.indexation", "allowed a yearly rate from -0.5 to 1");
    } else {
        // Amounts indexed over the horizon must stay amounts a results
        // file holds (at most `MAX_ABS_VALUE`): at most a hundredfold.
        let years = s.horizon_months as f64 / 12.0;
        let growth = (1.0 + m.indexation).powf(years);
        if growth > 100.0 {
            c.fail(
                "money.indexation",
                format!(
                    "{} a year over {} months multiplies amounts by {}: allowed at most a \
                     hundredfold over the horizon (at most {:.4} a year here)",
                    m.indexation,
                    s.horizon_months,
                    L::show(growth.round()),
                    100f64.powf(1.0 / years) - 1.0
                ),
            );
        } else {
            // The law amounts of years the table does not hold are indexed
            // from its nearest year: at most a hundredfold its latest too.
            let latest = crate::model::money::LAW_TABLE
                .last()
                .map_or(0.0, |l| l.dp_max);
            for month in [s.start, s.end()] {
                let dp_max = m.law_year(month.year()).dp_max;
                if dp_max > 100.0 * latest {
                    c.fail(
                        "money.indexation",
                        format!(
                            "{} a year, indexed from the law table to {}, makes the maximum \
                             benefit {} DKK a month: allowed at most a hundredfold the table's \
                             latest year; choose a smaller rate or a start nearer the table",
                            m.indexation,
                            month.year(),
                            L::show(dp_max.round())
                        ),
                    );
                    break;
                }
            }
        }
    }
    if !(0.0..=1.0).contains(&m.discount_rate) {
        c.fail("money.discount_rate", "allowed a yearly rate from 0 to 1");
    }
    if m.price_year != 0 && !(1990..=2200).contains(&m.price_year) {
        c.fail(
            "money.price_year",
            "allowed 0 (nominal) or a year 1990–2200",
        );
    }
    for (k, l) in m.law.iter().enumerate() {
        c.positive(&format!("money.law[{k}].dp_max"), l.dp_max);
        c.non_negative(&format!("money.law[{k}].subsidy_max"), l.subsidy_max);
        c.non_negative(&format!("money.law[{k}].threshold"), l.threshold);
    }
    for (k, l) in m.law.iter().enumerate() {
        if m.law[..k].iter().any(|o| o.year == l.year) {
            c.fail(
                format!("money.law[{k}].year"),
                format!("{} is given twice: one entry per year", l.year),
            );
        }
    }
    for (k, l) in m.project_costs.iter().enumerate() {
        let overlaps = m.project_costs[..k]
            .iter()
            .any(|o| o.name == l.name && o.from <= l.to && l.from <= o.to);
        if overlaps {
            c.fail(
                format!("money.project_costs[{k}]"),
                format!(
                    "`{}` from {} to {} overlaps another line of the same name: \
                     date ranges of one cost must not overlap",
                    l.name, l.from, l.to
                ),
            );
        }
    }
    c.non_negative("money.old_rules_monthly_cost", m.old_rules_monthly_cost);
    c.probability("money.old_rules_refusion", m.old_rules_refusion);
    c.non_negative("money.consultant_annual_cost", m.consultant_annual_cost);
    c.non_negative("money.grant_amount", m.grant_amount);
    for (k, l) in m.project_costs.iter().enumerate() {
        c.non_negative(&format!("money.project_costs[{k}].amount"), l.amount);
        if l.to < l.from {
            c.fail(
                format!("money.project_costs[{k}].to"),
                "ends before `from`: a cost line must not end before it starts",
            );
        }
    }
    let ly = &m.ly;
    c.probability("money.ly.rate", ly.rate);
    c.probability("money.ly.cash_children_share", ly.cash_children_share);
    c.probability("money.ly.cash_children_rate", ly.cash_children_rate);
    c.probability("money.ly.cash_single_share", ly.cash_single_share);
    c.probability("money.ly.cash_single_rate", ly.cash_single_rate);
    if ly.cash_children_share + ly.cash_single_share > 1.0 {
        c.fail(
            "money.ly.cash_single_share",
            "the cash-benefit shares sum past 1",
        );
    }
    let r = &m.refusion;
    c.probability(
        "money.refusion.initial_new_rules_share",
        r.initial_new_rules_share,
    );
    for (k, v) in r.staircase_rates.iter().enumerate() {
        c.probability(&format!("money.refusion.staircase_rates[{k}]"), *v);
    }
    c.probability("money.refusion.flat_ly_rate", r.flat_ly_rate);
    c.probability("money.refusion.flat_ly_rate_active", r.flat_ly_rate_active);
    c.probability("money.refusion.flat_flex_rate", r.flat_flex_rate);
    for (k, w) in r.changes.windows(2).enumerate() {
        if w[1].from <= w[0].from {
            c.fail(
                format!("money.refusion.changes[{}].from", k + 1),
                "regime changes must be in increasing order of date, one per month",
            );
        }
    }
    if r.prior_weeks.is_empty() {
        c.fail("money.refusion.prior_weeks", "give at least one band");
    }
    let mut total = 0.0;
    for (k, b) in r.prior_weeks.iter().enumerate() {
        if b.to < b.from {
            c.fail(
                format!("money.refusion.prior_weeks[{k}]"),
                "`to` is below `from`",
            );
        }
        c.non_negative(&format!("money.refusion.prior_weeks[{k}].share"), b.share);
        total += b.share;
    }
    if !r.prior_weeks.is_empty() && (total - 1.0).abs() > 1e-3 {
        c.fail(
            "money.refusion.prior_weeks",
            format!("shares sum to {total}: they must sum to 1"),
        );
    }
    let me = &m.measures;
    c.non_negative(
        "money.measures.jobclub_per_participant_month",
        me.jobclub_per_participant_month,
    );
    c.non_negative(
        "money.measures.review_per_participant_month",
        me.review_per_participant_month,
    );
    c.non_negative("money.measures.per_contact", me.per_contact);
    c.non_negative("money.measures.mentor_per_week", me.mentor_per_week);
}

/// An intervention in a programme state: it names a programme, says where
/// its participants' courses end, and has none of the person-level rules
/// (participants stay until their course ends).
fn check_programme_intervention(
    c: &mut Checker,
    s: &Scenario,
    at: &str,
    v: &crate::model::states::Intervention,
) {
    if !v.programme.as_ref().is_some_and(|n| is_programme(s, n)) {
        c.fail(format!("{at}.programme"), programme_choice(s));
    }
    check_end_to(c, s, at, &v.end_to);
    let person_level = [
        ("months", v.months != 0),
        ("min_months", v.min_months != 0),
        ("max_months", v.max_months.is_some()),
        ("max_start_hours", v.max_start_hours.is_some()),
        ("contact_every_months", v.contact_every_months != 1),
        (
            "consultant_hours_per_contact",
            v.consultant_hours_per_contact != 0.0,
        ),
        ("cost_per_contact", v.cost_per_contact != 0.0),
    ];
    for (field, set) in person_level {
        if set {
            c.fail(
                format!("{at}.{field}"),
                "does not apply in a programme, whose participants stay until their course ends \
                 and act through `end_to`: leave it out",
            );
        }
    }
}

/// Whether `name` is one of the scenario's programme states.
fn is_programme(s: &Scenario, name: &str) -> bool {
    s.states
        .get(name)
        .is_some_and(|d| d.kind == crate::model::states::Kind::Programme)
}

/// What a key naming a programme state may name.
fn programme_choice(s: &Scenario) -> String {
    let mut names = s.states.keys().filter(|n| is_programme(s, n)).peekable();
    format!(
        "must name one of the scenario's programme states: {}",
        if names.peek().is_none() {
            "none is declared (add [states.NAME] with kind = \"programme\")".to_string()
        } else {
            code_list(names)
        }
    )
}

/// Where courses end (a programme's `end_to`, or an intervention's in a
/// programme): known places, shares summing to 1.
fn check_end_to(
    c: &mut Checker,
    s: &Scenario,
    key: &str,
    end_to: &std::collections::BTreeMap<String, f64>,
) {
    use crate::model::states::{GONE, TO_FLEX, TO_LY};
    if end_to.is_empty() {
        c.fail(
            format!("{key}.end_to"),
            "is missing: a programme needs the shares of where its courses end",
        );
    }
    let mut sum = 0.0;
    for (to, &v) in end_to {
        let field = format!("{key}.end_to.{to}");
        let known = to == TO_LY || to == TO_FLEX || to == GONE || s.states.contains_key(to);
        if !known {
            let declared = code_list(s.states.keys());
            c.fail(
                &field,
                format!(
                    "is not a place a course can end: `{TO_LY}` (a flexjob visitation), `{TO_FLEX}` (a flexjob), `{GONE}`{}{}",
                    if declared.is_empty() { "" } else { " or a declared state: " },
                    declared
                ),
            );
        }
        c.probability(&field, v);
        sum += v;
    }
    if !end_to.is_empty() && (sum - 1.0).abs() > 1e-6 {
        c.fail(
            format!("{key}.end_to"),
            format!("shares sum to {sum}: they must sum to 1"),
        );
    }
}
