//! History types shared by the server and the browser.

use serde::{Deserialize, Serialize};

use crate::questions::types::Level;
use crate::sessions::types::Mode;

/// Rows per history page (the list shows an "older" link when it is full).
pub const HISTORY_PAGE_SIZE: i64 = 25;

/// What `/history` is filtered by, straight from the URL. Empty means any.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HistoryFilter {
    /// "practice" or "interview".
    pub mode: String,
    /// A level: sessions holding at least one question of it.
    pub level: String,
    /// A topic slug: sessions holding at least one question of it.
    pub topic: String,
    /// Inclusive local dates, `YYYY-MM-DD`, on the session's start.
    pub from: String,
    pub to: String,
    /// 1-based.
    pub page: u32,
}

impl HistoryFilter {
    /// The query string that reproduces this filter on another page.
    pub fn query_for_page(&self, page: u32) -> String {
        let mut parts = Vec::new();
        for (key, value) in [
            ("mode", &self.mode),
            ("level", &self.level),
            ("topic", &self.topic),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !value.is_empty() {
                parts.push(format!("{key}={}", url_escape(value)));
            }
        }
        parts.push(format!("page={page}"));
        parts.join("&")
    }

    pub fn is_filtered(&self) -> bool {
        !(self.mode.is_empty()
            && self.level.is_empty()
            && self.topic.is_empty()
            && self.from.is_empty()
            && self.to.is_empty())
    }
}

/// Values here are dates, levels, modes and slugs; escape anything else.
fn url_escape(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub session_id: String,
    pub mode: Mode,
    pub started_at: i64,
    /// `started_at` in the user's time zone, e.g. "2026-11-22 17:46 CET".
    pub started_label: String,
    pub finished: bool,
    pub count: u32,
    pub answered: u32,
    pub graded: u32,
    /// Mean grade × 100 (so 275 means 2.75), `None` before any grade.
    pub mean_grade_x100: Option<i64>,
    pub time_used_ms: i64,
}

impl HistoryItem {
    /// Same scale as the session summary: grade 1 → 0 %, 4 → 100 %.
    pub fn score(&self) -> Option<i64> {
        self.mean_grade_x100
            .map(crate::sessions::types::score_percent)
    }
}

/// One answer beside its reference, for `/history/:id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewedAnswer {
    pub position: u32,
    pub slug: String,
    pub prompt: String,
    pub level: Level,
    pub topic_name: String,
    pub answer: Option<String>,
    /// The answer as sanitized HTML from its Markdown.
    pub answer_rendered: String,
    pub answer_html: String,
    pub key_points: Vec<String>,
    pub key_points_hit: Vec<u32>,
    pub grade: Option<u8>,
    pub time_spent_ms: Option<i64>,
    pub limit_ms: Option<i64>,
    pub timed_out: bool,
    pub overtime_ms: i64,
    pub flagged: bool,
    pub note: String,
    /// Earlier grades and notes, oldest first.
    pub revisions: Vec<Revision>,
    /// The reviewer's grade and comment, when a shared set shares them.
    pub reviewer: Option<(Option<u8>, String)>,
    /// From a recruiter's shared set: the question stays theirs (no link to
    /// it, no retry).
    pub shared: bool,
}

/// One re-grade or note edit: what it was before, and when it changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub changed_label: String,
    pub old_grade: Option<u8>,
    pub new_grade: Option<u8>,
    pub old_note: String,
    pub new_note: String,
}

/// One of the user's earlier answers to a question, for its page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastAnswer {
    pub session_id: String,
    /// When it was submitted, in the user's time zone.
    pub submitted_label: String,
    pub grade: Option<u8>,
    pub time_spent_ms: Option<i64>,
    /// The answer as a word diff against the attempt before it; the first
    /// attempt, and one too different to compare, is all `Same`.
    pub diff: Vec<DiffPart>,
    /// The attempt before was too long or too different for a useful diff.
    pub too_different: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffKind {
    Same,
    Added,
    Removed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffPart {
    pub kind: DiffKind,
    pub text: String,
}

/// Earlier answers shown on a question's page at most.
pub const PAST_ANSWERS_LIMIT: i64 = 20;

/// `2026-11-22 17:46 UTC` for a Unix time in milliseconds.
pub fn format_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
/// algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format_in_utc() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(format_utc(1_795_369_560_000), "2026-11-22 17:46 UTC");
    }

    #[test]
    fn filters_round_trip_through_the_query_string() {
        let f = HistoryFilter {
            mode: "practice".into(),
            topic: "a b&c".into(),
            from: "2026-11-01".into(),
            ..HistoryFilter::default()
        };
        assert_eq!(
            f.query_for_page(2),
            "mode=practice&topic=a%20b%26c&from=2026-11-01&page=2"
        );
        assert!(f.is_filtered());
        assert!(!HistoryFilter::default().is_filtered());
    }

    #[test]
    fn score_uses_the_summary_scale() {
        let mut item = HistoryItem {
            session_id: String::new(),
            mode: Mode::Practice,
            started_at: 0,
            started_label: String::new(),
            finished: true,
            count: 2,
            answered: 2,
            graded: 2,
            mean_grade_x100: Some(250),
            time_used_ms: 0,
        };
        assert_eq!(item.score(), Some(50));
        item.mean_grade_x100 = Some(400);
        assert_eq!(item.score(), Some(100));
        item.mean_grade_x100 = None;
        assert_eq!(item.score(), None);
    }
}
