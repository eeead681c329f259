//! Model v2's interventions compiled (docs/model.md, "Interventions"):
//! each one's eligibility, length, places and multipliers, which take new
//! people in which month, and the places in use ([`Seats`]). What happens
//! to a person month by month is in [`crate::sim::participation`].
//!
//! A person carries one intervention at a time in two fields: `iv` (0 =
//! none; `i + 1` = in intervention `i`; [`DONE`] set = finished in this
//! spell or job, so not taken again until the person changes state) and
//! `iv_end` (the last simulation month in it).

use crate::model::scenario::Scenario;
use crate::model::states::{InterventionState, MAX_INTERVENTIONS};

/// Marks an intervention finished in the current spell or job.
pub const DONE: u8 = 0x80;

/// A count per intervention.
pub type Places = [u32; MAX_INTERVENTIONS];

/// The places of each intervention: in use, and freed this month. A place
/// is freed at the end of the month in which its holder finishes or leaves
/// the state, and is open to others from the next month, so no month has
/// more participants than places.
#[derive(Debug, Clone, Copy, Default)]
pub struct Seats {
    pub in_use: Places,
    pub freed: Places,
}

impl Seats {
    /// The end of a month: the places freed in it open.
    pub fn end_of_month(&mut self) {
        for (u, f) in self.in_use.iter_mut().zip(&mut self.freed) {
            *u -= *f;
            *f = 0;
        }
    }
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
    pub consultant_hours: f64,
}

/// Multipliers on a person's hazards this month (1 when in none).
#[derive(Debug, Clone, Copy)]
pub struct Effect {
    pub find_job: f64,
    pub exit: f64,
    pub dismissal: f64,
    pub hours_up: f64,
}

/// No intervention: every multiplier 1.
pub const NONE: Effect = Effect {
    find_job: 1.0,
    exit: 1.0,
    dismissal: 1.0,
    hours_up: 1.0,
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
    /// Bits of the interventions acting on LY and in flexjobs.
    pub ly_all: u8,
    pub flex_all: u8,
}

impl Interventions {
    pub fn new(s: &Scenario) -> Interventions {
        let months = s.horizon_months as usize;
        let mut out = Interventions {
            ly_open: vec![0; months],
            flex_open: vec![0; months],
            ..Interventions::default()
        };
        for (i, v) in s.interventions.iter().enumerate() {
            let bit = 1u8 << i;
            let window = crate::model::scenario::Window {
                from: v.from,
                to: v.to,
            };
            let (open, all) = match v.state {
                InterventionState::Ly => (&mut out.ly_open, &mut out.ly_all),
                InterventionState::Flex => (&mut out.flex_open, &mut out.flex_all),
            };
            *all |= bit;
            for (t, o) in open.iter_mut().enumerate() {
                if window.contains(s.month(t)) {
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
                consultant_hours: v.consultant_hours_per_month,
            });
        }
        out
    }

    /// Consultant hours the participants at the start of a month take.
    pub fn hours(&self, seats: &Seats) -> f64 {
        self.list
            .iter()
            .zip(&seats.in_use)
            .map(|(v, &n)| v.consultant_hours * n as f64)
            .sum()
    }

    /// The multipliers of intervention `i`.
    pub fn effect(&self, i: usize) -> Effect {
        let v = &self.list[i];
        Effect {
            find_job: v.find_job,
            exit: v.exit,
            dismissal: v.dismissal,
            hours_up: v.hours_up,
        }
    }
}
