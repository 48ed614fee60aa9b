//! Number formatting for people, the app's one place for it: pounds, counts and percentages in UK
//! style (the cost calculator, the device manager) and fixed decimals (the evaluator's figures,
//! tables and results CSV).
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
/// `fixed(-0.04, 1)` = `"0.0"`. For the evaluator's figures, tables and results CSV. It can differ
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

    proptest! {
        #[test]
        fn fixed_is_within_one_last_place_of_format(x in -1.0e6f64..1.0e6, p in 0usize..5) {
            let ours: f64 = fixed(x, p).parse().unwrap();
            let std: f64 = format!("{x:.p$}").parse().unwrap();
            prop_assert!((ours - std).abs() <= 1.01 * 10f64.powi(-(p as i32)), "{} {}", x, p);
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
