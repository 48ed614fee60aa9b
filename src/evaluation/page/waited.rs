//! What a person waits for, as User Timing measures (the end-to-end benchmark reads them):
//! [`IMPORT`] from the file input's change (or drop) event to the last figure drawn on its canvas,
//! and [`EXPORT`] from the export click to the download started. The page's step timers (import,
//! analysis, export) are the breakdown; these add what is on no timer (reading the file, saving,
//! rendering and drawing).

/// From choosing or dropping files to the last figure drawn.
pub(super) const IMPORT: &str = "ilt:import-to-figures";
/// From the export click to the download started.
pub(super) const EXPORT: &str = "ilt:export-to-download";

fn performance() -> Option<web_sys::Performance> {
    web_sys::window().and_then(|w| w.performance())
}

/// The wait called `name` starts now (the mark `<name>:start`, replacing an earlier one).
pub(super) fn start(name: &str) {
    if let Some(p) = performance() {
        let mark = [name, ":start"].concat();
        p.clear_marks_with_mark_name(&mark);
        let _ = p.mark(&mark);
    }
}

/// The wait called `name` ends now: measured from its start, once (until it starts again, a
/// later end, such as a figure redrawn for a filter, measures nothing).
pub(super) fn end(name: &str) {
    if let Some(p) = performance() {
        let mark = [name, ":start"].concat();
        if p.get_entries_by_name(&mark).length() > 0 {
            let _ = p.measure_with_start_mark(name, &mark);
            p.clear_marks_with_mark_name(&mark);
        }
    }
}

/// The wait called `name` will not end as measured (nothing new to draw): forget its start.
pub(super) fn cancel(name: &str) {
    if let Some(p) = performance() {
        p.clear_marks_with_mark_name(&[name, ":start"].concat());
    }
}
