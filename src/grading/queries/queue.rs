//! Today's queue and the forecast of what falls due.

use super::*;

/// Today's queue for `/review`.
pub async fn queue(pool: &Pool, user: Uuid, now: i64) -> Result<ReviewQueue, AppError> {
    let mut conn = pool.acquire().await?;
    let p = planned(&mut conn, user, now).await?;
    let item = |slug: &str, prompt: &str, topic: &str, level: Level, when: String| QueueItem {
        slug: slug.to_owned(),
        prompt: prompt.to_owned(),
        topic: topic.to_owned(),
        level,
        when,
    };
    let reviews: Vec<QueueItem> = p
        .reviews
        .iter()
        .map(|r| {
            item(
                &r.slug,
                &r.prompt,
                &r.topic,
                r.level,
                when_label(r.due_at, &p.today, &p.tz),
            )
        })
        .collect();
    let new: Vec<QueueItem> = p
        .new
        .iter()
        .map(|r| item(&r.slug, &r.prompt, &r.topic, r.level, "new".into()))
        .collect();
    let next_due = if reviews.is_empty() && new.is_empty() {
        next_due(&mut conn, user, now, &p.today, &p.tz).await?
    } else {
        None
    };
    let active: Option<Uuid> = sqlx::query_scalar(
        "SELECT id FROM interview_sessions
         WHERE user_id = $1 AND status = 'active' AND purpose = 'review'
         ORDER BY started_at DESC LIMIT 1",
    )
    .bind(user)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(ReviewQueue {
        reviews,
        new,
        waiting: p.waiting,
        done_today: p.done_today,
        next_due,
        active_session: active.map(|id| id.to_string()),
        plan: p.plan,
    })
}

pub(super) async fn next_due(
    conn: &mut Conn,
    user: Uuid,
    now: i64,
    today: &Today,
    tz: &TimeZone,
) -> Result<Option<String>, AppError> {
    let at: Option<i64> = sqlx::query_scalar(
        "SELECT min(due_at) FROM review_cards
         WHERE user_id = $1 AND state <> 'new' AND leech = FALSE AND suspended = FALSE AND due_at >= $2",
    )
    .bind(user)
    .bind(today.start.min(now))
    .fetch_one(conn)
    .await?;
    Ok(at.map(|at| due_label(at, today, tz)))
}

/// Due reviews per local day for the next `days` days, today first (today
/// counts everything overdue). One indexed count per day.
pub async fn forecast(
    pool: &Pool,
    user: Uuid,
    now: i64,
    days_ahead: u32,
) -> Result<Vec<ForecastDay>, AppError> {
    let tz = accounts::user_zone(pool, user).await?;
    let first = days::local_date(now, &tz);
    let mut dates = vec![first];
    for _ in 1..days_ahead {
        let last = dates[dates.len() - 1];
        dates.push(days::next_day(last)?);
    }
    let last = dates[dates.len() - 1];
    let bounds = days::day_bounds(first, last, &tz)?;
    let mut ranges: Vec<(i64, i64)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    if let Some(r) = ranges.first_mut() {
        r.0 = i64::MIN;
    }
    let json = serde_json::to_string(&ranges).map_err(|_| AppError::Internal)?;
    // One count per day range; PostgreSQL's `->>` gives text, hence its
    // own text.
    let counts: Vec<(i64, i64)> = sqlx::query_as(if POSTGRES {
        "SELECT r.key,
                (SELECT count(*) FROM review_cards c
                 WHERE c.user_id = $1 AND c.state <> 'new' AND c.leech = FALSE AND c.suspended = FALSE
                   AND c.due_at >= CAST(r.value ->> 0 AS BIGINT)
                   AND c.due_at < CAST(r.value ->> 1 AS BIGINT))
         FROM json_array_elements($2::json) WITH ORDINALITY AS r (value, key) ORDER BY r.key"
    } else {
        "SELECT CAST(r.key AS BIGINT),
                (SELECT count(*) FROM review_cards c
                 WHERE c.user_id = $1 AND c.state <> 'new' AND c.leech = FALSE AND c.suspended = FALSE
                   AND c.due_at >= r.value ->> 0 AND c.due_at < r.value ->> 1)
         FROM json_each($2) r ORDER BY r.key"
    })
    .bind(user)
    .bind(json)
    .fetch_all(pool)
    .await?;
    Ok(dates
        .iter()
        .zip(counts)
        .map(|(d, (_, n))| ForecastDay {
            label: d.strftime("%a %-d").to_string(),
            date: d.to_string(),
            count: u32::try_from(n).unwrap_or(0),
        })
        .collect())
}
