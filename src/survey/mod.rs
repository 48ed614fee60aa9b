//! Survey feature: the pure domain core (questionnaires as data, the answering flow, survey links,
//! response records, the raw device export, merging, the codebook) and, in the wasm build only,
//! the page that renders it.
//!
//! - [`instrument`]: the versioned questionnaire definition, its checks, the built-in default.
//! - [`answer`]: one answer value and its compact JSON.
//! - [`flow`]: screens for a respondent, next/previous, validation with GOV.UK-style messages.
//! - [`link`]: survey links that preset (and lock) metadata answers.
//! - [`record`]: the stored response record, schema versions and migration.
//! - [`export`]: the lossless raw export file, its import, and merging by response id.
//! - [`codebook`]: `public/codebook.md`, generated from the definition.
//! - [`time`]: Unix milliseconds ⇄ ISO 8601.
//! - [`device`]: pure decisions behind the pages (page addresses, where each button leads, room
//!   left, the Safari home-screen advice).
//! - [`session`]: the life of a response in one tab (start, resume, answer, submit, kiosk mode,
//!   failing storage, other tabs), over the core's [`crate::store::Store`]; the only writer of
//!   response records.
//! - [`device_store`]: every record on the device with its stored text kept: counts, export,
//!   the export's check, and clearing exactly what was exported.
//!
//! Nothing here reads a clock or draws random numbers: the shell passes them in. Storage is
//! reached only through a [`crate::store::Store`] the shell passes in (a `MemoryStore` in tests).

pub mod answer;
pub mod codebook;
pub mod device;
pub mod device_store;
pub mod export;
pub mod flow;
pub mod instrument;
pub mod link;
pub mod record;
pub mod session;
pub mod time;

#[cfg(test)]
mod testing;

pub use answer::{Answer, Answers};
pub use export::{
    export_raw, export_raw_with_definitions, import_raw, merge, merge_definitions, ImportErrors,
    MergeReport, RawFile,
};
pub use instrument::{
    default_instrument, AnswerFault, DefinitionError, Instrument, LeadStatus, RespondentType, Wave,
};
pub use link::{parse_survey_link, survey_link_query, Note, Presets};
pub use record::{decode_record, encode_record, RecordError, Response, ResponseId};

#[cfg(target_arch = "wasm32")]
pub mod page;
