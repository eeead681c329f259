//! Money (docs/model.md "Money and refusion", docs/domain.md "Rules and
//! amounts"): single-person
//! cases computed by hand from the rules, the net-cost identity, properties
//! of refusion, bad money input, and the budget files.
//!
//! The expected numbers are computed here from the rules and the law table
//! of docs/domain.md, never by calling the library's own price functions.

mod common;

use common::*;
use fleksim::engine::Replication;
use fleksim::population::{Factory, F_NEW_REFUSION};
use fleksim::Plan;
use proptest::prelude::*;

/// DP-max per month by year (docs/domain.md "Rules and amounts"; 2016
/// derived from 836 DKK a day).
fn dp_max(year: i32) -> f64 {
    match year {
        2016 => 18_113.0,
        2017 => 18_403.0,
        2018 => 18_633.0,
        _ => panic!("no DP-max for {year} in this test"),
    }
}

/// Maximum flex subsidy and threshold of 2017 (docs/domain.md "Rules and
/// amounts").
const SUBSIDY_MAX_2017: f64 = 18_027.0;
const THRESHOLD_2017: f64 = 14_116.0;

/// Weeks of benefits in a month.
const W: f64 = 52.0 / 12.0;

/// The staircase rate of the benefit week at position `x` (weeks counted
/// so far, continuous): week 1 is (0, 1], so weeks 1–4 are (0, 4].
fn week_rate(x: f64) -> f64 {
    if x < 4.0 {
        0.8
    } else if x < 26.0 {
        0.4
    } else if x < 52.0 {
        0.3
    } else {
        0.2
    }
}

/// The refusion share of a month whose weeks run from `before` to
/// `before + 52/12`: each part of the month at its own step's rate.
fn expected_share(before: f64) -> f64 {
    let after = before + W;
    let mut cuts = vec![before];
    cuts.extend(
        [4.0, 26.0, 52.0]
            .into_iter()
            .filter(|&b| b > before && b < after),
    );
    cuts.push(after);
    cuts.windows(2)
        .map(|c| (c[1] - c[0]) * week_rate(0.5 * (c[0] + c[1])))
        .sum::<f64>()
        / W
}

/// The calendar year of simulation month `t` of a plan.
fn year(plan: &Plan, t: usize) -> i32 {
    plan.scenario.month(t).year()
}

/// LY at 89 % of DP-max of the month's year.
fn ly_amount(plan: &Plan, t: usize) -> f64 {
    0.89 * dp_max(year(plan, t))
}

/// The flex subsidy of 2017 by hand: the maximum less 30 % of earnings up
/// to the threshold and 55 % above it, never below zero.
fn subsidy_2017(wage: f64, hours: f64) -> f64 {
    let e = wage * hours * 52.0 / 12.0;
    let below = e.min(THRESHOLD_2017);
    let above = (e - THRESHOLD_2017).max(0.0);
    (SUBSIDY_MAX_2017 - 0.30 * below - 0.55 * above).max(0.0)
}

/// The one-person scenario with a seed whose initial LY person starts a
/// fresh spell (duration 0), so that weeks and LY months start at zero.
fn fresh(sets: &[&str]) -> (Plan, Replication) {
    let seed = seed_with_initial_dur(sets, 0);
    let mut all = sets.to_vec();
    let s = format!("seed={seed}");
    all.push(&s);
    let (plan, r) = simulate_one(&one_person(&all));
    let p = Factory::new(&plan, 0).initial_ly(0);
    assert_eq!(p.dur, 0, "the person starts a fresh spell");
    assert_eq!(p.cap_months, 0);
    assert!(
        p.flags & F_NEW_REFUSION != 0,
        "covered by the current regime"
    );
    (plan, r)
}

// ------------------------------------------------------------ staircase

#[test]
fn hand_computed_shares_are_the_rules() {
    // Anchors for the helper itself, in closed form.
    check_close("weeks 0–4.33", expected_share(0.0), 10.0 / 13.0, 1e-12);
    check_close("weeks 2–6.33", expected_share(2.0), 7.6 / 13.0, 1e-12);
    check_close(
        "weeks 23.67–28",
        expected_share(2.0 + 5.0 * W),
        4.6 / 13.0,
        1e-12,
    );
    check_close(
        "weeks 49.67–54",
        expected_share(2.0 + 11.0 * W),
        3.3 / 13.0,
        1e-12,
    );
    check_close("weeks 21.67–26", expected_share(5.0 * W), 0.4, 1e-12);
    check_close("weeks 26–30.33", expected_share(6.0 * W), 0.3, 1e-12);
    check_close("weeks 52–56.33", expected_share(12.0 * W), 0.2, 1e-12);
}

#[test]
fn staircase_ly_month_by_month_from_zero_prior_weeks() {
    // 2016-11 to 2017-12: LY at 89 % of each year's DP-max, refusion by the
    // weeks counted so far.
    let (plan, r) = fresh(&[]);
    assert_eq!(plan.months, 14);
    for t in 0..14 {
        let at = |w: &str| format!("month {} ({t}): {w}", plan.scenario.month(t));
        check_close(&at("ly_stock"), value(&r, t, "ly_stock"), 1.0, 0.0);
        let ly = ly_amount(&plan, t);
        check_rel(&at("cost_ly"), value(&r, t, "cost_ly"), ly, 1e-12);
        let share = expected_share(t as f64 * W);
        check_rel(
            &at("refusion_ly"),
            value(&r, t, "refusion_ly"),
            ly * share,
            1e-6,
        );
        check_rel(
            &at("net cost"),
            value(&r, t, "net_municipal_cost"),
            ly * (1.0 - share),
            1e-6,
        );
    }
    // The year boundary: November and December 2016 at the 2016 amount.
    check_rel("2016 LY", value(&r, 1, "cost_ly"), 0.89 * 18_113.0, 1e-12);
    check_rel("2017 LY", value(&r, 2, "cost_ly"), 0.89 * 18_403.0, 1e-12);
    // Month 0 crosses week 4/5: (4 · 80 % + 0.33 · 40 %) / 4.33.
    let first = value(&r, 0, "refusion_ly") / value(&r, 0, "cost_ly");
    check_close(
        "month 0 share",
        first,
        (4.0 * 0.8 + (W - 4.0) * 0.4) / W,
        1e-6,
    );
    // Months 1–5 at 40 %, 6–11 at 30 % (week 26 ends month 5), 12– at 20 %.
    for (months, rate) in [(1..6, 0.4), (6..12, 0.3), (12..14, 0.2)] {
        for t in months {
            let s = value(&r, t, "refusion_ly") / value(&r, t, "cost_ly");
            check_close(&format!("month {t} share"), s, rate, 1e-6);
        }
    }
}

#[test]
fn staircase_months_that_cross_a_step_are_split() {
    // Two prior weeks: every step falls inside a month.
    let (plan, r) = fresh(&["money.refusion.prior_weeks=[{from=2,to=2,share=1.0}]"]);
    for t in 0..plan.months {
        let share = expected_share(2.0 + t as f64 * W);
        let got = value(&r, t, "refusion_ly") / value(&r, t, "cost_ly");
        check_close(&format!("month {t} share"), got, share, 1e-6);
    }
    let share = |t: usize| value(&r, t, "refusion_ly") / value(&r, t, "cost_ly");
    check_close("crosses week 4/5", share(0), 7.6 / 13.0, 1e-6);
    check_close("crosses week 26/27", share(5), 4.6 / 13.0, 1e-6);
    check_close("crosses week 52/53", share(11), 3.3 / 13.0, 1e-6);
}

#[test]
fn staircase_counts_flexjob_months_after_ly_months() {
    // Hired at the end of spell month 2; the weeks go on counting in the job.
    let (plan, r) = fresh(&["ly.find_job=[{from=0,p=0.0},{from=2,p=1.0},{from=3,p=0.0}]"]);
    assert_eq!(value(&r, 2, "hires"), 1.0);
    for t in 0..plan.months {
        let share = expected_share(t as f64 * W);
        if t <= 2 {
            check_rel(
                "cost_ly",
                value(&r, t, "cost_ly"),
                ly_amount(&plan, t),
                1e-12,
            );
            assert_eq!(value(&r, t, "cost_flex_subsidy"), 0.0, "month {t}");
            let got = value(&r, t, "refusion_ly") / value(&r, t, "cost_ly");
            check_close(&format!("month {t} LY share"), got, share, 1e-6);
        } else {
            assert_eq!(value(&r, t, "cost_ly"), 0.0, "month {t}");
            assert_eq!(value(&r, t, "refusion_ly"), 0.0, "month {t}");
            let cost = value(&r, t, "cost_flex_subsidy");
            assert!(cost > 0.0, "month {t}: no flex subsidy");
            let got = value(&r, t, "refusion_flex") / cost;
            check_close(&format!("month {t} flex share"), got, share, 1e-6);
        }
    }
}

#[test]
fn staircase_counts_flexjob_months_of_the_initial_stock() {
    // A person in a flexjob from the start with no benefit weeks yet.
    let (plan, r) = simulate_one(&one_person(&[
        "start=2017-01",
        "horizon_months=14",
        "initial.ly=0",
        "initial.flex=1",
    ]));
    for t in 0..plan.months {
        let cost = value(&r, t, "cost_flex_subsidy");
        assert!(cost > 0.0);
        let got = value(&r, t, "refusion_flex") / cost;
        check_close(
            &format!("month {t}"),
            got,
            expected_share(t as f64 * W),
            1e-6,
        );
    }
}

#[test]
fn staircase_counts_flexjob_weeks_from_before_a_regime_change() {
    // In a flexjob from 2015-07 under the 2013–2015 rules; the staircase
    // from 2016-01 must see the 26 weeks of flex subsidy already received
    // (docs/model.md "Money and refusion": weeks on public benefits counted
    // so far; the flex subsidy counts). LY months are counted whatever the regime (the LY twin below
    // passes).
    let (plan, r) = simulate_one(&one_person(&[
        "start=2015-07",
        "horizon_months=12",
        "initial.ly=0",
        "initial.flex=1",
        "money.refusion.regime=duration_cap",
        r#"money.refusion.changes=[{from="2016-01",regime="staircase"}]"#,
    ]));
    for t in 6..plan.months {
        let got = value(&r, t, "refusion_flex") / value(&r, t, "cost_flex_subsidy");
        check_close(
            &format!("{} flex share", plan.scenario.month(t)),
            got,
            expected_share(t as f64 * W),
            1e-6,
        );
    }
}

#[test]
fn staircase_counts_ly_weeks_from_before_a_regime_change() {
    let (plan, r) = fresh(&[
        "start=2015-07",
        "horizon_months=12",
        "money.refusion.regime=duration_cap",
        r#"money.refusion.changes=[{from="2016-01",regime="staircase"}]"#,
    ]);
    for t in 0..plan.months {
        let got = value(&r, t, "refusion_ly") / value(&r, t, "cost_ly");
        let want = if t < 6 {
            0.30
        } else {
            expected_share(t as f64 * W)
        };
        check_close(
            &format!("{} LY share", plan.scenario.month(t)),
            got,
            want,
            1e-6,
        );
    }
}

// --------------------------------------------------------- duration cap

#[test]
fn duration_cap_refunds_30_percent_for_18_months_of_ly() {
    let (plan, r) = fresh(&["horizon_months=24", "money.refusion.regime=duration_cap"]);
    for t in 0..24 {
        let ly = ly_amount(&plan, t);
        check_rel(
            &format!("month {t} cost_ly"),
            value(&r, t, "cost_ly"),
            ly,
            1e-12,
        );
        let want = if t < 18 { 0.30 * ly } else { 0.0 };
        check_rel(
            &format!("month {t} refusion_ly"),
            value(&r, t, "refusion_ly"),
            want,
            1e-12,
        );
    }
    // 2016-11 + 14 months is January 2018: the 2018 amount.
    check_rel("2018 LY", value(&r, 14, "cost_ly"), 0.89 * 18_633.0, 1e-12);
}

#[test]
fn duration_cap_refunds_50_percent_in_months_with_an_active_offer() {
    // Jobclub in spell months 0–2 and the review in 3–5, both with no
    // effect on job finding: 50 % there, 30 % after, nothing from month 18.
    let (plan, r) = fresh(&[
        "horizon_months=24",
        "money.refusion.regime=duration_cap",
        "policy.jobclub.enabled=true",
        "policy.jobclub.months=3",
        "policy.three_month_review.enabled=true",
        "policy.three_month_review.start_month=3",
        "policy.three_month_review.months=3",
    ]);
    for t in 0..24 {
        let ly = ly_amount(&plan, t);
        let rate = match t {
            0..=5 => 0.50,
            6..=17 => 0.30,
            _ => 0.0,
        };
        check_rel(
            &format!("month {t} refusion_ly"),
            value(&r, t, "refusion_ly"),
            rate * ly,
            1e-12,
        );
    }
}

/// The one-person scenario under `duration_cap` whose initial LY person is
/// 10 months into the spell, is hired at the end of month 0 and dismissed
/// in job month `dismiss_at` (0-based).
fn capped_with_job(dismiss_at: u32, horizon: u32) -> (Plan, Replication) {
    let sets = [
        "money.refusion.regime=duration_cap".to_string(),
        "initial.ly_le6m_share=0.0".to_string(),
        "initial.ly_long_extra_mean=4.0".to_string(),
        format!("horizon_months={horizon}"),
        "ly.find_job=[{from=0,p=0.0},{from=10,p=1.0},{from=11,p=0.0}]".to_string(),
        format!("flex.dismissal=[{{from=0,p=0.0}},{{from={dismiss_at},p=1.0}}]"),
    ];
    let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
    let seed = seed_with_initial_dur(&sets, 10);
    let mut all = sets.clone();
    let s = format!("seed={seed}");
    all.push(&s);
    let (plan, r) = simulate_one(&one_person(&all));
    let p = Factory::new(&plan, 0).initial_ly(0);
    assert_eq!((p.dur, p.cap_months), (10, 10), "10 months of LY so far");
    (plan, r)
}

#[test]
fn duration_cap_a_nine_month_flexjob_restarts_the_count() {
    // Month 0: LY (the 11th LY month). Months 1–10: flexjob, 9 completed
    // months by the end of month 9, dismissed in job month 9 (month 10).
    // Months 11–20: LY again, 10 more months: 21 LY months in all, but the
    // flexjob in between restarts the count, so every LY month is refunded.
    let (plan, r) = capped_with_job(9, 21);
    assert_eq!(value(&r, 0, "hires"), 1.0);
    assert_eq!(value(&r, 10, "dismissals"), 1.0);
    for t in 0..21 {
        let on_ly = t == 0 || t >= 11;
        let want_stock = if (0..10).contains(&t) {
            (0.0, 1.0)
        } else {
            (1.0, 0.0)
        };
        let stocks = (value(&r, t, "ly_stock"), value(&r, t, "flex_stock"));
        assert_eq!(stocks, want_stock, "month {t}: (ly, flex) at the end");
        let ly = if on_ly { ly_amount(&plan, t) } else { 0.0 };
        check_rel(
            &format!("month {t} cost_ly"),
            value(&r, t, "cost_ly"),
            ly,
            1e-12,
        );
        check_rel(
            &format!("month {t} refusion_ly"),
            value(&r, t, "refusion_ly"),
            0.30 * ly,
            1e-12,
        );
        let flex = value(&r, t, "cost_flex_subsidy");
        assert_eq!(flex > 0.0, !on_ly, "month {t}: flex subsidy {flex}");
        check_rel(
            &format!("month {t} refusion_flex"),
            value(&r, t, "refusion_flex"),
            0.65 * flex,
            1e-12,
        );
    }
}

#[test]
fn duration_cap_a_short_flexjob_does_not_restart_the_count() {
    // The same person dismissed in job month 5 (month 6): back on LY from
    // month 7 with 11 LY months counted, so refusion lapses after 7 more.
    let (plan, r) = capped_with_job(5, 17);
    assert_eq!(value(&r, 6, "dismissals"), 1.0);
    for t in 7..17 {
        let ly = ly_amount(&plan, t);
        let want = if t < 14 { 0.30 * ly } else { 0.0 };
        check_rel(
            &format!("month {t} refusion_ly"),
            value(&r, t, "refusion_ly"),
            want,
            1e-12,
        );
    }
}

// ---------------------------------------------------------- flex subsidy

/// One 2013-rules flexjob at `hours` through 2017, no progression, with
/// prior benefit weeks `weeks`.
fn one_job(hours: u8, weeks: u32, extra: &[&str]) -> (Plan, Replication) {
    let sets = [
        "start=2017-01".to_string(),
        "horizon_months=12".to_string(),
        "initial.ly=0".to_string(),
        "initial.flex=1".to_string(),
        format!("initial.hours=[{{from={hours},to={hours},share=1.0}}]"),
        format!("hours.ceiling=[{{from={hours},to={hours},share=1.0}}]"),
        format!("hours.start=[{{from={hours},to={hours},share=1.0}}]"),
        format!("money.refusion.prior_weeks=[{{from={weeks},to={weeks},share=1.0}}]"),
    ];
    let mut all: Vec<&str> = sets.iter().map(String::as_str).collect();
    all.extend_from_slice(extra);
    simulate_one(&one_person(&all))
}

#[test]
fn flex_subsidy_by_hours_on_both_sides_of_the_threshold() {
    // Earnings at 180 DKK: 5 h 3,900; 10 h 7,800; 18 h 14,040 (below the
    // threshold of 14,116); 19 h 14,820 and 20 h 15,600 (above it).
    for (hours, literal) in [
        (5u8, Some(18_027.0 - 0.30 * 3_900.0)),
        (10, Some(18_027.0 - 0.30 * 7_800.0)),
        (18, Some(18_027.0 - 0.30 * 14_040.0)),
        (19, None),
        (
            20,
            Some(18_027.0 - 0.30 * 14_116.0 - 0.55 * (15_600.0 - 14_116.0)),
        ),
    ] {
        let want = subsidy_2017(180.0, hours as f64);
        if let Some(l) = literal {
            check_rel(&format!("{hours} h by hand"), want, l, 1e-12);
        }
        let (plan, r) = one_job(hours, 100, &[]);
        for t in 0..plan.months {
            let at = format!("{hours} h, month {t}");
            assert_eq!(value(&r, t, "flex_stock"), 1.0, "{at}");
            check_rel(&at, value(&r, t, "cost_flex_subsidy"), want, 1e-12);
            // 100 benefit weeks: the staircase's last step.
            check_rel(&at, value(&r, t, "refusion_flex"), 0.20 * want, 1e-12);
            assert_eq!(value(&r, t, "cost_ly"), 0.0);
        }
    }
    check_rel("5 h", subsidy_2017(180.0, 5.0), 16_857.0, 1e-12);
    check_rel("10 h", subsidy_2017(180.0, 10.0), 15_687.0, 1e-12);
    check_rel("20 h", subsidy_2017(180.0, 20.0), 12_976.0, 1e-12);
}

#[test]
fn flex_subsidy_is_never_negative() {
    // 37 h at 500 DKK earn 80,167 DKK a month: the offset exceeds the maximum.
    assert_eq!(subsidy_2017(500.0, 37.0), 0.0);
    let (plan, r) = one_job(37, 100, &["money.wage_per_hour=500"]);
    for t in 0..plan.months {
        assert_eq!(value(&r, t, "cost_flex_subsidy"), 0.0, "month {t}");
        assert_eq!(value(&r, t, "refusion_flex"), 0.0, "month {t}");
        assert_eq!(value(&r, t, "net_municipal_cost"), 0.0, "month {t}");
    }
}

#[test]
fn flex_subsidy_refusion_at_the_flat_rate() {
    let want = subsidy_2017(180.0, 10.0);
    // Visitated before 1 July 2014: the old flat rate under the staircase.
    let (plan, r) = one_job(10, 100, &["money.refusion.initial_new_rules_share=0.0"]);
    for t in 0..plan.months {
        check_rel("cost", value(&r, t, "cost_flex_subsidy"), want, 1e-12);
        check_rel(
            "old rules",
            value(&r, t, "refusion_flex"),
            0.65 * want,
            1e-12,
        );
    }
    // The 2013–2015 rules: the flat rate for everyone, whatever the weeks.
    let (plan, r) = one_job(10, 0, &["money.refusion.regime=duration_cap"]);
    for t in 0..plan.months {
        check_rel("cost", value(&r, t, "cost_flex_subsidy"), want, 1e-12);
        check_rel(
            "duration cap",
            value(&r, t, "refusion_flex"),
            0.65 * want,
            1e-12,
        );
    }
}

#[test]
fn arrivals_are_priced_from_the_month_they_join() {
    // Visitations (on LY) and direct hires (10-hour flexjobs) join at the
    // start of the month, so they cost LY or flex subsidy in that month.
    let (plan, r) = simulate_one(&one_person(&[
        "start=2017-01",
        "horizon_months=12",
        "initial.ly=0",
        "inflow.visitations_per_month=3.0",
        "inflow.direct_per_month=2.0",
        "money.refusion.prior_weeks=[{from=100,to=100,share=1.0}]",
    ]));
    let (ly, sub) = (0.89 * dp_max(2017), subsidy_2017(180.0, 10.0));
    let (mut on_ly, mut in_job) = (0.0, 0.0);
    for t in 0..plan.months {
        on_ly += value(&r, t, "visitations");
        in_job += value(&r, t, "direct_hires");
        assert_eq!(value(&r, t, "ly_stock"), on_ly, "month {t}");
        assert_eq!(value(&r, t, "flex_stock"), in_job, "month {t}");
        check_rel("cost_ly", value(&r, t, "cost_ly"), on_ly * ly, 1e-12);
        check_rel(
            "refusion_ly",
            value(&r, t, "refusion_ly"),
            0.2 * on_ly * ly,
            1e-9,
        );
        let cost = value(&r, t, "cost_flex_subsidy");
        check_rel("cost_flex_subsidy", cost, in_job * sub, 1e-12);
        check_rel(
            "refusion_flex",
            value(&r, t, "refusion_flex"),
            0.2 * cost,
            1e-9,
        );
    }
    assert!(on_ly > 0.0 && in_job > 0.0, "no arrivals in a year");
}

// ------------------------------------------------------------ identities

fn check_identity_and_grant(rel: &str, grant: (fleksim::Month, fleksim::Month)) {
    let (plan, reps) = simulate(rel, &[], 10);
    for (k, r) in reps.iter().enumerate() {
        for t in 0..plan.months {
            let v = |n: &str| value(r, t, n);
            let net = v("cost_ly") + v("cost_flex_subsidy") + v("cost_old_scheme")
                - v("refusion_ly")
                - v("refusion_flex")
                + v("cost_staff_municipal")
                + v("cost_measures")
                + v("cost_exit")
                - v("refusion_exit");
            check_rel(
                &format!("{rel} replication {k} month {t}: net_municipal_cost"),
                v("net_municipal_cost"),
                net,
                1e-12,
            );
            let m = plan.scenario.month(t);
            let in_grant = grant.0 <= m && m <= grant.1;
            assert_eq!(
                v("cost_staff_grant") > 0.0,
                in_grant,
                "{rel} {m}: cost_staff_grant = {}",
                v("cost_staff_grant")
            );
            // The grant's lines are not the municipality's cost.
            assert!(v("cost_staff_municipal") > 0.0, "{rel} {m}");
        }
    }
}

#[test]
fn net_cost_is_the_sum_of_its_lines_and_the_grant_pays_in_its_months() {
    // The grant pays the 2 extra consultants in 2017 and the project leader
    // from 2017-01 to 2018-06.
    let m = |s: &str| fleksim::Month::parse(s).unwrap();
    let grant = (m("2017-01"), m("2018-06"));
    check_identity_and_grant(PROJECT, grant);
    check_identity_and_grant("scenarios/aalborg-permanent.toml", grant);
}

#[test]
fn permanent_pays_the_extra_consultants_itself_from_2018() {
    let (p, a) = simulate(PROJECT, &["horizon_months=28"], 1);
    let (_, b) = simulate(
        "scenarios/aalborg-permanent.toml",
        &["horizon_months=28"],
        1,
    );
    let per_month = 550_000.0 / 12.0;
    for t in 0..p.months {
        let m = p.scenario.month(t);
        let extra =
            value(&b[0], t, "cost_staff_municipal") - value(&a[0], t, "cost_staff_municipal");
        if m.year() < 2018 {
            assert_eq!(extra, 0.0, "{m}");
        } else {
            // Two consultants at the year's price index (DP-max, 2016 = 1).
            let idx = dp_max(m.year()) / dp_max(2016);
            check_rel(&format!("{m}"), extra, 2.0 * per_month * idx, 1e-12);
        }
    }
}

// ------------------------------------------------------------ properties

fn rate() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), Just(1.0), 0.0..=1.0f64]
}

fn money_sets() -> impl Strategy<Value = Vec<String>> {
    (
        prop_oneof![Just("staircase"), Just("duration_cap")],
        rate(),
        [rate(), rate(), rate(), rate()],
        (rate(), rate(), rate(), rate()),
        (0u32..200, 0u32..60),
        (0.0..600.0f64, 0u32..=1934, 0.0..=0.5f64, 0.0..=0.5f64),
        (any::<bool>(), 0.0..2_000.0f64, 0.0..60_000.0f64),
    )
        .prop_map(
            |(
                regime,
                new_share,
                stair,
                (fly, fly_active, fflex, old_ref),
                (w0, wspan),
                rest,
                pol,
            )| {
                let (wage, old, cash_c, cash_s) = rest;
                let (offers, measure, old_cost) = pol;
                vec![
                    "horizon_months=14".into(),
                    format!("money.refusion.regime={regime}"),
                    format!("money.refusion.initial_new_rules_share={new_share}"),
                    format!(
                        "money.refusion.staircase_rates=[{},{},{},{}]",
                        stair[0], stair[1], stair[2], stair[3]
                    ),
                    format!("money.refusion.flat_ly_rate={fly}"),
                    format!("money.refusion.flat_ly_rate_active={fly_active}"),
                    format!("money.refusion.flat_flex_rate={fflex}"),
                    format!("money.old_rules_refusion={old_ref}"),
                    format!("money.old_rules_monthly_cost={old_cost}"),
                    format!(
                        "money.refusion.prior_weeks=[{{from={w0},to={},share=1.0}}]",
                        w0 + wspan
                    ),
                    format!("money.wage_per_hour={wage}"),
                    format!("initial.old_rules={old}"),
                    format!("money.ly.cash_children_share={cash_c}"),
                    format!("money.ly.cash_single_share={cash_s}"),
                    format!("policy.jobclub.enabled={offers}"),
                    format!("policy.three_month_review.enabled={offers}"),
                    format!("money.measures.jobclub_per_participant_month={measure}"),
                    format!("money.measures.review_per_participant_month={measure}"),
                ]
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn refusion_never_exceeds_the_gross_amount_and_costs_are_not_negative(
        sets in money_sets()
    ) {
        let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
        let (plan, reps) = simulate(MARKOV, &sets, 2);
        for r in &reps {
            for t in 0..plan.months {
                let v = |n: &str| value(r, t, n);
                for line in [
                    "cost_ly", "cost_flex_subsidy", "cost_old_scheme", "refusion_ly",
                    "refusion_flex", "cost_staff_municipal", "cost_staff_grant",
                    "cost_measures",
                ] {
                    prop_assert!(v(line) >= 0.0, "month {t}: {line} = {}", v(line));
                }
                let slack = |x: f64| 1e-9 * x.max(1.0);
                prop_assert!(v("refusion_ly") <= v("cost_ly") + slack(v("cost_ly")),
                    "month {t}: refusion_ly {} > cost_ly {}", v("refusion_ly"), v("cost_ly"));
                let gross = v("cost_flex_subsidy") + v("cost_old_scheme");
                prop_assert!(v("refusion_flex") <= gross + slack(gross),
                    "month {t}: refusion_flex {} > {gross}", v("refusion_flex"));
                let net = v("cost_ly") + v("cost_flex_subsidy") + v("cost_old_scheme")
                    - v("refusion_ly") - v("refusion_flex")
                    + v("cost_staff_municipal") + v("cost_measures")
                    + v("cost_exit") - v("refusion_exit");
                prop_assert!((v("net_municipal_cost") - net).abs() <= 1e-9 * net.abs().max(1.0));
            }
        }
    }

    #[test]
    fn the_staircase_rate_never_rises_with_more_weeks(a in 0.0..200.0f64, b in 0.0..200.0f64) {
        let rates = [0.8, 0.4, 0.3, 0.2];
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (x, y) = (
            fleksim::money::staircase_share(lo, &rates),
            fleksim::money::staircase_share(hi, &rates),
        );
        prop_assert!(y <= x + 1e-12, "share({hi}) = {y} > share({lo}) = {x}");
        for s in [x, y] {
            prop_assert!((0.2 - 1e-12..=0.8 + 1e-12).contains(&s), "share {s}");
        }
        check_close("library vs rules", x, expected_share(lo), 1e-12);
    }
}

// ------------------------------------------------------------- bad input

fn refused_money(set: &str, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut cmd = fleksim();
    cmd.args(["run", MARKOV, "--set", set, "--quiet", "--out"])
        .arg(&out);
    refused(cmd, needles);
    assert!(!out.exists(), "--out was created for `{set}`");
}

#[test]
fn negative_wage_is_refused() {
    refused_money(
        "money.wage_per_hour=-1",
        &["money.wage_per_hour", "negative"],
    );
}

#[test]
fn refusion_rate_above_one_is_refused() {
    refused_money(
        "money.refusion.flat_ly_rate=1.5",
        &["money.refusion.flat_ly_rate", "0 to 1"],
    );
    refused_money(
        "money.refusion.staircase_rates=[0.8,0.4,0.3,1.2]",
        &["money.refusion.staircase_rates[3]"],
    );
}

#[test]
fn unknown_regime_is_refused() {
    refused_money(
        "money.refusion.regime=bogus",
        &[
            "money.refusion.regime",
            "bogus",
            "staircase",
            "duration_cap",
        ],
    );
}

#[test]
fn two_regime_changes_in_one_month_are_refused() {
    refused_money(
        r#"money.refusion.changes=[{from="2017-01",regime="staircase"},{from="2017-01",regime="duration_cap"}]"#,
        &["money.refusion.changes[1].from"],
    );
}

#[test]
fn law_year_given_twice_is_refused() {
    refused_money(
        "money.law=[{year=2017,dp_max=18403.0,subsidy_max=18027.0,threshold=14116.0},\
         {year=2017,dp_max=1.0,subsidy_max=1.0,threshold=1.0}]",
        &["money.law[1].year", "twice"],
    );
}

#[test]
fn overlapping_project_cost_lines_of_one_name_are_refused() {
    // Consecutive lines of one name, and overlapping lines of two names, are fine.
    let dir = tempfile::tempdir().unwrap();
    for ok in [
        r#"money.project_costs=[{name="leader",amount=1.0,from="2017-01",to="2017-05"},{name="leader",amount=1.0,from="2017-06",to="2018-06"}]"#,
        r#"money.project_costs=[{name="leader",amount=1.0,from="2017-01",to="2017-12"},{name="training",amount=1.0,from="2017-06",to="2018-06"}]"#,
    ] {
        let mut cmd = fleksim();
        cmd.args([
            "run",
            MARKOV,
            "--set",
            ok,
            "--set",
            "horizon_months=2",
            "--replications",
            "1",
        ])
        .args(["--quiet", "--out"])
        .arg(dir.path().join("ok"));
        succeeds(cmd);
    }
    refused_money(
        r#"money.project_costs=[{name="leader",amount=100000.0,from="2017-01",to="2017-12"},{name="leader",amount=100000.0,from="2017-06",to="2018-06"}]"#,
        &["money.project_costs[1]", "overlaps"],
    );
}

// --------------------------------------------------------------- budget

#[test]
fn budget_has_every_year_and_summary_discounts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut cmd = fleksim();
    cmd.args(["run", PROJECT, "--replications", "20", "--quiet", "--out"])
        .arg(&out);
    succeeds(cmd);

    let budget = read_csv(&out.join("budget.csv"));
    assert_eq!(budget[0].join(","), "year,metric,mean,p05,p50,p95,months");
    let monthly = read_csv(&out.join("monthly.csv"));
    for year in 2016..=2026 {
        for metric in ["cost_ly", "refusion_ly", "net_municipal_cost"] {
            let row = budget
                .iter()
                .find(|r| r[0] == year.to_string() && r[1] == metric)
                .unwrap_or_else(|| panic!("budget.csv lacks {year} {metric}"));
            let mean: f64 = row[2].parse().unwrap();
            assert!(mean > 0.0, "{year} {metric}: {mean}");
            // A flow's yearly mean is the sum of its monthly means.
            let sum: f64 = monthly
                .iter()
                .filter(|r| r[0].starts_with(&format!("{year}-")) && r[1] == metric)
                .map(|r| r[2].parse::<f64>().unwrap())
                .sum();
            // Each figure is written in whole kroner (±0.5).
            let months = monthly
                .iter()
                .filter(|r| r[0].starts_with(&format!("{year}-")) && r[1] == metric)
                .count() as f64;
            check_close(&format!("{year} {metric}"), mean, sum, 0.5 * (months + 1.0));
        }
    }
    let years: std::collections::BTreeSet<String> =
        budget[1..].iter().map(|r| r[0].clone()).collect();
    let want: std::collections::BTreeSet<String> = (2016..=2026).map(|y| y.to_string()).collect();
    assert_eq!(years, want, "budget.csv years");

    let summary = read_csv(&out.join("summary.csv"));
    let get = |name: &str| -> f64 {
        summary
            .iter()
            .find(|r| r[0] == name)
            .unwrap_or_else(|| panic!("summary.csv lacks {name}"))[1]
            .parse()
            .unwrap()
    };
    let (total, npv) = (
        get("net_municipal_cost_total"),
        get("net_municipal_cost_npv"),
    );
    assert!(npv > 0.0 && npv < total, "npv {npv} vs total {total}");
}
