//! The engine: one replication, month by month. Many replications run in
//! parallel in [`crate::analysis::runner`].
//!
//! Invariants:
//! - The engine does no IO; it is a pure function of the plan (scenario and
//!   seed) and the replication index.
//! - Results do not depend on the thread count: each replication has its own
//!   random streams.
//!
//! Order of events within month `t` (docs/model.md, "Order of events"):
//! arrivals join; everyone present is exposed to the month's risks, and the
//! state held at the start of the month decides the month's costs; stocks
//! are recorded at the end.
//!
//! [`simulate_with`] is the month loop; each step of the month is one
//! function, numbered as in docs/model.md: 1 `Run::arrive`, 2
//! `MonthCtx::new` (capacity), 3 `ly_step`, 4 `flex_step`, 5
//! `old_step`, 6 `end_of_month`, then `Tally` and `write_row` for
//! the month's row. `Rules` holds what every month reads, `MonthCtx`
//! what one month reads, `Tally` what it counts.

use crate::model::metrics as mx;
use crate::model::money::{self, Refusion, Regime, HOURS_ROWS, WEEKS_PER_MONTH};
use crate::model::scenario::{Followup, Hours, Transition};
use crate::model::states::{JobKind, MAX_EXIT_STATES};
use crate::sim::asleep::{Asleep, Keys};
use crate::sim::intervene::{self, Seats, Use};
use crate::sim::participation;
pub use crate::sim::plan::{competing, threshold};
use crate::sim::plan::{CohortTag, Dest, MonthPrices, Plan, MAX_TABLE};
use crate::sim::population::{
    start_job, Factory, Person, F_AGREEMENT, F_NEW_REFUSION, F_REHAB, F_SLEEP, LY, NO_SCREEN, OLD,
};
use crate::sim::rng::{self, key, uniform, Group, Purpose};
use crate::sim::standing::MAX_OFFERS;
use rand::Rng;
use rand_distr::{Distribution, Poisson};

/// The result of one replication: `months × metrics::N` values.
#[derive(Debug, Clone, PartialEq)]
pub struct Replication {
    pub values: Vec<f64>,
    pub person_months: u64,
    /// Cohort figures ([`crate::sim::plan::Cohorts::cells`]); empty
    /// without cohorts.
    pub cohorts: Vec<f64>,
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
        Contact::at(
            p.dur as usize,
            p.start_hours,
            p.screen_t,
            t,
            mask,
            max_start,
        )
    }

    /// [`Contact::of`] a job at job month `d` in month `t`.
    #[inline(always)]
    fn at(d: usize, start_hours: u8, screen_t: u16, t: usize, mask: u64, max_start: u8) -> Contact {
        Contact {
            follow: ((mask >> d.min(63)) & 1 == 1) & (d < 64) & (start_hours <= max_start),
            screen: screen_t as usize == t,
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
    /// Jobs that fall asleep at the end of this month, and those asleep
    /// ([`crate::sim::asleep`]).
    to_sleep: Vec<(Person, usize)>,
    asleep: Asleep,
    /// Cohort members who left the scheme this month.
    cohort_exits: Vec<CohortExit>,
}

/// A cohort member leaving the scheme: cohort (index + 1), month of entry,
/// exit state.
#[derive(Debug, Clone, Copy)]
struct CohortExit {
    cohort: u8,
    entered: u16,
    to: u8,
}

impl Population {
    fn clear(&mut self) {
        self.ly.clear();
        self.flex.clear();
        self.old.clear();
        self.to_ly.clear();
        self.to_flex.clear();
        self.to_sleep.clear();
        self.cohort_exits.clear();
    }

    /// Everyone in the scheme, asleep or not.
    pub fn len(&self) -> usize {
        self.ly.len() + self.flex.len() + self.old.len() + self.asleep.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The people asleep in jobs ([`crate::sim::asleep`]).
    pub fn asleep(&self) -> usize {
        self.asleep.len()
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

/// Simulates replication `rep`, reusing `pop` as scratch space: the initial
/// stocks, then the steps of docs/model.md's "Order of events" for each
/// month in turn.
pub fn simulate_with(plan: &Plan, rep: u64, pop: &mut Population) -> Replication {
    let mut run = Run::new(plan, rep, pop);
    let mut values = vec![0.0; plan.months * mx::N];
    let mut person_months = 0u64;
    let mut tally = Tally::new();
    let mut follow = Follow::new(plan);
    for (t, row) in values.chunks_exact_mut(mx::N).enumerate() {
        let mut arrived = run.arrive(t, pop); // 1
        arrived.due.hours += plan.interventions.hours(&run.places, t);
        for (i, &k) in run.programme_use.iter().enumerate() {
            if k > 0 {
                arrived.due.hours += plan.interventions.list[i].consultant_hours * k as f64;
            }
        }
        let m = MonthCtx::new(&run.r, t, arrived, pop.ly.len(), &mut run.find); // 2
        tally.clear();
        for (used, &k) in tally.c.iv.months.iter_mut().zip(&run.programme_use) {
            *used += k;
        }
        person_months += pop.len() as u64;
        let r = &run.r;
        if m.flex_tag.any() {
            pop.asleep.join(t, |d| m.flex_tag.join(d));
        }
        let exits = &mut pop.cohort_exits;
        let places = &mut run.places;
        // Steps 3 and 4 come in two builds each, with and without
        // interventions, so that a scenario without them pays nothing for
        // them in its loops over people.
        let (ly, to_flex) = (&mut pop.ly, &mut pop.to_flex);
        if r.iv_ly {
            ly_step::<true>(r, &m, ly, to_flex, &mut tally.c, exits, places); // 3
        } else {
            ly_step::<false>(r, &m, ly, to_flex, &mut tally.c, exits, places);
        }
        let asleep_old = if r.sleep {
            asleep_month(r, &m, pop, &mut tally) // 4 and 5, jobs asleep
        } else {
            0
        };
        let exits = &mut pop.cohort_exits;
        let (flex, to_ly, to_sleep) = (&mut pop.flex, &mut pop.to_ly, &mut pop.to_sleep);
        let jobs = Jobs {
            to_ly,
            to_sleep,
            cohort_exits: exits,
        };
        if r.iv_flex {
            flex_step::<true>(r, &m, flex, jobs, &mut tally, places); // 4
        } else {
            flex_step::<false>(r, &m, flex, jobs, &mut tally, places);
        }
        let jobs = Jobs {
            to_ly: &mut pop.to_ly,
            to_sleep: &mut pop.to_sleep,
            cohort_exits: &mut pop.cohort_exits,
        };
        let asleep_now = pop.asleep.old;
        old_step(
            r,
            &m,
            &mut pop.old,
            jobs,
            &mut tally.c,
            (asleep_old, asleep_now),
        ); // 5
        end_of_month(r, &m, pop, &mut tally); // 6
        run.places.end_of_month();
        if t < plan.cohorts.last_month {
            follow.month(t, pop);
        }
        run.due = tally.c.next;
        if r.sleep {
            for (n, &k) in tally.end_hist.iter_mut().zip(&pop.asleep.end) {
                *n += k;
            }
        }
        tally.count_stocks();
        fall_asleep(r, t, pop, &mut run.due_asleep);
        run.due.contacts += run.due_asleep[t + 1].contacts;
        run.due.hours += run.due_asleep[t + 1].hours;
        tally.price_subsidies(r, &m);
        tally.price_ly_months(r, &m);
        tally.price_exits(r, &m, &run.exit_stock);
        leave_exit_states(r.plan, run.rep, t, &mut run.exit_stock);
        for (stock, n) in run.exit_stock.iter_mut().zip(&tally.c.exits_to) {
            *stock += n;
        }
        // Who left the scheme for a programme starts a course next month.
        for pr in &r.plan.programmes {
            run.course_pending[pr.state] = tally.c.exits_to[pr.state];
        }
        tally.c.exit_stock = run.exit_stock.iter().sum();
        tally.c.programme_stock = r
            .plan
            .programmes
            .iter()
            .map(|pr| run.exit_stock[pr.state])
            .sum();
        write_row(r, &m, &tally.c, row);
    }
    Replication {
        values,
        person_months,
        cohorts: follow.finish(plan),
    }
}

/// The settings of a replication that every month reads, worked out once
/// from the plan. The loops over people work on local copies of it, of
/// [`MonthCtx`] and of [`Counts`]: nothing else can reach a local, so the
/// compiler keeps the fields in registers instead of reloading them after
/// every write to a person (without the copies the engine is about 5 %
/// slower).
#[derive(Clone, Copy)]
struct Rules<'a> {
    plan: &'a Plan,
    h: &'a Hours,
    fu: &'a Followup,
    rf: &'a Refusion,
    /// Follow-up contacts go to jobs started at this many hours or less.
    max_start: u8,
    follow_hours: f64,
    screen_hours: f64,
    /// Months in which a screening contact or its protection can fall
    /// (-1 when there is no screening).
    screen_first: i64,
    screen_last: i64,
    /// Number of possible sizes of an hours change.
    steps: f64,
    /// Whether hours can change at all.
    hours_model: bool,
    keep_flex: u16,
    cap_months: u16,
    /// The scheme's kinds (docs/model.md, "The scheme's states"): the
    /// share on the benefit with ordinary paid hours; the benefit weeks a
    /// month in the job state adds (none in an ordinary job); the months
    /// of self-support after which the staircase starts over (`u32::MAX`
    /// in a flexjob, which is not self-support).
    work_share: f64,
    job_weeks: f32,
    self_support: u32,
    /// Whether the frailty, the capacity, or either multiply exits from LY
    /// (`ly.frailty_on`, `staffing.capacity_on`; by default neither).
    frailty_exit: bool,
    capacity_exit: bool,
    frailty_find: bool,
    capacity_find: bool,
    exit_scaled: bool,
    /// Thresholds of an organic increase and of any change, for people
    /// without a contact or an agreement.
    organic: (u64, u64),
    /// The plan's switch and tables that the loops over people read.
    pricing: bool,
    ly_exit: &'a [f64; MAX_TABLE],
    dismissal_thr: &'a [u64; MAX_TABLE],
    flex_leave_thr: &'a [u64; MAX_TABLE],
    raw_dismissal: &'a [f64; MAX_TABLE],
    raw_flex_exit: &'a [f64; MAX_TABLE],
    old_dismissal_thr: &'a [u64; MAX_TABLE],
    old_leave_thr: &'a [u64; MAX_TABLE],
    /// Whether any intervention acts on LY, in flexjobs.
    iv_ly: bool,
    iv_flex: bool,
    /// Next-event sampling ([`crate::sim::asleep`]): whether jobs can fall
    /// asleep, the job months
    /// of follow-up contacts and protection and the first after them, the
    /// months a screening contact and its protection take, and the chances
    /// a sleeping job faces each month.
    sleep: bool,
    touch_mask: u64,
    contact_done: u16,
    screen_months: usize,
    quiet: [u64; 2],
    /// The job month from which the 2013-rules and the old-rules chance of
    /// leaving stay the same (the plan's `flex_leave_flat`, `old_leave_flat`).
    flex_flat: usize,
    old_flat: usize,
}

/// The thresholds of any hours change a job asleep faces each month,
/// without (0) and with (1) a progression agreement, as
/// [`change_hours`] computes them for a month without a contact or an
/// intervention (0 when hours never change).
fn quiet_thresholds(plan: &Plan, hours_model: bool) -> [u64; 2] {
    let s = &plan.scenario;
    let any = |flags| match hours_model {
        true => {
            let (up, down) =
                hour_probabilities(&s.hours, &plan.standing.followup, false, flags, 1.0);
            threshold(up + down)
        }
        false => 0,
    };
    [any(0), any(F_AGREEMENT)]
}

impl<'a> Rules<'a> {
    fn new(plan: &'a Plan) -> Rules<'a> {
        let s = &plan.scenario;
        let (h, fu, rf) = (&s.hours, &plan.standing.followup, &s.money.refusion);
        let (screen_first, screen_last) = match plan.screening {
            Some((first, len)) => (first, first + len + fu.protect_months as i64),
            None => (-1, -1),
        };
        let (up, down) = hour_probabilities(h, fu, false, 0, 1.0);
        let (benefit, job) = crate::model::states::scheme(&s.states);
        let ordinary = job.filter(|j| j.job == Some(JobKind::Ordinary));
        let frailty_exit = s.ly.frailty_on.contains(&Transition::Exit);
        let capacity_exit = s.staffing.capacity_on.contains(&Transition::Exit);
        let hours_model = h.p_up_organic > 0.0 || h.p_down > 0.0 || fu.p_up_contact > 0.0;
        let iv_flex = plan.interventions.flex_all != 0;
        Rules {
            plan,
            h,
            fu,
            rf,
            max_start: fu.max_start_hours,
            follow_hours: fu.hours_per_contact,
            screen_hours: plan.standing.screening.hours_per_contact,
            screen_first,
            screen_last,
            steps: (h.step_max - h.step_min + 1) as f64,
            hours_model,
            keep_flex: rf.keep_flex_months.min(u16::MAX as u32) as u16,
            cap_months: rf.cap_months.min(u16::MAX as u32) as u16,
            frailty_exit,
            capacity_exit,
            frailty_find: s.ly.frailty_on.contains(&Transition::FindJob),
            capacity_find: s.staffing.capacity_on.contains(&Transition::FindJob),
            exit_scaled: frailty_exit || capacity_exit,
            work_share: benefit.map_or(0.0, |b| b.work_share),
            job_weeks: if ordinary.is_some() { 0.0 } else { WEEKS_STEP },
            self_support: ordinary.map_or(u32::MAX, |j| j.self_support_months),
            organic: (threshold(up), threshold(up + down)),
            pricing: plan.pricing,
            ly_exit: &plan.ly_exit,
            dismissal_thr: &plan.dismissal_thr,
            flex_leave_thr: &plan.flex_leave_thr,
            raw_dismissal: &plan.raw_dismissal,
            raw_flex_exit: &plan.raw_flex_exit,
            old_dismissal_thr: &plan.old_dismissal_thr,
            old_leave_thr: &plan.old_leave_thr,
            iv_ly: plan.interventions.ly_all != 0,
            iv_flex,
            sleep: plan.next_event && ordinary.is_none() && !plan.interventions.limited,
            touch_mask: plan.contact_mask | plan.protect_mask,
            contact_done: (64 - (plan.contact_mask | plan.protect_mask).leading_zeros()) as u16,
            screen_months: (fu.protect_months as usize).max(1),
            quiet: quiet_thresholds(plan, hours_model),
            flex_flat: plan.flex_leave_flat,
            old_flat: plan.old_leave_flat,
        }
    }
}

/// Benefit weeks a month adds.
const WEEKS_STEP: f32 = WEEKS_PER_MONTH as f32;

/// Consultant contacts due in a month: how many, and the consultant hours
/// they take.
#[derive(Debug, Clone, Copy, Default)]
struct Due {
    contacts: u32,
    hours: f64,
}

impl Due {
    /// Counts the contact of `p` in month `t`, if any (`mask` as in
    /// [`Contact::of`]).
    #[inline(always)]
    fn add(&mut self, r: &Rules, p: &Person, t: usize, mask: u64) {
        let c = Contact::of(p, t, mask, r.max_start);
        self.contacts += c.any() as u32;
        self.hours += c.hours(r.follow_hours, r.screen_hours);
    }
}

/// One replication in progress: what carries from one month to the next
/// besides the people.
struct Run<'a> {
    r: Rules<'a>,
    factory: Factory<'a>,
    rep: u64,
    /// Visitations and direct hires so far: the next arrival's index in
    /// its group.
    n_visit: u64,
    n_direct: u64,
    /// Contacts due in the coming month, counted as people are updated.
    due: Due,
    /// `due_asleep[t]`: contacts of jobs asleep that wake for them in
    /// month `t`.
    due_asleep: Vec<Due>,
    /// Scratch for the month's job finding ([`MonthCtx::find`]).
    find: [[f64; MAX_TABLE]; 2],
    /// People in each declared state, exit and programme states
    /// (docs/model.md, "Exit states", "Programmes").
    exit_stock: [u32; MAX_EXIT_STATES],
    /// `course_ends[t][e]`: courses of programme `e` whose people leave at
    /// the start of month `t`.
    course_ends: Vec<[u32; MAX_EXIT_STATES]>,
    /// People who left the scheme for a programme last month: their
    /// courses start this month.
    course_pending: [u32; MAX_EXIT_STATES],
    /// People back in the scheme from programmes so far: the next one's
    /// index in its group (on LY, in a flexjob).
    n_back_ly: u64,
    n_back_flex: u64,
    /// This month's members of course-end cohorts back in the scheme:
    /// cohort (index + 1), on LY, in a flexjob.
    back_cohorts: Vec<(u8, u64, u64)>,
    /// This month's participants of interventions in programme states.
    programme_use: intervene::Places,
    /// The places of each intervention.
    places: Seats,
}

impl<'a> Run<'a> {
    /// The initial stocks (docs/model.md, "Initial population") and the
    /// contacts they are due in the first month.
    fn new(plan: &'a Plan, rep: u64, pop: &mut Population) -> Run<'a> {
        let s = &plan.scenario;
        let factory = Factory::new(plan, rep);
        pop.clear();
        pop.asleep.reset(plan.months, plan.cohorts.list.len());
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
        let r = Rules::new(plan);
        let mut due = Due::default();
        for p in &pop.flex {
            due.add(&r, p, 0, contact_mask(plan, 0));
        }
        let mut run = Run {
            r,
            factory,
            rep,
            n_visit: 0,
            n_direct: 0,
            due,
            due_asleep: vec![Due::default(); plan.months + 1],
            find: [[0.0; MAX_TABLE]; 2],
            exit_stock: [0; MAX_EXIT_STATES],
            course_ends: Vec::new(),
            course_pending: [0; MAX_EXIT_STATES],
            n_back_ly: 0,
            n_back_flex: 0,
            back_cohorts: Vec::new(),
            programme_use: [0; crate::model::states::MAX_INTERVENTIONS],
            places: Seats::new(plan.months),
        };
        run.initial_declared();
        run
    }

    /// The declared states' initial stocks; a programme's initial
    /// participants each draw the months left of their course.
    fn initial_declared(&mut self) {
        let plan = self.r.plan;
        for (e, (_, def)) in plan.exit_states.iter().enumerate() {
            self.exit_stock[e] = def.initial;
        }
        if plan.programmes.is_empty() {
            return;
        }
        self.course_ends = vec![[0; MAX_EXIT_STATES]; plan.months];
        for pr in &plan.programmes {
            let mut s = rng::stream(
                plan.seed,
                self.rep,
                key(Group::Replication, pr.state as u64),
                Purpose::ProgrammeInitial,
            );
            for _ in 0..pr.initial {
                let r = pr.remaining.sample(uniform(&mut s)) as usize;
                if let Some(ends) = self.course_ends.get_mut(r) {
                    ends[pr.state] += 1;
                }
            }
        }
    }

    /// Step 1, programmes (docs/model.md, "Programmes"): the courses that
    /// ended with last month go where their programme sends them (a
    /// multinomial draw), the programmes take their inflow from outside,
    /// and every course starting now draws its length. Members of a
    /// course-end cohort who go to a declared state are followed there
    /// (`cohort_exits`); those back in the scheme are counted in
    /// `back_cohorts`. Returns the people back in the scheme this month, on
    /// LY and in a flexjob, and the programmes' new participants from
    /// outside.
    fn programmes(&mut self, t: usize, cohort_exits: &mut Vec<CohortExit>) -> (u64, u64, u64) {
        let plan = self.r.plan;
        if plan.programmes.is_empty() {
            return (0, 0, 0);
        }
        let (mut ly, mut flex, mut entries) = (0u64, 0u64, 0u64);
        let mut starts = std::mem::take(&mut self.course_pending);
        let ends = std::mem::take(&mut self.course_ends[t]);
        self.programme_use = [0; crate::model::states::MAX_INTERVENTIONS];
        for pr in &plan.programmes {
            let n = ends[pr.state];
            // Places of its interventions, filled from the stock at the
            // start of the month, in list order.
            let stock = self.exit_stock[pr.state];
            let mut free = stock;
            let open = plan
                .interventions
                .programme_open
                .get(t)
                .copied()
                .unwrap_or(0);
            for iv in &pr.ivs {
                if open & (1 << iv.index) != 0 {
                    let k = iv.places.min(free);
                    self.programme_use[iv.index] = k;
                    free -= k;
                }
            }
            if n == 0 {
                continue;
            }
            self.exit_stock[pr.state] -= n;
            let tag = plan.cohorts.course.get(t).map_or(0, |c| c[pr.state]);
            let (mut tag_ly, mut tag_flex) = (0, 0);
            let mut s = rng::stream(
                plan.seed,
                self.rep,
                key(Group::Replication, t as u64 * 8 + pr.state as u64),
                Purpose::ProgrammeEnd,
            );
            // Each intervention's participants among the courses ending
            // (a binomial draw by its share of the stock), then the rest.
            let mut groups: Vec<(u64, &[(Dest, f64)])> = Vec::new();
            let (mut ending, mut among) = (n as u64, stock as u64);
            for iv in &pr.ivs {
                let k = self.programme_use[iv.index] as u64;
                if k == 0 || ending == 0 {
                    continue;
                }
                let m = binomial(ending, k as f64 / among as f64, &mut s);
                groups.push((m, &iv.end));
                ending -= m;
                among -= k;
            }
            groups.push((ending, &pr.end));
            for (group, end) in groups {
                let (mut left, mut rest) = (group, 1.0);
                for (k, &(dest, share)) in end.iter().enumerate() {
                    let m = if k + 1 == end.len() || share >= rest {
                        left
                    } else {
                        binomial(left, share / rest, &mut s)
                    };
                    left -= m;
                    rest -= share;
                    match dest {
                        Dest::Ly => {
                            ly += m;
                            tag_ly += m;
                        }
                        Dest::Flex => {
                            flex += m;
                            tag_flex += m;
                        }
                        Dest::State(d) => {
                            self.exit_stock[d] += m as u32;
                            starts[d] += m as u32;
                            if tag != 0 {
                                let x = CohortExit {
                                    cohort: tag,
                                    entered: t as u16,
                                    to: d as u8,
                                };
                                cohort_exits.extend(std::iter::repeat_n(x, m as usize));
                            }
                        }
                    }
                }
            }
            if tag != 0 {
                self.back_cohorts.push((tag, tag_ly, tag_flex));
            }
        }
        for pr in &plan.programmes {
            let e = pr.state;
            let mut s = rng::stream(
                plan.seed,
                self.rep,
                key(Group::Replication, t as u64 * 8 + e as u64),
                Purpose::ProgrammeCourse,
            );
            let lambda = pr.inflow[t];
            let new = if lambda > 0.0 {
                match Poisson::new(lambda) {
                    Ok(p) => p.sample(&mut s) as u32,
                    Err(err) => panic!("bug: programme inflow {lambda} passed validation ({err})"),
                }
            } else {
                0
            };
            entries += new as u64;
            self.exit_stock[e] += new;
            for _ in 0..starts[e] + new {
                let l = pr.course.sample(uniform(&mut s)) as usize;
                if let Some(at) = self.course_ends.get_mut(t + l) {
                    at[e] += 1;
                }
            }
        }
        (ly, flex, entries)
    }

    /// Step 1, arrivals: the month's visitations join LY and its direct
    /// hires join the 2013-rules jobs, at the start of month `t`. The
    /// contacts due this month include the direct hires'.
    fn arrive(&mut self, t: usize, pop: &mut Population) -> Arrivals {
        let plan = self.r.plan;
        let inflow = &plan.scenario.inflow;
        let (v_rate, d_rate) = inflow.at(plan.scenario.month(t));
        let visitations = arrivals(plan, self.rep, t, 0, v_rate);
        let direct = arrivals(plan, self.rep, t, 1, d_rate);
        for _ in 0..visitations {
            pop.ly.push(self.factory.visitation(self.n_visit, t));
            self.n_visit += 1;
        }
        self.back_cohorts.clear();
        let (back_ly, back_flex, programme_entries) = self.programmes(t, &mut pop.cohort_exits);
        let mut tags = self
            .back_cohorts
            .iter()
            .flat_map(|&(c, n, _)| std::iter::repeat_n(c, n as usize));
        for _ in 0..back_ly {
            let mut p = self
                .factory
                .visitation_in(Group::ProgrammeLy, self.n_back_ly, t);
            if let Some(c) = tags.next() {
                p.cohort = c;
                p.cohort_t = t as u16;
            }
            pop.ly.push(p);
            self.n_back_ly += 1;
        }
        let mut due = self.due;
        for _ in 0..direct {
            let p = self.factory.direct(self.n_direct, t);
            due.add(&self.r, &p, t, contact_mask(plan, t));
            pop.flex.push(p);
            self.n_direct += 1;
        }
        let mut tags = self
            .back_cohorts
            .iter()
            .flat_map(|&(c, _, n)| std::iter::repeat_n(c, n as usize));
        for _ in 0..back_flex {
            let mut p = self
                .factory
                .direct_in(Group::ProgrammeFlex, self.n_back_flex, t);
            if let Some(c) = tags.next() {
                p.cohort = c;
                p.cohort_t = t as u16;
            }
            due.add(&self.r, &p, t, contact_mask(plan, t));
            pop.flex.push(p);
            self.n_back_flex += 1;
        }
        Arrivals {
            visitations,
            direct,
            due,
            programme_entries,
            programme_returns: back_ly + back_flex,
        }
    }
}

/// A binomial draw of `n` trials with probability `p` (clamped to 1).
fn binomial(n: u64, p: f64, s: &mut impl Rng) -> u64 {
    match rand_distr::Binomial::new(n, p.clamp(0.0, 1.0)) {
        Ok(b) => b.sample(s),
        Err(e) => panic!("bug: a binomial of {n} at {p} passed validation but {e}"),
    }
}

/// Step 6, exit states: of the people in an exit state at the start of
/// month `t`, a binomial number with the state's `leave` probability goes
/// to `gone` (one draw per state and month, from a stream of its own; none
/// when nobody can leave).
fn leave_exit_states(plan: &Plan, rep: u64, t: usize, stock: &mut [u32; MAX_EXIT_STATES]) {
    let Some(gone) = plan.gone else { return };
    for (e, (_, def)) in plan.exit_states.iter().enumerate() {
        let n = stock[e];
        if def.leave <= 0.0 || n == 0 {
            continue;
        }
        let mut s = rng::stream(
            plan.seed,
            rep,
            key(Group::Replication, t as u64 * 8 + e as u64),
            Purpose::ExitLeave,
        );
        let k = binomial(n as u64, def.leave, &mut s) as u32;
        stock[e] -= k;
        stock[gone] += k;
    }
}

/// The arrivals of a month and the contacts due in it.
#[derive(Debug, Clone, Copy)]
struct Arrivals {
    visitations: u64,
    direct: u64,
    due: Due,
    /// Programmes' new participants from outside, and people back in the
    /// scheme from programmes.
    programme_entries: u64,
    programme_returns: u64,
}

/// Month `t` as the steps of the month see it: what the plan says of it,
/// and the capacity worked out at its start. (Not a calendar
/// [`crate::model::month::Month`].)
#[derive(Clone, Copy)]
struct MonthCtx<'a> {
    t: usize,
    pr: &'a MonthPrices,
    staircase: bool,
    /// The LY offers in force by spell month (a bit each), and the bits of
    /// the active offers ([`Plan::offer_mask`]).
    offer: &'a [u8; MAX_TABLE],
    active_offers: u8,
    /// Job months with reduced dismissal (0 without follow-up this month).
    protect_now: u64,
    protect_len: usize,
    /// Contact masks of this month and the next ([`contact_mask`]).
    mask_now: u64,
    next_mask: u64,
    /// Contacts and protection need per-person work only when some
    /// follow-up or screening is in force now or next month.
    contact_work: bool,
    /// Job finding by rehab group and spell month, capacity included.
    find: &'a [[f64; MAX_TABLE]; 2],
    consultants: f64,
    caseload: f64,
    capacity: f64,
    /// The capacity's multiplier on exits from LY (1 unless
    /// `staffing.capacity_on` names `exit`).
    exit_factor: f64,
    arrived: Arrivals,
    /// Who may join a cohort this month, on LY and in 2013-rules jobs.
    ly_tag: CohortTag,
    flex_tag: CohortTag,
    /// Interventions taking new people this month (a bit each).
    ly_open: u8,
    flex_open: u8,
    /// The cohort each intervention's entrants join this month.
    iv_cohorts: [u8; crate::model::states::MAX_INTERVENTIONS],
}

impl<'a> MonthCtx<'a> {
    /// Step 2, capacity: from the LY stock after arrivals and the hours of
    /// the contacts due this month; with it, the rules in force in month
    /// `t`.
    fn new(
        r: &Rules<'a>,
        t: usize,
        arrived: Arrivals,
        ly: usize,
        find: &'a mut [[f64; MAX_TABLE]; 2],
    ) -> MonthCtx<'a> {
        let plan = r.plan;
        let consultants = plan.consultants[t];
        let (caseload, capacity) = crate::sim::plan::capacity(
            &plan.scenario.staffing,
            consultants,
            arrived.due.hours,
            ly as f64,
        );
        let on_find = if r.capacity_find { capacity } else { 1.0 };
        for (buf, src) in find.iter_mut().zip(&plan.find[t]) {
            for (dst, v) in buf.iter_mut().zip(src.iter()) {
                *dst = v * on_find;
            }
        }
        let pr = &plan.prices[t];
        let followup_on = plan.followup_on[t];
        let ti = t as i64;
        let screening_now = ti >= r.screen_first && ti <= r.screen_last;
        let next_on = t + 1 < plan.months && plan.followup_on[t + 1];
        MonthCtx {
            t,
            pr,
            staircase: pr.regime == Regime::Staircase,
            offer: plan.offer_mask.get(t).unwrap_or(&NO_OFFERS),
            active_offers: plan.active_offers,
            protect_now: if followup_on { plan.protect_mask } else { 0 },
            protect_len: r.fu.protect_months as usize,
            mask_now: contact_mask(plan, t),
            next_mask: if next_on { plan.contact_mask } else { 0 },
            contact_work: followup_on || next_on || screening_now || ti + 1 == r.screen_first,
            find,
            consultants,
            caseload,
            capacity,
            exit_factor: if r.capacity_exit { capacity } else { 1.0 },
            arrived,
            ly_tag: plan.cohorts.ly.get(t).copied().unwrap_or_default(),
            flex_tag: plan.cohorts.flex.get(t).copied().unwrap_or_default(),
            ly_open: plan.interventions.ly_open.get(t).copied().unwrap_or(0),
            flex_open: plan.interventions.flex_open.get(t).copied().unwrap_or(0),
            iv_cohorts: plan.cohorts.iv.get(t).copied().unwrap_or_default(),
        }
    }
}

/// Step 3, people on LY (arrivals included): the month is priced, then one
/// draw decides between finding a job (moving to `to_flex`), leaving and
/// staying.
fn ly_step<const IV: bool>(
    r: &Rules,
    m: &MonthCtx,
    ly: &mut Vec<Person>,
    to_flex: &mut Vec<Person>,
    counts: &mut Counts,
    cohort_exits: &mut Vec<CohortExit>,
    places: &mut Seats,
) {
    // Local copies: see `Rules`.
    let (r, m, mut c) = (&{ *r }, &{ *m }, *counts);
    let mut i = 0;
    while i < ly.len() {
        let p = &mut ly[i];
        if m.ly_tag.any() {
            join_cohort(p, &m.ly_tag, m.t);
        }
        p.flex_history <<= 1;
        let d = idx(p.dur);
        let offers = if d < MAX_TABLE - 1 {
            m.offer[d]
        } else {
            long_spell_offers(r.plan, m.t, p.dur)
        };
        let g = (p.flags & F_REHAB != 0) as usize;
        let frail = if r.frailty_find {
            p.frailty as f64
        } else {
            1.0
        };
        let (mut find, mut exit) = (m.find[g][d] * frail, r.ly_exit[d]);
        if r.exit_scaled {
            exit *= m.exit_factor
                * if r.frailty_exit {
                    p.frailty as f64
                } else {
                    1.0
                };
        }
        let mut work = r.work_share;
        if IV {
            let ivs = &r.plan.interventions;
            let e = participation::month(ivs, p, m.t, m.ly_open, places, &mut c.iv, &m.iv_cohorts);
            find *= e.find_job;
            exit *= e.exit;
            work = (work * e.work_share).min(1.0);
        }
        if r.pricing {
            price_ly(r, m, p, offers & m.active_offers != 0, work, &mut c);
        }
        if offers != 0 {
            count_offers(offers, &mut c.offers);
        }
        p.cap_months = p.cap_months.saturating_add(1);

        let (pf, px) = competing(find.min(1.0), exit);
        let u = p.events.uniform();
        if u < pf {
            participation::leave(&r.plan.interventions, p, places);
            let a = p.hours_rng.uniform();
            let b = p.hours_rng.uniform();
            start_job(p, r.plan, a, b);
            c.hires += 1;
            c.hires_le10h += (p.start_hours <= 10) as u32;
            to_flex.push(ly.swap_remove(i));
        } else if u < pf + px {
            c.exits_ly += 1;
            let e = r.plan.ly_route.pick(d, (u - pf) / px);
            c.exits_to[e] += 1;
            left_scheme(p, e, cohort_exits);
            participation::leave(&r.plan.interventions, p, places);
            ly.swap_remove(i);
        } else {
            p.dur = p.dur.saturating_add(1);
            tally_ly(p, &mut c);
            i += 1;
        }
    }
    *counts = c;
}

/// Step 3, pricing: a month of LY and its refusion, from the state at the
/// start of the month (`in_offer`: in an active offer such as the jobclub
/// or the review); the
/// benefit weeks grow. With ordinary paid hours while on the benefit, the
/// month is priced at its expectation: a share `work` of it has the
/// earnings, which cut the benefit (docs/model.md, "The scheme's states").
#[inline(always)]
fn price_ly(r: &Rules, m: &MonthCtx, p: &mut Person, in_offer: bool, work: f64, c: &mut Counts) {
    let stair = m.staircase && p.flags & F_NEW_REFUSION != 0;
    let cap_used = p.cap_months >= r.cap_months;
    if work == 0.0 && !(stair && p.weeks < 52.0) {
        // A whole month of the category's rate at one of four shares,
        // priced with the others in [`Tally::price_ly_months`].
        let class = money::ly_share_class(stair, cap_used, in_offer);
        c.ly_hist[p.category as usize * 4 + class] += 1;
    } else {
        let share = money::ly_refusion_share(r.rf, stair, p.weeks as f64, cap_used, in_offer);
        let benefit = (m.pr.ly[p.category as usize] - work * m.pr.work_cut).max(0.0);
        if work != 0.0 {
            c.wages.add(work * m.pr.work_wage);
        }
        c.cost_ly.add(benefit);
        c.refusion_ly.add(benefit * share);
    }
    p.weeks = (p.weeks + WEEKS_STEP).min(60.0);
}

/// Step 4, people in 2013-rules flexjobs (direct arrivals included): the
/// month is priced, then one draw decides between dismissal (moving to
/// `to_ly`), exit and staying; who stays may change hours. The hot loop of
/// the engine; it avoids branches on conditions that vary from person to
/// person.
fn flex_step<const IV: bool>(
    r: &Rules,
    m: &MonthCtx,
    flex: &mut Vec<Person>,
    jobs: Jobs,
    tally: &mut Tally,
    places: &mut Seats,
) {
    // Local copies: see `Rules`.
    let (r, m, mut c) = (&{ *r }, &{ *m }, tally.c);
    let Jobs {
        to_ly,
        to_sleep,
        cohort_exits,
    } = jobs;
    let sleep = r.sleep;
    let mut asleep = 0u32;
    let mut i = 0;
    while i < flex.len() {
        let p = &mut flex[i];
        if m.flex_tag.any() {
            join_cohort(p, &m.flex_tag, m.t);
        }
        p.flex_history = (p.flex_history << 1) | 1;
        if r.pricing {
            price_flex(r, m, p, &mut c, &mut tally.cost_hist);
        }
        let e = if IV {
            let ivs = &r.plan.interventions;
            participation::month(ivs, p, m.t, m.flex_open, places, &mut c.iv, &m.iv_cohorts)
        } else {
            intervene::NONE
        };
        let (t_dismiss, t_leave) = leave_thresholds::<IV>(r, m, p, &mut c, &e);
        let x = p.events.next_u64();
        if x < t_leave {
            participation::leave(&r.plan.interventions, p, places);
            if x < t_dismiss {
                dismiss(p);
                c.dismissals += 1;
                to_ly.push(flex.swap_remove(i));
            } else {
                c.exits_flex += 1;
                let e = r
                    .plan
                    .flex_route
                    .pick(idx(p.dur), within(x, t_dismiss, t_leave));
                c.exits_to[e] += 1;
                left_scheme(p, e, cohort_exits);
                flex.swap_remove(i);
            }
            continue;
        }
        if r.hours_model {
            change_hours::<IV>(r, m, p, &mut c, e.hours_up);
        }
        next_job_month(p, r.keep_flex, r.self_support);
        tally.end_hist[end_key(p)] += 1;
        if m.contact_work {
            c.next.add(r, p, m.t + 1, m.next_mask);
        }
        if let Some(wake) = sleep.then(|| sleep_until(r, p, m.t)).flatten() {
            // Marked, and taken out after the loop: the order in which the
            // month's people are met (and their money summed) must not
            // depend on who sleeps, which a policy can decide.
            p.flags |= F_SLEEP;
            p.since = wake.min(u16::MAX as usize) as u16;
            asleep += 1;
        }
        i += 1;
    }
    if asleep > 0 {
        let mut j = flex.len();
        while j > 0 {
            j -= 1;
            if flex[j].flags & F_SLEEP != 0 {
                let mut p = flex.swap_remove(j);
                p.flags &= !F_SLEEP;
                let wake = match p.since {
                    u16::MAX => usize::MAX,
                    w => w as usize,
                };
                to_sleep.push((p, wake));
            }
        }
    }
    tally.c = c;
}

/// Where people leaving a job step go: dismissed to LY, asleep
/// ([`crate::sim::asleep`]), and the cohort members who leave the scheme.
struct Jobs<'p> {
    to_ly: &'p mut Vec<Person>,
    to_sleep: &'p mut Vec<(Person, usize)>,
    cohort_exits: &'p mut Vec<CohortExit>,
}

/// Step 4, pricing: a month of flex subsidy at the hours held at its start.
/// Most people go into the cost histogram, priced at the end of the month
/// ([`Tally::price_subsidies`]); early on the staircase (rare) they are
/// priced one by one. Benefit weeks count under every regime; past 52 they
/// no longer change the staircase rate.
#[inline(always)]
fn price_flex(
    r: &Rules,
    m: &MonthCtx,
    p: &mut Person,
    c: &mut Counts,
    cost_hist: &mut [u32; 2 * HOURS],
) {
    let is_stair = m.staircase & (p.flags & F_NEW_REFUSION != 0);
    let early = p.weeks < 52.0;
    if is_stair & early {
        let sub = m.pr.subsidy[p.hours as usize];
        c.wages.add(m.pr.wage[p.hours as usize]);
        c.cost_flex.add(sub);
        c.refusion_flex
            .add(sub * money::staircase_share(p.weeks as f64, &r.rf.staircase_rates));
    } else {
        cost_hist[cost_key(p.hours, is_stair as usize)] += 1;
    }
    if early {
        p.weeks += r.job_weeks;
    }
}

/// Step 4: the thresholds of dismissal and of dismissal + exit of a person
/// in a 2013-rules job, with the follow-up multiplier on dismissal in
/// protected months (each counted as a mentor month). Draws are compared as
/// 64-bit integers with thresholds `p · 2^64`: the plan's tables hold them,
/// scaled so that dismissal + exit ≤ 1. Most people are neither protected
/// nor in an intervention and take the tables as they are.
#[inline(always)]
fn leave_thresholds<const IV: bool>(
    r: &Rules,
    m: &MonthCtx,
    p: &Person,
    c: &mut Counts,
    iv: &intervene::Effect,
) -> (u64, u64) {
    let d = idx(p.dur);
    let protected = m.contact_work && {
        let small = p.start_hours <= r.max_start;
        let in_mask = (m.protect_now >> d.min(63)) & 1 == 1;
        let screen = p.screen_t as usize;
        let t = m.t;
        (small & (d < 64) & in_mask)
            | ((screen != NO_SCREEN as usize) & (t >= screen) & (t < screen + m.protect_len))
    };
    c.mentor += protected as u32;
    if protected || IV {
        return scaled_thresholds(r, d, protected, iv);
    }
    (r.dismissal_thr[d], r.flex_leave_thr[d])
}

/// [`leave_thresholds`] of a protected person or under an intervention:
/// the multipliers on the raw hazards of job month `d`, competing again
/// (the tables when they are all 1).
#[inline(never)]
fn scaled_thresholds(r: &Rules, d: usize, protected: bool, iv: &intervene::Effect) -> (u64, u64) {
    let dismissal = if protected {
        r.fu.dismissal_multiplier
    } else {
        1.0
    };
    let (dismissal, exit) = (dismissal * iv.dismissal, iv.exit);
    if dismissal != 1.0 || exit != 1.0 {
        let (pd, px) = competing(r.raw_dismissal[d] * dismissal, r.raw_flex_exit[d] * exit);
        return (threshold(pd), threshold(pd + px));
    }
    (r.dismissal_thr[d], r.flex_leave_thr[d])
}

/// Step 4, hours (docs/model.md, "Hours"): one draw of the hours stream
/// decides between an increase (up to the ceiling), a decrease (down to 1
/// hour) and no change; a contact this month or a progression agreement
/// raises the chance of an increase.
#[inline(always)]
fn change_hours<const IV: bool>(
    r: &Rules,
    m: &MonthCtx,
    p: &mut Person,
    c: &mut Counts,
    up_mult: f64,
) {
    let h = r.h;
    let y = p.hours_rng.next_u64();
    let contact = m.contact_work && Contact::of(p, m.t, m.mask_now, r.max_start).any();
    let special = contact | (p.flags & F_AGREEMENT != 0) | (IV && up_mult != 1.0);
    let (t_up, t_any) = if special {
        let (up, down) = hour_probabilities(h, r.fu, contact, p.flags, up_mult);
        (threshold(up), threshold(up + down))
    } else {
        r.organic
    };
    if y >= t_any {
        return;
    }
    let (up, down) = hour_probabilities(h, r.fu, contact, p.flags, up_mult);
    move_hours(r, p, c, rng::unit(y), y < t_up, (up, down));
}

/// An hours change of `p` (docs/model.md, "Hours"): `v` in `[0, up +
/// down)` is the draw's position; an increase when `is_up` (up to the
/// ceiling), else a decrease (down to 1 hour), by a step the position
/// within its chance decides.
#[inline(always)]
fn move_hours(r: &Rules, p: &mut Person, c: &mut Counts, v: f64, is_up: bool, up_down: (f64, f64)) {
    let (h, (up, down)) = (r.h, up_down);
    if is_up {
        if p.hours < p.ceiling {
            let step = h.step_min as f64 + (v / up * r.steps).floor();
            let step = (step as u8).min(h.step_max);
            p.hours = p.hours.saturating_add(step).min(p.ceiling);
            c.hours_up += 1;
        }
    } else if p.hours > 1 {
        let step = h.step_min as f64 + ((v - up) / down * r.steps).floor();
        let step = (step as u8).min(h.step_max);
        p.hours = p.hours.saturating_sub(step).max(1);
        c.hours_down += 1;
    }
}

/// Step 5, people in old-rules flexjobs: a flat subsidy to the employer,
/// priced by the count at the start of the month, then one draw between
/// dismissal (moving to `to_ly`), exit and staying. `asleep`: the
/// old-rules jobs asleep at the start of the month and still asleep now
/// (their events were [`asleep_month`]'s).
fn old_step(
    r: &Rules,
    m: &MonthCtx,
    old: &mut Vec<Person>,
    jobs: Jobs,
    counts: &mut Counts,
    asleep: (u32, u32),
) {
    // Local copies: see `Rules`.
    let (r, m, mut c) = (&{ *r }, &{ *m }, *counts);
    let Jobs {
        to_ly,
        to_sleep,
        cohort_exits,
    } = jobs;
    let (asleep_start, asleep_now) = asleep;
    let old_start = (old.len() + asleep_start as usize) as f64;
    let mut slept = 0u32;
    c.cost_old = old_start * m.pr.old_scheme;
    c.refusion_flex
        .add(old_start * m.pr.old_scheme * r.plan.scenario.money.old_rules_refusion);
    let mut i = 0;
    while i < old.len() {
        let p = &mut old[i];
        p.flex_history = (p.flex_history << 1) | 1;
        let d = idx(p.dur);
        let x = p.events.next_u64();
        if x < r.old_leave_thr[d] {
            if x < r.old_dismissal_thr[d] {
                dismiss(p);
                c.dismissals += 1;
                to_ly.push(old.swap_remove(i));
            } else {
                c.exits_flex += 1;
                let (lo, hi) = (r.old_dismissal_thr[d], r.old_leave_thr[d]);
                let e = r.plan.old_route.pick(d, within(x, lo, hi));
                c.exits_to[e] += 1;
                left_scheme(p, e, cohort_exits);
                old.swap_remove(i);
            }
            continue;
        }
        next_job_month(p, r.keep_flex, u32::MAX);
        if r.sleep {
            to_sleep.push((old.swap_remove(i), usize::MAX));
            slept += 1;
            continue;
        }
        i += 1;
    }
    c.old = old.len() as u32 + slept + asleep_now;
    c.flex += c.old;
    *counts = c;
}

/// Step 6, end of month: the month's moves take effect. The dismissed join
/// LY; the hired join the 2013-rules jobs, where they count in the month's
/// stocks and may be due a contact next month.
fn end_of_month(r: &Rules, m: &MonthCtx, pop: &mut Population, tally: &mut Tally) {
    for mut p in pop.to_ly.drain(..) {
        tally_ly(&mut p, &mut tally.c);
        pop.ly.push(p);
    }
    for p in pop.to_flex.drain(..) {
        tally.end_hist[end_key(&p)] += 1;
        tally.c.next.add(r, &p, m.t + 1, m.next_mask);
        pop.flex.push(p);
    }
}

/// How long a 2013-rules job that goes on after month `t` may sleep
/// ([`crate::sim::asleep`]): `None` when it must stay awake in `t + 1`
/// (its benefit weeks still count on the staircase, it holds an
/// intervention's place, or a contact or protection falls on it then),
/// else the month it must wake in at the latest (`usize::MAX`: never): the
/// first in which a follow-up or screening contact, a protection or an
/// intervention taking new people can reach it. Until then its monthly
/// draws face the plan's tables alone, which [`next_event`] reads month by
/// month. Nothing of another scenario's policies decides whether a job
/// sleeps, only when it wakes, and a job's draws are the same asleep or
/// awake, so two scenarios keep their common random numbers.
#[inline(always)]
fn sleep_until(r: &Rules, p: &Person, t: usize) -> Option<usize> {
    if (p.weeks < 52.0) | (p.iv != 0 && p.iv & intervene::DONE == 0) {
        return None;
    }
    let next = t + 1;
    let mut wake = match r.iv_flex {
        true => r.plan.interventions.flex_next[next.min(r.plan.months)],
        false => usize::MAX,
    };
    if p.screen_t != NO_SCREEN {
        let screen = p.screen_t as usize;
        if screen >= next {
            wake = wake.min(screen);
        } else if next < screen + r.screen_months {
            return None;
        }
    }
    if p.start_hours <= r.max_start {
        // The first month from `next` with follow-up in force at a job
        // month of a contact or protection, looked for from the first
        // month with follow-up in force.
        let plan = r.plan;
        let mut tt = plan.followup_from[next.min(plan.months)];
        let mut d = p.dur as usize + (tt - next);
        while d < r.contact_done as usize && tt < plan.months && tt < wake {
            if plan.followup_on[tt] && (r.touch_mask >> d) & 1 == 1 {
                wake = tt;
                break;
            }
            d += 1;
            tt += 1;
        }
    }
    (wake > next).then_some(wake)
}

/// Steps 4 and 5 for the jobs asleep: the jobs due in month `t` (their
/// event falls in it, or they must wake in it) go back to the monthly
/// loops, which give them the month as they give it to every job; the
/// others' month is priced from the histogram they keep. Returns the
/// old-rules jobs asleep at the start of the month.
fn asleep_month(r: &Rules, m: &MonthCtx, pop: &mut Population, tally: &mut Tally) -> u32 {
    let mut due = pop.asleep.take(m.t, sleep_keys);
    for mut p in due.drain(..) {
        catch_up(&mut p, m.t, r.keep_flex);
        if p.state == OLD {
            pop.old.push(p);
        } else {
            pop.flex.push(p);
        }
    }
    pop.asleep.give_back(m.t, due);
    for (k, &n) in pop.asleep.cost.iter().enumerate() {
        if n > 0 {
            let stair = m.staircase & (k >= HOURS);
            tally.cost_hist[cost_key((k % HOURS) as u8, stair as usize)] += n;
        }
    }
    pop.asleep.old
}

/// The histogram keys of a job asleep (`None` in old rules).
fn sleep_keys(p: &Person) -> Option<Keys> {
    (p.state != OLD).then(|| Keys {
        cost: p.hours as usize + HOURS * (p.flags & F_NEW_REFUSION != 0) as usize,
        end: end_key(p),
    })
}

/// A job wakes at the start of month `t`: the months it slept are
/// counted as [`next_job_month`] would have counted them one by one (the
/// count of flexjob months within 18 only grows in a job, so the refusion
/// cap's restart can be applied once, at the end).
#[inline]
fn catch_up(p: &mut Person, t: usize, keep_flex: u16) {
    let months = t - p.since as usize;
    p.dur = p.dur.saturating_add(months.min(u16::MAX as usize) as u16);
    p.flex_history = job_months(p.flex_history, months);
    if p.cap_months != 0 && (p.flex_history & 0x3FFFF).count_ones() >= keep_flex as u32 {
        p.cap_months = 0;
    }
}

/// The flexjob history after `months` more months in a job.
#[inline]
fn job_months(history: u32, months: usize) -> u32 {
    if months >= 32 {
        u32::MAX
    } else {
        (history << months) | ((1u32 << months) - 1)
    }
}

/// The jobs that may sleep after month `t` fall asleep: each is filed
/// under the month of its next event ([`next_event`]), or under the month
/// it must wake in if that comes first (a contact due then is counted
/// now, as an awake job counts the next month's).
fn fall_asleep(r: &Rules, t: usize, pop: &mut Population, due_asleep: &mut [Due]) {
    for (mut p, wake) in pop.to_sleep.drain(..) {
        let old = p.state == OLD;
        let bound = wake.min(r.plan.months);
        let event = next_event(r, &mut p, t + 1, bound);
        p.since = (t + 1) as u16;
        if event == wake && wake < r.plan.months && !old {
            let d = p.dur as usize + (wake - t - 1);
            let c = Contact::at(
                d,
                p.start_hours,
                p.screen_t,
                wake,
                contact_mask(r.plan, wake),
                r.max_start,
            );
            due_asleep[wake].contacts += c.any() as u32;
            due_asleep[wake].hours += c.hours(r.follow_hours, r.screen_hours);
        }
        let keys = sleep_keys(&p);
        pop.asleep.put(p, event, keys);
    }
}

/// The first month from `next` (before `bound`) in which the monthly
/// draws of a job asleep decide anything: the events draw falls below the
/// chance of leaving at that job month, or the hours draw below the
/// chance of an hours change. It takes the draws of the months before it
/// from the person's streams, exactly as the monthly loops would, and
/// leaves that month's own draws for the loop that wakes the person: a
/// job's random numbers, and so its path, are the same asleep or awake.
/// `bound` when no such month comes before it.
#[inline]
fn next_event(r: &Rules, p: &mut Person, next: usize, bound: usize) -> usize {
    if p.state == OLD {
        return scan::<false>(p, (r.old_leave_thr, r.old_flat), 0, next, bound);
    }
    let any = r.quiet[(p.flags & F_AGREEMENT != 0) as usize];
    let leave = (r.flex_leave_thr, r.flex_flat);
    match r.hours_model {
        true => scan::<true>(p, leave, any, next, bound),
        false => scan::<false>(p, leave, any, next, bound),
    }
}

/// [`next_event`]'s loop: `HOURS` whether the job draws hours in each
/// month it stays, `any` the threshold of an hours change, `leave` the
/// table of leaving by job month and where it turns flat. It reads each
/// month's numbers before drawing them ([`rng::Xoshiro::peek`]), and draws
/// them only for a month that decides nothing.
#[inline(always)]
fn scan<const HOURS: bool>(
    p: &mut Person,
    (leave, flat): (&[u64; MAX_TABLE], usize),
    any: u64,
    next: usize,
    bound: usize,
) -> usize {
    let d = p.dur as usize;
    let mut tt = next;
    // Job months `d + (tt - next)` before the table turns flat, then the
    // flat part with its one threshold.
    let steps_end = bound.min(next + flat.saturating_sub(d));
    while tt < steps_end {
        if quiet_month::<HOURS>(p, leave[d + (tt - next)], any) {
            tt += 1;
        } else {
            return tt;
        }
    }
    let thr = leave[MAX_TABLE - 1];
    while tt < bound {
        if quiet_month::<HOURS>(p, thr, any) {
            tt += 1;
        } else {
            return tt;
        }
    }
    tt
}

/// One month of [`scan`]: whether the month's numbers decide nothing
/// (then they are drawn), or decide something (then they are left for the
/// loop that wakes the job).
#[inline(always)]
fn quiet_month<const HOURS: bool>(p: &mut Person, leave: u64, any: u64) -> bool {
    let left = p.events.peek() < leave;
    let changed = HOURS && p.hours_rng.peek() < any;
    if left | changed {
        return false;
    }
    p.events.step();
    if HOURS {
        p.hours_rng.step();
    }
    true
}

/// What a month counts as it goes: the counters, and two histograms of the
/// 2013-rules jobs ([`end_key`] at the end of the month, [`cost_key`] at
/// its start).
struct Tally {
    c: Counts,
    end_hist: [u32; 3 * HOURS],
    cost_hist: [u32; 2 * HOURS],
}

impl Tally {
    fn new() -> Tally {
        Tally {
            c: Counts::default(),
            end_hist: [0; 3 * HOURS],
            cost_hist: [0; 2 * HOURS],
        }
    }

    fn clear(&mut self) {
        self.c = Counts::default();
        self.end_hist.fill(0);
        self.cost_hist.fill(0);
    }

    /// Step 6, stocks: the 2013-rules stock, by hours band, at 10 hours or
    /// less, and the progression KPI, read off the end-of-month histogram.
    fn count_stocks(&mut self) {
        let c = &mut self.c;
        for (k, &n) in self.end_hist.iter().enumerate() {
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
    }

    /// Step 4's pricing, finished at the end of the month: the subsidies of
    /// the cost histogram and their refusion (flat rate, or the staircase's
    /// last step).
    fn price_subsidies(&mut self, r: &Rules, m: &MonthCtx) {
        let c = &mut self.c;
        let rates = [r.rf.flat_flex_rate, r.rf.staircase_rates[3]];
        for (k, &n) in self.cost_hist.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let amount = n as f64 * m.pr.subsidy[k % HOURS];
            c.cost_flex.add(amount);
            c.refusion_flex.add(amount * rates[k / HOURS]);
            c.wages.add(n as f64 * m.pr.wage[k % HOURS]);
        }
    }

    /// Step 3's pricing, finished at the end of the month: the LY months
    /// at a whole rate of their category, by category and refusion share
    /// ([`price_ly`]).
    fn price_ly_months(&mut self, r: &Rules, m: &MonthCtx) {
        let c = &mut self.c;
        let shares = money::ly_class_shares(r.rf);
        for (k, &n) in c.ly_hist.iter().enumerate() {
            if n > 0 {
                let amount = n as f64 * m.pr.ly[k / 4].max(0.0);
                c.cost_ly.add(amount);
                c.refusion_ly.add(amount * shares[k % 4]);
            }
        }
    }

    /// The month's cost of the exit states, from the people in them at its
    /// start (docs/model.md, "Exit states"): benefits, their refusion, and
    /// the taxable income they pay or earn.
    fn price_exits(&mut self, r: &Rules, m: &MonthCtx, stock: &[u32; MAX_EXIT_STATES]) {
        let c = &mut self.c;
        for (e, (_, def)) in r.plan.exit_states.iter().enumerate() {
            let n = stock[e] as f64;
            if n == 0.0 {
                continue;
            }
            let cost = n * m.pr.exit_cost[e];
            c.cost_exit += cost;
            c.refusion_exit += cost * def.refusion;
            c.exit_income += n * m.pr.exit_earnings[e] + if def.taxable { cost } else { 0.0 };
        }
    }
}

/// A person joins the cohort the month's tag offers, if any and if they
/// are in none yet.
#[inline(always)]
fn join_cohort(p: &mut Person, tag: &CohortTag, t: usize) {
    if p.cohort == 0 {
        let c = tag.join(p.dur);
        if c != 0 {
            p.cohort = c;
            p.cohort_t = t as u16;
        }
    }
}

/// A person leaves the scheme for exit state `e`: a cohort member is
/// followed there.
#[inline(always)]
fn left_scheme(p: &Person, e: usize, cohort_exits: &mut Vec<CohortExit>) {
    if p.cohort != 0 {
        cohort_exits.push(CohortExit {
            cohort: p.cohort,
            entered: p.cohort_t,
            to: e as u8,
        });
    }
}

/// The cohorts of one replication followed month by month
/// (docs/model.md, "Cohorts"): members in the scheme's states counted at
/// the end of each month, and those who left by the exit state they left
/// for.
struct Follow {
    /// `alive[c][k][s]`: members of cohort `c`, `k` months after entry, in
    /// state `s` (0 LY, 1 flex, 2 old rules).
    alive: Vec<Vec<[u32; 3]>>,
    /// Members who left: cohort, month of entry, months since entry, exit
    /// state.
    left: Vec<(usize, usize, usize, usize)>,
    /// `entries[c][t]`: members who entered cohort `c` in month `t`.
    entries: Vec<Vec<u32>>,
}

impl Follow {
    fn new(plan: &Plan) -> Follow {
        let list = &plan.cohorts.list;
        Follow {
            alive: list.iter().map(|c| vec![[0; 3]; c.follow + 1]).collect(),
            left: Vec::new(),
            entries: list.iter().map(|_| vec![0; plan.months]).collect(),
        }
    }

    /// The end of month `t`: count the members where they are.
    fn month(&mut self, t: usize, pop: &mut Population) {
        for (s, people) in [&pop.ly, &pop.flex, &pop.old].into_iter().enumerate() {
            for p in people.iter().filter(|p| p.cohort != 0) {
                self.count(t, p, s);
            }
        }
        // Jobs asleep, and those falling asleep now.
        let in_job = |p: &Person| if p.state == OLD { 2 } else { 1 };
        for (p, _) in pop.to_sleep.iter().filter(|(p, _)| p.cohort != 0) {
            self.count(t, p, in_job(p));
        }
        for c in 0..self.alive.len() {
            for (entered, &[flex, old]) in pop.asleep.members(c).iter().enumerate().take(t + 1) {
                if flex + old == 0 {
                    continue;
                }
                let k = t - entered;
                if k == 0 {
                    self.entries[c][t] += flex + old;
                }
                if let Some(cell) = self.alive[c].get_mut(k) {
                    cell[1] += flex;
                    cell[2] += old;
                }
            }
        }
        for x in pop.cohort_exits.drain(..) {
            let (c, entered) = (x.cohort as usize - 1, x.entered as usize);
            let k = t - entered;
            if k == 0 {
                self.entries[c][entered] += 1;
            }
            self.left.push((c, entered, k, x.to as usize));
        }
    }

    /// A member `p` in state `s` (0 LY, 1 flex, 2 old rules) at the end of
    /// month `t`.
    fn count(&mut self, t: usize, p: &Person, s: usize) {
        let c = p.cohort as usize - 1;
        let k = t - p.cohort_t as usize;
        if k == 0 {
            self.entries[c][t] += 1;
        }
        if let Some(cell) = self.alive[c].get_mut(k) {
            cell[s] += 1;
        }
    }

    /// The replication's cohort figures, in [`crate::sim::plan::Cohorts::cells`]
    /// order: for each cohort and month since entry, the share in each
    /// state (0 when no member is observed yet), then the members observed.
    fn finish(self, plan: &Plan) -> Vec<f64> {
        let co = &plan.cohorts;
        let n_states = co.states.len();
        let mut out = Vec::with_capacity(co.cells());
        for (c, cp) in co.list.iter().enumerate() {
            let mut counts = vec![vec![0u32; n_states]; cp.follow + 1];
            for (k, cell) in self.alive[c].iter().enumerate() {
                counts[k][..3].copy_from_slice(cell);
            }
            for &(lc, entered, k_exit, e) in &self.left {
                if lc != c {
                    continue;
                }
                // Observed at k while entry + k is within the horizon.
                let last = cp.follow.min(plan.months - 1 - entered);
                for row in counts.iter_mut().take(last + 1).skip(k_exit) {
                    row[3 + e] += 1;
                }
            }
            for (k, row) in counts.iter().enumerate() {
                let observed: u32 = self.entries[c]
                    .iter()
                    .take(plan.months.saturating_sub(k))
                    .sum();
                for &n in row {
                    out.push(if observed > 0 {
                        n as f64 / observed as f64
                    } else {
                        0.0
                    });
                }
                out.push(observed as f64);
            }
        }
        out
    }
}

/// The position of a 64-bit draw `x` within `[lo, hi)`, in `[0, 1)`.
#[inline(always)]
fn within(x: u64, lo: u64, hi: u64) -> f64 {
    (x - lo) as f64 / (hi - lo) as f64
}

/// Step 6: the month's row of metrics (docs/model.md, "What comes out").
fn write_row(r: &Rules, m: &MonthCtx, c: &Counts, row: &mut [f64]) {
    let (cost_ly, refusion_ly) = (c.cost_ly.value(), c.refusion_ly.value());
    let (cost_flex, refusion_flex) = (c.cost_flex.value(), c.refusion_flex.value());
    let wages = c.wages.value();
    let pr = m.pr;
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
    row[mx::VISITATIONS] = m.arrived.visitations as f64;
    row[mx::DIRECT_HIRES] = m.arrived.direct as f64;
    row[mx::HIRES] = c.hires as f64;
    row[mx::HIRES_LE10H] = c.hires_le10h as f64;
    row[mx::DISMISSALS] = c.dismissals as f64;
    row[mx::EXITS_LY] = c.exits_ly as f64;
    row[mx::EXITS_FLEX] = c.exits_flex as f64;
    row[mx::HOURS_UP] = c.hours_up as f64;
    row[mx::HOURS_DOWN] = c.hours_down as f64;
    row[mx::CONSULTANTS] = m.consultants;
    row[mx::CASELOAD] = m.caseload;
    row[mx::CAPACITY] = m.capacity;
    let contacts = m.arrived.due.contacts;
    row[mx::CONTACTS] = contacts as f64;
    let interventions: f64 =
        c.iv.months
            .iter()
            .zip(&pr.intervention)
            .map(|(&n, &price)| n as f64 * price)
            .sum::<f64>()
            + c.iv
                .contacts
                .iter()
                .zip(&pr.intervention_contact)
                .map(|(&n, &price)| n as f64 * price)
                .sum::<f64>();
    // Summed in this order (offers in the plan's order) so that a v1 file
    // gives the sums it gave when the jobclub and the review were fields.
    let mut measures = contacts as f64 * pr.per_contact;
    for (&n, &price) in c.offers.iter().zip(&pr.offers) {
        measures += n as f64 * price;
    }
    let measures = measures + c.mentor as f64 * pr.mentor_month + interventions;
    row[mx::PARTICIPANTS] = c.iv.months.iter().sum::<u32>() as f64;
    row[mx::PROGRAMME_STOCK] = c.programme_stock as f64;
    row[mx::PROGRAMME_ENTRIES] = m.arrived.programme_entries as f64;
    row[mx::PROGRAMME_RETURNS] = m.arrived.programme_returns as f64;
    row[mx::COST_LY] = cost_ly;
    row[mx::COST_FLEX_SUBSIDY] = cost_flex;
    row[mx::COST_OLD_SCHEME] = c.cost_old;
    row[mx::REFUSION_LY] = refusion_ly;
    row[mx::REFUSION_FLEX] = refusion_flex;
    row[mx::COST_STAFF_MUNICIPAL] = pr.staff_municipal;
    row[mx::COST_STAFF_GRANT] = pr.staff_grant;
    row[mx::COST_MEASURES] = measures;
    row[mx::NET_MUNICIPAL_COST] = cost_ly + cost_flex + c.cost_old - refusion_ly - refusion_flex
        + pr.staff_municipal
        + measures
        + c.cost_exit
        - c.refusion_exit;
    row[mx::EXIT_STOCK] = c.exit_stock as f64;
    row[mx::COST_EXIT] = c.cost_exit;
    row[mx::REFUSION_EXIT] = c.refusion_exit;
    row[mx::WAGES_FLEX] = wages;
    let tax = &r.plan.scenario.money.tax;
    row[mx::TAX_MUNICIPAL] = wages * tax.municipal_rate;
    let taxable = wages + cost_ly + cost_flex + c.exit_income;
    row[mx::NET_PUBLIC_COST] = cost_ly
        + cost_flex
        + c.cost_old
        + c.cost_exit
        + pr.staff_municipal
        + pr.staff_grant
        + measures
        - taxable * tax.income_rate;
}

/// Counts a participant-month in each offer of `bits`. It takes the
/// counters of the offers alone, so that the loop's other counts stay in
/// registers (see `Rules`).
#[inline(never)]
fn count_offers(mut bits: u8, offers: &mut [u32; MAX_OFFERS]) {
    while bits != 0 {
        offers[bits.trailing_zeros() as usize] += 1;
        bits &= bits - 1;
    }
}

/// The offers a spell of `dur` months is in during month `t`, for spells
/// at or past the duration tables' last month.
#[cold]
fn long_spell_offers(plan: &Plan, t: usize, dur: u16) -> u8 {
    let in_force = plan.offers_in_force.get(t).copied().unwrap_or(0);
    plan.standing
        .offers
        .iter()
        .enumerate()
        .filter(|(i, o)| (in_force >> i) & 1 == 1 && o.covers(dur as u32))
        .fold(0, |bits, (i, _)| bits | (1 << i))
}

/// No LY offer in any spell month.
static NO_OFFERS: [u8; MAX_TABLE] = [0; MAX_TABLE];

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

/// Probabilities of an hours increase and decrease this month.
#[inline]
fn hour_probabilities(
    h: &crate::model::scenario::Hours,
    fu: &crate::model::scenario::Followup,
    contact: bool,
    flags: u8,
    up_mult: f64,
) -> (f64, f64) {
    let mut up = if contact {
        fu.p_up_contact
    } else {
        h.p_up_organic
    };
    if flags & F_AGREEMENT != 0 {
        up = (up * h.agreement_up_multiplier).min(1.0);
    }
    if up_mult != 1.0 {
        up = (up * up_mult).min(1.0);
    }
    (up, h.p_down.min(1.0 - up))
}

/// A month in a flexjob passes. The refusion cap's count of months on LY
/// starts again once the person has had `keep_flex` months of flexjob
/// (`money.refusion.keep_flex_months`) within the last 18, across jobs, as
/// the LY rate category counts them.
/// In an ordinary job (`self_support` months, else `u32::MAX`), benefit
/// weeks start over once the person has had that many months of
/// self-support within the last 18.
#[inline(always)]
fn next_job_month(p: &mut Person, keep_flex: u16, self_support: u32) {
    p.dur = p.dur.saturating_add(1);
    if p.cap_months != 0 && (p.flex_history & 0x3FFFF).count_ones() >= keep_flex as u32 {
        p.cap_months = 0;
    }
    if self_support != u32::MAX && (p.flex_history & 0x3FFFF).count_ones() >= self_support {
        p.weeks = 0.0;
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

#[derive(Debug, Clone, Copy, Default)]
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
    /// Participant-months of each LY offer.
    offers: [u32; MAX_OFFERS],
    mentor: u32,
    /// Contacts due next month.
    next: Due,
    cost_ly: Sum,
    /// People on LY priced at a whole month of their category's rate, by
    /// category and refusion share ([`price_ly`]; priced in
    /// [`Tally::price_ly_months`]).
    ly_hist: [u32; 12],
    cost_flex: Sum,
    cost_old: f64,
    refusion_ly: Sum,
    refusion_flex: Sum,
    /// Exits of the month by exit state, and the people in exit states at
    /// its end.
    exits_to: [u32; MAX_EXIT_STATES],
    exit_stock: u32,
    programme_stock: u32,
    cost_exit: f64,
    refusion_exit: f64,
    /// Taxable benefits and earnings of the people in exit states.
    exit_income: f64,
    /// Wages of the 2013-rules jobs (at the hours held at the month's start).
    wages: Sum,
    /// Participant-months of each intervention.
    iv: Use,
}

/// Money summed person by person, exactly: the whole kroner of each
/// amount and its fraction in units of 2⁻⁴⁰ kroner (under 10⁻¹² kroner, cut
/// toward zero) are added as integers, so a month's total does not depend
/// on the order in which the month meets people (which sleeping jobs
/// change: docs/model.md, "Next-event sampling").
#[derive(Debug, Clone, Copy, Default)]
struct Sum {
    kroner: i64,
    units: i64,
}

impl Sum {
    /// Units per krone.
    const SCALE: f64 = 1_099_511_627_776.0;

    #[inline(always)]
    fn add(&mut self, x: f64) {
        let whole = x as i64;
        // Exact: `x` and `whole` agree in sign and magnitude up to the
        // fraction, and the scale is a power of two.
        let fraction = (x - whole as f64) * Self::SCALE;
        self.kroner = self.kroner.wrapping_add(whole);
        self.units = self.units.wrapping_add(fraction as i64);
    }

    fn value(self) -> f64 {
        self.kroner as f64 + self.units as f64 / Self::SCALE
    }
}

/// Simulates replication `rep`.
pub fn simulate(plan: &Plan, rep: u64) -> Replication {
    simulate_with(plan, rep, &mut Population::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `duration_cap` count restarts after 9 months of flexjob within
    /// 18, across jobs (5 months, then 4 in a second job), not only after 9
    /// months in one job.
    #[test]
    fn the_refusion_cap_restarts_after_nine_months_across_jobs() {
        let mut p = Person {
            events: rng::person_stream(1, Purpose::Events),
            hours_rng: rng::person_stream(1, Purpose::Hours),
            frailty: 1.0,
            weeks: 60.0,
            cap_months: 12,
            dur: 0,
            screen_t: NO_SCREEN,
            state: crate::sim::population::FLEX,
            hours: 5,
            start_hours: 5,
            ceiling: 10,
            flags: 0,
            category: 0,
            flex_history: 0,
            cohort: 0,
            cohort_t: 0,
            iv: 0,
            iv_end: 0,
            since: 0,
        };
        let job_month = |p: &mut Person| {
            p.flex_history = (p.flex_history << 1) | 1;
            next_job_month(p, 9, u32::MAX);
        };
        for _ in 0..5 {
            job_month(&mut p);
        }
        // Dismissed: two months on LY, then a second job.
        p.dur = 0;
        p.flex_history <<= 2;
        p.cap_months += 2;
        for month in 1..=3 {
            job_month(&mut p);
            assert!(p.cap_months > 0, "only {} months of flexjob", 5 + month);
        }
        job_month(&mut p);
        assert_eq!(
            p.cap_months, 0,
            "9 months of flexjob within 18 restart the count"
        );
        assert_eq!(p.dur, 4, "in a job of 4 months");
    }
}
