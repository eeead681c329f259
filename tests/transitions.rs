//! Frailty and capacity on named transitions (`ly.frailty_on`,
//! `staffing.capacity_on`; docs/model.md, "Transitions").

mod common;

use common::*;
use fleksim::engine::Replication;

/// Runs the Markov scenario with `extra` lines added to its `[ly]` and
/// `[staffing]` tables, and `--set` overrides.
fn markov_with(ly: &str, staffing: &str, sets: &[&str], n: u64) -> Vec<Replication> {
    let text = text(MARKOV)
        .replacen("[ly]\n", &format!("[ly]\n{ly}\n"), 1)
        .replacen("[staffing]\n", &format!("[staffing]\n{staffing}\n"), 1);
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let s = try_load_str(&text, &sets).unwrap_or_else(|e| panic!("refused: {e}"));
    run(&plan(&s), n)
}

/// With the frailty on no transition, a heterogeneous population behaves
/// as a homogeneous one: the same people, the same draws, the same months,
/// to the bit.
#[test]
fn a_frailty_on_no_transition_changes_nothing() {
    let plain = markov_with("", "", &["ly.frailty_shape=0.0"], 8);
    let off = markov_with("frailty_on = []", "", &["ly.frailty_shape=2.0"], 8);
    let on = markov_with("", "", &["ly.frailty_shape=2.0"], 8);
    assert_eq!(plain, off, "frailty on no transition must change nothing");
    assert_ne!(plain, on, "frailty on job finding changes the months");
}

/// The capacity on exits: with more consultants than the reference, the
/// capacity is above 1 and exits from LY rise with it; on job finding only
/// (the default) they do not.
#[test]
fn the_capacity_on_exits_scales_them_by_the_months_capacity() {
    let sets = [
        "staffing.elasticity=0.5",
        "staffing.consultants=40",
        "horizon_months=12",
    ];
    let find_only = markov_with("", "", &sets, 200);
    let both = markov_with("", "capacity_on = [\"find_job\", \"exit\"]", &sets, 200);
    let cap = across(&both, 0, "capacity");
    assert!(cap.iter().all(|&c| c > 1.2), "capacity above 1: {cap:?}");
    let a = across(&find_only, 0, "exits_ly");
    let b = across(&both, 0, "exits_ly");
    let (ma, _) = mean_se(&a);
    let (mb, se) = mean_se(&b);
    // Exits of month 0 scale by its capacity (the people at risk are the
    // same: the month's first draw).
    let c0 = cap.iter().sum::<f64>() / cap.len() as f64;
    check_close(
        "exits with the capacity on them",
        mb,
        ma * c0,
        4.0 * se + 0.5,
    );
}
