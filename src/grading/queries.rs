//! SQL for grading and the schedule. [`write`] is the one way a grade a
//! person gives their own answer is stored: the answer, its revision, the
//! dashboard rollups and the review card change together, in the caller's
//! transaction.

use jiff::{civil::Date, tz::TimeZone};
use uuid::Uuid;

// This backend's pool, connection and transactions (see `server/db`).
use super::{Conn, Pool};

use crate::dashboard::days;
use crate::error::AppError;
use crate::grading::plan::{self, Area};
use crate::grading::schedule::{self, Card, Review, DAY_MS};
use crate::grading::types::*;
use crate::questions::types::Level;
use crate::sessions::types::Mode;

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
struct Graded {
    user_id: Uuid,
    question_id: i64,
    self_grade: Option<i64>,
    note: String,
    key_points_hit: String,
    flagged: bool,
    schedules: bool,
    mode: Mode,
    purpose: Option<String>,
}

/// Stores a grade. Returns whether anything changed (nothing is written,
/// and nothing recorded, when grade, note, ticks and flag are as stored).
/// The caller has checked ownership and that the answer was submitted.
pub async fn write(tx: &mut super::WriteTx, w: &GradeWrite<'_>) -> Result<bool, AppError> {
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
    super::rollup::grade_changed(tx, w.session, w.position, old_grade, w.grade).await?;
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

struct LogEntry<'a> {
    user: Uuid,
    question: i64,
    session: Uuid,
    position: i64,
    grade: i64,
    at: i64,
    source: &'a str,
}

#[derive(sqlx::FromRow)]
struct CardRow {
    state: CardState,
    due_at: i64,
    stability: f64,
    difficulty: f64,
    reps: i64,
    lapses: i64,
    last_grade: Option<i64>,
    last_review_at: Option<i64>,
    leech: bool,
    suspended: bool,
    buried_until: Option<i64>,
    reset_at: i64,
}

impl CardRow {
    fn card(&self) -> Card {
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

async fn load_card(
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
async fn store_card(
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

/// Local days since 1970-01-01: what FSRS counts elapsed time in.
fn day_number(ms: i64, tz: &TimeZone) -> i64 {
    days::days_between(Date::constant(1970, 1, 1), days::local_date(ms, tz))
}

async fn zone_of(conn: &mut Conn, user: Uuid) -> Result<TimeZone, sqlx::Error> {
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
async fn schedule_grade(
    tx: &mut super::WriteTx,
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

async fn write_log_states(
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
struct LogRow {
    id: i64,
    reviewed_at: i64,
    grade: i64,
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
        let mut tx = super::begin_write(pool).await?;
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

#[derive(sqlx::FromRow)]
struct SettingsRow {
    desired_retention: f64,
    new_per_day: i64,
    reviews_per_day: i64,
    practice_schedules: bool,
    per_question_secs: Option<i64>,
}

async fn settings_in(conn: &mut Conn, user: Uuid) -> Result<ReviewSettings, sqlx::Error> {
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

/// Today in the user's zone: its date and the instants it starts and ends.
struct Today {
    date: Date,
    start: i64,
    end: i64,
}

fn today(now: i64, tz: &TimeZone) -> Result<Today, AppError> {
    let date = days::local_date(now, tz);
    Ok(Today {
        date,
        start: days::day_start(date, tz)?,
        end: days::day_start(days::next_day(date)?, tz)?,
    })
}

#[derive(sqlx::FromRow)]
struct DueRow {
    question_id: i64,
    slug: String,
    prompt: String,
    topic: String,
    level: Level,
    due_at: i64,
}

#[derive(sqlx::FromRow)]
struct BankRow {
    id: i64,
    slug: String,
    prompt: String,
    topic: String,
    topic_slug: String,
    level: Level,
    seen: bool,
    skip: bool,
    last_grade: Option<i64>,
}

/// A plan as stored.
#[derive(sqlx::FromRow)]
struct PlanRow {
    starts_on: String,
    interview_on: String,
    minutes_per_day: i64,
    levels: String,
    topics: String,
}

impl PlanRow {
    fn form(&self) -> PlanForm {
        PlanForm {
            interview_on: self.interview_on.clone(),
            minutes_per_day: u32::try_from(self.minutes_per_day).unwrap_or(30),
            levels: serde_json::from_str::<Vec<String>>(&self.levels)
                .unwrap_or_default()
                .iter()
                .filter_map(|l| Level::parse(l))
                .collect(),
            topics: serde_json::from_str(&self.topics).unwrap_or_default(),
        }
    }
}

async fn plan_row(conn: &mut Conn, user: Uuid) -> Result<Option<PlanRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT starts_on, interview_on, minutes_per_day, levels, topics
         FROM interview_plans WHERE user_id = $1",
    )
    .bind(user)
    .fetch_optional(conn)
    .await
}

pub async fn plan(pool: &Pool, user: Uuid) -> Result<Option<PlanForm>, AppError> {
    let mut conn = pool.acquire().await?;
    Ok(plan_row(&mut conn, user).await?.map(|p| p.form()))
}

/// Saves the plan (validated by the caller). It starts today unless it
/// already existed, so progress keeps counting from the first day.
pub async fn save_plan(pool: &Pool, user: Uuid, form: &PlanForm, now: i64) -> Result<(), AppError> {
    let tz = super::dashboard::user_zone(pool, user).await?;
    let today = days::local_date(now, &tz).to_string();
    let levels: Vec<&str> = form.levels.iter().map(|l| l.as_str()).collect();
    sqlx::query(
        "INSERT INTO interview_plans (user_id, starts_on, interview_on, minutes_per_day, levels, topics, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (user_id) DO UPDATE SET interview_on = $3, minutes_per_day = $4,
             levels = $5, topics = $6",
    )
    .bind(user)
    .bind(&today)
    .bind(&form.interview_on)
    .bind(i64::from(form.minutes_per_day))
    .bind(serde_json::to_string(&levels).map_err(|_| AppError::Internal)?)
    .bind(serde_json::to_string(&form.topics).map_err(|_| AppError::Internal)?)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn clear_plan(pool: &Pool, user: Uuid) -> Result<(), AppError> {
    sqlx::query("DELETE FROM interview_plans WHERE user_id = $1")
        .bind(user)
        .execute(pool)
        .await?;
    Ok(())
}

fn when_label(due_at: i64, today: &Today, tz: &TimeZone) -> String {
    if due_at >= today.start {
        return "due today".into();
    }
    let late = days::days_between(days::local_date(due_at, tz), today.date);
    format!(
        "overdue {}",
        plural(u32::try_from(late).unwrap_or(0), "day", "days")
    )
}

/// The unseen questions new-question picking chooses from, grouped into
/// topic × level areas: the plan's areas, else the ones the person has
/// practised, else every beginner area.
fn areas(bank: &[BankRow], plan: Option<&PlanForm>) -> Vec<Area> {
    let chosen = |r: &BankRow| match plan {
        Some(p) => {
            (p.levels.is_empty() || p.levels.contains(&r.level))
                && (p.topics.is_empty() || p.topics.contains(&r.topic_slug))
        }
        None => true,
    };
    let mut out: Vec<Area> = Vec::new();
    let mut grades: Vec<(i64, i64)> = Vec::new();
    for r in bank.iter().filter(|r| chosen(r)) {
        let key = (r.topic_slug.clone(), r.level.as_str().to_owned());
        let i = match out.iter().position(|a| a.key == key) {
            Some(i) => i,
            None => {
                out.push(Area {
                    key,
                    size: 0,
                    seen: 0,
                    mastery: None,
                    unseen: Vec::new(),
                });
                grades.push((0, 0));
                out.len() - 1
            }
        };
        out[i].size += 1;
        if r.seen {
            out[i].seen += 1;
        } else if !r.skip {
            out[i].unseen.push(r.id);
        }
        if let Some(g) = r.last_grade {
            grades[i].0 += g;
            grades[i].1 += 1;
        }
    }
    for (area, (sum, n)) in out.iter_mut().zip(grades) {
        area.mastery = (n > 0).then(|| sum as f64 / n as f64);
    }
    if plan.is_none() {
        let practised: Vec<Area> = out
            .iter()
            .filter(|a| a.mastery.is_some())
            .cloned()
            .collect();
        if !practised.is_empty() {
            return practised;
        }
        out.retain(|a| a.key.1 == "beginner");
    }
    out
}

async fn bank_rows(conn: &mut Conn, user: Uuid) -> Result<Vec<BankRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT q.id, q.slug, q.prompt, t.name AS topic, t.slug AS topic_slug, q.level,
                coalesce(c.state <> 'new', FALSE) AS seen,
                coalesce(c.suspended OR (c.buried_until IS NOT NULL AND c.buried_until > $2), FALSE) AS skip,
                p.last_grade
         FROM questions q JOIN topics t ON t.id = q.topic_id
         LEFT JOIN review_cards c ON c.user_id = $1 AND c.question_id = q.id
         LEFT JOIN question_progress p ON p.user_id = $1 AND p.question_id = q.id
         WHERE q.source = 'builtin' AND q.archived = FALSE AND q.parent_id IS NULL
         ORDER BY t.position, t.slug, q.id",
    )
    .bind(user)
    .bind(super::now_ms())
    .fetch_all(conn)
    .await
}

/// Mean answering time over the person's recent answers.
async fn mean_answer_ms(conn: &mut Conn, user: Uuid) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT CAST(avg(time_spent_ms) AS BIGINT) FROM (
             SELECT time_spent_ms FROM session_answers
             WHERE user_id = $1 AND submitted_at IS NOT NULL AND time_spent_ms IS NOT NULL
             ORDER BY submitted_at DESC LIMIT 50) recent",
    )
    .bind(user)
    .fetch_one(conn)
    .await
}

/// What today's queue is built from; shared by the page and the start.
struct Planned {
    reviews: Vec<DueRow>,
    new: Vec<BankRow>,
    waiting: u32,
    done_today: u32,
    plan: Option<PlanStatus>,
    today: Today,
    tz: TimeZone,
}

async fn planned(conn: &mut Conn, user: Uuid, now: i64) -> Result<Planned, AppError> {
    let settings = settings_in(conn, user).await?;
    let tz = zone_of(conn, user).await?;
    let today = today(now, &tz)?;
    let (new_done, reviews_done): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE state_before IS NULL OR state_before = 'new'),
                count(*) FILTER (WHERE state_before IS NOT NULL AND state_before <> 'new')
         FROM review_log WHERE user_id = $1 AND reviewed_at >= $2 AND source = 'review'",
    )
    .bind(user)
    .bind(today.start)
    .fetch_one(&mut *conn)
    .await?;
    let review_room = i64::from(settings.reviews_per_day) - reviews_done;
    let due_total: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM review_cards
         WHERE user_id = $1 AND state <> 'new' AND leech = FALSE AND suspended = FALSE AND due_at < $2
           AND (buried_until IS NULL OR buried_until <= $3)",
    )
    .bind(user)
    .bind(today.end)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let plan_row = plan_row(conn, user).await?;
    let plan_form = plan_row.as_ref().map(PlanRow::form);
    let bank = bank_rows(conn, user).await?;
    let areas = areas(&bank, plan_form.as_ref());
    let mut review_cap = review_room.max(0);
    let mut new_cap = (i64::from(settings.new_per_day) - new_done).max(0);
    let mut plan = None;
    if let Some(p) = &plan_row {
        let starts = days::parse_date("starts_on", &p.starts_on)?;
        let interview = days::parse_date("interview_on", &p.interview_on)?;
        let per_question = plan::minutes_per_question(mean_answer_ms(conn, user).await?);
        let minutes = u32::try_from(p.minutes_per_day).unwrap_or(30);
        let n = plan::numbers(&plan::Facts {
            elapsed_days: days::days_between(starts, today.date),
            total_days: days::days_between(starts, interview),
            minutes_per_day: minutes,
            minutes_per_question: per_question,
            due: u32::try_from(due_total.min(review_cap)).unwrap_or(0),
            areas: &areas,
        });
        review_cap = i64::from(n.reviews_today);
        new_cap = i64::from(n.new_today);
        plan = Some(PlanStatus {
            interview_on: p.interview_on.clone(),
            day: n.day,
            total_days: n.total_days,
            days_left: n.days_left,
            covered: n.covered,
            target: n.target,
            on_track: n.on_track,
            reviews_today: n.reviews_today,
            new_today: n.new_today,
            minutes_per_day: minutes,
            minutes_per_question: per_question,
        });
    }
    // Overdue first, then the least likely to be recalled: for one set of
    // FSRS parameters that is the largest time since review / stability.
    // The cards are ranked from the covering index alone; only the few
    // shown (plus a margin for archived questions) are joined.
    let reviews: Vec<DueRow> = sqlx::query_as(
        "SELECT c.question_id, q.slug, q.prompt, t.name AS topic, q.level, c.due_at
         FROM (SELECT question_id, due_at, last_review_at, stability FROM review_cards
               WHERE user_id = $1 AND state <> 'new' AND leech = FALSE AND suspended = FALSE
                 AND due_at < $2 AND (buried_until IS NULL OR buried_until <= $3)
               ORDER BY due_at < $4 DESC, ($3 - last_review_at) / stability DESC, question_id
               LIMIT $5 + 32) c
         JOIN questions q ON q.id = c.question_id JOIN topics t ON t.id = q.topic_id
         WHERE q.archived = FALSE
         ORDER BY c.due_at < $4 DESC, ($3 - c.last_review_at) / c.stability DESC, c.question_id
         LIMIT $5",
    )
    .bind(user)
    .bind(today.end)
    .bind(now)
    .bind(today.start)
    .bind(review_cap)
    .fetch_all(&mut *conn)
    .await?;
    let ids = plan::pick_new(&areas, usize::try_from(new_cap).unwrap_or(0));
    let mut new: Vec<BankRow> = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(i) = bank.iter().position(|r| r.id == id) {
            new.push(bank_rows_take(&bank, i));
        }
    }
    let shown = i64::try_from(reviews.len()).unwrap_or(0);
    Ok(Planned {
        waiting: u32::try_from((due_total - shown).max(0)).unwrap_or(0),
        done_today: u32::try_from(new_done + reviews_done).unwrap_or(0),
        reviews,
        new,
        plan,
        today,
        tz,
    })
}

fn bank_rows_take(bank: &[BankRow], i: usize) -> BankRow {
    let r = &bank[i];
    BankRow {
        id: r.id,
        slug: r.slug.clone(),
        prompt: r.prompt.clone(),
        topic: r.topic.clone(),
        topic_slug: r.topic_slug.clone(),
        level: r.level,
        seen: r.seen,
        skip: r.skip,
        last_grade: r.last_grade,
    }
}

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

async fn next_due(
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

/// "today", "tomorrow", "in 5 days (2026-12-05)".
fn due_label(at: i64, today: &Today, tz: &TimeZone) -> String {
    let date = days::local_date(at, tz);
    match days::days_between(today.date, date) {
        n if n < 0 => format!(
            "overdue {}",
            plural(u32::try_from(-n).unwrap_or(0), "day", "days")
        ),
        0 => "today".into(),
        1 => format!("tomorrow ({date})"),
        n => format!("in {n} days ({date})"),
    }
}

/// Starts a review session with today's queue: practice mode, untimed
/// unless the settings give a per-question limit. `None` when nothing is
/// due and there is nothing new to learn.
pub async fn start(pool: &Pool, user: Uuid, now: i64) -> Result<Option<Uuid>, AppError> {
    let mut tx = super::begin_write(pool).await?;
    let p = planned(&mut tx, user, now).await?;
    let ids: Vec<i64> = p
        .reviews
        .iter()
        .map(|r| r.question_id)
        .chain(p.new.iter().map(|r| r.id))
        .collect();
    let settings = settings_in(&mut tx, user).await?;
    let new = crate::sessions::db::NewSession {
        mode: crate::sessions::types::Mode::Practice,
        levels: vec![],
        topics: vec![],
        count: u32::try_from(ids.len()).unwrap_or(0),
        per_question_secs: settings.per_question_secs,
        total_secs: None,
        only: None,
    };
    let kind = super::sessions::Kind::Review;
    let drawn = super::sessions::Drawn::only(&ids);
    Ok(super::sessions::insert_session(tx, user, &new, kind, drawn, now).await?)
}

/// Due reviews per local day for the next `days` days, today first (today
/// counts everything overdue). One indexed count per day.
pub async fn forecast(
    pool: &Pool,
    user: Uuid,
    now: i64,
    days_ahead: u32,
) -> Result<Vec<ForecastDay>, AppError> {
    let tz = super::dashboard::user_zone(pool, user).await?;
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
    let counts: Vec<(i64, i64)> = sqlx::query_as(if super::POSTGRES {
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

/// A question the caller may see: the bank's or their own.
async fn visible_question(conn: &mut Conn, user: Uuid, slug: &str) -> Result<i64, AppError> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM questions WHERE slug = $1 AND (source = 'builtin' OR author_id = $2)",
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
    let mut tx = super::begin_write(pool).await?;
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
