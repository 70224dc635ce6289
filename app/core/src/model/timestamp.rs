//! STIX timestamps: parsing RFC 3339 text and writing it canonically.
//!
//! STIX 2.1 timestamps are RFC 3339 in UTC (`Z`); `created` and `modified` must be precise to the
//! millisecond. The reader accepts what real files contain (no fraction, a numeric offset,
//! lower-case `t`/`z`) and [`Timestamp`] always writes the canonical form:
//! `YYYY-MM-DDTHH:MM:SS.fffZ`, UTC, at least three fraction digits and never fewer than the input
//! had, so no precision is lost.

use std::cmp::Ordering;
use std::fmt;

/// A validated point in time, kept with its full fractional precision.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    /// Whole seconds since 1970-01-01T00:00:00Z (a leap second `:60` counts as its `:59`).
    seconds_since_epoch: i64,
    /// True for a leap second (`:60`), the second after `:59`, which is written as it was.
    leap_second: bool,
    /// Fraction-of-second digits, at least three, trailing zeros kept as given.
    fraction_digits: String,
}

/// What parsing a timestamp found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedTimestamp {
    /// The value.
    pub timestamp: Timestamp,
    /// True when the text was already in canonical form.
    pub was_canonical: bool,
}

impl Timestamp {
    /// Parses RFC 3339 text. Returns `None` for anything that is not a real date and time.
    #[must_use]
    pub fn parse(text: &str) -> Option<ParsedTimestamp> {
        let bytes = text.as_bytes();
        if bytes.len() < 20 {
            return None;
        }
        let year = digits(bytes, 0, 4)?;
        let month = digits(bytes, 5, 2)?;
        let day = digits(bytes, 8, 2)?;
        let hour = digits(bytes, 11, 2)?;
        let minute = digits(bytes, 14, 2)?;
        let second = digits(bytes, 17, 2)?;
        if bytes[4] != b'-' || bytes[7] != b'-' || bytes[13] != b':' || bytes[16] != b':' {
            return None;
        }
        let separator_is_canonical = match bytes[10] {
            b'T' => true,
            b't' => false,
            _ => return None,
        };
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let mut rest = &text[19..];
        let mut fraction_digits = String::new();
        if let Some(after_dot) = rest.strip_prefix('.') {
            let count = after_dot.bytes().take_while(u8::is_ascii_digit).count();
            if count == 0 {
                return None;
            }
            fraction_digits.push_str(&after_dot[..count]);
            rest = &after_dot[count..];
        }
        let (offset_seconds, zone_is_canonical) = match rest {
            "Z" => (0, true),
            "z" => (0, false),
            _ => (parse_offset(rest)?, false),
        };
        let fraction_is_canonical = fraction_digits.len() >= 3;
        while fraction_digits.len() < 3 {
            fraction_digits.push('0');
        }
        let days = days_from_civil(year, month, day);
        let leap_second = second == 60;
        let seconds_since_epoch = days * 86_400
            + i64::from(hour) * 3_600
            + i64::from(minute) * 60
            + i64::from(second.min(59))
            - offset_seconds;
        Some(ParsedTimestamp {
            timestamp: Timestamp {
                seconds_since_epoch,
                leap_second,
                fraction_digits,
            },
            was_canonical: separator_is_canonical && zone_is_canonical && fraction_is_canonical,
        })
    }

    /// Builds a timestamp from seconds since the Unix epoch and milliseconds.
    #[must_use]
    pub fn from_unix_millis(millis: i64) -> Self {
        Self {
            seconds_since_epoch: millis.div_euclid(1000),
            leap_second: false,
            fraction_digits: format!("{:03}", millis.rem_euclid(1000)),
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.seconds_since_epoch.div_euclid(86_400);
        let second_of_day = self.seconds_since_epoch.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{}Z",
            second_of_day / 3_600,
            second_of_day % 3_600 / 60,
            second_of_day % 60 + i64::from(self.leap_second),
            self.fraction_digits
        )
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.seconds_since_epoch
            .cmp(&other.seconds_since_epoch)
            .then_with(|| self.leap_second.cmp(&other.leap_second))
            .then_with(|| {
                let width = self.fraction_digits.len().max(other.fraction_digits.len());
                let left = format!("{:0<width$}", self.fraction_digits);
                let right = format!("{:0<width$}", other.fraction_digits);
                left.cmp(&right)
            })
    }
}

fn digits(bytes: &[u8], start: usize, count: usize) -> Option<u32> {
    let slice = bytes.get(start..start + count)?;
    slice.iter().try_fold(0u32, |value, byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + u32::from(byte - b'0'))
    })
}

fn parse_offset(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() != 6 || bytes[3] != b':' {
        return None;
    }
    let sign = match bytes[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hours = digits(bytes, 1, 2)?;
    let minutes = digits(bytes, 4, 2)?;
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * (i64::from(hours) * 3_600 + i64::from(minutes) * 60))
}

fn is_leap_year(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: u32, month: u32, day: u32) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(text: &str) -> Option<(String, bool)> {
        Timestamp::parse(text).map(|parsed| (parsed.timestamp.to_string(), parsed.was_canonical))
    }

    #[test]
    fn canonical_text_is_kept() {
        let text = "2022-08-02T19:34:35.143Z";
        assert_eq!(canonical(text), Some((text.to_owned(), true)));
    }

    #[test]
    fn missing_milliseconds_are_padded() {
        assert_eq!(
            canonical("2021-01-01T00:00:00Z"),
            Some(("2021-01-01T00:00:00.000Z".to_owned(), false))
        );
        assert_eq!(
            canonical("2021-01-01T00:00:00.5Z"),
            Some(("2021-01-01T00:00:00.500Z".to_owned(), false))
        );
    }

    #[test]
    fn extra_precision_is_kept() {
        let text = "2021-01-01T00:00:00.123456789Z";
        assert_eq!(canonical(text), Some((text.to_owned(), true)));
    }

    #[test]
    fn offsets_are_converted_to_utc() {
        assert_eq!(
            canonical("2021-12-17T08:31:22.320-05:00"),
            Some(("2021-12-17T13:31:22.320Z".to_owned(), false))
        );
        assert_eq!(
            canonical("2020-03-01T00:30:00.000+01:00"),
            Some(("2020-02-29T23:30:00.000Z".to_owned(), false))
        );
    }

    #[test]
    fn impossible_dates_are_rejected() {
        for text in [
            "2021-02-29T00:00:00.000Z",
            "2021-13-01T00:00:00.000Z",
            "2021-01-01T24:00:00.000Z",
            "2021-01-01 00:00:00.000Z",
            "2021-01-01T00:00:00.Z",
            "2021-01-01T00:00:00.000",
            "2021-01-01T00:00:00.000+5:00",
            "20210101T000000Z",
            "",
        ] {
            assert_eq!(canonical(text), None, "{text}");
        }
    }

    #[test]
    fn a_leap_second_is_kept_and_ordered_between_its_neighbours() {
        // `23:59:60.000Z` was written as the next day's midnight.
        assert_eq!(
            canonical("2016-12-31T23:59:60.000Z"),
            Some(("2016-12-31T23:59:60.000Z".to_owned(), true))
        );
        assert_eq!(
            canonical("2016-12-31T23:59:60.5Z"),
            Some(("2016-12-31T23:59:60.500Z".to_owned(), false))
        );
        let parse = |text| Timestamp::parse(text).unwrap().timestamp;
        let before = parse("2016-12-31T23:59:59.999Z");
        let leap = parse("2016-12-31T23:59:60.000Z");
        let after = parse("2017-01-01T00:00:00.000Z");
        assert!(before < leap && leap < after, "{before} {leap} {after}");
        assert_ne!(leap, after);
    }

    #[test]
    fn ordering_compares_instants() {
        let early = Timestamp::parse("2021-01-01T00:00:00.1Z").map(|p| p.timestamp);
        let late = Timestamp::parse("2021-01-01T00:00:00.0999Z").map(|p| p.timestamp);
        assert!(early > late);
    }

    #[test]
    fn epoch_millis_format() {
        assert_eq!(
            Timestamp::from_unix_millis(1_659_468_875_143).to_string(),
            "2022-08-02T19:34:35.143Z"
        );
    }

    #[test]
    fn calendar_round_trips_over_centuries() {
        for days in (-800_000..800_000).step_by(997) {
            let (year, month, day) = civil_from_days(days);
            let (year, month, day) = (
                u32::try_from(year).unwrap_or(0),
                u32::try_from(month).unwrap_or(0),
                u32::try_from(day).unwrap_or(0),
            );
            if year > 0 {
                assert_eq!(days_from_civil(year, month, day), days);
            }
        }
    }
}
