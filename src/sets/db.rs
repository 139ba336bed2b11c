//! Question sets' and authored questions' storage. The queries (`queries.rs`) are written once and compiled for
//! each backend; what the rest of the app calls is sent to the backend in
//! use.

use uuid::Uuid;

use super::transfer::Transfer;
use super::types::*;
use crate::error::AppError;
pub use crate::teams::authz::Viewer;

/// What an import made.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Imported {
    pub set_id: Option<String>,
    pub questions_created: u32,
    pub bank_questions_used: u32,
}

/// The editor's save lost to a newer one (another tab or window).
pub const SET_EDITED_ELSEWHERE: &str =
    "This set was changed in another tab or window. Reload to continue with the newest version.";

crate::platform::db::dispatch! { sets;
    pub async fn create_own_question(by: Viewer, q: &QuestionInput, answer_html: &str, now: i64) -> Result<String, AppError>;
    pub async fn update_question(by: Viewer, slug: &str, q: &QuestionInput, answer_html: &str, now: i64) -> Result<(), AppError>;
    pub async fn own_question(team: Uuid, slug: &str) -> Result<Option<OwnQuestion>, sqlx::Error>;
    pub async fn all_own_questions(team: Uuid) -> Result<Vec<OwnQuestion>, sqlx::Error>;
    pub async fn archive_question(team: Uuid, slug: &str, archived: bool, now: i64) -> Result<(), AppError>;
    pub async fn create_set(by: Viewer, title: &str, now: i64) -> Result<Uuid, AppError>;
    pub async fn list_sets(viewer: Viewer, tz: &jiff::tz::TimeZone) -> Result<Vec<SetSummary>, sqlx::Error>;
    pub async fn set_detail(id: Uuid, viewer: Viewer) -> Result<SetDetail, AppError>;
    pub async fn save_set(id: Uuid, by: Viewer, draft: &SetDraft, rev: u32, now: i64) -> Result<(), AppError>;
    pub async fn archive_set(id: Uuid, by: Viewer, archived: bool, now: i64) -> Result<(), AppError>;
    pub async fn version_questions(id: Uuid, version: u32) -> Result<Vec<(String, Vec<String>)>, sqlx::Error>;
    pub async fn export_set(id: Uuid, viewer: Viewer) -> Result<Transfer, AppError>;
    pub async fn export_questions(team: Uuid) -> Result<Transfer, sqlx::Error>;
    pub async fn import(by: Viewer, transfer: &Transfer, answer_html: &[String], now: i64) -> Result<Imported, AppError>;
    pub async fn duplicate_set(id: Uuid, by: Viewer, now: i64) -> Result<Uuid, AppError>;
}
