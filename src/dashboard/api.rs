//! Server functions for the dashboard.

use leptos::prelude::*;

use super::types::*;
use crate::error::AppError;

/// The caller's dashboard for a date range; `None` for somebody who has
/// never practised (no account, not even a guest one).
#[server(endpoint = "dashboard/get")]
pub async fn get_dashboard(range: RangeQuery) -> Result<Option<Dashboard>, AppError> {
    let Some(user) = crate::accounts::authz::current_user().await? else {
        return Ok(None);
    };
    if range.preset.len() > 16 || range.from.len() > 32 || range.to.len() > 32 {
        return Err(AppError::invalid("range", "That date range is too long."));
    }
    let pool = crate::platform::pool()?;
    let now = crate::platform::now_ms();
    Ok(Some(
        super::db::dashboard(&pool, user.id, &range, now).await?,
    ))
}
