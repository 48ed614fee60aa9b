//! Timestamps: Unix milliseconds in records, ISO 8601 text at the edges.
//!
//! The core never reads a clock: the shell passes "now" in as Unix milliseconds (what
//! `Date.now()` gives). Records store milliseconds because they are short and compare as
//! numbers; files for people (the raw export's `exported_at`, the codebook) use ISO 8601 in UTC.

const MS_PER_DAY: u64 = 86_400_000;

/// Format Unix milliseconds as ISO 8601 in UTC with milliseconds, e.g. `2024-06-30T09:05:00.250Z`.
pub fn format_iso8601(ms: u64) -> String {
    let (days, ms_of_day) = (ms / MS_PER_DAY, ms % MS_PER_DAY);
    let (y, m, d) = civil_from_days(days as i64);
    let (h, min, s, milli) = (
        ms_of_day / 3_600_000,
        ms_of_day / 60_000 % 60,
        ms_of_day / 1000 % 60,
        ms_of_day % 1000,
    );
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{milli:03}Z")
}

/// The UTC date `(year, month, day)` of Unix milliseconds.
pub fn civil_date(ms: u64) -> (i64, i64, i64) {
    civil_from_days((ms / MS_PER_DAY) as i64)
}

/// Parse an ISO 8601 date-time with a time zone into Unix milliseconds.
///
/// Accepts `YYYY-MM-DDTHH:MM:SS`, optional fraction (digits after the third are truncated), then `Z`
/// or an offset `+HH:MM` / `-HH:MM` / `+HHMM`. A lower-case `t`/`z` or a space for `T` is also
/// accepted. Returns `None` for anything else, for impossible dates (`2023-02-29`) and for times
/// before 1970.
pub fn parse_iso8601(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, c| n * 10 + i64::from(c - b'0')))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(at(4, b'-')
        && at(7, b'-')
        && matches!(b.get(10), Some(b'T' | b't' | b' '))
        && at(13, b':')
        && at(16, b':'))
    {
        return None;
    }
    let (y, mo, d, h, mi, s) = (
        num(0, 4)?,
        num(5, 2)?,
        num(8, 2)?,
        num(11, 2)?,
        num(14, 2)?,
        num(17, 2)?,
    );
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let mut i = 19;
    let mut milli = 0;
    if at(i, b'.') || at(i, b',') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            if i - start < 3 {
                milli = milli * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        let digits = i - start;
        if digits == 0 {
            return None;
        }
        milli *= 10_i64.pow(3u32.saturating_sub(digits as u32));
    }
    let offset_min = match b.get(i) {
        Some(b'Z' | b'z') if b.len() == i + 1 => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let (oh, om) = match b.len() - i {
                6 if at(i + 3, b':') => (num(i + 1, 2)?, num(i + 4, 2)?),
                5 => (num(i + 1, 2)?, num(i + 3, 2)?),
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let total = oh * 60 + om;
            if sign == b'+' {
                total
            } else {
                -total
            }
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    let ms = ((days * 24 + h) * 60 + mi - offset_min) * 60_000 + s * 1000 + milli;
    u64::try_from(ms).ok()
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in month `m` (1–12) of year `y`.
pub fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_iso8601(0), "1970-01-01T00:00:00.000Z");
        // 2024-06-30T12:34:56.789Z, checked with `date -u -d @1719750896.789`.
        assert_eq!(
            format_iso8601(1_719_750_896_789),
            "2024-06-30T12:34:56.789Z"
        );
        assert_eq!(format_iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn parses_zones_fractions_and_rejects_nonsense() {
        assert_eq!(
            parse_iso8601("2024-06-30T12:34:56.789Z"),
            Some(1_719_750_896_789)
        );
        assert_eq!(
            parse_iso8601("2024-06-30T13:34:56.789+01:00"),
            Some(1_719_750_896_789)
        );
        assert_eq!(
            parse_iso8601("2024-06-30T11:34:56.789-0100"),
            Some(1_719_750_896_789)
        );
        assert_eq!(
            parse_iso8601("2024-06-30T12:34:56Z"),
            Some(1_719_750_896_000)
        );
        assert_eq!(
            parse_iso8601("2024-06-30T12:34:56.7Z"),
            Some(1_719_750_896_700)
        );
        assert_eq!(
            parse_iso8601("2024-06-30T12:34:56.789999Z"),
            Some(1_719_750_896_789)
        );
        for bad in [
            "",
            "2024-06-30",
            "2024-06-30T12:34:56",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-06-30T24:00:00Z",
            "2024-06-30T12:34:56.Z",
            "2024-06-30T12:34:56Zjunk",
            "1969-12-31T23:59:59Z",
            "2024-06-30T12:34:56+1:00",
            "２０２４-06-30T12:34:56Z",
        ] {
            assert_eq!(parse_iso8601(bad), None, "{bad:?} should be rejected");
        }
    }

    proptest! {
        #[test]
        fn format_then_parse_is_identity(ms in 0u64..253_402_300_799_999) {
            prop_assert_eq!(parse_iso8601(&format_iso8601(ms)), Some(ms));
        }

        #[test]
        fn parse_never_panics(text in "\\PC{0,40}") {
            let _ = parse_iso8601(&text);
        }
    }
}
