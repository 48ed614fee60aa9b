//! Pure decisions behind the survey pages (host-tested; the wasm page only renders them).
//!
//! - [`StorageRoom`]: how much room is left and roughly how many more responses fit.
//! - [`needs_home_screen_prompt`]: Safari (which deletes site data after 7 days without a visit)
//!   outside a home-screen app.
//! - [`short_reference`]: the reference shown on the confirmation page.
//! - [`continue_view`], [`first_view`], [`next_view`], [`back_view`], [`error_view`]: which
//!   survey page ([`SurveyView`], one of the app's routes) a person continuing or starting a
//!   draft, pressing Continue or Back, or following an error on check your answers goes to.

use super::answer::Answers;
use super::flow;
use super::instrument::Instrument;
use super::time::format_iso8601;
use crate::routes::SurveyView;

fn screen_view(id: &str) -> SurveyView {
    SurveyView::Screen { id: id.to_owned(), back_to_check: false, field: None }
}

/// Where someone who has just started a draft goes: its first screen (check your answers when a
/// survey link answered every screen).
pub fn first_view(instrument: &Instrument, answers: &Answers) -> SurveyView {
    flow::first_screen(instrument, answers).map_or(SurveyView::Check, screen_view)
}

/// Where someone continuing a draft goes: the first screen with a problem, else check your answers.
pub fn continue_view(instrument: &Instrument, answers: &Answers) -> SurveyView {
    flow::first_screen_with_errors(instrument, answers).map_or(SurveyView::Check, screen_view)
}

/// Where "Continue" on screen `current` leads once its answers are valid: the next screen, or
/// check your answers. Opened from check your answers (`back_to_check`), it leads to the first
/// screen still missing an answer (a changed answer may bring in new questions), else back there.
pub fn next_view(instrument: &Instrument, answers: &Answers, current: &str, back_to_check: bool) -> SurveyView {
    if back_to_check {
        return continue_view(instrument, answers);
    }
    flow::next_screen(instrument, answers, current).map_or(SurveyView::Check, screen_view)
}

/// Where "Back" on screen `current` leads: check your answers when opened from there, else the
/// previous screen, or the start page from the first.
pub fn back_view(instrument: &Instrument, answers: &Answers, current: &str, back_to_check: bool) -> SurveyView {
    if back_to_check {
        return SurveyView::Check;
    }
    flow::previous_screen(instrument, answers, current).map_or(SurveyView::Start, screen_view)
}

/// Where "Back" on check your answers leads: the last screen that applies (the start page if none).
pub fn check_back_view(instrument: &Instrument, answers: &Answers) -> SurveyView {
    flow::screens(instrument, answers).last().map_or(SurveyView::Start, |s| screen_view(&s.section.id))
}

/// Where an error about `question` on check your answers leads: the question's screen, opened
/// from there, showing the error with the focus on the question (the start page if no screen
/// asks it).
pub fn error_view(instrument: &Instrument, question: &str) -> SurveyView {
    instrument.section_of(question).map_or(SurveyView::Start, |s| SurveyView::Screen {
        id: s.id.clone(),
        back_to_check: true,
        field: Some(question.to_owned()),
    })
}

/// How much storage room is left, in words people can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageRoom {
    /// Percentage of the quota in use, rounded up (0–100).
    pub percent_used: u32,
    /// Roughly how many more responses of the average size fit.
    pub more_responses: usize,
}

/// Room left given the units used, the quota and the stored records' sizes (UTF-16 units of key
/// plus value). A response is assumed to take the stored records' average size, but never less
/// than `typical_units` (a complete response), so a device holding only short drafts does not
/// promise too much. The count is rounded down to two significant figures: it is an estimate.
pub fn storage_room(used: usize, quota: usize, record_units: &[usize], typical_units: usize) -> StorageRoom {
    let left = quota.saturating_sub(used);
    let average = if record_units.is_empty() {
        0
    } else {
        record_units.iter().sum::<usize>().div_ceil(record_units.len())
    }
    .max(typical_units)
    .max(1);
    let percent_used = if quota == 0 { 100 } else { (used.min(quota) * 100).div_ceil(quota) as u32 };
    StorageRoom { percent_used, more_responses: round_down_2_figures(left / average) }
}

fn round_down_2_figures(n: usize) -> usize {
    let mut unit = 1;
    while n / unit >= 100 {
        unit *= 10;
    }
    n / unit * unit
}

/// Whether to advise "Add to Home Screen": Safari (on iPhone, iPad or Mac) deletes a site's
/// storage after 7 days without a visit unless the site runs from the home screen. Other browsers
/// that say "Safari" in their user agent (Chrome, Chromium, Edge, Firefox and Opera on iOS, Android's
/// browsers) are not Safari.
pub fn needs_home_screen_prompt(user_agent: &str, standalone: bool) -> bool {
    let not_safari = ["Chrome", "Chromium", "CriOS", "FxiOS", "EdgiOS", "Edg/", "OPR/", "Android"];
    !standalone && user_agent.contains("Safari") && !not_safari.iter().any(|m| user_agent.contains(m))
}

/// The reference shown after Submit: the first 8 characters of the response id, upper case, in
/// two groups (`3F2A-91C0`). Enough to find the response in an export.
pub fn short_reference(id: &str) -> String {
    let head: String = id.chars().take(8).collect::<String>().to_ascii_uppercase();
    if head.len() > 4 { format!("{}-{}", &head[..4], &head[4..]) } else { head }
}

/// The file name of a device export made at `ms`: `ilt-responses-2024-06-30.json`.
pub fn export_file_name(ms: u64) -> String {
    format!("ilt-responses-{}.json", &format_iso8601(ms)[..10])
}

impl StorageRoom {
    /// What the device manager says: "10% of the space this browser allows. Room for about
    /// 7,400 more responses."
    pub fn describe(&self) -> String {
        format!(
            "{}% of the space this browser allows. Room for about {} more {}.",
            self.percent_used,
            crate::format::group_thousands(self.more_responses as u64),
            if self.more_responses == 1 { "response" } else { "responses" }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::testing::{answers, complete_answers};
    use crate::survey::{default_instrument, RespondentType, Wave};

    fn screen(id: &str) -> SurveyView {
        screen_view(id)
    }

    #[test]
    fn where_each_button_leads() {
        let inst = default_instrument();
        let none = Answers::new();
        let first = flow::first_screen(inst, &none).unwrap();
        assert_eq!(first_view(inst, &none), screen(first));
        assert_eq!(continue_view(inst, &none), screen(first));
        assert_eq!(back_view(inst, &none, first, false), SurveyView::Start);
        assert_eq!(back_view(inst, &none, first, true), SurveyView::Check);
        let second = flow::next_screen(inst, &none, first).unwrap();
        assert_eq!(next_view(inst, &none, first, false), screen(second));
        assert_eq!(back_view(inst, &none, second, false), screen(first));
        // From check your answers, Continue goes to the first screen still missing an answer.
        assert_eq!(next_view(inst, &none, second, true), screen(first));
        let full = complete_answers(inst, RespondentType::Pharmacy, Wave::Baseline);
        assert_eq!(continue_view(inst, &full), SurveyView::Check);
        assert_eq!(next_view(inst, &full, second, true), SurveyView::Check);
        let last = flow::screens(inst, &full).last().unwrap().section.id.clone();
        assert_eq!(next_view(inst, &full, &last, false), SurveyView::Check);
        assert_eq!(check_back_view(inst, &full), screen(&last));
        // Answered in part: continuing goes to the first screen with a problem.
        let some = answers(&[("respondent", "pharmacy"), ("wave", "baseline")]);
        assert_eq!(continue_view(inst, &some), screen(second));
        // An error on check your answers opens its question's screen, from there, at the question.
        let question = &flow::screens(inst, &full)[1].questions[0].id;
        assert_eq!(
            error_view(inst, question),
            SurveyView::Screen { id: second.to_owned(), back_to_check: true, field: Some(question.clone()) }
        );
        assert_eq!(error_view(inst, "no_such_question"), SurveyView::Start);
    }

    #[test]
    fn storage_room_uses_the_average_record_size() {
        let room = storage_room(1_000, 10_000, &[100, 300], 150);
        assert_eq!(room, StorageRoom { percent_used: 10, more_responses: 45 });
        // Short drafts do not promise more room than complete responses need.
        assert_eq!(storage_room(1_000, 10_000, &[100, 300], 500).more_responses, 18);
        assert_eq!(storage_room(0, 10_000, &[], 500).more_responses, 20);
        // An estimate: two significant figures.
        assert_eq!(storage_room(0, 5_242_880, &[], 700).more_responses, 7_400);
        assert_eq!(storage_room(0, 5_242_880, &[], 700).describe(), "0% of the space this browser allows. Room for about 7,400 more responses.");
        assert_eq!(StorageRoom { percent_used: 99, more_responses: 1 }.describe(), "99% of the space this browser allows. Room for about 1 more response.");
        assert_eq!(storage_room(12_000, 10_000, &[10], 500), StorageRoom { percent_used: 100, more_responses: 0 });
        assert_eq!(storage_room(1, 10_000, &[], 0).percent_used, 1);
    }

    #[test]
    fn only_safari_outside_the_home_screen_gets_the_prompt() {
        let iphone_safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
        let mac_safari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15";
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
        let ios_chrome = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0 Mobile/15E148 Safari/604.1";
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0";
        assert!(needs_home_screen_prompt(iphone_safari, false));
        assert!(needs_home_screen_prompt(mac_safari, false));
        assert!(!needs_home_screen_prompt(iphone_safari, true));
        assert!(!needs_home_screen_prompt(chrome, false));
        assert!(!needs_home_screen_prompt(ios_chrome, false));
        assert!(!needs_home_screen_prompt(firefox, false));
    }

    #[test]
    fn references_and_file_names() {
        assert_eq!(short_reference("3f2a91c0aaaabbbbccccddddeeeeffff"), "3F2A-91C0");
        assert_eq!(export_file_name(1_719_748_800_000), "ilt-responses-2024-06-30.json");
    }
}
