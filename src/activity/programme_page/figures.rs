//! Filters, and what the programme shows under them: who has returned, Figures 3–6 (each chart
//! with its table and PNG download through [`ChartFigure`]), people reached, hours logged against
//! claimed. Every word and number comes from [`crate::activity::report`].

use super::Page;
use crate::activity::programme::Tally;
use crate::activity::record::{LeadId, Month};
use crate::activity::report::{self, Table};
use crate::charts::{draw_grouped_bars, draw_horizontal_bars, Axes, BarSeries, ChartFigure};
use crate::format::fixed;
use crate::ui::{DataTable, TableRow};
use leptos::prelude::*;

/// One labelled select; `all` is the first, empty-valued option; `current` the value selected.
#[component]
fn Filter(id: &'static str, label: &'static str, all: &'static str, options: Memo<Vec<(String, String)>>, current: Signal<String>, on_pick: Callback<String>) -> impl IntoView {
    view! {
        <div class="nhsuk-form-group">
            <label class="nhsuk-label" for=id>{label}</label>
            <select class="nhsuk-select" id=id on:change=move |ev| on_pick.run(event_target_value(&ev))>
                <option value="" selected=move || current.with(String::is_empty)>{all}</option>
                {move || options.get().into_iter().map(|(c, l)| {
                    let selected = current.with(|v| *v == c);
                    view! { <option value=c selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
pub(super) fn FiltersSection() -> impl IntoView {
    let page = expect_context::<Page>();
    let icbs = Memo::new(move |_| page.data.with(report::icb_choices));
    let leads = Memo::new(move |_| page.data.with(report::lead_choices));
    let months = Memo::new(move |_| page.data.with(report::month_choices));
    let text = |o: Option<String>| o.unwrap_or_default();
    let icb = Signal::derive(move || page.filters.with(|f| text(f.icb.clone())));
    let lead = Signal::derive(move || page.filters.with(|f| text(f.lead.as_ref().map(LeadId::to_string))));
    let from = Signal::derive(move || page.filters.with(|f| text(f.from.map(|m| m.to_string()))));
    let to = Signal::derive(move || page.filters.with(|f| text(f.to.map(|m| m.to_string()))));
    let problem = Memo::new(move |_| page.filters.with(report::period_problem));
    view! {
        <h2>"What you are looking at"</h2>
        <fieldset class="nhsuk-fieldset" aria-describedby="period-error">
            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Show activities and returns for"</legend>
            <div class="ilt-filter-row">
                <Filter id="filter-icb" label="ICB area" all="All ICB areas" options=icbs current=icb
                    on_pick=Callback::new(move |v: String| page.filters.update(|f| f.icb = (!v.is_empty()).then_some(v)))/>
                <Filter id="filter-lead" label="Lead" all="All Leads" options=leads current=lead
                    on_pick=Callback::new(move |v: String| page.filters.update(|f| f.lead = LeadId::parse(&v)))/>
                <Filter id="filter-from" label="From" all="The first month" options=months current=from
                    on_pick=Callback::new(move |v: String| page.filters.update(|f| f.from = Month::parse(&v)))/>
                <Filter id="filter-to" label="To" all="The last month" options=months current=to
                    on_pick=Callback::new(move |v: String| page.filters.update(|f| f.to = Month::parse(&v)))/>
            </div>
            <div id="period-error">
                {move || problem.get().map(|p| view! { <p class="nhsuk-error-message"><span class="nhsuk-u-visually-hidden">"Error: "</span>{p}</p> })}
            </div>
        </fieldset>
    }
}

fn axis_number(v: f64) -> String {
    fixed(v, 0)
}

fn table_view(id: &'static str, label: String, caption: String, (header, rows): Table, numeric: Vec<usize>) -> impl IntoView {
    view! { <DataTable id=id label=label caption=caption caption_hidden=true header=header rows=rows.into_iter().map(TableRow::from).collect() numeric=numeric/> }
}

/// "SYNTHETIC" after a heading while demo data is held.
fn synthetic_tag(demo: bool) -> impl IntoView {
    demo.then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--orange ilt-synthetic-tag">"SYNTHETIC"</strong> })
}

/// A figure of counts by a category (3, 4 or 6): horizontal bars and their table.
fn tally_figure(number: u8, title: &'static str, what: &'static str, note: Option<&'static str>, tallies: Vec<Tally>, activities: u64, demo: bool) -> impl IntoView {
    let (id, chart, table): (&'static str, &'static str, &'static str) = match number {
        3 => ("figure-3", "figure-3-chart", "figure-3-table"),
        4 => ("figure-4", "figure-4-chart", "figure-4-table"),
        _ => ("figure-6", "figure-6-chart", "figure-6-table"),
    };
    let n = number.to_string();
    let title_id = [id, "-title"].concat();
    let labelled_by = title_id.clone();
    let caption = ["Figure ", &n, ": ", title].concat();
    let summary = report::tally_summary(&crate::text::lower_first(title), &tallies, activities);
    let table_rows = report::tally_table(what, &tallies);
    let bars: Vec<(String, f64)> = tallies.into_iter().map(|t| (t.label, t.count as f64)).collect();
    let draw = Box::new(move |canvas: &web_sys::HtmlCanvasElement| draw_horizontal_bars(canvas, &bars, "Activities", axis_number));
    view! {
        <section class="ilt-eval-figure" id=id aria-labelledby=labelled_by>
            <h3 id=title_id>{caption.clone()}{synthetic_tag(demo)}</h3>
            {note.map(|t| view! { <p>{t}</p> })}
            <ChartFigure id=chart caption=caption.clone() summary=summary draw=draw>
                {table_view(table, ["Table for figure ", &n].concat(), ["Table: ", &caption].concat(), table_rows, vec![1, 2])}
            </ChartFigure>
        </section>
    }
}

#[component]
pub(super) fn Summaries() -> impl IntoView {
    let page = expect_context::<Page>();
    move || {
        page.summary.get().map(|s| {
            let demo = page.demo();
            let activities = s.totals.activities;
            let (categories, month_desc) = report::month_axis(&s.per_month);
            let per_month_summary = report::per_month_summary(&s.per_month);
            let series = vec![BarSeries { name: "Activities".into(), values: s.per_month.iter().map(|(_, n)| Some(*n as f64)).collect() }];
            let (cats, desc) = (categories.clone(), month_desc.clone());
            let draw_months = Box::new(move |canvas: &web_sys::HtmlCanvasElement| draw_grouped_bars(canvas, &cats, &series, Axes { x_label: &desc, y_label: "Activities", x_format: axis_number, y_format: axis_number }, None));
            let reach_series = vec![
                BarSeries { name: "Actively engaged".into(), values: s.reach.iter().map(|r| Some(r.active as f64)).collect() },
                BarSeries { name: "Only present".into(), values: s.reach.iter().map(|r| Some(r.present as f64)).collect() },
            ];
            let draw_reach = Box::new(move |canvas: &web_sys::HtmlCanvasElement| draw_grouped_bars(canvas, &categories, &reach_series, Axes { x_label: &month_desc, y_label: "People", x_format: axis_number, y_format: axis_number }, None));
            let (flagged, of) = report::flagged_count(&s.hours);
            view! {
                <p id="totals">{report::totals_sentence(&s.totals)}</p>
                <h2 id="grid-heading">"Who has returned"{synthetic_tag(demo)}</h2>
                <p>"Each cell says whether the Lead submitted the month's return (Returned), logged activities without a return (Logged only) or has nothing for the month (Nothing)."</p>
                <ul class="nhsuk-list nhsuk-list--bullet" id="quarters">
                    {report::quarter_lines(&s.grid).into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                </ul>
                {table_view("return-grid", "Who has returned, by Lead and month".into(), "Who has returned, by Lead and month".into(), report::grid_table(&s.grid), vec![])}
                <h2>"What the Leads did"</h2>
                {tally_figure(3, "Activities by type", "Type of activity", None, s.by_type, activities, demo)}
                {tally_figure(4, "Main purpose of activities", "Purpose", Some("Percentages add to more than 100% because an activity can have more than one main purpose."), s.by_purpose, activities, demo)}
                <section class="ilt-eval-figure" id="figure-5" aria-labelledby="figure-5-title">
                    <h3 id="figure-5-title">"Figure 5: Activities per month"{synthetic_tag(demo)}</h3>
                    <ChartFigure id="figure-5-chart" caption="Figure 5: Activities per month" summary=per_month_summary draw=draw_months>
                        {table_view("figure-5-table", "Table for figure 5".into(), "Table: activities per month".into(), report::per_month_table(&s.per_month), vec![1])}
                    </ChartFigure>
                </section>
                {tally_figure(6, "Who the activities were with", "Stakeholder group", Some("Percentages add to more than 100% because an activity can be with more than one group. Contacts with other Leads are not counted."), s.by_stakeholder, activities, demo)}
                <section class="ilt-eval-figure" id="people-reached" aria-labelledby="reach-title">
                    <h2 id="reach-title">"People reached"{synthetic_tag(demo)}</h2>
                    <p>"People a Lead actively engaged with, and people only present (an audience, a conference the Lead listened at). Someone met twice is counted twice."</p>
                    <ChartFigure id="reach-chart" caption="People reached per month, actively engaged and only present" summary="Column chart of people reached per month, actively engaged and only present. The table below the chart gives every value." draw=draw_reach>
                        {table_view("reach-table", "Table of people reached".into(), "People reached per month".into(), report::reach_table(&s.reach), vec![1, 2, 3])}
                    </ChartFigure>
                </section>
                <h2 id="hours-heading">"Hours logged against hours claimed"{synthetic_tag(demo)}</h2>
                <p>{report::hours_rule()}</p>
                <p id="hours-flagged">{flagged}" of "{of}" Leads marked 'Check'."</p>
                {table_view("hours-table", "Hours logged and claimed by Lead".into(), "Hours logged and claimed by Lead".into(), report::hours_table(&s.hours), vec![2, 3, 4, 6])}
            }
        })
    }
}
