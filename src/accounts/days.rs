//! Local days in a person's time zone (server only). A day's bounds are
//! computed here with the time-zone database, so SQL can count answers per
//! local day exactly, across DST changes and half-hour offsets.

use jiff::{civil::Date, tz::TimeZone, Timestamp};

use crate::error::AppError;

/// The user's zone; a stored name the database no longer knows falls back
/// to UTC rather than breaking the page.
pub fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

/// Whether `name` is a time zone this server knows.
pub fn is_known_zone(name: &str) -> bool {
    TimeZone::get(name).is_ok()
}

/// Every zone name the server knows, sorted, for the settings form. The
/// database is bundled, so the list is built once.
pub fn zone_names() -> &'static [String] {
    static NAMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
        names.sort();
        names
    })
}

/// The local date of a Unix time in milliseconds.
pub fn local_date(ms: i64, tz: &TimeZone) -> Date {
    Timestamp::from_millisecond(ms)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(tz.clone())
        .date()
}

/// "2026-11-22 17:46 CET": a moment as the user reads it.
pub fn local_label(ms: i64, tz: &TimeZone) -> String {
    Timestamp::from_millisecond(ms)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// The first instant of a local date, in Unix milliseconds. Where midnight
/// does not exist (a DST jump at 00:00) the day starts at its first instant.
pub fn day_start(date: Date, tz: &TimeZone) -> Result<i64, AppError> {
    let zoned = date.to_zoned(tz.clone()).and_then(|z| z.start_of_day())?;
    Ok(zoned.timestamp().as_millisecond())
}

/// Start instants of `from ..= to` plus the start of the day after `to`:
/// `n + 1` bounds for `n` days.
pub fn day_bounds(from: Date, to: Date, tz: &TimeZone) -> Result<Vec<i64>, AppError> {
    let mut bounds = Vec::new();
    let mut day = from;
    loop {
        bounds.push(day_start(day, tz)?);
        if day > to {
            return Ok(bounds);
        }
        day = next_day(day)?;
    }
}

pub fn next_day(date: Date) -> Result<Date, AppError> {
    date.tomorrow()
        .map_err(|_| AppError::invalid("to", "That date is out of range."))
}

/// Days from `from` to `to` (0 when equal).
pub fn days_between(from: Date, to: Date) -> i64 {
    // Between two civil dates the span's largest unit is days.
    from.until(to).map_or(0, |span| i64::from(span.get_days()))
}

pub fn weekday(date: Date) -> u8 {
    date.weekday().to_monday_zero_offset() as u8
}

/// A `YYYY-MM-DD` date between 1970 and 2199: anything else is a typo,
/// and far-off years would overflow the day arithmetic.
pub fn parse_date(field: &str, value: &str) -> Result<Date, AppError> {
    let date = value
        .trim()
        .parse::<Date>()
        .map_err(|_| AppError::invalid(field, "Use a date like 2026-11-22."))?;
    if !(1970..2200).contains(&date.year()) {
        return Err(AppError::invalid(
            field,
            "Pick a date between 1970 and 2199.",
        ));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn day_bounds_follow_dst() {
        // Europe/Berlin springs forward on 2026-03-29: that day has 23 hours.
        let tz = zone("Europe/Berlin");
        let b = day_bounds(date(2026, 3, 28), date(2026, 3, 29), &tz).unwrap();
        assert_eq!(b.len(), 3);
        assert_eq!(b[1] - b[0], 24 * 3_600_000);
        assert_eq!(b[2] - b[1], 23 * 3_600_000);
        // Midnight in Berlin (winter) is 23:00 UTC the day before.
        assert_eq!(
            b[0],
            Timestamp::from_second(1_774_652_400)
                .unwrap()
                .as_millisecond()
        );
    }

    #[test]
    fn half_hour_zones_are_exact() {
        let tz = zone("Asia/Kolkata");
        // 2026-11-21 18:29:59 UTC is 23:59:59 in Kolkata; a second later is
        // the next local day.
        let ms = Timestamp::from_second(1_795_285_799)
            .unwrap()
            .as_millisecond();
        assert_eq!(local_date(ms, &tz), date(2026, 11, 21));
        assert_eq!(local_date(ms + 1000, &tz), date(2026, 11, 22));
    }

    #[test]
    fn labels_read_in_the_zone() {
        let ms = 1_795_369_560_000; // 2026-11-22 17:46 UTC
        assert_eq!(local_label(ms, &TimeZone::UTC), "2026-11-22 17:46 UTC");
        assert_eq!(
            local_label(ms, &zone("Europe/Paris")),
            "2026-11-22 18:46 CET"
        );
    }

    #[test]
    fn unknown_zones_fall_back_to_utc() {
        assert!(!is_known_zone("Mars/Olympus_Mons"));
        assert!(is_known_zone("America/New_York"));
        assert_eq!(zone("Mars/Olympus_Mons"), TimeZone::UTC);
    }
}
