//! Calendar dates (`YYYY-MM-DD`) for validity periods and `--as-of`.

use std::fmt;

/// A calendar date, ordered chronologically. Stored as `yyyymmdd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(u32);

impl Date {
    /// The earliest date (`0001-01-01`), before everything.
    pub const MIN: Date = Date(10_101);

    /// The date from its parts; `None` when the day does not exist.
    pub fn new(year: u32, month: u32, day: u32) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        (day <= days).then_some(Date(year * 10_000 + month * 100 + day))
    }

    /// Parses `YYYY-MM-DD` exactly (ten characters, a real day).
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |s: &[u8]| -> Option<u32> {
            s.iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        Date::new(num(&b[..4])?, num(&b[5..7])?, num(&b[8..])?)
    }

    /// The calendar year.
    pub fn year(self) -> u32 {
        self.0 / 10_000
    }

    /// Days since 1970-01-01 (negative before), for spans between dates.
    pub fn days_since_epoch(self) -> i32 {
        let (y, m, d) = (
            self.0 as i32 / 10_000,
            (self.0 / 100 % 100) as i32,
            (self.0 % 100) as i32,
        );
        // Days from civil (proleptic Gregorian), counting years from March.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The first day of `year`.
    pub fn start_of(year: u32) -> Option<Date> {
        Date::new(year, 1, 1)
    }

    /// The day before, for validity periods that end when the next begins.
    pub fn pred(self) -> Date {
        let (y, m, d) = (self.0 / 10_000, self.0 / 100 % 100, self.0 % 100);
        if d > 1 {
            return Date(self.0 - 1);
        }
        if m > 1 {
            let mut day = 31;
            while Date::new(y, m - 1, day).is_none() {
                day -= 1;
            }
            return Date(y * 10_000 + (m - 1) * 100 + day);
        }
        Date((y - 1) * 10_000 + 1231)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0 / 10_000,
            self.0 / 100 % 100,
            self.0 % 100
        )
    }
}

/// When a row or rule is in force: from `from` to `to`, both days included. An open end is
/// `None`. Each end names the instrument that made the change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Validity {
    /// First day in force; `None` = undated (in force from its dataset's version date).
    pub from: Option<Date>,
    /// Instrument that brought it into force.
    pub from_source: String,
    /// Last day in force; `None` = still in force.
    pub to: Option<Date>,
    /// Instrument that ended it.
    pub to_source: String,
}

/// Whether something is in force on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InForce {
    /// In force.
    Yes,
    /// Not in force (before its dated start, or after its end).
    No,
    /// Undated and the day is before its dataset's version date: not established.
    Unknown,
}

impl Validity {
    /// Status on `day`, where undated starts count from `baseline` (the dataset version date).
    pub fn on(&self, day: Date, baseline: Date) -> InForce {
        if self.to.is_some_and(|to| day > to) {
            return InForce::No;
        }
        match self.from {
            Some(from) if day < from => InForce::No,
            Some(_) => InForce::Yes,
            None if day < baseline => InForce::Unknown,
            None => InForce::Yes,
        }
    }

    /// Whether the period is dated at either end.
    pub fn is_dated(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_between_dates() {
        let d = |t: &str| Date::parse(t).map(Date::days_since_epoch);
        assert_eq!(d("1970-01-01"), Some(0));
        assert_eq!(d("2000-03-01"), Some(11_017));
        assert_eq!(
            d("2014-12-31").zip(d("2013-12-04")).map(|(a, b)| a - b),
            Some(392)
        );
    }

    #[test]
    fn dates_parse_and_order() {
        assert_eq!(
            Date::parse("2022-03-07").map(|d| d.to_string()).as_deref(),
            Some("2022-03-07")
        );
        assert!(Date::parse("2022-02-29").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2022-3-07").is_none());
        assert!(Date::parse("2022-13-01").is_none());
        assert!(Date::parse("20220307").is_none());
        assert!(Date::parse("2021-12-31") < Date::parse("2022-01-01"));
        assert_eq!(
            Date::parse("2022-03-01")
                .map(|d| d.pred().to_string())
                .as_deref(),
            Some("2022-02-28")
        );
        assert_eq!(
            Date::parse("2022-01-01")
                .map(|d| d.pred().to_string())
                .as_deref(),
            Some("2021-12-31")
        );
    }

    #[test]
    fn validity_is_inclusive_and_undated_rows_start_at_the_baseline() {
        let v = Validity {
            from: Date::parse("2022-03-07"),
            to: Date::parse("2022-05-25"),
            ..Validity::default()
        };
        let base = Date::parse("2026-07-23").unwrap_or(Date(0));
        let d = |s| Date::parse(s).unwrap_or(Date(0));
        assert_eq!(v.on(d("2022-03-06"), base), InForce::No);
        assert_eq!(v.on(d("2022-03-07"), base), InForce::Yes);
        assert_eq!(v.on(d("2022-05-25"), base), InForce::Yes);
        assert_eq!(v.on(d("2022-05-26"), base), InForce::No);
        let undated = Validity::default();
        assert_eq!(undated.on(d("2021-01-01"), base), InForce::Unknown);
        assert_eq!(undated.on(d("2026-07-23"), base), InForce::Yes);
    }
}
