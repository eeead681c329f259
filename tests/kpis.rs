//! KPIs declared by the scenario (`[[kpis]]`): `run` and `compare` measure
//! them and show them with the scenario's labels, the report names them in
//! English and Danish, a bad KPI is refused by its field, and a scenario
//! without `[[kpis]]` keeps the seed project's steering rows.

mod common;

use common::{fleksim, read_csv, refused, succeeds, write_file};
use std::path::Path;

/// Three KPIs: a metric at a month (people), a share at a month, a ratio
/// over a calendar year, and a cohort's share months after entry.
const KPIS: &str = r#"
[[cohorts]]
name = "new-ly"
state = "ly"
entry = "enter"
from = "2017-01"
to = "2017-03"
months = 12

[[kpis]]
name = "ly_stock"
label = "People on benefit in the unit"
label_da = "Personer på ydelse i enheden"
value = "ly_stock"
at = "2018-03"
target = 300
goal = "at_most"
unit = "people"

[[kpis]]
name = "ly_share"
label = "Share waiting on benefit"
label_da = "Andel der venter på ydelse"
value = "ly_share"
at = "2017-06"
start = 0.15
target = 0.2
goal = "at_most"

[[kpis]]
name = "small_jobs"
label = "Share of new jobs at 10 hours or less"
value = "hires_le10h/hires"
at = "2019"
target = 0.5
goal = "at_least"

[[kpis]]
name = "cohort_in_work"
label = "New on benefit in a flexjob after 6 months"
label_da = "Nye på ydelse i fleksjob efter 6 måneder"
value = "cohort:new-ly:flex"
at = "6"
target = 0.3
goal = "at_least"
"#;

/// The Markov check with `extra` appended, named `name`, in `dir`.
fn scenario(dir: &Path, file: &str, name: &str, extra: &str) -> String {
    let base = common::text(common::MARKOV);
    let text = base.replacen("name = \"markov-check\"", &format!("name = \"{name}\""), 1);
    assert_ne!(text, base, "the Markov check names itself markov-check");
    write_file(dir, file, &format!("{text}\n{extra}"))
        .display()
        .to_string()
}

/// A column of a CSV file's rows, by header name.
fn col(rows: &[Vec<String>], name: &str) -> usize {
    rows[0]
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", rows[0]))
}

/// The p50 of `metric` in `month` of a monthly.csv.
fn monthly_p50(path: &Path, month: &str, metric: &str) -> String {
    let rows = read_csv(path);
    let p50 = col(&rows, "p50");
    rows.iter()
        .find(|r| r[0] == month && r[1] == metric)
        .unwrap_or_else(|| panic!("no {metric} in {month}"))[p50]
        .clone()
}

#[test]
fn run_measures_each_declared_kpi_and_prints_it() {
    let tmp = tempfile::tempdir().unwrap();
    let file = scenario(tmp.path(), "base.toml", "base", KPIS);
    let out = tmp.path().join("r");
    let mut cmd = fleksim();
    cmd.args(["run", &file, "--replications", "40", "--quiet", "--out"])
        .arg(&out);
    let stdout = succeeds(cmd);
    assert!(
        stdout.contains("People on benefit in the unit, 2018-03:"),
        "{stdout}"
    );
    assert!(stdout.contains("target at most 300 people"), "{stdout}");
    assert!(
        stdout.contains("New on benefit in a flexjob after 6 months, month 6 after entry:"),
        "{stdout}"
    );
    let rows = read_csv(&out.join("kpis.csv"));
    assert_eq!(
        rows[0].join(","),
        "kpi,value,at,unit,start,target,goal,mean,p05,p50,p95,met"
    );
    let names: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        names,
        ["ly_stock", "ly_share", "small_jobs", "cohort_in_work"]
    );
    let (p50, met) = (col(&rows, "p50"), col(&rows, "met"));
    // A single metric at a month is monthly.csv's median in that month.
    let monthly = out.join("monthly.csv");
    assert_eq!(rows[1][p50], monthly_p50(&monthly, "2018-03", "ly_stock"));
    assert_eq!(rows[2][p50], monthly_p50(&monthly, "2017-06", "ly_share"));
    assert_eq!(rows[2][col(&rows, "start")], "0.15");
    assert_eq!(rows[2][col(&rows, "unit")], "share");
    // Met by the goal: at most for the stock, at least for the ratio.
    let v = |r: usize| rows[r][p50].parse::<f64>().unwrap();
    assert_eq!(rows[1][met], (v(1) <= 300.0).to_string());
    assert_eq!(rows[3][met], (v(3) >= 0.5).to_string());
    assert!((0.0..=1.0).contains(&v(4)), "a cohort share: {}", v(4));
    // Danish labels with --lang da, the English one where there is none.
    let mut cmd = fleksim();
    cmd.args([
        "run",
        &file,
        "--replications",
        "5",
        "--quiet",
        "--lang",
        "da",
        "--out",
    ])
    .arg(tmp.path().join("r-da"));
    let stdout = succeeds(cmd);
    assert!(
        stdout.contains("Personer på ydelse i enheden, 2018-03:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Share of new jobs at 10 hours or less, 2019:"),
        "{stdout}"
    );
}

#[test]
fn compare_has_a_steering_row_per_kpi_and_the_report_names_them() {
    let tmp = tempfile::tempdir().unwrap();
    let base = scenario(tmp.path(), "base.toml", "base", KPIS);
    // The alternative declares none: the baseline's KPIs apply.
    let alt = scenario(
        tmp.path(),
        "alt.toml",
        "alt",
        &KPIS[..KPIS.find("[[kpis]]").unwrap()],
    );
    let out = tmp.path().join("c");
    let mut cmd = fleksim();
    cmd.args([
        "compare",
        &base,
        &alt,
        "--replications",
        "30",
        "--quiet",
        "--out",
    ])
    .arg(&out);
    let stdout = succeeds(cmd);
    let plain = stdout.replace('\u{a0}', " ");
    // The label wraps in its column.
    assert!(
        plain.contains("People on benefit in the unit at"),
        "{plain}"
    );
    assert!(plain.contains("2018-03, people (target ≤ 300)"), "{plain}");
    assert!(
        plain.contains("not met") || plain.contains(" met"),
        "{plain}"
    );
    assert!(!plain.contains("LY share at"), "{plain}");
    let rows = read_csv(&out.join("steering.csv"));
    let (ind, unit, target, p50) = (
        col(&rows, "indicator"),
        col(&rows, "unit"),
        col(&rows, "target"),
        col(&rows, "p50"),
    );
    let of = |scenario: &str| -> Vec<&Vec<String>> {
        rows.iter().filter(|r| r[0] == scenario).collect()
    };
    let base_rows: Vec<&str> = of("base").iter().map(|r| r[ind].as_str()).collect();
    assert_eq!(
        base_rows,
        [
            "kpi:ly_stock",
            "kpi:ly_share",
            "kpi:small_jobs",
            "kpi:cohort_in_work",
            "net_cost_per_year",
            "net_public_cost_per_year"
        ]
    );
    let stock = of("alt")
        .into_iter()
        .find(|r| r[ind] == "kpi:ly_stock")
        .unwrap();
    assert_eq!(
        (stock[unit].as_str(), stock[target].as_str()),
        ("people", "300")
    );
    assert_eq!(
        stock[p50],
        monthly_p50(&out.join("runs/alt/monthly.csv"), "2018-03", "ly_stock")
    );
    assert!(out.join("runs/alt/kpis.csv").is_file());
    // The paired differences, one row per KPI at its time.
    let summary = std::fs::read_to_string(out.join("comparison_summary.csv")).unwrap();
    assert!(summary.contains("alt,kpi:ly_stock,2018-03,"), "{summary}");
    assert!(summary.contains("alt,kpi:cohort_in_work,6,"), "{summary}");
    // The report in both languages.
    for (lang, needles) in [
        (
            "en",
            [
                "People on benefit in the unit",
                "met at the median",
                "Share of new jobs at 10 hours or less",
            ],
        ),
        (
            "da",
            [
                "Personer på ydelse i enheden",
                "ved medianen",
                "Nye på ydelse i fleksjob efter 6 måneder",
            ],
        ),
    ] {
        let page = tmp.path().join(format!("{lang}.html"));
        let mut cmd = fleksim();
        cmd.arg("report")
            .arg(&out)
            .args(["--lang", lang, "--out"])
            .arg(&page);
        succeeds(cmd);
        let html = std::fs::read_to_string(&page).unwrap();
        for n in needles {
            assert!(html.contains(n), "{lang} page lacks `{n}`");
        }
        assert!(
            !html.contains("(KPI 1)") && !html.contains("target 13"),
            "{lang}"
        );
    }
}

#[test]
fn alternatives_with_other_kpis_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let base = scenario(tmp.path(), "base.toml", "base", KPIS);
    let alt = scenario(
        tmp.path(),
        "alt.toml",
        "alt",
        &KPIS.replace("target = 300", "target = 250"),
    );
    let mut cmd = fleksim();
    cmd.args([
        "compare",
        &base,
        &alt,
        "--replications",
        "2",
        "--quiet",
        "--out",
    ])
    .arg(tmp.path().join("c"));
    refused(cmd, &["alt.toml", "[[kpis]]", "baseline"]);
    assert!(!tmp.path().join("c").exists());
}

#[test]
fn a_bad_kpi_is_refused_naming_the_file_and_field() {
    let tmp = tempfile::tempdir().unwrap();
    let one = |value: &str, at: &str, extra: &str| {
        format!(
            "[[kpis]]\nname = \"k\"\nlabel = \"K\"\nvalue = \"{value}\"\nat = \"{at}\"\n\
             target = 0.5\ngoal = \"at_most\"\n{extra}"
        )
    };
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            one("ly_stok", "2018-03", ""),
            vec!["kpis[0].value", "unknown metric `ly_stok`", "ly_stock"],
        ),
        (
            one("cohort:nobody:ly", "3", ""),
            vec!["kpis[0].value", "no cohort `nobody`"],
        ),
        (
            format!(
                "{}{}",
                &KPIS[..KPIS.find("[[kpis]]").unwrap()],
                one("cohort:new-ly:nowhere", "3", "")
            ),
            vec!["kpis[0].value", "unknown state `nowhere`", "`flex`"],
        ),
        (
            one("ly_stock", "2030-01", ""),
            vec!["kpis[0].at", "outside the simulated months"],
        ),
        (one("ly_stock", "March", ""), vec!["kpis[0].at", "YYYY-MM"]),
        (
            format!(
                "{}{}",
                one("ly_stock", "2018-03", ""),
                one("ly_share", "2018-03", "")
            ),
            vec!["kpis[1].name", "given twice"],
        ),
        (
            one("ly_stock", "2018-03", "unit = \"persons\"\n"),
            vec!["kpis[0].unit", "`people`"],
        ),
        (
            one("ly_stock", "2018-03", "").replace("target = 0.5", "target = nan"),
            vec!["kpis[0].target", "finite"],
        ),
        (
            one("ly_stock", "2018-03", "").replace("at_most", "below"),
            vec!["kpis", "at_most"],
        ),
    ];
    for (k, (extra, needles)) in cases.into_iter().enumerate() {
        let file = scenario(tmp.path(), &format!("bad{k}.toml"), "bad", &extra);
        let mut needles = needles;
        let name = format!("bad{k}.toml");
        needles.push(&name);
        for args in [vec!["validate", &file], vec!["run", &file, "--quiet"]] {
            let mut cmd = fleksim();
            cmd.args(&args).current_dir(tmp.path());
            refused(cmd, &needles);
        }
    }
    assert!(!tmp.path().join("results").exists());
}

#[test]
fn a_scenario_without_kpis_keeps_the_seed_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c");
    let m = common::root(common::MARKOV).display().to_string();
    let mut cmd = fleksim();
    cmd.args([
        "compare",
        &m,
        &m,
        "--replications",
        "10",
        "--quiet",
        "--out",
    ])
    .arg(&out);
    let stdout = succeeds(cmd).replace('\u{a0}', " ");
    assert!(
        stdout.contains("LY share at 2018-03, % (target 13.0 %)"),
        "{stdout}"
    );
    let rows = read_csv(&out.join("steering.csv"));
    let ind = col(&rows, "indicator");
    let first: Vec<&str> = rows[1..6].iter().map(|r| r[ind].as_str()).collect();
    assert_eq!(
        first,
        [
            "ly_share_at_kpi",
            "progression_share_at_kpi",
            "ly_stock_at_kpi",
            "net_cost_per_year",
            "net_public_cost_per_year"
        ]
    );
    assert!(rows.iter().all(|r| !r[ind].starts_with("kpi:")));
    assert!(!out.join("runs/markov-check/kpis.csv").exists());
    let summary = std::fs::read_to_string(out.join("comparison_summary.csv")).unwrap();
    assert!(!summary.contains(",kpi:"));
}
