//! The part of the page for a comparison: who is compared, the
//! steering-group table, the scenarios' share on LY side by side, the
//! paired differences of net cost and of the share on LY (with the payback
//! month), a table of differences by period, and then each scenario's own
//! header and charts.

use super::charts::{self, Lane, Line, Marker, Panel, RefLine, TimeChart, Unit, PALETTE};
use super::data::{union_windows, ComparisonData, Quantiles, RunData, ScenarioInfo, SteeringRow};
use super::html::{figure, heading, keyed, keyed_table, list, para, table};
use super::i18n::Lang;
use super::kpi_view;
use super::labels;
use super::run_view::{self, RunView};
use super::values::{capitalized, steering_interval, steering_unit, steering_value, Measure};
use crate::model::error::InputError;
use crate::model::month::Month;

/// Metrics of the table of differences, in order.
const DIFF_METRICS: [&str; 5] = [
    "ly_share",
    "progression_share",
    "ly_stock",
    "flex_stock",
    "net_municipal_cost",
];

/// The section for a `fleksim compare` folder.
pub fn section(c: &ComparisonData, lang: Lang) -> anyhow::Result<String> {
    let w = lang.words();
    let empty = ScenarioInfo::default();
    let info = |name: &str| c.scenarios.get(name).unwrap_or(&empty);
    let mut out = String::from("<section class=\"kind comparison\">\n");
    out.push_str(&heading(
        2,
        &format!(
            "{}: {} — {}",
            w.comparison,
            c.alternatives.join(", "),
            c.baseline
        ),
    ));
    let mut who = vec![describe(w.baseline, &c.baseline, info(&c.baseline), lang)];
    for a in &c.alternatives {
        who.push(describe(w.alternative, a, info(a), lang));
    }
    out.push_str(&list("scenarios", &who));
    out.push_str(&para(
        "meta",
        &run_view::provenance_line(&c.provenance, lang),
    ));

    out.push_str(&heading(3, w.steering_table));
    out.push_str(&steering(c, lang));
    out.push_str(&para("aid", w.steering_aid));
    out.push_str(&para("aid", w.steering_definitions));
    out.push_str(&verdict(c, lang));
    // Budget practice (issue 18): who pays, levels, the budget year,
    // break-even; each only where its file is in the folder.
    let run_dirs: Vec<(String, std::path::PathBuf)> = std::iter::once(&c.baseline)
        .chain(&c.alternatives)
        .map(|n| (n.clone(), c.dir.join("runs").join(n)))
        .collect();
    let run_dirs: Vec<(&str, &std::path::Path)> = run_dirs
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_path()))
        .collect();
    out.push_str(&super::budget_view::payer_part(&run_dirs, lang)?);
    out.push_str(&super::budget_view::levels_part(&c.dir, lang)?);
    out.push_str(&super::budget_view::budget_year_part(&c.dir, lang)?);
    out.push_str(&super::budget_view::break_even_part(&c.dir, lang)?);

    let mut runs: Vec<(&str, &RunData)> = Vec::new();
    for name in std::iter::once(&c.baseline).chain(&c.alternatives) {
        if let Some(d) = c.runs.get(name) {
            runs.push((name, d));
        }
    }
    // Each scenario's own project period: never another's merged in.
    let own = |name: &str| union_windows(info(name).policy_windows.clone());
    let lanes = runs
        .iter()
        .enumerate()
        .map(|(i, (name, _))| Lane {
            label: format!("{}: {name}", run_view::period_label(&own(name), lang)),
            color: PALETTE[i % PALETTE.len()],
            windows: own(name),
        })
        .collect();
    let declared = &info(&c.baseline).kpis;
    out.push_str(&run_view::fan_figure(&runs, &[], lanes, declared, lang)?);

    for (i, alt) in c.alternatives.iter().enumerate() {
        out.push_str(&differences(c, alt, i, &own(alt), lang)?);
    }

    out.push_str(&heading(3, w.differences));
    out.push_str(&summary_table(c, lang));
    out.push_str(&para("aid", w.differences_aid));
    out.push_str(&budget_difference(c, lang));

    for (name, d) in &runs {
        out.push_str(&heading(3, &format!("{}: {name}", w.details_of)));
        let view = RunView {
            name,
            info: info(name),
            provenance: &c.provenance,
            data: d,
        };
        out.push_str(&run_view::header(&view, lang, false));
        out.push_str(&run_view::charts_after_fan(d, &own(name), declared, lang)?);
        out.push_str(&run_view::assumptions(&view, lang, 4));
    }
    out.push_str("</section>\n");
    Ok(out)
}

/// A row of `comparison_summary.csv` as the difference tables show it:
/// the mean as the central value, with the 5th and 95th percentiles.
fn paired(r: &super::data::SummaryRow) -> Quantiles {
    Quantiles {
        mean: r.mean_diff,
        p05: r.p05,
        p50: r.mean_diff,
        p95: r.p95,
        p25: None,
        p75: None,
    }
}

fn describe(role: &str, name: &str, info: &ScenarioInfo, lang: Lang) -> String {
    let text = match info.description_in(lang) {
        Some(d) => format!("{role}: {name} — {d}"),
        None => format!("{role}: {name}"),
    };
    match info.scheme_note(lang) {
        Some(n) => format!("{text} {n}"),
        None => text,
    }
}

/// The steering-group table: one row per indicator, one column per scenario.
fn steering(c: &ComparisonData, lang: Lang) -> String {
    let w = lang.words();
    let mut scenarios: Vec<&str> = Vec::new();
    for name in std::iter::once(&c.baseline).chain(&c.alternatives) {
        if c.steering.iter().any(|r| &r.scenario == name) {
            scenarios.push(name);
        }
    }
    for r in &c.steering {
        if !scenarios.contains(&r.scenario.as_str()) {
            scenarios.push(&r.scenario);
        }
    }
    let mut indicators: Vec<(&str, &str, Option<&str>)> = Vec::new();
    for r in &c.steering {
        if !indicators.iter().any(|(i, _, _)| *i == r.indicator) {
            indicators.push((&r.indicator, &r.unit, r.target.as_deref()));
        }
    }
    let mut head = vec![
        w.indicator.to_string(),
        w.unit.to_string(),
        capitalized(w.target),
    ];
    head.extend(
        scenarios
            .iter()
            .map(|s| format!("{s}: {}", w.median_interval)),
    );
    let declared = c
        .scenarios
        .get(&c.baseline)
        .map_or(&[][..], |i| i.kpis.as_slice());
    let mut rows = Vec::new();
    for (indicator, unit, target) in indicators {
        // A declared KPI by the scenario's label and when it is measured.
        let kpi = indicator
            .strip_prefix("kpi:")
            .and_then(|n| declared.iter().find(|k| k.name == n));
        let label = match kpi {
            Some(k) => format!(
                "{} ({})",
                kpi_view::label(k, lang),
                kpi_view::at_words(&k.value, &k.at, lang)
            ),
            None => w
                .steering_names
                .iter()
                .find(|(k, _)| *k == indicator)
                .map_or(indicator, |(_, v)| v)
                .to_string(),
        };
        let target = match target.map(str::trim) {
            Some(t) if !t.is_empty() => steering_value(unit, Some(t), lang),
            _ => "–".to_string(),
        };
        let mut row = vec![label, steering_unit(unit, lang), target];
        let (first, last) = span(c);
        for s in &scenarios {
            let cell = c
                .steering
                .iter()
                .find(|r| r.scenario == *s && r.indicator == indicator)
                .map_or("–".to_string(), |r| {
                    if indicator == "positions_paid" {
                        if let Some(cell) = positions(r, lang) {
                            return cell;
                        }
                    }
                    if unit == "periods" {
                        let periods = parse_periods(r.p50.as_deref().unwrap_or(""));
                        return match (first, last) {
                            (Some(f), Some(l)) => cheaper_words(&periods, f, l, lang),
                            _ => r.p50.clone().unwrap_or_default(),
                        };
                    }
                    let blank =
                        |v: &Option<String>| v.as_deref().is_none_or(|t| t.trim().is_empty());
                    if blank(&r.p05) && blank(&r.p95) && !blank(&r.p50) {
                        return steering_value(unit, r.p50.as_deref(), lang);
                    }
                    steering_interval(
                        unit,
                        r.p50.as_deref(),
                        r.p05.as_deref(),
                        r.p95.as_deref(),
                        lang,
                    )
                });
            row.push(cell);
        }
        rows.push(row);
    }
    table(&head, &rows)
}

/// The first and last simulated month of a comparison (from its
/// baseline's run).
fn span(c: &ComparisonData) -> (Option<Month>, Option<Month>) {
    let months = c
        .runs
        .get(&c.baseline)
        .map(RunData::months)
        .unwrap_or_default();
    (months.first().copied(), months.last().copied())
}

/// `steering.csv`'s cheaper periods (`2017-01/2024-06`, space-separated);
/// what does not read as a period is left out.
fn parse_periods(text: &str) -> Vec<(Month, Month)> {
    text.split_whitespace()
        .filter_map(|p| {
            let (f, t) = p.split_once('/')?;
            Some((Month::parse(f)?, Month::parse(t)?))
        })
        .collect()
}

/// The cheaper periods in words: "until June 2024, dearer after",
/// "throughout", "never".
pub fn cheaper_words(periods: &[(Month, Month)], start: Month, end: Month, lang: Lang) -> String {
    let w = lang.words();
    let Some(&(_, last)) = periods.last() else {
        return w.never.to_string();
    };
    if periods == [(start, end)] {
        return w.throughout.to_string();
    }
    let list = periods
        .iter()
        .map(|&(f, t)| match (f == start, t == end) {
            (true, _) => format!("{} {}", w.cheaper_until, lang.month(t)),
            (_, true) => format!("{} {}", w.cheaper_from, lang.month(f)),
            _ if f == t => lang.month(f),
            _ => format!("{} – {}", lang.month(f), lang.month(t)),
        })
        .collect::<Vec<_>>()
        .join(", ");
    if last < end {
        format!("{list}, {}", w.dearer_after)
    } else {
        list
    }
}

/// The name of a point of `cumulative.csv` in words.
fn point_words(point: &str, lang: Lang) -> String {
    let w = lang.words();
    match point {
        "project_end" => w.point_project_end,
        "3y" => w.point_3y,
        "5y" => w.point_5y,
        "10y" => w.point_10y,
        "horizon" => w.point_horizon,
        other => other,
    }
    .to_string()
}

/// The verdict: the cumulative net cost difference at the project end,
/// after 3, 5 and 10 years and at the horizon (`cumulative.csv`), and the
/// periods in which each alternative is cheaper (`cheaper.csv`). Nothing
/// for a folder written before these files existed.
fn verdict(c: &ComparisonData, lang: Lang) -> String {
    let w = lang.words();
    if c.points.is_empty() {
        return String::new();
    }
    let head = vec![
        w.point_word.to_string(),
        capitalized(w.month),
        capitalized(w.alternative),
        capitalized(w.median_interval),
        capitalized(w.prob_cheaper),
    ];
    let rows: Vec<Vec<String>> = c
        .points
        .iter()
        .map(|p| {
            let q = Quantiles {
                mean: p.mean_diff,
                p05: p.p05,
                p50: p.p50,
                p95: p.p95,
                p25: None,
                p75: None,
            };
            vec![
                point_words(&p.point, lang),
                lang.month_text(&p.month),
                p.scenario.clone(),
                Measure::Money.interval(&q, true, lang),
                lang.pct(p.prob_cheaper, 0),
            ]
        })
        .collect();
    let mut out = heading(4, w.verdict_title);
    out.push_str(&table(&head, &rows));
    if let (Some(first), Some(last)) = span(c) {
        let lines: Vec<String> = c
            .alternatives
            .iter()
            .map(|a| {
                let periods: Vec<(Month, Month)> = c
                    .cheaper
                    .iter()
                    .filter(|r| &r.scenario == a)
                    .filter_map(|r| Some((Month::parse(&r.from)?, Month::parse(&r.to)?)))
                    .collect();
                format!("{a}: {}", cheaper_words(&periods, first, last, lang))
            })
            .collect();
        out.push_str(&para("meta", &format!("{}:", w.cheaper_lead)));
        out.push_str(&list("verdict", &lines));
    }
    out.push_str(&para("aid", w.verdict_aid));
    out
}

/// The budget planner's table: per alternative, the paired difference per
/// calendar year and budget line (`budget_difference.csv`), in DKK
/// thousand; partial years marked. Nothing for an older folder.
fn budget_difference(c: &ComparisonData, lang: Lang) -> String {
    let w = lang.words();
    let mut out = String::new();
    for alt in &c.alternatives {
        let rows: Vec<_> = c
            .budget_diff
            .iter()
            .filter(|r| &r.scenario == alt)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let mut lines: Vec<&str> = Vec::new();
        let mut years: Vec<(i32, u32)> = Vec::new();
        for r in &rows {
            if !lines.contains(&r.line.as_str()) {
                lines.push(&r.line);
            }
            if !years.iter().any(|(y, _)| *y == r.year) {
                years.push((r.year, r.months.round().clamp(0.0, 12.0) as u32));
            }
        }
        let mut head = vec![format!("{} ({})", w.year_word, w.kdkk_unit)];
        head.extend(lines.iter().map(|l| labels::metric(l, lang).label));
        let k = |v: f64| lang.num(v / 1e3, 0);
        let table_rows: Vec<Vec<String>> = years
            .iter()
            .map(|&(year, months)| {
                let mut row = vec![if months < 12 {
                    format!("{year}* ({months})")
                } else {
                    year.to_string()
                }];
                for line in &lines {
                    row.push(
                        rows.iter()
                            .find(|r| r.year == year && r.line == *line)
                            .map_or("–".to_string(), |r| {
                                format!("{} ({} – {})", k(r.p50), k(r.p05), k(r.p95))
                            }),
                    );
                }
                row
            })
            .collect();
        out.push_str(&heading(3, &format!("{}: {alt}", w.budget_diff_title)));
        out.push_str(&table(&head, &table_rows));
        let aid = match run_view::partial_years(&years, lang) {
            Some(p) => format!("{} {p}", w.budget_diff_aid),
            None => w.budget_diff_aid.to_string(),
        };
        out.push_str(&para("aid", &aid));
    }
    out
}

/// Consultant positions: what the saving pays for, or what the extra cost
/// is worth ("costs 0.3 (costs 2.9 – pays 3.0)"); `None` if a value is not
/// a number.
fn positions(r: &SteeringRow, lang: Lang) -> Option<String> {
    let w = lang.words();
    let v = |s: &Option<String>| s.as_deref()?.trim().parse::<f64>().ok();
    let one = |x: f64| {
        if x < -0.05 {
            format!("{} {}", w.costs, lang.num(-x, 1))
        } else {
            format!("{} {}", w.pays, lang.num(x.max(0.0), 1))
        }
    };
    let (p50, p05, p95) = (v(&r.p50)?, v(&r.p05)?, v(&r.p95)?);
    Some(format!("{} ({} – {})", one(p50), one(p05), one(p95)))
}

/// The paired-difference charts of one alternative.
fn differences(
    c: &ComparisonData,
    alt: &str,
    i: usize,
    shade: &[(Month, Month)],
    lang: Lang,
) -> anyhow::Result<String> {
    let w = lang.words();
    let series = |metric: &str| -> Result<&Vec<(Month, Quantiles)>, InputError> {
        c.diffs
            .get(&(alt.to_string(), metric.to_string()))
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                InputError(format!(
                    "`{}` has no rows for scenario `{alt}` and metric `{metric}`: a comparison has the paired differences of every alternative",
                    c.dir.join("comparison.csv").display()
                ))
            })
    };
    let color = PALETTE[(i + 1) % PALETTE.len()];
    let cost = series("net_municipal_cost")?;
    let share = series("ly_share")?;
    let payback = c.payback.iter().find(|p| p.scenario == alt);
    let payback_month = payback
        .and_then(|p| p.payback_month.as_deref())
        .and_then(Month::parse);
    let markers: Vec<Marker> = payback_month
        .map(|m| {
            let share = payback
                .and_then(|p| p.share_paid_back)
                .map(|s| format!(" ({} {})", lang.pct(s, 0), w.paid_back_share))
                .unwrap_or_default();
            Marker {
                month: m,
                label: format!("{} {}{share}", w.payback, lang.month(m)),
            }
        })
        .into_iter()
        .collect();
    let zero = RefLine {
        value: 0.0,
        label: String::new(),
        color: charts::START,
    };
    let chart =
        |title: &str, y_desc: &str, unit: Unit, line: Line, markers: Vec<Marker>| TimeChart {
            title: format!("{title} ({alt})"),
            x_desc: w.month_axis.to_string(),
            shade: shade.to_vec(),
            shade_label: run_view::period_label(shade, lang),
            lanes: vec![],
            median_label: w.median.to_string(),
            band90_label: w.band90.to_string(),
            band50_label: w.band50.to_string(),
            panels: vec![Panel {
                caption: None,
                y_desc: y_desc.to_string(),
                unit,
                lines: vec![line],
                refs: vec![zero.clone()],
                markers,
                points: vec![],
            }],
        };
    let banded = |s: &Vec<(Month, Quantiles)>| Line {
        label: alt.to_string(),
        color,
        points: s.clone(),
        bands: true,
    };
    // Per replication where the folder has it; otherwise the running sum
    // of the mean (exact, as means add up), without a band.
    let stored = c.cumulative.get(alt).filter(|s| !s.is_empty());
    let cumulative: Vec<(Month, Quantiles)> = match stored {
        Some(s) => s.clone(),
        None => {
            let mut acc = 0.0;
            cost.iter()
                .map(|(m, q)| {
                    acc += q.mean;
                    let v = acc;
                    (
                        *m,
                        Quantiles {
                            mean: v,
                            p05: v,
                            p50: v,
                            p95: v,
                            p25: None,
                            p75: None,
                        },
                    )
                })
                .collect()
        }
    };
    let mut out = String::new();
    let monthly = chart(
        w.diff_cost_title,
        w.kdkk_month_unit,
        Unit::KiloDkk,
        banded(cost),
        markers.clone(),
    );
    out.push_str(&figure(
        &charts::time_chart(&monthly, lang)?,
        w.diff_cost_aid,
    ));
    let mut cum = chart(
        w.cum_cost_title,
        w.mdkk_unit,
        Unit::MegaDkk,
        Line {
            label: w.net.to_string(),
            color,
            points: cumulative,
            bands: stored.is_some(),
        },
        markers,
    );
    let aid = if stored.is_some() {
        w.cum_cost_aid
    } else {
        cum.median_label = w.net.to_string();
        w.cum_cost_mean_aid
    };
    out.push_str(&figure(&charts::time_chart(&cum, lang)?, aid));
    let share_chart = chart(
        w.diff_share_title,
        w.pp_unit,
        Unit::Points,
        banded(share),
        vec![],
    );
    out.push_str(&figure(
        &charts::time_chart(&share_chart, lang)?,
        w.diff_share_aid,
    ));
    Ok(out)
}

/// Differences at the manifest's months and over the whole horizon.
fn summary_table(c: &ComparisonData, lang: Lang) -> String {
    let w = lang.words();
    let head = vec![
        w.metric.to_string(),
        capitalized(w.alternative),
        capitalized(w.period),
        capitalized(w.mean_diff),
        capitalized(w.prob_better),
    ];
    let mut rows = Vec::new();
    for metric in DIFF_METRICS {
        let m = Measure::of(metric);
        // Counts print bare, so their label carries the unit.
        let text = labels::metric(metric, lang);
        let name = match m {
            Measure::Count => text.with_unit(lang),
            _ => text.label,
        };
        for r in c.summary.iter().filter(|r| r.metric == metric) {
            let is_month = Month::parse(&r.period).is_some();
            if !(is_month || r.period == "horizon") {
                continue;
            }
            let period = if r.period == "horizon" {
                w.whole_horizon.to_string()
            } else {
                lang.month_text(&r.period)
            };
            let q = paired(r);
            rows.push((
                keyed(&name, metric),
                vec![
                    r.scenario.clone(),
                    period,
                    m.interval(&q, true, lang),
                    r.prob_better.map_or("–".to_string(), |p| lang.pct(p, 0)),
                ],
            ));
        }
    }
    // The declared KPIs' paired differences (`kpi:NAME` at its `at`).
    let declared = c
        .scenarios
        .get(&c.baseline)
        .map_or(&[][..], |i| i.kpis.as_slice());
    for k in declared {
        let key = format!("kpi:{}", k.name);
        let m = Measure::of_unit(&k.unit);
        for r in c.summary.iter().filter(|r| r.metric == key) {
            let q = paired(r);
            rows.push((
                keyed(kpi_view::label(k, lang), &key),
                vec![
                    r.scenario.clone(),
                    kpi_view::at_words(&k.value, &r.period, lang),
                    m.interval(&q, true, lang),
                    r.prob_better.map_or("–".to_string(), |p| lang.pct(p, 0)),
                ],
            ));
        }
    }
    keyed_table(&head, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(p50: &str, p05: &str, p95: &str) -> SteeringRow {
        SteeringRow {
            scenario: "alt".into(),
            indicator: "positions_paid".into(),
            unit: "consultants".into(),
            target: None,
            p50: Some(p50.into()),
            p05: Some(p05.into()),
            p95: Some(p95.into()),
        }
    }

    #[test]
    fn cheaper_periods_in_words() {
        let m = |s: &str| Month::parse(s).unwrap();
        let (start, end) = (m("2016-09"), m("2026-08"));
        let p = parse_periods("2017-01/2024-06");
        assert_eq!(
            cheaper_words(&p, start, end, Lang::En),
            "January 2017 – June 2024, dearer after"
        );
        assert_eq!(
            cheaper_words(&p, start, end, Lang::Da),
            "januar 2017 – juni 2024, dyrere derefter"
        );
        let p = parse_periods("2016-09/2020-01 2025-01/2026-08");
        assert_eq!(
            cheaper_words(&p, start, end, Lang::Da),
            "indtil januar 2020, fra januar 2025"
        );
        assert_eq!(cheaper_words(&[], start, end, Lang::Da), "aldrig");
        assert_eq!(
            cheaper_words(&[(start, end)], start, end, Lang::En),
            "throughout"
        );
    }

    #[test]
    fn negative_positions_are_a_cost_in_both_languages() {
        let r = row("-0.3", "-2.9", "3.0");
        assert_eq!(
            positions(&r, Lang::En).unwrap(),
            "costs 0.3 (costs 2.9 – pays 3.0)"
        );
        assert_eq!(
            positions(&r, Lang::Da).unwrap(),
            "koster 0,3 (koster 2,9 – betaler 3,0)"
        );
        assert_eq!(positions(&row("x", "1", "2"), Lang::En), None);
    }
}
