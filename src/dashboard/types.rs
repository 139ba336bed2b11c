//! Dashboard types shared by the server and the browser.

use serde::{Deserialize, Serialize};

use crate::questions::types::Level;

/// How many sessions the score trend plots at most (the newest ones).
pub const TREND_MAX_POINTS: i64 = 200;
/// Sessions averaged by the trend's moving average (this one and the ones
/// before it).
pub const MOVING_AVERAGE_WINDOW: i64 = 5;
/// Days the activity calendar shows at most (the last ones of the range).
pub const CALENDAR_MAX_DAYS: i64 = 371;
/// Rows in the weakest-questions and flagged lists.
pub const LIST_LIMIT: i64 = 8;

/// The date ranges offered above the dashboard; `custom` uses from/to.
pub const PRESETS: [(&str, &str); 4] = [
    ("30d", "Last 30 days"),
    ("90d", "Last 90 days"),
    ("365d", "Last year"),
    ("all", "All time"),
];
pub const DEFAULT_PRESET: &str = "90d";

/// What the dashboard was asked for, straight from the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RangeQuery {
    /// One of [`PRESETS`], or "custom" (or empty) with `from`/`to`.
    pub preset: String,
    /// `YYYY-MM-DD` in the user's time zone, inclusive.
    pub from: String,
    pub to: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The resolved range, inclusive local dates.
    pub from: String,
    pub to: String,
    pub preset: String,
    pub time_zone: String,
    /// Graded answers in the range.
    pub graded: u32,
    pub mastery: Vec<MasteryCell>,
    pub trend: Vec<TrendPoint>,
    pub levels: Vec<LevelStats>,
    pub calendar: Vec<DayCount>,
    /// `None` when the user hides streaks.
    pub streak: Option<Streak>,
    pub weakest: Vec<QuestionGrade>,
    pub flagged: Vec<QuestionGrade>,
    /// Spaced review: the forecast, true retention in the range, leeches.
    pub review: crate::grading::types::ReviewStats,
    /// Unix ms when this view goes stale by the clock alone: the next
    /// local midnight, when "today" (and with it the presets, the streak
    /// and the review forecast) moves on.
    pub fresh_until: i64,
}

/// One topic × level: the mean of the latest grade of each question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MasteryCell {
    pub topic: String,
    pub level: Level,
    /// Mean latest grade × 100 (275 means 2.75).
    pub mean_x100: i64,
    /// Questions with a grade in the range.
    pub questions: u32,
}

/// One session on the score trend.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// Local date of the session's first graded answer.
    pub date: String,
    /// 0–100: grade 1 is 0 %, grade 4 is 100 %.
    pub score: i64,
    /// Mean score of this session and up to four before it.
    pub moving_average: i64,
}

/// Answers and timing at one level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelStats {
    pub level: Level,
    pub answers: u32,
    /// Mean time spent per answer.
    pub mean_spent_ms: i64,
    /// Mean limit over the answers that had one.
    pub mean_limit_ms: Option<i64>,
    /// Answers that had a limit, and how many of them went past it.
    pub timed: u32,
    pub over_limit: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    /// `YYYY-MM-DD`, local.
    pub date: String,
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    pub count: u32,
}

/// Days in a row with at least one graded answer, in the user's time zone.
/// The current streak still counts when today has nothing yet, so a streak
/// only breaks once a whole day passes without practice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Streak {
    pub current: u32,
    pub longest: u32,
}

/// A question with its latest grade in the range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionGrade {
    pub slug: String,
    pub prompt: String,
    pub level: Level,
    pub topic: String,
    pub grade: u8,
    /// Local date of the latest grade.
    pub date: String,
    pub attempts: u32,
}

/// `275` → `"2.75"`.
pub fn format_mean(mean_x100: i64) -> String {
    format!("{}.{:02}", mean_x100 / 100, mean_x100 % 100)
}

/// Streak lengths from a run of active (true) and idle (false) days,
/// oldest first, the last being today.
pub fn streaks(days: &[bool]) -> Streak {
    let mut longest = 0;
    let mut run = 0;
    for &active in days {
        run = if active { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    // Today without practice yet does not break yesterday's streak.
    let until_yesterday = match days.split_last() {
        Some((false, before)) => before,
        _ => days,
    };
    let current = until_yesterday
        .iter()
        .rev()
        .take_while(|&&active| active)
        .count() as u32;
    Streak { current, longest }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaks_count_runs_of_active_days() {
        assert_eq!(streaks(&[]), Streak::default());
        assert_eq!(
            streaks(&[true]),
            Streak {
                current: 1,
                longest: 1
            }
        );
        assert_eq!(
            streaks(&[false]),
            Streak {
                current: 0,
                longest: 0
            }
        );
        assert_eq!(
            streaks(&[true, true, true, false, true, true]),
            Streak {
                current: 2,
                longest: 3
            }
        );
        // Nothing yet today: yesterday's run still stands.
        assert_eq!(
            streaks(&[true, true, false]),
            Streak {
                current: 2,
                longest: 2
            }
        );
        // Two idle days break it.
        assert_eq!(
            streaks(&[true, true, false, false]),
            Streak {
                current: 0,
                longest: 2
            }
        );
    }

    #[test]
    fn means_print_with_two_decimals() {
        assert_eq!(format_mean(275), "2.75");
        assert_eq!(format_mean(400), "4.00");
        assert_eq!(format_mean(105), "1.05");
    }
}
