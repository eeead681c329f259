//! Reading a sweep's folder (a merged or unsharded `fleksim sweep`):
//! `manifest.json` (kind `sweep`: its axes, metrics, seed, replications
//! per point), `points.csv` (`point`, then one column per axis) and
//! `results.csv` (`point,period,metric,mean,p05,p50,p95`).
//!
//! One metric is shown, at the `horizon` period (stocks and shares
//! averaged over the horizon, flows and money summed):
//! `net_municipal_cost` if the sweep kept it, else its first metric. Only
//! that metric's rows are kept while reading, so memory stays small for
//! large sweeps. The same checks as for other results apply: regular files
//! of bounded size, finite numbers of bounded size (in every column of
//! `points.csv`, whose columns are the sweep's own keys).

use super::files::{self, read_csv_where, Field, Provenance, Quantiles};
use crate::model::error::InputError;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The metric shown when the sweep kept it.
pub const DEFAULT_METRIC: &str = "net_municipal_cost";
/// The period of `results.csv` the page shows.
pub const PERIOD: &str = "horizon";

/// One point: its axis values (as `points.csv` writes them) and the
/// metric's summary over its replications.
#[derive(Debug, Clone)]
pub struct SweepPoint {
    pub point: u64,
    pub values: Vec<String>,
    pub q: Quantiles,
}

/// A sweep's folder, as the page shows it.
#[derive(Debug, Clone)]
pub struct SweepData {
    pub dir: PathBuf,
    pub provenance: Provenance,
    pub name: String,
    /// The base scenario as the sweep file names it.
    pub scenario: String,
    /// The axes' keys, in `points.csv` order.
    pub axes: Vec<String>,
    /// The metric shown, at [`PERIOD`].
    pub metric: String,
    /// In point order.
    pub points: Vec<SweepPoint>,
}

/// A row of `results.csv`.
#[derive(Debug, Deserialize)]
struct ResultRow {
    point: u64,
    period: String,
    metric: String,
    mean: f64,
    p05: f64,
    p50: f64,
    p95: f64,
}

fn err(msg: String) -> InputError {
    InputError(msg)
}

/// Reads a sweep folder whose manifest `field` says kind `sweep`.
pub fn read_sweep(dir: &Path, field: &Field) -> Result<SweepData, InputError> {
    let sweep = field.get("sweep")?;
    let info = Field {
        file: field.file,
        json: sweep,
    };
    let strings = |key: &str| -> Result<Vec<String>, InputError> {
        match info.get(key)? {
            Value::Array(a) => a
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>(),
            _ => None,
        }
        .ok_or_else(|| field.wrong(&format!("sweep.{key}"), "a list of strings"))
    };
    let axes = strings("axes")?;
    let metrics = strings("metrics")?;
    let metric = if metrics.iter().any(|m| m == DEFAULT_METRIC) {
        DEFAULT_METRIC.to_string()
    } else {
        metrics
            .first()
            .cloned()
            .ok_or_else(|| field.wrong("sweep.metrics", "a list of at least one metric"))?
    };
    let provenance = Provenance {
        version: info.string("version")?,
        seed: info.uint("seed")?,
        replications: info.uint("replications")?,
    };
    let [points_csv, results_csv] = files::SWEEP_FILES;

    let path = dir.join(points_csv);
    let mut required = vec!["point"];
    required.extend(axes.iter().map(String::as_str));
    let rows: Vec<BTreeMap<String, String>> = read_csv_where(&path, &required, true, |_| true)?;
    let mut points = Vec::with_capacity(rows.len());
    let mut index = BTreeMap::new();
    for (line, r) in rows.into_iter().enumerate() {
        let text = r.get("point").map(String::as_str).unwrap_or("");
        let point: u64 = text.trim().parse().map_err(|_| {
            err(format!(
                "`{}` line {}: point `{text}` is not a whole number ≥ 0",
                path.display(),
                line + 2
            ))
        })?;
        if index.insert(point, points.len()).is_some() {
            return Err(err(format!(
                "`{}` line {}: point {point} is given twice; a sweep writes each point once",
                path.display(),
                line + 2
            )));
        }
        let values = axes
            .iter()
            .map(|a| r.get(a).cloned().unwrap_or_default())
            .collect();
        let nan = f64::NAN;
        points.push(SweepPoint {
            point,
            values,
            q: Quantiles {
                mean: nan,
                p05: nan,
                p50: nan,
                p95: nan,
                p25: None,
                p75: None,
            },
        });
    }

    let path = dir.join(results_csv);
    let rows: Vec<ResultRow> =
        read_csv_where(&path, files::SWEEP_RESULTS, false, |r: &ResultRow| {
            r.metric == metric && r.period == PERIOD
        })?;
    let mut seen = vec![false; points.len()];
    for r in rows {
        let Some(&i) = index.get(&r.point) else {
            return Err(err(format!(
                "`{}` has results for point {} that `{points_csv}` does not list: the files are not from one sweep; write them again with `fleksim sweep` or `fleksim merge`",
                path.display(),
                r.point
            )));
        };
        if std::mem::replace(&mut seen[i], true) {
            return Err(err(format!(
                "`{}` has point {} twice for `{metric}` at `{PERIOD}`",
                path.display(),
                r.point
            )));
        }
        points[i].q = Quantiles {
            mean: r.mean,
            p05: r.p05,
            p50: r.p50,
            p95: r.p95,
            p25: None,
            p75: None,
        };
    }
    if let Some(i) = seen.iter().position(|s| !s) {
        return Err(err(format!(
            "`{}` has no row for point {}, metric `{metric}`, period `{PERIOD}`: give a merged or unsharded sweep's folder",
            path.display(),
            points[i].point
        )));
    }
    if points.is_empty() {
        return Err(err(format!(
            "`{}` lists no points",
            dir.join(points_csv).display()
        )));
    }
    points.sort_by_key(|p| p.point);
    Ok(SweepData {
        dir: dir.to_path_buf(),
        provenance,
        name: info.string("name")?,
        scenario: info.string("scenario").unwrap_or_default(),
        axes,
        metric,
        points,
    })
}

/// An axis value as a number: numbers as written, `true`/`false` as 1/0;
/// `None` for other text.
pub fn numeric(text: &str) -> Option<f64> {
    match text.trim() {
        "true" => Some(1.0),
        "false" => Some(0.0),
        t => t.parse().ok().filter(|v: &f64| v.is_finite()),
    }
}

/// Whether the points are every combination of the axes' values (a full
/// grid), so that the metric can be read per pair of axes.
pub fn is_full_grid(points: &[SweepPoint], axes: usize) -> bool {
    let mut combos = 1usize;
    for a in 0..axes {
        let mut distinct: Vec<&str> = points.iter().map(|p| p.values[a].as_str()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        combos = combos.saturating_mul(distinct.len());
    }
    let mut all: Vec<&Vec<String>> = points.iter().map(|p| &p.values).collect();
    all.sort();
    all.dedup();
    combos == points.len() && all.len() == points.len()
}

/// Ranks (1-based, ties averaged).
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

/// Pearson's correlation; `None` when either side does not vary.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    if n < 2 {
        return None;
    }
    let mx = x.iter().sum::<f64>() / n as f64;
    let my = y.iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman's rank correlation (Pearson's on ranks, ties averaged).
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    pearson(&ranks(x), &ranks(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_ranks_with_ties() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(spearman(&x, &[1.0, 4.0, 9.0, 16.0, 100.0]), Some(1.0));
        assert_eq!(spearman(&x, &[5.0, 4.0, 3.0, 2.0, 1.0]), Some(-1.0));
        assert_eq!(spearman(&x, &[2.0; 5]), None);
        let r = spearman(&x, &[2.0, 1.0, 4.0, 3.0, 5.0]).unwrap();
        assert!((r - 0.8).abs() < 1e-12, "{r}");
    }

    #[test]
    fn grids_are_recognised() {
        let p = |u: u64, a: &str, b: &str| SweepPoint {
            point: u,
            values: vec![a.into(), b.into()],
            q: Quantiles {
                mean: 0.0,
                p05: 0.0,
                p50: 0.0,
                p95: 0.0,
                p25: None,
                p75: None,
            },
        };
        let grid = [
            p(0, "1", "true"),
            p(1, "1", "false"),
            p(2, "2", "true"),
            p(3, "2", "false"),
        ];
        assert!(is_full_grid(&grid, 2));
        let lhs = [p(0, "1.1", "0.3"), p(1, "1.4", "0.1"), p(2, "1.2", "0.2")];
        assert!(!is_full_grid(&lhs, 2));
        assert_eq!(numeric("true"), Some(1.0));
        assert_eq!(numeric("0.25"), Some(0.25));
        assert_eq!(numeric("aalborg"), None);
    }
}
