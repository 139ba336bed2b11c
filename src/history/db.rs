//! History's storage: the queries (`queries.rs`, written once, compiled for
//! each backend) and what the rest of the app calls, sent to the backend in
//! use.

use uuid::Uuid;

use super::types::*;
use crate::error::AppError;
use crate::questions::types::Level;
use crate::sessions::types::Mode;

/// Which sessions a history page shows; `None` means any. Times are Unix
/// ms on the session's start, `until` exclusive.
#[derive(Debug, Default)]
pub struct ListFilter<'a> {
    pub mode: Option<Mode>,
    pub level: Option<Level>,
    pub topic: Option<&'a str>,
    pub since: Option<i64>,
    pub until: Option<i64>,
}

crate::platform::db::dispatch! { history;
    pub async fn list(user: Uuid, filter: &ListFilter<'_>, page: u32) -> Result<Vec<HistoryItem>, sqlx::Error>;
    pub async fn past_session(id: Uuid, user: Uuid) -> Result<Vec<ReviewedAnswer>, AppError>;
    pub async fn revisions(id: Uuid) -> Result<Vec<(u32, i64, Revision)>, AppError>;
    pub async fn regrade(id: Uuid, user: Uuid, position: u32, grade: u8, note: &str, now: i64) -> Result<(), AppError>;
    pub async fn past_answers(user: Uuid, slug: &str, tz: &jiff::tz::TimeZone) -> Result<Vec<PastAnswer>, AppError>;
}
