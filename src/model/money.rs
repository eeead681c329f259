//! Money: ledighedsydelse (LY), fleksløntilskud (flex subsidy), refusion
//! (the state's reimbursement), staff and measures.
//!
//! The scenario's `[money]` section holds the prices and rules; [`Prices`]
//! compiles them into per-month tables the engine reads. Amounts are in
//! nominal DKK unless `price_year` asks for fixed prices of that year.

use crate::model::month::Month;
use crate::model::states::Tax;
use serde::{Deserialize, Serialize};

/// The full-time working week in hours: 37, the week of the collective
/// agreements that flexjob hours are measured against (docs/domain.md). A
/// flexjob's weekly hours run from 1 to this.
pub const FULL_TIME_HOURS: u8 = 37;

/// Rows of a table indexed by weekly hours `0..=FULL_TIME_HOURS`.
pub const HOURS_ROWS: usize = FULL_TIME_HOURS as usize + 1;

/// One calendar year of the law tables (docs/domain.md, "Rules and amounts").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LawYear {
    pub year: i32,
    /// Maximum unemployment benefit (dagpengemaksimum) per month.
    pub dp_max: f64,
    /// Maximum flex subsidy per month (98 % of DP-max).
    pub subsidy_max: f64,
    /// Monthly wage above which the subsidy is reduced by 55 % instead of 30 %.
    pub threshold: f64,
}

/// The built-in law table. Values marked derived are computed from their
/// neighbours (DP-max interpolated; subsidy max as 98 % of DP-max; threshold
/// in proportion to DP-max from the nearest known year).
pub const LAW_TABLE: &[LawYear] = &[
    // 2016: DP-max derived from 836 DKK a day; subsidy and threshold derived.
    law(2016, 18_113.0, 17_751.0, 13_894.0),
    // 2017: DP-max 18,395 (Jan–Jun) and 18,403 (from July): 18,403 is used
    // (LY at 89 % = 16,380); subsidy max and threshold as published.
    law(2017, 18_403.0, 18_027.0, 14_116.0),
    // 2018: subsidy max and threshold derived.
    law(2018, 18_633.0, 18_260.0, 14_401.0),
    law(2019, 18_866.0, 18_489.0, 14_686.0),
    // 2020: subsidy max and threshold derived.
    law(2020, 19_083.0, 18_701.0, 14_856.0),
    // 2021: all derived (interpolated).
    law(2021, 19_217.0, 18_833.0, 15_240.0),
    law(2022, 19_351.0, 18_964.0, 15_401.0),
    // 2023: all derived (interpolated).
    law(2023, 19_855.0, 19_458.0, 15_862.0),
    law(2024, 20_359.0, 19_952.0, 16_323.0),
    // 2025: subsidy max and threshold derived.
    law(2025, 21_092.0, 20_670.0, 16_911.0),
];

const fn law(year: i32, dp_max: f64, subsidy_max: f64, threshold: f64) -> LawYear {
    LawYear {
        year,
        dp_max,
        subsidy_max,
        threshold,
    }
}

/// Refusion regimes (docs/model.md "Money and refusion").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Regime {
    /// Refusion reform of 2016: 80/40/30/20 % by weeks on public benefits.
    Staircase,
    /// 2013–2015 rules: flat rates, LY refusion lapses after 18 months of LY
    /// unless the person had 9 months in a flexjob in between.
    DurationCap,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegimeChange {
    pub from: Month,
    pub regime: Regime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Refusion {
    /// The regime at the start of the simulation.
    #[serde(default = "default_regime")]
    pub regime: Regime,
    /// Later changes of regime, e.g. `[{ from = "2016-01", regime = "staircase" }]`.
    #[serde(default)]
    pub changes: Vec<RegimeChange>,
    /// Share of the initial stock visitated from 1 July 2014 (covered by the
    /// current regime); the rest keep the old flat rates.
    #[serde(default = "default_new_share")]
    pub initial_new_rules_share: f64,
    /// Staircase rates for weeks 1–4, 5–26, 27–52 and 53+.
    #[serde(default = "default_staircase")]
    pub staircase_rates: [f64; 4],
    /// `duration_cap` and old flat rate of LY refusion.
    #[serde(default = "default_flat_ly")]
    pub flat_ly_rate: f64,
    /// Rate of LY refusion in months with an active offer (jobclub, review).
    #[serde(default = "default_flat_ly_active")]
    pub flat_ly_rate_active: f64,
    /// `duration_cap` and old flat rate of flex-subsidy refusion (assumption).
    #[serde(default = "default_flat_flex")]
    pub flat_flex_rate: f64,
    /// `duration_cap`: months of LY after which LY refusion lapses.
    #[serde(default = "default_cap_months")]
    pub cap_months: u32,
    /// `duration_cap`: months in a flexjob that restart the LY count.
    #[serde(default = "nine")]
    pub keep_flex_months: u32,
    /// Prior weeks on public benefits of arrivals (bands of weeks).
    #[serde(default = "default_prior_weeks")]
    pub prior_weeks: Vec<WeeksBand>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeeksBand {
    pub from: u32,
    pub to: u32,
    pub share: f64,
}

fn default_regime() -> Regime {
    Regime::Staircase
}
fn default_new_share() -> f64 {
    0.6
}
fn default_staircase() -> [f64; 4] {
    [0.80, 0.40, 0.30, 0.20]
}
fn default_flat_ly() -> f64 {
    0.30
}
fn default_flat_ly_active() -> f64 {
    0.50
}
fn default_flat_flex() -> f64 {
    0.65
}
fn default_cap_months() -> u32 {
    18
}
fn nine() -> u32 {
    9
}
/// Most arrivals come from sickness benefit or ressourceforløb with over a
/// year on benefits (assumption).
fn default_prior_weeks() -> Vec<WeeksBand> {
    vec![
        WeeksBand {
            from: 0,
            to: 26,
            share: 0.10,
        },
        WeeksBand {
            from: 27,
            to: 52,
            share: 0.15,
        },
        WeeksBand {
            from: 53,
            to: 260,
            share: 0.75,
        },
    ]
}

impl Default for Refusion {
    fn default() -> Self {
        Refusion {
            regime: default_regime(),
            changes: Vec::new(),
            initial_new_rules_share: default_new_share(),
            staircase_rates: default_staircase(),
            flat_ly_rate: default_flat_ly(),
            flat_ly_rate_active: default_flat_ly_active(),
            flat_flex_rate: default_flat_flex(),
            cap_months: default_cap_months(),
            keep_flex_months: nine(),
            prior_weeks: default_prior_weeks(),
        }
    }
}

/// LY rate categories: 89 % of DP-max for most; the cash-benefit level for
/// some until they have had 9 months of flexjob within 18 months.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LyRates {
    /// The ordinary LY rate as a share of DP-max.
    #[serde(default = "default_ly_rate")]
    pub rate: f64,
    /// Share of arrivals on the cash-benefit level with children.
    #[serde(default)]
    pub cash_children_share: f64,
    /// Their rate as a share of DP-max (assumption: about 80 %).
    #[serde(default = "default_cash_children")]
    pub cash_children_rate: f64,
    /// Share of arrivals on the cash-benefit level without children.
    #[serde(default)]
    pub cash_single_share: f64,
    /// Their rate as a share of DP-max (assumption: about 60 %).
    #[serde(default = "default_cash_single")]
    pub cash_single_rate: f64,
}

fn default_ly_rate() -> f64 {
    0.89
}
fn default_cash_children() -> f64 {
    0.80
}
fn default_cash_single() -> f64 {
    0.60
}

impl Default for LyRates {
    fn default() -> Self {
        LyRates {
            rate: default_ly_rate(),
            cash_children_share: 0.0,
            cash_children_rate: default_cash_children(),
            cash_single_share: 0.0,
            cash_single_rate: default_cash_single(),
        }
    }
}

/// A dated cost line (e.g. the project leader), both ends inclusive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostLine {
    pub name: String,
    /// Total amount over the window (spread evenly over its months).
    pub amount: f64,
    pub from: Month,
    pub to: Month,
    /// Paid by the project grant (else by the municipality).
    #[serde(default)]
    pub grant: bool,
}

/// Costs of the measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Measures {
    /// Jobclub per participant-month (people on LY in the jobclub months).
    #[serde(default)]
    pub jobclub_per_participant_month: f64,
    /// Three-month review and praktik per participant-month.
    #[serde(default)]
    pub review_per_participant_month: f64,
    /// Each follow-up or screening contact (transport, materials).
    #[serde(default)]
    pub per_contact: f64,
    /// Mentor compensation to employers per week per person in a followed-up
    /// job during its protected months (e.g. 500 DKK a week).
    #[serde(default)]
    pub mentor_per_week: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// Wage per effective hour in the scenario's first year.
    #[serde(default = "default_wage")]
    pub wage_per_hour: f64,
    /// Yearly growth of the law amounts (and wages) after the last known year.
    #[serde(default = "default_indexation")]
    pub indexation: f64,
    /// Yearly discount rate for net present values.
    #[serde(default = "default_discount")]
    pub discount_rate: f64,
    /// Report in fixed prices of this year (deflated by the DP-max index);
    /// 0 = nominal DKK.
    #[serde(default)]
    pub price_year: i32,
    /// Overrides of the built-in law table, by year.
    #[serde(default)]
    pub law: Vec<LawYear>,
    /// Monthly wage subsidy to the employer for an old-rules flexjob.
    #[serde(default = "default_old_cost")]
    pub old_rules_monthly_cost: f64,
    /// Refusion rate of the old-rules subsidy.
    #[serde(default = "default_flat_flex")]
    pub old_rules_refusion: f64,
    /// Annual cost of a full-time consultant, overhead included (assumption).
    #[serde(default = "default_consultant_cost")]
    pub consultant_annual_cost: f64,
    /// The project grant's total, for the report of what the grant-paid
    /// lines use of it (0 = no grant).
    #[serde(default)]
    pub grant_amount: f64,
    /// Other dated project costs (e.g. the project leader).
    #[serde(default)]
    pub project_costs: Vec<CostLine>,
    #[serde(default)]
    pub ly: LyRates,
    #[serde(default)]
    pub refusion: Refusion,
    #[serde(default)]
    pub measures: Measures,
    /// Income tax rates of the public purse (model v2).
    #[serde(default, skip_serializing_if = "Tax::is_default")]
    pub tax: Tax,
}

fn default_wage() -> f64 {
    180.0
}
fn default_indexation() -> f64 {
    0.02
}
fn default_discount() -> f64 {
    0.035
}
/// About 2/3 of a full-time minimum wage (assumption).
fn default_old_cost() -> f64 {
    12_000.0
}
fn default_consultant_cost() -> f64 {
    550_000.0
}

impl Default for Money {
    fn default() -> Self {
        Money {
            wage_per_hour: default_wage(),
            indexation: default_indexation(),
            discount_rate: default_discount(),
            price_year: 0,
            law: Vec::new(),
            old_rules_monthly_cost: default_old_cost(),
            old_rules_refusion: default_flat_flex(),
            consultant_annual_cost: default_consultant_cost(),
            grant_amount: 0.0,
            project_costs: Vec::new(),
            ly: LyRates::default(),
            refusion: Refusion::default(),
            measures: Measures::default(),
            tax: Tax::default(),
        }
    }
}

impl Money {
    /// The law amounts of `year`: a scenario override, the built-in table,
    /// or the nearest known year indexed by `indexation` per year.
    pub fn law_year(&self, year: i32) -> LawYear {
        if let Some(l) = self.law.iter().find(|l| l.year == year) {
            return *l;
        }
        if let Some(l) = LAW_TABLE.iter().find(|l| l.year == year) {
            return *l;
        }
        let (first, last) = (LAW_TABLE[0], LAW_TABLE[LAW_TABLE.len() - 1]);
        let (base, years) = if year > last.year {
            (last, year - last.year)
        } else {
            (first, year - first.year)
        };
        let f = (1.0 + self.indexation).powi(years);
        LawYear {
            year,
            dp_max: base.dp_max * f,
            subsidy_max: base.subsidy_max * f,
            threshold: base.threshold * f,
        }
    }
}

/// Flex subsidy per month for a 2013-rules flexjob (fleksløntilskud): the
/// maximum less 30 % of earnings up to the threshold and 55 % above it,
/// never below zero.
pub fn flex_subsidy(earnings: f64, law: &LawYear) -> f64 {
    let offset = if earnings <= law.threshold {
        0.30 * earnings
    } else {
        0.30 * law.threshold + 0.55 * (earnings - law.threshold)
    };
    (law.subsidy_max - offset).max(0.0)
}

/// Monthly earnings from effective weekly hours.
pub fn earnings(wage_per_hour: f64, hours: f64) -> f64 {
    wage_per_hour * hours * 52.0 / 12.0
}

/// Weeks of public benefits per month.
pub const WEEKS_PER_MONTH: f64 = 52.0 / 12.0;

/// The staircase refusion share of a month in which benefit weeks go from
/// `before` to `before + WEEKS_PER_MONTH`: the rate of each week of the month,
/// averaged, so a month that crosses a step is split across it.
#[inline]
pub fn staircase_share(before: f64, rates: &[f64; 4]) -> f64 {
    if before >= 52.0 {
        return rates[3];
    }
    const BOUNDS: [f64; 3] = [4.0, 26.0, 52.0];
    let after = before + WEEKS_PER_MONTH;
    let mut total = 0.0;
    let mut lo = before;
    for (i, &rate) in rates.iter().enumerate() {
        let hi = if i < 3 { BOUNDS[i] } else { f64::INFINITY };
        if lo < hi && lo < after {
            let end = after.min(hi);
            total += rate * (end - lo);
            lo = end;
        }
    }
    total / WEEKS_PER_MONTH
}

/// The refusion share of a month of LY. A person under the 2016 rules in a
/// month of the staircase regime (`staircase`) is refunded by benefit weeks
/// ([`staircase_share`]); anyone else at the flat rate, higher in a month
/// with an active offer (jobclub, review), and not at all once the refusion
/// cap's months on LY are used up (`cap_used`, `duration_cap`).
#[inline(always)]
pub fn ly_refusion_share(
    rf: &Refusion,
    staircase: bool,
    weeks: f64,
    cap_used: bool,
    active: bool,
) -> f64 {
    if staircase && weeks < 52.0 {
        staircase_share(weeks, &rf.staircase_rates)
    } else {
        ly_class_shares(rf)[ly_share_class(staircase, cap_used, active)]
    }
}

/// Which of the four shares of [`ly_class_shares`] a month of LY takes when
/// it is past the staircase's changing weeks or not on the staircase: the
/// staircase's last step, none (cap used), the flat rate with an active
/// offer, the flat rate.
#[inline(always)]
pub fn ly_share_class(staircase: bool, cap_used: bool, active: bool) -> usize {
    match (staircase, cap_used, active) {
        (true, _, _) => 0,
        (false, true, _) => 1,
        (false, false, true) => 2,
        (false, false, false) => 3,
    }
}

/// The refusion shares of the classes of [`ly_share_class`].
#[inline(always)]
pub fn ly_class_shares(rf: &Refusion) -> [f64; 4] {
    [
        rf.staircase_rates[3],
        0.0,
        rf.flat_ly_rate_active,
        rf.flat_ly_rate,
    ]
}

/// A discrete distribution over whole numbers, drawn by inverting its
/// cumulative distribution: the compiled form of a band list (each band's
/// share spread evenly over its values). A guide table (Chen and Asau's
/// method) starts the search near the answer, so a draw costs a lookup and
/// a step or two of scan instead of a binary search, with the binary
/// search's value for every `u ≥ 0` (the engine's uniforms are in [0, 1)).
#[derive(Debug, Clone, PartialEq)]
pub struct Discrete {
    cum: Vec<f64>,
    values: Vec<u32>,
    /// `guide[k]`: how many cumulative shares are at most `k / GUIDE`, the
    /// first index the answer for any `u` in `[k / GUIDE, (k + 1) / GUIDE)`
    /// can have.
    guide: Box<[u32; GUIDE]>,
}

/// Cells of [`Discrete`]'s guide table: a power of two, so that `u ·
/// GUIDE` and `k / GUIDE` are exact and the cell of `u` never starts past
/// its answer.
const GUIDE: usize = 1024;

impl Discrete {
    /// From `(from, to, share)` bands; shares are normalised.
    pub fn from_bands(bands: impl Iterator<Item = (u32, u32, f64)>) -> Discrete {
        let bands: Vec<(u32, u32, f64)> = bands.collect();
        let total: f64 = bands.iter().map(|b| b.2).sum();
        let mut cum = Vec::new();
        let mut values = Vec::new();
        let mut acc = 0.0;
        for (from, to, share) in bands {
            if to < from {
                continue;
            }
            let each = share / total / (to - from + 1) as f64;
            for v in from..=to {
                acc += each;
                cum.push(acc);
                values.push(v);
            }
        }
        // One pass: the cumulative shares do not decrease, so each cell's count
        // starts from the last cell's.
        let mut guide = Box::new([0u32; GUIDE]);
        let mut i = 0;
        for (k, g) in guide.iter_mut().enumerate() {
            let lo = k as f64 / GUIDE as f64;
            while i < cum.len() && cum[i] <= lo {
                i += 1;
            }
            *g = i as u32;
        }
        Discrete { cum, values, guide }
    }

    /// The value for a uniform number `u` in [0, 1): the first value whose
    /// cumulative share exceeds `u` (the last value if rounding leaves
    /// none).
    #[inline]
    pub fn sample(&self, u: f64) -> u32 {
        let k = ((u * GUIDE as f64) as usize).min(GUIDE - 1);
        let mut i = self.guide[k] as usize;
        while i < self.cum.len() && self.cum[i] <= u {
            i += 1;
        }
        match self.values.get(i) {
            Some(v) => *v,
            None => self.values.last().copied().unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The guide table gives the binary search's value for every `u`: at
    /// and around each cumulative share, and on a fine grid, for bands with
    /// zero shares, one value, and many values.
    #[test]
    fn the_guide_table_gives_the_binary_searchs_value() {
        let cases = [
            vec![(1, 5, 0.15), (6, 10, 0.3), (11, 15, 0.0), (16, 37, 0.55)],
            vec![(7, 7, 1.0)],
            vec![(0, 0, 0.0), (1, 1, 0.0), (2, 600, 1.0)],
            vec![(0, 9, 0.999), (10, 10, 0.001)],
        ];
        for bands in cases {
            let d = Discrete::from_bands(bands.iter().copied());
            let reference = |u: f64| {
                let i = d.cum.partition_point(|&c| c <= u);
                d.values
                    .get(i)
                    .copied()
                    .unwrap_or(*d.values.last().unwrap())
            };
            let mut us: Vec<f64> = (0..100_000).map(|i| i as f64 / 100_000.0).collect();
            for &c in &d.cum {
                us.extend(
                    [c, c.next_down(), c.next_up()]
                        .into_iter()
                        .filter(|u| (0.0..1.0).contains(u)),
                );
            }
            us.extend((0..GUIDE).map(|k| k as f64 / GUIDE as f64));
            us.push(1.0f64.next_down());
            for u in us {
                assert_eq!(d.sample(u), reference(u), "u = {u:e}, bands {bands:?}");
            }
        }
    }

    #[test]
    fn staircase_splits_a_crossing_month() {
        let r = default_staircase();
        // The first month runs from week 0 to 4.33: 4 weeks at 80 %, the rest at 40 %.
        let first = (0.8 * 4.0 + 0.4 * (WEEKS_PER_MONTH - 4.0)) / WEEKS_PER_MONTH;
        assert!((staircase_share(0.0, &r) - first).abs() < 1e-12);
        // Weeks 3.0..7.333: 1 week at 80 %, 3.333 at 40 %.
        let expect = (0.8 * 1.0 + 0.4 * (WEEKS_PER_MONTH - 1.0)) / WEEKS_PER_MONTH;
        assert!((staircase_share(3.0, &r) - expect).abs() < 1e-12);
        assert!((staircase_share(100.0, &r) - 0.2).abs() < 1e-12);
    }

    #[test]
    fn subsidy_offsets() {
        let l = LAW_TABLE[1];
        assert_eq!(flex_subsidy(0.0, &l), 18_027.0);
        assert!((flex_subsidy(10_000.0, &l) - (18_027.0 - 3_000.0)).abs() < 1e-9);
        let e = 20_000.0;
        let want = 18_027.0 - 0.3 * 14_116.0 - 0.55 * (e - 14_116.0);
        assert!((flex_subsidy(e, &l) - want).abs() < 1e-9);
        assert_eq!(flex_subsidy(1e6, &l), 0.0);
    }

    #[test]
    fn law_years_are_indexed_beyond_the_table() {
        let m = Money::default();
        let l = m.law_year(2027);
        assert!((l.dp_max - 21_092.0 * 1.02f64.powi(2)).abs() < 1e-6);
        assert_eq!(m.law_year(2019).dp_max, 18_866.0);
    }
}
