//! History types shared by the server and the browser.

use serde::{Deserialize, Serialize};

use crate::questions::types::Level;
use crate::sessions::types::Mode;

/// Rows per history page (the list shows an "older" link when it is full).
pub const HISTORY_PAGE_SIZE: i64 = 25;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryItem {
    pub session_id: String,
    pub mode: Mode,
    pub started_at: i64,
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
        self.mean_grade_x100.map(|m| ((m - 100) * 100 + 150) / 300)
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
}

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
    fn score_uses_the_summary_scale() {
        let mut item = HistoryItem {
            session_id: String::new(),
            mode: Mode::Practice,
            started_at: 0,
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
