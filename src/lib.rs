//! Integration Lead Toolkit.
//!
//! Functional core, thin shell. The feature folders (`survey`, `costing`, `evaluation`) hold plain
//! Rust domain logic that compiles and is tested on the host; each has a `page` module (wasm only)
//! that renders it with Leptos. Stored data goes through the core's [`store::Store`] interface,
//! under the keys listed in [`keys`]. Shared shell parts (`app`, `nav`, `pages`, `storage`, `ui`,
//! and the drawing in `charts`) exist only in the wasm build. See ARCHITECTURE.md.

pub mod activity;
pub mod charts;
pub mod codes;
pub mod costing;
pub mod csv_safe;
pub mod draw;
pub mod evaluation;
pub mod format;
pub mod keys;
pub mod routes;
pub mod store;
pub mod survey;
pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod nav;
#[cfg(target_arch = "wasm32")]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod storage;
#[cfg(target_arch = "wasm32")]
pub mod ui;
