//! Session types shared by the server and the browser.

use serde::{Deserialize, Serialize};

use crate::questions::types::Level;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "lowercase")
)]
pub enum Mode {
    /// The timer is a guide: pause, extend or switch it off; overtime is
    /// recorded, never enforced.
    Practice,
    /// Hard limits: at a question's deadline the draft is submitted for you.
    Interview,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Practice => "practice",
            Self::Interview => "interview",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "practice" => Some(Self::Practice),
            "interview" => Some(Self::Interview),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Practice => "Practice",
            Self::Interview => "Interview",
        }
    }
}

/// What the timer controls of a practice session do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimerAction {
    Pause,
    Resume,
    /// One more minute.
    Extend,
    Off,
    On,
}

pub const MIN_QUESTIONS: u32 = 1;
pub const MAX_QUESTIONS: u32 = 50;
/// Longest answer we store (characters). A typed interview answer is a few
/// hundred words; this leaves room for code without inviting abuse.
pub const MAX_ANSWER_CHARS: usize = 20_000;
pub const MAX_NOTE_CHARS: usize = 2_000;
/// Per-question limit bounds, seconds.
pub const PER_QUESTION_SECS: (u32, u32) = (5, 3_600);
/// Whole-session limit bounds, seconds.
pub const TOTAL_SECS: (u32, u32) = (30, 6 * 3_600);

/// Where the current question stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    Answering,
    Reviewing,
    Finished,
}

/// What the reference side of a question shows after submitting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reveal {
    pub answer_html: String,
    pub key_points: Vec<String>,
    pub behavioral: bool,
    /// What candidates commonly get wrong, and what an interviewer asks next.
    pub mistakes: Vec<String>,
    pub follow_ups: Vec<crate::questions::types::FollowUp>,
}

/// Everything the runner needs to draw the current moment of a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunnerState {
    pub session_id: String,
    pub mode: Mode,
    /// 0-based position of the current question.
    pub position: u32,
    pub count: u32,
    pub phase: Phase,
    pub slug: String,
    pub prompt: String,
    /// The question is a follow-up the person asked to be asked.
    pub follow_up: bool,
    pub level: Level,
    pub topic_name: String,
    /// The saved draft while answering, the submitted answer afterwards.
    pub text: String,
    /// The submitted answer as sanitized HTML from its Markdown (empty
    /// while answering).
    pub answer_html: String,
    /// The stored draft's revision: a tab's next save must be newer.
    pub draft_rev: u32,
    /// A candidate's run of a shared set: integrity signals are recorded.
    pub shared: bool,
    pub deadline_at: Option<i64>,
    pub session_deadline_at: Option<i64>,
    /// The server's clock when this was built: the browser counts down from
    /// the deadline using its offset from this, never from its own guess.
    pub server_now: i64,
    pub paused: bool,
    pub timer_off: bool,
    pub timed_out: bool,
    pub overtime_ms: i64,
    pub reveal: Option<Reveal>,
    pub grade: Option<u8>,
    pub key_points_hit: Vec<u32>,
    pub flagged: bool,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveAck {
    pub saved_at: i64,
    /// The revision now stored.
    pub rev: u32,
}

/// Another tab or window saved this answer since this one last did.
pub const OTHER_EDITOR: &str = "This answer is being edited in another tab or window. Reload this page to continue with the newest text.";

/// Longest tab id a save may carry.
pub const MAX_EDITOR_ID: usize = 64;

/// One row of the summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryRow {
    pub position: u32,
    pub slug: String,
    pub prompt: String,
    pub level: Level,
    pub grade: Option<u8>,
    pub time_spent_ms: Option<i64>,
    pub limit_ms: Option<i64>,
    pub timed_out: bool,
    pub overtime_ms: i64,
    pub flagged: bool,
    pub answered: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSummary {
    pub session_id: String,
    pub mode: Mode,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub per_question_secs: Option<i64>,
    pub total_secs: Option<i64>,
    /// From a recruiter's shared set: its questions stay theirs, so the
    /// summary doesn't link to them.
    pub shared: bool,
    pub rows: Vec<SummaryRow>,
}

impl SessionSummary {
    /// Score out of 100: the mean grade over graded answers, 1 → 0, 4 → 100.
    pub fn score(&self) -> Option<u32> {
        let grades: Vec<u32> = self
            .rows
            .iter()
            .filter_map(|r| r.grade.map(u32::from))
            .collect();
        if grades.is_empty() {
            return None;
        }
        let sum: u32 = grades.iter().map(|g| g - 1).sum();
        Some((sum * 100 + grades.len() as u32 * 3 / 2) / (grades.len() as u32 * 3))
    }

    pub fn time_used_ms(&self) -> i64 {
        self.rows.iter().filter_map(|r| r.time_spent_ms).sum()
    }
}

/// An unfinished session offered for resuming.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveSession {
    pub session_id: String,
    pub mode: Mode,
    pub position: u32,
    pub count: u32,
    pub started_at: i64,
}

/// Grade labels and what they mean (DESIGN.md).
pub const GRADES: [(u8, &str, &str); 4] = [
    (1, "Missed", "Could not answer, or the answer was wrong."),
    (2, "Partial", "Some key points, with gaps or mistakes."),
    (3, "Good", "Most key points, and correct."),
    (4, "Excellent", "All key points, with depth or examples."),
];

/// A mean grade × 100 (275 means 2.75) as a score out of 100, on the
/// summary's scale: grade 1 is 0 %, grade 4 is 100 %, rounded half up.
pub fn score_percent(mean_x100: i64) -> i64 {
    ((mean_x100 - 100) * 100 + 150) / 300
}

/// "3 · Good": a grade with its label, as every page shows it.
pub fn grade_label(grade: u8) -> String {
    let label = GRADES
        .iter()
        .find(|(g, _, _)| *g == grade)
        .map_or("?", |(_, label, _)| *label);
    format!("{grade} · {label}")
}

/// "1:05" for 65 seconds; hours when needed.
pub fn format_duration(ms: i64) -> String {
    let secs = (ms.max(0) + 999) / 1000;
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(grade: Option<u8>) -> SummaryRow {
        SummaryRow {
            position: 0,
            slug: String::new(),
            prompt: String::new(),
            level: Level::Beginner,
            grade,
            time_spent_ms: Some(1000),
            limit_ms: None,
            timed_out: false,
            overtime_ms: 0,
            flagged: false,
            answered: true,
        }
    }

    #[test]
    fn score_maps_grades_to_percent() {
        let mut s = SessionSummary {
            session_id: String::new(),
            mode: Mode::Practice,
            started_at: 0,
            finished_at: None,
            per_question_secs: None,
            total_secs: None,
            shared: false,
            rows: vec![row(Some(4)), row(Some(1))],
        };
        assert_eq!(s.score(), Some(50));
        s.rows = vec![row(Some(4)), row(Some(4)), row(None)];
        assert_eq!(s.score(), Some(100));
        s.rows = vec![row(Some(3))];
        assert_eq!(s.score(), Some(67));
        s.rows = vec![row(None)];
        assert_eq!(s.score(), None);
    }

    #[test]
    fn durations_read_like_clocks() {
        assert_eq!(format_duration(65_000), "1:05");
        assert_eq!(format_duration(1), "0:01");
        assert_eq!(format_duration(3_600_000), "1:00:00");
        assert_eq!(format_duration(-5), "0:00");
    }
}
