//! Charts of a value against a parameter (a sweep's axis): per series a
//! median line over its 90 % band, or, for scattered points, a dot with a
//! 5th–95th percentile whisker each.

use super::*;

/// One series of an [`XyChart`].
#[derive(Debug, Clone)]
pub struct XySeries {
    pub label: String,
    pub color: RGBColor,
    /// (x, quantiles), in x order when `joined`.
    pub points: Vec<(f64, Quantiles)>,
    /// A line over a band (a grid's series); else dots with whiskers.
    pub joined: bool,
}

/// A value against a parameter.
#[derive(Debug, Clone)]
pub struct XyChart {
    pub title: String,
    pub x_desc: String,
    pub y_desc: String,
    pub unit: Unit,
    /// Names of the x positions 0, 1, … for a parameter that is not a
    /// number (e.g. `true`/`false`); `None`: x is the value itself.
    pub x_names: Option<Vec<String>>,
    pub series: Vec<XySeries>,
    pub median_label: String,
    pub band90_label: String,
}

/// Ticks for a numeric axis: the values themselves when few and apart
/// (a grid's values), else six evenly spaced; and whether they are the
/// values.
fn ticks(xs: &[f64], lo: f64, hi: f64) -> (Vec<f64>, bool) {
    let mut d: Vec<f64> = xs.to_vec();
    d.sort_by(f64::total_cmp);
    d.dedup();
    let apart = d.windows(2).all(|p| p[1] - p[0] >= (hi - lo) / 20.0);
    if d.len() <= 12 && apart {
        (d, true)
    } else {
        (
            (0..6).map(|k| lo + (hi - lo) * k as f64 / 5.0).collect(),
            false,
        )
    }
}

/// Draws a value against a parameter.
pub fn xy_chart(c: &XyChart, lang: Lang) -> anyhow::Result<String> {
    let pts = || {
        c.series
            .iter()
            .flat_map(|s| s.points.iter())
            .filter(|(x, q)| x.is_finite() && q.p50.is_finite())
    };
    if c.series.iter().all(|s| s.points.is_empty()) {
        anyhow::bail!("chart `{}` has no data", c.title);
    }
    let xs: Vec<f64> = pts().map(|(x, _)| *x).collect();
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (_, q) in pts() {
        for v in [q.p05, q.p50, q.p95].into_iter().filter(|v| v.is_finite()) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    let (y0, y1) = padded(lo, hi, c.unit);
    let (x0, x1) = match &c.x_names {
        Some(names) => (-0.5, names.len().max(1) as f64 - 0.5),
        None => padded(
            xs.iter().cloned().fold(f64::INFINITY, f64::min),
            xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
            Unit::Plain,
        ),
    };
    let (keys, exact) = match &c.x_names {
        Some(names) => ((0..names.len()).map(|k| k as f64).collect(), false),
        None => ticks(&xs, x0, x1),
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let (plot, legend) = canvas(&root, &c.title)?;
        let mut chart = ChartBuilder::on(&plot)
            .margin(8)
            .margin_right(16)
            .x_label_area_size(52)
            .y_label_area_size(78)
            .build_cartesian_2d(key_axis(x0..x1, keys), y0..y1)?;
        let xfmt = |v: &f64| match &c.x_names {
            Some(names) => names
                .get(v.round().max(0.0) as usize)
                .cloned()
                .unwrap_or_default(),
            None if exact => lang.num_auto(*v),
            None => Unit::Plain.tick(*v, x1 - x0, lang),
        };
        let yfmt = |v: &f64| c.unit.tick(*v, y1 - y0, lang);
        chart
            .configure_mesh()
            .x_desc(c.x_desc.as_str())
            .y_desc(c.y_desc.as_str())
            .x_label_formatter(&xfmt)
            .y_label_formatter(&yfmt)
            .y_labels(7)
            .label_style(text_style(15))
            .axis_desc_style(text_style(16))
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(225, 225, 225))
            .draw()?;
        let finite = |s: &XySeries| -> Vec<(f64, Quantiles)> {
            s.points
                .iter()
                .filter(|(x, q)| {
                    x.is_finite() && q.p50.is_finite() && q.p05.is_finite() && q.p95.is_finite()
                })
                .cloned()
                .collect()
        };
        let band = if c.series.len() > 1 { 0.1 } else { 0.18 };
        // Bands and whiskers first, medians over them.
        for s in &c.series {
            let p = finite(s);
            if s.joined {
                let outline: Vec<(f64, f64)> = p
                    .iter()
                    .map(|(x, q)| (*x, q.p95))
                    .chain(p.iter().rev().map(|(x, q)| (*x, q.p05)))
                    .collect();
                chart.draw_series(std::iter::once(Polygon::new(
                    outline,
                    s.color.mix(band).filled(),
                )))?;
            } else {
                chart.draw_series(p.iter().map(|(x, q)| {
                    PathElement::new(
                        vec![(*x, q.p05), (*x, q.p95)],
                        s.color.mix(0.45).stroke_width(1),
                    )
                }))?;
            }
        }
        for s in &c.series {
            let p = finite(s);
            if s.joined {
                chart.draw_series(LineSeries::new(
                    p.iter().map(|(x, q)| (*x, q.p50)),
                    s.color.stroke_width(2),
                ))?;
            }
            chart.draw_series(
                p.iter()
                    .map(|(x, q)| Circle::new((*x, q.p50), 4, s.color.filled())),
            )?;
        }
        let mut items = Vec::new();
        if c.series.len() > 1 {
            for s in &c.series {
                items.push(item(&s.label, Swatch::Line(s.color)));
            }
        } else if let Some(s) = c.series.first() {
            items.push(item(&c.median_label, Swatch::Line(s.color)));
        }
        let grey = RGBColor(90, 90, 90);
        items.push(item(&c.band90_label, Swatch::Fill(grey.mix(0.2))));
        draw_legend(&legend, &items)?;
        root.present()?;
    }
    Ok(finish(svg, &c.title))
}
