//! The part of the page for a tornado folder: what was varied, the chart
//! and the table of parameters.
//!
//! The chart's axis is the change of the metric against the base result
//! (every parameter at its median), in the metric's unit (percentage points
//! for shares, DKK for money); each bar prints the parameter's low and high
//! input values at its ends. Parameters and the metric are named by their
//! labels ([`super::labels`]) with the key beside them.

use super::charts::{self, Tornado, TornadoBar};
use super::data::TornadoData;
use super::html::{figure, heading, keyed, keyed_table};
use super::i18n::Lang;
use super::labels;
use super::run_view::provenance_line;
use super::values::{capitalized, Measure};

/// The metric label `fleksim tornado` writes to its manifest when no
/// `--metric` is given: the horizon's net municipal cost, minus the
/// baseline's if the scenario declares one (` minus <baseline>`).
const DEFAULT_METRIC: &str = "cumulative net municipal cost";

/// What a tornado measured, as keys.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Measured {
    /// A monthly metric or a horizon figure (`net_municipal_cost_total`).
    key: String,
    /// The month it was read at; `None` for a horizon figure.
    at: Option<String>,
    /// The baseline it is a difference to.
    minus: Option<String>,
}

fn measured(t: &TornadoData) -> Measured {
    let (key, minus) = match t.metric.strip_prefix(DEFAULT_METRIC) {
        Some("") => ("net_municipal_cost".to_string(), None),
        Some(rest) => match rest.strip_prefix(" minus ") {
            Some(b) => ("net_municipal_cost".to_string(), Some(b.trim().to_string())),
            None => (t.metric.clone(), None),
        },
        None => (t.metric.clone(), None),
    };
    let monthly = crate::model::metrics::index(&key).is_some();
    if monthly && crate::model::month::Month::parse(&t.at).is_some() {
        return Measured {
            key,
            at: Some(t.at.clone()),
            minus,
        };
    }
    // Read over the horizon: a flow summed, a stock at the last month.
    let key = if !monthly {
        key
    } else if labels::is_flow(&key) {
        format!("{key}_total")
    } else {
        format!("{key}_end")
    };
    Measured {
        key,
        at: None,
        minus,
    }
}

/// The key of what a tornado measured (`net_municipal_cost_total`,
/// `ly_share`, …), by which its values are printed.
pub fn measured_key(t: &TornadoData) -> String {
    measured(t).key
}

/// The metric in words: `Share of the scheme on LY in March 2018`,
/// `Net municipal cost, total over the horizon: project minus baseline`.
fn describe(m: &Measured, scenario: &str, lang: Lang) -> String {
    let w = lang.words();
    let mut out = labels::metric(&m.key, lang).label;
    if let Some(at) = &m.at {
        out = format!("{out} {} {}", w.of_metric_at, lang.month_text(at));
    }
    if let Some(b) = &m.minus {
        out = format!("{out}: {scenario} − {b}");
    }
    out
}

/// The section for a `fleksim tornado` folder.
pub fn section(t: &TornadoData, lang: Lang) -> anyhow::Result<String> {
    let w = lang.words();
    let measured = measured(t);
    let m = Measure::of(&measured.key);
    let unit = labels::metric(&measured.key, lang).unit;
    let what = describe(&measured, &t.scenario_name, lang);
    let mut out = String::from("<section class=\"kind tornado\">\n");
    out.push_str(&heading(2, &format!("{}: {}", w.tornado, t.scenario_name)));
    out.push_str(&format!(
        "<p class=\"meta\">{} · {}</p>\n",
        keyed(&what, &measured.key),
        super::html::escape(&provenance_line(&t.provenance, lang))
    ));
    if t.rows.is_empty() {
        return Ok(out + "</section>\n");
    }
    let base = t.rows[0].base;
    let largest = t
        .rows
        .iter()
        .flat_map(|r| [r.metric_low - base, r.metric_high - base])
        .filter(|v| v.is_finite())
        .fold(0.0, |a: f64, v| a.max(v.abs()));
    let (chart_unit, unit_words) = m.change_axis(unit, largest, lang);
    let params: Vec<labels::ParamText> = t
        .rows
        .iter()
        .map(|r| labels::parameter(&r.parameter, lang))
        .collect();
    let chart = Tornado {
        title: format!("{}: {what}", w.tornado_title),
        x_desc: format!("{} ({unit_words})", w.change_vs_base),
        y_desc: w.parameter.to_string(),
        unit: chart_unit,
        rows: t
            .rows
            .iter()
            .zip(&params)
            .map(|(r, p)| TornadoBar {
                label: p.label.clone(),
                key: r.parameter.clone(),
                low: r.metric_low - base,
                high: r.metric_high - base,
                low_input: p.kind.value(r.low_value, lang),
                high_input: p.kind.value(r.high_value, lang),
            })
            .collect(),
        base: 0.0,
        low_label: w.low_value.to_string(),
        high_label: w.high_value.to_string(),
        base_label: format!("{} {}", w.base_value, m.level(base, lang)),
    };
    out.push_str(&figure(
        &charts::tornado_chart(&chart, lang)?,
        w.tornado_aid,
    ));
    let head: Vec<String> = [
        w.parameter,
        w.low_value,
        w.high_value,
        w.result_low,
        w.result_high,
        w.swing,
    ]
    .iter()
    .map(|s| capitalized(s))
    .collect();
    let rows: Vec<(String, Vec<String>)> = t
        .rows
        .iter()
        .zip(&params)
        .map(|(r, p)| {
            (
                keyed(&p.label, &r.parameter),
                vec![
                    p.kind.value(r.low_value, lang),
                    p.kind.value(r.high_value, lang),
                    m.level(r.metric_low, lang),
                    m.level(r.metric_high, lang),
                    m.diff(r.swing, lang),
                ],
            )
        })
        .collect();
    out.push_str(&keyed_table(&head, &rows));
    out.push_str("</section>\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::data::Provenance;

    fn tornado(metric: &str, at: &str) -> TornadoData {
        TornadoData {
            dir: "t".into(),
            provenance: Provenance::default(),
            scenario_name: "p".into(),
            metric: metric.into(),
            at: at.into(),
            rows: vec![],
        }
    }

    #[test]
    fn the_default_metric_is_the_horizons_net_cost() {
        let m = measured(&tornado(
            "cumulative net municipal cost minus base",
            "horizon",
        ));
        assert_eq!(m.key, "net_municipal_cost_total");
        assert_eq!(m.minus.as_deref(), Some("base"));
        assert_eq!(Measure::of(&m.key), Measure::Money);
        assert_eq!(
            describe(&m, "p", Lang::Da),
            "Kommunens nettoudgift, i alt over horisonten: p − base"
        );
        let m = measured(&tornado("cumulative net municipal cost", "horizon"));
        assert_eq!(
            (m.key.as_str(), m.minus),
            ("net_municipal_cost_total", None)
        );
        let m = measured(&tornado("ly_share", "2018-03"));
        assert_eq!(
            describe(&m, "p", Lang::Da),
            "Andel af ordningen på ledighedsydelse i marts 2018"
        );
        let m = measured(&tornado("ly_stock", "horizon"));
        assert_eq!(m.key, "ly_stock_end");
        let m = measured(&tornado("net_municipal_cost_npv", "horizon"));
        assert_eq!((m.key.as_str(), m.at), ("net_municipal_cost_npv", None));
    }
}
