//! Who pays: every money line of a month split by payer, and the
//! municipality's net split by budget frame (issue 18).
//!
//! A Danish budget office books the same kroner three ways:
//! - **by payer**: the gross spending (`gross`) is paid by the
//!   municipality (`kommune`, the net municipal cost) and the state
//!   (`stat`: refusion of LY, flex subsidy and exit benefits, and the
//!   project grant that pays the grant-funded staff and project costs);
//! - **by budget frame** within the municipality: *serviceramme* (service
//!   expenses: the municipality's own staff and the measures) and
//!   *overførsler* (transfers: LY, flex subsidy, the old-rules subsidy and
//!   exit benefits, each net of refusion). A saving on transfers does not
//!   free room under the service frame, so both are shown;
//! - **the public purse** (`public`, model v2): the municipality and the
//!   state together, where refusion cancels and income tax comes back
//!   (`tax_back`: gross spending minus `net_public_cost`).
//!
//! Everything here is derived from one month's metric values
//! ([`crate::model::metrics`]); the engine is not involved. Invariants,
//! for every month of every replication (tested in `tests/budget.rs`):
//! `kommune total + stat total = gross total` and
//! `kommune service + kommune transfers = kommune total`, where the
//! municipal total is the engine's own `net_municipal_cost`.

use crate::model::metrics as mx;

/// Who bears a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payer {
    /// Gross spending, before anyone's share.
    Gross,
    /// The municipality (kommune).
    Kommune,
    /// The state (stat): refusion and the project grant.
    Stat,
    /// The public purse: municipality and state together, net of income tax.
    Public,
}

impl Payer {
    pub fn name(self) -> &'static str {
        match self {
            Payer::Gross => "gross",
            Payer::Kommune => "kommune",
            Payer::Stat => "stat",
            Payer::Public => "public",
        }
    }
}

/// The municipal budget frame of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    /// *Serviceramme*: staff and measures.
    Service,
    /// *Overførsler*: benefits and subsidies net of refusion.
    Transfers,
}

impl Frame {
    pub fn name(self) -> &'static str {
        match self {
            Frame::Service => "service",
            Frame::Transfers => "transfers",
        }
    }
}

/// How a cell is computed from a month's metrics.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// A signed sum of metrics.
    Sum(&'static [(usize, f64)]),
    /// One metric as the engine wrote it.
    Metric(usize),
    /// Gross spending minus `net_public_cost`: income tax that comes back.
    TaxBack,
}

/// One figure of the split: a money line and who bears it.
#[derive(Debug, Clone, Copy)]
pub struct Cell {
    /// `ly`, `flex`, `exit`, `staff`, `grant`, `measures`, `service`,
    /// `transfers`, `tax_back` or `total`.
    pub line: &'static str,
    pub payer: Payer,
    /// The municipal budget frame, for the municipality's cells.
    pub frame: Option<Frame>,
    rule: Rule,
}

const fn cell(line: &'static str, payer: Payer, frame: Option<Frame>, rule: Rule) -> Cell {
    Cell {
        line,
        payer,
        frame,
        rule,
    }
}

use mx::{
    COST_EXIT, COST_FLEX_SUBSIDY, COST_LY, COST_MEASURES, COST_OLD_SCHEME, COST_STAFF_GRANT,
    COST_STAFF_MUNICIPAL, NET_MUNICIPAL_COST, NET_PUBLIC_COST, REFUSION_EXIT, REFUSION_FLEX,
    REFUSION_LY,
};
use Frame::{Service, Transfers};
use Payer::{Gross, Kommune, Public, Stat};
use Rule::{Metric, Sum, TaxBack};

/// Every spending metric: gross spending is their sum.
const GROSS: &[(usize, f64)] = &[
    (COST_LY, 1.0),
    (COST_FLEX_SUBSIDY, 1.0),
    (COST_OLD_SCHEME, 1.0),
    (COST_EXIT, 1.0),
    (COST_STAFF_MUNICIPAL, 1.0),
    (COST_STAFF_GRANT, 1.0),
    (COST_MEASURES, 1.0),
];

/// The split, in output order: each money line by payer, then the
/// municipality's frames, then the totals and the public purse.
pub const CELLS: [Cell; 22] = [
    cell("ly", Gross, None, Sum(&[(COST_LY, 1.0)])),
    cell(
        "ly",
        Kommune,
        Some(Transfers),
        Sum(&[(COST_LY, 1.0), (REFUSION_LY, -1.0)]),
    ),
    cell("ly", Stat, None, Sum(&[(REFUSION_LY, 1.0)])),
    cell(
        "flex",
        Gross,
        None,
        Sum(&[(COST_FLEX_SUBSIDY, 1.0), (COST_OLD_SCHEME, 1.0)]),
    ),
    cell(
        "flex",
        Kommune,
        Some(Transfers),
        Sum(&[
            (COST_FLEX_SUBSIDY, 1.0),
            (COST_OLD_SCHEME, 1.0),
            (REFUSION_FLEX, -1.0),
        ]),
    ),
    cell("flex", Stat, None, Sum(&[(REFUSION_FLEX, 1.0)])),
    cell("exit", Gross, None, Sum(&[(COST_EXIT, 1.0)])),
    cell(
        "exit",
        Kommune,
        Some(Transfers),
        Sum(&[(COST_EXIT, 1.0), (REFUSION_EXIT, -1.0)]),
    ),
    cell("exit", Stat, None, Sum(&[(REFUSION_EXIT, 1.0)])),
    cell("staff", Gross, None, Sum(&[(COST_STAFF_MUNICIPAL, 1.0)])),
    cell(
        "staff",
        Kommune,
        Some(Service),
        Sum(&[(COST_STAFF_MUNICIPAL, 1.0)]),
    ),
    cell("grant", Gross, None, Sum(&[(COST_STAFF_GRANT, 1.0)])),
    cell("grant", Stat, None, Sum(&[(COST_STAFF_GRANT, 1.0)])),
    cell("measures", Gross, None, Sum(&[(COST_MEASURES, 1.0)])),
    cell(
        "measures",
        Kommune,
        Some(Service),
        Sum(&[(COST_MEASURES, 1.0)]),
    ),
    cell(
        "service",
        Kommune,
        Some(Service),
        Sum(&[(COST_STAFF_MUNICIPAL, 1.0), (COST_MEASURES, 1.0)]),
    ),
    cell(
        "transfers",
        Kommune,
        Some(Transfers),
        Sum(&[
            (COST_LY, 1.0),
            (REFUSION_LY, -1.0),
            (COST_FLEX_SUBSIDY, 1.0),
            (COST_OLD_SCHEME, 1.0),
            (REFUSION_FLEX, -1.0),
            (COST_EXIT, 1.0),
            (REFUSION_EXIT, -1.0),
        ]),
    ),
    cell("total", Gross, None, Sum(GROSS)),
    cell("total", Kommune, None, Metric(NET_MUNICIPAL_COST)),
    cell(
        "total",
        Stat,
        None,
        Sum(&[
            (REFUSION_LY, 1.0),
            (REFUSION_FLEX, 1.0),
            (REFUSION_EXIT, 1.0),
            (COST_STAFF_GRANT, 1.0),
        ]),
    ),
    cell("tax_back", Public, None, TaxBack),
    cell("total", Public, None, Metric(NET_PUBLIC_COST)),
];

/// Number of cells.
pub const N: usize = CELLS.len();

/// The index of a cell by line and payer.
pub fn index(line: &str, payer: Payer) -> Option<usize> {
    CELLS
        .iter()
        .position(|c| c.line == line && c.payer == payer)
}

/// The name of a cell as one word, `kommune_service`: the key of the
/// report's labels and of [`is_money`].
pub fn key(c: &Cell) -> String {
    format!("{}_{}", c.payer.name(), c.line)
}

/// Whether `name` is a cell's key (so its figures are DKK).
pub fn is_money(name: &str) -> bool {
    CELLS.iter().any(|c| key(c) == name)
}

fn sum(row: &[f64], terms: &[(usize, f64)]) -> f64 {
    terms.iter().map(|&(i, s)| s * row[i]).sum()
}

/// The split of one month: `row` holds the month's metrics in
/// [`mx::METRICS`] order; the result the cells in [`CELLS`] order.
pub fn split(row: &[f64]) -> [f64; N] {
    let mut out = [0.0; N];
    for (o, c) in out.iter_mut().zip(CELLS.iter()) {
        *o = match c.rule {
            Sum(terms) => sum(row, terms),
            Metric(i) => row[i],
            TaxBack => sum(row, GROSS) - row[NET_PUBLIC_COST],
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_made_month_splits_as_the_budget_office_books_it() {
        let mut row = vec![0.0; mx::N];
        row[COST_LY] = 100.0;
        row[REFUSION_LY] = 20.0;
        row[COST_FLEX_SUBSIDY] = 50.0;
        row[COST_OLD_SCHEME] = 10.0;
        row[REFUSION_FLEX] = 12.0;
        row[COST_EXIT] = 30.0;
        row[REFUSION_EXIT] = 6.0;
        row[COST_STAFF_MUNICIPAL] = 40.0;
        row[COST_STAFF_GRANT] = 25.0;
        row[COST_MEASURES] = 5.0;
        row[NET_MUNICIPAL_COST] = 100.0 - 20.0 + 60.0 - 12.0 + 30.0 - 6.0 + 40.0 + 5.0;
        row[NET_PUBLIC_COST] = 200.0;
        let s = split(&row);
        let at = |line, payer| s[index(line, payer).unwrap()];
        assert_eq!(at("total", Gross), 260.0);
        assert_eq!(at("total", Stat), 63.0);
        assert_eq!(at("total", Kommune), 197.0);
        assert_eq!(at("service", Kommune), 45.0);
        assert_eq!(at("transfers", Kommune), 152.0);
        assert_eq!(at("tax_back", Public), 60.0);
        assert_eq!(at("total", Public), 200.0);
        assert_eq!(at("flex", Kommune), 48.0);
        assert!(is_money("kommune_service") && !is_money("kommune_nothing"));
    }
}
