//! Evaluator workspace page (under construction in this change).

use leptos::prelude::*;

#[component]
pub fn EvaluatorPage() -> impl IntoView {
    view! {
        <h1>"Evaluator workspace"</h1>
        <p>"This part of the toolkit is being built."</p>
    }
}
