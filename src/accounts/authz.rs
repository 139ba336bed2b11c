//! Who is calling, and may they? Every server function starts here.

use http::request::Parts;
use leptos::prelude::use_context;
use uuid::Uuid;

use super::{db, session, throttle, types::Role};
use crate::error::AppError;
use crate::platform::{app_state, now_ms, AppState};

/// The authenticated caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthUser {
    pub id: Uuid,
    pub username: String,
    pub role: Role,
    pub is_guest: bool,
    /// The version of everything this person's own pages show.
    pub data_version: i64,
    /// Their hiring teams, the one they act for first.
    pub teams: Vec<super::types::Membership>,
}

impl From<db::UserRow> for AuthUser {
    fn from(row: db::UserRow) -> Self {
        let data_version = row.data_version;
        let info = row.into_info();
        Self {
            id: Uuid::parse_str(&info.id).unwrap_or_default(),
            username: info.username,
            role: info.role,
            is_guest: info.is_guest,
            data_version,
            teams: info.teams,
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
            teams: self.teams.clone(),
        }
    }
}

/// The session token sent with this request.
pub fn request_token(state: &AppState) -> Option<String> {
    let parts = use_context::<Parts>()?;
    session::token_from_headers(&parts.headers, state.config.session_cookie_name())
}

/// The client's address, for throttling: the peer, or what a trusted
/// reverse proxy says the client is.
pub fn client_address(state: &AppState) -> String {
    use_context::<Parts>().map_or_else(
        || "unknown".to_owned(),
        |parts| crate::platform::net::client_address(&parts, &state.config),
    )
}

pub use crate::platform::request::request_id;

/// The caller of one page render, looked up once: the nav and every part
/// of a page ask who is calling, and each lookup is a hash and a query.
///
/// Every request gets its own (`router::provide_request_context`), and
/// must: a context not provided for a request can be found on another
/// request's reactive owner running at the same moment, and then one
/// person's server function would act as someone else
/// (`tests/it/accounts.rs` checks). A server-function request (which may
/// log someone in or out) gets one that remembers nothing.
#[derive(Clone)]
pub struct CallerOnce(Option<std::sync::Arc<tokio::sync::OnceCell<Option<AuthUser>>>>);

impl CallerOnce {
    /// For a page render: the first lookup is kept for the render.
    pub fn for_render() -> Self {
        Self(Some(std::sync::Arc::default()))
    }

    /// For a page render whose caller the page cache already looked up
    /// (`page_cache::serve`): no second lookup.
    pub fn known(caller: Option<AuthUser>) -> Self {
        Self(Some(std::sync::Arc::new(tokio::sync::OnceCell::new_with(
            Some(caller),
        ))))
    }

    /// For a server-function request: every lookup goes to the database.
    pub fn never() -> Self {
        Self(None)
    }
}

/// The caller a middleware already looked up for this request, handed to
/// the render through the request's extensions.
#[derive(Clone, Debug)]
pub struct KnownCaller(pub Option<AuthUser>);

/// The caller, if logged in (guests included).
pub async fn current_user() -> Result<Option<AuthUser>, AppError> {
    // No request at all (the router lists routes by rendering the app once
    // at start-up): nobody is calling.
    if use_context::<Parts>().is_none() {
        return Ok(None);
    }
    match use_context::<CallerOnce>().and_then(|once| once.0) {
        Some(once) => once.get_or_try_init(look_up_caller).await.cloned(),
        None => look_up_caller().await,
    }
}

async fn look_up_caller() -> Result<Option<AuthUser>, AppError> {
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

/// What nearly every server function starts with: who is calling (guests
/// included), the pool, and the server's clock, read once.
pub struct Caller {
    pub user: AuthUser,
    pub pool: crate::platform::db::Pool,
    pub now: i64,
}

/// The logged-in caller with the pool and the time, or `Unauthorized`.
pub async fn caller() -> Result<Caller, AppError> {
    let user = require_user().await?;
    Ok(Caller {
        user,
        pool: crate::platform::pool()?,
        now: now_ms(),
    })
}

/// The logged-in caller with the pool and the time, or `None` for a
/// visitor (for reads that show a visitor nothing rather than refuse).
pub async fn visitor() -> Result<Option<Caller>, AppError> {
    let Some(user) = current_user().await? else {
        return Ok(None);
    };
    Ok(Some(Caller {
        user,
        pool: crate::platform::pool()?,
        now: now_ms(),
    }))
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
    let address = client_address(&state);
    let key = throttle::guest_key(&address);
    let limit = throttle::guests(state.config.guests_per_hour);
    if let Err(t) = throttle::reserve(&state.pool, &[(&key, limit)], now_ms()).await? {
        tracing::warn!(target: "security", event = "guest_throttled", request_id = %request_id(), %address);
        return Err(t.into());
    }
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
