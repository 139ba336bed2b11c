//! Answering: drafts, submitting, grading and follow-up questions.

use super::*;

/// Autosave. One statement: it only lands on the caller's own, current,
/// unsubmitted answer, (in interview mode) before the deadline, only when
/// its revision is newer than the stored one, and only when the stored
/// draft is this tab's own or the one this tab started from (compare and
/// swap). A save that arrives after a newer one (the network reordered
/// them), or from a tab that another tab has saved over since, changes
/// nothing.
pub async fn save_draft(
    pool: &Pool,
    id: Uuid,
    user: Uuid,
    position: u32,
    draft: Draft<'_>,
    now: i64,
) -> Result<SaveAck, AppError> {
    take_turn(pool).await?;
    let changed = {
        sqlx::query(
            "UPDATE session_answers SET draft = $4, draft_saved_at = $5, draft_rev = $7, draft_editor = $8
             WHERE session_id = $1 AND position = $2 AND user_id = $3 AND submitted_at IS NULL
               AND draft_rev < $7 AND (draft_editor = $8 OR draft_rev = $9)
               AND EXISTS (SELECT 1 FROM interview_sessions s
                           WHERE s.id = $1 AND s.status = 'active' AND s.current_position = $2
                             AND (s.mode = 'practice' OR session_answers.deadline_at IS NULL
                                  OR $5 <= session_answers.deadline_at + $6))",
        )
        .bind(id)
        .bind(i64::from(position))
        .bind(user)
        .bind(draft.text)
        .bind(now)
        .bind(timer::GRACE_MS)
        .bind(draft.rev)
        .bind(draft.editor)
        .bind(draft.base)
        .execute(pool)
        .await?
        .rows_affected()
    };
    if changed == 1 {
        return Ok(SaveAck {
            saved_at: now,
            rev: u32::try_from(draft.rev).unwrap_or(0),
        });
    }
    // Say why, without having changed anything.
    let mut conn = pool.acquire().await?;
    let s = owned(&mut conn, id, user).await?;
    let stored: Option<StoredDraft> = sqlx::query_as(
        "SELECT draft_rev, draft_editor, answer, submitted_at
         FROM session_answers WHERE session_id = $1 AND position = $2",
    )
    .bind(id)
    .bind(i64::from(position))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(stored) = stored else {
        return Err(refusal(&s, position));
    };
    // A save that lost the race with its own submit (the blur before a
    // click on Submit) carries the text that was submitted: nothing is
    // lost, so it is not an error.
    if let (Some(answer), Some(at)) = (&stored.answer, stored.submitted_at) {
        if answer == draft.text {
            return Ok(SaveAck {
                saved_at: at,
                rev: u32::try_from(stored.draft_rev).unwrap_or(0),
            });
        }
        return Err(refusal(&s, position));
    }
    if s.is_active() && i64::from(position) == s.current_position {
        let theirs = stored.draft_editor != draft.editor;
        if stored.draft_rev >= draft.rev {
            if theirs {
                return Err(AppError::Conflict(OTHER_EDITOR.into()));
            }
            // The same save twice (a retry after a lost reply), or one
            // overtaken by a newer save of the same tab: nothing is lost, and
            // the reply names the revision that is stored, so the tab knows
            // whether its newest text is the one kept.
            return Ok(SaveAck {
                saved_at: now,
                rev: u32::try_from(stored.draft_rev).unwrap_or(0),
            });
        }
        if theirs && stored.draft_rev != draft.base {
            return Err(AppError::Conflict(OTHER_EDITOR.into()));
        }
    }
    Err(refusal(&s, position))
}

/// Refuses a submit from a tab whose draft another tab has saved over since
/// it last looked (`base`), so a stale tab can't replace the newer text.
pub async fn check_editor(
    pool: &Pool,
    id: Uuid,
    user: Uuid,
    position: u32,
    editor: &str,
    base: i64,
) -> Result<(), AppError> {
    let stored: Option<(String, i64)> = sqlx::query_as(
        "SELECT draft_editor, draft_rev FROM session_answers
         WHERE session_id = $1 AND position = $2 AND user_id = $3 AND submitted_at IS NULL",
    )
    .bind(id)
    .bind(i64::from(position))
    .bind(user)
    .fetch_optional(pool)
    .await?;
    match stored {
        Some((other, rev)) if other != editor && rev != base => {
            Err(AppError::Conflict(OTHER_EDITOR.into()))
        }
        _ => Ok(()),
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct StoredDraft {
    pub(super) draft_rev: i64,
    pub(super) draft_editor: String,
    pub(super) answer: Option<String>,
    pub(super) submitted_at: Option<i64>,
}

pub(super) fn refusal(s: &SessionRow, position: u32) -> AppError {
    if s.closed_by_recruiter {
        AppError::Conflict(CLOSED_BY_RECRUITER.into())
    } else if !s.is_active() {
        AppError::Conflict("This session has finished; nothing more can be changed.".into())
    } else if i64::from(position) != s.current_position {
        AppError::Conflict("That question is no longer the current one. Reload to continue.".into())
    } else {
        AppError::Conflict(
            "Time is up for this question; your last saved draft was submitted.".into(),
        )
    }
}

/// Submits the answer, with `rendered`, its Markdown already rendered
/// (outside the write turn, by the caller). Submitting twice is harmless:
/// the second call returns the state as it is.
pub async fn submit(
    pool: &Pool,
    id: Uuid,
    user: Uuid,
    position: u32,
    answer: Rendered<'_>,
    now: i64,
) -> Result<RunnerState, AppError> {
    let mut tx = begin_write(pool).await?;
    let mut s = owned(&mut tx, id, user).await?;
    settle(&mut tx, &mut s, now).await?;
    let current = i64::from(position) == s.current_position;
    if s.closed_by_recruiter {
        return Err(refusal(&s, position));
    }
    if s.is_active() && current {
        let row: Option<(Option<i64>, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT started_at, deadline_at, submitted_at FROM session_answers WHERE session_id = $1 AND position = $2",
        )
        .bind(id)
        .bind(i64::from(position))
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((started, deadline, None)) = row {
            let started = started.unwrap_or(now);
            let timed = !s.timer_off;
            // A paused clock stopped at the pause: the time since then is
            // not overtime.
            let deadline = match s.paused_at {
                Some(paused_at) => timer::resume_deadline(deadline, paused_at, now),
                None => deadline,
            };
            // The browser submits at zero; the server decides what is late.
            let overtime = if timed {
                timer::overtime_ms(now, deadline)
            } else {
                0
            };
            let timed_out = timed && s.mode() == Mode::Interview && overtime > 0;
            sqlx::query(
                "UPDATE session_answers SET draft = $3, answer = $3, submitted_at = $4,
                     time_spent_ms = $5, overtime_ms = $6, timed_out = $7, answer_rendered = $8
                 WHERE session_id = $1 AND position = $2 AND submitted_at IS NULL",
            )
            .bind(id)
            .bind(i64::from(position))
            .bind(answer.text)
            .bind(now)
            .bind(timer::time_spent_ms(started, now))
            .bind(if s.mode() == Mode::Practice {
                overtime
            } else {
                0
            })
            .bind(timed_out)
            .bind(answer.html)
            .execute(&mut *tx)
            .await?;
        }
    } else if !current && i64::from(position) > s.current_position {
        return Err(refusal(&s, position));
    }
    let state = build_state(&mut tx, &s, now).await?;
    tx.commit().await?;
    Ok(state)
}

/// Renders and stores the submitted answers of session `id` that have no
/// stored HTML yet (submitted by the clock, or before answers were kept
/// rendered). Each is rendered off the async workers with no transaction
/// open, then stored by one statement that only lands if the answer is
/// still the text that was rendered.
pub async fn render_missing(pool: &Pool, id: Uuid) -> Result<(), AppError> {
    let missing: Vec<(i64, String)> = sqlx::query_as(
        "SELECT position, answer FROM session_answers
         WHERE session_id = $1 AND answer IS NOT NULL AND answer_rendered IS NULL",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    for (position, text) in missing {
        let Some(html) = crate::questions::markdown::render_apart(text.clone()).await else {
            continue;
        };
        // Keeping it is a saving, not a promise: a busy database is no
        // reason to fail the page that asked (it shows the text as typed).
        let kept = sqlx::query(
            "UPDATE session_answers SET answer_rendered = $3
             WHERE session_id = $1 AND position = $2 AND answer = $4 AND answer_rendered IS NULL",
        )
        .bind(id)
        .bind(position)
        .bind(html)
        .bind(text)
        .execute(pool)
        .await;
        if let Err(error) = kept {
            tracing::warn!(%error, "a rendered answer was not kept; it is rendered again next time");
        }
    }
    Ok(())
}

/// Records the self-grade, ticked key points, flag and note of a submitted
/// answer (the current one, or any earlier one of an active session).
pub async fn grade(
    pool: &Pool,
    id: Uuid,
    user: Uuid,
    marks: GradeInput<'_>,
    now: i64,
) -> Result<RunnerState, AppError> {
    let GradeInput {
        position,
        grade,
        ticked,
        flagged,
        note,
    } = marks;
    let mut tx = begin_write(pool).await?;
    let mut s = owned(&mut tx, id, user).await?;
    if s.closed_by_recruiter {
        return Err(refusal(&s, position));
    }
    settle(&mut tx, &mut s, now).await?;
    let key_point_count: Option<i64> = sqlx::query_scalar(
        "SELECT json_array_length(v.key_points) FROM session_answers a
         JOIN question_versions v ON v.question_id = a.question_id AND v.revision = a.question_revision
         WHERE a.session_id = $1 AND a.position = $2 AND a.submitted_at IS NOT NULL",
    )
    .bind(id)
    .bind(i64::from(position))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(key_point_count) = key_point_count else {
        return Err(AppError::Conflict(
            "Submit your answer before grading it.".into(),
        ));
    };
    if ticked.iter().any(|&k| i64::from(k) >= key_point_count) {
        return Err(AppError::invalid(
            "key_points_hit",
            "A ticked key point does not exist.",
        ));
    }
    let mut ticked = ticked.to_vec();
    ticked.sort_unstable();
    ticked.dedup();
    // Once the session is over, changing a grade is a re-grade: the
    // earlier values are kept as history keeps them.
    let write = grading::GradeWrite {
        session: id,
        position,
        grade,
        note,
        ticked: Some(&ticked),
        flagged: Some(flagged),
        keep_revision: !s.is_active(),
        now,
    };
    grading::write(&mut tx, &write).await?;
    let state = build_state(&mut tx, &s, now).await?;
    tx.commit().await?;
    Ok(state)
}

/// Puts the `index`-th follow-up of the question at `position` right after
/// it, as the interviewer's next question. Only for the current question,
/// once answered, in the person's own active session (a shared set asks
/// exactly its questions). Asking for the same follow-up again changes
/// nothing.
pub async fn ask_follow_up(
    pool: &Pool,
    id: Uuid,
    user: Uuid,
    position: u32,
    index: u32,
    now: i64,
) -> Result<RunnerState, AppError> {
    let mut tx = begin_write(pool).await?;
    let mut s = owned(&mut tx, id, user).await?;
    settle(&mut tx, &mut s, now).await?;
    let position = i64::from(position);
    if !s.is_active() || s.set_version.is_some() || position != s.current_position {
        return Err(AppError::Conflict(
            "A follow-up can be added only to the question you are on, in your own session.".into(),
        ));
    }
    #[derive(sqlx::FromRow)]
    struct Child {
        id: i64,
        topic_id: i64,
        level: String,
        revision: i64,
    }
    let child: Option<Child> = sqlx::query_as(
        "SELECT c.id, c.topic_id, c.level, c.revision
         FROM session_answers a JOIN questions c ON c.parent_id = a.question_id
         WHERE a.session_id = $1 AND a.position = $2 AND a.submitted_at IS NOT NULL
           AND c.follow_up_index = $3 AND c.archived = FALSE",
    )
    .bind(id)
    .bind(position)
    .bind(i64::from(index))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(Child {
        id: child,
        topic_id: topic,
        level,
        revision,
    }) = child
    else {
        return Err(AppError::NotFound("That follow-up".into()));
    };
    let asked: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM session_answers WHERE session_id = $1 AND question_id = $2)",
    )
    .bind(id)
    .bind(child)
    .fetch_one(&mut *tx)
    .await?;
    if !asked {
        // Make room after the current question: move the later ones down
        // (through negative positions, so no two rows share one midway).
        for sql in [
            "UPDATE session_answers SET position = -(position + 1) WHERE session_id = $1 AND position > $2",
            "UPDATE session_answers SET position = -position WHERE session_id = $1 AND position < 0",
        ] {
            sqlx::query(sql)
                .bind(id)
                .bind(position)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO session_answers (session_id, position, user_id, question_id, level,
                 topic_id, question_revision)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(position + 1)
        .bind(user)
        .bind(child)
        .bind(&level)
        .bind(topic)
        .bind(revision)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE interview_sessions SET question_count = question_count + 1 WHERE id = $1",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        s.question_count += 1;
    }
    let state = build_state(&mut tx, &s, now).await?;
    tx.commit().await?;
    Ok(state)
}
