//! Server functions for accounts. Each one authenticates, validates, calls
//! `db`, and maps the result; none trusts anything the browser says about
//! who it is.

use leptos::prelude::*;

use super::types::*;
use crate::error::AppError;

/// Who is logged in, if anyone. Guests count.
#[server(endpoint = "accounts/whoami")]
pub async fn whoami() -> Result<Option<UserInfo>, AppError> {
    Ok(super::authz::current_user().await?.map(|u| u.info()))
}

/// Creates an account (or upgrades the caller's guest account, keeping its
/// history), logs it in, and says where to go next.
#[server(endpoint = "accounts/register")]
pub async fn register(
    username: String,
    password: String,
    role: String,
    next: String,
) -> Result<String, AppError> {
    use super::{authz, db, password, session, throttle};
    use crate::platform::now_ms;
    let username = username.trim().to_owned();
    if let Some(problem) = username_problem(&username) {
        return Err(AppError::invalid("username", problem));
    }
    if let Some(problem) = password::password_problem(&password, &username) {
        return Err(AppError::invalid("password", problem));
    }
    let role = match Role::parse(&role) {
        Some(r @ (Role::Candidate | Role::Recruiter)) => r,
        _ => return Err(AppError::invalid("role", "Choose candidate or recruiter.")),
    };
    let state = crate::platform::app_state()?;
    if role == Role::Recruiter
        && state.config.recruiter_signup == crate::platform::config::RecruiterSignup::Invite
    {
        return Err(AppError::invalid(
            "role",
            "On this server, recruiters join through an invitation from a hiring team. Register as a candidate, then open the invitation link.",
        ));
    }
    let address = authz::client_address(&state);
    let limit = throttle::registrations(state.config.registrations_per_hour);
    let key = throttle::register_key(&address);
    if let Err(t) = throttle::reserve(&state.pool, &[(&key, limit)], now_ms()).await? {
        tracing::warn!(target: "security", event = "registration_throttled", request_id = %super::authz::request_id(), %address);
        return Err(t.into());
    }
    let hash = state
        .hashing
        .run(move || password::hash(&password))
        .await?
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            AppError::Internal
        })?;
    let caller = authz::current_user().await?;
    let created = match caller.filter(|u| u.is_guest) {
        Some(guest) => db::upgrade_guest(&state.pool, guest.id, &username, &hash, role).await?,
        None => db::create_user(&state.pool, &username, &hash, role).await?,
    };
    let id = match created {
        db::Created::Ok(id) => id,
        db::Created::UsernameTaken => {
            return Err(AppError::invalid(
                "username",
                "That username is taken. Try another.",
            ))
        }
    };
    if role == Role::Recruiter {
        db::make_personal_team(&state.pool, id, now_ms()).await?;
    }
    // A new token on every login: whatever token the browser held before
    // (a guest's, or one planted by an attacker) stops working.
    if let Some(old) = authz::request_token(&state) {
        session::delete(&state.pool, &old).await?;
    }
    let token = session::create(&state.pool, id).await?;
    authz::set_session_cookie(&state, Some(&token));
    tracing::info!(target: "security", event = "registered", request_id = %super::authz::request_id(), ?username);
    Ok(safe_next(&next))
}

#[server(endpoint = "accounts/login")]
pub async fn login(username: String, password: String, next: String) -> Result<String, AppError> {
    use super::{authz, db, password as pw, session, throttle};
    use crate::platform::now_ms;
    let username = username.trim().to_owned();
    if username.is_empty() || password.is_empty() {
        return Err(AppError::invalid(
            "username",
            "Enter your username and password.",
        ));
    }
    // Longer than any username or password can be: no such account,
    // and not worth a hash.
    if username.len() > USERNAME_MAX * 4 || password.len() > PASSWORD_MAX * 4 {
        return Err(AppError::invalid("password", "Wrong username or password."));
    }
    let state = crate::platform::app_state()?;
    let address = authz::client_address(&state);
    // The attempt is counted before the password is checked, in one
    // transaction with the check, so parallel guesses can't all pass.
    let user_key = throttle::login_user_key(&username);
    let address_key = throttle::login_address_key(&address);
    let keys = [
        (user_key.as_str(), throttle::LOGIN_PER_USERNAME),
        (address_key.as_str(), throttle::LOGIN_PER_ADDRESS),
    ];
    let reservation = match throttle::reserve(&state.pool, &keys, now_ms()).await? {
        Ok(r) => r,
        Err(t) => {
            tracing::warn!(target: "security", event = "login_throttled", request_id = %super::authz::request_id(), ?username, %address);
            return Err(t.into());
        }
    };
    let found = db::find_login(&state.pool, &username).await?;
    // Exactly one hash either way, so timing can't tell a wrong
    // password from an unknown user.
    let found = found.map(|row| (row.id, row.password_hash));
    let user_id = state
        .hashing
        .run(move || pw::check_login(found, &password))
        .await?;
    let Some(user_id) = user_id else {
        tracing::warn!(target: "security", event = "login_failed", request_id = %super::authz::request_id(), ?username, %address);
        // One message for "no such user" and "wrong password".
        return Err(AppError::invalid("password", "Wrong username or password."));
    };
    throttle::clear(&state.pool, &user_key).await?;
    throttle::refund(&state.pool, reservation).await?;
    if let Some(old) = authz::request_token(&state) {
        session::delete(&state.pool, &old).await?;
    }
    let token = session::create(&state.pool, user_id).await?;
    authz::set_session_cookie(&state, Some(&token));
    tracing::info!(target: "security", event = "login", request_id = %super::authz::request_id(), ?username);
    Ok(safe_next(&next))
}

/// Ends this session on the server and clears the cookie. The nav's button
/// is a plain form post: it lands on the start page, also when the session
/// had already ended (another tab logged out, or it expired).
#[server(endpoint = "accounts/logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::{authz, session};
    let state = crate::platform::app_state()?;
    crate::platform::request::redirect_form_post("/");
    if authz::current_user().await?.is_none() && !crate::platform::request::is_plain_form_post() {
        return Err(AppError::Unauthorized);
    }
    if let Some(token) = authz::request_token(&state) {
        session::delete(&state.pool, &token).await?;
    }
    authz::set_session_cookie(&state, None);
    Ok(())
}

/// Changes the password; every other session of the account ends.
#[server(endpoint = "accounts/password")]
pub async fn change_password(current: String, new_password: String) -> Result<(), AppError> {
    use super::{authz, db, password, session};
    let user = authz::require_account().await?;
    let state = crate::platform::app_state()?;
    if let Some(problem) = password::password_problem(&new_password, &user.username) {
        return Err(AppError::invalid("new_password", problem));
    }
    let reservation = reserve_account_change(&state, &user, "password_change").await?;
    let stored = db::password_hash(&state.pool, user.id)
        .await?
        .unwrap_or_default();
    let hash = state
        .hashing
        .run(move || {
            if password::verify(&current, &stored) {
                password::hash(&new_password).map(Some)
            } else {
                Ok(None)
            }
        })
        .await?
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            AppError::Internal
        })?;
    let Some(hash) = hash else {
        tracing::warn!(target: "security", event = "password_change_refused", request_id = %super::authz::request_id(), username = %user.username);
        return Err(AppError::invalid(
            "current",
            "Your current password is not right.",
        ));
    };
    let keep = authz::request_token(&state);
    let keep = keep.as_deref().map(session::hash_token);
    db::set_password(&state.pool, user.id, &hash, keep.as_deref()).await?;
    super::throttle::refund(&state.pool, reservation).await?;
    tracing::info!(target: "security", event = "password_changed", request_id = %super::authz::request_id(), username = %user.username);
    Ok(())
}

/// Deletes the account and everything in it. The current password is
/// required: a session left open on a shared computer must not be enough.
#[server(endpoint = "accounts/delete")]
pub async fn delete_account(password: String) -> Result<(), AppError> {
    use super::{authz, db, password as pw};
    let user = authz::require_account().await?;
    let state = crate::platform::app_state()?;
    if password.is_empty() || password.len() > PASSWORD_MAX * 4 {
        return Err(AppError::invalid(
            "password",
            "Enter your password to confirm.",
        ));
    }
    let reservation = reserve_account_change(&state, &user, "account_delete").await?;
    let stored = db::password_hash(&state.pool, user.id)
        .await?
        .unwrap_or_default();
    let ok = state
        .hashing
        .run(move || pw::verify(&password, &stored))
        .await?;
    if !ok {
        tracing::warn!(target: "security", event = "account_delete_refused", request_id = %super::authz::request_id(), username = %user.username);
        return Err(AppError::invalid("password", "That password is not right."));
    }
    super::throttle::refund(&state.pool, reservation).await?;
    db::delete_user(&state.pool, user.id).await?;
    authz::set_session_cookie(&state, None);
    tracing::info!(target: "security", event = "account_deleted", request_id = %super::authz::request_id(), username = %user.username);
    Ok(())
}

/// Counts a password-checking change against the account's limit.
#[cfg(feature = "ssr")]
async fn reserve_account_change(
    state: &crate::platform::AppState,
    user: &super::authz::AuthUser,
    event: &'static str,
) -> Result<super::throttle::Reservation, AppError> {
    use super::throttle;
    let key = throttle::account_key(user.id);
    let now = crate::platform::now_ms();
    match throttle::reserve(&state.pool, &[(&key, throttle::ACCOUNT_CHANGES)], now).await? {
        Ok(r) => Ok(r),
        Err(t) => {
            tracing::warn!(target: "security", event, request_id = %super::authz::request_id(), username = %user.username, "throttled");
            Err(t.into())
        }
    }
}
