//! Hiring teams: recruiters and interviewers who work on sets, candidates
//! and decisions together. So far: calibration, how consistently a team
//! grades (`calibration.rs`).

#[cfg(feature = "ssr")]
pub mod calibration;
