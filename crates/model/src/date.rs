//! Calendar dates known to a year, a month or a day.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How precisely a [`PartialDate`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A date known to the year, month or day, written as a TIMEX3 value
/// (`2018`, `2018-08`, `2018-08-22`; `BC0480` for 480 BC, stored as the
/// astronomical year -479 so that counting years stays arithmetic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
}

/// Why a string is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a date (expected YYYY, YYYY-MM or YYYY-MM-DD): {0:?}")]
pub struct DateError(pub String);

impl PartialDate {
    /// A year-only date.
    pub fn year(year: i32) -> Self {
        Self {
            year,
            month: None,
            day: None,
        }
    }

    /// A month-precision date, `None` if the month is out of range.
    pub fn month(year: i32, month: u32) -> Option<Self> {
        (1..=12).contains(&month).then_some(Self {
            year,
            month: Some(month),
            day: None,
        })
    }

    /// A day-precision date, `None` if it does not exist in the calendar.
    pub fn day(year: i32, month: u32, day: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(year, month, day)?;
        Some(Self {
            year,
            month: Some(month),
            day: Some(day),
        })
    }

    /// A day-precision date from a chrono date.
    pub fn from_naive(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: Some(date.month()),
            day: Some(date.day()),
        }
    }

    pub fn year_value(&self) -> i32 {
        self.year
    }

    pub fn month_value(&self) -> Option<u32> {
        self.month
    }

    pub fn day_value(&self) -> Option<u32> {
        self.day
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// The first calendar day this date covers.
    pub fn first_day(&self) -> NaiveDate {
        let m = self.month.unwrap_or(1);
        let d = self.day.unwrap_or(1);
        NaiveDate::from_ymd_opt(self.year, m, d).unwrap_or(NaiveDate::MIN)
    }

    /// The last calendar day this date covers.
    pub fn last_day(&self) -> NaiveDate {
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d),
            (Some(m), None) => {
                let (ny, nm) = if m == 12 {
                    (self.year + 1, 1)
                } else {
                    (self.year, m + 1)
                };
                NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt())
            }
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31),
        }
        .unwrap_or(NaiveDate::MAX)
    }

    /// The same date cut down to at most `precision`.
    pub fn truncate(&self, precision: Precision) -> Self {
        match precision {
            Precision::Year => Self::year(self.year),
            Precision::Month => Self { day: None, ..*self },
            Precision::Day => *self,
        }
    }
}

/// The astronomical year of the year `n` BC (`480` → -479): there is no
/// year 0 in the era count, so 1 BC is 0 and counting years stays
/// arithmetic. Its own inverse (-479 → 480).
pub fn year_bc(n: i32) -> i32 {
    1 - n
}

/// A year as TIMEX3 writes it: `0480` for AD 480, `BC0480` for 480 BC
/// (astronomical year -479).
pub fn year_str(year: i32) -> String {
    if year <= 0 {
        format!("BC{:04}", year_bc(year))
    } else {
        format!("{year:04}")
    }
}

/// A year for people: `2014`, `79`, `480 BC`.
pub fn year_label(year: i32) -> String {
    if year <= 0 {
        format!("{} BC", year_bc(year))
    } else {
        year.to_string()
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&year_str(self.year))?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; anything after a `T` or a
    /// space following a full date (a time of day) is ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DateError(s.to_string());
        let s = s.trim();
        let (bc, rest) = match s.strip_prefix("BC") {
            Some(r) => (true, r),
            None => (false, s),
        };
        let date_part = rest.split(['T', ' ']).next().unwrap_or("");
        let mut parts = date_part.split('-');
        let num = |p: Option<&str>, len: usize| -> Result<Option<u32>, DateError> {
            match p {
                None => Ok(None),
                Some(p) if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) => {
                    p.parse().map(Some).map_err(|_| err())
                }
                Some(_) => Err(err()),
            }
        };
        let mut year = num(parts.next(), 4)?.ok_or_else(err)? as i32;
        if bc {
            if year == 0 {
                return Err(err());
            }
            year = year_bc(year);
        }
        let month = num(parts.next(), 2)?;
        let day = num(parts.next(), 2)?;
        if parts.next().is_some() || (date_part.len() < rest.len() && day.is_none()) {
            return Err(err());
        }
        match (month, day) {
            (None, _) => Ok(Self::year(year)),
            (Some(m), None) => Self::month(year, m).ok_or_else(err),
            (Some(m), Some(d)) => Self::day(year, m, d).ok_or_else(err),
        }
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PartialDate {
    /// Chronological by first day; a coarser date sorts before a finer one
    /// that starts on the same day.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.first_day(), self.precision()).cmp(&(other.first_day(), other.precision()))
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_precision() {
        assert_eq!(
            "2018".parse::<PartialDate>().unwrap().precision(),
            Precision::Year
        );
        assert_eq!(
            "2018-08".parse::<PartialDate>().unwrap().to_string(),
            "2018-08"
        );
        let d: PartialDate = "2018-08-22T10:00:00Z".parse().unwrap();
        assert_eq!(d.to_string(), "2018-08-22");
    }

    #[test]
    fn years_before_christ_count_on() {
        let d: PartialDate = "BC0480".parse().unwrap();
        assert_eq!(d.year_value(), -479);
        assert_eq!(d.to_string(), "BC0480");
        // the year after 492 BC is 491 BC; the year before 1 AD is 1 BC
        assert_eq!(year_str(-491 + 1), "BC0491");
        assert_eq!(year_str(0), "BC0001");
        assert_eq!(year_str(1), "0001");
        assert_eq!(year_label(-479), "480 BC");
        assert_eq!(year_label(79), "79");
        assert_eq!(year_bc(year_bc(480)), 480);
        assert!(d < "0001".parse().unwrap());
        assert!("BC0000".parse::<PartialDate>().is_err());
    }

    #[test]
    fn rejects_impossible_dates() {
        for bad in [
            "2018-13",
            "2018-02-30",
            "18-08",
            "2018/08/01",
            "",
            "2018-8",
            "2018-08 x",
        ] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges_cover_the_precision() {
        let m: PartialDate = "2024-02".parse().unwrap();
        assert_eq!(m.first_day().to_string(), "2024-02-01");
        assert_eq!(m.last_day().to_string(), "2024-02-29");
        let y = PartialDate::year(2023);
        assert_eq!(y.last_day().to_string(), "2023-12-31");
    }
}
