//! Budget practice (issue 18): the payer split adds up for every month and
//! replication, the break-even multiplier of a scenario computable by hand,
//! and the budget year's and break-even's files and refusals.

mod common;

use common::*;
use fleksim::analysis::break_even::{self, Outcome, TOLERANCE};
use fleksim::payer::{self, Payer};
use fleksim::runner::Runner;
use fleksim::uncertain::Model;
use proptest::prelude::*;

fn cell(s: &[f64], line: &str, p: Payer) -> f64 {
    s[payer::index(line, p).unwrap()]
}

fn overrides() -> impl Strategy<Value = Vec<String>> {
    (
        prop_oneof![Just("staircase"), Just("duration_cap")],
        proptest::collection::vec(0.0..1.0f64, 4),
        0.0..1.0f64,
        0u32..4,
        0.0..3000.0f64,
        0.0..0.5f64,
        0.0..0.5f64,
        any::<[bool; 3]>(),
        1u32..=30,
    )
        .prop_map(
            |(regime, stairs, flat, grant, cost, muni, income, on, months)| {
                vec![
                    format!("money.refusion.regime=\"{regime}\""),
                    format!(
                        "money.refusion.staircase_rates=[{},{},{},{}]",
                        stairs[0], stairs[1], stairs[2], stairs[3]
                    ),
                    format!("money.refusion.flat_ly_rate={flat}"),
                    format!("money.old_rules_refusion={flat}"),
                    format!("staffing.additions=[{{count={grant},from=\"2016-10\",to=\"2017-06\",grant=true}}]"),
                    format!("money.measures.per_contact={cost}"),
                    format!("money.measures.jobclub_per_participant_month={cost}"),
                    format!("money.tax.municipal_rate={muni}"),
                    format!("money.tax.income_rate={income}"),
                    format!("policy.jobclub.enabled={}", on[0]),
                    format!("policy.followup.enabled={}", on[1]),
                    format!("policy.screening.enabled={}", on[2]),
                    format!("horizon_months={months}"),
                ]
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    /// kommune + stat = gross and service + transfers = the municipal net,
    /// for every month and replication, the municipal net being the
    /// engine's own `net_municipal_cost`.
    #[test]
    fn the_payer_split_adds_up(sets in overrides(), n in 1u64..=3) {
        let scenario = try_load_str(&text(PROJECT), &sets)
            .unwrap_or_else(|e| panic!("overrides {sets:?} refused: {e}"));
        let plan = plan(&scenario);
        for r in run_threads(&plan, n, 1) {
            for t in 0..plan.months {
                let row = &r.values[t * fleksim::metrics::N..(t + 1) * fleksim::metrics::N];
                let s = payer::split(row);
                let gross = cell(&s, "total", Payer::Gross);
                let kommune = cell(&s, "total", Payer::Kommune);
                let stat = cell(&s, "total", Payer::Stat);
                let tol = 1e-9 * gross.abs().max(1.0);
                prop_assert!((kommune + stat - gross).abs() <= tol,
                    "month {t}: kommune {kommune} + stat {stat} != gross {gross}");
                let service = cell(&s, "service", Payer::Kommune);
                let transfers = cell(&s, "transfers", Payer::Kommune);
                prop_assert!((service + transfers - kommune).abs() <= tol,
                    "month {t}: service {service} + transfers {transfers} != kommune {kommune}");
                // Each line's payers add up to its gross.
                for line in ["ly", "flex", "exit"] {
                    let g = cell(&s, line, Payer::Gross);
                    let k = cell(&s, line, Payer::Kommune) + cell(&s, line, Payer::Stat);
                    prop_assert!((g - k).abs() <= tol, "{line}: {k} != {g}");
                }
                // The public purse: gross less the income tax that comes back.
                let public = cell(&s, "total", Payer::Public);
                let back = cell(&s, "tax_back", Payer::Public);
                prop_assert!((gross - back - public).abs() <= tol);
            }
        }
    }
}

/// A scenario whose break-even is computable by hand: 2,000 people on LY,
/// no arrivals, no jobs, a constant exit hazard `H`, no refusion, within
/// one calendar year (one LY amount). The alternative adds one
/// intervention for everyone on LY that multiplies the exit hazard by 2
/// and costs `cost` a participant-month.
const H: f64 = 0.05;
const PEOPLE: f64 = 2000.0;

fn hand_scenario(name: &str, intervention: Option<(f64, f64)>) -> String {
    let mut s = format!(
        r#"name = "{name}"
start = "2019-01"
horizon_months = 12
replications = 200
seed = 7
[inflow]
visitations_per_month = 0.0
direct_per_month = 0.0
[initial]
ly = {PEOPLE}
flex = 0
old_rules = 0
[ly]
find_job = [{{ from = 0, p = 0.0 }}]
exit = [{{ from = 0, p = {H} }}]
frailty_shape = 0.0
[flex]
dismissal = [{{ from = 0, p = 0.0 }}]
exit = [{{ from = 0, p = 0.0 }}]
[staffing]
consultants = 13
elasticity = 0.0
[money.refusion]
staircase_rates = [0.0, 0.0, 0.0, 0.0]
flat_ly_rate = 0.0
flat_ly_rate_active = 0.0
"#
    );
    if let Some((exit, cost)) = intervention {
        s.push_str(&format!(
            "[[interventions]]\nname = \"exit-help\"\nstate = \"ly\"\nmonths = 12\nexit = {exit}\ncost_per_month = {cost}\n"
        ));
    }
    s
}

/// Expected person-months on LY in 12 months at exit hazard `x`, counted
/// at the start of each month (when LY and the intervention are paid):
/// `Σ_{t<12} (1 − x)^t`.
fn months_on_ly(x: f64) -> f64 {
    (1.0 - (1.0 - x).powi(12)) / x
}

fn search(alt: Option<(f64, f64)>) -> break_even::BreakEven {
    let dir = tempfile::tempdir().unwrap();
    let base = write_file(dir.path(), "base.toml", &hand_scenario("base", None));
    let alt = write_file(dir.path(), "alt.toml", &hand_scenario("alt", alt));
    let models = [
        Model::load(&base, &[]).unwrap(),
        Model::load(&alt, &[]).unwrap(),
    ];
    let names = ["base".to_string(), "alt".to_string()];
    let runner = Runner::new(2).unwrap();
    let mut out = break_even::search(&models, &names, 200, &runner, &|| ()).unwrap();
    out.remove(0)
}

#[test]
fn the_break_even_multiplier_of_a_constant_hazard_matches_the_hand_computation() {
    // LY in 2019: 89 % of DP-max 18,866.
    let ly = 0.89 * 18_866.0;
    let cost = 2000.0;
    // Break-even where (ly + cost) · S(H (1 + m)) = ly · S(H): S falls in
    // its hazard, so bisection by hand (to 1e-9) gives m.
    let target = ly * months_on_ly(H) / (ly + cost);
    let (mut a, mut b) = (0.0, 10.0);
    while b - a > 1e-9 {
        let m = 0.5 * (a + b);
        if months_on_ly(H * (1.0 + m)) > target {
            a = m;
        } else {
            b = m;
        }
    }
    let hand = 0.5 * (a + b);
    assert!((0.3..0.6).contains(&hand), "hand {hand}");
    let be = search(Some((2.0, cost)));
    assert_eq!(be.outcome, Outcome::Found);
    let m = be.multiplier.unwrap();
    // Within the tolerance plus the chance of 200 replications of 2,000
    // people (about 0.003 in the multiplier).
    assert!(
        (m - hand).abs() <= TOLERANCE / 2.0 + 0.015,
        "simulated {m}, by hand {hand}"
    );
    let (lo, hi) = (be.lower.unwrap(), be.upper.unwrap());
    assert!(lo < m && m < hi, "{lo} < {m} < {hi}");
    // The search stopped within its tolerance: some evaluated multiplier
    // lies within TOLERANCE of the one reported.
    assert!(be
        .points
        .iter()
        .any(|p| (p.multiplier - m).abs() <= TOLERANCE));
}

#[test]
fn a_search_says_when_no_multiplier_in_range_breaks_even() {
    // So dear that even ten times the effect does not pay.
    let dear = search(Some((2.0, 200_000.0)));
    assert_eq!(dear.outcome, Outcome::DearerThroughout);
    assert_eq!(dear.multiplier, None);
    assert!(break_even::text(&dear).contains("no multiplier from 0 to 10 breaks even"));
    // No effect at all: nothing to scale.
    let none = search(Some((1.0, 2000.0)));
    assert_eq!(none.outcome, Outcome::NoEffects);
    let csv = String::from_utf8(break_even::csv(&[dear, none]).unwrap()).unwrap();
    assert_eq!(csv, "scenario,multiplier,lower,upper\nalt,,,\nalt,,,\n");
}

#[test]
fn compare_writes_the_budget_files_and_refuses_a_budget_year_outside_the_horizon() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    let mut cmd = fleksim();
    cmd.args([
        "compare",
        root("scenarios/aalborg-baseline.toml").to_str().unwrap(),
        root("scenarios/aalborg-permanent.toml").to_str().unwrap(),
        "--replications",
        "4",
        "--quiet",
        "--budget-year",
        "2018",
        "--break-even",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stdout = succeeds(cmd);
    assert!(stdout.contains("Break-even"), "{stdout}");
    assert!(stdout.contains("Budget year 2018"), "{stdout}");
    let head = |f: &str| {
        std::fs::read_to_string(out.join(f))
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(head("break_even.csv"), "scenario,multiplier,lower,upper");
    assert!(head("budget_year.csv").starts_with("scenario,year,role,months,period,"));
    assert!(head("budget_levels.csv").contains("baseline,alternative,diff_mean"));
    assert!(head("runs/aalborg-permanent/payer.csv").starts_with("period,months,line,payer,frame"));
    let years = std::fs::read_to_string(out.join("budget_year.csv")).unwrap();
    assert!(years.contains("aalborg-permanent,2018,budget_year,12,grant+permanent,"));
    assert!(years.contains("aalborg-permanent,2021,overslagsaar_3,12,permanent,"));
    assert!(!years.contains(",2022,"));

    let out2 = dir.path().join("cmp2");
    let mut cmd = fleksim();
    cmd.args([
        "compare",
        root("scenarios/aalborg-baseline.toml").to_str().unwrap(),
        root("scenarios/aalborg-project.toml").to_str().unwrap(),
        "--replications",
        "2",
        "--budget-year",
        "2024",
        "--out",
        out2.to_str().unwrap(),
    ]);
    refused(
        cmd,
        &[
            "--budget-year 2024",
            // September 2016 to August 2026: the whole calendar years.
            "whole years 2017 to 2025",
            "use a year from 2017 to 2022",
        ],
    );
    assert!(!out2.exists(), "nothing written");
}

#[test]
fn observed_figures_outside_the_band_are_listed_and_bad_lines_refused() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    let mut cmd = fleksim();
    cmd.args([
        "run",
        root(MARKOV).to_str().unwrap(),
        "--replications",
        "20",
        "--quiet",
    ])
    .arg("--out")
    .arg(&run);
    succeeds(cmd);
    // The band of ly_stock in 2017-03 from the run's own monthly.csv.
    let monthly = std::fs::read_to_string(run.join("monthly.csv")).unwrap();
    let row: Vec<f64> = monthly
        .lines()
        .find(|l| l.starts_with("2017-03,ly_stock,"))
        .unwrap()
        .split(',')
        .skip(2)
        .map(|v| v.parse().unwrap())
        .collect();
    let (p05, p50, p95) = (row[1], row[2], row[3]);
    let obs = write_file(
        dir.path(),
        "obs.csv",
        &format!(
            "month,metric,value,lower,upper\n2017-03,ly_stock,{p50},,\n2017-04,ly_stock,{},,\n",
            p95 + 500.0
        ),
    );
    let out = dir.path().join("r.html");
    let mut cmd = fleksim();
    cmd.arg("report")
        .arg(&run)
        .arg("--observed")
        .arg(&obs)
        .arg("--out")
        .arg(&out);
    succeeds(cmd);
    let page = std::fs::read_to_string(&out).unwrap();
    let i = page.find("Observed months outside the 90 % band").unwrap();
    let listed = &page[i..];
    assert!(listed.contains("April 2017"), "outside flagged");
    assert!(
        !listed.contains("March 2017"),
        "inside not flagged (band {p05} – {p95})"
    );
    // Danish too.
    let mut cmd = fleksim();
    cmd.arg("report")
        .arg(&run)
        .arg("--observed")
        .arg(&obs)
        .arg("--lang")
        .arg("da")
        .arg("--out")
        .arg(dir.path().join("da.html"));
    succeeds(cmd);
    let da = std::fs::read_to_string(dir.path().join("da.html")).unwrap();
    assert!(da.contains("Observerede måneder uden for 90 %-båndet") && da.contains("april 2017"));
    for (text, needles) in [
        (
            "month,metric,value\n2017-03,ly_stock,1\n2031-01,ly_stock,2\n",
            ["line 3", "field `month` is 2031-01"],
        ),
        (
            "month,metric,value\n2017-03,ly_stok,1\n",
            ["line 2", "field `metric` is `ly_stok`"],
        ),
        (
            "month,metric,value\n2017-03,ly_stock,many\n",
            ["line 2", "field `value` is `many`"],
        ),
    ] {
        let bad = write_file(dir.path(), "bad.csv", text);
        let target = dir.path().join("bad.html");
        let mut cmd = fleksim();
        cmd.arg("report")
            .arg(&run)
            .arg("--observed")
            .arg(&bad)
            .arg("--out")
            .arg(&target);
        let mut all = needles.to_vec();
        all.push("bad.csv");
        refused(cmd, &all);
        assert!(!target.exists(), "no page written");
    }
}
