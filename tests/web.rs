//! Browser tests (wasm-bindgen-test in headless Chromium): the shell mounted in a real DOM.
//! Run by scripts/test.sh with `cargo test --target wasm32-unknown-unknown --test web`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn text_of(selector: &str) -> String {
    document().query_selector(selector).unwrap().map(|e| e.text_content().unwrap_or_default()).unwrap_or_default()
}

async fn settle() {
    // Leptos effects run asynchronously; let them and one animation frame pass.
    leptos::task::tick().await;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 30).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn shell_follows_the_fragment_and_ignores_in_page_anchors() {
    let window = web_sys::window().unwrap();
    window.location().set_hash("#/privacy").unwrap();
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    // The frame as the survey module starts it (src/bin/survey.rs).
    let _mounted = mount_to(host.clone().unchecked_into(), || {
        view! { <ilt::app::App job=ilt::routes::Job::Survey pages=ilt::survey::page::pages/> }
    });
    settle().await;
    assert!(text_of("main h1").starts_with("Privacy"), "got {:?}", text_of("main h1"));
    assert_eq!(document().title(), "Privacy – Integration Lead Toolkit");

    window.location().set_hash("#/survey").unwrap();
    settle().await;
    assert_eq!(text_of("nav a[aria-current=page]"), "Survey");

    // An in-page anchor is not a route: the page stays.
    let before = text_of("main h1");
    window.location().set_hash("#maincontent").unwrap();
    settle().await;
    assert_eq!(text_of("main h1"), before);

    window.location().set_hash("#/nowhere").unwrap();
    settle().await;
    assert_eq!(text_of("main h1"), "Page not found");
    window.location().set_hash("#/").unwrap();
    settle().await;
    assert_eq!(text_of("main h1"), "Integration Lead Toolkit");
}

#[wasm_bindgen_test]
fn storage_round_trips_and_lists_keys_by_prefix() {
    use ilt::storage;
    storage::set("ilt-test:a", "1").unwrap();
    storage::set("ilt-test:b", "two").unwrap();
    storage::set("other:c", "3").unwrap();
    assert_eq!(storage::get("ilt-test:b").unwrap().as_deref(), Some("two"));
    let mut keys = storage::keys_with_prefix("ilt-test:").unwrap();
    keys.sort();
    assert_eq!(keys, vec!["ilt-test:a", "ilt-test:b"]);
    assert!(storage::used_units().unwrap() >= "ilt-test:a1ilt-test:btwo".len());
    for k in ["ilt-test:a", "ilt-test:b", "other:c"] {
        storage::remove(k).unwrap();
    }
    assert_eq!(storage::get("ilt-test:a").unwrap(), None);
    // A value that is not JSON is reported, not read as missing.
    storage::set("ilt-test:bad", "{not json").unwrap();
    assert!(storage::get_json::<Vec<u8>>("ilt-test:bad").unwrap_err().contains("could not be read"));
    storage::remove("ilt-test:bad").unwrap();
}

#[wasm_bindgen_test]
fn a_full_store_is_reported_as_full_and_keeps_what_was_saved() {
    use ilt::storage::{self, StorageError};
    storage::set("ilt-test:keep", "precious").unwrap();
    let chunk = "x".repeat(512 * 1024);
    let mut written = Vec::new();
    let mut outcome = Ok(());
    for i in 0..64 {
        let key = format!("ilt-test:fill{i}");
        outcome = storage::set(&key, &chunk);
        if outcome.is_err() {
            break;
        }
        written.push(key);
    }
    assert_eq!(outcome, Err(StorageError::Full), "filling the store must end in a Full error");
    assert!(StorageError::Full.message().contains("download"));
    assert_eq!(storage::get("ilt-test:keep").unwrap().as_deref(), Some("precious"));
    for k in written {
        storage::remove(&k).unwrap();
    }
    storage::remove("ilt-test:keep").unwrap();
}

#[wasm_bindgen_test]
fn local_and_tab_storage_work_through_the_core_store_interface() {
    use ilt::storage::{LocalStore, Store, TabStore};
    let stores: [&mut dyn Store; 2] = [&mut LocalStore, &mut TabStore];
    for store in stores {
        store.set("ilt-test:s", "1").unwrap();
        assert_eq!(store.get("ilt-test:s").unwrap().as_deref(), Some("1"));
        assert_eq!(store.keys_with_prefix("ilt-test:s").unwrap(), vec!["ilt-test:s".to_string()]);
        store.remove("ilt-test:s").unwrap();
        assert_eq!(store.get("ilt-test:s").unwrap(), None);
    }
    // The tab's store is not the device's.
    TabStore.set("ilt-test:t", "tab").unwrap();
    assert_eq!(LocalStore.get("ilt-test:t").unwrap(), None);
    TabStore.remove("ilt-test:t").unwrap();
}
