//! The scenario's KPIs on the page: their labels (the scenario's, in the
//! page's language, the English label where it has no Danish one), when
//! they are measured, and whether the median meets the target by the
//! KPI's goal. A scenario without `[[kpis]]` is judged by the seed
//! project's two ([`crate::model::kpi::Kpis`]), which the page shows as
//! fleksim 0.1 did. Its fixed texts are here, in both languages
//! ([`text_pairs`]).

use super::data::{KpiRow, RunData, ScenarioInfo};
use super::html::{para, table};
use super::i18n::{fill, Lang};
use super::values::{steering_interval, steering_value};
use crate::model::kpi::{Goal, Kpi};
use crate::model::month::Month;

struct Words {
    title: &'static str,
    aid: &'static str,
    kpi: &'static str,
    when: &'static str,
    median: &'static str,
    target: &'static str,
    verdict: &'static str,
    met: &'static str,
    not_met: &'static str,
    at_most: &'static str,
    at_least: &'static str,
    after_entry: &'static str,
    share_title: &'static str,
    progression_title: &'static str,
    fan_aid: &'static str,
    compare_fan_aid: &'static str,
    progression_aid: &'static str,
}

const EN: Words = Words {
    title: "The scenario's KPIs",
    aid: "Each KPI as the scenario declares it ([[kpis]]), measured in every replication: the median with the 90 % interval, against its target.",
    kpi: "KPI",
    when: "Measured",
    median: "Median (90 % interval)",
    target: "Target",
    verdict: "At the median",
    met: "met",
    not_met: "not met",
    at_most: "at most {}",
    at_least: "at least {}",
    after_entry: "month {} after entry",
    share_title: "Share of the flexjob scheme on ledighedsydelse",
    progression_title: "Progression in small flexjobs",
    fan_aid: "Line: median over the replications; band: 5th–95th percentile (90 %), with the 25th–75th percentile (50 %) darker where the results store it; ring: the model's first month (median); dashed: the target of a KPI of the scenario measured on this share in one month, if any; grey: the project period.",
    compare_fan_aid: "Lines: medians, drawn over the light bands: 5th–95th percentile of each scenario; rings: the model's first month (median); dashed: the target of a KPI of the baseline measured on this share in one month, if any; coloured bars under the axis: each scenario's own project period.",
    progression_aid: "Of the people whose 2013-rules flexjob started at ≤ 10 hours, the share who now work more hours; line: median, band: 5th–95th percentile; dashed: the target of a KPI of the scenario measured on this share in one month, if any.",
};

const DA: Words = Words {
    title: "Scenariets KPI'er",
    aid: "Hver KPI som scenariet angiver den ([[kpis]]), målt i hver replikation: medianen med 90 %-intervallet, mod målet.",
    kpi: "KPI",
    when: "Målt",
    median: "Median (90 %-interval)",
    target: "Mål",
    verdict: "Ved medianen",
    met: "nået",
    not_met: "ikke nået",
    at_most: "højst {}",
    at_least: "mindst {}",
    after_entry: "måned {} efter indgang",
    share_title: "Andel af fleksjobordningen på ledighedsydelse",
    progression_title: "Progression i små fleksjob",
    fan_aid: "Linje: median over gentagelserne; bånd: 5.–95. percentil (90 %), med 25.–75. percentil (50 %) mørkere hvor resultaterne gemmer den; ring: modellens første måned (median); stiplet: målet for en af scenariets KPI'er målt på denne andel i én måned, hvis der er en; gråt: projektperioden.",
    compare_fan_aid: "Linjer: medianer, tegnet over de lyse bånd: 5.–95. percentil for hvert scenarie; ringe: modellens første måned (median); stiplet: målet for en af basisscenariets KPI'er målt på denne andel i én måned, hvis der er en; farvede bjælker under aksen: hvert scenaries egen projektperiode.",
    progression_aid: "Blandt dem, hvis fleksjob efter 2013-reglerne startede på ≤ 10 timer, andelen der nu arbejder flere timer; linje: median, bånd: 5.–95. percentil; stiplet: målet for en af scenariets KPI'er målt på denne andel i én måned, hvis der er en.",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Da => &DA,
    }
}

/// Every English text here with its Danish counterpart.
pub fn text_pairs() -> Vec<(&'static str, &'static str)> {
    let f = |w: &'static Words| {
        [
            w.title,
            w.aid,
            w.when,
            w.median,
            w.verdict,
            w.not_met,
            w.at_most,
            w.at_least,
            w.after_entry,
            w.share_title,
            w.progression_title,
            w.fan_aid,
            w.compare_fan_aid,
            w.progression_aid,
        ]
    };
    f(&EN).into_iter().zip(f(&DA)).collect()
}

/// A KPI's label in the page's language.
pub fn label(k: &Kpi, lang: Lang) -> &str {
    k.label_in(lang == Lang::Da)
}

/// When a KPI is measured, in words: `March 2018`, `January 2019 –
/// December 2019`, `2019`, `month 6 after entry`.
pub fn at_words(value: &str, at: &str, lang: Lang) -> String {
    let at = at.trim();
    if value.starts_with("cohort:") {
        return fill(words(lang).after_entry, &[at]);
    }
    if let Some((a, b)) = at.split_once('/') {
        if let (Some(a), Some(b)) = (Month::parse(a.trim()), Month::parse(b.trim())) {
            return format!("{} – {}", lang.month(a), lang.month(b));
        }
    }
    Month::parse(at).map_or(at.to_string(), |m| lang.month(m))
}

/// `met` or `not met` (the page's words).
pub fn verdict(goal: Goal, value: f64, target: f64, lang: Lang) -> &'static str {
    let w = words(lang);
    if goal.met(value, target) {
        w.met
    } else {
        w.not_met
    }
}

/// The chart titles of the share on LY and of progression when the
/// scenario declares its own KPIs (the seed's titles name them KPI 1 and 2).
pub fn plain_titles(lang: Lang) -> (&'static str, &'static str) {
    let w = words(lang);
    (w.share_title, w.progression_title)
}

/// The aids of the share on LY (one scenario, several) and of progression
/// when the scenario declares its own KPIs (the seed's name its targets).
pub fn plain_aids(lang: Lang) -> (&'static str, &'static str, &'static str) {
    let w = words(lang);
    (w.fan_aid, w.compare_fan_aid, w.progression_aid)
}

/// The table of a run's declared KPIs (`kpis.csv`), labelled from the
/// scenario; nothing for a run without them.
pub fn table_of(d: &RunData, info: &ScenarioInfo, lang: Lang) -> String {
    if d.kpis.is_empty() {
        return String::new();
    }
    let w = words(lang);
    let head = vec![
        w.kpi.to_string(),
        w.when.to_string(),
        w.median.to_string(),
        w.target.to_string(),
        w.verdict.to_string(),
    ];
    let rows: Vec<Vec<String>> = d.kpis.iter().map(|r| row(r, info, lang)).collect();
    format!(
        "<h4>{}</h4>\n{}{}",
        super::html::escape(w.title),
        table(&head, &rows),
        para("aid", w.aid)
    )
}

fn row(r: &KpiRow, info: &ScenarioInfo, lang: Lang) -> Vec<String> {
    let w = words(lang);
    let name = info
        .kpis
        .iter()
        .find(|k| k.name == r.kpi)
        .map_or(r.kpi.clone(), |k| label(k, lang).to_string());
    let text = |v: f64| v.to_string();
    let target = steering_value(&r.unit, Some(&text(r.target)), lang);
    let target = match r.goal {
        Goal::AtMost => fill(w.at_most, &[&target]),
        Goal::AtLeast => fill(w.at_least, &[&target]),
    };
    vec![
        name,
        at_words(&r.value, &r.at, lang),
        steering_interval(
            &r.unit,
            Some(&text(r.p50)),
            Some(&text(r.p05)),
            Some(&text(r.p95)),
            lang,
        ),
        target,
        verdict(r.goal, r.p50, r.target, lang).to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_kpis_carry_the_metrics_own_labels() {
        let seed = crate::model::kpi::seed(Month::parse("2018-03").unwrap());
        for lang in [Lang::En, Lang::Da] {
            for k in &seed {
                assert_eq!(
                    label(k, lang),
                    super::super::labels::metric(&k.value, lang).label
                );
            }
        }
    }

    #[test]
    fn when_in_words() {
        assert_eq!(at_words("ly_share", "2018-03", Lang::Da), "marts 2018");
        assert_eq!(
            at_words("ly_stock", "2019-01/2019-06", Lang::En),
            "January 2019 – June 2019"
        );
        assert_eq!(at_words("hires", "2019", Lang::En), "2019");
        assert_eq!(
            at_words("cohort:starters:ly", "6", Lang::Da),
            "måned 6 efter indgang"
        );
    }
}
