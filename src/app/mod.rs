//! The app shell: header, navigation, the page for the current route, footer, and the "new version"
//! banner, shared by every job's module. The page is chosen from the URL fragment (read and
//! followed by `crate::nav`, addresses in `crate::routes`) and drawn by the running module's
//! [`JobPages`]; the frame imports no page.

mod update;

use crate::nav::{focus_main, follow_location};
use crate::routes::{Job, Route};
use leptos::prelude::*;

/// The pages of one job's module: the view for each section of the app (see
/// [`Route::section`]) it owns, `None` for the others.
pub type JobPages = fn(Route) -> Option<AnyView>;

/// Start a job's module: called by `main` of `src/bin/<job>.rs`, once boot.js has loaded it.
pub fn start(job: Job, pages: JobPages) {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(move || view! { <App job=job pages=pages/> });
}

/// The app frame (skip link, update banner, header with the menu, footer) around the page for
/// the current route, drawn by `pages` of the running job's module.
#[component]
pub fn App(job: Job, pages: JobPages) -> impl IntoView {
    let location = follow_location(job);
    // The page drawn and named: moving between survey screens keeps the survey page.
    let section = Memo::new(move |_| location.with(|l| l.route.section()));
    Effect::new(move |_| document().set_title(&section.get().title()));

    view! {
        <a class="nhsuk-skip-link" href="#maincontent"
            on:click=move |e| { e.prevent_default(); focus_main(); }>
            "Skip to main content"
        </a>
        <update::UpdateBanner/>
        <Header section=section/>
        <div class="nhsuk-width-container">
            <main class="nhsuk-main-wrapper" id="maincontent">
                // boot.js started the module that owns the route, so `pages` has it; Page not
                // found is the answer for any address no module owns.
                {move || pages(section.get()).unwrap_or_else(|| view! { <NotFound/> }.into_any())}
            </main>
        </div>
        <Footer/>
    }
}

#[component]
fn Header(section: Memo<Route>) -> impl IntoView {
    view! {
        <header class="nhsuk-header" role="banner">
            <div class="nhsuk-header__container nhsuk-width-container">
                <a class="ilt-header__service-name" href=Route::Home.href()>"Integration Lead Toolkit"</a>
                <nav aria-label="Main">
                    <ul class="ilt-nav">
                        {Route::NAV.into_iter().map(|r| view! {
                            <li>
                                <a class="ilt-nav__link" href=r.href()
                                    aria-current=move || section.with(|s| *s == r).then_some("page")>
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
                            <a class="nhsuk-footer__list-item-link" href="codebook.md">"Survey data codebook"</a>
                        </li>
                        <li class="nhsuk-footer__list-item">
                            <a class="nhsuk-footer__list-item-link" href="activity-codebook.md">"Activity log codebook"</a>
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
