//! Days and due dates as a person reads them, in their time zone: today's
//! bounds, "due today", "overdue 3 days", "tomorrow (2026-12-08)". Plain
//! functions, used by the queue, the card controls and the schedule.

use jiff::{civil::Date, tz::TimeZone};

use super::types::plural;
use crate::accounts::days;
use crate::error::AppError;

/// Today in the user's zone: its date and the instants it starts and ends.
pub struct Today {
    pub date: Date,
    pub start: i64,
    pub end: i64,
}

pub fn today(now: i64, tz: &TimeZone) -> Result<Today, AppError> {
    let date = days::local_date(now, tz);
    Ok(Today {
        date,
        start: days::day_start(date, tz)?,
        end: days::day_start(days::next_day(date)?, tz)?,
    })
}

pub fn when_label(due_at: i64, today: &Today, tz: &TimeZone) -> String {
    if due_at >= today.start {
        return "due today".into();
    }
    let late = days::days_between(days::local_date(due_at, tz), today.date);
    format!(
        "overdue {}",
        plural(u32::try_from(late).unwrap_or(0), "day", "days")
    )
}

/// "today", "tomorrow", "in 5 days (2026-12-05)".
pub fn due_label(at: i64, today: &Today, tz: &TimeZone) -> String {
    let date = days::local_date(at, tz);
    match days::days_between(today.date, date) {
        n if n < 0 => format!(
            "overdue {}",
            plural(u32::try_from(-n).unwrap_or(0), "day", "days")
        ),
        0 => "today".into(),
        1 => format!("tomorrow ({date})"),
        n => format!("in {n} days ({date})"),
    }
}

/// Days since 1970-01-01 in the zone: the schedule's day numbers.
/// Local days since 1970-01-01: what FSRS counts elapsed time in.
pub fn day_number(ms: i64, tz: &TimeZone) -> i64 {
    days::days_between(Date::constant(1970, 1, 1), days::local_date(ms, tz))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const DAY: i64 = 86_400_000;

    fn at(d: Date, tz: &TimeZone) -> i64 {
        days::day_start(d, tz).unwrap()
    }

    #[test]
    fn today_runs_from_local_midnight_to_the_next() {
        let tz = days::zone("Europe/Berlin");
        // Noon on the day Berlin springs forward: a 23-hour day.
        let noon = at(date(2026, 3, 29), &tz) + 12 * 3_600_000;
        let t = today(noon, &tz).unwrap();
        assert_eq!(t.date, date(2026, 3, 29));
        assert_eq!(t.end - t.start, 23 * 3_600_000);
    }

    #[test]
    fn labels_read_in_days_not_hours() {
        let tz = days::zone("UTC");
        let t = today(at(date(2026, 12, 7), &tz) + 1_000, &tz).unwrap();
        assert_eq!(when_label(t.start + 5, &t, &tz), "due today");
        assert_eq!(when_label(t.start - 1, &t, &tz), "overdue 1 day");
        assert_eq!(when_label(t.start - 3 * DAY, &t, &tz), "overdue 3 days");
        assert_eq!(due_label(t.start, &t, &tz), "today");
        assert_eq!(due_label(t.end, &t, &tz), "tomorrow (2026-12-08)");
        assert_eq!(
            due_label(t.end + 4 * DAY, &t, &tz),
            "in 5 days (2026-12-12)"
        );
        assert_eq!(due_label(t.start - 2 * DAY, &t, &tz), "overdue 2 days");
    }

    #[test]
    fn day_numbers_count_local_days_from_1970() {
        let utc = days::zone("UTC");
        assert_eq!(day_number(0, &utc), 0);
        assert_eq!(day_number(DAY - 1, &utc), 0);
        assert_eq!(day_number(DAY, &utc), 1);
        // 23:30 UTC on 1 January is already 2 January in Tokyo.
        let tokyo = days::zone("Asia/Tokyo");
        assert_eq!(day_number(DAY - 30 * 60_000, &tokyo), 1);
    }
}
