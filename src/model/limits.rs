//! The limits fleksim enforces on its input, in one place.
//!
//! Every count and rate a user gives decides how much memory and time a
//! run takes, and every amount of money ends up in sums over people and
//! months. Unbounded, a typo (`initial.ly = 100000000`, a rate of `1e20`, a
//! wage of `1e308`) makes fleksim eat all memory, run for days, or write
//! `inf`/`NaN`. Each limit below is far above any Danish municipality's
//! flexjob scheme (Copenhagen, the largest, has about 10,000 people in it)
//! yet small enough that sums stay finite and a run fits in memory. Input
//! beyond a limit is refused with exit code 2 and a message naming the key
//! and the allowed range; nothing is clamped.
//!
//! Before a run starts, [`estimate_bytes`] estimates its peak memory and
//! [`check_memory`] refuses it when the machine does not have that much.

use crate::model::error::InputError;
use crate::model::scenario::Scenario;
use std::io::Read;
use std::path::Path;

/// Replications simulated at a time by the runner. Fixed, so that what a
/// sink sees never depends on the thread count; it also bounds the
/// replications held in memory at once.
pub const CHUNK: u64 = 256;

/// Replications whose values the statistics keep exactly; past this,
/// blocks of this many are folded into t-digests (`stats`), so memory stays
/// flat in the number of replications.
pub const EXACT_REPLICATIONS: usize = 1000;

/// Largest scenario or sweep file read, in bytes (16 MB). Real files are a
/// few kB; the cap keeps `fleksim validate /dev/zero` from reading forever.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Most people one replication may hold: the initial stocks plus the
/// expected arrivals over the horizon. 2 million is 200 times the largest
/// Danish scheme and about 200 MB of people per thread.
pub const MAX_PEOPLE: f64 = 2_000_000.0;

/// Largest expected arrivals per month (`inflow.visitations_per_month`,
/// `inflow.direct_per_month`). All of Denmark visitates a few hundred
/// people a month; the Poisson sampler takes means up to about 1.8e19,
/// so every allowed rate is a valid Poisson mean.
pub const MAX_ARRIVALS_PER_MONTH: f64 = 10_000.0;

/// Longest horizon in months (100 years): months index per-month tables.
pub const MAX_HORIZON_MONTHS: u32 = 1200;

/// Most replications of one run (or of one sweep point). Quantiles are
/// exact up to 1,000 and from a t-digest beyond; a million is far past
/// where more replications change a figure.
pub const MAX_REPLICATIONS: u32 = 1_000_000;

/// Largest week count in `money.refusion.prior_weeks` (50 years on
/// benefits): each week of a band is a table entry.
pub const MAX_PRIOR_WEEKS: u32 = 2600;

/// Most bands in `money.refusion.prior_weeks`.
pub const MAX_PRIOR_WEEK_BANDS: usize = 100;

/// Most consultants, in `staffing.consultants` and each addition's
/// `count` (in absolute value). Aalborg has 13.
pub const MAX_CONSULTANTS: f64 = 10_000.0;

/// Largest amount of money in any single price, cost or law value (DKK).
/// Ten billion is about the yearly cost of the whole Danish flexjob
/// scheme; with at most [`MAX_PEOPLE`] people over [`MAX_HORIZON_MONTHS`]
/// months every sum stays far below the largest finite number.
pub const MAX_AMOUNT_DKK: f64 = 1e10;

/// Largest multiplier or effect size (policy effects, capacity, elasticity
/// and the like): a factor of 1,000 on a monthly probability is already
/// far beyond certainty.
pub const MAX_FACTOR: f64 = 1000.0;

/// Longest scenario or sweep `name`: it names the results folder, and file
/// systems take 255 bytes per name, less the temporary prefix and suffix.
pub const MAX_NAME_CHARS: usize = 100;

/// Most points in a Latin hypercube (`[lhs] points`).
pub const MAX_LHS_POINTS: u32 = 100_000;

/// Most values of one grid axis: each value is tried on the base scenario
/// before anything runs.
pub const MAX_AXIS_VALUES: usize = 10_000;

/// Most points of a whole sweep (grid × hypercube), and the most a merge
/// accepts from part manifests.
pub const MAX_SWEEP_POINTS: u64 = 1_000_000;

/// Most worker threads (`--threads`).
pub const MAX_THREADS: usize = 1024;

/// Largest seed: scenario files are TOML, whose integers are signed 64-bit.
pub const MAX_SEED: u64 = i64::MAX as u64;

/// Bytes per person in memory, with room for the arrays' growth and the
/// moves between states (a `Person` is about 96 bytes).
pub const BYTES_PER_PERSON: u64 = 256;

/// The largest size of a number in a results file. Money in DKK over a
/// horizon (a municipality's whole budget over decades is about 1e11) and
/// counts of people never come near it; a larger value is a damaged file,
/// and would overflow a chart's range (`report` refuses it, `merge` too).
pub const MAX_ABS_VALUE: f64 = 1e15;

/// Whether `x` is a number a results file may hold: finite, and at most
/// [`MAX_ABS_VALUE`] in size.
pub fn is_written_value(x: f64) -> bool {
    x.is_finite() && x.abs() <= MAX_ABS_VALUE
}

/// A number for a message: plain when short, `1e308` when huge and
/// `1e-300` when tiny.
pub fn show(v: f64) -> String {
    if v.abs() >= 1e12 || (v != 0.0 && v.abs() < 1e-9) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// Parses `--threads`: 0 (all cores) to [`MAX_THREADS`].
pub fn threads_arg(text: &str) -> Result<usize, String> {
    let n: usize = text
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number ≥ 0"))?;
    if n > MAX_THREADS {
        return Err(format!(
            "{n} is not allowed: 0 (all cores) to {MAX_THREADS}"
        ));
    }
    Ok(n)
}

/// Expected people in one replication: the initial stocks plus the expected
/// arrivals over the horizon (an upper bound on the peak: people also leave),
/// declared states' stocks and programme inflows included.
pub fn people_per_replication(s: &Scenario) -> f64 {
    let declared: f64 = s
        .states
        .values()
        .map(|d| d.initial as f64 + s.horizon_months as f64 * d.inflow_max())
        .sum();
    s.initial.ly as f64
        + s.initial.flex as f64
        + declared
        + s.horizon_months as f64 * {
            let (v, d) = s.inflow.max();
            v + d
        }
}

/// The threads a run uses: `0` means all cores.
pub fn threads(requested: usize) -> usize {
    if requested == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        requested
    }
}

/// Estimated peak memory, in bytes, of running `runs` scenarios like `s`
/// side by side (a comparison holds every scenario's summaries) with
/// `threads` worker threads: each thread's population, the replications of
/// one chunk ([`CHUNK`]) in flight, and the summaries, which
/// keep every value of up to 1,000 replications per cell.
pub fn estimate_bytes(s: &Scenario, threads: usize, runs: u64) -> u64 {
    let people = people_per_replication(s).max(0.0);
    let months = s.horizon_months as f64;
    let reps = s.replications as f64;
    let cells = months * crate::model::metrics::N as f64 * 1.5; // monthly, yearly, horizon
    let in_flight = reps.min(CHUNK as f64) * cells * 8.0;
    let kept = reps.min(EXACT_REPLICATIONS as f64) * cells * 8.0;
    let populations = threads.max(1) as f64 * people * BYTES_PER_PERSON as f64;
    let total = populations + runs.max(1) as f64 * (in_flight + 2.0 * kept);
    total.min(u64::MAX as f64) as u64
}

/// Available memory from `/proc/meminfo` (`MemAvailable`), if readable.
pub fn available_bytes() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kb.checked_mul(1024)
}

/// Refuses a run whose estimated peak memory is more than the machine has
/// available. Skipped when the available memory cannot be read.
pub fn check_memory(estimate_bytes: u64) -> Result<(), InputError> {
    check_memory_against(estimate_bytes, available_bytes())
}

/// [`check_memory`] with the available memory given (for tests).
pub fn check_memory_against(estimate: u64, available: Option<u64>) -> Result<(), InputError> {
    match available {
        Some(avail) if estimate > avail => Err(InputError(format!(
            "this run needs an estimated {} of memory, but the machine has {} available: \
             use fewer replications, fewer threads (--threads), a shorter horizon or a \
             smaller population",
            mb(estimate),
            mb(avail)
        ))),
        _ => Ok(()),
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

/// Reads a text file of at most [`MAX_FILE_BYTES`]. Reads with a cap, so a
/// device such as `/dev/zero` or a huge file ends quickly with an error
/// that says why (the caller names the file).
pub fn read_text(path: &Path) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind};
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::new(
            ErrorKind::InvalidData,
            format!(
                "the file is larger than {} MB, the most fleksim reads",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|_| Error::new(ErrorKind::InvalidData, "not UTF-8 text"))
}

/// Why a name cannot name a results folder, if it cannot.
pub fn name_problem(name: &str) -> Option<String> {
    let allowed = format!(
        "1 to {MAX_NAME_CHARS} letters, digits, `-`, `_` and `.`, not starting with `.` \
         (it names the results folder)"
    );
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if ok {
        return None;
    }
    let shown: String = name.chars().take(40).collect();
    let shown = if shown.len() < name.len() {
        format!("{}…", shown.escape_debug())
    } else {
        shown.escape_debug().to_string()
    };
    Some(format!(
        "`{shown}` ({} characters) is not allowed: {allowed}",
        name.chars().count()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_allowed_rate_is_a_poisson_mean() {
        use rand_distr::Poisson;
        assert!(Poisson::new(MAX_ARRIVALS_PER_MONTH).is_ok());
    }

    #[test]
    fn memory_check_refuses_only_above_available() {
        assert!(check_memory_against(10, Some(100)).is_ok());
        assert!(check_memory_against(10, None).is_ok());
        let e = check_memory_against(3_000_000_000, Some(1_000_000_000)).unwrap_err();
        assert!(e.0.contains("3000 MB"), "{e}");
        assert!(e.0.contains("1000 MB"), "{e}");
    }

    #[test]
    fn names() {
        assert!(name_problem("aalborg-project_2.v1").is_none());
        for bad in ["", ".", "..", ".hidden", "a/b", "a\\b", "a\0b", "a\nb"] {
            assert!(name_problem(bad).is_some(), "{bad:?}");
        }
        assert!(name_problem(&"a".repeat(MAX_NAME_CHARS)).is_none());
        assert!(name_problem(&"a".repeat(MAX_NAME_CHARS + 1))
            .unwrap()
            .contains("101 characters"));
    }
}
