//! The engine: one replication, month by month. Many replications run in
//! parallel in [`crate::analysis::runner`].
//!
//! Invariants:
//! - The engine does no IO; it is a pure function of the plan (scenario and
//!   seed) and the replication index.
//! - Results do not depend on the thread count: each replication has its own
//!   random streams.
//!
//! Order of events within month `t` (docs/model.md, "Order of events"): arrivals join; everyone
//! present is exposed to the month's risks, and the state held at the start
//! of the month decides the month's costs; stocks are recorded at the end.

use crate::model::metrics as mx;
use crate::model::money::{Regime, HOURS_ROWS, WEEKS_PER_MONTH};
pub use crate::sim::plan::{competing, threshold};
use crate::sim::plan::{Plan, MAX_TABLE};
use crate::sim::population::{
    start_job, Factory, Person, F_AGREEMENT, F_NEW_REFUSION, F_REHAB, LY, NO_SCREEN,
};
use crate::sim::rng::{self, key, uniform, Group, Purpose};
use rand::Rng;
use rand_distr::{Distribution, Poisson};

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
///
/// Validation bounds `lambda` to 0 ..= [`crate::model::limits::MAX_ARRIVALS_PER_MONTH`],
/// and every such value is a valid Poisson mean (a unit test of `limits`
/// checks the largest), so the sampler cannot fail on a scenario that
/// reached the engine. If it ever did, that is a bug and it stops the
/// program; it is never turned into a count of 0.
fn arrivals(plan: &Plan, rep: u64, t: usize, which: u64, lambda: f64) -> u64 {
    if lambda == 0.0 {
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
        Err(e) => panic!(
            "bug: arrival rate {lambda} passed validation but is not a Poisson mean ({e}); \
             validation must bound it to 0..={}",
            crate::model::limits::MAX_ARRIVALS_PER_MONTH
        ),
    }
}

#[inline(always)]
fn idx(d: u16) -> usize {
    (d as usize).min(MAX_TABLE - 1)
}

/// A consultant contact of a 2013-rules job in a month: a follow-up
/// contact, a screening contact, both or neither.
#[derive(Debug, Clone, Copy)]
struct Contact {
    follow: bool,
    screen: bool,
}

impl Contact {
    /// The follow-up contact rule, the one place it is written: a job gets
    /// a contact in month `t` when its screening falls in `t`, or when
    /// follow-up is in force in `t` (`mask` is then the plan's contact mask
    /// of job months, else 0), the job started at `max_start` hours or less
    /// and its job month is one of the mask's. Branch-free: it runs for
    /// every flexjob every month.
    #[inline(always)]
    fn of(p: &Person, t: usize, mask: u64, max_start: u8) -> Contact {
        let d = p.dur as usize;
        Contact {
            follow: ((mask >> d.min(63)) & 1 == 1) & (d < 64) & (p.start_hours <= max_start),
            screen: p.screen_t as usize == t,
        }
    }

    #[inline(always)]
    fn any(self) -> bool {
        self.follow | self.screen
    }

    /// Consultant hours: a screening's if it is one, else a follow-up's.
    #[inline(always)]
    fn hours(self, follow_hours: f64, screen_hours: f64) -> f64 {
        if self.screen {
            screen_hours
        } else if self.follow {
            follow_hours
        } else {
            0.0
        }
    }
}

/// The contact mask of month `t`: the plan's if follow-up is in force then,
/// else 0.
#[inline(always)]
fn contact_mask(plan: &Plan, t: usize) -> u64 {
    if t < plan.months && plan.followup_on[t] {
        plan.contact_mask
    } else {
        0
    }
}

/// The people of one replication, by state. Keeping each state in its own
/// array makes the monthly loops branch-free on the state, and lets the
/// arrays be reused across replications.
#[derive(Debug, Default)]
pub struct Population {
    pub ly: Vec<Person>,
    pub flex: Vec<Person>,
    pub old: Vec<Person>,
    to_ly: Vec<Person>,
    to_flex: Vec<Person>,
}

impl Population {
    fn clear(&mut self) {
        self.ly.clear();
        self.flex.clear();
        self.old.clear();
        self.to_ly.clear();
        self.to_flex.clear();
    }

    /// Everyone in the scheme.
    pub fn len(&self) -> usize {
        self.ly.len() + self.flex.len() + self.old.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Hours histogram index of a person at the end of a month: hours (6 bits),
/// whether the job started at ≤ 10 hours, and whether hours now exceed the
/// start. One increment per person replaces a dozen counters; the month's
/// stocks by band and the progression KPI are read off the histogram.
#[inline(always)]
fn end_key(p: &Person) -> usize {
    let small = (p.start_hours <= 10) as usize;
    let up = (p.hours > p.start_hours) as usize;
    p.hours as usize + HOURS * (small + (small & up))
}

/// Hours `0..=FULL_TIME_HOURS` index the histograms.
const HOURS: usize = HOURS_ROWS;

/// Cost histogram index at the start of a month: hours and refusion class
/// (0 flat rate, 1 staircase at the last step).
#[inline(always)]
fn cost_key(hours: u8, class: usize) -> usize {
    hours as usize + HOURS * class
}

/// Simulates replication `rep`, reusing `pop` as scratch space.
pub fn simulate_with(plan: &Plan, rep: u64, pop: &mut Population) -> Replication {
    let s = &plan.scenario;
    let months = plan.months;
    let mut values = vec![0.0; months * mx::N];
    let factory = Factory::new(plan, rep);
    pop.clear();
    for i in 0..s.initial.ly as u64 {
        pop.ly.push(factory.initial_ly(i));
    }
    let n_new = s.initial.flex.saturating_sub(s.initial.old_rules) as u64;
    for i in 0..n_new {
        pop.flex.push(factory.initial_flex(i));
    }
    for i in 0..s.initial.old_rules.min(s.initial.flex) as u64 {
        pop.old.push(factory.initial_old(i));
    }
    let fu = &s.policy.followup;
    let max_start = fu.max_start_hours;
    let follow_hours = fu.hours_per_contact;
    let screen_hours = s.policy.screening.hours_per_contact;
    // Months in which a screening contact or its protection can fall.
    let (screen_first, screen_last) = match plan.screening {
        Some((first, len)) => (first, first + len + fu.protect_months as i64),
        None => (-1, -1),
    };
    let h = &s.hours;
    let steps = (h.step_max - h.step_min + 1) as f64;
    let hours_model = h.p_up_organic > 0.0 || h.p_down > 0.0 || fu.p_up_contact > 0.0;
    let rf = &s.money.refusion;
    let keep_flex = rf.keep_flex_months.min(u16::MAX as u32) as u16;
    let cap_months = rf.cap_months.min(u16::MAX as u32) as u16;
    let weeks_step = WEEKS_PER_MONTH as f32;
    let pricing = plan.pricing;
    let organic = {
        let (up, down) = hour_probabilities(h, fu, false, 0);
        (threshold(up), threshold(up + down))
    };
    let ly_exit = &*plan.ly_exit;

    // Contacts due in the coming month, counted as people are updated.
    let mut next_contact_hours = 0.0;
    let mut next_contacts = 0u32;
    for p in &pop.flex {
        let c = Contact::of(p, 0, contact_mask(plan, 0), max_start);
        next_contacts += c.any() as u32;
        next_contact_hours += c.hours(follow_hours, screen_hours);
    }
    let (mut n_visit, mut n_direct) = (0u64, 0u64);
    let mut person_months = 0u64;
    let mut find_buf = [[0.0; MAX_TABLE]; 2];
    let mut end_hist = [0u32; 3 * HOURS];
    let mut cost_hist = [0u32; 2 * HOURS];

    for t in 0..months {
        // 1. Arrivals join at the start of the month.
        let nv = arrivals(plan, rep, t, 0, s.inflow.visitations_per_month);
        let nd = arrivals(plan, rep, t, 1, s.inflow.direct_per_month);
        for _ in 0..nv {
            pop.ly.push(factory.visitation(n_visit, t));
            n_visit += 1;
        }
        let mut contacts = next_contacts;
        let mut contact_hours_t = next_contact_hours;
        for _ in 0..nd {
            let p = factory.direct(n_direct, t);
            let c = Contact::of(&p, t, contact_mask(plan, t), max_start);
            contacts += c.any() as u32;
            contact_hours_t += c.hours(follow_hours, screen_hours);
            pop.flex.push(p);
            n_direct += 1;
        }

        // 2. Capacity from the caseload at the start of the month.
        let consultants = plan.consultants[t];
        let (caseload, capacity) = crate::sim::plan::capacity(
            &s.staffing,
            consultants,
            contact_hours_t,
            pop.ly.len() as f64,
        );
        // Job finding by spell month for this month, capacity included.
        for (buf, src) in find_buf.iter_mut().zip(&plan.find[t]) {
            for (dst, v) in buf.iter_mut().zip(src.iter()) {
                *dst = v * capacity;
            }
        }

        let pr = &plan.prices[t];
        let followup_on = plan.followup_on[t];
        let (jc0, jc1) = plan.jobclub_range[t];
        let (rv0, rv1) = plan.review_range[t];
        let staircase = pr.regime == Regime::Staircase;
        let protect_now = if followup_on { plan.protect_mask } else { 0 };
        let protect_len = fu.protect_months as usize;
        let ti = t as i64;
        let screening_now = ti >= screen_first && ti <= screen_last;
        // Contacts and protection need per-person work only when some
        // follow-up or screening is in force now or next month.
        let next_on = t + 1 < months && plan.followup_on[t + 1];
        let next_mask = if next_on { plan.contact_mask } else { 0 };
        let mask_now = contact_mask(plan, t);
        let contact_work = followup_on || next_on || screening_now || ti + 1 == screen_first;
        let mut c = Counts::default();
        end_hist.fill(0);
        cost_hist.fill(0);
        person_months += pop.len() as u64;
        let Population {
            ly,
            flex,
            old,
            to_ly,
            to_flex,
        } = pop;

        // 3. People on LY: find a job, leave, or stay.
        let mut i = 0;
        while i < ly.len() {
            let p = &mut ly[i];
            p.flex_history <<= 1;
            let dd = p.dur as u32;
            let in_jobclub = dd >= jc0 && dd < jc1;
            let in_review = dd >= rv0 && dd < rv1;
            if pricing {
                let share = crate::model::money::ly_refusion_share(
                    rf,
                    staircase && p.flags & F_NEW_REFUSION != 0,
                    p.weeks as f64,
                    p.cap_months >= cap_months,
                    in_jobclub || in_review,
                );
                p.weeks = (p.weeks + weeks_step).min(60.0);
                let benefit = pr.ly[p.category as usize];
                c.cost_ly += benefit;
                c.refusion_ly += benefit * share;
            }
            c.jobclub += in_jobclub as u32;
            c.review += in_review as u32;
            p.cap_months = p.cap_months.saturating_add(1);

            let d = idx(p.dur);
            let g = (p.flags & F_REHAB != 0) as usize;
            let (pf, px) = competing((find_buf[g][d] * p.frailty as f64).min(1.0), ly_exit[d]);
            let u = uniform(&mut p.events);
            if u < pf {
                let a = uniform(&mut p.hours_rng);
                let b = uniform(&mut p.hours_rng);
                start_job(p, plan, a, b);
                c.hires += 1;
                c.hires_le10h += (p.start_hours <= 10) as u32;
                to_flex.push(ly.swap_remove(i));
            } else if u < pf + px {
                c.exits_ly += 1;
                ly.swap_remove(i);
            } else {
                p.dur = p.dur.saturating_add(1);
                tally_ly(p, &mut c);
                i += 1;
            }
        }

        // 4. People in 2013-rules flexjobs: dismissal, exit, or hours. The
        // hot loop of the engine; it avoids branches on conditions that vary
        // from person to person.
        let mut i = 0;
        while i < flex.len() {
            let p = &mut flex[i];
            p.flex_history = (p.flex_history << 1) | 1;
            if pricing {
                let is_stair = staircase & (p.flags & F_NEW_REFUSION != 0);
                // Benefit weeks count under every regime; past 52 they no
                // longer change the staircase rate.
                let early = p.weeks < 52.0;
                if is_stair & early {
                    // Early on the staircase (rare): priced one by one.
                    let sub = pr.subsidy[p.hours as usize];
                    c.cost_flex += sub;
                    c.refusion_flex += sub
                        * crate::model::money::staircase_share(p.weeks as f64, &rf.staircase_rates);
                } else {
                    cost_hist[cost_key(p.hours, is_stair as usize)] += 1;
                }
                if early {
                    p.weeks += weeks_step;
                }
            }
            let d = idx(p.dur);
            // Draws are compared as 64-bit integers with thresholds
            // `p · 2^64`: the plan's tables hold them, scaled so that
            // dismissal + exit ≤ 1.
            let mut t_dismiss = plan.dismissal_thr[d];
            let mut t_leave = plan.flex_leave_thr[d];
            if contact_work {
                let small = p.start_hours <= max_start;
                let in_mask = (protect_now >> d.min(63)) & 1 == 1;
                let screen = p.screen_t as usize;
                let protected = (small & (d < 64) & in_mask)
                    | ((screen != NO_SCREEN as usize) & (t >= screen) & (t < screen + protect_len));
                c.mentor += protected as u32;
                if protected {
                    let (pd, px) = competing(
                        plan.raw_dismissal[d] * fu.dismissal_multiplier,
                        plan.raw_flex_exit[d],
                    );
                    t_dismiss = threshold(pd);
                    t_leave = threshold(pd + px);
                }
            }
            let x = p.events.next_u64();
            if x < t_leave {
                if x < t_dismiss {
                    dismiss(p);
                    c.dismissals += 1;
                    to_ly.push(flex.swap_remove(i));
                } else {
                    c.exits_flex += 1;
                    flex.swap_remove(i);
                }
                continue;
            }
            if hours_model {
                let y = p.hours_rng.next_u64();
                let contact = contact_work && Contact::of(p, t, mask_now, max_start).any();
                let special = contact | (p.flags & F_AGREEMENT != 0);
                let (t_up, t_any) = if special {
                    let (up, down) = hour_probabilities(h, fu, contact, p.flags);
                    (threshold(up), threshold(up + down))
                } else {
                    organic
                };
                if y < t_any {
                    let (up, down) = hour_probabilities(h, fu, contact, p.flags);
                    let v = unit(y);
                    if y < t_up {
                        if p.hours < p.ceiling {
                            let step = h.step_min as f64 + (v / up * steps).floor();
                            let step = (step as u8).min(h.step_max);
                            p.hours = p.hours.saturating_add(step).min(p.ceiling);
                            c.hours_up += 1;
                        }
                    } else if p.hours > 1 {
                        let step = h.step_min as f64 + ((v - up) / down * steps).floor();
                        let step = (step as u8).min(h.step_max);
                        p.hours = p.hours.saturating_sub(step).max(1);
                        c.hours_down += 1;
                    }
                }
            }
            next_job_month(p, keep_flex);
            end_hist[end_key(p)] += 1;
            if contact_work {
                tally_contact(
                    p,
                    t,
                    next_mask,
                    max_start,
                    follow_hours,
                    screen_hours,
                    &mut c,
                );
            }
            i += 1;
        }

        // 5. People in old-rules flexjobs: a flat subsidy to the employer,
        // priced by the count at the start of the month.
        let old_start = old.len() as f64;
        c.cost_old = old_start * pr.old_scheme;
        c.refusion_flex += old_start * pr.old_scheme * s.money.old_rules_refusion;
        let mut i = 0;
        while i < old.len() {
            let p = &mut old[i];
            p.flex_history = (p.flex_history << 1) | 1;
            let d = idx(p.dur);
            let x = p.events.next_u64();
            if x < plan.old_leave_thr[d] {
                if x < plan.old_dismissal_thr[d] {
                    dismiss(p);
                    c.dismissals += 1;
                    to_ly.push(old.swap_remove(i));
                } else {
                    c.exits_flex += 1;
                    old.swap_remove(i);
                }
                continue;
            }
            next_job_month(p, keep_flex);
            i += 1;
        }
        c.old = old.len() as u32;
        c.flex += c.old;

        // 6. Moves between states take effect at the end of the month.
        for mut p in to_ly.drain(..) {
            tally_ly(&mut p, &mut c);
            ly.push(p);
        }
        for p in to_flex.drain(..) {
            end_hist[end_key(&p)] += 1;
            tally_contact(
                &p,
                t,
                next_mask,
                max_start,
                follow_hours,
                screen_hours,
                &mut c,
            );
            flex.push(p);
        }
        next_contacts = c.next_contacts;
        next_contact_hours = c.next_contact_hours;

        // Read the histograms.
        for (k, &n) in end_hist.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let hrs = k % HOURS;
            let group = k / HOURS; // 0 started > 10 h, 1 small, 2 small and up
            c.flex += n;
            c.le10h += if hrs <= 10 { n } else { 0 };
            c.bands[BAND[hrs] as usize] += n;
            c.prog_base += if group > 0 { n } else { 0 };
            c.progressed += if group == 2 { n } else { 0 };
        }
        let rates = [rf.flat_flex_rate, rf.staircase_rates[3]];
        for (k, &n) in cost_hist.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let amount = n as f64 * pr.subsidy[k % HOURS];
            c.cost_flex += amount;
            c.refusion_flex += amount * rates[k / HOURS];
        }

        let row = &mut values[t * mx::N..(t + 1) * mx::N];
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

#[inline(always)]
fn tally_ly(p: &mut Person, c: &mut Counts) {
    c.ly += 1;
    c.ly_le6m += (p.dur <= 6) as u32;
    // The LY rate category moves to the ordinary rate after 9 months of
    // flexjob within 18.
    if p.category != 0 && (p.flex_history & 0x3FFFF).count_ones() >= 9 {
        p.category = 0;
    }
}

/// Counts a contact due next month.
#[inline(always)]
fn tally_contact(
    p: &Person,
    t: usize,
    next_mask: u64,
    max_start: u8,
    follow_hours: f64,
    screen_hours: f64,
    c: &mut Counts,
) {
    let contact = Contact::of(p, t + 1, next_mask, max_start);
    c.next_contacts += contact.any() as u32;
    c.next_contact_hours += contact.hours(follow_hours, screen_hours);
}

/// A 64-bit draw as a number in [0, 1).
#[inline]
fn unit(x: u64) -> f64 {
    (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Probabilities of an hours increase and decrease this month.
#[inline]
fn hour_probabilities(
    h: &crate::model::scenario::Hours,
    fu: &crate::model::scenario::Followup,
    contact: bool,
    flags: u8,
) -> (f64, f64) {
    let mut up = if contact {
        fu.p_up_contact
    } else {
        h.p_up_organic
    };
    if flags & F_AGREEMENT != 0 {
        up = (up * h.agreement_up_multiplier).min(1.0);
    }
    (up, h.p_down.min(1.0 - up))
}

/// A month in a flexjob passes. The refusion cap's count of months on LY
/// starts again once a job has lasted `keep_flex` months
/// (`money.refusion.keep_flex_months`).
#[inline(always)]
fn next_job_month(p: &mut Person, keep_flex: u16) {
    p.dur = p.dur.saturating_add(1);
    if p.cap_months != 0 && p.dur >= keep_flex {
        p.cap_months = 0;
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

/// Hours band (1–5, 6–10, 11–15, 16–20, 21–full time) by hours, as a table.
const BAND: [u8; 256] = {
    let mut t = [4u8; 256];
    let mut h = 0;
    while h < 21 {
        t[h] = if h <= 5 {
            0
        } else if h <= 10 {
            1
        } else if h <= 15 {
            2
        } else {
            3
        };
        h += 1;
    }
    t
};

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
    next_contacts: u32,
    next_contact_hours: f64,
    cost_ly: f64,
    cost_flex: f64,
    cost_old: f64,
    refusion_ly: f64,
    refusion_flex: f64,
}

/// Simulates replication `rep`.
pub fn simulate(plan: &Plan, rep: u64) -> Replication {
    simulate_with(plan, rep, &mut Population::default())
}
