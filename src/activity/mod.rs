//! Lead activity log (issue 12), the core only.

pub mod definition;
pub mod record;
pub mod log;
pub mod exchange;
pub mod programme;
pub mod demo;
