//! Next-event sampling (docs/model.md, "Next-event sampling";
//! `sampling = "next-event"`): a job whose chances do not change draws the
//! month of its next event once, instead of a draw every month. The distributions must be those of the monthly
//! draws: checked against the exact spell-length distribution of a chain
//! with hazard steps (chi-square), and against the monthly method itself on
//! the shipped project scenario.

mod common;
use common::*;
use fleksim::engine::Replication;
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

/// The means of `names` at `months` over next-event runs `a` and monthly
/// runs `b` agree within 4.5 standard errors of their difference.
fn means_agree(a: &[Replication], b: &[Replication], names: &[&str], months: &[usize]) {
    for name in names {
        for &t in months {
            let ((ma, sa), (mb, sb)) = (mean_se(&across(a, t, name)), mean_se(&across(b, t, name)));
            let se = (sa * sa + sb * sb).sqrt();
            assert!(
                (ma - mb).abs() <= 4.5 * se.max(1e-9),
                "{name} at month {t}: {ma:.3} next-event, {mb:.3} monthly (se {se:.3})"
            );
        }
    }
}

#[test]
fn both_methods_agree_on_the_project() {
    // The shipped project (follow-up contacts, screening, agreements, old-
    // rules jobs, cohorts, priced exits) run both ways: the means of the
    // stocks, flows and money at three months agree within 4.5 standard
    // errors of their difference.
    let s = load("scenarios/aalborg-project.toml", &["sampling=next-event"]);
    let mut monthly = Plan::new(&s);
    monthly.next_event = false;
    assert!(
        Plan::new(&s).next_event,
        "`sampling = \"next-event\"` reaches the plan"
    );
    let (a, b) = (run(&Plan::new(&s), 300), run(&monthly, 300));
    let names = [
        "flex_stock",
        "flex_le10h",
        "flex_old_rules",
        "flex_h11_15",
        "progression_share",
        "ly_stock",
        "dismissals",
        "exits_flex",
        "hours_up",
        "cost_flex_subsidy",
        "net_municipal_cost",
        "exit_stock",
    ];
    means_agree(&a, &b, &names, &[11, 59, 119]);
}

#[test]
fn scenarios_agree_to_the_bit_until_a_policy_acts() {
    // Common random numbers: the project's policies start in 2017-01
    // (month 4); before, every metric of every replication equals the
    // baseline's to the bit, although the project's follow-up decides when
    // sleeping jobs must wake.
    let next = ["sampling=next-event"];
    let base = Plan::new(&load("scenarios/aalborg-baseline.toml", &next));
    let project = Plan::new(&load("scenarios/aalborg-project.toml", &next));
    assert!(base.next_event && project.next_event);
    same_to_the_bit(&run(&base, 300), &run(&project, 300), 4);
}

/// Every metric of every replication of `a` and `b` is the same to the bit
/// in the months before `months`.
fn same_to_the_bit(a: &[Replication], b: &[Replication], months: usize) {
    for (rep, (x, y)) in a.iter().zip(b).enumerate() {
        for t in 0..months {
            for name in metric_names() {
                let (u, v) = (value(x, t, name), value(y, t, name));
                assert!(
                    u.to_bits() == v.to_bits(),
                    "replication {rep}, month {t}, {name}: {u} against {v}"
                );
            }
        }
    }
}

#[test]
fn monthly_draws_are_the_default() {
    let plan = Plan::new(&load("scenarios/aalborg-project.toml", &[]));
    assert!(!plan.next_event);
    let err = try_load("scenarios/aalborg-project.toml", &["sampling=weekly"]).unwrap_err();
    let text = format!("{err:#}");
    assert!(
        text.contains("sampling") && text.contains("next-event"),
        "{text}"
    );
}

/// The project with an intervention in flexjobs (a retention programme
/// for small jobs from 2017-07), which wakes sleeping jobs when it takes
/// people.
fn with_flex_intervention(sampling: &str) -> Plan {
    let iv = "\n[[interventions]]\nname = \"retention\"\nstate = \"flex\"\nfrom = \"2017-07\"\nto = \"2018-12\"\nmax_start_hours = 10\nmonths = 6\nplaces = 60\ndismissal = 0.5\nhours_up = 1.5\ncost_per_month = 500.0\n";
    let text = text("scenarios/aalborg-project.toml") + iv;
    let set = [format!("sampling={sampling}")];
    let s = try_load_str(&text, &set).unwrap_or_else(|e| panic!("{e}"));
    Plan::new(&s)
}

#[test]
fn an_intervention_in_jobs_gives_the_same_distributions() {
    let (next, monthly) = (
        with_flex_intervention("next-event"),
        with_flex_intervention("monthly"),
    );
    assert!(next.next_event && !monthly.next_event);
    let (a, b) = (run(&next, 300), run(&monthly, 300));
    let names = [
        "participants",
        "cost_measures",
        "flex_stock",
        "flex_le10h",
        "dismissals",
        "hours_up",
        "progression_share",
        "ly_stock",
    ];
    means_agree(&a, &b, &names, &[11, 14, 20, 27, 59]);
    // The places are used: the intervention is at work in both.
    let (used, _) = mean_se(&across(&a, 14, "participants"));
    assert!(used > 10.0, "{used} participants in 2017-11");
}

#[test]
fn an_intervention_in_jobs_leaves_the_months_before_it_alone() {
    let base = Plan::new(&load(
        "scenarios/aalborg-project.toml",
        &["sampling=next-event"],
    ));
    let with = with_flex_intervention("next-event");
    // The intervention takes people from 2017-07 (month 10).
    same_to_the_bit(&run(&base, 200), &run(&with, 200), 10);
}
