//! A person's review settings.

use super::*;

#[derive(sqlx::FromRow)]
pub(super) struct SettingsRow {
    pub(super) desired_retention: f64,
    pub(super) new_per_day: i64,
    pub(super) reviews_per_day: i64,
    pub(super) practice_schedules: bool,
    pub(super) per_question_secs: Option<i64>,
}

pub async fn settings_in(conn: &mut Conn, user: Uuid) -> Result<ReviewSettings, sqlx::Error> {
    let row: Option<SettingsRow> = sqlx::query_as(
        "SELECT desired_retention, new_per_day, reviews_per_day, practice_schedules, per_question_secs
         FROM review_settings WHERE user_id = $1",
    )
    .bind(user)
    .fetch_optional(conn)
    .await?;
    Ok(
        row.map_or_else(ReviewSettings::default, |r| ReviewSettings {
            desired_retention: r.desired_retention,
            new_per_day: u32::try_from(r.new_per_day).unwrap_or(0),
            reviews_per_day: u32::try_from(r.reviews_per_day).unwrap_or(1),
            practice_schedules: r.practice_schedules,
            per_question_secs: r.per_question_secs.and_then(|s| u32::try_from(s).ok()),
        }),
    )
}

pub async fn settings(pool: &Pool, user: Uuid) -> Result<ReviewSettings, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(settings_in(&mut conn, user).await?)
}

/// Whether a practice session started now moves the schedule.
pub async fn practice_schedules(conn: &mut Conn, user: Uuid) -> Result<bool, sqlx::Error> {
    Ok(settings_in(conn, user).await?.practice_schedules)
}

/// Saves validated settings. Cards keep their due dates: retention shapes
/// the gaps chosen from the next grade on.
pub async fn save_settings(pool: &Pool, user: Uuid, s: &ReviewSettings) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO review_settings (user_id, desired_retention, new_per_day, reviews_per_day,
                                      practice_schedules, per_question_secs)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (user_id) DO UPDATE SET desired_retention = $2, new_per_day = $3,
             reviews_per_day = $4, practice_schedules = $5, per_question_secs = $6",
    )
    .bind(user)
    .bind(s.desired_retention)
    .bind(i64::from(s.new_per_day))
    .bind(i64::from(s.reviews_per_day))
    .bind(s.practice_schedules)
    .bind(s.per_question_secs.map(i64::from))
    .execute(pool)
    .await?;
    Ok(())
}
