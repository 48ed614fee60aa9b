//! The activity codebook (`public/activity-codebook.md`): the activity file format, the two
//! records, the CSV, and every code of the built-in activity definition with its label, generated
//! so it cannot go stale. A test compares the committed file with [`codebook_markdown`]; run
//! `UPDATE_CODEBOOK=1 cargo test --lib codebook` to rewrite it after changing the definition or
//! the text below.

use super::definition::{ActivityDefinition, List};
use std::fmt::Write;

/// The fixed part. Keep in step with `exchange.rs`, `record.rs` and `csv.rs`.
const FORMATS: &str = r#"## 1. Activity file

Made by a Lead's device ("Download this month's return", "Download my whole log") and by the
programme view. JSON (UTF-8), one item per line.

| field | type | meaning |
| --- | --- | --- |
| `format` | text | always `ilt-activity` |
| `format_version` | whole number | `1`. A file with a higher number was made by a newer version of the toolkit |
| `exported_at` | text | when the file was made: ISO 8601 in UTC, e.g. `2024-04-01T09:00:00.000Z` |
| `scope` | text | `return` (one submitted month: its return and its activities), `log` (everything on the device) or `programme` (a programme view's merged set) |
| `definitions` | list | every activity definition the activities use, once each, the built-in one too (section 4) |
| `returns` | list | monthly returns, each a record as in section 3 |
| `activities` | list | activities, each a record as in section 2 |

Importing is all or nothing: if the file, a definition, a return or an activity cannot be read or
does not pass the checks below, nothing is imported and every problem is listed, with the row's
position and id. An activity must use a definition that is built in or in the file, and every code
must be one of that definition's; a definition with the built-in one's id and version must be the
built-in one. Activities are merged by `id` and returns by Lead and month: the same record again
changes nothing; for two versions the later (`u`, or `sa` for a return) is kept, a tie going to the
record whose text sorts last. Importing the same file twice changes nothing, and the order of
imports does not matter.

## 2. One activity (record version 1)

Stored on the Lead's device under its own key, `ilt:act:` followed by its id.

| field | type | meaning |
| --- | --- | --- |
| `v` | whole number | record version: `1` |
| `id` | text | activity id: 32 lower-case hexadecimal digits (128 random bits), unique across devices |
| `d` | text | id of the activity definition the codes belong to (`eoe-activity` for the built-in one) |
| `dv` | whole number | its version |
| `l` | text | the Lead's id, given by the programme: 1 to 32 lower-case letters, digits or hyphens, e.g. `hwe-07` |
| `ln` | text | the Lead's name |
| `m` | text | the month, `YYYY-MM` |
| `icb` | text | ICB code (section 4) |
| `pcn` | list of text | the PCN names the activity was for (1 to 10) |
| `t` | text | type code (section 4) |
| `md` | text | mode code |
| `p` | list of codes | purposes, one or more, in definition order |
| `s` | list of codes | stakeholder groups, any number, in definition order. Contacts with other Leads are not counted |
| `ra` | whole number | people actively engaged with |
| `rp` | whole number | people only present (an audience, a conference the Lead listened at). `ra` + `rp` is at most 10,000 |
| `min` | whole number | minutes spent, 1 to the minutes in the month (all of a Lead's activities in a month together too) |
| `n` | text, optional | a note, up to 2,000 characters; left out of the anonymised CSV by default |
| `u` | whole number | last change, in milliseconds since 1970-01-01 00:00 UTC |

## 3. One monthly return (record version 1)

Stored on the Lead's device under `ilt:ret:` followed by the Lead's id, `:` and the month. Once a
month's return is stored, its activities cannot be added, changed or deleted.

| field | type | meaning |
| --- | --- | --- |
| `v` | whole number | record version: `1` |
| `l`, `ln` | text | the Lead's id and name |
| `m` | text | the month returned, `YYYY-MM` |
| `mc` | whole number, optional | minutes the Lead claims for the month (hours × 60), at most the minutes in the month |
| `r` | text, optional | the month's reflections, up to 5,000 characters; left out of the anonymised CSV by default |
| `na` | whole number | how many activities the month held when it was submitted |
| `sa` | whole number | when it was submitted, Unix milliseconds |

## CSV

`activities.csv` has one row per activity: `activity_id`, `lead_id`, `lead_name`, `month`, `icb`,
`pcns`, `type`, `mode`, `purposes`, `stakeholders`, `people_active`, `people_present`,
`people_reached`, `minutes`, `note`, `definition` (`id@version`), `updated_at` (ISO 8601). Lists
are codes joined by `;`. The anonymised variant starts with `lead` (`L01`, `L02`, … given to the
Leads in a random order drawn for each download, not in order of Lead id) and leaves out `activity_id`, `lead_id`, `lead_name`, `pcns` and `note` (notes can be
opted in). The returns CSV has `lead_id`, `lead_name` (or `lead`), `month`, `hours_claimed`,
`activities`, `submitted_at` and `reflections` (anonymised: left out unless opted in). A cell that
a spreadsheet would read as a formula starts with `'`.

## Hours flag

The programme view flags a Lead whose logged minutes are under half, or over twice, the minutes
claimed in the period, when at least an hour is claimed.
"#;

/// The whole activity codebook for a definition, as Markdown.
pub fn codebook_markdown(definition: &ActivityDefinition) -> String {
    let mut out = String::from(
        "# Codebook: Lead activity log\n\n\
         This file describes the data of the Lead activity log: the activity file, one activity, one monthly\n\
         return, the CSV, and every code with its label. It is generated by `codebook_markdown` in\n\
         `src/activity/codebook.rs`: do not edit it by hand, run `UPDATE_CODEBOOK=1 cargo test --lib codebook`.\n\n",
    );
    out.push_str(FORMATS);
    let _ = write!(out, "\n## 4. Codes: {} (`{}`, version {})\n", md(&definition.title), definition.id, definition.version);
    for list in List::ALL {
        let types = list == List::Type;
        let (head, rule) = if types { ("| code | label | usual mode |", "| --- | --- | --- |") } else { ("| code | label |", "| --- | --- |") };
        let _ = write!(out, "\n### `{}`: {}\n\n{head}\n{rule}\n", list.code(), list.noun());
        for item in definition.list(list) {
            let mode = item.mode.as_deref().map(|m| format!(" `{m}` |")).unwrap_or(if types { " |".into() } else { String::new() });
            let _ = writeln!(out, "| `{}` | {} |{mode}", item.code, md(&item.label));
        }
    }
    out
}

fn md(text: &str) -> String {
    text.chars().flat_map(|c| if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '|' | '#') { vec!['\\', c] } else { vec![c] }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::definition::default_definition;

    const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/public/activity-codebook.md");

    #[test]
    fn committed_codebook_matches_the_definition() {
        let generated = codebook_markdown(default_definition());
        if std::env::var_os("UPDATE_CODEBOOK").is_some() {
            std::fs::write(PATH, &generated).expect("write public/activity-codebook.md");
        }
        let committed = std::fs::read_to_string(PATH).unwrap_or_default();
        assert!(committed == generated, "public/activity-codebook.md is out of date. Regenerate it with:  UPDATE_CODEBOOK=1 cargo test --lib codebook");
    }

    #[test]
    fn every_code_field_and_key_is_documented() {
        let d = default_definition();
        let book = codebook_markdown(d);
        for list in List::ALL {
            for item in d.list(list) {
                assert!(book.contains(&format!("| `{}` | {} |", item.code, md(&item.label))), "{}", item.code);
            }
        }
        // Every field the records write.
        let a = crate::activity::record::testing::activity(1, "a", "2024-01");
        let mut with_note = a.clone();
        with_note.note = Some("x".into());
        let fields: serde_json::Value = serde_json::from_str(&crate::activity::record::encode_activity(&with_note)).unwrap();
        for field in fields.as_object().unwrap().keys() {
            assert!(book.contains(&format!("| `{field}` |")), "{field}");
        }
        for field in ["format", "format_version", "exported_at", "scope", "definitions", "returns", "activities", "mc", "r", "na", "sa"] {
            assert!(book.contains(&format!("| `{field}` |")), "{field}");
        }
        assert!(book.contains("| `l`, `ln` |") && book.contains(&format!("`{}` followed by its id", crate::keys::ACTIVITY_PREFIX)));
        for column in crate::activity::csv::ACTIVITY_COLUMNS {
            assert!(book.contains(&format!("`{column}`")), "{column}");
        }
        assert!(book.contains(&format!("under half, or over twice")) && crate::activity::programme::LOW_SHARE == 0.5 && crate::activity::programme::HIGH_SHARE == 2.0);
    }
}
