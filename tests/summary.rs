//! The report's page-one summary (`report::summary`): it comes first, its
//! numbers are the numbers of the tables below it (each figure a table
//! holds appears as a cell of a table after the summary; each figure it
//! computes equals the computation from the CSV files), its verdict uses
//! issue 17's definitions (payback only where `steering.csv` has one), and
//! it is in one language.
//!
//! Inputs are the committed fixture folders of tests/fixtures/report/.

mod common;

use common::{read_csv, root};
use fleksim::report::i18n::Lang;
use std::path::PathBuf;

const COMPARISON: &str = "tests/fixtures/report/comparison";
const COMPARISON3: &str = "tests/fixtures/report/comparison3";
const TORNADO: &str = "tests/fixtures/report/tornado";

fn page(dirs: &[&str], lang: Lang) -> String {
    let dirs: Vec<PathBuf> = dirs.iter().map(|d| root(d)).collect();
    fleksim::report::render(&dirs, lang).expect("the page renders")
}

/// The summary section and the rest of the page after it.
fn split(page: &str) -> (&str, &str) {
    let start = page
        .find("<section class=\"kind summary\">")
        .expect("no summary section");
    let end = start + page[start..].find("</section>").unwrap();
    // Nothing but the page's head comes before it.
    assert!(
        !page[..start].contains("<section"),
        "the summary is not the first section"
    );
    (&page[start..end], &page[end..])
}

/// `(data-from, data-key, data-value, text)` of each figure.
fn figures(summary: &str) -> Vec<(String, String, String, String)> {
    let attr = |tag: &str, name: &str| {
        tag.split(&format!("{name}=\""))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("")
            .to_string()
    };
    summary
        .split("<span class=\"fig\" ")
        .skip(1)
        .map(|s| {
            let (tag, rest) = s.split_once('>').unwrap();
            let text = rest.split("</span>").next().unwrap().to_string();
            (
                attr(tag, "data-from"),
                attr(tag, "data-key"),
                attr(tag, "data-value"),
                text,
            )
        })
        .collect()
}

/// A horizon row of comparison_summary.csv: (mean_diff, months).
fn horizon(dir: &str, alt: &str, metric: &str) -> (f64, f64) {
    let rows = read_csv(&root(dir).join("comparison_summary.csv"));
    let h = &rows[0];
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    let r = rows[1..]
        .iter()
        .find(|r| r[0] == alt && r[c("metric")] == metric && r[c("period")] == "horizon")
        .unwrap_or_else(|| panic!("{alt} {metric} horizon"));
    (
        r[c("mean_diff")].parse().unwrap(),
        r[c("months")].parse().unwrap(),
    )
}

/// The p50 and months of a horizon row of comparison_summary.csv.
fn horizon_p50(dir: &str, alt: &str, metric: &str) -> (f64, f64) {
    let rows = read_csv(&root(dir).join("comparison_summary.csv"));
    let h = &rows[0];
    let c = |n: &str| h.iter().position(|x| x == n).unwrap();
    let r = rows[1..]
        .iter()
        .find(|r| r[0] == alt && r[c("metric")] == metric && r[c("period")] == "horizon")
        .unwrap();
    (
        r[c("p50")].parse().unwrap(),
        r[c("months")].parse().unwrap(),
    )
}

fn check(dirs: &[&str], alts: &[&str], lang: Lang) {
    let page = page(dirs, lang);
    let (summary, rest) = split(&page);
    let figs = figures(summary);
    let mut tabled = 0;
    let mut derived = 0;
    for (from, key, value, text) in &figs {
        match from.as_str() {
            "table" => {
                assert!(
                    rest.contains(&format!("<td>{text}</td>")),
                    "the summary's `{text}` is in no table below ({lang:?})"
                );
                tabled += 1;
            }
            "derived" => {
                let v: f64 = value.parse().unwrap();
                let alt = alts
                    .iter()
                    .find(|a| {
                        let cost = horizon(dirs[0], a, "net_municipal_cost_total");
                        let want = match key.as_str() {
                            "per_flex_person_year" => {
                                let flex = horizon(dirs[0], a, "flex_stock_avg");
                                cost.0 / (flex.0 * cost.1 / 12.0)
                            }
                            "per_ly_person_month" => {
                                let ly = horizon(dirs[0], a, "ly_stock_avg");
                                cost.0 / (-ly.0 * cost.1)
                            }
                            "net_public_cost_per_year" => {
                                let (p50, months) =
                                    horizon_p50(dirs[0], a, "net_public_cost_total");
                                p50 / (months / 12.0)
                            }
                            other => panic!("unknown derived figure {other}"),
                        };
                        (v - want).abs() <= 1e-9 * want.abs().max(1.0)
                    })
                    .unwrap_or_else(|| panic!("{key} = {v} matches no alternative's CSV"));
                // The text is the value, rounded, a saving without a sign.
                if key.starts_with("per_") {
                    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
                    assert_eq!(digits, format!("{:.0}", v.abs()), "{alt}: {text}");
                }
                derived += 1;
            }
            other => panic!("figure from `{other}`"),
        }
    }
    // Per alternative: two KPI levels, two targets, two effects, the net
    // cost, the probability, the cheaper periods and the horizon's
    // difference at least; and the cost per person.
    assert!(
        tabled >= 8 * alts.len(),
        "only {tabled} figures from the tables"
    );
    assert!(derived >= alts.len(), "only {derived} computed figures");
    for a in alts {
        assert!(summary.contains(a), "{a} missing from the summary");
    }
}

#[test]
fn the_summarys_numbers_are_the_tables_numbers() {
    for lang in [Lang::En, Lang::Da] {
        check(&[COMPARISON, TORNADO], &["aalborg-project"], lang);
        check(
            &[COMPARISON3],
            &["aalborg-project", "aalborg-permanent"],
            lang,
        );
    }
}

#[test]
fn payback_is_named_only_where_steering_csv_has_one() {
    for dir in [COMPARISON, COMPARISON3] {
        let rows = read_csv(&root(dir).join("steering.csv"));
        let any_payback = rows
            .iter()
            .any(|r| r[1] == "payback_month" && !r[4].trim().is_empty());
        let page = page(&[dir], Lang::En);
        let (summary, _) = split(&page);
        assert_eq!(
            summary.contains("pays back from"),
            any_payback,
            "{dir}: payback in the summary without one in steering.csv, or the reverse"
        );
        assert!(summary.contains("Probability that it saves money over the horizon"));
        assert!(summary.contains("Cumulatively cheaper than the baseline"));
    }
}

#[test]
fn the_summary_names_the_tornados_top_two_or_asks_for_one() {
    let with = page(&[COMPARISON, TORNADO], Lang::En);
    let (summary, _) = split(&with);
    let rows = read_csv(&root(TORNADO).join("tornado.csv"));
    let h = &rows[0];
    let (cp, cs) = (
        h.iter().position(|x| x == "parameter").unwrap(),
        h.iter().position(|x| x == "swing").unwrap(),
    );
    let mut params: Vec<(f64, String)> = rows[1..]
        .iter()
        .map(|r| (r[cs].parse::<f64>().unwrap().abs(), r[cp].clone()))
        .collect();
    params.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (_, p) in params.iter().take(2) {
        let label = fleksim::report::labels::parameter(p, Lang::En).label;
        let label = fleksim::report::html::escape(&label);
        assert!(summary.contains(&label), "{label} not in the summary");
    }
    let without = page(&[COMPARISON], Lang::Da);
    let (summary, _) = split(&without);
    assert!(summary.contains("tilføj en tornado-mappe"), "{summary}");
}

#[test]
fn the_danish_summary_holds_no_english_text() {
    let page = page(&[COMPARISON, TORNADO], Lang::Da);
    let (summary, _) = split(&page);
    assert!(summary.contains("Sammenfatning"));
    for (en, da) in fleksim::report::summary::text_pairs() {
        let head = en.split("{}").next().unwrap().trim();
        if head.len() > 8 && en != da {
            assert!(
                !summary.contains(head),
                "English `{head}` in the Danish summary"
            );
        }
    }
}

#[test]
fn a_page_without_a_comparison_has_no_summary() {
    let page = page(&["tests/fixtures/report/run"], Lang::En);
    assert!(!page.contains("kind summary"));
}
