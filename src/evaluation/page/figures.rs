//! Results: filters, the report's figures (each with its table), per-question results, and the
//! results table as CSV.

use super::Workspace;
use crate::evaluation::results::{cell_text, results_csv, slot_label, Figure, Measure};
use crate::survey::instrument::meta;
use crate::survey::{default_instrument, RespondentType, Wave};
use leptos::prelude::*;

fn icb_options() -> Vec<(String, String)> {
    default_instrument().question(meta::ICB).map(|q| q.options().iter().map(|o| (o.code.clone(), o.label.clone())).collect()).unwrap_or_default()
}

#[component]
pub(super) fn ResultsSection() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let download_csv = move |_| {
        if let Some(a) = ws.analysis.get_untracked() {
            let csv = results_csv(&a, ws.k.get_untracked());
            let name = if ws.demo.get_untracked() { "results-SYNTHETIC.csv" } else { "results.csv" };
            let _ = crate::ui::download_text(name, "text/csv;charset=utf-8", &csv);
        }
    };
    view! {
        <h2>"Results"</h2>
        <fieldset class="nhsuk-fieldset">
            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Show results for"</legend>
            <div class="ilt-filter-row">
                <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for="filter-icb">"ICB area"</label>
                    <select class="nhsuk-select" id="filter-icb" on:change=move |ev| { let v = event_target_value(&ev); ws.filters.update(|f| f.icb = (!v.is_empty()).then_some(v)); }>
                        <option value="">"All ICB areas"</option>
                        {icb_options().into_iter().map(|(c, l)| view! { <option value=c>{l}</option> }).collect_view()}
                    </select>
                </div>
                <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for="filter-respondent">"Respondent type"</label>
                    <select class="nhsuk-select" id="filter-respondent" on:change=move |ev| { let v = event_target_value(&ev); ws.filters.update(|f| f.respondent = RespondentType::from_code(&v)); }>
                        <option value="">"All respondent types"</option>
                        {RespondentType::ALL.iter().map(|t| {
                            let label = default_instrument().question(meta::RESPONDENT).and_then(|q| q.option(t.code())).map_or(t.code().to_owned(), |o| o.label.clone());
                            view! { <option value=t.code()>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="nhsuk-form-group">
                    <label class="nhsuk-label" for="filter-wave">"Wave"</label>
                    <select class="nhsuk-select" id="filter-wave" on:change=move |ev| { let v = event_target_value(&ev); ws.filters.update(|f| f.wave = Wave::from_code(&v)); }>
                        <option value="">"Both waves"</option>
                        <option value="baseline">"Baseline"</option>
                        <option value="follow_up">"Follow-up"</option>
                    </select>
                </div>
            </div>
        </fieldset>
        <p id="included-count">{move || ws.analysis.with(|a| a.as_ref().map_or(0, |a| a.included))}" responses included. Cells with fewer than "{move || ws.k.get()}" responses are suppressed; cells with fewer than 10 are marked ⚠ (small sample: treat with caution)."</p>
        <button type="button" class="nhsuk-button nhsuk-button--secondary" id="download-results" on:click=download_csv>"Download results table (CSV)"</button>
        {move || ws.analysis.get().map(|a| a.figures.into_iter().map(|f| view! { <FigureView figure=f/> }).collect_view())}
        <QuestionTable/>
    }
}

#[component]
fn FigureView(figure: Figure) -> impl IntoView {
    let (header, rows) = figure.table();
    let (small, suppressed) = figure.has_small_or_suppressed();
    let id = format!("figure-{}", figure.number);
    let title = format!("Figure {}: {}", figure.number, figure.title);
    view! {
        <section class="ilt-figure" id=id.clone() aria-labelledby=format!("{id}-title")>
            <h3 id=format!("{id}-title")>{title.clone()}</h3>
            {small.then(|| view! { <div class="nhsuk-inset-text ilt-small-sample"><span class="nhsuk-u-visually-hidden">"Information: "</span><p>"⚠ Some groups have fewer than 10 responses: treat those results with caution."</p></div> })}
            {suppressed.then(|| view! { <div class="nhsuk-inset-text ilt-suppressed"><span class="nhsuk-u-visually-hidden">"Information: "</span><p>"Some groups have fewer than k responses, so their results are not shown."</p></div> })}
            <div class="ilt-table-scroll" tabindex="0" role="region" aria-label=format!("Table for figure {}", figure.number)>
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-table__caption--s">{format!("{} ({})", figure.title, figure.y_label)}</caption>
                    <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                        {header.into_iter().enumerate().map(|(i, h)| view! { <th scope="col" class="nhsuk-table__header">{if i == 0 { "Item".to_owned() } else { h }}</th> }).collect_view()}
                    </tr></thead>
                    <tbody class="nhsuk-table__body">
                        {rows.into_iter().map(|row| view! {
                            <tr class="nhsuk-table__row">
                                {row.into_iter().enumerate().map(|(i, c)| if i == 0 {
                                    view! { <th scope="row" class="nhsuk-table__header">{c}</th> }.into_any()
                                } else {
                                    view! { <td class="nhsuk-table__cell">{c}</td> }.into_any()
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn QuestionTable() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    view! {
        <h3>"Every question by respondent group"</h3>
        <p>"Per cent agreeing for agree statements, mean for ratings. DiD is the difference-in-differences: the change with a Lead minus the change without, with its 95% confidence interval and p-value."</p>
        <div class="ilt-table-scroll" tabindex="0" role="region" aria-label="Results for every question">
            <table class="nhsuk-table" id="question-table">
                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Results for every question by respondent group"</caption>
                <thead class="nhsuk-table__head"><tr class="nhsuk-table__row">
                    <th scope="col" class="nhsuk-table__header">"Question"</th>
                    <th scope="col" class="nhsuk-table__header">"Group"</th>
                    {(0..4).map(|s| view! { <th scope="col" class="nhsuk-table__header">{slot_label(s)}</th> }).collect_view()}
                    <th scope="col" class="nhsuk-table__header">"DiD (95% CI), p"</th>
                </tr></thead>
                <tbody class="nhsuk-table__body">
                    {move || ws.analysis.get().map(|a| a.results.into_iter().map(|r| {
                        let did = &r.comparisons[3];
                        let unit = if r.measure == Measure::PercentAgree { " pp" } else { "" };
                        let did_text = match (did.suppressed, did.estimate, did.ci) {
                            (true, _, _) => "suppressed".to_owned(),
                            (_, Some(e), Some((lo, hi))) => format!("{e:.1}{unit} ({lo:.1} to {hi:.1}), p = {}", did.p_value.map_or("–".into(), |p| format!("{p:.3}"))),
                            _ => "–".to_owned(),
                        };
                        view! {
                            <tr class="nhsuk-table__row">
                                <th scope="row" class="nhsuk-table__header">{r.label.clone()}</th>
                                <td class="nhsuk-table__cell">{r.group.label()}</td>
                                {r.cells.iter().map(|c| view! { <td class="nhsuk-table__cell">{cell_text(c, r.measure)}</td> }).collect_view()}
                                <td class="nhsuk-table__cell">{did_text}</td>
                            </tr>
                        }
                    }).collect_view())}
                </tbody>
            </table>
        </div>
    }
}
