//! Server functions for history.

use leptos::prelude::*;

use super::types::*;
use crate::error::AppError;

/// The caller's sessions, newest first, filtered. Nobody logged in simply
/// has no history.
#[server(endpoint = "history/list")]
pub async fn list_history(filter: HistoryFilter) -> Result<Vec<HistoryItem>, AppError> {
    use crate::accounts::days;
    let Some(user) = crate::accounts::authz::current_user().await? else {
        return Ok(Vec::new());
    };
    let pool = crate::platform::pool()?;
    let tz = crate::accounts::db::user_zone(&pool, user.id).await?;
    let since = match filter.from.trim() {
        "" => None,
        from => Some(days::day_start(days::parse_date("from", from)?, &tz)?),
    };
    let until = match filter.to.trim() {
        "" => None,
        to => Some(days::day_start(
            days::next_day(days::parse_date("to", to)?)?,
            &tz,
        )?),
    };
    if let (Some(since), Some(until)) = (since, until) {
        if since >= until {
            return Err(AppError::invalid(
                "from",
                "The start date is after the end date.",
            ));
        }
    }
    if filter.topic.len() > 64 {
        return Err(AppError::invalid("topic", "Unknown topic."));
    }
    let list = super::db::ListFilter {
        mode: crate::sessions::types::Mode::parse(&filter.mode),
        level: crate::questions::types::Level::parse(&filter.level),
        topic: Some(filter.topic.as_str()).filter(|t| !t.is_empty()),
        since,
        until,
    };
    let page = filter.page.clamp(1, 10_000) - 1;
    let mut items = super::db::list(&pool, user.id, &list, page).await?;
    for item in &mut items {
        item.started_label = days::local_label(item.started_at, &tz);
    }
    Ok(items)
}

#[server(endpoint = "history/review")]
pub async fn review_session(id: String) -> Result<Vec<ReviewedAnswer>, AppError> {
    let c = crate::accounts::authz::caller().await?;
    let id = uuid::Uuid::parse_str(&id).map_err(|_| AppError::NotFound("That session".into()))?;
    let mut answers = super::db::past_session(&c.pool, id, c.user.id).await?;
    let tz = crate::accounts::db::user_zone(&c.pool, c.user.id).await?;
    for (position, at, mut revision) in super::db::revisions(&c.pool, id).await? {
        revision.changed_label = crate::accounts::days::local_label(at, &tz);
        if let Some(a) = answers.iter_mut().find(|a| a.position == position) {
            a.revisions.push(revision);
        }
    }
    Ok(answers)
}

/// Re-grades an answer of a finished session and edits its note; the
/// earlier values are kept as a revision.
#[server(endpoint = "history/regrade")]
pub async fn regrade_answer(
    session_id: String,
    position: u32,
    grade: u8,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    use crate::sessions::types::MAX_NOTE_CHARS;
    let c = crate::accounts::authz::caller().await?;
    let id = uuid::Uuid::parse_str(&session_id)
        .map_err(|_| AppError::NotFound("That session".into()))?;
    if !(1..=4).contains(&grade) {
        return Err(AppError::invalid("grade", "Pick a grade from 1 to 4."));
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::invalid(
            "note",
            format!("Keep the note under {MAX_NOTE_CHARS} characters."),
        ));
    }
    super::db::regrade(&c.pool, id, c.user.id, position, grade, note.trim(), c.now).await
}

/// The caller's earlier answers to a question, newest first, each with a
/// diff against the one before. Nobody logged in has none.
#[server(endpoint = "history/answers")]
pub async fn past_answers(slug: String) -> Result<Vec<PastAnswer>, AppError> {
    let Some(user) = crate::accounts::authz::current_user().await? else {
        return Ok(Vec::new());
    };
    if slug.len() > 200 {
        return Ok(Vec::new());
    }
    let pool = crate::platform::pool()?;
    let tz = crate::accounts::db::user_zone(&pool, user.id).await?;
    super::db::past_answers(&pool, user.id, &slug, &tz).await
}
