//! The steering table that `fleksim compare` prints fits in 100 columns for
//! the three shipped Aalborg scenarios, and names the month of every figure:
//! the KPI month, each cumulative point's month, and with `--at` the months
//! asked for.

mod common;

use common::*;

const THREE: [&str; 3] = [
    "scenarios/aalborg-baseline.toml",
    "scenarios/aalborg-project.toml",
    "scenarios/aalborg-permanent.toml",
];

/// `fleksim compare` of the three scenarios with `extra` flags; its stdout.
fn table(extra: &[&str]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = fleksim()
        .arg("compare")
        .args(THREE)
        .args(["--replications", "10", "--quiet", "--out"])
        .arg(tmp.path().join("cmp"))
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn widest(text: &str) -> (usize, String) {
    text.lines()
        .map(|l| (l.chars().count(), l.to_string()))
        .max()
        .unwrap_or_default()
}

#[test]
fn three_scenarios_fit_in_100_columns() {
    for extra in [&[][..], &["--at", "2018-03", "--at", "2020-12"][..]] {
        let text = table(extra);
        let (w, line) = widest(&text);
        assert!(
            w <= 100,
            "{extra:?}: a line of {w} columns:\n{line}\n\n{text}"
        );
        for name in ["aalborg-baseline", "aalborg-project", "aalborg-permanent"] {
            assert!(text.contains(name), "{name} missing:\n{text}");
        }
        // Every row of figures is still there, each on its own line.
        for row in [
            "LY share at 2018-03, % (target 13.0 %)",
            "LY stock at 2018-03, people",
            "Net municipal cost per year, mio. DKK",
            "Cumulative difference, after 5 years",
            "Probability cheaper over the horizon",
            "Payback month (mean cumulative cost)",
        ] {
            assert!(
                text.lines().any(|l| l.starts_with(row)),
                "{extra:?}: no row `{row}`:\n{text}"
            );
        }
    }
}

#[test]
fn the_table_names_the_months_it_shows() {
    let plain = table(&[]);
    assert!(plain.contains("KPIs at 2018-03"), "{plain}");
    // The cumulative points: the month with the label (it may wrap onto
    // the label's second line).
    for month in ["(2019-08)", "(2021-08)", "(2026-08)"] {
        assert!(plain.contains(month), "{month} not named:\n{plain}");
    }
    assert!(!plain.contains("--at"), "{plain}");
    let at = table(&["--at", "2020-12"]);
    assert!(
        at.contains("also at 2020-12 (--at)"),
        "the title does not name the --at month:\n{at}"
    );
    for row in [
        "LY share at 2020-12 vs baseline, pp",
        "LY stock at 2020-12 vs baseline, people",
    ] {
        assert!(
            at.lines().any(|l| l.starts_with(row) && l.contains(" (")),
            "no row `{row}` with figures:\n{at}"
        );
    }
}
