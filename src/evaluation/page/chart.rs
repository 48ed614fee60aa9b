//! One figure drawn as a grouped bar chart with plotters on a canvas, plus its PNG download.
//!
//! Self-contained here because the shared chart module (`src/charts/`) was not on main yet when
//! this was written; it uses only plotters + plotters-canvas so it can be folded into that module.

use crate::evaluation::results::Figure;
use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

/// Colour-blind-safe bars (Okabe–Ito), darkest first, each at least 3:1 against white.
const PALETTE: [RGBColor; 4] = [RGBColor(0, 94, 184), RGBColor(0, 114, 178), RGBColor(213, 94, 0), RGBColor(153, 75, 0)];
const PATTERN: [RGBColor; 4] = [RGBColor(0, 48, 135), RGBColor(86, 180, 233), RGBColor(230, 159, 0), RGBColor(204, 121, 167)];

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max { s.to_owned() } else { format!("{}…", s.chars().take(max - 1).collect::<String>()) }
}

fn draw(canvas: web_sys::HtmlCanvasElement, f: &Figure) -> Option<()> {
    let backend = CanvasBackend::with_canvas_object(canvas)?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).ok()?;
    let n_cat = f.categories.len().max(1);
    let n_ser = f.series.len().max(1);
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(-0.5f64..n_cat as f64 - 0.5, 0f64..f.y_max)
        .ok()?;
    let cats = f.categories.clone();
    let label_len = (90 / n_cat).clamp(8, 30);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n_cat)
        .x_label_formatter(&move |x| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 { cats.get(i as usize).map(|c| short(c, label_len)).unwrap_or_default() } else { String::new() }
        })
        .y_desc(f.y_label)
        .label_style(("sans-serif", 14).into_font())
        .draw()
        .ok()?;
    let width = 0.8 / n_ser as f64;
    for (si, (name, cells)) in f.series.iter().enumerate() {
        let colour = if si % 2 == 0 { PALETTE[(si / 2) % 4] } else { PATTERN[(si / 2) % 4] };
        chart
            .draw_series(cells.iter().enumerate().filter_map(|(ci, c)| {
                c.value.map(|v| {
                    let x0 = ci as f64 - 0.4 + width * si as f64;
                    Rectangle::new([(x0, 0.0), (x0 + width * 0.92, v)], colour.filled())
                })
            }))
            .ok()?
            .label(name.clone())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 12, y + 6)], colour.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 13).into_font())
        .draw()
        .ok()?;
    root.present().ok()
}

#[component]
pub(super) fn Chart(figure: Figure, png_name: String) -> impl IntoView {
    let node = NodeRef::<leptos::html::Canvas>::new();
    let f = figure.clone();
    Effect::new(move |_| {
        if let Some(c) = node.get() {
            let _ = draw(c, &f);
        }
    });
    let download = move |_| {
        if let Some(c) = node.get_untracked() {
            if let Ok(url) = c.to_data_url_with_type("image/png") {
                let _ = crate::ui::click_download_link(&png_name, &url);
            }
        }
    };
    let alt = format!("Bar chart: {}. The table below gives every value.", figure.title);
    view! {
        <canvas class="ilt-chart" width="720" height="380" role="img" aria-label=alt node_ref=node></canvas>
        <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small ilt-png" on:click=download>
            "Download chart as PNG"<span class="nhsuk-u-visually-hidden">{format!(" (figure {})", figure.number)}</span>
        </button>
    }
}
