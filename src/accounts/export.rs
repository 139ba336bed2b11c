//! `GET /account/export`: all of the caller's data as a JSON download.
//! A plain route rather than a server function so the browser can save the
//! file with a link; it only reads, and SameSite cookies keep other sites
//! from reading it on a visitor's behalf.

use axum::{
    extract::State,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

use super::{db, session};
use crate::server::{db::now_ms, AppState};

pub async fn download(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = session::token_from_headers(&headers, state.config.session_cookie_name())
    else {
        return (StatusCode::UNAUTHORIZED, "Log in to download your data.").into_response();
    };
    let user = match session::lookup(&state.pool, &token, now_ms()).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            return (StatusCode::UNAUTHORIZED, "Log in to download your data.").into_response()
        }
        Err(error) => {
            tracing::error!(%error, "export: session lookup failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong.").into_response();
        }
    };
    match db::export(&state.pool, user.id).await {
        Ok(json) => (
            [
                (header::CONTENT_TYPE, "application/json".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"rehearse-{}.json\"", user.username),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            json.to_string(),
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "export failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong.").into_response()
        }
    }
}
