//! What the Lead's pages read from their forms, and their small decisions, as plain Rust: the
//! pages (`activity::log_page`) only hold the typed text in signals and call these.
//!
//! - [`ActivityForm`]: the add/edit form's fields as typed; picking a type preselects its usual
//!   mode; [`ActivityForm::apply`] reads the numbers (people, hours) and names every problem by
//!   field, in form order, with the core's checks ([`Activity::problems`]).
//! - [`profile_from_form`]: "Your details" (Lead id, name, ICB, PCNs, one per line).
//! - [`claimed_from_form`]: the return's hours claimed (optional).
//! - [`hours_text`]: minutes as hours for a form (`90` is `1.5`), read back exactly by
//!   [`parse_hours`].
//! - [`month_links`]: the months a month overview links to.

use super::definition::{ActivityDefinition, List};
use super::log::LeadProfile;
use super::record::{parse_hours, parse_people, Activity, FieldError, LeadId, Month};

/// The activity form's fields, in form order (the error summary lists problems in this order).
pub const FIELDS: [&str; 8] = ["type", "mode", "purposes", "stakeholders", "reached_present", "reached_active", "minutes", "note"];

/// The add/edit form as typed: codes chosen and text as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityForm {
    /// Type code (empty: none chosen yet).
    pub kind: String,
    /// Mode code.
    pub mode: String,
    /// Purpose codes ticked.
    pub purposes: Vec<String>,
    /// Stakeholder codes ticked.
    pub stakeholders: Vec<String>,
    /// People reached in all, as typed.
    pub reached: String,
    /// Of them, people actively engaged, as typed.
    pub active: String,
    /// Hours, as typed (`1.5`).
    pub hours: String,
    /// Note, as typed.
    pub note: String,
}

impl ActivityForm {
    /// The form filled in from a logged activity (to change it).
    pub fn of(a: &Activity) -> ActivityForm {
        ActivityForm {
            kind: a.kind.clone(),
            mode: a.mode.clone(),
            purposes: a.purposes.clone(),
            stakeholders: a.stakeholders.clone(),
            reached: a.reached().to_string(),
            active: a.reached_active.to_string(),
            hours: hours_text(a.minutes),
            note: a.note.clone().unwrap_or_default(),
        }
    }

    /// Pick the type: its usual mode is then selected (the person can change it).
    pub fn choose_type(&mut self, definition: &ActivityDefinition, code: &str) {
        self.kind = code.to_owned();
        if let Some(mode) = definition.usual_mode(code) {
            self.mode = mode.to_owned();
        }
    }

    /// Tick or untick a purpose or stakeholder code.
    pub fn tick(&mut self, list: List, code: &str, on: bool) {
        let codes = if list == List::Purpose { &mut self.purposes } else { &mut self.stakeholders };
        codes.retain(|c| c != code);
        if on {
            codes.push(code.to_owned());
        }
    }

    /// The activity `base` (a new one from [`super::log::ActivityLog::new_activity`], or the
    /// logged one being changed) with this form's answers, or every problem by field in form
    /// order: numbers that cannot be read, more people engaged than reached, and the core's checks
    /// of the rest. The log checks again when it saves (the month's hours, a closed month).
    pub fn apply(&self, definition: &ActivityDefinition, mut base: Activity) -> Result<Activity, Vec<FieldError>> {
        let mut errors = Vec::new();
        let reached = parse_people(&self.reached).map_err(|message| errors.push(FieldError { field: "reached_present", message }));
        let active = parse_people(&self.active).map_err(|message| errors.push(FieldError { field: "reached_active", message }));
        let minutes = if self.hours.trim().is_empty() {
            Ok(0)
        } else {
            parse_hours(&self.hours).map_err(|message| errors.push(FieldError { field: "minutes", message }))
        };
        if let (Ok(reached), Ok(active)) = (reached, active) {
            if active > reached {
                errors.push(FieldError {
                    field: "reached_active",
                    message: format!("People actively engaged must be no more than the people reached ({reached})"),
                });
            }
            base.reached_active = active.min(reached);
            base.reached_present = reached - base.reached_active;
        }
        base.minutes = minutes.unwrap_or(1);
        base.kind = self.kind.clone();
        base.mode = self.mode.clone();
        base.purposes = self.purposes.clone();
        base.stakeholders = self.stakeholders.clone();
        base.note = Some(self.note.clone());
        base.normalise(definition);
        let read = errors.iter().map(|e| e.field).collect::<Vec<_>>();
        errors.extend(base.problems(definition).into_iter().filter(|e| FIELDS.contains(&e.field) && !read.contains(&e.field)));
        errors.sort_by_key(|e| FIELDS.iter().position(|f| *f == e.field));
        if errors.is_empty() { Ok(base) } else { Err(errors) }
    }
}

/// "Your details" as typed: the Lead id the programme gave, name, ICB code and the PCNs (one per
/// line; blank lines ignored). Every problem by field: `lead`, `lead_name`, `icb`, `pcns`.
pub fn profile_from_form(definition: &ActivityDefinition, lead: &str, name: &str, icb: &str, pcns: &str) -> Result<LeadProfile, Vec<FieldError>> {
    let id = LeadId::parse(lead);
    let profile = LeadProfile {
        lead: id.clone().unwrap_or_else(|| LeadId::parse("x").expect("a valid id")),
        name: name.trim().to_owned(),
        icb: icb.to_owned(),
        pcns: pcns.lines().map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect(),
    };
    let mut errors = Vec::new();
    if id.is_none() {
        errors.push(FieldError {
            field: "lead",
            message: "Enter the Lead ID your programme gave you, like hwe-07 (letters, numbers and hyphens, up to 32)".into(),
        });
    }
    errors.extend(profile.problems(definition));
    if errors.is_empty() { Ok(profile) } else { Err(errors) }
}

/// The return's hours claimed as typed: none when empty, else minutes.
pub fn claimed_from_form(text: &str) -> Result<Option<u32>, FieldError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse_hours(text).map(Some).map_err(|message| FieldError { field: "hours_claimed", message })
}

/// Minutes as hours for a form or a page: whole hours plainly (`2`), else to two decimal places
/// without trailing zeros (`1.5`, `0.33`); [`parse_hours`] reads it back to the same minutes.
pub fn hours_text(minutes: u32) -> String {
    let hundredths = (u64::from(minutes) * 100 + 30) / 60;
    let (whole, part) = (hundredths / 100, hundredths % 100);
    match part {
        0 => whole.to_string(),
        p if p % 10 == 0 => format!("{whole}.{}", p / 10),
        p => format!("{whole}.{p:02}"),
    }
}

/// The months a month overview links to: the one before (if there is one) and the one after,
/// unless `month` is `today`'s or later (nothing to log in the future).
pub fn month_links(month: Month, today: Month) -> (Option<Month>, Option<Month>) {
    (month.previous(), (month < today).then(|| month.next()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::definition::default_definition;
    use crate::activity::record::testing::activity;
    use proptest::prelude::*;

    fn form() -> ActivityForm {
        let mut f = ActivityForm::default();
        f.choose_type(default_definition(), "visit");
        f.tick(List::Purpose, "pharmacy_first", true);
        f.tick(List::Stakeholder, "pharmacy", true);
        f.reached = "12".into();
        f.active = "3".into();
        f.hours = "1.5".into();
        f
    }

    #[test]
    fn a_type_preselects_its_usual_mode() {
        let mut f = ActivityForm::default();
        f.choose_type(default_definition(), "call");
        assert_eq!(f.mode, "remote");
        f.mode = "in_person".into();
        f.choose_type(default_definition(), "other");
        assert_eq!((f.kind.as_str(), f.mode.as_str()), ("other", "in_person"), "a type with no usual mode keeps the choice");
    }

    #[test]
    fn a_filled_form_gives_the_activity_and_round_trips() {
        let d = default_definition();
        let a = form().apply(d, activity(1, "hwe-07", "2024-03")).unwrap();
        assert_eq!((a.kind.as_str(), a.mode.as_str(), a.reached_active, a.reached_present, a.minutes, a.note.clone()), ("visit", "in_person", 3, 9, 90, None));
        let mut back = ActivityForm::of(&a);
        assert_eq!(back, ActivityForm { note: String::new(), ..form() });
        back.note = "  Rang back  ".into();
        back.tick(List::Stakeholder, "pharmacy", false);
        let b = back.apply(d, a).unwrap();
        assert_eq!((b.note.as_deref(), b.stakeholders.len()), (Some("  Rang back  "), 0));
    }

    #[test]
    fn every_problem_is_named_by_field_in_form_order() {
        let d = default_definition();
        let empty = ActivityForm::default().apply(d, activity(1, "hwe-07", "2024-03")).unwrap_err();
        assert_eq!(empty.iter().map(|e| e.field).collect::<Vec<_>>(), ["type", "mode", "purposes", "minutes"]);
        assert_eq!(empty[3].message, "Enter how long the activity took");
        let mut f = form();
        f.hours = "an hour".into();
        f.reached = "3".into();
        f.active = "5".into();
        let e = f.apply(d, activity(1, "hwe-07", "2024-03")).unwrap_err();
        assert_eq!(e.iter().map(|e| (e.field, e.message.as_str())).collect::<Vec<_>>(), [
            ("reached_active", "People actively engaged must be no more than the people reached (3)"),
            ("minutes", "Enter the hours as a number, like 1.5"),
        ]);
        f = form();
        f.reached = "lots".into();
        f.hours = "800".into();
        let e = f.apply(d, activity(1, "hwe-07", "2024-02")).unwrap_err();
        assert_eq!(e.iter().map(|e| e.field).collect::<Vec<_>>(), ["reached_present", "minutes"]);
        assert_eq!(e[1].message, "The time spent must be no more than the hours in February 2024 (696 hours)");
    }

    #[test]
    fn details_are_read_with_every_problem() {
        let d = default_definition();
        let p = profile_from_form(d, " HWE-07 ", " Asha Patel ", "hwe", "Stevenage North\n\n  Hitchin \n").unwrap();
        assert_eq!((p.lead.as_str(), p.name.as_str(), p.pcns.clone()), ("hwe-07", "Asha Patel", vec!["Stevenage North".to_owned(), "Hitchin".to_owned()]));
        let e = profile_from_form(d, "hwe 07", "", "", " \n").unwrap_err();
        assert_eq!(e.iter().map(|e| e.field).collect::<Vec<_>>(), ["lead", "lead_name", "icb", "pcns"]);
    }

    #[test]
    fn hours_claimed_and_month_links() {
        assert_eq!(claimed_from_form(" "), Ok(None));
        assert_eq!(claimed_from_form("16"), Ok(Some(960)));
        assert_eq!(claimed_from_form("x").unwrap_err().field, "hours_claimed");
        let m = |t| Month::parse(t).unwrap();
        assert_eq!(month_links(m("2024-01"), m("2024-03")), (Some(m("2023-12")), Some(m("2024-02"))));
        assert_eq!(month_links(m("2024-03"), m("2024-03")), (Some(m("2024-02")), None));
        assert_eq!(month_links(m("2000-01"), m("2024-03")).0, None);
        assert_eq!((hours_text(90), hours_text(120), hours_text(20), hours_text(1)), ("1.5".into(), "2".into(), "0.33".into(), "0.02".into()));
    }

    proptest! {
        #[test]
        fn hours_text_reads_back_exactly(minutes in 0u32..50_000) {
            prop_assert_eq!(parse_hours(&hours_text(minutes)), Ok(minutes));
        }
    }
}
