//! Checking inputs and turning typed text into values, with plain-English error messages.
//!
//! The page calls [`parse_field`] on what the person typed (it accepts `£`, `%`, thousands commas
//! and surrounding spaces; a percentage is typed as `27.1` and stored as `0.271`), shows the
//! message of any [`FieldError`] next to the field, and calls [`validate`] on the whole
//! [`Inputs`] for the error summary at the top of the page (a scenario loaded from a link or a
//! file can hold out-of-range values). Only the fields in use ([`Inputs::is_active`]) are checked.
//!
//! Every message names the field and says what is allowed, for example
//! "Number of Leads must be a whole number from 1 to 2,000".

use crate::format::{format_number, format_number_trim};
use super::inputs::{FieldId, FieldMeta, Inputs, Unit};

/// What is wrong with a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Nothing was typed.
    Empty,
    /// The text is not a number (or is "NaN" or "infinity").
    NotANumber,
    /// A negative number where only zero or more makes sense.
    Negative,
    /// A fraction where only whole numbers make sense.
    NotWhole,
    /// Below the smallest allowed value.
    TooLow,
    /// Above the largest allowed value (an absurd number, most likely a typing mistake).
    TooHigh,
}

/// One problem with one field, with the message to show.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    /// The field the message belongs to (for the link from the error summary).
    pub field: FieldId,
    /// What is wrong.
    pub kind: ErrorKind,
    /// Plain-English message, ready to show.
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FieldError {}

/// A stored value in the unit the person types (percentages × 100).
pub fn to_entry_unit(meta: &FieldMeta, stored: f64) -> f64 {
    if meta.unit == Unit::Percent {
        stored * 100.0
    } else {
        stored
    }
}

/// A value the person typed, in the stored unit (percentages ÷ 100).
pub fn from_entry_unit(meta: &FieldMeta, entered: f64) -> f64 {
    if meta.unit == Unit::Percent {
        entered / 100.0
    } else {
        entered
    }
}

/// The text to put in a field's input box for a stored value: plain digits without separators,
/// percentages × 100, at most 6 decimal places (`0.271` → `"27.1"`, `44000.0` → `"44000"`).
pub fn entry_text(id: FieldId, stored: f64) -> String {
    format_number_trim(to_entry_unit(id.meta(), stored), 6)
        .replace(',', "")
        .replace('\u{2212}', "-")
}

/// A bound in the unit the person types, formatted for a message (`£2,000`, `100%`, `2,000`).
fn bound_text(meta: &FieldMeta, stored: f64) -> String {
    let v = to_entry_unit(meta, stored);
    let digits = if v.fract() == 0.0 {
        format_number(v, 0)
    } else {
        format_number_trim(v, 2)
    };
    match meta.unit {
        Unit::Pounds => format!("£{digits}"),
        Unit::Percent => format!("{digits}%"),
        _ => digits,
    }
}

/// What the field accepts, as a phrase: "a whole number from 1 to 2,000",
/// "an amount from £0 to £2,000", "a percentage from 0% to 100%".
pub fn allowed_range(id: FieldId) -> String {
    let m = id.meta();
    let (lo, hi) = (bound_text(m, m.min), bound_text(m, m.max));
    let what = match (m.unit, m.whole) {
        (Unit::Pounds, _) => "an amount",
        (Unit::Percent, _) => "a percentage",
        (Unit::Years, true) => "a whole number of years",
        (Unit::Days, _) => "a number of days",
        (Unit::Hours, _) => "a number of hours",
        (_, true) => "a whole number",
        _ => "a number",
    };
    format!("{what} from {lo} to {hi}")
}

/// The message for a problem with a field.
pub fn message(id: FieldId, kind: ErrorKind) -> String {
    let label = id.label();
    let range = allowed_range(id);
    match kind {
        ErrorKind::Empty => format!("{label} is missing: enter {range}"),
        ErrorKind::NotANumber => format!("{label} must be a number: enter {range}"),
        ErrorKind::Negative => format!("{label} cannot be negative: enter {range}"),
        ErrorKind::TooHigh => match too_high_because(id) {
            Some(why) => format!("{label} must be {range}: {why}"),
            None => format!("{label} must be {range}"),
        },
        ErrorKind::NotWhole | ErrorKind::TooLow => format!("{label} must be {range}"),
    }
}

/// Why a share above its top is absurd, where "at most 100%" is not the whole story.
fn too_high_because(id: FieldId) -> Option<&'static str> {
    match id {
        FieldId::AttributableShare => {
            Some("the Leads cannot account for more than all of the extra referrals")
        }
        FieldId::FirstYearValueShare => Some("year 1 cannot reach more than a full year's value"),
        FieldId::SentBackShare => Some("no more patients can be sent back than were referred"),
        _ => None,
    }
}

fn error(id: FieldId, kind: ErrorKind) -> FieldError {
    FieldError {
        field: id,
        kind,
        message: message(id, kind),
    }
}

/// Check one stored value against the field's rules.
pub fn check_value(id: FieldId, stored: f64) -> Result<f64, FieldError> {
    let m = id.meta();
    if !stored.is_finite() {
        return Err(error(id, ErrorKind::NotANumber));
    }
    if stored < 0.0 && m.min >= 0.0 {
        return Err(error(id, ErrorKind::Negative));
    }
    if m.whole && stored.fract() != 0.0 {
        return Err(error(id, ErrorKind::NotWhole));
    }
    // A tiny tolerance so 27.1% typed as text (0.271000...01 after ÷ 100) is not rejected.
    let slack = 1e-9 * m.max.abs().max(1.0);
    if stored < m.min - slack {
        return Err(error(id, ErrorKind::TooLow));
    }
    if stored > m.max + slack {
        return Err(error(id, ErrorKind::TooHigh));
    }
    Ok(stored.clamp(m.min, m.max))
}

/// Strip `£`, `%`, spaces and valid thousands commas; `None` when the commas are misplaced.
fn clean_number_text(text: &str) -> Option<String> {
    let t = text.trim().replace('\u{2212}', "-");
    let t = t.strip_suffix('%').unwrap_or(&t).trim_end();
    let (sign, rest) = match t.strip_prefix('-') {
        Some(r) => ("-", r.trim_start()),
        None => ("", t),
    };
    let rest = rest.strip_prefix('£').unwrap_or(rest).trim_start();
    let rest: String = rest.chars().filter(|c| *c != ' ').collect();
    if rest.contains(',') {
        let int_part = rest.split('.').next().unwrap_or("");
        let mut groups = int_part.split(',');
        let first = groups.next().unwrap_or("");
        let ok = (1..=3).contains(&first.len())
            && first.bytes().all(|b| b.is_ascii_digit())
            && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return None;
        }
    }
    Some(format!("{sign}{}", rest.replace(',', "")))
}

/// Turn what the person typed into a stored value, or say what is wrong.
///
/// Accepts `320`, `£44,000`, `27.1`, `27.1%`, ` 3.5 `; rejects empty text, words, `NaN`,
/// `inf`, misplaced commas, negatives, fractions of a whole-number field and absurd values.
pub fn parse_field(id: FieldId, text: &str) -> Result<f64, FieldError> {
    if text.trim().is_empty() {
        return Err(error(id, ErrorKind::Empty));
    }
    let cleaned = clean_number_text(text).ok_or_else(|| error(id, ErrorKind::NotANumber))?;
    // Only digits, one sign, a point and an exponent: no "NaN", "inf" or "0x10".
    if !cleaned
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'e' | b'E' | b'+'))
    {
        return Err(error(id, ErrorKind::NotANumber));
    }
    let m = id.meta();
    let not_a_number = |_| error(id, ErrorKind::NotANumber);
    let stored = if m.unit == Unit::Percent && !cleaned.contains(['e', 'E']) {
        // Shift the decimal point in the text, so "27.1" is stored as exactly the double nearest
        // 0.271 (dividing 27.1 by 100 can land one bit away).
        format!("{cleaned}e-2")
            .parse::<f64>()
            .map_err(not_a_number)?
    } else {
        from_entry_unit(m, cleaned.parse::<f64>().map_err(not_a_number)?)
    };
    check_value(id, stored)
}

/// Check every field in use. An empty list means the inputs are safe to compute with: every
/// number is finite and in range, so no output can be NaN or infinite.
pub fn validate(inputs: &Inputs) -> Vec<FieldError> {
    inputs
        .active_fields()
        .filter_map(|id| check_value(id, inputs.get(id)).err())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costing::inputs::FIELDS;
    use proptest::prelude::*;

    #[test]
    fn messages_are_specific_plain_english() {
        let e = parse_field(FieldId::Leads, "0").unwrap_err();
        assert_eq!(
            e.message,
            "Number of Leads must be a whole number from 1 to 2,000"
        );
        assert_eq!(e.kind, ErrorKind::TooLow);
        assert_eq!(
            parse_field(FieldId::Leads, "2.5").unwrap_err().kind,
            ErrorKind::NotWhole
        );
        assert_eq!(
            parse_field(FieldId::Leads, "2001").unwrap_err().kind,
            ErrorKind::TooHigh
        );
        assert_eq!(
            parse_field(FieldId::DayRate, "-5").unwrap_err().message,
            "Day rate cannot be negative: enter an amount from £0 to £2,000"
        );
        assert_eq!(
            parse_field(FieldId::DayRate, "lots").unwrap_err().message,
            "Day rate must be a number: enter an amount from £0 to £2,000"
        );
        assert_eq!(
            parse_field(FieldId::SentBackShare, "150").unwrap_err().message,
            "Share of referred patients sent back to general practice must be a percentage from 0% to 100%: no more patients can be sent back than were referred"
        );
        // The shares the evaluation warns about say why an absurd value is absurd.
        for (id, typed, message) in [
            (FieldId::AttributableShare, "120", "Share of the extra referrals due to the Leads must be a percentage from 0% to 100%: the Leads cannot account for more than all of the extra referrals"),
            (FieldId::FirstYearValueShare, "1000", "Share of a full year's value reached in year 1 must be a percentage from 0% to 100%: year 1 cannot reach more than a full year's value"),
            (FieldId::FirstYearValueShare, "-10", "Share of a full year's value reached in year 1 cannot be negative: enter a percentage from 0% to 100%"),
            (FieldId::FirstYearValueShare, "soon", "Share of a full year's value reached in year 1 must be a number: enter a percentage from 0% to 100%"),
        ] {
            assert_eq!(parse_field(id, typed).unwrap_err().message, message, "{typed}");
        }
        assert_eq!(parse_field(FieldId::FirstYearValueShare, "70%"), Ok(0.7));
        assert_eq!(
            parse_field(FieldId::HorizonYears, "").unwrap_err().message,
            "Years to model is missing: enter a whole number of years from 1 to 10"
        );
        assert_eq!(
            parse_field(FieldId::DiscountRate, "25")
                .unwrap_err()
                .message,
            "Discount rate must be a percentage from 0% to 20%"
        );
        assert_eq!(
            allowed_range(FieldId::FundedDays),
            "a number of days from 0 to 260"
        );
    }

    #[test]
    fn accepts_the_ways_people_type_numbers() {
        assert_eq!(parse_field(FieldId::Training, "£44,000"), Ok(44_000.0));
        assert_eq!(
            parse_field(FieldId::Training, " 1,234,567.5 "),
            Ok(1_234_567.5)
        );
        assert_eq!(parse_field(FieldId::Uplift, "5%"), Ok(0.05));
        assert_eq!(parse_field(FieldId::SentBackShare, "27.1"), Ok(0.271));
        assert_eq!(parse_field(FieldId::SentBackShare, "100"), Ok(1.0));
        assert_eq!(parse_field(FieldId::Leads, "31"), Ok(31.0));
        assert_eq!(parse_field(FieldId::GpAppointmentValue, "45.71"), Ok(45.71));
        assert_eq!(
            parse_field(FieldId::DayRate, "−5").unwrap_err().kind,
            ErrorKind::Negative
        );
    }

    #[test]
    fn rejects_nan_infinity_and_junk() {
        for bad in [
            "NaN",
            "nan",
            "inf",
            "-inf",
            "infinity",
            "1e400",
            "1,2",
            "12,34,567",
            "£",
            "%",
            "1..2",
            "0x10",
            "3 apples",
        ] {
            let e = parse_field(FieldId::Training, bad).unwrap_err();
            assert!(
                matches!(e.kind, ErrorKind::NotANumber | ErrorKind::TooHigh),
                "{bad:?} gave {:?}",
                e.kind
            );
        }
        assert_eq!(
            parse_field(FieldId::Training, "   ").unwrap_err().kind,
            ErrorKind::Empty
        );
        assert_eq!(
            parse_field(FieldId::Training, "1e9").unwrap_err().kind,
            ErrorKind::TooHigh
        );
    }

    #[test]
    fn validate_reports_only_fields_in_use() {
        assert!(validate(&Inputs::default()).is_empty());
        let mut i = Inputs {
            leads: 0,
            hourly_rate: f64::NAN,
            day_rate: -1.0,
            ..Inputs::default()
        };
        let fields: Vec<_> = validate(&i)
            .into_iter()
            .map(|e| (e.field, e.kind))
            .collect();
        // The hourly rate is not in use with a set fee.
        assert_eq!(
            fields,
            vec![
                (FieldId::Leads, ErrorKind::TooLow),
                (FieldId::DayRate, ErrorKind::Negative)
            ]
        );
        i.fee_model = crate::costing::FeeModel::HoursClaimed;
        assert!(validate(&i)
            .iter()
            .any(|e| e.field == FieldId::HourlyRate && e.kind == ErrorKind::NotANumber));
    }

    #[test]
    fn entry_text_round_trips_through_parse() {
        for m in &FIELDS {
            let text = entry_text(m.id, m.default);
            assert_eq!(
                parse_field(m.id, &text).unwrap(),
                m.default,
                "{:?} via {text:?}",
                m.id
            );
        }
        assert_eq!(entry_text(FieldId::SentBackShare, 0.271), "27.1");
        assert_eq!(entry_text(FieldId::Training, 44_000.0), "44000");
    }

    proptest! {
        /// Whatever is typed, a value that parses is finite and inside the field's range.
        #[test]
        fn parsed_values_are_always_in_range(idx in 0usize..FieldId::ALL.len(), text in "[-£0-9.,%e ]{0,12}|.{0,8}") {
            let id = FieldId::ALL[idx];
            if let Ok(v) = parse_field(id, &text) {
                let m = id.meta();
                prop_assert!(v.is_finite() && v >= m.min && v <= m.max, "{:?} -> {}", text, v);
                prop_assert!(!m.whole || v.fract() == 0.0);
            }
        }

        /// Any in-range value shown in the box reads back as (almost exactly) the same value.
        #[test]
        fn in_range_values_survive_entry_text(idx in 0usize..FieldId::ALL.len(), t in 0.0f64..=1.0) {
            let id = FieldId::ALL[idx];
            let m = id.meta();
            let mut v = m.min + t * (m.max - m.min);
            if m.whole { v = v.round(); }
            let back = parse_field(id, &entry_text(id, v)).unwrap();
            prop_assert!((back - v).abs() <= 1e-6 * m.max.max(1.0), "{:?}: {} -> {}", id, v, back);
        }
    }
}
