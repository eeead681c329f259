//! The seed project's key performance indicators (KPIs): when they are
//! measured and their targets. Jobcenter Aalborg's project "Udvikling af
//! fleksjob" measured its KPIs in March 2018: the share of the scheme on
//! ledighedsydelse (15.3 % in June 2016, target 13 %) and the share of
//! small-flexjob starters who increase their hours (target 35 %). Source:
//! docs/domain.md. `compare`'s steering table and the report read them
//! from here.

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

/// Whether a KPI is met at or below its target, or at or above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    /// Met when the value is at most the target (a share on benefit).
    AtMost,
    /// Met when the value is at least the target (a share in work).
    AtLeast,
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
