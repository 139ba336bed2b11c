//! The dashboard's date range: a preset or two dates from the URL, resolved
//! to inclusive local dates (server only).

use jiff::{civil::Date, ToSpan};

use super::types::{RangeQuery, DEFAULT_PRESET, PRESETS};
use crate::accounts::days::{days_between, parse_date};
use crate::error::AppError;

/// Longest range the dashboard accepts (about ten years).
pub const MAX_RANGE_DAYS: i64 = 3_660;

/// Resolves the URL's range to inclusive local dates. `first_day` is the
/// user's first graded day (for "all time").
pub fn resolve(
    query: &RangeQuery,
    today: Date,
    first_day: Option<Date>,
) -> Result<(String, Date, Date), AppError> {
    let preset = if query.preset.is_empty() && query.from.is_empty() && query.to.is_empty() {
        DEFAULT_PRESET
    } else if query.preset.is_empty() {
        "custom"
    } else {
        query.preset.as_str()
    };
    let back = |days: i64| today.checked_sub((days - 1).days()).map_err(AppError::from);
    let (from, to) = match preset {
        "30d" => (back(30)?, today),
        "90d" => (back(90)?, today),
        "365d" => (back(365)?, today),
        "all" => (first_day.unwrap_or(today).min(today), today),
        "custom" => {
            let from = parse_date("from", &query.from)?;
            let to = if query.to.trim().is_empty() {
                today
            } else {
                parse_date("to", &query.to)?
            };
            if from > to {
                return Err(AppError::invalid(
                    "from",
                    "The start date is after the end date.",
                ));
            }
            (from, to)
        }
        _ => return Err(AppError::invalid("preset", "Unknown date range.")),
    };
    if days_between(from, to) >= MAX_RANGE_DAYS {
        return Err(AppError::invalid(
            "from",
            "Pick a range of ten years or less.",
        ));
    }
    let known = PRESETS.iter().any(|(p, _)| *p == preset);
    Ok((if known { preset } else { "custom" }.to_owned(), from, to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn ranges_resolve_to_inclusive_local_dates() {
        let today = date(2026, 11, 22);
        let q = |preset: &str, from: &str, to: &str| RangeQuery {
            preset: preset.into(),
            from: from.into(),
            to: to.into(),
        };
        let (p, from, to) = resolve(&RangeQuery::default(), today, None).unwrap();
        assert_eq!((p.as_str(), from, to), ("90d", date(2026, 8, 25), today));
        let (_, from, _) = resolve(&q("30d", "", ""), today, None).unwrap();
        assert_eq!(from, date(2026, 10, 24));
        let (_, from, _) = resolve(&q("all", "", ""), today, Some(date(2025, 1, 5))).unwrap();
        assert_eq!(from, date(2025, 1, 5));
        let (p, from, to) = resolve(&q("", "2026-01-01", "2026-01-31"), today, None).unwrap();
        assert_eq!(
            (p.as_str(), from, to),
            ("custom", date(2026, 1, 1), date(2026, 1, 31))
        );
        assert!(resolve(&q("custom", "2026-02-01", "2026-01-01"), today, None).is_err());
        assert!(resolve(&q("custom", "yesterday", ""), today, None).is_err());
        assert!(resolve(&q("custom", "1990-01-01", ""), today, None).is_err());
        assert!(resolve(&q("bogus", "", ""), today, None).is_err());
        assert!(resolve(&q("custom", "9999-01-01", "9999-12-31"), today, None).is_err());
    }
}
