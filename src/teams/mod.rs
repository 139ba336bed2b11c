//! Hiring teams: recruiters and interviewers who work on sets, candidates
//! and decisions together. Who acts for which team (`authz`), members and
//! invitations, the activity log, and how consistently a team grades
//! (`calibration`).

pub mod api;
pub mod types;

#[cfg(feature = "ssr")]
pub mod authz;
#[cfg(feature = "ssr")]
pub mod calibration;
#[cfg(feature = "ssr")]
pub mod db;
