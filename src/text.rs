//! Small text helpers shared by the features (plain Rust, tested on the host).

/// `text` with its first letter in lower case, for a label used inside a sentence ("Not at all" →
/// "not at all"), unless the first word is an abbreviation ("PCN knows" stays). ASCII only: this
/// keeps Unicode case tables (about 9 KB gzipped) out of the app, and a label starting with another
/// letter keeps its capital, which reads correctly.
pub fn lower_first(text: &str) -> String {
    let mut out = text.to_string();
    let b = out.as_bytes();
    let abbreviation = b.len() > 1 && b[1].is_ascii_uppercase();
    if !abbreviation {
        if let Some(first) = out.get_mut(0..1) {
            first.make_ascii_lowercase();
        }
    }
    out
}

/// Write why nothing was imported from a file, with each of its `problems` on a line of its own:
/// the one sentence every all-or-nothing import (survey device files, activity files) says.
pub fn write_import_problems<P: std::fmt::Display>(f: &mut std::fmt::Formatter, problems: &[P]) -> std::fmt::Result {
    let n = problems.len();
    write!(f, "Nothing was imported from this file, because {n} problem{} found:", if n == 1 { " was" } else { "s were" })?;
    problems.iter().try_for_each(|p| write!(f, "\n- {p}"))
}

/// A file's bytes as text, the way a browser's `Blob.text()` reads them: UTF-8, a leading byte
/// order mark dropped, and every invalid sequence replaced by U+FFFD (so a file that is not text
/// still reaches the importer, which says what is wrong with it).
pub fn file_text(bytes: Vec<u8>) -> String {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).map_or(0, |_| 3);
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            text.drain(..body);
            text
        }
        Err(e) => String::from_utf8_lossy(&e.into_bytes()[body..]).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{file_text, lower_first};

    #[test]
    fn reads_a_file_as_a_browser_does_dropping_a_bom_and_replacing_bad_bytes() {
        assert_eq!(file_text(b"{\"a\":1}".to_vec()), "{\"a\":1}");
        assert_eq!(file_text("\u{feff}caf\u{e9}".as_bytes().to_vec()), "caf\u{e9}");
        // Only a leading mark goes; one inside the text is kept.
        assert_eq!(file_text("a\u{feff}".as_bytes().to_vec()), "a\u{feff}");
        // Invalid UTF-8 (Latin-1 é, a lone continuation byte) becomes U+FFFD, BOM or not.
        assert_eq!(file_text(b"caf\xE9 \x80!".to_vec()), "caf\u{fffd} \u{fffd}!");
        assert_eq!(file_text(b"\xEF\xBB\xBFcaf\xE9".to_vec()), "caf\u{fffd}");
        assert_eq!(file_text(Vec::new()), "");
    }

    #[test]
    fn lowers_the_first_letter_of_ordinary_words_only() {
        assert_eq!(lower_first("Not at all"), "not at all");
        assert_eq!(lower_first("PCN knows a lot"), "PCN knows a lot");
        assert_eq!(lower_first("A lot"), "a lot");
        assert_eq!(lower_first("É beaucoup"), "É beaucoup");
        assert_eq!(lower_first("1 = poor"), "1 = poor");
        assert_eq!(lower_first(""), "");
        assert_eq!(lower_first("X"), "x");
    }
}
