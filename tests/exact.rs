//! The exact check: with every mechanism off (scenarios/markov-check.toml)
//! the expected stocks follow a linear recursion that the order of events
//! of docs/model.md ("Order of events within month `t`") gives by hand. The simulated means must match it within 4
//! standard errors.

mod common;

use common::*;
use fleksim::Scenario;

const REPLICATIONS: u64 = 400;
const MONTHS: [usize; 7] = [0, 1, 6, 12, 24, 48, 59];

/// The single monthly probability of a one-step hazard.
fn single(name: &str, steps: &[fleksim::scenario::Step]) -> f64 {
    assert_eq!(steps.len(), 1, "{name} must have one step in markov-check");
    assert_eq!(steps[0].from, 0, "{name} must start at 0");
    steps[0].monthly()
}

/// Expected values per month, by the recursion of docs/model.md: arrivals join at
/// the start of the month and are exposed to that month's risks; stocks are
/// recorded at the end of the month.
struct Expected {
    ly: Vec<f64>,
    flex: Vec<f64>,
    hires: Vec<f64>,
    dismissals: Vec<f64>,
    exits_ly: Vec<f64>,
    exits_flex: Vec<f64>,
}

fn expected(s: &Scenario) -> Expected {
    // The recursion holds only with every mechanism off.
    assert_eq!(s.ly.frailty_shape, 0.0, "no frailty");
    assert_eq!(s.staffing.elasticity, 0.0, "no capacity effect");
    assert_eq!(s.initial.old_rules, 0, "no old-rules group");
    let p = &s.policy;
    assert!(
        !(p.jobclub.enabled
            || p.three_month_review.enabled
            || p.rehab_meeting.enabled
            || p.followup.enabled
            || p.screening.enabled),
        "no policies"
    );
    let lv = s.inflow.visitations_per_month;
    let ld = s.inflow.direct_per_month;
    let pf = single("ly.find_job", &s.ly.find_job);
    let px = single("ly.exit", &s.ly.exit);
    let pd = single("flex.dismissal", &s.flex.dismissal);
    let pfx = single("flex.exit", &s.flex.exit);
    assert!(pf + px <= 1.0 && pd + pfx <= 1.0);

    let (mut ly, mut f) = (s.initial.ly as f64, s.initial.flex as f64);
    let n = s.horizon_months as usize;
    let mut e = Expected {
        ly: Vec::with_capacity(n),
        flex: Vec::with_capacity(n),
        hires: Vec::with_capacity(n),
        dismissals: Vec::with_capacity(n),
        exits_ly: Vec::with_capacity(n),
        exits_flex: Vec::with_capacity(n),
    };
    for _ in 0..n {
        let a = ly + lv;
        let b = f + ld;
        ly = a * (1.0 - pf - px) + b * pd;
        f = b * (1.0 - pd - pfx) + a * pf;
        e.ly.push(ly);
        e.flex.push(f);
        e.hires.push(a * pf);
        e.dismissals.push(b * pd);
        e.exits_ly.push(a * px);
        e.exits_flex.push(b * pfx);
    }
    e
}

fn within_4_se(reps: &[fleksim::engine::Replication], t: usize, name: &str, want: f64) {
    let (mean, se) = mean_se(&across(reps, t, name));
    // A floor for months where the value cannot vary.
    let tol = 4.0 * se + 1e-9;
    check_close(&format!("mean {name} in month {t}"), mean, want, tol);
}

fn markov() -> (fleksim::Plan, Vec<fleksim::engine::Replication>) {
    simulate(MARKOV, &[], REPLICATIONS)
}

#[test]
fn stocks_match_the_exact_recursion() {
    let (plan, reps) = markov();
    let e = expected(&plan.scenario);
    assert_eq!(plan.months, 60);
    for &t in &MONTHS {
        within_4_se(&reps, t, "ly_stock", e.ly[t]);
        within_4_se(&reps, t, "flex_stock", e.flex[t]);
    }
}

#[test]
fn flows_match_the_exact_recursion() {
    let (plan, reps) = markov();
    let s = &plan.scenario;
    let e = expected(s);
    for &t in &MONTHS {
        within_4_se(&reps, t, "visitations", s.inflow.visitations_per_month);
        within_4_se(&reps, t, "direct_hires", s.inflow.direct_per_month);
        within_4_se(&reps, t, "hires", e.hires[t]);
        within_4_se(&reps, t, "dismissals", e.dismissals[t]);
        within_4_se(&reps, t, "exits_ly", e.exits_ly[t]);
        within_4_se(&reps, t, "exits_flex", e.exits_flex[t]);
    }
}

#[test]
fn ly_share_is_a_share_and_close_to_the_ratio_of_stocks() {
    let (plan, reps) = markov();
    let e = expected(&plan.scenario);
    for r in &reps {
        for t in 0..plan.months {
            let share = value(r, t, "ly_share");
            assert!(
                (0.0..=1.0).contains(&share),
                "ly_share {share} in month {t}"
            );
        }
    }
    for &t in &MONTHS {
        let (mean, se) = mean_se(&across(&reps, t, "ly_share"));
        let ratio = e.ly[t] / (e.ly[t] + e.flex[t]);
        // The mean of a ratio differs from the ratio of means by a little.
        check_close(
            &format!("mean ly_share in month {t}"),
            mean,
            ratio,
            4.0 * se + 0.002,
        );
    }
}

/// The recursion uses the scenario's own numbers, so the test follows the
/// file; overriding them must move the simulation with it.
#[test]
fn recursion_follows_overridden_parameters() {
    let sets = [
        "inflow.visitations_per_month=40",
        "inflow.direct_per_month=0",
        "initial.ly=100",
        "initial.flex=300",
        "ly.find_job=[{from=0,p=0.2}]",
        "ly.exit=[{from=0,p_year=0.3}]",
        "flex.dismissal=[{from=0,p=0.03}]",
        "flex.exit=[{from=0,p=0.02}]",
        "horizon_months=24",
    ];
    let (plan, reps) = simulate(MARKOV, &sets, 300);
    let e = expected(&plan.scenario);
    for t in [0, 1, 6, 12, 23] {
        within_4_se(&reps, t, "ly_stock", e.ly[t]);
        within_4_se(&reps, t, "flex_stock", e.flex[t]);
    }
}

/// Model v2's four-state check (scenarios/markov-exits.toml): LY and
/// flexjobs as above, exits split by fixed shares into two priced exit
/// states, and people leaving førtidspension for `gone`. The exit stocks,
/// the month's exit cost and refusion (priced on the stock at the start of
/// the month) and the public purse's tax on exit earnings follow the
/// recursion by hand.
#[test]
fn exit_states_match_the_exact_recursion() {
    let (plan, reps) = simulate("scenarios/markov-exits.toml", &[], REPLICATIONS);
    let s = &plan.scenario;
    let e = expected(s);
    let share = |steps: &[fleksim::states::Shares], name: &str| steps[0].shares[name];
    let (s_ly, s_flex) = (
        share(&s.ly.exit_to, "fortidspension"),
        share(&s.flex.exit_to, "fortidspension"),
    );
    let (fp, other) = (&s.states["fortidspension"], &s.states["other"]);
    let names: Vec<&str> = plan.exit_states.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["fortidspension", "other", "gone"]);
    let rate = s.money.tax.income_rate;
    let (mut x_fp, mut x_other, mut x_gone) = (0.0, 0.0, 0.0);
    for t in 0..plan.months {
        let pr = &plan.prices[t];
        let (c_fp, c_other) = (x_fp * pr.exit_cost[0], x_other * pr.exit_cost[1]);
        let earnings = x_other * pr.exit_earnings[1];
        let (to_ly, to_flex) = (e.exits_ly[t], e.exits_flex[t]);
        x_gone += x_fp * fp.leave;
        x_fp = x_fp * (1.0 - fp.leave) + to_ly * s_ly + to_flex * s_flex;
        x_other += to_ly * (1.0 - s_ly) + to_flex * (1.0 - s_flex);
        if !MONTHS.contains(&t) {
            continue;
        }
        within_4_se(&reps, t, "exit_stock", x_fp + x_other + x_gone);
        within_4_se(&reps, t, "cost_exit", c_fp + c_other);
        within_4_se(
            &reps,
            t,
            "refusion_exit",
            c_fp * fp.refusion + c_other * other.refusion,
        );
        // What the public purse nets out beyond the taxes on the month's
        // wages, LY, subsidy and exit benefits: the tax on exit earnings.
        let rest: Vec<f64> = reps
            .iter()
            .map(|r| {
                let v = |m: &str| value(r, t, m);
                let gross = v("cost_ly")
                    + v("cost_flex_subsidy")
                    + v("cost_old_scheme")
                    + v("cost_exit")
                    + v("cost_staff_municipal")
                    + v("cost_staff_grant")
                    + v("cost_measures");
                let taxed =
                    v("wages_flex") + v("cost_ly") + v("cost_flex_subsidy") + v("cost_exit");
                v("net_public_cost") - (gross - rate * taxed)
            })
            .collect();
        let (mean, se) = mean_se(&rest);
        check_close(
            &format!("tax on exit earnings in month {t}"),
            mean,
            -rate * earnings,
            4.0 * se + 1e-6,
        );
    }
}

/// `tax_municipal` is the municipal rate on the month's flexjob wages, and
/// wages are those of the hours held at the month's start.
#[test]
fn municipal_tax_is_the_rate_on_flexjob_wages() {
    let (plan, reps) = simulate("scenarios/markov-exits.toml", &[], 5);
    let rate = plan.scenario.money.tax.municipal_rate;
    assert!(rate > 0.0);
    for r in &reps {
        for t in 0..plan.months {
            let wages = value(r, t, "wages_flex");
            assert!(wages > 0.0, "month {t}: flexjobs earn wages");
            check_close(
                &format!("tax_municipal in month {t}"),
                value(r, t, "tax_municipal"),
                wages * rate,
                1e-9 * wages,
            );
        }
    }
}

/// Cohorts (docs/model.md, "Cohorts"): the initial LY stock of the
/// four-state scenario, followed as a cohort, is where one person's Markov
/// chain puts them: after `k + 1` months of exposure, on LY, in a flexjob,
/// or gone to each exit state by its share. The shares of every
/// replication sum to 1.
#[test]
fn a_cohort_follows_the_chain_of_one_person() {
    let text = text("scenarios/markov-exits.toml")
        + "\n[[cohorts]]\nname = \"start\"\nstate = \"ly\"\nentry = \"stock\"\nfrom = \"2016-09\"\nmonths = 24\n";
    let scenario = try_load_str(&text, &[]).expect("the cohort is accepted");
    let plan = plan(&scenario);
    let reps = run(&plan, REPLICATIONS);
    let s = &plan.scenario;
    let states = &plan.cohorts.states;
    assert_eq!(
        states,
        &["ly", "flex", "old_rules", "fortidspension", "other", "gone"]
    );
    let width = states.len() + 1;
    let pf = s.ly.find_job[0].monthly();
    let px = s.ly.exit[0].monthly();
    let pd = s.flex.dismissal[0].monthly();
    let pfx = s.flex.exit[0].monthly();
    let s_ly = s.ly.exit_to[0].shares["fortidspension"];
    let s_flex = s.flex.exit_to[0].shares["fortidspension"];
    let leave = s.states["fortidspension"].leave;
    // [ly, flex, fortidspension, other, gone]
    let mut v = [1.0, 0.0, 0.0, 0.0, 0.0];
    for k in 0..=24 {
        v = [
            v[0] * (1.0 - pf - px) + v[1] * pd,
            v[1] * (1.0 - pd - pfx) + v[0] * pf,
            v[2] * (1.0 - leave) + v[0] * px * s_ly + v[1] * pfx * s_flex,
            v[3] + v[0] * px * (1.0 - s_ly) + v[1] * pfx * (1.0 - s_flex),
            v[4] + v[2] * leave,
        ];
        for r in &reps {
            let row = &r.cohorts[k * width..(k + 1) * width];
            // The stock at the start of month 0: the initial stock and the
            // month's visitations, all observed at every k.
            assert!(
                row[width - 1] >= s.initial.ly as f64,
                "every member observed"
            );
            assert_eq!(row[width - 1], r.cohorts[width - 1], "members at month {k}");
            let sum: f64 = row[..width - 1].iter().sum();
            check_close(&format!("shares at month {k}"), sum, 1.0, 1e-9);
        }
        // Cohort members go to `gone` only by way of exit-state leave,
        // which a cohort does not follow: they stay where they left to.
        let want = [v[0], v[1], 0.0, v[2] + v[4], v[3], 0.0];
        for (i, name) in states.iter().enumerate() {
            let shares: Vec<f64> = reps.iter().map(|r| r.cohorts[k * width + i]).collect();
            let (mean, se) = mean_se(&shares);
            check_close(
                &format!("share in {name} {k} months after entry"),
                mean,
                want[i],
                4.0 * se + 1e-9,
            );
        }
    }
}

/// Inflows that change at a dated point (model v2): the months before are
/// the same to the bit as without the change (each month's arrivals have
/// their own stream), and from the change on the arrivals have the new
/// mean.
#[test]
fn inflow_changes_at_their_month_and_nowhere_else() {
    let text =
        text(MARKOV) + "\n[[inflow.changes]]\nfrom = \"2018-01\"\nvisitations_per_month = 40.0\n";
    let changed = try_load_str(&text, &[]).expect("the change is accepted");
    let p = plan(&changed);
    let reps = run(&p, REPLICATIONS);
    let (_, base) = simulate(MARKOV, &[], REPLICATIONS);
    let first = p
        .scenario
        .start
        .months_until(fleksim::Month::new(2018, 1).expect("month")) as usize;
    for (a, b) in reps.iter().zip(&base) {
        for t in 0..first {
            assert_eq!(
                a.values[t * fleksim::metrics::N..(t + 1) * fleksim::metrics::N],
                b.values[t * fleksim::metrics::N..(t + 1) * fleksim::metrics::N],
                "month {t}"
            );
        }
        for t in first..p.months {
            assert_eq!(value(a, t, "direct_hires"), value(b, t, "direct_hires"));
        }
    }
    for t in [first, first + 12, p.months - 1] {
        within_4_se(&reps, t, "visitations", 40.0);
    }
}

/// Model v2's programme check (scenarios/markov-programme.toml): half the
/// exits from LY start a course of exactly 6 months, the programme takes
/// an inflow from outside and starts with participants spread evenly over
/// the months left of their course; at a course's end people go back to LY
/// or a flexjob, start a new course or go to førtidspension. The expected
/// stocks, flows and costs follow the recursion of docs/model.md
/// ("Programmes") by hand.
#[test]
fn a_programme_matches_the_exact_recursion() {
    let (plan, reps) = simulate("scenarios/markov-programme.toml", &[], REPLICATIONS);
    let s = &plan.scenario;
    let rf = &s.states["ressourceforlob"];
    assert_eq!(rf.course.len(), 1);
    let len = rf.course[0].from as usize;
    assert_eq!(rf.course[0].to as usize, len, "a course of fixed length");
    let end = |to: &str| rf.end_to[to];
    let to_rf = s.ly.exit_to[0].shares["ressourceforlob"];
    let names: Vec<&str> = plan.exit_states.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["fortidspension", "other", "ressourceforlob"]);
    let (pf, px) = (
        single("ly.find_job", &s.ly.find_job),
        single("ly.exit", &s.ly.exit),
    );
    let (pd, pfx) = (
        single("flex.dismissal", &s.flex.dismissal),
        single("flex.exit", &s.flex.exit),
    );
    let (lv, ld, inflow) = (
        s.inflow.visitations_per_month,
        s.inflow.direct_per_month,
        rf.inflow_per_month,
    );
    // Courses ending at the start of each month: the initial participants
    // have 1..=len months left, evenly.
    let mut ends = vec![0.0; plan.months + len + 1];
    for slot in ends.iter_mut().take(len + 1).skip(1) {
        *slot += rf.initial as f64 / len as f64;
    }
    let (mut ly, mut flex) = (s.initial.ly as f64, s.initial.flex as f64);
    let (mut prog, mut fp, mut other, mut pending) = (rf.initial as f64, 0.0, 0.0, 0.0);
    for t in 0..plan.months {
        // Step 1: courses end and start.
        let n = ends[t];
        prog -= n;
        let (back_ly, back_flex) = (n * end("ly"), n * end("flex"));
        let again = n * end("ressourceforlob");
        fp += n * end("fortidspension");
        prog += again + inflow;
        ends[t + len] += pending + again + inflow;
        let pr = &plan.prices[t];
        let cost = fp * pr.exit_cost[0] + other * pr.exit_cost[1] + prog * pr.exit_cost[2];
        let refusion = fp * pr.exit_cost[0] * s.states["fortidspension"].refusion
            + prog * pr.exit_cost[2] * rf.refusion;
        // Steps 3–4 on the scheme.
        let a = ly + lv + back_ly;
        let b = flex + ld + back_flex;
        ly = a * (1.0 - pf - px) + b * pd;
        flex = b * (1.0 - pd - pfx) + a * pf;
        let (xl, xf) = (a * px, b * pfx);
        pending = xl * to_rf;
        prog += pending;
        other += xl * (1.0 - to_rf) + xf;
        if !MONTHS.contains(&t) {
            continue;
        }
        within_4_se(&reps, t, "ly_stock", ly);
        within_4_se(&reps, t, "flex_stock", flex);
        within_4_se(&reps, t, "programme_stock", prog);
        within_4_se(&reps, t, "exit_stock", prog + fp + other);
        within_4_se(&reps, t, "programme_entries", inflow);
        within_4_se(&reps, t, "programme_returns", back_ly + back_flex);
        within_4_se(&reps, t, "cost_exit", cost);
        within_4_se(&reps, t, "refusion_exit", refusion);
    }
}
