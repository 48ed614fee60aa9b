//! The one data table of the app (a chart's text alternative, results, comparisons): NHS.UK
//! table markup inside a keyboard-focusable scroll region, so a phone never scrolls sideways.
//! Every cell is text, rendered as a text node: nothing a person typed is ever parsed as markup.

use leptos::prelude::*;

/// One body row of a [`DataTable`]: its header cell, then its data cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TableRow {
    /// Text of the row's header cell (`<th scope="row">`).
    pub head: String,
    /// Data cells, in column order.
    pub cells: Vec<String>,
    /// Extra class of the row (for example `ilt-total`).
    pub class: Option<&'static str>,
    /// The row differs between the things compared: class `ilt-differs`, and marked "≠" (with
    /// "Differs: " for screen readers) before its header, so not by colour alone.
    pub differs: bool,
}

impl From<Vec<String>> for TableRow {
    /// A row whose first cell is its header.
    fn from(row: Vec<String>) -> TableRow {
        let mut cells = row.into_iter();
        let head = cells.next().unwrap_or_default();
        TableRow { head, cells: cells.collect(), ..TableRow::default() }
    }
}

/// Class of a header (`header`) or data cell in column `k` (the row header column is 0).
fn cell_class(numeric: &[usize], k: usize, header: bool) -> &'static str {
    match (header, numeric.contains(&k)) {
        (true, true) => "nhsuk-table__header nhsuk-table__header--numeric",
        (true, false) => "nhsuk-table__header",
        (false, true) => "nhsuk-table__cell nhsuk-table__cell--numeric",
        (false, false) => "nhsuk-table__cell",
    }
}

/// The frame of every table: the scroll region (named `label`), the table, its caption (shown,
/// or hidden when a heading or figure caption already names it) and its header row. `children`
/// are the body rows. Columns listed in `numeric` (by index, the row header column being 0) are
/// right-aligned.
#[component]
pub fn TableFrame(
    #[prop(into)] label: String,
    #[prop(into)] caption: String,
    #[prop(optional)] caption_hidden: bool,
    #[prop(default = None, into)] id: Option<&'static str>,
    header: Vec<String>,
    #[prop(optional)] numeric: Vec<usize>,
    children: Children,
) -> impl IntoView {
    let caption_class = if caption_hidden { "nhsuk-table__caption nhsuk-u-visually-hidden" } else { "nhsuk-table__caption nhsuk-table__caption--s" };
    view! {
        <div class="ilt-table-scroll" tabindex="0" role="region" aria-label=label>
            <table class="nhsuk-table" id=id>
                <caption class=caption_class>{caption}</caption>
                <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                    {header.into_iter().enumerate().map(|(k, h)| view! { <th scope="col" class=cell_class(&numeric, k, true)>{h}</th> }).collect_view()}
                </tr></thead>
                <tbody class="nhsuk-table__body">{children()}</tbody>
            </table>
        </div>
    }
}

/// A table of text (see [`TableFrame`] for the props it shares): each row a [`TableRow`].
#[component]
pub fn DataTable(
    #[prop(into)] label: String,
    #[prop(into)] caption: String,
    #[prop(optional)] caption_hidden: bool,
    #[prop(default = None, into)] id: Option<&'static str>,
    header: Vec<String>,
    rows: Vec<TableRow>,
    #[prop(optional)] numeric: Vec<usize>,
) -> impl IntoView {
    let body = rows.into_iter().map(|row| {
        let mut class = String::from("nhsuk-table__row");
        for extra in [row.differs.then_some("ilt-differs"), row.class].into_iter().flatten() {
            class.push(' ');
            class.push_str(extra);
        }
        view! {
            <tr class=class>
                <th scope="row" class="nhsuk-table__header">
                    {row.differs.then(|| view! {
                        <span class="ilt-differs__mark" aria-hidden="true">"≠ "</span>
                        <span class="nhsuk-u-visually-hidden">"Differs: "</span>
                    })}
                    {row.head}
                </th>
                {row.cells.into_iter().enumerate().map(|(k, c)| view! { <td class=cell_class(&numeric, k + 1, false)>{c}</td> }).collect_view()}
            </tr>
        }
    }).collect_view();
    view! {
        <TableFrame label=label caption=caption caption_hidden=caption_hidden id=id header=header numeric=numeric>
            {body}
        </TableFrame>
    }
}
