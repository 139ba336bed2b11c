//! SQL and the rules that need it: sessions are created, settled against
//! the clock, saved, submitted, graded and advanced here. Every function
//! takes `now` so tests control time, and every write checks ownership in
//! the same statement or transaction that changes the row.

use uuid::Uuid;

// This backend's pool, connections and transactions (see `platform/db`).
use super::{begin_write, take_turn, Conn, Pool, WriteTx, POSTGRES};
// The other domains' queries this one calls, compiled for the same backend.
use super::grading;
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

mod answer;
mod load;
mod moves;
mod start;

pub use answer::*;
pub use load::*;
pub use moves::*;
pub use start::*;
