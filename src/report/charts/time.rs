//! Charts over months: bands, medians, reference lines, markers and the
//! shaded project period.

use super::*;

/// Draws a chart over months.
pub fn time_chart(c: &TimeChart, lang: Lang) -> anyhow::Result<String> {
    let months = || {
        c.panels
            .iter()
            .flat_map(|p| p.lines.iter())
            .flat_map(|l| l.points.iter().map(|(m, _)| *m))
    };
    let (Some(first), Some(last)) = (months().min(), months().max()) else {
        anyhow::bail!("chart `{}` has no data", c.title);
    };
    let n = (first.months_until(last) + 1).max(2) as usize;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let (plot, legend) = canvas(&root, &c.title)?;
        let panels = plot.split_evenly((1, c.panels.len().max(1)));
        for (area, panel) in panels.iter().zip(&c.panels) {
            draw_panel(area, c, panel, first, n, lang)?;
        }
        draw_legend(&legend, &legend_items(c))?;
        root.present()?;
    }
    Ok(finish(svg, &c.title))
}

const BAND90: f64 = 0.18;
const BAND50: f64 = 0.34;
const SHADE: RGBColor = RGBColor(0, 0, 0);
const SHADE_ALPHA: f64 = 0.07;

fn legend_items(c: &TimeChart) -> Vec<LegendItem> {
    let mut items = Vec::new();
    let lines: Vec<&Line> = c.panels.iter().flat_map(|p| &p.lines).collect();
    let banded = lines.iter().any(|l| l.bands);
    let inner = lines.iter().any(|l| {
        l.bands
            && l.points
                .iter()
                .all(|(_, q)| q.p25.is_some() && q.p75.is_some())
    });
    if c.panels.len() == 1 && lines.len() > 1 {
        for l in &lines {
            items.push(item(&l.label, Swatch::Line(l.color)));
        }
    } else {
        // One line per panel: band and median in that line's colour, or in
        // neutral grey when the panels differ in colour.
        let color = match lines.as_slice() {
            [one] => one.color,
            _ => RGBColor(90, 90, 90),
        };
        if banded {
            items.push(item(&c.band90_label, Swatch::Fill(color.mix(BAND90))));
            if inner {
                items.push(item(&c.band50_label, Swatch::Fill(color.mix(BAND50))));
            }
        }
        items.push(item(&c.median_label, Swatch::Line(color)));
    }
    for r in c.panels.iter().flat_map(|p| &p.refs) {
        if !r.label.is_empty() {
            items.push(item(&r.label, Swatch::Dashed(r.color)));
        }
    }
    if !c.shade.is_empty() {
        items.push(item(&c.shade_label, Swatch::Fill(SHADE.mix(SHADE_ALPHA))));
    }
    items
}

fn draw_panel(
    area: &Area,
    c: &TimeChart,
    p: &Panel,
    first: Month,
    n: usize,
    lang: Lang,
) -> anyhow::Result<()> {
    let x = |m: Month| first.months_until(m) as f64;
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for l in &p.lines {
        for (_, q) in &l.points {
            let vals = if l.bands {
                [q.p05, q.p95, q.p50]
            } else {
                [q.p50; 3]
            };
            for v in vals.into_iter().filter(|v| v.is_finite()) {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    for r in &p.refs {
        lo = lo.min(r.value);
        hi = hi.max(r.value);
    }
    let (y0, y1) = padded(lo, hi, p.unit);
    let xmax = (n - 1) as f64;
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(8)
        .margin_right(16)
        .x_label_area_size(52)
        .y_label_area_size(78);
    if let Some(cap) = &p.caption {
        builder.caption(cap, text_style(18));
    }
    let mut chart =
        builder.build_cartesian_2d(key_axis(-0.5..xmax + 0.5, month_ticks(first, n)), y0..y1)?;
    let xfmt = |v: &f64| month_label(first, *v);
    let yfmt = |v: &f64| p.unit.tick(*v, y1 - y0, lang);
    chart
        .configure_mesh()
        .x_desc(c.x_desc.as_str())
        .y_desc(p.y_desc.as_str())
        .x_label_formatter(&xfmt)
        .y_label_formatter(&yfmt)
        .y_labels(7)
        .label_style(text_style(15))
        .axis_desc_style(text_style(16))
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .draw()?;

    let shade = SHADE.mix(SHADE_ALPHA);
    chart.draw_series(
        c.shade
            .iter()
            .map(|(f, t)| ((x(*f) - 0.5).max(-0.5), (x(*t) + 0.5).min(xmax + 0.5)))
            .filter(|(a, b)| a < b)
            .map(|(a, b)| Rectangle::new([(a, y0), (b, y1)], shade.filled())),
    )?;

    for l in &p.lines {
        // A value that is not a number (e.g. a share of nobody) leaves a gap
        // in the data, not a broken SVG.
        let pts: Vec<(f64, Quantiles)> = l
            .points
            .iter()
            .filter(|(_, q)| {
                q.p50.is_finite() && (!l.bands || (q.p05.is_finite() && q.p95.is_finite()))
            })
            .map(|(m, q)| (x(*m), *q))
            .collect();
        if l.bands {
            type Pick = fn(&Quantiles) -> Option<f64>;
            let band = |lo: Pick, hi: Pick| -> Vec<(f64, f64)> {
                let upper = pts.iter().filter_map(|(x, q)| Some((*x, hi(q)?)));
                let lower = pts.iter().rev().filter_map(|(x, q)| Some((*x, lo(q)?)));
                upper.chain(lower).collect()
            };
            let outer = band(|q| Some(q.p05), |q| Some(q.p95));
            chart.draw_series(std::iter::once(Polygon::new(
                outer,
                l.color.mix(BAND90).filled(),
            )))?;
            let inner = band(
                |q| q.p25.filter(|v| v.is_finite()),
                |q| q.p75.filter(|v| v.is_finite()),
            );
            if !inner.is_empty() && inner.len() == 2 * pts.len() {
                chart.draw_series(std::iter::once(Polygon::new(
                    inner,
                    l.color.mix(BAND50).filled(),
                )))?;
            }
        }
        chart.draw_series(LineSeries::new(
            pts.iter().map(|(x, q)| (*x, q.p50)),
            l.color.stroke_width(2),
        ))?;
    }

    for r in &p.refs {
        chart.draw_series(DashedLineSeries::new(
            vec![(-0.5, r.value), (xmax + 0.5, r.value)],
            7,
            5,
            r.color.stroke_width(2),
        ))?;
    }
    for m in &p.markers {
        let mx = x(m.month);
        if !(0.0..=xmax).contains(&mx) {
            continue;
        }
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(mx, y0), (mx, y1)],
            BLACK.stroke_width(2),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            format!(" {}", m.label),
            (mx, y1 - (y1 - y0) * 0.02),
            text_style(14),
        )))?;
    }
    Ok(())
}
