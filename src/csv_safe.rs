//! CSV that is safe to open in a spreadsheet.
//!
//! Every CSV the app writes (scenario exports, results tables, anonymised data) goes through
//! [`write_table`], so no exported cell can be read as a formula: a cell whose first character is
//! `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single quote (the OWASP
//! "CSV injection" guidance). Numbers are written by the caller as plain text; a negative number
//! such as `-12.5` is left alone because it is a number, not a formula.

/// Neutralise one cell so a spreadsheet shows it as text, never evaluates it.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        Some('-') if !is_plain_number(cell) => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// True for a plain decimal number such as `-12`, `-0.5` or `-1e3`: safe, and left as a number.
///
/// The grammar is checked by hand (`-?digits[.digits][e[-]digits]`, at least one mantissa digit,
/// finite) rather than with `str::parse::<f64>`, which would pull the float parser and its
/// 10 KB table into the wasm only for this yes/no question.
pub fn is_plain_number(cell: &str) -> bool {
    fn digits(b: &[u8]) -> usize {
        b.iter().take_while(|c| c.is_ascii_digit()).count()
    }
    let b = cell.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let int = digits(&b[i..]);
    i += int;
    let mut frac = 0;
    if b.get(i) == Some(&b'.') {
        frac = digits(&b[i + 1..]);
        i += 1 + frac;
    }
    if int + frac == 0 {
        return false;
    }
    // The magnitude is below 10^(integer digits + exponent): at most 10^308 is always finite
    // (a number within a factor of 10 of f64::MAX is treated as text: conservative, harmless).
    let mut exp: i64 = 0;
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        let neg = b.get(i) == Some(&b'-');
        i += usize::from(neg);
        let n = digits(&b[i..]);
        if n == 0 || n > 6 {
            return false;
        }
        let e: i64 = cell[i..i + n].bytes().fold(0, |a, c| a * 10 + i64::from(c - b'0'));
        exp = if neg { -e } else { e };
        i += n;
    }
    let lead_zeros = b[usize::from(b[0] == b'-')..].iter().take_while(|&&c| c == b'0').count().min(int) as i64;
    i == b.len() && int as i64 - lead_zeros + exp <= 308
}

/// Write a table (header row, then rows) as RFC 4180 CSV with every cell neutralised.
pub fn write_table<H, R, C>(header: &[H], rows: R) -> String
where
    H: AsRef<str>,
    R: IntoIterator,
    R::Item: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    // Written by hand (same bytes as the `csv` crate's default writer with CRLF endings): the crate's
    // writer and its error types cost several KB of wasm for what is a few lines here.
    let mut out = String::new();
    let mut write_row = |cells: &mut dyn Iterator<Item = std::borrow::Cow<'_, str>>| {
        let start = out.len();
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                out.push(',');
            }
            if cell.contains(['"', ',', '\r', '\n']) {
                out.push('"');
                out.push_str(&cell.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(&cell);
            }
        }
        if out.len() == start {
            out.push_str("\"\""); // a record with one empty field is written as ""
        }
        out.push_str("\r\n");
    };
    write_row(&mut header.iter().map(|h| neutralise(h.as_ref())));
    for row in rows {
        let cells: Vec<C> = row.into_iter().collect();
        write_row(&mut cells.iter().map(|c| neutralise(c.as_ref())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formula_leading_cells_are_neutralised() {
        for bad in ["=SUM(A1)", "+1+1", "-2+3", "@cmd", "\tx", "\rx", "-", "--1"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?} was not neutralised");
        }
        for ok in ["-12.5", "-3", "12", "hello", "", "a=b", "1e-3", "-1e3"] {
            assert_eq!(neutralise(ok), ok, "{ok:?} should be left alone");
        }
    }

    #[test]
    fn table_quotes_commas_and_newlines() {
        let csv = write_table(&["a", "b"], vec![vec!["x,y", "line\nbreak"], vec!["=1", "2"]]);
        assert_eq!(csv, "a,b\r\n\"x,y\",\"line\nbreak\"\r\n'=1,2\r\n");
    }

    /// The float parser's answer (what the check stands in for).
    fn parser_says_plain(cell: &str) -> bool {
        !cell.is_empty()
            && cell.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'e' | b'E'))
            && cell.parse::<f64>().map(|v| v.is_finite()).unwrap_or(false)
    }

    #[test]
    fn plain_number_edge_cases() {
        for s in ["-1.", "-.5", ".", "-.", "1e", "-1e-", "1e-3", "-0", "00.5", "1.2.3", "1-2", "-1e307", "-1e309", "-", ""] {
            assert_eq!(is_plain_number(s), parser_says_plain(s), "{s:?}");
        }
        // At the very edge of the float range the check is conservative: a quote is added.
        assert!(!is_plain_number("-1e308") && parser_says_plain("-1e308"));
    }

    /// What the `csv` crate writes (the reference for the hand-written writer).
    fn csv_crate(rows: &[Vec<String>]) -> String {
        let mut w = csv::WriterBuilder::new().flexible(true).terminator(csv::Terminator::CRLF).from_writer(Vec::new());
        for r in rows {
            w.write_record(r).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    proptest! {
        #[test]
        fn same_bytes_as_the_csv_crate(rows in proptest::collection::vec(proptest::collection::vec("[a-c,\"\r\n ']{0,4}", 1..4), 1..5)) {
            let neutralised: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| neutralise(c).into_owned()).collect()).collect();
            prop_assert_eq!(write_table(&rows[0], rows[1..].iter().cloned()), csv_crate(&neutralised));
        }

        #[test]
        fn plain_number_matches_the_float_parser(cell in "[-0-9.eE]{0,10}") {
            // Never calls a non-number plain; exact whenever there is no huge exponent.
            if is_plain_number(&cell) { prop_assert!(parser_says_plain(&cell), "{:?}", cell); }
            if !cell.contains(['e', 'E']) { prop_assert_eq!(is_plain_number(&cell), parser_says_plain(&cell), "{:?}", cell); }
        }

        #[test]
        fn no_cell_reads_as_a_formula(cells in proptest::collection::vec(".*", 1..6)) {
            let csv = write_table(&["h"; 1], cells.iter().map(|c| vec![c.as_str()]));
            let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(csv.as_bytes());
            for (rec, original) in r.records().zip(&cells) {
                let cell = rec.unwrap()[0].to_string();
                let first = cell.chars().next();
                let risky = matches!(first, Some('=' | '+' | '@' | '\t' | '\r'))
                    || (first == Some('-') && !is_plain_number(&cell));
                prop_assert!(!risky, "cell {:?} could run as a formula", cell);
                // Nothing but the guard quote is ever added.
                let guarded = format!("'{}", original);
                prop_assert!(cell == *original || cell == guarded);
            }
        }
    }
}
