//! Server functions for sharing: the owner's links, the candidate's landing
//! and start, integrity signals, and results and reviews.

use leptos::prelude::*;

use super::types::*;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::teams::authz::recruiter;

#[cfg(feature = "ssr")]
fn id(raw: &str, what: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(raw).map_err(|_| AppError::NotFound(what.into()))
}

/// Makes a share link to the set as it is now. `expires_on` is a local
/// date (the link works through that day), empty for never; `max_candidates`
/// 0 for no limit.
#[server(endpoint = "sharing/create")]
pub async fn create_link(
    set_id: String,
    #[server(default)] label: String,
    #[server(default)] expires_on: String,
    #[server(default)] max_candidates: u32,
) -> Result<(), AppError> {
    use crate::accounts::days;
    let r = recruiter().await?;
    let label = label.trim();
    if label.chars().count() > LABEL_MAX {
        return Err(AppError::invalid(
            "label",
            format!("Keep the label under {LABEL_MAX} characters."),
        ));
    }
    let tz = crate::accounts::db::user_zone(&r.pool, r.id).await?;
    let expires_at = match expires_on.trim() {
        "" => None,
        date => {
            let day = days::parse_date("expires_on", date)?;
            let end = days::day_start(days::next_day(day)?, &tz)?;
            if end <= r.now {
                return Err(AppError::invalid(
                    "expires_on",
                    "Choose an expiry date from today on.",
                ));
            }
            Some(end)
        }
    };
    if max_candidates > 100_000 {
        return Err(AppError::invalid(
            "max_candidates",
            "At most 100,000 candidates a link.",
        ));
    }
    let max = (max_candidates > 0).then_some(max_candidates);
    let set = id(&set_id, "That set")?;
    super::db::create_link(&r.pool, set, r.viewer(), label, expires_at, max, r.now).await?;
    Ok(())
}

#[server(endpoint = "sharing/links")]
pub async fn list_links(set_id: String) -> Result<Vec<LinkInfo>, AppError> {
    let r = recruiter().await?;
    let tz = crate::accounts::db::user_zone(&r.pool, r.id).await?;
    super::db::links(&r.pool, id(&set_id, "That set")?, r.viewer(), &tz, r.now).await
}

/// Pause, resume (active) or revoke a link. Revoking is final.
#[server(endpoint = "sharing/state")]
pub async fn set_link_state(link_id: String, state: LinkState) -> Result<(), AppError> {
    let r = recruiter().await?;
    super::db::set_link_state(
        &r.pool,
        id(&link_id, "That link")?,
        r.viewer(),
        state,
        r.now,
    )
    .await
}

/// What a candidate sees at `/s/:code`. Anyone may ask.
#[server(endpoint = "sharing/landing")]
pub async fn link_landing(code: String) -> Result<Landing, AppError> {
    let user = crate::accounts::authz::current_user().await?;
    let pool = crate::platform::pool()?;
    let caller = user.map(|u| (u.id, (!u.is_guest).then_some(u.username)));
    super::db::landing(&pool, &code, caller, crate::platform::now_ms()).await
}

/// Starts (or resumes) the caller's interview from a link and returns the
/// session id. Nobody logged in becomes a guest, who must give a name.
#[server(endpoint = "sharing/start")]
pub async fn start_from_link(
    code: String,
    #[server(default)] display_name: String,
) -> Result<String, AppError> {
    let name: String = display_name
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if name.chars().count() > DISPLAY_NAME_MAX {
        return Err(AppError::invalid(
            "display_name",
            format!("Keep your name under {DISPLAY_NAME_MAX} characters."),
        ));
    }
    let current = crate::accounts::authz::current_user().await?;
    let name = match &current {
        Some(u) if !u.is_guest && name.is_empty() => u.username.clone(),
        _ if name.is_empty() => {
            return Err(AppError::invalid(
                "display_name",
                "Tell the interviewer your name.",
            ))
        }
        _ => name,
    };
    let pool = crate::platform::pool()?;
    let now = crate::platform::now_ms();
    // Check the link before making anyone a guest.
    let info = super::db::landing(&pool, &code, None, now).await?;
    if info.status != LinkStatus::Open {
        let user = current.as_ref().map(|u| u.id);
        if let Some(user) = user {
            let again = super::db::landing(&pool, &code, Some((user, None)), now).await?;
            if let Some(session) = again.resume {
                // Revoked ends the link for everyone, those who started too.
                if info.status == LinkStatus::Revoked {
                    return Err(AppError::Conflict(
                        crate::sessions::db::CLOSED_BY_RECRUITER.into(),
                    ));
                }
                return Ok(session);
            }
        }
        return Err(AppError::Conflict(info.status.explanation().into()));
    }
    let user = crate::accounts::authz::ensure_user().await?;
    let session = super::db::start(&pool, &code, user.id, &name, now).await?;
    Ok(session.to_string())
}

/// Integrity signals from the candidate's runner: time the tab was hidden,
/// and the size of a paste into the answer box.
#[server(endpoint = "sharing/signal")]
pub async fn record_signal(
    session_id: String,
    #[server(default)] hidden_ms: u32,
    #[server(default)] paste_chars: u32,
) -> Result<(), AppError> {
    let c = crate::accounts::authz::caller().await?;
    // A day hidden, or a paste of a whole answer, is the most one
    // signal can say.
    let hidden = i64::from(hidden_ms.min(86_400_000));
    let pasted = i64::from(paste_chars.min(100_000));
    super::db::record_signal(
        &c.pool,
        id(&session_id, "That session")?,
        c.user.id,
        hidden,
        pasted,
    )
    .await
}

#[server(endpoint = "sharing/results")]
pub async fn list_results(set_id: String) -> Result<Vec<ResultRow>, AppError> {
    let r = recruiter().await?;
    let tz = crate::accounts::db::user_zone(&r.pool, r.id).await?;
    super::db::results(&r.pool, id(&set_id, "That set")?, r.viewer(), &tz).await
}

/// Mean self-grade and reviewer grade per question of the set.
#[server(endpoint = "sharing/question-means")]
pub async fn question_means(
    set_id: String,
) -> Result<Vec<(String, Option<f64>, Option<f64>)>, AppError> {
    let r = recruiter().await?;
    super::db::question_means(&r.pool, id(&set_id, "That set")?, r.viewer()).await
}

#[server(endpoint = "sharing/report")]
pub async fn get_candidate_report(
    set_id: String,
    attempt_id: String,
) -> Result<CandidateReport, AppError> {
    let r = recruiter().await?;
    let tz = crate::accounts::db::user_zone(&r.pool, r.id).await?;
    let set = id(&set_id, "That set")?;
    let attempt = id(&attempt_id, "That candidate")?;
    super::db::report(&r.pool, set, attempt, r.viewer(), &tz).await
}

/// The reviewer's marks for one answer (autosaved by the review page).
#[server(endpoint = "sharing/review")]
pub async fn save_review(
    attempt_id: String,
    position: u32,
    #[server(default)] key_points_hit: Vec<u32>,
    #[server(default)] grade: Option<u8>,
    #[server(default)] comment: String,
) -> Result<ReviewStatus, AppError> {
    if grade.is_some_and(|g| !(1..=4).contains(&g)) {
        return Err(AppError::invalid(
            "grade",
            "Grades go from 1 (Missed) to 4 (Excellent).",
        ));
    }
    if key_points_hit.len() > 16 {
        return Err(AppError::invalid("key_points_hit", "Too many key points."));
    }
    if comment.chars().count() > COMMENT_MAX {
        return Err(AppError::invalid(
            "comment",
            format!("Keep the comment under {COMMENT_MAX} characters."),
        ));
    }
    let r = recruiter().await?;
    let attempt = id(&attempt_id, "That candidate")?;
    let marks = super::db::ReviewerMarks {
        position,
        ticks: &key_points_hit,
        grade,
        comment: comment.trim(),
    };
    super::db::save_review(&r.pool, attempt, r.viewer(), marks, r.now).await
}

#[server(endpoint = "sharing/recommend")]
pub async fn save_recommendation(
    attempt_id: String,
    #[server(default)] recommendation: Option<Recommendation>,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    if note.chars().count() > COMMENT_MAX {
        return Err(AppError::invalid(
            "note",
            format!("Keep the note under {COMMENT_MAX} characters."),
        ));
    }
    let r = recruiter().await?;
    let attempt = id(&attempt_id, "That candidate")?;
    super::db::save_recommendation(
        &r.pool,
        attempt,
        r.viewer(),
        recommendation,
        note.trim(),
        r.now,
    )
    .await
}
