//! The programme view module (`#/programme`): what a programme manager downloads to merge the
//! Leads' activity returns. See ARCHITECTURE.md, "One module per job".

#[cfg(target_arch = "wasm32")]
fn main() {
    use leptos::prelude::*;
    use ilt::routes::{Job, Route};
    fn pages(route: Route) -> Option<AnyView> {
        (route == Route::Programme).then(|| view! { <ilt::activity::programme_page::ProgrammePage/> }.into_any())
    }
    ilt::app::start(Job::Programme, pages);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This is the programme view module of a browser app: build and serve it with `bash scripts/serve.sh` (see README.md).");
}
