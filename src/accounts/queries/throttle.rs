//! Throttling (the limits are in `throttle.rs`).

use super::*;

// ---- throttling (the limits are in `throttle.rs`) ----

/// Records one event under each key if every key is under its limit at
/// `now`; otherwise records nothing and says how long to wait.
pub async fn reserve(
    pool: &Pool,
    keys: &[(&str, Limit)],
    now: i64,
) -> Result<Result<Reservation, Throttled>, sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    let mut wait_ms: i64 = 0;
    for (key, limit) in keys {
        let since = now - limit.window_ms();
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
            wait_ms = wait_ms.max(limit.window_ms());
        } else if let Some(oldest) = times.get(limit.max as usize - 1) {
            wait_ms = wait_ms.max(oldest + limit.window_ms() - now);
        }
    }
    if wait_ms > 0 {
        tx.rollback().await?;
        return Ok(Err(Throttled::for_ms(wait_ms)));
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
pub async fn refund(pool: &Pool, reservation: Reservation) -> Result<(), sqlx::Error> {
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
pub async fn clear_throttle(pool: &Pool, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM throttle_events WHERE key = $1")
        .bind(key)
        .execute(pool)
        .await
        .map(drop)
}

/// Deletes events at or before `cutoff`.
pub async fn purge_throttle(pool: &Pool, cutoff: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM throttle_events WHERE at <= $1")
        .bind(cutoff)
        .execute(pool)
        .await?
        .rows_affected())
}
