//! The page's side of the evaluator's worker ([`super::worker`]): starts it, sends it requests in
//! order and hands every reply to the page.
//!
//! The worker runs the evaluator module itself (no second download): `public/evaluator-worker.js`
//! is told the module's file names, which post-build wrote on the boot script tag (with the
//! worker script's, `data-evaluator-worker`: it is the evaluator module's file, kept offline
//! with it). Requests sent
//! before the worker is ready wait in a queue. A browser that cannot start a module worker (or a
//! worker that fails to load) gets the same [`Engine`] on the page's thread: slower to respond,
//! same results.

use super::worker::{with_blob, FAILED, READY};
use crate::evaluation::engine::{decode, encode, Engine, Reply, Request};
use crate::ui::{now_ms, read_texts, unix_ms};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What the page does with each reply (and an export's file).
pub(super) type OnReply = Rc<dyn Fn(Reply, Option<web_sys::Blob>)>;
/// What the page does when the worker stopped in the middle of its work (out of memory, say):
/// the merged set it held is gone, and no reply will come.
pub(super) type OnFailure = Rc<dyn Fn()>;

enum Backend {
    /// Loading: requests wait, in order, until it says it is ready.
    Starting(web_sys::Worker, Vec<js_sys::Array>),
    Ready(web_sys::Worker),
    /// No worker: the engine runs on the page's thread.
    Local(Rc<RefCell<Engine>>),
}

/// The worker's message and error handlers.
type Handlers = (Closure<dyn FnMut(web_sys::MessageEvent)>, Closure<dyn FnMut(web_sys::Event)>);

struct Client {
    backend: Backend,
    on_reply: OnReply,
    on_failure: OnFailure,
    /// Dropped with the client.
    _handlers: Option<Handlers>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
}

/// Start the worker (or the engine on this thread); every reply goes to `on_reply`.
pub(super) fn start(on_reply: OnReply, on_failure: OnFailure) {
    stop();
    let (backend, handlers) = match spawn() {
        Some(worker) => {
            let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|ev: web_sys::MessageEvent| receive(ev.data().unchecked_into()));
            // A worker that cannot load (an old browser, a file missing offline) fails before it is
            // ready: run locally instead, queue and all. One that fails later has lost its set.
            let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(|_: web_sys::Event| failed());
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            (Backend::Starting(worker, Vec::new()), Some((on_message, on_error)))
        }
        None => (Backend::Local(Rc::default()), None),
    };
    CLIENT.with_borrow_mut(|c| *c = Some(Client { backend, on_reply, on_failure, _handlers: handlers }));
}

/// Stop the worker: no reply reaches the page after this.
pub(super) fn stop() {
    if let Some(client) = CLIENT.with_borrow_mut(Option::take) {
        if let Backend::Starting(w, _) | Backend::Ready(w) = &client.backend {
            w.terminate();
        }
    }
}

/// Send a request (with the files of [`Request::Import`]).
pub(super) fn send(request: Request, files: Vec<web_sys::File>) {
    let message = js_sys::Array::of1(&js_sys::Uint8Array::from(encode(&request).as_slice()));
    for f in &files {
        message.push(f);
    }
    let local = CLIENT.with_borrow_mut(|c| {
        let c = c.as_mut()?;
        match &mut c.backend {
            Backend::Starting(_, queue) => queue.push(message),
            Backend::Ready(w) => {
                let _ = w.post_message(&message);
            }
            Backend::Local(engine) => return Some((engine.clone(), c.on_reply.clone())),
        }
        None
    });
    if let Some((engine, on_reply)) = local {
        run_locally(engine, on_reply, request, files);
    }
}

/// The worker, loading the evaluator module; `None` when the page cannot start one.
fn spawn() -> Option<web_sys::Worker> {
    let document = web_sys::window()?.document()?;
    let tag = document.query_selector("script[data-evaluator-js]").ok()??;
    let base = document.base_uri().ok()??;
    let url = |path: &str| web_sys::Url::new_with_base(path, &base).ok().map(|u| u.href());
    let js = url(&tag.get_attribute("data-evaluator-js")?)?;
    let wasm = url(&tag.get_attribute("data-evaluator-wasm")?)?;
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let worker = web_sys::Worker::new_with_options(&url(&tag.get_attribute("data-evaluator-worker")?)?, &options).ok()?;
    let files = js_sys::Object::new();
    js_sys::Reflect::set(&files, &"js".into(), &js.into()).ok()?;
    js_sys::Reflect::set(&files, &"wasm".into(), &wasm.into()).ok()?;
    worker.post_message(&files).ok()?;
    Some(worker)
}

/// A message from the worker: ready (send what waited), or a reply.
fn receive(data: js_sys::Array) {
    let first = data.get(0);
    if first.as_string().as_deref() == Some(FAILED) {
        fall_back();
        return;
    }
    if first.as_string().as_deref() == Some(READY) {
        CLIENT.with_borrow_mut(|c| {
            let Some(c) = c.as_mut() else { return };
            if let Backend::Starting(worker, queue) = &mut c.backend {
                for message in queue.drain(..) {
                    let _ = worker.post_message(&message);
                }
                c.backend = Backend::Ready(worker.clone());
            }
        });
        return;
    }
    let Some(reply) = decode::<Reply>(&js_sys::Uint8Array::new(&first).to_vec()) else { return };
    let blob = data.get(1).dyn_into::<web_sys::Blob>().ok();
    if let Some(on_reply) = CLIENT.with_borrow(|c| c.as_ref().map(|c| c.on_reply.clone())) {
        on_reply(reply, blob);
    }
}

/// The worker failed: before it was ready, fall back; after, tell the page (and stop it).
fn failed() {
    let after_ready = CLIENT.with_borrow(|c| match c.as_ref().map(|c| &c.backend) {
        Some(Backend::Ready(w)) => {
            w.terminate();
            c.as_ref().map(|c| c.on_failure.clone())
        }
        _ => None,
    });
    match after_ready {
        Some(on_failure) => on_failure(),
        None => fall_back(),
    }
}

/// The worker failed before it was ready: answer what waited, and everything after, here.
fn fall_back() {
    let waiting = CLIENT.with_borrow_mut(|c| {
        let c = c.as_mut()?;
        let Backend::Starting(worker, queue) = &mut c.backend else { return None };
        worker.terminate();
        let queue = std::mem::take(queue);
        let engine = Rc::<RefCell<Engine>>::default();
        c.backend = Backend::Local(engine.clone());
        Some((queue, engine, c.on_reply.clone()))
    });
    let Some((queue, engine, on_reply)) = waiting else { return };
    web_sys::console::warn_1(&"The evaluator's worker could not start: the work runs on the page instead.".into());
    for message in queue {
        let Some(request) = decode::<Request>(&js_sys::Uint8Array::new(&message.get(0)).to_vec()) else { continue };
        let files = (1..message.length()).filter_map(|i| message.get(i).dyn_into::<web_sys::File>().ok()).collect();
        run_locally(engine.clone(), on_reply.clone(), request, files);
    }
}

/// Answer a request on this thread (files read first, so an import answers a little later).
fn run_locally(engine: Rc<RefCell<Engine>>, on_reply: OnReply, request: Request, files: Vec<web_sys::File>) {
    let run = move |texts: Vec<(String, Option<String>)>| {
        let mut replies = Vec::new();
        engine.borrow_mut().handle(request, texts, &now_ms, unix_ms(), &mut |r| replies.push(r));
        for reply in replies {
            let (reply, blob) = with_blob(reply);
            on_reply(reply, blob);
        }
    };
    if files.is_empty() {
        run(Vec::new());
    } else {
        leptos::task::spawn_local(async move { run(read_texts(files).await) });
    }
}
