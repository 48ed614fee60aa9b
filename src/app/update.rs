//! "A new version is available" banner. `public/boot.js` owns the service worker; it sets
//! `window.iltUpdate` and fires `ilt-update-available` when a new release is waiting. The new
//! release takes over only when the person presses the button (or on the next start).

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

fn update_object() -> Option<JsValue> {
    js_sys::Reflect::get(&window(), &JsValue::from_str("iltUpdate")).ok().filter(|v| v.is_object())
}

fn update_waiting() -> bool {
    update_object()
        .and_then(|u| js_sys::Reflect::get(&u, &JsValue::from_str("waiting")).ok())
        .is_some_and(|w| w.is_truthy())
}

fn apply_update() {
    if let Some(u) = update_object() {
        if let Ok(apply) = js_sys::Reflect::get(&u, &JsValue::from_str("apply")) {
            if let Some(apply) = apply.dyn_ref::<js_sys::Function>() {
                let _ = apply.call0(&u);
            }
        }
    }
}

#[component]
pub fn UpdateBanner() -> impl IntoView {
    let (available, set_available) = signal(update_waiting());
    let listener = window_event_listener_untyped("ilt-update-available", move |_| set_available.set(true));
    on_cleanup(move || listener.remove());
    let (applying, set_applying) = signal(false);

    view! {
        <Show when=move || available.get()>
            <div class="nhsuk-width-container">
                <div class="nhsuk-notification-banner ilt-update-banner" role="region"
                    aria-labelledby="update-banner-title" id="update-banner">
                    <div class="nhsuk-notification-banner__header">
                        <h2 class="nhsuk-notification-banner__title" id="update-banner-title">"Update"</h2>
                    </div>
                    <div class="nhsuk-notification-banner__content">
                        <p class="nhsuk-notification-banner__heading">"A new version of this toolkit is available."</p>
                        <p class="nhsuk-body">"Your saved answers and scenarios are kept. The new version starts now if you choose, or the next time you open the toolkit."</p>
                        <button class="nhsuk-button nhsuk-u-margin-bottom-0" type="button"
                            disabled=move || applying.get()
                            on:click=move |_| { set_applying.set(true); apply_update(); }>
                            "Use the new version"
                        </button>
                    </div>
                </div>
            </div>
        </Show>
    }
}
