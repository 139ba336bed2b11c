//! Sharing sets with candidates: links, the candidate's start, integrity
//! signals, and the recruiter's results and reviews.

pub mod api;
pub mod types;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod export;
