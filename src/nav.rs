//! Where the browser is, and going somewhere else: the shell's side of [`crate::routes`], below
//! every page. The app frame starts it for the running job's module ([`follow_location`]); pages
//! read the [`CurrentLocation`] and call [`navigate`] and [`focus_main`]. It imports no page and
//! not the frame, so no page needs the frame.

use crate::routes::{parse_fragment, Job, Location, Route};
use leptos::ev;
use leptos::prelude::*;
use std::cell::Cell;

/// The current location, provided to every page (pages read their query from it).
pub type CurrentLocation = ReadSignal<Location>;

thread_local! {
    /// The setter of the app's location, so [`navigate`] can change the page at once.
    static SET_LOCATION: Cell<Option<WriteSignal<Location>>> = const { Cell::new(None) };
    /// The job whose module is running.
    static RUNNING: Cell<Job> = const { Cell::new(Job::Survey) };
}

fn current_fragment() -> String {
    window().location().hash().unwrap_or_default()
}

/// A page of another job's module: load the page again, and boot.js starts that module (its
/// code was never downloaded by this one). The fragment already names the page.
fn load_other_module() {
    let _ = window().location().reload();
}

/// Read the URL fragment into the location, provided as [`CurrentLocation`], and keep it in step
/// with the fragment for the life of the calling component (the app frame of `job`'s module).
/// A fragment that is not a route (`#maincontent`) changes nothing; another job's page reloads
/// the document; a new page of the app is shown from its top, with focus on its main content.
pub fn follow_location(job: Job) -> ReadSignal<Location> {
    RUNNING.with(|j| j.set(job));
    let start = parse_fragment(&current_fragment()).unwrap_or(Location { route: Route::Home, query: String::new() });
    let (location, set_location) = signal(start);
    provide_context::<CurrentLocation>(location);
    SET_LOCATION.with(|s| s.set(Some(set_location)));
    let listener = window_event_listener(ev::hashchange, move |_| {
        let Some(next) = parse_fragment(&current_fragment()) else { return };
        if next.route.job() != job {
            load_other_module();
            return;
        }
        let page_changed = location.with_untracked(|l| l.route.section() != next.route.section());
        if location.with_untracked(|l| *l != next) {
            set_location.set(next);
        }
        if page_changed {
            window().scroll_to_with_x_and_y(0.0, 0.0);
            focus_main();
        }
    });
    on_cleanup(move || listener.remove());
    location
}

/// Go to `route`: a new history entry, shown from its top with focus on its main content, and
/// the page changes in the same update as whatever state the caller changed just before. (The
/// `hashchange` event comes a task later, so waiting for it would first show the old page with
/// the new state for a moment: a submitted survey's check page, emptied.) The hashchange handler
/// then finds nothing to do. A page of another job's module loads that module.
pub fn navigate(route: Route) {
    let _ = window().location().set_hash(&route.href());
    if route.job() != RUNNING.with(Cell::get) {
        load_other_module();
        return;
    }
    if let Some(set) = SET_LOCATION.with(Cell::get) {
        set.set(Location { route, query: String::new() });
    }
    window().scroll_to_with_x_and_y(0.0, 0.0);
    focus_main();
}

/// Move keyboard and screen-reader focus to the main content (after a page change, and for the
/// skip link, whose `#maincontent` target must not replace the route in the fragment), the way
/// the NHS.UK frontend's skip link does: `<main>` is made focusable only for this, and the
/// `nhsuk-skip-link-focused-element` class hides the focus outline a person cannot act on (the
/// whole page would otherwise be drawn in a black box); both go again when focus leaves.
pub fn focus_main() {
    request_animation_frame(|| {
        use wasm_bindgen::JsCast;
        let Some(main) = document().get_element_by_id("maincontent") else { return };
        let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() else { return };
        let _ = main.set_attribute("tabindex", "-1");
        let _ = main.class_list().add_1(FOCUSED_CLASS);
        let target = main.clone();
        let on_blur = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = target.class_list().remove_1(FOCUSED_CLASS);
            let _ = target.remove_attribute("tabindex");
            target.set_onblur(None);
        });
        main.set_onblur(Some(on_blur.unchecked_ref()));
        let _ = main.focus();
    });
}

/// The NHS.UK frontend's class for an element focused by a script (no outline: see its
/// skip-link styles).
const FOCUSED_CLASS: &str = "nhsuk-skip-link-focused-element";
