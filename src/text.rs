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

#[cfg(test)]
mod tests {
    use super::lower_first;

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
