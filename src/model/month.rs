//! Calendar months (`YYYY-MM`), the simulation's unit of time.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A calendar month. Stored as months since year 0 so that arithmetic is
/// plain integer arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(i32);

impl Month {
    /// Builds a month from a year and a month number 1..=12.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        if (1..=12).contains(&month) && (1000..=9999).contains(&year) {
            Some(Month(year * 12 + month as i32 - 1))
        } else {
            None
        }
    }

    /// Parses `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Month> {
        let (y, m) = text.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        Month::new(y.parse().ok()?, m.parse().ok()?)
    }

    /// Parses a command-line month, with a message for clap.
    pub fn parse_arg(text: &str) -> Result<Month, String> {
        Month::parse(text)
            .ok_or_else(|| format!("`{text}` is not a month: write YYYY-MM, e.g. 2018-03"))
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// Month number 1..=12.
    pub fn month(self) -> u32 {
        self.0.rem_euclid(12) as u32 + 1
    }

    /// The month `n` months later (earlier when negative).
    pub fn plus(self, n: i32) -> Month {
        Month(self.0 + n)
    }

    /// Months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Month) -> i32 {
        later.0 - self.0
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Month::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not a month: write \"YYYY-MM\", e.g. \"2017-01\""
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let m = Month::parse("2016-09").unwrap();
        assert_eq!(m.to_string(), "2016-09");
        assert_eq!(m.plus(4).to_string(), "2017-01");
        assert_eq!(m.plus(-9).to_string(), "2015-12");
        assert_eq!(m.months_until(Month::parse("2018-03").unwrap()), 18);
    }

    #[test]
    fn rejects_non_months() {
        for bad in [
            "2016-13", "2016-00", "16-09", "2016-9", "2016/09", "abcd-ef", "",
        ] {
            assert!(Month::parse(bad).is_none(), "{bad}");
        }
    }
}
