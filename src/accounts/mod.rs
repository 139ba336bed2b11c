//! Accounts: registration, login, sessions, roles, guests, and the one
//! authorization helper every server function goes through.

pub mod api;
pub mod types;

#[cfg(feature = "ssr")]
pub mod authz;
#[cfg(feature = "ssr")]
pub mod days;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod throttle;

#[cfg(feature = "ssr")]
pub use db::grant_admin;

/// What one round of housekeeping removed.
#[cfg(feature = "ssr")]
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Housekeeping {
    pub expired_sessions: u64,
    pub throttle_events: u64,
    pub idle_guests: u64,
}

#[cfg(feature = "ssr")]
impl Housekeeping {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Run hourly by the server: ends expired login sessions, forgets
/// throttle records older than every window, and deletes guests (with all
/// their data) not seen for `guest_retention_days`.
#[cfg(feature = "ssr")]
pub async fn housekeeping(
    pool: &crate::platform::db::Pool,
    now: i64,
    guest_retention_days: u32,
) -> Result<Housekeeping, sqlx::Error> {
    let cutoff = now - i64::from(guest_retention_days) * 24 * 3600 * 1000;
    Ok(Housekeeping {
        idle_guests: db::purge_idle_guests(pool, cutoff).await?,
        expired_sessions: session::purge_expired(pool, now).await?,
        throttle_events: throttle::purge(pool, now).await?,
    })
}
