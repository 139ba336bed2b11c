//! Accounts' storage: users, login sessions and throttle records. The
//! queries (`queries.rs`) are written once and compiled for each backend;
//! what the rest of the app calls is sent to the backend in use.

use uuid::Uuid;

use crate::error::AppError;

use super::throttle::{Limit, Reservation, Throttled};
use super::types::{Membership, Role, TeamRole, UserInfo};

#[derive(sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub username: String,
    pub role: Role,
    pub is_guest: bool,
    /// Bumped by the database on any change to what this person's own
    /// pages show (see the `data_version` migration).
    pub data_version: i64,
    /// The hiring teams they are in, the one they act for first, as a JSON
    /// array of `[team id, team name, role]` (`accounts/queries.rs`).
    pub teams: String,
}

impl UserRow {
    pub fn memberships(&self) -> Vec<Membership> {
        serde_json::from_str::<Vec<(String, String, TeamRole)>>(&self.teams)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(id, name, role)| {
                let team = Uuid::parse_str(&id).ok()?.to_string();
                Some(Membership { team, name, role })
            })
            .collect()
    }

    pub fn into_info(self) -> UserInfo {
        UserInfo {
            teams: self.memberships(),
            id: self.id.to_string(),
            username: self.username,
            role: self.role,
            is_guest: self.is_guest,
        }
    }
}

/// A user with the password hash, for login only. Not Serialize on purpose.
#[derive(sqlx::FromRow)]
pub struct LoginRow {
    pub id: Uuid,
    pub password_hash: Option<String>,
}

/// Outcome of creating an account.
pub enum Created {
    Ok(Uuid),
    UsernameTaken,
}

crate::platform::db::dispatch! { accounts;
    pub async fn settings(user: Uuid) -> Result<(String, bool), AppError>;
    pub async fn user_zone(user: Uuid) -> Result<jiff::tz::TimeZone, AppError>;
    pub async fn create_user(username: &str, password_hash: &str, role: Role) -> Result<Created, sqlx::Error>;
    pub async fn upgrade_guest(guest_id: Uuid, username: &str, password_hash: &str, role: Role) -> Result<Created, sqlx::Error>;
    pub async fn create_guest() -> Result<Uuid, sqlx::Error>;
    pub async fn find_login(username: &str) -> Result<Option<LoginRow>, sqlx::Error>;
    pub async fn password_hash(id: Uuid) -> Result<Option<String>, sqlx::Error>;
    pub async fn set_password(id: Uuid, hash: &str, keep: Option<&[u8]>) -> Result<(), sqlx::Error>;
    pub async fn user_by_id(id: Uuid) -> Result<Option<UserRow>, sqlx::Error>;
    pub async fn delete_user(id: Uuid) -> Result<bool, sqlx::Error>;
    pub async fn purge_idle_guests(cutoff: i64) -> Result<u64, sqlx::Error>;
    pub async fn make_personal_team(user: Uuid, now: i64) -> Result<(), sqlx::Error>;
    pub async fn grant_admin(username: &str) -> Result<(), Box<dyn std::error::Error>>;
    pub async fn export(id: Uuid, out: tokio::sync::mpsc::Sender<Result<String, std::io::Error>>) -> Result<bool, sqlx::Error>;
    pub async fn insert_login(token_hash: &[u8], user_id: Uuid, now: i64, expires_at: i64) -> Result<(), sqlx::Error>;
    pub async fn live_login(token_hash: &[u8], now: i64, idle_since: i64) -> Result<Option<(UserRow, i64)>, sqlx::Error>;
    pub async fn touch_login(token_hash: &[u8], user_id: Uuid, now: i64) -> Result<(), sqlx::Error>;
    pub async fn delete_login(token_hash: &[u8]) -> Result<(), sqlx::Error>;
    pub async fn purge_logins(now: i64, idle_since: i64) -> Result<u64, sqlx::Error>;
    pub async fn reserve(keys: &[(&str, Limit)], now: i64) -> Result<Result<Reservation, Throttled>, sqlx::Error>;
    pub async fn refund(reservation: Reservation) -> Result<(), sqlx::Error>;
    pub async fn clear_throttle(key: &str) -> Result<(), sqlx::Error>;
    pub async fn purge_throttle(cutoff: i64) -> Result<u64, sqlx::Error>;
}
