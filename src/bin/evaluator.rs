//! The evaluator workspace module (`#/evaluator`): what the evaluation team downloads. See
//! ARCHITECTURE.md, "One module per job". The same module runs the page's Web Worker
//! (public/evaluator-worker.js calls [`evaluator_worker`]): import, analysis and export happen
//! there, off the page's thread, with no second download.

#[cfg(target_arch = "wasm32")]
fn main() {
    use leptos::prelude::*;
    use ilt::routes::{Job, Route};
    // Started as the page's worker: there is no page to draw; the worker calls `evaluator_worker`.
    if web_sys::window().is_none() {
        return;
    }
    fn pages(route: Route) -> Option<AnyView> {
        (route == Route::Evaluator).then(|| view! { <ilt::evaluation::page::EvaluatorPage/> }.into_any())
    }
    ilt::app::start(Job::Evaluator, pages);
}

/// The worker's entry point: answer the page's requests (see `ilt::evaluation::page::worker`).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn evaluator_worker() {
    ilt::evaluation::page::worker::serve();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This is the evaluator workspace module of a browser app: build and serve it with `bash scripts/serve.sh` (see README.md).");
}
