//! The one module that touches browser storage. Everything else calls these functions (or the
//! core's [`Store`] interface, implemented here) and gets plain Rust results with plain-English
//! errors; no other module imports `gloo_storage` or the `Storage` API. Keys and their formats are
//! listed in [`crate::keys`].
//!
//! - Local storage ([`LocalStore`], and the functions `get`, `set`, `remove`, `keys_with_prefix`
//!   used by the calculator and evaluator pages) keeps data across reloads, closed tabs and
//!   restarts. Callers keep one key per record, so two tabs never overwrite each other by
//!   rewriting a shared value.
//! - Session storage ([`TabStore`]) is per tab: it remembers which draft this tab is working on.
//! - A full store is reported as [`StorageError::Full`], so callers can keep the data in memory
//!   and offer it as a file instead.
//! - Another tab's changes reach a page through [`on_change_elsewhere`].

pub use crate::store::{StorageError, Store};
use gloo_storage::{LocalStorage, SessionStorage, Storage};
use wasm_bindgen::{JsCast, JsValue};

pub use crate::store::QUOTA_UNITS;

fn classify(err: JsValue) -> StorageError {
    if let Some(dom) = err.dyn_ref::<web_sys::DomException>() {
        let name = dom.name();
        if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" || dom.code() == 22 {
            return StorageError::Full;
        }
        if name == "SecurityError" {
            return StorageError::Unavailable;
        }
        return StorageError::Failed(format!("{name}: {}", dom.message()));
    }
    StorageError::Failed(err.as_string().unwrap_or_else(|| format!("{err:?}")))
}

fn local() -> Result<web_sys::Storage, StorageError> {
    // gloo's raw() panics when storage is missing; ask the window first.
    let window = web_sys::window().ok_or(StorageError::Unavailable)?;
    match window.local_storage() {
        Ok(Some(_)) => Ok(LocalStorage::raw()),
        _ => Err(StorageError::Unavailable),
    }
}

fn session() -> Result<web_sys::Storage, StorageError> {
    let window = web_sys::window().ok_or(StorageError::Unavailable)?;
    match window.session_storage() {
        Ok(Some(_)) => Ok(SessionStorage::raw()),
        _ => Err(StorageError::Unavailable),
    }
}

/// Call `changed` with the key (`None`: storage was cleared) each time another tab changes local
/// storage, for as long as the calling component lives.
pub fn on_change_elsewhere(changed: impl Fn(Option<String>) + 'static) {
    use leptos::prelude::{on_cleanup, window_event_listener};
    let listener = window_event_listener(leptos::ev::storage, move |e| changed(e.key()));
    on_cleanup(move || listener.remove());
}

/// Read one value.
pub fn get(key: &str) -> Result<Option<String>, StorageError> {
    local()?.get_item(key).map_err(classify)
}

/// Write one value (replacing the same key only).
pub fn set(key: &str, value: &str) -> Result<(), StorageError> {
    local()?.set_item(key, value).map_err(classify)
}

/// Remove one value. Removing a missing key is not an error.
pub fn remove(key: &str) -> Result<(), StorageError> {
    local()?.remove_item(key).map_err(classify)
}

/// Every key that starts with `prefix`, in storage order.
pub fn keys_with_prefix(prefix: &str) -> Result<Vec<String>, StorageError> {
    with_prefix(&local()?, prefix)
}

fn with_prefix(storage: &web_sys::Storage, prefix: &str) -> Result<Vec<String>, StorageError> {
    let len = storage.length().map_err(classify)?;
    Ok((0..len).filter_map(|i| storage.key(i).ok().flatten()).filter(|k| k.starts_with(prefix)).collect())
}

/// Read a JSON value written by [`set_json`]; a value that cannot be read is an error, not `None`.
pub fn get_json<T: serde::de::DeserializeOwned>(key: &str) -> Result<Option<T>, String> {
    match get(key).map_err(|e| e.message())? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text).map(Some).map_err(|e| format!("the saved value for {key} could not be read ({e})")),
    }
}

/// Write a value as JSON.
pub fn set_json<T: serde::Serialize>(key: &str, value: &T) -> Result<(), StorageError> {
    let text = serde_json::to_string(value).map_err(|e| StorageError::Failed(e.to_string()))?;
    set(key, &text)
}

/// Roughly how much of the quota is used, in UTF-16 code units (keys + values).
pub fn used_units() -> Result<usize, StorageError> {
    let storage = local()?;
    let len = storage.length().map_err(classify)?;
    let mut used = 0usize;
    for i in 0..len {
        if let Ok(Some(key)) = storage.key(i) {
            let value = storage.get_item(&key).ok().flatten().unwrap_or_default();
            used += key.encode_utf16().count() + value.encode_utf16().count();
        }
    }
    Ok(used)
}

/// The browser's local storage as a core [`Store`].
#[derive(Clone, Copy, Default)]
pub struct LocalStore;

impl Store for LocalStore {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        get(key)
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        set(key, value)
    }
    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        remove(key)
    }
    fn keys_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        keys_with_prefix(prefix)
    }
}

/// This tab's session storage as a core [`Store`] (kept across reloads of the tab, gone when it
/// closes).
#[derive(Clone, Copy, Default)]
pub struct TabStore;

impl Store for TabStore {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        session()?.get_item(key).map_err(classify)
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        session()?.set_item(key, value).map_err(classify)
    }
    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        session()?.remove_item(key).map_err(classify)
    }
    fn keys_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        with_prefix(&session()?, prefix)
    }
}

/// Ask the browser not to evict this site's data under storage pressure. Resolves to whether
/// storage is (now) persistent; `None` where the browser has no such request.
pub async fn request_persistence() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    let already = wasm_bindgen_futures::JsFuture::from(storage.persisted().ok()?).await.ok()?;
    if already.as_bool() == Some(true) {
        return Some(true);
    }
    let granted = wasm_bindgen_futures::JsFuture::from(storage.persist().ok()?).await.ok()?;
    granted.as_bool()
}
