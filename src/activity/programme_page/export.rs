//! CSV downloads: every activity in the filters (tidy, with Lead names and notes), and the
//! anonymised variant (Lead codes; notes only when opted in, with a warning).

use super::Page;
use crate::activity::csv::{programme_csv, CsvOptions};
use crate::activity::report::csv_name;
use crate::ui::{now_ms, InsetText, WarningCallout};
use leptos::prelude::*;

#[component]
pub(super) fn ExportSection() -> impl IntoView {
    let page = expect_context::<Page>();
    let free_text = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let download = move |anonymise: bool| {
        let start = now_ms();
        let options = CsvOptions { anonymise, include_free_text: anonymise && free_text.get_untracked(), seed: crate::ui::random_seed() };
        let csv = page.filters.with_untracked(|f| page.data.with_untracked(|p| programme_csv(p, f, options)));
        page.timing_export.set(Some(now_ms() - start));
        problem.set(crate::ui::download_text(&csv_name(anonymise, page.demo()), "text/csv;charset=utf-8", &csv).err());
    };
    view! {
        <h2>"Download the activities"</h2>
        <p>"One row per activity in the filters above, with codes (not labels) and the month, ready for a spreadsheet or a statistics package. Several purposes or groups in one cell are separated by semicolons. The codebook in the toolkit's files says what each code means."</p>
        <InsetText><p>"The full file names each Lead and holds their notes: share it only with the programme team."</p></InsetText>
        <button type="button" class="nhsuk-button nhsuk-button--secondary" id="download-csv" on:click=move |_| download(false)>"Download all activities (CSV)"</button>
        <h3>"Anonymised"</h3>
        <p>"Each Lead is replaced by a code (L01, L02, …); Lead ids and names, activity ids and PCN names are left out, and so are the notes unless you include them below."</p>
        <div class="nhsuk-form-group">
            <div class="nhsuk-checkboxes">
                <div class="nhsuk-checkboxes__item">
                    <input class="nhsuk-checkboxes__input" id="anon-free-text" name="anon-free-text" type="checkbox" aria-describedby="anon-free-text-hint"
                        prop:checked=move || free_text.get() on:change=move |ev| free_text.set(event_target_checked(&ev))/>
                    <label class="nhsuk-label nhsuk-checkboxes__label" for="anon-free-text">"Include the Leads' notes"</label>
                    <div class="nhsuk-hint nhsuk-checkboxes__hint" id="anon-free-text-hint">"Left out by default: notes can name people, pharmacies and practices."</div>
                </div>
            </div>
        </div>
        {move || free_text.get().then(|| view! {
            <WarningCallout heading="Notes may identify people" level=4 id="free-text-warning">
                <p>"Notes are exported as the Leads typed them. Read every one and remove names, places and other identifying details before you share the file."</p>
            </WarningCallout>
        })}
        <button type="button" class="nhsuk-button" id="download-anonymised" on:click=move |_| download(true)>"Download anonymised activities (CSV)"</button>
        {move || problem.get().map(|p| view! { <p class="nhsuk-error-message">{p}</p> })}
    }
}
