//! `budget.xlsx`, read back with an independent reader (calamine): every
//! figure equals the CSV file it comes from (`budget.csv`, `payer.csv`,
//! and for a comparison `budget_difference.csv`, `cumulative_monthly.csv`,
//! `cumulative.csv`, `steering.csv`, `budget_levels.csv`,
//! `budget_year.csv`, `break_even.csv`); numbers are numbers; the Danish
//! workbook has Danish sheet names and labels; the bytes do not depend on
//! the thread count.

mod common;

use calamine::{open_workbook_from_rs, Data, Range, Reader, Xlsx};
use common::{fleksim, read_csv};
use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

const REPS: &str = "12";

fn book(path: &Path) -> Xlsx<Cursor<Vec<u8>>> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    open_workbook_from_rs(Cursor::new(bytes)).expect("budget.xlsx opens")
}

fn sheet(b: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Range<Data> {
    b.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet `{name}`: {e}; sheets: {:?}", b.sheet_names()))
}

/// A cell as text (for labels and keys).
fn text(r: &Range<Data>, row: u32, col: u32) -> String {
    match r.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A cell that must be a number (not text).
fn num(r: &Range<Data>, row: u32, col: u32) -> f64 {
    match r.get_value((row, col)) {
        Some(Data::Float(v)) => *v,
        Some(Data::Int(v)) => *v as f64,
        other => panic!("cell ({row}, {col}) is {other:?}, not a number"),
    }
}

fn number_cells(r: &Range<Data>) -> usize {
    r.used_cells()
        .filter(|(_, _, d)| matches!(d, Data::Float(_) | Data::Int(_)))
        .count()
}

/// `budget.csv` as `(year, metric) → (p05, p50, p95)` and `year → months`.
type Yearly = HashMap<(String, String), [f64; 3]>;

fn budget_csv(path: &Path) -> (Yearly, Vec<(String, f64)>) {
    let rows = read_csv(path);
    let h = &rows[0];
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (cy, cm, c05, c50, c95, cmo) = (
        c("year"),
        c("metric"),
        c("p05"),
        c("p50"),
        c("p95"),
        c("months"),
    );
    let mut out = HashMap::new();
    let mut years: Vec<(String, f64)> = Vec::new();
    for r in &rows[1..] {
        let f = |i: usize| r[i].parse::<f64>().unwrap();
        out.insert((r[cy].clone(), r[cm].clone()), [f(c05), f(c50), f(c95)]);
        if years.last().map(|y| &y.0) != Some(&r[cy]) {
            years.push((r[cy].clone(), f(cmo)));
        }
    }
    (out, years)
}

/// Checks a scenario's median and interval sheets against its budget.csv:
/// every budget line of the CSV is a row, every number cell is a figure of
/// the CSV.
fn check_scenario_sheets(b: &mut Xlsx<Cursor<Vec<u8>>>, name: &str, suffix: &str, csv: &Path) {
    let (fig, years) = budget_csv(csv);
    let median = sheet(b, name);
    let interval = sheet(b, &format!("{name}{suffix}"));
    for (k, (y, months)) in years.iter().enumerate() {
        let col = 2 + k as u32;
        assert!(text(&median, 0, col).starts_with(y.as_str()), "year header");
        assert_eq!(num(&median, 1, col), *months, "months of {y}");
        if *months < 12.0 {
            assert!(
                text(&median, 0, col).contains(&format!("{months}")),
                "partial year {y} not marked: {}",
                text(&median, 0, col)
            );
        }
    }
    let mut lines = 0;
    for row in 2..median.height() as u32 {
        let key = text(&median, row, 1);
        if key.is_empty() {
            continue;
        }
        lines += 1;
        assert_eq!(text(&interval, row, 1), key);
        for (k, (y, _)) in years.iter().enumerate() {
            let v = fig
                .get(&(y.clone(), key.clone()))
                .unwrap_or_else(|| panic!("{key} {y} not in {}", csv.display()));
            assert_eq!(
                num(&median, row, 2 + k as u32),
                v[1],
                "{name}: {key} {y} p50"
            );
            assert_eq!(num(&interval, row, 2 + 2 * k as u32), v[0], "{key} {y} p05");
            assert_eq!(num(&interval, row, 3 + 2 * k as u32), v[2], "{key} {y} p95");
        }
    }
    assert_eq!(lines, fleksim::output::workbook::LINES.len());
    assert_eq!(number_cells(&median), years.len() * (lines + 1));
    assert_eq!(number_cells(&interval), 2 * years.len() * (lines + 1));
}

/// Checks a scenario's who-pays sheet against its payer.csv: a row per
/// money cell (`line/payer/frame`), a column per year and the horizon, the
/// mean in each; no other number than the months.
fn check_payer_sheet(b: &mut Xlsx<Cursor<Vec<u8>>>, name: &str, csv: &Path) {
    let s = sheet(b, name);
    let rows = read_csv(csv);
    let h = &rows[0];
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    let mut periods: Vec<String> = Vec::new();
    for r in &rows[1..] {
        if !periods.contains(&r[c("period")]) {
            periods.push(r[c("period")].clone());
        }
    }
    assert_eq!(periods.last().map(String::as_str), Some("horizon"));
    let mut row_of: HashMap<String, u32> = HashMap::new();
    for row in 2..s.height() as u32 {
        let k = text(&s, row, 1);
        if !k.is_empty() {
            row_of.insert(k, row);
        }
    }
    let mut checked = 0;
    for r in &rows[1..] {
        let key = if r[c("frame")].is_empty() {
            format!("{}/{}", r[c("line")], r[c("payer")])
        } else {
            format!("{}/{}/{}", r[c("line")], r[c("payer")], r[c("frame")])
        };
        let row = row_of[&key];
        let col = 2 + periods.iter().position(|p| *p == r[c("period")]).unwrap() as u32;
        let want: f64 = r[c("mean")].parse().unwrap();
        assert_eq!(num(&s, row, col), want, "{name}: {key} {}", r[c("period")]);
        if r[c("period")] != "horizon" {
            assert!(text(&s, 0, col).starts_with(&r[c("period")]), "year header");
        }
        checked += 1;
    }
    assert_eq!(
        number_cells(&s),
        checked + periods.len(), /* months */
        "{name} holds numbers this test does not check"
    );
}

/// Checks an alternative's levels or budget-year sheet against its CSV:
/// row `2 + i` is the alternative's `i`th row, its number columns from
/// `first` on are `fields`; returns how many number cells it checked.
fn check_level_sheet(s: &Range<Data>, csv: &Path, alt: &str, first: u32, fields: &[&str]) -> usize {
    let (h, rows) = rows_of(csv, alt);
    assert!(!rows.is_empty(), "{} has no row of {alt}", csv.display());
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    let mut checked = 0;
    for (i, r) in rows.iter().enumerate() {
        let row = 2 + i as u32;
        let mut key = format!("{}/{}", r[c("line")], r[c("payer")]);
        if !r[c("frame")].is_empty() {
            key = format!("{key}/{}", r[c("frame")]);
        }
        assert_eq!(text(s, row, 1), key, "{}: row {row}", csv.display());
        for (j, field) in fields.iter().enumerate() {
            let col = first + j as u32;
            let v = &r[c(field)];
            if v.is_empty() {
                assert_eq!(text(s, row, col), "", "{key} {field}");
            } else {
                let want: f64 = v.parse().unwrap();
                assert_eq!(num(s, row, col), want, "{key} {field}");
                checked += 1;
            }
        }
    }
    assert_eq!(s.height() as u32, 2 + rows.len() as u32);
    checked
}

#[test]
fn run_writes_a_workbook_whose_figures_are_budget_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    fleksim()
        .args([
            "run",
            "scenarios/aalborg-project.toml",
            "--replications",
            REPS,
        ])
        .args(["--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let mut b = book(&out.join("budget.xlsx"));
    assert_eq!(
        b.sheet_names(),
        [
            "aalborg-project",
            "aalborg-project 90%",
            "aalborg-project who pays",
            "Notes"
        ]
    );
    check_scenario_sheets(&mut b, "aalborg-project", " 90%", &out.join("budget.csv"));
    check_payer_sheet(&mut b, "aalborg-project who pays", &out.join("payer.csv"));
    let payer = sheet(&mut b, "aalborg-project who pays");
    assert_eq!(
        text(&payer, 2, 0),
        "Unemployment benefit (LY): gross spending"
    );
    let median = sheet(&mut b, "aalborg-project");
    assert_eq!(text(&median, 2, 0), "Ledighedsydelse (gross)");
    // The notes: version, seed, replications, the scenario's assumptions.
    let notes = sheet(&mut b, "Notes");
    let all: Vec<String> = notes.rows().map(|r| format!("{r:?}")).collect();
    let all = all.join("\n");
    for needle in [
        &format!("fleksim {}", env!("CARGO_PKG_VERSION")),
        "Seed",
        "Replications",
        "\"12\"",
        "Assumption",
    ] {
        assert!(all.contains(needle), "notes lack `{needle}`:\n{all}");
    }
    // The same bytes whatever the thread count.
    let other = dir.path().join("run2");
    fleksim()
        .args([
            "run",
            "scenarios/aalborg-project.toml",
            "--replications",
            REPS,
        ])
        .args(["--quiet", "--threads", "1", "--out"])
        .arg(&other)
        .assert()
        .success();
    assert!(
        std::fs::read(out.join("budget.xlsx")).unwrap()
            == std::fs::read(other.join("budget.xlsx")).unwrap(),
        "budget.xlsx depends on the thread count"
    );
}

/// `scenario,…` rows of a comparison file for one alternative.
fn rows_of(path: &Path, alt: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let rows = read_csv(path);
    let header = rows[0].clone();
    (
        header,
        rows[1..].iter().filter(|r| r[0] == alt).cloned().collect(),
    )
}

#[test]
fn compare_in_danish_writes_the_difference_and_the_decision_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    fleksim()
        .args([
            "compare",
            "scenarios/aalborg-baseline.toml",
            "scenarios/aalborg-project.toml",
            "--replications",
            REPS,
            "--quiet",
            "--lang",
            "da",
            "--budget-year",
            "2018",
            "--break-even",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let mut b = book(&out.join("budget.xlsx"));
    let alt = "aalborg-project";
    assert_eq!(
        b.sheet_names(),
        [
            "aalborg-project mod basis",
            "aalborg-project niveauer",
            "aalborg-project budgetår",
            "Break-even",
            "aalborg-baseline",
            "aalborg-baseline 90%",
            "aalborg-baseline betaler",
            "aalborg-project",
            "aalborg-project 90%",
            "aalborg-project betaler",
            "Noter"
        ]
    );
    for name in ["aalborg-baseline", alt] {
        let dir = out.join("runs").join(name);
        check_scenario_sheets(&mut b, name, " 90%", &dir.join("budget.csv"));
        check_payer_sheet(&mut b, &format!("{name} betaler"), &dir.join("payer.csv"));
    }
    // Levels: baseline, alternative, difference and change, then the same
    // discounted, with the rate stated (a number, and in the headers).
    let levels = sheet(&mut b, "aalborg-project niveauer");
    let checked = check_level_sheet(
        &levels,
        &out.join("budget_levels.csv"),
        alt,
        3,
        &[
            "baseline",
            "alternative",
            "diff_mean",
            "diff_p05",
            "diff_p50",
            "diff_p95",
            "change",
            "baseline_pv",
            "alternative_pv",
            "diff_pv_mean",
            "diff_pv_p05",
            "diff_pv_p50",
            "diff_pv_p95",
        ],
    );
    let (hl, lrows) = rows_of(&out.join("budget_levels.csv"), alt);
    let rate: f64 = lrows[0][hl.iter().position(|x| x == "discount_rate").unwrap()]
        .parse()
        .unwrap();
    assert_eq!(num(&levels, 0, 3), rate);
    assert!(
        text(&levels, 1, 10).contains(&format!("{:.1} %", rate * 100.0)),
        "{}",
        text(&levels, 1, 10)
    );
    assert_eq!(number_cells(&levels), checked + 1 /* rate */);
    // The budget year and its overslagsår, marked.
    let by = sheet(&mut b, "aalborg-project budgetår");
    let checked = check_level_sheet(
        &by,
        &out.join("budget_year.csv"),
        alt,
        4,
        &[
            "baseline",
            "alternative",
            "diff_mean",
            "diff_p05",
            "diff_p50",
            "diff_p95",
            "change",
        ],
    );
    assert_eq!(number_cells(&by), checked);
    assert_eq!(text(&by, 2, 2), "2018: budgetår");
    let years: Vec<String> = (2..by.height() as u32).map(|r| text(&by, r, 2)).collect();
    assert!(
        years.iter().any(|y| y == "2021: overslagsår 3"),
        "{years:?}"
    );
    // Break-even: the multiplier and its interval, or that none breaks even.
    let be = sheet(&mut b, "Break-even");
    let rows = read_csv(&out.join("break_even.csv"));
    let mut checked = 0;
    for (i, r) in rows[1..].iter().enumerate() {
        let row = 1 + i as u32;
        assert_eq!(text(&be, row, 0), r[0]);
        for j in 1..4 {
            if r[j].is_empty() {
                let why = if j == 1 { "ingen" } else { "uden for" };
                assert!(text(&be, row, 1 + j as u32).starts_with(why), "{r:?}");
            } else {
                assert_eq!(num(&be, row, 1 + j as u32), r[j].parse::<f64>().unwrap());
                checked += 1;
            }
        }
    }
    assert_eq!(number_cells(&be), checked);
    let d = sheet(&mut b, "aalborg-project mod basis");
    assert_eq!(
        text(&d, 0, 0),
        "Alternativ minus basis (kr. pr. år, median)"
    );
    assert_eq!(text(&d, 2, 0), "Ledighedsydelse (brutto)");
    // Per year and budget line: budget_difference.csv's p50.
    let (h, diff) = rows_of(&out.join("budget_difference.csv"), alt);
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    let mut years: Vec<String> = Vec::new();
    for r in &diff {
        if !years.contains(&r[c("year")]) {
            years.push(r[c("year")].clone());
        }
    }
    let col_of = |y: &str| 2 + years.iter().position(|x| x == y).unwrap() as u32;
    let mut row_of: HashMap<String, u32> = HashMap::new();
    for row in 0..d.height() as u32 {
        let k = text(&d, row, 1);
        if !k.is_empty() {
            row_of.insert(k, row);
        }
    }
    let mut checked = 0;
    for r in &diff {
        let row = row_of[&r[c("line")]];
        let want: f64 = r[c("p50")].parse().unwrap();
        assert_eq!(num(&d, row, col_of(&r[c("year")])), want, "{r:?}");
        checked += 1;
    }
    // Cumulative, at each year's last month: cumulative_monthly.csv.
    let (hm, monthly) = rows_of(&out.join("cumulative_monthly.csv"), alt);
    let cm = |n: &str| hm.iter().position(|x| x == n).unwrap();
    for y in &years {
        let last = monthly
            .iter()
            .rev()
            .find(|r| r[cm("month")].starts_with(&format!("{y}-")))
            .unwrap();
        for (key, field) in [
            ("cum_diff_p50", "p50"),
            ("cum_diff_p05", "p05"),
            ("cum_diff_p95", "p95"),
            ("prob_cheaper", "prob_cheaper"),
        ] {
            let want: f64 = last[cm(field)].parse().unwrap();
            assert_eq!(num(&d, row_of[key], col_of(y)), want, "{key} {y}");
            checked += 1;
        }
    }
    // The decision figures: steering.csv.
    let (hs, steering) = rows_of(&out.join("steering.csv"), alt);
    let cs = |n: &str| hs.iter().position(|x| x == n).unwrap();
    let st = |ind: &str| steering.iter().find(|r| r[cs("indicator")] == ind).unwrap();
    let p: f64 = st("prob_cheaper_horizon")[cs("p50")].parse().unwrap();
    assert_eq!(num(&d, row_of["prob_cheaper_horizon"], 2), p);
    for ind in ["net_cost_diff_per_year", "cum_diff_horizon"] {
        for (j, field) in ["p50", "p05", "p95"].iter().enumerate() {
            let want: f64 = st(ind)[cs(field)].parse().unwrap();
            assert_eq!(num(&d, row_of[ind], 2 + j as u32), want, "{ind} {field}");
        }
    }
    let payback = &st("payback_month")[cs("p50")];
    let shown = text(&d, row_of["payback_month"], 2);
    if payback.is_empty() {
        assert!(shown.starts_with("ingen"), "{shown}");
    } else {
        assert_eq!(&shown, payback);
    }
    // The net saving per year after the grant ends: the mean yearly net
    // difference over the full years after the project window, negated.
    let (hc, cum) = rows_of(&out.join("cumulative.csv"), alt);
    let cc = |n: &str| hc.iter().position(|x| x == n).unwrap();
    let end = &cum
        .iter()
        .find(|r| r[cc("point")] == "project_end")
        .unwrap()[cc("month")];
    assert_eq!(text(&d, row_of["project_end"], 2), *end);
    let end_year: i32 = end[..4].parse().unwrap();
    let after: Vec<f64> = diff
        .iter()
        .filter(|r| {
            r[c("line")] == "net_municipal_cost"
                && r[c("year")].parse::<i32>().unwrap() > end_year
                && r[c("months")] == "12"
        })
        .map(|r| r[c("mean")].parse::<f64>().unwrap())
        .collect();
    assert!(!after.is_empty());
    let saving = (-after.iter().sum::<f64>() / after.len() as f64).round();
    assert_eq!(
        num(&d, row_of["net_saving_per_year_after_grant"], 2),
        saving
    );
    // Every number cell of the sheet was checked above (or is a header).
    assert_eq!(
        number_cells(&d),
        checked + years.len() /* months */ + 7 /* decision */ + 1, /* after grant */
        "the difference sheet holds numbers this test does not check"
    );
    let notes = sheet(&mut b, "Noter");
    let all = format!("{:?}", notes.rows().collect::<Vec<_>>());
    assert!(all.contains("Basisscenarie") && all.contains("Replikationer"));
}

/// An entry of the workbook's zip container (its XML).
fn xml(path: &Path, entry: &str) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).expect("budget.xlsx is a zip container");
    let mut e = z.by_name(entry).unwrap_or_else(|e| panic!("{entry}: {e}"));
    let mut text = String::new();
    std::io::Read::read_to_string(&mut e, &mut text).unwrap();
    text
}

#[test]
fn figures_are_formatted_for_a_budget_office() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, unit) in [("en", "&quot;DKK&quot;"), ("da", "&quot;kr.&quot;")] {
        let out = dir.path().join(lang);
        fleksim()
            .args(["run", "scenarios/markov-exits.toml", "--replications", "2"])
            .args(["--quiet", "--lang", lang, "--out"])
            .arg(&out)
            .assert()
            .success();
        let book = out.join("budget.xlsx");
        // Thousands separators and the currency in the number format;
        // shares as percentages.
        let styles = xml(&book, "xl/styles.xml");
        assert!(
            styles.contains(&format!("formatCode=\"#,##0 {unit}")),
            "{lang}: no DKK format with thousands separators:\n{styles}"
        );
        // Every sheet: header rows and label columns frozen, widths set.
        for sheet in ["sheet1", "sheet2", "sheet3"] {
            let s = xml(&book, &format!("xl/worksheets/{sheet}.xml"));
            assert!(
                s.contains("xSplit=\"2\" ySplit=\"2\"") && s.contains("state=\"frozen\""),
                "{lang} {sheet}: headers not frozen"
            );
            assert!(
                s.contains("<cols>") && s.contains("customWidth=\"1\""),
                "{sheet}: no widths"
            );
        }
        let notes = xml(&book, "xl/worksheets/sheet4.xml");
        assert!(notes.contains("ySplit=\"1\""), "notes: header not frozen");
    }
}

#[test]
fn the_workbook_names_lines_as_the_report_does() {
    use fleksim::output::workbook::text::{line_label, Lang};
    use fleksim::report::i18n::Lang as PageLang;
    assert_eq!(
        fleksim::output::workbook::LINES,
        fleksim::analysis::compare::BUDGET_LINES
    );
    for key in fleksim::output::workbook::LINES {
        for (ours, page) in [(Lang::En, PageLang::En), (Lang::Da, PageLang::Da)] {
            assert_eq!(
                line_label(key, ours),
                fleksim::report::labels::metric(key, page).label,
                "{key}"
            );
        }
    }
}

#[test]
fn an_unknown_language_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let o = fleksim()
        .args(["run", "scenarios/markov-check.toml", "--replications", "2"])
        .args(["--lang", "de", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--lang `de`") && err.contains("`da`"), "{err}");
    assert!(!out.exists());
}
