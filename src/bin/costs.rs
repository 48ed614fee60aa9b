//! The cost calculator module (`#/costs`): what a finance lead downloads. See ARCHITECTURE.md,
//! "One module per job".

#[cfg(target_arch = "wasm32")]
fn main() {
    use leptos::prelude::*;
    use ilt::routes::{Job, Route};
    fn pages(route: Route) -> Option<AnyView> {
        (route == Route::Costs).then(|| view! { <ilt::costing::page::CostsPage/> }.into_any())
    }
    ilt::app::start(Job::Costs, pages);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This is the cost calculator module of a browser app: build and serve it with `bash scripts/serve.sh` (see README.md).");
}
