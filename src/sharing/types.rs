//! Share links, candidates' attempts and their results: types shared by the
//! server and the browser, and the pure rules about them.

use serde::{Deserialize, Serialize};

use crate::questions::types::Level;
use crate::sessions::types::{format_duration, Mode};

/// What the owner set a link to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "lowercase")
)]
pub enum LinkState {
    Active,
    Paused,
    Revoked,
}

impl LinkState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Paused => "paused",
            Self::Revoked => "revoked",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "active" => Some(Self::Active),
            "paused" => Some(Self::Paused),
            "revoked" => Some(Self::Revoked),
            _ => None,
        }
    }
}

/// Whether a candidate can start from a link right now, and if not, why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkStatus {
    Open,
    Paused,
    Revoked,
    Expired,
    Full,
}

impl LinkStatus {
    /// The one rule: revoked, then paused, then expired, then full.
    pub fn of(
        state: LinkState,
        expires_at: Option<i64>,
        max: Option<u32>,
        taken: u32,
        now: i64,
    ) -> Self {
        match state {
            LinkState::Revoked => Self::Revoked,
            LinkState::Paused => Self::Paused,
            LinkState::Active if expires_at.is_some_and(|e| now >= e) => Self::Expired,
            LinkState::Active if max.is_some_and(|m| taken >= m) => Self::Full,
            LinkState::Active => Self::Open,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Paused => "paused",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
            Self::Full => "full",
        }
    }

    /// What a candidate who opens a closed link is told.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Open => "",
            Self::Paused => "This interview is paused for now. Try again later, or ask the person who sent you the link.",
            Self::Revoked => "This link has been withdrawn. Ask the person who sent it for a new one.",
            Self::Expired => "This link has expired. Ask the person who sent it for a new one.",
            Self::Full => "This link has reached its number of candidates. Ask the person who sent it for a new one.",
        }
    }

    /// 410 Gone for links that will not open again, 403 for the others.
    pub fn status_code(self) -> u16 {
        match self {
            Self::Open => 200,
            Self::Revoked | Self::Expired => 410,
            Self::Paused | Self::Full => 403,
        }
    }
}

/// A link as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkInfo {
    pub id: String,
    pub code: String,
    pub label: String,
    pub expires_at: Option<i64>,
    pub expires_label: Option<String>,
    pub max_candidates: Option<u32>,
    pub candidates: u32,
    pub state: LinkState,
    pub status: LinkStatus,
    /// The set version candidates of this link take.
    pub version: u32,
}

/// What `/s/:code` shows before a candidate starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Landing {
    pub title: String,
    /// Sanitized HTML from the set's Markdown instructions.
    pub instructions_html: String,
    pub questions: u32,
    pub rules: String,
    pub owner: String,
    pub status: LinkStatus,
    /// The caller already started this link: their session, to resume.
    pub resume: Option<String>,
    /// The caller has an account (their name is used), or is a guest or
    /// nobody (a display name is asked for).
    pub account_name: Option<String>,
}

/// The time rules of a set in plain words.
pub fn rules_in_words(
    mode: Mode,
    questions: u32,
    per_question_secs: Option<u32>,
    total_secs: Option<u32>,
) -> String {
    let per = per_question_secs.map(|s| format_duration(i64::from(s) * 1000));
    let total = total_secs.map(|s| format_duration(i64::from(s) * 1000));
    let timing = match (per, total) {
        (Some(p), Some(t)) => format!("about {p} for each question and {t} in all"),
        (Some(p), None) => format!("about {p} for each question"),
        (None, Some(t)) => format!("{t} in all"),
        (None, None) => "no time limit".to_owned(),
    };
    let n = format!(
        "{questions} question{}",
        if questions == 1 { "" } else { "s" }
    );
    match mode {
        Mode::Interview => format!(
            "{n}, one at a time, {timing}. The limits are firm: when time runs out, what you have written is submitted and the next question begins."
        ),
        Mode::Practice => format!(
            "{n}, one at a time, {timing}. The limits are a guide: you can pause or go over, and the time you take is recorded."
        ),
    }
}

/// How far a review has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    New,
    InReview,
    Reviewed,
}

impl ReviewStatus {
    pub fn parse(raw: &str) -> Self {
        match raw {
            "in_review" => Self::InReview,
            "reviewed" => Self::Reviewed,
            _ => Self::New,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::InReview => "in review",
            Self::Reviewed => "reviewed",
        }
    }
}

/// The reviewer's overall call on a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Recommendation {
    No,
    Maybe,
    Yes,
}

impl Recommendation {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::No => "no",
            Self::Maybe => "maybe",
            Self::Yes => "yes",
        }
    }
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "no" => Some(Self::No),
            "maybe" => Some(Self::Maybe),
            "yes" => Some(Self::Yes),
            _ => None,
        }
    }
}

/// One candidate's row of the results table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultRow {
    pub attempt_id: String,
    pub link_label: String,
    /// Empty once the candidate deleted their data.
    pub name: String,
    pub deleted: bool,
    pub started_at: i64,
    pub started_label: String,
    pub finished: bool,
    pub answered: u32,
    pub questions: u32,
    /// Mean self-grade as a score out of 100.
    pub self_score: Option<i64>,
    /// Mean reviewer grade as a score out of 100.
    pub reviewer_score: Option<i64>,
    pub time_used_ms: i64,
    pub timed_out: u32,
    pub overtime: u32,
    pub hidden_count: u32,
    pub hidden_ms: i64,
    pub paste_count: u32,
    pub paste_chars: i64,
    pub status: ReviewStatus,
    pub recommendation: Option<Recommendation>,
}

/// One answer on a candidate's review page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewAnswer {
    pub position: u32,
    pub prompt: String,
    pub level: Level,
    /// The candidate's answer rendered as sanitized Markdown.
    pub answer_html: String,
    pub answered: bool,
    pub reference_html: String,
    pub key_points: Vec<String>,
    pub self_ticks: Vec<u32>,
    pub self_grade: Option<u8>,
    pub time_spent_ms: Option<i64>,
    pub limit_ms: Option<i64>,
    pub timed_out: bool,
    pub reviewer_ticks: Vec<u32>,
    pub reviewer_grade: Option<u8>,
    pub comment: String,
}

/// A candidate's whole report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateReport {
    pub set_id: String,
    pub set_title: String,
    pub row: ResultRow,
    pub answers: Vec<ReviewAnswer>,
    pub recommendation_note: String,
    /// Neighbours in the results list, for next/previous candidate.
    pub prev: Option<String>,
    pub next: Option<String>,
    pub read_only: bool,
}

/// Longest reviewer comment and recommendation note.
pub const COMMENT_MAX: usize = 4_000;
/// Longest display name a guest candidate gives.
pub const DISPLAY_NAME_MAX: usize = 60;
pub const LABEL_MAX: usize = 80;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_status_order() {
        use LinkState::*;
        let now = 1_000;
        assert_eq!(LinkStatus::of(Active, None, None, 0, now), LinkStatus::Open);
        assert_eq!(
            LinkStatus::of(Active, Some(now), None, 0, now),
            LinkStatus::Expired
        );
        assert_eq!(
            LinkStatus::of(Active, Some(now + 1), Some(2), 2, now),
            LinkStatus::Full
        );
        assert_eq!(
            LinkStatus::of(Paused, Some(0), Some(1), 5, now),
            LinkStatus::Paused
        );
        assert_eq!(
            LinkStatus::of(Revoked, None, None, 0, now),
            LinkStatus::Revoked
        );
        assert_eq!(LinkStatus::Expired.status_code(), 410);
        assert_eq!(LinkStatus::Full.status_code(), 403);
    }

    #[test]
    fn rules_read_plainly() {
        assert_eq!(
            rules_in_words(Mode::Interview, 3, Some(300), None),
            "3 questions, one at a time, about 5:00 for each question. The limits are firm: when time runs out, what you have written is submitted and the next question begins."
        );
        assert!(rules_in_words(Mode::Practice, 1, None, None)
            .starts_with("1 question, one at a time, no time limit."));
    }
}
