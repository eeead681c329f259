//! Calibration targets: what a replication says about an observed figure.
//!
//! A target is a quantity measured at a time ([`crate::sim::quantity`],
//! shared with the scenario's KPIs), the observed value and its tolerance
//! (an interval `[lower, upper]` around it).

use crate::sim::engine::Replication;
use crate::sim::plan::Plan;
use crate::sim::quantity;
pub use crate::sim::quantity::{parse_quantity, parse_when, Quantity, When};

/// One observed figure and its tolerance.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Its name in `fit.csv` (`metric@month` unless given).
    pub name: String,
    /// The quantity as written (`ly_stock`, `hires_le10h/hires`,
    /// `cohort:NAME:STATE`).
    pub metric: String,
    /// When, as written (`2016-09`, `2017-09/2019-08`, `2017`, or months
    /// since entry).
    pub month: String,
    pub quantity: Quantity,
    pub when: When,
    pub value: f64,
    pub lower: f64,
    pub upper: f64,
    /// Whether it counts in a point's distance (`fit = false`: only
    /// reported in `fit.csv`).
    pub fitted: bool,
}

impl Target {
    /// Its value in one replication.
    pub fn value(&self, plan: &Plan, r: &Replication) -> f64 {
        quantity::value(&self.quantity, self.when, plan, r)
    }

    /// The distance of a simulated value from the observed one, in units
    /// of the tolerance on its side: ≤ 1 inside `[lower, upper]`.
    pub fn distance(&self, simulated: f64) -> f64 {
        if !simulated.is_finite() {
            return f64::INFINITY;
        }
        if simulated >= self.value {
            (simulated - self.value) / (self.upper - self.value)
        } else {
            (self.value - simulated) / (self.value - self.lower)
        }
    }

    /// Whether the quantity has a monthly series (not a cohort share).
    pub fn monthly(&self) -> bool {
        matches!(self.quantity, Quantity::Metrics { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_is_one_at_either_end_of_the_tolerance() {
        let t = Target {
            name: "x".into(),
            metric: "ly_stock".into(),
            month: "2016-09".into(),
            quantity: Quantity::Metrics {
                num: vec![0],
                den: vec![],
            },
            when: When::Months { first: 0, last: 0 },
            value: 100.0,
            lower: 90.0,
            upper: 120.0,
            fitted: true,
        };
        assert_eq!(t.distance(120.0), 1.0);
        assert_eq!(t.distance(90.0), 1.0);
        assert_eq!(t.distance(105.0), 0.25);
        assert_eq!(t.distance(f64::NAN), f64::INFINITY);
    }
}
