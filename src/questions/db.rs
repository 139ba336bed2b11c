//! The bank's storage. The queries (`queries.rs`) are written once and compiled for
//! each backend; what the rest of the app calls is sent to the backend in
//! use.

use uuid::Uuid;

use super::bank::{parse_bank, BankTopic, SyncError, SyncReport, BANK_FILES};
use super::types::*;

/// Which questions a list searches: the public bank, one team's own
/// questions (private to its members), or both (a set editor's picker).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Bank,
    Own(Uuid),
    BankAndOwn(Uuid),
}

impl Scope {
    pub(crate) fn bank(self) -> bool {
        matches!(self, Self::Bank | Self::BankAndOwn(_))
    }
    /// The team whose own questions are in scope.
    pub(crate) fn team(self) -> Option<Uuid> {
        match self {
            Self::Bank => None,
            Self::Own(id) | Self::BankAndOwn(id) => Some(id),
        }
    }
}

crate::platform::db::dispatch! { questions;
    pub async fn list(filter: &QuestionFilter) -> Result<QuestionList, sqlx::Error>;
    pub async fn list_in(filter: &QuestionFilter, scope: Scope) -> Result<QuestionList, sqlx::Error>;
    pub async fn detail(slug: &str, filter: &QuestionFilter) -> Result<Option<QuestionDetail>, sqlx::Error>;
    pub async fn random() -> Result<Option<DrawnQuestion>, sqlx::Error>;
    pub async fn topics() -> Result<Vec<TopicInfo>, sqlx::Error>;
    pub async fn bank_size() -> Result<(i64, i64), sqlx::Error>;
    pub async fn sync_bank(topics: &[BankTopic], now: i64) -> Result<SyncReport, sqlx::Error>;
}

/// Brings the built-in rows in line with `topics` (see `sync_bank`).
pub async fn sync(
    pool: &crate::platform::db::Pool,
    topics: &[BankTopic],
) -> Result<SyncReport, sqlx::Error> {
    sync_bank(pool, topics, crate::platform::now_ms()).await
}

/// Validates the embedded bank and syncs it. Run at every start.
pub async fn sync_builtin_bank(pool: &crate::platform::db::Pool) -> Result<SyncReport, SyncError> {
    let topics = parse_bank(BANK_FILES).map_err(SyncError::Invalid)?;
    Ok(sync(pool, &topics).await?)
}
