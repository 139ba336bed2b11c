//! `GET /account/export`: all of the caller's data as a JSON download.
//! A plain route rather than a server function so the browser can save the
//! file with a link; it only reads, and SameSite cookies keep other sites
//! from reading it on a visitor's behalf.
//!
//! The document is streamed as the rows are read, so a user with years of
//! answers costs a few kilobytes of memory, not the whole file.

use axum::{
    body::Body,
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
    let (tx, rx) = tokio::sync::mpsc::channel::<String>(32);
    let pool = state.pool.clone();
    let id = user.id;
    tokio::spawn(async move {
        match db::export(&pool, id, tx).await {
            Ok(true) => {}
            Ok(false) => tracing::warn!("export: the user vanished"),
            // The client sees a cut-off download, which no JSON parser
            // accepts: it can't be mistaken for a complete export.
            Err(error) => tracing::error!(%error, "export failed part-way"),
        }
    });
    // Fused: the compression layer may poll once more after the end.
    let chunks =
        futures_util::StreamExt::fuse(futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv()
                .await
                .map(|chunk| (Ok::<_, std::io::Error>(chunk), rx))
        }));
    (
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"rehearse-{}.json\"", user.username),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Body::from_stream(chunks),
    )
        .into_response()
}
