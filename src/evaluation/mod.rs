//! Evaluation feature: the evaluator workspace.
//!
//! - [`stats`]: summaries, intervals and tests (checked against SciPy).
//! - [`demo`]: the deterministic synthetic demo data set and bulk synthetic data.
//! - [`anonymise`]: the anonymised export with k-anonymity, its codebook and report.
//! - [`results`]: per-question results by group, the report's figures, the results table.
//! - [`lead_table`]: Table 5, awareness of, contact with and potential value of the Lead.
//! - [`within_icb`]: the with/without-Lead comparison within each ICB that has both kinds of area.
//! - [`workspace`]: the merged set, the definitions it answers and which one results are about.
//! - [`engine`]: the workspace's work as messages, run by the page in a Web Worker.
//!
//! Import and merge of device files live in [`crate::survey::export`].

// The page (wasm only), shipped in its own module (src/bin/evaluator.rs).
#[cfg(target_arch = "wasm32")]
pub mod page;

pub mod anonymise;
pub mod demo;
pub mod engine;
pub mod lead_table;
pub mod results;
pub mod stats;
pub mod within_icb;
pub mod workspace;
