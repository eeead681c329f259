//! Jobs asleep: next-event sampling (docs/model.md, "Next-event sampling").
//!
//! With `sampling = "next-event"` (the default), a person in a job with no
//! contact, protection or intervention to come before the month it must
//! wake in, past the benefit weeks that move the staircase, faces only
//! its own monthly draws. The engine scans them forward to the first month
//! in which they decide something (a dismissal, an exit, an hours change)
//! and files the person under that month, or under the month it must wake
//! in. Until then the person is in no loop: they are counted and priced
//! through the histograms kept here.
//!
//! This module is the calendar and its counts; the scan and what happens
//! in the month the person wakes in are the engine's (`sim::engine`).

use crate::model::money::HOURS_ROWS;
use crate::sim::population::{Person, OLD};

/// The people asleep in jobs, filed by the month of their next event.
#[derive(Debug)]
pub struct Asleep {
    /// `due[t]`: people whose next event falls in month `t`; the last
    /// entry holds those whose next event falls after the horizon.
    due: Vec<Vec<Person>>,
    /// People asleep in 2013-rules jobs and in old-rules jobs.
    pub flex: u32,
    pub old: u32,
    /// 2013-rules jobs asleep by hours and refusion regime
    /// (`hours + HOURS_ROWS · new_refusion`): what prices their months.
    pub cost: [u32; 2 * HOURS_ROWS],
    /// 2013-rules jobs asleep by the engine's end-of-month histogram key
    /// (hours, small start, hours above the start): what counts them.
    pub end: [u32; 3 * HOURS_ROWS],
    /// Cohort members asleep, `members[(cohort - 1) · months + entered]`,
    /// in 2013-rules and in old-rules jobs: what counts them in their
    /// cohort.
    members: Vec<[u32; 2]>,
    months: usize,
}

/// Where a sleeping 2013-rules job sits in the two histograms.
#[derive(Debug, Clone, Copy)]
pub struct Keys {
    pub cost: usize,
    pub end: usize,
}

impl Default for Asleep {
    fn default() -> Asleep {
        Asleep {
            due: Vec::new(),
            flex: 0,
            old: 0,
            cost: [0; 2 * HOURS_ROWS],
            end: [0; 3 * HOURS_ROWS],
            members: Vec::new(),
            months: 0,
        }
    }
}

impl Asleep {
    /// Empties the calendar for a replication of `months` months with
    /// `cohorts` cohorts, keeping its memory.
    pub fn reset(&mut self, months: usize, cohorts: usize) {
        self.months = months;
        self.members.clear();
        self.members.resize(cohorts * months, [0; 2]);
        self.due.resize_with(months + 1, Vec::new);
        self.due.truncate(months + 1);
        for bucket in &mut self.due {
            bucket.clear();
        }
        self.flex = 0;
        self.old = 0;
        self.cost.fill(0);
        self.end.fill(0);
    }

    /// Everyone asleep.
    pub fn len(&self) -> usize {
        (self.flex + self.old) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Files `p` under month `wake` (after the horizon when it is past the
    /// last month); `keys` for a 2013-rules job, `None` for an old-rules
    /// job.
    pub fn put(&mut self, p: Person, wake: usize, keys: Option<Keys>) {
        self.count(&p, keys, 1);
        let last = self.due.len() - 1;
        self.due[wake.min(last)].push(p);
    }

    /// Takes the people whose event falls in month `t` out of the counts;
    /// give the emptied list back with [`Asleep::give_back`].
    pub fn take(&mut self, t: usize, keys: impl Fn(&Person) -> Option<Keys>) -> Vec<Person> {
        let people = std::mem::take(&mut self.due[t]);
        for p in &people {
            self.count(p, keys(p), -1);
        }
        people
    }

    /// Returns month `t`'s list, emptied, so that its memory is reused.
    pub fn give_back(&mut self, t: usize, mut people: Vec<Person>) {
        people.clear();
        self.due[t] = people;
    }

    /// A cohort takes 2013-rules jobs by job month in month `t`: each job
    /// asleep in no cohort joins the one `join` gives for its job month
    /// then (0: none).
    pub fn join(&mut self, t: usize, join: impl Fn(u16) -> u8) {
        let months = self.months;
        for bucket in self.due.iter_mut().skip(t) {
            for p in bucket
                .iter_mut()
                .filter(|p| p.state != OLD && p.cohort == 0)
            {
                let d = p
                    .dur
                    .saturating_add((t - p.since as usize).min(u16::MAX as usize) as u16);
                let c = join(d);
                if c != 0 {
                    p.cohort = c;
                    p.cohort_t = t as u16;
                    self.members[(c as usize - 1) * months + t][0] += 1;
                }
            }
        }
    }

    /// The members of cohort `c` (from 0) asleep, by month of entry: in
    /// 2013-rules and in old-rules jobs.
    pub fn members(&self, c: usize) -> &[[u32; 2]] {
        &self.members[c * self.months..(c + 1) * self.months]
    }

    fn count(&mut self, p: &Person, keys: Option<Keys>, by: i32) {
        if p.cohort != 0 {
            let i = (p.cohort as usize - 1) * self.months + p.cohort_t as usize;
            let cell = &mut self.members[i][(p.state == OLD) as usize];
            *cell = cell.wrapping_add_signed(by);
        }
        match keys {
            Some(k) => {
                self.flex = self.flex.wrapping_add_signed(by);
                self.cost[k.cost] = self.cost[k.cost].wrapping_add_signed(by);
                self.end[k.end] = self.end[k.end].wrapping_add_signed(by);
            }
            None => self.old = self.old.wrapping_add_signed(by),
        }
    }
}
