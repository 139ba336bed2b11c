//! Dashboard SQL. Every query reads the partial covering index
//! `session_answers_graded` (user, graded_at, grade, level, topic, …) over
//! one time range and aggregates in SQLite; nothing loads answers one by
//! one. `start`/`end` are Unix milliseconds, end exclusive.

use jiff::{civil::Date, tz::TimeZone};
use sqlx::SqlitePool;
use uuid::Uuid;

use super::days;
use super::types::*;
use crate::error::AppError;
use crate::questions::types::Level;

/// The answers a dashboard counts: graded, by this user, in the range.
/// Kept in one place so every query uses the covering index the same way.
macro_rules! graded_in_range {
    () => {
        "user_id = ?1 AND self_grade IS NOT NULL AND graded_at >= ?2 AND graded_at < ?3"
    };
}

/// The user's time zone and whether streaks are hidden.
pub async fn settings(pool: &SqlitePool, user: Uuid) -> Result<(String, bool), AppError> {
    let row: Option<(String, bool)> =
        sqlx::query_as("SELECT time_zone, hide_streaks FROM users WHERE id = ?1")
            .bind(user)
            .fetch_optional(pool)
            .await?;
    Ok(row.unwrap_or_else(|| ("UTC".to_owned(), false)))
}

/// When the user's first graded answer was, if ever.
pub async fn first_graded_at(pool: &SqlitePool, user: Uuid) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT min(graded_at) FROM session_answers WHERE user_id = ?1 AND self_grade IS NOT NULL",
    )
    .bind(user)
    .fetch_one(pool)
    .await?)
}

#[derive(sqlx::FromRow)]
struct MasteryRow {
    topic: String,
    level: String,
    mean_x100: i64,
    questions: i64,
}

/// Topic × level: the mean of each question's latest grade in the range.
pub async fn mastery(
    pool: &SqlitePool,
    user: Uuid,
    start: i64,
    end: i64,
) -> Result<Vec<MasteryCell>, AppError> {
    // `max(graded_at)` makes SQLite take the other bare columns from the
    // latest row of each question.
    let rows: Vec<MasteryRow> = sqlx::query_as(concat!(
        "WITH latest AS (
             SELECT topic_id, level, self_grade, max(graded_at)
             FROM session_answers WHERE ",
        graded_in_range!(),
        " GROUP BY question_id)
         SELECT t.name AS topic, l.level,
                CAST(round(avg(l.self_grade) * 100) AS INTEGER) AS mean_x100,
                count(*) AS questions
         FROM latest l JOIN topics t ON t.id = l.topic_id
         GROUP BY l.topic_id, l.level
         ORDER BY t.position, t.name"
    ))
    .bind(user)
    .bind(start)
    .bind(end)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(MasteryCell {
                topic: r.topic,
                level: Level::parse(&r.level)?,
                mean_x100: r.mean_x100,
                questions: u32::try_from(r.questions).unwrap_or(0),
            })
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct TrendRow {
    at: i64,
    score: i64,
    moving_average: i64,
}

/// One point per session (its mean grade as 0–100), oldest first, with a
/// moving average over the last few sessions; the newest
/// [`TREND_MAX_POINTS`] sessions of the range.
pub async fn trend(
    pool: &SqlitePool,
    user: Uuid,
    start: i64,
    end: i64,
    tz: &TimeZone,
) -> Result<Vec<TrendPoint>, AppError> {
    let rows: Vec<TrendRow> = sqlx::query_as(concat!(
        "WITH per_session AS (
             SELECT min(graded_at) AS at, (avg(self_grade) - 1) * 100.0 / 3 AS score
             FROM session_answers WHERE ",
        graded_in_range!(),
        " GROUP BY session_id ORDER BY at DESC LIMIT ?4)
         SELECT at, CAST(round(score) AS INTEGER) AS score,
                CAST(round(avg(score) OVER (ORDER BY at ROWS ?5 PRECEDING)) AS INTEGER)
                    AS moving_average
         FROM per_session ORDER BY at"
    ))
    .bind(user)
    .bind(start)
    .bind(end)
    .bind(TREND_MAX_POINTS)
    .bind(MOVING_AVERAGE_WINDOW - 1)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| TrendPoint {
            date: days::local_date(r.at, tz).to_string(),
            score: r.score,
            moving_average: r.moving_average,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct LevelRow {
    level: String,
    answers: i64,
    mean_spent: Option<i64>,
    mean_limit: Option<i64>,
    timed: i64,
    over_limit: i64,
}

/// Answers, mean time and mean limit per level.
pub async fn levels(
    pool: &SqlitePool,
    user: Uuid,
    start: i64,
    end: i64,
) -> Result<Vec<LevelStats>, AppError> {
    let rows: Vec<LevelRow> = sqlx::query_as(concat!(
        "SELECT level, count(*) AS answers,
                CAST(round(avg(time_spent_ms)) AS INTEGER) AS mean_spent,
                CAST(round(avg(deadline_at - started_at)) AS INTEGER) AS mean_limit,
                count(deadline_at) AS timed,
                coalesce(sum(deadline_at IS NOT NULL AND time_spent_ms > deadline_at - started_at), 0)
                    AS over_limit
         FROM session_answers WHERE ",
        graded_in_range!(),
        " GROUP BY level"
    ))
    .bind(user)
    .bind(start)
    .bind(end)
    .fetch_all(pool)
    .await?;
    let mut stats: Vec<LevelStats> = rows
        .into_iter()
        .filter_map(|r| {
            Some(LevelStats {
                level: Level::parse(&r.level)?,
                answers: u32::try_from(r.answers).unwrap_or(0),
                mean_spent_ms: r.mean_spent.unwrap_or(0),
                mean_limit_ms: r.mean_limit,
                timed: u32::try_from(r.timed).unwrap_or(0),
                over_limit: u32::try_from(r.over_limit).unwrap_or(0),
            })
        })
        .collect();
    stats.sort_by_key(|s| s.level);
    Ok(stats)
}

#[derive(sqlx::FromRow)]
struct DayRow {
    day: i64,
    n: i64,
}

/// Graded answers on each local day `from ..= to`. The day bounds come
/// from the time-zone database and go to SQLite as one JSON array; each
/// day is then one range count on the index.
pub async fn calendar(
    pool: &SqlitePool,
    user: Uuid,
    from: Date,
    to: Date,
    tz: &TimeZone,
) -> Result<Vec<DayCount>, AppError> {
    let bounds = days::day_bounds(from, to, tz)?;
    let rows: Vec<DayRow> = sqlx::query_as(
        "WITH b AS (SELECT key AS day, value AS start, lead(value) OVER (ORDER BY key) AS stop
                    FROM json_each(?2))
         SELECT b.day,
                (SELECT count(*) FROM session_answers a
                 WHERE a.user_id = ?1 AND a.self_grade IS NOT NULL
                   AND a.graded_at >= b.start AND a.graded_at < b.stop) AS n
         FROM b WHERE b.stop IS NOT NULL ORDER BY b.day",
    )
    .bind(user)
    .bind(serde_json::to_string(&bounds).unwrap_or_else(|_| "[]".into()))
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut date = from;
    for row in rows {
        debug_assert_eq!(row.day as usize, out.len());
        out.push(DayCount {
            date: date.to_string(),
            weekday: days::weekday(date),
            count: u32::try_from(row.n).unwrap_or(0),
        });
        date = days::next_day(date)?;
    }
    Ok(out)
}

/// Current and longest streak over the user's whole history (at most
/// [`days::MAX_RANGE_DAYS`] back), one indexed existence probe per day.
pub async fn streak(
    pool: &SqlitePool,
    user: Uuid,
    today: Date,
    tz: &TimeZone,
) -> Result<Streak, AppError> {
    let Some(first) = first_graded_at(pool, user).await? else {
        return Ok(Streak::default());
    };
    let earliest = today.checked_sub(jiff::Span::new().days(days::MAX_RANGE_DAYS - 1))?;
    let from = days::local_date(first, tz).max(earliest).min(today);
    let bounds = days::day_bounds(from, today, tz)?;
    let active: Vec<bool> = sqlx::query_scalar(
        "WITH b AS (SELECT key AS day, value AS start, lead(value) OVER (ORDER BY key) AS stop
                    FROM json_each(?2))
         SELECT EXISTS (SELECT 1 FROM session_answers a
                        WHERE a.user_id = ?1 AND a.self_grade IS NOT NULL
                          AND a.graded_at >= b.start AND a.graded_at < b.stop)
         FROM b WHERE b.stop IS NOT NULL ORDER BY b.day",
    )
    .bind(user)
    .bind(serde_json::to_string(&bounds).unwrap_or_else(|_| "[]".into()))
    .fetch_all(pool)
    .await?;
    Ok(streaks(&active))
}

#[derive(sqlx::FromRow)]
struct QuestionRow {
    slug: String,
    prompt: String,
    level: String,
    topic: String,
    grade: i64,
    at: i64,
    attempts: i64,
}

fn question_grades(rows: Vec<QuestionRow>, tz: &TimeZone) -> Vec<QuestionGrade> {
    rows.into_iter()
        .filter_map(|r| {
            Some(QuestionGrade {
                slug: r.slug,
                prompt: r.prompt,
                level: Level::parse(&r.level)?,
                topic: r.topic,
                grade: u8::try_from(r.grade).ok()?,
                date: days::local_date(r.at, tz).to_string(),
                attempts: u32::try_from(r.attempts).unwrap_or(0),
            })
        })
        .collect()
}

/// Questions whose latest grade in the range is lowest (older first among
/// equals: they have waited longest for another go).
pub async fn weakest(
    pool: &SqlitePool,
    user: Uuid,
    start: i64,
    end: i64,
    tz: &TimeZone,
) -> Result<Vec<QuestionGrade>, AppError> {
    let rows: Vec<QuestionRow> = sqlx::query_as(concat!(
        "WITH latest AS (
             SELECT question_id, self_grade AS grade, max(graded_at) AS at, count(*) AS attempts
             FROM session_answers WHERE ",
        graded_in_range!(),
        " GROUP BY question_id),
         worst AS (SELECT * FROM latest WHERE grade <= 3 ORDER BY grade, at LIMIT ?4)
         SELECT q.slug, q.prompt, q.level, t.name AS topic, w.grade, w.at, w.attempts
         FROM worst w JOIN questions q ON q.id = w.question_id JOIN topics t ON t.id = q.topic_id
         ORDER BY w.grade, w.at"
    ))
    .bind(user)
    .bind(start)
    .bind(end)
    .bind(LIST_LIMIT)
    .fetch_all(pool)
    .await?;
    Ok(question_grades(rows, tz))
}

/// Questions flagged in the range, most recently flagged first.
pub async fn flagged(
    pool: &SqlitePool,
    user: Uuid,
    start: i64,
    end: i64,
    tz: &TimeZone,
) -> Result<Vec<QuestionGrade>, AppError> {
    let rows: Vec<QuestionRow> = sqlx::query_as(concat!(
        "WITH marked AS (
             SELECT question_id, self_grade AS grade, max(graded_at) AS at, count(*) AS attempts
             FROM session_answers WHERE ",
        graded_in_range!(),
        " AND flagged = 1 GROUP BY question_id ORDER BY at DESC LIMIT ?4)
         SELECT q.slug, q.prompt, q.level, t.name AS topic, m.grade, m.at, m.attempts
         FROM marked m JOIN questions q ON q.id = m.question_id JOIN topics t ON t.id = q.topic_id
         ORDER BY m.at DESC"
    ))
    .bind(user)
    .bind(start)
    .bind(end)
    .bind(LIST_LIMIT)
    .fetch_all(pool)
    .await?;
    Ok(question_grades(rows, tz))
}

/// The whole dashboard for one user and range. `now` is Unix ms.
pub async fn dashboard(
    pool: &SqlitePool,
    user: Uuid,
    query: &RangeQuery,
    now: i64,
) -> Result<Dashboard, AppError> {
    let (time_zone, hide_streaks) = settings(pool, user).await?;
    let tz = days::zone(&time_zone);
    let today = days::local_date(now, &tz);
    let first_day = first_graded_at(pool, user)
        .await?
        .map(|ms| days::local_date(ms, &tz));
    let (preset, from, to) = days::resolve(query, today, first_day)?;
    let start = days::day_start(from, &tz)?;
    let end = days::day_start(days::next_day(to)?, &tz)?;
    let calendar_from = if days::days_between(from, to) >= CALENDAR_MAX_DAYS {
        to.checked_sub(jiff::Span::new().days(CALENDAR_MAX_DAYS - 1))?
    } else {
        from
    };
    let levels = levels(pool, user, start, end).await?;
    Ok(Dashboard {
        from: from.to_string(),
        to: to.to_string(),
        preset,
        graded: levels.iter().map(|l| l.answers).sum(),
        mastery: mastery(pool, user, start, end).await?,
        trend: trend(pool, user, start, end, &tz).await?,
        levels,
        calendar: calendar(pool, user, calendar_from, to, &tz).await?,
        streak: if hide_streaks {
            None
        } else {
            Some(streak(pool, user, today, &tz).await?)
        },
        weakest: weakest(pool, user, start, end, &tz).await?,
        flagged: flagged(pool, user, start, end, &tz).await?,
        time_zone,
    })
}
