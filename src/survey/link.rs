//! Survey links: query parameters that preset (and may lock) the metadata answers.
//!
//! An ICB sends one link per area, e.g.
//! `?icb=hwe&pcn=Stevenage%20North&wave=follow_up&has_lead=yes&lock=icb,pcn,wave,has_lead`.
//! Parameter names are the ids of the metadata questions ([`LINK_PARAMS`]); values are option
//! codes, or the text for `pcn` and `icb_other`. `lock` lists parameters the respondent may not
//! change. Anything unknown or wrong is ignored with a [`Note`] in plain English; parsing never
//! fails and never panics.

use super::answer::{Answer, Answers};
use super::instrument::{meta, AnswerSpec, Instrument};
use std::collections::BTreeSet;

/// Parameters a link may set, in the order [`survey_link_query`] writes them.
pub const LINK_PARAMS: [&str; 6] = [
    meta::RESPONDENT,
    meta::WAVE,
    meta::ICB,
    meta::ICB_OTHER,
    meta::PCN,
    meta::HAS_LEAD,
];

/// The parameter that lists locked answers, comma-separated.
pub const LOCK_PARAM: &str = "lock";

/// Answers preset by a link, and which of them the respondent may not change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Presets {
    /// Preset answers by question id (only ids in [`LINK_PARAMS`]).
    pub answers: Answers,
    /// Question ids whose preset answer is fixed. Always a subset of the keys of `answers`.
    pub locked: BTreeSet<String>,
}

impl Presets {
    /// Whether the respondent may change this answer.
    pub fn is_locked(&self, question_id: &str) -> bool {
        self.locked.contains(question_id)
    }

    /// Fill a new draft's answers with the presets (overwriting, so a link always wins).
    pub fn apply(&self, answers: &mut Answers) {
        answers.extend(self.answers.iter().map(|(q, a)| (q.clone(), a.clone())));
    }
}

/// Something in a link that was ignored, and why, for a visible note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The parameter name as written in the link.
    pub param: String,
    /// Plain English, e.g. "The link sets ICB area to 'xyz', which is not one of the choices, so it was ignored."
    pub message: String,
}

/// A survey link's parameters, which may be in the page address's real query string (`search`,
/// `?icb=hwe`) or in the fragment's query (`#/survey?icb=hwe`), or both: one query of both, the
/// real query string's first.
pub fn link_query(search: &str, fragment_query: &str) -> String {
    let search = search.strip_prefix('?').unwrap_or(search);
    [search, fragment_query].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("&")
}

/// Read a link's query string (with or without the leading `?`) against an instrument.
pub fn parse_survey_link(instrument: &Instrument, query: &str) -> (Presets, Vec<Note>) {
    let mut presets = Presets::default();
    let mut notes = Vec::new();
    let mut note = |param: &str, message: String| {
        notes.push(Note {
            param: param.to_owned(),
            message,
        })
    };
    let mut seen = BTreeSet::new();
    let mut lock_value = None;
    for pair in query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let (Some(name), Some(value)) = (percent_decode(raw_name), percent_decode(raw_value))
        else {
            note(
                raw_name,
                format!("The link setting '{raw_name}' could not be read, so it was ignored."),
            );
            continue;
        };
        let known = name == LOCK_PARAM || LINK_PARAMS.contains(&name.as_str());
        let question = instrument.question(&name).filter(|_| name != LOCK_PARAM);
        if !known || (name != LOCK_PARAM && question.is_none()) {
            note(
                &name,
                format!("The link setting '{name}' is not recognised, so it was ignored."),
            );
            continue;
        }
        let what = question.map_or("locked answers", |q| q.label.as_str());
        if !seen.insert(name.clone()) {
            note(
                &name,
                format!("The link sets {what} more than once, so only the first was used."),
            );
            continue;
        }
        let value = value.trim();
        if value.is_empty() {
            note(
                &name,
                format!("The link gives no value for {what}, so it was ignored."),
            );
            continue;
        }
        let Some(q) = question else {
            lock_value = Some(value.to_owned());
            continue;
        };
        let answer = match q.answer {
            AnswerSpec::ShortText { .. } | AnswerSpec::FreeText { .. } => Answer::text(value),
            _ => Answer::choice(value),
        };
        match q.check(&answer) {
            Ok(()) => {
                presets.answers.insert(name, answer);
            }
            Err(_) if !q.options().is_empty() => note(
                &name,
                format!("The link sets {what} to '{value}', which is not one of the choices, so it was ignored."),
            ),
            Err(problem) => note(&name, format!("The link sets {what}, but it was ignored: {problem}.")),
        }
    }
    // A preset that depends on another answer (`icb_other` on `icb` = `other`) needs that answer.
    let mut unmet = Vec::new();
    for id in presets.answers.keys() {
        let Some((q, cond)) = instrument
            .question(id)
            .and_then(|q| Some((q, q.show_if.as_ref()?)))
        else {
            continue;
        };
        let chosen = presets
            .answers
            .get(&cond.question)
            .and_then(Answer::as_choice);
        if !chosen.is_some_and(|c| cond.any_of.iter().any(|a| a == c)) {
            let on = instrument
                .question(&cond.question)
                .map_or(cond.question.as_str(), |q| &q.label);
            let codes: Vec<String> = cond.any_of.iter().map(|c| format!("'{c}'")).collect();
            let message = format!(
                "The link sets {}, which applies only when {on} is {}, so it was ignored.",
                q.label,
                codes.join(" or ")
            );
            unmet.push((id.clone(), message));
        }
    }
    for (id, message) in unmet {
        presets.answers.remove(&id);
        note(&id, message);
    }
    for name in lock_value
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        if presets.answers.contains_key(name) {
            presets.locked.insert(name.to_owned());
        } else if LINK_PARAMS.contains(&name) {
            note(
                LOCK_PARAM,
                format!("The link locks '{name}' but does not set it, so it was not locked."),
            );
        } else {
            note(
                LOCK_PARAM,
                format!("The link locks '{name}', which is not a link setting, so it was ignored."),
            );
        }
    }
    (presets, notes)
}

/// The query string (starting with `?`, or empty) that [`parse_survey_link`] reads back as these
/// presets. Answers that links cannot set are left out.
pub fn survey_link_query(presets: &Presets) -> String {
    let mut parts: Vec<String> = LINK_PARAMS
        .iter()
        .filter_map(|p| {
            let value = match presets.answers.get(*p)? {
                Answer::Choice(code) => code,
                Answer::Text(text) => text,
                _ => return None,
            };
            Some(format!("{p}={}", percent_encode(value)))
        })
        .collect();
    let locked: Vec<&str> = LINK_PARAMS
        .iter()
        .copied()
        .filter(|p| presets.is_locked(p) && presets.answers.contains_key(*p))
        .collect();
    if !locked.is_empty() {
        parts.push(format!("{LOCK_PARAM}={}", locked.join(",")));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// Decode `application/x-www-form-urlencoded` text: `+` is a space, `%XX` a byte; the bytes must
/// be UTF-8. `None` for a broken escape or bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
                out.push(
                    u8::from_str_radix(hex, 16)
                        .ok()
                        .filter(|_| hex.bytes().all(|c| c.is_ascii_hexdigit()))?,
                );
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Encode every byte outside the unreserved set (`A–Z a–z 0–9 - . _ ~`) as `%XX`.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::instrument::default_instrument;
    use proptest::prelude::*;

    #[test]
    fn a_link_may_use_the_real_query_string_the_fragment_or_both() {
        assert_eq!(link_query("?icb=hwe", ""), "icb=hwe");
        assert_eq!(link_query("", "wave=baseline"), "wave=baseline");
        assert_eq!(link_query("?icb=hwe&lock=icb", "wave=baseline"), "icb=hwe&lock=icb&wave=baseline");
        assert_eq!(link_query("?", ""), "");
    }

    fn parse(q: &str) -> (Presets, Vec<String>) {
        let (p, notes) = parse_survey_link(default_instrument(), q);
        (p, notes.into_iter().map(|n| n.message).collect())
    }

    #[test]
    fn presets_and_locks() {
        let (p, notes) =
            parse("?icb=hwe&pcn=Stevenage%20North&wave=follow_up&has_lead=yes&lock=icb,pcn");
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(p.answers.get("icb"), Some(&Answer::choice("hwe")));
        assert_eq!(p.answers.get("pcn"), Some(&Answer::text("Stevenage North")));
        assert_eq!(p.answers.get("wave"), Some(&Answer::choice("follow_up")));
        assert_eq!(p.answers.get("has_lead"), Some(&Answer::choice("yes")));
        assert!(p.is_locked("icb") && p.is_locked("pcn") && !p.is_locked("wave"));
        let mut draft = Answers::new();
        draft.insert("icb".into(), Answer::choice("mse"));
        p.apply(&mut draft);
        assert_eq!(draft, p.answers);
        // `+` is a space too, and the `?` is optional.
        assert_eq!(
            parse("pcn=Harlow+North").0.answers.get("pcn"),
            Some(&Answer::text("Harlow North"))
        );
    }

    #[test]
    fn bad_parameters_are_ignored_with_a_note() {
        let (p, notes) = parse("?icb=london&colour=blue&wave=follow_up&wave=baseline&pcn=&has_lead=maybe&lock=wave,icb,speed&x=%ZZ");
        assert_eq!(p.answers.keys().collect::<Vec<_>>(), ["wave"]);
        assert_eq!(p.locked.iter().collect::<Vec<_>>(), ["wave"]);
        assert_eq!(
            notes,
            [
                "The link sets ICB area to 'london', which is not one of the choices, so it was ignored.",
                "The link setting 'colour' is not recognised, so it was ignored.",
                "The link sets Survey more than once, so only the first was used.",
                "The link gives no value for PCN, so it was ignored.",
                "The link sets Area has an Integration Lead to 'maybe', which is not one of the choices, so it was ignored.",
                "The link setting 'x' could not be read, so it was ignored.",
                "The link locks 'icb' but does not set it, so it was not locked.",
                "The link locks 'speed', which is not a link setting, so it was ignored.",
            ]
        );
    }

    #[test]
    fn text_too_long_and_orphan_other_name() {
        let (p, notes) = parse(&format!("pcn={}&icb=hwe&icb_other=Kent", "a".repeat(101)));
        assert_eq!(p.answers.keys().collect::<Vec<_>>(), ["icb"]);
        assert_eq!(
            notes,
            [
                "The link sets PCN, but it was ignored: PCN must be 100 characters or fewer.",
                "The link sets Other ICB area, which applies only when ICB area is 'other', so it was ignored.",
            ]
        );
        let (p, notes) = parse("icb=other&icb_other=Kent%20and%20Medway");
        assert!(notes.is_empty());
        assert_eq!(
            p.answers.get("icb_other"),
            Some(&Answer::text("Kent and Medway"))
        );
    }

    #[test]
    fn questions_links_cannot_set_are_not_recognised() {
        let (p, notes) = parse("joint_working=10&comments=hello");
        assert!(p.answers.is_empty());
        assert_eq!(notes.len(), 2);
        assert!(notes[0].contains("'joint_working' is not recognised"));
    }

    #[test]
    fn builds_the_link_it_reads() {
        let (p, _) =
            parse("lock=pcn,icb&has_lead=dont_know&pcn=St%20Albans%20%26%20Harpenden&icb=hwe");
        let q = survey_link_query(&p);
        assert_eq!(
            q,
            "?icb=hwe&pcn=St%20Albans%20%26%20Harpenden&has_lead=dont_know&lock=icb,pcn"
        );
        assert_eq!(parse(&q), (p, vec![]));
        assert_eq!(survey_link_query(&Presets::default()), "");
    }

    fn any_presets() -> impl Strategy<Value = Presets> {
        let d = default_instrument();
        let codes = |id: &str| {
            d.question(id)
                .unwrap()
                .options()
                .iter()
                .map(|o| o.code.clone())
                .collect::<Vec<_>>()
        };
        (
            proptest::option::of(proptest::sample::select(codes("respondent"))),
            proptest::option::of(proptest::sample::select(codes("wave"))),
            proptest::option::of(proptest::sample::select(codes("icb"))),
            proptest::option::of("[^\\s][\\PC]{0,40}[^\\s]"),
            proptest::option::of(proptest::sample::select(codes("has_lead"))),
            proptest::collection::btree_set(proptest::sample::select(LINK_PARAMS.to_vec()), 0..4),
        )
            .prop_map(|(r, w, icb, pcn, lead, lock)| {
                let mut answers = Answers::new();
                for (id, code) in [
                    ("respondent", r),
                    ("wave", w),
                    ("icb", icb),
                    ("has_lead", lead),
                ] {
                    if let Some(c) = code {
                        answers.insert(id.into(), Answer::Choice(c));
                    }
                }
                if let Some(name) = pcn.filter(|n| n.chars().count() <= 100) {
                    answers.insert("pcn".into(), Answer::Text(name));
                }
                let locked = lock
                    .into_iter()
                    .filter(|p| answers.contains_key(*p))
                    .map(str::to_owned)
                    .collect();
                Presets { answers, locked }
            })
    }

    proptest! {
        #[test]
        fn parse_never_panics(query in "\\PC{0,120}") {
            let (p, _) = parse_survey_link(default_instrument(), &query);
            prop_assert!(p.locked.iter().all(|l| p.answers.contains_key(l)));
            for (id, a) in &p.answers {
                prop_assert!(LINK_PARAMS.contains(&id.as_str()));
                prop_assert_eq!(default_instrument().question(id).unwrap().check(a), Ok(()));
            }
        }

        #[test]
        fn parse_never_panics_on_link_like_input(query in "([a-z_%+=&,?]|%[0-9A-Fa-f]{0,2}|icb|pcn|lock|wave){0,30}") {
            let _ = parse_survey_link(default_instrument(), &query);
        }

        #[test]
        fn build_then_parse_is_identity(p in any_presets()) {
            prop_assert_eq!(parse_survey_link(default_instrument(), &survey_link_query(&p)), (p, vec![]));
        }
    }
}
