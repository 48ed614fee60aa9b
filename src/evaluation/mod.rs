//! Evaluation feature: the evaluator workspace.
//!
//! - [`stats`]: summaries, intervals and tests (checked against SciPy).
//! - [`demo`]: the deterministic synthetic demo data set and bulk synthetic data.
//! - [`anonymise`]: the anonymised export with k-anonymity, its codebook and report.
//! - [`results`]: per-question results by group, the report's figures, the results table.
//!
//! Import and merge of device files live in [`crate::survey::export`].

// Built only with the `evaluator-page` feature, like the cost calculator page: together with the
// survey it is over the 300 KB gzipped budget (ARCHITECTURE.md, "Size budget").
#[cfg(all(target_arch = "wasm32", feature = "evaluator-page"))]
pub mod page;

pub mod anonymise;
pub mod demo;
pub mod results;
pub mod stats;
