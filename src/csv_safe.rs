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
pub fn is_plain_number(cell: &str) -> bool {
    !cell.is_empty()
        && cell.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'e' | b'E'))
        && cell.parse::<f64>().map(|v| v.is_finite()).unwrap_or(false)
}

/// Write a table (header row, then rows) as RFC 4180 CSV with every cell neutralised.
pub fn write_table<H, R, C>(header: &[H], rows: R) -> String
where
    H: AsRef<str>,
    R: IntoIterator,
    R::Item: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    w.write_record(header.iter().map(|h| neutralise(h.as_ref()).into_owned()))
        .expect("writing to memory cannot fail");
    for row in rows {
        let cells: Vec<String> = row.into_iter().map(|c| neutralise(c.as_ref()).into_owned()).collect();
        w.write_record(&cells).expect("writing to memory cannot fail");
    }
    String::from_utf8(w.into_inner().expect("flush to memory")).expect("csv of UTF-8 cells is UTF-8")
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

    proptest! {
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
