//! NHS.UK callouts: the warning callout and inset text. Each is one component, so its markup is
//! compiled once however many pages use it.

use leptos::prelude::*;

/// NHS.UK warning callout: a heading (read as "Important: …" by a screen reader), then
/// `children`. `level` is the heading's level, 2 (the default) to 5, so the page's outline
/// stays right under a lower heading; `role` is `alert` for a problem that appears while the
/// person works.
#[component]
pub fn WarningCallout(
    #[prop(into)] heading: String,
    #[prop(default = 2)] level: u8,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(optional)] role: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let label = view! { <span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>{heading}</span> };
    let label = match level {
        3 => view! { <h3 class="nhsuk-warning-callout__label">{label}</h3> }.into_any(),
        4 => view! { <h4 class="nhsuk-warning-callout__label">{label}</h4> }.into_any(),
        5 => view! { <h5 class="nhsuk-warning-callout__label">{label}</h5> }.into_any(),
        _ => view! { <h2 class="nhsuk-warning-callout__label">{label}</h2> }.into_any(),
    };
    view! {
        <div class="nhsuk-warning-callout" id=id role=role>
            {label}
            {children()}
        </div>
    }
}

/// NHS.UK inset text: `children` (read after "Information: " by a screen reader), set apart
/// from the text around it. `role` is `status` for a message that appears after an action.
#[component]
pub fn InsetText(
    #[prop(optional)] id: Option<&'static str>,
    #[prop(optional)] role: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="nhsuk-inset-text" id=id role=role>
            <span class="nhsuk-u-visually-hidden">"Information: "</span>
            {children()}
        </div>
    }
}
