//! A heat map: one cell per pair of two parameters' values, coloured by
//! the value on a sequential scale (light low, dark high) with its legend,
//! and the value printed in each cell.

use super::*;

/// A heat map over two parameters.
#[derive(Debug, Clone)]
pub struct HeatMap {
    pub title: String,
    pub x_desc: String,
    pub y_desc: String,
    pub x_names: Vec<String>,
    pub y_names: Vec<String>,
    /// (x index, y index, value, text printed in the cell).
    pub cells: Vec<(usize, usize, f64, String)>,
    pub unit: Unit,
    /// Words over the colour scale.
    pub scale_label: String,
}

/// Stops of the colour scale (viridis, reversed: light yellow for low,
/// dark purple for high), readable with the common colour-vision
/// deficiencies and in grey print.
const STOPS: [(u8, u8, u8); 5] = [
    (253, 231, 37),
    (94, 201, 98),
    (33, 145, 140),
    (59, 82, 139),
    (68, 1, 84),
];

/// The colour of `t` in 0..=1.
pub fn scale(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let f = t * (STOPS.len() - 1) as f64;
    let i = (f.floor() as usize).min(STOPS.len() - 2);
    let u = f - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * u).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Draws a heat map.
pub fn heat_map(h: &HeatMap, lang: Lang) -> anyhow::Result<String> {
    let (nx, ny) = (h.x_names.len(), h.y_names.len());
    let values = || h.cells.iter().map(|c| c.2).filter(|v| v.is_finite());
    if nx == 0 || ny == 0 || h.cells.is_empty() {
        anyhow::bail!("chart `{}` has no data", h.title);
    }
    let lo = values().fold(f64::INFINITY, f64::min);
    let hi = values().fold(f64::NEG_INFINITY, f64::max);
    let t = |v: f64| if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
    let longest = h
        .y_names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(4);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let (plot, legend) = canvas(&root, &h.title)?;
        let mut chart = ChartBuilder::on(&plot)
            .margin(8)
            .margin_right(16)
            .x_label_area_size(52)
            .y_label_area_size((longest as u32 * 8 + 48).clamp(60, WIDTH / 3))
            .build_cartesian_2d(
                key_axis(-0.5..nx as f64 - 0.5, (0..nx).map(|k| k as f64).collect()),
                key_axis(-0.5..ny as f64 - 0.5, (0..ny).map(|k| k as f64).collect()),
            )?;
        let name = |names: &[String], v: f64| {
            names
                .get(v.round().max(0.0) as usize)
                .cloned()
                .unwrap_or_default()
        };
        let xfmt = |v: &f64| name(&h.x_names, *v);
        let yfmt = |v: &f64| name(&h.y_names, *v);
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(h.x_desc.as_str())
            .y_desc(h.y_desc.as_str())
            .x_label_formatter(&xfmt)
            .y_label_formatter(&yfmt)
            .label_style(text_style(15))
            .axis_desc_style(text_style(16))
            .draw()?;
        chart.draw_series(h.cells.iter().filter(|c| c.2.is_finite()).map(|c| {
            let (x, y) = (c.0 as f64, c.1 as f64);
            Rectangle::new(
                [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                scale(t(c.2)).filled(),
            )
        }))?;
        if nx * ny <= 200 {
            for c in h.cells.iter().filter(|c| c.2.is_finite()) {
                let color = if t(c.2) > 0.5 { WHITE } else { BLACK };
                let style =
                    text_style(14)
                        .color(&color)
                        .pos(plotters::style::text_anchor::Pos::new(
                            plotters::style::text_anchor::HPos::Center,
                            plotters::style::text_anchor::VPos::Center,
                        ));
                chart.draw_series(std::iter::once(Text::new(
                    c.3.clone(),
                    (c.0 as f64, c.1 as f64),
                    style,
                )))?;
            }
        }
        // The colour scale: high at the top.
        legend.draw(&Text::new(h.scale_label.clone(), (6, 46), text_style(15)))?;
        let (top, steps, step) = (72, 24, 10);
        for k in 0..steps {
            let v = 1.0 - k as f64 / (steps - 1) as f64;
            let y = top + k * step;
            legend.draw(&Rectangle::new([(6, y), (34, y + step)], scale(v).filled()))?;
        }
        for (v, y) in [
            (hi, top),
            ((lo + hi) / 2.0, top + steps * step / 2),
            (lo, top + steps * step),
        ] {
            legend.draw(&Text::new(
                h.unit.tick(v, hi - lo, lang),
                (42, y - 6),
                text_style(14),
            ))?;
        }
        root.present()?;
    }
    Ok(finish(svg, &h.title))
}
