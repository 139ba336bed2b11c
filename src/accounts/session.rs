//! Login sessions: a random 256-bit token in an HttpOnly cookie, stored
//! server-side only as its SHA-256 hash, with idle and absolute expiry.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use http::HeaderValue;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use uuid::Uuid;

use super::db::UserRow;
use crate::server::{db::now_ms, AppState};

/// A session unused for this long ends.
pub const IDLE_MS: i64 = 7 * 24 * 3600 * 1000;
/// No session outlives this, however active.
pub const ABSOLUTE_MS: i64 = 30 * 24 * 3600 * 1000;
/// `last_seen_at` is refreshed at most this often, to keep reads read-only.
const TOUCH_EVERY_MS: i64 = 5 * 60 * 1000;

/// A fresh random token (32 bytes, URL-safe base64).
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Stores a new session for `user_id` and returns its token.
pub async fn create(pool: &SqlitePool, user_id: Uuid) -> Result<String, crate::error::AppError> {
    let token = new_token().map_err(|e| {
        tracing::error!(error = %e, "no randomness for a session token");
        crate::error::AppError::Internal
    })?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO auth_sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(hash_token(&token))
    .bind(user_id)
    .bind(now)
    .bind(now + ABSOLUTE_MS)
    .execute(pool)
    .await?;
    Ok(token)
}

/// The user a token belongs to, if the session is alive at `now`.
pub async fn lookup(
    pool: &SqlitePool,
    token: &str,
    now: i64,
) -> Result<Option<UserRow>, sqlx::Error> {
    let hash = hash_token(token);
    #[derive(sqlx::FromRow)]
    struct Live {
        #[sqlx(flatten)]
        user: UserRow,
        last_seen_at: i64,
    }
    let row: Option<Live> = sqlx::query_as(
        "SELECT u.id, u.username, u.role, u.is_guest, u.data_version, s.last_seen_at
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3",
    )
    .bind(&hash)
    .bind(now)
    .bind(now - IDLE_MS)
    .fetch_optional(pool)
    .await?;
    let Some(Live {
        user,
        last_seen_at: last_seen,
    }) = row
    else {
        return Ok(None);
    };
    if now - last_seen > TOUCH_EVERY_MS {
        let mut tx = crate::server::db::begin_write(pool).await?;
        sqlx::query("UPDATE auth_sessions SET last_seen_at = $2 WHERE token_hash = $1")
            .bind(&hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE users SET last_seen_at = $2 WHERE id = $1")
            .bind(user.id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(Some(user))
}

pub async fn delete(pool: &SqlitePool, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM auth_sessions WHERE token_hash = $1")
        .bind(hash_token(token))
        .execute(pool)
        .await
        .map(|_| ())
}

/// Ends every session of a user except `keep` (after a password change).
pub async fn delete_others(
    conn: &mut sqlx::SqliteConnection,
    user_id: Uuid,
    keep: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM auth_sessions WHERE user_id = $1 AND token_hash IS NOT $2")
        .bind(user_id)
        .bind(keep.map(hash_token))
        .execute(conn)
        .await
        .map(|_| ())
}

/// Removes expired sessions; run periodically by the server.
pub async fn purge_expired(pool: &SqlitePool, now: i64) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM auth_sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
            .bind(now)
            .bind(now - IDLE_MS)
            .execute(pool)
            .await?
            .rows_affected(),
    )
}

/// The `Set-Cookie` value that stores `token`, or clears it when `None`.
pub fn cookie(state: &AppState, token: Option<&str>) -> Option<HeaderValue> {
    let name = state.config.session_cookie_name();
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let value = match token {
        Some(token) => format!(
            "{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            ABSOLUTE_MS / 1000
        ),
        None => format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&value).ok()
}

/// The session token in the request's cookies, if any.
pub fn token_from_headers(headers: &http::HeaderMap, cookie_name: &str) -> Option<String> {
    crate::server::net::cookies(headers, cookie_name)
        .find(|value| !value.is_empty() && value.len() <= 64)
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_256_bits_and_differ() -> Result<(), getrandom::Error> {
        let a = new_token()?;
        let b = new_token()?;
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).map(|v| v.len()).ok(), Some(32));
        assert_ne!(a, b);
        assert_eq!(hash_token(&a).len(), 32);
        assert_ne!(hash_token(&a), hash_token(&b));
        Ok(())
    }

    #[test]
    fn finds_the_cookie_among_others() {
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            HeaderValue::from_static("a=1; rehearse_session=tok; b=2"),
        );
        assert_eq!(
            token_from_headers(&headers, "rehearse_session").as_deref(),
            Some("tok")
        );
        assert_eq!(token_from_headers(&headers, "other"), None);
    }
}
