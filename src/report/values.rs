//! How the report prints values: by what a metric measures ([`Measure`],
//! read from its name) and in the page's language.

use super::charts::Unit;
use super::files::Quantiles;
use super::i18n::Lang;
use super::labels::MetricUnit;

/// What a metric measures, read from its name the way fleksim names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// `*_share`: a share, printed as a percentage.
    Share,
    /// `cost_*`, `refusion_*`, `net_*`: DKK.
    Money,
    /// Anything else: people, counts.
    Count,
}

impl Measure {
    pub fn of(metric: &str) -> Measure {
        if let Some(m) = super::labels::base_metric(metric) {
            return if m.money {
                Measure::Money
            } else if m.kind == crate::model::metrics::Kind::Share {
                Measure::Share
            } else {
                Measure::Count
            };
        }
        match super::labels::name_unit(metric) {
            MetricUnit::Share => Measure::Share,
            MetricUnit::Dkk => Measure::Money,
            _ => Measure::Count,
        }
    }

    /// The measure of a KPI's unit (`share`, `people`, `DKK`).
    pub fn of_unit(unit: &str) -> Measure {
        match unit {
            "share" => Measure::Share,
            "DKK" => Measure::Money,
            _ => Measure::Count,
        }
    }

    /// A value without its unit: a level, or a difference (`diff`, shares
    /// then in percentage points).
    pub fn number(self, v: f64, diff: bool, lang: Lang) -> String {
        match self {
            Measure::Share => lang.num(v * 100.0, if diff { 2 } else { 1 }),
            Measure::Money => {
                let m = v / 1e6;
                lang.num(
                    m,
                    if m.abs() >= 100.0 {
                        0
                    } else if m.abs() >= 10.0 {
                        1
                    } else {
                        2
                    },
                )
            }
            Measure::Count => lang.num(v, if v.abs() >= 100.0 { 0 } else { 1 }),
        }
    }

    /// The unit after a number (with its leading space), or nothing.
    pub fn suffix(self, diff: bool, lang: Lang) -> String {
        let w = lang.words();
        match self {
            Measure::Share if diff => format!(" {}", w.pp),
            Measure::Share => " %".to_string(),
            Measure::Money => format!(" {}", w.mdkk),
            Measure::Count => String::new(),
        }
    }

    /// A level (e.g. 13.4 %, 1,234, 12.30 m DKK).
    pub fn level(self, v: f64, lang: Lang) -> String {
        self.number(v, false, lang) + &self.suffix(false, lang)
    }

    /// A difference (shares in percentage points).
    pub fn diff(self, v: f64, lang: Lang) -> String {
        self.number(v, true, lang) + &self.suffix(true, lang)
    }

    /// `median (p05 – p95)` with the unit once, after the median.
    pub fn interval(self, q: &Quantiles, diff: bool, lang: Lang) -> String {
        let n = |v| self.number(v, diff, lang);
        format!(
            "{}{} ({} – {})",
            n(q.p50),
            self.suffix(diff, lang),
            n(q.p05),
            n(q.p95)
        )
    }

    /// The chart unit for levels of this measure.
    pub fn unit(self) -> Unit {
        match self {
            Measure::Share => Unit::Share,
            Measure::Money => Unit::MegaDkk,
            Measure::Count => Unit::Plain,
        }
    }

    /// The unit of an axis of this measure's levels (counts as people;
    /// [`super::labels::metric`] knows each metric's own unit).
    pub fn axis_unit(self, lang: Lang) -> &'static str {
        let w = lang.words();
        match self {
            Measure::Share => "%",
            Measure::Money => w.mdkk_unit,
            Measure::Count => w.people_unit,
        }
    }

    /// The chart unit and the axis words for changes of this measure
    /// (shares in percentage points, money in millions or thousands by the
    /// size of `largest`).
    pub fn change_axis(self, unit: MetricUnit, largest: f64, lang: Lang) -> (Unit, String) {
        let w = lang.words();
        match self {
            Measure::Share => (Unit::Points, w.pp_unit.to_string()),
            Measure::Money if largest.abs() >= 1e5 => (Unit::MegaDkk, w.mdkk_unit.to_string()),
            Measure::Money => (Unit::KiloDkk, w.kdkk_unit.to_string()),
            Measure::Count => (Unit::Plain, unit.words(lang).to_string()),
        }
    }
}

pub use super::labels::capitalized;

/// The words for a metric name (words made of the name if it is unknown).
pub fn metric_name(metric: &str, lang: Lang) -> String {
    super::labels::metric(metric, lang).label
}

/// A value of the steering-group table in its unit.
pub fn steering_value(unit: &str, value: Option<&str>, lang: Lang) -> String {
    let (number, suffix) = steering_parts(unit, value, lang);
    number + suffix
}

/// `median (p05 – p95)` of the steering-group table, the unit once.
pub fn steering_interval(
    unit: &str,
    p50: Option<&str>,
    p05: Option<&str>,
    p95: Option<&str>,
    lang: Lang,
) -> String {
    let bare = |v| steering_parts(unit, v, lang).0;
    format!(
        "{} ({} – {})",
        steering_value(unit, p50, lang),
        bare(p05),
        bare(p95)
    )
}

/// A steering-group value as a number and the unit to print after it.
fn steering_parts(unit: &str, value: Option<&str>, lang: Lang) -> (String, &'static str) {
    let w = lang.words();
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        let none = if unit == "month" { w.never } else { "–" };
        return (none.to_string(), "");
    };
    if unit == "month" {
        return (lang.month_text(text), "");
    }
    let Ok(v) = text.parse::<f64>() else {
        return (text.to_string(), "");
    };
    match unit {
        "share" => (lang.num(v * 100.0, 1), " %"),
        "people" => (lang.num(v, 0), ""),
        "DKK/year" | "DKK" => (lang.num(v / 1e6, 2), w.mdkk_spaced),
        "consultants" => (lang.num(v, 1), ""),
        _ => (lang.num(v, 2), ""),
    }
}

/// The words for a unit of the steering-group table.
pub fn steering_unit(unit: &str, lang: Lang) -> String {
    let w = lang.words();
    match unit {
        "share" => w.share,
        "people" => w.people,
        "DKK/year" => w.dkk_year,
        "consultants" => w.consultants,
        "month" => w.month,
        "DKK" => w.dkk,
        "periods" => w.periods,
        other => other,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_follow_the_names() {
        assert_eq!(Measure::of("ly_share"), Measure::Share);
        assert_eq!(Measure::of("ly_share_avg"), Measure::Share);
        assert_eq!(Measure::of("net_municipal_cost_npv"), Measure::Money);
        assert_eq!(Measure::of("refusion_ly"), Measure::Money);
        assert_eq!(Measure::of("ly_stock"), Measure::Count);
        // By the metrics table, not only by the name's shape.
        assert_eq!(Measure::of("cost_staff_grant_total"), Measure::Money);
        assert_eq!(Measure::of("progression_share_end"), Measure::Share);
        assert_eq!(Measure::of("hires_total"), Measure::Count);
    }

    #[test]
    fn steering_values_print_in_their_unit() {
        assert_eq!(steering_value("share", Some("0.1324"), Lang::En), "13.2 %");
        assert_eq!(steering_value("month", Some(""), Lang::Da), "aldrig");
        assert_eq!(
            steering_value("month", Some("2017-11"), Lang::En),
            "November 2017"
        );
        assert_eq!(
            steering_value("month", Some("2018-03"), Lang::Da),
            "marts 2018"
        );
        assert_eq!(
            steering_value("DKK/year", Some("-233330.8"), Lang::Da),
            "−0,23 mio. kr."
        );
        assert_eq!(steering_value("people", None, Lang::En), "–");
    }
}
