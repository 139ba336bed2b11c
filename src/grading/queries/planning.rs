//! Planning today's review: due cards, new questions chosen by the study plan, and the plan itself.

use super::*;

#[derive(sqlx::FromRow)]
pub struct DueRow {
    pub question_id: i64,
    pub(super) slug: String,
    pub(super) prompt: String,
    pub(super) topic: String,
    pub(super) level: Level,
    pub(super) due_at: i64,
}

#[derive(sqlx::FromRow)]
pub struct BankRow {
    pub id: i64,
    pub(super) slug: String,
    pub(super) prompt: String,
    pub(super) topic: String,
    pub(super) topic_slug: String,
    pub(super) level: Level,
    pub(super) seen: bool,
    pub(super) skip: bool,
    pub(super) last_grade: Option<i64>,
}

/// A plan as stored.
#[derive(sqlx::FromRow)]
pub(super) struct PlanRow {
    pub(super) starts_on: String,
    pub(super) interview_on: String,
    pub(super) minutes_per_day: i64,
    pub(super) levels: String,
    pub(super) topics: String,
}

impl PlanRow {
    pub(super) fn form(&self) -> PlanForm {
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

pub(super) async fn plan_row(conn: &mut Conn, user: Uuid) -> Result<Option<PlanRow>, sqlx::Error> {
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
    let tz = accounts::user_zone(pool, user).await?;
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

/// The unseen questions new-question picking chooses from, grouped into
/// topic × level areas: the plan's areas, else the ones the person has
/// practised, else every beginner area.
pub(super) fn areas(bank: &[BankRow], plan: Option<&PlanForm>) -> Vec<Area> {
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

pub(super) async fn bank_rows(conn: &mut Conn, user: Uuid) -> Result<Vec<BankRow>, sqlx::Error> {
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
    .bind(now_ms())
    .fetch_all(conn)
    .await
}

/// Mean answering time over the person's recent answers.
pub(super) async fn mean_answer_ms(
    conn: &mut Conn,
    user: Uuid,
) -> Result<Option<i64>, sqlx::Error> {
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
pub struct Planned {
    pub reviews: Vec<DueRow>,
    pub new: Vec<BankRow>,
    pub waiting: u32,
    pub done_today: u32,
    pub plan: Option<PlanStatus>,
    pub today: Today,
    pub tz: TimeZone,
}

pub async fn planned(conn: &mut Conn, user: Uuid, now: i64) -> Result<Planned, AppError> {
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

pub(super) fn bank_rows_take(bank: &[BankRow], i: usize) -> BankRow {
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
