//! The page's budget practice (issue 18): who pays (`payer.csv`), levels
//! beside differences (`budget_levels.csv`), the budget year and its
//! overslagsår (`budget_year.csv`), break-even (`break_even.csv` and the
//! manifest's search), and observed figures against the simulation
//! (`--observed`). Each part is left out when its file is not in the
//! folder (a folder written before it existed, or without the flag).
//!
//! Its texts are here, in both languages, rather than in [`super::i18n`],
//! so that this feature's words stay together; [`text_pairs`] joins them
//! to the page's check that a Danish page holds no English.

use super::charts::{self, Line, Panel, PointMark, PointStyle, TimeChart, Unit, PALETTE};
use super::data::RunData;
use super::files::{read_csv, read_json};
use super::html::{figure, heading, para, table};
use super::i18n::{fill, Lang};
use super::values::metric_name;
use crate::input::observed::Observed;
use crate::model::error::InputError;
use crate::model::metrics::{Kind, METRICS};
use serde::Deserialize;
use std::path::Path;

/// The texts of this part of the page.
pub struct Words {
    pub payer_title: &'static str,
    pub payer_aid: &'static str,
    pub line: &'static str,
    pub gross: &'static str,
    pub kommune: &'static str,
    pub stat: &'static str,
    pub ly: &'static str,
    pub flex: &'static str,
    pub exit: &'static str,
    pub staff: &'static str,
    pub grant: &'static str,
    pub measures: &'static str,
    pub total: &'static str,
    pub service: &'static str,
    pub transfers: &'static str,
    pub tax_back: &'static str,
    pub public: &'static str,
    pub levels_title: &'static str,
    pub levels_aid: &'static str,
    pub year: &'static str,
    pub base_level: &'static str,
    pub alt_level: &'static str,
    pub difference: &'static str,
    pub change: &'static str,
    pub discounted: &'static str,
    pub budget_year_title: &'static str,
    pub budget_year_aid: &'static str,
    pub role_budget: &'static str,
    pub role_overslag: &'static str,
    pub mark_grant: &'static str,
    pub mark_permanent: &'static str,
    pub break_even_title: &'static str,
    pub break_even_aid: &'static str,
    pub multiplier: &'static str,
    pub interval: &'static str,
    pub below: &'static str,
    pub above: &'static str,
    pub none_cheaper: &'static str,
    pub none_dearer: &'static str,
    pub none_effects: &'static str,
    pub observed_title: &'static str,
    pub observed_aid: &'static str,
    pub observed_point: &'static str,
    pub outside_title: &'static str,
    pub all_inside: &'static str,
    pub month: &'static str,
    pub metric: &'static str,
    pub observed: &'static str,
    pub scenario: &'static str,
    pub band: &'static str,
    pub side_above: &'static str,
    pub side_below: &'static str,
}

const EN: Words = Words {
    payer_title: "Who pays: money by payer and budget frame over the horizon",
    payer_aid: "Mean over the replications, million DKK. The state pays through refusion and the project grant; the municipality's net splits into service expenses (serviceramme: staff and measures) and transfers (overførsler: benefits and subsidies net of refusion). A saving on transfers frees no room under the service frame. The public purse is the municipality and the state together, less the income tax that comes back.",
    line: "Line",
    gross: "Gross spending",
    kommune: "Municipality",
    stat: "State",
    ly: "Unemployment benefit (LY)",
    flex: "Flex subsidy and old-rules subsidy",
    exit: "Exit benefits",
    staff: "Municipal staff",
    grant: "Grant-funded staff and project costs",
    measures: "Measures",
    total: "Total",
    service: "of which service expenses (serviceramme)",
    transfers: "of which transfers (overførsler)",
    tax_back: "Income tax that comes back",
    public: "Public purse, net",
    levels_title: "Levels by year: baseline, alternative and the difference",
    levels_aid: "Municipal net cost, million DKK: the means of the baseline and the alternative, the paired difference (median and 90 % interval) and the change against the baseline's level; then the same discounted to the first month at {} a year.",
    year: "Year",
    base_level: "Baseline",
    alt_level: "Alternative",
    difference: "Difference",
    change: "Change",
    discounted: "discounted",
    budget_year_title: "The budget year and its three overslagsår",
    budget_year_aid: "Municipal net cost against the baseline, million DKK (mean), with its service and transfer parts; each year marked if it falls in the grant period or the permanent period (the municipality carries the project after the grant).",
    role_budget: "budget year",
    role_overslag: "overslagsår",
    mark_grant: "grant period",
    mark_permanent: "permanent period",
    break_even_title: "Break-even: how much better must it work?",
    break_even_aid: "The common multiplier on the alternative's effects (1 = as in the scenario, 0 = its costs without effect) at which its cumulative net municipal cost over the horizon equals the baseline's, found by bisection from {} to {} with common random numbers, to within ±{}. Interval: the multipliers at which 5 % and 95 % of the replications break even.",
    multiplier: "Multiplier",
    interval: "90 % interval",
    below: "below",
    above: "above",
    none_cheaper: "none in range: cheaper than the baseline even without effects",
    none_dearer: "none in range: dearer than the baseline even at the top of the range",
    none_effects: "none: the scenario has no effect to scale",
    observed_title: "Observed figures against the simulation",
    observed_aid: "Line and band: median and 5th–95th percentile of the simulation; black dots: the observed figures of {}.",
    observed_point: "observed",
    outside_title: "Observed months outside the 90 % band",
    all_inside: "Every observed figure lies within the simulation's 90 % band.",
    month: "Month",
    metric: "Metric",
    observed: "Observed",
    scenario: "Scenario",
    band: "90 % band",
    side_above: "above",
    side_below: "below",
};

const DA: Words = Words {
    payer_title: "Hvem betaler: udgifter fordelt på betaler og budgetramme over hele perioden",
    payer_aid: "Gennemsnit over gentagelserne, mio. kr. Staten betaler gennem refusion og projektbevillingen; kommunens nettoudgift deles i serviceudgifter (serviceramme: personale og indsatser) og overførsler (ydelser og tilskud efter refusion). En besparelse på overførsler giver ikke plads under servicerammen. Den samlede offentlige sektor er kommune og stat tilsammen fratrukket den indkomstskat, der kommer tilbage.",
    line: "Post",
    gross: "Bruttoudgift",
    kommune: "Kommunen",
    stat: "Staten",
    ly: "Ledighedsydelse",
    flex: "Fleksløntilskud og tilskud efter gamle regler",
    exit: "Ydelser efter afgang",
    staff: "Kommunalt personale",
    grant: "Bevillingsfinansieret personale og projektudgifter",
    measures: "Indsatser",
    total: "I alt",
    service: "heraf serviceudgifter (serviceramme)",
    transfers: "heraf overførsler",
    tax_back: "Indkomstskat der kommer tilbage",
    public: "Offentlig sektor, netto",
    levels_title: "Niveauer år for år: basis, alternativ og forskellen",
    levels_aid: "Kommunal nettoudgift, mio. kr.: gennemsnit for basis og alternativ, den parvise forskel (median og 90 %-interval) og ændringen i forhold til basisniveauet; derefter det samme tilbagediskonteret til første måned med {} om året.",
    year: "År",
    base_level: "Basis",
    alt_level: "Alternativ",
    difference: "Forskel",
    change: "Ændring",
    discounted: "nutidsværdi",
    budget_year_title: "Budgetåret og de tre overslagsår",
    budget_year_aid: "Kommunal nettoudgift i forhold til basis, mio. kr. (gennemsnit), med service- og overførselsdelen; hvert år markeret, hvis det ligger i bevillingsperioden eller den permanente periode (kommunen bærer projektet efter bevillingen).",
    role_budget: "budgetår",
    role_overslag: "overslagsår",
    mark_grant: "bevillingsperiode",
    mark_permanent: "permanent periode",
    break_even_title: "Break-even: hvor meget bedre skal det virke?",
    break_even_aid: "Den fælles faktor på alternativets effekter (1 = som i scenariet, 0 = dets udgifter uden effekt), hvor dets samlede kommunale nettoudgift over hele perioden er lig basis, fundet ved halvering fra {} til {} med fælles tilfældige tal, med en nøjagtighed på ±{}. Interval: de faktorer, hvor 5 % og 95 % af gentagelserne går i nul.",
    multiplier: "Faktor",
    interval: "90 %-interval",
    below: "under",
    above: "over",
    none_cheaper: "ingen i intervallet: billigere end basis selv uden effekter",
    none_dearer: "ingen i intervallet: dyrere end basis selv ved intervallets top",
    none_effects: "ingen: scenariet har ingen effekt at skalere",
    observed_title: "Observerede tal mod simuleringen",
    observed_aid: "Linje og bånd: median og 5.–95. percentil i simuleringen; sorte prikker: de observerede tal fra {}.",
    observed_point: "observeret",
    outside_title: "Observerede måneder uden for 90 %-båndet",
    all_inside: "Alle observerede tal ligger inden for simuleringens 90 %-bånd.",
    month: "Måned",
    metric: "Målestørrelse",
    observed: "Observeret",
    scenario: "Scenarie",
    band: "90 %-bånd",
    side_above: "over",
    side_below: "under",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Da => &DA,
    }
}

/// Every English text of this part with its Danish counterpart.
pub fn text_pairs() -> Vec<(&'static str, &'static str)> {
    macro_rules! pairs {
        ($($f:ident),*) => { vec![$((EN.$f, DA.$f)),*] };
    }
    pairs!(
        payer_title,
        payer_aid,
        line,
        gross,
        kommune,
        stat,
        ly,
        flex,
        exit,
        staff,
        grant,
        measures,
        total,
        service,
        transfers,
        tax_back,
        public,
        levels_title,
        levels_aid,
        year,
        base_level,
        alt_level,
        difference,
        change,
        discounted,
        budget_year_title,
        budget_year_aid,
        role_budget,
        role_overslag,
        mark_grant,
        mark_permanent,
        break_even_title,
        break_even_aid,
        multiplier,
        interval,
        below,
        above,
        none_cheaper,
        none_dearer,
        none_effects,
        observed_title,
        observed_aid,
        observed_point,
        outside_title,
        all_inside,
        month,
        metric,
        observed,
        scenario,
        band,
        side_above,
        side_below
    )
}

/// One row of `payer.csv`.
#[derive(Debug, Deserialize)]
struct PayerRow {
    period: String,
    line: String,
    payer: String,
    mean: f64,
}

fn mio(v: f64, lang: Lang) -> String {
    lang.num(v / 1e6, 1)
}

fn signed_mio(v: f64, lang: Lang) -> String {
    let s = mio(v, lang);
    if v / 1e6 >= 0.05 {
        format!("+{s}")
    } else {
        s
    }
}

/// Each scenario's horizon split from its `payer.csv` (`(name, dir)`):
/// one table, a column per scenario and payer.
pub fn payer_part(runs: &[(&str, &Path)], lang: Lang) -> Result<String, InputError> {
    let w = words(lang);
    let mut tables = Vec::new();
    for (name, dir) in runs {
        let path = dir.join("payer.csv");
        if !path.is_file() {
            return Ok(String::new());
        }
        let rows: Vec<PayerRow> = read_csv(&path, &["period", "line", "payer", "mean"])?;
        let horizon: Vec<PayerRow> = rows.into_iter().filter(|r| r.period == "horizon").collect();
        tables.push((*name, horizon));
    }
    if tables.is_empty() {
        return Ok(String::new());
    }
    let get = |rows: &[PayerRow], line: &str, payer: &str| {
        rows.iter()
            .find(|r| r.line == line && r.payer == payer)
            .map_or(String::new(), |r| mio(r.mean, lang))
    };
    let several = tables.len() > 1;
    let mut head = vec![w.line.to_string()];
    for (name, _) in &tables {
        for p in [w.gross, w.kommune, w.stat] {
            head.push(if several {
                format!("{name}: {p}")
            } else {
                p.to_string()
            });
        }
    }
    let lines = [
        ("ly", w.ly),
        ("flex", w.flex),
        ("exit", w.exit),
        ("staff", w.staff),
        ("grant", w.grant),
        ("measures", w.measures),
        ("total", w.total),
        ("service", w.service),
        ("transfers", w.transfers),
    ];
    let mut body = Vec::new();
    for (key, label) in lines {
        let mut row = vec![label.to_string()];
        for (_, rows) in &tables {
            for p in ["gross", "kommune", "stat"] {
                row.push(get(rows, key, p));
            }
        }
        body.push(row);
    }
    for (key, label) in [("tax_back", w.tax_back), ("total", w.public)] {
        let mut row = vec![label.to_string()];
        for (_, rows) in &tables {
            row.extend([get(rows, key, "public"), String::new(), String::new()]);
        }
        body.push(row);
    }
    Ok(heading(3, w.payer_title) + &table(&head, &body) + &para("aid", w.payer_aid))
}

/// One row of `budget_levels.csv` or `budget_year.csv`.
#[derive(Debug, Deserialize)]
struct LevelCsv {
    scenario: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    role: String,
    line: String,
    payer: String,
    baseline: f64,
    alternative: f64,
    diff_mean: f64,
    diff_p05: f64,
    diff_p50: f64,
    diff_p95: f64,
    change: Option<f64>,
    #[serde(default)]
    baseline_pv: Option<f64>,
    #[serde(default)]
    alternative_pv: Option<f64>,
    #[serde(default)]
    diff_pv_p50: Option<f64>,
    #[serde(default)]
    discount_rate: Option<f64>,
}

/// The municipal net's levels per year and over the horizon, per
/// alternative, undiscounted and discounted.
pub fn levels_part(dir: &Path, lang: Lang) -> Result<String, InputError> {
    let path = dir.join("budget_levels.csv");
    if !path.is_file() {
        return Ok(String::new());
    }
    let w = words(lang);
    let rows: Vec<LevelCsv> = read_csv(
        &path,
        &[
            "scenario",
            "period",
            "line",
            "payer",
            "baseline",
            "alternative",
            "diff_mean",
        ],
    )?;
    let rows: Vec<&LevelCsv> = rows
        .iter()
        .filter(|r| r.line == "total" && r.payer == "kommune")
        .collect();
    let rate = rows.iter().find_map(|r| r.discount_rate).unwrap_or(0.0);
    let mut out = heading(3, w.levels_title);
    let mut names: Vec<&str> = Vec::new();
    for r in &rows {
        if !names.contains(&r.scenario.as_str()) {
            names.push(&r.scenario);
        }
    }
    for name in names {
        let head = vec![
            format!("{name}: {}", w.year),
            w.base_level.to_string(),
            w.alt_level.to_string(),
            w.difference.to_string(),
            w.change.to_string(),
            format!("{}, {}", w.base_level, w.discounted),
            format!("{}, {}", w.alt_level, w.discounted),
            format!("{}, {}", w.difference, w.discounted),
        ];
        let body: Vec<Vec<String>> = rows
            .iter()
            .filter(|r| r.scenario == name)
            .map(|r| {
                let period = if r.period == "horizon" {
                    lang.words().horizon.to_string()
                } else {
                    r.period.clone()
                };
                vec![
                    period,
                    mio(r.baseline, lang),
                    mio(r.alternative, lang),
                    format!(
                        "{} ({} – {})",
                        signed_mio(r.diff_p50, lang),
                        signed_mio(r.diff_p05, lang),
                        signed_mio(r.diff_p95, lang)
                    ),
                    r.change.map_or("–".into(), |c| lang.pct(c, 1)),
                    r.baseline_pv.map_or("–".into(), |v| mio(v, lang)),
                    r.alternative_pv.map_or("–".into(), |v| mio(v, lang)),
                    r.diff_pv_p50.map_or("–".into(), |v| signed_mio(v, lang)),
                ]
            })
            .collect();
        out.push_str(&table(&head, &body));
    }
    out.push_str(&para("aid", &fill(w.levels_aid, &[&lang.pct(rate, 1)])));
    Ok(out)
}

/// The budget year and its overslagsår (`budget_year.csv`).
pub fn budget_year_part(dir: &Path, lang: Lang) -> Result<String, InputError> {
    let path = dir.join("budget_year.csv");
    if !path.is_file() {
        return Ok(String::new());
    }
    let w = words(lang);
    let rows: Vec<LevelCsv> = read_csv(
        &path,
        &[
            "scenario",
            "year",
            "role",
            "period",
            "line",
            "payer",
            "diff_mean",
        ],
    )?;
    let mut out = heading(3, w.budget_year_title);
    let mut names: Vec<&str> = Vec::new();
    for r in &rows {
        if !names.contains(&r.scenario.as_str()) {
            names.push(&r.scenario);
        }
    }
    for name in names {
        let head = vec![
            format!("{name}: {}", w.year),
            w.kommune.to_string(),
            w.service.to_string(),
            w.transfers.to_string(),
        ];
        let mut body = Vec::new();
        let mine: Vec<&LevelCsv> = rows.iter().filter(|r| r.scenario == name).collect();
        let mut years: Vec<i32> = mine.iter().filter_map(|r| r.year).collect();
        years.dedup();
        for y in years {
            let get = |line: &str| {
                mine.iter()
                    .find(|r| r.year == Some(y) && r.line == line && r.payer == "kommune")
                    .map_or(String::new(), |r| signed_mio(r.diff_mean, lang))
            };
            let Some(first) = mine.iter().find(|r| r.year == Some(y)) else {
                continue;
            };
            let role = match first.role.strip_prefix("overslagsaar_") {
                Some(k) => format!("{} {k}", w.role_overslag),
                None => w.role_budget.to_string(),
            };
            let marks: Vec<&str> = first
                .period
                .split('+')
                .filter_map(|m| match m {
                    "grant" => Some(w.mark_grant),
                    "permanent" => Some(w.mark_permanent),
                    _ => None,
                })
                .collect();
            let label = if marks.is_empty() {
                format!("{y} {role}")
            } else {
                format!("{y} {role} ({})", marks.join(", "))
            };
            body.push(vec![label, get("total"), get("service"), get("transfers")]);
        }
        out.push_str(&table(&head, &body));
    }
    out.push_str(&para("aid", w.budget_year_aid));
    Ok(out)
}

/// One row of `break_even.csv`.
#[derive(Debug, Deserialize)]
struct BreakEvenRow {
    scenario: String,
    multiplier: Option<f64>,
    lower: Option<f64>,
    upper: Option<f64>,
}

/// Break-even (`break_even.csv`, with the search's settings and outcomes
/// from `manifest.json`).
pub fn break_even_part(dir: &Path, lang: Lang) -> Result<String, InputError> {
    let path = dir.join("break_even.csv");
    if !path.is_file() {
        return Ok(String::new());
    }
    let w = words(lang);
    let rows: Vec<BreakEvenRow> = read_csv(&path, &["scenario", "multiplier", "lower", "upper"])?;
    let manifest = read_json(&dir.join("manifest.json"))?;
    let settings = &manifest["break_even"];
    let num = |key: &str, default: f64| settings[key].as_f64().unwrap_or(default);
    let (low, high, tol) = (num("low", 0.0), num("high", 10.0), num("tolerance", 0.01));
    let outcome = |name: &str| {
        settings["results"]
            .as_array()
            .and_then(|a| a.iter().find(|r| r["scenario"] == name))
            .and_then(|r| r["outcome"].as_str())
            .unwrap_or("")
            .to_string()
    };
    let head = vec![
        w.scenario.to_string(),
        w.multiplier.to_string(),
        w.interval.to_string(),
    ];
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let value = match (r.multiplier, outcome(&r.scenario).as_str()) {
                (Some(m), _) => lang.num(m, 2),
                (None, "cheaper_without_effects") => w.none_cheaper.to_string(),
                (None, "no_effects") => w.none_effects.to_string(),
                (None, _) => w.none_dearer.to_string(),
            };
            let interval = if r.multiplier.is_some() {
                format!(
                    "{} – {}",
                    r.lower
                        .map_or(format!("{} {}", w.below, lang.num(low, 0)), |v| lang
                            .num(v, 2)),
                    r.upper
                        .map_or(format!("{} {}", w.above, lang.num(high, 0)), |v| lang
                            .num(v, 2))
                )
            } else {
                "–".to_string()
            };
            vec![r.scenario.clone(), value, interval]
        })
        .collect();
    let aid = fill(
        w.break_even_aid,
        &[
            &lang.num(low, 0),
            &lang.num(high, 0),
            &lang.num_auto(tol / 2.0),
        ],
    );
    Ok(heading(3, w.break_even_title) + &table(&head, &body) + &para("aid", &aid))
}

/// The unit of a metric's axis.
fn unit_of(metric: &str) -> Unit {
    match METRICS.iter().find(|m| m.name == metric) {
        Some(m) if m.money => Unit::MegaDkk,
        Some(m) if m.kind == Kind::Share || m.name == "capacity" => Unit::Share,
        _ => Unit::People,
    }
}

/// Observed figures drawn over each observed metric's band, and the
/// months outside the 90 % band listed. `runs`: the scenarios of a folder
/// (`what` names the folder in messages); a month outside their horizon
/// is refused, naming the observed file's line.
pub fn observed_part(
    runs: &[(&str, &RunData)],
    obs: &Observed,
    what: &str,
    lang: Lang,
) -> anyhow::Result<String> {
    let w = words(lang);
    for (_, d) in runs {
        let months = d.months();
        if let (Some(first), Some(last)) = (months.first(), months.last()) {
            obs.check_within(*first, *last, what)?;
        }
    }
    let mut out = heading(3, w.observed_title);
    for metric in obs.metrics() {
        let label = metric_name(metric, lang);
        let lines: Vec<Line> = runs
            .iter()
            .enumerate()
            .map(|(i, (name, d))| Line {
                label: if runs.len() > 1 {
                    name.to_string()
                } else {
                    label.clone()
                },
                color: PALETTE[i % PALETTE.len()],
                points: d.series(metric).to_vec(),
                bands: true,
            })
            .collect();
        let points = obs
            .rows
            .iter()
            .filter(|r| r.metric == metric)
            .map(|r| PointMark {
                month: r.month,
                value: r.value,
                label: w.observed_point.to_string(),
                color: charts::OBSERVED,
                style: PointStyle::Observed,
            })
            .collect();
        let lw = lang.words();
        let chart = TimeChart {
            title: format!("{}: {label}", w.observed_title),
            x_desc: lw.month_axis.to_string(),
            shade: vec![],
            shade_label: String::new(),
            lanes: vec![],
            median_label: lw.median.to_string(),
            band90_label: lw.band90.to_string(),
            band50_label: lw.band50.to_string(),
            panels: vec![Panel {
                caption: None,
                y_desc: label.clone(),
                unit: unit_of(metric),
                lines,
                refs: vec![],
                markers: vec![],
                points,
            }],
        };
        out.push_str(&figure(
            &charts::time_chart(&chart, lang)?,
            &fill(w.observed_aid, &[&obs.file]),
        ));
    }
    // The months outside each scenario's band.
    let mut outside = Vec::new();
    for r in &obs.rows {
        for (name, d) in runs {
            let Some(q) = d.at(&r.metric, r.month) else {
                continue;
            };
            let side = if r.value < q.p05 {
                w.side_below
            } else if r.value > q.p95 {
                w.side_above
            } else {
                continue;
            };
            let unit = unit_of(&r.metric);
            let show = |v: f64| match unit {
                Unit::Share => lang.pct(v, 1),
                Unit::MegaDkk => lang.mdkk(v, 1),
                _ => lang.num(v, 0),
            };
            outside.push(vec![
                lang.month(r.month),
                metric_name(&r.metric, lang),
                show(r.value),
                name.to_string(),
                format!("{} – {}", show(q.p05), show(q.p95)),
                side.to_string(),
            ]);
        }
    }
    out.push_str(&heading(3, w.outside_title));
    if outside.is_empty() {
        out.push_str(&para("meta", w.all_inside));
    } else {
        let head = vec![
            w.month.to_string(),
            w.metric.to_string(),
            w.observed.to_string(),
            w.scenario.to_string(),
            w.band.to_string(),
            String::new(),
        ];
        out.push_str(&table(&head, &outside));
    }
    Ok(out)
}
