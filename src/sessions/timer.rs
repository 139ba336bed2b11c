//! The session clock as pure functions of time. The server calls these with
//! its own `now`; nothing here reads a clock, so every boundary is testable.

/// A submission that reaches the server this soon after its deadline still
/// counts as on time: it covers the trip from the browser, which submits
/// the moment its countdown reaches zero.
pub const GRACE_MS: i64 = 3_000;

/// The moment a question stops being answerable: its own limit from when it
/// started, capped by the session's overall deadline.
pub fn question_deadline(
    started_at: i64,
    per_question_ms: Option<i64>,
    session_deadline: Option<i64>,
) -> Option<i64> {
    let own = per_question_ms.map(|ms| started_at.saturating_add(ms));
    match (own, session_deadline) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Time left before `deadline` (never negative); `None` when untimed.
pub fn remaining_ms(now: i64, deadline: Option<i64>) -> Option<i64> {
    deadline.map(|d| (d - now).max(0))
}

/// Past the deadline, grace included? The deadline itself is still on time.
pub fn is_past(now: i64, deadline: Option<i64>, grace_ms: i64) -> bool {
    deadline.is_some_and(|d| now > d.saturating_add(grace_ms))
}

/// How late a submission at `now` is (0 when on time or untimed).
pub fn overtime_ms(now: i64, deadline: Option<i64>) -> i64 {
    deadline.map_or(0, |d| (now - d).max(0))
}

/// Time spent on a question, never more than until its deadline when the
/// answer was submitted for the person by the clock.
pub fn time_spent_ms(started_at: i64, submitted_at: i64) -> i64 {
    (submitted_at - started_at).max(0)
}

/// Shifts a deadline by a pause (practice mode): the clock did not run
/// while paused.
pub fn resume_deadline(deadline: Option<i64>, paused_at: i64, now: i64) -> Option<i64> {
    deadline.map(|d| d.saturating_add((now - paused_at).max(0)))
}

/// Grade the ticked key points suggest (1 Missed .. 4 Excellent).
pub fn suggested_grade(ticked: usize, total: usize) -> u8 {
    if total == 0 || ticked == 0 {
        return 1;
    }
    let share = ticked as f64 / total as f64;
    if ticked == total {
        4
    } else if share >= 0.6 {
        3
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;

    #[test]
    fn question_deadline_is_capped_by_the_session() {
        assert_eq!(question_deadline(0, Some(5 * MIN), None), Some(5 * MIN));
        assert_eq!(question_deadline(0, None, Some(3 * MIN)), Some(3 * MIN));
        assert_eq!(
            question_deadline(0, Some(5 * MIN), Some(3 * MIN)),
            Some(3 * MIN)
        );
        assert_eq!(
            question_deadline(MIN, Some(MIN), Some(10 * MIN)),
            Some(2 * MIN)
        );
        assert_eq!(question_deadline(0, None, None), None);
    }

    #[test]
    fn the_deadline_itself_is_on_time_one_past_grace_is_not() {
        let d = Some(1_000);
        assert!(!is_past(1_000, d, 0));
        assert!(is_past(1_001, d, 0));
        assert!(!is_past(1_000 + GRACE_MS, d, GRACE_MS));
        assert!(is_past(1_001 + GRACE_MS, d, GRACE_MS));
        assert!(!is_past(i64::MAX, None, 0), "untimed is never late");
    }

    #[test]
    fn remaining_and_overtime_never_go_negative() {
        assert_eq!(remaining_ms(900, Some(1_000)), Some(100));
        assert_eq!(remaining_ms(1_500, Some(1_000)), Some(0));
        assert_eq!(remaining_ms(5, None), None);
        assert_eq!(overtime_ms(900, Some(1_000)), 0);
        assert_eq!(overtime_ms(1_250, Some(1_000)), 250);
        assert_eq!(overtime_ms(1_250, None), 0);
    }

    #[test]
    fn a_pause_moves_the_deadline_by_its_length() {
        assert_eq!(
            resume_deadline(Some(10 * MIN), 2 * MIN, 5 * MIN),
            Some(13 * MIN)
        );
        assert_eq!(resume_deadline(None, 0, 5), None);
        assert_eq!(
            resume_deadline(Some(10), 50, 40),
            Some(10),
            "clock skew never shortens"
        );
    }

    #[test]
    fn ticks_suggest_a_grade() {
        assert_eq!(suggested_grade(0, 4), 1);
        assert_eq!(suggested_grade(1, 4), 2);
        assert_eq!(suggested_grade(3, 5), 3);
        assert_eq!(suggested_grade(4, 4), 4);
        assert_eq!(suggested_grade(0, 0), 1);
    }
}
