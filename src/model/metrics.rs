//! The monthly metrics every replication records, in one fixed order.
//!
//! A replication's result is a dense `months × METRICS.len()` table; the
//! index of a metric is its position in [`METRICS`].

/// How a metric aggregates over a year or the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A stock at the end of the month: averaged over a period, last value at the end.
    Stock,
    /// A share: averaged over a period.
    Share,
    /// A count or amount during the month: summed over a period.
    Flow,
}

/// A metric's name and kind.
#[derive(Debug, Clone, Copy)]
pub struct Metric {
    pub name: &'static str,
    pub kind: Kind,
    /// A money line (DKK).
    pub money: bool,
}

const fn m(name: &'static str, kind: Kind, money: bool) -> Metric {
    Metric { name, kind, money }
}

use Kind::*;

/// All metrics, in output order.
pub const METRICS: &[Metric] = &[
    m("ly_stock", Stock, false),
    m("ly_stock_le6m", Stock, false),
    m("flex_stock", Stock, false),
    m("flex_le10h", Stock, false),
    m("flex_old_rules", Stock, false),
    m("flex_h01_05", Stock, false),
    m("flex_h06_10", Stock, false),
    m("flex_h11_15", Stock, false),
    m("flex_h16_20", Stock, false),
    m("flex_h21_37", Stock, false),
    m("ly_share", Share, false),
    m("progression_share", Share, false),
    m("progression_base", Stock, false),
    m("visitations", Flow, false),
    m("direct_hires", Flow, false),
    m("hires", Flow, false),
    m("hires_le10h", Flow, false),
    m("dismissals", Flow, false),
    m("exits_ly", Flow, false),
    m("exits_flex", Flow, false),
    m("hours_up", Flow, false),
    m("hours_down", Flow, false),
    m("consultants", Stock, false),
    m("caseload", Stock, false),
    m("capacity", Stock, false),
    m("contacts", Flow, false),
    m("cost_ly", Flow, true),
    m("cost_flex_subsidy", Flow, true),
    m("cost_old_scheme", Flow, true),
    m("refusion_ly", Flow, true),
    m("refusion_flex", Flow, true),
    m("cost_staff_municipal", Flow, true),
    m("cost_staff_grant", Flow, true),
    m("cost_measures", Flow, true),
    m("net_municipal_cost", Flow, true),
    // Model v2: exit states and the public purse (docs/model.md).
    m("exit_stock", Stock, false),
    m("cost_exit", Flow, true),
    m("refusion_exit", Flow, true),
    m("wages_flex", Flow, true),
    m("tax_municipal", Flow, true),
    m("net_public_cost", Flow, true),
    m("participants", Stock, false),
    // Model v2: programme states (docs/model.md, "Programmes").
    m("programme_stock", Stock, false),
    m("programme_entries", Flow, false),
    m("programme_returns", Flow, false),
];

/// The budget lines of `budget_difference.csv` and the workbook, in order: the metrics a
/// budget planner books, and the net. `net_municipal_cost` = `cost_ly` −
/// `refusion_ly` + `cost_flex_subsidy` + `cost_old_scheme` −
/// `refusion_flex` + `cost_staff_municipal` + `cost_measures` +
/// `cost_exit` − `refusion_exit`; the grant-funded staff is shown but not
/// in the net. After the net, the public purse (model v2): the municipal
/// income tax on flexjob wages and `net_public_cost`.
pub const BUDGET_LINES: [&str; 13] = [
    "cost_ly",
    "refusion_ly",
    "cost_flex_subsidy",
    "cost_old_scheme",
    "refusion_flex",
    "cost_staff_municipal",
    "cost_staff_grant",
    "cost_measures",
    "cost_exit",
    "refusion_exit",
    "net_municipal_cost",
    "tax_municipal",
    "net_public_cost",
];

/// Number of metrics.
pub const N: usize = METRICS.len();

/// Index of a metric by name.
pub fn index(name: &str) -> Option<usize> {
    METRICS.iter().position(|m| m.name == name)
}

// Indices used by the engine; checked against the names in a test.
pub const LY_STOCK: usize = 0;
pub const LY_STOCK_LE6M: usize = 1;
pub const FLEX_STOCK: usize = 2;
pub const FLEX_LE10H: usize = 3;
pub const FLEX_OLD_RULES: usize = 4;
pub const FLEX_BANDS: usize = 5; // five bands from here
pub const LY_SHARE: usize = 10;
pub const PROGRESSION_SHARE: usize = 11;
pub const PROGRESSION_BASE: usize = 12;
pub const VISITATIONS: usize = 13;
pub const DIRECT_HIRES: usize = 14;
pub const HIRES: usize = 15;
pub const HIRES_LE10H: usize = 16;
pub const DISMISSALS: usize = 17;
pub const EXITS_LY: usize = 18;
pub const EXITS_FLEX: usize = 19;
pub const HOURS_UP: usize = 20;
pub const HOURS_DOWN: usize = 21;
pub const CONSULTANTS: usize = 22;
pub const CASELOAD: usize = 23;
pub const CAPACITY: usize = 24;
pub const CONTACTS: usize = 25;
pub const COST_LY: usize = 26;
pub const COST_FLEX_SUBSIDY: usize = 27;
pub const COST_OLD_SCHEME: usize = 28;
pub const REFUSION_LY: usize = 29;
pub const REFUSION_FLEX: usize = 30;
pub const COST_STAFF_MUNICIPAL: usize = 31;
pub const COST_STAFF_GRANT: usize = 32;
pub const COST_MEASURES: usize = 33;
pub const NET_MUNICIPAL_COST: usize = 34;
pub const EXIT_STOCK: usize = 35;
pub const COST_EXIT: usize = 36;
pub const REFUSION_EXIT: usize = 37;
pub const WAGES_FLEX: usize = 38;
pub const TAX_MUNICIPAL: usize = 39;
pub const NET_PUBLIC_COST: usize = 40;
pub const PARTICIPANTS: usize = 41;
pub const PROGRAMME_STOCK: usize = 42;
pub const PROGRAMME_ENTRIES: usize = 43;
pub const PROGRAMME_RETURNS: usize = 44;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_match_names() {
        let pairs = [
            (LY_STOCK, "ly_stock"),
            (LY_STOCK_LE6M, "ly_stock_le6m"),
            (FLEX_STOCK, "flex_stock"),
            (FLEX_LE10H, "flex_le10h"),
            (FLEX_OLD_RULES, "flex_old_rules"),
            (FLEX_BANDS, "flex_h01_05"),
            (LY_SHARE, "ly_share"),
            (PROGRESSION_SHARE, "progression_share"),
            (PROGRESSION_BASE, "progression_base"),
            (VISITATIONS, "visitations"),
            (DIRECT_HIRES, "direct_hires"),
            (HIRES, "hires"),
            (HIRES_LE10H, "hires_le10h"),
            (DISMISSALS, "dismissals"),
            (EXITS_LY, "exits_ly"),
            (EXITS_FLEX, "exits_flex"),
            (HOURS_UP, "hours_up"),
            (HOURS_DOWN, "hours_down"),
            (CONSULTANTS, "consultants"),
            (CASELOAD, "caseload"),
            (CAPACITY, "capacity"),
            (CONTACTS, "contacts"),
            (COST_LY, "cost_ly"),
            (COST_FLEX_SUBSIDY, "cost_flex_subsidy"),
            (COST_OLD_SCHEME, "cost_old_scheme"),
            (REFUSION_LY, "refusion_ly"),
            (REFUSION_FLEX, "refusion_flex"),
            (COST_STAFF_MUNICIPAL, "cost_staff_municipal"),
            (COST_STAFF_GRANT, "cost_staff_grant"),
            (COST_MEASURES, "cost_measures"),
            (NET_MUNICIPAL_COST, "net_municipal_cost"),
            (EXIT_STOCK, "exit_stock"),
            (COST_EXIT, "cost_exit"),
            (REFUSION_EXIT, "refusion_exit"),
            (WAGES_FLEX, "wages_flex"),
            (TAX_MUNICIPAL, "tax_municipal"),
            (NET_PUBLIC_COST, "net_public_cost"),
            (PARTICIPANTS, "participants"),
            (PROGRAMME_STOCK, "programme_stock"),
            (PROGRAMME_ENTRIES, "programme_entries"),
            (PROGRAMME_RETURNS, "programme_returns"),
        ];
        for (i, name) in pairs {
            assert_eq!(METRICS[i].name, name);
        }
        assert_eq!(index("net_municipal_cost"), Some(NET_MUNICIPAL_COST));
        for line in BUDGET_LINES {
            assert!(
                index(line).is_some_and(|i| METRICS[i].money),
                "{line} is not a money metric"
            );
        }
    }
}
