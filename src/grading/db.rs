//! Grading's and the review schedule's storage. The queries (`queries.rs`) are written once and compiled for
//! each backend; what the rest of the app calls is sent to the backend in
//! use.

use uuid::Uuid;

use super::schedule;
use super::types::*;
use crate::error::AppError;

impl From<schedule::ScheduleError> for AppError {
    fn from(error: schedule::ScheduleError) -> Self {
        tracing::error!(%error, "scheduling failed");
        AppError::Internal
    }
}

crate::platform::db::dispatch! { grading;
    pub async fn rebuild_missing(now: i64) -> Result<u64, AppError>;
    pub async fn settings(user: Uuid) -> Result<ReviewSettings, AppError>;
    pub async fn save_settings(user: Uuid, s: &ReviewSettings) -> Result<(), AppError>;
    pub async fn plan(user: Uuid) -> Result<Option<PlanForm>, AppError>;
    pub async fn save_plan(user: Uuid, form: &PlanForm, now: i64) -> Result<(), AppError>;
    pub async fn clear_plan(user: Uuid) -> Result<(), AppError>;
    pub async fn queue(user: Uuid, now: i64) -> Result<ReviewQueue, AppError>;
    pub async fn forecast(user: Uuid, now: i64, days_ahead: u32) -> Result<Vec<ForecastDay>, AppError>;
    pub async fn stats(user: Uuid, start: i64, end: i64, now: i64) -> Result<ReviewStats, AppError>;
    pub async fn home(user: Uuid, now: i64) -> Result<HomeReview, AppError>;
    pub async fn card_status(user: Uuid, slug: &str, now: i64) -> Result<CardStatus, AppError>;
    pub async fn card_action(user: Uuid, slug: &str, action: CardAction, now: i64) -> Result<(), AppError>;
}

crate::platform::db::dispatch! { rollup;
    pub async fn rebuild_all() -> Result<(), AppError>;
}
