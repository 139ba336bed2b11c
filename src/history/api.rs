//! Server functions for history.

use leptos::prelude::*;

use super::types::*;
use crate::error::AppError;

/// The caller's sessions, newest first. `mode` is "", "practice" or
/// "interview". Nobody logged in simply has no history.
#[server(endpoint = "history/list")]
pub async fn list_history(mode: String, page: u32) -> Result<Vec<HistoryItem>, AppError> {
    crate::error::respond(
        async move {
            let Some(user) = crate::accounts::authz::current_user().await? else {
                return Ok(Vec::new());
            };
            let mode = crate::sessions::types::Mode::parse(&mode);
            let pool = crate::server::pool()?;
            Ok(super::db::list(&pool, user.id, mode, page.min(10_000)).await?)
        }
        .await,
    )
}

#[server(endpoint = "history/review")]
pub async fn review_session(id: String) -> Result<Vec<ReviewedAnswer>, AppError> {
    crate::error::respond(
        async move {
            let user = crate::accounts::authz::require_user().await?;
            let id = uuid::Uuid::parse_str(&id)
                .map_err(|_| AppError::NotFound("That session".into()))?;
            let pool = crate::server::pool()?;
            super::db::review(&pool, id, user.id).await
        }
        .await,
    )
}
