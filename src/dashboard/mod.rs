//! The progress dashboard: every aggregate over the user's graded answers,
//! in the user's time zone, for a chosen date range.

pub mod api;
pub mod charts;
pub mod types;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod range;
