//! A team's marks and recommendation on an attempt.

use super::*;

/// An attempt at one of a team's sets.
#[derive(sqlx::FromRow)]
pub(super) struct TeamAttempt {
    /// None once the candidate deleted their data.
    pub(super) session_id: Option<Uuid>,
    pub(super) set_id: Uuid,
    pub(super) display_name: String,
}

/// The attempt, if it is at a set of `team`'s.
pub(super) async fn team_attempt(
    conn: &mut Conn,
    attempt: Uuid,
    team: Uuid,
) -> Result<TeamAttempt, AppError> {
    let row: Option<TeamAttempt> = sqlx::query_as(
        "SELECT a.session_id, l.set_id, a.display_name FROM candidate_attempts a
         JOIN share_links l ON l.id = a.link_id JOIN question_sets s ON s.id = l.set_id
         WHERE a.id = $1 AND s.team_id = $2",
    )
    .bind(attempt)
    .bind(team)
    .fetch_optional(conn)
    .await?;
    row.ok_or_else(|| AppError::NotFound("That candidate".into()))
}

/// Saves the reviewer's ticks, grade and comment for one answer, and moves
/// the attempt's review status along (reviewed once every answer has a
/// reviewer grade). A reviewer's grade never touches the candidate's own.
pub async fn save_review(
    pool: &Pool,
    attempt: Uuid,
    by: Viewer,
    marks: ReviewerMarks<'_>,
    now: i64,
) -> Result<ReviewStatus, AppError> {
    let ReviewerMarks {
        position,
        ticks,
        grade,
        comment,
    } = marks;
    let mut tx = begin_write(pool).await?;
    teams::still(&mut tx, by.team, by.id, TeamRole::builds_sets).await?;
    let found = team_attempt(&mut tx, attempt, by.team).await?;
    let session = found
        .session_id
        .ok_or_else(|| AppError::Conflict("The candidate deleted their data.".into()))?;
    let key_points: Option<i64> = sqlx::query_scalar(
        "SELECT json_array_length(v.key_points) FROM session_answers a
         JOIN question_versions v ON v.question_id = a.question_id AND v.revision = a.question_revision
         WHERE a.session_id = $1 AND a.position = $2",
    )
    .bind(session)
    .bind(i64::from(position))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(key_points) = key_points else {
        return Err(AppError::NotFound("That answer".into()));
    };
    if ticks.iter().any(|&t| i64::from(t) >= key_points) {
        return Err(AppError::invalid(
            "key_points_hit",
            "A ticked key point does not exist.",
        ));
    }
    let mut ticks = ticks.to_vec();
    ticks.sort_unstable();
    ticks.dedup();
    sqlx::query(
        "INSERT INTO answer_reviews (session_id, position, reviewer_id, key_points_hit, grade, comment, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (session_id, position) DO UPDATE SET reviewer_id = $3, key_points_hit = $4,
             grade = $5, comment = $6, updated_at = $7",
    )
    .bind(session)
    .bind(i64::from(position))
    .bind(by.id)
    .bind(serde_json::to_string(&ticks).unwrap_or_else(|_| "[]".into()))
    .bind(grade.map(i64::from))
    .bind(comment)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let ungraded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM session_answers a
         LEFT JOIN answer_reviews r ON r.session_id = a.session_id AND r.position = a.position
         WHERE a.session_id = $1 AND a.submitted_at IS NOT NULL AND r.grade IS NULL",
    )
    .bind(session)
    .fetch_one(&mut *tx)
    .await?;
    let status = if ungraded == 0 {
        ReviewStatus::Reviewed
    } else {
        ReviewStatus::InReview
    };
    sqlx::query("UPDATE candidate_attempts SET review_status = $2 WHERE id = $1")
        .bind(attempt)
        .bind(match status {
            ReviewStatus::Reviewed => "reviewed",
            _ => "in_review",
        })
        .execute(&mut *tx)
        .await?;
    let thing = attempt.to_string();
    let line = set_event(by, Action::Marked, found.set_id, &found.display_name, now).about(&thing);
    teams::log(&mut tx, line).await?;
    tx.commit().await?;
    Ok(status)
}

/// Saves the overall recommendation and its note.
pub async fn save_recommendation(
    pool: &Pool,
    attempt: Uuid,
    by: Viewer,
    recommendation: Option<Recommendation>,
    note: &str,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    teams::still(&mut tx, by.team, by.id, TeamRole::builds_sets).await?;
    let found = team_attempt(&mut tx, attempt, by.team).await?;
    sqlx::query(
        "UPDATE candidate_attempts SET recommendation = $2, recommendation_note = $3 WHERE id = $1",
    )
    .bind(attempt)
    .bind(recommendation.map(Recommendation::as_str))
    .bind(note)
    .execute(&mut *tx)
    .await?;
    let line = set_event(by, Action::Decided, found.set_id, &found.display_name, now);
    teams::log(&mut tx, line).await?;
    tx.commit().await?;
    Ok(())
}
