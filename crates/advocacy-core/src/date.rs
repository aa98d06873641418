//! Calendar dates (`YYYY-MM-DD`): all the core needs is parsing, months and day counts.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What an observation date cell may hold (a row's `observed` column).
pub(crate) const OBSERVED_ALLOWED: &str = "a date as YYYY-MM-DD, or an empty cell";

/// A date that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("date {value:?} is not a valid date; allowed: YYYY-MM-DD")]
pub struct DateError {
    /// The text seen.
    pub value: String,
}

/// A calendar date in the proleptic Gregorian calendar, written `YYYY-MM-DD`.
///
/// ```
/// use advocacy_core::Date;
/// let d: Date = "2026-08-31".parse().unwrap();
/// assert_eq!(d.add_months(6).to_string(), "2027-02-28");
/// assert_eq!(d.days_until("2026-09-10".parse().unwrap()), 10);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

impl Date {
    /// A date from its parts, if it exists.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) && (0..=9999).contains(&year))
            .then_some(Date { year, month, day })
    }
    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }
    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }
    /// The day of the month.
    pub fn day(self) -> u8 {
        self.day
    }
    /// The quarter, 1 to 4.
    pub fn quarter(self) -> u8 {
        (self.month - 1) / 3 + 1
    }
    /// The earliest date the library supports, 0000-01-01.
    pub const MIN: Date = Date { year: 0, month: 1, day: 1 };
    /// The latest date the library supports, 9999-12-31.
    pub const MAX: Date = Date { year: 9999, month: 12, day: 31 };

    /// The same day `n` months later (or earlier), clamped to the month's last day and to the
    /// calendar's ends ([`Date::MIN`], [`Date::MAX`]): never earlier than `self` for `n >= 0`.
    ///
    /// ```
    /// use advocacy_core::Date;
    /// let d: Date = "9999-08-01".parse().unwrap();
    /// assert_eq!(d.add_months(6), Date::MAX);
    /// ```
    pub fn add_months(self, n: i32) -> Date {
        let total = self.year as i64 * 12 + (self.month as i64 - 1) + n as i64;
        let year = total.div_euclid(12);
        if year > 9999 {
            return Date::MAX;
        }
        if year < 0 {
            return Date::MIN;
        }
        let (year, month) = (year as i32, (total.rem_euclid(12) + 1) as u8);
        let day = self.day.min(days_in_month(year, month));
        Date { year, month, day }
    }
    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = self.year as i64 - if self.month <= 2 { 1 } else { 0 };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }
    /// The date `days` days after 1970-01-01, clamped to [`Date::MIN`] and [`Date::MAX`].
    pub fn from_days(days: i64) -> Date {
        // 0000-01-01 and 9999-12-31 as day numbers.
        const FIRST: i64 = -719_528;
        const LAST: i64 = 2_932_896;
        if days <= FIRST {
            return Date::MIN;
        }
        if days >= LAST {
            return Date::MAX;
        }
        let z = days + 719468;
        let era = z.div_euclid(146097);
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
        if year > 9999 {
            return Date::MAX;
        }
        if year < 0 {
            return Date::MIN;
        }
        Date { year: year as i32, month, day }
    }
    /// The date `n` days later (or earlier).
    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.to_days().saturating_add(n))
    }
    /// Days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Date) -> i64 {
        other.to_days() - self.to_days()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DateError { value: s.chars().take(40).collect() };
        let t = s.trim();
        // Accept a full timestamp too; only the date part counts.
        let t = t
            .get(..10)
            .filter(|_| t.len() == 10 || t.as_bytes().get(10).is_some_and(|b| *b == b'T' || *b == b' '))
            .ok_or_else(err)?;
        let b = t.as_bytes();
        if b[4] != b'-' || b[7] != b'-' {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| {
            t.get(r).filter(|p| p.bytes().all(|c| c.is_ascii_digit())).and_then(|p| p.parse::<i32>().ok())
        };
        let (y, m, d) = (num(0..4).ok_or_else(err)?, num(5..7).ok_or_else(err)?, num(8..10).ok_or_else(err)?);
        Date::new(y, m as u8, d as u8).ok_or_else(err)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_days() {
        for days in [-700_000i64, -1, 0, 1, 59, 365, 10_957, 20_000, 2_000_000] {
            assert_eq!(Date::from_days(days).to_days(), days);
        }
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!("2024-02-29".parse::<Date>().unwrap().to_string(), "2024-02-29");
        assert_eq!("2024-02-29T10:00:00Z".parse::<Date>().unwrap().to_string(), "2024-02-29");
        for bad in ["2023-02-29", "2024-13-01", "24-01-01", "2024/01/01", "", "2024-01-011", "２０２４-01-01"] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_end_of_the_calendar_clamps() {
        let d: Date = "9999-08-01".parse().unwrap();
        assert_eq!(d.add_months(6), Date::MAX);
        assert_eq!(d.add_days(400), Date::MAX);
        assert_eq!("9999-12-31".parse::<Date>().unwrap().add_days(1), Date::MAX);
        assert_eq!(Date::MIN.add_months(-1), Date::MIN);
        assert_eq!(Date::MIN.add_days(-1), Date::MIN);
        assert_eq!(Date::MIN.to_days(), -719_528);
        assert_eq!(Date::MAX.to_days(), 2_932_896);
        assert_eq!(d.add_days(i64::MAX), Date::MAX);
        assert_eq!(d.add_days(i64::MIN), Date::MIN);
        assert_eq!("9999-02-28".parse::<Date>().unwrap().add_days(1).to_string(), "9999-03-01");
        for n in [0, 1, 5, 11, 12, 100, 1_000_000] {
            assert!(d.add_months(n) >= d, "{n}");
        }
    }

    #[test]
    fn months_clamp() {
        let d: Date = "2026-08-31".parse().unwrap();
        assert_eq!(d.add_months(6).to_string(), "2027-02-28");
        assert_eq!(d.add_months(-8).to_string(), "2025-12-31");
        assert_eq!(d.quarter(), 3);
    }
}
