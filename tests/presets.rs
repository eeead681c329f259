//! The five v1 policies as interventions (docs/model.md, "The v1 policies
//! as interventions"): written as the `[[interventions]]` that `fleksim
//! validate` prints for them, they give the same replications to the bit;
//! offers on LY beyond the two of v1 work as stated; and the intervention
//! language refuses what its entries do not mean.

mod common;

use common::*;
use fleksim::engine::Replication;
use fleksim::model::presets::policy_interventions;
use fleksim::Scenario;

/// The v1 policies, by their section names.
const POLICIES: [&str; 5] = [
    "jobclub",
    "three_month_review",
    "rehab_meeting",
    "followup",
    "screening",
];

/// `s` written without `[policy]` and with its policies as interventions
/// (after the scenario's own), loaded again.
fn rewritten(s: &Scenario) -> Scenario {
    let mut table: toml::Table = toml::from_str(&toml::to_string(s).expect("serialize"))
        .expect("the resolved scenario is TOML");
    table.remove("policy");
    let own = table
        .remove("interventions")
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    let mut list: Vec<toml::Value> = own;
    for v in policy_interventions(s) {
        list.push(toml::Value::try_from(v).expect("an intervention is TOML"));
    }
    table.insert("interventions".into(), toml::Value::Array(list));
    let text = toml::to_string(&table).expect("serialize");
    try_load_str(&text, &[]).unwrap_or_else(|e| panic!("the rewritten scenario is refused: {e}"))
}

fn reps(s: &Scenario, n: u64) -> Vec<Replication> {
    run(&plan(s), n)
}

/// Each v1 policy alone, and all five together, as interventions: the same
/// replications to the bit, cohorts included, under both samplings.
#[test]
fn each_policy_as_an_intervention_gives_the_same_replications() {
    let mut cases: Vec<(String, Vec<String>)> = POLICIES
        .iter()
        .map(|only| {
            let sets = POLICIES
                .iter()
                .filter(|p| *p != only)
                .map(|p| format!("policy.{p}.enabled=false"))
                .collect();
            (format!("{only} alone"), sets)
        })
        .collect();
    cases.push(("all five".into(), vec![]));
    cases.push(("all five, monthly".into(), vec!["sampling=monthly".into()]));
    // Screening without follow-up still takes the follow-up's contact
    // effects (v1's rule).
    cases.push((
        "screening with follow-up off".into(),
        vec!["policy.followup.enabled=false".into()],
    ));
    for (what, sets) in cases {
        let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
        let v1 = load(PROJECT, &sets);
        let v2 = rewritten(&v1);
        assert!(
            v2.interventions.len() >= policy_interventions(&v1).len(),
            "{what}: the rewrite holds the policies"
        );
        assert!(
            policy_interventions(&v2).is_empty(),
            "{what}: no v1 policy is left"
        );
        same_to_the_bit(&what, &reps(&v1, 8), &reps(&v2, 8), usize::MAX);
    }
}

/// What a user sees: the block `fleksim validate` prints for the shipped
/// project, pasted in place of its `[policy]` sections, gives the same
/// result files byte for byte.
#[test]
fn the_printed_interventions_replace_the_policy_sections() {
    let out = fleksim()
        .args(["validate", PROJECT])
        .output()
        .expect("validate runs");
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = printed.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("# The [policy] sections are these interventions"))
        .expect("validate prints the policies as interventions");
    let block: String = lines[at + 1..]
        .iter()
        .take_while(|l| l.starts_with("#   ") || **l == "#")
        .map(|l| l.strip_prefix("#   ").unwrap_or("").to_string() + "\n")
        .collect();
    assert_eq!(block.matches("[[interventions]]").count(), 5);
    let mut table: toml::Table = toml::from_str(&text(PROJECT)).expect("TOML");
    table.remove("policy").expect("the project has [policy]");
    let file = toml::to_string(&table).expect("serialize") + "\n" + &block;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("project-as-interventions.toml");
    std::fs::write(&path, file).expect("write");
    let run_to = |scenario: &std::path::Path, out: &str| {
        let out = dir.path().join(out);
        fleksim()
            .args(["run", "--replications", "12", "--quiet", "--out"])
            .arg(&out)
            .arg(scenario)
            .assert()
            .success();
        out
    };
    let a = run_to(&root(PROJECT), "v1");
    let b = run_to(&path, "v2");
    for f in [
        "monthly.csv",
        "summary.csv",
        "budget.csv",
        "payer.csv",
        "cohorts.csv",
    ] {
        let (x, y) = (
            std::fs::read(a.join(f)).expect("v1 file"),
            std::fs::read(b.join(f)).expect("v2 file"),
        );
        assert!(x == y, "{f} differs between [policy] and its interventions");
    }
}

/// An offer on LY for every spell month with job finding multiplied by
/// `k` is the scenario with job finding `k` times as high, to the bit.
#[test]
fn an_offer_for_every_month_is_the_chain_with_its_effect() {
    let k = 1.7;
    let offer = format!(
        "[[interventions]]\nname = \"all\"\nstate = \"ly\"\nentry = \"in_force\"\nfind_job = {k}\n"
    );
    let s = try_load_str(&(text(MARKOV) + "\n" + &offer), &[]).expect("loads");
    let mut chain = load(MARKOV, &[]);
    for step in &mut chain.ly.find_job {
        step.p = step.p.map(|p| p * k);
    }
    same_to_the_bit(
        "offer against chain",
        &reps(&s, 20),
        &reps(&chain, 20),
        usize::MAX,
    );
}

/// A third offer beside the jobclub and the review: without effect it
/// changes nothing but the measures, which grow by its participant-months
/// at its price (everyone on LY at the start of a month of its window).
#[test]
fn a_third_offer_costs_its_participant_months() {
    let offer = "[[interventions]]\nname = \"praktik\"\nstate = \"ly\"\nentry = \"in_force\"\n\
                 from = \"2017-01\"\nto = \"2018-12\"\ncost_per_month = 1000.0\n";
    let with = try_load_str(&(text(PROJECT) + "\n" + offer), &[]).expect("loads");
    let p = plan(&with);
    let (a, b) = (run(&p, 6), reps(&load(PROJECT, &[]), 6));
    let first = with
        .start
        .months_until(fleksim::Month::new(2017, 1).expect("month")) as usize;
    let last = with
        .start
        .months_until(fleksim::Month::new(2018, 12).expect("month")) as usize;
    let money = ["cost_measures", "net_municipal_cost", "net_public_cost"];
    for (x, y) in a.iter().zip(&b) {
        for t in 0..p.months {
            for name in metric_names() {
                if !money.contains(&name) {
                    assert_eq!(
                        value(x, t, name).to_bits(),
                        value(y, t, name).to_bits(),
                        "{name} in month {t}"
                    );
                }
            }
            let on_ly = if t == 0 {
                p.scenario.initial.ly as f64
            } else {
                value(x, t - 1, "ly_stock")
            } + value(x, t, "visitations");
            let n = if (first..=last).contains(&t) {
                on_ly
            } else {
                0.0
            };
            // The third offer is the plan's third (after the jobclub and
            // the review).
            check_close(
                &format!("measures in month {t}"),
                value(x, t, "cost_measures") - value(y, t, "cost_measures"),
                n * p.prices[t].offers[2],
                1e-6,
            );
            assert!(n == 0.0 || p.prices[t].offers[2] >= 1000.0);
        }
    }
}

/// Each refusal names the file, the field and what is allowed.
#[test]
fn entries_refuse_what_they_do_not_mean() {
    let iv = |body: &str| format!("[[interventions]]\nname = \"x\"\n{body}\n");
    let cases: Vec<(String, &str, &str)> = vec![
        (
            iv("state = \"ly\"\nentry = \"in_force\"\nplaces = 10"),
            "interventions[0].places",
            "leave it out",
        ),
        (
            iv("state = \"flex\"\nentry = \"visitation\""),
            "interventions[0].entry",
            "state = \"ly\"",
        ),
        (
            iv("state = \"ly\"\nentry = \"in_force\"\nexit = 0.5"),
            "interventions[0].exit",
            "entry = \"in_force\"",
        ),
        (
            iv("state = \"ly\"\nmonths = 2").replace("name = \"x\"", "name = \"jobclub\""),
            "interventions[0].name",
            "[policy.jobclub]",
        ),
        (
            iv("state = \"flex\"\nentry = \"in_force\"\ncontact_months = [3, 1]"),
            "interventions[0].contact_months[1]",
            "increasing",
        ),
        (
            iv("state = \"flex\"\nentry = \"stock\"\ncontact_months = [1]"),
            "interventions[0].contact_months",
            "leave it out",
        ),
        (
            iv("state = \"ly\"\nentry = \"visitation\"\nagreement_share = 1.5"),
            "interventions[0].agreement_share",
            "allowed 0 to 1",
        ),
        (
            iv("state = \"ly\"\nmonths = 3\nhours_up_contact = 0.1"),
            "interventions[0].hours_up_contact",
            "leave it out",
        ),
        // The project's rehab meeting is already a visitation intervention.
        (
            iv("state = \"ly\"\nentry = \"visitation\"\nfind_job = 1.2"),
            "interventions[0].entry",
            "a second intervention with `entry = \"visitation\"`",
        ),
        // Its screening takes the follow-up's contact effects; a declared
        // screening must too.
        (
            iv("state = \"flex\"\nentry = \"stock\"\nhours_up_contact = 0.5"),
            "interventions[0].entry",
            "a second intervention with `entry = \"stock\"`",
        ),
        (
            iv("state = \"ly\"\nentry = \"in_force\"")
                + "[[cohorts]]\nname = \"c\"\nstate = \"intervention\"\nintervention = \"x\"\nfrom = \"2017-01\"\n",
            "cohorts[2].intervention",
            "without places",
        ),
    ];
    for (extra, key, allowed) in cases {
        let e = try_load_str(&(text(PROJECT) + "\n" + &extra), &[])
            .err()
            .unwrap_or_else(|| panic!("accepted: {extra}"))
            .to_string();
        assert!(e.contains("x.toml"), "names the file: {e}");
        assert!(e.contains(key), "names `{key}`: {e}");
        assert!(e.contains(allowed), "says `{allowed}`: {e}");
    }
    // Follow-up and screening with different contact effects.
    let extra = "[[interventions]]\nname = \"scr\"\nstate = \"flex\"\nentry = \"stock\"\n\
                 hours_up_contact = 0.5\n";
    let e = try_load_str(
        &(text(PROJECT) + "\n" + extra),
        &["policy.screening.enabled=false".into()],
    )
    .expect_err("refused")
    .to_string();
    assert!(e.contains("interventions[0].hours_up_contact"), "{e}");
    assert!(e.contains("one set of effects"), "{e}");
    // Nine offers on LY with the jobclub and the review.
    let nine: String = (0..7)
        .map(|k| {
            format!("[[interventions]]\nname = \"o{k}\"\nstate = \"ly\"\nentry = \"in_force\"\n")
        })
        .collect();
    let e = try_load_str(&(text(PROJECT) + "\n" + &nine), &[])
        .expect_err("refused")
        .to_string();
    assert!(
        e.contains("with `entry = \"in_force\"`") && e.contains("at most 8"),
        "{e}"
    );
}

/// The jobclub and the review against hand-written job-finding steps (an
/// independent reference: the steps do not go through the presets): the
/// jobclub doubles job finding in spell months 0-2, the review multiplies
/// it by 1.5 in months 3-5, for good. Every figure but money (the active
/// offer changes the refusion, and the offers have prices) is the same to
/// the bit.
#[test]
fn the_jobclub_and_the_review_act_on_their_spell_months() {
    let s = load(
        MARKOV,
        &[
            "policy.jobclub.enabled=true",
            "policy.jobclub.effect=2.0",
            "policy.jobclub.months=3",
            "policy.three_month_review.enabled=true",
            "policy.three_month_review.effect=1.5",
            "policy.three_month_review.start_month=3",
            "policy.three_month_review.months=3",
        ],
    );
    let mut steps = load(MARKOV, &[]);
    let p = steps.ly.find_job[0].monthly();
    steps.ly.find_job = vec![
        fleksim::scenario::Step {
            from: 0,
            p: Some(p * 2.0),
            p_year: None,
        },
        fleksim::scenario::Step {
            from: 3,
            p: Some(p * 1.5),
            p_year: None,
        },
        fleksim::scenario::Step {
            from: 6,
            p: Some(p),
            p_year: None,
        },
    ];
    let (a, b) = (reps(&s, 20), reps(&steps, 20));
    let months = a[0].values.len() / metric_names().len();
    for (x, y) in a.iter().zip(&b) {
        for t in 0..months {
            for name in metric_names() {
                if fleksim::metrics::METRICS[metric(name)].money {
                    continue;
                }
                assert_eq!(
                    value(x, t, name).to_bits(),
                    value(y, t, name).to_bits(),
                    "{name} in month {t}"
                );
            }
        }
    }
}

/// An independent reference for the presets' money and semantics: the
/// result files of the engine before the v1 policies became interventions
/// (commit 177d4a7, where `[policy]` had its own mechanism), pinned by
/// their SHA-256. The project with all five policies, with screening but
/// no follow-up, and with a review in spell months 250-269 (past the
/// duration tables' last month) must give them byte for byte. A change
/// that means to move these results must write the new hashes here and
/// say why in its notes.
#[test]
fn the_policies_give_the_files_they_gave_before_they_were_interventions() {
    let long = [
        "horizon_months=420",
        "ly.find_job=[{from=0,p=0.0005}]",
        "ly.exit=[{from=0,p=0.0005}]",
        "policy.three_month_review.start_month=250",
        "policy.three_month_review.months=20",
        "policy.three_month_review.to=\"2060-01\"",
        "policy.jobclub.enabled=false",
    ];
    let cases: [(&str, Vec<&str>, u32, [&str; 4]); 3] = [
        (
            "all five",
            vec![],
            12,
            [
                "cb7ccd6efc23f3e0619833f26f1498a9313a1bd3bde8b954ffbf0e0676986fdb",
                "4c6dcf9e9b64ab6cd8f9f3e6dda8a61c3815fe6872398760057d6a9e110160a9",
                "06c7ca2625b0bb622e0e699a9cc5170736087038f61a1c36abd6b1772f3d9e2c",
                "d1ce3102ba11e647d6ca00178d4ce5a0ecaa9f13e4b4bcef562ce811530e08f9",
            ],
        ),
        (
            "screening without follow-up",
            vec!["policy.followup.enabled=false"],
            12,
            [
                "a43d00bc343faaa8855f809260328193a9b61577343e0e815f9837705a136176",
                "c51bbf70d3974bae8b0797dd6f238d931105b98fdfb2d6f25f0a94ddb29f8ec7",
                "7f2b02125b40459ca449cad174145e204fd586c164746887c21f60b7321948b1",
                "0a34c84eb2619d8c35bbb47ec93c3a5c231f56794951a17df2f4b2ece6976d81",
            ],
        ),
        (
            "a review past month 255",
            long.to_vec(),
            4,
            [
                "52326dd97af95b0229fe7ea95bd342a8ef8ea9baa729d25a14726a3be0467fb7",
                "abe44388a0a8bccb06ac548b3b67f0a336b5402917d60c2ababb8c5c9445d1d8",
                "fbf7da5f86626cacdbcd5982a5720040c7a32a55c6921f9bf0d8faa621a3f149",
                "0989b5f8f46fa3a81810fb60b3cdc83dfc1bd79ceedab58b0174b25e1fda4e74",
            ],
        ),
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    for (k, (what, sets, reps, hashes)) in cases.iter().enumerate() {
        let out = dir.path().join(format!("case{k}"));
        let mut cmd = fleksim();
        cmd.args(["run", PROJECT, "--quiet", "--replications"])
            .arg(reps.to_string())
            .arg("--out")
            .arg(&out);
        for s in sets {
            cmd.args(["--set", s]);
        }
        cmd.assert().success();
        for (file, want) in ["monthly.csv", "budget.csv", "payer.csv", "summary.csv"]
            .iter()
            .zip(hashes)
        {
            let bytes = std::fs::read(out.join(file)).expect("result file");
            assert_eq!(
                fleksim::hash::sha256_hex(&bytes),
                *want,
                "{what}: {file} is not the file of 177d4a7"
            );
        }
    }
}
