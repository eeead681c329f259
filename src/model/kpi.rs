//! The seed project's key performance indicators (KPIs): when they are
//! measured and their targets. Jobcenter Aalborg's project "Udvikling af
//! fleksjob" measured its KPIs in March 2018: the share of the scheme on
//! ledighedsydelse (15.3 % in June 2016, target 13 %) and the share of
//! small-flexjob starters who increase their hours (target 35 %). Source:
//! docs/domain.md.
//!
//! A scenario may declare its own KPIs (`[[kpis]]`, [`Kpi`]); one that
//! declares none is judged by the seed project's two, written in the same
//! form ([`seed`]). [`Kpis::of`] gives a scenario's KPIs either way: every
//! command and the report read them through it, so no KPI's label or
//! target is written anywhere else.

use crate::model::month::Month;

/// The KPI month as (year, month).
const MONTH: (i32, u32) = (2018, 3);

/// KPI 1 at the project's start (June 2016): the share of the scheme on LY.
pub const LY_SHARE_START: f64 = 0.153;
/// KPI 1 target at the KPI month: the share of the scheme on LY.
pub const LY_SHARE_TARGET: f64 = 0.13;
/// KPI 2 target at the KPI month: the share of small-flexjob starters who
/// have increased their hours.
pub const PROGRESSION_TARGET: f64 = 0.35;

/// The KPI month (March 2018).
pub fn month() -> Month {
    Month::new(MONTH.0, MONTH.1).unwrap_or_else(|| unreachable!("2018-03 is a month"))
}

/// The KPI month if the months `start..=end` hold it, else `end`.
pub fn month_in(start: Month, end: Month) -> Month {
    let kpi = month();
    if kpi >= start && kpi <= end {
        kpi
    } else {
        end
    }
}

/// The units a KPI may have (`unit`).
pub const UNITS: [&str; 3] = ["share", "people", "DKK"];

/// Whether a KPI is met at or below its target, or at or above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    /// Met when the value is at most the target (a share on benefit).
    AtMost,
    /// Met when the value is at least the target (a share in work).
    AtLeast,
}

impl Goal {
    /// Whether `value` meets `target`.
    pub fn met(self, value: f64, target: f64) -> bool {
        match self {
            Goal::AtMost => value <= target,
            Goal::AtLeast => value >= target,
        }
    }

    /// Whether a lower value is better.
    pub fn lower_is_better(self) -> bool {
        self == Goal::AtMost
    }

    /// As the scenario file writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Goal::AtMost => "at_most",
            Goal::AtLeast => "at_least",
        }
    }
}

/// A key performance indicator declared by the scenario (model v2,
/// `[[kpis]]`): what is measured, when, and the target. A scenario without
/// `[[kpis]]` has the seed project's two flexjob KPIs ([`LY_SHARE_TARGET`],
/// [`PROGRESSION_TARGET`] at [`month`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kpi {
    /// Identifier, used in `steering.csv` (`kpi:NAME`).
    pub name: String,
    /// What the steering group reads, in English and Danish.
    pub label: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label_da: String,
    /// The quantity, written as a calibration target's (docs/calibration.md):
    /// a metric of `monthly.csv`, a ratio of sums `a/b`, or a cohort's share
    /// in a state `cohort:NAME:STATE`.
    pub value: String,
    /// When it is measured: a month `YYYY-MM`, a period `YYYY-MM/YYYY-MM`, a
    /// calendar year `YYYY`, or for a cohort share the months since entry.
    pub at: String,
    /// The value at the project's start, when known (shown beside the
    /// target).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<f64>,
    pub target: f64,
    pub goal: Goal,
    /// The unit of `value`, `start` and `target`: `share` (shown as a
    /// percentage), `people` or `DKK`.
    #[serde(default = "share_unit")]
    pub unit: String,
}

fn share_unit() -> String {
    "share".into()
}

impl Kpi {
    /// Its label in Danish (`danish`) or English; the English label when
    /// it has no Danish one.
    pub fn label_in(&self, danish: bool) -> &str {
        if danish && !self.label_da.trim().is_empty() {
            &self.label_da
        } else {
            &self.label
        }
    }
}

/// The seed project's two KPIs as a scenario would declare them, measured
/// in `at` (the KPI month, [`month_in`]). Their names and labels are the
/// metrics' own (`ly_share`, `progression_share`; the report's labels).
pub fn seed(at: Month) -> Vec<Kpi> {
    vec![
        Kpi {
            name: "ly_share".into(),
            label: "Share of the scheme on LY".into(),
            label_da: "Andel af ordningen på ledighedsydelse".into(),
            value: "ly_share".into(),
            at: at.to_string(),
            start: Some(LY_SHARE_START),
            target: LY_SHARE_TARGET,
            goal: Goal::AtMost,
            unit: share_unit(),
        },
        Kpi {
            name: "progression_share".into(),
            label: "Progression share (≤ 10 h jobs with more hours)".into(),
            label_da: "Progressionsandel (job ≤ 10 t med flere timer)".into(),
            value: "progression_share".into(),
            at: at.to_string(),
            start: None,
            target: PROGRESSION_TARGET,
            goal: Goal::AtLeast,
            unit: share_unit(),
        },
    ]
}

/// The seed KPIs' short names in `compare`'s terminal table (those of
/// fleksim 0.1).
pub const SEED_TERMINAL: [(&str, &str); 2] = [
    ("ly_share", "LY share"),
    ("progression_share", "Progression share"),
];

/// The KPIs a scenario is judged by: its own `[[kpis]]`, or when it
/// declares none the seed project's ([`seed`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Kpis {
    pub list: Vec<Kpi>,
    /// Whether the scenario declared them (`[[kpis]]`).
    pub declared: bool,
}

impl Kpis {
    /// The KPIs of a scenario that declares `declared` and runs from
    /// `start` to `end`.
    pub fn of(declared: &[Kpi], start: Month, end: Month) -> Kpis {
        if declared.is_empty() {
            Kpis {
                list: seed(month_in(start, end)),
                declared: false,
            }
        } else {
            Kpis {
                list: declared.to_vec(),
                declared: true,
            }
        }
    }

    /// A KPI's indicator in `steering.csv` and `kpis.csv`: `kpi:NAME` for a
    /// declared one; the seed's keep their names of fleksim 0.1
    /// (`ly_share_at_kpi`, `progression_share_at_kpi`).
    pub fn indicator(&self, k: &Kpi) -> String {
        if self.declared {
            format!("kpi:{}", k.name)
        } else {
            format!("{}_at_kpi", k.name)
        }
    }

    /// The KPI of an indicator.
    pub fn by_indicator(&self, indicator: &str) -> Option<&Kpi> {
        self.list.iter().find(|k| self.indicator(k) == indicator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    #[test]
    fn a_scenario_without_kpis_has_the_seed_at_the_kpi_month() {
        let k = Kpis::of(&[], m("2016-09"), m("2026-08"));
        assert!(!k.declared);
        assert_eq!(k.list.len(), 2);
        assert_eq!(k.list[0].at, "2018-03");
        assert_eq!(k.indicator(&k.list[0]), "ly_share_at_kpi");
        assert_eq!(k.indicator(&k.list[1]), "progression_share_at_kpi");
        assert_eq!(k.list[0].target, LY_SHARE_TARGET);
        // A run that ends before March 2018 measures them in its last month.
        let short = Kpis::of(&[], m("2016-09"), m("2017-08"));
        assert_eq!(short.list[1].at, "2017-08");
    }

    #[test]
    fn declared_kpis_replace_the_seed_and_keep_their_names() {
        let mut own = seed(m("2019-06"));
        own.truncate(1);
        own[0].name = "ly".into();
        let k = Kpis::of(&own, m("2019-01"), m("2020-12"));
        assert!(k.declared);
        assert_eq!(k.indicator(&k.list[0]), "kpi:ly");
        assert_eq!(
            k.by_indicator("kpi:ly").map(|k| k.at.as_str()),
            Some("2019-06")
        );
    }

    #[test]
    fn goals_and_labels() {
        assert!(Goal::AtMost.met(0.13, 0.13) && !Goal::AtMost.met(0.14, 0.13));
        assert!(Goal::AtLeast.met(0.4, 0.35) && !Goal::AtLeast.met(0.3, 0.35));
        let mut k = seed(m("2018-03")).remove(0);
        assert_eq!(k.label_in(true), "Andel af ordningen på ledighedsydelse");
        k.label_da.clear();
        assert_eq!(k.label_in(true), "Share of the scheme on LY");
    }
}
