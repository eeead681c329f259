//! Observed monthly figures: what actually happened, to set against the
//! simulation (`fleksim report DIR --observed FILE`; the format that
//! calibration targets use too).
//!
//! The file is CSV with the header `month,metric,value` or
//! `month,metric,value,lower,upper`, one figure a line:
//!
//! ```text
//! month,metric,value,lower,upper
//! 2017-06,ly_stock,341,330,352
//! 2017-06,ly_share,0.149,,
//! ```
//!
//! - `month`: `YYYY-MM`;
//! - `metric`: a name of `monthly.csv` ([`crate::model::metrics::METRICS`]),
//!   in its unit (people, shares as fractions, DKK);
//! - `value`: a finite number;
//! - `lower`, `upper` (optional, both or neither): the observed figure's
//!   own interval, `lower ≤ value ≤ upper`.
//!
//! Blank lines and lines starting with `#` are skipped. Every problem is
//! an [`InputError`] naming the file, the line, the field and what is
//! allowed; [`Observed::check_within`] refuses a month outside the
//! simulated horizon the same way.

use crate::model::error::InputError;
use crate::model::metrics::METRICS;
use crate::model::month::Month;
use std::path::Path;

/// One observed figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// Line number in the file (1 = the header).
    pub line: usize,
    pub month: Month,
    pub metric: String,
    pub value: f64,
    /// The figure's own interval, if the file gives one.
    pub interval: Option<(f64, f64)>,
}

/// An observed file's figures, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    /// The file, as messages name it.
    pub file: String,
    pub rows: Vec<Observation>,
}

/// The two headers allowed.
const SHORT: [&str; 3] = ["month", "metric", "value"];
const LONG: [&str; 5] = ["month", "metric", "value", "lower", "upper"];

impl Observed {
    /// Reads and checks `path` (at most the crate's input size limit).
    pub fn read(path: &Path) -> Result<Observed, InputError> {
        let file = path.display().to_string();
        let text = crate::model::limits::read_text(path)
            .map_err(|e| InputError(format!("cannot read the observed file `{file}`: {e}")))?;
        Observed::parse(&text, &file)
    }

    /// Parses observed figures from `text`; `file` names it in messages.
    pub fn parse(text: &str, file: &str) -> Result<Observed, InputError> {
        let at = |line: usize, what: String| InputError(format!("`{file}` line {line}: {what}"));
        // A spreadsheet's byte-order mark is not part of the header.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
        let Some((hline, header)) = lines.next() else {
            return Err(InputError(format!(
                "the observed file `{file}` is empty: it needs the header `month,metric,value` \
                 (or `month,metric,value,lower,upper`) and one figure a line"
            )));
        };
        let cols: Vec<&str> = header.split(',').map(str::trim).collect();
        let long = if cols == LONG {
            true
        } else if cols == SHORT {
            false
        } else {
            return Err(at(
                hline,
                format!(
                    "the header is `{header}`: allowed are `month,metric,value` and \
                     `month,metric,value,lower,upper`"
                ),
            ));
        };
        let mut rows = Vec::new();
        for (n, l) in lines {
            let f: Vec<&str> = l.split(',').map(str::trim).collect();
            if f.len() != cols.len() {
                return Err(at(
                    n,
                    format!(
                        "{} fields, but the header has {} ({})",
                        f.len(),
                        cols.len(),
                        cols.join(",")
                    ),
                ));
            }
            let month = Month::parse(f[0]).ok_or_else(|| {
                at(
                    n,
                    format!("field `month` is `{}`: allowed is a month `YYYY-MM`", f[0]),
                )
            })?;
            if !METRICS.iter().any(|m| m.name == f[1]) {
                return Err(at(
                    n,
                    format!(
                        "field `metric` is `{}`, which is no metric: allowed are the metrics of \
                         monthly.csv ({})",
                        f[1],
                        METRICS
                            .iter()
                            .map(|m| m.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            let number = |name: &str, s: &str| -> Result<f64, InputError> {
                s.parse::<f64>()
                    .ok()
                    .filter(|&v| crate::model::limits::is_written_value(v))
                    .ok_or_else(|| {
                        at(
                            n,
                            format!(
                                "field `{name}` is `{s}`: allowed is a finite number of at most \
                                 1e15 in size"
                            ),
                        )
                    })
            };
            let value = number("value", f[2])?;
            let interval = match (long, f.get(3), f.get(4)) {
                (true, Some(lo), Some(hi)) if !lo.is_empty() || !hi.is_empty() => {
                    let (lo, hi) = (number("lower", lo)?, number("upper", hi)?);
                    if !(lo <= value && value <= hi) {
                        return Err(at(
                            n,
                            format!(
                                "fields `lower` {lo}, `value` {value}, `upper` {hi}: allowed is \
                                 lower ≤ value ≤ upper"
                            ),
                        ));
                    }
                    Some((lo, hi))
                }
                _ => None,
            };
            rows.push(Observation {
                line: n,
                month,
                metric: f[1].to_string(),
                value,
                interval,
            });
        }
        Ok(Observed {
            file: file.to_string(),
            rows,
        })
    }

    /// Refuses a figure whose month is outside `first..=last`, naming its
    /// line; `what` names the results it is set against.
    pub fn check_within(&self, first: Month, last: Month, what: &str) -> Result<(), InputError> {
        match self.rows.iter().find(|r| r.month < first || r.month > last) {
            Some(r) => Err(InputError(format!(
                "`{}` line {}: field `month` is {}, outside the simulated months of {what}: \
                 allowed are {first} to {last}",
                self.file, r.line, r.month
            ))),
            None => Ok(()),
        }
    }

    /// The metrics observed, in order of first appearance.
    pub fn metrics(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.rows {
            if !out.contains(&r.metric.as_str()) {
                out.push(&r.metric);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_headers_parse_and_every_bad_line_is_named() {
        let ok = Observed::parse(
            "month,metric,value,lower,upper\n2017-06,ly_stock,341,330,352\n\n# note\n2017-07,ly_share,0.149,,\n",
            "obs.csv",
        )
        .unwrap();
        assert_eq!(ok.rows.len(), 2);
        assert_eq!(ok.rows[0].interval, Some((330.0, 352.0)));
        assert_eq!(ok.rows[1].line, 5);
        assert_eq!(ok.rows[1].interval, None);
        assert_eq!(ok.metrics(), ["ly_stock", "ly_share"]);
        let short = Observed::parse("month,metric,value\n2017-06,flex_stock,1950\n", "o").unwrap();
        assert_eq!(short.rows[0].value, 1950.0);
        let bad = |text: &str, needle: &str| {
            let e = Observed::parse(text, "obs.csv").unwrap_err().to_string();
            assert!(e.contains(needle), "{e}");
            assert!(e.contains("`obs.csv`"), "{e}");
        };
        bad(
            "month,metric,value\n2017-06,ly_stok,3\n",
            "line 2: field `metric` is `ly_stok`",
        );
        bad(
            "month,metric,value\n2017-06,ly_stock,abc\n",
            "line 2: field `value` is `abc`",
        );
        bad(
            "month,metric,value\n2017-06,ly_stock,NaN\n",
            "finite number",
        );
        bad(
            "month,metric,value\n2017-6x,ly_stock,3\n",
            "field `month` is `2017-6x`",
        );
        bad("month,value\n", "the header is `month,value`");
        bad("month,metric,value\n2017-06,ly_stock\n", "line 2: 2 fields");
        bad(
            "month,metric,value,lower,upper\n2017-06,ly_stock,5,6,7\n",
            "lower ≤ value ≤ upper",
        );
        bad("", "is empty");
    }

    #[test]
    fn a_month_outside_the_horizon_is_refused_by_line() {
        let o = Observed::parse(
            "month,metric,value\n2016-09,ly_stock,1\n2030-01,ly_stock,2\n",
            "o.csv",
        )
        .unwrap();
        let m = |s| Month::parse(s).unwrap();
        let e = o
            .check_within(m("2016-09"), m("2026-08"), "results/x")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`o.csv` line 3: field `month` is 2030-01"),
            "{e}"
        );
        assert!(o.check_within(m("2016-09"), m("2030-01"), "x").is_ok());
    }
}
