//! Charts over months: bands, medians, reference lines, markers, point
//! marks, the shaded project period and scenarios' windows as bars under
//! the axis.
//!
//! Drawing order keeps every scenario legible: shading, then every band
//! (lighter when a panel holds several lines), then every median line, then
//! reference lines and points on top.

use super::*;

/// Draws a chart over months.
pub fn time_chart(c: &TimeChart, lang: Lang) -> anyhow::Result<String> {
    let data = || {
        c.panels
            .iter()
            .flat_map(|p| p.lines.iter())
            .flat_map(|l| l.points.iter().map(|(m, _)| *m))
    };
    if data().next().is_none() {
        anyhow::bail!("chart `{}` has no data", c.title);
    }
    // Point marks widen the axis (an observed figure may precede the
    // simulation), within a bound so a stray month cannot squeeze the data.
    let marks = c
        .panels
        .iter()
        .flat_map(|p| p.points.iter().map(|pt| pt.month));
    let (Some(d0), Some(d1)) = (data().min(), data().max()) else {
        anyhow::bail!("chart `{}` has no data", c.title);
    };
    let near = |m: &Month| d0.plus(-24) <= *m && *m <= d1.plus(24);
    let first = marks.clone().filter(near).fold(d0, Month::min);
    let last = marks.filter(near).fold(d1, Month::max);
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
/// Bands of a panel with several lines: light enough that three overlap
/// and each median stays readable.
pub const BAND90_MANY: f64 = 0.1;
const BAND50_MANY: f64 = 0.16;
/// Height of a window bar under the axis, and of its lane.
const LANE_BAR: i32 = 8;
const LANE: i32 = 13;
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
        if banded {
            let grey = RGBColor(90, 90, 90);
            // The swatch a little darker than one band, as bands overlap.
            items.push(item(
                &c.band90_label,
                Swatch::Fill(grey.mix(2.0 * BAND90_MANY)),
            ));
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
    let mut labels: Vec<&str> = Vec::new();
    for pt in c.panels.iter().flat_map(|p| &p.points) {
        if !pt.label.is_empty() && !labels.contains(&pt.label.as_str()) {
            labels.push(&pt.label);
            items.push(item(&pt.label, Swatch::Point(pt.color, pt.style)));
        }
    }
    if !c.shade.is_empty() {
        items.push(item(&c.shade_label, Swatch::Fill(SHADE.mix(SHADE_ALPHA))));
    }
    for lane in c.lanes.iter().filter(|l| !l.windows.is_empty()) {
        items.push(item(&lane.label, Swatch::Fill(lane.color.to_rgba())));
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
    for pt in p.points.iter().filter(|pt| pt.value.is_finite()) {
        lo = lo.min(pt.value);
        hi = hi.max(pt.value);
    }
    let (y0, y1) = padded(lo, hi, p.unit);
    let xmax = (n - 1) as f64;
    let lanes: Vec<&Lane> = c.lanes.iter().filter(|l| !l.windows.is_empty()).collect();
    let lane_height = if lanes.is_empty() {
        0
    } else {
        6 + LANE * lanes.len() as i32
    };
    let h = area.dim_in_pixel().1 as i32;
    let (area, strip) = area.split_vertically((h - lane_height).max(h / 2));
    let mut builder = ChartBuilder::on(&area);
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

    let many = p.lines.len() > 1;
    let (a90, a50) = if many {
        (BAND90_MANY, BAND50_MANY)
    } else {
        (BAND90, BAND50)
    };
    // A value that is not a number (e.g. a share of nobody) leaves a gap in
    // the data, not a broken SVG.
    let finite: Vec<Vec<(f64, Quantiles)>> = p
        .lines
        .iter()
        .map(|l| {
            l.points
                .iter()
                .filter(|(_, q)| {
                    q.p50.is_finite() && (!l.bands || (q.p05.is_finite() && q.p95.is_finite()))
                })
                .map(|(m, q)| (x(*m), *q))
                .collect()
        })
        .collect();
    for (l, pts) in p.lines.iter().zip(&finite).filter(|(l, _)| l.bands) {
        type Pick = fn(&Quantiles) -> Option<f64>;
        let band = |lo: Pick, hi: Pick| -> Vec<(f64, f64)> {
            let upper = pts.iter().filter_map(|(x, q)| Some((*x, hi(q)?)));
            let lower = pts.iter().rev().filter_map(|(x, q)| Some((*x, lo(q)?)));
            upper.chain(lower).collect()
        };
        let outer = band(|q| Some(q.p05), |q| Some(q.p95));
        chart.draw_series(std::iter::once(Polygon::new(
            outer,
            l.color.mix(a90).filled(),
        )))?;
        let inner = band(
            |q| q.p25.filter(|v| v.is_finite()),
            |q| q.p75.filter(|v| v.is_finite()),
        );
        if !inner.is_empty() && inner.len() == 2 * pts.len() {
            chart.draw_series(std::iter::once(Polygon::new(
                inner,
                l.color.mix(a50).filled(),
            )))?;
        }
    }
    // Medians after every band, so no band covers another scenario's line.
    for (l, pts) in p.lines.iter().zip(&finite) {
        chart.draw_series(LineSeries::new(
            pts.iter().map(|(x, q)| (*x, q.p50)),
            l.color.stroke_width(if many { 3 } else { 2 }),
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
    for pt in &p.points {
        let px = x(pt.month);
        if !pt.value.is_finite() || !(-0.5..=xmax + 0.5).contains(&px) {
            continue;
        }
        let at = chart.backend_coord(&(px, pt.value));
        let base = area.get_base_pixel();
        draw_point(&area, (at.0 - base.0, at.1 - base.1), pt.color, pt.style)?;
    }
    // Each scenario's windows as a bar in its colour under the x axis.
    let base = strip.get_base_pixel().0;
    let px = |v: f64| chart.backend_coord(&(v, y0)).0 - base;
    for (i, lane) in lanes.iter().enumerate() {
        let top = 4 + LANE * i as i32;
        for (f, t) in &lane.windows {
            let (a, b) = ((x(*f) - 0.5).max(-0.5), (x(*t) + 0.5).min(xmax + 0.5));
            if a < b {
                strip.draw(&Rectangle::new(
                    [(px(a), top), (px(b), top + LANE_BAR)],
                    lane.color.filled(),
                ))?;
            }
        }
    }
    Ok(())
}
