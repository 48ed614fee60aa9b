//! The evaluator's Web Worker side: runs the [`Engine`] off the page's thread. `public/
//! evaluator-worker.js` loads the evaluator module into the worker and calls [`serve`] (exported
//! by src/bin/evaluator.rs); the page's side is [`super::client`].
//!
//! Wire format, both ways: a JS array whose first item is a [`Request`] or [`Reply`] as bytes
//! ([`encode`]). A
//! request to import carries the chosen `File`s after it (a `File` crosses to a worker without
//! being copied; the worker reads it here, with `FileReaderSync`). An export's file goes back as
//! a `Blob` after the reply (its text emptied), so the page never copies or parses it: it only
//! offers the blob as a download. The first message from the worker is `["ready"]`.

use crate::evaluation::engine::{decode, encode, Engine, Reply, Request};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The worker's first message, once it can take requests.
pub(super) const READY: &str = "ready";
/// The worker's first message when the module could not be loaded (public/evaluator-worker.js).
pub(super) const FAILED: &str = "failed";

/// Answer the page's requests from now on, and tell it so.
pub fn serve() {
    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let engine = RefCell::new(Engine::new());
    let post_to = scope.clone();
    let clock_of = scope.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        let data: js_sys::Array = ev.data().unchecked_into();
        let Some(request) = decode::<Request>(&js_sys::Uint8Array::new(&data.get(0)).to_vec()) else {
            return;
        };
        let files = (1..data.length()).map(|i| read_file(&data.get(i).unchecked_into())).collect();
        let clock = || clock_of.performance().map_or(0.0, |p| p.now());
        engine.borrow_mut().handle(request, files, &clock, js_sys::Date::now() as u64, &mut |reply| post(&post_to, reply));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&js_sys::Array::of1(&JsValue::from_str(READY)));
}

/// A chosen file's name and text (`None`: it could not be read).
fn read_file(file: &web_sys::File) -> (String, Option<String>) {
    let text = web_sys::FileReaderSync::new()
        .and_then(|r| r.read_as_array_buffer(file))
        .ok()
        .map(|buffer| crate::text::file_text(js_sys::Uint8Array::new(&buffer).to_vec()));
    (file.name(), text)
}

/// Post one reply to the page; an export's text as a blob beside it.
fn post(scope: &web_sys::DedicatedWorkerGlobalScope, reply: Reply) {
    let (reply, blob) = with_blob(reply);
    let message = js_sys::Array::of1(&js_sys::Uint8Array::from(encode(&reply).as_slice()));
    if let Some(blob) = blob {
        message.push(&blob);
    }
    let _ = scope.post_message(&message);
}

/// An export's text moved into a blob (the page never needs the text itself: it only offers the
/// blob as a download); any other reply as it is.
pub(super) fn with_blob(mut reply: Reply) -> (Reply, Option<web_sys::Blob>) {
    let blob = match &mut reply {
        Reply::Exported { codebook, text, .. } => {
            let mime = if *codebook { "text/markdown;charset=utf-8" } else { "text/csv;charset=utf-8" };
            let blob = crate::ui::blob_of(mime, text.as_bytes()).ok();
            *text = String::new();
            blob
        }
        _ => None,
    };
    (reply, blob)
}
