//! Languages of the report: every word the page shows and the number format.
//!
//! [`Lang`] picks a [`Words`] table (English or Danish) and formats numbers:
//! English `1,234.5`, Danish `1.234,5`. Shares print as percentages with a
//! space before the sign (`15.3 %`, `15,3 %`), as both languages' style
//! guides for official texts ask.

use crate::model::error::InputError;

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
}

/// Every fixed text of the report in one language.
#[derive(Debug)]
pub struct Words {
    pub page_title: &'static str,
    pub intro: &'static str,
    pub run: &'static str,
    pub comparison: &'static str,
    pub tornado: &'static str,
    pub seed: &'static str,
    pub replications: &'static str,
    pub version: &'static str,
    pub period: &'static str,
    pub baseline: &'static str,
    pub alternative: &'static str,
    pub assumptions: &'static str,
    pub no_assumptions: &'static str,
    pub key_figures: &'static str,
    pub kpi_month: &'static str,
    pub horizon: &'static str,
    pub median_interval: &'static str,
    pub ly_share: &'static str,
    pub progression_share: &'static str,
    pub ly_stock: &'static str,
    pub flex_stock: &'static str,
    pub net_cost_total: &'static str,
    pub net_cost_npv: &'static str,
    pub month_axis: &'static str,
    pub year_axis: &'static str,
    pub share_unit: &'static str,
    pub progression_unit: &'static str,
    pub people_unit: &'static str,
    pub mdkk_year_unit: &'static str,
    pub kdkk_month_unit: &'static str,
    pub mdkk_unit: &'static str,
    pub pp_unit: &'static str,
    pub pp: &'static str,
    pub mdkk: &'static str,
    pub mdkk_spaced: &'static str,
    pub median: &'static str,
    pub band90: &'static str,
    pub band50: &'static str,
    pub start_value: &'static str,
    pub target: &'static str,
    pub project_period: &'static str,
    pub fan_title: &'static str,
    pub fan_aid: &'static str,
    pub fan_aid_50: &'static str,
    pub bands_not_stored: &'static str,
    pub stocks_title: &'static str,
    pub stocks_aid: &'static str,
    pub progression_title: &'static str,
    pub progression_aid: &'static str,
    pub budget_title: &'static str,
    pub budget_aid: &'static str,
    pub gross_ly: &'static str,
    pub flex_subsidy: &'static str,
    pub old_scheme: &'static str,
    pub staff: &'static str,
    pub measures: &'static str,
    pub refusion: &'static str,
    pub net: &'static str,
    pub net_cost: &'static str,
    pub compare_fan_title: &'static str,
    pub compare_fan_aid: &'static str,
    pub diff_cost_title: &'static str,
    pub diff_cost_aid: &'static str,
    pub cum_cost_title: &'static str,
    pub cum_cost_aid: &'static str,
    pub diff_share_title: &'static str,
    pub diff_share_aid: &'static str,
    pub payback: &'static str,
    pub never: &'static str,
    pub paid_back_share: &'static str,
    pub steering_table: &'static str,
    pub steering_aid: &'static str,
    pub indicator: &'static str,
    pub unit: &'static str,
    pub differences: &'static str,
    pub differences_aid: &'static str,
    pub metric: &'static str,
    pub mean_diff: &'static str,
    pub prob_better: &'static str,
    pub whole_horizon: &'static str,
    pub details_of: &'static str,
    pub tornado_title: &'static str,
    pub tornado_aid: &'static str,
    pub parameter: &'static str,
    pub low_value: &'static str,
    pub high_value: &'static str,
    pub result_low: &'static str,
    pub result_high: &'static str,
    pub swing: &'static str,
    pub base_value: &'static str,
    pub of_metric_at: &'static str,
    pub consultants: &'static str,
    pub people: &'static str,
    pub share: &'static str,
    pub dkk_year: &'static str,
    pub month: &'static str,
    pub steering_names: [(&'static str, &'static str); 7],
    pub model_start: &'static str,
    pub at_end: &'static str,
    pub uncertainty_title: &'static str,
    pub uncertainty_aid: &'static str,
    pub with_params: &'static str,
    pub chance_alone: &'static str,
    pub parameter_share: &'static str,
    pub mean: &'static str,
    pub sweep: &'static str,
    pub points: &'static str,
    pub per_point: &'static str,
    pub shown_metric: &'static str,
    pub against: &'static str,
    pub axis_aid: &'static str,
    pub heat_aid: &'static str,
    pub rank_title: &'static str,
    pub rank_aid: &'static str,
    pub correlation: &'static str,
    pub sweep_range: &'static str,
    pub no_correlation: &'static str,
    pub corr_pos: &'static str,
    pub corr_neg: &'static str,
    pub other_axes: &'static str,
    pub axis_aid_scatter: &'static str,
    pub observed_seed: &'static str,
}

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
    cum_cost_title: "Net municipal cost: cumulative difference (mean)",
    cum_cost_aid: "Running sum of the mean monthly difference (exact, as means add up); intervals for the running sum are not stored. Vertical line: the payback month.",
    diff_share_title: "Share on LY: alternative minus baseline",
    diff_share_aid: "Paired differences in percentage points; below zero the alternative has fewer on LY. Line: median; band: 5th–95th percentile.",
    payback: "payback",
    never: "never",
    paid_back_share: "of replications paid back",
    steering_table: "For the steering group",
    steering_aid: "Median with the 90 % interval over the replications; differences are alternative minus baseline.",
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
    tornado_aid: "Each bar moves one parameter from its low to its high value, all else at base; dark: the parameter's low value, light: its high value; vertical line: the base result. Sorted by swing.",
    parameter: "Parameter",
    low_value: "low value",
    high_value: "high value",
    result_low: "result at low",
    result_high: "result at high",
    swing: "swing",
    base_value: "base",
    of_metric_at: "at",
    consultants: "consultants",
    people: "people",
    share: "share",
    dkk_year: "DKK/year",
    month: "month",
    steering_names: [
        ("ly_share_at_kpi", "Share on LY at the KPI month"),
        ("progression_share_at_kpi", "Progression share at the KPI month"),
        ("ly_stock_at_kpi", "On LY at the KPI month"),
        ("net_cost_per_year", "Net municipal cost per year"),
        ("net_cost_diff_per_year", "Net cost difference per year"),
        ("positions_paid", "Consultant positions the savings pay"),
        ("payback_month", "Payback month"),
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
    cum_cost_title: "Kommunens nettoudgift: akkumuleret forskel (gennemsnit)",
    cum_cost_aid: "Løbende sum af den gennemsnitlige månedlige forskel (eksakt, da gennemsnit kan lægges sammen); intervaller for summen er ikke gemt. Lodret linje: tilbagebetalingsmåneden.",
    diff_share_title: "Andel på ledighedsydelse: alternativ minus basis",
    diff_share_aid: "Parrede forskelle i procentpoint; under nul har alternativet færre på ledighedsydelse. Linje: median; bånd: 5.–95. percentil.",
    payback: "tilbagebetaling",
    never: "aldrig",
    paid_back_share: "af gentagelserne tilbagebetalt",
    steering_table: "Til styregruppen",
    steering_aid: "Median med 90 %-interval over gentagelserne; forskelle er alternativ minus basis.",
    indicator: "Indikator",
    unit: "Enhed",
    differences: "Forskelle pr. periode",
    differences_aid: "Gennemsnitlig parret forskel (alternativ minus basis) med 90 %-interval; sandsynlighed for bedre: andel af gentagelser, hvor alternativet klarer sig bedre.",
    metric: "Mål",
    mean_diff: "gns. forskel (90 %-interval)",
    prob_better: "sandsynlighed for bedre",
    whole_horizon: "hele horisonten",
    details_of: "Detaljer",
    tornado_title: "Envejs-følsomhed",
    tornado_aid: "Hver søjle flytter én parameter fra lav til høj værdi, alt andet som i basis; mørk: parameterens lave værdi, lys: dens høje værdi; lodret linje: basisresultatet. Sorteret efter udsving.",
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
    steering_names: [
        ("ly_share_at_kpi", "Andel på ledighedsydelse i KPI-måneden"),
        ("progression_share_at_kpi", "Progressionsandel i KPI-måneden"),
        ("ly_stock_at_kpi", "På ledighedsydelse i KPI-måneden"),
        ("net_cost_per_year", "Kommunal nettoudgift pr. år"),
        ("net_cost_diff_per_year", "Forskel i nettoudgift pr. år"),
        ("positions_paid", "Konsulentstillinger besparelsen betaler"),
        ("payback_month", "Tilbagebetalingsmåned"),
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
    fn unknown_language_names_the_allowed_ones() {
        let e = Lang::parse("de").unwrap_err().0;
        assert!(
            e.contains("`de`") && e.contains("`en`") && e.contains("`da`"),
            "{e}"
        );
        assert_eq!(Lang::parse("DA").unwrap(), Lang::Da);
    }
}
