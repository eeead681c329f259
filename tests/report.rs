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
                    "target 13 % (2018-03)",
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
                    "target 13 % (2018-03)",
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
                vec!["target 35 % (2018-03)"],
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
            [
                time("DKK thousand per month"),
                vec!["payback 2017-01 (60 % of replications paid back)"],
            ]
            .concat(),
        ),
        (
            "Net municipal cost: cumulative difference (mean) (aalborg-project)",
            time("DKK million"),
        ),
        (
            "Share on LY: alternative minus baseline (aalborg-project)",
            time("percentage points"),
        ),
        (
            "One-way sensitivity: Share of the scheme on LY at 2018-03",
            vec![
                "Parameter",
                "Share of the scheme on LY at 2018-03 (%)",
                "policy.jobclub.effect",
                "base 13.2 %",
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
        "13,2 % (12,2 – 14,7)",
        "2.016 (1.969 – 2.067)",
        "mio. kr.",
    ] {
        assert!(text.contains(needle), "no `{needle}` in:\n{text}");
    }
    assert!(!text.contains("13.2 %"), "{text}");
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
