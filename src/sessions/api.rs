//! Server functions for sessions: authenticate (guests welcome), validate,
//! call `db`, map errors. The clock is always the server's.

use leptos::prelude::*;

use super::types::*;
use crate::error::AppError;

#[cfg(feature = "ssr")]
fn session_id(raw: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(raw).map_err(|_| AppError::NotFound("That session".into()))
}

/// Starts a session and returns its id. Guests get an account on the spot.
#[server(endpoint = "sessions/start")]
pub async fn start_session(
    mode: String,
    #[server(default)] levels: Vec<String>,
    #[server(default)] topics: Vec<String>,
    count: u32,
    per_question_secs: u32,
    total_secs: u32,
    /// A question slug to practise just that one; empty to draw questions.
    #[server(default)]
    question: String,
) -> Result<String, AppError> {
    crate::error::respond(
        async move {
            use crate::questions::types::Level;
            let mode = Mode::parse(&mode)
                .ok_or_else(|| AppError::invalid("mode", "Choose practice or interview mode."))?;
            if !(MIN_QUESTIONS..=MAX_QUESTIONS).contains(&count) {
                return Err(AppError::invalid(
                    "count",
                    "Choose between 1 and 50 questions.",
                ));
            }
            let levels: Vec<Level> = levels.iter().filter_map(|l| Level::parse(l)).collect();
            let topics: Vec<String> = topics
                .into_iter()
                .filter(|t| t.len() <= 64 && t.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
                .take(32)
                .collect();
            let per_q = match per_question_secs {
                0 => None,
                s if (PER_QUESTION_SECS.0..=PER_QUESTION_SECS.1).contains(&s) => Some(s),
                _ => {
                    return Err(AppError::invalid(
                        "per_question_secs",
                        "A per-question limit is 5 seconds to 60 minutes.",
                    ))
                }
            };
            let total = match total_secs {
                0 => None,
                s if (TOTAL_SECS.0..=TOTAL_SECS.1).contains(&s) => Some(s),
                _ => {
                    return Err(AppError::invalid(
                        "total_secs",
                        "A total limit is 30 seconds to 6 hours.",
                    ))
                }
            };
            let user = crate::accounts::authz::ensure_user().await?;
            let pool = crate::server::pool()?;
            let only =
                (!question.is_empty()).then(|| question.chars().take(80).collect::<String>());
            let new = super::db::NewSession {
                mode,
                levels,
                topics,
                count,
                per_question_secs: per_q,
                total_secs: total,
                only,
            };
            match super::db::create(&pool, user.id, &new, crate::server::db::now_ms()).await? {
                Some(id) => Ok(id.to_string()),
                None => Err(AppError::invalid(
                    "topics",
                    "No questions match those levels and topics. Choose more of them.",
                )),
            }
        }
        .await,
    )
}

#[server(endpoint = "sessions/state")]
pub async fn session_state(id: String) -> Result<RunnerState, AppError> {
    crate::error::respond(
        async move {
            let user = crate::accounts::authz::require_user().await?;
            let pool = crate::server::pool()?;
            super::db::state(
                &pool,
                session_id(&id)?,
                user.id,
                crate::server::db::now_ms(),
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "sessions/save")]
pub async fn save_draft(id: String, position: u32, text: String) -> Result<SaveAck, AppError> {
    crate::error::respond(
        async move {
            if text.chars().count() > MAX_ANSWER_CHARS {
                return Err(AppError::invalid(
                    "text",
                    format!("Answers are limited to {MAX_ANSWER_CHARS} characters."),
                ));
            }
            let user = crate::accounts::authz::require_user().await?;
            let pool = crate::server::pool()?;
            super::db::save_draft(
                &pool,
                session_id(&id)?,
                user.id,
                position,
                &text,
                crate::server::db::now_ms(),
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "sessions/submit")]
pub async fn submit_answer(
    id: String,
    position: u32,
    text: String,
) -> Result<RunnerState, AppError> {
    crate::error::respond(
        async move {
            if text.chars().count() > MAX_ANSWER_CHARS {
                return Err(AppError::invalid(
                    "text",
                    format!("Answers are limited to {MAX_ANSWER_CHARS} characters."),
                ));
            }
            let user = crate::accounts::authz::require_user().await?;
            let pool = crate::server::pool()?;
            super::db::submit(
                &pool,
                session_id(&id)?,
                user.id,
                position,
                &text,
                crate::server::db::now_ms(),
            )
            .await
        }
        .await,
    )
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
    crate::error::respond(
        async move {
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
            let user = crate::accounts::authz::require_user().await?;
            let pool = crate::server::pool()?;
            super::db::grade(
                &pool,
                session_id(&id)?,
                user.id,
                position,
                grade,
                &key_points_hit,
                flagged,
                &note,
                crate::server::db::now_ms(),
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "sessions/next")]
pub async fn next_question(id: String, position: u32) -> Result<RunnerState, AppError> {
    crate::error::respond(
        async move {
            let user = crate::accounts::authz::require_user().await?;
            let pool = crate::server::pool()?;
            super::db::next(
                &pool,
                session_id(&id)?,
                user.id,
                position,
                crate::server::db::now_ms(),
            )
            .await
        }
        .await,
    )
}

/// `action`: pause, resume, extend, off or on (practice mode only).
#[server(endpoint = "sessions/timer")]
pub async fn adjust_timer(id: String, action: String) -> Result<RunnerState, AppError> {
    crate::error::respond(
        async move {
            use super::db::TimerAction;
            let action = match action.as_str() {
                "pause" => TimerAction::Pause,
                "resume" => TimerAction::Resume,
                "extend" => TimerAction::Extend,
                "off" => TimerAction::Off,
                "on" => TimerAction::On,
                _ => return Err(AppError::invalid("action", "Unknown timer action.")),
            };
            let user = crate::accounts::authz::require_user().await?;
            let pool = crate::server::pool()?;
            super::db::adjust_timer(
                &pool,
                session_id(&id)?,
                user.id,
                action,
                crate::server::db::now_ms(),
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "sessions/end")]
pub async fn end_session(id: String) -> Result<(), AppError> {
    crate::error::respond(
        async move {
            let user = crate::accounts::authz::require_user().await?;
            let pool = crate::server::pool()?;
            super::db::end(
                &pool,
                session_id(&id)?,
                user.id,
                crate::server::db::now_ms(),
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "sessions/summary")]
pub async fn get_session_summary(id: String) -> Result<SessionSummary, AppError> {
    crate::error::respond(
        async move {
            let user = crate::accounts::authz::require_user().await?;
            let pool = crate::server::pool()?;
            super::db::summary(
                &pool,
                session_id(&id)?,
                user.id,
                crate::server::db::now_ms(),
            )
            .await
        }
        .await,
    )
}

/// The caller's unfinished session, if any (for "resume" on the start page).
#[server(endpoint = "sessions/active")]
pub async fn find_active_session() -> Result<Option<ActiveSession>, AppError> {
    crate::error::respond(
        async move {
            let Some(user) = crate::accounts::authz::current_user().await? else {
                return Ok(None);
            };
            let pool = crate::server::pool()?;
            Ok(super::db::active_for(&pool, user.id).await?)
        }
        .await,
    )
}

/// Starts a practice session with the questions graded Missed or Partial in
/// session `id`, and returns the new session's id.
#[server(endpoint = "sessions/retry")]
pub async fn retry_weak(id: String) -> Result<String, AppError> {
    crate::error::respond(
        async move {
            let user = crate::accounts::authz::require_user().await?;
            let pool = crate::server::pool()?;
            match super::db::retry_weak(
                &pool,
                session_id(&id)?,
                user.id,
                Some(300),
                crate::server::db::now_ms(),
            )
            .await?
            {
                Some(new) => Ok(new.to_string()),
                None => Err(AppError::Conflict(
                    "No answer in this session was graded Missed or Partial.".into(),
                )),
            }
        }
        .await,
    )
}
