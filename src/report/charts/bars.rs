//! Bar charts: the yearly budget (stacked) and the tornado.

use super::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Draws stacked bars.
pub fn bar_chart(b: &Bars, lang: Lang) -> anyhow::Result<String> {
    let n = b.categories.len();
    if n == 0 {
        anyhow::bail!("chart `{}` has no data", b.title);
    }
    let mut lo: f64 = 0.0;
    let mut hi: f64 = 0.0;
    for k in 0..n {
        let vals = || {
            b.parts
                .iter()
                .map(|(_, _, v)| v.get(k).copied().unwrap_or(0.0))
        };
        lo = lo.min(vals().filter(|v| *v < 0.0).sum());
        hi = hi.max(vals().filter(|v| *v > 0.0).sum());
    }
    for v in &b.total.1 {
        lo = lo.min(*v);
        hi = hi.max(*v);
    }
    let (y0, y1) = padded(lo, hi, b.unit);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let (plot, legend) = canvas(&root, &b.title)?;
        let mut chart = ChartBuilder::on(&plot)
            .margin(8)
            .margin_right(16)
            .x_label_area_size(52)
            .y_label_area_size(78)
            .build_cartesian_2d(
                key_axis(-0.5..n as f64 - 0.5, (0..n).map(|k| k as f64).collect()),
                y0..y1,
            )?;
        let xfmt = |v: &f64| {
            let k = v.round();
            if k >= 0.0 {
                b.categories.get(k as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        let yfmt = |v: &f64| b.unit.tick(*v, y1 - y0, lang);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc(b.x_desc.as_str())
            .y_desc(b.y_desc.as_str())
            .x_label_formatter(&xfmt)
            .y_label_formatter(&yfmt)
            .y_labels(8)
            .label_style(text_style(15))
            .axis_desc_style(text_style(16))
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(225, 225, 225))
            .draw()?;
        let mut up = vec![0.0; n];
        let mut down = vec![0.0; n];
        let mut items = Vec::new();
        for (label, color, values) in &b.parts {
            let mut rects = Vec::new();
            for (k, v) in values.iter().enumerate().take(n) {
                let (from, to) = if *v >= 0.0 {
                    up[k] += v;
                    (up[k] - v, up[k])
                } else {
                    down[k] += v;
                    (down[k], down[k] - v)
                };
                let xk = k as f64;
                rects.push(Rectangle::new(
                    [(xk - 0.36, from), (xk + 0.36, to)],
                    color.filled(),
                ));
            }
            chart.draw_series(rects)?;
            items.push(item(label, Swatch::Fill(color.to_rgba())));
        }
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(-0.5, 0.0), (n as f64 - 0.5, 0.0)],
            BLACK.stroke_width(1),
        )))?;
        chart.draw_series(
            b.total
                .1
                .iter()
                .enumerate()
                .map(|(k, v)| Circle::new((k as f64, *v), 6, BLACK.filled())),
        )?;
        items.push(item(&b.total.0, Swatch::Dot));
        draw_legend(&legend, &items)?;
        root.present()?;
    }
    Ok(finish(svg, &b.title))
}

/// Pixels a row of the tornado takes: its label over up to two lines and
/// the key under them.
const TORNADO_ROW: usize = 62;
/// Characters of a parameter's label per line.
const LABEL_WIDTH: usize = 34;

/// Draws a tornado chart: a bar per parameter from `base` to the results at
/// its low and high value; the input values printed beyond the bar's ends
/// (the one giving the smaller result on the left); each row named by its
/// label, with its key small under it.
pub fn tornado_chart(t: &Tornado, lang: Lang) -> anyhow::Result<String> {
    let n = t.rows.len();
    if n == 0 {
        anyhow::bail!("chart `{}` has no data", t.title);
    }
    let mut lo = t.base;
    let mut hi = t.base;
    for r in &t.rows {
        lo = lo.min(r.low).min(r.high);
        hi = hi.max(r.low).max(r.high);
    }
    // Room beyond the bars for the input values.
    let room = if (hi - lo).is_finite() {
        (hi - lo) * 0.22
    } else {
        0.0
    };
    let (x0, x1) = padded(lo - room, hi + room, t.unit);
    let labels: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| {
            let mut lines = wrap(&r.label, LABEL_WIDTH);
            if lines.len() > 2 {
                let rest = lines.split_off(1).join(" ");
                lines.push(rest);
            }
            lines
        })
        .collect();
    let longest = t
        .rows
        .iter()
        .zip(&labels)
        .flat_map(|(r, l)| l.iter().map(|s| s.chars().count()).chain([r.key.len()]))
        .max()
        .unwrap_or(10);
    let height = (HEIGHT as usize).max(150 + TORNADO_ROW * n) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let (plot, legend) = canvas(&root, &t.title)?;
        // Row 0 at the top: y runs from -(n - 0.5) at the bottom to 0.5.
        let mut chart = ChartBuilder::on(&plot)
            .margin(8)
            .margin_right(24)
            .x_label_area_size(52)
            .y_label_area_size((longest as u32 * 7 + 40).min(WIDTH * 2 / 5))
            .build_cartesian_2d(
                x0..x1,
                key_axis(
                    -(n as f64) + 0.5..0.5,
                    (0..n).map(|k| -(k as f64)).collect(),
                ),
            )?;
        let xfmt = |v: &f64| t.unit.tick(*v, x1 - x0, lang);
        // The rows' names are drawn below, over several lines.
        let yfmt = |_: &f64| String::new();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(t.x_desc.as_str())
            .y_desc(t.y_desc.as_str())
            .x_label_formatter(&xfmt)
            .y_label_formatter(&yfmt)
            .x_labels(7)
            .label_style(text_style(15))
            .axis_desc_style(text_style(16))
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(225, 225, 225))
            .draw()?;
        let low = PALETTE[0].to_rgba();
        let high = PALETTE[0].mix(0.35);
        let bar = |k: usize, v: f64| {
            let y = -(k as f64);
            let (a, b) = if v < t.base { (v, t.base) } else { (t.base, v) };
            [(a, y - 0.3), (b, y + 0.3)]
        };
        chart.draw_series(
            t.rows
                .iter()
                .enumerate()
                .map(|(k, r)| Rectangle::new(bar(k, r.low), low.filled())),
        )?;
        chart.draw_series(
            t.rows
                .iter()
                .enumerate()
                .map(|(k, r)| Rectangle::new(bar(k, r.high), high.filled())),
        )?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(t.base, -(n as f64) + 0.5), (t.base, 0.5)],
            BLACK.stroke_width(2),
        )))?;
        let left = text_style(13).pos(Pos::new(HPos::Right, VPos::Center));
        let right = text_style(13).pos(Pos::new(HPos::Left, VPos::Center));
        let gap = 6;
        for (k, r) in t.rows.iter().enumerate() {
            let y = -(k as f64);
            let finite = |v: f64| if v.is_finite() { v } else { t.base };
            let (a, b) = (finite(r.low), finite(r.high));
            let (left_text, right_text) = if a <= b {
                (&r.low_input, &r.high_input)
            } else {
                (&r.high_input, &r.low_input)
            };
            let (px0, py) = chart.backend_coord(&(t.base.min(a).min(b).max(x0), y));
            let (px1, _) = chart.backend_coord(&(t.base.max(a).max(b).min(x1), y));
            root.draw(&Text::new(left_text.clone(), (px0 - gap, py), left.clone()))?;
            root.draw(&Text::new(
                right_text.clone(),
                (px1 + gap, py),
                right.clone(),
            ))?;
            // The row's name right-aligned left of the plot, the key under it.
            let (plot_left, _) = chart.backend_coord(&(x0, y));
            let lines = &labels[k];
            let line = 17;
            let top = py - (line * lines.len() as i32 + 13) / 2 + line / 2;
            let name = text_style(15).pos(Pos::new(HPos::Right, VPos::Center));
            for (i, l) in lines.iter().enumerate() {
                root.draw(&Text::new(
                    l.clone(),
                    (plot_left - 10, top + line * i as i32),
                    name.clone(),
                ))?;
            }
            let key = (FONT, 12)
                .into_font()
                .color(&RGBColor(110, 110, 110))
                .pos(Pos::new(HPos::Right, VPos::Center));
            root.draw(&Text::new(
                r.key.clone(),
                (plot_left - 10, top + line * lines.len() as i32),
                key,
            ))?;
        }
        let items = [
            item(&t.low_label, Swatch::Fill(low)),
            item(&t.high_label, Swatch::Fill(high)),
            item(&t.base_label, Swatch::Line(BLACK)),
        ];
        draw_legend(&legend, &items)?;
        root.present()?;
    }
    Ok(finish(svg, &t.title))
}

/// Horizontal bars from zero, one per row, top first (e.g. parameters by
/// their correlation with a metric).
#[derive(Debug, Clone)]
pub struct Ranked {
    pub title: String,
    pub x_desc: String,
    pub y_desc: String,
    /// (label, value), top first; a value that is not a number draws no bar.
    pub rows: Vec<(String, f64)>,
    /// The axis' range, e.g. −1..1 for correlations.
    pub range: (f64, f64),
    pub positive_label: String,
    pub negative_label: String,
}

/// Draws ranked bars: positive values in the palette's first colour,
/// negative ones in its second.
pub fn ranked_chart(r: &Ranked, lang: Lang) -> anyhow::Result<String> {
    let n = r.rows.len();
    if n == 0 {
        anyhow::bail!("chart `{}` has no data", r.title);
    }
    let (x0, x1) = if drawable(r.range.0, r.range.1) {
        r.range
    } else {
        UNIT_RANGE
    };
    let longest = r
        .rows
        .iter()
        .map(|row| row.0.chars().count())
        .max()
        .unwrap_or(10);
    let height = (HEIGHT as usize).max(150 + 46 * n) as u32;
    let (pos, neg) = (PALETTE[0], PALETTE[1]);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let (plot, legend) = canvas(&root, &r.title)?;
        let mut chart = ChartBuilder::on(&plot)
            .margin(8)
            .margin_right(24)
            .x_label_area_size(52)
            .y_label_area_size((longest as u32 * 7 + 36).min(WIDTH / 2))
            .build_cartesian_2d(
                x0..x1,
                key_axis(
                    -(n as f64) + 0.5..0.5,
                    (0..n).map(|k| -(k as f64)).collect(),
                ),
            )?;
        let xfmt = |v: &f64| lang.num(*v, 1);
        let yfmt = |v: &f64| {
            let k = -v.round();
            if k >= 0.0 {
                r.rows
                    .get(k as usize)
                    .map(|row| row.0.clone())
                    .unwrap_or_default()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(r.x_desc.as_str())
            .y_desc(r.y_desc.as_str())
            .x_label_formatter(&xfmt)
            .y_label_formatter(&yfmt)
            .x_labels(9)
            .label_style(text_style(15))
            .axis_desc_style(text_style(16))
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(225, 225, 225))
            .draw()?;
        chart.draw_series(
            r.rows
                .iter()
                .enumerate()
                .filter(|(_, row)| row.1.is_finite())
                .map(|(k, row)| {
                    let y = -(k as f64);
                    let v = row.1.clamp(x0, x1);
                    let color = if v < 0.0 { neg } else { pos };
                    Rectangle::new(
                        [(0.0_f64.min(v), y - 0.32), (0.0_f64.max(v), y + 0.32)],
                        color.filled(),
                    )
                }),
        )?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, -(n as f64) + 0.5), (0.0, 0.5)],
            BLACK.stroke_width(1),
        )))?;
        let items = [
            item(&r.positive_label, Swatch::Fill(pos.to_rgba())),
            item(&r.negative_label, Swatch::Fill(neg.to_rgba())),
        ];
        draw_legend(&legend, &items)?;
        root.present()?;
    }
    Ok(finish(svg, &r.title))
}
