//! The other programmes (issue 12): a programme state with a fixed course
//! length checked exactly, cohort shares against a hand computation under
//! constant hazards, course-end cohorts, the scheme's states declared as
//! kontanthjælp and ordinary jobs, interventions in a programme, and the
//! errors for the new keys.

mod common;

use common::*;
use fleksim::engine::Replication;
use fleksim::Plan;

/// A scheme with no hazards at all and a programme state that takes `n`
/// people from outside in its first month only, for a course of exactly
/// `L = 6` months, ending half on LY and half in førtidspension.
const FIXED: &str = r#"
name = "fixed-course"
start = "2019-01"
horizon_months = 12
[inflow]
visitations_per_month = 0.0
direct_per_month = 0.0
[initial]
ly = 0
flex = 0
[ly]
find_job = [{ from = 0, p = 0.0 }]
exit = [{ from = 0, p = 0.0 }]
[flex]
dismissal = [{ from = 0, p = 0.0 }]
exit = [{ from = 0, p = 0.0 }]
[staffing]
consultants = 1
[states.course]
kind = "programme"
monthly_cost = 10000.0
inflow_per_month = 50.0
inflow_changes = [{ from = "2019-02", per_month = 0.0 }]
course = [{ from = 6, to = 6, share = 1.0 }]
end_to = { ly = 0.5, fortidspension = 0.5 }
[states.fortidspension]
kind = "exit"
monthly_cost = 17800.0
[[cohorts]]
name = "ends"
state = "course_end"
programme = "course"
from = "2019-01"
to = "2019-12"
months = 3
"#;

fn plan_of(text: &str, sets: &[&str]) -> Plan {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    plan(&try_load_str(text, &sets).unwrap_or_else(|e| panic!("refused: {e}")))
}

/// The share of cohort `cohort` in `state` at `k` months since entry, and
/// the members observed, of one replication.
fn cohort_share(plan: &Plan, r: &Replication, cohort: &str, k: usize, state: &str) -> (f64, f64) {
    let co = &plan.cohorts;
    let n = co.states.len();
    let c = co
        .list
        .iter()
        .position(|c| c.name == cohort)
        .expect("cohort");
    let s = co.states.iter().position(|x| x == state).expect("state");
    let before: usize = co.list[..c].iter().map(|c| (c.follow + 1) * (n + 1)).sum();
    let row = before + k * (n + 1);
    (r.cohorts[row + s], r.cohorts[row + n])
}

/// Everyone who enters a course in month 0 is in it, priced, through month
/// 5, and leaves at the start of month 6, split by the end shares: exactly,
/// replication by replication; the split's mean is the end share.
#[test]
fn a_fixed_course_ends_exactly_after_its_length() {
    let plan = plan_of(FIXED, &[]);
    let reps = run(&plan, 400);
    let mut back = Vec::new();
    for (i, r) in reps.iter().enumerate() {
        let n = value(r, 0, "programme_entries");
        assert!(n > 0.0, "replication {i}: nobody entered");
        for t in 0..6 {
            assert_eq!(
                value(r, t, "programme_stock"),
                n,
                "replication {i}, month {t}"
            );
            assert_eq!(value(r, t, "ly_stock"), 0.0, "replication {i}, month {t}");
            check_close(
                &format!("replication {i}, month {t}: the course benefit"),
                value(r, t, "cost_exit"),
                n * 10000.0,
                1e-6 * n * 10000.0,
            );
        }
        let returned = value(r, 6, "programme_returns");
        assert_eq!(value(r, 6, "ly_stock"), returned, "replication {i}");
        for t in 6..12 {
            assert_eq!(
                value(r, t, "programme_stock"),
                0.0,
                "replication {i}, month {t}"
            );
            assert_eq!(
                value(r, t, "exit_stock"),
                n - returned,
                "replication {i}, month {t}"
            );
            assert_eq!(
                value(r, t, "ly_stock"),
                returned,
                "replication {i}, month {t}"
            );
        }
        for t in (1..12).filter(|&t| t != 6) {
            assert_eq!(
                value(r, t, "programme_returns"),
                0.0,
                "replication {i}, month {t}"
            );
        }
        back.push(returned / n);
        // The course-end cohort: everyone whose course ended, at once.
        let (ly, members) = cohort_share(&plan, r, "ends", 0, "ly");
        let (fp, _) = cohort_share(&plan, r, "ends", 0, "fortidspension");
        assert_eq!(
            members, n,
            "replication {i}: the cohort is the courses that ended"
        );
        check_close(
            &format!("replication {i}: cohort on LY"),
            ly,
            returned / n,
            1e-12,
        );
        check_close(
            &format!("replication {i}: shares sum to 1"),
            ly + fp,
            1.0,
            1e-12,
        );
    }
    let (mean, se) = mean_se(&back);
    check_close(
        "share of course ends back on LY",
        mean,
        0.5,
        4.0 * se + 1e-9,
    );
}

/// New LY spells under constant hazards: after `k` months a member is
/// still on LY with probability `q^(k+1)` (`q = 1 - f - x`; the month of
/// entry is exposed), and of those who left, a share `f / (f + x)` is in
/// a flexjob, where nobody is dismissed or leaves.
#[test]
fn cohort_shares_match_the_hand_computation_under_constant_hazards() {
    let text = r#"
name = "cohort-hand"
start = "2019-01"
horizon_months = 15
[inflow]
visitations_per_month = 20.0
direct_per_month = 0.0
[initial]
ly = 0
flex = 0
[ly]
find_job = [{ from = 0, p = 0.06 }]
exit = [{ from = 0, p = 0.02 }]
[flex]
dismissal = [{ from = 0, p = 0.0 }]
exit = [{ from = 0, p = 0.0 }]
[staffing]
consultants = 1
[[cohorts]]
name = "new"
state = "ly"
from = "2019-01"
to = "2019-03"
months = 12
"#;
    let plan = plan_of(text, &[]);
    let reps = run(&plan, 400);
    let (f, x) = (0.06f64, 0.02f64);
    let q = 1.0 - f - x;
    for k in [0usize, 1, 3, 6, 12] {
        let on_ly = q.powi(k as i32 + 1);
        let expect = [
            ("ly", on_ly),
            ("flex", f / (f + x) * (1.0 - on_ly)),
            ("gone", x / (f + x) * (1.0 - on_ly)),
        ];
        for (state, want) in expect {
            let shares: Vec<f64> = reps
                .iter()
                .map(|r| cohort_share(&plan, r, "new", k, state).0)
                .collect();
            let (mean, se) = mean_se(&shares);
            check_close(
                &format!("share in {state} at k = {k}"),
                mean,
                want,
                4.0 * se + 1e-9,
            );
        }
    }
}

/// Kontanthjælp: ordinary hours while on the benefit cut it by the
/// expected deduction, exactly; an ordinary job has no subsidy; a v1 file
/// is untouched by the new keys' defaults.
#[test]
fn ordinary_hours_cut_the_benefit_and_ordinary_jobs_have_no_subsidy() {
    let base = "scenarios/aalborg-kontanthjaelp-baseline.toml";
    let without = plan(&load(
        base,
        &["states.ly.work_share=0.0", "states.ly.work_hours=0.0"],
    ));
    let with = plan(&load(
        base,
        &["states.ly.work_share=0.2", "states.ly.work_hours=10.0"],
    ));
    let a = run(&without, 5);
    let b = run(&with, 5);
    let wage = with.prices[0].work_wage;
    assert!(wage > 0.0, "a working month earns something");
    check_close(
        "the cut is the share of earnings deducted",
        with.prices[0].work_cut,
        wage * 0.85,
        1e-9,
    );
    for (ra, rb) in a.iter().zip(&b) {
        // Ordinary hours take no random numbers: the same people, the same
        // months, a lower benefit.
        assert_eq!(value(ra, 0, "ly_stock"), value(rb, 0, "ly_stock"));
        // Priced: everyone on the benefit at the start of the month.
        let people = value(ra, 0, "ly_stock") + value(ra, 0, "hires") + value(ra, 0, "exits_ly")
            - value(ra, 0, "dismissals");
        let cut = value(ra, 0, "cost_ly") - value(rb, 0, "cost_ly");
        check_rel(
            "the month's benefit cut",
            cut,
            people * 0.2 * wage * 0.85,
            1e-9,
        );
        for t in 0..12 {
            assert_eq!(
                value(rb, t, "cost_flex_subsidy"),
                0.0,
                "month {t}: an ordinary job has no subsidy"
            );
        }
    }
}

/// The job broker in ressourceforløb fills its places from the stock and
/// changes where its participants' courses end, not how many end.
#[test]
fn a_programme_intervention_fills_its_places_and_moves_course_ends() {
    let with = plan(&load("scenarios/hedensted-ressourceforloeb.toml", &[]));
    let without = plan(&load(
        "scenarios/hedensted-ressourceforloeb-baseline.toml",
        &[],
    ));
    let a = run(&with, 200);
    let b = run(&without, 200);
    for r in &a {
        // About 170-190 people are in a course: the 40 places stay full.
        for t in 0..36 {
            assert_eq!(value(r, t, "participants"), 40.0, "month {t}");
        }
        assert_eq!(
            value(r, 40, "participants"),
            0.0,
            "after the window nobody takes part"
        );
    }
    let flex = |reps: &[Replication], plan: &Plan| -> f64 {
        reps.iter()
            .map(|r| cohort_share(plan, r, "course-ends-2019-2021", 1, "flex").0)
            .sum::<f64>()
            / reps.len() as f64
    };
    assert!(
        flex(&a, &with) > flex(&b, &without),
        "the broker's participants go straight into flexjobs more often"
    );
}

fn refused(text: &str, needle: &str) {
    match try_load_str(text, &[]) {
        Ok(_) => panic!("accepted, expected an error naming {needle}"),
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.contains(needle), "expected {needle} in: {msg}");
        }
    }
}

#[test]
fn the_new_keys_are_checked_with_named_errors() {
    let kh = text("scenarios/aalborg-kontanthjaelp-baseline.toml");
    refused(
        &kh.replace("kind = \"benefit\"", "kind = \"job\""),
        "states.ly.kind",
    );
    refused(
        &kh.replace("work_hours = 8.0", "work_hours = 8.0\nmonthly_cost = 1.0"),
        "states.ly.monthly_cost",
    );
    refused(
        &kh.replace(
            "job = \"ordinary\"",
            "job = \"ordinary\"\nself_support_months = 30",
        ),
        "states.flex.self_support_months",
    );
    refused(
        &kh.replace(
            "[states.moved]\nkind = \"exit\"\nmonthly_cost = 0.0\n",
            "[states.moved]\nkind = \"exit\"\n",
        ),
        "states.moved.monthly_cost",
    );
    refused(
        &kh.replace(
            "[states.moved]\nkind = \"exit\"",
            "[states.moved]\nkind = \"benefit\"",
        ),
        "states.moved.kind",
    );
    let he = text("scenarios/hedensted-ressourceforloeb.toml");
    refused(
        &he.replace("places = 40\n", "places = 40\nmonths = 6\n"),
        "interventions[0].months",
    );
    refused(
        &he.replace(
            "programme = \"ressourceforloeb\"\nfrom = \"2019-01\"\nto = \"2021-12\"\nplaces",
            "programme = \"nope\"\nfrom = \"2019-01\"\nto = \"2021-12\"\nplaces",
        ),
        "interventions[0].programme",
    );
    refused(
        &he.replace(
            "flex = 0.10, ressourceforloeb = 0.25",
            "flex = 0.20, ressourceforloeb = 0.25",
        ),
        "interventions[0].end_to",
    );
    refused(
        &he.replace(
            "state = \"course_end\"\nprogramme = \"ressourceforloeb\"",
            "state = \"course_end\"",
        ),
        "cohorts[0].programme",
    );
}
