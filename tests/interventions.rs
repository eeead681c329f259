//! Model v2's interventions (docs/model.md, "Interventions"): places,
//! effects, costs and common random numbers.

mod common;

use common::*;
use fleksim::engine::Replication;

/// A scenario file's text with TOML appended, loaded and run.
fn with(rel: &str, extra: &str, n: u64) -> (fleksim::Plan, Vec<Replication>) {
    let text = text(rel) + "\n" + extra;
    let s = try_load_str(&text, &[]).unwrap_or_else(|e| panic!("{e}"));
    let p = plan(&s);
    let reps = run(&p, n);
    (p, reps)
}

/// Everyone on LY in an intervention that doubles job finding, for good:
/// the plain Markov chain with job finding doubled.
#[test]
fn an_intervention_for_everyone_is_the_chain_with_its_effect() {
    let iv = "[[interventions]]\nname = \"all\"\nstate = \"ly\"\nmonths = 1200\nfind_job = 2.0\n";
    let (p, reps) = with(MARKOV, iv, 400);
    let (_, plain) = simulate(MARKOV, &["ly.find_job=[{from=0,p=0.13}]"], 400);
    for t in [0, 1, 6, 12, 24, 59] {
        for name in ["ly_stock", "flex_stock", "hires"] {
            let (a, sa) = mean_se(&across(&reps, t, name));
            let (b, sb) = mean_se(&across(&plain, t, name));
            check_close(
                &format!("{name} in month {t}"),
                a,
                b,
                4.0 * (sa * sa + sb * sb).sqrt() + 1e-9,
            );
        }
        // Everyone on LY at the start of the month takes part in it.
        let r = &reps[0];
        let on_ly_before = if t == 0 {
            p.scenario.initial.ly as f64
        } else {
            value(r, t - 1, "ly_stock")
        } + value(r, t, "visitations");
        assert_eq!(value(r, t, "participants"), on_ly_before, "month {t}");
    }
}

/// An intervention without effect and without consultant time changes
/// nothing but its cost: it takes no random numbers, so every other figure
/// of every replication is the same to the bit, and the measures grow by
/// the participant-months at their price.
#[test]
fn an_intervention_without_effect_costs_and_changes_nothing_else() {
    let iv = "[[interventions]]\nname = \"idle\"\nstate = \"ly\"\nfrom = \"2017-01\"\nmin_months = 6\nmonths = 4\nplaces = 25\ncost_per_month = 1000.0\n";
    let (p, with_iv) = with(PROJECT, iv, 6);
    let (_, without) = simulate(PROJECT, &[], 6);
    let cost_lines = [
        "cost_measures",
        "net_municipal_cost",
        "net_public_cost",
        "participants",
    ];
    for (a, b) in with_iv.iter().zip(&without) {
        for t in 0..p.months {
            for name in metric_names() {
                if !cost_lines.contains(&name) {
                    assert_eq!(value(a, t, name), value(b, t, name), "{name} in month {t}");
                }
            }
            let extra = value(a, t, "cost_measures") - value(b, t, "cost_measures");
            let n = value(a, t, "participants");
            assert!(n <= 25.0, "month {t}: {n} participants in 25 places");
            check_close(
                &format!("measures in month {t}"),
                extra,
                n * p.prices[t].intervention[0],
                1e-6,
            );
        }
    }
    let total: f64 = (0..p.months)
        .map(|t| value(&with_iv[0], t, "participants"))
        .sum();
    assert!(
        total > 100.0,
        "the intervention took people: {total} participant-months"
    );
    // Nobody before the window.
    assert_eq!(value(&with_iv[0], 3, "participants"), 0.0);
}

/// The shipped mentor programme: never more than its places, nobody before
/// its window, and common random numbers against the baseline: until the
/// programme's first month the two scenarios are the same to the bit, and
/// the arrivals are the same in every month.
#[test]
fn the_mentor_programme_keeps_its_places_and_its_common_random_numbers() {
    let (p, mentor) = simulate("scenarios/ramboll-mentor.toml", &[], 20);
    let (_, base) = simulate("scenarios/aalborg-baseline.toml", &[], 20);
    let first = p
        .scenario
        .start
        .months_until(fleksim::Month::new(2017, 1).expect("month")) as usize;
    for (a, b) in mentor.iter().zip(&base) {
        for t in 0..p.months {
            assert!(value(a, t, "participants") <= 60.0, "month {t}");
            assert_eq!(value(a, t, "visitations"), value(b, t, "visitations"));
            assert_eq!(value(a, t, "direct_hires"), value(b, t, "direct_hires"));
            if t < first {
                assert_eq!(value(a, t, "participants"), 0.0);
                for name in metric_names() {
                    assert_eq!(value(a, t, name), value(b, t, name), "{name} in month {t}");
                }
            }
        }
    }
    let peak = (0..p.months)
        .map(|t| value(&mentor[0], t, "participants"))
        .fold(0.0, f64::max);
    assert_eq!(peak, 60.0, "the places fill");
}

/// Interventions that do not fit are refused with the key and what is
/// allowed.
#[test]
fn bad_interventions_are_refused_by_key() {
    let cases = [
        ("places = 0", "interventions[0].places"),
        ("months = 0", "interventions[0].months"),
        ("dismissal = 0.5", "interventions[0].dismissal"),
        ("find_job = -1.0", "interventions[0].find_job"),
        ("max_start_hours = 10", "interventions[0].max_start_hours"),
    ];
    for (line, key) in cases {
        let mut fields = vec![
            ("name", "\"x\"".to_string()),
            ("state", "\"ly\"".to_string()),
            ("months", "3".to_string()),
        ];
        let (k, v) = line.split_once(" = ").expect("a line");
        fields.retain(|(f, _)| *f != k);
        fields.push((k, v.to_string()));
        let body: String = fields.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
        let text = text(MARKOV) + "\n[[interventions]]\n" + &body;
        let err = try_load_str(&text, &[]).expect_err(line).to_string();
        assert!(err.contains(key), "{line}: {err}");
    }
}

/// A cohort of an intervention's entrants (docs/model.md, "Cohorts"): with
/// an intervention that takes everyone on LY in one month and changes
/// nothing, its entrants are the LY stock of that month, so the two cohorts
/// give the same figures in every replication, to the bit.
#[test]
fn an_interventions_cohort_is_its_entrants() {
    let iv = "[[interventions]]\nname = \"all\"\nstate = \"ly\"\nfrom = \"2017-01\"\nto = \"2017-01\"\nmonths = 6\n";
    let by_iv = "[[cohorts]]\nname = \"c\"\nstate = \"intervention\"\nintervention = \"all\"\nfrom = \"2017-01\"\nto = \"2017-01\"\nmonths = 12\n";
    let by_ly = "[[cohorts]]\nname = \"c\"\nstate = \"ly\"\nentry = \"stock\"\nfrom = \"2017-01\"\nmonths = 12\n";
    let (_, a) = with(MARKOV, &format!("{iv}{by_iv}"), 20);
    let (_, b) = with(MARKOV, &format!("{iv}{by_ly}"), 20);
    for (x, y) in a.iter().zip(&b) {
        assert!(!x.cohorts.is_empty());
        assert_eq!(x.cohorts, y.cohorts);
    }
    // Every entrant is a member: the members observed at month 0 are the
    // participant-months of 2017-01.
    let (p, _) = with(MARKOV, &format!("{iv}{by_iv}"), 1);
    let width = p.cohorts.states.len() + 1;
    let t = p
        .scenario
        .start
        .months_until(fleksim::Month::new(2017, 1).expect("month")) as usize;
    assert_eq!(a[0].cohorts[width - 1], value(&a[0], t, "participants"));
    let bad = "[[cohorts]]\nname = \"c\"\nstate = \"intervention\"\nintervention = \"none\"\nfrom = \"2017-01\"\n";
    let err = try_load_str(&(text(MARKOV) + "\n" + iv + bad), &[])
        .expect_err("an unknown intervention")
        .to_string();
    assert!(err.contains("cohorts[0].intervention"), "{err}");
}

/// A contact every month is a participant-month: consultant hours and
/// costs per contact with `contact_every_months = 1` give every figure of
/// every replication to the bit as the same hours and costs per month, the
/// capacity model included (so the contact schedule's bookkeeping of who
/// holds a place is right).
#[test]
fn monthly_contacts_are_participant_months() {
    let base = "[[interventions]]\nname = \"mentor\"\nstate = \"ly\"\nfrom = \"2017-01\"\nmin_months = 6\nmonths = 5\nplaces = 40\nfind_job = 1.3\n";
    let per_month = format!("{base}consultant_hours_per_month = 2.0\ncost_per_month = 500.0\n");
    let per_contact = format!(
        "{base}contact_every_months = 1\nconsultant_hours_per_contact = 2.0\ncost_per_contact = 500.0\n"
    );
    let (p, a) = with(PROJECT, &per_month, 4);
    let (_, b) = with(PROJECT, &per_contact, 4);
    assert!(p.scenario.staffing.elasticity > 0.0, "capacity must matter");
    for (k, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(x.values, y.values, "replication {k}");
    }
    let participants: f64 = (0..p.months).map(|t| value(&a[0], t, "participants")).sum();
    assert!(participants > 100.0, "the mentor programme takes people");
}

/// A contact every third month: with nobody leaving LY, everyone takes a
/// place in their first month on LY (the initial stock in month 0, each
/// month's visitations on arrival) and keeps it, so the month's contacts
/// are those who started 0, 3, 6, … months ago, each at its price.
#[test]
fn a_contact_every_third_month_follows_the_schedule() {
    let iv = "[[interventions]]\nname = \"every3\"\nstate = \"ly\"\nmonths = 1200\ncontact_every_months = 3\ncost_per_contact = 1.0\n";
    let still: Vec<String> = [
        "ly.find_job=[{from=0,p=0.0}]",
        "ly.exit=[{from=0,p=0.0}]",
        "flex.dismissal=[{from=0,p=0.0}]",
        "horizon_months=12",
    ]
    .map(String::from)
    .to_vec();
    let text = text(MARKOV) + "\n" + iv;
    let s = try_load_str(&text, &still).unwrap_or_else(|e| panic!("{e}"));
    let p = plan(&s);
    assert_eq!(p.prices[0].intervention_contact[0], 1.0, "first-year price");
    let reps = run(&p, 3);
    for r in &reps {
        for t in 0..p.months {
            let mut want = if t % 3 == 0 {
                p.scenario.initial.ly as f64
            } else {
                0.0
            };
            for s in (0..=t).filter(|s| (t - s) % 3 == 0) {
                want += value(r, s, "visitations");
            }
            let price = p.prices[t].intervention_contact[0];
            assert_eq!(value(r, t, "cost_measures"), want * price, "month {t}");
        }
    }
}

/// Per-contact keys are checked like the other amounts.
#[test]
fn a_contact_interval_of_zero_is_refused() {
    let iv =
        "[[interventions]]\nname = \"x\"\nstate = \"ly\"\nmonths = 3\ncontact_every_months = 0\n";
    let text = text(MARKOV) + "\n" + iv;
    let Err(e) = try_load_str(&text, &[]) else {
        panic!("contact_every_months = 0 was accepted")
    };
    let e = e.to_string();
    assert!(
        e.contains("interventions[0].contact_every_months"),
        "names the field: {e}"
    );
}

/// The eligible beyond the places wait (the default) or are not served
/// (`beyond_places = "not_served"`). With one month of eligibility the two
/// are the same to the bit (who is not served that month is no longer
/// eligible the next). With people on LY a year or more eligible, short
/// places free faster than people newly pass a year: turning the rest
/// away leaves places empty that the waiting would fill. Never more
/// participants than places.
#[test]
fn the_eligible_beyond_the_places_wait_or_are_not_served() {
    let iv = |eligibility: &str, beyond: &str| {
        format!(
            "[[interventions]]\nname = \"broker\"\nstate = \"ly\"\nfrom = \"2017-01\"\n\
             {eligibility}\nmonths = 2\nplaces = 60\nfind_job = 1.5\nbeyond_places = \"{beyond}\"\n"
        )
    };
    let once = "min_months = 3\nmax_months = 3";
    let (p, wait) = with(PROJECT, &iv(once, "wait"), 6);
    let (_, turned) = with(PROJECT, &iv(once, "not_served"), 6);
    same_to_the_bit("one month of eligibility", &wait, &turned, usize::MAX);
    let (_, wait) = with(PROJECT, &iv("min_months = 12", "wait"), 6);
    let (_, turned) = with(PROJECT, &iv("min_months = 12", "not_served"), 6);
    let total = |reps: &[Replication]| -> f64 {
        reps.iter()
            .flat_map(|r| (0..p.months).map(move |t| value(r, t, "participants")))
            .sum()
    };
    for r in wait.iter().chain(&turned) {
        for t in 0..p.months {
            assert!(value(r, t, "participants") <= 60.0, "month {t}");
        }
    }
    // The window's third month: the first 60 have finished; the waiting
    // long-term stock fills every place, while the turned away may not
    // come back and only those passing a year now can take one.
    let third = p
        .scenario
        .start
        .months_until(fleksim::Month::new(2017, 3).expect("month")) as usize;
    for (a, b) in wait.iter().zip(&turned) {
        assert_eq!(
            value(a, third, "participants"),
            60.0,
            "waiting fill the places"
        );
        let n = value(b, third, "participants");
        assert!(
            n < 30.0,
            "the turned away do not come back: {n} participants"
        );
    }
    assert!(total(&turned) < total(&wait));
    let e = try_load_str(
        &(text(PROJECT) + "\n[[interventions]]\nname = \"x\"\nstate = \"ly\"\nmonths = 2\nbeyond_places = \"not_served\"\n"),
        &[],
    )
    .expect_err("refused without places")
    .to_string();
    assert!(
        e.contains("interventions[0].beyond_places") && e.contains("`places`"),
        "{e}"
    );
}
