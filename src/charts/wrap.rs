//! Chart labels wrapped onto lines (plain Rust: no canvas, so tested on the host).
//!
//! A label is broken between words into lines no wider than the room it has, measured by a
//! function the caller passes (the canvas's own text measure, or [`estimated_width`]). Words are
//! never split while a line has room for them; only a single word wider than a whole line, or the
//! text left over after the last line allowed, is shortened, ending with "…" (the table beside
//! every chart has the full text).

/// About how wide `text` is in pixels at `font_px`, without a canvas: average letters of a sans
/// serif font are a little over half the font size wide.
pub fn estimated_width(text: &str, font_px: f64) -> f64 {
    text.chars().count() as f64 * font_px * 0.55
}

/// `text` shortened to fit `max_width` with a final "…" (whole when it fits): after its last
/// whole word that fits, or within its first word when even that is too wide.
fn shortened(text: &str, max_width: f64, width: &impl Fn(&str) -> f64) -> String {
    if width(text) <= max_width {
        return text.to_owned();
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    for keep in (1..words.len()).rev() {
        let candidate = words[..keep].join(" ") + "…";
        if width(&candidate) <= max_width {
            return candidate;
        }
    }
    let chars: Vec<char> = text.chars().collect();
    for keep in (0..chars.len()).rev() {
        let candidate: String = chars[..keep].iter().collect::<String>().trim_end().to_owned() + "…";
        if width(&candidate) <= max_width || keep == 0 {
            return candidate;
        }
    }
    "…".to_owned()
}

/// `text` in at most `max_lines` lines, each at most `max_width` wide by `width`, broken between
/// words; a word wider than a whole line is broken inside, with a hyphen. When the lines needed are
/// more than `max_lines`, the first lines and the last ones are kept and the middle is cut, marked
/// "…": the end of a label ("…, without a Lead") often tells two bars apart. Empty text gives no
/// lines; `max_lines` of 0 is taken as 1.
pub fn wrap_label(text: &str, max_width: f64, max_lines: usize, width: impl Fn(&str) -> f64) -> Vec<String> {
    let max_lines = max_lines.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        for (piece, broken) in pieces(word, max_width, &width) {
            let joined = if line.is_empty() { piece.clone() } else { format!("{line} {piece}") };
            if line.is_empty() || width(&joined) <= max_width {
                line = joined;
            } else {
                lines.push(std::mem::replace(&mut line, piece));
            }
            // A hyphenated piece fills its line.
            if broken {
                lines.push(std::mem::take(&mut line));
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        let tail = max_lines / 2;
        let head = max_lines - tail;
        let end = lines.split_off(lines.len() - tail);
        lines.truncate(head);
        let cut = format!("{} …", lines[head - 1].trim_end_matches('-'));
        lines[head - 1] = shortened(&cut, max_width, &width);
        if !lines[head - 1].ends_with('…') {
            lines[head - 1] = shortened(&format!("{cut}…"), max_width, &width);
        }
        lines.extend(end);
    }
    lines
}

/// A word as pieces that each fit `max_width`: the word itself, or, when it is wider, its longest
/// beginnings that fit with a hyphen (`true`: broken there) and then the rest.
fn pieces(word: &str, max_width: f64, width: &impl Fn(&str) -> f64) -> Vec<(String, bool)> {
    if width(word) <= max_width {
        return vec![(word.to_owned(), false)];
    }
    let chars: Vec<char> = word.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let rest: String = chars[start..].iter().collect();
        if width(&rest) <= max_width {
            out.push((rest, false));
            break;
        }
        // At least one letter a line, so this ends.
        let mut end = chars.len() - 1;
        while end > start + 1 && width(&(chars[start..end].iter().collect::<String>() + "-")) > max_width {
            end -= 1;
        }
        out.push((chars[start..end].iter().collect::<String>() + "-", true));
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One unit per character: widths are character counts.
    fn chars(s: &str) -> f64 {
        s.chars().count() as f64
    }

    #[test]
    fn the_reports_long_category_wraps_between_words_without_losing_any() {
        let label = "Practices, PCNs, ICB and other, with a Lead";
        let lines = wrap_label(label, 18.0, 3, chars);
        assert_eq!(lines, ["Practices, PCNs,", "ICB and other,", "with a Lead"]);
        assert_eq!(lines.join(" "), label, "every word is kept");
        assert!(lines.iter().all(|l| chars(l) <= 18.0));
        // Figure 8's label that was cut ("Pharmacies, with a Le…") is whole.
        assert_eq!(wrap_label("Pharmacies, with a Lead", 12.0, 3, chars), ["Pharmacies,", "with a Lead"]);
        assert_eq!(wrap_label("Pharmacies, with a Lead", 40.0, 3, chars), ["Pharmacies, with a Lead"]);
    }

    #[test]
    fn too_much_text_keeps_the_beginning_and_the_end_and_marks_the_cut() {
        let lines = wrap_label("one two three four five six seven", 9.0, 2, chars);
        assert_eq!(lines, ["one two …", "six seven"]);
        let lines = wrap_label("one two three four five six seven", 9.0, 3, chars);
        assert_eq!(lines, ["one two", "three …", "six seven"]);
        assert!(wrap_label("one two three four five six seven", 9.0, 3, chars).iter().all(|l| chars(l) <= 9.0));
        // Figure 8 on a phone: the group and its Lead status both stay readable.
        let lines = wrap_label("Practices, PCNs, ICB and other, without a Lead", 9.0, 5, chars);
        assert_eq!(lines, ["Practice-", "s, PCNs,", "ICB and …", "without a", "Lead"]);
        assert!(lines.iter().all(|l| chars(l) <= 9.0));
        assert_eq!(wrap_label("", 10.0, 3, chars), Vec::<String>::new());
        assert_eq!(wrap_label("a b", 10.0, 0, chars), ["a b"], "0 lines is taken as 1");
        assert_eq!(wrap_label("a b c d", 3.0, 1, chars), ["a…"], "one line: the beginning");
    }

    #[test]
    fn a_word_wider_than_a_line_is_hyphenated_not_cut() {
        assert_eq!(wrap_label("Hertfordshire", 6.0, 3, chars), ["Hertf-", "ordsh-", "ire"]);
        assert_eq!(wrap_label("Pharmacies, with a Lead", 8.0, 5, chars), ["Pharmac-", "ies,", "with a", "Lead"]);
        // At least one letter a line, however narrow: it ends, and no line is empty.
        assert_eq!(wrap_label("abc", 1.0, 5, chars), ["a-", "b-", "c"]);
    }

    #[test]
    fn the_measure_decides_not_the_character_count() {
        // A measure where "W" is three units wide and everything else one.
        let wide = |s: &str| s.chars().map(|c| if c == 'W' { 3.0 } else { 1.0 }).sum::<f64>();
        assert_eq!(wrap_label("WW ab cd", 6.0, 3, wide), ["WW", "ab cd"]);
        assert_eq!(wrap_label("WW ab cd", 6.0, 3, chars), ["WW ab", "cd"]);
        assert!((estimated_width("abcd", 10.0) - 22.0).abs() < 1e-9);
    }
}
