//! SQL for share links, candidates' attempts, results and reviews.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

// This backend's pool, connection and transactions (see `server/db`),
// and its sessions' queries.
use super::sessions::{close_by_recruiter, insert_set_session, FrozenItem, SetRun};
use super::{begin_write, Conn, Pool};

use crate::error::AppError;
use crate::questions::types::Level;
use crate::sessions::db::CLOSED_BY_RECRUITER;
use crate::sessions::types::{score_percent, Mode};
use crate::sets::db::Viewer;
use crate::sharing::db::{AnswerLine, ReviewerMarks};
use crate::sharing::types::*;

/// A new share code: 144 random bits, URL-safe (24 characters).
pub fn new_code() -> Result<String, AppError> {
    let mut bytes = [0u8; 18];
    getrandom::getrandom(&mut bytes).map_err(|e| {
        tracing::error!(error = %e, "no randomness for a share code");
        AppError::Internal
    })?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

fn code_hash(code: &str) -> Vec<u8> {
    Sha256::digest(code.as_bytes()).to_vec()
}

/// The set's owner, if `viewer` may read it (owner, or admin).
async fn readable_set(conn: &mut Conn, set: Uuid, viewer: Viewer) -> Result<Uuid, AppError> {
    let owner: Option<Uuid> =
        sqlx::query_scalar("SELECT owner_id FROM question_sets WHERE id = $1")
            .bind(set)
            .fetch_optional(conn)
            .await?;
    match owner {
        Some(o) if o == viewer.id || viewer.admin => Ok(o),
        _ => Err(AppError::NotFound("That set".into())),
    }
}

/// Creates a link to the set as it is now (freezing a version).
pub async fn create_link(
    pool: &Pool,
    set: Uuid,
    owner: Uuid,
    label: &str,
    expires_at: Option<i64>,
    max_candidates: Option<u32>,
    now: i64,
) -> Result<Uuid, AppError> {
    let mut tx = begin_write(pool).await?;
    let set_owner = readable_set(
        &mut tx,
        set,
        Viewer {
            id: owner,
            admin: false,
        },
    )
    .await?;
    if set_owner != owner {
        return Err(AppError::NotFound("That set".into()));
    }
    let questions: i64 =
        sqlx::query_scalar("SELECT count(*) FROM question_set_items WHERE set_id = $1")
            .bind(set)
            .fetch_one(&mut *tx)
            .await?;
    if questions == 0 {
        return Err(AppError::invalid(
            "link",
            "Add at least one question before sharing the set.",
        ));
    }
    let version = super::sets::freeze(&mut tx, set, now).await?;
    let id = Uuid::now_v7();
    let code = new_code()?;
    sqlx::query(
        "INSERT INTO share_links (id, set_id, set_version, code, code_hash, label, expires_at,
             max_candidates, state, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9)",
    )
    .bind(id)
    .bind(set)
    .bind(i64::from(version))
    .bind(&code)
    .bind(code_hash(&code))
    .bind(label)
    .bind(expires_at)
    .bind(max_candidates.map(i64::from))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    id: Uuid,
    set_id: Uuid,
    set_version: i64,
    code: String,
    label: String,
    expires_at: Option<i64>,
    max_candidates: Option<i64>,
    state: LinkState,
    taken: i64,
}

impl LinkRow {
    fn status(&self, now: i64) -> LinkStatus {
        LinkStatus::of(
            self.state,
            self.expires_at,
            self.max_candidates.and_then(|m| u32::try_from(m).ok()),
            u32::try_from(self.taken).unwrap_or(u32::MAX),
            now,
        )
    }
}

macro_rules! link_select {
    () => {
        "SELECT l.id, l.set_id, l.set_version, l.code, l.label, l.expires_at, l.max_candidates,
                l.state, (SELECT count(*) FROM candidate_attempts a WHERE a.link_id = l.id) AS taken
         FROM share_links l "
    };
}

/// The link a code names. Looked up by the code's hash, then compared in
/// constant time, so response times say nothing about near misses.
async fn find_link(conn: &mut Conn, code: &str) -> Result<Option<LinkRow>, sqlx::Error> {
    if code.is_empty() || code.len() > 64 {
        return Ok(None);
    }
    let row: Option<LinkRow> = sqlx::query_as(concat!(link_select!(), "WHERE l.code_hash = $1"))
        .bind(code_hash(code))
        .fetch_optional(conn)
        .await?;
    Ok(row.filter(|r| bool::from(r.code.as_bytes().ct_eq(code.as_bytes()))))
}

/// The set's links, newest first.
pub async fn links(
    pool: &Pool,
    set: Uuid,
    viewer: Viewer,
    tz: &jiff::tz::TimeZone,
    now: i64,
) -> Result<Vec<LinkInfo>, AppError> {
    let mut conn = pool.acquire().await?;
    readable_set(&mut conn, set, viewer).await?;
    let rows: Vec<LinkRow> = sqlx::query_as(concat!(
        link_select!(),
        "WHERE l.set_id = $1 ORDER BY l.created_at DESC"
    ))
    .bind(set)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LinkInfo {
            id: r.id.to_string(),
            status: r.status(now),
            code: r.code,
            label: r.label,
            expires_label: r
                .expires_at
                .map(|e| crate::dashboard::days::local_label(e, tz)),
            expires_at: r.expires_at,
            max_candidates: r.max_candidates.and_then(|m| u32::try_from(m).ok()),
            candidates: u32::try_from(r.taken).unwrap_or(0),
            state: r.state,
            version: u32::try_from(r.set_version).unwrap_or(0),
        })
        .collect())
}

/// Pauses, resumes or revokes one of the owner's links. Revoked is final.
/// Pausing stops new starts only; revoking also ends, in the same
/// transaction, every session still running from the link (its answers so
/// far kept and submitted).
pub async fn set_link_state(
    pool: &Pool,
    link: Uuid,
    owner: Uuid,
    state: LinkState,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    let changed = sqlx::query(
        "UPDATE share_links SET state = $3
         WHERE id = $1 AND state <> 'revoked'
           AND set_id IN (SELECT id FROM question_sets WHERE owner_id = $2)",
    )
    .bind(link)
    .bind(owner)
    .bind(state.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::NotFound("That link".into()));
    }
    if state == LinkState::Revoked {
        let running: Vec<Uuid> = sqlx::query_scalar(
            "SELECT s.id FROM candidate_attempts c JOIN interview_sessions s ON s.id = c.session_id
             WHERE c.link_id = $1 AND s.status = 'active'",
        )
        .bind(link)
        .fetch_all(&mut *tx)
        .await?;
        for session in running {
            close_by_recruiter(&mut tx, session, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    title: String,
    instructions: String,
    mode: Mode,
    per_question_secs: Option<i64>,
    total_secs: Option<i64>,
    shuffle: bool,
    owner: String,
    questions: i64,
}

async fn version(conn: &mut Conn, link: &LinkRow) -> Result<VersionRow, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.title, v.instructions, v.mode, v.per_question_secs, v.total_secs, v.shuffle,
                u.username AS owner,
                (SELECT count(*) FROM set_version_items i
                 WHERE i.set_id = v.set_id AND i.version = v.version) AS questions
         FROM set_versions v JOIN question_sets s ON s.id = v.set_id JOIN users u ON u.id = s.owner_id
         WHERE v.set_id = $1 AND v.version = $2",
    )
    .bind(link.set_id)
    .bind(link.set_version)
    .fetch_one(conn)
    .await
}

fn secs(v: Option<i64>) -> Option<u32> {
    v.and_then(|s| u32::try_from(s).ok())
}

/// What `/s/:code` shows. An unknown code is "not found", nothing more.
pub async fn landing(
    pool: &Pool,
    code: &str,
    caller: Option<(Uuid, Option<String>)>,
    now: i64,
) -> Result<Landing, AppError> {
    let mut conn = pool.acquire().await?;
    let link = find_link(&mut conn, code)
        .await?
        .ok_or_else(|| AppError::NotFound("That link".into()))?;
    let v = version(&mut conn, &link).await?;
    let resume = match &caller {
        Some((user, _)) => sqlx::query_scalar::<_, Option<Uuid>>(
            "SELECT session_id FROM candidate_attempts WHERE link_id = $1 AND user_id = $2",
        )
        .bind(link.id)
        .bind(user)
        .fetch_optional(&mut *conn)
        .await?
        .flatten()
        .map(|s| s.to_string()),
        None => None,
    };
    let questions = u32::try_from(v.questions).unwrap_or(0);
    Ok(Landing {
        rules: rules_in_words(
            v.mode,
            questions,
            secs(v.per_question_secs),
            secs(v.total_secs),
        ),
        title: v.title,
        instructions_html: crate::questions::markdown::render_apart(v.instructions)
            .await
            .ok_or(AppError::Internal)?,
        questions,
        owner: v.owner,
        status: link.status(now),
        resume,
        account_name: caller.and_then(|(_, name)| name),
    })
}

/// Starts (or resumes) `user`'s attempt at the link: one per account or
/// browser. The link's state and candidate limit are checked inside the
/// same write transaction that records the attempt, so parallel starts
/// can't overrun the limit. Returns the session to open.
pub async fn start(
    pool: &Pool,
    code: &str,
    user: Uuid,
    display_name: &str,
    now: i64,
) -> Result<Uuid, AppError> {
    let mut tx = begin_write(pool).await?;
    let link = find_link(&mut tx, code)
        .await?
        .ok_or_else(|| AppError::NotFound("That link".into()))?;
    let existing: Option<Option<Uuid>> = sqlx::query_scalar(
        "SELECT session_id FROM candidate_attempts WHERE link_id = $1 AND user_id = $2",
    )
    .bind(link.id)
    .bind(user)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(session) = existing {
        if link.state == LinkState::Revoked {
            return Err(AppError::Conflict(CLOSED_BY_RECRUITER.into()));
        }
        return session
            .ok_or_else(|| AppError::Conflict("You have already taken this interview.".into()));
    }
    let status = link.status(now);
    if status != LinkStatus::Open {
        return Err(AppError::Conflict(status.explanation().into()));
    }
    let v = version(&mut tx, &link).await?;
    // Two fixed queries rather than one assembled from the order.
    let sql = if v.shuffle {
        "SELECT question_id, question_revision, per_question_secs FROM set_version_items
         WHERE set_id = $1 AND version = $2 ORDER BY random()"
    } else {
        "SELECT question_id, question_revision, per_question_secs FROM set_version_items
         WHERE set_id = $1 AND version = $2 ORDER BY position"
    };
    let items: Vec<FrozenItem> = sqlx::query_as(sql)
        .bind(link.set_id)
        .bind(link.set_version)
        .fetch_all(&mut *tx)
        .await?;
    let run = SetRun {
        set_id: link.set_id,
        version: link.set_version,
        mode: v.mode,
        per_question_secs: v.per_question_secs,
        total_secs: v.total_secs,
        items: &items,
    };
    let session = insert_set_session(&mut tx, user, &run, now).await?;
    sqlx::query(
        "INSERT INTO candidate_attempts (id, link_id, session_id, user_id, display_name, started_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::now_v7())
    .bind(link.id)
    .bind(session)
    .bind(user)
    .bind(display_name)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(set = %link.set_id, "a candidate started a shared set");
    Ok(session)
}

/// Adds integrity signals to the attempt behind `session` (the caller's).
/// Information for the recruiter, never a verdict.
pub async fn record_signal(
    pool: &Pool,
    session: Uuid,
    user: Uuid,
    hidden_ms: i64,
    paste_chars: i64,
) -> Result<(), AppError> {
    let recorded = sqlx::query(
        "UPDATE candidate_attempts SET
             hidden_count = hidden_count + CASE WHEN $3 > 0 THEN 1 ELSE 0 END,
             hidden_ms = hidden_ms + $3,
             paste_count = paste_count + CASE WHEN $4 > 0 THEN 1 ELSE 0 END,
             paste_chars = paste_chars + $4
         WHERE session_id = $1 AND user_id = $2
           AND EXISTS (SELECT 1 FROM interview_sessions s WHERE s.id = $1 AND s.status = 'active')",
    )
    .bind(session)
    .bind(user)
    .bind(hidden_ms)
    .bind(paste_chars)
    .execute(pool)
    .await?
    .rows_affected();
    if recorded == 0 {
        return Err(AppError::Conflict(
            "This interview has ended, so nothing more is recorded for it.".into(),
        ));
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ResultSql {
    id: Uuid,
    label: String,
    display_name: String,
    session_id: Option<Uuid>,
    started_at: i64,
    finished: bool,
    answered: i64,
    questions: i64,
    self_mean: Option<i64>,
    reviewer_mean: Option<i64>,
    time_used: i64,
    timed_out: i64,
    overtime: i64,
    hidden_count: i64,
    hidden_ms: i64,
    paste_count: i64,
    paste_chars: i64,
    review_status: String,
    recommendation: Option<String>,
}

fn n(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

/// Every candidate of every link of the set, in one query.
pub async fn results(
    pool: &Pool,
    set: Uuid,
    viewer: Viewer,
    tz: &jiff::tz::TimeZone,
) -> Result<Vec<ResultRow>, AppError> {
    let mut conn = pool.acquire().await?;
    readable_set(&mut conn, set, viewer).await?;
    let rows: Vec<ResultSql> = sqlx::query_as(
        "SELECT a.id, l.label, a.display_name, a.session_id, a.started_at,
                coalesce(s.status = 'finished', FALSE) AS finished,
                coalesce(x.answered, 0) AS answered, coalesce(s.question_count, 0) AS questions,
                x.self_mean, r.reviewer_mean, coalesce(x.time_used, 0) AS time_used,
                coalesce(x.timed_out, 0) AS timed_out, coalesce(x.overtime, 0) AS overtime,
                a.hidden_count, a.hidden_ms, a.paste_count, a.paste_chars, a.review_status,
                a.recommendation
         FROM candidate_attempts a
         JOIN share_links l ON l.id = a.link_id
         LEFT JOIN interview_sessions s ON s.id = a.session_id
         LEFT JOIN (SELECT session_id, count(submitted_at) AS answered,
                           CAST(round(avg(self_grade) * 100) AS BIGINT) AS self_mean,
                           CAST(sum(coalesce(time_spent_ms, 0)) AS BIGINT) AS time_used,
                           count(*) FILTER (WHERE timed_out) AS timed_out,
                           count(*) FILTER (WHERE overtime_ms > 0) AS overtime
                    FROM session_answers GROUP BY session_id) x ON x.session_id = a.session_id
         LEFT JOIN (SELECT session_id, CAST(round(avg(grade) * 100) AS BIGINT) AS reviewer_mean
                    FROM answer_reviews WHERE grade IS NOT NULL GROUP BY session_id) r
                ON r.session_id = a.session_id
         WHERE l.set_id = $1
         ORDER BY a.started_at, a.id",
    )
    .bind(set)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ResultRow {
            attempt_id: r.id.to_string(),
            link_label: r.label,
            deleted: r.session_id.is_none(),
            name: r.display_name,
            started_label: crate::dashboard::days::local_label(r.started_at, tz),
            started_at: r.started_at,
            finished: r.finished,
            answered: n(r.answered),
            questions: n(r.questions),
            self_score: r.self_mean.map(score_percent),
            reviewer_score: r.reviewer_mean.map(score_percent),
            time_used_ms: r.time_used,
            timed_out: n(r.timed_out),
            overtime: n(r.overtime),
            hidden_count: n(r.hidden_count),
            hidden_ms: r.hidden_ms,
            paste_count: n(r.paste_count),
            paste_chars: r.paste_chars,
            status: ReviewStatus::parse(&r.review_status),
            recommendation: r.recommendation.as_deref().and_then(Recommendation::parse),
        })
        .collect())
}

/// Per question of the set, across every candidate: the mean self-grade
/// and the mean reviewer grade, for the set's self-vs-reviewer chart.
pub async fn question_means(
    pool: &Pool,
    set: Uuid,
    viewer: Viewer,
) -> Result<Vec<(String, Option<f64>, Option<f64>)>, AppError> {
    let mut conn = pool.acquire().await?;
    readable_set(&mut conn, set, viewer).await?;
    let rows: Vec<(String, Option<f64>, Option<f64>)> = sqlx::query_as(
        "SELECT min(v.prompt), CAST(avg(a.self_grade) AS DOUBLE PRECISION),
                CAST(avg(r.grade) AS DOUBLE PRECISION)
         FROM candidate_attempts ca
         JOIN share_links l ON l.id = ca.link_id
         JOIN session_answers a ON a.session_id = ca.session_id
         JOIN question_versions v ON v.question_id = a.question_id AND v.revision = a.question_revision
         LEFT JOIN answer_reviews r ON r.session_id = a.session_id AND r.position = a.position
         WHERE l.set_id = $1 AND a.submitted_at IS NOT NULL
         GROUP BY a.question_id
         ORDER BY min(a.position), a.question_id",
    )
    .bind(set)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}

#[derive(sqlx::FromRow)]
struct AnswerSql {
    position: i64,
    prompt: String,
    level: Level,
    answer: Option<String>,
    answer_rendered: Option<String>,
    submitted: bool,
    reference_html: String,
    key_points: String,
    self_ticks: String,
    self_grade: Option<i64>,
    time_spent_ms: Option<i64>,
    limit_ms: Option<i64>,
    timed_out: bool,
    reviewer_ticks: Option<String>,
    reviewer_grade: Option<i64>,
    comment: Option<String>,
}

/// Every answer of every candidate of a set, in attempt and question order,
/// in one query (the answers CSV).
pub async fn answer_lines(
    pool: &Pool,
    set: Uuid,
    viewer: Viewer,
) -> Result<Vec<AnswerLine>, AppError> {
    let mut conn = pool.acquire().await?;
    readable_set(&mut conn, set, viewer).await?;
    Ok(sqlx::query_as(
        "SELECT c.id AS attempt_id, c.display_name, a.position, v.prompt, a.submitted_at IS NOT NULL AS answered,
                a.self_grade, r.grade AS reviewer_grade, a.key_points_hit AS self_ticks,
                r.key_points_hit AS reviewer_ticks, v.key_points, a.time_spent_ms,
                coalesce(a.limit_secs, s.per_question_secs) * 1000 AS limit_ms, a.timed_out,
                r.comment
         FROM candidate_attempts c
         JOIN share_links l ON l.id = c.link_id
         JOIN interview_sessions s ON s.id = c.session_id
         JOIN session_answers a ON a.session_id = c.session_id
         JOIN question_versions v ON v.question_id = a.question_id AND v.revision = a.question_revision
         LEFT JOIN answer_reviews r ON r.session_id = a.session_id AND r.position = a.position
         WHERE l.set_id = $1
         ORDER BY c.started_at, c.id, a.position",
    )
    .bind(set)
    .fetch_all(&mut *conn)
    .await?)
}

/// One candidate's answers beside the version of each question they got,
/// with the reviewer's marks.
pub async fn report(
    pool: &Pool,
    set: Uuid,
    attempt: Uuid,
    viewer: Viewer,
    tz: &jiff::tz::TimeZone,
) -> Result<CandidateReport, AppError> {
    let rows = results(pool, set, viewer, tz).await?;
    let index = rows
        .iter()
        .position(|r| r.attempt_id == attempt.to_string())
        .ok_or_else(|| AppError::NotFound("That candidate".into()))?;
    let session: Option<Uuid> =
        sqlx::query_scalar("SELECT session_id FROM candidate_attempts WHERE id = $1")
            .bind(attempt)
            .fetch_one(pool)
            .await?;
    let answers: Vec<AnswerSql> = match session {
        None => Vec::new(),
        Some(session) => {
            super::sessions::render_missing(pool, session).await?;
            sqlx::query_as(
                "SELECT a.position, v.prompt, v.level, a.answer, a.answer_rendered, a.submitted_at IS NOT NULL AS submitted,
                        v.answer_html AS reference_html, v.key_points, a.key_points_hit AS self_ticks,
                        a.self_grade, a.time_spent_ms,
                        coalesce(a.limit_secs, s.per_question_secs) * 1000 AS limit_ms, a.timed_out,
                        r.key_points_hit AS reviewer_ticks, r.grade AS reviewer_grade, r.comment
                 FROM session_answers a
                 JOIN interview_sessions s ON s.id = a.session_id
                 JOIN question_versions v ON v.question_id = a.question_id AND v.revision = a.question_revision
                 LEFT JOIN answer_reviews r ON r.session_id = a.session_id AND r.position = a.position
                 WHERE a.session_id = $1 ORDER BY a.position",
            )
            .bind(session)
            .fetch_all(pool)
            .await?
        }
    };
    let (title, note): (String, String) = sqlx::query_as(
        "SELECT s.title, a.recommendation_note FROM candidate_attempts a
         JOIN share_links l ON l.id = a.link_id JOIN question_sets s ON s.id = l.set_id
         WHERE a.id = $1",
    )
    .bind(attempt)
    .fetch_one(pool)
    .await?;
    let owner = readable_set(&mut *pool.acquire().await?, set, viewer).await?;
    let grade = |g: Option<i64>| g.and_then(|g| u8::try_from(g).ok());
    let ticks = |t: &str| serde_json::from_str::<Vec<u32>>(t).unwrap_or_default();
    Ok(CandidateReport {
        set_id: set.to_string(),
        set_title: title,
        prev: index.checked_sub(1).map(|i| rows[i].attempt_id.clone()),
        next: rows.get(index + 1).map(|r| r.attempt_id.clone()),
        row: rows[index].clone(),
        answers: answers
            .into_iter()
            .map(|a| ReviewAnswer {
                position: u32::try_from(a.position).unwrap_or(0),
                prompt: a.prompt,
                level: a.level,
                answer_html: match (a.answer_rendered, &a.answer) {
                    (Some(html), _) => html,
                    (None, Some(text)) => crate::questions::markdown::plain(text),
                    (None, None) => String::new(),
                },
                answered: a.submitted,
                reference_html: a.reference_html,
                key_points: serde_json::from_str(&a.key_points).unwrap_or_default(),
                self_ticks: ticks(&a.self_ticks),
                self_grade: grade(a.self_grade),
                time_spent_ms: a.time_spent_ms,
                limit_ms: a.limit_ms,
                timed_out: a.timed_out,
                reviewer_ticks: a.reviewer_ticks.as_deref().map(ticks).unwrap_or_default(),
                reviewer_grade: grade(a.reviewer_grade),
                comment: a.comment.unwrap_or_default(),
            })
            .collect(),
        recommendation_note: note,
        read_only: owner != viewer.id,
    })
}

/// The attempt's session, if `owner` owns the set it belongs to.
async fn owned_attempt(
    conn: &mut Conn,
    attempt: Uuid,
    owner: Uuid,
) -> Result<Option<Uuid>, AppError> {
    let row: Option<Option<Uuid>> = sqlx::query_scalar(
        "SELECT a.session_id FROM candidate_attempts a
         JOIN share_links l ON l.id = a.link_id JOIN question_sets s ON s.id = l.set_id
         WHERE a.id = $1 AND s.owner_id = $2",
    )
    .bind(attempt)
    .bind(owner)
    .fetch_optional(conn)
    .await?;
    row.ok_or_else(|| AppError::NotFound("That candidate".into()))
}

/// Saves the reviewer's ticks, grade and comment for one answer, and moves
/// the attempt's review status along (reviewed once every answer has a
/// reviewer grade). A reviewer's grade never touches the candidate's own.
pub async fn save_review(
    pool: &Pool,
    attempt: Uuid,
    owner: Uuid,
    marks: ReviewerMarks<'_>,
    now: i64,
) -> Result<ReviewStatus, AppError> {
    let ReviewerMarks {
        position,
        ticks,
        grade,
        comment,
    } = marks;
    let mut tx = begin_write(pool).await?;
    let session = owned_attempt(&mut tx, attempt, owner)
        .await?
        .ok_or_else(|| AppError::Conflict("The candidate deleted their data.".into()))?;
    let key_points: Option<i64> = sqlx::query_scalar(
        "SELECT json_array_length(v.key_points) FROM session_answers a
         JOIN question_versions v ON v.question_id = a.question_id AND v.revision = a.question_revision
         WHERE a.session_id = $1 AND a.position = $2",
    )
    .bind(session)
    .bind(i64::from(position))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(key_points) = key_points else {
        return Err(AppError::NotFound("That answer".into()));
    };
    if ticks.iter().any(|&t| i64::from(t) >= key_points) {
        return Err(AppError::invalid(
            "key_points_hit",
            "A ticked key point does not exist.",
        ));
    }
    let mut ticks = ticks.to_vec();
    ticks.sort_unstable();
    ticks.dedup();
    sqlx::query(
        "INSERT INTO answer_reviews (session_id, position, reviewer_id, key_points_hit, grade, comment, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (session_id, position) DO UPDATE SET reviewer_id = $3, key_points_hit = $4,
             grade = $5, comment = $6, updated_at = $7",
    )
    .bind(session)
    .bind(i64::from(position))
    .bind(owner)
    .bind(serde_json::to_string(&ticks).unwrap_or_else(|_| "[]".into()))
    .bind(grade.map(i64::from))
    .bind(comment)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let ungraded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM session_answers a
         LEFT JOIN answer_reviews r ON r.session_id = a.session_id AND r.position = a.position
         WHERE a.session_id = $1 AND a.submitted_at IS NOT NULL AND r.grade IS NULL",
    )
    .bind(session)
    .fetch_one(&mut *tx)
    .await?;
    let status = if ungraded == 0 {
        ReviewStatus::Reviewed
    } else {
        ReviewStatus::InReview
    };
    sqlx::query("UPDATE candidate_attempts SET review_status = $2 WHERE id = $1")
        .bind(attempt)
        .bind(match status {
            ReviewStatus::Reviewed => "reviewed",
            _ => "in_review",
        })
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(status)
}

/// Saves the overall recommendation and its note.
pub async fn save_recommendation(
    pool: &Pool,
    attempt: Uuid,
    owner: Uuid,
    recommendation: Option<Recommendation>,
    note: &str,
) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    owned_attempt(&mut tx, attempt, owner).await?;
    sqlx::query(
        "UPDATE candidate_attempts SET recommendation = $2, recommendation_note = $3 WHERE id = $1",
    )
    .bind(attempt)
    .bind(recommendation.map(Recommendation::as_str))
    .bind(note)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
