//! Server functions for sessions: authenticate (guests welcome), validate,
//! call `db`, map errors. The clock is always the server's.

use leptos::prelude::*;

use super::types::*;
use crate::error::AppError;
use crate::questions::types::Level;

#[cfg(feature = "ssr")]
fn session_id(raw: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(raw).map_err(|_| AppError::NotFound("That session".into()))
}

/// Starts a session and returns its id. Guests get an account on the spot.
#[server(endpoint = "sessions/start")]
pub async fn start_session(
    mode: Mode,
    #[server(default)] levels: Vec<Level>,
    #[server(default)] topics: Vec<String>,
    count: u32,
    per_question_secs: u32,
    total_secs: u32,
    /// A question slug to practise just that one; empty to draw questions.
    #[server(default)]
    question: String,
) -> Result<String, AppError> {
    let new = super::db::NewSession::parse(
        mode,
        levels,
        topics,
        count,
        per_question_secs,
        total_secs,
        question,
    )?;
    let user = crate::accounts::authz::ensure_user().await?;
    let pool = crate::platform::pool()?;
    match super::db::create(&pool, user.id, &new, crate::platform::now_ms()).await? {
        Some(id) => {
            // A plain form post ("Practise this question") goes straight
            // to the session; the islands open it themselves.
            crate::platform::request::redirect_form_post(&format!("/practice/{id}"));
            Ok(id.to_string())
        }
        None => Err(AppError::invalid(
            "topics",
            "No questions match those levels and topics. Choose more of them.",
        )),
    }
}

#[server(endpoint = "sessions/state")]
pub async fn session_state(id: String) -> Result<RunnerState, AppError> {
    let c = crate::accounts::authz::caller().await?;
    super::db::state(&c.pool, session_id(&id)?, c.user.id, c.now).await
}

/// Autosaves a draft. `rev` goes up with every save a tab makes; `editor`
/// names the tab, so a refusal can tell "your own newer save is already
/// stored" from "another tab is editing this answer".
#[server(endpoint = "sessions/save")]
pub async fn save_draft(
    id: String,
    position: u32,
    text: String,
    #[server(default)] rev: u32,
    #[server(default)] editor: String,
    #[server(default)] base: u32,
) -> Result<SaveAck, AppError> {
    check_answer_length(&text)?;
    if editor.len() > MAX_EDITOR_ID {
        return Err(AppError::invalid("editor", "Malformed editor id."));
    }
    let c = crate::accounts::authz::caller().await?;
    let draft = super::db::Draft {
        text: &text,
        rev: i64::from(rev),
        editor: &editor,
        base: i64::from(base),
    };
    super::db::save_draft(&c.pool, session_id(&id)?, c.user.id, position, draft, c.now).await
}

#[cfg(feature = "ssr")]
fn check_answer_length(text: &str) -> Result<(), AppError> {
    if text.chars().count() > MAX_ANSWER_CHARS {
        return Err(AppError::invalid(
            "text",
            format!("Answers are limited to {MAX_ANSWER_CHARS} characters."),
        ));
    }
    Ok(())
}

/// Submits an answer. `editor` and `base` are the tab's, as for saves: a
/// tab that another tab has saved over since can't replace the newer text.
#[server(endpoint = "sessions/submit")]
pub async fn submit_answer(
    id: String,
    position: u32,
    text: String,
    #[server(default)] editor: String,
    #[server(default)] base: u32,
) -> Result<RunnerState, AppError> {
    check_answer_length(&text)?;
    if editor.len() > MAX_EDITOR_ID {
        return Err(AppError::invalid("editor", "Malformed editor id."));
    }
    let c = crate::accounts::authz::caller().await?;
    let id = session_id(&id)?;
    super::db::check_editor(&c.pool, id, c.user.id, position, &editor, i64::from(base)).await?;
    // Rendered here, before the write turn is taken, off the async workers.
    let html = crate::questions::markdown::render_apart(text.clone()).await;
    let answer = super::db::Rendered {
        text: &text,
        html: html.as_deref(),
    };
    super::db::submit(&c.pool, id, c.user.id, position, answer, c.now).await
}

#[server(endpoint = "sessions/grade")]
pub async fn grade_answer(
    id: String,
    position: u32,
    grade: u8,
    #[server(default)] key_points_hit: Vec<u32>,
    #[server(default)] flagged: bool,
    #[server(default)] note: String,
) -> Result<RunnerState, AppError> {
    if !(1..=4).contains(&grade) {
        return Err(AppError::invalid(
            "grade",
            "Grades go from 1 (Missed) to 4 (Excellent).",
        ));
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::invalid(
            "note",
            format!("Notes are limited to {MAX_NOTE_CHARS} characters."),
        ));
    }
    if key_points_hit.len() > 16 {
        return Err(AppError::invalid("key_points_hit", "Too many key points."));
    }
    let c = crate::accounts::authz::caller().await?;
    let marks = super::db::GradeInput {
        position,
        grade,
        ticked: &key_points_hit,
        flagged,
        note: &note,
    };
    super::db::grade(&c.pool, session_id(&id)?, c.user.id, marks, c.now).await
}

#[server(endpoint = "sessions/next")]
pub async fn next_question(id: String, position: u32) -> Result<RunnerState, AppError> {
    let c = crate::accounts::authz::caller().await?;
    super::db::next(&c.pool, session_id(&id)?, c.user.id, position, c.now).await
}

/// "The interviewer asks next": puts a follow-up of the current question
/// right after it.
#[server(endpoint = "sessions/follow-up")]
pub async fn ask_follow_up(id: String, position: u32, index: u32) -> Result<RunnerState, AppError> {
    let c = crate::accounts::authz::caller().await?;
    super::db::ask_follow_up(&c.pool, session_id(&id)?, c.user.id, position, index, c.now).await
}

/// Pause, resume, +1 minute, timer off or on (practice mode only).
#[server(endpoint = "sessions/timer")]
pub async fn adjust_timer(id: String, action: TimerAction) -> Result<RunnerState, AppError> {
    let c = crate::accounts::authz::caller().await?;
    super::db::adjust_timer(&c.pool, session_id(&id)?, c.user.id, action, c.now).await
}

#[server(endpoint = "sessions/end")]
pub async fn end_session(id: String) -> Result<(), AppError> {
    let c = crate::accounts::authz::caller().await?;
    super::db::end(&c.pool, session_id(&id)?, c.user.id, c.now).await
}

#[server(endpoint = "sessions/summary")]
pub async fn get_session_summary(id: String) -> Result<SessionSummary, AppError> {
    let c = crate::accounts::authz::caller().await?;
    super::db::summary(&c.pool, session_id(&id)?, c.user.id, c.now).await
}

/// The caller's unfinished session, if any (for "resume" on the start page).
#[server(endpoint = "sessions/active")]
pub async fn find_active_session() -> Result<Option<ActiveSession>, AppError> {
    let Some(user) = crate::accounts::authz::current_user().await? else {
        return Ok(None);
    };
    let pool = crate::platform::pool()?;
    Ok(super::db::active_for(&pool, user.id).await?)
}

/// Starts a practice session with the questions graded Missed or Partial in
/// session `id`, and returns the new session's id.
#[server(endpoint = "sessions/retry")]
pub async fn retry_weak(id: String) -> Result<String, AppError> {
    let c = crate::accounts::authz::caller().await?;
    match super::db::retry_weak(&c.pool, session_id(&id)?, c.user.id, Some(300), c.now).await? {
        Some(new) => Ok(new.to_string()),
        None => Err(AppError::Conflict(
            "No answer in this session was graded Missed or Partial.".into(),
        )),
    }
}

/// Starts a review session with today's queue; returns its id.
#[server(endpoint = "review/start")]
pub async fn start_review() -> Result<String, AppError> {
    let c = crate::accounts::authz::caller().await?;
    match super::db::start_review(&c.pool, c.user.id, c.now).await? {
        Some(id) => Ok(id.to_string()),
        None => Err(AppError::Conflict(
            "Nothing is due for review right now.".into(),
        )),
    }
}
