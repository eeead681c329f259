//! Charts as inline SVG, drawn with plotters' SVG backend (no fonts are
//! read: the browser renders the text).
//!
//! Three kinds of chart, each a plain description the caller fills in:
//! - [`TimeChart`]: months on the x axis, one or more [`Panel`]s side by
//!   side, each with [`Line`]s (a median with its bands, or a plain line),
//!   reference lines, month markers, and shaded windows (the project period);
//! - [`Bars`]: one stacked bar a year, positive parts up and negative parts
//!   down from zero, with a dot for the total;
//! - [`Tornado`]: one horizontal bar a parameter around the base result;
//! - [`Ranked`]: one horizontal bar a parameter from zero (correlations);
//! - [`XyChart`]: a value against a parameter (a sweep's axis);
//! - [`HeatMap`]: a value over two parameters, with its colour scale.
//!
//! Every chart carries its title twice: drawn at the top and as the SVG's
//! `<title>` (read by screen readers and by the tests). Legends sit in a
//! strip right of the plot, so they never hide data.

mod bars;
mod heat;
mod time;
mod xy;

pub use bars::{bar_chart, ranked_chart, tornado_chart, Ranked};
pub use heat::{heat_map, HeatMap};
pub use time::time_chart;
pub use xy::{xy_chart, XyChart, XySeries};

use super::files::Quantiles;
use super::i18n::Lang;
use crate::model::month::Month;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;

/// Chart size in pixels (the page scales it down on narrow screens).
pub const WIDTH: u32 = 1000;
pub const HEIGHT: u32 = 440;
/// Width of the legend strip.
const LEGEND_WIDTH: u32 = 230;

/// Colours of the series, in order; chosen to stay apart for the common
/// colour-vision deficiencies.
pub const PALETTE: [RGBColor; 5] = [
    RGBColor(31, 119, 180),
    RGBColor(230, 97, 1),
    RGBColor(26, 150, 65),
    RGBColor(117, 80, 160),
    RGBColor(120, 120, 120),
];
/// Reference lines: the target and the zero line.
pub const TARGET: RGBColor = RGBColor(200, 30, 30);
pub const START: RGBColor = RGBColor(90, 90, 90);
/// Observed figures (points at their months).
pub const OBSERVED: RGBColor = RGBColor(0, 0, 0);
const AXIS_TEXT: RGBColor = RGBColor(40, 40, 40);
const FONT: &str = "sans-serif";

/// What the values of an axis are, and so how its ticks print.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unit {
    /// A share, printed as a percentage.
    Share,
    /// A difference of shares, printed in percentage points.
    Points,
    /// A count of people.
    People,
    /// DKK, printed in thousands.
    KiloDkk,
    /// DKK, printed in millions.
    MegaDkk,
    /// Any other number.
    Plain,
}

impl Unit {
    fn scale(self) -> f64 {
        match self {
            Unit::Share | Unit::Points => 100.0,
            Unit::KiloDkk => 1e-3,
            Unit::MegaDkk => 1e-6,
            Unit::People | Unit::Plain => 1.0,
        }
    }

    /// A tick label; `span` is the axis range, which sets the decimals.
    pub fn tick(self, v: f64, span: f64, lang: Lang) -> String {
        let s = (span * self.scale()).abs();
        let decimals = if s >= 20.0 {
            0
        } else if s >= 2.0 {
            1
        } else if s >= 0.2 {
            2
        } else {
            3
        };
        let text = lang.num(v * self.scale(), decimals);
        if self == Unit::Share {
            format!("{text} %")
        } else {
            text
        }
    }
}

/// A series over months: a median (or any value) line, and its bands when
/// `bands` is set (p05–p95, and p25–p75 where stored).
#[derive(Debug, Clone)]
pub struct Line {
    pub label: String,
    pub color: RGBColor,
    pub points: Vec<(Month, Quantiles)>,
    pub bands: bool,
}

/// A horizontal reference line.
#[derive(Debug, Clone)]
pub struct RefLine {
    pub value: f64,
    pub label: String,
    pub color: RGBColor,
}

/// A vertical line at a month (e.g. the payback month).
#[derive(Debug, Clone)]
pub struct Marker {
    pub month: Month,
    pub label: String,
}

/// One plot of a [`TimeChart`].
#[derive(Debug, Clone)]
pub struct Panel {
    pub caption: Option<String>,
    pub y_desc: String,
    pub unit: Unit,
    pub lines: Vec<Line>,
    pub refs: Vec<RefLine>,
    pub markers: Vec<Marker>,
    /// Single values drawn as points at their months (observed figures,
    /// the model's first month).
    pub points: Vec<PointMark>,
}

/// How a [`PointMark`] is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PointStyle {
    /// A figure observed in the real world: a filled dot with a white rim.
    Observed,
    /// A value of the model (e.g. its first month's median): a ring.
    Model,
}

/// A single value at a month, drawn as a point (never as a line across
/// the chart: it holds at its month only).
#[derive(Debug, Clone)]
pub struct PointMark {
    pub month: Month,
    pub value: f64,
    /// Legend words; marks with the same label share one legend entry.
    pub label: String,
    pub color: RGBColor,
    pub style: PointStyle,
}

/// A scenario's windows, drawn as a bar in its colour under the x axis
/// (so that several scenarios' windows stay apart on one chart).
#[derive(Debug, Clone)]
pub struct Lane {
    pub label: String,
    pub color: RGBColor,
    pub windows: Vec<(Month, Month)>,
}

/// A chart over months.
#[derive(Debug, Clone)]
pub struct TimeChart {
    pub title: String,
    pub x_desc: String,
    /// Shaded windows `[from, to]` (inclusive months), e.g. the project period.
    pub shade: Vec<(Month, Month)>,
    pub shade_label: String,
    /// Windows per scenario, as bars under the x axis.
    pub lanes: Vec<Lane>,
    /// Legend words for a panel with a single banded line.
    pub median_label: String,
    pub band90_label: String,
    pub band50_label: String,
    pub panels: Vec<Panel>,
}

/// Stacked bars, one per category.
#[derive(Debug, Clone)]
pub struct Bars {
    pub title: String,
    pub x_desc: String,
    pub y_desc: String,
    pub unit: Unit,
    pub categories: Vec<String>,
    /// (label, colour, one value per category); negative values stack down.
    pub parts: Vec<(String, RGBColor, Vec<f64>)>,
    /// (label, one value per category), drawn as dots.
    pub total: (String, Vec<f64>),
}

/// A tornado chart: one bar per parameter from the result at its low value
/// to the result at its high value, with the input values at its ends.
#[derive(Debug, Clone)]
pub struct Tornado {
    pub title: String,
    pub x_desc: String,
    pub y_desc: String,
    pub unit: Unit,
    /// Top first.
    pub rows: Vec<TornadoBar>,
    pub base: f64,
    pub low_label: String,
    pub high_label: String,
    pub base_label: String,
}

/// One parameter's bar of a [`Tornado`].
#[derive(Debug, Clone)]
pub struct TornadoBar {
    /// The parameter's words, and its key (drawn small under them).
    pub label: String,
    pub key: String,
    /// The results at the parameter's low and high value.
    pub low: f64,
    pub high: f64,
    /// The low and high input values as text, printed at the bar's ends.
    pub low_input: String,
    pub high_input: String,
}

/// A linear f64 axis whose ticks sit at given points (e.g. Januaries).
struct KeyAxis {
    lo: f64,
    hi: f64,
    keys: Vec<f64>,
}

impl Ranged for KeyAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let f = (v - self.lo) / (self.hi - self.lo);
        (limit.0 as f64 + f * (limit.1 - limit.0) as f64).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, _hint: H) -> Vec<f64> {
        self.keys.clone()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

fn key_axis(range: std::ops::Range<f64>, keys: Vec<f64>) -> KeyAxis {
    KeyAxis {
        lo: range.start,
        hi: range.end,
        keys,
    }
}

/// What a legend entry shows beside its words.
#[derive(Debug, Clone)]
enum Swatch {
    Fill(RGBAColor),
    Line(RGBColor),
    Dashed(RGBColor),
    Dot,
    /// A point mark as the chart draws it.
    Point(RGBColor, PointStyle),
}

#[derive(Debug, Clone)]
struct LegendItem {
    label: String,
    swatch: Swatch,
}

fn item(label: &str, swatch: Swatch) -> LegendItem {
    LegendItem {
        label: label.to_string(),
        swatch,
    }
}

/// Splits `text` into lines of at most about `width` characters at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// Draws the legend entries top-down into the strip `area`.
fn draw_legend(area: &Area, items: &[LegendItem]) -> anyhow::Result<()> {
    let mut y = 46;
    for it in items {
        let cy = y + 8;
        match &it.swatch {
            Swatch::Fill(c) => {
                area.draw(&Rectangle::new([(6, cy - 7), (30, cy + 7)], c.filled()))?
            }
            Swatch::Line(c) => area.draw(&PathElement::new(
                vec![(6, cy), (30, cy)],
                c.stroke_width(3),
            ))?,
            Swatch::Dashed(c) => {
                for x in [6, 16, 26] {
                    area.draw(&PathElement::new(
                        vec![(x, cy), (x + 5, cy)],
                        c.stroke_width(2),
                    ))?;
                }
            }
            Swatch::Dot => area.draw(&Circle::new((18, cy), 5, BLACK.filled()))?,
            Swatch::Point(c, style) => draw_point(area, (18, cy), *c, *style)?,
        }
        let lines = wrap(&it.label, 25);
        for (k, l) in lines.iter().enumerate() {
            area.draw(&Text::new(
                l.clone(),
                (38, y + 17 * k as i32),
                text_style(15),
            ))?;
        }
        y += 17 * lines.len().max(1) as i32 + 9;
    }
    Ok(())
}

/// Draws a point mark at pixel `at` of `area`.
fn draw_point(
    area: &Area,
    at: (i32, i32),
    color: RGBColor,
    style: PointStyle,
) -> anyhow::Result<()> {
    match style {
        PointStyle::Observed => {
            area.draw(&Circle::new(at, 7, WHITE.filled()))?;
            area.draw(&Circle::new(at, 5, color.filled()))?;
        }
        PointStyle::Model => {
            area.draw(&Circle::new(at, 6, WHITE.filled()))?;
            area.draw(&Circle::new(at, 5, color.stroke_width(2)))?;
        }
    }
    Ok(())
}

/// The SVG canvas of a chart: the title on top, the plot area and the
/// legend strip below it.
fn canvas<'a>(root: &Area<'a>, title: &str) -> anyhow::Result<(Area<'a>, Area<'a>)> {
    root.fill(&WHITE)?;
    let body = root.titled(title, (FONT, 24).into_font().color(&BLACK))?;
    let (plot, legend) = body.split_horizontally(WIDTH - LEGEND_WIDTH);
    Ok((plot, legend))
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

fn text_style(size: i32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&AXIS_TEXT)
}

/// The largest value an axis reaches; a range beyond it (or not finite)
/// falls back to [`UNIT_RANGE`]. Results are far smaller (the report
/// refuses files with values over [`super::files::MAX_ABS_VALUE`]); this
/// guards the charts on their own.
const AXIS_LIMIT: f64 = 1e100;
/// The smallest span of an axis relative to its largest value: below it
/// the ticks could not be told apart in f64 and plotters' search for tick
/// steps would never end.
const MIN_RELATIVE_SPAN: f64 = 1e-9;
/// The range of an axis with nothing sensible to show.
const UNIT_RANGE: (f64, f64) = (0.0, 1.0);

/// Whether `(lo, hi)` is a range plotters can put ticks on: finite, within
/// [`AXIS_LIMIT`], and wide enough for its size.
fn drawable(lo: f64, hi: f64) -> bool {
    let size = lo.abs().max(hi.abs());
    lo.is_finite() && hi.is_finite() && size <= AXIS_LIMIT && hi - lo > size * MIN_RELATIVE_SPAN
}

/// Pads a value range by 6 % (and widens an empty one). The result is
/// always [`drawable`]: a range that is not finite, too large or too
/// narrow for its size falls back to [`UNIT_RANGE`] or is widened, so that
/// computing ticks always ends.
fn padded(lo: f64, hi: f64, unit: Unit) -> (f64, f64) {
    let sane = lo.is_finite()
        && hi.is_finite()
        && lo <= hi
        && lo.abs() <= AXIS_LIMIT / 2.0
        && hi.abs() <= AXIS_LIMIT / 2.0;
    let (lo, hi) = if sane { (lo, hi) } else { UNIT_RANGE };
    let span = hi - lo;
    let min_span: f64 = match unit {
        Unit::Share | Unit::Points => 0.01,
        _ => 1.0,
    };
    let min_span = min_span.max(lo.abs().max(hi.abs()) * 1e-6);
    let (a, b) = if span < min_span * 1e-6 {
        (lo - min_span / 2.0, hi + min_span / 2.0)
    } else {
        (lo - span * 0.06, hi + span * 0.06)
    };
    if drawable(a, b) {
        (a, b)
    } else {
        UNIT_RANGE
    }
}

/// Adds the `<title>` and the `role` to plotters' SVG.
fn finish(svg: String, title: &str) -> String {
    let title = format!("<title>{}</title>\n", super::html::escape(title));
    match svg.find(">\n") {
        Some(i) if svg.starts_with("<svg ") => {
            let (head, rest) = svg.split_at(i);
            format!("{head} role=\"img\">\n{title}{}", &rest[2..])
        }
        _ => svg,
    }
}

/// Months shown as x-axis ticks: Januaries (every second one over long
/// spans), or every quarter when fewer than two Januaries are in range.
fn month_ticks(first: Month, n: usize) -> Vec<f64> {
    let jan: Vec<usize> = (0..n)
        .filter(|&t| first.plus(t as i32).month() == 1)
        .collect();
    let step = if n > 96 { 2 } else { 1 };
    if jan.len() >= 2 {
        jan.iter()
            .filter(|&&t| first.plus(t as i32).year() % step == 0)
            .map(|&t| t as f64)
            .collect()
    } else {
        (0..n).step_by(3).map(|t| t as f64).collect()
    }
}

fn month_label(first: Month, x: f64) -> String {
    let m = first.plus(x.round() as i32);
    if m.month() == 1 {
        m.year().to_string()
    } else {
        m.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_print_in_the_unit() {
        assert_eq!(Unit::Share.tick(0.153, 0.05, Lang::En), "15.3 %");
        assert_eq!(Unit::Share.tick(0.15, 0.5, Lang::Da), "15 %");
        assert_eq!(Unit::MegaDkk.tick(12_345_678.0, 50e6, Lang::Da), "12");
        assert_eq!(Unit::People.tick(1234.0, 400.0, Lang::En), "1,234");
    }

    #[test]
    fn values_that_are_not_numbers_leave_gaps() {
        let first = Month::parse("2016-09").unwrap();
        let q = |v: f64| Quantiles {
            mean: v,
            p05: v - 1.0,
            p50: v,
            p95: v + 1.0,
            p25: Some(f64::NAN),
            p75: None,
        };
        let points = (0..24)
            .map(|t| {
                (
                    first.plus(t),
                    q(if t % 5 == 0 { f64::NAN } else { t as f64 }),
                )
            })
            .collect();
        let chart = TimeChart {
            title: "t".into(),
            x_desc: "x".into(),
            shade: vec![(first.plus(3), first.plus(40))],
            shade_label: "s".into(),
            lanes: vec![],
            median_label: "m".into(),
            band90_label: "b".into(),
            band50_label: "c".into(),
            panels: vec![Panel {
                caption: None,
                y_desc: "y".into(),
                unit: Unit::People,
                lines: vec![Line {
                    label: "l".into(),
                    color: PALETTE[0],
                    points,
                    bands: true,
                }],
                refs: vec![],
                markers: vec![Marker {
                    month: first.plus(100),
                    label: "outside".into(),
                }],
                points: vec![],
            }],
        };
        let svg = time_chart(&chart, Lang::En).unwrap();
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        assert!(svg.contains("<title>t</title>") && !svg.contains("outside"));
    }

    /// Runs `f` on another thread and fails if it takes longer than 60 s
    /// (a chart whose range made plotting loop would never return).
    fn finishes<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(f());
        });
        rx.recv_timeout(std::time::Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("{what} did not finish within 60 s"))
    }

    fn bar(key: &str, low: f64, high: f64) -> TornadoBar {
        TornadoBar {
            label: key.to_uppercase(),
            key: key.into(),
            low,
            high,
            low_input: "lo".into(),
            high_input: "hi".into(),
        }
    }

    const EXTREMES: [(f64, f64); 10] = [
        (-1e308, 1e308),
        (-f64::MAX, f64::MAX),
        (1e308, 1e308),
        (f64::NEG_INFINITY, f64::INFINITY),
        (f64::NAN, 1.0),
        (0.0, f64::NAN),
        (1e300, 1e300 + 1e285),
        (1e15, 1e15),
        (5.0, -5.0),
        (-1e-300, 1e-300),
    ];

    #[test]
    fn padded_ranges_are_always_drawable() {
        for (lo, hi) in EXTREMES {
            for unit in [Unit::Share, Unit::People, Unit::MegaDkk] {
                let (a, b) = padded(lo, hi, unit);
                assert!(drawable(a, b), "padded({lo:e}, {hi:e}) = ({a:e}, {b:e})");
            }
        }
        // Ordinary ranges keep their padding.
        assert_eq!(padded(0.0, 100.0, Unit::People), (-6.0, 106.0));
        assert_eq!(padded(332.0, 332.0, Unit::People), (331.5, 332.5));
        assert_eq!(padded(-1e308, 1e308, Unit::People), (-0.06, 1.06));
    }

    #[test]
    fn charts_of_extreme_values_finish() {
        for (lo, hi) in EXTREMES {
            let first = Month::parse("2016-09").unwrap();
            let q = |v: f64| Quantiles {
                mean: v,
                p05: lo,
                p50: v,
                p95: hi,
                p25: None,
                p75: None,
            };
            let time = TimeChart {
                title: "t".into(),
                x_desc: "x".into(),
                shade: vec![],
                shade_label: "s".into(),
                lanes: vec![],
                median_label: "m".into(),
                band90_label: "b".into(),
                band50_label: "c".into(),
                panels: vec![Panel {
                    caption: None,
                    y_desc: "y".into(),
                    unit: Unit::MegaDkk,
                    lines: vec![Line {
                        label: "l".into(),
                        color: PALETTE[0],
                        points: (0..12).map(|t| (first.plus(t), q(hi))).collect(),
                        bands: true,
                    }],
                    refs: vec![RefLine {
                        value: lo,
                        label: "r".into(),
                        color: TARGET,
                    }],
                    markers: vec![],
                    points: vec![],
                }],
            };
            let bars = Bars {
                title: "b".into(),
                x_desc: "x".into(),
                y_desc: "y".into(),
                unit: Unit::MegaDkk,
                categories: vec!["2016".into(), "2017".into()],
                parts: vec![
                    ("a".into(), PALETTE[0], vec![hi, hi]),
                    ("b".into(), PALETTE[1], vec![lo, hi]),
                ],
                total: ("t".into(), vec![lo, hi]),
            };
            let tornado = Tornado {
                title: "t".into(),
                x_desc: "x".into(),
                y_desc: "y".into(),
                unit: Unit::Plain,
                rows: vec![bar("p", lo, hi), bar("q", hi, hi)],
                base: lo,
                low_label: "l".into(),
                high_label: "h".into(),
                base_label: "b".into(),
            };
            let xy = XyChart {
                title: "x".into(),
                x_desc: "x".into(),
                y_desc: "y".into(),
                unit: Unit::MegaDkk,
                x_names: None,
                series: [true, false]
                    .map(|joined| XySeries {
                        label: "s".into(),
                        color: PALETTE[0],
                        points: vec![(lo, q(hi)), (hi, q(lo)), (0.0, q(hi))],
                        joined,
                    })
                    .to_vec(),
                median_label: "m".into(),
                band90_label: "b".into(),
            };
            let heat = HeatMap {
                title: "h".into(),
                x_desc: "x".into(),
                y_desc: "y".into(),
                x_names: vec!["a".into(), "b".into()],
                y_names: vec!["c".into()],
                cells: vec![(0, 0, lo, "lo".into()), (1, 0, hi, "hi".into())],
                unit: Unit::Share,
                scale_label: "s".into(),
            };
            let ranked = Ranked {
                title: "r".into(),
                x_desc: "x".into(),
                y_desc: "y".into(),
                rows: vec![("p".into(), lo), ("q".into(), hi)],
                range: (lo, hi),
                positive_label: "+".into(),
                negative_label: "-".into(),
            };
            let what = format!("charts of ({lo:e}, {hi:e})");
            let svgs = finishes(&what, move || {
                [
                    time_chart(&time, Lang::En).map_err(|e| e.to_string()),
                    bar_chart(&bars, Lang::Da).map_err(|e| e.to_string()),
                    tornado_chart(&tornado, Lang::En).map_err(|e| e.to_string()),
                    xy_chart(&xy, Lang::En).map_err(|e| e.to_string()),
                    heat_map(&heat, Lang::Da).map_err(|e| e.to_string()),
                    ranked_chart(&ranked, Lang::En).map_err(|e| e.to_string()),
                ]
            });
            for svg in svgs {
                let svg = svg.unwrap_or_else(|e| panic!("{what}: {e}"));
                assert!(svg.starts_with("<svg "), "{what}");
                assert!(!svg.contains("NaN") && !svg.contains("inf"), "{what}");
            }
        }
    }

    #[test]
    fn januaries_are_ticks() {
        let first = Month::parse("2016-09").unwrap();
        assert_eq!(month_ticks(first, 30), vec![4.0, 16.0, 28.0]);
        assert_eq!(month_label(first, 4.0), "2017");
        assert_eq!(month_label(first, 1.0), "2016-10");
        // Under two Januaries: quarters.
        assert_eq!(month_ticks(first, 8), vec![0.0, 3.0, 6.0]);
    }
}
