//! SQL for history: aggregates in SQL, one query per page.

use sqlx::SqlitePool;
use uuid::Uuid;

use super::types::*;
use crate::error::AppError;
use crate::questions::types::Level;
use crate::sessions::types::Mode;

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    mode: String,
    started_at: i64,
    status: String,
    question_count: i64,
    answered: i64,
    graded: i64,
    mean_x100: Option<i64>,
    time_used: i64,
}

/// The user's sessions, newest first, optionally of one mode.
pub async fn list(
    pool: &SqlitePool,
    user: Uuid,
    mode: Option<Mode>,
    page: u32,
) -> Result<Vec<HistoryItem>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.id, s.mode, s.started_at, s.status, s.question_count,
                count(a.submitted_at) AS answered,
                count(a.self_grade) AS graded,
                CAST(round(avg(a.self_grade) * 100) AS INTEGER) AS mean_x100,
                coalesce(sum(a.time_spent_ms), 0) AS time_used
         FROM interview_sessions s
         LEFT JOIN session_answers a ON a.session_id = s.id
         WHERE s.user_id = ?1 AND (?2 IS NULL OR s.mode = ?2)
         GROUP BY s.id
         ORDER BY s.started_at DESC
         LIMIT ?3 OFFSET ?4",
    )
    .bind(user)
    .bind(mode.map(Mode::as_str))
    .bind(HISTORY_PAGE_SIZE)
    .bind(i64::from(page) * HISTORY_PAGE_SIZE)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HistoryItem {
            session_id: r.id.to_string(),
            mode: Mode::parse(&r.mode).unwrap_or(Mode::Practice),
            started_at: r.started_at,
            finished: r.status != "active",
            count: u32::try_from(r.question_count).unwrap_or(0),
            answered: u32::try_from(r.answered).unwrap_or(0),
            graded: u32::try_from(r.graded).unwrap_or(0),
            mean_grade_x100: r.mean_x100,
            time_used_ms: r.time_used,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct AnswerRow {
    position: i64,
    slug: String,
    prompt: String,
    level: String,
    topic_name: String,
    answer: Option<String>,
    answer_html: String,
    key_points: String,
    key_points_hit: String,
    self_grade: Option<i64>,
    time_spent_ms: Option<i64>,
    started_at: Option<i64>,
    deadline_at: Option<i64>,
    timed_out: bool,
    overtime_ms: i64,
    flagged: bool,
    note: String,
}

/// Every answer of one of the user's sessions beside its reference.
/// Another user's session is reported as not found.
pub async fn review(
    pool: &SqlitePool,
    id: Uuid,
    user: Uuid,
) -> Result<Vec<ReviewedAnswer>, AppError> {
    let owner: Option<Uuid> =
        sqlx::query_scalar("SELECT user_id FROM interview_sessions WHERE id = ?1")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    if owner != Some(user) {
        return Err(AppError::NotFound("That session".into()));
    }
    let rows: Vec<AnswerRow> = sqlx::query_as(
        "SELECT a.position, q.slug, q.prompt, q.level, t.name AS topic_name, a.answer,
                q.answer_html, q.key_points, a.key_points_hit, a.self_grade, a.time_spent_ms,
                a.started_at, a.deadline_at, a.timed_out, a.overtime_ms, a.flagged, a.note
         FROM session_answers a
         JOIN questions q ON q.id = a.question_id
         JOIN topics t ON t.id = q.topic_id
         WHERE a.session_id = ?1 ORDER BY a.position",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ReviewedAnswer {
            position: u32::try_from(r.position).unwrap_or(0),
            slug: r.slug,
            prompt: r.prompt,
            level: Level::parse(&r.level).unwrap_or(Level::Beginner),
            topic_name: r.topic_name,
            answer: r.answer,
            answer_html: r.answer_html,
            key_points: serde_json::from_str(&r.key_points).unwrap_or_default(),
            key_points_hit: serde_json::from_str(&r.key_points_hit).unwrap_or_default(),
            grade: r.self_grade.and_then(|g| u8::try_from(g).ok()),
            time_spent_ms: r.time_spent_ms,
            limit_ms: r.started_at.zip(r.deadline_at).map(|(a, b)| b - a),
            timed_out: r.timed_out,
            overtime_ms: r.overtime_ms,
            flagged: r.flagged,
            note: r.note,
        })
        .collect())
}
