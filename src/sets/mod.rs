//! Question sets for recruiters: their own questions, sets built from the
//! bank and those, versions frozen for candidates, import and export.

pub mod api;
pub mod types;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod transfer;

/// The largest import request body: a 2 MB file, escaped as JSON.
pub const IMPORT_BODY_LIMIT: usize = 5 * 1024 * 1024;
