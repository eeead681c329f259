//! The part of the page for one scenario's run: a header (description,
//! provenance, key figures, assumptions) and its four charts.

use super::charts::{
    self, Bars, Lane, Line, Panel, PointMark, PointStyle, RefLine, TimeChart, Unit, PALETTE,
};
use super::data::{union_windows, Provenance, RunData, RunFolder, ScenarioInfo};
use super::html::{figure, heading, keyed, keyed_table, list, para, table};
use super::i18n::{fill, Lang};
use super::scenario_info::ScenarioText;
use super::values::Measure;
use crate::model::month::Month;
use plotters::style::RGBColor;

use crate::model::kpi::Kpi;

/// One scenario as the page shows it.
pub struct RunView<'a> {
    pub name: &'a str,
    pub info: &'a ScenarioInfo,
    pub provenance: &'a Provenance,
    pub data: &'a RunData,
}

/// The section for a `fleksim run` folder.
pub fn section(f: &RunFolder, lang: Lang) -> anyhow::Result<String> {
    let w = lang.words();
    let name = if f.scenario.name.is_empty() {
        f.dir.display().to_string()
    } else {
        f.scenario.name.clone()
    };
    let view = RunView {
        name: &name,
        info: &f.scenario,
        provenance: &f.provenance,
        data: &f.data,
    };
    let mut out = String::from("<section class=\"kind run\">\n");
    out.push_str(&heading(2, &format!("{}: {name}", w.run)));
    out.push_str(&header(&view, lang, true));
    let shade = union_windows(f.scenario.policy_windows.clone());
    let declared = &f.scenario.kpis;
    out.push_str(&fan_figure(
        &[(&name, &f.data)],
        &shade,
        vec![],
        declared,
        lang,
    )?);
    out.push_str(&charts_after_fan(&f.data, &shade, declared, lang)?);
    out.push_str(&super::budget_view::payer_part(&[(&name, &f.dir)], lang)?);
    out.push_str(&assumptions(&view, lang, 3));
    out.push_str("</section>\n");
    Ok(out)
}

/// Description, provenance and key figures.
pub fn header(v: &RunView, lang: Lang, provenance: bool) -> String {
    let w = lang.words();
    let mut out = String::new();
    if let Some(d) = v.info.description_in(lang) {
        out.push_str(&para("description", d));
    }
    if let Some(n) = v.info.scheme_note(lang) {
        out.push_str(&para("description", &n));
    }
    let months = v.data.months();
    let mut meta = Vec::new();
    if provenance {
        meta.push(provenance_line(v.provenance, lang));
    }
    if let (Some(first), Some(last)) = (months.first(), months.last()) {
        meta.push(format!(
            "{} {} – {}",
            w.period,
            lang.month(*first),
            lang.month(*last)
        ));
    }
    if !meta.is_empty() {
        out.push_str(&para("meta", &meta.join(" · ")));
    }
    out.push_str(&para(
        "meta",
        &price_basis(v.info, months.first().copied(), lang),
    ));
    out.push_str(&grant(v.info, v.data, lang));
    out.push_str(&key_figures(v.data, !v.info.kpis.is_empty(), lang));
    out.push_str(&super::kpi_view::table_of(v.data, v.info, lang));
    out.push_str(&uncertainty(v.data, lang));
    out
}

/// Which year's rates and wages the money is in, nominal or fixed prices,
/// and the discount rate of present values, from the scenario.
pub fn price_basis(info: &ScenarioInfo, first: Option<Month>, lang: Lang) -> String {
    let w = lang.words();
    let m = &info.money;
    let start = info.start.or(first);
    let start_year = start.map_or(String::new(), |s| s.year().to_string());
    let start_month = start.map_or(String::new(), |s| lang.month(s));
    let last_law = crate::model::money::LAW_TABLE
        .last()
        .map_or(String::new(), |l| l.year.to_string());
    let idx = lang.pct(m.indexation, 1);
    let rate = lang.pct(m.discount_rate, 1);
    if m.price_year > 0 {
        let py = m.price_year.to_string();
        fill(
            w.price_fixed,
            &[&py, &py, &last_law, &idx, &rate, &start_month],
        )
    } else {
        fill(
            w.price_nominal,
            &[&last_law, &idx, &start_year, &rate, &start_month],
        )
    }
}

/// The scenario's grant (`money.grant_amount`) against the cost the grant
/// pays over the horizon (`cost_staff_grant_total`); an overrun is
/// flagged. Nothing without a grant.
pub fn grant(info: &ScenarioInfo, d: &RunData, lang: Lang) -> String {
    let w = lang.words();
    let amount = info.money.grant_amount;
    let Some(q) = d.summary.get("cost_staff_grant_total") else {
        return String::new();
    };
    if amount <= 0.0 {
        return String::new();
    }
    let dkk = |v: f64| format!("{} {}", lang.num(v, 0), w.dkk);
    let line = fill(
        w.grant_line,
        &[&dkk(amount), &dkk(q.p50), &dkk(q.p05), &dkk(q.p95)],
    );
    // Half a krone is rounding.
    if q.p50 > amount + 0.5 {
        let over = q.p50 - amount;
        let text = fill(w.grant_overrun, &[&dkk(over), &lang.pct(over / amount, 1)]);
        // Highlighted like a note, but not the page's note on missing texts.
        para("note overrun", &format!("{line} {text}"))
    } else if q.p95 > amount + 0.5 {
        para("meta", &format!("{line} {}", w.grant_tail))
    } else {
        let used = fill(w.grant_within, &[&lang.pct(q.p50 / amount, 1)]);
        para("meta", &format!("{line} {used}"))
    }
}

/// `Partial years (…): 2016 (4 months), 2026 (8 months).`, or nothing if
/// every year is whole.
pub fn partial_years(years: &[(i32, u32)], lang: Lang) -> Option<String> {
    let w = lang.words();
    let list: Vec<String> = years
        .iter()
        .filter(|(_, m)| *m < 12)
        .map(|(y, m)| format!("{y} ({m} {})", w.months_word))
        .collect();
    (!list.is_empty()).then(|| format!("{} {}.", w.partial_years, list.join(", ")))
}

/// The figures of `uncertainty.csv` the table shows, in order.
const UNCERTAIN_KEYS: [&str; 6] = [
    "ly_share_end",
    "progression_share_end",
    "ly_stock_end",
    "flex_stock_end",
    "net_municipal_cost_total",
    "net_municipal_cost_npv",
];

/// The spread of the key figures with and without parameter uncertainty
/// (from `uncertainty.csv`; nothing when the run has none).
pub fn uncertainty(d: &RunData, lang: Lang) -> String {
    let w = lang.words();
    let rows: Vec<Vec<String>> = UNCERTAIN_KEYS
        .iter()
        .filter_map(|key| {
            let r = d.uncertainty.iter().find(|r| r.metric == *key)?;
            let label = match *key {
                "net_municipal_cost_total" => w.net_cost_total.to_string(),
                "net_municipal_cost_npv" => w.net_cost_npv.to_string(),
                k => {
                    let base = k.trim_end_matches("_end");
                    format!("{}, {}", super::values::metric_name(base, lang), w.at_end)
                }
            };
            let m = Measure::of(key);
            let n = |v: f64| m.number(v, false, lang);
            let spread =
                |lo: f64, hi: f64| format!("{} – {}{}", n(lo), n(hi), m.suffix(false, lang));
            Some(vec![
                label,
                m.level(r.mean, lang),
                spread(r.p05, r.p95),
                spread(r.fixed_p05, r.fixed_p95),
                lang.pct(r.parameter_share, 0),
            ])
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    let head = vec![
        w.uncertainty_title.to_string(),
        w.mean.to_string(),
        w.with_params.to_string(),
        w.chance_alone.to_string(),
        w.parameter_share.to_string(),
    ];
    table(&head, &rows) + &para("aid", w.uncertainty_aid)
}

/// `seed 2016 · 200 replications · fleksim version 0.1.0`.
pub fn provenance_line(p: &Provenance, lang: Lang) -> String {
    let w = lang.words();
    format!(
        "{} {} · {} {} · {} {}",
        w.seed,
        p.seed,
        lang.num(p.replications as f64, 0),
        w.replications,
        w.version,
        p.version
    )
}

/// The key figures at the KPI month and at the horizon, and the whole
/// horizon's net cost; for a scenario that declares its own KPIs
/// (`declared`, shown in their own table) at the horizon only.
pub fn key_figures(d: &RunData, declared: bool, lang: Lang) -> String {
    let w = lang.words();
    let months = d.months();
    let (Some(kpi), Some(last)) = (d.kpi_month(), months.last().copied()) else {
        return String::new();
    };
    let mut head = vec![format!("{} — {}", w.key_figures, w.median_interval)];
    if !declared {
        head.push(format!("{} {}", w.kpi_month, lang.month(kpi)));
    }
    head.push(format!("{} {}", w.horizon, lang.month(last)));
    let mut rows = Vec::new();
    for (metric, label) in [
        ("ly_share", w.ly_share),
        ("progression_share", w.progression_share),
        ("ly_stock", w.ly_stock),
        ("flex_stock", w.flex_stock),
    ] {
        let m = Measure::of(metric);
        let cell = |month: Month| {
            d.at(metric, month)
                .map_or("–".to_string(), |q| m.interval(&q, false, lang))
        };
        let cells = if declared {
            vec![cell(last)]
        } else {
            vec![cell(kpi), cell(last)]
        };
        rows.push((keyed(label, metric), cells));
    }
    for (metric, label) in [
        ("net_municipal_cost_total", w.net_cost_total),
        ("net_municipal_cost_npv", w.net_cost_npv),
    ] {
        if let Some(q) = d.summary.get(metric) {
            let money = Measure::Money.interval(q, false, lang);
            let cells = if declared {
                vec![money]
            } else {
                vec![String::new(), money]
            };
            rows.push((keyed(label, metric), cells));
        }
    }
    keyed_table(&head, &rows)
}

/// The scenario's assumptions in the page's language; nothing if they are
/// written only in the other language (the page's note says so).
pub fn assumptions(v: &RunView, lang: Lang, level: u8) -> String {
    let w = lang.words();
    let mut out = heading(level, w.assumptions);
    match v.info.assumptions_in(lang) {
        Some(a) => out.push_str(&list("assumptions", a)),
        None if v.info.missing(lang).contains(&ScenarioText::Assumptions) => return String::new(),
        None => out.push_str(&para("meta", w.no_assumptions)),
    }
    out
}

fn banded(label: &str, color: RGBColor, d: &RunData, metric: &str) -> Line {
    Line {
        label: label.to_string(),
        color,
        points: d.series(metric).to_vec(),
        bands: true,
    }
}

fn has_50(d: &RunData, metric: &str) -> bool {
    let s = d.series(metric);
    !s.is_empty() && s.iter().all(|(_, q)| q.p25.is_some() && q.p75.is_some())
}

/// The month in which the seed's KPI 1 was observed at its start value
/// ([`crate::model::kpi::LY_SHARE_START`]).
pub const LY_SHARE_OBSERVED: &str = "2016-06";

/// The KPIs of a run measured by `metric` at a single month, as target
/// lines: the seed's, or the scenario's own (`declared`).
fn target_lines(d: &RunData, declared: &[Kpi], metric: &str, lang: Lang) -> Vec<RefLine> {
    let w = lang.words();
    let Some(kpis) = d.kpis(declared) else {
        return Vec::new();
    };
    kpis.list
        .iter()
        .filter(|k| k.value == metric && k.unit == "share")
        .filter_map(|k| {
            let month = Month::parse(k.at.trim())?;
            Some(RefLine {
                value: k.target,
                label: format!(
                    "{} {} ({})",
                    w.target,
                    lang.pct(k.target, 0),
                    lang.month(month)
                ),
                color: charts::TARGET,
            })
        })
        .collect()
}
/// The seed's observed stocks (docs/domain.md, "The seed case"):
/// (metric, month, people).
pub const STOCKS_OBSERVED: [(&str, &str, f64); 2] = [
    ("ly_stock", "2016-09", 334.0),
    ("flex_stock", "2016-08", 1934.0),
];

/// `project period 2017-01 – 2018-06` (windows joined by commas).
pub fn period_label(windows: &[(Month, Month)], lang: Lang) -> String {
    let spans: Vec<String> = windows.iter().map(|(f, t)| format!("{f} – {t}")).collect();
    format!("{} {}", lang.words().project_period, spans.join(", "))
}

/// The model's own start: a ring at each line's first month, labelled with
/// the first line's value when all lines start alike.
fn model_start(lines: &[Line], unit_pct: bool, lang: Lang) -> Vec<PointMark> {
    let w = lang.words();
    let firsts: Vec<(RGBColor, Month, f64)> = lines
        .iter()
        .filter_map(|l| {
            let (m, q) = l.points.iter().find(|(_, q)| q.p50.is_finite())?;
            Some((l.color, *m, q.p50))
        })
        .collect();
    let show = |v: f64| {
        if unit_pct {
            lang.pct(v, 1)
        } else {
            lang.num(v, 0)
        }
    };
    let label = match firsts.first() {
        Some((_, m, v)) if firsts.iter().all(|(_, _, u)| show(*u) == show(*v)) => {
            format!("{} {} ({m})", w.model_start, show(*v))
        }
        _ => w.model_start.to_string(),
    };
    firsts
        .into_iter()
        .map(|(color, month, value)| PointMark {
            month,
            value,
            label: label.clone(),
            color,
            style: PointStyle::Model,
        })
        .collect()
}

/// The fan chart of the share on LY for one or more scenarios, with the
/// observed start (a point at its month), the model's start, the target
/// and the project period: shaded for one scenario, as `lanes` (a bar per
/// scenario under the axis) when several are side by side.
pub fn fan_figure(
    runs: &[(&str, &RunData)],
    shade: &[(Month, Month)],
    lanes: Vec<Lane>,
    declared: &[Kpi],
    lang: Lang,
) -> anyhow::Result<String> {
    let w = lang.words();
    let compare = runs.len() > 1;
    let lines: Vec<Line> = runs
        .iter()
        .enumerate()
        .map(|(i, (name, d))| banded(name, PALETTE[i % PALETTE.len()], d, "ly_share"))
        .collect();
    let mut points = model_start(&lines, true, lang);
    // The seed's observed start; a scenario with its own KPIs has none.
    let seed_start = declared
        .is_empty()
        .then_some(crate::model::kpi::LY_SHARE_START);
    if let (Some(m), Some(start)) = (Month::parse(LY_SHARE_OBSERVED), seed_start) {
        points.insert(
            0,
            PointMark {
                month: m,
                value: start,
                label: w.start_value.to_string(),
                color: charts::OBSERVED,
                style: PointStyle::Observed,
            },
        );
    }
    let refs = runs.first().map_or(Vec::new(), |(_, d)| {
        target_lines(d, declared, "ly_share", lang)
    });
    let chart = TimeChart {
        title: if compare {
            w.compare_fan_title
        } else if declared.is_empty() {
            w.fan_title
        } else {
            super::kpi_view::plain_titles(lang).0
        }
        .to_string(),
        x_desc: w.month_axis.to_string(),
        shade: shade.to_vec(),
        shade_label: period_label(shade, lang),
        lanes,
        median_label: w.median.to_string(),
        band90_label: w.band90.to_string(),
        band50_label: w.band50.to_string(),
        panels: vec![Panel {
            caption: None,
            y_desc: w.share_unit.to_string(),
            unit: Unit::Share,
            lines,
            refs,
            markers: vec![],
            points,
        }],
    };
    let plain = super::kpi_view::plain_aids(lang);
    let aid = if compare && !declared.is_empty() {
        plain.1
    } else if !declared.is_empty() {
        plain.0
    } else if compare {
        w.compare_fan_aid
    } else if runs.iter().all(|(_, d)| has_50(d, "ly_share")) {
        w.fan_aid_50
    } else {
        w.fan_aid
    };
    Ok(figure(&charts::time_chart(&chart, lang)?, aid))
}

/// Stocks, progression and the yearly budget; `shade`: the scenario's own
/// project period.
pub fn charts_after_fan(
    d: &RunData,
    shade: &[(Month, Month)],
    declared: &[Kpi],
    lang: Lang,
) -> anyhow::Result<String> {
    let w = lang.words();
    let band_note = |text: &str, metric: &str| {
        if has_50(d, metric) {
            text.to_string()
        } else {
            format!("{text} {}", w.bands_not_stored)
        }
    };
    let base = |title: &str, panels: Vec<Panel>| TimeChart {
        title: title.to_string(),
        x_desc: w.month_axis.to_string(),
        shade: shade.to_vec(),
        shade_label: period_label(shade, lang),
        lanes: vec![],
        median_label: w.median.to_string(),
        band90_label: w.band90.to_string(),
        band50_label: w.band50.to_string(),
        panels,
    };
    let panel = |caption: &str, metric: &str, color: RGBColor| Panel {
        caption: Some(caption.to_string()),
        y_desc: w.people_unit.to_string(),
        unit: Unit::People,
        lines: vec![banded(caption, color, d, metric)],
        refs: vec![],
        markers: vec![],
        points: STOCKS_OBSERVED
            .iter()
            .filter(|(m, _, _)| *m == metric)
            .filter_map(|(_, month, people)| {
                Some(PointMark {
                    month: Month::parse(month)?,
                    value: *people,
                    label: w.observed_seed.to_string(),
                    color: charts::OBSERVED,
                    style: PointStyle::Observed,
                })
            })
            .collect(),
    };
    let stocks = base(
        w.stocks_title,
        vec![
            panel(w.ly_stock, "ly_stock", PALETTE[0]),
            panel(w.flex_stock, "flex_stock", PALETTE[2]),
        ],
    );
    let progression = base(
        if declared.is_empty() {
            w.progression_title
        } else {
            super::kpi_view::plain_titles(lang).1
        },
        vec![Panel {
            caption: None,
            y_desc: w.progression_unit.to_string(),
            unit: Unit::Share,
            lines: vec![banded(
                w.progression_share,
                PALETTE[3],
                d,
                "progression_share",
            )],
            refs: target_lines(d, declared, "progression_share", lang),
            markers: vec![],
            points: vec![],
        }],
    );
    let mut out = figure(
        &charts::time_chart(&stocks, lang)?,
        &band_note(w.stocks_aid, "ly_stock"),
    );
    out.push_str(&figure(
        &charts::time_chart(&progression, lang)?,
        if declared.is_empty() {
            w.progression_aid
        } else {
            super::kpi_view::plain_aids(lang).2
        },
    ));
    if !d.budget.is_empty() {
        let years: Vec<(i32, u32)> = d.budget.iter().map(|y| (y.year, y.months)).collect();
        let aid = match partial_years(&years, lang) {
            Some(p) => format!("{} {p}", w.budget_aid),
            None => w.budget_aid.to_string(),
        };
        out.push_str(&figure(&charts::bar_chart(&budget(d, lang), lang)?, &aid));
    }
    Ok(out)
}

/// The yearly budget as stacked bars: spending up, refusion down, net dots.
fn budget(d: &RunData, lang: Lang) -> Bars {
    let w = lang.words();
    let get = |metrics: &[&str], sign: f64| -> Vec<f64> {
        d.budget
            .iter()
            .map(|y| sign * metrics.iter().filter_map(|m| y.mean.get(*m)).sum::<f64>())
            .collect()
    };
    Bars {
        title: w.budget_title.to_string(),
        x_desc: w.year_axis.to_string(),
        y_desc: w.mdkk_year_unit.to_string(),
        unit: Unit::MegaDkk,
        categories: d
            .budget
            .iter()
            .map(|y| {
                if y.months < 12 {
                    format!("{}* ({})", y.year, y.months)
                } else {
                    y.year.to_string()
                }
            })
            .collect(),
        parts: vec![
            (w.gross_ly.to_string(), PALETTE[0], get(&["cost_ly"], 1.0)),
            (
                w.flex_subsidy.to_string(),
                PALETTE[1],
                get(&["cost_flex_subsidy"], 1.0),
            ),
            (
                w.old_scheme.to_string(),
                RGBColor(253, 184, 99),
                get(&["cost_old_scheme"], 1.0),
            ),
            (
                w.staff.to_string(),
                PALETTE[3],
                get(&["cost_staff_municipal"], 1.0),
            ),
            (
                w.measures.to_string(),
                PALETTE[2],
                get(&["cost_measures"], 1.0),
            ),
            (
                w.refusion.to_string(),
                RGBColor(160, 160, 160),
                get(&["refusion_ly", "refusion_flex"], -1.0),
            ),
        ],
        total: (w.net.to_string(), get(&["net_municipal_cost"], 1.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_price_basis_says_nominal_or_fixed_and_the_discount_rate() {
        let mut info = ScenarioInfo {
            start: Month::parse("2016-09"),
            ..ScenarioInfo::default()
        };
        info.money.indexation = 0.02;
        info.money.discount_rate = 0.035;
        let en = price_basis(&info, None, Lang::En);
        assert!(en.starts_with("Money is in nominal DKK"), "{en}");
        assert!(en.contains("2.0 % a year") && en.contains("3.5 % a year to September 2016"));
        info.money.price_year = 2020;
        let da = price_basis(&info, None, Lang::Da);
        assert!(da.starts_with("Beløb er i faste 2020-priser"), "{da}");
        assert!(da.contains("3,5 % om året til september 2016"), "{da}");
    }

    #[test]
    fn partial_years_are_named() {
        assert_eq!(
            partial_years(&[(2016, 4), (2017, 12), (2026, 8)], Lang::En).as_deref(),
            Some(
                "Partial years (fewer than 12 simulated months): 2016 (4 months), 2026 (8 months)."
            )
        );
        assert_eq!(partial_years(&[(2017, 12)], Lang::Da), None);
    }
}
