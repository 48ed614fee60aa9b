//! Number formatting for people, the app's one place for it: pounds, counts and percentages in UK
//! style (the cost calculator, the device manager), fixed decimals (the evaluator's figures and
//! tables) and significant digits (the results CSV, read again by other programs).
//!
//! Models keep full `f64` precision; these helpers round only for display, half away from zero,
//! on `value × 10^decimals` with integer arithmetic (exact float printing, `format!("{:.1}")`,
//! adds several KB to each wasm module). A negative amount for people is shown with a true minus
//! sign (U+2212, which screen readers read as "minus"): `−£206,000`; non-finite numbers (which
//! validated inputs never produce) show as "not available". [`fixed`] writes plain ASCII
//! (`-0.5`) for files and tables of statistics, with a dash for a value that is not a number.

const MINUS: char = '\u{2212}';
const NOT_AVAILABLE: &str = "not available";

/// Group the digits of a whole number with commas: `1234567` → `"1,234,567"`.
pub fn group_thousands(whole: impl Into<u128>) -> String {
    let digits = whole.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `|value|` rounded half away from zero to `decimals` places, as whole and fractional parts
/// (`(1234.567, 2)` → `(1234, 57)`), and whether the rounded value is below zero. `None` for a
/// non-finite value or one too large to hold.
fn rounded(value: f64, decimals: usize) -> Option<(bool, u128, u128)> {
    if !value.is_finite() {
        return None;
    }
    let scaled = (value.abs() * 10f64.powi(decimals as i32)).round();
    if scaled > 1e30 {
        return None;
    }
    let scaled = scaled as u128;
    let factor = 10u128.pow(decimals as u32);
    Some((value < 0.0 && scaled != 0, scaled / factor, scaled % factor))
}

/// Format `value` with `decimals` decimal places and thousands separators. `prefix` goes between
/// the sign and the digits (`"£"` or `""`). Never shows "−0".
fn format_fixed(value: f64, decimals: usize, prefix: &str) -> String {
    let Some((negative, whole, frac)) = rounded(value, decimals) else { return NOT_AVAILABLE.to_string() };
    let mut out = String::new();
    if negative {
        out.push(MINUS);
    }
    out.push_str(prefix);
    out.push_str(&group_thousands(whole));
    if decimals > 0 {
        out.push('.');
        out.push_str(&format!("{frac:0decimals$}"));
    }
    out
}

/// `x` with `places` decimals (0 to 6), no grouping, ASCII minus: `fixed(6.123, 1)` = `"6.1"`,
/// `fixed(-0.04, 1)` = `"0.0"`. For the evaluator's figures and tables. It can differ
/// from `format!` only on a value that sits exactly half-way, and within one unit in the last
/// place. Non-finite values give `"–"`.
pub fn fixed(x: f64, places: usize) -> String {
    let places = places.min(6);
    match rounded(x, places) {
        Some((negative, whole, frac)) if whole < 9_000_000_000_000_000 => {
            let sign = if negative { "-" } else { "" };
            if places == 0 {
                format!("{sign}{whole}")
            } else {
                format!("{sign}{whole}.{frac:0places$}")
            }
        }
        _ => "–".to_owned(),
    }
}

/// `x` to `digits` significant digits (1 to 15), for files that other programs read again (the
/// results CSV): plain decimals from 10⁻⁵ up to 10¹⁵, scientific notation outside
/// (`3.25e-12`, which spreadsheets, R and Python all read), trailing zeros dropped (`0.5`, not
/// `0.500000`; `1234570`), ASCII minus, and `"–"` for a value that is not a number. Rounded half
/// away from zero, as [`fixed`] is.
pub fn significant(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return "–".to_owned();
    }
    if x == 0.0 {
        return "0".to_owned();
    }
    let digits = digits.clamp(1, 15) as i32;
    let a = x.abs();
    // a·10^k in two steps, so that 10^k neither overflows nor underflows for any finite a.
    let scaled = |k: i32| a * 10f64.powi(k / 2) * 10f64.powi(k - k / 2);
    // The decimal exponent e, 10^e ≤ a < 10^(e + 1), from a first guess corrected by the digits
    // the mantissa comes out with (which also catches rounding up to the next power of ten).
    let mut e = 0i32;
    while scaled(-e) >= 10.0 {
        e += 1;
    }
    while scaled(-e) < 1.0 {
        e -= 1;
    }
    let low = 10u64.pow(digits as u32 - 1);
    let mut mantissa = scaled(digits - 1 - e).round() as u64;
    if mantissa >= 10 * low {
        e += 1;
        mantissa = scaled(digits - 1 - e).round() as u64;
    }
    let text = mantissa.to_string();
    let sig = text.trim_end_matches('0');
    let sign = if x < 0.0 { "-" } else { "" };
    let (head, tail) = sig.split_at(1);
    if !(-5..15).contains(&e) {
        let point = if tail.is_empty() { "" } else { "." };
        return format!("{sign}{head}{point}{tail}e{e}");
    }
    if e < 0 {
        return format!("{sign}0.{}{sig}", "0".repeat((-e - 1) as usize));
    }
    let whole = e as usize + 1;
    if sig.len() <= whole {
        format!("{sign}{sig}{}", "0".repeat(whole - sig.len()))
    } else {
        format!("{sign}{}.{}", &sig[..whole], &sig[whole..])
    }
}

/// Pounds rounded to the pound: `7677.42` → `"£7,677"`, `-206000.0` → `"−£206,000"`.
pub fn format_gbp(value: f64) -> String {
    format_fixed(value, 0, "£")
}

/// Pounds and pence: `45.714` → `"£45.71"`.
pub fn format_gbp_pence(value: f64) -> String {
    format_fixed(value, 2, "£")
}

/// Pounds with pence only when the amount is under £100 (`"£45.71"`, `"£7,677"`): the natural way
/// to show a unit cost next to a total.
pub fn format_gbp_auto(value: f64) -> String {
    if value.is_finite() && value.abs() < 100.0 && value.fract() != 0.0 {
        format_gbp_pence(value)
    } else {
        format_gbp(value)
    }
}

/// A number with thousands separators and `decimals` decimal places: `(1234.5, 1)` → `"1,234.5"`.
pub fn format_number(value: f64, decimals: usize) -> String {
    format_fixed(value, decimals, "")
}

/// A number rounded to at most `max_decimals` places with trailing zeros removed:
/// `(129.838, 1)` → `"129.8"`, `(20.0, 1)` → `"20"`.
pub fn format_number_trim(value: f64, max_decimals: usize) -> String {
    let s = format_fixed(value, max_decimals, "");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Pounds for chart axes, short enough for a phone: `£950`, `−£235k`, `£1.2m` (minus sign, not
/// hyphen; a value that rounds to £0 has no sign).
pub fn format_gbp_short(v: f64) -> String {
    let a = v.abs();
    let sign = if v < 0.0 && a >= 0.5 { "\u{2212}" } else { "" };
    if a >= 999_500.0 {
        format!("{sign}£{}m", format_number_trim(a / 1e6, 1))
    } else if a >= 10_000.0 {
        format!("{sign}£{}k", format_number_trim(a / 1e3, 0))
    } else if a >= 1_000.0 {
        format!("{sign}£{}k", format_number_trim(a / 1e3, 1))
    } else {
        format!("{sign}£{}", format_number_trim(a, 0))
    }
}

/// A fraction as a percentage to at most one decimal place: `0.035` → `"3.5%"`, `0.05` → `"5%"`.
pub fn format_percent(fraction: f64) -> String {
    if !fraction.is_finite() {
        return NOT_AVAILABLE.to_string();
    }
    format!("{}%", format_number_trim(fraction * 100.0, 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pounds_are_rounded_and_grouped() {
        assert_eq!(format_gbp(238_000.0), "£238,000");
        assert_eq!(format_gbp(238_000.0 / 31.0), "£7,677");
        assert_eq!(format_gbp(6_400.0), "£6,400");
        assert_eq!(format_gbp(1_040.0), "£1,040");
        assert_eq!(format_gbp(999.5), "£1,000");
        assert_eq!(format_gbp(0.0), "£0");
        assert_eq!(format_gbp(-0.4), "£0", "no minus zero");
        assert_eq!(format_gbp(-206_000.0), "−£206,000");
        assert_eq!(format_gbp(1_234_567_890.0), "£1,234,567,890");
        assert_eq!(format_gbp(f64::NAN), "not available");
        assert_eq!(format_gbp(f64::INFINITY), "not available");
    }

    #[test]
    fn pence_percent_and_numbers() {
        assert_eq!(format_gbp_pence(32_000.0 / 700.0), "£45.71");
        assert_eq!(format_gbp_pence(1_234.005), "£1,234.01");
        assert_eq!(format_gbp_pence(-0.004), "£0.00");
        assert_eq!(format_gbp_auto(45.714), "£45.71");
        assert_eq!(format_gbp_auto(15.0), "£15");
        assert_eq!(format_gbp_auto(7_677.4), "£7,677");
        assert_eq!(format_percent(0.035), "3.5%");
        assert_eq!(format_gbp_short(950.0), "£950");
        assert_eq!(format_gbp_short(-0.4), "£0");
        assert_eq!(format_gbp_short(-235_000.0), "\u{2212}£235k");
        assert_eq!(format_gbp_short(1_250.0), "£1.3k");
        assert_eq!(format_gbp_short(9_999.0), "£10k");
        assert_eq!(format_gbp_short(999_499.0), "£999k");
        assert_eq!(format_gbp_short(1_200_000.0), "£1.2m");
        assert_eq!(format_percent(0.05), "5%");
        assert_eq!(format_percent(0.271), "27.1%");
        assert_eq!(format_percent(1.0), "100%");
        assert_eq!(format_number(16_530.0, 0), "16,530");
        assert_eq!(format_number(1_234.56, 1), "1,234.6");
        assert_eq!(format_number_trim(4_025.0 / 31.0, 1), "129.8");
        assert_eq!(format_number_trim(20.0, 2), "20");
    }

    #[test]
    fn fixed_matches_format_away_from_ties() {
        for (x, p) in [(6.123, 1), (48.4, 0), (0.0, 2), (-12.346, 2), (1234567.891, 3), (0.5e-3, 4), (-3.0, 0), (99.96, 1), (0.0001, 4), (-0.7, 0)] {
            assert_eq!(fixed(x, p), format!("{x:.p$}"), "{x} {p}");
        }
        // No "negative zero", and non-finite values are a dash.
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(f64::NAN, 1), "–");
        assert_eq!(fixed(f64::INFINITY, 0), "–");
        assert_eq!(group_thousands(7_400u32), "7,400");
        assert_eq!(group_thousands(1_234_567u64), "1,234,567");
        assert_eq!(group_thousands(999u16), "999");
    }

    #[test]
    fn significant_by_hand() {
        assert_eq!(significant(0.5, 6), "0.5");
        assert_eq!(significant(1.0 / 3.0, 6), "0.333333");
        assert_eq!(significant(2.0 / 3.0, 6), "0.666667");
        assert_eq!(significant(-2.0 / 3.0, 8), "-0.66666667");
        assert_eq!(significant(48.275_862_068_965_52, 8), "48.275862");
        assert_eq!(significant(123_456.7, 6), "123457");
        assert_eq!(significant(1_234_567.0, 6), "1234570");
        assert_eq!(significant(-0.000_123_456_789, 6), "-0.000123457");
        assert_eq!(significant(0.000_012_345_678_9, 6), "0.0000123457");
        assert_eq!(significant(0.000_001_234_567_89, 6), "1.23457e-6");
        assert_eq!(significant(3.25e-12, 8), "3.25e-12");
        assert_eq!(significant(1e-300, 8), "1e-300");
        assert_eq!(significant(5e-324, 8), "4.9406565e-324");
        assert_eq!(significant(1e20, 8), "1e20");
        assert_eq!(significant(f64::MAX, 8), "1.7976931e308");
        // Rounding carries into the next power of ten.
        assert_eq!(significant(9.999_999_6, 6), "10");
        assert_eq!(significant(0.049_999_999, 6), "0.05");
        assert_eq!(significant(99_999_950.0, 7), "99999950");
        assert_eq!(significant(99_999_950.0, 6), "100000000");
        assert_eq!(significant(0.0, 8), "0");
        assert_eq!(significant(-0.0, 8), "0");
        assert_eq!(significant(f64::NAN, 8), "–");
        assert_eq!(significant(f64::NEG_INFINITY, 8), "–");
    }

    proptest! {
        #[test]
        fn fixed_is_within_one_last_place_of_format(x in -1.0e6f64..1.0e6, p in 0usize..5) {
            let ours: f64 = fixed(x, p).parse().unwrap();
            let std: f64 = format!("{x:.p$}").parse().unwrap();
            prop_assert!((ours - std).abs() <= 1.01 * 10f64.powi(-(p as i32)), "{} {}", x, p);
        }

        #[test]
        fn significant_keeps_the_digits_asked_for(
            m in 1.0f64..10.0, e in -320i32..300, negative in any::<bool>(), digits in 1usize..=15,
        ) {
            let x = if negative { -m } else { m } * 10f64.powi(e);
            prop_assume!(x.is_finite() && x != 0.0);
            let text = significant(x, digits);
            let back: f64 = text.parse().unwrap();
            // Rounded to `digits` significant digits: within half a unit in the last of them
            // (and a little for the scaling's own rounding), the same as the standard library's.
            let std: f64 = format!("{:.*e}", digits - 1, x).parse().unwrap();
            let unit = std.abs().max(back.abs()) * 10f64.powi(1 - digits as i32);
            prop_assert!((back - x).abs() <= 0.5 * unit * (1.0 + 1e-9), "{} → {}", x, text);
            prop_assert!((back - std).abs() <= unit * 1.0001, "{} → {} vs {:e}", x, text, std);
            // Never more significant digits than asked for.
            let mantissa: String = text.split('e').next().unwrap().chars().filter(char::is_ascii_digit).collect();
            prop_assert!(mantissa.trim_start_matches('0').trim_end_matches('0').len() <= digits, "{}", text);
        }

        #[test]
        fn gbp_text_parses_back_to_the_rounded_pound(v in -1e12f64..1e12) {
            let s = format_gbp(v);
            let negative = s.starts_with(MINUS);
            let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
            let back: f64 = digits.parse().unwrap();
            let back = if negative { -back } else { back };
            prop_assert!((back - v).abs() <= 0.5 + 1e-6, "{} shown as {}", v, s);
            // Separators every three digits.
            let body = s.trim_start_matches(MINUS).trim_start_matches('£');
            for group in body.split(',').skip(1) {
                prop_assert_eq!(group.len(), 3);
            }
        }
    }
}
