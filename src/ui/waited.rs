//! What a person waits for, as User Timing measures (the end-to-end benchmarks read them). The
//! evaluator's: [`IMPORT`] from the file input's change (or drop) event to the last figure drawn
//! on its canvas, and [`EXPORT`] from the export click to the download started; its step timers
//! (import, analysis, export) are the breakdown, and these add what is on no timer (reading the
//! file, saving, rendering and drawing). The calculator's: [`MONTE_CARLO`] from Run to the result
//! worked out (the work the native benchmark times, with any pauses for the browser between
//! slices of draws; drawing the result is not in it).

/// From choosing or dropping files to the last figure drawn.
pub const IMPORT: &str = "ilt:import-to-figures";
/// From the export click to the download started.
pub const EXPORT: &str = "ilt:export-to-download";
/// From the calculator's Run to its Monte Carlo result worked out.
pub const MONTE_CARLO: &str = "ilt:monte-carlo";

fn performance() -> Option<web_sys::Performance> {
    web_sys::window().and_then(|w| w.performance())
}

/// The wait called `name` starts now (the mark `<name>:start`, replacing an earlier one).
pub fn start(name: &str) {
    if let Some(p) = performance() {
        let mark = [name, ":start"].concat();
        p.clear_marks_with_mark_name(&mark);
        let _ = p.mark(&mark);
    }
}

/// The wait called `name` ends now: measured from its start, once (until it starts again, a
/// later end, such as a figure redrawn for a filter, measures nothing).
pub fn end(name: &str) {
    if let Some(p) = performance() {
        let mark = [name, ":start"].concat();
        if p.get_entries_by_name(&mark).length() > 0 {
            let _ = p.measure_with_start_mark(name, &mark);
            p.clear_marks_with_mark_name(&mark);
        }
    }
}

/// The wait called `name` will not end as measured (nothing new to draw): forget its start.
pub fn cancel(name: &str) {
    if let Some(p) = performance() {
        p.clear_marks_with_mark_name(&[name, ":start"].concat());
    }
}
