//! Writing a grade: the answer, its revision, the rollups and the review card, in one transaction; and rebuilding cards from earlier grades.

use super::*;

/// A grade a person gives their own submitted answer: in the runner, as a
/// re-grade from history, or in a review session.
pub struct GradeWrite<'a> {
    pub session: Uuid,
    pub position: u32,
    pub grade: u8,
    pub note: &'a str,
    /// Key points ticked (sorted, no repeats); `None` keeps the stored ones.
    pub ticked: Option<&'a [u32]>,
    /// `None` keeps the stored flag.
    pub flagged: Option<bool>,
    /// Keep the earlier grade and note in `answer_revisions` when they
    /// change: the session is over, so this is a re-grade.
    pub keep_revision: bool,
    pub now: i64,
}

#[derive(sqlx::FromRow)]
pub(super) struct Graded {
    pub(super) user_id: Uuid,
    pub(super) question_id: i64,
    pub(super) self_grade: Option<i64>,
    pub(super) note: String,
    pub(super) key_points_hit: String,
    pub(super) flagged: bool,
    pub(super) schedules: bool,
    pub(super) mode: String,
    pub(super) purpose: Option<String>,
}

/// Stores a grade. Returns whether anything changed (nothing is written,
/// and nothing recorded, when grade, note, ticks and flag are as stored).
/// The caller has checked ownership and that the answer was submitted.
pub async fn write(tx: &mut WriteTx, w: &GradeWrite<'_>) -> Result<bool, AppError> {
    let position = i64::from(w.position);
    let a: Option<Graded> = sqlx::query_as(
        "SELECT a.user_id, a.question_id, a.self_grade, a.note, a.key_points_hit, a.flagged,
                s.schedules, s.mode, s.purpose
         FROM session_answers a JOIN interview_sessions s ON s.id = a.session_id
         WHERE a.session_id = $1 AND a.position = $2 AND a.submitted_at IS NOT NULL",
    )
    .bind(w.session)
    .bind(position)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(a) = a else {
        return Err(AppError::Conflict(
            "That question was never answered, so there is nothing to grade.".into(),
        ));
    };
    let ticked = match w.ticked {
        Some(t) => serde_json::to_string(t).map_err(|_| AppError::Internal)?,
        None => a.key_points_hit.clone(),
    };
    let flagged = w.flagged.unwrap_or(a.flagged);
    let grade = i64::from(w.grade);
    let grade_changed = a.self_grade != Some(grade);
    if !grade_changed && a.note == w.note && ticked == a.key_points_hit && flagged == a.flagged {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE session_answers SET self_grade = $3, key_points_hit = $4, flagged = $5, note = $6,
                graded_at = coalesce(graded_at, $7)
         WHERE session_id = $1 AND position = $2",
    )
    .bind(w.session)
    .bind(position)
    .bind(grade)
    .bind(&ticked)
    .bind(flagged)
    .bind(w.note)
    .bind(w.now)
    .execute(&mut **tx)
    .await?;
    if w.keep_revision && a.self_grade.is_some() && (grade_changed || a.note != w.note) {
        sqlx::query(
            "INSERT INTO answer_revisions (session_id, position, changed_at, old_grade, new_grade, old_note, new_note)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(w.session)
        .bind(position)
        .bind(w.now)
        .bind(a.self_grade)
        .bind(grade)
        .bind(&a.note)
        .bind(w.note)
        .execute(&mut **tx)
        .await?;
    }
    let old_grade = a.self_grade.and_then(|g| u8::try_from(g).ok());
    rollup::grade_changed(tx, w.session, w.position, old_grade, w.grade).await?;
    if a.schedules && grade_changed {
        let source = match a.purpose.as_deref() {
            Some("review") => "review",
            _ => a.mode.as_str(),
        };
        let graded_at: i64 = sqlx::query_scalar(
            "SELECT graded_at FROM session_answers WHERE session_id = $1 AND position = $2",
        )
        .bind(w.session)
        .bind(position)
        .fetch_one(&mut **tx)
        .await?;
        let entry = LogEntry {
            user: a.user_id,
            question: a.question_id,
            session: w.session,
            position,
            grade,
            at: graded_at,
            source,
        };
        schedule_grade(tx, &entry, w.now).await?;
    }
    Ok(true)
}

pub(super) struct LogEntry<'a> {
    pub(super) user: Uuid,
    pub(super) question: i64,
    pub(super) session: Uuid,
    pub(super) position: i64,
    pub(super) grade: i64,
    pub(super) at: i64,
    pub(super) source: &'a str,
}

#[derive(sqlx::FromRow)]
pub(super) struct CardRow {
    pub(super) state: CardState,
    pub(super) due_at: i64,
    pub(super) stability: f64,
    pub(super) difficulty: f64,
    pub(super) reps: i64,
    pub(super) lapses: i64,
    pub(super) last_grade: Option<i64>,
    pub(super) last_review_at: Option<i64>,
    pub(super) leech: bool,
    pub(super) suspended: bool,
    pub(super) buried_until: Option<i64>,
    pub(super) reset_at: i64,
}

impl CardRow {
    pub(super) fn card(&self) -> Card {
        Card {
            state: self.state,
            due_at: self.due_at,
            stability: self.stability,
            difficulty: self.difficulty,
            reps: self.reps,
            lapses: self.lapses,
            last_grade: self.last_grade.and_then(|g| u8::try_from(g).ok()),
            last_review_at: self.last_review_at,
            leech: self.leech,
        }
    }
}

pub(super) async fn load_card(
    conn: &mut Conn,
    user: Uuid,
    question: i64,
) -> Result<Option<CardRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT state, due_at, stability, difficulty, reps, lapses, last_grade, last_review_at,
                leech, suspended, buried_until, reset_at
         FROM review_cards WHERE user_id = $1 AND question_id = $2",
    )
    .bind(user)
    .bind(question)
    .fetch_optional(conn)
    .await
}

/// Writes a card's scheduling state, keeping its bury, suspension and reset.
pub(super) async fn store_card(
    conn: &mut Conn,
    user: Uuid,
    question: i64,
    card: &Card,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO review_cards (user_id, question_id, state, due_at, stability, difficulty, reps,
                                   lapses, last_grade, last_review_at, leech)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (user_id, question_id) DO UPDATE SET
             state = excluded.state, due_at = excluded.due_at, stability = excluded.stability,
             difficulty = excluded.difficulty, reps = excluded.reps, lapses = excluded.lapses,
             last_grade = excluded.last_grade, last_review_at = excluded.last_review_at,
             leech = excluded.leech",
    )
    .bind(user)
    .bind(question)
    .bind(card.state.as_str())
    .bind(card.due_at)
    .bind(card.stability)
    .bind(card.difficulty)
    .bind(card.reps)
    .bind(card.lapses)
    .bind(card.last_grade.map(i64::from))
    .bind(card.last_review_at)
    .bind(card.leech)
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) async fn zone_of(conn: &mut Conn, user: Uuid) -> Result<TimeZone, sqlx::Error> {
    let name: Option<String> = sqlx::query_scalar("SELECT time_zone FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(conn)
        .await?;
    Ok(days::zone(name.as_deref().unwrap_or("UTC")))
}

/// Moves the card for a new or changed grade. A new grade later than the
/// card's last review is one FSRS step; anything else (a changed grade, a
/// grade older than the card's last review, a card not built yet) replays
/// the card from its log.
pub(super) async fn schedule_grade(
    tx: &mut WriteTx,
    e: &LogEntry<'_>,
    now: i64,
) -> Result<(), AppError> {
    let settings = settings_in(tx, e.user).await?;
    let tz = zone_of(tx, e.user).await?;
    let logged: Option<i64> =
        sqlx::query_scalar("SELECT id FROM review_log WHERE session_id = $1 AND position = $2")
            .bind(e.session)
            .bind(e.position)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some(id) = logged {
        sqlx::query("UPDATE review_log SET grade = $2 WHERE id = $1")
            .bind(id)
            .bind(e.grade)
            .execute(&mut **tx)
            .await?;
        return replay_card(tx, e.user, e.question, &tz, settings.desired_retention, now).await;
    }
    let row = load_card(tx, e.user, e.question).await?;
    let in_order = row
        .as_ref()
        .is_some_and(|c| e.at > c.reset_at && c.last_review_at.is_none_or(|last| last <= e.at));
    let log_id: i64 = sqlx::query_scalar(
        "INSERT INTO review_log (user_id, question_id, session_id, position, grade, reviewed_at, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(e.user)
    .bind(e.question)
    .bind(e.session)
    .bind(e.position)
    .bind(e.grade)
    .bind(e.at)
    .bind(e.source)
    .fetch_one(&mut **tx)
    .await?;
    let Some(row) = row.filter(|_| in_order) else {
        return replay_card(tx, e.user, e.question, &tz, settings.desired_retention, now).await;
    };
    let before = row.card();
    let elapsed = before.last_review_at.map_or(0, |last| {
        (day_number(e.at, &tz) - day_number(last, &tz)).max(0)
    });
    let grade = u8::try_from(e.grade).unwrap_or(1);
    let after = schedule::step(
        &before,
        grade,
        e.at,
        u32::try_from(elapsed).unwrap_or(u32::MAX),
        settings.desired_retention,
    )?;
    write_log_states(tx, log_id, elapsed, &before, &after).await?;
    store_card(tx, e.user, e.question, &after).await?;
    Ok(())
}

pub(super) async fn write_log_states(
    conn: &mut Conn,
    id: i64,
    elapsed: i64,
    before: &Card,
    after: &Card,
) -> Result<(), sqlx::Error> {
    let was_new = before.reps == 0;
    sqlx::query(
        "UPDATE review_log SET elapsed_days = $2, state_before = $3, stability_before = $4,
                difficulty_before = $5, stability_after = $6, difficulty_after = $7, due_after = $8
         WHERE id = $1",
    )
    .bind(id)
    .bind((!was_new).then_some(elapsed))
    .bind(before.state.as_str())
    .bind((!was_new).then_some(before.stability))
    .bind((!was_new).then_some(before.difficulty))
    .bind(after.stability)
    .bind(after.difficulty)
    .bind(after.due_at)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
pub(super) struct LogRow {
    pub(super) id: i64,
    pub(super) reviewed_at: i64,
    pub(super) grade: i64,
}

/// Rebuilds one card from its review log (the reviews since its last
/// reset), rewriting each log row's before and after states.
pub async fn replay_card(
    conn: &mut Conn,
    user: Uuid,
    question: i64,
    tz: &TimeZone,
    retention: f64,
    now: i64,
) -> Result<(), AppError> {
    let reset_at: i64 = sqlx::query_scalar(
        "SELECT reset_at FROM review_cards WHERE user_id = $1 AND question_id = $2",
    )
    .bind(user)
    .bind(question)
    .fetch_optional(&mut *conn)
    .await?
    .unwrap_or(0);
    let logs: Vec<LogRow> = sqlx::query_as(
        "SELECT id, reviewed_at, grade FROM review_log
         WHERE user_id = $1 AND question_id = $2 AND reviewed_at > $3
         ORDER BY reviewed_at, id",
    )
    .bind(user)
    .bind(question)
    .bind(reset_at)
    .fetch_all(&mut *conn)
    .await?;
    let reviews: Vec<Review> = logs
        .iter()
        .map(|l| Review {
            at: l.reviewed_at,
            day: day_number(l.reviewed_at, tz),
            grade: u8::try_from(l.grade).unwrap_or(1),
        })
        .collect();
    let cards = schedule::replay(&reviews, retention, now)?;
    let mut before = Card::new(now);
    for (i, (log, after)) in logs.iter().zip(&cards).enumerate() {
        let elapsed = if i == 0 {
            0
        } else {
            (reviews[i].day - reviews[i - 1].day).max(0)
        };
        write_log_states(&mut *conn, log.id, elapsed, &before, after).await?;
        before = after.clone();
    }
    let mut card = cards.last().cloned().unwrap_or_else(|| Card::new(now));
    if cards.is_empty() {
        card.due_at = now;
    }
    store_card(&mut *conn, user, question, &card).await?;
    Ok(())
}

/// Builds the cards that have a review log but no card yet: grades given
/// before spaced review existed (migration 0010 copied them into the log).
/// Run at start-up; does nothing once every card exists.
pub async fn rebuild_missing(pool: &Pool, now: i64) -> Result<u64, AppError> {
    let pairs: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT DISTINCT l.user_id, l.question_id FROM review_log l
         WHERE NOT EXISTS (SELECT 1 FROM review_cards c
                           WHERE c.user_id = l.user_id AND c.question_id = l.question_id)
         ORDER BY l.user_id",
    )
    .fetch_all(pool)
    .await?;
    let mut built = 0;
    for chunk in pairs.chunk_by(|a, b| a.0 == b.0) {
        let user = chunk[0].0;
        let mut tx = begin_write(pool).await?;
        let retention = settings_in(&mut tx, user).await?.desired_retention;
        let tz = zone_of(&mut tx, user).await?;
        for &(_, question) in chunk {
            replay_card(&mut tx, user, question, &tz, retention, now).await?;
            built += 1;
        }
        tx.commit().await?;
    }
    Ok(built)
}
