//! Moving through a session: next, finish, end, timer changes, the summary and the active session.

use super::*;

/// Moves on from a graded question: starts the next one, or finishes the
/// session after the last. Calling it again for the same position is
/// harmless.
pub async fn next(
    pool: &Pool,
    id: Uuid,
    user: Uuid,
    position: u32,
    now: i64,
) -> Result<RunnerState, AppError> {
    let mut tx = begin_write(pool).await?;
    let mut s = owned(&mut tx, id, user).await?;
    settle(&mut tx, &mut s, now).await?;
    if s.is_active() && i64::from(position) == s.current_position {
        let graded: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT self_grade FROM session_answers WHERE session_id = $1 AND position = $2 AND submitted_at IS NOT NULL",
        )
        .bind(id)
        .bind(i64::from(position))
        .fetch_optional(&mut *tx)
        .await?;
        match graded {
            None => return Err(AppError::Conflict("Submit your answer first.".into())),
            Some(None) => return Err(AppError::invalid("grade", "Pick a grade before moving on.")),
            Some(Some(_)) => {}
        }
        let next = s.current_position + 1;
        if next >= s.question_count {
            finish(&mut tx, &mut s, now).await?;
        } else {
            // Moving on ends a pause: the next question's clock starts now.
            if let Some(paused_at) = s.paused_at {
                s.deadline_at = timer::resume_deadline(s.deadline_at, paused_at, now);
                s.paused_at = None;
                sqlx::query("UPDATE interview_sessions SET paused_at = NULL, deadline_at = $2 WHERE id = $1")
                    .bind(id)
                    .bind(s.deadline_at)
                    .execute(&mut *tx)
                    .await?;
            }
            // A question of a shared set may have its own limit.
            let own_limit: Option<i64> = sqlx::query_scalar(
                "SELECT limit_secs FROM session_answers WHERE session_id = $1 AND position = $2",
            )
            .bind(id)
            .bind(next)
            .fetch_optional(&mut *tx)
            .await?
            .flatten();
            let limit_ms = own_limit.map(|s| s * 1000).or(s.per_question_ms());
            let deadline = timer::question_deadline(now, limit_ms, s.deadline_at);
            sqlx::query("UPDATE session_answers SET started_at = $3, deadline_at = $4 WHERE session_id = $1 AND position = $2")
                .bind(id)
                .bind(next)
                .bind(now)
                .bind(deadline)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE interview_sessions SET current_position = $2 WHERE id = $1")
                .bind(id)
                .bind(next)
                .execute(&mut *tx)
                .await?;
            s.current_position = next;
        }
    }
    let state = build_state(&mut tx, &s, now).await?;
    tx.commit().await?;
    Ok(state)
}

pub(super) async fn finish(
    conn: &mut Conn,
    s: &mut SessionRow,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE interview_sessions SET status = 'finished', finished_at = $2 WHERE id = $1 AND status = 'active'")
        .bind(s.id)
        .bind(now)
        .execute(conn)
        .await?;
    s.status = SessionStatus::Finished;
    s.finished_at = Some(now);
    Ok(())
}

/// Ends the session now; unanswered questions stay unanswered.
pub async fn end(pool: &Pool, id: Uuid, user: Uuid, now: i64) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    let mut s = owned(&mut tx, id, user).await?;
    settle(&mut tx, &mut s, now).await?;
    if s.is_active() {
        // Keep whatever was typed on the current question.
        sqlx::query(
            "UPDATE session_answers SET answer = draft, submitted_at = $3,
                 time_spent_ms = max(0, $3 - coalesce(started_at, $3))
             WHERE session_id = $1 AND position = $2 AND submitted_at IS NULL AND started_at IS NOT NULL
               AND draft <> ''",
        )
        .bind(id)
        .bind(s.current_position)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        finish(&mut tx, &mut s, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn adjust_timer(
    pool: &Pool,
    id: Uuid,
    user: Uuid,
    action: TimerAction,
    now: i64,
) -> Result<RunnerState, AppError> {
    let mut tx = begin_write(pool).await?;
    let mut s = owned(&mut tx, id, user).await?;
    if s.mode() != Mode::Practice {
        return Err(AppError::Conflict(
            "Interview mode keeps hard time limits; the timer can't be changed.".into(),
        ));
    }
    if !s.is_active() {
        return Err(refusal(&s, u32::try_from(s.current_position).unwrap_or(0)));
    }
    let pos = s.current_position;
    match action {
        TimerAction::Pause if s.paused_at.is_none() => {
            sqlx::query("UPDATE interview_sessions SET paused_at = $2 WHERE id = $1")
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            s.paused_at = Some(now);
        }
        TimerAction::Resume => {
            if let Some(paused_at) = s.paused_at {
                let shift = (now - paused_at).max(0);
                sqlx::query("UPDATE interview_sessions SET paused_at = NULL, deadline_at = deadline_at + $2 WHERE id = $1")
                    .bind(id)
                    .bind(shift)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE session_answers SET deadline_at = deadline_at + $3 WHERE session_id = $1 AND position = $2 AND submitted_at IS NULL")
                    .bind(id)
                    .bind(pos)
                    .bind(shift)
                    .execute(&mut *tx)
                    .await?;
                s.paused_at = None;
                s.deadline_at = timer::resume_deadline(s.deadline_at, paused_at, now);
            }
        }
        TimerAction::Extend => {
            sqlx::query("UPDATE session_answers SET deadline_at = deadline_at + $3 WHERE session_id = $1 AND position = $2 AND submitted_at IS NULL")
                .bind(id)
                .bind(pos)
                .bind(EXTEND_MS)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE interview_sessions SET deadline_at = deadline_at + $2 WHERE id = $1",
            )
            .bind(id)
            .bind(EXTEND_MS)
            .execute(&mut *tx)
            .await?;
            s.deadline_at = s.deadline_at.map(|d| d + EXTEND_MS);
        }
        TimerAction::Off | TimerAction::On => {
            let off = action == TimerAction::Off;
            sqlx::query("UPDATE interview_sessions SET timer_off = $2 WHERE id = $1")
                .bind(id)
                .bind(off)
                .execute(&mut *tx)
                .await?;
            s.timer_off = off;
        }
        TimerAction::Pause => {}
    }
    let state = build_state(&mut tx, &s, now).await?;
    tx.commit().await?;
    Ok(state)
}

/// The finished (or current) session, question by question.
pub async fn summary(
    pool: &Pool,
    id: Uuid,
    user: Uuid,
    now: i64,
) -> Result<SessionSummary, AppError> {
    let mut tx = begin_write(pool).await?;
    let mut s = owned(&mut tx, id, user).await?;
    settle(&mut tx, &mut s, now).await?;
    #[derive(sqlx::FromRow)]
    struct Row {
        position: i64,
        slug: String,
        prompt: String,
        level: Level,
        self_grade: Option<i64>,
        time_spent_ms: Option<i64>,
        started_at: Option<i64>,
        deadline_at: Option<i64>,
        timed_out: bool,
        overtime_ms: i64,
        flagged: bool,
        submitted_at: Option<i64>,
    }
    let rows: Vec<Row> =
        sqlx::query_as(
            "SELECT a.position, q.slug, v.prompt, v.level, a.self_grade, a.time_spent_ms,
                    a.started_at, a.deadline_at, a.timed_out, a.overtime_ms, a.flagged, a.submitted_at
             FROM session_answers a JOIN questions q ON q.id = a.question_id
             JOIN question_versions v ON v.question_id = a.question_id AND v.revision = a.question_revision
             WHERE a.session_id = $1 ORDER BY a.position",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(SessionSummary {
        session_id: s.id.to_string(),
        mode: s.mode(),
        started_at: s.started_at,
        finished_at: s.finished_at,
        per_question_secs: s.per_question_secs,
        total_secs: s.total_secs,
        shared: s.set_version.is_some(),
        rows: rows
            .into_iter()
            .map(|r| SummaryRow {
                position: u32::try_from(r.position).unwrap_or(0),
                slug: r.slug,
                prompt: r.prompt,
                level: r.level,
                grade: r.self_grade.and_then(|g| u8::try_from(g).ok()),
                time_spent_ms: r.time_spent_ms,
                limit_ms: r.started_at.zip(r.deadline_at).map(|(a, b)| b - a),
                timed_out: r.timed_out,
                overtime_ms: r.overtime_ms,
                flagged: r.flagged,
                answered: r.submitted_at.is_some(),
            })
            .collect(),
    })
}

/// The user's newest unfinished session, to offer resuming it.
pub async fn active_for(pool: &Pool, user: Uuid) -> Result<Option<ActiveSession>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        mode: Mode,
        current_position: i64,
        question_count: i64,
        started_at: i64,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, mode, current_position, question_count, started_at FROM interview_sessions
         WHERE user_id = $1 AND status = 'active' ORDER BY started_at DESC LIMIT 1",
    )
    .bind(user)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| ActiveSession {
        session_id: r.id.to_string(),
        mode: r.mode,
        position: u32::try_from(r.current_position).unwrap_or(0),
        count: u32::try_from(r.question_count).unwrap_or(0),
        started_at: r.started_at,
    }))
}
