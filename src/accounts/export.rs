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
    http::{header, HeaderMap},
    response::{IntoResponse, Response},
};

use super::{db, session};

/// The longest an export may take, download included.
const EXPORT_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);
use crate::error::AppError;
use crate::platform::{now_ms, AppState};

pub async fn download(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = session::token_from_headers(&headers, state.config.session_cookie_name())
    else {
        return AppError::Unauthorized.into_response();
    };
    let user = match session::lookup(&state.pool, &token, now_ms()).await {
        Ok(Some(user)) => user,
        Ok(None) => return AppError::Unauthorized.into_response(),
        Err(error) => return AppError::from(error).into_response(),
    };
    // An export holds a database connection and a read snapshot while the
    // client downloads: a few at a time, each with a time limit, so slow or
    // stalled downloads can't take the pool.
    let Ok(permit) = std::sync::Arc::clone(&state.exports).try_acquire_owned() else {
        return AppError::RateLimited {
            retry_after_secs: 10,
        }
        .into_response();
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<String, std::io::Error>>(32);
    let pool = state.pool.clone();
    let id = user.id;
    tokio::spawn(async move {
        let export = db::export(&pool, id, tx.clone());
        let problem = match tokio::time::timeout(EXPORT_TIME_LIMIT, export).await {
            Ok(Ok(true)) => None,
            Ok(Ok(false)) => Some("the user vanished"),
            Ok(Err(error)) => {
                tracing::error!(%error, "export failed part-way");
                Some("database error")
            }
            Err(_) => {
                tracing::warn!("export stopped: the download took too long");
                Some("time limit")
            }
        };
        // An error ends the response abruptly, so the browser reports a
        // failed download instead of saving a cut-off file as complete.
        if let Some(problem) = problem {
            let _ = tx.send(Err(std::io::Error::other(problem))).await;
        }
        drop(permit);
    });
    // Fused: the compression layer may poll once more after the end.
    let chunks =
        futures_util::StreamExt::fuse(futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|chunk| (chunk, rx))
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
