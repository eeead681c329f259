//! The plan: a validated scenario compiled into per-month tables.
//!
//! The engine's hot loop reads only these tables: every policy window, step
//! hazard, staffing level and price is looked up by simulation month `t`,
//! spell or job duration `d`, or hours `h`, never recomputed per person.

use crate::model::money::{self, Discrete, Regime};
use crate::model::scenario::{step_value, Scenario, Staffing, Step};
use crate::model::states::{shares_at, CohortState, Entry, Shares, StateDef, MAX_EXIT_STATES};
use crate::sim::standing::{Standing, MAX_OFFERS};

/// Duration tables run to this many months; longer durations use the last.
pub const MAX_TABLE: usize = 256;

/// The capacity rule: how the caseload at the start of a month scales job
/// finding. Consultants spend `contact_hours` of the month on follow-up
/// and screening contacts; the rest of their time (at least 0.01 of a
/// consultant) is search-effective. The caseload is the people on LY per
/// search-effective consultant, and job finding is multiplied by
/// `(reference_caseload / caseload)^elasticity`, clamped to
/// `[capacity_min, capacity_max]` (1 with no elasticity; the maximum with
/// nobody on LY). Returns `(caseload, capacity)`.
pub fn capacity(st: &Staffing, consultants: f64, contact_hours: f64, ly: f64) -> (f64, f64) {
    let effective = (consultants - contact_hours / st.hours_per_month).max(0.01);
    let caseload = ly / effective;
    let capacity = if st.elasticity == 0.0 {
        1.0
    } else if caseload <= 0.0 {
        st.capacity_max
    } else {
        (st.reference_caseload / caseload)
            .powf(st.elasticity)
            .clamp(st.capacity_min, st.capacity_max)
    };
    (caseload, capacity)
}

/// Per-month tables for one scenario.
#[derive(Debug, Clone)]
pub struct Plan {
    pub scenario: Scenario,
    pub seed: u64,
    pub months: usize,
    /// `find[t][g]`: base find probability × the offers' multipliers at
    /// duration `d`, for people without (`g = 0`) and with (`g = 1`) the
    /// visitation intervention (the rehab meeting).
    pub find: Vec<[Table; 2]>,
    pub ly_exit: Table,
    pub dismissal: Table,
    pub flex_exit: Table,
    pub old_dismissal: Table,
    pub old_exit: Table,
    /// Thresholds (`p · 2^64`) of dismissal and of dismissal + exit.
    pub dismissal_thr: Box<[u64; MAX_TABLE]>,
    pub flex_leave_thr: Box<[u64; MAX_TABLE]>,
    pub old_dismissal_thr: Box<[u64; MAX_TABLE]>,
    pub old_leave_thr: Box<[u64; MAX_TABLE]>,
    /// The job month from which `flex_leave_thr` and `old_leave_thr` hold
    /// one value to their end ([`flat_from`]).
    pub flex_leave_flat: usize,
    pub old_leave_flat: usize,
    /// Flex dismissal and exit before scaling to a sum ≤ 1 (for multipliers).
    pub raw_dismissal: Table,
    pub raw_flex_exit: Table,
    pub consultants: Vec<f64>,
    pub grant_consultants: Vec<f64>,
    pub followup_on: Vec<bool>,
    /// `followup_from[t]`: the first month from `t` with follow-up in
    /// force (`months` if none); `months + 1` entries.
    pub followup_from: Vec<usize>,
    pub rehab_on: Vec<bool>,
    /// `offer_mask[t][d]`: bit `i` set when offer `i` on LY
    /// ([`Standing::offers`]) acts on spell month `d` in month `t` (empty
    /// without offers); `active_offers`: the bits of the active offers.
    pub offer_mask: Vec<[u8; MAX_TABLE]>,
    pub active_offers: u8,
    /// The bits of the offers in force in month `t` (empty without
    /// offers): for spells past the table's last month, whose offers are
    /// found from [`crate::sim::standing::Offer::covers`] (a duration
    /// table stops at `MAX_TABLE - 1` months; an offer's months do not).
    pub offers_in_force: Vec<u8>,
    /// The interventions without places (the v1 policies among them),
    /// compiled.
    pub standing: Standing,
    /// Bit `k` set: a contact at job month `k`.
    pub contact_mask: u64,
    /// Bit `k` set: dismissal is reduced at job month `k`.
    pub protect_mask: u64,
    /// Screening: (first month index, number of months), if enabled.
    pub screening: Option<(i64, i64)>,
    pub prices: Vec<MonthPrices>,
    /// Compiled band distributions: hour ceiling, start hours, initial
    /// hours, prior benefit weeks.
    pub ceiling_dist: Discrete,
    pub start_dist: Discrete,
    pub initial_hours_dist: Discrete,
    pub prior_weeks_dist: Discrete,
    /// The exit states, in the engine's order (index = exit state).
    pub exit_states: Vec<(String, StateDef)>,
    /// The index of `gone` among them, if it is one.
    pub gone: Option<usize>,
    /// The programme states among them, compiled.
    pub programmes: Vec<Programme>,
    /// Where exits go from LY, 2013-rules jobs and old-rules jobs.
    pub ly_route: Route,
    pub flex_route: Route,
    pub old_route: Route,
    /// The scenario's cohorts, compiled.
    pub cohorts: Cohorts,
    /// The scenario's interventions, compiled.
    pub interventions: crate::sim::intervene::Interventions,
    /// Cumulative base job-finding hazard by completed spell months
    /// (`find_cum[d]` = sum of `find_job` over months `0..d`).
    pub find_cum: Vec<f64>,
    /// Price person-months (the default). Off only to measure what the
    /// money side costs in the benchmark: the cost lines are then zero or
    /// incomplete.
    pub pricing: bool,
    /// Let jobs sleep until the first month their own draws decide
    /// something, instead of meeting every job every month (docs/model.md,
    /// "Next-event sampling"; the same results): the scenario's
    /// `sampling`; tests and the benchmark set it to compare the two.
    pub next_event: bool,
}

/// Prices of one month (in the output's price level).
#[derive(Debug, Clone)]
pub struct MonthPrices {
    /// LY per month by rate category (0 = ordinary, 1 = cash with children,
    /// 2 = cash without children).
    pub ly: [f64; 3],
    /// Flex subsidy per month by current hours (index
    /// `0..=FULL_TIME_HOURS`).
    pub subsidy: [f64; money::HOURS_ROWS],
    pub old_scheme: f64,
    pub regime: Regime,
    pub staff_municipal: f64,
    pub staff_grant: f64,
    pub per_contact: f64,
    /// Each LY offer's price per participant-month.
    pub offers: [f64; MAX_OFFERS],
    pub mentor_month: f64,
    /// Wages of a 2013-rules flexjob per month by current hours.
    pub wage: [f64; money::HOURS_ROWS],
    /// Benefit and taxable earnings per person-month by exit state.
    pub exit_cost: [f64; MAX_EXIT_STATES],
    pub exit_earnings: [f64; MAX_EXIT_STATES],
    /// Cost of a participant-month and of a contact by intervention.
    pub intervention: [f64; crate::model::states::MAX_INTERVENTIONS],
    pub intervention_contact: [f64; crate::model::states::MAX_INTERVENTIONS],
    /// Ordinary paid hours while on the benefit (`[states.ly]`): a working
    /// person's earnings per month, and the benefit cut they bring.
    pub work_wage: f64,
    pub work_cut: f64,
}

/// Where the exits from one state go: one exit state, or a split by
/// duration. A split is decided by the same draw that decided the exit
/// (its position within the exit's probability), so splitting an exit
/// takes no random number and leaves every other draw where it was.
#[derive(Debug, Clone)]
pub enum Route {
    Single(u8),
    /// `cum[d]`: cumulative shares of the exit states at duration `d`.
    Split(Box<[[f64; MAX_EXIT_STATES]; MAX_TABLE]>),
}

impl Route {
    fn new(steps: &[Shares], exits: &[(String, StateDef)]) -> Route {
        let index = |name: &str| exits.iter().position(|(n, _)| n == name).unwrap_or(0);
        let gone = index(crate::model::states::GONE);
        if steps.is_empty() {
            return Route::Single(gone as u8);
        }
        let mut cum = Box::new([[0.0; MAX_EXIT_STATES]; MAX_TABLE]);
        for (d, row) in cum.iter_mut().enumerate() {
            let mut acc = 0.0;
            if let Some(shares) = shares_at(steps, d as u32) {
                for (e, (name, _)) in exits.iter().enumerate() {
                    acc += shares.get(name).copied().unwrap_or(0.0);
                    row[e] = acc;
                }
            }
            // The last exit state takes what rounding leaves.
            if let Some(last) = row[..exits.len()].last_mut() {
                *last = f64::INFINITY;
            }
        }
        Route::Split(cum)
    }

    /// The exit state of an exit at duration `d`, where `v` in `[0, 1)` is
    /// the position of the exit's draw within the exit probability.
    #[inline(always)]
    pub fn pick(&self, d: usize, v: f64) -> usize {
        match self {
            Route::Single(e) => *e as usize,
            Route::Split(cum) => {
                let row = &cum[d];
                row.iter().position(|&c| v < c).unwrap_or(0)
            }
        }
    }
}

/// A table by duration in months (0..MAX_TABLE).
pub type Table = Box<[f64; MAX_TABLE]>;

fn table(steps: &[Step], _len: usize) -> Table {
    let mut t = Box::new([0.0; MAX_TABLE]);
    for (d, v) in t.iter_mut().enumerate() {
        *v = step_value(steps, d as u32);
    }
    t
}

impl Plan {
    /// Compiles a validated scenario.
    pub fn new(scenario: &Scenario) -> Plan {
        let s = scenario.clone();
        let months = s.horizon_months as usize;
        let standing = Standing::new(&s);
        let len = MAX_TABLE;
        let base_find = table(&s.ly.find_job, len);
        let mut find = Vec::with_capacity(months);
        let mut consultants = Vec::with_capacity(months);
        let mut grant_consultants = Vec::with_capacity(months);
        let mut followup_on = Vec::with_capacity(months);
        let mut rehab_on = Vec::with_capacity(months);
        let mut offer_mask = Vec::new();
        let mut offers_in_force = Vec::new();
        for t in 0..months {
            let m = s.month(t);
            // Each offer in force marks its spell months, and multiplies
            // job finding there (in the offers' order).
            let mut mask = [0u8; MAX_TABLE];
            let mut in_force = 0u8;
            for (i, o) in standing.offers.iter().enumerate() {
                if o.window.contains(m) {
                    in_force |= 1 << i;
                    for (d, b) in mask.iter_mut().enumerate() {
                        *b |= (o.covers(d as u32) as u8) << i;
                    }
                }
            }
            let mut g0 = base_find.clone();
            for (v, &bits) in g0.iter_mut().zip(&mask) {
                for (i, o) in standing.offers.iter().enumerate() {
                    if (bits >> i) & 1 == 1 {
                        *v *= o.find_job;
                    }
                }
            }
            if !standing.offers.is_empty() {
                offer_mask.push(mask);
                offers_in_force.push(in_force);
            }
            // The visitation effect belongs to the person (entered while
            // it was in force), so it applies whatever month it is now.
            let mut g1 = g0.clone();
            if let Some(vi) = &standing.visitation {
                for (d, v) in g1.iter_mut().enumerate() {
                    if d as u32 >= vi.min && d as u32 <= vi.max {
                        *v *= vi.find_job;
                    }
                }
            }
            find.push([g0, g1]);
            let (c, g) = s.consultants(t);
            consultants.push(c);
            grant_consultants.push(g);
            let fu = &standing.followup;
            followup_on.push(fu.enabled && fu.window().contains(m));
            rehab_on.push(
                standing
                    .visitation
                    .as_ref()
                    .is_some_and(|v| v.window.contains(m)),
            );
        }
        let fu = &standing.followup;
        let mut contact_mask = 0u64;
        let mut protect_mask = 0u64;
        for &k in &fu.schedule {
            if k < 64 {
                contact_mask |= 1 << k;
            }
            for j in k..k + fu.protect_months {
                if j < 64 {
                    protect_mask |= 1 << j;
                }
            }
        }
        let sc = &standing.screening;
        let screening = if sc.enabled {
            let from = sc.window().from.unwrap_or(s.start);
            let to = sc.window().to.unwrap_or(from);
            let first = s.start.months_until(from) as i64;
            Some((first, (from.months_until(to) as i64 + 1).max(1)))
        } else {
            None
        };
        let exit_states = s.exit_states();
        let prices = (0..months)
            .map(|t| month_prices(&s, &standing, &exit_states, t))
            .collect();
        let raw_dismissal = table(&s.flex.dismissal, len);
        let raw_flex_exit = table(&s.flex.exit, len);
        let (dismissal, flex_exit) = scaled(&raw_dismissal, &raw_flex_exit);
        let (old_dismissal, old_exit) = scaled(
            &table(s.old_rules_dismissal(), len),
            &table(s.old_rules_exit(), len),
        );
        let flex_leave_thr = thresholds(&dismissal, Some(&flex_exit));
        let old_leave_thr = thresholds(&old_dismissal, Some(&old_exit));
        Plan {
            ly_route: Route::new(&s.ly.exit_to, &exit_states),
            flex_route: Route::new(&s.flex.exit_to, &exit_states),
            old_route: Route::new(s.old_rules_exit_to(), &exit_states),
            cohorts: Cohorts::new(&s, &exit_states),
            gone: exit_states
                .iter()
                .position(|(n, _)| n == crate::model::states::GONE),
            programmes: Programme::compile(&s, &exit_states),
            interventions: crate::sim::intervene::Interventions::new(&s),
            find_cum: std::iter::once(0.0)
                .chain(base_find.iter().scan(0.0, |acc, &p| {
                    *acc += p;
                    Some(*acc)
                }))
                .collect(),
            exit_states,
            dismissal_thr: thresholds(&dismissal, None),
            flex_leave_flat: flat_from(&flex_leave_thr),
            flex_leave_thr,
            old_dismissal_thr: thresholds(&old_dismissal, None),
            old_leave_flat: flat_from(&old_leave_thr),
            old_leave_thr,
            ly_exit: table(&s.ly.exit, len),
            dismissal,
            flex_exit,
            old_dismissal,
            old_exit,
            raw_dismissal,
            raw_flex_exit,
            seed: s.seed,
            months,
            find,
            consultants,
            grant_consultants,
            followup_from: first_from(&followup_on),
            followup_on,
            rehab_on,
            offer_mask,
            offers_in_force,
            active_offers: standing.active_bits(),
            contact_mask,
            protect_mask,
            screening,
            prices,
            ceiling_dist: hours_dist(&s.hours.ceiling),
            start_dist: hours_dist(&s.hours.start),
            initial_hours_dist: hours_dist(&s.initial.hours),
            prior_weeks_dist: Discrete::from_bands(
                s.money
                    .refusion
                    .prior_weeks
                    .iter()
                    .map(|b| (b.from, b.to, b.share)),
            ),
            pricing: true,
            next_event: s.sampling == crate::model::scenario::Sampling::NextEvent,
            standing,
            scenario: s,
        }
    }

    /// The refusion regime in force in month `t`.
    pub fn regime(&self, t: usize) -> Regime {
        self.prices[t].regime
    }
}

/// For each month, the first month from it at which `on` holds (`on.len()`
/// if none), and one more entry for the month after the last.
fn first_from(on: &[bool]) -> Vec<usize> {
    let mut from = vec![on.len(); on.len() + 1];
    for t in (0..on.len()).rev() {
        from[t] = if on[t] { t } else { from[t + 1] };
    }
    from
}

fn hours_dist(bands: &[crate::model::scenario::Band]) -> Discrete {
    Discrete::from_bands(bands.iter().map(|b| (b.from as u32, b.to as u32, b.share)))
}

/// Two competing-risk tables scaled so that they sum to at most 1.
fn scaled(a: &Table, b: &Table) -> (Table, Table) {
    let (mut x, mut y) = (a.clone(), b.clone());
    for d in 0..MAX_TABLE {
        (x[d], y[d]) = competing(a[d], b[d]);
    }
    (x, y)
}

/// The first index from which `table` holds one value to its end.
fn flat_from(table: &[u64; MAX_TABLE]) -> usize {
    let last = table[MAX_TABLE - 1];
    table.iter().rposition(|&x| x != last).map_or(0, |i| i + 1)
}

fn thresholds(a: &Table, b: Option<&Table>) -> Box<[u64; MAX_TABLE]> {
    let mut t = Box::new([0u64; MAX_TABLE]);
    for (d, v) in t.iter_mut().enumerate() {
        *v = threshold(a[d] + b.map_or(0.0, |b| b[d]));
    }
    t
}

/// The price index of `year` relative to the first simulated year, by DP-max.
fn index(s: &Scenario, year: i32) -> f64 {
    let m = &s.money;
    m.law_year(year).dp_max / m.law_year(s.start.year()).dp_max
}

fn month_prices(
    s: &Scenario,
    standing: &Standing,
    exits: &[(String, StateDef)],
    t: usize,
) -> MonthPrices {
    let m = &s.money;
    let month = s.month(t);
    let year = month.year();
    let law = m.law_year(year);
    // Fixed prices: deflate by DP-max of the price year.
    let deflate = if m.price_year > 0 {
        m.law_year(m.price_year).dp_max / law.dp_max
    } else {
        1.0
    };
    let idx = index(s, year);
    // A cost per participant-month and per participant-week as one monthly
    // price in this month's kroner.
    let monthly = |per_month: f64, per_week: f64| {
        (per_month + per_week * money::WEEKS_PER_MONTH) * idx * deflate
    };
    let wage = m.wage_per_hour * idx;
    let (benefit, _) = crate::model::states::scheme(&s.states);
    let ordinary =
        crate::model::states::job_kind(&s.states) == crate::model::states::JobKind::Ordinary;
    let mut subsidy = [0.0; money::HOURS_ROWS];
    let mut wages = [0.0; money::HOURS_ROWS];
    // Wage plus subsidy is capped at the job's full-time wage (DOMAIN.md).
    let full_time = money::earnings(wage, money::FULL_TIME_HOURS as f64);
    for h in 1..money::HOURS_ROWS {
        let earned = money::earnings(wage, h as f64);
        let capped = money::flex_subsidy(earned, &law).min((full_time - earned).max(0.0));
        // An ordinary job has no subsidy.
        subsidy[h] = if ordinary { 0.0 } else { capped * deflate };
        wages[h] = earned * deflate;
    }
    let mut exit_cost = [0.0; MAX_EXIT_STATES];
    let mut exit_earnings = [0.0; MAX_EXIT_STATES];
    for (e, (_, def)) in exits.iter().enumerate().take(MAX_EXIT_STATES) {
        exit_cost[e] = def.monthly_cost * idx * deflate;
        exit_earnings[e] = def.earnings * idx * deflate;
    }
    let mut regime = m.refusion.regime;
    for c in &m.refusion.changes {
        if c.from <= month {
            regime = c.regime;
        }
    }
    let (total, grant) = s.consultants(t);
    let staff_month = m.consultant_annual_cost * idx / 12.0 * deflate;
    let mut staff_municipal = (total - grant) * staff_month;
    let mut staff_grant = grant * staff_month;
    for line in &m.project_costs {
        if line.from <= month && month <= line.to {
            let n = line.from.months_until(line.to) as f64 + 1.0;
            let v = line.amount / n * deflate;
            if line.grant {
                staff_grant += v;
            } else {
                staff_municipal += v;
            }
        }
    }
    let cp = &standing.contact_prices;
    let work_wage = benefit.map_or(0.0, |b| {
        money::earnings(wage, b.work_hours.min(money::FULL_TIME_HOURS as f64)) * deflate
    });
    let work_cut = benefit.map_or(0.0, |b| work_wage * b.work_reduction);
    MonthPrices {
        work_wage,
        work_cut,
        ly: [
            m.ly.rate * law.dp_max * deflate,
            m.ly.cash_children_rate * law.dp_max * deflate,
            m.ly.cash_single_rate * law.dp_max * deflate,
        ],
        subsidy,
        old_scheme: m.old_rules_monthly_cost * idx * deflate,
        regime,
        staff_municipal,
        staff_grant,
        per_contact: cp.per_contact * idx * deflate,
        offers: {
            let mut v = [0.0; MAX_OFFERS];
            for (p, o) in v.iter_mut().zip(&standing.offers) {
                *p = monthly(o.cost_per_month, o.cost_per_week);
            }
            v
        },
        mentor_month: monthly(cp.per_protected_month, cp.per_protected_week),
        wage: wages,
        exit_cost,
        exit_earnings,
        intervention: {
            let mut v = [0.0; crate::model::states::MAX_INTERVENTIONS];
            // Standing interventions are priced with the offers and the
            // contacts above.
            for (i, iv) in s.interventions.iter().enumerate().take(v.len()) {
                if iv.entry == crate::model::states::IvEntry::Eligible {
                    v[i] = monthly(iv.cost_per_month, iv.cost_per_week);
                }
            }
            v
        },
        intervention_contact: {
            let mut v = [0.0; crate::model::states::MAX_INTERVENTIONS];
            for (i, iv) in s.interventions.iter().enumerate().take(v.len()) {
                if iv.entry == crate::model::states::IvEntry::Eligible {
                    v[i] = iv.cost_per_contact * idx * deflate;
                }
            }
            v
        },
    }
}

/// Two competing monthly probabilities; if they sum past 1 they are
/// scaled to 1 (docs/model.md, "Order of events", step 3).
#[inline]
pub fn competing(a: f64, b: f64) -> (f64, f64) {
    let sum = a + b;
    if sum > 1.0 {
        (a / sum, b / sum)
    } else {
        (a, b)
    }
}

/// The threshold `p · 2^64` against which a 64-bit draw is compared: the
/// draw is below it with probability `p`.
#[inline]
pub fn threshold(p: f64) -> u64 {
    if p >= 1.0 {
        u64::MAX
    } else if p <= 0.0 {
        0
    } else {
        (p * 18_446_744_073_709_551_616.0) as u64
    }
}

/// A cohort compiled: its window as simulation months and its follow-up.
#[derive(Debug, Clone)]
pub struct CohortPlan {
    pub name: String,
    pub state: CohortState,
    pub entry: Entry,
    /// First and last simulation month of entry (both inclusive).
    pub first: usize,
    pub last: usize,
    pub min_months: u16,
    pub max_months: u16,
    /// Months of follow-up (`months_since_entry` 0 ..= this).
    pub follow: usize,
}

/// Who may join a cohort in a month in one state: the cohort's number
/// (index + 1; 0 = none) for spells starting now and for the stock, with
/// the stock's eligibility.
#[derive(Debug, Clone, Copy, Default)]
pub struct CohortTag {
    pub enter: u8,
    pub stock: u8,
    pub stock_min: u16,
    pub stock_max: u16,
}

impl CohortTag {
    /// Whether anyone can join in this month.
    #[inline(always)]
    pub fn any(&self) -> bool {
        (self.enter | self.stock) != 0
    }

    /// The cohort (index + 1) a person with `dur` completed months in the
    /// state joins, or 0.
    #[inline(always)]
    pub fn join(&self, dur: u16) -> u8 {
        if self.enter != 0 && dur == 0 {
            self.enter
        } else if self.stock != 0 && dur >= self.stock_min && dur <= self.stock_max {
            self.stock
        } else {
            0
        }
    }
}

/// The cohorts of a scenario, compiled, and who may join them in each month
/// (`ly[t]`, `flex[t]`).
#[derive(Debug, Clone, Default)]
pub struct Cohorts {
    pub list: Vec<CohortPlan>,
    pub ly: Vec<CohortTag>,
    pub flex: Vec<CohortTag>,
    /// `iv[t][i]`: the cohort (index + 1; 0 = none) that people entering
    /// intervention `i` in month `t` join.
    pub iv: Vec<[u8; crate::model::states::MAX_INTERVENTIONS]>,
    /// `course[t][e]`: the cohort (index + 1; 0 = none) that the people
    /// whose course of programme state `e` ends at the start of month `t`
    /// join.
    pub course: Vec<[u8; MAX_EXIT_STATES]>,
    /// Months in which some cohort is being followed (`..last_month`).
    pub last_month: usize,
    /// Names of the states a cohort member can be in, in the order of the
    /// cells: `ly`, `flex`, `old_rules`, then the exit states.
    pub states: Vec<String>,
}

/// Cohort `cohort` takes the entrants of column `index` in the months
/// `months`, where no cohort listed before it does.
fn claim<const N: usize>(
    tags: &mut [[u8; N]],
    index: usize,
    months: std::ops::RangeInclusive<usize>,
    cohort: u8,
) {
    let (first, last) = months.into_inner();
    for tag in tags.iter_mut().take(last + 1).skip(first) {
        if tag[index] == 0 {
            tag[index] = cohort;
        }
    }
}

impl Cohorts {
    fn new(s: &Scenario, exits: &[(String, StateDef)]) -> Cohorts {
        let months = s.horizon_months as usize;
        let mut out = Cohorts {
            ly: vec![CohortTag::default(); months],
            flex: vec![CohortTag::default(); months],
            iv: vec![[0; crate::model::states::MAX_INTERVENTIONS]; months],
            course: vec![[0; MAX_EXIT_STATES]; months],
            states: ["ly", "flex", "old_rules"]
                .iter()
                .map(|n| n.to_string())
                .chain(exits.iter().map(|(n, _)| n.clone()))
                .collect(),
            ..Cohorts::default()
        };
        for (i, c) in s.cohorts.iter().enumerate() {
            let at = |m: crate::model::month::Month| s.start.months_until(m).max(0) as usize;
            // A window past the horizon: no month takes members.
            let first = at(c.from);
            let last = match c.entry {
                Entry::Stock => first,
                Entry::Enter => {
                    c.to.map_or(months.saturating_sub(1), at)
                        .min(months.saturating_sub(1))
                }
            };
            let plan = CohortPlan {
                name: c.name.clone(),
                state: c.state,
                entry: c.entry,
                first,
                last,
                min_months: c.min_months.min(u16::MAX as u32) as u16,
                max_months: c.max_months.unwrap_or(u32::MAX).min(u16::MAX as u32) as u16,
                follow: c.months as usize,
            };
            if first < months {
                out.last_month = out.last_month.max((last + plan.follow + 1).min(months));
            }
            let tags = match c.state {
                CohortState::Ly => &mut out.ly,
                CohortState::Flex => &mut out.flex,
                CohortState::Intervention => {
                    let index = s
                        .interventions
                        .iter()
                        .position(|v| Some(&v.name) == c.intervention.as_ref())
                        .unwrap_or(0);
                    claim(&mut out.iv, index, first..=last, i as u8 + 1);
                    out.list.push(plan);
                    continue;
                }
                CohortState::CourseEnd => {
                    let index = exits
                        .iter()
                        .position(|(n, _)| Some(n) == c.programme.as_ref())
                        .unwrap_or(0);
                    claim(&mut out.course, index, first..=last, i as u8 + 1);
                    out.list.push(plan);
                    continue;
                }
            };
            for tag in tags.iter_mut().take(last + 1).skip(first) {
                // The first cohort listed wins.
                match c.entry {
                    Entry::Enter if tag.enter == 0 => tag.enter = i as u8 + 1,
                    Entry::Stock if tag.stock == 0 => {
                        tag.stock = i as u8 + 1;
                        tag.stock_min = plan.min_months;
                        tag.stock_max = plan.max_months;
                    }
                    _ => {}
                }
            }
            out.list.push(plan);
        }
        out
    }

    /// Cells of one replication's cohort figures: per cohort, per month
    /// since entry, the share in each of [`Cohorts::states`], then the
    /// number of members observed.
    pub fn cells(&self) -> usize {
        self.list
            .iter()
            .map(|c| (c.follow + 1) * (self.states.len() + 1))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_from_finds_the_next_month_on() {
        let on = [false, true, false, false, true, false];
        assert_eq!(first_from(&on), vec![1, 1, 4, 4, 4, 6, 6]);
        assert_eq!(first_from(&[false, false]), vec![2, 2, 2]);
        assert_eq!(first_from(&[]), vec![0]);
    }

    /// Wage plus subsidy never exceeds the full-time wage; at full time the
    /// subsidy is 0 (DOMAIN.md, "Flex subsidy").
    #[test]
    fn wage_plus_subsidy_is_capped_at_the_full_time_wage() {
        let text = r#"
name = "t"
start = "2017-01"
horizon_months = 24
[inflow]
visitations_per_month = 1.0
[initial]
ly = 1
flex = 1
[ly]
find_job = [{ from = 0, p = 0.1 }]
exit = [{ from = 0, p = 0.01 }]
[flex]
dismissal = [{ from = 0, p = 0.01 }]
exit = [{ from = 0, p = 0.01 }]
[staffing]
consultants = 1
"#;
        let mut s: Scenario = toml::from_str(text).expect("test scenario");
        s.resolve();
        let plan = Plan::new(&s);
        for (t, pr) in plan.prices.iter().enumerate() {
            let full = pr.wage[money::FULL_TIME_HOURS as usize];
            for h in 1..money::HOURS_ROWS {
                assert!(
                    pr.wage[h] + pr.subsidy[h] <= full + 1e-6,
                    "month {t}, {h} hours: {} + {} > {full}",
                    pr.wage[h],
                    pr.subsidy[h]
                );
            }
            assert_eq!(pr.subsidy[money::FULL_TIME_HOURS as usize], 0.0);
            // Below the cap the law's formula still rules: 1 hour a week.
            let law = s.money.law_year(s.month(t).year());
            let formula = money::flex_subsidy(pr.wage[1], &law);
            assert!((pr.subsidy[1] - formula).abs() < 1e-6, "month {t}");
        }
    }
}

/// Where a programme's course ends: back in the scheme or in a declared
/// state (its index among [`Plan::exit_states`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dest {
    Ly,
    Flex,
    State(usize),
}

/// A programme state compiled (docs/model.md, "Programmes").
#[derive(Debug, Clone)]
pub struct Programme {
    /// Its index among [`Plan::exit_states`].
    pub state: usize,
    /// Course lengths in months.
    pub course: Discrete,
    /// Remaining months of a participant found in the programme at the
    /// start: `P(R = r) = P(L ≥ r) / E[L]`, the remaining length of a
    /// course under a steady inflow.
    pub remaining: Discrete,
    /// Where courses end, with each destination's share.
    pub end: Vec<(Dest, f64)>,
    /// The interventions acting in this programme, in list order.
    pub ivs: Vec<ProgrammeIv>,
    /// New participants from outside the model per month, by month.
    pub inflow: Vec<f64>,
    pub initial: u32,
}

/// An intervention in a programme state (docs/model.md, "Interventions in
/// a programme"): its places are filled from the programme's stock at the
/// start of each month of its window; its participants' courses end by its
/// own shares.
#[derive(Debug, Clone)]
pub struct ProgrammeIv {
    /// Its index among the scenario's interventions.
    pub index: usize,
    pub places: u32,
    pub end: Vec<(Dest, f64)>,
}

impl Programme {
    fn compile(s: &Scenario, states: &[(String, StateDef)]) -> Vec<Programme> {
        use crate::model::states::{InterventionState, Kind, TO_FLEX, TO_LY};
        let index = |name: &str| states.iter().position(|(n, _)| n == name);
        let ends = |end_to: &std::collections::BTreeMap<String, f64>| -> Vec<(Dest, f64)> {
            end_to
                .iter()
                .filter_map(|(to, &share)| {
                    let dest = match to.as_str() {
                        TO_LY => Dest::Ly,
                        TO_FLEX => Dest::Flex,
                        name => Dest::State(index(name)?),
                    };
                    Some((dest, share))
                })
                .collect()
        };
        states
            .iter()
            .enumerate()
            .filter(|(_, (_, d))| d.kind == Kind::Programme)
            .map(|(e, (name, d))| {
                let bands = || d.course.iter().map(|b| (b.from, b.to, b.share));
                let max = d.course.iter().map(|b| b.to).max().unwrap_or(1) as usize;
                // The probability of each length, then P(L ≥ r).
                let total: f64 = d.course.iter().map(|b| b.share).sum();
                let mut pmf = vec![0.0; max + 1];
                for b in &d.course {
                    for l in b.from..=b.to {
                        pmf[l as usize] += b.share / total / (b.to - b.from + 1) as f64;
                    }
                }
                let mut at_least: f64 = 1.0;
                let mut remaining = Vec::with_capacity(max);
                for (r, p) in pmf.iter().enumerate().skip(1) {
                    remaining.push((r as u32, r as u32, at_least.max(0.0)));
                    at_least -= p;
                }
                let end = ends(&d.end_to);
                let ivs = s
                    .interventions
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| {
                        v.state == InterventionState::Programme
                            && v.programme.as_ref() == Some(name)
                    })
                    .map(|(i, v)| ProgrammeIv {
                        index: i,
                        places: v.places.unwrap_or(u32::MAX),
                        end: ends(&v.end_to),
                    })
                    .collect();
                Programme {
                    ivs,
                    state: e,
                    course: Discrete::from_bands(bands()),
                    remaining: Discrete::from_bands(remaining.into_iter()),
                    end,
                    inflow: (0..s.horizon_months as usize)
                        .map(|t| d.inflow_at(s.month(t)))
                        .collect(),
                    initial: d.initial,
                }
            })
            .collect()
    }
}
