//! `fleksim report`: charts that do not mislead, and the pages of sweeps
//! and of runs with uncertain parameters.
//!
//! - each scenario's charts shade its own policy windows, and the
//!   side-by-side chart marks each scenario's window as a bar of its colour;
//! - three scenarios' bands are light and every median is drawn over them;
//! - the observed start is a point at its month, beside the model's start;
//! - a sweep folder gets per-axis charts, a heat map (two grid axes) or a
//!   ranking by correlation (Latin hypercube);
//! - `uncertainty.csv` gets its table.
//!
//! Inputs are the fixture folders of tests/fixtures/report/ (made by its
//! make_fixtures.sh): `comparison3` compares baseline, project (policies
//! 2017-01 – 2018-06) and permanent (2017-01 to the horizon, 2019-08).

mod common;

use common::*;

const COMPARISON3: &str = "tests/fixtures/report/comparison3";
const RUN: &str = "tests/fixtures/report/run";
const RUN_UNCERTAIN: &str = "tests/fixtures/report/run-uncertain";
const SWEEP_GRID: &str = "tests/fixtures/report/sweep-grid";
const SWEEP_LHS: &str = "tests/fixtures/report/sweep-lhs";

/// The project period's shading in every chart (see charts/time.rs).
const SHADE_OPACITY: &str = "0.07";
/// The palette's first three colours: baseline, project, permanent.
const COLORS: [&str; 3] = ["#1F77B4", "#E66101", "#1A9641"];

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
    std::fs::read_to_string(&out).unwrap()
}

/// The page parsed strictly as XML.
fn parse(page: &str) -> roxmltree::Document<'_> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(page, opts)
        .unwrap_or_else(|e| panic!("the page is not well-formed: {e}"))
}

/// The SVG text of every chart whose title starts with `title`, in page
/// order.
fn charts<'a>(page: &'a str, title: &str) -> Vec<&'a str> {
    let doc = parse(page);
    doc.descendants()
        .filter(|n| n.has_tag_name("svg"))
        .filter(|svg| {
            svg.children()
                .find(|n| n.has_tag_name("title"))
                .and_then(|t| t.text())
                .is_some_and(|t| t.trim().starts_with(title))
        })
        .map(|svg| &page[svg.range()])
        .collect()
}

fn chart<'a>(page: &'a str, title: &str) -> &'a str {
    let found = charts(page, title);
    assert_eq!(found.len(), 1, "charts titled `{title}`: {}", found.len());
    found[0]
}

/// The text drawn on a chart, lines joined by spaces (legends wrap).
fn texts(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Elements of a chart named `tag` with their attributes, in drawing order
/// (with their position among all elements).
fn elements(svg: &str, tag: &str) -> Vec<(usize, Vec<(String, String)>)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.is_element())
        .enumerate()
        .filter(|(_, n)| n.has_tag_name(tag))
        .map(|(i, n)| {
            let attrs = n
                .attributes()
                .map(|a| (a.name().to_string(), a.value().to_string()))
                .collect();
            (i, attrs)
        })
        .collect()
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn num(attrs: &[(String, String)], name: &str) -> f64 {
    attr(attrs, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no number `{name}` in {attrs:?}"))
}

/// The x pixels of a polyline's points.
fn xs(attrs: &[(String, String)]) -> Vec<f64> {
    attr(attrs, "points")
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|p| p.split(',').next()?.parse().ok())
        .collect()
}

/// The right edge of the project-period shading and of the data's lines.
fn shade_and_data_right(svg: &str) -> (f64, f64) {
    let shades: Vec<f64> = elements(svg, "rect")
        .iter()
        .filter(|(_, a)| attr(a, "opacity") == Some(SHADE_OPACITY))
        // Not the legend's swatch.
        .filter(|(_, a)| num(a, "height") > 50.0)
        .map(|(_, a)| num(a, "x") + num(a, "width"))
        .collect();
    assert_eq!(shades.len(), 1, "one shaded window expected: {shades:?}");
    let data = elements(svg, "polyline")
        .iter()
        .filter(|(_, a)| {
            attr(a, "stroke-width") == Some("2") && attr(a, "stroke") != Some("#000000")
        })
        .flat_map(|(_, a)| xs(a))
        .fold(f64::MIN, f64::max);
    (shades[0], data)
}

#[test]
fn each_alternative_shades_its_own_windows() {
    let page = report(&[COMPARISON3], &[]);
    for (alt, window, ends_early) in [
        ("aalborg-project", "project period 2017-01 – 2018-06", true),
        (
            "aalborg-permanent",
            "project period 2017-01 – 2019-08",
            false,
        ),
    ] {
        for title in [
            format!("Net municipal cost: alternative minus baseline, per month ({alt})"),
            format!("Share on LY: alternative minus baseline ({alt})"),
        ] {
            let svg = chart(&page, &title);
            let text = texts(svg);
            assert!(text.contains(window), "`{title}` lacks `{window}`:\n{text}");
            let (shade, data) = shade_and_data_right(svg);
            if ends_early {
                // 2018-06 of 2016-09 – 2019-08: well before the last month.
                assert!(
                    shade < data - 100.0,
                    "`{title}`: the shading ends at x = {shade}, the data at {data}"
                );
            } else {
                assert!(shade >= data, "`{title}`: shading ends at {shade} < {data}");
            }
        }
    }
    // The scenarios' own details: the baseline has no project period.
    let stocks = charts(&page, "People on LY and in flexjobs");
    assert_eq!(stocks.len(), 3);
    assert!(!texts(stocks[0]).contains("project period"));
    assert!(texts(stocks[1]).contains("project period 2017-01 – 2018-06"));
    assert!(texts(stocks[2]).contains("project period 2017-01 – 2019-08"));
}

#[test]
fn side_by_side_marks_each_window_in_its_colour() {
    let page = report(&[COMPARISON3], &[]);
    let svg = chart(&page, "Share of the scheme on LY: scenarios side by side");
    let rects = elements(svg, "rect");
    assert!(
        !rects
            .iter()
            .any(|(_, a)| attr(a, "opacity") == Some(SHADE_OPACITY)),
        "the side-by-side chart shades one merged window"
    );
    let text = texts(svg);
    for label in [
        "project period 2017-01 – 2018-06: aalborg-project",
        "project period 2017-01 – 2019-08: aalborg-permanent",
    ] {
        assert!(text.contains(label), "no `{label}` in:\n{text}");
    }
    // A bar under the axis per alternative (and a legend swatch each), in
    // the scenario's colour; the project's bar is the shorter one.
    let bar = |color: &str| -> Vec<(f64, f64)> {
        rects
            .iter()
            .filter(|(_, a)| attr(a, "fill") == Some(color) && attr(a, "opacity") == Some("1"))
            .map(|(_, a)| (num(a, "y"), num(a, "width")))
            .collect()
    };
    let project = bar(COLORS[1]);
    let permanent = bar(COLORS[2]);
    assert_eq!(project.len(), 2, "project bar and swatch: {project:?}");
    assert_eq!(
        permanent.len(),
        2,
        "permanent bar and swatch: {permanent:?}"
    );
    let widest = |v: &[(f64, f64)]| {
        v.iter()
            .cloned()
            .fold((0.0, 0.0), |a, b| if b.1 > a.1 { b } else { a })
    };
    let (py, pw) = widest(&project);
    let (qy, qw) = widest(&permanent);
    assert!(pw < qw, "project bar {pw} px, permanent {qw} px");
    assert!(py != qy, "the bars share a lane");
    assert!(bar(COLORS[0]).is_empty(), "the baseline has no window");
}

#[test]
fn three_bands_are_light_with_medians_on_top() {
    let page = report(&[COMPARISON3], &[]);
    let svg = chart(&page, "Share of the scheme on LY: scenarios side by side");
    let bands = elements(svg, "polygon");
    assert_eq!(bands.len(), 3, "one band per scenario");
    for (_, a) in &bands {
        let opacity = num(a, "opacity");
        assert!(opacity < 0.5, "band opacity {opacity}");
    }
    let last_band = bands.iter().map(|(i, _)| *i).max().unwrap();
    for color in COLORS {
        let medians: Vec<usize> = elements(svg, "polyline")
            .iter()
            .filter(|(_, a)| attr(a, "stroke") == Some(color) && xs(a).len() > 10)
            .map(|(i, _)| *i)
            .collect();
        assert_eq!(medians.len(), 1, "median of {color}");
        assert!(
            medians[0] > last_band,
            "the median in {color} is drawn before a band covers it"
        );
    }
}

#[test]
fn observed_start_is_a_point_at_its_month() {
    for page in [report(&[RUN], &[]), report(&[COMPARISON3], &[])] {
        let svg = charts(&page, "Share of the")[0];
        let text = texts(svg);
        assert!(text.contains("observed 15.3 % (June 2016)"), "{text}");
        assert!(
            text.contains("model start (first month's median) 1"),
            "{text}"
        );
        // No line at the start value across the chart: no dashed grey line.
        assert!(
            !elements(svg, "polyline")
                .iter()
                .any(|(_, a)| attr(a, "stroke") == Some("#5A5A5A")),
            "a grey reference line is drawn"
        );
        // The observed dot (black, in the plot and in the legend) sits left
        // of the first simulated month, 2016-09.
        let dots: Vec<f64> = elements(svg, "circle")
            .iter()
            .filter(|(_, a)| attr(a, "fill") == Some("#000000"))
            .map(|(_, a)| num(a, "cx"))
            .collect();
        assert_eq!(dots.len(), 2, "observed dot and its legend swatch");
        let first_data = elements(svg, "polyline")
            .iter()
            .filter(|(_, a)| attr(a, "stroke") == Some(COLORS[0]) && xs(a).len() > 10)
            .flat_map(|(_, a)| xs(a))
            .fold(f64::MAX, f64::min);
        let dot = dots.iter().cloned().fold(f64::MAX, f64::min);
        assert!(
            dot < first_data,
            "observed at x = {dot}, data from {first_data}"
        );
    }
    // The seed's stocks (334 on LY in 2016-09, 1,934 in flexjobs in
    // 2016-08) are observed points too: one per panel, one legend entry.
    let page = report(&[RUN], &[]);
    let stocks = chart(&page, "People on LY and in flexjobs");
    assert!(texts(stocks).contains("observed (the seed's figure, 2016)"));
    let dots = elements(stocks, "circle")
        .iter()
        .filter(|(_, a)| attr(a, "fill") == Some("#000000"))
        .count();
    assert_eq!(dots, 3, "two observed stocks and a legend swatch");
    let da = report(&[RUN], &["--lang", "da"]);
    let text = texts(charts(&da, "Andel af")[0]);
    assert!(text.contains("observeret 15,3 % (juni 2016)"), "{text}");
}

/// Copies a fixture folder (flat) into `to`.
fn copy_flat(from: &str, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(root(from)).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// `fleksim report <dir>` fails with exit code 2, naming every needle.
fn refused(dir: &std::path::Path, needles: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report.html");
    let output = fleksim()
        .arg("report")
        .arg(dir)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists());
    for n in needles {
        assert!(stderr.contains(n), "`{n}` not in:\n{stderr}");
    }
}

#[test]
fn a_grid_sweep_gets_a_heat_map_and_a_chart_per_axis() {
    let page = report(&[SWEEP_GRID], &[]);
    let what = "Net municipal cost, whole horizon";
    let heat = chart(
        &page,
        &format!("{what}: staffing.consultants × policy.followup.enabled"),
    );
    // 3 × 2 cells and the colour scale's steps, each a filled rectangle.
    let filled: Vec<_> = elements(heat, "rect")
        .into_iter()
        .filter(|(_, a)| attr(a, "opacity") == Some("1") && attr(a, "fill") != Some("#FFFFFF"))
        .collect();
    assert!(filled.len() >= 6 + 10, "{} filled rects", filled.len());
    let text = texts(heat);
    for label in ["13", "15", "17", "true", "false", "median (DKK million)"] {
        assert!(
            text.contains(label),
            "no `{label}` on the heat map:\n{text}"
        );
    }
    for axis in ["staffing.consultants", "policy.followup.enabled"] {
        let svg = chart(&page, &format!("{what} against {axis}"));
        let text = texts(svg);
        assert!(
            text.contains(axis) && text.contains("DKK million"),
            "{text}"
        );
        // A grid: a band and a median line per value of the other axis.
        assert!(
            elements(svg, "polygon").len() >= 2,
            "no bands against {axis}"
        );
    }
    assert!(
        !page.contains("Parameters ranked"),
        "a grid is no hypercube"
    );
    let meta =
        "6 points (staffing.consultants × policy.followup.enabled) · 10 replications per point";
    assert!(page.contains(meta), "no `{meta}`");
    parse(&page);
    let da = report(&[SWEEP_GRID], &["--lang", "da"]);
    assert!(da.contains("Parameterstudie: report-sweep-grid"));
}

#[test]
fn a_latin_hypercube_ranks_its_parameters() {
    let page = report(&[SWEEP_LHS], &[]);
    let what = "Net municipal cost, whole horizon";
    let title = format!("Parameters ranked by their correlation with {what}");
    let svg = chart(&page, &title);
    let text = texts(svg);
    assert!(text.contains("Spearman correlation"), "{text}");
    let doc = parse(&page);
    let table = doc
        .descendants()
        .filter(|n| n.has_tag_name("table"))
        .find(|t| {
            t.descendants()
                .any(|n| n.text().is_some_and(|s| s.contains("Spearman correlation")))
        })
        .expect("no table of correlations");
    let rows: Vec<Vec<String>> = table
        .descendants()
        .filter(|n| n.has_tag_name("tr"))
        .skip(1)
        .map(|tr| {
            tr.children()
                .filter_map(|c| c.text())
                .map(|t| t.to_string())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    let size = |r: &Vec<String>| r[1].replace('−', "-").parse::<f64>().unwrap().abs();
    assert!(
        rows.windows(2).all(|w| size(&w[0]) >= size(&w[1])),
        "not sorted by size: {rows:?}"
    );
    for axis in [
        "policy.jobclub.effect",
        "policy.followup.p_up_contact",
        "policy.followup.dismissal_multiplier",
    ] {
        assert!(rows.iter().any(|r| r[0] == axis), "no row for {axis}");
        let svg = chart(&page, &format!("{what} against {axis}"));
        // Scattered points: a dot per point (12) with its whisker.
        let dots = elements(svg, "circle").len();
        assert!(dots >= 12, "{dots} dots against {axis}");
    }
    assert!(
        charts(&page, &format!("{what}: ")).is_empty(),
        "no heat map for a hypercube"
    );
}

#[test]
fn sweep_files_are_checked_like_other_results() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sweep");
    copy_flat(SWEEP_GRID, &dir);
    let points = dir.join("points.csv");
    let text = std::fs::read_to_string(&points).unwrap();
    std::fs::write(&points, text.replacen(",13,", ",1e300,", 1)).unwrap();
    refused(&dir, &["points.csv", "line 2", "`1e300`"]);
    std::fs::write(&points, text.replacen(",13,", ",inf,", 1)).unwrap();
    refused(&dir, &["points.csv", "`inf`"]);
    std::fs::write(&points, &text).unwrap();

    let results = dir.join("results.csv");
    let r = std::fs::read_to_string(&results).unwrap();
    let cut: String = r
        .lines()
        .filter(|l| !l.starts_with("5,horizon,net_municipal_cost,"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&results, cut).unwrap();
    refused(
        &dir,
        &["results.csv", "no row for point 5", "net_municipal_cost"],
    );
    let line = r
        .lines()
        .find(|l| l.starts_with("0,horizon,net_municipal_cost,"))
        .unwrap();
    let fields: Vec<&str> = line.split(',').collect();
    let bad = r.replacen(line, &line.replacen(fields[4], "NaN", 1), 1);
    std::fs::write(&results, bad).unwrap();
    refused(&dir, &["results.csv", "`NaN`"]);
    std::fs::write(&results, &r).unwrap();

    let manifest = dir.join("manifest.json");
    let m = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        m.replacen("\"kind\": \"sweep\"", "\"kind\": \"sweep-part\"", 1),
    )
    .unwrap();
    refused(&dir, &["part of a sharded sweep", "fleksim merge"]);
}

#[test]
fn a_run_with_uncertain_parameters_shows_its_spread() {
    let page = report(&[RUN_UNCERTAIN], &[]);
    let doc = parse(&page);
    let table = doc
        .descendants()
        .filter(|n| n.has_tag_name("table"))
        .find(|t| {
            t.descendants().any(|n| {
                n.text()
                    .is_some_and(|s| s.contains("Spread with and without parameter uncertainty"))
            })
        })
        .expect("no table of uncertainty");
    let text: Vec<&str> = table.descendants().filter_map(|n| n.text()).collect();
    let text = text.join(" | ");
    for needle in [
        "with parameter uncertainty (p05 – p95)",
        "chance alone",
        "parameters' share of the variance",
        "Net municipal cost, whole horizon",
        "Share of the scheme on LY, at the last month",
    ] {
        assert!(text.contains(needle), "no `{needle}` in {text}");
    }
    // The share of the variance the parameters add, from uncertainty.csv.
    let csv = std::fs::read_to_string(root(&format!("{RUN_UNCERTAIN}/uncertainty.csv"))).unwrap();
    let share: f64 = csv
        .lines()
        .find(|l| l.starts_with("progression_share_end,"))
        .and_then(|l| l.rsplit(',').next()?.parse().ok())
        .unwrap();
    let pct = format!("{:.0} %", share * 100.0);
    assert!(text.contains(&pct), "no `{pct}` in {text}");
    assert!(page.contains("the share of the variance they add"));
    let da = report(&[RUN_UNCERTAIN], &["--lang", "da"]);
    assert!(da.contains("Spredning med og uden parameterusikkerhed"));
    assert!(da.contains("parametrenes andel"));
    // A run without parameters to draw has no such table.
    assert!(!report(&[RUN], &[]).contains("Spread with and without"));
}
