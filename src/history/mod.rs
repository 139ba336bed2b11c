//! Past sessions: the list and one session answer by answer.

pub mod api;
pub mod types;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod diff;
