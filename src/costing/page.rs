//! Cost calculator page (under construction in this change).

use leptos::prelude::*;

#[component]
pub fn CostsPage() -> impl IntoView {
    view! {
        <h1>"Cost calculator"</h1>
        <p>"This part of the toolkit is being built."</p>
    }
}
