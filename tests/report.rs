//! `fleksim report`: the page is well-formed, self-contained, has every
//! chart with its title and axis labels, prints Danish when asked, refuses
//! bad folders with exit code 2, and a real browser draws it.
//!
//! Inputs are the committed folders under tests/fixtures/report/ (made by
//! its make_fixtures.sh). Snapshots of the page's text are
//! tests/fixtures/report/expected-{en,da}.txt; run with
//! `UPDATE_SNAPSHOTS=1` to rewrite them after an intended change.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

const RUN: &str = "tests/fixtures/report/run";
const COMPARISON: &str = "tests/fixtures/report/comparison";
const TORNADO: &str = "tests/fixtures/report/tornado";

/// Runs `fleksim report <dirs> --out <tmp>/report.html <extra>` and returns
/// the page.
fn report(dirs: &[&str], extra: &[&str]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report.html");
    let output = fleksim()
        .arg("report")
        .args(dirs)
        .arg("--out")
        .arg(&out)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "report failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let page = std::fs::read_to_string(&out).unwrap();
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "temporary files left beside the report");
    page
}

fn all_three(extra: &[&str]) -> String {
    report(&[COMPARISON, RUN, TORNADO], extra)
}

/// Parses the page strictly as XML (stricter than an HTML parser, which
/// accepts anything) and panics with the parser's position on failure.
fn parse(page: &str) -> roxmltree::Document<'_> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(page, opts)
        .unwrap_or_else(|e| panic!("the page is not well-formed: {e}"))
}

#[test]
fn page_parses_and_references_nothing_outside() {
    let page = all_three(&[]);
    let doc = parse(&page);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "html");
    assert_eq!(root.attribute("lang"), Some("en"));
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(
            !["script", "link", "iframe", "img", "object", "embed"].contains(&name),
            "the page has a <{name}> element"
        );
        for a in node.attributes() {
            let v = a.value().trim().to_ascii_lowercase();
            if ["src", "href"].contains(&a.name()) {
                assert!(
                    !v.starts_with("http://") && !v.starts_with("https://") && !v.starts_with("//"),
                    "external {}=\"{}\"",
                    a.name(),
                    a.value()
                );
            }
            assert!(!v.contains("url("), "url( in attribute {}", a.name());
        }
    }
    let lower = page.to_ascii_lowercase();
    for needle in [
        "<script",
        "<link",
        "@import",
        "url(",
        "src=\"http",
        "href=\"http",
    ] {
        assert!(!lower.contains(needle), "the page contains `{needle}`");
    }
}

/// Every chart's title and the axis labels it must show (English).
fn expected_charts() -> BTreeMap<&'static str, Vec<&'static str>> {
    let time = |y: &'static str| vec!["Month", y];
    BTreeMap::from([
        (
            "Share of the flexjob scheme on ledighedsydelse (KPI 1)",
            [
                time("share of the scheme (%)"),
                vec![
                    "target 13 % (March 2018)",
                    "observed 15.3 % (June 2016)",
                    "project period",
                ],
            ]
            .concat(),
        ),
        (
            "Share of the scheme on LY: scenarios side by side",
            [
                time("share of the scheme (%)"),
                vec![
                    "aalborg-baseline",
                    "aalborg-project",
                    "target 13 % (March 2018)",
                ],
            ]
            .concat(),
        ),
        (
            "People on LY and in flexjobs",
            [
                time("people"),
                vec!["On LY (people)", "In flexjobs (people)"],
            ]
            .concat(),
        ),
        (
            "Progression in small flexjobs (KPI 2)",
            [
                time("share of jobs started at ≤ 10 h (%)"),
                vec!["target 35 % (March 2018)"],
            ]
            .concat(),
        ),
        (
            "Yearly budget of the municipality",
            vec![
                "Year",
                "DKK million per year",
                "refusion",
                "net municipal cost",
                "staff (municipal)",
            ],
        ),
        (
            "Net municipal cost: alternative minus baseline, per month (aalborg-project)",
            // The fixture's project is never paid back: no payback marker.
            time("DKK thousand per month"),
        ),
        (
            "Net municipal cost: cumulative difference (aalborg-project)",
            // Per-replication quantiles of the sum: the chart has its band.
            [time("DKK million"), vec!["90 % band (p05–p95)"]].concat(),
        ),
        (
            "Share on LY: alternative minus baseline (aalborg-project)",
            time("percentage points"),
        ),
        (
            "One-way sensitivity: Share of the scheme on LY in March 2018",
            vec![
                "Parameter",
                "Change against the base result (percentage points)",
                "Jobclub: effect on job finding",
                "policy.jobclub.effect",
                "×0.98",
                "×1.60",
                "base 14.1 %",
            ],
        ),
    ])
}

#[test]
fn every_chart_is_well_formed_svg_with_title_and_labels() {
    let page = all_three(&[]);
    let doc = parse(&page);
    let expected = expected_charts();
    let mut seen = BTreeMap::new();
    let figures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("figure"))
        .collect();
    assert!(!figures.is_empty());
    for fig in figures {
        let svg = fig
            .children()
            .find(|n| n.has_tag_name("svg"))
            .expect("a figure without an <svg>");
        // Each chart also stands alone as an XML document.
        let text = &page[svg.range()];
        let alone = roxmltree::Document::parse(text)
            .unwrap_or_else(|e| panic!("chart is not well-formed SVG: {e}"));
        let svg = alone.root_element();
        assert_eq!(
            svg.tag_name().namespace(),
            Some("http://www.w3.org/2000/svg")
        );
        assert!(svg.attribute("viewBox").is_some());
        let title = svg
            .children()
            .find(|n| n.has_tag_name("title"))
            .and_then(|t| t.text())
            .expect("a chart without <title>")
            .trim()
            .to_string();
        let texts: Vec<String> = svg
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .map(|t| t.trim().to_string())
            .collect();
        assert!(
            texts.contains(&title),
            "`{title}` is not drawn on its chart"
        );
        let labels = expected
            .get(title.as_str())
            .unwrap_or_else(|| panic!("unexpected chart `{title}`"));
        for label in labels {
            // The legend may wrap a long label over lines.
            let joined = texts.join(" ");
            assert!(
                joined.contains(label),
                "chart `{title}` lacks the label `{label}`:\n{texts:?}"
            );
        }
        let aid = fig
            .children()
            .find(|n| n.has_tag_name("figcaption"))
            .and_then(|c| c.text())
            .unwrap_or("");
        assert!(aid.len() > 20, "chart `{title}` has no reading aid");
        *seen.entry(title).or_insert(0) += 1;
    }
    for title in expected.keys() {
        assert!(seen.contains_key(*title), "no chart `{title}`");
    }
    // The comparison shows stocks, progression and budget for both of its
    // scenarios; the run folder once more.
    assert_eq!(seen["Yearly budget of the municipality"], 3);
}

/// The page's words: every text outside charts, style and head, a table
/// row per line with its cells joined by ` | `.
fn page_text(page: &str) -> String {
    fn walk(node: roxmltree::Node, out: &mut Vec<String>) {
        if node.is_text() {
            let t = node.text().unwrap_or("").trim();
            if !t.is_empty() {
                out.push(t.to_string());
            }
            return;
        }
        let name = node.tag_name().name();
        if ["svg", "style", "head"].contains(&name) {
            return;
        }
        if name == "tr" {
            let cells: Vec<&str> = node
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .map(str::trim)
                .collect();
            out.push(cells.join(" | "));
            return;
        }
        for child in node.children() {
            walk(child, out);
        }
    }
    let doc = parse(page);
    let mut lines = Vec::new();
    walk(doc.root(), &mut lines);
    lines.join("\n") + "\n"
}

fn check_snapshot(name: &str, actual: &str) {
    let path = root(&format!("tests/fixtures/report/{name}"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        let out = root(&format!("target/{name}.actual"));
        let _ = std::fs::write(&out, actual);
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "the report's text differs from {} from line {}:\n  expected: {:?}\n  actual:   {:?}\nwhole text in {}; run with UPDATE_SNAPSHOTS=1 if the change is intended",
            path.display(),
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first),
            out.display()
        );
    }
}

#[test]
fn text_matches_the_snapshot() {
    check_snapshot("expected-en.txt", &page_text(&all_three(&[])));
    check_snapshot("expected-da.txt", &page_text(&all_three(&["--lang", "da"])));
}

#[test]
fn danish_has_danish_words_and_numbers() {
    let page = report(&[RUN], &["--lang", "da"]);
    let doc = parse(&page);
    assert_eq!(doc.root_element().attribute("lang"), Some("da"));
    let text = page_text(&page);
    // Thousands with a dot, decimals with a comma, in tables and on axes.
    for needle in [
        "Nøgletal",
        "Antagelser",
        "14,1 % (13,0 – 15,5)",
        "1.994 (1.950 – 2.046)",
        "mio. kr.",
    ] {
        assert!(text.contains(needle), "no `{needle}` in:\n{text}");
    }
    assert!(!text.contains("14.1 %"), "{text}");
    assert!(page.contains("Andel af fleksjobordningen på ledighedsydelse (KPI 1)"));
    assert!(
        page.contains(">\n13,0 %\n</text>"),
        "no Danish tick on the share axis"
    );
    assert!(
        page.contains(">\n2.000\n</text>"),
        "no Danish tick on the flexjob axis"
    );
}

#[test]
fn default_out_is_report_html_in_the_first_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    copy_dir(&root(RUN), &dir);
    let output = fleksim().arg("report").arg(&dir).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.join("report.html").is_file());
    let stray: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(stray.is_empty(), "temporary files left: {stray:?}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Runs `fleksim report <args>` and checks it failed cleanly with exit
/// code 2, wrote nothing, and said every `needle`.
fn refused(args: &[&std::ffi::OsStr], out: &Path, needles: &[&str]) {
    let output = fleksim()
        .arg("report")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "a report was written");
    for n in needles {
        assert!(stderr.contains(n), "`{n}` not in:\n{stderr}");
    }
}

#[test]
fn bad_input_exits_2_and_says_what_is_allowed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report.html");
    let os = |p: &Path| p.as_os_str().to_owned();
    let missing = tmp.path().join("nope");
    refused(
        &[&os(&missing)],
        &out,
        &["nope", "is not a folder", "fleksim run"],
    );

    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    refused(&[&os(&empty)], &out, &["empty", "no manifest.json"]);

    let run = tmp.path().join("run");
    copy_dir(&root(RUN), &run);
    let monthly = run.join("monthly.csv");
    let text = std::fs::read_to_string(&monthly).unwrap();
    std::fs::write(&monthly, text.replacen(",0.", ",zero.", 1)).unwrap();
    refused(
        &[&os(&run)],
        &out,
        &["monthly.csv", "line", "month,metric,mean,p05,p50,p95"],
    );
    std::fs::write(&monthly, text.replacen("month,metric", "when,metric", 1)).unwrap();
    refused(&[&os(&run)], &out, &["monthly.csv", "no column `month`"]);
    std::fs::write(&monthly, text.replacen("2016-09", "2016-9", 1)).unwrap();
    refused(&[&os(&run)], &out, &["monthly.csv", "`2016-9`", "YYYY-MM"]);
    let no_share: String = text
        .lines()
        .filter(|l| !l.contains(",ly_share,"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&monthly, no_share).unwrap();
    refused(&[&os(&run)], &out, &["monthly.csv", "`ly_share`"]);
    std::fs::write(&monthly, &text).unwrap();

    let manifest = run.join("manifest.json");
    let m = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        m.replacen("\"kind\": \"run\"", "\"kind\": \"forecast\"", 1),
    )
    .unwrap();
    refused(
        &[&os(&run)],
        &out,
        &[
            "manifest.json",
            "`forecast`",
            "`run`, `comparison`, `tornado` or `sweep`",
        ],
    );
    std::fs::write(&manifest, "{ not json").unwrap();
    refused(&[&os(&run)], &out, &["manifest.json", "not valid JSON"]);
    std::fs::write(&manifest, &m).unwrap();

    let comparison = tmp.path().join("comparison");
    copy_dir(&root(COMPARISON), &comparison);
    std::fs::remove_dir_all(comparison.join("runs").join("aalborg-project")).unwrap();
    refused(
        &[&os(&comparison)],
        &out,
        &["aalborg-project", "runs/<scenario>/"],
    );

    let lang = [os(&run), "--lang".into(), "de".into()];
    let lang: Vec<&std::ffi::OsStr> = lang.iter().map(|s| s.as_os_str()).collect();
    refused(&lang, &out, &["--lang `de`", "`en`", "`da`"]);

    let no_folder = tmp.path().join("no").join("report.html");
    refused(&[&os(&run)], &no_folder, &["does not exist"]);
    assert!(!run.join("report.html").exists());
}

/// A file of a folder and how to change its text.
type FileEdit<'a> = (&'a str, &'a dyn Fn(&str) -> String);

/// A copy of the fixture folder `from` in `tmp`, its `manifest.json`
/// changed by `edit` and its files by `files` (name → new text).
fn patched(
    tmp: &Path,
    from: &str,
    edit: impl Fn(&mut serde_json::Value),
    files: &[FileEdit],
) -> PathBuf {
    let dir = tmp.join(Path::new(from).file_name().unwrap());
    copy_dir(&root(from), &dir);
    let path = dir.join("manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut m);
    std::fs::write(&path, serde_json::to_string_pretty(&m).unwrap()).unwrap();
    for (name, f) in files {
        let p = dir.join(name);
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, f(&text)).unwrap();
    }
    dir
}

/// The texts drawn on the chart whose title starts with `title`.
fn chart_texts(page: &str, title: &str) -> Vec<String> {
    let doc = parse(page);
    let svg = doc
        .descendants()
        .filter(|n| n.has_tag_name("svg"))
        .find(|svg| {
            svg.children()
                .find(|n| n.has_tag_name("title"))
                .and_then(|t| t.text())
                .is_some_and(|t| t.trim().starts_with(title))
        })
        .unwrap_or_else(|| panic!("no chart `{title}…`"));
    svg.descendants()
        .filter(|n| n.has_tag_name("text") || n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// The tornado fixture as `fleksim tornado` writes it without `--metric`
/// for a scenario with a baseline: the horizon's net municipal cost minus
/// the baseline's, in DKK.
fn dkk_tornado(tmp: &Path) -> PathBuf {
    let to_dkk = |text: &str| -> String {
        let mut out = String::new();
        for (i, line) in text.lines().enumerate() {
            if i == 0 {
                out.push_str(line);
            } else {
                // parameter,low_value,high_value,metric_low,metric_high,swing,base
                let cells: Vec<String> = line
                    .split(',')
                    .enumerate()
                    .map(|(k, c)| match k {
                        3..=6 => {
                            let v: f64 = c.parse().unwrap();
                            format!("{}", ((v - 0.13) * 4e8).round())
                        }
                        _ => c.to_string(),
                    })
                    .collect();
                out.push_str(&cells.join(","));
            }
            out.push('\n');
        }
        out
    };
    patched(
        tmp,
        TORNADO,
        |m| {
            m["metric"] = "cumulative net municipal cost minus aalborg-baseline".into();
            m["baseline"] = "aalborg-baseline".into();
            m["at"] = "horizon".into();
        },
        &[("tornado.csv", &to_dkk)],
    )
}

#[test]
fn tornado_of_money_has_a_money_axis_and_speaks_danish() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = dkk_tornado(tmp.path());
    let dir = dir.to_str().unwrap();
    let en = report(&[dir], &[]);
    let texts = chart_texts(&en, "One-way sensitivity").join(" ");
    assert!(
        texts.contains("Change against the base result (DKK million)"),
        "{texts}"
    );
    assert!(!texts.contains("people"), "{texts}");
    assert!(
        texts.contains(
            "One-way sensitivity: Net municipal cost, total over the horizon: aalborg-project-psa − aalborg-baseline"
        ),
        "{texts}"
    );
    let da = report(&[dir], &["--lang", "da"]);
    let texts = chart_texts(&da, "Envejs-følsomhed").join(" ");
    for needle in [
        "Envejs-følsomhed: Kommunens nettoudgift, i alt over horisonten: aalborg-project-psa − aalborg-baseline",
        "Ændring i forhold til basisresultatet (mio. kr.)",
        "Jobklub: effekt på jobchancen",
        "basis",
    ] {
        assert!(texts.contains(needle), "no `{needle}` in {texts}");
    }
    for english in ["people", "personer", "cumulative", "net municipal cost"] {
        assert!(!texts.contains(english), "`{english}` in {texts}");
    }
    let text = page_text(&da);
    assert!(
        text.contains(
            "Kommunens nettoudgift, i alt over horisonten: aalborg-project-psa − aalborg-baseline"
        ),
        "{text}"
    );
    // The table's results are money too.
    assert!(text.contains(" mio. kr. | "), "{text}");
}

#[test]
fn tornado_names_parameters_and_prints_their_inputs() {
    let page = report(&[TORNADO], &[]);
    let text = page_text(&page);
    for row in [
        "Jobclub: effect on job finding | policy.jobclub.effect | ×0.98 | ×1.60 | 14.7 % | 13.3 % | 1.33 pp",
        "Follow-up: chance of more hours after a contact | policy.followup.p_up_contact | 4.9 % | 21.2 % |",
        "Capacity: elasticity of job finding to the caseload | staffing.elasticity | 0.23 | 0.77 |",
    ] {
        assert!(text.contains(row), "no row `{row}` in:\n{text}");
    }
    let texts = chart_texts(&page, "One-way sensitivity");
    // Each bar's ends carry its inputs; each row its label and key.
    for t in [
        "×0.98",
        "×1.60",
        "4.9 %",
        "21.2 %",
        "Follow-up: chance of more hours",
        "policy.followup.p_up_contact",
        "Change against the base result (percentage points)",
    ] {
        assert!(texts.iter().any(|x| x == t), "`{t}` not drawn: {texts:?}");
    }
    // The axis is the change: its ticks run around zero, not around 13 %.
    assert!(texts.iter().any(|x| x == "0.0"), "{texts:?}");
    assert!(!texts.iter().any(|x| x == "13.0 %"), "{texts:?}");
}

#[test]
fn danish_page_shows_the_danish_scenario_texts() {
    let page = report(&[COMPARISON, RUN], &["--lang", "da"]);
    let text = page_text(&page);
    let project = text_of_scenario("aalborg-project");
    assert!(text.contains(&project.0), "no `{}` in:\n{text}", project.0);
    for a in &project.1 {
        assert!(text.contains(a.as_str()), "no `{a}` in:\n{text}");
    }
    assert!(text.contains("basis: aalborg-baseline — Jobcenter Aalborg, fleksjobenheden"));
    for english in [
        "Job finding on LY",
        "Jobcenter Aalborg with the project",
        "normal effort",
    ] {
        assert!(!text.contains(english), "`{english}` in:\n{text}");
    }
    assert!(
        !page.contains("class=\"note\""),
        "a note though nothing is missing"
    );
}

/// `description_da` and `assumptions_da` of a shipped scenario.
/// The Danish description and assumptions of a scenario of the comparison
/// fixture, as its manifest holds them (the page shows the folder's
/// scenario, which is the shipped file when the fixtures were made).
fn text_of_scenario(name: &str) -> (String, Vec<String>) {
    let m: serde_json::Value =
        serde_json::from_str(&text(&format!("{COMPARISON}/manifest.json"))).unwrap();
    let t = &m["scenarios"][name];
    let d = t["description_da"].as_str().unwrap().to_string();
    let a = t["assumptions_da"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    (d, a)
}

#[test]
fn missing_danish_text_is_one_note_not_english() {
    let tmp = tempfile::tempdir().unwrap();
    let strip = |s: &mut serde_json::Value| {
        let o = s.as_object_mut().unwrap();
        o.remove("description_da");
        o.remove("assumptions_da");
    };
    let run = patched(tmp.path(), RUN, |m| strip(&mut m["scenario"]), &[]);
    let comparison = patched(
        tmp.path(),
        COMPARISON,
        |m| {
            strip(&mut m["scenarios"]["aalborg-baseline"]);
            m["scenarios"]["aalborg-project"]
                .as_object_mut()
                .unwrap()
                .remove("assumptions_da");
        },
        &[],
    );
    let dirs = [comparison.to_str().unwrap(), run.to_str().unwrap()];
    let page = report(&dirs, &["--lang", "da"]);
    assert_eq!(
        page.matches("class=\"note\"").count(),
        1,
        "not exactly one note"
    );
    let text = page_text(&page);
    assert!(
        text.contains(
            "Nogle af scenariernes tekster findes ikke på dansk og er udeladt: \
             aalborg-baseline (beskrivelse, antagelser); aalborg-project (beskrivelse, antagelser)."
        ),
        "{text}"
    );
    // Left out, not shown in English.
    for english in [
        "Job finding on LY",
        "normal effort",
        "Jobcenter Aalborg with",
    ] {
        assert!(!text.contains(english), "`{english}` in:\n{text}");
    }
    // The project's Danish description stays where it has one.
    assert!(text.contains("Jobcenter Aalborg med projektet"), "{text}");
    // English pages of the same folders miss nothing.
    assert!(!report(&dirs, &[]).contains("class=\"note\""));
}

#[test]
fn months_in_prose_are_written_out() {
    let da = page_text(&all_three(&["--lang", "da"]));
    for needle in [
        "KPI-måned marts 2018",
        "periode september 2016 – august 2020",
        "| marts 2018 |",
        "Tilbagebetalingsmåned | måned | – | – | aldrig (aldrig – aldrig)",
        "Andel af ordningen på ledighedsydelse i marts 2018",
    ] {
        assert!(da.contains(needle), "no `{needle}` in:\n{da}");
    }
    let en = page_text(&report(&[RUN], &[]));
    assert!(en.contains("KPI month March 2018"), "{en}");
    assert!(!en.contains("2018-03") && !da.contains("2018-03"), "{da}");
    // Files keep YYYY-MM.
    assert!(text(&format!("{COMPARISON}/comparison_summary.csv")).contains("2018-03"));
}

/// Whether `needle` occurs in `hay` as a whole: not inside a longer word,
/// a key (`ly_share`) or a scenario name (`aalborg-baseline`).
fn occurs_as_words(hay: &str, needle: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let mut after = hay[i + needle.len()..].chars();
        let next = after.next();
        let dotted = |c: Option<char>, d: Option<char>| c == Some('.') && d.is_some_and(word);
        !before.is_some_and(|c| word(c) || c == '.')
            && !next.is_some_and(word)
            && !dotted(next, after.next())
    })
}

#[test]
fn danish_pages_hold_none_of_the_reports_english() {
    let tmp = tempfile::tempdir().unwrap();
    let money = dkk_tornado(tmp.path());
    let pages = [
        all_three(&["--lang", "da"]),
        report(&[money.to_str().unwrap()], &["--lang", "da"]),
    ];
    // Every text node, charts included.
    let texts: Vec<String> = pages
        .iter()
        .map(|p| {
            parse(p)
                .descendants()
                .filter(|n| n.is_text())
                .filter(|n| n.parent().is_none_or(|p| !p.has_tag_name("style")))
                .filter_map(|n| n.text())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    let pairs = fleksim::report::text_pairs();
    assert!(pairs.len() > 200, "only {} texts", pairs.len());
    let mut found = Vec::new();
    for (en, da) in pairs {
        let en = en.trim();
        if en.chars().count() <= 3 || en == da.trim() {
            continue;
        }
        if texts.iter().any(|t| occurs_as_words(t, en)) {
            found.push(en);
        }
    }
    assert!(found.is_empty(), "English in the Danish page: {found:?}");
}

#[test]
fn danish_scenario_texts_are_checked_like_the_english() {
    let tmp = tempfile::tempdir().unwrap();
    let base = text(PROJECT);
    let good = tmp.path().join("good.toml");
    std::fs::write(&good, &base).unwrap();
    let out = fleksim().arg("validate").arg(&good).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bad = tmp.path().join("bad.toml");
    let wrong: Vec<&str> = base
        .lines()
        .map(|l| {
            if l.starts_with("description_da") {
                "description_da = 3"
            } else {
                l
            }
        })
        .collect();
    std::fs::write(&bad, wrong.join("\n")).unwrap();
    let out = fleksim().arg("validate").arg(&bad).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("key `description_da`") && stderr.contains("expected a string"),
        "{stderr}"
    );
}

/// Ignored by a plain `cargo test`, so that it reports "ignored" rather
/// than a pass it did not earn; `.ci/run` runs it with `--ignored`. Run on
/// purpose, a missing browser is a failure, not a skip.
#[test]
#[ignore = "needs chromium; .ci/run runs it with --ignored"]
fn a_browser_renders_the_report() {
    let version = match std::process::Command::new("chromium")
        .arg("--version")
        .output()
    {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_string(),
        Ok(out) => panic!(
            "`chromium --version` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => panic!(
            "this test needs chromium on the PATH ({e}): install it (apt-get install chromium) \
             or leave out --ignored"
        ),
    };
    // Written past the test harness's capture, so that the log shows which
    // browser drew the page.
    let _ = writeln!(std::io::stderr(), "a_browser_renders_the_report: {version}");
    let tmp = tempfile::tempdir().unwrap();
    let html = tmp.path().join("report.html");
    let png = tmp.path().join("report.png");
    std::fs::write(&html, all_three(&[])).unwrap();
    screenshot(&html, &png, tmp.path().join("profile"));
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1280, 2000));
    let bytes = &buf[..info.buffer_size()];
    let px = info.color_type.samples()
        * if info.bit_depth == png::BitDepth::Sixteen {
            2
        } else {
            1
        };
    let first = &bytes[..px];
    let differing = bytes.chunks(px).filter(|p| *p != first).count();
    assert!(
        differing > bytes.len() / px / 50,
        "the screenshot is (nearly) blank: {differing} pixels differ from the first"
    );
}

/// Headless chromium takes a 1280×2000 screenshot of `html`.
fn screenshot(html: &Path, png: &Path, profile: PathBuf) {
    let output = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--window-size=1280,2000")
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("cannot start chromium: install it (apt-get install chromium)");
    assert!(
        png.is_file(),
        "chromium wrote no screenshot:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The style sheet's print rules: A4, no chart cut across pages, table
/// headers repeated on every page a table spans. (The browser test below
/// checks what a printer gets.)
#[test]
fn the_page_has_print_rules() {
    let page = all_three(&[]);
    let style = page
        .split_once("<style>")
        .and_then(|(_, rest)| rest.split_once("</style>"))
        .map(|(s, _)| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .expect("the page has no <style>");
    // The body of the rule for `selector` in `sheet`.
    let rule = |sheet: &str, selector: &str| -> Option<String> {
        let at = sheet.find(&format!("{selector} {{"))?;
        let body = &sheet[at + selector.len() + 2..];
        Some(body[..body.find('}')?].to_string())
    };
    let page_rule = rule(&style, "@page").expect("no @page rule");
    assert!(page_rule.contains("size: A4"), "@page {{{page_rule}}}");
    let print = &style[style.find("@media print {").expect("no @media print block")..];
    for (selector, declaration) in [
        ("figure.chart", "break-inside: avoid"),
        ("thead", "display: table-header-group"),
    ] {
        let body = rule(print, selector)
            .unwrap_or_else(|| panic!("no `{selector}` rule in @media print:\n{print}"));
        assert!(
            body.contains(declaration),
            "`{selector}` in @media print lacks `{declaration}`: {{{body}}}"
        );
    }
}

/// The pages of a PDF: its `/Type /Page` objects (not the `/Pages` tree
/// nodes), each with its `/MediaBox` in points. Chromium writes these
/// objects uncompressed, one page dictionary per object.
fn pdf_pages(pdf: &[u8]) -> Vec<(f64, f64)> {
    let text = String::from_utf8_lossy(pdf);
    let mut pages = Vec::new();
    let mut rest = text.as_ref();
    while let Some(i) = rest.find("/Type /Page") {
        let after = &rest[i + "/Type /Page".len()..];
        rest = after;
        if after.starts_with('s') {
            continue;
        }
        // The object around the match: back to its ` obj`, on to `endobj`
        // (its dictionary holds nested ones).
        let start = text.len() - after.len() - "/Type /Page".len();
        let open = text[..start].rfind(" obj").unwrap_or(0);
        let close = text[start..]
            .find("endobj")
            .map_or(text.len(), |j| start + j);
        let dict = &text[open..close];
        let media = dict
            .split_once("/MediaBox [")
            .and_then(|(_, m)| m.split_once(']'))
            .map(|(m, _)| {
                m.split_whitespace()
                    .filter_map(|x| x.parse::<f64>().ok())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let size = match media[..] {
            [x0, y0, x1, y1] => (x1 - x0, y1 - y0),
            _ => (0.0, 0.0),
        };
        pages.push(size);
    }
    pages
}

/// Prints a comparison of the three shipped Aalborg scenarios (the full
/// 120 months, 20 replications) to PDF with headless chromium, in both
/// languages: A4 pages, at most 10 of them. Before the print rules it took
/// 15 US-letter pages.
#[test]
#[ignore = "needs chromium; .ci/run runs it with --ignored"]
fn a_comparison_of_three_prints_on_at_most_ten_a4_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let cmp = tmp.path().join("compare");
    let out = fleksim()
        .arg("compare")
        .args(
            [
                "scenarios/aalborg-baseline.toml",
                "scenarios/aalborg-project.toml",
                "scenarios/aalborg-permanent.toml",
            ]
            .map(root),
        )
        .args(["--replications", "20", "--quiet", "--out"])
        .arg(&cmp)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for lang in ["en", "da"] {
        let html = tmp.path().join(format!("report-{lang}.html"));
        let pdf = tmp.path().join(format!("report-{lang}.pdf"));
        let out = fleksim()
            .arg("report")
            .arg(&cmp)
            .arg("--out")
            .arg(&html)
            .args(["--lang", lang])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        print_to_pdf(&html, &pdf, tmp.path().join(format!("profile-{lang}")));
        let pages = pdf_pages(&std::fs::read(&pdf).unwrap());
        let _ = writeln!(
            std::io::stderr(),
            "a_comparison_of_three_prints_on_at_most_ten_a4_pages: {lang}: {} pages",
            pages.len()
        );
        assert!(!pages.is_empty(), "{lang}: no page found in the PDF");
        assert!(
            pages.len() <= 10,
            "{lang}: the comparison of three prints on {} pages; at most 10 allowed",
            pages.len()
        );
        for (w, h) in &pages {
            // A4 is 595.3 × 841.9 points.
            assert!(
                (w - 595.3).abs() < 1.5 && (h - 841.9).abs() < 1.5,
                "{lang}: a page of {w} × {h} points is not A4"
            );
        }
    }
}

/// Headless chromium prints `html` to `pdf`, without its own header and
/// footer.
fn print_to_pdf(html: &Path, pdf: &Path, profile: PathBuf) {
    let output = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("cannot start chromium: install it (apt-get install chromium)");
    assert!(
        pdf.is_file(),
        "chromium wrote no PDF:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Issue 17, for the steering group and the budget office: the verdict's
/// table (cumulative points with the probability of being cheaper, the
/// cheaper periods), the yearly difference per budget line, the partial
/// years, the price basis and the grant against its cost, in both
/// languages; the fixture comparison is 48 months from September 2016.
#[test]
fn comparison_tables_the_verdict_the_budget_and_the_money() {
    let en = page_text(&report(&[COMPARISON], &[]));
    for needle in [
        "Cumulative difference in net municipal cost",
        "end of the project",
        "June 2018",
        "after 3 years",
        "end of the horizon",
        "Probability cheaper",
        "Cheaper than the baseline (mean cumulative difference below zero):",
        "Cumulative cost difference at the end of the project",
        "Probability that the alternative is cheaper over the horizon",
        "Budget: alternative minus baseline per year: aalborg-project",
        "Year (DKK thousand)",
        "Refusion on LY",
        "Staff paid by the grant",
        "2016* (4)",
        "2020* (8)",
        "Partial years (fewer than 12 simulated months): 2016 (4 months), 2020 (8 months).",
        "Money is in nominal DKK",
        "grow by 2.0 % a year",
        "discounted at 3.5 % a year to September 2016",
        "Project grant 2,179,500 DKK; cost paid by the grant over the horizon 2,197,112 DKK",
        "Overrun: the cost exceeds the grant by 17,612 DKK (0.8 %).",
    ] {
        assert!(en.contains(needle), "the page lacks `{needle}`:\n{en}");
    }
    let da = page_text(&report(&[COMPARISON], &["--lang", "da"]));
    for needle in [
        "Akkumuleret forskel i kommunens nettoudgift",
        "projektets afslutning",
        "juni 2018",
        "Budget: alternativ minus basis pr. år: aalborg-project",
        "Delvise år (færre end 12 simulerede måneder): 2016 (4 måneder), 2020 (8 måneder).",
        "Beløb er i løbende priser",
        "Overskridelse: udgiften overstiger bevillingen med 17.612 kr. (0,8 %).",
    ] {
        assert!(
            da.contains(needle),
            "the Danish page lacks `{needle}`:\n{da}"
        );
    }
}
