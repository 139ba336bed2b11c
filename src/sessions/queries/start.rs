//! Starting sessions: chosen, drawn from the bank, retried, from a recruiter's set, or a review; and closing one for a recruiter.

use super::*;

/// Creates a session with its questions drawn at random (questions the user
/// has not answered lately first) and starts the first one. `None` when no
/// question matches the filters.
pub async fn create(
    pool: &Pool,
    user_id: Uuid,
    new: &NewSession,
    now: i64,
) -> Result<Option<Uuid>, sqlx::Error> {
    let levels: Vec<&str> = new.levels.iter().map(|l| l.as_str()).collect();
    let levels = serde_json::to_string(&levels).unwrap_or_else(|_| "[]".into());
    let topics = serde_json::to_string(&new.topics).unwrap_or_else(|_| "[]".into());
    let mut tx = begin_write(pool).await?;
    if let Some(slug) = &new.only {
        let ids: Vec<i64> =
            // A bank question, or one of a team's the caller is in: never
            // another team's private question.
            sqlx::query_scalar(
                "SELECT id FROM questions WHERE slug = $1 AND archived = FALSE
                   AND ((source = 'builtin' AND parent_id IS NULL)
                        OR team_id IN (SELECT team_id FROM team_members WHERE user_id = $2))",
            )
            .bind(slug)
            .bind(user_id)
            .fetch_all(&mut *tx)
            .await?;
        let drawn = Drawn {
            levels: &levels,
            topics: &topics,
            ids: &ids,
        };
        return insert_session(tx, user_id, new, Kind::Chosen, drawn, now).await;
    }
    // Questions never answered sort first; then by the day last answered,
    // so recent ones come last; random within each group.
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT q.id FROM questions q JOIN topics t ON t.id = q.topic_id
         LEFT JOIN (SELECT question_id, max(coalesce(submitted_at, started_at)) AS last
                    FROM session_answers WHERE user_id = $1 GROUP BY question_id) h
           ON h.question_id = q.id
         WHERE q.archived = FALSE AND q.source = 'builtin' AND q.parent_id IS NULL
           AND ($2 = '[]' OR q.level IN (SELECT value FROM json_each($2)))
           AND ($3 = '[]' OR t.slug IN (SELECT value FROM json_each($3)))
         ORDER BY coalesce(h.last, 0) / 86400000, random()
         LIMIT $4",
    )
    .bind(user_id)
    .bind(&levels)
    .bind(&topics)
    .bind(i64::from(new.count))
    .fetch_all(&mut *tx)
    .await?;
    let drawn = Drawn {
        levels: &levels,
        topics: &topics,
        ids: &ids,
    };
    insert_session(tx, user_id, new, Kind::Chosen, drawn, now).await
}

/// A practice session with exactly the questions graded 1 (Missed) or 2
/// (Partial) in one of the user's sessions. `None` when there are none.
/// A shared set's questions belong to the recruiter who shared them (their
/// reference answers may be private): they never move into another session.
pub async fn retry_weak(
    pool: &Pool,
    from: Uuid,
    user: Uuid,
    per_question_secs: Option<u32>,
    now: i64,
) -> Result<Option<Uuid>, AppError> {
    let mut tx = begin_write(pool).await?;
    if owned(&mut tx, from, user).await?.set_version.is_some() {
        return Err(AppError::Conflict(SHARED_STAYS_SHARED.into()));
    }
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT question_id FROM session_answers
         WHERE session_id = $1 AND self_grade IN (1, 2) ORDER BY position",
    )
    .bind(from)
    .fetch_all(&mut *tx)
    .await?;
    let new = NewSession {
        mode: Mode::Practice,
        levels: vec![],
        topics: vec![],
        count: u32::try_from(ids.len()).unwrap_or(0),
        per_question_secs,
        total_secs: None,
        only: None,
    };
    Ok(insert_session(tx, user, &new, Kind::Chosen, Drawn::only(&ids), now).await?)
}

/// Ends a candidate's session because the recruiter revoked its link,
/// inside the caller's transaction: every answer with something typed in
/// it is kept and submitted as it stands, and the session is finished.
pub async fn close_by_recruiter(conn: &mut Conn, id: Uuid, now: i64) -> Result<(), sqlx::Error> {
    // A deadline that passed before the revoke counts as it would have.
    if let Some(mut s) = load_session(&mut *conn, id).await? {
        settle(&mut *conn, &mut s, now).await?;
    }
    sqlx::query(
        "UPDATE session_answers SET answer = draft, submitted_at = $2,
             time_spent_ms = max(0, $2 - coalesce(started_at, $2))
         WHERE session_id = $1 AND submitted_at IS NULL AND started_at IS NOT NULL AND draft <> ''",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE interview_sessions SET status = 'finished', finished_at = $2, closed_by_recruiter = TRUE
         WHERE id = $1 AND status = 'active'",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Why a shared set's session can't be retried.
pub const SHARED_STAYS_SHARED: &str =
    "Questions from a shared interview stay with the recruiter who shared them, so they can't be retried here. Practise the same topics from the bank instead.";

/// The questions drawn for a new session, in order, and the level and
/// topic filters they were drawn by (JSON arrays; `[]` for none).
#[derive(Clone, Copy, Debug)]
pub struct Drawn<'a> {
    pub levels: &'a str,
    pub topics: &'a str,
    pub ids: &'a [i64],
}

impl<'a> Drawn<'a> {
    /// Exactly these questions, drawn by no filter.
    pub fn only(ids: &'a [i64]) -> Self {
        Self {
            levels: "[]",
            topics: "[]",
            ids,
        }
    }
}

/// Why a session was started, beyond its mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Questions the person chose or drew.
    Chosen,
    /// Today's spaced-review queue.
    Review,
}

/// Writes the session and its answer rows and starts the first question.
/// Whether its grades move the review schedule is decided here, once:
/// interviews and reviews always do, practice unless the person said not.
pub async fn insert_session(
    mut tx: WriteTx,
    user_id: Uuid,
    new: &NewSession,
    kind: Kind,
    drawn: Drawn<'_>,
    now: i64,
) -> Result<Option<Uuid>, sqlx::Error> {
    let Drawn {
        levels,
        topics,
        ids,
    } = drawn;
    if ids.is_empty() {
        return Ok(None);
    }
    let id = Uuid::now_v7();
    let per_q = new.per_question_secs.map(i64::from);
    let total = new.total_secs.map(i64::from);
    let deadline = total.map(|t| now + t * 1000);
    let schedules = match (kind, new.mode) {
        (Kind::Review, _) | (_, Mode::Interview) => true,
        (Kind::Chosen, Mode::Practice) => grading::practice_schedules(&mut tx, user_id).await?,
    };
    let purpose = (kind == Kind::Review).then_some("review");
    sqlx::query(
        "INSERT INTO interview_sessions (id, user_id, mode, levels, topics, per_question_secs,
             total_secs, started_at, deadline_at, status, question_count, current_position,
             schedules, purpose)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, 0, $11, $12)",
    )
    .bind(id)
    .bind(user_id)
    .bind(new.mode.as_str())
    .bind(levels)
    .bind(topics)
    .bind(per_q)
    .bind(total)
    .bind(now)
    .bind(deadline)
    .bind(ids.len() as i64)
    .bind(schedules)
    .bind(purpose)
    .execute(&mut *tx)
    .await?;
    let first_deadline = timer::question_deadline(now, per_q.map(|s| s * 1000), deadline);
    for (position, question_id) in ids.iter().enumerate() {
        let first = position == 0;
        sqlx::query(
            "INSERT INTO session_answers
                 (session_id, position, user_id, question_id, started_at, deadline_at, level,
                  topic_id, question_revision)
             SELECT $1, $2, $3, q.id, $5, $6, q.level, q.topic_id, q.revision
             FROM questions q WHERE q.id = $4",
        )
        .bind(id)
        .bind(position as i64)
        .bind(user_id)
        .bind(question_id)
        .bind(first.then_some(now))
        .bind(if first { first_deadline } else { None })
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Some(id))
}

/// One question of a frozen set version, as a session takes it.
#[derive(Clone, Copy, Debug, sqlx::FromRow)]
pub struct FrozenItem {
    pub question_id: i64,
    pub question_revision: i64,
    /// The question's own limit, overriding the set's.
    pub per_question_secs: Option<i64>,
}

/// What a session of a shared set is drawn from.
pub struct SetRun<'a> {
    pub set_id: Uuid,
    pub version: i64,
    pub mode: Mode,
    pub per_question_secs: Option<i64>,
    pub total_secs: Option<i64>,
    /// In the order the candidate gets them.
    pub items: &'a [FrozenItem],
}

/// Starts a candidate's session of a shared set, inside the caller's
/// transaction: the exact question revisions frozen in the version, their
/// own time limits, the set's mode and timing. Returns the session id.
pub async fn insert_set_session(
    conn: &mut Conn,
    user_id: Uuid,
    run: &SetRun<'_>,
    now: i64,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    let deadline = run.total_secs.map(|t| now + t * 1000);
    sqlx::query(
        "INSERT INTO interview_sessions (id, user_id, set_id, set_version, mode, per_question_secs,
             total_secs, started_at, deadline_at, status, question_count, current_position,
             schedules)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, 0, FALSE)",
    )
    .bind(id)
    .bind(user_id)
    .bind(run.set_id)
    .bind(run.version)
    .bind(run.mode.as_str())
    .bind(run.per_question_secs)
    .bind(run.total_secs)
    .bind(now)
    .bind(deadline)
    .bind(run.items.len() as i64)
    .execute(&mut *conn)
    .await?;
    for (position, item) in run.items.iter().enumerate() {
        let first = position == 0;
        let limit_ms = item
            .per_question_secs
            .or(run.per_question_secs)
            .map(|s| s * 1000);
        sqlx::query(
            "INSERT INTO session_answers
                 (session_id, position, user_id, question_id, started_at, deadline_at, level,
                  topic_id, question_revision, limit_secs)
             SELECT $1, $2, $3, v.question_id, $5, $6, v.level, v.topic_id, v.revision, $7
             FROM question_versions v WHERE v.question_id = $4 AND v.revision = $8",
        )
        .bind(id)
        .bind(position as i64)
        .bind(user_id)
        .bind(item.question_id)
        .bind(first.then_some(now))
        .bind(if first {
            timer::question_deadline(now, limit_ms, deadline)
        } else {
            None
        })
        .bind(item.per_question_secs)
        .bind(item.question_revision)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// Starts a review session with today's queue: practice mode, untimed
/// unless the settings give a per-question limit. `None` when nothing is
/// due and there is nothing new to learn.
pub async fn start_review(pool: &Pool, user: Uuid, now: i64) -> Result<Option<Uuid>, AppError> {
    let mut tx = begin_write(pool).await?;
    let p = grading::planned(&mut tx, user, now).await?;
    let ids: Vec<i64> = p
        .reviews
        .iter()
        .map(|r| r.question_id)
        .chain(p.new.iter().map(|r| r.id))
        .collect();
    let settings = grading::settings_in(&mut tx, user).await?;
    let new = NewSession {
        mode: Mode::Practice,
        levels: vec![],
        topics: vec![],
        count: u32::try_from(ids.len()).unwrap_or(0),
        per_question_secs: settings.per_question_secs,
        total_secs: None,
        only: None,
    };
    let kind = Kind::Review;
    let drawn = Drawn::only(&ids);
    Ok(insert_session(tx, user, &new, kind, drawn, now).await?)
}
