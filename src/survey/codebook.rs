//! The codebook (`public/codebook.md`): the raw formats, then every question of an instrument with
//! its codes and labels, generated from the definition so it cannot go stale. A test compares the
//! committed file with [`codebook_markdown`] of the default instrument; run
//! `UPDATE_CODEBOOK=1 cargo test --lib codebook` to rewrite it after changing the instrument or
//! the text below.

use super::instrument::{builtin_instruments, AnswerSpec, Instrument, Question, AGREE_SCALE};
use std::fmt::Write;

/// The fixed part: file and record formats. Keep in step with `export.rs` and `record.rs`.
const FORMATS: &str = r#"## 1. Raw export file

One file per device, made by "Export responses". It holds every response the device held, exactly as
stored, and the definition of any custom survey they answer, so nothing is lost. It is JSON (UTF-8),
with one response per line.

| field | type | meaning |
| --- | --- | --- |
| `format` | text | always `ilt-responses` |
| `format_version` | whole number | `2` when the file has `definitions`, otherwise `1` (so that versions of the toolkit that read only version 1 still read it). A file with a higher number was made by a newer version of the toolkit |
| `exported_at` | text | when the file was made: ISO 8601 in UTC, e.g. `2024-06-30T12:00:00.000Z` |
| `device_label` | text, optional | a name for the device typed by the person exporting, e.g. `Tablet 3` |
| `definitions` | list, optional (version 2) | the definition of each custom survey that responses in the file answer (a survey definition loaded on the device), once each, in the same JSON as a survey definition file. The built-in survey is never included |
| `responses` | list | the responses, each a record as in section 2 |

Each response must answer a survey that is built into the toolkit or defined in `definitions`, and
every answer must fit its question: a number on the question's scale, a code that is one of its
options, no option listed twice, the right kind of answer (a number, a code, a list of codes, text),
a question that survey has, and text no longer than the question's `max_len` in characters. A
response not yet submitted may hold a longer text (the survey keeps what was typed until it is
checked). A definition in the file must pass every check of a definition file, appear once, and not
use the built-in survey's id and version with different content.

Importing is all or nothing: if the file, a definition or any response in it cannot be read or does
not pass these checks, nothing is imported and every problem is listed, a response's with its
position and id. A response to a survey the file does not define cannot be checked: export it again
from a device that has that survey, with the latest version of the toolkit.

Responses are merged by `id`: a response already held is skipped; if the same id comes with
different content, the version with the later `u` is kept (if `u` is equal, the one whose record
text sorts last), and it is reported as a conflict. Importing the same file twice changes nothing,
and the order of imports does not matter.

## 2. One response (record version 1)

Each response is stored on the device under its own key, `ilt:r:` followed by its id, and written
with short field names so that a device holds well over 10,000 responses.

| field | type | meaning |
| --- | --- | --- |
| `v` | whole number | record version: `1` |
| `id` | text | response id: 32 lower-case hexadecimal digits (128 random bits), unique across devices |
| `i` | text | id of the survey definition answered (`eoe-cpil` for the built-in one) |
| `iv` | whole number | version of that survey definition |
| `u` | whole number | last change, in milliseconds since 1970-01-01 00:00 UTC (Unix time). For a submitted response, when it was submitted |
| `s` | `true`, optional | present once the person pressed "Submit"; absent for a response still being filled in |
| `a` | object | answers: question id → answer value, as below |

### Answer values

| answer type | written as | example |
| --- | --- | --- |
| agree scale | a whole number, 1–5 (see [Agree scale](#agree-scale)) | `4` |
| rating | a whole number within the question's scale | `7` |
| single choice | the option's code | `"hwe"` |
| multiple choice | a list of option codes, in the order the options are listed | `["meeting","email"]` |
| short text, free text | an object with the text in `t` | `{"t":"Stevenage North"}` |

A question with no entry in `a` was not answered, or was not asked (it does not apply to this
respondent type, wave or earlier answer). A submitted response holds answers only to questions
that applied. Free-text answers are left out of the anonymised export unless the evaluator chooses
to include them.

### Earlier record version 0 (pre-release)

Records without `v` come from pre-release builds and are converted when read: `id` was a UUID
(hyphens, any case); `survey` is now `i` (version 1); `saved` (ISO 8601) is now `u`; `complete`
is now `s`; `answers` was a list of `{"q": id, "value": value}` in which the last entry for a
question wins and `null` clears it; `respondent_type` is now `respondent` (codes
`community_pharmacy`, `general_practice`, `pcn`, `icb_or_committee`, `other_stakeholder`,
`integration_lead` are now `pharmacy`, `practice`, `pcn`, `icb`, `other`, `lead`); agree answers
were words (`strongly_disagree`, `disagree`, `neither`, `agree`, `strongly_agree`) and are now 1–5;
text answers (`pcn`, `icb_other`, `comments`) were plain strings.
"#;

/// The whole codebook for an instrument, as Markdown.
pub fn codebook_markdown(instrument: &Instrument) -> String {
    let mut out = String::new();
    out.push_str("# Codebook: survey responses\n\n");
    out.push_str(
        "This file describes the data the survey collects: the raw export file, one response record, and\n\
         every question with its codes and labels. It is generated from the survey definition by\n\
         `codebook_markdown` in `src/survey/codebook.rs`: do not edit it by hand, run\n\
         `UPDATE_CODEBOOK=1 cargo test --lib codebook` instead.\n\n",
    );
    out.push_str(FORMATS);
    let _ = write!(
        out,
        "\n## 3. Questions: {} (`{}`, version {})\n\n",
        md(&instrument.title),
        instrument.id,
        instrument.version
    );
    out.push_str(
        "Each question's id is its key in `a` and its column in exported tables. Codes are stored, not labels.\n\
         \"Asked of\" lists respondent types by code (see `respondent`); \"Only if\" names an earlier answer\n\
         the question depends on.\n\n",
    );
    out.push_str("### Agree scale\n\n| code | label |\n| --- | --- |\n");
    for (code, label) in AGREE_SCALE {
        let _ = writeln!(out, "| `{code}` | {label} |");
    }
    out.push_str("\n\"Agree\" in results means `4` or `5`.\n");
    for section in &instrument.sections {
        let _ = write!(
            out,
            "\n### Screen: {} (`{}`)\n",
            md(&section.title),
            section.id
        );
        for q in &section.questions {
            question_entry(&mut out, q);
        }
    }
    earlier_versions(&mut out, instrument);
    out
}

/// Earlier built-in versions of this survey: responses to them are still read and analysed, so
/// the codebook gives, for each, every question that read differently then, as it was.
fn earlier_versions(out: &mut String, instrument: &Instrument) {
    let earlier: Vec<&Instrument> = builtin_instruments()
        .iter()
        .filter(|d| d.id == instrument.id && d.version < instrument.version)
        .collect();
    if earlier.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "\n## 4. Earlier versions of `{}`\n\n\
         Responses record the version they answer (`iv`), and every earlier version stays built in: its\n\
         responses are still checked, exported and analysed against the questions they were asked. Below,\n\
         each question that read differently in an earlier version, as it was then; every other question\n\
         was the same.\n",
        instrument.id
    );
    for d in earlier.into_iter().rev() {
        let _ = write!(out, "\n### Version {}\n", d.version);
        for q in d.questions() {
            let entry = |q: &Question| {
                let mut e = String::new();
                question_entry(&mut e, q);
                e
            };
            let then = entry(q);
            if instrument.question(&q.id).map(entry).as_ref() != Some(&then) {
                out.push_str(&then);
            }
        }
    }
}

fn question_entry(out: &mut String, q: &Question) {
    let _ = write!(out, "\n#### `{}`: {}\n\n", q.id, md(&q.label));
    let _ = writeln!(out, "- Wording: {}", md(&q.text));
    if let Some(hint) = &q.hint {
        let _ = writeln!(out, "- Hint: {}", md(hint));
    }
    let answer = match &q.answer {
        AnswerSpec::Agree {} => "agree scale, `1`–`5`".to_owned(),
        AnswerSpec::Rating {
            min,
            max,
            min_label,
            max_label,
        } => {
            format!(
                "rating, whole number from `{min}` ({}) to `{max}` ({})",
                md(min_label),
                md(max_label)
            )
        }
        AnswerSpec::Single { .. } => "single choice, one code".to_owned(),
        AnswerSpec::Multi { .. } => "multiple choice, a list of codes".to_owned(),
        AnswerSpec::ShortText { max_len } => format!("short text, up to {max_len} characters"),
        AnswerSpec::FreeText { max_len } => {
            format!("free text, up to {max_len} characters; left out of the anonymised export by default")
        }
    };
    let _ = writeln!(out, "- Answer: {answer}");
    let _ = writeln!(out, "- Required: {}", if q.required { "yes" } else { "no" });
    let codes = |list: Vec<&str>| {
        list.iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let asked_of = q.respondents.as_ref().map_or("everyone".to_owned(), |r| {
        codes(r.iter().map(|r| r.code()).collect())
    });
    let _ = writeln!(out, "- Asked of: {asked_of}");
    let waves = q.waves.as_ref().map_or("both".to_owned(), |w| {
        codes(w.iter().map(|w| w.code()).collect())
    });
    let _ = writeln!(out, "- Waves: {waves}");
    if let Some(cond) = &q.show_if {
        let any_of = codes(cond.any_of.iter().map(String::as_str).collect());
        let _ = writeln!(out, "- Only if: `{}` is {any_of}", cond.question);
    }
    if !q.options().is_empty() {
        out.push_str("- Codes:\n");
        for o in q.options() {
            let _ = writeln!(out, "  - `{}`: {}", o.code, md(&o.label));
        }
    }
}

/// Escape text so Markdown shows it as written.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '`' | '[' | ']' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::instrument::default_instrument;

    const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/public/codebook.md");

    #[test]
    fn committed_codebook_matches_the_default_instrument() {
        let generated = codebook_markdown(default_instrument());
        if std::env::var_os("UPDATE_CODEBOOK").is_some() {
            std::fs::write(PATH, &generated).expect("write public/codebook.md");
        }
        let committed = std::fs::read_to_string(PATH).unwrap_or_default();
        assert!(
            committed == generated,
            "public/codebook.md is out of date with the survey definition or the formats in src/survey/codebook.rs.\n\
             Regenerate it with:  UPDATE_CODEBOOK=1 cargo test --lib codebook\n\
             then review and commit the change."
        );
    }

    #[test]
    fn every_question_and_code_is_documented() {
        let d = default_instrument();
        let book = codebook_markdown(d);
        for q in d.questions() {
            assert!(
                book.contains(&format!("#### `{}`: ", q.id)),
                "{} is missing",
                q.id
            );
            for o in q.options() {
                assert!(
                    book.contains(&format!("  - `{}`: {}", o.code, md(&o.label))),
                    "{}: {} is missing",
                    q.id,
                    o.code
                );
            }
        }
        for field in [
            "`format`",
            "`format_version`",
            "`exported_at`",
            "`device_label`",
            "`definitions`",
            "`responses`",
            "`v`",
            "`id`",
            "`i`",
            "`iv`",
            "`u`",
            "`s`",
            "`a`",
        ] {
            assert!(
                book.contains(&format!("| {field} |")),
                "field {field} is missing"
            );
        }
        assert!(book.contains("- Only if: `has_lead` is `yes`, `dont_know`"));
        // Version 1's questions that differ are given as they were; the others are not repeated.
        let earlier = &book[book.find("## 4. Earlier versions of `eoe-cpil`").expect("the earlier versions")..];
        assert!(earlier.contains("### Version 1"));
        for id in ["has_lead", "lead_aware", "lead_contact", "lead_contact_how", "lead_value"] {
            assert!(earlier.contains(&format!("#### `{id}`: ")), "{id}");
        }
        assert!(!earlier.contains("#### `joint_working`: "));
        assert!(earlier.contains("- Asked of: `practice`, `pcn`, `icb`, `other`"));
        assert!(earlier.contains("a few days a month"));
        assert!(book.contains(
            "free text, up to 2000 characters; left out of the anonymised export by default"
        ));
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(
            md("a|b *c* <d> [e]_f\ng"),
            "a\\|b \\*c\\* &lt;d> \\[e\\]\\_f g"
        );
    }
}
