//! The part of the page for a tornado folder: what was varied, the chart
//! and the table of parameters.

use super::charts::{self, Tornado};
use super::data::TornadoData;
use super::html::{figure, heading, para, table};
use super::i18n::Lang;
use super::run_view::provenance_line;
use super::values::{capitalized, metric_name, Measure};

/// The section for a `fleksim tornado` folder.
pub fn section(t: &TornadoData, lang: Lang) -> anyhow::Result<String> {
    let w = lang.words();
    let m = Measure::of(&t.metric);
    let what = format!(
        "{} {} {}",
        metric_name(&t.metric, lang),
        w.of_metric_at,
        t.at
    );
    let mut out = String::from("<section class=\"kind tornado\">\n");
    out.push_str(&heading(2, &format!("{}: {}", w.tornado, t.scenario_name)));
    out.push_str(&para(
        "meta",
        &format!("{what} · {}", provenance_line(&t.provenance, lang)),
    ));
    if t.rows.is_empty() {
        return Ok(out + "</section>\n");
    }
    let base = t.rows[0].base;
    let chart = Tornado {
        title: format!("{}: {what}", w.tornado_title),
        x_desc: format!("{what} ({})", m.axis_unit(lang)),
        y_desc: w.parameter.to_string(),
        unit: m.unit(),
        rows: t
            .rows
            .iter()
            .map(|r| (r.parameter.clone(), r.metric_low, r.metric_high))
            .collect(),
        base,
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
    let value = |v: f64| lang.num_auto(v);
    let rows: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| {
            vec![
                r.parameter.clone(),
                value(r.low_value),
                value(r.high_value),
                m.level(r.metric_low, lang),
                m.level(r.metric_high, lang),
                m.diff(r.swing, lang),
            ]
        })
        .collect();
    out.push_str(&table(&head, &rows));
    out.push_str("</section>\n");
    Ok(out)
}
