//! Grading and spaced review: the one place a grade a person gives their
//! own answer is written (answer, revision, rollups and review card
//! together), the FSRS-6 schedule, the review queue and the interview plan.
//! A recruiter's grade of a candidate's answer lives in `sharing` and never
//! touches the candidate's schedule.

pub mod api;
pub mod types;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod due;
#[cfg(feature = "ssr")]
pub mod plan;
#[cfg(feature = "ssr")]
pub mod schedule;
