//! Interventions at work for one person, month by month (docs/model.md,
//! "Interventions"): who takes a free place, how long they keep it, and
//! the multipliers it gives. No random numbers are taken.

use crate::model::states::MAX_INTERVENTIONS;
use crate::sim::intervene::{Effect, Interventions, Seats, Use, DONE, NONE};
use crate::sim::population::Person;

/// Month `t` for person `p`, where the interventions in `open` take
/// new people now: a participant counts the month and its contact, if the
/// schedule has one (in `used`), and in its last month finishes; a person
/// in none this spell or job takes the first free place they are eligible
/// for, and joins the cohort `cohorts` names for that intervention this
/// month. Returns the effect on the person this month.
#[inline]
pub fn month(
    ivs: &Interventions,
    p: &mut Person,
    t: usize,
    open: u8,
    seats: &mut Seats,
    used: &mut Use,
    cohorts: &[u8; MAX_INTERVENTIONS],
) -> Effect {
    if p.iv != 0 && p.iv & DONE == 0 {
        let i = (p.iv - 1) as usize;
        let v = &ivs.list[i];
        let start = v.start(p.iv_end);
        used.months[i] += 1;
        used.contacts[i] += v.contact(t, start) as u32;
        if t as u16 >= p.iv_end {
            p.iv |= DONE;
            seats.free(i, start);
        }
        return ivs.effect(i);
    }
    // After finishing one, only those listed after it.
    let first = (p.iv & !DONE) as usize;
    if (open as u32) >> first == 0 {
        return NONE;
    }
    for (i, v) in ivs.list.iter().enumerate().skip(first) {
        let eligible = open & (1 << i) != 0
            && p.dur >= v.min_months
            && p.dur <= v.max_months
            && p.start_hours <= v.max_start_hours;
        if eligible && seats.in_use[i] >= v.places {
            if v.not_served {
                // Turned away: as if finished, so only those listed after
                // it remain in this spell or job.
                p.iv = (i as u8 + 1) | DONE;
            }
            continue;
        }
        if eligible {
            seats.take(i, t);
            used.months[i] += 1;
            used.contacts[i] += 1;
            p.iv = i as u8 + 1;
            p.iv_end = (t + v.months as usize - 1).min(u16::MAX as usize) as u16;
            // Entering may make the person a member of the intervention's
            // cohort (if in none yet).
            if p.cohort == 0 && cohorts[i] != 0 {
                p.cohort = cohorts[i];
                p.cohort_t = t as u16;
            }
            if v.months == 1 {
                p.iv |= DONE;
                seats.free(i, t);
            }
            return ivs.effect(i);
        }
    }
    NONE
}

/// A person leaves the state an intervention acts in: their place is freed
/// at the end of the month, and a new spell or job may take one again.
#[inline(always)]
pub fn leave(ivs: &Interventions, p: &mut Person, seats: &mut Seats) {
    if p.iv != 0 {
        if p.iv & DONE == 0 {
            let i = (p.iv - 1) as usize;
            seats.free(i, ivs.list[i].start(p.iv_end));
        }
        p.iv = 0;
    }
}
