//! The evaluator workspace module (`#/evaluator`): what the evaluation team downloads. See
//! ARCHITECTURE.md, "One module per job".

#[cfg(target_arch = "wasm32")]
fn main() {
    use leptos::prelude::*;
    use ilt::routes::{Job, Route};
    fn pages(route: Route) -> Option<AnyView> {
        (route == Route::Evaluator).then(|| view! { <ilt::evaluation::page::EvaluatorPage/> }.into_any())
    }
    ilt::app::start(Job::Evaluator, pages);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This is the evaluator workspace module of a browser app: build and serve it with `bash scripts/serve.sh` (see README.md).");
}
