//! Languages of the report: every word the page shows and the number format.
//!
//! [`Lang`] picks a [`Words`] table (English or Danish) and formats numbers:
//! English `1,234.5`, Danish `1.234,5`. Shares print as percentages with a
//! space before the sign (`15.3 %`, `15,3 %`), as both languages' style
//! guides for official texts ask. Months in prose are written out (`March
//! 2018`, `marts 2018`); files keep `YYYY-MM`.

use crate::model::error::InputError;
use crate::model::month::Month;

/// The report's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Da,
}

impl Lang {
    /// Parses `--lang`; an unknown code says which are allowed.
    pub fn parse(code: &str) -> Result<Lang, InputError> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Ok(Lang::En),
            "da" => Ok(Lang::Da),
            _ => Err(InputError(format!(
                "--lang `{code}` is not a language of the report: use `en` (English) or `da` (Danish)"
            ))),
        }
    }

    /// The HTML `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Da => "da",
        }
    }

    pub fn words(self) -> &'static Words {
        match self {
            Lang::En => &EN,
            Lang::Da => &DA,
        }
    }

    /// `v` with `decimals` decimals and grouped thousands.
    pub fn num(self, v: f64, decimals: usize) -> String {
        if !v.is_finite() {
            return "–".into();
        }
        let text = format!("{:.*}", decimals, v.abs());
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let (group, point) = match self {
            Lang::En => (',', '.'),
            Lang::Da => ('.', ','),
        };
        let mut out = String::new();
        // "-0.0" after rounding is printed as "0.0".
        if v < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
            out.push('−');
        }
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(group);
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push(point);
            out.push_str(frac);
        }
        out
    }

    /// `v` with as few decimals as show it exactly (at most 4).
    pub fn num_auto(self, v: f64) -> String {
        let decimals = (0..4)
            .find(|&d| {
                let f = 10f64.powi(d as i32);
                ((v * f).round() - v * f).abs() < 1e-6 * f.max(1.0)
            })
            .unwrap_or(4);
        self.num(v, decimals)
    }

    /// A share (0.153) as a percentage (`15.3 %`).
    pub fn pct(self, share: f64, decimals: usize) -> String {
        format!("{} %", self.num(share * 100.0, decimals))
    }

    /// A change of a share in percentage points (`−1.5 pp`, `−1,5 pct.-point`).
    pub fn points(self, share: f64, decimals: usize) -> String {
        format!("{} {}", self.num(share * 100.0, decimals), self.words().pp)
    }

    /// DKK in millions (`12.3 m DKK`, `12,3 mio. kr.`).
    pub fn mdkk(self, dkk: f64, decimals: usize) -> String {
        format!("{} {}", self.num(dkk / 1e6, decimals), self.words().mdkk)
    }

    /// A month in prose: `March 2018`, `marts 2018`. (Files and chart ticks
    /// keep `YYYY-MM`.)
    pub fn month(self, m: Month) -> String {
        let names = match self {
            Lang::En => &MONTHS_EN,
            Lang::Da => &MONTHS_DA,
        };
        format!("{} {}", names[(m.month() as usize - 1) % 12], m.year())
    }

    /// A `YYYY-MM` text in prose; any other text as it is.
    pub fn month_text(self, text: &str) -> String {
        Month::parse(text.trim()).map_or_else(|| text.to_string(), |m| self.month(m))
    }
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `template` with each `{}` replaced by the next of `args`, for the
/// texts of [`Words`] that hold values.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = template;
    let mut args = args.iter();
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        out.push_str(args.next().copied().unwrap_or(""));
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

/// Danish month names are written in lower case.
const MONTHS_DA: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

/// Every English text of [`Words`] and the month names with its Danish
/// counterpart ([`super::text_pairs`] adds the labels).
pub fn text_pairs() -> Vec<(&'static str, &'static str)> {
    let da = DA.entries();
    let mut all: Vec<(&str, &str)> = EN
        .entries()
        .into_iter()
        .map(|(field, en)| {
            let other = da.iter().find(|(f, _)| *f == field).map_or("", |(_, t)| *t);
            (en, other)
        })
        .collect();
    all.extend(MONTHS_EN.iter().copied().zip(MONTHS_DA.iter().copied()));
    all
}

/// Declares [`Words`] and [`Words::entries`] from one list of fields, so
/// that a test can walk every text of a language.
macro_rules! words {
    ($($field:ident),* $(,)?) => {
        /// Every fixed text of the report in one language.
        #[derive(Debug)]
        pub struct Words {
            $(pub $field: &'static str,)*
            /// (indicator key of `steering.csv`, its words).
            pub steering_names: [(&'static str, &'static str); 16],
        }

        impl Words {
            /// Every text with the name of its field (steering names by
            /// their indicator key), in declaration order.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                let mut all = vec![$((stringify!($field), self.$field)),*];
                all.extend(self.steering_names.iter().copied());
                all
            }
        }
    };
}

words!(
    page_title,
    intro,
    run,
    comparison,
    tornado,
    seed,
    replications,
    version,
    period,
    baseline,
    alternative,
    scheme_benefit,
    scheme_job,
    assumptions,
    no_assumptions,
    key_figures,
    kpi_month,
    horizon,
    median_interval,
    ly_share,
    progression_share,
    ly_stock,
    flex_stock,
    net_cost_total,
    net_cost_npv,
    month_axis,
    year_axis,
    share_unit,
    progression_unit,
    people_unit,
    mdkk_year_unit,
    kdkk_month_unit,
    mdkk_unit,
    pp_unit,
    pp,
    mdkk,
    mdkk_spaced,
    median,
    band90,
    band50,
    start_value,
    target,
    project_period,
    fan_title,
    fan_aid,
    fan_aid_50,
    bands_not_stored,
    stocks_title,
    stocks_aid,
    progression_title,
    progression_aid,
    budget_title,
    budget_aid,
    gross_ly,
    flex_subsidy,
    old_scheme,
    staff,
    measures,
    refusion,
    net,
    net_cost,
    compare_fan_title,
    compare_fan_aid,
    diff_cost_title,
    diff_cost_aid,
    cum_cost_title,
    cum_cost_aid,
    cum_cost_mean_aid,
    diff_share_title,
    diff_share_aid,
    payback,
    never,
    paid_back_share,
    steering_table,
    steering_aid,
    steering_definitions,
    pays,
    costs,
    indicator,
    unit,
    differences,
    differences_aid,
    metric,
    mean_diff,
    prob_better,
    whole_horizon,
    details_of,
    tornado_title,
    tornado_aid,
    parameter,
    low_value,
    high_value,
    result_low,
    result_high,
    swing,
    base_value,
    of_metric_at,
    consultants,
    people,
    share,
    dkk_year,
    month,
    missing_text,
    missing_text_hint,
    description_word,
    assumptions_word,
    model_start,
    at_end,
    uncertainty_title,
    uncertainty_aid,
    with_params,
    chance_alone,
    parameter_share,
    mean,
    sweep,
    points,
    per_point,
    shown_metric,
    against,
    axis_aid,
    heat_aid,
    rank_title,
    rank_aid,
    correlation,
    sweep_range,
    no_correlation,
    corr_pos,
    corr_neg,
    other_axes,
    axis_aid_scatter,
    observed_seed,
    change_vs_base,
    over_horizon,
    at_horizon_end,
    kdkk_unit,
    price_nominal,
    price_fixed,
    dkk,
    grant_line,
    grant_overrun,
    grant_within,
    grant_tail,
    partial_years,
    months_word,
    verdict_title,
    verdict_aid,
    point_word,
    prob_cheaper,
    point_project_end,
    point_3y,
    point_5y,
    point_10y,
    point_horizon,
    cheaper_lead,
    cheaper_until,
    cheaper_from,
    dearer_after,
    throughout,
    periods,
    budget_diff_title,
    budget_diff_aid,
    year_word,
);

const EN: Words = Words {
    page_title: "fleksim report",
    intro: "Simulated flexjob caseload and its cost. Every figure is a result of the model under the stated assumptions, not a forecast.",
    run: "Scenario",
    comparison: "Comparison",
    tornado: "Sensitivity (tornado)",
    seed: "seed",
    replications: "replications",
    version: "fleksim version",
    period: "period",
    baseline: "baseline",
    alternative: "alternative",
    scheme_benefit: "In this scenario the figures' “LY” (ledighedsydelse) is the scenario's benefit state:",
    scheme_job: "and “flexjob” its job state:",
    assumptions: "Assumptions (values the sources do not give)",
    no_assumptions: "The scenario lists no assumptions.",
    key_figures: "Key figures",
    kpi_month: "KPI month",
    horizon: "horizon",
    median_interval: "median (90 % interval)",
    ly_share: "Share of the scheme on LY",
    progression_share: "Progression share (≤ 10 h jobs with more hours)",
    ly_stock: "On LY (people)",
    flex_stock: "In flexjobs (people)",
    net_cost_total: "Net municipal cost, whole horizon",
    net_cost_npv: "Net municipal cost, present value",
    month_axis: "Month",
    year_axis: "Year",
    share_unit: "share of the scheme (%)",
    progression_unit: "share of jobs started at ≤ 10 h (%)",
    people_unit: "people",
    mdkk_year_unit: "DKK million per year",
    kdkk_month_unit: "DKK thousand per month",
    mdkk_unit: "DKK million",
    pp_unit: "percentage points",
    pp: "pp",
    mdkk: "m DKK",
    mdkk_spaced: " m DKK",
    median: "median",
    band90: "90 % band (p05–p95)",
    band50: "50 % band (p25–p75)",
    start_value: "observed 15.3 % (June 2016)",
    target: "target",
    project_period: "project period",
    fan_title: "Share of the flexjob scheme on ledighedsydelse (KPI 1)",
    fan_aid: "Line: median over the replications; band: 5th–95th percentile (90 %). The 50 % band is not drawn because the results store only p05, p50 and p95. Dot: the observed share 15.3 % in June 2016; ring: the model's first month (median); dashed: the target 13 %; grey: the project period.",
    fan_aid_50: "Line: median over the replications; light band: 5th–95th percentile (90 %); dark band: 25th–75th percentile (50 %). Dot: the observed share 15.3 % in June 2016; ring: the model's first month (median); dashed: the target 13 %; grey: the project period.",
    bands_not_stored: "The 50 % band is not drawn: the results store only p05, p50 and p95.",
    stocks_title: "People on LY and in flexjobs",
    stocks_aid: "Lines: medians; bands: 5th–95th percentile over the replications. The flexjob stock includes jobs under the rules before 2013.",
    progression_title: "Progression in small flexjobs (KPI 2)",
    progression_aid: "Of the people whose 2013-rules flexjob started at ≤ 10 hours, the share who now work more hours; line: median, band: 5th–95th percentile; dashed: the target 35 %.",
    budget_title: "Yearly budget of the municipality",
    budget_aid: "Means over the replications. Above zero: gross spending by line; below zero: refusion from the state; dot: net municipal cost. * marks a partial year (months simulated in brackets). Staff paid by a grant is left out.",
    gross_ly: "ledighedsydelse (gross)",
    flex_subsidy: "flex subsidy (2013 rules)",
    old_scheme: "subsidy, rules before 2013",
    staff: "staff (municipal)",
    measures: "measures",
    refusion: "refusion",
    net: "net municipal cost",
    net_cost: "Net municipal cost",
    compare_fan_title: "Share of the scheme on LY: scenarios side by side",
    compare_fan_aid: "Lines: medians, drawn over the light bands: 5th–95th percentile of each scenario (the 50 % band is not stored). Dot: the observed share 15.3 % in June 2016; rings: the model's first month (median); dashed: the target 13 %; coloured bars under the axis: each scenario's own project period.",
    diff_cost_title: "Net municipal cost: alternative minus baseline, per month",
    diff_cost_aid: "Paired differences (same random numbers in both scenarios); below zero the alternative is cheaper. Line: median; band: 5th–95th percentile; vertical line: the payback month.",
    cum_cost_title: "Net municipal cost: cumulative difference",
    cum_cost_aid: "Each replication's monthly differences summed up to the month; below zero the alternative has cost less so far. Line: median; band: 5th–95th percentile over the replications; vertical line: the payback month.",
    cum_cost_mean_aid: "Running sum of the mean monthly difference (exact, as means add up); this results folder holds no intervals for the sum (rerun compare to get them). Vertical line: the payback month.",
    diff_share_title: "Share on LY: alternative minus baseline",
    diff_share_aid: "Paired differences in percentage points; below zero the alternative has fewer on LY. Line: median; band: 5th–95th percentile.",
    payback: "payback",
    never: "never",
    paid_back_share: "of replications paid back",
    steering_table: "For the steering group",
    steering_aid: "Median with the 90 % interval over the replications; differences are alternative minus baseline.",
    steering_definitions: "Payback month: the month from which the cumulative difference in net municipal cost (mean over the replications), after being above zero (an investment), stays below zero to the end of the horizon; never if it does not, also when the alternative is cheaper from the start. Consultant positions: the yearly net saving divided by a consultant's yearly cost; \u{201c}costs\u{201d} marks an extra cost worth that many positions.",
    pays: "pays",
    costs: "costs",
    indicator: "Indicator",
    unit: "Unit",
    differences: "Differences by period",
    differences_aid: "Mean paired difference (alternative minus baseline) with the 90 % interval; probability better: share of replications in which the alternative does better.",
    metric: "Metric",
    mean_diff: "mean difference (90 % interval)",
    prob_better: "probability better",
    whole_horizon: "whole horizon",
    details_of: "Details",
    tornado_title: "One-way sensitivity",
    tornado_aid: "Each bar moves one parameter from its low to its high value (its distribution's 5th and 95th percentile, printed at the bar's ends), every other parameter at its median; dark: the result at the low value, light: at the high value. The axis shows the change against the base result (every parameter at its median; vertical line). Sorted by swing.",
    parameter: "Parameter",
    low_value: "low value",
    high_value: "high value",
    result_low: "result at low",
    result_high: "result at high",
    swing: "swing",
    base_value: "base",
    of_metric_at: "in",
    consultants: "consultants",
    people: "people",
    share: "share",
    dkk_year: "DKK/year",
    month: "month",
    missing_text: "Some texts of the scenarios are not written in English and are left out:",
    missing_text_hint: "Write them as `description` and `assumptions` in the scenario file, or read the report in Danish (--lang da).",
    description_word: "description",
    assumptions_word: "assumptions",
    change_vs_base: "Change against the base result",
    over_horizon: "over the whole horizon",
    at_horizon_end: "at the end of the horizon",
    kdkk_unit: "DKK thousand",
    price_nominal: "Money is in nominal DKK: each year's own law amounts (the table runs to {}; later years grow by {} a year, money.indexation), with wages and staff costs of {} grown like them. Present values are discounted at {} a year to {}.",
    price_fixed: "Money is in fixed {} prices: every amount is deflated to {} by the index of the maximum unemployment benefit (the law table runs to {}; later years grow by {} a year, money.indexation). Present values are discounted at {} a year to {}.",
    dkk: "DKK",
    grant_line: "Project grant {}; cost paid by the grant over the horizon {} (median; 90 % interval {} – {}).",
    grant_overrun: "Overrun: the cost exceeds the grant by {} ({}).",
    grant_within: "Within the grant ({} used).",
    grant_tail: "Within the grant at the median, but above it at the 95th percentile.",
    partial_years: "Partial years (fewer than 12 simulated months):",
    months_word: "months",
    verdict_title: "Cumulative difference in net municipal cost",
    verdict_aid: "Each replication's monthly differences (alternative minus baseline) summed up to the month; below zero the alternative has cost less so far. Median with the 5th–95th percentile over the replications; probability cheaper: the share of replications below zero.",
    point_word: "Point in time",
    prob_cheaper: "probability cheaper",
    point_project_end: "end of the project",
    point_3y: "after 3 years",
    point_5y: "after 5 years",
    point_10y: "after 10 years",
    point_horizon: "end of the horizon",
    cheaper_lead: "Cheaper than the baseline (mean cumulative difference below zero)",
    cheaper_until: "until",
    cheaper_from: "from",
    dearer_after: "dearer after",
    throughout: "throughout",
    periods: "periods",
    budget_diff_title: "Budget: alternative minus baseline per year",
    budget_diff_aid: "Paired differences per calendar year and budget line in DKK thousand: median (5th – 95th percentile) over the replications. Refusion is the state's reimbursement: more refusion lowers the net cost. Net municipal cost = gross LY − refusion on LY + flex subsidy + old-rules subsidy − refusion on flex + municipal staff + measures; staff paid by the grant is not in the net. * marks a partial year (simulated months in brackets).",
    year_word: "Year",
    steering_names: [
        ("ly_share_at_kpi", "Share on LY at the KPI month"),
        ("progression_share_at_kpi", "Progression share at the KPI month"),
        ("ly_stock_at_kpi", "On LY at the KPI month"),
        ("net_cost_per_year", "Net municipal cost per year"),
        ("net_public_cost_per_year", "Net public cost per year (municipality and state)"),
        ("net_cost_diff_per_year", "Net cost difference per year"),
        ("positions_paid", "Consultant positions the saving pays for (or costs)"),
        ("payback_month", "Payback month"),
        ("grant_cost_total", "Cost paid by the grant over the horizon (target: the grant)"),
        ("cum_diff_project_end", "Cumulative cost difference at the end of the project"),
        ("cum_diff_3y", "Cumulative cost difference after 3 years"),
        ("cum_diff_5y", "Cumulative cost difference after 5 years"),
        ("cum_diff_10y", "Cumulative cost difference after 10 years"),
        ("cum_diff_horizon", "Cumulative cost difference at the end of the horizon"),
        ("prob_cheaper_horizon", "Probability that the alternative is cheaper over the horizon"),
        ("cheaper_periods", "Cheaper than the baseline (mean cumulative difference)"),
    ],
    model_start: "model start (first month's median)",
    at_end: "at the last month",
    uncertainty_title: "Spread with and without parameter uncertainty",
    uncertainty_aid: "90 % interval over the replications with the uncertain parameters drawn, and with every parameter at its median (chance alone); the parameters' share is the share of the variance they add.",
    with_params: "with parameter uncertainty (p05 – p95)",
    chance_alone: "parameters at their median: chance alone (p05 – p95)",
    parameter_share: "parameters' share of the variance",
    mean: "mean",
    sweep: "Sweep",
    points: "points",
    per_point: "replications per point",
    shown_metric: "shown",
    against: "against",
    axis_aid: "Each point of the sweep: median over its replications (line and dots) and 5th–95th percentile (band and whiskers); one colour per value of the other axes.",
    heat_aid: "Median over each point's replications, printed in its cell; darker is higher (scale on the right, from the lowest to the highest median).",
    rank_title: "Parameters ranked by their correlation with",
    rank_aid: "Spearman rank correlation between each parameter's value and the points' median of the metric, over all points of the Latin hypercube (the other parameters vary too); near ±1: the parameter moves the metric steadily one way, near 0: hardly or not steadily. Sorted by size.",
    correlation: "Spearman correlation",
    sweep_range: "range in the sweep",
    no_correlation: "–: the parameter or the metric does not vary",
    corr_pos: "higher value, higher metric",
    corr_neg: "higher value, lower metric",
    other_axes: "other axes at each of their values",
    observed_seed: "observed (the seed's figure, 2016)",
    axis_aid_scatter: "Each point of the sweep, the other parameters varying too: dot: median over its replications; whisker: 5th–95th percentile.",
};

const DA: Words = Words {
    page_title: "fleksim-rapport",
    intro: "Simuleret fleksjobordning og dens udgifter. Alle tal er modelresultater under de anførte antagelser, ikke en prognose.",
    run: "Scenarie",
    comparison: "Sammenligning",
    tornado: "Følsomhed (tornado)",
    seed: "seed",
    replications: "gentagelser",
    version: "fleksim-version",
    period: "periode",
    baseline: "basis",
    alternative: "alternativ",
    scheme_benefit: "I dette scenarie er figurernes „ledighedsydelse“ scenariets ydelse:",
    scheme_job: "og „fleksjob“ dets job:",
    assumptions: "Antagelser (værdier kilderne ikke giver)",
    no_assumptions: "Scenariet angiver ingen antagelser.",
    key_figures: "Nøgletal",
    kpi_month: "KPI-måned",
    horizon: "horisont",
    median_interval: "median (90 %-interval)",
    ly_share: "Andel af ordningen på ledighedsydelse",
    progression_share: "Progressionsandel (job ≤ 10 t med flere timer)",
    ly_stock: "På ledighedsydelse (personer)",
    flex_stock: "I fleksjob (personer)",
    net_cost_total: "Kommunens nettoudgift, hele horisonten",
    net_cost_npv: "Kommunens nettoudgift, nutidsværdi",
    month_axis: "Måned",
    year_axis: "År",
    share_unit: "andel af ordningen (%)",
    progression_unit: "andel af job startet på ≤ 10 t (%)",
    people_unit: "personer",
    mdkk_year_unit: "mio. kr. pr. år",
    kdkk_month_unit: "1.000 kr. pr. måned",
    mdkk_unit: "mio. kr.",
    pp_unit: "procentpoint",
    pp: "pct.-point",
    mdkk: "mio. kr.",
    mdkk_spaced: " mio. kr.",
    median: "median",
    band90: "90 %-bånd (p05–p95)",
    band50: "50 %-bånd (p25–p75)",
    start_value: "observeret 15,3 % (juni 2016)",
    target: "mål",
    project_period: "projektperiode",
    fan_title: "Andel af fleksjobordningen på ledighedsydelse (KPI 1)",
    fan_aid: "Linje: median over gentagelserne; bånd: 5.–95. percentil (90 %). 50 %-båndet vises ikke, da resultaterne kun gemmer p05, p50 og p95. Prik: den observerede andel 15,3 % i juni 2016; ring: modellens første måned (median); stiplet: målet 13 %; gråt: projektperioden.",
    fan_aid_50: "Linje: median over gentagelserne; lyst bånd: 5.–95. percentil (90 %); mørkt bånd: 25.–75. percentil (50 %). Prik: den observerede andel 15,3 % i juni 2016; ring: modellens første måned (median); stiplet: målet 13 %; gråt: projektperioden.",
    bands_not_stored: "50 %-båndet vises ikke: resultaterne gemmer kun p05, p50 og p95.",
    stocks_title: "Personer på ledighedsydelse og i fleksjob",
    stocks_aid: "Linjer: medianer; bånd: 5.–95. percentil over gentagelserne. Fleksjob omfatter job efter reglerne før 2013.",
    progression_title: "Progression i små fleksjob (KPI 2)",
    progression_aid: "Blandt dem, hvis fleksjob efter 2013-reglerne startede på ≤ 10 timer, andelen der nu arbejder flere timer; linje: median, bånd: 5.–95. percentil; stiplet: målet 35 %.",
    budget_title: "Kommunens årlige budget",
    budget_aid: "Gennemsnit over gentagelserne. Over nul: bruttoudgifter pr. post; under nul: refusion fra staten; prik: kommunens nettoudgift. * markerer et delvist år (simulerede måneder i parentes). Personale betalt af en pulje er ikke med.",
    gross_ly: "ledighedsydelse (brutto)",
    flex_subsidy: "fleksløntilskud (2013-regler)",
    old_scheme: "tilskud, regler før 2013",
    staff: "personale (kommunalt)",
    measures: "indsatser",
    refusion: "refusion",
    net: "kommunens nettoudgift",
    net_cost: "Kommunens nettoudgift",
    compare_fan_title: "Andel på ledighedsydelse: scenarierne side om side",
    compare_fan_aid: "Linjer: medianer, tegnet over de lyse bånd: 5.–95. percentil for hvert scenarie (50 %-båndet er ikke gemt). Prik: den observerede andel 15,3 % i juni 2016; ringe: modellens første måned (median); stiplet: målet 13 %; farvede bjælker under aksen: hvert scenaries egen projektperiode.",
    diff_cost_title: "Kommunens nettoudgift: alternativ minus basis pr. måned",
    diff_cost_aid: "Parrede forskelle (samme tilfældige tal i begge scenarier); under nul er alternativet billigere. Linje: median; bånd: 5.–95. percentil; lodret linje: tilbagebetalingsmåneden.",
    cum_cost_title: "Kommunens nettoudgift: akkumuleret forskel",
    cum_cost_aid: "Hver gentagelses månedlige forskelle lagt sammen frem til måneden; under nul har alternativet indtil da kostet mindre. Linje: median; bånd: 5.–95. percentil over gentagelserne; lodret linje: tilbagebetalingsmåneden.",
    cum_cost_mean_aid: "Løbende sum af den gennemsnitlige månedlige forskel (eksakt, da gennemsnit kan lægges sammen); denne resultatmappe har ingen intervaller for summen (kør compare igen for at få dem). Lodret linje: tilbagebetalingsmåneden.",
    diff_share_title: "Andel på ledighedsydelse: alternativ minus basis",
    diff_share_aid: "Parrede forskelle i procentpoint; under nul har alternativet færre på ledighedsydelse. Linje: median; bånd: 5.–95. percentil.",
    payback: "tilbagebetaling",
    never: "aldrig",
    paid_back_share: "af gentagelserne tilbagebetalt",
    steering_table: "Til styregruppen",
    steering_aid: "Median med 90 %-interval over gentagelserne; forskelle er alternativ minus basis.",
    steering_definitions: "Tilbagebetalingsmåned: den måned, fra hvilken den akkumulerede forskel i kommunens nettoudgift (gennemsnit over gentagelserne), efter at have været over nul (en investering), forbliver under nul til horisontens slutning; aldrig, hvis den ikke gør, også når alternativet er billigere fra start. Konsulentstillinger: den årlige nettobesparelse divideret med en konsulents årlige udgift; \u{201d}koster\u{201d} betegner en merudgift svarende til så mange stillinger.",
    pays: "betaler",
    costs: "koster",
    indicator: "Indikator",
    unit: "Enhed",
    differences: "Forskelle pr. periode",
    differences_aid: "Gennemsnitlig parret forskel (alternativ minus basis) med 90 %-interval; sandsynlighed for bedre: andel af gentagelser, hvor alternativet klarer sig bedre.",
    metric: "Målestørrelse",
    mean_diff: "gns. forskel (90 %-interval)",
    prob_better: "sandsynlighed for bedre",
    whole_horizon: "hele horisonten",
    details_of: "Detaljer",
    tornado_title: "Envejs-følsomhed",
    tornado_aid: "Hver søjle flytter én parameter fra dens lave til dens høje værdi (fordelingens 5. og 95. percentil, skrevet ved søjlens ender), alle andre parametre på deres median; mørk: resultatet ved den lave værdi, lys: ved den høje. Aksen viser ændringen i forhold til basisresultatet (alle parametre på deres median; lodret linje). Sorteret efter udsving.",
    parameter: "Parameter",
    low_value: "lav værdi",
    high_value: "høj værdi",
    result_low: "resultat ved lav",
    result_high: "resultat ved høj",
    swing: "udsving",
    base_value: "basis",
    of_metric_at: "i",
    consultants: "konsulenter",
    people: "personer",
    share: "andel",
    dkk_year: "kr./år",
    month: "måned",
    missing_text: "Nogle af scenariernes tekster findes ikke på dansk og er udeladt:",
    missing_text_hint: "Skriv dem som `description_da` og `assumptions_da` i scenariefilen, eller læs rapporten på engelsk (--lang en).",
    description_word: "beskrivelse",
    assumptions_word: "antagelser",
    change_vs_base: "Ændring i forhold til basisresultatet",
    over_horizon: "over hele horisonten",
    at_horizon_end: "ved horisontens slutning",
    kdkk_unit: "1.000 kr.",
    price_nominal: "Beløb er i løbende priser (kr.): hvert års egne lovbeløb (tabellen går til {}; senere år fremskrives med {} om året, money.indexation), og løn og personaleudgifter fra {} fremskrives på samme måde. Nutidsværdier tilbagediskonteres med {} om året til {}.",
    price_fixed: "Beløb er i faste {}-priser: alle beløb er omregnet til {} med indekset for dagpengemaksimum (lovtabellen går til {}; senere år fremskrives med {} om året, money.indexation). Nutidsværdier tilbagediskonteres med {} om året til {}.",
    dkk: "kr.",
    grant_line: "Puljebevilling {}; udgift betalt af puljen over horisonten {} (median; 90 %-interval {} – {}).",
    grant_overrun: "Overskridelse: udgiften overstiger bevillingen med {} ({}).",
    grant_within: "Inden for bevillingen ({} brugt).",
    grant_tail: "Inden for bevillingen ved medianen, men over den ved 95. percentil.",
    partial_years: "Delvise år (færre end 12 simulerede måneder):",
    months_word: "måneder",
    verdict_title: "Akkumuleret forskel i kommunens nettoudgift",
    verdict_aid: "Hver gentagelses månedlige forskelle (alternativ minus basis) lagt sammen frem til måneden; under nul har alternativet indtil da kostet mindre. Median med 5.–95. percentil over gentagelserne; sandsynlighed for billigere: andelen af gentagelser under nul.",
    point_word: "Tidspunkt",
    prob_cheaper: "sandsynlighed for billigere",
    point_project_end: "projektets afslutning",
    point_3y: "efter 3 år",
    point_5y: "efter 5 år",
    point_10y: "efter 10 år",
    point_horizon: "horisontens slutning",
    cheaper_lead: "Billigere end basis (gennemsnitlig akkumuleret forskel under nul)",
    cheaper_until: "indtil",
    cheaper_from: "fra",
    dearer_after: "dyrere derefter",
    throughout: "hele perioden",
    periods: "perioder",
    budget_diff_title: "Budget: alternativ minus basis pr. år",
    budget_diff_aid: "Parrede forskelle pr. kalenderår og budgetpost i 1.000 kr.: median (5. – 95. percentil) over gentagelserne. Refusion er statens refusion: mere refusion sænker nettoudgiften. Kommunens nettoudgift = ledighedsydelse brutto − refusion af ledighedsydelse + fleksløntilskud + tilskud efter reglerne før 2013 − refusion af fleksløntilskud + kommunalt personale + indsatser; personale betalt af puljen er ikke med i nettoudgiften. * markerer et delvist år (simulerede måneder i parentes).",
    year_word: "År",
    steering_names: [
        ("ly_share_at_kpi", "Andel på ledighedsydelse i KPI-måneden"),
        ("progression_share_at_kpi", "Progressionsandel i KPI-måneden"),
        ("ly_stock_at_kpi", "På ledighedsydelse i KPI-måneden"),
        ("net_cost_per_year", "Kommunal nettoudgift pr. år"),
        ("net_public_cost_per_year", "Offentlig nettoudgift pr. år (kommune og stat)"),
        ("net_cost_diff_per_year", "Forskel i nettoudgift pr. år"),
        ("positions_paid", "Konsulentstillinger besparelsen betaler (eller koster)"),
        ("payback_month", "Tilbagebetalingsmåned"),
        ("grant_cost_total", "Udgift betalt af puljen over horisonten (mål: bevillingen)"),
        ("cum_diff_project_end", "Akkumuleret udgiftsforskel ved projektets afslutning"),
        ("cum_diff_3y", "Akkumuleret udgiftsforskel efter 3 år"),
        ("cum_diff_5y", "Akkumuleret udgiftsforskel efter 5 år"),
        ("cum_diff_10y", "Akkumuleret udgiftsforskel efter 10 år"),
        ("cum_diff_horizon", "Akkumuleret udgiftsforskel ved horisontens slutning"),
        ("prob_cheaper_horizon", "Sandsynlighed for at alternativet er billigere over horisonten"),
        ("cheaper_periods", "Billigere end basis (gennemsnitlig akkumuleret forskel)"),
    ],
    model_start: "modellens start (median i første måned)",
    at_end: "i sidste måned",
    uncertainty_title: "Spredning med og uden parameterusikkerhed",
    uncertainty_aid: "90 %-interval over gentagelserne med de usikre parametre trukket, og med hver parameter på sin median (kun tilfældighed); parametrenes andel er den andel af variansen, de tilføjer.",
    with_params: "med parameterusikkerhed (p05 – p95)",
    chance_alone: "parametre på median: kun tilfældighed (p05 – p95)",
    parameter_share: "parametrenes andel af variansen",
    mean: "gennemsnit",
    sweep: "Parameterstudie",
    points: "punkter",
    per_point: "gentagelser pr. punkt",
    shown_metric: "vist",
    against: "mod",
    axis_aid: "Hvert punkt i studiet: median over dets gentagelser (linje og prikker) og 5.–95. percentil (bånd og streger); én farve pr. værdi af de andre akser.",
    heat_aid: "Median over hvert punkts gentagelser, skrevet i feltet; mørkere er højere (skala til højre, fra laveste til højeste median).",
    rank_title: "Parametre ordnet efter korrelation med",
    rank_aid: "Spearmans rangkorrelation mellem hver parameters værdi og punkternes median af målet over alle punkter i latin hypercube-designet (de andre parametre varierer også); nær ±1: parameteren flytter målet støt i én retning, nær 0: næppe eller ikke støt. Sorteret efter størrelse.",
    correlation: "Spearman-korrelation",
    sweep_range: "interval i studiet",
    no_correlation: "–: parameteren eller målet varierer ikke",
    corr_pos: "højere værdi, højere mål",
    corr_neg: "højere værdi, lavere mål",
    other_axes: "de andre akser på hver af deres værdier",
    observed_seed: "observeret (seedets tal, 2016)",
    axis_aid_scatter: "Hvert punkt i studiet, mens de andre parametre også varierer: prik: median over dets gentagelser; streg: 5.–95. percentil.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers_by_language() {
        assert_eq!(Lang::En.num(1234.5, 1), "1,234.5");
        assert_eq!(Lang::Da.num(1234.5, 1), "1.234,5");
        assert_eq!(Lang::Da.num(-1234567.0, 0), "−1.234.567");
        assert_eq!(Lang::En.num(-0.04, 1), "0.0");
        assert_eq!(Lang::En.num(999.0, 0), "999");
        assert_eq!(Lang::Da.pct(0.153, 1), "15,3 %");
        assert_eq!(Lang::En.mdkk(2_179_500.0, 1), "2.2 m DKK");
        assert_eq!(Lang::En.num(f64::NAN, 1), "–");
        assert_eq!(Lang::En.num_auto(12.0), "12");
        assert_eq!(Lang::Da.num_auto(0.075), "0,075");
        assert_eq!(Lang::En.num_auto(1.25), "1.25");
    }

    #[test]
    fn months_in_prose() {
        let m = Month::parse("2018-03").unwrap();
        assert_eq!(Lang::Da.month(m), "marts 2018");
        assert_eq!(Lang::En.month(m), "March 2018");
        assert_eq!(Lang::Da.month_text("2016-12"), "december 2016");
        assert_eq!(Lang::Da.month_text("horizon"), "horizon");
    }

    #[test]
    fn both_languages_have_every_text() {
        assert_eq!(EN.entries().len(), DA.entries().len());
        for ((f, en), (g, da)) in EN.entries().into_iter().zip(DA.entries()) {
            assert_eq!(f, g);
            assert!(!en.is_empty() && !da.is_empty(), "`{f}` is empty");
        }
        // "Mål" is the target only; a measure is a "målestørrelse".
        assert_eq!(DA.target, "mål");
        let mal: Vec<_> = DA
            .entries()
            .into_iter()
            .filter(|(_, t)| t.eq_ignore_ascii_case("mål"))
            .map(|(f, _)| f)
            .collect();
        assert_eq!(mal, ["target"]);
    }

    #[test]
    fn unknown_language_names_the_allowed_ones() {
        let e = Lang::parse("de").unwrap_err().0;
        assert!(
            e.contains("`de`") && e.contains("`en`") && e.contains("`da`"),
            "{e}"
        );
        assert_eq!(Lang::parse("DA").unwrap(), Lang::Da);
    }
}
