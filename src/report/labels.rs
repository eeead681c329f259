//! Human labels and units of what the report names by key: the metrics
//! (`ly_share`, and the horizon figures `ly_share_end`,
//! `net_municipal_cost_total`, …) and the uncertain parameters (any dotted
//! path a scenario can give as a distribution, e.g.
//! `policy.followup.p_up_contact`), in English and Danish.
//!
//! Every metric of [`crate::model::metrics::METRICS`] has a label and a unit here
//! (a test checks); a parameter the table does not know gets a label built
//! from its path's parts (`ly.find_job[1].p` → "LY: job finding, step 2:
//! probability per month"), so no raw key is ever the only text. The page
//! shows the key small beside the label, so both can be looked up.

use super::i18n::Lang;
use crate::model::metrics::{self as mx, Kind, METRICS};

/// A text in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub en: &'static str,
    pub da: &'static str,
}

impl Text {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Da => self.da,
        }
    }
}

const fn t(en: &'static str, da: &'static str) -> Text {
    Text { en, da }
}

/// What a metric's values count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricUnit {
    People,
    PeoplePerMonth,
    Jobs,
    JobsPerMonth,
    Contacts,
    ContactsPerMonth,
    Consultants,
    PeoplePerConsultant,
    /// A share, printed as a percentage.
    Share,
    /// DKK (per month for monthly figures of a flow).
    Dkk,
    Factor,
    PersonMonths,
    /// A number of a metric the report does not know.
    Number,
}

impl MetricUnit {
    pub fn text(self) -> Text {
        use MetricUnit::*;
        match self {
            People => t("people", "personer"),
            PeoplePerMonth => t("people per month", "personer pr. måned"),
            Jobs => t("jobs", "job"),
            JobsPerMonth => t("jobs per month", "job pr. måned"),
            Contacts => t("contacts", "kontakter"),
            ContactsPerMonth => t("contacts per month", "kontakter pr. måned"),
            Consultants => t("consultants", "konsulenter"),
            PeoplePerConsultant => t("people per consultant", "personer pr. konsulent"),
            Share => t("%", "%"),
            Dkk => t("DKK", "kr."),
            Factor => t("factor", "faktor"),
            PersonMonths => t("person-months", "personmåneder"),
            Number => t("number", "antal"),
        }
    }

    pub fn words(self, lang: Lang) -> &'static str {
        self.text().get(lang)
    }

    /// The unit of a flow summed over months.
    fn total(self) -> MetricUnit {
        use MetricUnit::*;
        match self {
            PeoplePerMonth => People,
            JobsPerMonth => Jobs,
            ContactsPerMonth => Contacts,
            other => other,
        }
    }
}

/// Labels and units of the monthly metrics, in [`METRICS`] order.
const METRIC_LABELS: [(&str, Text, MetricUnit); 45] = {
    use MetricUnit::*;
    [
        ("ly_stock", t("On LY", "På ledighedsydelse"), People),
        (
            "ly_stock_le6m",
            t(
                "On LY for at most 6 months",
                "På ledighedsydelse i højst 6 måneder",
            ),
            People,
        ),
        ("flex_stock", t("In flexjobs", "I fleksjob"), People),
        (
            "flex_le10h",
            t(
                "In flexjobs of at most 10 hours a week",
                "I fleksjob på højst 10 timer om ugen",
            ),
            People,
        ),
        (
            "flex_old_rules",
            t(
                "In flexjobs under the rules before 2013",
                "I fleksjob efter reglerne før 2013",
            ),
            People,
        ),
        (
            "flex_h01_05",
            t(
                "In flexjobs of 1–5 hours a week",
                "I fleksjob på 1–5 timer om ugen",
            ),
            People,
        ),
        (
            "flex_h06_10",
            t(
                "In flexjobs of 6–10 hours a week",
                "I fleksjob på 6–10 timer om ugen",
            ),
            People,
        ),
        (
            "flex_h11_15",
            t(
                "In flexjobs of 11–15 hours a week",
                "I fleksjob på 11–15 timer om ugen",
            ),
            People,
        ),
        (
            "flex_h16_20",
            t(
                "In flexjobs of 16–20 hours a week",
                "I fleksjob på 16–20 timer om ugen",
            ),
            People,
        ),
        (
            "flex_h21_37",
            t(
                "In flexjobs of 21–37 hours a week",
                "I fleksjob på 21–37 timer om ugen",
            ),
            People,
        ),
        (
            "ly_share",
            t(
                "Share of the scheme on LY",
                "Andel af ordningen på ledighedsydelse",
            ),
            Share,
        ),
        (
            "progression_share",
            t(
                "Progression share (≤ 10 h jobs with more hours)",
                "Progressionsandel (job ≤ 10 t med flere timer)",
            ),
            Share,
        ),
        (
            "progression_base",
            t(
                "In 2013-rules flexjobs started at ≤ 10 hours",
                "I fleksjob efter 2013-reglerne startet på ≤ 10 timer",
            ),
            People,
        ),
        (
            "visitations",
            t(
                "Newly visitated onto LY",
                "Nyvisiterede til ledighedsydelse",
            ),
            PeoplePerMonth,
        ),
        (
            "direct_hires",
            t(
                "Visitated straight into a flexjob",
                "Visiteret direkte til fleksjob",
            ),
            PeoplePerMonth,
        ),
        (
            "hires",
            t("Hires into flexjobs", "Ansættelser i fleksjob"),
            PeoplePerMonth,
        ),
        (
            "hires_le10h",
            t(
                "Hires into flexjobs of ≤ 10 hours",
                "Ansættelser i fleksjob på ≤ 10 timer",
            ),
            PeoplePerMonth,
        ),
        (
            "dismissals",
            t("Dismissals from flexjobs", "Afskedigelser fra fleksjob"),
            PeoplePerMonth,
        ),
        (
            "exits_ly",
            t(
                "Exits from the scheme from LY",
                "Afgange fra ordningen fra ledighedsydelse",
            ),
            PeoplePerMonth,
        ),
        (
            "exits_flex",
            t(
                "Exits from the scheme from a flexjob",
                "Afgange fra ordningen fra fleksjob",
            ),
            PeoplePerMonth,
        ),
        (
            "hours_up",
            t(
                "Jobs whose weekly hours went up",
                "Job med flere ugentlige timer",
            ),
            JobsPerMonth,
        ),
        (
            "hours_down",
            t(
                "Jobs whose weekly hours went down",
                "Job med færre ugentlige timer",
            ),
            JobsPerMonth,
        ),
        (
            "consultants",
            t("Job consultants", "Virksomhedskonsulenter"),
            Consultants,
        ),
        (
            "caseload",
            t("Caseload per consultant", "Sager pr. konsulent"),
            PeoplePerConsultant,
        ),
        (
            "capacity",
            t(
                "Capacity factor on job finding",
                "Kapacitetsfaktor på jobchancen",
            ),
            Factor,
        ),
        (
            "contacts",
            t(
                "Follow-up and screening contacts",
                "Opfølgnings- og screeningskontakter",
            ),
            ContactsPerMonth,
        ),
        (
            "cost_ly",
            t("Ledighedsydelse (gross)", "Ledighedsydelse (brutto)"),
            Dkk,
        ),
        (
            "cost_flex_subsidy",
            t("Flex subsidy (2013 rules)", "Fleksløntilskud (2013-regler)"),
            Dkk,
        ),
        (
            "cost_old_scheme",
            t("Subsidy, rules before 2013", "Tilskud, regler før 2013"),
            Dkk,
        ),
        (
            "refusion_ly",
            t("Refusion on LY", "Refusion af ledighedsydelse"),
            Dkk,
        ),
        (
            "refusion_flex",
            t("Refusion on flex subsidy", "Refusion af fleksløntilskud"),
            Dkk,
        ),
        (
            "cost_staff_municipal",
            t(
                "Staff paid by the municipality",
                "Personale betalt af kommunen",
            ),
            Dkk,
        ),
        (
            "cost_staff_grant",
            t("Staff paid by the grant", "Personale betalt af puljen"),
            Dkk,
        ),
        (
            "cost_measures",
            t(
                "Measures (jobclub, reviews, contacts)",
                "Indsatser (jobklub, opfølgning, kontakter)",
            ),
            Dkk,
        ),
        (
            "net_municipal_cost",
            t("Net municipal cost", "Kommunens nettoudgift"),
            Dkk,
        ),
        (
            "exit_stock",
            t(
                "People who left the scheme (in exit states)",
                "Personer der har forladt ordningen (i afgangstilstande)",
            ),
            People,
        ),
        (
            "cost_exit",
            t(
                "Benefits after leaving the scheme (pension, course, …)",
                "Ydelser efter afgang fra ordningen (pension, forløb, …)",
            ),
            Dkk,
        ),
        (
            "refusion_exit",
            t(
                "Refusion on benefits after leaving",
                "Refusion af ydelser efter afgang",
            ),
            Dkk,
        ),
        (
            "wages_flex",
            t(
                "Wages in 2013-rules flexjobs",
                "Løn i fleksjob efter 2013-reglerne",
            ),
            Dkk,
        ),
        (
            "tax_municipal",
            t(
                "Municipal income tax on flexjob wages",
                "Kommuneskat af løn i fleksjob",
            ),
            Dkk,
        ),
        (
            "net_public_cost",
            t(
                "Net public cost (municipality and state)",
                "Offentlig nettoudgift (kommune og stat)",
            ),
            Dkk,
        ),
        (
            "participants",
            t(
                "Participants in interventions (v2)",
                "Deltagere i indsatser (v2)",
            ),
            People,
        ),
        (
            "programme_stock",
            t(
                "People in programmes (ressourceforløb, …)",
                "Personer i forløb (ressourceforløb, …)",
            ),
            People,
        ),
        (
            "programme_entries",
            t(
                "New programme participants from outside",
                "Nye deltagere i forløb udefra",
            ),
            People,
        ),
        (
            "programme_returns",
            t(
                "Back in the scheme from a programme",
                "Tilbage i ordningen fra et forløb",
            ),
            People,
        ),
    ]
};

/// Horizon figures: suffix of the name and the words after the label.
const HORIZON_SUFFIXES: [(&str, Text); 4] = [
    (
        "_end",
        t("at the end of the horizon", "ved horisontens slutning"),
    ),
    (
        "_avg",
        t("average over the horizon", "gennemsnit over horisonten"),
    ),
    (
        "_total",
        t("total over the horizon", "i alt over horisonten"),
    ),
    ("_npv", t("present value", "nutidsværdi")),
];

const PERSON_MONTHS: Text = t("Person-months in the scheme", "Personmåneder i ordningen");

/// A metric as the page names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricText {
    pub label: String,
    pub unit: MetricUnit,
}

impl MetricText {
    /// `label (unit)`.
    pub fn with_unit(&self, lang: Lang) -> String {
        format!("{} ({})", self.label, self.unit.words(lang))
    }
}

/// The label and unit of a metric: a monthly metric, a horizon figure, or
/// any other name (then words made of the name).
pub fn metric(key: &str, lang: Lang) -> MetricText {
    if key == "person_months" {
        return MetricText {
            label: PERSON_MONTHS.get(lang).to_string(),
            unit: MetricUnit::PersonMonths,
        };
    }
    if let Some(m) = monthly_metric(key) {
        return MetricText {
            label: m.1.get(lang).to_string(),
            unit: m.2,
        };
    }
    for (suffix, words) in HORIZON_SUFFIXES {
        let Some(base) = key.strip_suffix(suffix) else {
            continue;
        };
        if let Some(m) = monthly_metric(base) {
            let unit = if suffix == "_total" { m.2.total() } else { m.2 };
            return MetricText {
                label: format!("{}, {}", m.1.get(lang), words.get(lang)),
                unit,
            };
        }
    }
    MetricText {
        label: capitalized_words(key),
        unit: name_unit(key),
    }
}

fn monthly_metric(key: &str) -> Option<&'static (&'static str, Text, MetricUnit)> {
    METRIC_LABELS.iter().find(|(k, _, _)| *k == key)
}

/// The [`crate::model::metrics::Metric`] a metric or horizon figure is made of.
pub fn base_metric(key: &str) -> Option<&'static mx::Metric> {
    let base = HORIZON_SUFFIXES
        .iter()
        .find_map(|(s, _)| key.strip_suffix(s).filter(|b| mx::index(b).is_some()))
        .unwrap_or(key);
    mx::index(base).map(|i| &METRICS[i])
}

/// Whether a metric is a flow (summed over a period).
pub fn is_flow(key: &str) -> bool {
    base_metric(key).is_some_and(|m| m.kind == Kind::Flow)
}

/// How a parameter's values print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A multiplier: `×1.25`.
    Factor,
    /// A share or probability: `12.0 %`.
    Share,
    /// DKK: `550,000 DKK`.
    Dkk,
    /// Months: `3 months`.
    Months,
    /// Any other number, as exactly as it is.
    Number,
}

impl ParamKind {
    /// A value of this kind with its unit.
    pub fn value(self, v: f64, lang: Lang) -> String {
        if !v.is_finite() {
            return "–".to_string();
        }
        match self {
            ParamKind::Factor => format!("×{}", lang.num(v, 2)),
            ParamKind::Share => lang.pct(v, 1),
            ParamKind::Dkk => format!("{} {}", lang.num(v, 0), MetricUnit::Dkk.words(lang)),
            ParamKind::Months => format!("{} {}", lang.num_auto(v), MONTHS_UNIT.get(lang)),
            ParamKind::Number => lang.num_auto(v),
        }
    }
}

const MONTHS_UNIT: Text = t("months", "måneder");

/// Parameters of the shipped scenarios and sweeps, by their whole path.
const KNOWN_PARAMS: [(&str, Text, ParamKind); 12] = {
    use ParamKind::*;
    [
        (
            "policy.jobclub.effect",
            t(
                "Jobclub: effect on job finding",
                "Jobklub: effekt på jobchancen",
            ),
            Factor,
        ),
        (
            "policy.three_month_review.effect",
            t(
                "Three-month review: effect on job finding",
                "Tremånedersopfølgning: effekt på jobchancen",
            ),
            Factor,
        ),
        (
            "policy.rehab_meeting.effect",
            t(
                "Rehabilitation meeting: effect on job finding",
                "Rehabiliteringsmøde: effekt på jobchancen",
            ),
            Factor,
        ),
        (
            "policy.rehab_meeting.agreement_share",
            t(
                "Rehabilitation meeting: first jobs with a progression agreement",
                "Rehabiliteringsmøde: første job med progressionsaftale",
            ),
            Share,
        ),
        (
            "policy.followup.p_up_contact",
            t(
                "Follow-up: chance of more hours after a contact",
                "Opfølgning: chance for flere timer efter en kontakt",
            ),
            Share,
        ),
        (
            "policy.followup.dismissal_multiplier",
            t(
                "Follow-up: factor on the risk of dismissal",
                "Opfølgning: faktor på risikoen for afskedigelse",
            ),
            Factor,
        ),
        (
            "policy.followup.enabled",
            t("Follow-up switched on", "Opfølgning slået til"),
            Number,
        ),
        (
            "hours.agreement_up_multiplier",
            t(
                "Progression agreement: factor on the chance of more hours",
                "Progressionsaftale: faktor på chancen for flere timer",
            ),
            Factor,
        ),
        (
            "staffing.elasticity",
            t(
                "Capacity: elasticity of job finding to the caseload",
                "Kapacitet: jobchancens elasticitet over for sagsmængden",
            ),
            Number,
        ),
        (
            "staffing.consultants",
            t(
                "Job consultants paid by the municipality",
                "Virksomhedskonsulenter betalt af kommunen",
            ),
            Number,
        ),
        (
            "inflow.visitations_per_month",
            t(
                "Newly visitated onto LY per month",
                "Nyvisiterede til ledighedsydelse pr. måned",
            ),
            Number,
        ),
        (
            "inflow.direct_per_month",
            t(
                "Visitated straight into a flexjob per month",
                "Visiteret direkte til fleksjob pr. måned",
            ),
            Number,
        ),
    ]
};

/// Sections of a scenario, by their path (a policy by `policy.<name>`).
const SECTIONS: [(&str, Text); 20] = [
    ("inflow", t("Inflow", "Tilgang")),
    ("initial", t("Start", "Start")),
    ("ly", t("LY", "Ledighedsydelse")),
    ("flex", t("Flexjobs", "Fleksjob")),
    ("old_rules", t("Flexjobs before 2013", "Fleksjob før 2013")),
    ("hours", t("Hours", "Timer")),
    ("staffing", t("Staffing", "Bemanding")),
    ("money", t("Money", "Økonomi")),
    ("money.ly", t("Money, LY", "Økonomi, ledighedsydelse")),
    ("money.refusion", t("Money, refusion", "Økonomi, refusion")),
    ("money.measures", t("Money, measures", "Økonomi, indsatser")),
    ("policy", t("Policy", "Indsats")),
    ("policy.jobclub", t("Jobclub", "Jobklub")),
    (
        "policy.three_month_review",
        t("Three-month review", "Tremånedersopfølgning"),
    ),
    (
        "policy.rehab_meeting",
        t("Rehabilitation meeting", "Rehabiliteringsmøde"),
    ),
    ("policy.followup", t("Follow-up", "Opfølgning")),
    ("policy.screening", t("Screening", "Screening")),
    ("states", t("Exit state", "Afgangstilstand")),
    ("money.tax", t("Money, tax", "Økonomi, skat")),
    ("interventions", t("Intervention", "Indsats")),
];

/// Words for the keys of a scenario, wherever they appear, and how their
/// values print.
const FIELDS: [(&str, Text, ParamKind); 61] = {
    use ParamKind::*;
    [
        ("effect", t("effect", "effekt"), Factor),
        ("enabled", t("switched on", "slået til"), Number),
        ("months", t("months in force", "måneder i kraft"), Months),
        (
            "start_month",
            t("first spell month", "første forløbsmåned"),
            Months,
        ),
        (
            "agreement_share",
            t(
                "share with a progression agreement",
                "andel med progressionsaftale",
            ),
            Share,
        ),
        (
            "p_up_contact",
            t(
                "chance of more hours after a contact",
                "chance for flere timer efter en kontakt",
            ),
            Share,
        ),
        (
            "dismissal_multiplier",
            t("factor on dismissal", "faktor på afskedigelse"),
            Factor,
        ),
        (
            "protect_months",
            t("months of protection", "måneders beskyttelse"),
            Months,
        ),
        (
            "hours_per_contact",
            t("hours per contact", "timer pr. kontakt"),
            Number,
        ),
        (
            "max_start_hours",
            t("highest start hours", "højeste starttimer"),
            Number,
        ),
        (
            "visitations_per_month",
            t("newly visitated per month", "nyvisiterede pr. måned"),
            Number,
        ),
        (
            "direct_per_month",
            t(
                "straight into a flexjob per month",
                "direkte til fleksjob pr. måned",
            ),
            Number,
        ),
        (
            "elasticity",
            t(
                "elasticity to the caseload",
                "elasticitet over for sagsmængden",
            ),
            Number,
        ),
        ("consultants", t("consultants", "konsulenter"), Number),
        (
            "reference_caseload",
            t("reference caseload", "referencesagsmængde"),
            Number,
        ),
        (
            "hours_per_month",
            t("hours per month", "timer pr. måned"),
            Number,
        ),
        (
            "capacity_min",
            t("lowest capacity factor", "laveste kapacitetsfaktor"),
            Factor,
        ),
        (
            "capacity_max",
            t("highest capacity factor", "højeste kapacitetsfaktor"),
            Factor,
        ),
        (
            "p_up_organic",
            t(
                "chance of more hours a month",
                "chance for flere timer pr. måned",
            ),
            Share,
        ),
        (
            "p_down",
            t(
                "chance of fewer hours a month",
                "chance for færre timer pr. måned",
            ),
            Share,
        ),
        (
            "step_min",
            t("smallest change of hours", "mindste ændring i timer"),
            Number,
        ),
        (
            "step_max",
            t("largest change of hours", "største ændring i timer"),
            Number,
        ),
        (
            "agreement_up_multiplier",
            t(
                "factor of an agreement on more hours",
                "faktor for en aftale på flere timer",
            ),
            Factor,
        ),
        (
            "frailty_shape",
            t("frailty shape", "skrøbelighedsparameter"),
            Number,
        ),
        ("find_job", t("job finding", "jobchance"), Number),
        (
            "exit",
            t("exit from the scheme", "afgang fra ordningen"),
            Number,
        ),
        ("dismissal", t("dismissal", "afskedigelse"), Number),
        (
            "p",
            t("probability per month", "sandsynlighed pr. måned"),
            Share,
        ),
        (
            "p_year",
            t("probability per year", "sandsynlighed pr. år"),
            Share,
        ),
        ("from", t("from month", "fra måned"), Number),
        ("ly", t("on LY", "på ledighedsydelse"), Number),
        ("flex", t("in flexjobs", "i fleksjob"), Number),
        ("old_rules", t("jobs before 2013", "job før 2013"), Number),
        (
            "progressed_share",
            t(
                "share already progressed",
                "andel der allerede har fået flere timer",
            ),
            Share,
        ),
        (
            "tenure_mean_months",
            t("mean months in the job", "gennemsnitlige måneder i jobbet"),
            Months,
        ),
        (
            "ly_le6m_share",
            t(
                "share on LY for at most 6 months",
                "andel på ledighedsydelse i højst 6 måneder",
            ),
            Share,
        ),
        (
            "ly_long_extra_mean",
            t("mean months beyond 6", "gennemsnitlige måneder ud over 6"),
            Months,
        ),
        ("share", t("share", "andel"), Share),
        ("count", t("count", "antal"), Number),
        ("amount", t("amount", "beløb"), Dkk),
        ("wage_per_hour", t("wage per hour", "løn pr. time"), Dkk),
        (
            "consultant_annual_cost",
            t("consultant's cost per year", "konsulentens udgift pr. år"),
            Dkk,
        ),
        (
            "old_rules_monthly_cost",
            t(
                "subsidy per month, rules before 2013",
                "tilskud pr. måned, regler før 2013",
            ),
            Dkk,
        ),
        (
            "old_rules_refusion",
            t("refusion, rules before 2013", "refusion, regler før 2013"),
            Share,
        ),
        (
            "discount_rate",
            t("discount rate per year", "diskonteringsrente pr. år"),
            Share,
        ),
        (
            "indexation",
            t("indexation per year", "regulering pr. år"),
            Share,
        ),
        ("grant_amount", t("grant", "puljebevilling"), Dkk),
        ("rate", t("rate", "sats"), Share),
        ("monthly_cost", t("cost per month", "udgift pr. måned"), Dkk),
        ("refusion", t("refusion", "refusion"), Share),
        (
            "earnings",
            t("earnings per month", "indtjening pr. måned"),
            Dkk,
        ),
        (
            "leave",
            t(
                "chance of leaving per month",
                "chance for at forlade pr. måned",
            ),
            Share,
        ),
        (
            "hours_up",
            t("chance of more hours", "chance for flere timer"),
            Factor,
        ),
        ("cost_per_week", t("cost per week", "udgift pr. uge"), Dkk),
        (
            "cost_per_month",
            t("cost per month", "udgift pr. måned"),
            Dkk,
        ),
        (
            "municipal_rate",
            t("municipal tax rate", "kommuneskatteprocent"),
            Share,
        ),
        (
            "income_rate",
            t("income tax rate", "indkomstskatteprocent"),
            Share,
        ),
        (
            "jobclub_per_participant_month",
            t("jobclub per participant-month", "jobklub pr. deltagermåned"),
            Dkk,
        ),
        (
            "review_per_participant_month",
            t(
                "review per participant-month",
                "opfølgning pr. deltagermåned",
            ),
            Dkk,
        ),
        ("per_contact", t("per contact", "pr. kontakt"), Dkk),
        (
            "mentor_per_week",
            t("mentor per week", "mentor pr. uge"),
            Dkk,
        ),
    ]
};

const ITEM: Text = t("item", "nr.");

/// A parameter as the page names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamText {
    pub label: String,
    pub kind: ParamKind,
}

/// The label of an uncertain parameter by its dotted path: from the table
/// of known parameters, else built from the path's parts.
pub fn parameter(path: &str, lang: Lang) -> ParamText {
    if let Some((_, text, kind)) = KNOWN_PARAMS.iter().find(|(p, _, _)| *p == path) {
        return ParamText {
            label: text.get(lang).to_string(),
            kind: *kind,
        };
    }
    // The longest known section that starts the path.
    let parts: Vec<&str> = path.split('.').collect();
    let mut section: Option<(usize, Text)> = None;
    for n in (1..parts.len()).rev() {
        let head = parts[..n].join(".");
        if let Some((_, text)) = SECTIONS.iter().find(|(s, _)| *s == head) {
            section = Some((n, *text));
            break;
        }
    }
    let (skip, mut label) = match section {
        Some((n, text)) => (n, format!("{}:", text.get(lang))),
        None => (0, String::new()),
    };
    let mut kind = ParamKind::Number;
    let mut words = Vec::new();
    for part in &parts[skip..] {
        let (name, index) = split_index(part);
        let (text, k) = match FIELDS.iter().find(|(f, _, _)| *f == name) {
            Some((_, text, k)) => (text.get(lang).to_string(), *k),
            None => (name.replace('_', " "), ParamKind::Number),
        };
        kind = k;
        words.push(match index {
            Some(i) => format!("{text}, {} {}", ITEM.get(lang), i + 1),
            None => text,
        });
    }
    let rest = words.join(": ");
    label = if label.is_empty() {
        capitalized(&rest)
    } else {
        format!("{label} {rest}")
    };
    ParamText { label, kind }
}

/// `name[3]` → (`name`, Some(3)).
fn split_index(part: &str) -> (&str, Option<usize>) {
    match part.split_once('[') {
        Some((name, rest)) => (name, rest.trim_end_matches(']').parse().ok()),
        None => (part, None),
    }
}

/// The unit a metric's name implies, for names fleksim does not list:
/// `*_share` a share, `cost_*`, `refusion_*`, `net_*` DKK, else a number
/// (horizon suffixes `_end`, `_avg`, `_total`, `_npv` set aside).
pub fn name_unit(metric: &str) -> MetricUnit {
    let base = metric
        .trim_end_matches("_end")
        .trim_end_matches("_avg")
        .trim_end_matches("_total")
        .trim_end_matches("_npv");
    if base.ends_with("_share") {
        MetricUnit::Share
    } else if ["cost_", "refusion_", "net_"]
        .iter()
        .any(|p| base.starts_with(p))
    {
        MetricUnit::Dkk
    } else {
        MetricUnit::Number
    }
}

/// `text` with its first letter in upper case.
pub fn capitalized(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `net_cost_foo` → `Net cost foo`.
fn capitalized_words(key: &str) -> String {
    capitalized(&key.replace('_', " "))
}

/// Every text of this module as (English, Danish), for the test that a
/// Danish page holds no English.
pub fn text_pairs() -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<Text> = Vec::new();
    all.extend(METRIC_LABELS.iter().map(|m| m.1));
    all.extend(HORIZON_SUFFIXES.iter().map(|s| s.1));
    all.push(PERSON_MONTHS);
    all.extend(KNOWN_PARAMS.iter().map(|p| p.1));
    all.extend(SECTIONS.iter().map(|s| s.1));
    all.extend(FIELDS.iter().map(|f| f.1));
    all.push(MONTHS_UNIT);
    all.push(ITEM);
    use MetricUnit::*;
    for u in [
        People,
        PeoplePerMonth,
        Jobs,
        JobsPerMonth,
        Contacts,
        ContactsPerMonth,
        Consultants,
        PeoplePerConsultant,
        Share,
        Dkk,
        Factor,
        PersonMonths,
        Number,
    ] {
        all.push(u.text());
    }
    all.into_iter().map(|t| (t.en, t.da)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_and_horizon_figure_has_words() {
        assert_eq!(METRIC_LABELS.len(), METRICS.len());
        for (m, (key, _, unit)) in METRICS.iter().zip(METRIC_LABELS) {
            assert_eq!(m.name, key, "METRIC_LABELS is out of METRICS' order");
            assert_eq!(m.money, unit == MetricUnit::Dkk, "{key}");
            assert_eq!(m.kind == Kind::Share, unit == MetricUnit::Share, "{key}");
        }
        for name in crate::stats::horizon_names() {
            for lang in [Lang::En, Lang::Da] {
                let l = metric(&name, lang).label;
                assert!(!l.contains('_'), "`{name}` reads `{l}`");
            }
        }
        assert_eq!(
            metric("net_municipal_cost_total", Lang::Da).with_unit(Lang::Da),
            "Kommunens nettoudgift, i alt over horisonten (kr.)"
        );
        assert_eq!(metric("hires_total", Lang::En).unit, MetricUnit::People);
        assert_eq!(metric("hires", Lang::En).unit, MetricUnit::PeoplePerMonth);
        assert_eq!(metric("made_up_share", Lang::En).unit, MetricUnit::Share);
        assert_eq!(metric("made_up_share", Lang::En).label, "Made up share");
    }

    #[test]
    fn parameters_read_as_words() {
        let p = parameter("policy.followup.p_up_contact", Lang::Da);
        assert_eq!(
            p.label,
            "Opfølgning: chance for flere timer efter en kontakt"
        );
        assert_eq!(p.kind.value(0.0494, Lang::Da), "4,9 %");
        assert_eq!(
            parameter("policy.jobclub.effect", Lang::En)
                .kind
                .value(1.6, Lang::En),
            "×1.60"
        );
        // Unknown paths: built from the parts.
        assert_eq!(
            parameter("ly.find_job[1].p", Lang::En).label,
            "LY: job finding, item 2: probability per month"
        );
        assert_eq!(
            parameter("policy.screening.hours_per_contact", Lang::Da).label,
            "Screening: timer pr. kontakt"
        );
        assert_eq!(
            parameter("money.ly.rate", Lang::Da).label,
            "Økonomi, ledighedsydelse: sats"
        );
        assert_eq!(
            parameter("new_thing.odd_key", Lang::En).label,
            "New thing: odd key"
        );
        assert_eq!(
            parameter("money.consultant_annual_cost", Lang::Da)
                .kind
                .value(550_000.0, Lang::Da),
            "550.000 kr."
        );
    }
}
