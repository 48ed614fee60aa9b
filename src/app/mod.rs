//! The app shell: header, navigation, the page for the current route, footer, and the "new version"
//! banner. Pages are chosen from the URL fragment (see `crate::routes`).

mod home;
mod privacy;
mod update;

use crate::routes::{parse_fragment, Location, Route};
use leptos::ev;
use leptos::prelude::*;

/// The current location, provided to every page (pages read their query from it).
pub type CurrentLocation = ReadSignal<Location>;

fn current_fragment() -> String {
    window().location().hash().unwrap_or_default()
}

thread_local! {
    /// The setter of the app's location, so [`navigate`] can change the page at once.
    static SET_LOCATION: std::cell::Cell<Option<WriteSignal<Location>>> = const { std::cell::Cell::new(None) };
}

/// Go to `fragment` (`#/survey?view=done`): a new history entry, and the page changes in the same
/// update as whatever state the caller changed just before. (The `hashchange` event comes a task
/// later, so waiting for it would first show the old page with the new state for a moment: a
/// submitted survey's check page, emptied.) The hashchange handler then finds nothing to do.
pub fn navigate(fragment: &str) {
    let _ = window().location().set_hash(fragment);
    if let (Some(set), Some(next)) = (SET_LOCATION.with(|s| s.get()), parse_fragment(fragment)) {
        set.set(next);
    }
}

/// Move keyboard and screen-reader focus to the main content (after a page change, and for the
/// skip link, whose `#maincontent` target must not replace the route in the fragment).
pub fn focus_main() {
    request_animation_frame(|| {
        if let Some(main) = document().get_element_by_id("maincontent") {
            use wasm_bindgen::JsCast;
            if let Ok(el) = main.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
}

#[component]
pub fn App() -> impl IntoView {
    let start = parse_fragment(&current_fragment())
        .unwrap_or(Location { route: Route::Home, query: String::new() });
    let (location, set_location) = signal(start);
    provide_context::<CurrentLocation>(location);
    SET_LOCATION.with(|s| s.set(Some(set_location)));
    let route = Memo::new(move |_| location.with(|l| l.route));

    let listener = window_event_listener(ev::hashchange, move |_| {
        if let Some(next) = parse_fragment(&current_fragment()) {
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
            <main class="nhsuk-main-wrapper" id="maincontent" tabindex="-1">
                {move || match route.get() {
                    Route::Home => view! { <home::HomePage/> }.into_any(),
                    Route::Survey => view! { <crate::survey::page::SurveyPage/> }.into_any(),
                    #[cfg(feature = "costing-page")]
                    Route::Costs => view! { <crate::costing::page::CostsPage/> }.into_any(),
                    #[cfg(not(feature = "costing-page"))]
                    Route::Costs => view! { <NotInThisBuild title="Cost calculator"
                        detail="The evaluation's published figures for Hertfordshire and West Essex: 31 Leads cost £238,000 in the first year (training £44,000, Leads' fees £161,000, project management £33,000), about £7,677 per Lead. In later years the cost may fall to the Leads' fees, about £7,000 per Lead."/> }.into_any(),
                    #[cfg(feature = "evaluator-page")]
                    Route::Evaluator => view! { <crate::evaluation::page::EvaluatorPage/> }.into_any(),
                    #[cfg(not(feature = "evaluator-page"))]
                    Route::Evaluator => view! { <NotInThisBuild title="Evaluator workspace"
                        detail="Survey answers collected with this toolkit can be exported from each device (Survey, then Manage responses on this device) and kept for the evaluation team until the workspace is available."/> }.into_any(),
                    Route::Privacy => view! { <privacy::PrivacyPage/> }.into_any(),
                    Route::NotFound => view! { <NotFound/> }.into_any(),
                }}
            </main>
        </div>
        <Footer/>
    }
}

/// Whether this build has the page: the cost calculator and the evaluator need their cargo
/// features (see ARCHITECTURE.md, "Size budget").
fn in_this_build(route: Route) -> bool {
    match route {
        Route::Costs => cfg!(feature = "costing-page"),
        Route::Evaluator => cfg!(feature = "evaluator-page"),
        _ => true,
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
                        // Only pages in this build: on a phone the survey's header stays one line.
                        // The home page's cards still say what the other pages are for.
                        {Route::NAV.into_iter().filter(|r| in_this_build(*r)).map(|r| view! {
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

/// A page whose interactive part is left out of this build to keep the app within its size
/// budget (it is built and tested separately; see ARCHITECTURE.md, "Size budget").
#[cfg(not(all(feature = "costing-page", feature = "evaluator-page")))]
#[component]
fn NotInThisBuild(title: &'static str, detail: &'static str) -> impl IntoView {
    view! {
        <h1>{title}</h1>
        <div class="nhsuk-warning-callout">
            <h2 class="nhsuk-warning-callout__label">
                <span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Not in this version"</span>
            </h2>
            <p>"The interactive " {crate::text::lower_first(title)} " is not included in this version of the toolkit, so that the app stays small enough to load quickly on a phone with poor signal."</p>
        </div>
        <p>{detail}</p>
        <p><a href=Route::Home.href()>"Go to the home page"</a></p>
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
