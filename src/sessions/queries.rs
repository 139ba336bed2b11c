//! SQL and the rules that need it: sessions are created, settled against
//! the clock, saved, submitted, graded and advanced here. Every function
//! takes `now` so tests control time, and every write checks ownership in
//! the same statement or transaction that changes the row.

use uuid::Uuid;

// This backend's pool, connection and transactions (see `server/db`).
use super::{begin_write, take_turn, Conn, Pool};

use crate::error::AppError;
use crate::questions::types::Level;
use crate::sessions::db::{
    Draft, GradeInput, NewSession, Rendered, SessionStatus, CLOSED_BY_RECRUITER, EXTEND_MS,
};
use crate::sessions::{timer, types::*};

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct SessionRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub mode: Mode,
    pub per_question_secs: Option<i64>,
    pub total_secs: Option<i64>,
    pub started_at: i64,
    pub deadline_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub status: SessionStatus,
    pub question_count: i64,
    pub paused_at: Option<i64>,
    pub timer_off: bool,
    pub current_position: i64,
    /// Set when the session is a candidate's run of a shared set.
    pub set_version: Option<i64>,
    /// The shared set keeps its reference answers from the candidate.
    pub hide_reference: bool,
    /// Ended by the recruiter revoking the link it was started from.
    pub closed_by_recruiter: bool,
}

impl SessionRow {
    fn mode(&self) -> Mode {
        self.mode
    }
    fn per_question_ms(&self) -> Option<i64> {
        self.per_question_secs.map(|s| s * 1000)
    }
    fn is_active(&self) -> bool {
        self.status == SessionStatus::Active
    }
    /// Only an active interview has a clock that can run out.
    fn has_clock(&self) -> bool {
        self.is_active() && self.mode() == Mode::Interview
    }
}

#[derive(sqlx::FromRow, Clone, Debug)]
struct AnswerRow {
    position: i64,
    draft: String,
    draft_rev: i64,
    answer: Option<String>,
    /// `answer` rendered when it was submitted (`None`: not yet).
    answer_rendered: Option<String>,
    /// When this question's clock started and ran out (named apart from
    /// the session's own times, so one row can carry both).
    #[sqlx(rename = "answer_started_at")]
    started_at: Option<i64>,
    #[sqlx(rename = "answer_deadline_at")]
    deadline_at: Option<i64>,
    submitted_at: Option<i64>,
    timed_out: bool,
    self_grade: Option<i64>,
    key_points_hit: String,
    flagged: bool,
    note: String,
    overtime_ms: i64,
    slug: String,
    prompt: String,
    level: Level,
    topic_name: String,
    answer_html: String,
    key_points: String,
    behavioral: bool,
    mistakes: String,
    follow_ups: String,
    /// This answer is a follow-up the person chose to be asked.
    follow_up: bool,
    /// Which of this question's follow-ups the session has already been
    /// asked: a JSON array of their indexes.
    asked: String,
}

/// A session with its current answer, as the runner shows it: one row.
#[derive(sqlx::FromRow, Debug)]
struct ViewRow {
    #[sqlx(flatten)]
    session: SessionRow,
    #[sqlx(flatten)]
    answer: AnswerRow,
}

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
            // A bank question, or one of the caller's own: never another
            // author's private question.
            sqlx::query_scalar(
                "SELECT id FROM questions WHERE slug = $1 AND archived = FALSE
                   AND ((source = 'builtin' AND parent_id IS NULL) OR author_id = $2)",
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
    mut tx: super::WriteTx,
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
        (Kind::Chosen, Mode::Practice) => {
            super::grading::practice_schedules(&mut tx, user_id).await?
        }
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

/// The columns of a `SessionRow`, from `interview_sessions s`.
macro_rules! session_columns {
    () => {
        "s.id, s.user_id, s.mode, s.per_question_secs, s.total_secs, s.started_at, s.deadline_at,
         s.finished_at, s.status, s.question_count, s.paused_at, s.timer_off, s.current_position,
         s.set_version, s.closed_by_recruiter,
         -- A set deleted since (its owner left) keeps its references private.
         coalesce((SELECT v.hide_reference FROM set_versions v
                   WHERE v.set_id = s.set_id AND v.version = s.set_version),
                  s.set_version IS NOT NULL) AS hide_reference"
    };
}

/// The columns of an `AnswerRow`, from `session_answers a` joined with its
/// question `q`, the version `v` it was asked in, and that version's topic
/// `t`; `$asked` is the backend's `asked_*!()` aggregate.
macro_rules! answer_columns {
    ($asked:expr) => {
        concat!(
            "a.position, a.draft, a.draft_rev, a.answer, a.answer_rendered,
             a.started_at AS answer_started_at,
             a.deadline_at AS answer_deadline_at, a.submitted_at, a.timed_out, a.self_grade,
             a.key_points_hit, a.flagged, a.note, a.overtime_ms,
             q.slug, v.prompt, v.level, t.name AS topic_name, v.answer_html, v.key_points,
             t.behavioral, q.mistakes, q.follow_ups,
             q.parent_id IS NOT NULL AS follow_up, ",
            $asked,
            " AS asked"
        )
    };
}

/// The follow-ups of answer `a` this session has already been asked, as a
/// JSON array: on PostgreSQL, and on SQLite (whose aggregate is named apart).
macro_rules! asked_postgres {
    () => {
        "coalesce((SELECT json_agg(f.follow_up_index ORDER BY f.follow_up_index)::text
                   FROM session_answers fa JOIN questions f ON f.id = fa.question_id
                   WHERE fa.session_id = a.session_id AND f.parent_id = a.question_id), '[]')"
    };
}
macro_rules! asked_sqlite {
    () => {
        "(SELECT json_group_array(f.follow_up_index)
          FROM session_answers fa JOIN questions f ON f.id = fa.question_id
          WHERE fa.session_id = a.session_id AND f.parent_id = a.question_id)"
    };
}

/// How an answer joins its question, the version asked and its topic.
macro_rules! answer_joins {
    () => {
        "JOIN questions q ON q.id = a.question_id
         JOIN question_versions v ON v.question_id = a.question_id AND v.revision = a.question_revision
         JOIN topics t ON t.id = v.topic_id"
    };
}

async fn load_session(conn: &mut Conn, id: Uuid) -> Result<Option<SessionRow>, sqlx::Error> {
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
async fn load_view(pool: &Pool, id: Uuid, user: Uuid) -> Result<Option<ViewRow>, sqlx::Error> {
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
    sqlx::query_as(if super::POSTGRES {
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
async fn owned(conn: &mut Conn, id: Uuid, user: Uuid) -> Result<SessionRow, AppError> {
    match load_session(conn, id).await? {
        Some(s) if s.user_id == user => Ok(s),
        _ => Err(not_found()),
    }
}

/// A session that does not exist or is someone else's: the same answer
/// for both, so ids can't be probed.
fn not_found() -> AppError {
    AppError::NotFound("That session".into())
}

async fn load_answer(
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
    sqlx::query_as(if super::POSTGRES {
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
struct Overdue {
    /// The current answer's time ran out: when it started, when it was due.
    answer: Option<(i64, i64)>,
    /// The whole session's time ran out, at this moment.
    session: Option<i64>,
}

impl Overdue {
    fn is_nothing(&self) -> bool {
        self.answer.is_none() && self.session.is_none()
    }
}

/// Reads (never writes) what `settle` would store.
async fn overdue(conn: &mut Conn, s: &SessionRow, now: i64) -> Result<Overdue, sqlx::Error> {
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
type AnswerClock = (Option<i64>, Option<i64>, Option<i64>);

impl Overdue {
    /// What the clock has decided for session `s`, whose current answer's
    /// clock is `answer`.
    fn of(s: &SessionRow, answer: Option<AnswerClock>, now: i64) -> Overdue {
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
async fn settle(conn: &mut Conn, s: &mut SessionRow, now: i64) -> Result<(), sqlx::Error> {
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

async fn build_state(conn: &mut Conn, s: &SessionRow, now: i64) -> Result<RunnerState, AppError> {
    let a = load_answer(conn, s.id, s.current_position)
        .await?
        .ok_or(AppError::Internal)?;
    state_of(s, a, now)
}

/// The runner's view of session `s` at its current answer `a`.
fn state_of(s: &SessionRow, a: AnswerRow, now: i64) -> Result<RunnerState, AppError> {
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
struct StoredDraft {
    draft_rev: i64,
    draft_editor: String,
    answer: Option<String>,
    submitted_at: Option<i64>,
}

fn refusal(s: &SessionRow, position: u32) -> AppError {
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
    let write = super::grading::GradeWrite {
        session: id,
        position,
        grade,
        note,
        ticked: Some(&ticked),
        flagged: Some(flagged),
        keep_revision: !s.is_active(),
        now,
    };
    super::grading::write(&mut tx, &write).await?;
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

async fn finish(conn: &mut Conn, s: &mut SessionRow, now: i64) -> Result<(), sqlx::Error> {
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
