//! evaluation feature.

#[cfg(target_arch = "wasm32")]
pub mod page;

pub mod stats;
