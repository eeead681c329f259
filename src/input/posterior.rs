//! A joint posterior: parameters drawn together, as whole rows of a table.
//!
//! `fleksim calibrate` returns a weighted sample of parameter points (its
//! `posterior.csv`). A scenario uses it with
//!
//! ```toml
//! [uncertainty.posterior]
//! file = "posterior.csv"   # relative to the scenario file
//! sha256 = "…"             # optional: the file's SHA-256, checked on load
//! ```
//!
//! The file's header is `weight` and then one dotted scenario key per
//! column; each row is a point and its weight (≥ 0, not all 0). Each
//! replication draws one row, with probability proportional to its weight,
//! from one uniform number of a stream keyed by [`JOINT_KEY`], and every
//! column takes that row's value: correlations between the parameters are
//! kept. A column's median and quantiles (for `--fixed` and the tornado)
//! are those of its weighted marginal: the smallest value whose cumulative
//! weight reaches the share asked for.

use std::sync::Arc;

/// The stream key of the row draw (FNV-1a of `uncertainty.posterior`).
pub const JOINT_KEY_NAME: &str = "uncertainty.posterior";

/// The most rows a posterior file may hold.
pub const MAX_ROWS: usize = 100_000;

/// A joint posterior table, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Joint {
    /// The file as the scenario names it.
    pub file: String,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
    /// Dotted scenario keys, one per column.
    pub paths: Vec<String>,
    /// `rows[i][k]`: row `i`'s value of column `k`.
    pub rows: Vec<Vec<f64>>,
    /// Cumulative weights, normalised so the last is 1.
    cumulative: Vec<f64>,
    /// Per column, the values sorted with their cumulative weights.
    marginals: Vec<Vec<(f64, f64)>>,
}

/// The stream key of the row draw.
pub fn joint_key() -> u64 {
    crate::model::hash::fnv1a(JOINT_KEY_NAME)
}

impl Joint {
    /// Parses a posterior CSV; `Err` says what is wrong and where (line).
    pub fn parse(file: &str, text: &str) -> Result<Joint, String> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        let Some((_, header)) = lines.next() else {
            return Err("the file is empty; its first line must be `weight,<key>,<key>,…`".into());
        };
        let cols: Vec<&str> = header.split(',').map(str::trim).collect();
        if cols.first() != Some(&"weight") || cols.len() < 2 {
            return Err(format!(
                "line 1 is `{header}`: expected `weight` and then one dotted scenario key per \
                 column, e.g. `weight,ly.find_job[0].p`"
            ));
        }
        let paths: Vec<String> = cols[1..].iter().map(|s| s.to_string()).collect();
        for (i, p) in paths.iter().enumerate() {
            if let Some(m) = (!p.is_empty())
                .then(|| super::load::path_problem(p))
                .flatten()
            {
                return Err(format!("line 1: column {}: {m}", i + 2));
            }
            if p.is_empty() || paths[..i].contains(p) {
                return Err(format!(
                    "line 1: column {} is empty or repeats a key; give each key once",
                    i + 2
                ));
            }
        }
        let mut rows = Vec::new();
        let mut weights = Vec::new();
        for (n, line) in lines {
            let cells: Vec<&str> = line.split(',').map(str::trim).collect();
            if cells.len() != cols.len() {
                return Err(format!(
                    "line {}: {} fields, the header has {}",
                    n + 1,
                    cells.len(),
                    cols.len()
                ));
            }
            let mut v = Vec::with_capacity(cells.len());
            for (c, cell) in cells.iter().enumerate() {
                match cell.parse::<f64>() {
                    Ok(x) if x.is_finite() => v.push(x),
                    _ => {
                        return Err(format!(
                            "line {}, column `{}`: `{cell}` is not a finite number",
                            n + 1,
                            cols[c]
                        ))
                    }
                }
            }
            if v[0] < 0.0 {
                return Err(format!("line {}: a weight must be ≥ 0", n + 1));
            }
            weights.push(v[0]);
            rows.push(v[1..].to_vec());
            if rows.len() > MAX_ROWS {
                return Err(format!("more than {MAX_ROWS} rows, the most fleksim reads"));
            }
        }
        let total: f64 = weights.iter().sum();
        if rows.is_empty() || !(total > 0.0 && total.is_finite()) {
            return Err("it needs at least one row with a weight above 0".into());
        }
        Ok(Joint::new(file, paths, rows, &weights, text.as_bytes()))
    }

    fn new(file: &str, paths: Vec<String>, rows: Vec<Vec<f64>>, w: &[f64], bytes: &[u8]) -> Joint {
        let total: f64 = w.iter().sum();
        let mut acc = 0.0;
        let cumulative = w
            .iter()
            .map(|x| {
                acc += x;
                acc / total
            })
            .collect();
        let marginals = (0..paths.len())
            .map(|k| {
                let mut pairs: Vec<(f64, f64)> =
                    rows.iter().zip(w).map(|(r, &wi)| (r[k], wi)).collect();
                pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
                let mut acc = 0.0;
                pairs
                    .into_iter()
                    .map(|(x, wi)| {
                        acc += wi;
                        (x, acc / total)
                    })
                    .collect()
            })
            .collect();
        Joint {
            file: file.to_string(),
            sha256: crate::model::hash::sha256_hex(bytes),
            paths,
            rows,
            cumulative,
            marginals,
        }
    }

    /// The row a uniform number `u` in [0, 1) picks: the first whose
    /// cumulative weight exceeds `u`.
    pub fn row(&self, u: f64) -> usize {
        let i = self.cumulative.partition_point(|&c| c <= u);
        i.min(self.rows.len() - 1)
    }

    /// The `q`-quantile of column `k`'s weighted marginal: the smallest
    /// value whose cumulative weight reaches `q`.
    pub fn quantile(&self, k: usize, q: f64) -> f64 {
        let m = &self.marginals[k];
        let i = m.partition_point(|&(_, c)| c < q);
        m[i.min(m.len() - 1)].0
    }

    /// The smallest and largest value of column `k`.
    pub fn range(&self, k: usize) -> (f64, f64) {
        let m = &self.marginals[k];
        (m[0].0, m[m.len() - 1].0)
    }

    /// This table without column `k` (a `--set` that fixes its key).
    pub fn without(&self, k: usize) -> Joint {
        let mut j = self.clone();
        j.paths.remove(k);
        j.marginals.remove(k);
        for r in &mut j.rows {
            r.remove(k);
        }
        j
    }
}

/// A shared handle, so that every column's parameter points at one table.
pub type Shared = Arc<Joint>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_drawn_by_weight_and_marginals_are_weighted() {
        let j = Joint::parse("p.csv", "weight,a,b\n1,0.1,10\n3,0.3,30\n0,0.9,90\n").unwrap();
        assert_eq!(j.row(0.0), 0);
        assert_eq!(j.row(0.2499), 0);
        assert_eq!(j.row(0.25), 1);
        assert_eq!(j.row(0.999_999), 1);
        assert_eq!(j.quantile(0, 0.5), 0.3);
        assert_eq!(j.quantile(0, 0.1), 0.1);
        assert_eq!(j.quantile(1, 0.0), 10.0);
        assert_eq!(j.range(1), (10.0, 90.0));
        assert_eq!(j.without(0).paths, vec!["b".to_string()]);
    }

    #[test]
    fn bad_files_say_where() {
        let e = |t: &str| Joint::parse("p.csv", t).unwrap_err();
        assert!(e("").contains("empty"));
        assert!(e("w,a\n1,2\n").contains("line 1"));
        assert!(e("weight,a\n1,x\n").contains("line 2, column `a`"));
        assert!(e("weight,a\n-1,2\n").contains("≥ 0"));
        assert!(e("weight,a\n0,2\n").contains("above 0"));
        assert!(e("weight,a,a\n1,2,3\n").contains("repeats"));
        assert!(e("weight,a\n1,2,3\n").contains("fields"));
    }
}
