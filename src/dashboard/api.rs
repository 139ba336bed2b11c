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

/// What the settings form shows.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    pub time_zone: String,
    pub hide_streaks: bool,
    /// Every zone the server knows, for the picker.
    pub zones: Vec<String>,
}

#[server(endpoint = "accounts/settings")]
pub async fn account_settings() -> Result<Settings, AppError> {
    let c = crate::accounts::authz::caller().await?;
    let (time_zone, hide_streaks) = crate::accounts::db::settings(&c.pool, c.user.id).await?;
    Ok(Settings {
        time_zone,
        hide_streaks,
        zones: crate::accounts::days::zone_names().to_vec(),
    })
}

/// Saves the time zone (days, streaks and dates follow it) and whether
/// streaks show. A checkbox left unticked sends nothing, hence the Option.
#[server(endpoint = "accounts/settings/save")]
pub async fn save_settings(
    time_zone: String,
    hide_streaks: Option<String>,
) -> Result<(), AppError> {
    let c = crate::accounts::authz::caller().await?;
    if time_zone.len() > 64 || !crate::accounts::days::is_known_zone(&time_zone) {
        return Err(AppError::invalid(
            "time_zone",
            "Pick a time zone from the list, such as Europe/Paris.",
        ));
    }
    super::db::save_settings(&c.pool, c.user.id, &time_zone, hide_streaks.is_some()).await
}
