//! The scenario's KPIs on the terminal: `run` prints its declared KPIs,
//! `compare` puts them in the steering table. Labels are the scenario's,
//! in Danish with `--lang da` (the English label where it has none).

use crate::model::kpi::{Goal, Kpi, Kpis};
use crate::stats::Summary;

/// A KPI value in its unit, bare: `13.2` (a share, in %), `334`, `1.2`
/// (DKK, in millions).
pub fn number(unit: &str, x: f64) -> String {
    match unit {
        "share" => format!("{:.1}", 100.0 * x),
        "DKK" => format!("{:.2}", x / 1e6),
        _ => format!("{x:.0}"),
    }
}

/// The unit as the terminal says it after a label: `%`, `people`, `mio. DKK`.
pub fn unit_words(unit: &str) -> &str {
    match unit {
        "share" => "%",
        "DKK" => "mio. DKK",
        other => other,
    }
}

/// `at most 13.0 %`, `at least 68.0 %`.
pub fn target_text(k: &Kpi) -> String {
    let dir = match k.goal {
        Goal::AtMost => "at most",
        Goal::AtLeast => "at least",
    };
    format!(
        "{dir} {} {}",
        number(&k.unit, k.target),
        unit_words(&k.unit)
    )
}

/// When a KPI is measured, in words: `2018-03`, `2019-01/2019-12`, `2019`,
/// or `month 6 after entry` for a cohort share.
pub fn at_text(k: &Kpi) -> String {
    if k.value.starts_with("cohort:") {
        format!("month {} after entry", k.at.trim())
    } else {
        k.at.clone()
    }
}

/// `met` or `not met` at the median.
pub fn met(k: &Kpi, s: &Summary) -> &'static str {
    if k.goal.met(s.p50, k.target) {
        "met"
    } else {
        "not met"
    }
}

/// The lines `run` prints for a scenario's declared KPIs.
pub fn run_lines(kpis: &Kpis, summaries: &[Summary], danish: bool) -> String {
    let mut out = String::from("KPIs (median and 90 % interval over replications):\n");
    for (k, s) in kpis.list.iter().zip(summaries) {
        let n = |x: f64| number(&k.unit, x);
        out.push_str(&format!(
            "  {}, {}: {} ({} – {}) {}; target {}: {}\n",
            k.label_in(danish),
            at_text(k),
            n(s.p50),
            n(s.p05),
            n(s.p95),
            unit_words(&k.unit),
            target_text(k),
            met(k, s)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::month::Month;

    #[test]
    fn a_kpi_line_has_its_label_value_target_and_verdict() {
        let k = Kpis::of(
            &crate::model::kpi::seed(Month::parse("2018-03").unwrap()),
            Month::parse("2016-09").unwrap(),
            Month::parse("2020-08").unwrap(),
        );
        let s = Summary {
            mean: 0.14,
            p05: 0.13,
            p50: 0.14,
            p95: 0.15,
        };
        let text = run_lines(&k, &[s, s], true);
        assert!(text.contains("  Andel af ordningen på ledighedsydelse, 2018-03: 14.0 (13.0 – 15.0) %; target at most 13.0 %: not met"), "{text}");
        assert!(text.contains("target at least 35.0 %: not met"), "{text}");
    }
}
