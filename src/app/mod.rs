//! The app shell: header, navigation, the page for the current route, footer, and the "new version"
//! banner, shared by every job's module. The page is chosen from the URL fragment (see
//! `crate::routes`) and drawn by the running module's [`JobPages`]; the frame imports no page.

pub mod home;
pub mod privacy;
mod update;

use crate::routes::{parse_fragment, Job, Location, Route};
use leptos::ev;
use leptos::prelude::*;

/// The current location, provided to every page (pages read their query from it).
pub type CurrentLocation = ReadSignal<Location>;

/// The pages of one job's module: the view for each route it owns, `None` for the others.
pub type JobPages = fn(Route) -> Option<AnyView>;

fn current_fragment() -> String {
    window().location().hash().unwrap_or_default()
}

thread_local! {
    /// The setter of the app's location, so [`navigate`] can change the page at once.
    static SET_LOCATION: std::cell::Cell<Option<WriteSignal<Location>>> = const { std::cell::Cell::new(None) };
    /// The job whose module is running.
    static RUNNING: std::cell::Cell<Job> = const { std::cell::Cell::new(Job::Survey) };
}

/// Start a job's module: called by `main` of `src/bin/<job>.rs`, once boot.js has loaded it.
pub fn start(job: Job, pages: JobPages) {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(move || view! { <App job=job pages=pages/> });
}

/// A page of another job's module: load the page again, and boot.js starts that module (its
/// code was never downloaded by this one). The fragment already names the page.
fn load_other_module() {
    let _ = window().location().reload();
}

/// Go to `fragment` (`#/survey?view=done`): a new history entry, and the page changes in the same
/// update as whatever state the caller changed just before. (The `hashchange` event comes a task
/// later, so waiting for it would first show the old page with the new state for a moment: a
/// submitted survey's check page, emptied.) The hashchange handler then finds nothing to do.
pub fn navigate(fragment: &str) {
    let _ = window().location().set_hash(fragment);
    let Some(next) = parse_fragment(fragment) else { return };
    if next.route.job() != RUNNING.with(|j| j.get()) {
        load_other_module();
    } else if let Some(set) = SET_LOCATION.with(|s| s.get()) {
        set.set(next);
    }
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

/// The app frame (skip link, update banner, header with the menu, footer) around the page for
/// the current route, drawn by `pages` of the running job's module.
#[component]
pub fn App(job: Job, pages: JobPages) -> impl IntoView {
    RUNNING.with(|j| j.set(job));
    let start = parse_fragment(&current_fragment())
        .unwrap_or(Location { route: Route::Home, query: String::new() });
    let (location, set_location) = signal(start);
    provide_context::<CurrentLocation>(location);
    SET_LOCATION.with(|s| s.set(Some(set_location)));
    let route = Memo::new(move |_| location.with(|l| l.route));

    let listener = window_event_listener(ev::hashchange, move |_| {
        if let Some(next) = parse_fragment(&current_fragment()) {
            if next.route.job() != job {
                load_other_module();
                return;
            }
            let page_changed = next.route != location.with_untracked(|l| l.route);
            if next != location.get_untracked() {
                set_location.set(next);
            }
            if page_changed {
                window().scroll_to_with_x_and_y(0.0, 0.0);
                focus_main();
            }
        }
    });
    on_cleanup(move || listener.remove());
    Effect::new(move |_| document().set_title(&route.get().title()));

    view! {
        <a class="nhsuk-skip-link" href="#maincontent"
            on:click=move |e| { e.prevent_default(); focus_main(); }>
            "Skip to main content"
        </a>
        <update::UpdateBanner/>
        <Header route=route/>
        <div class="nhsuk-width-container">
            <main class="nhsuk-main-wrapper" id="maincontent">
                // boot.js started the module that owns the route, so `pages` has it; Page not
                // found is the answer for any address no module owns.
                {move || pages(route.get()).unwrap_or_else(|| view! { <NotFound/> }.into_any())}
            </main>
        </div>
        <Footer/>
    }
}

#[component]
fn Header(route: Memo<Route>) -> impl IntoView {
    view! {
        <header class="nhsuk-header" role="banner">
            <div class="nhsuk-header__container nhsuk-width-container">
                <a class="ilt-header__service-name" href=Route::Home.href()>"Integration Lead Toolkit"</a>
                <nav aria-label="Main">
                    <ul class="ilt-nav">
                        {Route::NAV.into_iter().map(|r| view! {
                            <li>
                                <a class="ilt-nav__link" href=r.href()
                                    aria-current=move || (route.get() == r).then_some("page")>
                                    {r.nav_label()}
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                </nav>
            </div>
        </header>
    }
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="nhsuk-footer" role="contentinfo">
            <div class="nhsuk-width-container">
                <div class="nhsuk-footer__meta">
                    <h2 class="nhsuk-u-visually-hidden">"Support links"</h2>
                    <ul class="nhsuk-footer__list">
                        <li class="nhsuk-footer__list-item">
                            <a class="nhsuk-footer__list-item-link" href=Route::Privacy.href()>"Privacy: your data stays on this device"</a>
                        </li>
                        <li class="nhsuk-footer__list-item">
                            <a class="nhsuk-footer__list-item-link" href="codebook.md">"Data codebook"</a>
                        </li>
                    </ul>
                    <p class="nhsuk-body-s">
                        "Based on the East of England Community Pharmacy Integration Leads evaluation (2024). Works offline once loaded."
                    </p>
                </div>
            </div>
        </footer>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"If you typed the web address, check it is correct."</p>
        <p><a href=Route::Home.href()>"Go to the home page"</a></p>
    }
}
