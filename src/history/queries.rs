//! SQL for history: aggregates in SQL, one query per page.

use uuid::Uuid;

// This backend's pool, connections and transactions (see `platform/db`).
use super::{begin_write, Pool};
// The other domains' queries this one calls, compiled for the same backend.
use super::{grading, sessions};
use crate::error::AppError;
use crate::history::db::ListFilter;
use crate::history::types::*;
use crate::questions::types::Level;
use crate::sessions::{db::SessionStatus, types::Mode};

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    mode: Mode,
    started_at: i64,
    status: SessionStatus,
    question_count: i64,
    answered: i64,
    graded: i64,
    mean_x100: Option<i64>,
    time_used: i64,
}

/// The user's sessions, newest first, filtered. A level or topic matches a
/// session holding at least one question of it.
pub async fn list(
    pool: &Pool,
    user: Uuid,
    filter: &ListFilter<'_>,
    page: u32,
) -> Result<Vec<HistoryItem>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.id, s.mode, s.started_at, s.status, s.question_count,
                count(a.submitted_at) AS answered,
                count(a.self_grade) AS graded,
                CAST(round(avg(a.self_grade) * 100) AS BIGINT) AS mean_x100,
                CAST(coalesce(sum(a.time_spent_ms), 0) AS BIGINT) AS time_used
         FROM interview_sessions s
         LEFT JOIN session_answers a ON a.session_id = s.id
         WHERE s.user_id = $1 AND ($2 IS NULL OR s.mode = $2)
           AND ($5 IS NULL OR s.started_at >= $5) AND ($6 IS NULL OR s.started_at < $6)
           AND (($7 IS NULL AND $8 IS NULL) OR EXISTS (
                SELECT 1 FROM session_answers f
                WHERE f.session_id = s.id AND ($7 IS NULL OR f.level = $7)
                  AND ($8 IS NULL OR f.topic_id = (SELECT id FROM topics WHERE slug = $8))))
         GROUP BY s.id
         ORDER BY s.started_at DESC
         LIMIT $3 OFFSET $4",
    )
    .bind(user)
    .bind(filter.mode.map(Mode::as_str))
    .bind(HISTORY_PAGE_SIZE)
    .bind(i64::from(page) * HISTORY_PAGE_SIZE)
    .bind(filter.since)
    .bind(filter.until)
    .bind(filter.level.map(Level::as_str))
    .bind(filter.topic)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HistoryItem {
            session_id: r.id.to_string(),
            mode: r.mode,
            started_at: r.started_at,
            started_label: String::new(),
            finished: r.status != SessionStatus::Active,
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
    level: Level,
    topic_name: String,
    answer: Option<String>,
    answer_rendered: Option<String>,
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
    hide_reference: bool,
    share_feedback: bool,
    shared: bool,
    reviewer_grade: Option<i64>,
    reviewer_comment: Option<String>,
}

/// Every answer of one of the user's sessions beside its reference (unless
/// a shared set keeps its references private), with the reviewer's grade
/// and comment when the set shares them.
/// Another user's session is reported as not found.
pub async fn past_session(
    pool: &Pool,
    id: Uuid,
    user: Uuid,
) -> Result<Vec<ReviewedAnswer>, AppError> {
    let owner: Option<Uuid> =
        sqlx::query_scalar("SELECT user_id FROM interview_sessions WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    if owner != Some(user) {
        return Err(AppError::NotFound("That session".into()));
    }
    sessions::render_missing(pool, id).await?;
    let rows: Vec<AnswerRow> = sqlx::query_as(
        "SELECT a.position, q.slug, v.prompt, v.level, t.name AS topic_name, a.answer, a.answer_rendered,
                v.answer_html, v.key_points, a.key_points_hit, a.self_grade, a.time_spent_ms,
                a.started_at, a.deadline_at, a.timed_out, a.overtime_ms, a.flagged, a.note,
                coalesce(sv.hide_reference, s.set_version IS NOT NULL) AS hide_reference,
                coalesce(sv.share_feedback, FALSE) AS share_feedback,
                s.set_version IS NOT NULL AS shared,
                r.grade AS reviewer_grade, r.comment AS reviewer_comment
         FROM session_answers a
         JOIN interview_sessions s ON s.id = a.session_id
         LEFT JOIN set_versions sv ON sv.set_id = s.set_id AND sv.version = s.set_version
         LEFT JOIN answer_reviews r ON r.session_id = a.session_id AND r.position = a.position
         JOIN questions q ON q.id = a.question_id
         -- What the candidate saw, whatever the question says today.
         JOIN question_versions v ON v.question_id = a.question_id AND v.revision = a.question_revision
         JOIN topics t ON t.id = v.topic_id
         WHERE a.session_id = $1 ORDER BY a.position",
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
            level: r.level,
            topic_name: r.topic_name,
            answer_rendered: match (r.answer_rendered, &r.answer) {
                (Some(html), _) => html,
                (None, Some(text)) => crate::questions::markdown::plain(text),
                (None, None) => String::new(),
            },
            answer: r.answer,
            answer_html: if r.hide_reference {
                String::new()
            } else {
                r.answer_html
            },
            key_points: if r.hide_reference {
                Vec::new()
            } else {
                serde_json::from_str(&r.key_points).unwrap_or_default()
            },
            reviewer: r.share_feedback.then(|| {
                (
                    r.reviewer_grade.and_then(|g| u8::try_from(g).ok()),
                    r.reviewer_comment.unwrap_or_default(),
                )
            }),
            key_points_hit: serde_json::from_str(&r.key_points_hit).unwrap_or_default(),
            grade: r.self_grade.and_then(|g| u8::try_from(g).ok()),
            time_spent_ms: r.time_spent_ms,
            limit_ms: r.started_at.zip(r.deadline_at).map(|(a, b)| b - a),
            timed_out: r.timed_out,
            overtime_ms: r.overtime_ms,
            flagged: r.flagged,
            note: r.note,
            revisions: Vec::new(),
            shared: r.shared,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    position: i64,
    changed_at: i64,
    old_grade: Option<i64>,
    new_grade: Option<i64>,
    old_note: String,
    new_note: String,
}

/// Every re-grade and note edit of one session's answers, oldest first,
/// as (position, revision at Unix ms). One query for the whole session.
pub async fn revisions(pool: &Pool, id: Uuid) -> Result<Vec<(u32, i64, Revision)>, AppError> {
    let rows: Vec<RevisionRow> = sqlx::query_as(
        "SELECT position, changed_at, old_grade, new_grade, old_note, new_note
         FROM answer_revisions WHERE session_id = $1 ORDER BY position, changed_at, id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let grade = |g: Option<i64>| g.and_then(|g| u8::try_from(g).ok());
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                u32::try_from(r.position).unwrap_or(0),
                r.changed_at,
                Revision {
                    changed_label: String::new(),
                    old_grade: grade(r.old_grade),
                    new_grade: grade(r.new_grade),
                    old_note: r.old_note,
                    new_note: r.new_note,
                },
            )
        })
        .collect())
}

/// Changes a submitted answer's grade and note after the session, keeping
/// the earlier values in `answer_revisions`. Nothing changes (and nothing
/// is recorded) when both are the same as before.
pub async fn regrade(
    pool: &Pool,
    id: Uuid,
    user: Uuid,
    position: u32,
    grade: u8,
    note: &str,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    let session: Option<(Uuid, SessionStatus)> =
        sqlx::query_as("SELECT user_id, status FROM interview_sessions WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    match session {
        Some((owner, status)) if owner == user => {
            if status == SessionStatus::Active {
                return Err(AppError::Conflict(
                    "Finish the session first; until then grade answers in the session itself."
                        .into(),
                ));
            }
        }
        _ => return Err(AppError::NotFound("That session".into())),
    }
    let current: Option<(Option<i64>, String)> = sqlx::query_as(
        "SELECT self_grade, note FROM session_answers
         WHERE session_id = $1 AND position = $2 AND submitted_at IS NOT NULL",
    )
    .bind(id)
    .bind(i64::from(position))
    .fetch_optional(&mut *tx)
    .await?;
    let Some((old_grade, old_note)) = current else {
        return Err(AppError::Conflict(
            "That question was never answered, so there is nothing to grade.".into(),
        ));
    };
    if old_grade == Some(i64::from(grade)) && old_note == note {
        return Ok(());
    }
    let write = grading::GradeWrite {
        session: id,
        position,
        grade,
        note,
        ticked: None,
        flagged: None,
        keep_revision: true,
        now,
    };
    grading::write(&mut tx, &write).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct PastRow {
    session_id: Uuid,
    submitted_at: i64,
    self_grade: Option<i64>,
    time_spent_ms: Option<i64>,
    answer: String,
}

/// The user's submitted answers to one question, newest first, each as a
/// diff against the attempt before it. One query; diffs are computed on
/// at most [`PAST_ANSWERS_LIMIT`] + 1 answers.
pub async fn past_answers(
    pool: &Pool,
    user: Uuid,
    slug: &str,
    tz: &jiff::tz::TimeZone,
) -> Result<Vec<PastAnswer>, AppError> {
    let mut rows: Vec<PastRow> = sqlx::query_as(
        "SELECT a.session_id, a.submitted_at, a.self_grade, a.time_spent_ms, coalesce(a.answer, '') AS answer
         FROM session_answers a
         WHERE a.user_id = $1 AND a.question_id = (SELECT id FROM questions WHERE slug = $2)
           AND a.submitted_at IS NOT NULL
         ORDER BY a.submitted_at DESC LIMIT $3",
    )
    .bind(user)
    .bind(slug)
    .bind(PAST_ANSWERS_LIMIT + 1)
    .fetch_all(pool)
    .await?;
    // Oldest first, so each attempt can be compared with the one before.
    rows.reverse();
    let labels: Vec<String> = rows
        .iter()
        .map(|row| crate::accounts::days::local_label(row.submitted_at, tz))
        .collect();
    // Diffs are CPU work with a deadline: off the async workers.
    let mut out = tokio::task::spawn_blocking(move || {
        let deadline = std::time::Instant::now() + crate::history::diff::PAGE_BUDGET;
        let mut out: Vec<PastAnswer> = Vec::with_capacity(rows.len());
        let mut previous: Option<&str> = None;
        for (row, submitted_label) in rows.iter().zip(labels) {
            let diff = previous
                .map(|before| crate::history::diff::word_diff(before, &row.answer, deadline));
            out.push(PastAnswer {
                session_id: row.session_id.to_string(),
                submitted_label,
                grade: row.self_grade.and_then(|g| u8::try_from(g).ok()),
                time_spent_ms: row.time_spent_ms,
                too_different: matches!(diff, Some(None)),
                diff: diff
                    .flatten()
                    .unwrap_or_else(|| crate::history::diff::unchanged(&row.answer)),
            });
            previous = Some(&row.answer);
        }
        out
    })
    .await
    .map_err(|_| AppError::Internal)?;
    out.reverse();
    // The extra oldest row only served as the first shown one's "before".
    out.truncate(PAST_ANSWERS_LIMIT as usize);
    Ok(out)
}
