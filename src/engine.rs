//! The engine: one replication, month by month, and many replications in
//! parallel.
//!
//! Invariants:
//! - The engine does no IO; it is a pure function of the plan (scenario and
//!   seed) and the replication index.
//! - Results do not depend on the thread count: each replication has its own
//!   random streams, and [`run`] returns replications in index order.
//!
//! Order of events within month `t` (MODEL.md): arrivals join; everyone
//! present is exposed to the month's risks, and the state held at the start
//! of the month decides the month's costs; stocks are recorded at the end.

use crate::metrics as mx;
use crate::money::{Regime, WEEKS_PER_MONTH};
use crate::plan::{Plan, MAX_TABLE};
use crate::population::{
    start_job, Factory, Person, FLEX, F_AGREEMENT, F_NEW_REFUSION, F_REHAB, LY, NO_SCREEN, OLD,
};
use crate::rng::{self, key, uniform, Group, Purpose};
use rand_distr::{Distribution, Poisson};
use rayon::prelude::*;

/// The result of one replication: `months × metrics::N` values.
#[derive(Debug, Clone, PartialEq)]
pub struct Replication {
    pub values: Vec<f64>,
    pub person_months: u64,
}

impl Replication {
    /// The value of metric `metric` in month `t`.
    #[inline]
    pub fn get(&self, t: usize, metric: usize) -> f64 {
        self.values[t * mx::N + metric]
    }
}

/// Poisson count with mean `lambda` from the month's own arrival stream, so
/// that a different rate in one month leaves other months' counts alone.
fn arrivals(plan: &Plan, rep: u64, t: usize, which: u64, lambda: f64) -> u64 {
    if lambda <= 0.0 {
        return 0;
    }
    let mut r = rng::stream(
        plan.seed,
        rep,
        key(Group::Replication, t as u64 * 4 + which),
        Purpose::Arrivals,
    );
    match Poisson::new(lambda) {
        Ok(p) => p.sample(&mut r) as u64,
        Err(_) => 0,
    }
}

#[inline(always)]
fn idx(d: u16) -> usize {
    (d as usize).min(MAX_TABLE - 1)
}

/// Whether a 2013-rules job at job month `tenure` gets a contact in month `t`.
#[inline(always)]
fn is_contact(plan: &Plan, p: &Person, t: usize, max_start: u8) -> bool {
    (t < plan.months
        && plan.followup_on[t]
        && p.start_hours <= max_start
        && p.dur < 64
        && plan.contact_mask >> p.dur & 1 == 1)
        || p.screen_t as usize == t
}

/// Simulates replication `rep`, reusing `people` as scratch space.
pub fn simulate_with(plan: &Plan, rep: u64, people: &mut Vec<Person>) -> Replication {
    let s = &plan.scenario;
    let months = plan.months;
    let mut values = vec![0.0; months * mx::N];
    let factory = Factory::new(plan, rep);
    people.clear();
    for i in 0..s.initial.ly as u64 {
        people.push(factory.initial_ly(i));
    }
    let n_new = s.initial.flex.saturating_sub(s.initial.old_rules) as u64;
    for i in 0..n_new {
        people.push(factory.initial_flex(i));
    }
    for i in 0..s.initial.old_rules.min(s.initial.flex) as u64 {
        people.push(factory.initial_old(i));
    }
    let fu = &s.policy.followup;
    let max_start = fu.max_start_hours;
    let hpc_follow = fu.hours_per_contact;
    let hpc_screen = s.policy.screening.hours_per_contact;
    let h = &s.hours;
    let steps = (h.step_max - h.step_min + 1) as f64;
    let rf = &s.money.refusion;
    let keep_flex = rf.keep_flex_months.min(u16::MAX as u32) as u16;
    let cap_months = rf.cap_months.min(u16::MAX as u32) as u16;

    // Contact hours due in the coming month, counted as people are updated.
    let mut next_contact_hours = 0.0;
    let mut next_contacts = 0u32;
    for p in people.iter() {
        if p.state == FLEX && is_contact(plan, p, 0, max_start) {
            next_contacts += 1;
            next_contact_hours += contact_hours(p, 0, hpc_follow, hpc_screen);
        }
    }
    let (mut n_visit, mut n_direct) = (0u64, 0u64);
    let mut person_months = 0u64;
    let mut ly_end = s.initial.ly as u64;

    for t in 0..months {
        // 1. Arrivals.
        let nv = arrivals(plan, rep, t, 0, s.inflow.visitations_per_month);
        let nd = arrivals(plan, rep, t, 1, s.inflow.direct_per_month);
        for _ in 0..nv {
            people.push(factory.visitation(n_visit, t));
            n_visit += 1;
        }
        let mut contacts = next_contacts;
        let mut contact_hours_t = next_contact_hours;
        for _ in 0..nd {
            let p = factory.direct(n_direct, t);
            if is_contact(plan, &p, t, max_start) {
                contacts += 1;
                contact_hours_t += contact_hours(&p, t, hpc_follow, hpc_screen);
            }
            people.push(p);
            n_direct += 1;
        }
        next_contacts = 0;
        next_contact_hours = 0.0;

        // 2. Capacity from the caseload at the start of the month.
        let ly_start = (ly_end + nv) as f64;
        let consultants = plan.consultants[t];
        let effective = (consultants - contact_hours_t / s.staffing.hours_per_month).max(0.01);
        let caseload = ly_start / effective;
        let st = &s.staffing;
        let capacity = if st.elasticity == 0.0 {
            1.0
        } else if caseload <= 0.0 {
            st.capacity_max
        } else {
            (st.reference_caseload / caseload)
                .powf(st.elasticity)
                .clamp(st.capacity_min, st.capacity_max)
        };

        let find = &plan.find[t];
        let pr = &plan.prices[t];
        let followup_on = plan.followup_on[t];
        let (jc0, jc1) = plan.jobclub_range[t];
        let (rv0, rv1) = plan.review_range[t];
        let staircase = pr.regime == Regime::Staircase;
        let row = &mut values[t * mx::N..(t + 1) * mx::N];
        let mut c = Counts::default();
        person_months += people.len() as u64;

        // 3–4. Everyone present is exposed to the month's risks.
        let mut i = 0;
        while i < people.len() {
            let p = &mut people[i];
            let was_flex = p.state != LY;
            p.flex_history = (p.flex_history << 1) | was_flex as u32;
            let staircase_share = if staircase && p.flags & F_NEW_REFUSION != 0 {
                Some(crate::money::staircase_share(
                    p.weeks as f64,
                    &rf.staircase_rates,
                ))
            } else {
                None
            };
            p.weeks += WEEKS_PER_MONTH as f32;
            let u = uniform(&mut p.events);
            let mut gone = false;
            match p.state {
                LY => {
                    let d = idx(p.dur);
                    let g = (p.flags & F_REHAB != 0) as usize;
                    // Money: LY by the rate category, refusion by regime.
                    let benefit = pr.ly[p.category as usize];
                    c.cost_ly += benefit;
                    let dd = p.dur as u32;
                    let in_jobclub = dd >= jc0 && dd < jc1;
                    let in_review = dd >= rv0 && dd < rv1;
                    c.jobclub += in_jobclub as u32;
                    c.review += in_review as u32;
                    let share = match staircase_share {
                        Some(x) => x,
                        None if p.cap_months >= cap_months => 0.0,
                        None if in_jobclub || in_review => rf.flat_ly_rate_active,
                        None => rf.flat_ly_rate,
                    };
                    c.refusion_ly += benefit * share;
                    p.cap_months = p.cap_months.saturating_add(1);

                    let mut pf = (find[g][d] * capacity * p.frailty as f64).min(1.0);
                    let mut px = plan.ly_exit[d];
                    if pf + px > 1.0 {
                        let sum = pf + px;
                        pf /= sum;
                        px /= sum;
                    }
                    if u < pf {
                        let a = uniform(&mut p.hours_rng);
                        let b = uniform(&mut p.hours_rng);
                        start_job(p, plan, a, b);
                        c.hires += 1;
                        c.hires_le10h += (p.start_hours <= 10) as u32;
                    } else if u < pf + px {
                        gone = true;
                        c.exits_ly += 1;
                    } else {
                        p.dur = p.dur.saturating_add(1);
                    }
                }
                FLEX => {
                    let d = idx(p.dur);
                    let contact = is_contact(plan, p, t, max_start);
                    let small = p.start_hours <= max_start;
                    let protected =
                        (followup_on && small && d < 64 && plan.protect_mask >> d & 1 == 1)
                            || (p.screen_t != NO_SCREEN
                                && t >= p.screen_t as usize
                                && t < p.screen_t as usize + fu.protect_months as usize);
                    // Money: the flex subsidy by hours; refusion by regime.
                    let subsidy = pr.subsidy[p.hours as usize];
                    c.cost_flex += subsidy;
                    c.refusion_flex += subsidy * staircase_share.unwrap_or(rf.flat_flex_rate);
                    c.mentor += protected as u32;

                    let mut pd = plan.dismissal[d];
                    if protected {
                        pd *= fu.dismissal_multiplier;
                    }
                    let mut px = plan.flex_exit[d];
                    if pd + px > 1.0 {
                        let sum = pd + px;
                        pd /= sum;
                        px /= sum;
                    }
                    if u < pd {
                        dismiss(p);
                        c.dismissals += 1;
                    } else if u < pd + px {
                        gone = true;
                        c.exits_flex += 1;
                    } else {
                        // Hours progression.
                        let v = uniform(&mut p.hours_rng);
                        let mut up = if contact {
                            fu.p_up_contact
                        } else {
                            h.p_up_organic
                        };
                        if p.flags & F_AGREEMENT != 0 {
                            up = (up * h.agreement_up_multiplier).min(1.0);
                        }
                        let down = h.p_down.min(1.0 - up);
                        if v < up {
                            if p.hours < p.ceiling {
                                let step = h.step_min as f64 + (v / up * steps).floor();
                                let step = (step as u8).min(h.step_max);
                                p.hours = (p.hours.saturating_add(step)).min(p.ceiling);
                                c.hours_up += 1;
                            }
                        } else if v < up + down && p.hours > 1 {
                            let step = h.step_min as f64 + ((v - up) / down * steps).floor();
                            let step = (step as u8).min(h.step_max);
                            p.hours = p.hours.saturating_sub(step).max(1);
                            c.hours_down += 1;
                        }
                        p.dur = p.dur.saturating_add(1);
                        if p.dur >= keep_flex {
                            p.cap_months = 0;
                        }
                    }
                }
                _ => {
                    // OLD: flat subsidy to the employer, no hours model.
                    c.cost_old += pr.old_scheme;
                    c.refusion_flex += pr.old_scheme * s.money.old_rules_refusion;
                    let d = idx(p.dur);
                    let mut pd = plan.old_dismissal[d];
                    let mut px = plan.old_exit[d];
                    if pd + px > 1.0 {
                        let sum = pd + px;
                        pd /= sum;
                        px /= sum;
                    }
                    if u < pd {
                        dismiss(p);
                        c.dismissals += 1;
                    } else if u < pd + px {
                        gone = true;
                        c.exits_flex += 1;
                    } else {
                        p.dur = p.dur.saturating_add(1);
                        if p.dur >= keep_flex {
                            p.cap_months = 0;
                        }
                    }
                }
            }
            if gone {
                people.swap_remove(i);
                continue;
            }
            // 5. End-of-month tallies.
            let p = &people[i];
            match p.state {
                LY => {
                    c.ly += 1;
                    c.ly_le6m += (p.dur <= 6) as u32;
                    // LY rate category moves to the ordinary rate after 9
                    // months of flexjob within 18.
                    if p.category != 0 && (p.flex_history & 0x3FFFF).count_ones() >= 9 {
                        people[i].category = 0;
                    }
                }
                FLEX => {
                    c.flex += 1;
                    let hrs = p.hours;
                    c.le10h += (hrs <= 10) as u32;
                    c.bands[band_of(hrs)] += 1;
                    if p.start_hours <= 10 {
                        c.prog_base += 1;
                        c.progressed += (hrs > p.start_hours) as u32;
                    }
                    if is_contact(plan, p, t + 1, max_start) {
                        next_contacts += 1;
                        next_contact_hours += contact_hours(p, t + 1, hpc_follow, hpc_screen);
                    }
                }
                OLD => {
                    c.flex += 1;
                    c.old += 1;
                }
                _ => {}
            }
            i += 1;
        }

        ly_end = c.ly as u64;
        row[mx::LY_STOCK] = c.ly as f64;
        row[mx::LY_STOCK_LE6M] = c.ly_le6m as f64;
        row[mx::FLEX_STOCK] = c.flex as f64;
        row[mx::FLEX_LE10H] = c.le10h as f64;
        row[mx::FLEX_OLD_RULES] = c.old as f64;
        for (b, n) in c.bands.iter().enumerate() {
            row[mx::FLEX_BANDS + b] = *n as f64;
        }
        let scheme = (c.ly + c.flex) as f64;
        row[mx::LY_SHARE] = if scheme > 0.0 {
            c.ly as f64 / scheme
        } else {
            0.0
        };
        row[mx::PROGRESSION_SHARE] = if c.prog_base > 0 {
            c.progressed as f64 / c.prog_base as f64
        } else {
            0.0
        };
        row[mx::PROGRESSION_BASE] = c.prog_base as f64;
        row[mx::VISITATIONS] = nv as f64;
        row[mx::DIRECT_HIRES] = nd as f64;
        row[mx::HIRES] = c.hires as f64;
        row[mx::HIRES_LE10H] = c.hires_le10h as f64;
        row[mx::DISMISSALS] = c.dismissals as f64;
        row[mx::EXITS_LY] = c.exits_ly as f64;
        row[mx::EXITS_FLEX] = c.exits_flex as f64;
        row[mx::HOURS_UP] = c.hours_up as f64;
        row[mx::HOURS_DOWN] = c.hours_down as f64;
        row[mx::CONSULTANTS] = consultants;
        row[mx::CASELOAD] = caseload;
        row[mx::CAPACITY] = capacity;
        row[mx::CONTACTS] = contacts as f64;
        let measures = contacts as f64 * pr.per_contact
            + c.jobclub as f64 * pr.jobclub
            + c.review as f64 * pr.review
            + c.mentor as f64 * pr.mentor_month;
        row[mx::COST_LY] = c.cost_ly;
        row[mx::COST_FLEX_SUBSIDY] = c.cost_flex;
        row[mx::COST_OLD_SCHEME] = c.cost_old;
        row[mx::REFUSION_LY] = c.refusion_ly;
        row[mx::REFUSION_FLEX] = c.refusion_flex;
        row[mx::COST_STAFF_MUNICIPAL] = pr.staff_municipal;
        row[mx::COST_STAFF_GRANT] = pr.staff_grant;
        row[mx::COST_MEASURES] = measures;
        row[mx::NET_MUNICIPAL_COST] =
            c.cost_ly + c.cost_flex + c.cost_old - c.refusion_ly - c.refusion_flex
                + pr.staff_municipal
                + measures;
    }
    Replication {
        values,
        person_months,
    }
}

/// Consultant hours of a contact in month `t`.
#[inline]
fn contact_hours(p: &Person, t: usize, follow: f64, screen: f64) -> f64 {
    if p.screen_t as usize == t {
        screen
    } else {
        follow
    }
}

#[inline]
fn dismiss(p: &mut Person) {
    p.state = LY;
    p.dur = 0;
    p.hours = 0;
    p.flags &= !(F_REHAB | F_AGREEMENT);
    p.screen_t = NO_SCREEN;
}

#[inline(always)]
fn band_of(h: u8) -> usize {
    match h {
        0..=5 => 0,
        6..=10 => 1,
        11..=15 => 2,
        16..=20 => 3,
        _ => 4,
    }
}

#[derive(Default)]
struct Counts {
    ly: u32,
    ly_le6m: u32,
    flex: u32,
    old: u32,
    le10h: u32,
    bands: [u32; 5],
    prog_base: u32,
    progressed: u32,
    hires: u32,
    hires_le10h: u32,
    dismissals: u32,
    exits_ly: u32,
    exits_flex: u32,
    hours_up: u32,
    hours_down: u32,
    jobclub: u32,
    review: u32,
    mentor: u32,
    cost_ly: f64,
    cost_flex: f64,
    cost_old: f64,
    refusion_ly: f64,
    refusion_flex: f64,
}

/// Simulates replication `rep`.
pub fn simulate(plan: &Plan, rep: u64) -> Replication {
    simulate_with(plan, rep, &mut Vec::new())
}

/// Runs replications `first..first + count` on the current rayon pool and
/// returns them in index order. `progress` is called once per replication.
pub fn run_range(
    plan: &Plan,
    first: u64,
    count: u64,
    progress: &(dyn Fn() + Sync),
) -> Vec<Replication> {
    (first..first + count)
        .into_par_iter()
        .map_init(Vec::new, |people, r| {
            let out = simulate_with(plan, r, people);
            progress();
            out
        })
        .collect()
}

/// Runs `count` replications on a pool of `threads` threads (0 = all cores).
pub fn run(
    plan: &Plan,
    count: u64,
    threads: usize,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<Replication>, rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    Ok(pool.install(|| run_range(plan, 0, count, progress)))
}
