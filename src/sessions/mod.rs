//! Timed interview sessions: configuration, the server-owned clock, drafts
//! that autosave, submission, self-grading and the summary.

pub mod api;
pub mod timer;
pub mod types;

#[cfg(feature = "ssr")]
pub mod db;
