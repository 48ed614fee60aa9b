//! The toolkit's own pages, which belong to no job: Home (what the toolkit is for and where each
//! job starts) and Privacy. They ship in the survey module, the one most people open first
//! (`survey::page::pages` draws them), but are not part of the survey: they link to every job.
//! Like every page they stand above `nav` and `routes`, never above the app frame.

mod home;
mod privacy;

pub use home::HomePage;
pub use privacy::PrivacyPage;
