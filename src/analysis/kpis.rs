//! The scenario's KPIs measured in each replication.
//!
//! A scenario's KPIs are its `[[kpis]]`, or the seed project's two when it
//! declares none ([`crate::model::kpi::Kpis`]). Each is a quantity at a time
//! ([`crate::sim::quantity`], the same as a calibration target), compiled
//! once against a plan and then read off every replication. `run` writes
//! their summaries to `kpis.csv` (when declared) and `compare` puts them in
//! the steering table.

use crate::model::error::InputError;
use crate::model::kpi::Kpis;
use crate::model::month::Month;
use crate::sim::engine::Replication;
use crate::sim::plan::Plan;
use crate::sim::quantity::{self, Quantity, When};

/// A scenario's KPIs compiled against a plan.
#[derive(Debug, Clone)]
pub struct Measured {
    pub kpis: Kpis,
    measures: Vec<(Quantity, When)>,
}

impl Measured {
    /// The KPIs of `plan`'s scenario.
    pub fn of(plan: &Plan) -> Result<Measured, InputError> {
        let s = &plan.scenario;
        Measured::new(Kpis::of(&s.kpis, s.start, s.end()), plan)
    }

    /// `kpis` (perhaps another scenario's) compiled against `plan`; `Err`
    /// names the KPI and says what is allowed (the loader refuses a bad
    /// `[[kpis]]` before this, so it is another scenario's KPI that does
    /// not fit this plan).
    pub fn new(kpis: Kpis, plan: &Plan) -> Result<Measured, InputError> {
        let measures = kpis
            .list
            .iter()
            .enumerate()
            .map(|(i, k)| {
                quantity::parse(&k.value, &k.at, plan).map_err(|(field, why)| {
                    InputError(format!(
                        "KPI `{}` (kpis[{i}].{field}) cannot be measured in scenario `{}`: {why}",
                        k.name, plan.scenario.name
                    ))
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Measured { kpis, measures })
    }

    /// How many KPIs.
    pub fn len(&self) -> usize {
        self.measures.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.measures.is_empty()
    }

    /// Each KPI's value in one replication, in order.
    pub fn values<'a>(
        &'a self,
        plan: &'a Plan,
        r: &'a Replication,
    ) -> impl Iterator<Item = f64> + 'a {
        self.measures
            .iter()
            .map(move |(q, w)| quantity::value(q, *w, plan, r))
    }

    /// Simulated months in each KPI's period (1 for a month or a cohort
    /// share).
    pub fn months(&self) -> Vec<usize> {
        self.measures
            .iter()
            .map(|(_, w)| match *w {
                When::Months { first, last } | When::Year { first, last } => last - first + 1,
                When::SinceEntry(_) => 1,
            })
            .collect()
    }

    /// The single months at which some KPI is measured, in order (the
    /// default `--at` of `compare`).
    pub fn single_months(&self, plan: &Plan) -> Vec<Month> {
        let mut out: Vec<Month> = self
            .measures
            .iter()
            .filter_map(|(_, w)| match *w {
                When::Months { first, last } if first == last => Some(plan.scenario.month(first)),
                _ => None,
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }
}
