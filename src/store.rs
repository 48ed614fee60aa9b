//! The storage interface of the core: a small key-value [`Store`] with typed errors, and
//! [`MemoryStore`], an in-memory store for host tests that can be made full or unavailable.
//!
//! The core's rules about stored data (the survey session, the device store) are written against
//! [`Store`], so host tests run them over a [`MemoryStore`]. The browser implementations (local
//! storage, and session storage for what is per tab) live in the shell's `storage` module. Every
//! key and the format of its value are listed in [`crate::keys`].

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Why a store could not be read or written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageError {
    /// Storage is switched off or blocked (private mode in some browsers, or a policy).
    Unavailable,
    /// The browser refused to store more: the site's quota is used up.
    Full,
    /// Anything else the browser reported.
    Failed(String),
}

impl StorageError {
    /// What to tell the person, in plain English.
    pub fn message(&self) -> String {
        match self {
            StorageError::Unavailable => "This browser is not letting the toolkit save anything on this device (storage is switched off or blocked). Your answers are kept while this page stays open: download them as a file before you close it.".into(),
            StorageError::Full => "This device's storage for the toolkit is full, so the latest change could not be saved. Nothing already saved has been lost, and your latest answers are kept while this page stays open: download them as a file now.".into(),
            StorageError::Failed(detail) => format!("The browser could not save to this device ({detail}). Your latest answers are kept while this page stays open: download them as a file now."),
        }
    }
}

/// Chromium, Firefox and Safari allow about 5 MiB per site, counted in UTF-16 code units (key +
/// value). Used to say roughly how much room is left, and to skip a write that cannot fit.
pub const QUOTA_UNITS: usize = 5 * 1024 * 1024;

/// A key-value store of text: the browser's local storage (kept across reloads and restarts), its
/// session storage (one tab's), or [`MemoryStore`] in tests.
pub trait Store {
    /// Read one value (`None` when the key is not there).
    fn get(&self, key: &str) -> Result<Option<String>, StorageError>;
    /// Write one value, replacing only that key's.
    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError>;
    /// Remove one value. Removing a missing key is not an error.
    fn remove(&mut self, key: &str) -> Result<(), StorageError>;
    /// Every key that starts with `prefix`.
    fn keys_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StorageError>;
}

/// Move the unreadable `text` stored under `key` to `aside` (unless a different text is already
/// kept there), so nothing is saved over it: `true` once it is there and gone from `key`.
pub fn set_aside(store: &mut dyn Store, key: &str, aside: &str, text: &str) -> bool {
    let there = match store.get(aside) {
        Ok(None) => store.set(aside, text).is_ok(),
        Ok(Some(kept)) => kept == text,
        Err(_) => false,
    };
    there && store.remove(key).is_ok()
}

/// A fingerprint of a saved text, to tell whether a key still holds what a page read or wrote
/// (the merged sets two tabs share). FxHash: fast over a few megabytes; only a way to tell two
/// saves apart, not a defence against anyone.
pub fn fingerprint(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    text.hash(&mut h);
    h.finish()
}

/// Every `(key, value)` whose key starts with `prefix`: the one way to read a set of one-item
/// keys (survey records, saved definitions, saved scenarios).
pub fn read_prefix(store: &dyn Store, prefix: &str) -> Result<Vec<(String, String)>, StorageError> {
    let keys = store.keys_with_prefix(prefix)?;
    let mut out = Vec::with_capacity(keys.len());
    for key in keys {
        if let Some(value) = store.get(&key)? {
            out.push((key, value));
        }
    }
    Ok(out)
}

/// A change to a [`MemoryStore`], as another tab's `storage` event would report it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Which handle made it (see [`MemoryStore::another_tab`]).
    pub by: usize,
    /// The key changed.
    pub key: String,
    /// Its new value (`None`: removed).
    pub value: Option<String>,
}

#[derive(Default)]
struct Memory {
    items: BTreeMap<String, String>,
    /// Refuse a write that would take keys + values over this many UTF-16 units, like a browser's
    /// quota.
    quota: Option<usize>,
    /// Refuse every write as [`StorageError::Full`].
    full: bool,
    /// Refuse everything as [`StorageError::Unavailable`].
    unavailable: bool,
    changes: Vec<Change>,
    handles: usize,
}

/// An in-memory [`Store`] for host tests. Clones share the same data; [`MemoryStore::another_tab`]
/// gives a handle that also shares it but is recorded as another writer, so a test can deliver
/// each tab the `storage` events of the other's changes ([`MemoryStore::changes`]).
#[derive(Clone, Default)]
pub struct MemoryStore {
    shared: Rc<RefCell<Memory>>,
    handle: usize,
}

fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

impl MemoryStore {
    /// An empty store with room for anything.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// A handle on the same data for another tab: its changes are recorded under another writer.
    pub fn another_tab(&self) -> MemoryStore {
        let mut m = self.shared.borrow_mut();
        m.handles += 1;
        MemoryStore { shared: Rc::clone(&self.shared), handle: m.handles }
    }

    /// This handle's writer number (the `by` of its [`Change`]s).
    pub fn handle(&self) -> usize {
        self.handle
    }

    /// Refuse writes that would take the stored keys and values over `units` UTF-16 code units
    /// (`None`: no limit).
    pub fn set_quota(&self, units: Option<usize>) {
        self.shared.borrow_mut().quota = units;
    }

    /// Refuse every write as full (`true`), or accept them again.
    pub fn set_full(&self, full: bool) {
        self.shared.borrow_mut().full = full;
    }

    /// Refuse everything as unavailable (`true`), or work again.
    pub fn set_unavailable(&self, unavailable: bool) {
        self.shared.borrow_mut().unavailable = unavailable;
    }

    /// UTF-16 units of every key and value stored.
    pub fn used_units(&self) -> usize {
        self.shared.borrow().items.iter().map(|(k, v)| units(k) + units(v)).sum()
    }

    /// Every change made so far, oldest first (a write of the value already there is not one).
    pub fn changes(&self) -> Vec<Change> {
        self.shared.borrow().changes.clone()
    }

    /// Every key and value, in key order.
    pub fn items(&self) -> Vec<(String, String)> {
        self.shared.borrow().items.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    fn usable(&self) -> Result<std::cell::RefMut<'_, Memory>, StorageError> {
        let m = self.shared.borrow_mut();
        if m.unavailable {
            return Err(StorageError::Unavailable);
        }
        Ok(m)
    }
}

impl Store for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        Ok(self.usable()?.items.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        let mut m = self.usable()?;
        if m.full {
            return Err(StorageError::Full);
        }
        let old = m.items.get(key).map_or(0, |v| units(key) + units(v));
        let used: usize = m.items.iter().map(|(k, v)| units(k) + units(v)).sum();
        if m.quota.is_some_and(|q| used - old + units(key) + units(value) > q) {
            return Err(StorageError::Full);
        }
        if m.items.get(key).map(String::as_str) != Some(value) {
            m.items.insert(key.to_owned(), value.to_owned());
            let by = self.handle;
            m.changes.push(Change { by, key: key.to_owned(), value: Some(value.to_owned()) });
        }
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        let mut m = self.usable()?;
        if m.items.remove(key).is_some() {
            let by = self.handle;
            m.changes.push(Change { by, key: key.to_owned(), value: None });
        }
        Ok(())
    }

    fn keys_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        Ok(self.usable()?.items.keys().filter(|k| k.starts_with(prefix)).cloned().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_writes_removes_and_lists_by_prefix() {
        let mut s = MemoryStore::new();
        s.set("ilt:r:b", "2").unwrap();
        s.set("ilt:r:a", "1").unwrap();
        s.set("ilt:kiosk", "1").unwrap();
        assert_eq!(s.get("ilt:r:a").unwrap().as_deref(), Some("1"));
        assert_eq!(s.keys_with_prefix("ilt:r:").unwrap(), ["ilt:r:a", "ilt:r:b"]);
        s.remove("ilt:r:a").unwrap();
        s.remove("ilt:r:missing").unwrap();
        assert_eq!(s.get("ilt:r:a").unwrap(), None);
        assert_eq!(s.used_units(), "ilt:r:b2ilt:kiosk1".len());
    }

    #[test]
    fn a_quota_refuses_what_does_not_fit_and_keeps_what_was_there() {
        let mut s = MemoryStore::new();
        s.set_quota(Some(10));
        s.set("k", "123456789").unwrap();
        assert_eq!(s.set("k2", "x"), Err(StorageError::Full));
        // Replacing a value counts only the difference.
        s.set("k", "12345678").unwrap();
        assert_eq!(s.set("k", "1234567890"), Err(StorageError::Full));
        assert_eq!(s.get("k").unwrap().as_deref(), Some("12345678"));
        s.set_quota(None);
        s.set("k2", "x").unwrap();
    }

    #[test]
    fn full_and_unavailable_stores_refuse_with_their_error() {
        let mut s = MemoryStore::new();
        s.set("k", "v").unwrap();
        s.set_full(true);
        assert_eq!(s.set("k", "w"), Err(StorageError::Full));
        assert_eq!(s.get("k").unwrap().as_deref(), Some("v"), "a full store still reads");
        s.remove("k").unwrap();
        s.set_full(false);
        s.set_unavailable(true);
        assert_eq!(s.get("k"), Err(StorageError::Unavailable));
        assert_eq!(s.set("k", "v"), Err(StorageError::Unavailable));
        assert_eq!(s.keys_with_prefix(""), Err(StorageError::Unavailable));
        for e in [StorageError::Full, StorageError::Unavailable, StorageError::Failed("x".into())] {
            assert!(e.message().contains("download"), "{e:?}");
        }
    }

    #[test]
    fn tabs_share_the_data_and_their_changes_name_the_writer() {
        let mut a = MemoryStore::new();
        let mut b = a.another_tab();
        a.set("k", "1").unwrap();
        b.set("k", "1").unwrap(); // the same value: no change, no event
        b.set("k", "2").unwrap();
        b.remove("k").unwrap();
        let by: Vec<(usize, Option<String>)> = a.changes().into_iter().map(|c| (c.by, c.value)).collect();
        assert_eq!(by, [(a.handle(), Some("1".into())), (b.handle(), Some("2".into())), (b.handle(), None)]);
        assert_ne!(a.handle(), b.handle());
    }
}
