//! Loading a session, settling it against the clock, and the runner's state.

use super::*;

pub(super) async fn load_session(
    conn: &mut Conn,
    id: Uuid,
) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(concat!(
        "SELECT ",
        session_columns!(),
        " FROM interview_sessions s WHERE s.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The session and its current answer, in one statement (so one snapshot,
/// with no transaction around it), if the session is `user`'s.
pub(super) async fn load_view(
    pool: &Pool,
    id: Uuid,
    user: Uuid,
) -> Result<Option<ViewRow>, sqlx::Error> {
    macro_rules! view {
        ($answer:expr) => {
            concat!(
                "SELECT ",
                session_columns!(),
                ", ",
                $answer,
                " FROM interview_sessions s
                  JOIN session_answers a ON a.session_id = s.id AND a.position = s.current_position ",
                answer_joins!(),
                " WHERE s.id = $1 AND s.user_id = $2"
            )
        };
    }
    sqlx::query_as(if POSTGRES {
        view!(answer_columns!(asked_postgres!()))
    } else {
        view!(answer_columns!(asked_sqlite!()))
    })
    .bind(id)
    .bind(user)
    .fetch_optional(pool)
    .await
}

/// The session if it exists and belongs to `user`; anything else is
/// reported as not found, so ids can't be probed.
pub(super) async fn owned(conn: &mut Conn, id: Uuid, user: Uuid) -> Result<SessionRow, AppError> {
    match load_session(conn, id).await? {
        Some(s) if s.user_id == user => Ok(s),
        _ => Err(not_found()),
    }
}

/// A session that does not exist or is someone else's: the same answer
/// for both, so ids can't be probed.
pub(super) fn not_found() -> AppError {
    AppError::NotFound("That session".into())
}

pub(super) async fn load_answer(
    conn: &mut Conn,
    id: Uuid,
    position: i64,
) -> Result<Option<AnswerRow>, sqlx::Error> {
    macro_rules! answer {
        ($columns:expr) => {
            concat!(
                "SELECT ",
                $columns,
                " FROM session_answers a ",
                answer_joins!(),
                " WHERE a.session_id = $1 AND a.position = $2"
            )
        };
    }
    sqlx::query_as(if POSTGRES {
        answer!(answer_columns!(asked_postgres!()))
    } else {
        answer!(answer_columns!(asked_sqlite!()))
    })
    .bind(id)
    .bind(position)
    .fetch_optional(conn)
    .await
}

/// Applies what the clock has decided since the last request, in interview
/// mode: a question past its deadline is submitted with its last saved
/// draft, and a session past its overall deadline finishes. Idempotent.
/// What the clock has decided by `now` that is not stored yet.
#[derive(Debug, Default)]
pub(super) struct Overdue {
    /// The current answer's time ran out: when it started, when it was due.
    pub(super) answer: Option<(i64, i64)>,
    /// The whole session's time ran out, at this moment.
    pub(super) session: Option<i64>,
}

impl Overdue {
    pub(super) fn is_nothing(&self) -> bool {
        self.answer.is_none() && self.session.is_none()
    }
}

/// Reads (never writes) what `settle` would store.
pub(super) async fn overdue(
    conn: &mut Conn,
    s: &SessionRow,
    now: i64,
) -> Result<Overdue, sqlx::Error> {
    if !s.has_clock() {
        return Ok(Overdue::default());
    }
    let answer: Option<AnswerClock> = sqlx::query_as(
        "SELECT started_at, deadline_at, submitted_at FROM session_answers
         WHERE session_id = $1 AND position = $2",
    )
    .bind(s.id)
    .bind(s.current_position)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(Overdue::of(s, answer, now))
}

/// The current answer's clock: when it started, was due and was submitted.
pub(super) type AnswerClock = (Option<i64>, Option<i64>, Option<i64>);

impl Overdue {
    /// What the clock has decided for session `s`, whose current answer's
    /// clock is `answer`.
    pub(super) fn of(s: &SessionRow, answer: Option<AnswerClock>, now: i64) -> Overdue {
        if !s.has_clock() {
            return Overdue::default();
        }
        Overdue {
            answer: match answer {
                Some((Some(started), deadline, None))
                    if timer::is_past(now, deadline, timer::GRACE_MS) =>
                {
                    Some((started, deadline.unwrap_or(now)))
                }
                _ => None,
            },
            session: timer::is_past(now, s.deadline_at, timer::GRACE_MS)
                .then(|| s.deadline_at.unwrap_or(now)),
        }
    }
}

/// Stores what the clock has decided: an answer whose time ran out is
/// submitted as it stood, a session whose time ran out is finished.
pub(super) async fn settle(
    conn: &mut Conn,
    s: &mut SessionRow,
    now: i64,
) -> Result<(), sqlx::Error> {
    let overdue = overdue(conn, s, now).await?;
    if let Some((started, due)) = overdue.answer {
        sqlx::query(
            "UPDATE session_answers SET answer = draft, submitted_at = $3, time_spent_ms = $4,
                 timed_out = TRUE
             WHERE session_id = $1 AND position = $2 AND submitted_at IS NULL",
        )
        .bind(s.id)
        .bind(s.current_position)
        .bind(due)
        .bind(timer::time_spent_ms(started, due))
        .execute(&mut *conn)
        .await?;
    }
    if let Some(at) = overdue.session {
        sqlx::query("UPDATE interview_sessions SET status = 'finished', finished_at = $2 WHERE id = $1 AND status = 'active'")
            .bind(s.id)
            .bind(at)
            .execute(&mut *conn)
            .await?;
        s.status = SessionStatus::Finished;
        s.finished_at = Some(at);
    }
    Ok(())
}

/// The runner's view of the session now, after settling the clock.
///
/// Most reads find nothing to settle: those read one snapshot beside the
/// writers instead of queueing for the write lock behind every autosave.
pub async fn state(pool: &Pool, id: Uuid, user: Uuid, now: i64) -> Result<RunnerState, AppError> {
    let Some(ViewRow { session, answer }) = load_view(pool, id, user).await? else {
        return Err(not_found());
    };
    let clock = (answer.started_at, answer.deadline_at, answer.submitted_at);
    if Overdue::of(&session, Some(clock), now).is_nothing() {
        if answer.answer.is_some() && answer.answer_rendered.is_none() {
            // Submitted by the clock, or before answers were kept rendered.
            render_missing(pool, id).await?;
            return Box::pin(state(pool, id, user, now)).await;
        }
        return state_of(&session, answer, now);
    }
    let mut tx = begin_write(pool).await?;
    let mut s = owned(&mut tx, id, user).await?;
    settle(&mut tx, &mut s, now).await?;
    let state = build_state(&mut tx, &s, now).await?;
    tx.commit().await?;
    Ok(state)
}

pub(super) async fn build_state(
    conn: &mut Conn,
    s: &SessionRow,
    now: i64,
) -> Result<RunnerState, AppError> {
    let a = load_answer(conn, s.id, s.current_position)
        .await?
        .ok_or(AppError::Internal)?;
    state_of(s, a, now)
}

/// The runner's view of session `s` at its current answer `a`.
pub(super) fn state_of(s: &SessionRow, a: AnswerRow, now: i64) -> Result<RunnerState, AppError> {
    let phase = if !s.is_active() {
        Phase::Finished
    } else if a.submitted_at.is_some() {
        Phase::Reviewing
    } else {
        Phase::Answering
    };
    let reveal = (phase != Phase::Answering && !s.hide_reference).then(|| Reveal {
        answer_html: a.answer_html.clone(),
        key_points: serde_json::from_str(&a.key_points).unwrap_or_default(),
        behavioral: a.behavioral,
        mistakes: serde_json::from_str(&a.mistakes).unwrap_or_default(),
        follow_ups: serde_json::from_str(&a.follow_ups).unwrap_or_default(),
    });
    let reveal = reveal.map(|mut r| {
        let asked: Vec<i64> = serde_json::from_str(&a.asked).unwrap_or_default();
        for (i, f) in r.follow_ups.iter_mut().enumerate() {
            f.asked = asked.contains(&i64::try_from(i).unwrap_or(-1));
        }
        r
    });
    Ok(RunnerState {
        session_id: s.id.to_string(),
        mode: s.mode(),
        position: u32::try_from(a.position).unwrap_or(0),
        count: u32::try_from(s.question_count).unwrap_or(0),
        phase,
        slug: a.slug,
        prompt: a.prompt,
        follow_up: a.follow_up,
        level: a.level,
        topic_name: a.topic_name,
        answer_html: match (&phase, &a.answer) {
            (Phase::Answering, _) | (_, None) => String::new(),
            // Rendering is never done here (this may run in the write
            // turn): until it is stored, the text is shown as typed.
            (_, Some(answer)) => a
                .answer_rendered
                .unwrap_or_else(|| crate::questions::markdown::plain(answer)),
        },
        text: a.answer.unwrap_or(a.draft),
        draft_rev: u32::try_from(a.draft_rev).unwrap_or(0),
        shared: s.set_version.is_some(),
        deadline_at: a.deadline_at,
        session_deadline_at: s.deadline_at,
        server_now: now,
        paused: s.paused_at.is_some(),
        timer_off: s.timer_off,
        timed_out: a.timed_out,
        overtime_ms: a.overtime_ms,
        reveal,
        grade: a.self_grade.and_then(|g| u8::try_from(g).ok()),
        key_points_hit: serde_json::from_str(&a.key_points_hit).unwrap_or_default(),
        flagged: a.flagged,
        note: a.note,
    })
}
