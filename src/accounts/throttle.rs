//! Rate limits kept in the database: login throttling, registrations and
//! guests per address, password changes and deletions per account.
//!
//! Each limit is a sliding window over rows of `throttle_events`. A caller
//! *reserves* an attempt before doing the work: in one `BEGIN IMMEDIATE`
//! transaction the counts are checked and, if every limit has room, one
//! event per key is written. Write transactions run one at a time, so N
//! parallel guesses cannot all slip past a check that happens before any of
//! them is recorded. Keeping the rows in the database (not in one process's
//! memory) means the limits hold across restarts and across app instances.
//!
//! A tower/governor limiter was the other choice; it counts in memory per
//! process, which is exactly what a load-balanced deployment can't use.

use std::time::Duration;

use sqlx::SqlitePool;

use crate::server::db::begin_write;

/// One limit: at most `max` events per `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
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
    ids: Vec<i64>,
}

/// Why a reservation was refused: seconds until there is room again.
#[derive(Debug, PartialEq, Eq)]
pub struct Throttled {
    pub retry_after_secs: u64,
}

impl From<Throttled> for crate::error::AppError {
    fn from(t: Throttled) -> Self {
        Self::RateLimited {
            retry_after_secs: t.retry_after_secs,
        }
    }
}

fn window_ms(limit: Limit) -> i64 {
    i64::try_from(limit.window.as_millis()).unwrap_or(i64::MAX)
}

/// Records one event under each key if every key is under its limit at
/// `now`; otherwise records nothing and says how long to wait.
pub async fn reserve(
    pool: &SqlitePool,
    keys: &[(&str, Limit)],
    now: i64,
) -> Result<Result<Reservation, Throttled>, sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    let mut wait_ms: i64 = 0;
    for (key, limit) in keys {
        let since = now - window_ms(*limit);
        // The events still in the window, newest first; the one at index
        // max-1 is the one that must age out before there is room.
        let times: Vec<i64> = sqlx::query_scalar(
            "SELECT at FROM throttle_events WHERE key = $1 AND at > $2 ORDER BY at DESC LIMIT $3",
        )
        .bind(key)
        .bind(since)
        .bind(i64::from(limit.max))
        .fetch_all(&mut *tx)
        .await?;
        if limit.max == 0 {
            wait_ms = wait_ms.max(window_ms(*limit));
        } else if times.len() >= limit.max as usize {
            let oldest = times[times.len() - 1];
            wait_ms = wait_ms.max(oldest + window_ms(*limit) - now);
        }
    }
    if wait_ms > 0 {
        tx.rollback().await?;
        let secs = u64::try_from((wait_ms.max(1000) + 999) / 1000).unwrap_or(1);
        return Ok(Err(Throttled {
            retry_after_secs: secs,
        }));
    }
    let mut ids = Vec::with_capacity(keys.len());
    for (key, _) in keys {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO throttle_events (key, at) VALUES ($1, $2) RETURNING id",
        )
        .bind(key)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        ids.push(id);
    }
    tx.commit().await?;
    Ok(Ok(Reservation { ids }))
}

/// Gives back what a reservation counted (the attempt turned out fine).
pub async fn refund(pool: &SqlitePool, reservation: Reservation) -> Result<(), sqlx::Error> {
    for id in reservation.ids {
        sqlx::query("DELETE FROM throttle_events WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await?;
    }
    Ok(())
}

/// Forgets every event under `key` (a successful login clears its
/// username's failures).
pub async fn clear(pool: &SqlitePool, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM throttle_events WHERE key = $1")
        .bind(key)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Deletes events older than every window.
pub async fn purge(pool: &SqlitePool, now: i64) -> Result<u64, sqlx::Error> {
    let cutoff = now - i64::try_from(LONGEST_WINDOW.as_millis()).unwrap_or(i64::MAX);
    Ok(sqlx::query("DELETE FROM throttle_events WHERE at <= $1")
        .bind(cutoff)
        .execute(pool)
        .await?
        .rows_affected())
}
