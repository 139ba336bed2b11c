//! Server functions for spaced review: the queue, starting a review, the
//! settings, the interview plan and a question's schedule. Every one works
//! on the caller's own cards only.

use leptos::prelude::*;

use super::types::*;
use crate::error::AppError;
use crate::questions::types::{Level, TopicInfo};

/// What `/review` shows.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReviewPage {
    pub queue: ReviewQueue,
    /// The next 30 days, today first.
    pub forecast: Vec<ForecastDay>,
    pub plan: Option<PlanForm>,
    /// For the plan's topic choice.
    pub topics: Vec<TopicInfo>,
}

#[server(endpoint = "review/page")]
pub async fn load_review_page() -> Result<ReviewPage, AppError> {
    let c = crate::accounts::authz::caller().await?;
    let id = c.user.id;
    Ok(ReviewPage {
        queue: super::db::queue(&c.pool, id, c.now).await?,
        forecast: super::db::forecast(&c.pool, id, c.now, 30).await?,
        plan: super::db::plan(&c.pool, id).await?,
        topics: crate::questions::db::topics(&c.pool).await?,
    })
}

/// The start page's "N reviews due today"; `None` for a visitor.
#[server(endpoint = "review/home")]
pub async fn review_on_home() -> Result<Option<HomeReview>, AppError> {
    let Some(c) = crate::accounts::authz::visitor().await? else {
        return Ok(None);
    };
    Ok(Some(super::db::home(&c.pool, c.user.id, c.now).await?))
}

#[server(endpoint = "review/settings")]
pub async fn get_review_settings() -> Result<ReviewSettings, AppError> {
    let c = crate::accounts::authz::caller().await?;
    super::db::settings(&c.pool, c.user.id).await
}

/// Saves the review settings. `per_question_minutes` 0 means untimed; the
/// checkbox sends nothing when unticked, hence the Option.
#[server(endpoint = "review/settings/save")]
pub async fn save_review_settings(
    desired_retention: f64,
    new_per_day: u32,
    reviews_per_day: u32,
    per_question_minutes: u32,
    practice_without_schedule: Option<String>,
) -> Result<(), AppError> {
    let settings = parse_settings(
        desired_retention,
        new_per_day,
        reviews_per_day,
        per_question_minutes,
        practice_without_schedule.is_some(),
    )?;
    let c = crate::accounts::authz::caller().await?;
    super::db::save_settings(&c.pool, c.user.id, &settings).await
}

/// Checks settings where they enter, with messages that say what to change.
#[cfg(feature = "ssr")]
pub fn parse_settings(
    desired_retention: f64,
    new_per_day: u32,
    reviews_per_day: u32,
    per_question_minutes: u32,
    practice_without_schedule: bool,
) -> Result<ReviewSettings, AppError> {
    let mut errors = Vec::new();
    // Rounded to the hundredth the form offers.
    let retention = (desired_retention * 100.0).round() / 100.0;
    if !(RETENTION.0..=RETENTION.1).contains(&retention) {
        errors.push(crate::error::FieldError {
            field: "desired_retention".into(),
            message: format!(
                "Desired retention is between {:.2} and {:.2}.",
                RETENTION.0, RETENTION.1
            ),
        });
    }
    if new_per_day > MAX_NEW_PER_DAY {
        errors.push(crate::error::FieldError {
            field: "new_per_day".into(),
            message: format!("At most {MAX_NEW_PER_DAY} new questions a day."),
        });
    }
    if !(1..=MAX_REVIEWS_PER_DAY).contains(&reviews_per_day) {
        errors.push(crate::error::FieldError {
            field: "reviews_per_day".into(),
            message: format!("Between 1 and {MAX_REVIEWS_PER_DAY} reviews a day."),
        });
    }
    if per_question_minutes > MAX_REVIEW_MINUTES {
        errors.push(crate::error::FieldError {
            field: "per_question_minutes".into(),
            message: format!(
                "A review question's limit is at most {MAX_REVIEW_MINUTES} minutes (0 for none)."
            ),
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(ReviewSettings {
        desired_retention: retention,
        new_per_day,
        reviews_per_day,
        practice_schedules: !practice_without_schedule,
        per_question_secs: (per_question_minutes > 0).then_some(per_question_minutes * 60),
    })
}

/// Sets the date of a real interview and the minutes a day to practise.
#[server(endpoint = "review/plan/save")]
pub async fn save_plan(
    interview_on: String,
    minutes_per_day: u32,
    #[server(default)] levels: Vec<Level>,
    #[server(default)] topics: Vec<String>,
) -> Result<(), AppError> {
    let c = crate::accounts::authz::caller().await?;
    let tz = crate::accounts::db::user_zone(&c.pool, c.user.id).await?;
    let today = crate::accounts::days::local_date(c.now, &tz);
    let form = parse_plan(interview_on, minutes_per_day, levels, topics, today)?;
    let known = crate::questions::db::topics(&c.pool).await?;
    if form
        .topics
        .iter()
        .any(|t| !known.iter().any(|k| &k.slug == t))
    {
        return Err(AppError::invalid("topics", "Unknown topic."));
    }
    super::db::save_plan(&c.pool, c.user.id, &form, c.now).await
}

/// Longest plan: a year ahead.
#[cfg(feature = "ssr")]
const MAX_PLAN_DAYS: i64 = 366;

#[cfg(feature = "ssr")]
fn parse_plan(
    interview_on: String,
    minutes_per_day: u32,
    mut levels: Vec<Level>,
    topics: Vec<String>,
    today: jiff::civil::Date,
) -> Result<PlanForm, AppError> {
    use crate::accounts::days;
    let date = days::parse_date("interview_on", interview_on.trim())?;
    let ahead = days::days_between(today, date);
    if !(1..=MAX_PLAN_DAYS).contains(&ahead) {
        return Err(AppError::invalid(
            "interview_on",
            "Choose an interview date from tomorrow to a year ahead.",
        ));
    }
    if !(5..=480).contains(&minutes_per_day) {
        return Err(AppError::invalid(
            "minutes_per_day",
            "Plan between 5 minutes and 8 hours a day.",
        ));
    }
    levels.sort();
    levels.dedup();
    let mut chosen: Vec<String> = Vec::new();
    for t in topics {
        if !crate::questions::types::is_slug(&t) {
            return Err(AppError::invalid("topics", "Unknown topic."));
        }
        if !chosen.contains(&t) {
            chosen.push(t);
        }
    }
    if chosen.len() > crate::questions::types::MAX_FILTER_TOPICS {
        return Err(AppError::invalid("topics", "Too many topics."));
    }
    Ok(PlanForm {
        interview_on: date.to_string(),
        minutes_per_day,
        levels,
        topics: chosen,
    })
}

#[server(endpoint = "review/plan/clear")]
pub async fn clear_plan() -> Result<(), AppError> {
    let c = crate::accounts::authz::caller().await?;
    super::db::clear_plan(&c.pool, c.user.id).await
}

/// The caller's schedule for one question; `None` for a visitor.
#[server(endpoint = "review/card")]
pub async fn get_card_status(slug: String) -> Result<Option<CardStatus>, AppError> {
    let Some(c) = crate::accounts::authz::visitor().await? else {
        return Ok(None);
    };
    Ok(Some(
        super::db::card_status(&c.pool, c.user.id, &slug, c.now).await?,
    ))
}

/// Buries, suspends, unsuspends or resets the caller's card; returns the
/// card as it is now.
#[server(endpoint = "review/card/action")]
pub async fn change_card(slug: String, action: CardAction) -> Result<CardStatus, AppError> {
    let c = crate::accounts::authz::caller().await?;
    super::db::card_action(&c.pool, c.user.id, &slug, action, c.now).await?;
    super::db::card_status(&c.pool, c.user.id, &slug, c.now).await
}
