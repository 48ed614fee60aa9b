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
    let mut w = CsvWriter::new(String::new());
    header.iter().for_each(|h| w.cell(h.as_ref()));
    w.end_row();
    for row in rows {
        row.into_iter().for_each(|c| w.cell(c.as_ref()));
        w.end_row();
    }
    w.finish()
}

/// Append one cell's text to `out` as [`CsvWriter`] writes it: [`neutralise`]d, and quoted (its
/// quotes doubled) when it holds a comma, a double quote, a carriage return or a line feed. For
/// code that writes its own commas and row ends (the anonymised export assembles rows from parts).
pub fn push_cell(out: &mut String, cell: &str) {
    let guard = match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'@' | b'\t' | b'\r') => true,
        Some(b'-') => !is_plain_number(cell),
        _ => false,
    };
    if cell.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
        out.push('"');
        if guard {
            out.push('\'');
        }
        for (i, part) in cell.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        if guard {
            out.push('\'');
        }
        out.push_str(cell);
    }
}

/// Writes CSV a cell at a time straight into one buffer, with the rules of [`write_table`]
/// (which uses it): every cell [`neutralise`]d, a cell holding a comma, a double quote, a
/// carriage return or a line feed quoted (its quotes doubled), rows ended by CRLF, and a row with
/// nothing in it (no cells, or one empty cell) written as `""` so that it is still a row. These are
/// the `csv` crate's rules for its default writer, byte for byte (property test); writing the
/// cells directly skips a `String` per cell, which was most of the anonymised export's time.
pub struct CsvWriter {
    out: String,
    row_start: usize,
    cells: usize,
}

impl CsvWriter {
    /// A writer that appends to `out` (pass one with capacity for the whole file).
    pub fn new(out: String) -> CsvWriter {
        CsvWriter { row_start: out.len(), out, cells: 0 }
    }

    /// Append one cell to the current row.
    pub fn cell(&mut self, cell: &str) {
        if self.cells > 0 {
            self.out.push(',');
        }
        self.cells += 1;
        push_cell(&mut self.out, cell);
    }

    /// End the current row.
    pub fn end_row(&mut self) {
        if self.out.len() == self.row_start {
            self.out.push_str("\"\"");
        }
        self.out.push_str("\r\n");
        self.row_start = self.out.len();
        self.cells = 0;
    }

    /// The text written.
    pub fn finish(self) -> String {
        self.out
    }
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

    /// The one writer, as the `csv` crate writes the same cells (each neutralised first).
    fn csv_crate(rows: &[Vec<String>]) -> String {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).flexible(true).from_writer(Vec::new());
        for row in rows {
            w.write_record(row.iter().map(|c| neutralise(c).into_owned())).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    fn cell_text() -> impl Strategy<Value = String> {
        prop_oneof![Just(String::new()), "[-=+@\t\r\n,\" a1.e]{0,6}", "\\PC{0,8}", Just("-12.5".to_owned()), Just("-1,5".to_owned())]
    }

    #[test]
    fn empty_rows_are_written_as_the_csv_crate_writes_them() {
        let rows = vec![vec![], vec![String::new()], vec![String::new(), String::new()], vec!["a".into()]];
        let mut w = CsvWriter::new(String::new());
        for row in &rows {
            row.iter().for_each(|c| w.cell(c));
            w.end_row();
        }
        assert_eq!(w.finish(), csv_crate(&rows));
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

        #[test]
        fn the_writer_matches_the_csv_crate_byte_for_byte(rows in proptest::collection::vec(proptest::collection::vec(cell_text(), 0..5), 0..6)) {
            let mut w = CsvWriter::new(String::new());
            for row in &rows {
                row.iter().for_each(|c| w.cell(c));
                w.end_row();
            }
            prop_assert_eq!(w.finish(), csv_crate(&rows));
        }
    }
}
