//! Lead activity log (issue 12): the core only, plain Rust tested on the host. Leads log what they
//! did, month by month, on their phone; the programme merges the returns and sees the evaluation's
//! Figures 3 to 6. The Lead's pages ([`page`], wasm only) render these types and call these functions.
//!
//! - [`definition`]: the activity definition as versioned data with stable codes (types, modes,
//!   purposes, stakeholders, ICBs); the built-in default follows the evaluation.
//! - [`record`]: one activity, one monthly return: compact JSON, schema versions, checks with a
//!   message per field; months and Lead ids.
//! - [`log`]: the Lead's log in one tab over [`crate::store::Store`]: the only writer of activity
//!   and return records (add, edit, delete in an open month, submit a month, month view, failing
//!   storage, other tabs, unreadable records).
//! - [`form`]: what the Lead's pages read from their forms (the activity form, "Your details",
//!   hours claimed) and which months a month overview links to.
//! - [`exchange`]: the activity file (a month's return, the whole log), its all-or-nothing import
//!   and merging by id.
//! - [`programme`]: the merged set of many Leads and its summaries (return grid, Figures 3-6,
//!   people reached, hours logged against claimed), with filters.
//! - [`report`]: what the programme view shows as text: its tables' rows, its charts' summary
//!   sentences, its filters' choices.
//! - `programme_page` (wasm only): the programme view's page, the `programme` module.
//! - [`demo`]: the synthetic demo set (31 Leads, 12 months, 2,562 activities).
//! - [`csv`]: the tidy CSV, full and anonymised, and its reader.
//! - [`codebook`]: `public/activity-codebook.md`, generated from the definition.
//!
//! Nothing here reads a clock or draws random numbers: the shell passes the time and new ids in.

pub mod codebook;
pub mod csv;
pub mod definition;
pub mod demo;
pub mod exchange;
pub mod form;
pub mod log;
pub mod programme;
pub mod record;
pub mod report;

// The pages (wasm only): the Lead's log, shipped in its own module (src/bin/log.rs), and the
// programme manager's view (src/bin/programme.rs).
#[cfg(target_arch = "wasm32")]
pub mod log_page;
#[cfg(target_arch = "wasm32")]
pub mod programme_page;
