//! Data tables (a chart's text alternative, or any table of figures) in NHS.UK markup, built as an
//! HTML string and set with `inner_html`.
//!
//! A typed `view!` per table costs several kilobytes of wasm each; one string builder serves every
//! table in the app. Every piece of text is escaped ([`escape`]), so names the person typed are
//! safe; only the `mark_html` of a row is inserted as is, and it must be a `'static` literal.

/// Escape text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One body row: a header cell, then data cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TableRow {
    /// Text of the row's header cell (`<th scope="row">`).
    pub head: String,
    /// Data cells, in column order.
    pub cells: Vec<String>,
    /// Extra class for the `<tr>` (for example `ilt-differs`).
    pub class: Option<&'static str>,
    /// Trusted markup put before the header text (for example a visually hidden "Differs: ").
    pub mark_html: &'static str,
}

/// A whole table: `<table class="nhsuk-table" id=..>` with a caption, a header row and body rows.
/// Columns listed in `numeric` (by index, counting the header column as 0) are right-aligned.
pub fn table_html(id: &str, caption: &str, columns: &[&str], rows: &[TableRow], numeric: &[usize]) -> String {
    let num = |k: usize| if numeric.contains(&k) { " nhsuk-table__header--numeric" } else { "" };
    let mut h = format!(
        "<table class=\"nhsuk-table\" id=\"{}\"><caption class=\"nhsuk-table__caption nhsuk-table__caption--s\">{}</caption><thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">",
        escape(id),
        escape(caption)
    );
    for (k, c) in columns.iter().enumerate() {
        h.push_str(&format!("<th scope=\"col\" class=\"nhsuk-table__header{}\">{}</th>", num(k), escape(c)));
    }
    h.push_str("</tr></thead><tbody class=\"nhsuk-table__body\">");
    for r in rows {
        let class = r.class.map(|c| format!(" {c}")).unwrap_or_default();
        h.push_str(&format!(
            "<tr class=\"nhsuk-table__row{class}\"><th scope=\"row\" class=\"nhsuk-table__header\">{}{}</th>",
            r.mark_html,
            escape(&r.head)
        ));
        for (k, c) in r.cells.iter().enumerate() {
            let n = if numeric.contains(&(k + 1)) { " nhsuk-table__cell--numeric" } else { "" };
            h.push_str(&format!("<td class=\"nhsuk-table__cell{n}\">{}</td>", escape(c)));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
    h
}
