//! Model v2's interventions compiled (docs/model.md, "Interventions"):
//! each one's eligibility, length, places and multipliers, which take new
//! people in which month, and the places in use ([`Seats`]). What happens
//! to a person month by month is in [`crate::sim::participation`].
//!
//! A person carries one intervention at a time in two fields: `iv` (0 =
//! none; `i + 1` = in intervention `i`; [`DONE`] set = finished in this
//! spell or job: neither it nor any listed before it is taken again until
//! the person changes state, but one listed after it can be, so a list
//! can be a sequence such as a workshop, then a job broker) and `iv_end`
//! (the last simulation month in it).

use crate::model::scenario::Scenario;
use crate::model::states::{InterventionState, MAX_INTERVENTIONS};

/// Marks an intervention finished in the current spell or job.
pub const DONE: u8 = 0x80;

/// A count per intervention.
pub type Places = [u32; MAX_INTERVENTIONS];

/// The places of each intervention: in use, and freed this month. A place
/// is freed at the end of the month in which its holder finishes or leaves
/// the state, and is open to others from the next month, so no month has
/// more participants than places. `by_start[s]` counts the holders who
/// took their place in month `s` (for the contact schedule).
#[derive(Debug, Clone, Default)]
pub struct Seats {
    pub in_use: Places,
    pub freed: Places,
    pub by_start: Vec<Places>,
}

impl Seats {
    /// No place in use, for a run of `months` months.
    pub fn new(months: usize) -> Seats {
        Seats {
            by_start: vec![[0; MAX_INTERVENTIONS]; months],
            ..Seats::default()
        }
    }

    /// Intervention `i` takes a holder in month `t`.
    #[inline]
    pub fn take(&mut self, i: usize, t: usize) {
        self.in_use[i] += 1;
        self.by_start[t][i] += 1;
    }

    /// The holder of a place of intervention `i` who took it in month
    /// `start` finishes or leaves: the place opens at the end of the month.
    #[inline]
    pub fn free(&mut self, i: usize, start: usize) {
        self.freed[i] += 1;
        if let Some(n) = self.by_start.get_mut(start) {
            n[i] -= 1;
        }
    }

    /// The end of a month: the places freed in it open.
    pub fn end_of_month(&mut self) {
        for (u, f) in self.in_use.iter_mut().zip(&mut self.freed) {
            *u -= *f;
            *f = 0;
        }
    }
}

/// What the participants of each intervention used in a month:
/// participant-months and contacts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Use {
    pub months: Places,
    pub contacts: Places,
}

/// One intervention compiled.
#[derive(Debug, Clone, Copy)]
pub struct Iv {
    pub min_months: u16,
    pub max_months: u16,
    pub max_start_hours: u8,
    pub months: u16,
    pub places: u32,
    pub find_job: f64,
    pub exit: f64,
    pub dismissal: f64,
    pub hours_up: f64,
    pub work_share: f64,
    pub consultant_hours: f64,
    /// A contact every this many participation months, and its hours.
    pub every: u16,
    pub hours_per_contact: f64,
    /// The eligible who find every place taken are not served (else they
    /// wait).
    pub not_served: bool,
}

impl Iv {
    /// The month a holder whose last month is `end` took the place.
    #[inline]
    pub fn start(&self, end: u16) -> usize {
        (end as usize + 1).saturating_sub(self.months as usize)
    }

    /// Whether participation month `t` of a holder who started in
    /// `start` has a contact.
    #[inline]
    pub fn contact(&self, t: usize, start: usize) -> bool {
        (t - start).is_multiple_of(self.every as usize)
    }
}

/// Multipliers on a person's hazards this month (1 when in none).
#[derive(Debug, Clone, Copy)]
pub struct Effect {
    pub find_job: f64,
    pub exit: f64,
    pub dismissal: f64,
    pub hours_up: f64,
    pub work_share: f64,
}

/// No intervention: every multiplier 1.
pub const NONE: Effect = Effect {
    find_job: 1.0,
    exit: 1.0,
    dismissal: 1.0,
    hours_up: 1.0,
    work_share: 1.0,
};

/// The interventions of a scenario, compiled: each one's rules, and per
/// month which take new people on LY (`ly_open[t]`, a bit per
/// intervention) and in flexjobs (their prices are in the plan's
/// monthly prices).
#[derive(Debug, Clone, Default)]
pub struct Interventions {
    pub list: Vec<Iv>,
    pub ly_open: Vec<u8>,
    pub flex_open: Vec<u8>,
    /// `flex_next[t]`: the first month from `t` on in which an
    /// intervention in flexjobs takes new people (`usize::MAX`: none);
    /// `months + 1` entries.
    pub flex_next: Vec<usize>,
    /// Bits of the interventions acting on LY and in flexjobs.
    pub ly_all: u8,
    pub flex_all: u8,
    /// The same for interventions in programme states.
    pub programme_open: Vec<u8>,
    pub programme_all: u8,
    /// Whether an intervention on LY or in flexjobs has a limit on its
    /// places: who takes a free place then depends on the order in which
    /// the month meets people.
    pub limited: bool,
}

impl Interventions {
    pub fn new(s: &Scenario) -> Interventions {
        let months = s.horizon_months as usize;
        let mut out = Interventions {
            ly_open: vec![0; months],
            flex_open: vec![0; months],
            programme_open: vec![0; months],
            ..Interventions::default()
        };
        for (i, v) in s.interventions.iter().enumerate() {
            let bit = 1u8 << i;
            let window = crate::model::scenario::Window {
                from: v.from,
                to: v.to,
            };
            // Interventions without places are the plan's tables
            // ([`crate::sim::standing`]): they take nobody here, and keep
            // their index so that the others keep theirs.
            let standing = v.entry != crate::model::states::IvEntry::Eligible;
            let (open, all) = match v.state {
                InterventionState::Ly => (&mut out.ly_open, &mut out.ly_all),
                InterventionState::Flex => (&mut out.flex_open, &mut out.flex_all),
                // Programme interventions are aggregate (plan's
                // `ProgrammeIv`); they never meet a person.
                InterventionState::Programme => (&mut out.programme_open, &mut out.programme_all),
            };
            if !standing {
                *all |= bit;
            }
            out.limited |= v.places.is_some() && v.state != InterventionState::Programme;
            for (t, o) in open.iter_mut().enumerate() {
                if !standing && window.contains(s.month(t)) {
                    *o |= bit;
                }
            }
            out.list.push(Iv {
                min_months: v.min_months.min(u16::MAX as u32) as u16,
                max_months: v.max_months.unwrap_or(u32::MAX).min(u16::MAX as u32) as u16,
                max_start_hours: v.max_start_hours.unwrap_or(u8::MAX),
                months: v.months.min(u16::MAX as u32) as u16,
                places: v.places.unwrap_or(u32::MAX),
                find_job: v.find_job,
                exit: v.exit,
                dismissal: v.dismissal,
                hours_up: v.hours_up,
                work_share: v.work_share,
                consultant_hours: v.consultant_hours_per_month,
                every: v.contact_every_months.clamp(1, u16::MAX as u32) as u16,
                hours_per_contact: v.consultant_hours_per_contact,
                not_served: v.beyond_places == crate::model::states::Beyond::NotServed,
            });
        }
        out.flex_next = vec![usize::MAX; months + 1];
        for t in (0..months).rev() {
            out.flex_next[t] = if out.flex_open[t] != 0 {
                t
            } else {
                out.flex_next[t + 1]
            };
        }
        out
    }

    /// Consultant hours the holders of places at the start of month `t`
    /// take in it: their hours per month, and the hours of the contacts
    /// their schedule has this month. (People who take a place during the
    /// month count from the next.)
    pub fn hours(&self, seats: &Seats, t: usize) -> f64 {
        let mut hours = 0.0;
        for (i, v) in self.list.iter().enumerate() {
            hours += v.consultant_hours * seats.in_use[i] as f64;
            if v.hours_per_contact == 0.0 {
                continue;
            }
            // Holders who started in `s < t` with `t - s` a multiple of
            // the contact interval and still within their months.
            let every = v.every as usize;
            let earliest = (t + 1).saturating_sub(v.months as usize);
            let mut due = 0u32;
            let mut s = t;
            while s >= earliest + every && s >= every {
                s -= every;
                due += seats.by_start.get(s).map_or(0, |n| n[i]);
            }
            hours += v.hours_per_contact * due as f64;
        }
        hours
    }

    /// The multipliers of intervention `i`.
    pub fn effect(&self, i: usize) -> Effect {
        let v = &self.list[i];
        Effect {
            find_job: v.find_job,
            exit: v.exit,
            dismissal: v.dismissal,
            hours_up: v.hours_up,
            work_share: v.work_share,
        }
    }
}
