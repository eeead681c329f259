//! The answer on page one: a short summary a steering group can act on,
//! generated from the results, before every other section of the page.
//!
//! For each alternative of each comparison on the page: the KPIs at the
//! KPI month with their interval, against the target and against the
//! baseline; the change in the municipality's net cost per year, and in
//! the public purse's (municipality and state); the probability of saving money;
//! the cumulative difference in one sentence (the cheaper periods, the
//! difference at the horizon, a payback month only where the alternative
//! is an investment that pays back: issue 17's definitions, read from
//! `steering.csv`); the net cost per extra person-year in a flexjob (or
//! per person-month less on ledighedsydelse); and the two assumptions that
//! move the answer most, from a tornado folder on the same page.
//!
//! Invariant: a figure is printed by the same function, from the same
//! field, as the table below that holds it (the steering table, the table
//! of differences, the tornado table), so the two read the same. Each
//! figure is marked `<span class="fig" data-from="…">`: `table` for one a
//! table below holds, `derived` for one computed here (the cost per
//! person and the public purse per year, from `comparison_summary.csv`);
//! `tests/summary.rs` checks both.

use super::comparison_view::cheaper_words;
use super::data::{ComparisonData, Folder, SteeringRow, SummaryRow, TornadoData};
use super::html::escape;
use super::i18n::{fill, Lang};
use super::kpi_view;
use super::labels;
use super::values::{steering_interval, steering_value, Measure};
use super::{files::Quantiles, tornado_view};
use crate::model::month::Month;

/// The summary's texts in one language.
struct Words {
    title: &'static str,
    intro: &'static str,
    against: &'static str,
    kpi: &'static str,
    target_met: &'static str,
    target_missed: &'static str,
    effect: &'static str,
    net_cost: &'static str,
    public_cost: &'static str,
    prob: &'static str,
    cumulative: &'static str,
    payback: &'static str,
    per_flex: &'static str,
    per_ly: &'static str,
    saving_flex: &'static str,
    saving_ly: &'static str,
    per_none: &'static str,
    tornado: &'static str,
    no_tornado: &'static str,
    definitions: &'static str,
    dkk: &'static str,
}

const EN: Words = Words {
    title: "Summary",
    intro: "The answer in brief, from the results below: each figure is the median, with the 90 % interval in brackets.",
    against: "{} against {}",
    kpi: "{} in {}: {}; target {}, {}",
    target_met: "met at the median",
    target_missed: "not met at the median",
    effect: "; {} against the baseline",
    net_cost: "Change in the municipality's net cost per year: {}",
    public_cost: "Change in the net public cost (municipality and state) per year: {}",
    prob: "Probability that it saves money over the horizon: {}",
    cumulative: "Cumulatively cheaper than the baseline: {}; at the horizon ({}) the cumulative difference is {}.",
    payback: " It is an investment that pays back from {}.",
    per_flex: "Net cost per extra person-year in a flexjob: {}",
    per_ly: "Net cost per person-month less on ledighedsydelse: {}",
    saving_flex: "Net saving per extra person-year in a flexjob: {}",
    saving_ly: "Net saving per person-month less on ledighedsydelse: {}",
    per_none: "No extra people in flexjobs and none fewer on ledighedsydelse on average: no cost per person.",
    tornado: "The two assumptions that move the answer most (tornado of {}): {} (swing {}) and {} (swing {}).",
    no_tornado: "Which assumptions move the answer most: add a tornado folder (fleksim tornado) to the report.",
    definitions: "Cumulative difference, probability of saving money and payback month as defined under the steering table below.",
    dkk: "DKK",
};

const DA: Words = Words {
    title: "Sammenfatning",
    intro: "Svaret kort, ud fra resultaterne nedenfor: hvert tal er medianen med 90 %-intervallet i parentes.",
    against: "{} mod {}",
    kpi: "{} i {}: {}; mål {}, {}",
    target_met: "nået ved medianen",
    target_missed: "ikke nået ved medianen",
    effect: "; {} i forhold til basis",
    net_cost: "Ændring i kommunens nettoudgift pr. år: {}",
    public_cost: "Ændring i den offentlige nettoudgift (kommune og stat) pr. år: {}",
    prob: "Sandsynlighed for at det sparer penge over horisonten: {}",
    cumulative: "Akkumuleret billigere end basis: {}; ved horisonten ({}) er den akkumulerede forskel {}.",
    payback: " Det er en investering, der tjener sig hjem fra {}.",
    per_flex: "Nettoudgift pr. ekstra personår i fleksjob: {}",
    per_ly: "Nettoudgift pr. personmåned mindre på ledighedsydelse: {}",
    saving_flex: "Nettobesparelse pr. ekstra personår i fleksjob: {}",
    saving_ly: "Nettobesparelse pr. personmåned mindre på ledighedsydelse: {}",
    per_none: "I gennemsnit ingen ekstra i fleksjob og ingen færre på ledighedsydelse: ingen udgift pr. person.",
    tornado: "De to antagelser, der flytter svaret mest (tornado for {}): {} (udsving {}) og {} (udsving {}).",
    no_tornado: "Hvilke antagelser der flytter svaret mest: tilføj en tornado-mappe (fleksim tornado) til rapporten.",
    definitions: "Akkumuleret forskel, sandsynlighed for at spare penge og tilbagebetalingsmåned som defineret under styringstabellen nedenfor.",
    dkk: "kr.",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Da => &DA,
    }
}

/// Every English text of the summary with its Danish counterpart (for
/// the test that a Danish page holds no English text).
pub fn text_pairs() -> Vec<(&'static str, &'static str)> {
    let f = |w: &'static Words| {
        [
            w.title,
            w.intro,
            w.target_met,
            w.target_missed,
            w.net_cost,
            w.public_cost,
            w.prob,
            w.cumulative,
            w.payback,
            w.per_flex,
            w.per_ly,
            w.saving_flex,
            w.saving_ly,
            w.per_none,
            w.tornado,
            w.no_tornado,
            w.definitions,
        ]
    };
    f(&EN).into_iter().zip(f(&DA)).collect()
}

/// A figure that a table below holds.
fn table_fig(text: &str) -> String {
    format!(
        "<span class=\"fig\" data-from=\"table\">{}</span>",
        escape(text)
    )
}

/// A figure computed here: `key` names how (for the test).
fn derived_fig(key: &str, value: f64, text: &str) -> String {
    format!(
        "<span class=\"fig\" data-from=\"derived\" data-key=\"{key}\" data-value=\"{value}\">{}</span>",
        escape(text)
    )
}

/// `template` (escaped) with its `{}` filled by HTML pieces.
fn sentence(template: &str, html_args: &[&str]) -> String {
    fill(&escape(template), html_args)
}

/// The summary section, if the page holds a comparison.
pub fn section(folders: &[Folder], lang: Lang) -> Option<String> {
    let w = words(lang);
    let tornado = folders.iter().find_map(|f| match f {
        Folder::Tornado(t) if !t.rows.is_empty() => Some(t.as_ref()),
        _ => None,
    });
    let mut parts = Vec::new();
    for f in folders {
        if let Folder::Comparison(c) = f {
            for alt in &c.alternatives {
                parts.push(alternative(c, alt, tornado, lang));
            }
        }
    }
    if parts.is_empty() {
        return None;
    }
    let mut out = String::from("<section class=\"kind summary\">\n");
    out.push_str(&format!("<h2>{}</h2>\n", escape(w.title)));
    out.push_str(&format!("<p class=\"aid\">{}</p>\n", escape(w.intro)));
    for p in parts {
        out.push_str(&p);
    }
    out.push_str(&format!(
        "<p class=\"aid\">{}</p>\n</section>\n",
        escape(w.definitions)
    ));
    Some(out)
}

fn steering_row<'a>(c: &'a ComparisonData, alt: &str, indicator: &str) -> Option<&'a SteeringRow> {
    c.steering
        .iter()
        .find(|r| r.scenario == alt && r.indicator == indicator)
}

fn summary_row<'a>(
    c: &'a ComparisonData,
    alt: &str,
    metric: &str,
    period: &str,
) -> Option<&'a SummaryRow> {
    c.summary
        .iter()
        .find(|r| r.scenario == alt && r.metric == metric && r.period == period)
}

/// A steering row's median and interval, as the steering table prints it.
fn interval(r: &SteeringRow, lang: Lang) -> String {
    steering_interval(
        &r.unit,
        r.p50.as_deref(),
        r.p05.as_deref(),
        r.p95.as_deref(),
        lang,
    )
}

/// A paired difference of `comparison_summary.csv` as the table of
/// differences prints it (the mean in the middle).
fn difference(r: &SummaryRow, m: Measure, lang: Lang) -> String {
    let q = Quantiles {
        mean: r.mean_diff,
        p05: r.p05,
        p50: r.mean_diff,
        p95: r.p95,
        p25: None,
        p75: None,
    };
    m.interval(&q, true, lang)
}

/// The KPIs of a comparison: the baseline's (its `[[kpis]]`, or the seed
/// project's at the KPI month of its run).
fn kpis(c: &ComparisonData) -> Option<crate::model::kpi::Kpis> {
    let declared = c
        .scenarios
        .get(&c.baseline)
        .map_or(&[][..], |i| i.kpis.as_slice());
    c.runs.get(&c.baseline)?.kpis(declared)
}

/// The summary of one alternative.
fn alternative(c: &ComparisonData, alt: &str, tornado: Option<&TornadoData>, lang: Lang) -> String {
    let w = words(lang);
    let mut items: Vec<String> = Vec::new();
    // The KPIs: level, target, whether met by the KPI's goal, effect.
    let kpis = kpis(c);
    for k in kpis.iter().flat_map(|s| s.list.iter().map(move |k| (s, k))) {
        let (set, k) = k;
        let indicator = set.indicator(k);
        let Some(r) = steering_row(c, alt, &indicator) else {
            continue;
        };
        let target = r.target.as_deref().map(str::trim).unwrap_or("");
        let (Ok(t), Some(Ok(v))) = (
            target.parse::<f64>(),
            r.p50.as_deref().map(|p| p.trim().parse::<f64>()),
        ) else {
            continue;
        };
        let met = if k.goal.met(v, t) {
            w.target_met
        } else {
            w.target_missed
        };
        let mut item = sentence(
            w.kpi,
            &[
                &escape(kpi_view::label(k, lang)),
                &escape(&kpi_view::at_words(&k.value, &k.at, lang)),
                &table_fig(&interval(r, lang)),
                &table_fig(&steering_value(&r.unit, Some(target), lang)),
                &escape(met),
            ],
        );
        // The paired difference: the seed's from its metric at its month
        // (an `--at` month), a declared KPI's from its own row.
        let effect = if set.declared {
            summary_row(c, alt, &indicator, &k.at).map(|d| (d, Measure::of_unit(&k.unit)))
        } else {
            summary_row(c, alt, &k.value, &k.at).map(|d| (d, Measure::of(&k.value)))
        };
        if let Some((d, m)) = effect {
            item.push_str(&sentence(w.effect, &[&table_fig(&difference(d, m, lang))]));
        }
        items.push(item);
    }
    if let Some(r) = steering_row(c, alt, "net_cost_diff_per_year") {
        items.push(sentence(w.net_cost, &[&table_fig(&interval(r, lang))]));
    }
    // The public purse per year: the horizon's total over the years it
    // spans (a scaling, so its quantiles are the total's, scaled), as the
    // municipality's figure is made in `steering.csv`.
    if let Some(d) = summary_row(c, alt, "net_public_cost_total", "horizon") {
        let years = d.months.unwrap_or(0.0) / 12.0;
        if years > 0.0 && (d.p05 != 0.0 || d.p95 != 0.0) {
            let q = Quantiles {
                mean: d.mean_diff / years,
                p05: d.p05 / years,
                p50: d.p50 / years,
                p95: d.p95 / years,
                p25: None,
                p75: None,
            };
            let text = Measure::Money.interval(&q, true, lang);
            items.push(sentence(
                w.public_cost,
                &[&derived_fig("net_public_cost_per_year", q.p50, &text)],
            ));
        }
    }
    if let Some(r) = steering_row(c, alt, "prob_cheaper_horizon") {
        let p = steering_value(&r.unit, r.p50.as_deref(), lang);
        items.push(sentence(w.prob, &[&table_fig(&p)]));
    }
    items.extend(cumulative(c, alt, lang));
    items.push(per_person(c, alt, lang));
    items.push(match tornado {
        Some(t) => assumptions(t, lang),
        None => escape(w.no_tornado),
    });
    let mut out = format!(
        "<h3>{}</h3>\n<ul class=\"summary\">\n",
        escape(&fill(w.against, &[alt, &c.baseline]))
    );
    for i in items {
        out.push_str(&format!("<li>{i}</li>\n"));
    }
    out.push_str("</ul>\n");
    out
}

/// The cumulative difference in one sentence, with the payback month only
/// where there is one.
fn cumulative(c: &ComparisonData, alt: &str, lang: Lang) -> Option<String> {
    let w = words(lang);
    let months = c.runs.get(&c.baseline)?.months();
    let (first, last) = (*months.first()?, *months.last()?);
    let periods = steering_row(c, alt, "cheaper_periods")?;
    let horizon = steering_row(c, alt, "cum_diff_horizon")?;
    let list: Vec<(Month, Month)> = periods
        .p50
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|p| {
            let (f, t) = p.split_once('/')?;
            Some((Month::parse(f)?, Month::parse(t)?))
        })
        .collect();
    let mut s = sentence(
        w.cumulative,
        &[
            &table_fig(&cheaper_words(&list, first, last, lang)),
            &escape(&lang.month(last)),
            &table_fig(&interval(horizon, lang)),
        ],
    );
    if let Some(p) = steering_row(c, alt, "payback_month") {
        if p.p50.as_deref().is_some_and(|m| !m.trim().is_empty()) {
            let month = steering_value(&p.unit, p.p50.as_deref(), lang);
            s.push_str(&sentence(w.payback, &[&table_fig(&month)]));
        }
    }
    Some(s)
}

/// Net cost per extra person-year in a flexjob, or per person-month less
/// on LY: the mean difference in net municipal cost over the horizon
/// divided by the mean difference in flexjob person-years (LY
/// person-months), from `comparison_summary.csv`'s horizon rows.
fn per_person(c: &ComparisonData, alt: &str, lang: Lang) -> String {
    let w = words(lang);
    let (Some(cost), Some(flex), Some(ly)) = (
        summary_row(c, alt, "net_municipal_cost_total", "horizon"),
        summary_row(c, alt, "flex_stock_avg", "horizon"),
        summary_row(c, alt, "ly_stock_avg", "horizon"),
    ) else {
        return escape(w.per_none);
    };
    let months = cost.months.unwrap_or(0.0);
    // A negative cost is a saving, and is worded as one (issue 17).
    let money = |v: f64| format!("{} {}", lang.num(v.abs(), 0), w.dkk);
    let flex_years = flex.mean_diff * months / 12.0;
    let ly_months = -ly.mean_diff * months;
    if flex_years >= 0.5 {
        let v = cost.mean_diff / flex_years;
        let template = if v < 0.0 { w.saving_flex } else { w.per_flex };
        sentence(
            template,
            &[&derived_fig("per_flex_person_year", v, &money(v))],
        )
    } else if ly_months >= 1.0 {
        let v = cost.mean_diff / ly_months;
        let template = if v < 0.0 { w.saving_ly } else { w.per_ly };
        sentence(
            template,
            &[&derived_fig("per_ly_person_month", v, &money(v))],
        )
    } else {
        escape(w.per_none)
    }
}

/// The two parameters of the tornado with the largest swing, as its table
/// prints them.
fn assumptions(t: &TornadoData, lang: Lang) -> String {
    let w = words(lang);
    let m = Measure::of(&tornado_view::measured_key(t));
    let mut rows: Vec<_> = t.rows.iter().collect();
    rows.sort_by(|a, b| b.swing.abs().total_cmp(&a.swing.abs()));
    let name = |i: usize| {
        rows.get(i).map_or((String::new(), String::new()), |r| {
            (
                escape(&labels::parameter(&r.parameter, lang).label),
                table_fig(&m.diff(r.swing, lang)),
            )
        })
    };
    let ((a, sa), (b, sb)) = (name(0), name(1));
    sentence(w.tornado, &[&escape(&t.scenario_name), &a, &sa, &b, &sb])
}
