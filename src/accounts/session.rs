//! Login sessions: a random 256-bit token in an HttpOnly cookie, stored
//! server-side only as its SHA-256 hash, with idle and absolute expiry.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use http::HeaderValue;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::db::{self, UserRow};
use crate::platform::{db::Pool, now_ms, AppState};

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
pub async fn create(pool: &Pool, user_id: Uuid) -> Result<String, crate::error::AppError> {
    let token = new_token().map_err(|e| {
        tracing::error!(error = %e, "no randomness for a session token");
        crate::error::AppError::Internal
    })?;
    let now = now_ms();
    db::insert_login(pool, &hash_token(&token), user_id, now, now + ABSOLUTE_MS).await?;
    Ok(token)
}

/// The user a token belongs to, if the session is alive at `now`.
pub async fn lookup(pool: &Pool, token: &str, now: i64) -> Result<Option<UserRow>, sqlx::Error> {
    let hash = hash_token(token);
    let Some((user, last_seen)) = db::live_login(pool, &hash, now, now - IDLE_MS).await? else {
        return Ok(None);
    };
    if now - last_seen > TOUCH_EVERY_MS {
        db::touch_login(pool, &hash, user.id, now).await?;
    }
    Ok(Some(user))
}

pub async fn delete(pool: &Pool, token: &str) -> Result<(), sqlx::Error> {
    db::delete_login(pool, &hash_token(token)).await
}

/// Removes expired sessions; run periodically by the server.
pub async fn purge_expired(pool: &Pool, now: i64) -> Result<u64, sqlx::Error> {
    db::purge_logins(pool, now, now - IDLE_MS).await
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
    crate::platform::net::cookies(headers, cookie_name)
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
