//! The dashboard's storage, and its rollups' (`rollup.rs`). The queries (`queries.rs`) are written once and compiled for
//! each backend; what the rest of the app calls is sent to the backend in
//! use.

use jiff::{civil::Date, tz::TimeZone};
use uuid::Uuid;

use super::types::*;
use crate::error::AppError;

crate::platform::db::dispatch! { dashboard;
    pub async fn save_settings(id: Uuid, time_zone: &str, hide_streaks: bool) -> Result<(), crate::error::AppError>;
    pub async fn first_graded_at(user: Uuid) -> Result<Option<i64>, AppError>;
    pub async fn mastery(user: Uuid, start: i64) -> Result<Vec<MasteryCell>, AppError>;
    pub async fn mastery_between(user: Uuid, start: i64, end: i64) -> Result<Vec<MasteryCell>, AppError>;
    pub async fn trend(user: Uuid, start: i64, end: i64, tz: &TimeZone) -> Result<Vec<TrendPoint>, AppError>;
    pub async fn levels(user: Uuid, from: &str, to: &str) -> Result<Vec<LevelStats>, AppError>;
    pub async fn calendar(user: Uuid, from: Date, to: Date) -> Result<Vec<DayCount>, AppError>;
    pub async fn streak(user: Uuid, today: Date) -> Result<Streak, AppError>;
    pub async fn weakest(user: Uuid, start: i64, tz: &TimeZone) -> Result<Vec<QuestionGrade>, AppError>;
    pub async fn weakest_between(user: Uuid, start: i64, end: i64, tz: &TimeZone) -> Result<Vec<QuestionGrade>, AppError>;
    pub async fn flagged(user: Uuid, start: i64, end: i64, tz: &TimeZone) -> Result<Vec<QuestionGrade>, AppError>;
    pub async fn dashboard(user: Uuid, query: &RangeQuery, now: i64) -> Result<Dashboard, AppError>;
}
