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
