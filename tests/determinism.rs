//! Results depend only on the scenario, the seed and the program version:
//! never on the thread count. Scenarios run with the same seed share their
//! random numbers wherever their people are the same (common random numbers).

mod common;

use common::*;
use fleksim::population::{Factory, Person};
use fleksim::Plan;

const FILES: [&str; 4] = [
    "monthly.csv",
    "summary.csv",
    "budget.csv",
    "replications.csv",
];

#[test]
fn output_files_do_not_depend_on_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let mut outputs: Vec<(usize, Vec<Vec<u8>>)> = Vec::new();
    for threads in [1usize, 2, 8] {
        let out = tmp.path().join(format!("t{threads}"));
        fleksim()
            .args(["run", PROJECT, "--replications", "40"])
            .args(["--set", "horizon_months=24"])
            .args(["--threads", &threads.to_string()])
            .arg("--out")
            .arg(&out)
            .args(["--quiet", "--per-replication"])
            .assert()
            .success();
        let files = FILES
            .iter()
            .map(|f| {
                std::fs::read(out.join(f))
                    .unwrap_or_else(|e| panic!("{f} with {threads} threads: {e}"))
            })
            .collect();
        outputs.push((threads, files));
    }
    let (_, first) = &outputs[0];
    for (threads, files) in &outputs[1..] {
        for (k, name) in FILES.iter().enumerate() {
            assert!(!first[k].is_empty(), "{name} is empty");
            assert!(
                first[k] == files[k],
                "{name} differs between 1 and {threads} threads"
            );
        }
    }
}

#[test]
fn same_seed_same_results_different_seed_different_results() {
    let sets = ["horizon_months=24"];
    let plan = plan(&load(PROJECT, &sets));
    let a = run_threads(&plan, 12, 1);
    let b = run_threads(&plan, 12, 2);
    assert_eq!(a, b, "the same seed and scenario gave different results");
    // Replication k does not depend on how many replications run.
    let c = run_threads(&plan, 5, 2);
    assert_eq!(
        &a[..5],
        &c[..],
        "a replication depends on the replication count"
    );

    let other = Plan::new(&load(PROJECT, &["horizon_months=24", "seed=2017"]));
    let d = run_threads(&other, 12, 2);
    for (k, (x, y)) in a.iter().zip(&d).enumerate() {
        assert_ne!(
            x.values, y.values,
            "replication {k} is the same with seeds 2016 and 2017"
        );
    }
    // Replications differ from each other, too.
    assert_ne!(a[0].values, a[1].values);
}

/// Everything the factory draws for a person (frailty and weeks as bits,
/// ceiling, category, flags, hours, start hours, duration), and the next
/// numbers of the person's events and hours streams.
type Fingerprint = (u32, u32, u8, u8, u8, u8, u8, u16, [u64; 3], [u64; 3]);

fn fingerprint(p: &Person) -> Fingerprint {
    let mut events = p.events.clone();
    let mut hours = p.hours_rng.clone();
    (
        p.frailty.to_bits(),
        p.weeks.to_bits(),
        p.ceiling,
        p.category,
        p.flags,
        p.hours,
        p.start_hours,
        p.dur,
        [events.next_u64(), events.next_u64(), events.next_u64()],
        [hours.next_u64(), hours.next_u64(), hours.next_u64()],
    )
}

fn same_people(a: &Plan, b: &Plan, what: &str) {
    for rep in [0u64, 1, 17] {
        let fa = Factory::new(a, rep);
        let fb = Factory::new(b, rep);
        for k in 0..60u64 {
            let t = (k as usize * 7) % a.months.min(b.months);
            assert_eq!(
                fingerprint(&fa.visitation(k, t)),
                fingerprint(&fb.visitation(k, t)),
                "{what}: visitation {k} in month {t}, replication {rep}"
            );
            assert_eq!(
                fingerprint(&fa.direct(k, t)),
                fingerprint(&fb.direct(k, t)),
                "{what}: direct hire {k} in month {t}, replication {rep}"
            );
            assert_eq!(
                fingerprint(&fa.initial_ly(k)),
                fingerprint(&fb.initial_ly(k)),
                "{what}: initial LY person {k}, replication {rep}"
            );
            assert_eq!(
                fingerprint(&fa.initial_flex(k)),
                fingerprint(&fb.initial_flex(k)),
                "{what}: initial flex person {k}, replication {rep}"
            );
            assert_eq!(
                fingerprint(&fa.initial_old(k)),
                fingerprint(&fb.initial_old(k)),
                "{what}: initial old-rules person {k}, replication {rep}"
            );
        }
    }
}

#[test]
fn a_parameter_that_does_not_touch_a_person_leaves_their_draws_alone() {
    let base = Plan::new(&load(PROJECT, &[]));
    for set in [
        "inflow.direct_per_month=3",
        "inflow.visitations_per_month=40",
        "policy.jobclub.effect=2.0",
        "staffing.consultants=20",
        "flex.dismissal=[{from=0,p=0.05}]",
    ] {
        let other = Plan::new(&load(PROJECT, &[set]));
        same_people(&base, &other, set);
    }
}

#[test]
fn people_differ_between_seeds_replications_and_indices() {
    let a = Plan::new(&load(PROJECT, &[]));
    let b = Plan::new(&load(PROJECT, &["seed=7"]));
    let fa = Factory::new(&a, 0);
    let fb = Factory::new(&b, 0);
    let fa1 = Factory::new(&a, 1);
    let p = fingerprint(&fa.visitation(0, 0));
    assert_ne!(p.8, fingerprint(&fb.visitation(0, 0)).8, "seed");
    assert_ne!(p.8, fingerprint(&fa1.visitation(0, 0)).8, "replication");
    assert_ne!(p.8, fingerprint(&fa.visitation(1, 0)).8, "index");
    assert_ne!(p.8, fingerprint(&fa.direct(0, 0)).8, "group");
    assert_ne!(p.8, p.9, "purpose");
}

/// Arrival counts come from their own per-month streams: a different rate of
/// direct hires leaves every month's visitations alone.
#[test]
fn arrivals_are_common_random_numbers() {
    let sets = ["horizon_months=36"];
    let (_, a) = simulate(PROJECT, &sets, 10);
    let (plan, b) = simulate(
        PROJECT,
        &["horizon_months=36", "inflow.direct_per_month=3"],
        10,
    );
    for (k, (x, y)) in a.iter().zip(&b).enumerate() {
        for t in 0..plan.months {
            assert_eq!(
                value(x, t, "visitations"),
                value(y, t, "visitations"),
                "replication {k}, month {t}"
            );
        }
    }
}

/// A policy effect that only acts from 2017-01 changes nothing before it:
/// every metric of the months before is the same in every replication.
#[test]
fn a_later_policy_change_leaves_earlier_months_identical() {
    let sets = ["horizon_months=24"];
    let (plan, a) = simulate(PROJECT, &sets, 10);
    let (_, b) = simulate(
        PROJECT,
        &["horizon_months=24", "policy.jobclub.effect=2.0"],
        10,
    );
    let first = plan
        .scenario
        .policy
        .jobclub
        .from
        .map(|f| plan.scenario.start.months_until(f))
        .expect("aalborg-project's jobclub has a start month") as usize;
    assert!(first > 0);
    let names = metric_names();
    for (k, (x, y)) in a.iter().zip(&b).enumerate() {
        for t in 0..first {
            for name in &names {
                assert_eq!(
                    value(x, t, name),
                    value(y, t, name),
                    "{name} in replication {k}, month {t} (before the jobclub starts)"
                );
            }
        }
    }
    // ... and the stronger jobclub does change what comes after.
    let hires = |reps: &[fleksim::engine::Replication]| -> f64 {
        reps.iter()
            .map(|r| {
                (first..plan.months)
                    .map(|t| value(r, t, "hires"))
                    .sum::<f64>()
            })
            .sum()
    };
    assert!(
        hires(&b) > hires(&a),
        "a stronger jobclub should raise hires"
    );
}
