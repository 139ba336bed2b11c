//! Dashboard SQL. Every query reads the partial covering index
//! `session_answers_graded` (user, graded_at, grade, level, topic, …) over
//! one time range and aggregates in the database; nothing loads answers one by
//! one. `start`/`end` are Unix milliseconds, end exclusive.

use jiff::{civil::Date, tz::TimeZone};
use uuid::Uuid;

// This backend's pool, connections and transactions (see `platform/db`).
use super::{begin_write, Pool, POSTGRES};
// The other domains' queries this one calls, compiled for the same backend.
use super::{accounts, grading, rollup};
use crate::accounts::days;
use crate::dashboard::types::*;
use crate::error::AppError;
use crate::questions::types::Level;
use crate::sessions::types::score_percent;

/// The answers a dashboard counts: graded, by this user, in the range.
/// Kept in one place so every query uses the covering index the same way.
macro_rules! graded_in_range {
    () => {
        "user_id = $1 AND self_grade IS NOT NULL AND graded_at >= $2 AND graded_at < $3"
    };
}

/// Each question's latest graded answer in the range, as `latest`
/// (question_id, topic_id, level, grade, at, attempts), then `rest`. SQLite
/// takes the bare columns of `max(graded_at)` from the latest row, in one
/// pass over the covering index (`$from` may name the index to use);
/// PostgreSQL has `DISTINCT ON` for it.
macro_rules! with_latest {
    ($extra:literal, $rest:literal) => {
        with_latest!("session_answers", $extra, $rest)
    };
    ($from:literal, $extra:literal, $rest:literal) => {
        if POSTGRES {
            concat!(
                "WITH latest AS (
                     SELECT DISTINCT ON (question_id) question_id, topic_id, level,
                            self_grade AS grade, graded_at AS at,
                            count(*) OVER (PARTITION BY question_id) AS attempts
                     FROM session_answers WHERE ",
                graded_in_range!(),
                $extra,
                " ORDER BY question_id, graded_at DESC)",
                $rest
            )
        } else {
            concat!(
                "WITH latest AS (
                     SELECT question_id, topic_id, level, self_grade AS grade,
                            max(graded_at) AS at, count(*) AS attempts
                     FROM ",
                $from,
                " WHERE ",
                graded_in_range!(),
                $extra,
                " GROUP BY question_id)",
                $rest
            )
        }
    };
}

/// When the user's first graded answer was, if ever.
pub async fn first_graded_at(pool: &Pool, user: Uuid) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT min(graded_at) FROM session_answers WHERE user_id = $1 AND self_grade IS NOT NULL",
    )
    .bind(user)
    .fetch_one(pool)
    .await?)
}

#[derive(sqlx::FromRow)]
struct MasteryRow {
    topic: String,
    level: Level,
    mean_x100: i64,
    questions: i64,
}

/// Topic × level: the mean of each question's latest grade, over the
/// questions graded since `start` (a range that runs to now). Reads the
/// per-question rollup: one row per question practised.
pub async fn mastery(pool: &Pool, user: Uuid, start: i64) -> Result<Vec<MasteryCell>, AppError> {
    let rows: Vec<MasteryRow> = sqlx::query_as(
        "SELECT t.name AS topic, p.level,
                CAST(round(avg(p.last_grade) * 100) AS BIGINT) AS mean_x100,
                count(*) AS questions
         FROM question_progress p JOIN topics t ON t.id = p.topic_id
         WHERE p.user_id = $1 AND p.last_graded_at >= $2
         GROUP BY p.topic_id, p.level, t.name, t.position
         ORDER BY t.position, t.name",
    )
    .bind(user)
    .bind(start)
    .fetch_all(pool)
    .await?;
    Ok(mastery_cells(rows))
}

fn mastery_cells(rows: Vec<MasteryRow>) -> Vec<MasteryCell> {
    rows.into_iter()
        .map(|r| MasteryCell {
            topic: r.topic,
            level: r.level,
            mean_x100: r.mean_x100,
            questions: u32::try_from(r.questions).unwrap_or(0),
        })
        .collect()
}

/// Mastery for a range that ended in the past: each question's latest
/// grade *within* the range, from the answers themselves (the rollup only
/// knows the latest grade overall).
pub async fn mastery_between(
    pool: &Pool,
    user: Uuid,
    start: i64,
    end: i64,
) -> Result<Vec<MasteryCell>, AppError> {
    let rows: Vec<MasteryRow> = sqlx::query_as(with_latest!(
        "",
        "
         SELECT t.name AS topic, l.level,
                CAST(round(avg(l.grade) * 100) AS BIGINT) AS mean_x100,
                count(*) AS questions
         FROM latest l JOIN topics t ON t.id = l.topic_id
         GROUP BY l.topic_id, l.level, t.name, t.position
         ORDER BY t.position, t.name"
    ))
    .bind(user)
    .bind(start)
    .bind(end)
    .fetch_all(pool)
    .await?;
    Ok(mastery_cells(rows))
}

#[derive(sqlx::FromRow)]
struct TrendRow {
    at: i64,
    mean_x100: i64,
    average_x100: i64,
}

/// One point per session (its mean grade as 0–100), oldest first, with a
/// moving average over the last few sessions; the newest
/// [`TREND_MAX_POINTS`] sessions whose first grade falls in the range.
/// Reads the per-session rollup, newest first, so it stops after the limit.
pub async fn trend(
    pool: &Pool,
    user: Uuid,
    start: i64,
    end: i64,
    tz: &TimeZone,
) -> Result<Vec<TrendPoint>, AppError> {
    let rows: Vec<TrendRow> = sqlx::query_as(
        "WITH per_session AS (
             SELECT first_graded_at AS at, grade_sum * 100.0 / graded_count AS mean_x100
             FROM interview_sessions
             WHERE user_id = $1 AND first_graded_at >= $2 AND first_graded_at < $3 AND graded_count > 0
             ORDER BY first_graded_at DESC LIMIT $4)
         SELECT at, CAST(round(mean_x100) AS BIGINT) AS mean_x100,
                CAST(round(avg(mean_x100) OVER (ORDER BY at ROWS $5 PRECEDING)) AS BIGINT)
                    AS average_x100
         FROM per_session ORDER BY at",
    )
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
            score: score_percent(r.mean_x100),
            moving_average: score_percent(r.average_x100),
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct LevelRow {
    level: Level,
    answers: i64,
    mean_spent: Option<i64>,
    mean_limit: Option<i64>,
    timed: i64,
    over_limit: i64,
}

/// Answers, mean time and mean limit per level, over local days
/// `from ..= to` (`YYYY-MM-DD`), from the per-day rollup.
pub async fn levels(
    pool: &Pool,
    user: Uuid,
    from: &str,
    to: &str,
) -> Result<Vec<LevelStats>, AppError> {
    let rows: Vec<LevelRow> = sqlx::query_as(
        "SELECT level, CAST(sum(answers) AS BIGINT) AS answers,
                CAST(round(sum(spent_ms) * 1.0 / sum(answers)) AS BIGINT) AS mean_spent,
                CAST(round(sum(limit_ms) * 1.0 / nullif(sum(timed), 0)) AS BIGINT) AS mean_limit,
                CAST(sum(timed) AS BIGINT) AS timed,
                CAST(sum(over_limit) AS BIGINT) AS over_limit
         FROM daily_progress WHERE user_id = $1 AND day >= $2 AND day <= $3
         GROUP BY level",
    )
    .bind(user)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await?;
    let mut stats: Vec<LevelStats> = rows
        .into_iter()
        .map(|r| LevelStats {
            level: r.level,
            answers: u32::try_from(r.answers).unwrap_or(0),
            mean_spent_ms: r.mean_spent.unwrap_or(0),
            mean_limit_ms: r.mean_limit,
            timed: u32::try_from(r.timed).unwrap_or(0),
            over_limit: u32::try_from(r.over_limit).unwrap_or(0),
        })
        .collect();
    stats.sort_by_key(|s| s.level);
    Ok(stats)
}

/// Graded answers on each local day `from ..= to`, idle days included,
/// from the per-day rollup.
pub async fn calendar(
    pool: &Pool,
    user: Uuid,
    from: Date,
    to: Date,
) -> Result<Vec<DayCount>, AppError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT day, CAST(sum(answers) AS BIGINT) FROM daily_progress
         WHERE user_id = $1 AND day >= $2 AND day <= $3 GROUP BY day ORDER BY day",
    )
    .bind(user)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(pool)
    .await?;
    let mut active = rows.into_iter().peekable();
    let mut out = Vec::new();
    let mut date = from;
    while date <= to {
        let label = date.to_string();
        let count = match active.peek() {
            Some((day, n)) if *day == label => {
                let n = *n;
                active.next();
                n
            }
            _ => 0,
        };
        out.push(DayCount {
            date: label,
            weekday: days::weekday(date),
            count: u32::try_from(count).unwrap_or(0),
        });
        date = days::next_day(date)?;
    }
    Ok(out)
}

/// Current and longest streak over the user's whole history (at most
/// [`crate::dashboard::range::MAX_RANGE_DAYS`] back): the active days come from the per-day
/// rollup, one row each.
pub async fn streak(pool: &Pool, user: Uuid, today: Date) -> Result<Streak, AppError> {
    let earliest =
        today.checked_sub(jiff::Span::new().days(crate::dashboard::range::MAX_RANGE_DAYS - 1))?;
    let active: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT day FROM daily_progress WHERE user_id = $1 AND day >= $2 AND day <= $3
         ORDER BY day",
    )
    .bind(user)
    .bind(earliest.to_string())
    .bind(today.to_string())
    .fetch_all(pool)
    .await?;
    let Some(first) = active.first() else {
        return Ok(Streak::default());
    };
    let mut date = days::parse_date("day", first)?;
    let mut active = active.iter().peekable();
    let mut run = Vec::new();
    while date <= today {
        let label = date.to_string();
        let hit = active.peek().is_some_and(|d| **d == label);
        if hit {
            active.next();
        }
        run.push(hit);
        date = days::next_day(date)?;
    }
    Ok(streaks(&run))
}

#[derive(sqlx::FromRow)]
struct QuestionRow {
    slug: String,
    prompt: String,
    level: Level,
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
                level: r.level,
                topic: r.topic,
                grade: u8::try_from(r.grade).ok()?,
                date: days::local_date(r.at, tz).to_string(),
                attempts: u32::try_from(r.attempts).unwrap_or(0),
            })
        })
        .collect()
}

/// Questions whose latest grade is lowest among those graded since
/// `start` (older first among equals: they have waited longest for another
/// go), from the per-question rollup. Only grades below Excellent count.
pub async fn weakest(
    pool: &Pool,
    user: Uuid,
    start: i64,
    tz: &TimeZone,
) -> Result<Vec<QuestionGrade>, AppError> {
    let rows: Vec<QuestionRow> = sqlx::query_as(
        "WITH worst AS (
             SELECT question_id, last_grade AS grade, last_graded_at AS at, attempts
             FROM question_progress
             WHERE user_id = $1 AND last_graded_at >= $2 AND last_grade <= 3
             ORDER BY last_grade, last_graded_at LIMIT $3)
         SELECT q.slug, q.prompt, q.level, t.name AS topic, w.grade, w.at, w.attempts
         FROM worst w JOIN questions q ON q.id = w.question_id JOIN topics t ON t.id = q.topic_id
         ORDER BY w.grade, w.at",
    )
    .bind(user)
    .bind(start)
    .bind(LIST_LIMIT)
    .fetch_all(pool)
    .await?;
    Ok(question_grades(rows, tz))
}

/// Weakest questions for a range that ended in the past, from the answers.
pub async fn weakest_between(
    pool: &Pool,
    user: Uuid,
    start: i64,
    end: i64,
    tz: &TimeZone,
) -> Result<Vec<QuestionGrade>, AppError> {
    let rows: Vec<QuestionRow> = sqlx::query_as(with_latest!(
        "",
        ",
         worst AS (SELECT * FROM latest WHERE grade <= 3 ORDER BY grade, at LIMIT $4)
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
    pool: &Pool,
    user: Uuid,
    start: i64,
    end: i64,
    tz: &TimeZone,
) -> Result<Vec<QuestionGrade>, AppError> {
    let rows: Vec<QuestionRow> = sqlx::query_as(with_latest!(
        "session_answers INDEXED BY session_answers_flagged",
        " AND flagged = TRUE",
        ",
         marked AS (SELECT * FROM latest ORDER BY at DESC LIMIT $4)
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
    pool: &Pool,
    user: Uuid,
    query: &RangeQuery,
    now: i64,
) -> Result<Dashboard, AppError> {
    let (time_zone, hide_streaks) = accounts::settings(pool, user).await?;
    let tz = days::zone(&time_zone);
    let today = days::local_date(now, &tz);
    let first_day = first_graded_at(pool, user)
        .await?
        .map(|ms| days::local_date(ms, &tz));
    let (preset, from, to) = crate::dashboard::range::resolve(query, today, first_day)?;
    let start = days::day_start(from, &tz)?;
    let end = days::day_start(days::next_day(to)?, &tz)?;
    let calendar_from = if days::days_between(from, to) >= CALENDAR_MAX_DAYS {
        to.checked_sub(jiff::Span::new().days(CALENDAR_MAX_DAYS - 1))?
    } else {
        from
    };
    // "Latest grade" rollups hold the latest grade overall: exact for any
    // range that runs to today, which every preset does.
    let runs_to_today = to >= today;
    let fresh_until = days::day_start(days::next_day(today)?, &tz)?;
    let (mastery, weakest) = if runs_to_today {
        (
            mastery(pool, user, start).await?,
            weakest(pool, user, start, &tz).await?,
        )
    } else {
        (
            mastery_between(pool, user, start, end).await?,
            weakest_between(pool, user, start, end, &tz).await?,
        )
    };
    let levels = levels(pool, user, &from.to_string(), &to.to_string()).await?;
    Ok(Dashboard {
        from: from.to_string(),
        to: to.to_string(),
        preset,
        graded: levels.iter().map(|l| l.answers).sum(),
        mastery,
        trend: trend(pool, user, start, end, &tz).await?,
        levels,
        calendar: calendar(pool, user, calendar_from, to).await?,
        streak: if hide_streaks {
            None
        } else {
            Some(streak(pool, user, today).await?)
        },
        weakest,
        flagged: flagged(pool, user, start, end, &tz).await?,
        review: grading::stats(pool, user, start, end, now).await?,
        time_zone,
        fresh_until,
    })
}

/// Saves the settings. A new time zone recounts the person's days, which
/// are counted in it, in the same transaction.
pub async fn save_settings(
    pool: &Pool,
    id: Uuid,
    time_zone: &str,
    hide_streaks: bool,
) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    let before: Option<String> = sqlx::query_scalar("SELECT time_zone FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    sqlx::query("UPDATE users SET time_zone = $2, hide_streaks = $3 WHERE id = $1")
        .bind(id)
        .bind(time_zone)
        .bind(hide_streaks)
        .execute(&mut *tx)
        .await?;
    if before.as_deref() != Some(time_zone) {
        rollup::rebuild_days(&mut tx, id, time_zone).await?;
    }
    tx.commit().await?;
    Ok(())
}
