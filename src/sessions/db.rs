//! Sessions' storage: the queries (`queries.rs`, written once, compiled for
//! each backend), the values they take and give, and what the rest of the
//! app calls, sent to the backend in use.

use uuid::Uuid;

use super::types::*;
use crate::error::AppError;
use crate::questions::types::Level;

/// What a new session asks for, already validated.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub mode: Mode,
    pub levels: Vec<Level>,
    pub topics: Vec<String>,
    pub count: u32,
    pub per_question_secs: Option<u32>,
    pub total_secs: Option<u32>,
    /// Practise exactly this question (by slug) instead of drawing.
    pub only: Option<String>,
}

/// Most topics one session may name: as many as a bank filter.
pub use crate::questions::types::MAX_FILTER_TOPICS as MAX_TOPICS;

impl NewSession {
    /// Checks what a person asked for, once, where it enters: every list
    /// bounded and without repeats, every number in range, with a message
    /// that says what to change.
    pub fn parse(
        mode: Mode,
        levels: Vec<Level>,
        topics: Vec<String>,
        count: u32,
        per_question_secs: u32,
        total_secs: u32,
        question: String,
    ) -> Result<Self, crate::error::AppError> {
        use crate::error::AppError;
        if !(MIN_QUESTIONS..=MAX_QUESTIONS).contains(&count) {
            return Err(AppError::invalid(
                "count",
                format!("Choose between {MIN_QUESTIONS} and {MAX_QUESTIONS} questions."),
            ));
        }
        // Level has three values, so dedup bounds the list.
        let mut levels = levels;
        levels.sort();
        levels.dedup();
        let mut seen: Vec<String> = Vec::new();
        for topic in topics {
            if !crate::questions::types::is_slug(&topic) {
                return Err(AppError::invalid("topics", "Unknown topic."));
            }
            if !seen.contains(&topic) {
                seen.push(topic);
            }
        }
        if seen.len() > MAX_TOPICS {
            return Err(AppError::invalid(
                "topics",
                format!("Choose at most {MAX_TOPICS} topics."),
            ));
        }
        let per_question_secs = match per_question_secs {
            0 => None,
            s if (PER_QUESTION_SECS.0..=PER_QUESTION_SECS.1).contains(&s) => Some(s),
            _ => {
                return Err(AppError::invalid(
                    "per_question_secs",
                    "A per-question limit is 5 seconds to 60 minutes.",
                ))
            }
        };
        let total_secs = match total_secs {
            0 => None,
            s if (TOTAL_SECS.0..=TOTAL_SECS.1).contains(&s) => Some(s),
            _ => {
                return Err(AppError::invalid(
                    "total_secs",
                    "A total limit is 30 seconds to 6 hours.",
                ))
            }
        };
        let only = match question.as_str() {
            "" => None,
            slug if crate::questions::types::is_slug(slug) => Some(question),
            _ => return Err(AppError::NotFound("That question".into())),
        };
        Ok(Self {
            mode,
            levels,
            topics: seen,
            count,
            per_question_secs,
            total_secs,
            only,
        })
    }
}

/// A session's `status` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum SessionStatus {
    Active,
    Finished,
    Abandoned,
}

/// One autosave: the text, the revision the tab gave it, the tab, and the
/// newest revision the tab knows is stored (its base).
#[derive(Clone, Copy, Debug)]
pub struct Draft<'a> {
    pub text: &'a str,
    pub rev: i64,
    pub editor: &'a str,
    pub base: i64,
}

/// An answer's text and its Markdown rendered (`markdown::render_apart`),
/// or `None` to have it rendered when first read.
#[derive(Clone, Copy, Debug)]
pub struct Rendered<'a> {
    pub text: &'a str,
    pub html: Option<&'a str>,
}

impl<'a> Rendered<'a> {
    /// Text whose rendering is left to its first reader.
    pub fn later(text: &'a str) -> Self {
        Self { text, html: None }
    }
}

/// Why a save or submit to a session whose link was revoked fails.
pub const CLOSED_BY_RECRUITER: &str = "The recruiter closed this interview. Your answers up to then were kept and submitted as they were; nothing more can be changed.";

/// A person's marks on one of their answers, as the runner sends them:
/// one value from the server function down to the grade's write.
#[derive(Clone, Copy, Debug)]
pub struct GradeInput<'a> {
    pub position: u32,
    /// 1 (Missed) to 4 (Excellent).
    pub grade: u8,
    /// Indexes of the key points the person ticked.
    pub ticked: &'a [u32],
    pub flagged: bool,
    pub note: &'a str,
}

/// Timer controls, practice mode only (WCAG 2.2.1: the person can pause,
/// extend or switch off a time limit).
pub use super::types::TimerAction;

pub const EXTEND_MS: i64 = 60_000;

crate::platform::db::dispatch! { sessions;
    pub async fn start_review(user: Uuid, now: i64) -> Result<Option<Uuid>, AppError>;
    pub async fn create(user_id: Uuid, new: &NewSession, now: i64) -> Result<Option<Uuid>, sqlx::Error>;
    pub async fn retry_weak(from: Uuid, user: Uuid, per_question_secs: Option<u32>, now: i64) -> Result<Option<Uuid>, AppError>;
    pub async fn state(id: Uuid, user: Uuid, now: i64) -> Result<RunnerState, AppError>;
    pub async fn save_draft(id: Uuid, user: Uuid, position: u32, draft: Draft<'_>, now: i64) -> Result<SaveAck, AppError>;
    pub async fn check_editor(id: Uuid, user: Uuid, position: u32, editor: &str, base: i64) -> Result<(), AppError>;
    pub async fn submit(id: Uuid, user: Uuid, position: u32, answer: Rendered<'_>, now: i64) -> Result<RunnerState, AppError>;
    pub async fn render_missing(id: Uuid) -> Result<(), AppError>;
    pub async fn grade(id: Uuid, user: Uuid, marks: GradeInput<'_>, now: i64) -> Result<RunnerState, AppError>;
    pub async fn ask_follow_up(id: Uuid, user: Uuid, position: u32, index: u32, now: i64) -> Result<RunnerState, AppError>;
    pub async fn next(id: Uuid, user: Uuid, position: u32, now: i64) -> Result<RunnerState, AppError>;
    pub async fn end(id: Uuid, user: Uuid, now: i64) -> Result<(), AppError>;
    pub async fn adjust_timer(id: Uuid, user: Uuid, action: TimerAction, now: i64) -> Result<RunnerState, AppError>;
    pub async fn summary(id: Uuid, user: Uuid, now: i64) -> Result<SessionSummary, AppError>;
    pub async fn active_for(user: Uuid) -> Result<Option<ActiveSession>, sqlx::Error>;
}
