//! The part of the page for a calibration folder (`fleksim calibrate`):
//! how far the sampler got, each target observed against simulated over
//! time (the posterior's median and 90 % band of the target's quantity in
//! every month, the observed value as a dot at its month, or at the middle
//! month of its period or year, and the ends of its tolerance as rings),
//! the table of `fit.csv`, and the posterior of each parameter (a histogram
//! of the weights and its median and 90 % interval).
//!
//! Its fixed texts are here, in both languages ([`text_pairs`]), so that
//! the language test covers them.

use super::charts::{self, Bars, Line, Panel, PointMark, PointStyle, TimeChart, Unit};
use super::files::{self, read_csv, Field, Quantiles};
use super::html::{escape, figure, heading, para, table};
use super::i18n::Lang;
use super::labels;
use crate::model::error::InputError;
use crate::model::month::Month;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A fixed text in English and Danish.
struct T(&'static str, &'static str);

impl T {
    fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.0,
            Lang::Da => self.1,
        }
    }
}

const TITLE: T = T("Calibration", "Kalibrering");
const GENERATIONS: T = T("generations", "generationer");
const POINTS: T = T("points run", "punkter kørt");
const TOLERANCE: T = T(
    "final tolerance (1 = every fitted target inside its interval):",
    "sidste tolerance (1 = alle tilpassede mål inden for deres interval):",
);
const INSIDE: T = T(
    "targets inside their tolerance at the posterior median:",
    "mål inden for tolerancen ved posteriors median:",
);
const INCOMPLETE: T = T(
    "This calibration has not finished: the folder holds the checkpoint of its last complete generation. Run the same `fleksim calibrate` command again to continue.",
    "Kalibreringen er ikke færdig: mappen rummer tjekpunktet efter den sidste hele generation. Kør den samme `fleksim calibrate`-kommando igen for at fortsætte.",
);
const FIT_TITLE: T = T("Observed and simulated", "Observeret og simuleret");
const FIT_AID: T = T(
    "Line: median over the posterior's points and replications; band: 5th–95th percentile. Dot: the observed figure (at the middle month of a period or year); rings: the ends of its tolerance.",
    "Linje: median over posteriors punkter og replikationer; bånd: 5.–95. percentil. Prik: det observerede tal (i midterste måned af en periode eller et år); ringe: tolerancens grænser.",
);
const OBSERVED: T = T("observed", "observeret");
const TOL_END: T = T("tolerance", "tolerance");
const POSTERIOR_LINE: T = T("posterior", "posterior");
const TARGET: T = T("target", "mål");
const MONTH: T = T("month or period", "måned eller periode");
const OBS_COL: T = T("observed", "observeret");
const TOL_COL: T = T("tolerance", "tolerance");
const SIM_COL: T = T(
    "simulated median (90 % interval)",
    "simuleret median (90 %-interval)",
);
const INSIDE_COL: T = T("inside", "inden for");
const YES: T = T("yes", "ja");
const NO: T = T("no", "nej");
const NOT_FITTED: T = T("(reported, not fitted)", "(vist, ikke tilpasset)");
const POST_TITLE: T = T("Posterior of the parameters", "Parametrenes posterior");
const PARAM_COL: T = T("parameter", "parameter");
const MEDIAN_COL: T = T("median (90 % interval)", "median (90 %-interval)");
const WEIGHT: T = T("weight", "vægt");
const HIST_AID: T = T(
    "Bars: the posterior's weight in ten equal bins between the smallest and largest value of its points.",
    "Søjler: posteriors vægt i ti lige store intervaller mellem punkternes mindste og største værdi.",
);
const MONTH_AXIS: T = T("month", "måned");
const VALUE_AXIS: T = T("value", "værdi");
const MEDIAN: T = T("median", "median");
const BAND90: T = T("90 % interval", "90 %-interval");
const BAND50: T = T("50 % interval", "50 %-interval");

/// Every text of this section as (English, Danish).
pub fn text_pairs() -> Vec<(&'static str, &'static str)> {
    [
        TITLE,
        GENERATIONS,
        POINTS,
        TOLERANCE,
        INSIDE,
        INCOMPLETE,
        FIT_TITLE,
        FIT_AID,
        OBSERVED,
        TOL_END,
        POSTERIOR_LINE,
        TARGET,
        MONTH,
        OBS_COL,
        TOL_COL,
        SIM_COL,
        INSIDE_COL,
        YES,
        NO,
        NOT_FITTED,
        POST_TITLE,
        PARAM_COL,
        MEDIAN_COL,
        WEIGHT,
        HIST_AID,
        MONTH_AXIS,
        VALUE_AXIS,
        MEDIAN,
        BAND90,
        BAND50,
    ]
    .into_iter()
    .map(|t| (t.0, t.1))
    .collect()
}

/// A row of `fit.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct FitRow {
    pub target: String,
    pub metric: String,
    pub month: String,
    pub observed: f64,
    pub lower: f64,
    pub upper: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
    pub inside: bool,
    pub fitted: bool,
}

/// A row of `fit_monthly.csv`.
#[derive(Debug, Clone, Deserialize)]
struct MonthlyRow {
    metric: String,
    month: String,
    p05: f64,
    p50: f64,
    p95: f64,
}

/// A calibration folder as the report reads it.
#[derive(Debug, Clone)]
pub struct CalibrationData {
    pub dir: PathBuf,
    pub name: String,
    pub version: String,
    pub seed: u64,
    pub complete: bool,
    pub generations: u64,
    pub evaluations: u64,
    pub tolerance: Option<f64>,
    pub fit: Vec<FitRow>,
    /// Per quantity, its months with quantiles.
    pub series: Vec<(String, Vec<(Month, Quantiles)>)>,
    /// Parameter keys and `(weight, values)` rows.
    pub params: Vec<String>,
    pub rows: Vec<(f64, Vec<f64>)>,
}

fn err(m: String) -> InputError {
    InputError(m)
}

/// Reads a calibration folder whose manifest is `field`.
pub fn read(dir: &Path, field: &Field) -> Result<CalibrationData, InputError> {
    let json = field.json;
    let complete = json.get("complete").and_then(|v| v.as_bool()) == Some(true);
    let mut data = CalibrationData {
        dir: dir.to_path_buf(),
        name: field.string("name")?,
        version: field.string("version")?,
        seed: field.uint("seed")?,
        complete,
        generations: field.uint("generations_done")?,
        evaluations: field.uint("evaluations")?,
        tolerance: json
            .get("tolerance")
            .and_then(|v| v.as_f64())
            .filter(|v| v.is_finite()),
        fit: Vec::new(),
        series: Vec::new(),
        params: Vec::new(),
        rows: Vec::new(),
    };
    if !complete {
        return Ok(data);
    }
    data.fit = read_csv(
        &dir.join("fit.csv"),
        &[
            "target", "metric", "month", "observed", "lower", "upper", "p05", "p50", "p95",
            "inside", "fitted",
        ],
    )?;
    let path = dir.join("fit_monthly.csv");
    let monthly: Vec<MonthlyRow> = read_csv(&path, &["metric", "month", "p05", "p50", "p95"])?;
    for (i, r) in monthly.iter().enumerate() {
        let month = files::parse_month(&path, i + 2, &r.month)?;
        let q = Quantiles {
            mean: r.p50,
            p05: r.p05,
            p50: r.p50,
            p95: r.p95,
            p25: None,
            p75: None,
        };
        match data.series.iter_mut().find(|(m, _)| *m == r.metric) {
            Some((_, v)) => v.push((month, q)),
            None => data.series.push((r.metric.clone(), vec![(month, q)])),
        }
    }
    // posterior.csv: weight and one column per parameter; every cell a
    // finite number (checked by the reader, as every results file).
    let path = dir.join("posterior.csv");
    let rows: Vec<Vec<f64>> = files::read_csv_where(&path, &["weight"], true, |_| true)?;
    let header = first_line(&path)?;
    if header.first().map(String::as_str) != Some("weight") || header.len() < 2 {
        return Err(err(format!(
            "`{}`: expected the columns `weight,<parameter>,…`",
            path.display()
        )));
    }
    for (i, r) in rows.iter().enumerate() {
        if r.len() != header.len() {
            return Err(err(format!(
                "`{}` line {}: expected {} numbers",
                path.display(),
                i + 2,
                header.len()
            )));
        }
    }
    data.params = header[1..].to_vec();
    data.rows = rows.into_iter().map(|r| (r[0], r[1..].to_vec())).collect();
    Ok(data)
}

/// The header of a CSV file (its first line, read up to 1 MB).
fn first_line(path: &Path) -> Result<Vec<String>, InputError> {
    use std::io::{BufRead, Read};
    let f = std::fs::File::open(path)
        .map_err(|e| err(format!("cannot read `{}`: {e}", path.display())))?;
    let mut line = String::new();
    std::io::BufReader::new(f.take(1 << 20))
        .read_line(&mut line)
        .map_err(|e| err(format!("cannot read `{}`: {e}", path.display())))?;
    Ok(line.trim_end().split(',').map(str::to_string).collect())
}

/// Where a target's dot goes: its month, or the middle month of its period
/// or year.
fn target_month(month: &str) -> Option<Month> {
    if let Some((a, b)) = month.split_once('/') {
        let (a, b) = (Month::parse(a)?, Month::parse(b)?);
        return Some(a.plus(a.months_until(b) / 2));
    }
    if let Some(m) = Month::parse(month) {
        return Some(m);
    }
    month.parse::<i32>().ok().and_then(|y| Month::new(y, 7))
}

fn weighted_quantile(v: &[(f64, f64)], q: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = v.iter().map(|x| x.1).sum();
    let mut acc = 0.0;
    for &(x, w) in &v {
        acc += w;
        if acc >= q * total {
            return x;
        }
    }
    v.last().map_or(f64::NAN, |x| x.0)
}

/// A value as the page prints it: shares as percentages, else 3
/// significant decimals at most.
fn show(metric: &str, v: f64, lang: Lang) -> String {
    let share = metric.contains('/') || metric.ends_with("_share") || metric.starts_with("cohort:");
    if share {
        lang.pct(v, 1)
    } else if v.abs() >= 100.0 {
        lang.num(v, 0)
    } else if v.abs() >= 1.0 {
        lang.num(v, 1)
    } else {
        lang.num(v, 4)
    }
}

fn quantity_label(metric: &str, lang: Lang) -> String {
    if metric.contains('/') || metric.starts_with("cohort:") {
        metric.to_string()
    } else {
        labels::metric(metric, lang).label
    }
}

/// The section for a calibration folder.
pub fn section(c: &CalibrationData, lang: Lang) -> anyhow::Result<String> {
    let mut out = String::from("<section class=\"kind calibration\">\n");
    out.push_str(&heading(2, &format!("{}: {}", TITLE.get(lang), c.name)));
    let inside = c.fit.iter().filter(|r| r.inside).count();
    let w = lang.words();
    let mut parts = vec![
        format!("{} {}", c.generations, GENERATIONS.get(lang)),
        format!("{} {}", lang.num(c.evaluations as f64, 0), POINTS.get(lang)),
    ];
    if let Some(t) = c.tolerance {
        parts.push(format!("{} {}", TOLERANCE.get(lang), lang.num(t, 3)));
    }
    parts.push(format!("{} {}", w.seed, c.seed));
    parts.push(format!("{} {}", w.version, c.version));
    let mut meta = parts.join(" · ");
    if c.complete {
        meta.push_str(&format!(
            " · {} {inside} / {}",
            INSIDE.get(lang),
            c.fit.len()
        ));
    }
    out.push_str(&format!("<p class=\"meta\">{}</p>\n", escape(&meta)));
    if !c.complete {
        out.push_str(&para("note", INCOMPLETE.get(lang)));
        return Ok(out + "</section>\n");
    }
    // Each quantity over time, with its targets.
    out.push_str(&heading(3, FIT_TITLE.get(lang)));
    for (metric, points) in &c.series {
        let label = quantity_label(metric, lang);
        let mut marks = Vec::new();
        for r in c.fit.iter().filter(|r| r.metric == *metric) {
            let Some(m) = target_month(&r.month) else {
                continue;
            };
            marks.push(PointMark {
                month: m,
                value: r.observed,
                label: OBSERVED.get(lang).to_string(),
                color: charts::OBSERVED,
                style: PointStyle::Observed,
            });
            for v in [r.lower, r.upper] {
                marks.push(PointMark {
                    month: m,
                    value: v,
                    label: TOL_END.get(lang).to_string(),
                    color: charts::OBSERVED,
                    style: PointStyle::Model,
                });
            }
        }
        let share = metric.contains('/') || metric.ends_with("_share");
        let chart = TimeChart {
            title: label.clone(),
            x_desc: MONTH_AXIS.get(lang).to_string(),
            shade: vec![],
            shade_label: String::new(),
            lanes: vec![],
            median_label: MEDIAN.get(lang).to_string(),
            band90_label: BAND90.get(lang).to_string(),
            band50_label: BAND50.get(lang).to_string(),
            panels: vec![Panel {
                caption: None,
                y_desc: VALUE_AXIS.get(lang).to_string(),
                unit: if share { Unit::Share } else { Unit::People },
                lines: vec![Line {
                    label: POSTERIOR_LINE.get(lang).to_string(),
                    color: charts::PALETTE[0],
                    points: points.clone(),
                    bands: true,
                }],
                refs: vec![],
                markers: vec![],
                points: marks,
            }],
        };
        out.push_str(&figure(
            &charts::time_chart(&chart, lang)?,
            FIT_AID.get(lang),
        ));
    }
    // The fit table.
    let head: Vec<String> = [TARGET, MONTH, OBS_COL, TOL_COL, SIM_COL, INSIDE_COL]
        .iter()
        .map(|t| t.get(lang).to_string())
        .collect();
    let rows: Vec<Vec<String>> = c
        .fit
        .iter()
        .map(|r| {
            let name = if r.fitted {
                r.target.clone()
            } else {
                format!("{} {}", r.target, NOT_FITTED.get(lang))
            };
            vec![
                name,
                r.month.clone(),
                show(&r.metric, r.observed, lang),
                format!(
                    "{} – {}",
                    show(&r.metric, r.lower, lang),
                    show(&r.metric, r.upper, lang)
                ),
                format!(
                    "{} ({} – {})",
                    show(&r.metric, r.p50, lang),
                    show(&r.metric, r.p05, lang),
                    show(&r.metric, r.p95, lang)
                ),
                if r.inside { YES } else { NO }.get(lang).to_string(),
            ]
        })
        .collect();
    out.push_str(&table(&head, &rows));
    // The posterior of each parameter.
    out.push_str(&heading(3, POST_TITLE.get(lang)));
    let mut summary = Vec::new();
    for (k, key) in c.params.iter().enumerate() {
        let v: Vec<(f64, f64)> = c.rows.iter().map(|(w, r)| (r[k], *w)).collect();
        let label = labels::parameter(key, lang).label;
        let (lo, hi) = v
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (x, _)| {
                (a.min(*x), b.max(*x))
            });
        summary.push(vec![
            format!("{label} ({key})"),
            format!(
                "{} ({} – {})",
                lang.num(weighted_quantile(&v, 0.5), 4),
                lang.num(weighted_quantile(&v, 0.05), 4),
                lang.num(weighted_quantile(&v, 0.95), 4)
            ),
        ]);
        if !(lo.is_finite() && hi.is_finite()) {
            continue;
        }
        let bins = 10;
        let width = (hi - lo) / bins as f64;
        let mut weights = vec![0.0; bins];
        let total: f64 = v.iter().map(|x| x.1).sum();
        for (x, w) in &v {
            let b = if width > 0.0 {
                (((x - lo) / width) as usize).min(bins - 1)
            } else {
                0
            };
            weights[b] += w / total;
        }
        let categories: Vec<String> = (0..bins)
            .map(|b| lang.num(lo + width * (b as f64 + 0.5), 4))
            .collect();
        let chart = Bars {
            title: format!("{label} ({key})"),
            x_desc: key.clone(),
            y_desc: WEIGHT.get(lang).to_string(),
            unit: Unit::Share,
            categories,
            parts: vec![(WEIGHT.get(lang).to_string(), charts::PALETTE[0], weights)],
            total: (String::new(), vec![]),
        };
        out.push_str(&figure(
            &charts::bar_chart(&chart, lang)?,
            HIST_AID.get(lang),
        ));
    }
    let head = vec![
        PARAM_COL.get(lang).to_string(),
        MEDIAN_COL.get(lang).to_string(),
    ];
    out.push_str(&table(&head, &summary));
    Ok(out + "</section>\n")
}
