//! Rate limits kept in the database: login throttling, registrations and
//! guests per address, password changes and deletions per account.
//!
//! Each limit is a sliding window over rows of `throttle_events`. A caller
//! *reserves* an attempt before doing the work: in one write
//! transaction the counts are checked and, if every limit has room, one
//! event per key is written. Write transactions run one at a time, so N
//! parallel guesses cannot all slip past a check that happens before any of
//! them is recorded. Keeping the rows in the database (not in one process's
//! memory) means the limits hold across restarts and across app instances.
//!
//! A tower/governor limiter was the other choice; it counts in memory per
//! process, which is exactly what a load-balanced deployment can't use.

use std::time::Duration;

use crate::platform::db::Pool;

/// One limit: at most `max` events per `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
}

impl Limit {
    pub fn window_ms(self) -> i64 {
        Self::millis(self.window)
    }

    fn millis(window: Duration) -> i64 {
        i64::try_from(window.as_millis()).unwrap_or(i64::MAX)
    }
}

const HOUR: Duration = Duration::from_secs(3600);

/// Failed (or in-flight) logins per username.
pub const LOGIN_PER_USERNAME: Limit = Limit {
    max: 5,
    window: Duration::from_secs(15 * 60),
};
/// Failed logins per client address: several people may share one.
pub const LOGIN_PER_ADDRESS: Limit = Limit {
    max: 20,
    window: Duration::from_secs(15 * 60),
};
/// Password changes and account deletions tried per account (each checks
/// the current password, so each is a guess).
pub const ACCOUNT_CHANGES: Limit = Limit {
    max: 5,
    window: Duration::from_secs(15 * 60),
};
/// The longest window of any limit: older rows can go.
pub const LONGEST_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// Registrations per address, per hour.
pub fn registrations(per_hour: u32) -> Limit {
    Limit {
        max: per_hour,
        window: HOUR,
    }
}

/// Guests created per address, per hour.
pub fn guests(per_hour: u32) -> Limit {
    Limit {
        max: per_hour,
        window: HOUR,
    }
}

/// The keys limits count by. Usernames are case-insensitive, as accounts are.
pub fn login_user_key(username: &str) -> String {
    format!("login-user:{}", username.to_lowercase())
}
pub fn login_address_key(address: &str) -> String {
    format!("login-addr:{address}")
}
pub fn register_key(address: &str) -> String {
    format!("register:{address}")
}
pub fn guest_key(address: &str) -> String {
    format!("guest:{address}")
}
pub fn account_key(user: uuid::Uuid) -> String {
    format!("account:{user}")
}

/// The events a successful reservation wrote, to refund later if wanted.
#[derive(Debug, Default)]
pub struct Reservation {
    pub(crate) ids: Vec<i64>,
}

/// Why a reservation was refused: seconds until there is room again.
#[derive(Debug, PartialEq, Eq)]
pub struct Throttled {
    pub retry_after_secs: u64,
}

impl Throttled {
    /// Refused for `wait_ms`: rounded up to whole seconds, at least one.
    pub fn for_ms(wait_ms: i64) -> Self {
        Self {
            retry_after_secs: u64::try_from((wait_ms.max(1000) + 999) / 1000).unwrap_or(1),
        }
    }
}

impl From<Throttled> for crate::error::AppError {
    fn from(t: Throttled) -> Self {
        Self::RateLimited {
            retry_after_secs: t.retry_after_secs,
        }
    }
}

/// Gives back what a reservation counted (the attempt turned out fine).
pub async fn refund(pool: &Pool, reservation: Reservation) -> Result<(), sqlx::Error> {
    super::db::refund(pool, reservation).await
}

/// Records one event under each key if every key is under its limit at
/// `now`; otherwise records nothing and says how long to wait.
pub async fn reserve(
    pool: &Pool,
    keys: &[(&str, Limit)],
    now: i64,
) -> Result<Result<Reservation, Throttled>, sqlx::Error> {
    super::db::reserve(pool, keys, now).await
}

/// Forgets every event under `key` (a successful login clears its
/// username's failures).
pub async fn clear(pool: &Pool, key: &str) -> Result<(), sqlx::Error> {
    super::db::clear_throttle(pool, key).await
}

/// Deletes events older than every window.
pub async fn purge(pool: &Pool, now: i64) -> Result<u64, sqlx::Error> {
    super::db::purge_throttle(pool, now - Limit::millis(LONGEST_WINDOW)).await
}
