//! Results downloads: `GET /sets/{id}/results/export/answers` (one CSV row
//! per candidate × question) and `/summary` (one row per candidate). The
//! set's owner and admins only, as the results page.

use axum::{
    extract::{Path, State},
    http::{header, HeaderMap},
    response::{IntoResponse, Response},
};
use uuid::Uuid;

use super::db;
use crate::error::AppError;
use crate::platform::{now_ms, AppState};
use crate::sets::export::{recruiter, refuse};
use crate::sets::transfer::csv_cell as cell;

fn csv_response(name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.csv\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

pub async fn results(
    State(state): State<AppState>,
    Path((id, kind)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let viewer = match recruiter(&state, &headers).await {
        Ok(v) => v,
        Err(e) => return refuse(&e),
    };
    let Ok(set) = Uuid::parse_str(&id) else {
        return refuse(&AppError::NotFound("That set".into()));
    };
    let tz = match crate::accounts::db::user_zone(&state.pool, viewer.id).await {
        Ok(tz) => tz,
        Err(e) => return refuse(&e),
    };
    let rows = match db::results(&state.pool, set, viewer, &tz).await {
        Ok(rows) => rows,
        Err(e) => return refuse(&e),
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    let written: Result<(), csv::Error> = match kind.as_str() {
        "summary" => summary_csv(&mut out, &rows),
        "answers" => {
            let lines = match db::answer_lines(&state.pool, set, viewer).await {
                Ok(lines) => lines,
                Err(e) => return refuse(&e),
            };
            answers_csv(&mut out, &lines)
        }
        _ => return refuse(&AppError::NotFound("That download".into())),
    };
    let body = written
        .map_err(|e| e.to_string())
        .and_then(|()| out.into_inner().map_err(|e| e.to_string()));
    match body {
        Ok(body) => csv_response(&format!("results-{kind}-{}", now_ms() / 1000), body),
        Err(error) => {
            tracing::error!(%error, "results export failed");
            refuse(&AppError::Internal)
        }
    }
}

/// One row per candidate: the results table as a spreadsheet.
fn summary_csv(
    out: &mut csv::Writer<Vec<u8>>,
    rows: &[crate::sharing::types::ResultRow],
) -> Result<(), csv::Error> {
    out.write_record([
        "candidate",
        "link",
        "started",
        "finished",
        "answered",
        "questions",
        "self_score",
        "reviewer_score",
        "time_used_s",
        "timed_out",
        "overtime",
        "tab_hidden_times",
        "tab_hidden_s",
        "pastes",
        "pasted_chars",
        "review_status",
        "recommendation",
    ])?;
    for r in rows {
        out.write_record([
            cell(if r.deleted {
                "(deleted their data)"
            } else {
                &r.name
            }),
            cell(&r.link_label),
            r.started_label.clone(),
            r.finished.to_string(),
            r.answered.to_string(),
            r.questions.to_string(),
            opt(r.self_score),
            opt(r.reviewer_score),
            (r.time_used_ms / 1000).to_string(),
            r.timed_out.to_string(),
            r.overtime.to_string(),
            r.hidden_count.to_string(),
            (r.hidden_ms / 1000).to_string(),
            r.paste_count.to_string(),
            r.paste_chars.to_string(),
            r.status.label().to_owned(),
            opt(r.recommendation.map(|x| x.as_str())),
        ])?;
    }
    Ok(())
}

/// One row per answer, with both grades and the reviewer's comment.
fn answers_csv(out: &mut csv::Writer<Vec<u8>>, lines: &[db::AnswerLine]) -> Result<(), csv::Error> {
    let mut result = out.write_record([
        "candidate",
        "position",
        "question",
        "answered",
        "self_grade",
        "reviewer_grade",
        "self_ticks",
        "reviewer_ticks",
        "key_points",
        "time_spent_s",
        "limit_s",
        "timed_out",
        "comment",
    ]);
    let count = |ticks: &str| serde_json::from_str::<Vec<u32>>(ticks).map_or(0, |t| t.len());
    let points = |json: &str| serde_json::from_str::<Vec<String>>(json).map_or(0, |p| p.len());
    for a in lines {
        let record = out.write_record([
            cell(&a.display_name),
            (a.position + 1).to_string(),
            cell(&a.prompt),
            a.answered.to_string(),
            opt(a.self_grade),
            opt(a.reviewer_grade),
            count(&a.self_ticks).to_string(),
            count(a.reviewer_ticks.as_deref().unwrap_or("[]")).to_string(),
            points(&a.key_points).to_string(),
            opt(a.time_spent_ms.map(|ms| ms / 1000)),
            opt(a.limit_ms.map(|ms| ms / 1000)),
            a.timed_out.to_string(),
            cell(a.comment.as_deref().unwrap_or_default()),
        ]);
        result = result.and(record);
    }
    result
}
