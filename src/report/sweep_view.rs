//! The part of the page for a sweep: what was swept, then for the metric
//! shown (see [`super::sweep_data`]) a chart per axis (median and 90 %
//! band against the axis value), a heat map when the sweep is a full grid
//! of two axes, and, when it is not a grid (a Latin hypercube), the
//! parameters ranked by their Spearman rank correlation with the metric.

use super::charts::{self, HeatMap, Ranked, XyChart, XySeries, PALETTE};
use super::data::Quantiles;
use super::html::{figure, heading, para, table};
use super::i18n::Lang;
use super::sweep_data::{is_full_grid, numeric, spearman, SweepData};
use super::values::{capitalized, metric_name, Measure};

/// Axes drawn one chart each, at most (a sweep has a few).
const MAX_AXIS_CHARTS: usize = 8;
/// Series of a per-axis chart, at most: more combinations of the other
/// axes are drawn as dots in one colour.
const MAX_SERIES: usize = 5;

/// The distinct values of axis `a` in order: by number when every value
/// is one, else as first met.
fn distinct(d: &SweepData, a: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in &d.points {
        if !out.contains(&p.values[a]) {
            out.push(p.values[a].clone());
        }
    }
    if out.iter().all(|v| v.parse::<f64>().is_ok()) {
        out.sort_by(|x, y| {
            numeric(x)
                .unwrap_or(0.0)
                .total_cmp(&numeric(y).unwrap_or(0.0))
        });
    }
    out
}

/// Whether an axis is drawn at its numeric values (else by name).
fn is_number_axis(values: &[String]) -> bool {
    values.iter().all(|v| v.parse::<f64>().is_ok())
}

/// The section for a sweep folder.
pub fn section(d: &SweepData, lang: Lang) -> anyhow::Result<String> {
    let w = lang.words();
    let m = Measure::of(&d.metric);
    let what = format!("{}, {}", metric_name(&d.metric, lang), w.whole_horizon);
    let mut out = String::from("<section class=\"kind sweep\">\n");
    out.push_str(&heading(2, &format!("{}: {}", w.sweep, d.name)));
    out.push_str(&para(
        "meta",
        &format!(
            "{} {} ({}) · {} {} · {} {} · {} {} · {}: {what}",
            lang.num(d.points.len() as f64, 0),
            w.points,
            d.axes.join(" × "),
            lang.num(d.provenance.replications as f64, 0),
            w.per_point,
            w.seed,
            d.provenance.seed,
            w.version,
            d.provenance.version,
            w.shown_metric,
        ),
    ));
    let grid = is_full_grid(&d.points, d.axes.len());
    let y_desc = format!("{what} ({})", m.axis_unit(lang));

    if grid && d.axes.len() == 2 {
        out.push_str(&figure(
            &charts::heat_map(&heat(d, &what, lang), lang)?,
            w.heat_aid,
        ));
    }
    for a in 0..d.axes.len().min(MAX_AXIS_CHARTS) {
        let chart = per_axis(d, a, grid, &what, &y_desc, lang);
        let aid = if chart.series.iter().all(|s| s.joined) {
            w.axis_aid
        } else {
            w.axis_aid_scatter
        };
        out.push_str(&figure(&charts::xy_chart(&chart, lang)?, aid));
    }
    let many_values = (0..d.axes.len()).any(|a| distinct(d, a).len() > 12);
    if !grid || many_values {
        out.push_str(&ranking(d, &what, lang)?);
    }
    out.push_str("</section>\n");
    Ok(out)
}

/// The metric against axis `a`. On a grid, one series per combination of
/// the other axes (when few); else every point as a dot with its whisker.
fn per_axis(d: &SweepData, a: usize, grid: bool, what: &str, y_desc: &str, lang: Lang) -> XyChart {
    let w = lang.words();
    let values = distinct(d, a);
    let numbers = is_number_axis(&values);
    let x = |v: &str| {
        if numbers {
            numeric(v).unwrap_or(f64::NAN)
        } else {
            values
                .iter()
                .position(|u| u == v)
                .map_or(f64::NAN, |k| k as f64)
        }
    };
    let others = |values: &[String]| -> Vec<String> {
        d.axes
            .iter()
            .zip(values)
            .enumerate()
            .filter(|(b, _)| *b != a)
            .map(|(_, (k, v))| format!("{k} = {v}"))
            .collect()
    };
    // (the other axes' values, the points at them)
    type Group = (Vec<String>, Vec<(f64, Quantiles)>);
    let mut groups: Vec<Group> = Vec::new();
    for p in &d.points {
        let key = others(&p.values);
        let point = (x(&p.values[a]), p.q);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, g)) => g.push(point),
            None => groups.push((key, vec![point])),
        }
    }
    let series = if grid && groups.len() <= MAX_SERIES {
        groups
            .into_iter()
            .enumerate()
            .map(|(i, (key, mut points))| {
                points.sort_by(|p, q| p.0.total_cmp(&q.0));
                XySeries {
                    label: if key.is_empty() {
                        what.to_string()
                    } else {
                        key.join(", ")
                    },
                    color: PALETTE[i % PALETTE.len()],
                    points,
                    joined: true,
                }
            })
            .collect()
    } else {
        vec![XySeries {
            label: w.other_axes.to_string(),
            color: PALETTE[0],
            points: groups.into_iter().flat_map(|(_, g)| g).collect(),
            joined: false,
        }]
    };
    XyChart {
        title: format!("{what} {} {}", w.against, d.axes[a]),
        x_desc: d.axes[a].clone(),
        y_desc: y_desc.to_string(),
        unit: Measure::of(&d.metric).unit(),
        x_names: (!numbers).then_some(values),
        series,
        median_label: w.median.to_string(),
        band90_label: w.band90.to_string(),
    }
}

/// The heat map of a full grid over two axes: the first axis across.
fn heat(d: &SweepData, what: &str, lang: Lang) -> HeatMap {
    let w = lang.words();
    let m = Measure::of(&d.metric);
    let (xs, ys) = (distinct(d, 0), distinct(d, 1));
    let cells = d
        .points
        .iter()
        .filter_map(|p| {
            let i = xs.iter().position(|v| *v == p.values[0])?;
            let j = ys.iter().position(|v| *v == p.values[1])?;
            Some((i, j, p.q.p50, m.number(p.q.p50, false, lang)))
        })
        .collect();
    HeatMap {
        title: format!("{what}: {} × {}", d.axes[0], d.axes[1]),
        x_desc: d.axes[0].clone(),
        y_desc: d.axes[1].clone(),
        x_names: xs,
        y_names: ys,
        cells,
        unit: m.unit(),
        scale_label: format!("{} ({})", w.median, m.axis_unit(lang)),
    }
}

/// The parameters ranked by the size of their Spearman correlation with
/// the points' medians: a table and a bar chart.
fn ranking(d: &SweepData, what: &str, lang: Lang) -> anyhow::Result<String> {
    let w = lang.words();
    let medians: Vec<f64> = d.points.iter().map(|p| p.q.p50).collect();
    let mut rows: Vec<(String, Option<f64>, String)> = Vec::new();
    for (a, key) in d.axes.iter().enumerate() {
        let xs: Option<Vec<f64>> = d.points.iter().map(|p| numeric(&p.values[a])).collect();
        let (rho, range) = match xs {
            Some(xs) => {
                let lo = xs.iter().cloned().fold(f64::INFINITY, f64::min);
                let hi = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let range = format!("{} – {}", lang.num_auto(lo), lang.num_auto(hi));
                (spearman(&xs, &medians), range)
            }
            None => (None, "–".to_string()),
        };
        rows.push((key.clone(), rho, range));
    }
    rows.sort_by(|x, y| {
        let size = |r: &Option<f64>| r.map_or(-1.0, f64::abs);
        size(&y.1).total_cmp(&size(&x.1))
    });
    let title = format!("{} {what}", w.rank_title);
    let chart = Ranked {
        title: title.clone(),
        x_desc: w.correlation.to_string(),
        y_desc: w.parameter.to_string(),
        rows: rows
            .iter()
            .map(|(k, r, _)| (k.clone(), r.unwrap_or(f64::NAN)))
            .collect(),
        range: (-1.0, 1.0),
        positive_label: w.corr_pos.to_string(),
        negative_label: w.corr_neg.to_string(),
    };
    let mut out = heading(3, &title);
    let head = vec![
        w.parameter.to_string(),
        capitalized(w.correlation),
        capitalized(w.sweep_range),
    ];
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|(k, r, range)| {
            vec![
                k.clone(),
                r.map_or("–".to_string(), |r| lang.num(r, 2)),
                range.clone(),
            ]
        })
        .collect();
    out.push_str(&table(&head, &body));
    let aid = if rows.iter().any(|r| r.1.is_none()) {
        format!("{} {}", w.rank_aid, w.no_correlation)
    } else {
        w.rank_aid.to_string()
    };
    out.push_str(&figure(&charts::ranked_chart(&chart, lang)?, &aid));
    Ok(out)
}
