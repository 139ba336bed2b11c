//! Downloads of a set, or of all of a recruiter's questions, as JSON, CSV
//! or Markdown: plain GET routes so a link saves the file. Only the owner
//! (or an admin, for a set) gets one; anyone else gets what a missing set
//! gets.

use axum::{
    extract::{Path, State},
    http::{header, HeaderMap},
    response::{IntoResponse, Response},
};
use uuid::Uuid;

use super::{db, transfer};
use crate::accounts::{authz::AuthUser, session, types::Role};
use crate::error::AppError;
use crate::platform::{now_ms, AppState};

/// The formats a download can take.
#[derive(Clone, Copy)]
enum Format {
    Json,
    Csv,
    Markdown,
}

impl Format {
    fn parse(raw: &str) -> Option<Self> {
        match raw {
            "json" => Some(Self::Json),
            "csv" => Some(Self::Csv),
            "md" => Some(Self::Markdown),
            _ => None,
        }
    }

    fn render(self, t: &transfer::Transfer) -> (String, &'static str, &'static str) {
        match self {
            Self::Json => (transfer::to_json(t), "application/json", "json"),
            Self::Csv => (transfer::to_csv(t), "text/csv; charset=utf-8", "csv"),
            Self::Markdown => (
                transfer::to_markdown(t),
                "text/markdown; charset=utf-8",
                "md",
            ),
        }
    }
}

pub(crate) fn refuse(error: &AppError) -> Response {
    error.clone().into_response()
}

/// The owner or recruiter of a team (or an admin) this request comes from,
/// acting for the team they act for in the app.
pub(crate) async fn recruiter(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<db::Viewer, AppError> {
    let token = session::token_from_headers(headers, state.config.session_cookie_name())
        .ok_or(AppError::Unauthorized)?;
    let now = now_ms();
    let user: AuthUser = session::lookup(&state.pool, &token, now)
        .await?
        .ok_or(AppError::Unauthorized)?
        .into();
    let acting = crate::teams::authz::acting(&state.pool, &user, now)
        .await?
        .filter(|a| a.role.builds_sets())
        .ok_or(AppError::Forbidden)?;
    Ok(db::Viewer {
        id: user.id,
        team: acting.team,
        admin: user.role == Role::Admin,
    })
}

fn download(t: &transfer::Transfer, format: Format, name: &str) -> Response {
    let (body, content_type, ext) = format.render(t);
    // The file name comes from the title: keep it to safe characters.
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-");
    let stem = if stem.is_empty() {
        "questions".to_owned()
    } else {
        stem
    };
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{stem}.{ext}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// `GET /sets/{id}/export/{json|csv|md}`
pub async fn set(
    State(state): State<AppState>,
    Path((id, format)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let viewer = match recruiter(&state, &headers).await {
        Ok(v) => v,
        Err(e) => return refuse(&e),
    };
    let (Ok(id), Some(format)) = (Uuid::parse_str(&id), Format::parse(&format)) else {
        return refuse(&AppError::NotFound("That set".into()));
    };
    match db::export_set(&state.pool, id, viewer).await {
        Ok(t) => {
            let title = t.set.as_ref().map(|s| s.title.clone()).unwrap_or_default();
            download(&t, format, &title)
        }
        Err(e) => refuse(&e),
    }
}

/// `GET /sets/questions/export/{json|csv|md}`: all the caller's questions.
pub async fn questions(
    State(state): State<AppState>,
    Path(format): Path<String>,
    headers: HeaderMap,
) -> Response {
    let viewer = match recruiter(&state, &headers).await {
        Ok(v) => v,
        Err(e) => return refuse(&e),
    };
    let Some(format) = Format::parse(&format) else {
        return refuse(&AppError::NotFound("That format".into()));
    };
    match db::export_questions(&state.pool, viewer.team).await {
        Ok(t) => download(&t, format, "team-questions"),
        Err(e) => refuse(&e.into()),
    }
}
