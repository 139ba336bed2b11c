//! One question's card: its status, and what a person does with it (suspend, reset, forget).

use super::*;

/// A question the caller may see: the bank's or one of a team's they are in.
pub(super) async fn visible_question(
    conn: &mut Conn,
    user: Uuid,
    slug: &str,
) -> Result<i64, AppError> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM questions WHERE slug = $1
           AND (source = 'builtin' OR team_id IN (SELECT team_id FROM team_members WHERE user_id = $2))",
    )
    .bind(slug)
    .bind(user)
    .fetch_optional(conn)
    .await?;
    id.ok_or_else(|| AppError::NotFound("That question".into()))
}

/// The schedule's view of one question, for its page (a new card when
/// the person never graded it).
pub async fn card_status(
    pool: &Pool,
    user: Uuid,
    slug: &str,
    now: i64,
) -> Result<CardStatus, AppError> {
    let mut conn = pool.acquire().await?;
    let question = visible_question(&mut conn, user, slug).await?;
    let Some(row) = load_card(&mut conn, user, question).await? else {
        return Ok(CardStatus {
            state: CardState::New,
            due: None,
            recall_pct: None,
            reps: 0,
            lapses: 0,
            leech: false,
            suspended: false,
            buried: false,
        });
    };
    let tz = zone_of(&mut conn, user).await?;
    let today = today(now, &tz)?;
    let card = row.card();
    let scheduled = card.state != CardState::New;
    Ok(CardStatus {
        state: card.state,
        due: scheduled.then(|| due_label(card.due_at, &today, &tz)),
        // Right after a review the model says 100 %: not worth saying.
        recall_pct: card
            .last_review_at
            .filter(|last| now - last >= DAY_MS / 2)
            .and_then(|last| schedule::retrievability(&card, (now - last) as f64 / DAY_MS as f64))
            .map(|r| (r * 100.0).round() as u32),
        reps: u32::try_from(card.reps).unwrap_or(0),
        lapses: u32::try_from(card.lapses).unwrap_or(0),
        leech: card.leech,
        suspended: row.suspended,
        buried: row.buried_until.is_some_and(|b| b > now),
    })
}

/// Buries, suspends, unsuspends or resets the caller's card for a question.
pub async fn card_action(
    pool: &Pool,
    user: Uuid,
    slug: &str,
    action: CardAction,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    let question = visible_question(&mut tx, user, slug).await?;
    let tz = zone_of(&mut tx, user).await?;
    let tomorrow = today(now, &tz)?.end;
    // A question never graded gets a new card, so it can be suspended or
    // buried before it ever comes up as new.
    sqlx::query(
        "INSERT INTO review_cards (user_id, question_id, due_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, question_id) DO NOTHING",
    )
    .bind(user)
    .bind(question)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let sql = match action {
        CardAction::Bury => {
            "UPDATE review_cards SET buried_until = $3 WHERE user_id = $1 AND question_id = $2"
        }
        CardAction::Suspend => {
            "UPDATE review_cards SET suspended = TRUE WHERE user_id = $1 AND question_id = $2"
        }
        CardAction::Unsuspend => {
            "UPDATE review_cards SET suspended = FALSE WHERE user_id = $1 AND question_id = $2"
        }
        CardAction::Reset => {
            "UPDATE review_cards SET state = 'new', due_at = $4, stability = 0, difficulty = 0,
                    reps = 0, lapses = 0, last_grade = NULL, last_review_at = NULL, leech = FALSE,
                    buried_until = NULL, reset_at = $4
             WHERE user_id = $1 AND question_id = $2"
        }
    };
    sqlx::query(sql)
        .bind(user)
        .bind(question)
        .bind(tomorrow)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
