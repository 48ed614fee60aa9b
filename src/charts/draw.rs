//! Drawing on the canvas (see the module above for what each chart is).

use leptos::ev;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

/// NHS.UK colours used in charts (all at least 3:1 against white).
pub mod colour {
    use plotters::style::RGBColor;
    /// NHS blue: the main series, and values above the base.
    pub const BLUE: RGBColor = RGBColor(0, 94, 184);
    /// NHS dark pink: the second series, and values below the base.
    pub const PINK: RGBColor = RGBColor(174, 37, 115);
    /// NHS dark green: a third series.
    pub const GREEN: RGBColor = RGBColor(0, 103, 71);
    /// NHS warm yellow is too pale for bars; dark orange-brown instead for a fourth series.
    pub const BROWN: RGBColor = RGBColor(134, 76, 0);
    /// Axis and text colour (NHS black).
    pub const TEXT: RGBColor = RGBColor(33, 43, 50);
    /// Grid lines (NHS pale grey).
    pub const GRID: RGBColor = RGBColor(216, 221, 224);
    /// Marker lines (NHS dark grey).
    pub const MARK: RGBColor = RGBColor(66, 84, 98);
    /// Series colours in order.
    pub const SERIES: [RGBColor; 4] = [BLUE, PINK, GREEN, BROWN];
}

/// Font family for chart text (the page's own fallback font; no web font is loaded).
const FONT: &str = "Arial, sans-serif";
/// Text sizes in CSS pixels: large enough to read on a phone.
const AXIS_TEXT: f64 = 14.0;
const LABEL_TEXT: f64 = 15.0;

type Area = DrawingArea<CanvasBackend, Shift>;

/// Size the canvas to its parent's width (between 280 and 900 pixels) and the given height, clear
/// it to white and return the drawing area.
fn prepare(canvas: &HtmlCanvasElement, height: u32) -> Result<Area, String> {
    let width = chart_width(canvas);
    canvas.set_width(width);
    canvas.set_height(height);
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| "This browser cannot draw charts.".to_string())?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    Ok(root)
}

/// The width a chart in `canvas` is drawn at: its column's width, between 280 and 900 pixels.
fn chart_width(canvas: &HtmlCanvasElement) -> u32 {
    let parent_width = canvas.parent_element().map(|p| p.client_width()).unwrap_or(0);
    if parent_width > 0 { parent_width.clamp(280, 900) as u32 } else { 600 }
}

/// Cut `text` to about `max_chars` characters, ending with "…", so a label fits the chart (the
/// table beside the chart always has the full text).
pub fn fit_label(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// The canvas's own width of a text in the chart font at `font_px` (`measureText`), or an
/// estimate when the canvas cannot say. plotters' `estimate_text_size` is not used: it measures by
/// adding an element with an inline style to the page, which the CSP blocks.
fn text_width(canvas: &HtmlCanvasElement, font_px: f64) -> impl Fn(&str) -> f64 {
    let ctx = canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
    let css_font = format!("{font_px}px {FONT}");
    move |text: &str| {
        let measured = ctx.as_ref().and_then(|c| {
            c.set_font(&css_font);
            c.measure_text(text).ok()
        });
        measured.map_or_else(|| super::wrap::estimated_width(text, font_px), |m| m.width())
    }
}

fn font(size: f64) -> TextStyle<'static> {
    (FONT, size).into_font().color(&colour::TEXT)
}

/// Pad a range so bars and lines do not touch the frame; a zero-width range gets a unit either side.
fn padded(lo: f64, hi: f64) -> (f64, f64) {
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    let span = hi - lo;
    if span <= f64::EPSILON * hi.abs().max(1.0) {
        let d = lo.abs().max(1.0) * 0.1;
        return (lo - d, hi + d);
    }
    (lo - span * 0.06, hi + span * 0.06)
}

/// One bar of a [`draw_diverging_bars`] chart: the value when the item is at its low end and at
/// its high end.
#[derive(Clone, Debug, PartialEq)]
pub struct DivergingBar {
    /// Text drawn above the bar.
    pub label: String,
    /// Value with the item at its low end.
    pub at_low: f64,
    /// Value with the item at its high end.
    pub at_high: f64,
}

/// Horizontal bars either side of `base`, in the order given (put the widest first for a
/// tornado). Each bar's label is drawn above it, so long labels fit a phone. The part of a bar
/// from the low end is drawn in [`colour::PINK`], from the high end in [`colour::BLUE`].
pub fn draw_diverging_bars(
    canvas: &HtmlCanvasElement,
    bars: &[DivergingBar],
    base: f64,
    value_label: &str,
    format: fn(f64) -> String,
) -> Result<(), String> {
    let row = 52.0;
    let height = (bars.len().max(1) as f64 * row + 90.0) as u32;
    let root = prepare(canvas, height)?;
    let lo = bars.iter().flat_map(|b| [b.at_low, b.at_high]).fold(base, f64::min);
    let hi = bars.iter().flat_map(|b| [b.at_low, b.at_high]).fold(base, f64::max);
    let (x0, x1) = padded(lo, hi);
    let n = bars.len().max(1) as f64;
    // About 7.5 pixels a character at 15 px.
    let max_chars = ((root.dim_in_pixel().0 as f64 - 30.0) / 7.5) as usize;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(50)
        .build_cartesian_2d(x0..x1, 0.0..n)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .y_labels(0)
        .x_labels(3)
        .x_label_formatter(&|v| format(*v))
        .x_label_style(font(AXIS_TEXT))
        .x_desc(fit_label(value_label, max_chars))
        .axis_desc_style(font(AXIS_TEXT))
        .light_line_style(colour::GRID)
        .bold_line_style(colour::GRID)
        .draw()
        .map_err(|e| e.to_string())?;
    for (i, bar) in bars.iter().enumerate() {
        // Row i from the top: its band is [n-i-1, n-i]; the label sits in the upper part.
        let top = n - i as f64;
        let (b0, b1) = (top - 0.5, top - 0.88);
        for (end, colour) in [(bar.at_low, colour::PINK), (bar.at_high, colour::BLUE)] {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(base.min(end), b0), (base.max(end), b1)],
                    colour.filled(),
                )))
                .map_err(|e| e.to_string())?;
        }
        chart
            .draw_series(std::iter::once(Text::new(
                fit_label(&bar.label, max_chars),
                (x0, top - 0.08),
                font(LABEL_TEXT),
            )))
            .map_err(|e| e.to_string())?;
    }
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(base, 0.0), (base, n)],
            colour::TEXT.stroke_width(2),
        )))
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// A point to mark on a line chart or histogram: a vertical line at `x` with `label` beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// Where.
    pub x: f64,
    /// Text drawn next to the line.
    pub label: String,
}

/// Axis descriptions and number formats of a chart with two numeric axes.
#[derive(Clone, Copy, Debug)]
pub struct Axes<'a> {
    /// Description of the x axis.
    pub x_label: &'a str,
    /// Description of the y axis.
    pub y_label: &'a str,
    /// Formats x axis tick labels.
    pub x_format: fn(f64) -> String,
    /// Formats y axis tick labels.
    pub y_format: fn(f64) -> String,
}

/// A chart with numbers on both axes (every chart here).
type XyChart<'a> = ChartContext<'a, CanvasBackend, Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>>;

/// Draw the frame of an x–y chart: both axes labelled and described in the chart font, five y
/// labels, pale grid lines (none across the x axis unless `x_grid`). `x_format` formats the x
/// labels (the grouped bars put category names there).
fn draw_frame(chart: &mut XyChart<'_>, axes: &Axes<'_>, x_labels: usize, x_format: &dyn Fn(&f64) -> String, x_grid: bool) -> Result<(), String> {
    let y_format = |v: &f64| (axes.y_format)(*v);
    let mut mesh = chart.configure_mesh();
    if !x_grid {
        mesh.disable_x_mesh();
    }
    mesh.x_labels(x_labels)
        .y_labels(5)
        .x_label_formatter(x_format)
        .y_label_formatter(&y_format)
        .x_label_style(font(AXIS_TEXT))
        .y_label_style(font(AXIS_TEXT))
        .x_desc(axes.x_label)
        .y_desc(axes.y_label)
        .axis_desc_style(font(AXIS_TEXT))
        .light_line_style(colour::GRID)
        .bold_line_style(colour::GRID)
        .draw()
        .map_err(|e| e.to_string())
}

fn marker_series(
    chart: &mut XyChart<'_>,
    marker: &Marker,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> Result<(), String> {
    if !(marker.x >= x0 && marker.x <= x1) {
        return Ok(());
    }
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(marker.x, y0), (marker.x, y1)],
            colour::MARK.stroke_width(2),
        )))
        .map_err(|e| e.to_string())?;
    // Put the text on whichever side of the line has more room.
    let right = marker.x < (x0 + x1) / 2.0;
    let style = font(LABEL_TEXT).pos(plotters::style::text_anchor::Pos::new(
        if right { plotters::style::text_anchor::HPos::Left } else { plotters::style::text_anchor::HPos::Right },
        plotters::style::text_anchor::VPos::Top,
    ));
    let dx = (x1 - x0) * 0.01;
    chart
        .draw_series(std::iter::once(Text::new(
            marker.label.clone(),
            (if right { marker.x + dx } else { marker.x - dx }, y1),
            style,
        )))
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// A line through `points` (x ascending), with a dashed-free zero line across the chart when zero
/// is in range and an optional [`Marker`] (for example the break-even point).
pub fn draw_line(
    canvas: &HtmlCanvasElement,
    points: &[(f64, f64)],
    axes: Axes<'_>,
    marker: Option<&Marker>,
) -> Result<(), String> {
    let root = prepare(canvas, 320)?;
    let xs = points.iter().map(|p| p.0);
    let (x0, x1) = (
        xs.clone().fold(f64::INFINITY, f64::min),
        xs.fold(f64::NEG_INFINITY, f64::max),
    );
    let (x0, x1) = if x0.is_finite() && x1 > x0 { (x0, x1) } else { (0.0, 1.0) };
    let ylo = points.iter().map(|p| p.1).fold(0.0, f64::min);
    let yhi = points.iter().map(|p| p.1).fold(0.0, f64::max);
    let (y0, y1) = padded(ylo, yhi);
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(50)
        .y_label_area_size(90)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(|e| e.to_string())?;
    draw_frame(&mut chart, &axes, 4, &|v| (axes.x_format)(*v), true)?;
    if y0 < 0.0 && y1 > 0.0 {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x0, 0.0), (x1, 0.0)],
                colour::TEXT.stroke_width(1),
            )))
            .map_err(|e| e.to_string())?;
    }
    chart
        .draw_series(std::iter::once(PathElement::new(
            points.to_vec(),
            colour::BLUE.stroke_width(3),
        )))
        .map_err(|e| e.to_string())?;
    if let Some(m) = marker {
        marker_series(&mut chart, m, (x0, x1), (y0, y1))?;
        if m.x >= x0 && m.x <= x1 {
            chart
                .draw_series(std::iter::once(Circle::new((m.x, 0.0), 6, colour::PINK.filled())))
                .map_err(|e| e.to_string())?;
        }
    }
    root.present().map_err(|e| e.to_string())
}

/// One bin of a [`draw_histogram`] chart: values from `from` to `to`, and how many.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bin {
    /// Start of the bin.
    pub from: f64,
    /// End of the bin.
    pub to: f64,
    /// How many values fall in it.
    pub count: u32,
}

/// Contiguous bins as bars on a numeric x axis; bars left of `split` (for example a net benefit
/// of zero) are drawn in [`colour::PINK`], the rest in [`colour::BLUE`]. An optional [`Marker`]
/// draws a vertical line (for example at zero).
pub fn draw_histogram(
    canvas: &HtmlCanvasElement,
    bins: &[Bin],
    axes: Axes<'_>,
    split: Option<f64>,
    marker: Option<&Marker>,
) -> Result<(), String> {
    let root = prepare(canvas, 320)?;
    let x0 = bins.iter().map(|b| b.from).fold(f64::INFINITY, f64::min);
    let x1 = bins.iter().map(|b| b.to).fold(f64::NEG_INFINITY, f64::max);
    let (x0, x1) = if x0.is_finite() && x1 >= x0 { padded(x0, x1) } else { (0.0, 1.0) };
    let ymax = bins.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64 * 1.1;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(x0..x1, 0.0..ymax)
        .map_err(|e| e.to_string())?;
    draw_frame(&mut chart, &axes, 3, &|v| (axes.x_format)(*v), false)?;
    chart
        .draw_series(bins.iter().map(|b| {
            let below = split.is_some_and(|s| (b.from + b.to) / 2.0 < s);
            let c = if below { colour::PINK } else { colour::BLUE };
            Rectangle::new([(b.from, 0.0), (b.to, f64::from(b.count))], c.filled())
        }))
        .map_err(|e| e.to_string())?;
    // White edges so neighbouring bars stay distinct.
    chart
        .draw_series(bins.iter().map(|b| {
            Rectangle::new([(b.from, 0.0), (b.to, f64::from(b.count))], WHITE.stroke_width(1))
        }))
        .map_err(|e| e.to_string())?;
    if let Some(m) = marker {
        marker_series(&mut chart, m, (x0, x1), (0.0, ymax))?;
    }
    root.present().map_err(|e| e.to_string())
}

/// One series of a [`draw_grouped_bars`] chart: a name for the legend and one value per category.
#[derive(Clone, Debug, PartialEq)]
pub struct BarSeries {
    /// Legend text.
    pub name: String,
    /// One value per category (missing values are not drawn).
    pub values: Vec<Option<f64>>,
}

/// Vertical bars: one group per category, one bar per series within a group (colours from
/// [`colour::SERIES`]), with a legend above the plot (one column on a phone). Category labels are
/// wrapped onto up to three lines under their group (five, in a smaller font, when groups are
/// narrow, as on a phone), measured by the canvas, and legend
/// entries onto up to two ([`super::wrap::wrap_label`]), so a label is shortened with "…" only when
/// even that is not enough. The y axis runs from 0 (or the smallest negative value) to `y_max`
/// when given (100 for percentages), else the largest value.
pub fn draw_grouped_bars(
    canvas: &HtmlCanvasElement,
    categories: &[String],
    series: &[BarSeries],
    axes: Axes<'_>,
    y_max: Option<f64>,
) -> Result<(), String> {
    const LINE: i32 = 18;
    // Legend: two columns when each has room for about 30 characters, else one (a phone).
    let width = chart_width(canvas) as i32;
    // Narrow groups (a phone): smaller category labels on up to five lines, else three.
    let n = categories.len().max(1);
    let narrow = (width - 24 - 70) / n as i32 <= 100;
    let (category_lines, category_px) = if narrow { (5usize, 12.0) } else { (3, AXIS_TEXT) };
    let columns: i32 = if width >= 560 { 2 } else { 1 };
    let column_width = (width - 24) / columns;
    let legend_text = (column_width - 34) as f64;
    let entries: Vec<Vec<String>> = series
        .iter()
        .map(|s| super::wrap::wrap_label(&s.name, legend_text, 2, text_width(canvas, LABEL_TEXT)))
        .collect();
    // Each legend row is as tall as its tallest entry.
    let row_heights: Vec<i32> = entries
        .chunks(columns as usize)
        .map(|row| 6 + LINE * row.iter().map(Vec::len).max().unwrap_or(1).max(1) as i32)
        .collect();
    let legend_height = 12 + row_heights.iter().sum::<i32>();
    let category_line = category_px as i32 + 3;
    let label_area = 14 + category_line * category_lines as i32;
    let root = prepare(canvas, (300 + legend_height + label_area) as u32)?;
    let (legend, plot) = root.split_vertically(legend_height as u32);
    let mut y = 8;
    for (r, row) in entries.chunks(columns as usize).enumerate() {
        for (j, lines) in row.iter().enumerate() {
            let k = r * columns as usize + j;
            let c = colour::SERIES[k % colour::SERIES.len()];
            let x = 12 + j as i32 * column_width;
            legend
                .draw(&Rectangle::new([(x, y), (x + 16, y + 16)], c.filled()))
                .map_err(|e| e.to_string())?;
            for (l, line) in lines.iter().enumerate() {
                legend
                    .draw(&Text::new(line.clone(), (x + 22, y + l as i32 * LINE), font(LABEL_TEXT)))
                    .map_err(|e| e.to_string())?;
            }
        }
        y += row_heights[r];
    }
    let values = series.iter().flat_map(|s| s.values.iter().flatten().copied());
    let ylo = values.clone().fold(0.0, f64::min);
    let yhi = y_max.unwrap_or_else(|| values.fold(0.0, f64::max) * 1.1).max(ylo + 1e-9);
    let mut chart = ChartBuilder::on(&plot)
        .margin(12)
        .x_label_area_size(label_area as u32)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..n as f64, ylo..yhi)
        .map_err(|e| e.to_string())?;
    // Ticks only: the category labels are drawn below, wrapped.
    draw_frame(&mut chart, &axes, n * 2 + 1, &|_: &f64| String::new(), false)?;
    let m = series.len().max(1) as f64;
    let bar = 0.8 / m;
    for (k, s) in series.iter().enumerate() {
        let c = colour::SERIES[k % colour::SERIES.len()];
        chart
            .draw_series(s.values.iter().enumerate().filter_map(|(i, v)| {
                let v = (*v)?;
                let left = i as f64 + 0.1 + k as f64 * bar;
                Some(Rectangle::new([(left, 0.0_f64.max(ylo).min(0.0)), (left + bar * 0.92, v)], c.filled()))
            }))
            .map_err(|e| e.to_string())?;
    }
    // Category labels: centred under each group, as wide as the group less a small gap.
    let style = font(category_px).pos(Pos::new(HPos::Center, VPos::Top));
    let (x0, base) = chart.backend_coord(&(0.0, ylo));
    let group_px = (chart.backend_coord(&(1.0, ylo)).0 - x0 - 4) as f64;
    let measure = text_width(canvas, category_px);
    for (i, c) in categories.iter().enumerate() {
        let (cx, _) = chart.backend_coord(&(i as f64 + 0.5, ylo));
        for (l, line) in super::wrap::wrap_label(c, group_px, category_lines, &measure).into_iter().enumerate() {
            root.draw(&Text::new(line, (cx, base + 8 + l as i32 * category_line), style.clone()))
                .map_err(|e| e.to_string())?;
        }
    }
    root.present().map_err(|e| e.to_string())
}

/// Horizontal bars, one per labelled value, top to bottom in the order given, each with its value
/// written after it (so the chart reads without the axis): for counts by a category with long
/// names (the programme view's Figures 3, 4 and 6). Labels are shortened with "…" to the room
/// left of the bars (about two fifths of the width); the table beside the chart has them in full.
pub fn draw_horizontal_bars(canvas: &HtmlCanvasElement, bars: &[(String, f64)], x_label: &str, format: fn(f64) -> String) -> Result<(), String> {
    let width = chart_width(canvas) as i32;
    let n = bars.len().max(1);
    let root = prepare(canvas, 70 + 30 * n as u32)?;
    let label_area = (width * 2 / 5).min(340);
    let max_chars = ((label_area - 16) as f64 / (AXIS_TEXT * 0.55)) as usize;
    let xmax = bars.iter().map(|b| b.1).fold(0.0, f64::max).max(1.0) * 1.18;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(label_area)
        .build_cartesian_2d(0.0..xmax, 0.0..n as f64)
        .map_err(|e| e.to_string())?;
    let labels: Vec<String> = bars.iter().map(|b| fit_label(&b.0, max_chars)).collect();
    // Bar i (from the top) spans n-1-i .. n-i; its label sits at the middle of that span.
    let label_at = move |v: &f64| {
        let from_top = n as f64 - v - 0.5;
        let i = from_top.round();
        if (from_top - i).abs() < 1e-6 && i >= 0.0 { labels.get(i as usize).cloned().unwrap_or_default() } else { String::new() }
    };
    let x_format = |v: &f64| format(*v);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_labels(5)
        .y_labels(n * 2 + 1)
        .x_label_formatter(&x_format)
        .y_label_formatter(&label_at)
        .x_label_style(font(AXIS_TEXT))
        .y_label_style(font(AXIS_TEXT))
        .x_desc(x_label)
        .axis_desc_style(font(AXIS_TEXT))
        .light_line_style(colour::GRID)
        .bold_line_style(colour::GRID)
        .draw()
        .map_err(|e| e.to_string())?;
    let top = n as f64;
    chart
        .draw_series(bars.iter().enumerate().map(|(i, b)| Rectangle::new([(0.0, top - i as f64 - 0.82), (b.1.max(0.0), top - i as f64 - 0.18)], colour::BLUE.filled())))
        .map_err(|e| e.to_string())?;
    let value_style = font(AXIS_TEXT).pos(plotters::style::text_anchor::Pos::new(plotters::style::text_anchor::HPos::Left, plotters::style::text_anchor::VPos::Center));
    chart
        .draw_series(bars.iter().enumerate().map(|(i, b)| Text::new(format(b.1), (b.1.max(0.0) + xmax * 0.01, top - i as f64 - 0.5), value_style.clone())))
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// A chart with its caption, text alternative and PNG download.
///
/// * `id`: the canvas id (unique on the page) and the PNG file's name (`<id>.png`);
/// * `caption`: visible caption above the chart;
/// * `summary`: the canvas's `aria-label`, a sentence giving the chart's main message;
/// * `draw`: draws on the canvas (one of the `draw_*` functions). It is run in an effect, so it
///   is run again whenever a signal it reads changes;
/// * children: the table holding the chart's numbers.
///
/// `draw` is boxed (not generic) so the figure's markup is compiled once however many charts
/// the app has, which keeps the wasm small.
#[component]
pub fn ChartFigure(
    id: &'static str,
    #[prop(into)] caption: Signal<String>,
    #[prop(into)] summary: Signal<String>,
    draw: Box<dyn Fn(&HtmlCanvasElement) -> Result<(), String>>,
    children: Children,
) -> impl IntoView {
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let (resized, set_resized) = signal(0u32);
    let (problem, set_problem) = signal(None::<String>);
    let listener = window_event_listener(ev::resize, move |_| set_resized.update(|n| *n += 1));
    on_cleanup(move || listener.remove());
    Effect::new(move |_| {
        resized.track();
        if let Some(c) = canvas.get() {
            set_problem.set(draw(&c).err());
        }
    });
    let download = move |_| {
        let Some(c) = canvas.get_untracked() else { return };
        let result = c
            .to_data_url()
            .map_err(|_| "The browser could not make the picture.".to_string())
            .and_then(|url| crate::ui::click_download_link(&format!("{id}.png"), &url));
        set_problem.set(result.err());
    };
    view! {
        <figure class="ilt-figure">
            <figcaption class="ilt-figure__caption">{move || caption.get()}</figcaption>
            <div class="ilt-chart-box">
                <canvas class="ilt-chart" id=id role="img" aria-label=move || summary.get() node_ref=canvas></canvas>
            </div>
            {move || problem.get().map(|p| view! { <p class="nhsuk-error-message">{p}</p> })}
            <button type="button" class="nhsuk-button nhsuk-button--secondary nhsuk-button--small ilt-chart-download" on:click=download>
                "Download chart as PNG"
                <span class="nhsuk-u-visually-hidden">{move || format!(": {}", caption.get())}</span>
            </button>
            {children()}
        </figure>
    }
}
