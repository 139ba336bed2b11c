//! Share links', attempts' and results' storage. The queries (`queries.rs`) are written once and compiled for
//! each backend; what the rest of the app calls is sent to the backend in
//! use.

use uuid::Uuid;

use super::types::*;
use crate::error::AppError;
use crate::sets::db::Viewer;

/// A reviewer's marks on one of a candidate's answers: one value from the
/// server function down to its write.
#[derive(Clone, Copy, Debug)]
pub struct ReviewerMarks<'a> {
    pub position: u32,
    /// Indexes of the key points the reviewer ticked.
    pub ticks: &'a [u32],
    /// 1 to 4, or none yet.
    pub grade: Option<u8>,
    pub comment: &'a str,
}

/// One candidate's answer to one question, for the answers CSV: only what
/// it prints (no HTML), every candidate of a set in one query.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AnswerLine {
    pub attempt_id: Uuid,
    pub display_name: String,
    pub position: i64,
    pub prompt: String,
    pub answered: bool,
    pub self_grade: Option<i64>,
    pub reviewer_grade: Option<i64>,
    /// JSON arrays of ticked key point indexes, and the question's points.
    pub self_ticks: String,
    pub reviewer_ticks: Option<String>,
    pub key_points: String,
    pub time_spent_ms: Option<i64>,
    pub limit_ms: Option<i64>,
    pub timed_out: bool,
    pub comment: Option<String>,
}

crate::platform::db::dispatch! { sharing;
    pub async fn create_link(set: Uuid, by: Viewer, label: &str, expires_at: Option<i64>, max_candidates: Option<u32>, now: i64) -> Result<Uuid, AppError>;
    pub async fn links(set: Uuid, viewer: Viewer, tz: &jiff::tz::TimeZone, now: i64) -> Result<Vec<LinkInfo>, AppError>;
    pub async fn set_link_state(link: Uuid, by: Viewer, state: LinkState, now: i64) -> Result<(), AppError>;
    pub async fn landing(code: &str, caller: Option<(Uuid, Option<String>)>, now: i64) -> Result<Landing, AppError>;
    pub async fn start(code: &str, user: Uuid, display_name: &str, now: i64) -> Result<Uuid, AppError>;
    pub async fn record_signal(session: Uuid, user: Uuid, hidden_ms: i64, paste_chars: i64) -> Result<(), AppError>;
    pub async fn results(set: Uuid, viewer: Viewer, tz: &jiff::tz::TimeZone) -> Result<Vec<ResultRow>, AppError>;
    pub async fn question_means(set: Uuid, viewer: Viewer) -> Result<Vec<(String, Option<f64>, Option<f64>)>, AppError>;
    pub async fn answer_lines(set: Uuid, viewer: Viewer) -> Result<Vec<AnswerLine>, AppError>;
    pub async fn report(set: Uuid, attempt: Uuid, viewer: Viewer, tz: &jiff::tz::TimeZone) -> Result<CandidateReport, AppError>;
    pub async fn save_review(attempt: Uuid, by: Viewer, marks: ReviewerMarks<'_>, now: i64) -> Result<ReviewStatus, AppError>;
    pub async fn save_recommendation(attempt: Uuid, by: Viewer, recommendation: Option<Recommendation>, note: &str, now: i64) -> Result<(), AppError>;
}
