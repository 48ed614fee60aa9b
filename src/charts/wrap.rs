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
/// words. Text that does not fit in `max_lines` lines ends the last line with "…". Empty text
/// gives no lines; `max_lines` of 0 is taken as 1.
pub fn wrap_label(text: &str, max_width: f64, max_lines: usize, width: impl Fn(&str) -> f64) -> Vec<String> {
    let max_lines = max_lines.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let joined = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
        if line.is_empty() || width(&joined) <= max_width {
            line = joined;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines - 1).join(" ");
        lines.push(rest);
    }
    lines.iter().map(|l| shortened(l, max_width, &width)).collect()
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
    fn too_much_text_ends_the_last_line_with_an_ellipsis_that_fits() {
        let lines = wrap_label("one two three four five six seven", 9.0, 2, chars);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], "one two");
        assert!(lines[1].ends_with('…') && chars(&lines[1]) <= 9.0, "{lines:?}");
        assert_eq!(lines[1], "three…", "cut after a whole word");
        // A word wider than a line is shortened, not left to overflow.
        let lines = wrap_label("Hertfordshire", 6.0, 3, chars);
        assert_eq!(lines, ["Hertf…"]);
        assert_eq!(wrap_label("", 10.0, 3, chars), Vec::<String>::new());
        assert_eq!(wrap_label("a b", 10.0, 0, chars), ["a b"], "0 lines is taken as 1");
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
