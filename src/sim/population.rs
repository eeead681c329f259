//! People: the per-person state and how people are created.
//!
//! A person is created once, with attributes drawn from their own
//! `Attributes` stream in a fixed order, and carries two streams of their own
//! for the rest of the replication (`Events` for job search, dismissal and
//! exit; `Hours` for start hours and hour changes). Person keys come from the
//! arrival group and the order of arrival within it, so the same person gets
//! the same draws in every scenario run with the same seed.

use crate::model::money::WEEKS_PER_MONTH;
use crate::model::month::Month;
use crate::model::scenario::ceiling_factor;
use crate::sim::plan::Plan;
use crate::sim::rng::{self, key, Group, Purpose};
use rand_distr::{Distribution, Gamma};

/// State of a person (docs/model.md "Who is simulated"). `gone` people are
/// removed from the population at once.
pub const LY: u8 = 0;
/// In a flexjob under the 2013 rules (with the hours model).
pub const FLEX: u8 = 1;
/// In a flexjob granted before 2013 (old rules, no hours model).
pub const OLD: u8 = 2;

/// Flag: visitated while the rehabilitation-meeting policy was in place and
/// still in the first LY spell.
pub const F_REHAB: u8 = 1;
/// Flag: the current job has a progression agreement (tillægsaftale).
pub const F_AGREEMENT: u8 = 2;
/// Flag: covered by the current refusion regime (visitated from 1 July 2014);
/// otherwise the old flat rates apply.
pub const F_NEW_REFUSION: u8 = 4;

/// Flag: came from a job granted before 2013 and not yet hired under the
/// 2013 rules; the old flat refusion applies until then.
pub const F_FROM_OLD: u8 = 8;

/// Flag: marked to fall asleep at the end of the month (the engine's
/// `flex_step`; `since` then holds the month it must wake in, `u16::MAX`
/// for never).
pub const F_SLEEP: u8 = 32;

/// No screening contact.
pub const NO_SCREEN: u16 = u16::MAX;

/// One person. Kept compact: the engine walks all of them every month.
#[derive(Debug, Clone)]
pub struct Person {
    pub events: rng::Xoshiro,
    pub hours_rng: rng::Xoshiro,
    /// Mean-1 job-finding frailty.
    pub frailty: f32,
    /// Weeks on public benefits so far (staircase refusion).
    pub weeks: f32,
    /// Months on LY counted toward the `duration_cap` limit.
    pub cap_months: u16,
    /// Completed months in the current LY spell or the current job.
    pub dur: u16,
    /// Simulation month of the screening contact, or `NO_SCREEN`.
    pub screen_t: u16,
    pub state: u8,
    pub hours: u8,
    pub start_hours: u8,
    pub ceiling: u8,
    pub flags: u8,
    /// LY rate category: 0 ordinary, 1 cash with children, 2 cash single.
    pub category: u8,
    /// Bit `i`: in a flexjob `i + 1` months ago (for "9 months of flexjob
    /// within 18").
    pub flex_history: u32,
    /// The cohort (index + 1; 0 = none) and the simulation month of entry.
    pub cohort: u8,
    pub cohort_t: u16,
    /// The intervention the person is in ([`crate::sim::intervene`]) and
    /// its last month.
    pub iv: u8,
    pub iv_end: u16,
    /// While asleep in a job (docs/model.md, "Next-event sampling"): the
    /// first month of the stretch; `dur` then counts the months completed
    /// before it.
    pub since: u16,
}

/// Fixed-position attribute draws of one person: draw `k` is the `k`-th
/// number of the person's attribute sequence, computed only when asked, so
/// adding an attribute never moves another. Holds where the person's
/// attribute sequence starts ([`rng::sequence_start`]).
struct Draws(u64);

impl Draws {
    #[inline]
    fn u(&self, k: usize) -> f64 {
        rng::nth_uniform_from(self.0, k as u64)
    }
}

const A_CEILING: usize = 0;
const A_HOURS: usize = 1;
const A_DURATION: usize = 2;
const A_PROGRESSED: usize = 3;
const A_SCREEN: usize = 4;
const A_REFUSION: usize = 5;
const A_CATEGORY: usize = 6;
const A_WEEKS: usize = 7;
const A_STEP: usize = 8;
const A_SHORT: usize = 9;

/// `ln q` of a geometric number of months with the given mean, where `q`
/// is the probability of one more month; `None` for a mean of 0.
fn ln_q(mean: f64) -> Option<f64> {
    (mean > 0.0).then(|| (mean / (1.0 + mean)).ln())
}

/// Geometric number of months by inversion, from [`ln_q`].
fn geometric(ln_q: Option<f64>, u: f64) -> u32 {
    match ln_q {
        // Truncation is the floor here: the clamp leaves no negative value.
        Some(l) => ((1.0 - u).ln() / l).clamp(0.0, 600.0) as u32,
        None => 0,
    }
}

/// Creates people for one replication.
pub struct Factory<'a> {
    plan: &'a Plan,
    /// [`rng::replication_mix`] of the plan's seed and `rep`.
    mix: u64,
    gamma: Option<Gamma<f64>>,
    ln_q_ly: Option<f64>,
    ln_q_tenure: Option<f64>,
    /// Cumulative job-finding hazard of an LY spell by completed months
    /// (the base steps, no policy), for the selection of the initial stock.
    find_cum: Vec<f64>,
}

impl<'a> Factory<'a> {
    pub fn new(plan: &'a Plan, rep: u64) -> Factory<'a> {
        let shape = plan.scenario.ly.frailty_shape;
        let gamma = if shape > 0.0 {
            Gamma::new(shape, 1.0 / shape).ok()
        } else {
            None
        };
        let i = &plan.scenario.initial;
        Factory {
            plan,
            mix: rng::replication_mix(plan.seed, rep),
            gamma,
            ln_q_ly: ln_q(i.ly_long_extra_mean),
            ln_q_tenure: ln_q(i.tenure_mean_months),
            find_cum: plan.find_cum.clone(),
        }
    }

    fn base(&self, group: Group, index: u64, arrival: Month) -> (Person, Draws) {
        let b = rng::base_from(self.mix, key(group, index));
        let d = Draws(rng::sequence_start(b, Purpose::Attributes));
        // The frailty has a stream of its own (a Gamma draw takes a varying
        // number of uniforms).
        let frailty = match &self.gamma {
            Some(g) => g.sample(&mut rng::stream_from(b, Purpose::Frailty)) as f32,
            None => 1.0,
        };
        let s = &self.plan.scenario;
        let money = &s.money;
        let ceiling = self.plan.ceiling_dist.sample(d.u(A_CEILING)) as u8;
        // Job finding by work capacity rides on the frailty: both multiply
        // only the job-finding hazard.
        let frailty = frailty * ceiling_factor(&s.ly.find_job_by_ceiling, ceiling) as f32;
        let new_refusion = match group {
            Group::InitialLy | Group::InitialFlex | Group::InitialOldRules => {
                d.u(A_REFUSION) < money.refusion.initial_new_rules_share
            }
            _ => arrival >= Month::new(2014, 7).unwrap_or(arrival),
        };
        let c = &money.ly;
        let u_category = d.u(A_CATEGORY);
        let category = if u_category < c.cash_children_share {
            1
        } else if u_category < c.cash_children_share + c.cash_single_share {
            2
        } else {
            0
        };
        let p = Person {
            events: rng::person_stream(b, Purpose::Events),
            hours_rng: rng::person_stream(b, Purpose::Hours),
            frailty,
            weeks: self.plan.prior_weeks_dist.sample(d.u(A_WEEKS)) as f32,
            cap_months: 0,
            dur: 0,
            screen_t: NO_SCREEN,
            state: LY,
            hours: 0,
            start_hours: 0,
            ceiling,
            flags: if new_refusion { F_NEW_REFUSION } else { 0 },
            category,
            flex_history: 0,
            cohort: 0,
            cohort_t: 0,
            iv: 0,
            iv_end: 0,
            since: 0,
        };
        (p, d)
    }

    /// A person newly visitated in month `t`, starting on LY.
    pub fn visitation(&self, index: u64, t: usize) -> Person {
        self.visitation_in(Group::Visitation, index, t)
    }

    /// A visitated person of `group`: a visitation, or a person back from
    /// a programme (docs/model.md, "Programmes").
    pub fn visitation_in(&self, group: Group, index: u64, t: usize) -> Person {
        let (mut p, _) = self.base(group, index, self.plan.scenario.month(t));
        if self.plan.rehab_on[t] {
            p.flags |= F_REHAB;
        }
        p
    }

    /// A person visitated straight into a flexjob in month `t`. Visitated
    /// while the rehabilitation meeting is in force, their job gets its
    /// progression agreement as a visitated person's first job does.
    pub fn direct(&self, index: u64, t: usize) -> Person {
        self.direct_in(Group::Direct, index, t)
    }

    /// A person hired straight into a flexjob, of `group`: a direct hire,
    /// or a person back from a programme.
    pub fn direct_in(&self, group: Group, index: u64, t: usize) -> Person {
        let (mut p, _) = self.base(group, index, self.plan.scenario.month(t));
        if self.plan.rehab_on[t] {
            p.flags |= F_REHAB;
        }
        let u = p.hours_rng.uniform();
        let v = p.hours_rng.uniform();
        start_job(&mut p, self.plan, u, v);
        p
    }

    /// A person of the initial LY stock.
    pub fn initial_ly(&self, index: u64) -> Person {
        let s = &self.plan.scenario;
        let (mut p, d) = self.base(Group::InitialLy, index, s.start);
        let dur = if d.u(A_SHORT) < s.initial.ly_le6m_share {
            (d.u(A_DURATION) * 6.0) as u32
        } else {
            6 + geometric(self.ln_q_ly, d.u(A_DURATION))
        };
        p.dur = dur.min(u16::MAX as u32) as u16;
        p.cap_months = p.dur;
        p.weeks += (dur as f64 * WEEKS_PER_MONTH) as f32;
        // Who is still on LY after `dur` months was selected by it: with a
        // Gamma(k, rate k) frailty `z` and hazard `z·m·h`, `z` given
        // survival is Gamma(k, rate k + m·H(dur)) (H the cumulative hazard),
        // the same draw scaled by k / (k + m·H).
        let k = s.ly.frailty_shape;
        if k > 0.0 {
            let m = ceiling_factor(&s.ly.find_job_by_ceiling, p.ceiling);
            let h = self.find_cum[(dur as usize).min(self.find_cum.len() - 1)];
            p.frailty *= (k / (k + m * h)) as f32;
        }
        p
    }

    /// A person of the initial 2013-rules flexjob stock.
    pub fn initial_flex(&self, index: u64) -> Person {
        let s = &self.plan.scenario;
        let (mut p, d) = self.base(Group::InitialFlex, index, s.start);
        p.state = FLEX;
        let start = self.plan.initial_hours_dist.sample(d.u(A_HOURS)) as u8;
        p.ceiling = p.ceiling.max(start);
        p.start_hours = start;
        p.hours = start;
        if start <= 10 && d.u(A_PROGRESSED) < s.initial.progressed_share {
            let span = (s.hours.step_max - s.hours.step_min + 1) as f64;
            let step = s.hours.step_min + (d.u(A_STEP) * span) as u8;
            p.hours = (start + step.max(1)).min(crate::model::money::FULL_TIME_HOURS);
            p.ceiling = p.ceiling.max(p.hours);
        }
        let tenure = geometric(self.ln_q_tenure, d.u(A_DURATION));
        p.dur = tenure.min(u16::MAX as u32) as u16;
        p.weeks += (tenure as f64 * WEEKS_PER_MONTH) as f32;
        p.flex_history = if tenure >= 32 {
            u32::MAX
        } else {
            (1u32 << tenure) - 1
        };
        if let Some((first, len)) = self.plan.screening {
            if start <= self.plan.standing.screening.max_start_hours {
                let t = first + (d.u(A_SCREEN) * len as f64) as i64;
                if (0..self.plan.months as i64).contains(&t) {
                    p.screen_t = t as u16;
                }
            }
        }
        p
    }

    /// A person of the initial old-rules flexjob stock.
    pub fn initial_old(&self, index: u64) -> Person {
        let s = &self.plan.scenario;
        let (mut p, d) = self.base(Group::InitialOldRules, index, s.start);
        p.state = OLD;
        // Granted before 2013: never under the staircase until hired again.
        p.flags = (p.flags & !F_NEW_REFUSION) | F_FROM_OLD;
        // Jobs granted before 2013 have lasted at least since then.
        let since_2013 = Month::new(2013, 1)
            .map_or(0, |m| m.months_until(s.start))
            .max(0) as u32;
        let tenure = since_2013 + geometric(self.ln_q_tenure, d.u(A_DURATION));
        p.dur = tenure.min(u16::MAX as u32) as u16;
        p.weeks += 52.0;
        p.flex_history = u32::MAX;
        p
    }
}

/// Puts a person into a new 2013-rules flexjob, with start hours drawn from
/// `u` and the progression agreement from `v` (two draws of the hours stream).
#[inline]
pub fn start_job(p: &mut Person, plan: &Plan, u: f64, v: f64) {
    let s = &plan.scenario;
    let start = (plan.start_dist.sample(u) as u8).min(p.ceiling).max(1);
    p.state = FLEX;
    p.dur = 0;
    p.start_hours = start;
    p.hours = start;
    let share = if p.flags & F_REHAB != 0 {
        plan.standing
            .visitation
            .as_ref()
            .map_or(0.0, |v| v.agreement_share)
            .max(s.hours.agreement_share)
    } else {
        s.hours.agreement_share
    };
    p.flags &= !(F_REHAB | F_AGREEMENT);
    if v < share {
        p.flags |= F_AGREEMENT;
    }
    // Hired under the 2013 rules, a holder of a pre-2013 job comes under
    // the refusion rules of their time.
    if p.flags & F_FROM_OLD != 0 {
        p.flags = (p.flags & !F_FROM_OLD) | F_NEW_REFUSION;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scenario::Scenario;

    /// A small scenario with frailty and the rehabilitation meeting in
    /// force, plus `extra` TOML lines.
    fn plan(extra: &str) -> Plan {
        let text = format!(
            r#"
name = "t"
start = "2016-09"
horizon_months = 12
[inflow]
visitations_per_month = 1.0
[initial]
ly = 10
flex = 10
old_rules = 5
[ly]
find_job = [{{ from = 0, p = 0.10 }}]
exit = [{{ from = 0, p = 0.01 }}]
frailty_shape = 2.0
{extra}
[flex]
dismissal = [{{ from = 0, p = 0.01 }}]
exit = [{{ from = 0, p = 0.01 }}]
[staffing]
consultants = 1
[policy.rehab_meeting]
enabled = true
agreement_share = 1.0
[money.refusion]
initial_new_rules_share = 1.0
"#
        );
        let mut s: Scenario = toml::from_str(&text).expect("test scenario");
        s.resolve();
        Plan::new(&s)
    }

    #[test]
    fn direct_hires_get_the_rehab_meetings_agreement() {
        let p = plan("");
        let f = Factory::new(&p, 0);
        for i in 0..50 {
            let d = f.direct(i, 0);
            assert!(
                d.flags & F_AGREEMENT != 0,
                "direct hire {i} has no agreement"
            );
            assert!(d.flags & F_REHAB == 0, "the rehab flag is spent on the job");
        }
    }

    #[test]
    fn pre_2013_jobs_carry_no_staircase_until_hired_again() {
        let p = plan("");
        let f = Factory::new(&p, 0);
        for i in 0..50 {
            let mut o = f.initial_old(i);
            assert!(
                o.flags & F_NEW_REFUSION == 0,
                "old-rules person {i} on the staircase"
            );
            start_job(&mut o, &p, 0.5, 0.5);
            assert!(o.flags & F_NEW_REFUSION != 0, "hired again: the 2013 rules");
        }
    }

    #[test]
    fn job_finding_follows_the_hour_ceiling() {
        let slow = plan(
            "find_job_by_ceiling = [{ from = 1, to = 10, multiplier = 0.5 }, { from = 11, to = 37, multiplier = 1.5 }]",
        );
        let flat = plan("");
        let (fs, ff) = (Factory::new(&slow, 0), Factory::new(&flat, 0));
        for i in 0..200 {
            let (a, b) = (fs.visitation(i, 0), ff.visitation(i, 0));
            assert_eq!(a.ceiling, b.ceiling, "same person");
            let want = if a.ceiling <= 10 { 0.5 } else { 1.5 };
            assert!((a.frailty / b.frailty - want).abs() < 1e-5, "person {i}");
        }
    }

    #[test]
    fn the_initial_ly_stock_is_selected_by_its_spell_length() {
        let p = plan("");
        let f = Factory::new(&p, 0);
        let mut by_dur: Vec<(u16, f32)> = (0..4000)
            .map(|i| {
                let x = f.initial_ly(i);
                (x.dur, x.frailty)
            })
            .collect();
        by_dur.sort_by_key(|x| x.0);
        let mean = |v: &[(u16, f32)]| v.iter().map(|x| x.1 as f64).sum::<f64>() / v.len() as f64;
        let (short, long) = by_dur.split_at(by_dur.len() / 2);
        // Gamma(2, rate 2 + H): the long spells have the lower frailty.
        assert!(
            mean(long) < 0.8 * mean(short),
            "{} vs {}",
            mean(long),
            mean(short)
        );
    }
}
