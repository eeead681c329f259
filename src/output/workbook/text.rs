//! The workbook's words in English and Danish: sheet names, headers, the
//! budget lines' labels and the notes.
//!
//! The budget lines' labels are the report's (`report::labels`); the
//! report sits above this layer, so `tests/workbook.rs` checks that the
//! two agree instead of this module importing them.

use crate::model::error::InputError;

/// The workbook's language (`--lang` of `run` and `compare`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
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
                "--lang `{code}` is not a language of the workbook: use `en` (English) or `da` \
                 (Danish)"
            ))),
        }
    }

    /// `en` or `da` by language.
    pub fn pick(self, en: &'static str, da: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Da => da,
        }
    }
}

/// The budget lines of the workbook, in order: those of
/// `budget_difference.csv`.
pub use crate::model::metrics::BUDGET_LINES as LINES;

/// A budget line's label, as the report names it.
pub fn line_label(key: &str, lang: Lang) -> &'static str {
    let (en, da) = match key {
        "cost_ly" => ("Ledighedsydelse (gross)", "Ledighedsydelse (brutto)"),
        "refusion_ly" => ("Refusion on LY", "Refusion af ledighedsydelse"),
        "cost_flex_subsidy" => ("Flex subsidy (2013 rules)", "Fleksløntilskud (2013-regler)"),
        "cost_old_scheme" => ("Subsidy, rules before 2013", "Tilskud, regler før 2013"),
        "refusion_flex" => ("Refusion on flex subsidy", "Refusion af fleksløntilskud"),
        "cost_staff_municipal" => (
            "Staff paid by the municipality",
            "Personale betalt af kommunen",
        ),
        "cost_staff_grant" => ("Staff paid by the grant", "Personale betalt af puljen"),
        "cost_measures" => (
            "Measures (jobclub, reviews, contacts)",
            "Indsatser (jobklub, opfølgning, kontakter)",
        ),
        "cost_exit" => (
            "Benefits after leaving the scheme (pension, course, …)",
            "Ydelser efter afgang fra ordningen (pension, forløb, …)",
        ),
        "refusion_exit" => (
            "Refusion on benefits after leaving",
            "Refusion af ydelser efter afgang",
        ),
        "net_municipal_cost" => ("Net municipal cost", "Kommunens nettoudgift"),
        "tax_municipal" => (
            "Municipal income tax on flexjob wages",
            "Kommuneskat af løn i fleksjob",
        ),
        "net_public_cost" => (
            "Net public cost (municipality and state)",
            "Offentlig nettoudgift (kommune og stat)",
        ),
        _ => ("Other", "Andet"),
    };
    lang.pick(en, da)
}

/// The fixed texts of the workbook.
pub struct Words {
    pub lang: Lang,
}

impl Words {
    pub fn interval_suffix(&self) -> &'static str {
        self.lang.pick(" 90%", " 90%")
    }
    pub fn diff_suffix(&self) -> &'static str {
        self.lang.pick(" vs base", " mod basis")
    }
    pub fn notes_sheet(&self) -> &'static str {
        self.lang.pick("Notes", "Noter")
    }
    pub fn line(&self) -> &'static str {
        self.lang.pick("Budget line", "Budgetpost")
    }
    pub fn key(&self) -> &'static str {
        self.lang.pick("Key", "Nøgle")
    }
    pub fn months(&self) -> &'static str {
        self.lang.pick("Months in the year", "Måneder i året")
    }
    pub fn median_title(&self) -> &'static str {
        self.lang.pick(
            "Budget line (DKK per year, median)",
            "Budgetpost (kr. pr. år, median)",
        )
    }
    pub fn interval_title(&self) -> &'static str {
        self.lang.pick(
            "Budget line (DKK per year, 90 % interval)",
            "Budgetpost (kr. pr. år, 90 %-interval)",
        )
    }
    pub fn diff_title(&self) -> &'static str {
        self.lang.pick(
            "Alternative minus baseline (DKK per year, median)",
            "Alternativ minus basis (kr. pr. år, median)",
        )
    }
    /// A year's column header: `2016`, or `2016 (partial: 4 months)`.
    pub fn year(&self, year: i32, months: u32) -> String {
        if months < 12 {
            match self.lang {
                Lang::En => format!("{year} (partial: {months} months)"),
                Lang::Da => format!("{year} (delvist: {months} mdr.)"),
            }
        } else {
            year.to_string()
        }
    }
    pub fn low(&self) -> &'static str {
        "5 %"
    }
    pub fn high(&self) -> &'static str {
        "95 %"
    }
    pub fn cumulative(&self) -> &'static str {
        self.lang.pick(
            "Cumulative net difference at the year's end, median",
            "Akkumuleret nettoforskel ved årets udgang, median",
        )
    }
    pub fn cumulative_low(&self) -> &'static str {
        self.lang.pick(
            "Cumulative net difference, 5 %",
            "Akkumuleret nettoforskel, 5 %",
        )
    }
    pub fn cumulative_high(&self) -> &'static str {
        self.lang.pick(
            "Cumulative net difference, 95 %",
            "Akkumuleret nettoforskel, 95 %",
        )
    }
    pub fn cumulative_prob(&self) -> &'static str {
        self.lang.pick(
            "Probability cheaper so far",
            "Sandsynlighed for billigere indtil da",
        )
    }
    pub fn decision(&self) -> &'static str {
        self.lang.pick(
            "For the decision on permanent funding",
            "Til beslutningen om varig finansiering",
        )
    }
    pub fn median_low_high(&self) -> [&'static str; 3] {
        [self.lang.pick("median", "median"), "5 %", "95 %"]
    }
    pub fn prob_saving(&self) -> &'static str {
        self.lang.pick(
            "Probability that the alternative saves money over the horizon",
            "Sandsynlighed for at alternativet sparer penge over horisonten",
        )
    }
    pub fn per_year(&self) -> &'static str {
        self.lang.pick(
            "Net cost difference per year over the horizon (DKK)",
            "Nettoudgiftsforskel pr. år over horisonten (kr.)",
        )
    }
    pub fn at_horizon(&self) -> &'static str {
        self.lang.pick(
            "Cumulative net difference at the horizon (DKK)",
            "Akkumuleret nettoforskel ved horisonten (kr.)",
        )
    }
    pub fn payback(&self) -> &'static str {
        self.lang
            .pick("Payback month (median)", "Tilbagebetalingsmåned (median)")
    }
    pub fn never(&self) -> &'static str {
        self.lang.pick(
            "none: the alternative is not an investment that pays back within the horizon",
            "ingen: alternativet er ikke en investering, der tjener sig hjem inden for horisonten",
        )
    }
    pub fn cheaper_periods(&self) -> &'static str {
        self.lang.pick(
            "Periods in which the alternative is cheaper (cumulative)",
            "Perioder hvor alternativet er billigere (akkumuleret)",
        )
    }
    pub fn never_cheaper(&self) -> &'static str {
        self.lang.pick("never", "aldrig")
    }
    pub fn grant_end(&self) -> &'static str {
        self.lang.pick(
            "End of the project window (the grant ends)",
            "Projektperiodens slutning (puljen ophører)",
        )
    }
    /// The label of the net saving per year after the grant ends.
    pub fn after_grant(&self, first: i32, last: i32) -> String {
        match self.lang {
            Lang::En => format!(
                "Net saving per year after the grant ends (DKK, mean over the full years \
                 {first}–{last}; below zero: a cost)"
            ),
            Lang::Da => format!(
                "Nettobesparelse pr. år efter puljens ophør (kr., gennemsnit over de hele år \
                 {first}–{last}; under nul: en udgift)"
            ),
        }
    }
    pub fn no_year_after(&self) -> &'static str {
        self.lang.pick(
            "Net saving per year after the grant ends: no full calendar year after the project window within the horizon",
            "Nettobesparelse pr. år efter puljens ophør: intet helt kalenderår efter projektperioden inden for horisonten",
        )
    }
    /// Issue 17's definitions, as the comparison report states them.
    pub fn definitions(&self) -> [&'static str; 3] {
        match self.lang {
            Lang::En => [
                "Cumulative difference: the alternative's net municipal cost minus the baseline's, summed over the months so far in each replication (below zero: the alternative has cost less).",
                "Probability of saving money: the share of replications whose cumulative difference at the horizon is below zero.",
                "Payback month: the month from which the cumulative difference of the mean, after being above zero (an investment), stays below zero to the horizon; none if it does not.",
            ],
            Lang::Da => [
                "Akkumuleret forskel: alternativets nettoudgift for kommunen minus basisscenariets, summeret over månederne indtil da i hver replikation (under nul: alternativet har kostet mindre).",
                "Sandsynlighed for at spare penge: andelen af replikationer, hvis akkumulerede forskel ved horisonten er under nul.",
                "Tilbagebetalingsmåned: den måned, fra hvilken den akkumulerede forskel af middelværdien, efter at have været over nul (en investering), forbliver under nul til horisonten; ingen, hvis den ikke gør.",
            ],
        }
    }
    pub fn notes(&self) -> NoteWords {
        NoteWords { lang: self.lang }
    }
}

/// The notes sheet's row labels.
pub struct NoteWords {
    pub lang: Lang,
}

impl NoteWords {
    pub fn title(&self) -> &'static str {
        self.lang.pick("About these figures", "Om tallene")
    }
    pub fn program(&self) -> &'static str {
        self.lang.pick("Program", "Program")
    }
    pub fn scenario(&self) -> &'static str {
        self.lang.pick("Scenario", "Scenarie")
    }
    pub fn baseline(&self) -> &'static str {
        self.lang.pick("Baseline", "Basisscenarie")
    }
    pub fn description(&self) -> &'static str {
        self.lang.pick("Description", "Beskrivelse")
    }
    pub fn assumption(&self) -> &'static str {
        self.lang.pick("Assumption", "Antagelse")
    }
    pub fn missing(&self) -> &'static str {
        self.lang.pick(
            "(the scenario has no English text; shown in Danish)",
            "(scenariet har ingen dansk tekst; vist på engelsk)",
        )
    }
    pub fn seed(&self) -> &'static str {
        self.lang.pick("Seed", "Frø (seed)")
    }
    pub fn replications(&self) -> &'static str {
        self.lang.pick("Replications", "Replikationer")
    }
    pub fn period(&self) -> &'static str {
        self.lang.pick("Simulated months", "Simulerede måneder")
    }
    pub fn sha(&self) -> &'static str {
        self.lang.pick("Scenario SHA-256", "Scenariets SHA-256")
    }
    pub fn source(&self) -> &'static str {
        self.lang.pick(
            "The figures are those of budget.csv (runs/<scenario>/budget.csv in a comparison) and payer.csv and, for differences, budget_difference.csv, cumulative_monthly.csv, steering.csv, budget_levels.csv, budget_year.csv and break_even.csv, in whole kroner, nominal as the scenario states its rates; median and 5th/95th percentiles over the replications.",
            "Tallene er dem i budget.csv (runs/<scenarie>/budget.csv i en sammenligning) og payer.csv og, for forskelle, budget_difference.csv, cumulative_monthly.csv, steering.csv, budget_levels.csv, budget_year.csv og break_even.csv, i hele kroner, nominelt som scenariet angiver sine satser; median og 5./95. percentil over replikationerne.",
        )
    }
    pub fn partial(&self) -> &'static str {
        self.lang.pick(
            "A year marked partial holds fewer than 12 simulated months (the first and last years).",
            "Et år markeret delvist har færre end 12 simulerede måneder (første og sidste år).",
        )
    }
}

/// A `payer.csv` line's label (issue 18's money lines).
pub fn payer_line_label(line: &str, lang: Lang) -> &'static str {
    let (en, da) = match line {
        "ly" => ("Unemployment benefit (LY)", "Ledighedsydelse"),
        "flex" => (
            "Flex subsidy and old-rules subsidy",
            "Fleksløntilskud og tilskud efter gamle regler",
        ),
        "exit" => ("Exit benefits", "Ydelser efter afgang"),
        "staff" => ("Municipal staff", "Kommunalt personale"),
        "grant" => (
            "Grant-funded staff and project costs",
            "Bevillingsfinansieret personale og projektudgifter",
        ),
        "measures" => ("Measures", "Indsatser"),
        "service" => (
            "Service expenses (serviceramme)",
            "Serviceudgifter (serviceramme)",
        ),
        "transfers" => ("Transfers (overførsler)", "Overførsler"),
        "total" => ("Total", "I alt"),
        "tax_back" => (
            "Income tax that comes back",
            "Indkomstskat der kommer tilbage",
        ),
        _ => ("Other", "Andet"),
    };
    lang.pick(en, da)
}

/// A `payer.csv` payer's label.
pub fn payer_label(payer: &str, lang: Lang) -> &'static str {
    let (en, da) = match payer {
        "gross" => ("gross spending", "bruttoudgift"),
        "kommune" => ("municipality", "kommunen"),
        "stat" => ("state", "staten"),
        "public" => ("public purse, net", "offentlig sektor, netto"),
        _ => ("other", "andet"),
    };
    lang.pick(en, da)
}

/// A `payer.csv` frame's label (empty: no frame).
pub fn frame_label(frame: &str, lang: Lang) -> &'static str {
    match frame {
        "service" => lang.pick("service frame", "serviceramme"),
        "transfers" => lang.pick("transfers", "overførsler"),
        _ => "",
    }
}

/// A money cell's label: `Unemployment benefit (LY): municipality,
/// transfers`.
pub fn cell_label(line: &str, payer: &str, frame: &str, lang: Lang) -> String {
    let mut s = format!(
        "{}: {}",
        payer_line_label(line, lang),
        payer_label(payer, lang)
    );
    if !frame.is_empty() {
        s.push_str(", ");
        s.push_str(frame_label(frame, lang));
    }
    s
}

/// The budget-practice sheets' texts (issue 18).
impl Words {
    pub fn payer_suffix(&self) -> &'static str {
        self.lang.pick(" who pays", " betaler")
    }
    pub fn payer_title(&self) -> &'static str {
        self.lang.pick(
            "Who pays, from which budget frame (DKK per year, mean over the replications)",
            "Hvem betaler, fra hvilken budgetramme (kr. pr. år, gennemsnit over replikationerne)",
        )
    }
    /// The column header of the whole horizon.
    pub fn horizon(&self, months: u32) -> String {
        match self.lang {
            Lang::En => format!("Whole horizon ({months} months)"),
            Lang::Da => format!("Hele perioden ({months} mdr.)"),
        }
    }
    pub fn payer_aid(&self) -> &'static str {
        self.lang.pick(
            "The state pays through refusion and the project grant; the municipality's net splits into service expenses (serviceramme: staff and measures) and transfers (overførsler: benefits and subsidies net of refusion). A saving on transfers frees no room under the service frame. The public purse is the municipality and the state together, less the income tax that comes back. Source: payer.csv.",
            "Staten betaler gennem refusion og projektbevillingen; kommunens nettoudgift deles i serviceudgifter (serviceramme: personale og indsatser) og overførsler (ydelser og tilskud efter refusion). En besparelse på overførsler giver ikke plads under servicerammen. Den offentlige sektor er kommune og stat tilsammen fratrukket den indkomstskat, der kommer tilbage. Kilde: payer.csv.",
        )
    }
    pub fn levels_suffix(&self) -> &'static str {
        self.lang.pick(" levels", " niveauer")
    }
    pub fn levels_title(&self) -> &'static str {
        self.lang.pick(
            "Levels: baseline and alternative (DKK, mean), the difference and the change; undiscounted and discounted",
            "Niveauer: basis og alternativ (kr., gennemsnit), forskellen og ændringen; nominelt og tilbagediskonteret",
        )
    }
    pub fn rate(&self) -> &'static str {
        self.lang.pick(
            "Discount rate a year (both scenarios at the baseline's rate)",
            "Diskonteringsrente om året (begge scenarier med basisscenariets rente)",
        )
    }
    pub fn period(&self) -> &'static str {
        self.lang.pick("Year", "År")
    }
    pub fn baseline(&self) -> &'static str {
        self.lang.pick("Baseline", "Basis")
    }
    pub fn alternative(&self) -> &'static str {
        self.lang.pick("Alternative", "Alternativ")
    }
    /// The difference columns: mean, 5 %, median, 95 %.
    pub fn difference(&self) -> [&'static str; 4] {
        match self.lang {
            Lang::En => [
                "Difference, mean",
                "Difference, 5 %",
                "Difference, median",
                "Difference, 95 %",
            ],
            Lang::Da => [
                "Forskel, gennemsnit",
                "Forskel, 5 %",
                "Forskel, median",
                "Forskel, 95 %",
            ],
        }
    }
    pub fn change(&self) -> &'static str {
        self.lang
            .pick("Change against the baseline", "Ændring i forhold til basis")
    }
    /// A discounted column's header, with the rate.
    pub fn discounted(&self, head: &str, rate: &str) -> String {
        match self.lang {
            Lang::En => format!("{head}, discounted at {rate} a year"),
            Lang::Da => format!("{head}, tilbagediskonteret med {rate} om året"),
        }
    }
    pub fn budget_year_suffix(&self) -> &'static str {
        self.lang.pick(" budget year", " budgetår")
    }
    pub fn budget_year_title(&self) -> &'static str {
        self.lang.pick(
            "The budget year and its three overslagsår (DKK, undiscounted)",
            "Budgetåret og de tre overslagsår (kr., nominelt)",
        )
    }
    /// `2018: budget year`, `2019: overslagsår 1`.
    pub fn role(&self, year: &str, role: &str) -> String {
        match role.strip_prefix("overslagsaar_") {
            Some(k) => format!(
                "{year}: {} {k}",
                self.lang.pick("overslagsår", "overslagsår")
            ),
            None => format!("{year}: {}", self.lang.pick("budget year", "budgetår")),
        }
    }
    pub fn mark_head(&self) -> &'static str {
        self.lang.pick(
            "Grant or permanent period",
            "Bevillings- eller permanent periode",
        )
    }
    /// `budget_year.csv`'s `period` mark in words.
    pub fn mark(&self, mark: &str) -> &'static str {
        match mark {
            "grant" => self.lang.pick("grant period", "bevillingsperiode"),
            "permanent" => self.lang.pick("permanent period", "permanent periode"),
            "grant+permanent" => self.lang.pick(
                "grant period, then permanent",
                "bevillingsperiode, derefter permanent",
            ),
            _ => "",
        }
    }
    pub fn break_even_sheet(&self) -> &'static str {
        "Break-even"
    }
    pub fn break_even_title(&self) -> &'static str {
        self.lang.pick(
            "Break-even: how much better must it work?",
            "Break-even: hvor meget bedre skal det virke?",
        )
    }
    /// The break-even columns: multiplier, interval's lower and upper end.
    pub fn break_even_heads(&self) -> [&'static str; 3] {
        match self.lang {
            Lang::En => [
                "Multiplier on the effects",
                "90 % interval, lower",
                "90 % interval, upper",
            ],
            Lang::Da => [
                "Faktor på effekterne",
                "90 %-interval, nedre",
                "90 %-interval, øvre",
            ],
        }
    }
    pub fn no_break_even(&self) -> &'static str {
        self.lang.pick(
            "none: no multiplier in the searched range breaks even (manifest.json says why)",
            "ingen: ingen faktor i det søgte interval går i nul (manifest.json siger hvorfor)",
        )
    }
    /// An interval end that is empty in `break_even.csv`.
    pub fn bound_outside(&self) -> &'static str {
        self.lang.pick(
            "outside the searched range (manifest.json gives the range)",
            "uden for det søgte interval (manifest.json angiver intervallet)",
        )
    }
    pub fn break_even_aid(&self) -> &'static str {
        self.lang.pick(
            "The common multiplier on the alternative's effects (1 = as in the scenario, 0 = its costs without effect) at which its cumulative net municipal cost over the horizon equals the baseline's, found by bisection with common random numbers. Interval: the multipliers at which 5 % and 95 % of the replications break even. Source: break_even.csv; the search's range and tolerance are in manifest.json.",
            "Den fælles faktor på alternativets effekter (1 = som i scenariet, 0 = dets udgifter uden effekt), hvor dets samlede kommunale nettoudgift over hele perioden er lig basis, fundet ved halvering med fælles tilfældige tal. Interval: de faktorer, hvor 5 % og 95 % af replikationerne går i nul. Kilde: break_even.csv; søgningens interval og nøjagtighed står i manifest.json.",
        )
    }
}
