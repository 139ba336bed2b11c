//! SQL for users, login sessions and throttle records, written once and
//! compiled for each backend (see `platform/db`).

use uuid::Uuid;

// This backend's pool, connections and transactions (see `platform/db`).
use super::{begin_read, begin_write, now_ms, Pool, POSTGRES};
use crate::accounts::days;
use crate::error::AppError;
use jiff::tz::TimeZone;

use crate::accounts::db::{Created, LoginRow, UserRow};
use crate::accounts::throttle::{Limit, Reservation, Throttled};
use crate::accounts::types::Role;

/// A person's teams as `UserRow::teams` holds them, the one they act for
/// (the one they switched to, else the first they joined) first: a column
/// of the query that finds who is calling, so knowing their teams costs
/// no query of its own.
macro_rules! teams_of_u {
    (sqlite) => {
        "coalesce((SELECT json_group_array(json_array(lower(hex(t.id)), t.name, m.role)
             ORDER BY CASE WHEN m.team_id = u.current_team_id THEN 0 ELSE 1 END, m.joined_at, m.team_id)
             FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.user_id = u.id), '[]') AS teams"
    };
    (postgres) => {
        "coalesce((SELECT json_agg(json_build_array(replace(t.id::text, '-', ''), t.name, m.role)
             ORDER BY CASE WHEN m.team_id = u.current_team_id THEN 0 ELSE 1 END, m.joined_at, m.team_id)::text
             FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.user_id = u.id), '[]') AS teams"
    };
}

mod export;
mod logins;
mod throttle;
mod users;

pub use export::*;
pub use logins::*;
pub use throttle::*;
pub use users::*;

/// The user's time zone and whether streaks are hidden.
pub async fn settings(pool: &Pool, user: Uuid) -> Result<(String, bool), AppError> {
    let row: Option<(String, bool)> =
        sqlx::query_as("SELECT time_zone, hide_streaks FROM users WHERE id = $1")
            .bind(user)
            .fetch_optional(pool)
            .await?;
    Ok(row.unwrap_or_else(|| ("UTC".to_owned(), false)))
}

/// The user's time zone, for labels and local days.
pub async fn user_zone(pool: &Pool, user: Uuid) -> Result<TimeZone, AppError> {
    Ok(days::zone(&settings(pool, user).await?.0))
}
