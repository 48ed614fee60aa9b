//! Charts drawn on an HTML canvas with `plotters` (through `plotters-canvas`), shared by the cost
//! calculator, the evaluator and the programme view.
//!
//! Every chart on a page is a [`ChartFigure`]: a visible caption, a `<canvas role="img">` whose
//! `aria-label` sums the chart up, a table with the same numbers (the text alternative, passed as
//! the component's children, usually a [`crate::ui::DataTable`]) and a "Download chart as PNG" button. The figure redraws whenever a
//! signal read by its `draw` closure changes, and when the window is resized; the canvas is sized
//! to its column at draw time (and CSS keeps it within `max-width: 100%`), so it fits a phone.
//!
//! Drawing functions take plain data and a canvas, so they know nothing about the cost model:
//!
//! * [`draw_diverging_bars`]: horizontal bars either side of a base value (a tornado chart);
//! * [`draw_line`]: a line against a numeric x axis, with a zero line and an optional marked point
//!   (a break-even chart);
//! * [`draw_histogram`]: counts in contiguous numeric bins, with an optional marked value;
//! * [`draw_grouped_bars`]: vertical bars, one group per category and one bar per series, with a
//!   legend (for example "% agree" at baseline and follow-up for each group of respondents; with
//!   one series, a column chart such as activities per month);
//! * [`draw_horizontal_bars`]: one horizontal bar per labelled value, the value written after it
//!   (counts by a category with long names: activities by type, purpose, stakeholder).
//!
//! Each returns `Err(message)` only when the browser cannot draw (no 2D context); empty data draws
//! an empty frame. Numbers on axes are formatted by the caller's `format` function.
//!
//! Category and legend labels are wrapped onto lines ([`wrap`]: plain Rust, tested on the host),
//! measured by the canvas's `measureText` (plotters' own measure adds an inline style, which the
//! CSP blocks), so each bar can be read without the table. The drawing itself is wasm only.

pub mod wrap;

#[cfg(target_arch = "wasm32")]
mod draw;
#[cfg(target_arch = "wasm32")]
pub use draw::*;
