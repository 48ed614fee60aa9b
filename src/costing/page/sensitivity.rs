//! Sensitivity: the tornado and break-even charts (redrawn as the figures change) and the Monte
//! Carlo run (on request), each chart with a table of its numbers.

use leptos::prelude::*;

use super::{Calc, SummaryList};
use crate::costing::{format_gbp_short as gbp, show_input};
use crate::charts::{draw_diverging_bars, draw_histogram, draw_line, Axes, Bin, ChartFigure, DivergingBar, Marker};
use crate::ui::{waited, Busy, ProgressBar, set_text, text_of, DataTable, ErrorSummary, FieldMessage, TableFrame, TableRow, TextField, Width};
use crate::costing::{
    break_even_curve, compute, default_curve_span, default_tornado_ranges,
    default_uncertain_inputs, format_gbp, format_number, format_percent, read_form, MonteCarloRun,
    tornado, BreakEvenCurve, CurveAxis, FieldId, FormBox, Inputs, MonteCarloResult, RangeText,
    Shape, ValueMode, RANGE_PARTS,
};

/// Points on the break-even chart (and rows in its table).
const CURVE_POINTS: usize = 11;

fn percent_axis(v: f64) -> String {
    format_percent(v)
}
fn count_axis(v: f64) -> String {
    format_number(v, 0)
}

fn curve(inputs: &Inputs) -> Option<BreakEvenCurve> {
    let axis = match inputs.value_mode {
        ValueMode::Uplift => CurveAxis::Uplift,
        ValueMode::ExtraReferrals => CurveAxis::ExtraReferrals,
    };
    let (from, to) = default_curve_span(inputs, axis);
    break_even_curve(inputs, axis, from, to, CURVE_POINTS).ok()
}

fn axis_value(axis: CurveAxis, x: f64) -> String {
    match axis {
        CurveAxis::Uplift => format_percent(x),
        CurveAxis::ExtraReferrals => format_number(x, 0),
    }
}

#[component]
pub(super) fn Sensitivity(calc: Calc) -> impl IntoView {
    let tornado_data = Memo::new(move |_| {
        let inputs = calc.good.get();
        tornado(&inputs, &default_tornado_ranges(&inputs)).ok()
    });
    let curve_data = Memo::new(move |_| curve(&calc.good.get()));

    let tornado_summary = move || {
        tornado_data.with(|t| match t.as_ref().and_then(|t| t.bars.first().map(|b| (t, b))) {
            Some((t, b)) => format!(
                "Tornado chart of the net benefit, {} with your figures. The input that changes it most is {}: from {} to {}.",
                format_gbp(t.base_net_benefit), crate::text::lower_first(b.label), format_gbp(b.min()), format_gbp(b.max())
            ),
            None => "Tornado chart: no inputs to vary.".into(),
        })
    };
    let curve_summary = move || {
        curve_data.with(|c| match c {
            Some(c) => match c.break_even_x {
                Some(x) => format!("Line chart of the net benefit against {}. It crosses zero (breaks even) at {}.", crate::text::lower_first(c.axis.label()), axis_value(c.axis, x)),
                None => format!("Line chart of the net benefit against {}. It never breaks even: an extra referral is worth nothing with these figures.", crate::text::lower_first(c.axis.label())),
            },
            None => "Break-even chart: not available with these figures.".into(),
        })
    };

    view! {
        <h2 id="cost-sensitivity">"Sensitivity"</h2>
        <p>"How much the answer depends on each figure. Each input is moved 25% below and above your figure, one at a time, with the others left as they are."</p>
        <ChartFigure id="tornado-chart" caption="How the net benefit changes with each input (tornado chart). Pink: the input at its low value; blue: at its high value." summary=Signal::derive(tornado_summary)
            draw=Box::new(move |c| tornado_data.with(|t| {
                let (bars, base) = t.as_ref().map(|t| (
                    t.bars.iter().map(|b| DivergingBar { label: b.label.to_string(), at_low: b.net_benefit_at_low, at_high: b.net_benefit_at_high }).collect::<Vec<_>>(),
                    t.base_net_benefit,
                )).unwrap_or_default();
                draw_diverging_bars(c, &bars, base, "Net benefit", gbp)
            }))>
            {move || tornado_data.with(|t| {
                let rows: Vec<TableRow> = t.iter().flat_map(|t| t.bars.iter()).map(|b| TableRow {
                    head: b.label.to_string(),
                    cells: vec![show_input(b.field, b.low_input), show_input(b.field, b.high_input), format_gbp(b.net_benefit_at_low), format_gbp(b.net_benefit_at_high)],
                    ..TableRow::default()
                }).collect();
                let header = ["Input", "Low value", "High value", "Net benefit at low", "Net benefit at high"].map(String::from).to_vec();
                view! { <DataTable id="tornado-table" label="Tornado chart figures" caption="Tornado chart figures, widest first" header=header rows=rows numeric=vec![3, 4]/> }
            })}
        </ChartFigure>

        <h2 id="cost-break-even">"Break-even"</h2>
        <ChartFigure id="break-even-chart"
            caption=Signal::derive(move || curve_data.with(|c| format!("Net benefit against {}", crate::text::lower_first(c.as_ref().map_or(CurveAxis::Uplift, |c| c.axis).label()))))
            summary=Signal::derive(curve_summary)
            draw=Box::new(move |c| curve_data.with(|d| {
                let Some(d) = d else { return draw_line(c, &[], Axes { x_label: "", y_label: "", x_format: count_axis, y_format: gbp }, None) };
                let points: Vec<(f64, f64)> = d.points.iter().map(|p| (p.x, p.net_benefit)).collect();
                let marker = d.break_even_x.map(|x| Marker { x, label: format!("Break-even {}", axis_value(d.axis, x)) });
                let x_format = if d.axis == CurveAxis::Uplift { percent_axis } else { count_axis };
                draw_line(c, &points, Axes { x_label: d.axis.label(), y_label: "Net benefit", x_format, y_format: gbp }, marker.as_ref())
            }))>
            {move || curve_data.with(|c| c.as_ref().map(|c| {
                let mut rows: Vec<TableRow> = c.points.iter().map(|p| TableRow { head: axis_value(c.axis, p.x), cells: vec![format_gbp(p.net_benefit)], ..TableRow::default() }).collect();
                if let Some(x) = c.break_even_x {
                    rows.push(TableRow { head: format!("{} (break-even)", axis_value(c.axis, x)), cells: vec![format_gbp(0.0)], ..TableRow::default() });
                }
                let header = vec![c.axis.label().to_string(), "Net benefit".into()];
                view! { <DataTable id="break-even-table" label="Break-even chart figures" caption="Break-even chart figures" header=header rows=rows numeric=vec![1]/> }
            }))}
        </ChartFigure>
        <MonteCarlo calc=calc/>
    }
}

fn range_input_id(field: FieldId, part: &str) -> String {
    format!("mc-{}-{}", field.key(), part.to_ascii_lowercase().replace(' ', "-"))
}

/// The id of the box a problem is about.
fn box_id(at: FormBox) -> String {
    match at {
        FormBox::Range(field, k) => range_input_id(field, RANGE_PARTS[k]),
        FormBox::Draws => "mc-draws".into(),
        FormBox::Seed => "mc-seed".into(),
    }
}

/// The value a shape has in the form.
fn shape_value(shape: Shape) -> &'static str {
    if shape == Shape::Triangular { "triangular" } else { "pert" }
}

/// Class and `aria-invalid` of a box: red and invalid while `errors` (from the last Run) name it.
fn marked(errors: RwSignal<Vec<FieldMessage>>, id: String, class: &'static str) -> (impl Fn() -> String, impl Fn() -> Option<&'static str>) {
    let bad = Memo::new(move |_| errors.with(|e| e.iter().any(|e| e.field_id == id)));
    (move || if bad.get() { format!("{class} nhsuk-input--error") } else { class.to_string() }, move || bad.get().then_some("true"))
}

/// The message `errors` (from the last Run) hold for the box `id`, shown beside it.
fn error_of(errors: RwSignal<Vec<FieldMessage>>, id: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || errors.with(|e| e.iter().find(|e| e.field_id == id).map(|e| e.message.clone())))
}

/// One row of the ranges table: the input's three boxes and its shape, bound to `ranges`.
fn range_row(field: FieldId, ranges: RwSignal<Vec<RangeText>>, errors: RwSignal<Vec<FieldMessage>>) -> impl IntoView {
    let label = field.label();
    let lower = crate::text::lower_first(label);
    let unit = match field.meta().unit { crate::costing::Unit::Pounds => " (£)", crate::costing::Unit::Percent => " (%)", _ => "" };
    let boxes = RANGE_PARTS.iter().enumerate().map(|(k, part)| {
        let id = range_input_id(field, part);
        let (class, invalid) = marked(errors, id.clone(), "nhsuk-input nhsuk-input--width-5");
        view! {
            <td class="nhsuk-table__cell">
                <label class="nhsuk-u-visually-hidden" for=id.clone()>{format!("{part} {lower}")}</label>
                <input class=class id=id type="text" inputmode="decimal" autocomplete="off" aria-invalid=invalid
                    prop:value=move || ranges.with(|r| r.iter().find(|r| r.field == field).map(|r| r.parts[k].clone()).unwrap_or_default())
                    on:input=move |ev| {
                        let typed = event_target_value(&ev);
                        ranges.update(|r| if let Some(r) = r.iter_mut().find(|r| r.field == field) { r.parts[k] = typed; });
                    }/>
            </td>
        }
    }).collect_view();
    let shape_id = range_input_id(field, "shape");
    let shape = move || ranges.with(|r| r.iter().find(|r| r.field == field).map_or(Shape::Pert, |r| r.shape));
    view! {
        <tr class="nhsuk-table__row">
            <th scope="row" class="nhsuk-table__header">{label}{unit}</th>
            {boxes}
            <td class="nhsuk-table__cell">
                <label class="nhsuk-u-visually-hidden" for=shape_id.clone()>{format!("Shape for {lower}")}</label>
                <select class="nhsuk-select" id=shape_id on:change=move |ev| {
                    let chosen = if event_target_value(&ev) == "triangular" { Shape::Triangular } else { Shape::Pert };
                    ranges.update(|r| if let Some(r) = r.iter_mut().find(|r| r.field == field) { r.shape = chosen; });
                }>
                    {Shape::ALL.into_iter().map(|s| view! { <option value=shape_value(s) prop:selected=move || shape() == s>{s.label()}</option> }).collect_view()}
                </select>
            </td>
        </tr>
    }
}

/// A finished run: what was drawn, how long it took, and the inputs it used.
#[derive(Clone, PartialEq)]
struct Run {
    result: MonteCarloResult,
    millis: f64,
    recompute_micros: f64,
    inputs: Inputs,
}

fn performance_now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Draws made between two looks at the clock.
const CHUNK: usize = 1_000;
/// The longest the page draws before letting the browser paint and handle input (well under the
/// 200 ms a page may be unresponsive for).
const SLICE_MS: f64 = 40.0;

/// Wait for a new task (a zero-delay timer), so the browser paints and handles input meanwhile.
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let set = web_sys::window().map(|w| w.set_timeout_with_callback(&resolve));
        if !matches!(set, Some(Ok(_))) {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// One full recompute (validation, every output and the per-year rows) in µs, the mean of 1,000.
fn recompute_micros(inputs: &Inputs) -> f64 {
    let reps = 1_000;
    let start = performance_now();
    for _ in 0..reps {
        std::hint::black_box(compute(std::hint::black_box(inputs)).ok());
    }
    (performance_now() - start) * 1000.0 / f64::from(reps)
}

/// Read the form (in the core) and set up the run, or say what is wrong.
fn start(inputs: &Inputs, ranges: &[RangeText], draws: &str, seed: &str) -> Result<MonteCarloRun, Vec<FieldMessage>> {
    let to_messages = |problems: Vec<crate::costing::FormProblem>| -> Vec<FieldMessage> {
        problems.into_iter().map(|p| FieldMessage { field_id: box_id(p.at), message: p.message }).collect()
    };
    let (uncertain, settings) = read_form(ranges, draws, seed).map_err(to_messages)?;
    MonteCarloRun::new(inputs, &uncertain, &settings)
        .map_err(|e| e.into_iter().map(|e| FieldMessage { field_id: box_id(FormBox::Range(e.field, 0)), message: e.message }).collect())
}

/// Draw the run a slice of about [`SLICE_MS`] at a time, letting the browser run between slices
/// and moving `busy` on. Timed from `started` (the Run press), as the `ilt:monte-carlo` wait.
async fn draw(mut run: MonteCarloRun, inputs: Inputs, started: f64, busy: Busy, doing: &str) -> Run {
    loop {
        let slice = performance_now();
        while !run.is_done() && performance_now() - slice < SLICE_MS {
            run.step(CHUNK);
        }
        if run.is_done() {
            break;
        }
        busy.update(Some(run.done() as f64 / run.iterations() as f64), doing);
        next_task().await;
    }
    let (result, _) = run.finish();
    let millis = performance_now() - started;
    waited::end(waited::MONTE_CARLO);
    let recompute_micros = recompute_micros(&inputs);
    Run { result, millis, recompute_micros, inputs }
}

#[component]
fn MonteCarlo(calc: Calc) -> impl IntoView {
    let ranges = RwSignal::new(RangeText::from_ranges(&default_uncertain_inputs(&calc.good.get_untracked())));
    // The table's rows are rebuilt only when the inputs in it change, not as a box is typed in.
    let fields = Memo::new(move |_| ranges.with(|r| r.iter().map(|r| r.field).collect::<Vec<_>>()));
    let draws = RwSignal::new("10000".to_string());
    let seed = RwSignal::new("1".to_string());
    let outcome = RwSignal::new(None::<Run>);
    let errors = RwSignal::new(Vec::<FieldMessage>::new());
    // A run under way (Run does nothing meanwhile), and its progress bar, shown once a run has
    // taken 200 ms.
    let running = RwSignal::new(false);
    let busy = Busy::new(std::time::Duration::from_millis(200));
    let on_run = move |_| {
        if running.get_untracked() {
            return;
        }
        let started = performance_now();
        waited::start(waited::MONTE_CARLO);
        let inputs = calc.good.get_untracked();
        let run = ranges.with_untracked(|r| start(&inputs, r, &draws.get_untracked(), &seed.get_untracked()));
        // The error summary takes the focus when it has something to say.
        errors.set(run.as_ref().err().cloned().unwrap_or_default());
        let Ok(run) = run else {
            waited::cancel(waited::MONTE_CARLO);
            return;
        };
        running.set(true);
        // The same words all through the run: the bar's status line is a live region.
        let doing = format!("Drawing {} net benefits", format_number(run.iterations() as f64, 0));
        busy.start(&doing);
        leptos::task::spawn_local(async move {
            let done = draw(run, inputs, started, busy, &doing).await;
            busy.finish();
            // The results are drawn in a task of their own, not after the last slice of draws.
            next_task().await;
            running.try_set(false);
            outcome.try_set(Some(done));
        });
    };
    let suggest = move |_| ranges.set(RangeText::from_ranges(&default_uncertain_inputs(&calc.good.get_untracked())));
    let stale = move || outcome.with(|o| o.as_ref().is_some_and(|o| o.inputs != calc.good.get()));

    view! {
        <h2 id="cost-uncertainty">"Uncertainty"</h2>
        <p>"Give a range for each uncertain figure. The calculator draws each figure at random from its range many times and works out the net benefit each time. The same seed always gives the same result."</p>
        <p class="nhsuk-body-s">"Percentages are typed as percentages (27.1 for 27.1%). PERT is a smooth curve that puts less weight on the ends than a triangular one."</p>
        <p class="nhsuk-body-s" id="mc-attribution">"The suggested range for the share of the extra referrals due to the Leads is centred below 100%, even when you enter 100%: the evaluation says the rise “cannot be assumed” to be all due to the Leads (line 502)."</p>
        // Problems found when Run is pressed, summarised above the table (NHS error summary), each
        // linked to its box. Its own id: the page's form has an error summary too.
        <div id="mc-errors">
            <ErrorSummary id="mc-error-summary" title="There is a problem with the ranges or settings" errors=errors/>
        </div>
        <TableFrame id="mc-ranges" label="Ranges for uncertain inputs" caption="Ranges for uncertain inputs"
            header=["Input", "Lowest", "Most likely", "Highest", "Shape"].map(String::from).to_vec()>
            {move || fields.get().into_iter().map(|field| range_row(field, ranges, errors)).collect_view()}
        </TableFrame>
        <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small" id="mc-suggest" on:click=suggest>"Suggest ranges from the current figures"</button>
        <TextField id="mc-draws" label="Number of draws" hint="From 1 to 200,000. More draws give steadier results."
            error=error_of(errors, "mc-draws") width=Width::Chars10 inputmode="numeric"
            value=text_of(draws) on_input=set_text(draws)/>
        <TextField id="mc-seed" label="Seed" hint="Any whole number. Use the same seed to get the same result again."
            error=error_of(errors, "mc-seed") width=Width::Chars10 inputmode="numeric"
            value=text_of(seed) on_input=set_text(seed)/>
        <button type="button" class="nhsuk-button" id="mc-run" aria-disabled=move || running.get().then_some("true") on:click=on_run>"Run"</button>
        <ProgressBar busy=busy id="mc-progress" label="Running the simulation"/>
        {move || outcome.get().map(|r| {
            let m = r.result.clone();
            let bins: Vec<Bin> = m.histogram.iter().map(|b| Bin { from: b.from, to: b.to, count: b.count }).collect();
            let rows: Vec<TableRow> = m.histogram.iter().map(|b| TableRow {
                head: format_gbp(b.from),
                cells: vec![format_gbp(b.to), format_number(f64::from(b.count), 0)],
                ..TableRow::default()
            }).collect();
            let summary = format!(
                "Histogram of {} simulated net benefits. Middle 90% from {} to {}; {} of draws are above zero.",
                format_number(m.iterations as f64, 0), format_gbp(m.p5), format_gbp(m.p95), format_percent(m.prob_positive)
            );
            let results: Vec<(String, String, &'static str)> = [
                ("Mean net benefit", format_gbp(m.mean)),
                ("5th percentile", format_gbp(m.p5)),
                ("Median (50th percentile)", format_gbp(m.p50)),
                ("95th percentile", format_gbp(m.p95)),
                ("Chance the net benefit is above £0", format_percent(m.prob_positive)),
            ].map(|(k, v)| (k.to_string(), v, "")).to_vec();
            view! {
                {move || stale().then(|| view! {
                    <p class="nhsuk-body-s" id="mc-stale"><strong>"Your figures have changed since this run: press Run again to update it."</strong></p>
                })}
                <p id="mc-time" role="status">{format!("{} draws in {} ms (seed {}). One full recompute takes about {} µs in this browser.",
                    format_number(m.iterations as f64, 0), format_number(r.millis, 0), m.seed, format_number(r.recompute_micros, 1))}</p>
                <SummaryList id="mc-results" rows=results/>
                <ChartFigure id="histogram-chart" caption="Simulated net benefits (histogram)" summary=summary
                    draw=Box::new(move |c| draw_histogram(c, &bins, Axes { x_label: "Net benefit (pink: below £0)", y_label: "Draws", x_format: gbp, y_format: count_axis },
                        Some(0.0), Some(&Marker { x: 0.0, label: "£0".into() })))>
                    <DataTable id="histogram-table" label="Histogram figures" caption="Histogram figures"
                        header=["Net benefit from", "to", "Draws"].map(String::from).to_vec() rows=rows numeric=vec![2]/>
                </ChartFigure>
            }
        })}
    }
}
