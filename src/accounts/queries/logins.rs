//! Login sessions (the tokens themselves are made in `session.rs`).

use super::*;

// ---- login sessions (the tokens themselves are made in `session.rs`) ----

/// Stores a login session under its token's hash.
pub async fn insert_login(
    pool: &Pool,
    token_hash: &[u8],
    user_id: Uuid,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO auth_sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(pool)
    .await
    .map(drop)
}

/// The user a login session belongs to, if it is alive at `now` (not past
/// its absolute expiry, seen after `idle_since`), and when it was last seen.
pub async fn live_login(
    pool: &Pool,
    token_hash: &[u8],
    now: i64,
    idle_since: i64,
) -> Result<Option<(UserRow, i64)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Live {
        #[sqlx(flatten)]
        user: UserRow,
        last_seen_at: i64,
    }
    macro_rules! live {
        ($($teams:tt)*) => {
            concat!(
                "SELECT u.id, u.username, u.role, u.is_guest, u.data_version, s.last_seen_at, ",
                $($teams)*,
                " FROM auth_sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3"
            )
        };
    }
    let row: Option<Live> = sqlx::query_as(if POSTGRES {
        live!(teams_of_u!(postgres))
    } else {
        live!(teams_of_u!(sqlite))
    })
    .bind(token_hash)
    .bind(now)
    .bind(idle_since)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|live| (live.user, live.last_seen_at)))
}

/// Marks a login session, and its user, as seen at `now`.
pub async fn touch_login(
    pool: &Pool,
    token_hash: &[u8],
    user_id: Uuid,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    sqlx::query("UPDATE auth_sessions SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE users SET last_seen_at = $2 WHERE id = $1")
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

pub async fn delete_login(pool: &Pool, token_hash: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM auth_sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(pool)
        .await
        .map(drop)
}

/// Removes login sessions past their expiry or idle since `idle_since`.
pub async fn purge_logins(pool: &Pool, now: i64, idle_since: i64) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM auth_sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
            .bind(now)
            .bind(idle_since)
            .execute(pool)
            .await?
            .rows_affected(),
    )
}
