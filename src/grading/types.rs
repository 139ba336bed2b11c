//! What the review pages, the question page and the dashboard show about
//! the schedule. Shared by the server and the browser.

use serde::{Deserialize, Serialize};

use crate::questions::types::Level;

/// Where a card is in its life: never graded, being learnt, spaced out,
/// or being relearnt after a lapse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "lowercase")
)]
pub enum CardState {
    New,
    Learning,
    Review,
    Relearning,
}

impl CardState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Learning => "learning",
            Self::Review => "review",
            Self::Relearning => "relearning",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "new" => Self::New,
            "learning" => Self::Learning,
            "review" => Self::Review,
            "relearning" => Self::Relearning,
            _ => return None,
        })
    }
}

/// Desired retention bounds: below 0.80 too much is forgotten to be worth
/// it; above 0.97 the workload explodes.
pub const RETENTION: (f64, f64) = (0.80, 0.97);
pub const MAX_NEW_PER_DAY: u32 = 100;
pub const MAX_REVIEWS_PER_DAY: u32 = 500;
/// A review question's optional limit, in minutes.
pub const MAX_REVIEW_MINUTES: u32 = 60;

/// A person's review settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewSettings {
    pub desired_retention: f64,
    pub new_per_day: u32,
    pub reviews_per_day: u32,
    /// Grades in practice sessions move the schedule (the default).
    pub practice_schedules: bool,
    /// Untimed when `None`.
    pub per_question_secs: Option<u32>,
}

impl Default for ReviewSettings {
    fn default() -> Self {
        Self {
            desired_retention: 0.9,
            new_per_day: 5,
            reviews_per_day: 30,
            practice_schedules: true,
            per_question_secs: None,
        }
    }
}

/// The one sentence on what moving the retention does to the workload.
pub fn retention_help() -> &'static str {
    "Higher means fewer answers forgotten but more reviews: at 0.95 the gaps between reviews \
     are about 40 % of what they are at 0.90 (some 2.5 times the reviews), at 0.85 nearly twice as long."
}

/// One question waiting in the review queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub slug: String,
    pub prompt: String,
    pub topic: String,
    pub level: Level,
    /// "overdue 3 days", "due today" or "new".
    pub when: String,
}

/// Today's review queue, capped, with what the caps held back.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReviewQueue {
    /// Questions due for review today, in the order they will come.
    pub reviews: Vec<QueueItem>,
    /// New questions for today.
    pub new: Vec<QueueItem>,
    /// Due questions beyond today's cap (after days away).
    pub waiting: u32,
    /// Reviewed today through `/review`.
    pub done_today: u32,
    /// When the queue is empty: when the next question is due.
    pub next_due: Option<String>,
    /// A review session already under way.
    pub active_session: Option<String>,
    pub plan: Option<PlanStatus>,
}

impl ReviewQueue {
    pub fn is_empty(&self) -> bool {
        self.reviews.is_empty() && self.new.is_empty()
    }
}

/// Reviews due on one of the coming days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastDay {
    /// "Mon 7".
    pub label: String,
    /// YYYY-MM-DD.
    pub date: String,
    pub count: u32,
}

/// A question forgotten again and again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leech {
    pub slug: String,
    pub prompt: String,
    pub lapses: u32,
}

/// The dashboard's review panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewStats {
    /// Today first; today counts the overdue too.
    pub forecast: Vec<ForecastDay>,
    /// Share of reviews of learnt questions passed (Partial or better) in
    /// the range, and how many there were.
    pub retention_pct: Option<u32>,
    pub retention_reviews: u32,
    pub desired_pct: u32,
    pub leeches: Vec<Leech>,
}

/// The interview plan as its form shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanForm {
    pub interview_on: String,
    pub minutes_per_day: u32,
    pub levels: Vec<Level>,
    pub topics: Vec<String>,
}

/// Where a person stands against their plan, today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanStatus {
    pub interview_on: String,
    /// 1-based; equals `total_days` on the last day before the interview.
    pub day: u32,
    pub total_days: u32,
    pub days_left: u32,
    /// Topic × level areas covered (seen enough), out of `target`.
    pub covered: u32,
    pub target: u32,
    pub on_track: bool,
    pub reviews_today: u32,
    pub new_today: u32,
    pub minutes_per_day: u32,
    pub minutes_per_question: u32,
}

impl PlanStatus {
    /// "Day 6 of 21 · on track".
    pub fn headline(&self) -> String {
        if self.days_left == 0 {
            return "Your interview is today. Good luck!".into();
        }
        format!(
            "Day {} of {} · {}",
            self.day,
            self.total_days,
            if self.on_track { "on track" } else { "behind" }
        )
    }

    /// "Today: 8 reviews and 3 new questions, about 30 minutes."
    pub fn today(&self) -> String {
        let n = self.reviews_today + self.new_today;
        format!(
            "Today: {} and {}, about {} minutes.",
            plural(self.reviews_today, "review", "reviews"),
            plural(self.new_today, "new question", "new questions"),
            n * self.minutes_per_question
        )
    }
}

pub fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What a person's schedule says about one question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardStatus {
    pub state: CardState,
    /// "in 5 days (2026-12-05)", "today", "overdue 2 days".
    pub due: Option<String>,
    /// Chance of recalling it now, in percent.
    pub recall_pct: Option<u32>,
    pub reps: u32,
    pub lapses: u32,
    pub leech: bool,
    pub suspended: bool,
    pub buried: bool,
}

/// What a person can do to a question's schedule from its page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CardAction {
    /// Not today: back tomorrow.
    Bury,
    /// Never, until unsuspended.
    Suspend,
    Unsuspend,
    /// Forget its history: it starts again as a new question.
    Reset,
}

/// "Reviews: 12 due today" on the start page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeReview {
    pub due_today: u32,
    pub new_today: u32,
    pub plan: Option<PlanStatus>,
}
