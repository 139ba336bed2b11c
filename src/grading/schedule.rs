//! The schedule as pure functions: one FSRS-6 step per grade, over local
//! days, so tests choose the time and a card can be replayed from its log.

use fsrs::{MemoryState, FSRS};

use super::types::CardState;

/// A question forgotten this many times is a leech: listed on the dashboard
/// with advice instead of coming back again and again.
pub const LEECH_LAPSES: i64 = 8;
/// The longest gap between two reviews. Interview preparation lives in
/// months, not the decades a flashcard deck may.
pub const MAX_INTERVAL_DAYS: i64 = 365;
pub const DAY_MS: i64 = 86_400_000;

/// The scheduling state of one user × question.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    pub state: CardState,
    pub due_at: i64,
    pub stability: f64,
    pub difficulty: f64,
    pub reps: i64,
    pub lapses: i64,
    pub last_grade: Option<u8>,
    pub last_review_at: Option<i64>,
    pub leech: bool,
}

impl Card {
    /// A card nobody has reviewed (or one that was reset).
    pub fn new(now: i64) -> Self {
        Self {
            state: CardState::New,
            due_at: now,
            stability: 0.0,
            difficulty: 0.0,
            reps: 0,
            lapses: 0,
            last_grade: None,
            last_review_at: None,
            leech: false,
        }
    }

    fn memory(&self) -> Option<MemoryState> {
        (self.reps > 0).then_some(MemoryState {
            stability: self.stability as f32,
            difficulty: self.difficulty as f32,
        })
    }
}

/// One grade as the schedule sees it: when, on which local day (days since
/// 1970-01-01 in the user's zone), and how well.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Review {
    pub at: i64,
    pub day: i64,
    pub grade: u8,
}

#[derive(Debug, thiserror::Error)]
#[error("the scheduler refused: {0}")]
pub struct ScheduleError(String);

/// FSRS-6 with its default parameters, built once.
fn model() -> Result<&'static FSRS, ScheduleError> {
    static MODEL: std::sync::OnceLock<Option<FSRS>> = std::sync::OnceLock::new();
    MODEL
        .get_or_init(|| FSRS::new(&[]).ok())
        .as_ref()
        .ok_or_else(|| ScheduleError("default parameters".into()))
}

/// The card after one more grade. `elapsed_days` counts local days since
/// the card's last review (0 for a second grade on the same day).
pub fn step(
    card: &Card,
    grade: u8,
    at: i64,
    elapsed_days: u32,
    retention: f64,
) -> Result<Card, ScheduleError> {
    let next = model()?
        .next_states(card.memory(), retention as f32, elapsed_days)
        .map_err(|e| ScheduleError(e.to_string()))?;
    let item = match grade {
        1 => next.again,
        2 => next.hard,
        3 => next.good,
        _ => next.easy,
    };
    let interval = (item.interval.round() as i64).clamp(1, MAX_INTERVAL_DAYS);
    // Forgetting is a "Missed" on a question answered before; missing it
    // the very first time is not knowing it yet.
    let forgot = grade == 1 && card.reps > 0;
    let lapses = card.lapses + i64::from(forgot);
    let state = match (card.state, grade) {
        (CardState::New | CardState::Learning, 1) => CardState::Learning,
        (CardState::Review | CardState::Relearning, 1) => CardState::Relearning,
        _ => CardState::Review,
    };
    Ok(Card {
        state,
        due_at: at + interval * DAY_MS,
        stability: f64::from(item.memory.stability),
        difficulty: f64::from(item.memory.difficulty),
        reps: card.reps + 1,
        lapses,
        last_grade: Some(grade),
        last_review_at: Some(at),
        leech: card.leech || lapses >= LEECH_LAPSES,
    })
}

/// Replays a card's reviews, oldest first, from a new card: the state
/// after each one. What the incremental steps must always agree with.
pub fn replay(reviews: &[Review], retention: f64, now: i64) -> Result<Vec<Card>, ScheduleError> {
    let mut card = Card::new(now);
    let mut last_day: Option<i64> = None;
    let mut out = Vec::with_capacity(reviews.len());
    for r in reviews {
        let elapsed = last_day.map_or(0, |d| (r.day - d).max(0));
        card = step(
            &card,
            r.grade,
            r.at,
            u32::try_from(elapsed).unwrap_or(u32::MAX),
            retention,
        )?;
        last_day = Some(r.day);
        out.push(card.clone());
    }
    Ok(out)
}

/// The chance of recalling the answer now, 0–1 (FSRS-6's forgetting curve).
pub fn retrievability(card: &Card, elapsed_days: f64) -> Option<f64> {
    let memory = card.memory()?;
    Some(f64::from(fsrs::current_retrievability(
        memory,
        elapsed_days.max(0.0) as f32,
        fsrs::FSRS6_DEFAULT_DECAY,
    )))
}

/// How long the gap between reviews is at `retention`, relative to 0.90:
/// what the settings page tells a person about moving the slider.
pub fn interval_ratio(retention: f64) -> f64 {
    let decay = f64::from(fsrs::FSRS6_DEFAULT_DECAY);
    let gap = |r: f64| r.powf(-1.0 / decay) - 1.0;
    gap(retention) / gap(0.9)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    fn review(day: i64, grade: u8) -> Review {
        Review {
            at: NOW + day * DAY_MS,
            day,
            grade,
        }
    }

    #[test]
    fn a_first_good_grade_schedules_days_ahead_and_a_miss_tomorrow() {
        let good = step(&Card::new(NOW), 3, NOW, 0, 0.9).unwrap();
        assert_eq!(good.state, CardState::Review);
        assert_eq!(good.reps, 1);
        assert_eq!(good.lapses, 0);
        assert!(good.due_at >= NOW + 2 * DAY_MS, "{}", good.due_at - NOW);
        let missed = step(&Card::new(NOW), 1, NOW, 0, 0.9).unwrap();
        assert_eq!(missed.state, CardState::Learning);
        assert_eq!(missed.due_at, NOW + DAY_MS);
        assert_eq!(missed.lapses, 0, "not knowing it yet is not forgetting");
        let easy = step(&Card::new(NOW), 4, NOW, 0, 0.9).unwrap();
        assert!(easy.due_at > good.due_at);
    }

    #[test]
    fn successful_reviews_space_out_and_a_lapse_brings_it_back() {
        let cards = replay(&[review(0, 3), review(3, 3), review(12, 3)], 0.9, NOW).unwrap();
        let gaps: Vec<i64> = cards
            .iter()
            .map(|c| (c.due_at - c.last_review_at.unwrap()) / DAY_MS)
            .collect();
        assert!(gaps[0] < gaps[1] && gaps[1] < gaps[2], "{gaps:?}");
        let lapsed = step(&cards[2], 1, NOW + 50 * DAY_MS, 38, 0.9).unwrap();
        assert_eq!(lapsed.state, CardState::Relearning);
        assert_eq!(lapsed.lapses, 1);
        assert!(lapsed.stability < cards[2].stability);
        let gap = lapsed.due_at - (NOW + 50 * DAY_MS);
        assert!(gap >= DAY_MS && gap < gaps[2] * DAY_MS, "{gap}");
    }

    #[test]
    fn eight_lapses_make_a_leech() {
        let mut reviews = vec![review(0, 3)];
        for i in 1..=8 {
            reviews.push(review(i * 2, 1));
        }
        let cards = replay(&reviews, 0.9, NOW).unwrap();
        assert_eq!(cards[7].lapses, 7);
        assert!(!cards[7].leech);
        assert_eq!(cards[8].lapses, 8);
        assert!(cards[8].leech);
    }

    #[test]
    fn a_long_absence_is_handled_by_the_forgetting_curve() {
        let cards = replay(&[review(0, 3), review(3, 3)], 0.9, NOW).unwrap();
        let card = &cards[1];
        let soon = retrievability(card, 1.0).unwrap();
        let after_60_days = retrievability(card, 63.0).unwrap();
        assert!(soon > 0.95 && after_60_days < 0.8, "{soon} {after_60_days}");
        // Remembering it after all that time lengthens the gap a lot.
        let back = step(card, 3, NOW + 63 * DAY_MS, 60, 0.9).unwrap();
        assert!(back.stability > card.stability * 2.0);
        assert!(back.due_at - back.last_review_at.unwrap() > 60 * DAY_MS);
    }

    #[test]
    fn higher_retention_means_shorter_gaps() {
        let at = |r| step(&Card::new(NOW), 3, NOW, 0, r).unwrap().stability;
        assert_eq!(at(0.8), at(0.97), "retention changes intervals, not memory");
        let later = replay(&[review(0, 3), review(5, 3)], 0.95, NOW).unwrap();
        let sooner = replay(&[review(0, 3), review(5, 3)], 0.85, NOW).unwrap();
        assert!(later[1].due_at < sooner[1].due_at);
        // The numbers the settings page quotes.
        assert!(
            (interval_ratio(0.95) - 0.40).abs() < 0.02,
            "{}",
            interval_ratio(0.95)
        );
        assert!(
            (interval_ratio(0.85) - 1.9).abs() < 0.05,
            "{}",
            interval_ratio(0.85)
        );
        assert!((interval_ratio(0.9) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn same_day_regrades_and_gaps_never_go_below_one_day() {
        let cards = replay(&[review(0, 3), review(0, 2), review(0, 4)], 0.9, NOW).unwrap();
        for c in &cards {
            assert!(c.due_at - c.last_review_at.unwrap() >= DAY_MS);
        }
        assert_eq!(cards[2].reps, 3);
    }
}
