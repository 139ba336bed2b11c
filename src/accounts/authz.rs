//! Who is calling, and may they? Every server function starts here.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use http::request::Parts;
use leptos::prelude::use_context;
use uuid::Uuid;

use super::{db, session, types::Role};
use crate::error::AppError;
use crate::server::{app_state, db::now_ms, AppState};

/// The authenticated caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthUser {
    pub id: Uuid,
    pub username: String,
    pub role: Role,
    pub is_guest: bool,
}

impl From<db::UserRow> for AuthUser {
    fn from(row: db::UserRow) -> Self {
        let info = row.into_info();
        Self {
            id: Uuid::parse_str(&info.id).unwrap_or_default(),
            username: info.username,
            role: info.role,
            is_guest: info.is_guest,
        }
    }
}

impl AuthUser {
    pub fn info(&self) -> super::types::UserInfo {
        super::types::UserInfo {
            id: self.id.to_string(),
            username: self.username.clone(),
            role: self.role,
            is_guest: self.is_guest,
        }
    }
}

/// The session token sent with this request.
pub fn request_token(state: &AppState) -> Option<String> {
    let parts = use_context::<Parts>()?;
    session::token_from_headers(&parts.headers, state.config.session_cookie_name())
}

/// The client's address, for throttling.
pub fn client_address() -> String {
    use_context::<Parts>()
        .and_then(|p| {
            p.extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The caller, if logged in (guests included).
pub async fn current_user() -> Result<Option<AuthUser>, AppError> {
    // No request at all (the router lists routes by rendering the app once
    // at start-up): nobody is calling.
    if use_context::<Parts>().is_none() {
        return Ok(None);
    }
    let state = app_state()?;
    let Some(token) = request_token(&state) else {
        return Ok(None);
    };
    Ok(session::lookup(&state.pool, &token, now_ms())
        .await?
        .map(AuthUser::from))
}

/// The caller, or `Unauthorized`.
pub async fn require_user() -> Result<AuthUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthorized)
}

/// The caller with a full (non-guest) account, or `Unauthorized`.
pub async fn require_account() -> Result<AuthUser, AppError> {
    let user = require_user().await?;
    if user.is_guest {
        return Err(AppError::Unauthorized);
    }
    Ok(user)
}

/// The caller if they hold one of `roles` (admins hold every role).
pub async fn require_role(roles: &[Role]) -> Result<AuthUser, AppError> {
    let user = require_account().await?;
    if user.role == Role::Admin || roles.contains(&user.role) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Per-record access: a record that isn't the caller's looks exactly like
/// one that doesn't exist, so ids can't be probed.
pub fn ensure_owner(user: &AuthUser, owner_id: Uuid, what: &str) -> Result<(), AppError> {
    if user.id == owner_id {
        Ok(())
    } else {
        Err(AppError::NotFound(what.to_owned()))
    }
}

/// The caller, creating a guest (and its cookie) if nobody is logged in:
/// practice needs no account.
pub async fn ensure_user() -> Result<AuthUser, AppError> {
    if let Some(user) = current_user().await? {
        return Ok(user);
    }
    let state = app_state()?;
    let id = db::create_guest(&state.pool).await?;
    let token = session::create(&state.pool, id).await?;
    set_session_cookie(&state, Some(&token));
    let row = db::user_by_id(&state.pool, id)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(row.into())
}

/// Sets (or clears) the session cookie on this response.
pub fn set_session_cookie(state: &AppState, token: Option<&str>) {
    if let (Some(response), Some(cookie)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        session::cookie(state, token),
    ) {
        response.append_header(http::header::SET_COOKIE, cookie);
    }
}
