//! The review panels of the dashboard and the start page.

use super::*;

/// The dashboard's review panel for a range.
pub async fn stats(
    pool: &Pool,
    user: Uuid,
    start: i64,
    end: i64,
    now: i64,
) -> Result<ReviewStats, AppError> {
    let settings = settings(pool, user).await?;
    let (passed, total): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE grade >= 2), count(*) FROM review_log
         WHERE user_id = $1 AND reviewed_at >= $2 AND reviewed_at < $3
           AND state_before = 'review'",
    )
    .bind(user)
    .bind(start)
    .bind(end)
    .fetch_one(pool)
    .await?;
    let leeches: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT q.slug, q.prompt, c.lapses FROM review_cards c JOIN questions q ON q.id = c.question_id
         WHERE c.user_id = $1 AND c.leech = TRUE ORDER BY c.lapses DESC, q.id LIMIT 8",
    )
    .bind(user)
    .fetch_all(pool)
    .await?;
    Ok(ReviewStats {
        forecast: forecast(pool, user, now, 30).await?,
        retention_pct: (total > 0).then(|| u32::try_from(passed * 100 / total).unwrap_or(0)),
        retention_reviews: u32::try_from(total).unwrap_or(0),
        desired_pct: (settings.desired_retention * 100.0).round() as u32,
        leeches: leeches
            .into_iter()
            .map(|(slug, prompt, lapses)| Leech {
                slug,
                prompt,
                lapses: u32::try_from(lapses).unwrap_or(0),
            })
            .collect(),
    })
}

/// Reviews due today and new questions waiting, for the start page.
pub async fn home(pool: &Pool, user: Uuid, now: i64) -> Result<HomeReview, AppError> {
    let mut conn = pool.acquire().await?;
    let p = planned(&mut conn, user, now).await?;
    Ok(HomeReview {
        due_today: u32::try_from(p.reviews.len()).unwrap_or(0),
        new_today: u32::try_from(p.new.len()).unwrap_or(0),
        plan: p.plan,
    })
}
