//! Next-event sampling (docs/model.md, "Next-event sampling"; the
//! default, `sampling = "next-event"`): a job in which nothing can change
//! but by its own draws sleeps until the first month in which those draws
//! decide something, instead of being met every month. It takes the same
//! draws as the monthly loop (`sampling = "monthly"`), and money is summed
//! exactly whatever the order of people, so every shipped scenario must
//! give the same replications to the bit both ways; the
//! spell lengths must follow the hazard steps (chi-square); and jobs must
//! really sleep, or the first check would hold for nothing.

mod common;
use common::*;
use fleksim::engine::{simulate_with, Population};
use fleksim::Plan;
use statrs::distribution::{ChiSquared, ContinuousCDF};

const MONTHS: usize = 96;
const DIRECT: f64 = 20.0;
/// Dismissal and exit steps by job month: constant from month 30 on, so
/// jobs fall asleep from there, with monthly draws before.
const DISMISSAL: [(u32, f64); 3] = [(0, 0.03), (6, 0.015), (24, 0.008)];
const EXIT: [(u32, f64); 2] = [(0, 0.004), (30, 0.01)];

fn steps(list: &[(u32, f64)]) -> String {
    let cells: Vec<String> = list
        .iter()
        .map(|(from, p)| format!("{{from={from},p={p}}}"))
        .collect();
    format!("[{}]", cells.join(","))
}

fn at(list: &[(u32, f64)], d: usize) -> f64 {
    list.iter()
        .rev()
        .find(|(from, _)| *from as usize <= d)
        .map_or(0.0, |s| s.1)
}

/// Direct hires only (a Poisson number a month), nobody leaves LY, and the
/// hours model on, so that hours changes share the sleeping jobs' draws.
fn spells(next_event: bool) -> Plan {
    let sets = [
        format!("horizon_months={MONTHS}"),
        "initial.ly=0".into(),
        "initial.flex=0".into(),
        "inflow.visitations_per_month=0".into(),
        format!("inflow.direct_per_month={DIRECT}"),
        "ly.find_job=[{from=0,p=0}]".into(),
        "ly.exit=[{from=0,p=0}]".into(),
        format!("flex.dismissal={}", steps(&DISMISSAL)),
        format!("flex.exit={}", steps(&EXIT)),
        "hours.p_up_organic=0.03".into(),
        "hours.p_down=0.01".into(),
    ];
    let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
    let mut plan = Plan::new(&load("scenarios/markov-check.toml", &sets));
    plan.next_event = next_event;
    plan
}

/// Expected dismissals and exits in month `t` per replication: each
/// month's Poisson hires survive job month `a` with `S(a)` and leave in it
/// by the steps (the counts of different months and causes are
/// independent Poisson counts, by thinning).
fn expected() -> (Vec<f64>, Vec<f64>) {
    let (mut dismiss, mut exit) = (vec![0.0; MONTHS], vec![0.0; MONTHS]);
    let mut survive = 1.0;
    for a in 0..MONTHS {
        let (pd, px) = (at(&DISMISSAL, a), at(&EXIT, a));
        for t in a..MONTHS {
            dismiss[t] += DIRECT * survive * pd;
            exit[t] += DIRECT * survive * px;
        }
        survive *= 1.0 - pd - px;
    }
    (dismiss, exit)
}

/// Pearson's chi-square of the summed monthly dismissals and exits of
/// `reps` against their expectation, and its degrees of freedom.
fn chi_square(plan: &Plan, reps: u64) -> (f64, f64) {
    let runs = run(plan, reps);
    let (dismiss, exit) = expected();
    let mut x2 = 0.0;
    for (name, want) in [("dismissals", &dismiss), ("exits_flex", &exit)] {
        for (t, w) in want.iter().enumerate() {
            let observed: f64 = across(&runs, t, name).iter().sum();
            let e = w * reps as f64;
            x2 += (observed - e).powi(2) / e;
        }
    }
    (x2, 2.0 * MONTHS as f64)
}

#[test]
fn job_spells_follow_the_hazard_steps() {
    let plan = spells(true);
    let (x2, df) = chi_square(&plan, 400);
    let limit = ChiSquared::new(df).unwrap().inverse_cdf(0.999);
    assert!(
        x2 < limit,
        "chi-square {x2:.1} on {df} degrees of freedom (0.999 quantile {limit:.1})"
    );
}

#[test]
fn monthly_draws_follow_the_same_steps() {
    // The reference method, under the same test: the test tells a wrong
    // spell distribution from a right one for both.
    let (x2, df) = chi_square(&spells(false), 400);
    let limit = ChiSquared::new(df).unwrap().inverse_cdf(0.999);
    assert!(x2 < limit, "chi-square {x2:.1} on {df} degrees of freedom");
}

#[test]
fn the_chi_square_sees_a_wrong_step() {
    // The same runs against steps that differ by a tenth in one step: the
    // test must reject them, or it could not see a sampling error either.
    let plan = spells(true);
    let runs = run(&plan, 400);
    let (mut dismiss, _) = expected();
    let mut survive = 1.0;
    dismiss.iter_mut().for_each(|d| *d = 0.0);
    for a in 0..MONTHS {
        let pd = at(&DISMISSAL, a) * if a >= 30 { 1.1 } else { 1.0 };
        for d in dismiss.iter_mut().skip(a) {
            *d += DIRECT * survive * pd;
        }
        survive *= 1.0 - pd - at(&EXIT, a);
    }
    let x2: f64 = dismiss
        .iter()
        .enumerate()
        .map(|(t, w)| {
            let observed: f64 = across(&runs, t, "dismissals").iter().sum();
            (observed - w * 400.0).powi(2) / (w * 400.0)
        })
        .sum();
    let limit = ChiSquared::new(MONTHS as f64).unwrap().inverse_cdf(0.999);
    assert!(
        x2 > limit,
        "a 10 % error in the last step went unseen: {x2:.1}"
    );
}

/// The jobs asleep at the end of replication 0 of `plan`.
fn asleep(plan: &Plan) -> usize {
    let mut pop = Population::default();
    simulate_with(plan, 0, &mut pop);
    pop.asleep()
}

/// `rel` with `sets`, run both ways: the same replications to the bit.
/// Returns the jobs asleep at the end of replication 0 under next-event
/// sampling.
fn both_ways(rel: &str, sets: &[&str], reps: u64) -> usize {
    let mut monthly_sets = sets.to_vec();
    monthly_sets.push("sampling=monthly");
    let (next, monthly) = (
        Plan::new(&load(rel, sets)),
        Plan::new(&load(rel, &monthly_sets)),
    );
    assert!(
        next.next_event && !monthly.next_event,
        "{rel}: sampling reaches the plan"
    );
    assert_eq!(
        asleep(&monthly),
        0,
        "{rel}: monthly draws keep every job awake"
    );
    same_to_the_bit(rel, &run(&next, reps), &run(&monthly, reps), usize::MAX);
    asleep(&next)
}

#[test]
fn every_shipped_scenario_gives_the_same_replications_both_ways() {
    let mut files: Vec<_> = std::fs::read_dir(root("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter(|p| {
            !p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("sweep-")
        })
        .collect();
    files.sort();
    assert!(files.len() >= 12, "{files:?}");
    let mut sleeping = Vec::new();
    for f in &files {
        let rel = format!("scenarios/{}", f.file_name().unwrap().to_string_lossy());
        if both_ways(&rel, &[], 12) > 0 {
            sleeping.push(rel);
        }
    }
    // Jobs sleep in the Aalborg scheme's scenarios (not where an
    // intervention's limited places make the order of people matter, nor
    // in ordinary jobs, whose benefit weeks start over).
    for rel in [
        "scenarios/aalborg-baseline.toml",
        "scenarios/aalborg-project.toml",
        "scenarios/aalborg-permanent.toml",
        "scenarios/aalborg-linked.toml",
        "scenarios/markov-check.toml",
    ] {
        assert!(
            sleeping.iter().any(|s| s == rel),
            "no job sleeps in {rel}: {sleeping:?}"
        );
    }
}

#[test]
fn variants_of_the_project_give_the_same_replications_both_ways() {
    // The switches a sleeping job must get right: the 2013–2015 refusion
    // cap and its restart after months of flexjob, no hours model, an
    // agreement for every hire, follow-up for every job size, staircase
    // refusion for the whole initial stock with a short restart, and
    // dismissal steps late in a job.
    let variants: [&[&str]; 6] = [
        &["money.refusion.regime=\"duration_cap\""],
        &[
            "hours.p_up_organic=0",
            "hours.p_down=0",
            "policy.followup.p_up_contact=0",
        ],
        &[
            "hours.agreement_share=1.0",
            "policy.rehab_meeting.agreement_share=1.0",
        ],
        &["policy.followup.max_start_hours=37"],
        &[
            "money.refusion.initial_new_rules_share=1.0",
            "money.refusion.keep_flex_months=3",
        ],
        &["flex.dismissal=[{from=0,p=0.02},{from=3,p=0.01},{from=40,p=0.005}]"],
    ];
    for sets in variants {
        let n = both_ways("scenarios/aalborg-project.toml", sets, 12);
        assert!(n > 0, "{sets:?}: no job sleeps");
    }
}

#[test]
fn jobs_sleep_where_most_of_the_months_are() {
    // In the project most job months pass asleep: at the end of ten years
    // more than half the people in jobs are asleep.
    let plan = Plan::new(&load("scenarios/aalborg-project.toml", &[]));
    let mut pop = Population::default();
    simulate_with(&plan, 0, &mut pop);
    let jobs = pop.flex.len() + pop.old.len() + pop.asleep();
    assert!(
        pop.asleep() * 2 > jobs,
        "{} of {jobs} jobs asleep",
        pop.asleep()
    );
}

#[test]
fn scenarios_agree_to_the_bit_until_a_policy_acts() {
    // Common random numbers: the project's policies start in 2017-01
    // (month 4); before, every metric of every replication equals the
    // baseline's to the bit, although the project's follow-up decides when
    // sleeping jobs must wake.
    let base = Plan::new(&load("scenarios/aalborg-baseline.toml", &[]));
    let project = Plan::new(&load("scenarios/aalborg-project.toml", &[]));
    assert!(base.next_event && project.next_event);
    same_to_the_bit(
        "baseline and project",
        &run(&base, 300),
        &run(&project, 300),
        4,
    );
}

#[test]
fn next_event_sampling_is_the_default() {
    let plan = Plan::new(&load("scenarios/aalborg-project.toml", &[]));
    assert!(plan.next_event);
    let err = try_load("scenarios/aalborg-project.toml", &["sampling=weekly"]).unwrap_err();
    let text = format!("{err:#}");
    assert!(
        text.contains("sampling") && text.contains("next-event") && text.contains("monthly"),
        "{text}"
    );
}

/// The project with an intervention in flexjobs (a retention programme
/// for small jobs from 2017-07, with `places` if given), which wakes
/// sleeping jobs when it takes people.
fn with_flex_intervention(places: Option<u32>) -> String {
    let places = places.map_or(String::new(), |n| format!("places = {n}\n"));
    let iv = format!("\n[[interventions]]\nname = \"retention\"\nstate = \"flex\"\nfrom = \"2017-07\"\nto = \"2018-12\"\nmax_start_hours = 10\nmonths = 6\n{places}dismissal = 0.5\nhours_up = 1.5\ncost_per_month = 500.0\n");
    text("scenarios/aalborg-project.toml") + &iv
}

fn plan_of(text: &str, sampling: &str) -> Plan {
    let set = [format!("sampling={sampling}")];
    Plan::new(&try_load_str(text, &set).unwrap_or_else(|e| panic!("{e}")))
}

#[test]
fn an_intervention_in_jobs_gives_the_same_replications_both_ways() {
    // Without a limit on places, jobs sleep until the intervention can
    // take them; with one, who takes a place depends on the order people
    // are met in, and jobs stay awake.
    for (places, sleeps) in [(None, true), (Some(60), false)] {
        let text = with_flex_intervention(places);
        let (next, monthly) = (plan_of(&text, "next-event"), plan_of(&text, "monthly"));
        let (a, b) = (run(&next, 40), run(&monthly, 40));
        same_to_the_bit(&format!("places {places:?}"), &a, &b, usize::MAX);
        assert_eq!(asleep(&next) > 0, sleeps, "places {places:?}");
        // The intervention is at work.
        let (used, _) = mean_se(&across(&a, 14, "participants"));
        assert!(used > 10.0, "{used} participants in 2017-11");
    }
}

#[test]
fn an_intervention_in_jobs_leaves_the_months_before_it_alone() {
    let base = Plan::new(&load("scenarios/aalborg-project.toml", &[]));
    let with = plan_of(&with_flex_intervention(None), "next-event");
    // The intervention takes people from 2017-07 (month 10).
    same_to_the_bit("with and without", &run(&base, 200), &run(&with, 200), 10);
}
