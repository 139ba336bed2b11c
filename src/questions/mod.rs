//! The question bank: built-in questions loaded from `bank/`, browsing,
//! full-text search and single-question views.

pub mod api;
pub mod types;

#[cfg(feature = "ssr")]
pub mod bank;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod highlight;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod search;

#[cfg(feature = "ssr")]
pub use db::sync_builtin_bank;
