//! A candidate's attempt: the landing page, starting, and the signals the runner records.

use super::*;

#[derive(sqlx::FromRow)]
pub(super) struct VersionRow {
    pub(super) title: String,
    pub(super) instructions: String,
    pub(super) mode: Mode,
    pub(super) per_question_secs: Option<i64>,
    pub(super) total_secs: Option<i64>,
    pub(super) shuffle: bool,
    /// The team's name (never a person's login name).
    pub(super) owner: String,
    pub(super) questions: i64,
}

pub(super) async fn version(conn: &mut Conn, link: &LinkRow) -> Result<VersionRow, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.title, v.instructions, v.mode, v.per_question_secs, v.total_secs, v.shuffle,
                t.name AS owner,
                (SELECT count(*) FROM set_version_items i
                 WHERE i.set_id = v.set_id AND i.version = v.version) AS questions
         FROM set_versions v JOIN question_sets s ON s.id = v.set_id JOIN teams t ON t.id = s.team_id
         WHERE v.set_id = $1 AND v.version = $2",
    )
    .bind(link.set_id)
    .bind(link.set_version)
    .fetch_one(conn)
    .await
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
            stored_secs(v.per_question_secs),
            stored_secs(v.total_secs),
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
