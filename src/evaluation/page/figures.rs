//! Results: filters, what the comparisons cannot show, the report's figures (each with its table),
//! Table 5, the comparison within each ICB, per-question results with every comparison's test and
//! effect, and the results table as CSV. Every table goes through the app's one [`DataTable`], fed
//! with rows of text the engine made in the worker
//! ([`crate::evaluation::engine::ResultsView`]: the core's `Figure::table`, `lead_table_text`,
//! `within_icb_text`, `question_table`, `comparison_table` and `results_csv`).

use super::Workspace;
use crate::ui::waited;
use crate::charts::{draw_grouped_bars, Axes, BarSeries, ChartFigure};
use crate::evaluation::engine::{FigureView, TextTable};
use crate::format::fixed;
use crate::survey::{RespondentType, Wave};
use crate::ui::{DataTable, InsetText, TableRow, WarningCallout};
use leptos::prelude::*;

/// A table's rows for [`DataTable`].
fn rows_of(table: &TextTable) -> Vec<TableRow> {
    table.rows.iter().cloned().map(TableRow::from).collect()
}

/// One labelled select; `all` is the first, empty-valued option.
#[component]
fn Filter(id: &'static str, label: &'static str, all: &'static str, options: Vec<(String, String)>, on_pick: Callback<String>) -> impl IntoView {
    view! {
        <div class="nhsuk-form-group">
            <label class="nhsuk-label" for=id>{label}</label>
            <select class="nhsuk-select" id=id on:change=move |ev| on_pick.run(event_target_value(&ev))>
                <option value="">{all}</option>
                {options.into_iter().map(|(c, l)| view! { <option value=c>{l}</option> }).collect_view()}
            </select>
        </div>
    }
}

#[component]
pub(super) fn ResultsSection() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let download_csv = move |_| {
        let name = if ws.demo() { "results-SYNTHETIC.csv" } else { "results.csv" };
        ws.results.with_untracked(|r| r.as_ref().map(|r| crate::ui::download_text(name, "text/csv;charset=utf-8", &r.csv)));
    };
    let waves = vec![("baseline".to_owned(), "Baseline".to_owned()), ("follow_up".to_owned(), "Follow-up".to_owned())];
    // The filters' choices in the survey results are about.
    let (icbs, respondents) = ws.state.with_untracked(|s| s.as_ref().map(|s| (s.icbs.clone(), s.respondents.clone())).unwrap_or_default());
    view! {
        <h2>"Results"</h2>
        <fieldset class="nhsuk-fieldset">
            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Show results for"</legend>
            <div class="ilt-filter-row">
                <Filter id="filter-icb" label="ICB area" all="All ICB areas" options=icbs
                    on_pick=Callback::new(move |v: String| ws.filters.update(|f| f.icb = (!v.is_empty()).then_some(v)))/>
                <Filter id="filter-respondent" label="Respondent type" all="All respondent types" options=respondents
                    on_pick=Callback::new(move |v: String| ws.filters.update(|f| f.respondent = RespondentType::from_code(&v)))/>
                <Filter id="filter-wave" label="Wave" all="Both waves" options=waves
                    on_pick=Callback::new(move |v: String| ws.filters.update(|f| f.wave = Wave::from_code(&v)))/>
            </div>
        </fieldset>
        <p id="included-count">{move || ws.results.with(|r| r.as_ref().map_or(0, |r| r.included))}" responses included. Cells with fewer than "{move || ws.k.get()}" responses are suppressed; cells with fewer than 10 are marked ⚠ (small sample: treat with caution)."</p>
        <button type="button" class="nhsuk-button nhsuk-button--secondary" id="download-results" on:click=download_csv>"Download results table (CSV)"</button>
        <WarningCallout heading="What these comparisons cannot show" level=3 id="comparison-limits">
            <ul>
                <li>"The groups were not chosen at random. Areas that took on a Lead may differ from areas that did not in ways that also change the answers, so a difference between them does not show that the Lead caused it."</li>
                <li>"Areas with a Lead cluster in some ICBs: Hertfordshire and West Essex had a Lead in every PCN. Comparing areas with and without a Lead therefore partly compares ICBs. The comparison within each ICB, below the figures, avoids this on smaller numbers."</li>
                <li>"Some people answer at both baseline and follow-up, but every answer is treated as independent, so the confidence intervals are likely too narrow and the p-values too small."</li>
            </ul>
        </WarningCallout>
        {move || ws.results.with(|r| r.as_ref().map(|r| {
            let (header, rows) = (r.questions.header.clone(), rows_of(&r.questions));
            let (test_header, test_rows) = (r.comparisons.header.clone(), rows_of(&r.comparisons));
            let last = r.figures.len();
            view! {
                {r.figures.iter().enumerate().map(|(i, f)| figure_view(f.clone(), ws.demo(), i + 1 == last)).collect_view()}
                <LeadTable/>
                <WithinIcb/>
                <h3>"Every question by respondent group"</h3>
                <p>"Per cent agreeing for agree statements, mean for ratings. DiD is the difference-in-differences: the change with a Lead minus the change without, with its 95% confidence interval and p-value. Each p-value is also shown adjusted (Benjamini–Hochberg) for the other tests of the same comparison across every question and group: this controls the share of false findings among those that look significant."</p>
                <DataTable id="question-table" label="Results for every question" caption="Results for every question by respondent group" caption_hidden=true header=header rows=rows/>
                <details class="nhsuk-details" id="comparison-details">
                    <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Every comparison, its test and effect size"</span></summary>
                    <div class="nhsuk-details__text">
                        <p>"Ratings are compared with the Mann–Whitney test, which is about whole distributions, so the difference in means is descriptive: the effect is the Hodges–Lehmann shift (the median of all differences between a response in the second group and one in the first, with its 95% confidence interval) and the rank-biserial r (from −1 to 1: how much more often the second group is higher than lower)."</p>
                        <DataTable id="comparison-table" label="Every comparison" caption="Every comparison, its test, effect size and p-values" caption_hidden=true header=test_header rows=test_rows/>
                    </div>
                </details>
            }
        }))}
    }
}

/// The tables of the questions compared within each ICB (the report's Figures 8 and 9), in the
/// order of [`crate::evaluation::engine::WITHIN_ICB_QUESTIONS`]: table id, title.
const WITHIN_ICB: [(&str, &str); 2] = [
    ("within-icb-8", "How much the PCN knows about community pharmacy (Figure 8's question), mean rating 1–10"),
    ("within-icb-9", "Amount of joint working (Figure 9's question), mean rating 1–10"),
];

/// Table 5: awareness of, contact with and potential value of the Lead, by group and Lead status.
#[component]
fn LeadTable() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    move || ws.results.with(|r| r.as_ref().and_then(|r| r.lead_table.clone())).map(|table| {
        let (header, rows) = (table.header.clone(), rows_of(&table));
        view! {
            <section id="table-5" aria-labelledby="table-5-title">
                <h3 id="table-5-title">"Table 5: knowing the Lead, contact and potential value"
                    {ws.demo().then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--orange ilt-synthetic-tag">"SYNTHETIC"</strong> })}</h3>
                <p>"Follow-up answers. \"Had contact\" counts everyone asked whether they know who their Lead is; \"potential value\" counts \"yes\" only. People in areas without a Lead are not asked about one, so they have no row."</p>
                <DataTable id="lead-table" label="Table 5" caption="Per cent of people at follow-up, with 95% confidence intervals (Wilson)" header=header rows=rows/>
            </section>
        }
    })
}

/// The with/without-Lead comparison within each ICB, and the ICBs that cannot be compared.
#[component]
fn WithinIcb() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    move || {
        let mut tables = Vec::new();
        let mut not_comparable = Vec::new();
        let found = ws.results.with(|r| r.as_ref().map(|r| r.within_icb.clone()).unwrap_or_default());
        for ((id, title), found) in WITHIN_ICB.iter().zip(found) {
            let Some(found) = found else { continue };
            not_comparable = found.not_comparable.clone();
            tables.push(view! { <DataTable id=*id label=*title caption=*title header=found.table.header.clone() rows=rows_of(&found.table)/> });
        }
        (!tables.is_empty()).then(|| view! {
            <section id="within-icb" aria-labelledby="within-icb-title">
                <h3 id="within-icb-title">"With and without a Lead within each ICB"</h3>
                <p>"Each ICB that has both kinds of area, compared with itself. Every stakeholder's answers are pooled (pharmacies, practices, PCNs, ICB and other; not Leads), because each group alone is too small within an ICB. The difference-in-differences is the change with a Lead minus the change without. The numbers are small: read them as a check on the region-wide figures, not as results of their own."</p>
                {tables}
                {(!not_comparable.is_empty()).then(|| view! {
                    <h4>"ICBs that cannot be compared"</h4>
                    <ul class="nhsuk-list nhsuk-list--bullet" id="not-comparable">{not_comparable.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                })}
            </section>
        })
    }
}

/// Canvas id (and PNG file name) of a figure's chart.
fn chart_id(number: u8) -> &'static str {
    match number {
        2 => "figure-2-chart",
        7 => "figure-7-chart",
        8 => "figure-8-chart",
        9 => "figure-9-chart",
        10 => "figure-10-chart",
        _ => "figure-chart",
    }
}

fn axis_number(v: f64) -> String {
    fixed(v, 0)
}

/// One figure: its heading (tagged SYNTHETIC while demo data is held), notes on small or
/// suppressed groups, the grouped bar chart (shared [`ChartFigure`]: PNG download) and its table,
/// which is the chart's text alternative. Drawing the `last` figure ends the wait from choosing
/// files ([`waited::IMPORT`]): charts draw in effects after mounting, in page order.
fn figure_view(figure: FigureView, demo: bool, last: bool) -> impl IntoView {
    let (header, rows) = (figure.table.header.clone(), rows_of(&figure.table));
    let (small, suppressed) = (figure.small, figure.suppressed);
    let n = figure.number.to_string();
    let id = ["figure-", &n].concat();
    let title_id = [&id, "-title"].concat();
    let labelled_by = title_id.clone();
    let caption = [figure.title.as_str(), " (", &figure.y_label, ")"].concat();
    let summary = ["Bar chart of ", figure.title.as_str(), ". The table below the chart gives every value."].concat();
    let series: Vec<BarSeries> = figure.series.iter().map(|(name, values)| BarSeries { name: name.clone(), values: values.clone() }).collect();
    let (categories, y_label, y_max) = (figure.categories.clone(), figure.y_label.clone(), figure.y_max);
    let draw = Box::new(move |canvas: &web_sys::HtmlCanvasElement| {
        let drawn = draw_grouped_bars(canvas, &categories, &series, Axes { x_label: "", y_label: &y_label, x_format: axis_number, y_format: axis_number }, Some(y_max));
        if last {
            waited::end(waited::IMPORT);
        }
        drawn
    });
    view! {
        <section class="ilt-eval-figure" id=id aria-labelledby=labelled_by>
            <h3 id=title_id>"Figure "{n.clone()}": "{figure.title.clone()}
                {demo.then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--orange ilt-synthetic-tag">"SYNTHETIC"</strong> })}</h3>
            {small.then(|| view! { <InsetText><p>"⚠ Some groups have fewer than 10 responses: treat those results with caution."</p></InsetText> })}
            {suppressed.then(|| view! { <InsetText><p>"Some groups have fewer than k responses, so their results are not shown."</p></InsetText> })}
            <ChartFigure id=chart_id(figure.number) caption=caption.clone() summary=summary draw=draw>
                <DataTable label=["Table for figure ", &n].concat() caption=["Table: ", caption.as_str()].concat() caption_hidden=true header=header rows=rows/>
            </ChartFigure>
        </section>
    }
}
