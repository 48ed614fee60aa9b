//! Survey page (under construction in this change).

use leptos::prelude::*;

#[component]
pub fn SurveyPage() -> impl IntoView {
    view! {
        <h1>"Survey"</h1>
        <p>"This part of the toolkit is being built."</p>
    }
}
