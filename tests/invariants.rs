//! Conservation laws that hold in every replication and month, and
//! properties that hold over random but valid scenarios.

mod common;

use common::*;
use fleksim::engine::Replication;
use fleksim::population::{start_job, Factory};
use fleksim::Plan;
use proptest::prelude::*;

const BANDS: [&str; 5] = [
    "flex_h01_05",
    "flex_h06_10",
    "flex_h11_15",
    "flex_h16_20",
    "flex_h21_37",
];

const STOCKS: [&str; 14] = [
    "ly_stock",
    "ly_stock_le6m",
    "flex_stock",
    "flex_le10h",
    "flex_old_rules",
    "flex_h01_05",
    "flex_h06_10",
    "flex_h11_15",
    "flex_h16_20",
    "flex_h21_37",
    "progression_base",
    "programme_stock",
    "programme_entries",
    "programme_returns",
];

const FLOWS: [&str; 10] = [
    "visitations",
    "direct_hires",
    "hires",
    "hires_le10h",
    "dismissals",
    "exits_ly",
    "exits_flex",
    "hours_up",
    "hours_down",
    "contacts",
];

const COSTS: [&str; 12] = [
    "cost_ly",
    "cost_flex_subsidy",
    "cost_old_scheme",
    "refusion_ly",
    "refusion_flex",
    "cost_staff_municipal",
    "cost_staff_grant",
    "cost_measures",
    "cost_exit",
    "refusion_exit",
    "wages_flex",
    "tax_municipal",
];

/// Stocks move only by the month's flows, and nobody is lost: everyone
/// who was ever in the scheme or a declared state is on LY, in a flexjob
/// or in a declared state (exit or programme).
fn check_conservation(plan: &Plan, rep: usize, r: &Replication) {
    let s = &plan.scenario;
    let (mut ly, mut flex) = (s.initial.ly as f64, s.initial.flex as f64);
    let declared: f64 = s.states.values().map(|d| d.initial as f64).sum();
    let mut everyone = ly + flex + declared;
    let mut outside = declared;
    for t in 0..plan.months {
        let v = |n: &str| value(r, t, n);
        everyone += v("visitations") + v("direct_hires") + v("programme_entries");
        outside +=
            v("exits_ly") + v("exits_flex") + v("programme_entries") - v("programme_returns");
        assert_eq!(
            v("ly_stock") + v("flex_stock") + v("exit_stock"),
            everyone,
            "replication {rep}, month {t}: people were lost or made"
        );
        assert!(
            v("exit_stock") == outside,
            "replication {rep}, month {t}: exit_stock is not the initial stocks plus exits, \
             entries from outside less returns so far"
        );
        assert!(
            v("programme_stock") <= v("exit_stock"),
            "replication {rep}, month {t}: programme_stock is more than exit_stock"
        );
        let both = ly + flex + v("visitations") + v("direct_hires") + v("programme_returns")
            - v("exits_ly")
            - v("exits_flex");
        assert_eq!(
            v("ly_stock") + v("flex_stock"),
            both,
            "replication {rep}, month {t}: the scheme is not last month's plus inflows minus outflows"
        );
        // Returns from programmes go to LY or a flexjob; with none, each
        // stock balances on its own.
        if v("programme_returns") == 0.0 {
            let want_ly = ly + v("visitations") + v("dismissals") - v("hires") - v("exits_ly");
            let want_flex =
                flex + v("direct_hires") + v("hires") - v("dismissals") - v("exits_flex");
            assert_eq!(
                v("ly_stock"),
                want_ly,
                "replication {rep}, month {t}: ly_stock is not last month's plus inflows minus outflows"
            );
            assert_eq!(
                v("flex_stock"),
                want_flex,
                "replication {rep}, month {t}: flex_stock is not last month's plus inflows minus outflows"
            );
        }
        ly = v("ly_stock");
        flex = v("flex_stock");
    }
}

/// The net cost is the sum of its lines.
fn check_net_cost(plan: &Plan, rep: usize, r: &Replication) {
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
            &format!("replication {rep}, month {t}: net_municipal_cost"),
            v("net_municipal_cost"),
            net,
            1e-9,
        );
    }
}

/// Ranges, shares, band sums and money bounds.
fn check_properties(plan: &Plan, rep: usize, r: &Replication) {
    for t in 0..plan.months {
        let at = |what: &str| format!("replication {rep}, month {t}: {what}");
        let v = |n: &str| value(r, t, n);
        for name in metric_names() {
            assert!(
                v(name).is_finite(),
                "{}",
                at(&format!("{name} is not finite"))
            );
        }
        for name in STOCKS.iter().chain(FLOWS.iter()) {
            let x = v(name);
            assert!(x >= 0.0, "{}", at(&format!("{name} = {x} < 0")));
            assert_eq!(
                x,
                x.round(),
                "{}",
                at(&format!("{name} = {x} is not whole"))
            );
        }
        let bands: f64 = BANDS.iter().map(|b| v(b)).sum();
        assert_eq!(
            bands,
            v("flex_stock") - v("flex_old_rules"),
            "{}",
            at("hour bands do not sum to the 2013-rules flex stock")
        );
        assert_eq!(
            v("flex_le10h"),
            v("flex_h01_05") + v("flex_h06_10"),
            "{}",
            at("flex_le10h is not the two lowest bands")
        );
        assert!(v("flex_le10h") <= v("flex_stock"), "{}", at("flex_le10h"));
        assert!(
            v("flex_old_rules") <= v("flex_stock"),
            "{}",
            at("old rules")
        );
        assert!(
            v("ly_stock_le6m") <= v("ly_stock"),
            "{}",
            at("ly_stock_le6m")
        );
        assert!(
            v("progression_base") <= v("flex_stock") - v("flex_old_rules"),
            "{}",
            at("progression_base exceeds the 2013-rules stock")
        );
        assert!(v("hires_le10h") <= v("hires"), "{}", at("hires_le10h"));
        for share in ["ly_share", "progression_share"] {
            let x = v(share);
            assert!(
                (0.0..=1.0).contains(&x),
                "{}",
                at(&format!("{share} = {x}"))
            );
        }
        let scheme = v("ly_stock") + v("flex_stock");
        if scheme > 0.0 {
            check_rel(
                &at("ly_share"),
                v("ly_share"),
                v("ly_stock") / scheme,
                1e-12,
            );
        }
        for name in COSTS {
            let x = v(name);
            assert!(x >= 0.0, "{}", at(&format!("{name} = {x} < 0")));
        }
        let slack = |x: f64| 1e-9 * x.abs().max(1.0);
        assert!(
            v("refusion_ly") <= v("cost_ly") + slack(v("cost_ly")),
            "{}",
            at("refusion_ly exceeds cost_ly")
        );
        let flex_cost = v("cost_flex_subsidy") + v("cost_old_scheme");
        assert!(
            v("refusion_flex") <= flex_cost + slack(flex_cost),
            "{}",
            at("refusion_flex exceeds the flexjob subsidies")
        );
        assert!(v("consultants") >= 0.0, "{}", at("consultants"));
        assert!(v("capacity") > 0.0, "{}", at("capacity"));
    }
}

fn check_all(plan: &Plan, reps: &[Replication]) {
    for (k, r) in reps.iter().enumerate() {
        check_conservation(plan, k, r);
        check_net_cost(plan, k, r);
        check_properties(plan, k, r);
    }
}

#[test]
fn project_conserves_people_and_money() {
    let (plan, reps) = simulate(PROJECT, &[], 50);
    assert_eq!(reps.len(), 50);
    check_all(&plan, &reps);
    // The scenario does exercise every flow somewhere.
    for name in FLOWS {
        let total: f64 = reps
            .iter()
            .flat_map(|r| (0..plan.months).map(move |t| value(r, t, name)))
            .sum();
        assert!(total > 0.0, "{name} never happens in aalborg-project");
    }
}

#[test]
fn baseline_and_markov_conserve_people_and_money() {
    for rel in [
        "scenarios/aalborg-baseline.toml",
        MARKOV,
        "scenarios/markov-exits.toml",
        "scenarios/markov-programme.toml",
    ] {
        let (plan, reps) = simulate(rel, &["horizon_months=36"], 20);
        check_all(&plan, &reps);
    }
}

/// The other programmes (issue 12): every state of the linked model, the
/// kontanthjælp programme with its ordinary jobs, and ressourceforløb with
/// a job broker acting in it.
#[test]
fn other_programmes_conserve_people_and_money() {
    for rel in [
        "scenarios/aalborg-linked.toml",
        "scenarios/aalborg-linked-baseline.toml",
        "scenarios/aalborg-kontanthjaelp-project.toml",
        "scenarios/hedensted-ressourceforloeb.toml",
    ] {
        let (plan, reps) = simulate(rel, &["horizon_months=48"], 20);
        check_all(&plan, &reps);
    }
}

#[test]
fn duration_cap_regime_conserves_money() {
    let (plan, reps) = simulate(
        PROJECT,
        &["horizon_months=36", "money.refusion.regime=duration_cap"],
        20,
    );
    check_all(&plan, &reps);
}

fn prob() -> impl Strategy<Value = f64> {
    prop_oneof![
        1 => Just(0.0),
        1 => Just(1.0),
        6 => 0.0..1.0f64,
    ]
}

fn small_prob() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 1 => prob(), 4 => 0.0..0.1f64]
}

fn steps<S: Strategy<Value = f64> + 'static>(p: fn() -> S) -> impl Strategy<Value = String> {
    prop_oneof![
        p().prop_map(|a| format!("[{{from=0,p={a}}}]")),
        (p(), 1u32..30, p()).prop_map(|(a, k, b)| format!("[{{from=0,p={a}}},{{from={k},p={b}}}]")),
    ]
}

/// Random but valid `--set` overrides of aalborg-project.
fn overrides() -> impl Strategy<Value = Vec<String>> {
    let population = (
        1u32..=36,
        0u64..1000,
        0.0..40.0f64,
        0.0..20.0f64,
        0u32..400,
        0u32..600,
        0.0..=1.0f64,
        prob(),
    )
        .prop_map(|(h, seed, v, d, ly, flex, old, prog)| {
            vec![
                format!("horizon_months={h}"),
                format!("seed={seed}"),
                format!("inflow.visitations_per_month={v}"),
                format!("inflow.direct_per_month={d}"),
                format!("initial.ly={ly}"),
                format!("initial.flex={flex}"),
                format!("initial.old_rules={}", (flex as f64 * old).floor() as u32),
                format!("initial.progressed_share={prog}"),
            ]
        });
    let hazards = (
        steps(prob),
        steps(small_prob),
        steps(small_prob),
        steps(small_prob),
        0.0..6.0f64,
    )
        .prop_map(|(find, exit, dis, fexit, frailty)| {
            // A shape is 0 (no frailty) or 0.001 to 1000 (validate).
            let frailty = if frailty < 1e-3 { 0.0 } else { frailty };
            vec![
                format!("ly.find_job={find}"),
                format!("ly.exit={exit}"),
                format!("flex.dismissal={dis}"),
                format!("flex.exit={fexit}"),
                format!("ly.frailty_shape={frailty}"),
            ]
        });
    let hours = (prob(), small_prob(), 1u8..=3, 0u8..=4, prob(), 0.0..3.0f64).prop_map(
        |(up, down, lo, extra, agree, mult)| {
            vec![
                format!("hours.p_up_organic={up}"),
                format!("hours.p_down={down}"),
                format!("hours.step_min={lo}"),
                format!("hours.step_max={}", lo + extra),
                format!("hours.agreement_share={agree}"),
                format!("hours.agreement_up_multiplier={mult}"),
            ]
        },
    );
    let policy = (
        0.0..25.0f64,
        0.0..2.0f64,
        any::<[bool; 5]>(),
        prob(),
        0.0..3.0f64,
        0.0..3.0f64,
        prop_oneof![Just("staircase"), Just("duration_cap")],
        prob(),
    )
        .prop_map(|(c, el, on, up, mult, eff, regime, refund)| {
            vec![
                format!("staffing.consultants={c}"),
                format!("staffing.elasticity={el}"),
                format!("policy.jobclub.enabled={}", on[0]),
                format!("policy.three_month_review.enabled={}", on[1]),
                format!("policy.rehab_meeting.enabled={}", on[2]),
                format!("policy.followup.enabled={}", on[3]),
                format!("policy.screening.enabled={}", on[4]),
                format!("policy.followup.p_up_contact={up}"),
                format!("policy.followup.dismissal_multiplier={mult}"),
                format!("policy.jobclub.effect={eff}"),
                format!("money.refusion.regime=\"{regime}\""),
                format!("money.old_rules_refusion={refund}"),
            ]
        });
    (population, hazards, hours, policy).prop_map(|(a, b, c, d)| {
        let mut v = a;
        v.extend(b);
        v.extend(c);
        v.extend(d);
        v
    })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 24,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_valid_scenarios_keep_every_invariant(sets in overrides(), n in 1u64..=5) {
        let scenario = try_load_str(&text(PROJECT), &sets)
            .unwrap_or_else(|e| panic!("overrides {sets:?} refused: {e}"));
        let plan = plan(&scenario);
        let reps = run_threads(&plan, n, 1);
        prop_assert_eq!(reps.len(), n as usize);
        check_all(&plan, &reps);
    }

    /// Next-event sampling (the default) gives the replications of
    /// monthly draws to the bit, whatever the scenario (docs/model.md,
    /// "Next-event sampling").
    #[test]
    fn random_valid_scenarios_give_the_same_replications_both_ways(
        sets in overrides(),
        n in 1u64..=4,
    ) {
        let mut monthly_sets = sets.clone();
        monthly_sets.push("sampling=monthly".into());
        let next = plan(&try_load_str(&text(PROJECT), &sets)
            .unwrap_or_else(|e| panic!("overrides {sets:?} refused: {e}")));
        let monthly = plan(&try_load_str(&text(PROJECT), &monthly_sets)
            .unwrap_or_else(|e| panic!("overrides {sets:?} refused: {e}")));
        prop_assert!(next.next_event && !monthly.next_event);
        let (a, b) = (run_threads(&next, n, 1), run_threads(&monthly, n, 1));
        for (x, y) in a.iter().zip(&b) {
            let same = x.values.iter().zip(&y.values).all(|(u, v)| u.to_bits() == v.to_bits());
            prop_assert!(same, "{:?}: the two samplings differ", sets);
            let same = x.cohorts.iter().zip(&y.cohorts).all(|(u, v)| u.to_bits() == v.to_bits());
            prop_assert!(same && x.cohorts.len() == y.cohorts.len(), "{:?}: cohorts differ", sets);
        }
    }

    /// A new job starts within 1 and the person's ceiling, whatever the
    /// draws, for every kind of person the factory makes.
    #[test]
    fn hours_stay_within_one_and_the_ceiling(
        sets in overrides(),
        rep in 0u64..100,
        draws in proptest::collection::vec((0.0..1.0f64, 0.0..1.0f64), 1..20),
    ) {
        let scenario = try_load_str(&text(PROJECT), &sets)
            .unwrap_or_else(|e| panic!("overrides {sets:?} refused: {e}"));
        let plan = plan(&scenario);
        let factory = Factory::new(&plan, rep);
        for (k, &(u, v)) in draws.iter().enumerate() {
            let t = k % plan.months;
            let mut p = factory.visitation(k as u64, t);
            prop_assert!(p.ceiling >= 1 && p.ceiling <= 37, "ceiling {}", p.ceiling);
            start_job(&mut p, &plan, u, v);
            prop_assert!(1 <= p.hours && p.hours <= p.ceiling, "hours {} ceiling {}", p.hours, p.ceiling);
            prop_assert_eq!(p.hours, p.start_hours);
            prop_assert_eq!(p.dur, 0);

            let d = factory.direct(k as u64, t);
            prop_assert!(1 <= d.hours && d.hours <= d.ceiling && d.ceiling <= 37,
                "direct hire: hours {} ceiling {}", d.hours, d.ceiling);

            let f = factory.initial_flex(k as u64);
            prop_assert!(1 <= f.start_hours && f.start_hours <= f.hours,
                "initial flex: start {} hours {}", f.start_hours, f.hours);
            prop_assert!(f.hours <= f.ceiling && f.ceiling <= 37,
                "initial flex: hours {} ceiling {}", f.hours, f.ceiling);
        }
    }
}

/// Policy durations are month counts; a huge one means "for the rest of the
/// spell or job". It must be refused or honoured, never wrap around.
#[test]
fn huge_policy_durations_are_refused_or_honoured() {
    let huge = u32::MAX;
    match try_load(
        PROJECT,
        &[&format!("policy.three_month_review.months={huge}")],
    ) {
        Err(e) => assert!(e.to_string().contains("policy.three_month_review.months")),
        Ok(s) => {
            // The review is the plan's second offer (after the jobclub):
            // in force from its start month to the longest spell.
            let p = plan(&s);
            let bit = 1u8 << 1;
            let t = p
                .offer_mask
                .iter()
                .position(|m| m.iter().any(|b| b & bit != 0))
                .expect("the review is never in force");
            let from = s.policy.three_month_review.start_month as usize;
            let mask = &p.offer_mask[t];
            assert_eq!(mask[from - 1] & bit, 0, "the review before its start month");
            assert!(
                mask[from..].iter().all(|b| b & bit != 0),
                "the review ends before the longest spell in month {t}"
            );
        }
    }
    match try_load(
        PROJECT,
        &[&format!("policy.followup.protect_months={huge}")],
    ) {
        Err(e) => assert!(e.to_string().contains("policy.followup.protect_months")),
        Ok(s) => {
            let p = plan(&s);
            let first = s.policy.followup.schedule[0];
            assert_eq!(
                p.protect_mask >> first,
                u64::MAX >> first,
                "protect mask {:b}",
                p.protect_mask
            );
        }
    }
}
