//! A recruiter's own questions: create, edit, read and archive.

use super::*;

// ---- authored questions ----------------------------------------------------

/// A new slug for an authored question: never clashes with the bank's.
pub(super) fn new_question_slug() -> String {
    format!("own-{}", &Uuid::new_v4().simple().to_string()[..12])
}

pub(super) async fn topic_id(conn: &mut Conn, slug: &str) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT id FROM topics WHERE slug = $1")
        .bind(slug)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::invalid("topic", "Choose a topic from the list."))
}

/// Creates one of the team's own questions (already validated), written
/// by `by`; returns its slug. `answer_html` is `q`'s reference answer, already rendered (by the
/// caller, before any transaction: see `markdown::render_apart`).
pub async fn create_own_question(
    pool: &Pool,
    by: Viewer,
    q: &QuestionInput,
    answer_html: &str,
    now: i64,
) -> Result<String, AppError> {
    let mut tx = begin_write(pool).await?;
    teams::still(&mut tx, by.team, by.id, TeamRole::builds_sets).await?;
    let slug = create_question(&mut tx, by, q, answer_html, now).await?;
    log_question(
        &mut tx,
        by,
        Action::CreatedQuestion,
        (&slug, &q.prompt),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(slug)
}

/// Logs `action` on a question, named by its prompt's first words.
async fn log_question(
    conn: &mut Conn,
    by: Viewer,
    action: Action,
    (slug, prompt): (&str, &str),
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut subject: String = prompt.chars().take(60).collect();
    if prompt.chars().count() > 60 {
        subject.push('…');
    }
    let line = Event {
        team: by.team,
        actor: by.id,
        action,
        set: None,
        subject: &subject,
        thing: slug,
        at: now,
    };
    teams::log(conn, line).await
}

pub(super) async fn create_question(
    conn: &mut Conn,
    by: Viewer,
    q: &QuestionInput,
    answer_html: &str,
    now: i64,
) -> Result<String, AppError> {
    let topic = topic_id(&mut *conn, &q.topic).await?;
    let slug = new_question_slug();
    sqlx::query(
        "INSERT INTO questions (slug, topic_id, level, prompt, reference_answer, answer_html,
             key_points, source, author_id, team_id, reviewer_note, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'author', $8, $9, $10, $11, $11)",
    )
    .bind(&slug)
    .bind(topic)
    .bind(q.level.map_or("beginner", Level::as_str))
    .bind(&q.prompt)
    .bind(&q.reference_answer)
    .bind(answer_html)
    .bind(serde_json::to_string(&q.key_points).unwrap_or_else(|_| "[]".into()))
    .bind(by.id)
    .bind(by.team)
    .bind(&q.reviewer_note)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(slug)
}

/// Saves an edit. The question's earlier revisions stay as they were (a
/// trigger keeps each one in `question_versions`), so answers already given
/// and sets already shared keep what the candidate saw. `answer_html` as
/// for [`create_own_question`].
pub async fn update_question(
    pool: &Pool,
    by: Viewer,
    slug: &str,
    q: &QuestionInput,
    answer_html: &str,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    teams::still(&mut tx, by.team, by.id, TeamRole::builds_sets).await?;
    let topic = topic_id(&mut tx, &q.topic).await?;
    let changed = sqlx::query(
        "UPDATE questions SET topic_id = $3, level = $4, prompt = $5, reference_answer = $6,
             answer_html = $7, key_points = $8, reviewer_note = $9, updated_at = $10
         WHERE slug = $1 AND source = 'author' AND team_id = $2",
    )
    .bind(slug)
    .bind(by.team)
    .bind(topic)
    .bind(q.level.map_or("beginner", Level::as_str))
    .bind(&q.prompt)
    .bind(&q.reference_answer)
    .bind(answer_html)
    .bind(serde_json::to_string(&q.key_points).unwrap_or_else(|_| "[]".into()))
    .bind(&q.reviewer_note)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::NotFound("That question".into()));
    }
    log_question(&mut tx, by, Action::EditedQuestion, (slug, &q.prompt), now).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
pub(super) struct OwnRow {
    pub(super) slug: String,
    pub(super) prompt: String,
    pub(super) level: Level,
    pub(super) topic_slug: String,
    pub(super) topic_name: String,
    pub(super) reference_answer: String,
    pub(super) answer_html: String,
    pub(super) key_points: String,
    pub(super) reviewer_note: String,
    pub(super) archived: bool,
    pub(super) revision: i64,
    pub(super) used_in_sets: i64,
}

impl OwnRow {
    pub(super) fn into_question(self) -> OwnQuestion {
        OwnQuestion {
            input: QuestionInput {
                prompt: self.prompt,
                level: Some(self.level),
                topic: self.topic_slug,
                reference_answer: self.reference_answer,
                key_points: serde_json::from_str(&self.key_points).unwrap_or_default(),
                reviewer_note: self.reviewer_note,
            },
            slug: self.slug,
            topic_name: self.topic_name,
            answer_html: self.answer_html,
            archived: self.archived,
            revision: u32::try_from(self.revision).unwrap_or(1),
            used_in_sets: u32::try_from(self.used_in_sets).unwrap_or(0),
        }
    }
}

/// One of the team's own questions.
pub async fn own_question(
    pool: &Pool,
    team: Uuid,
    slug: &str,
) -> Result<Option<OwnQuestion>, sqlx::Error> {
    let row: Option<OwnRow> = sqlx::query_as(concat!(own_question_select!(), "AND q.slug = $2"))
        .bind(team)
        .bind(slug)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(OwnRow::into_question))
}

/// Every question of the team's, archived last, newest first.
pub async fn all_own_questions(pool: &Pool, team: Uuid) -> Result<Vec<OwnQuestion>, sqlx::Error> {
    let rows: Vec<OwnRow> = sqlx::query_as(concat!(
        own_question_select!(),
        "ORDER BY q.archived, q.updated_at DESC, q.id DESC"
    ))
    .bind(team)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(OwnRow::into_question).collect())
}

/// Archives or restores one of the team's questions. Questions are never
/// deleted: sets and answers point at them.
pub async fn archive_question(
    pool: &Pool,
    team: Uuid,
    slug: &str,
    archived: bool,
    now: i64,
) -> Result<(), AppError> {
    let changed = sqlx::query(
        "UPDATE questions SET archived = $3, updated_at = $4
         WHERE slug = $1 AND source = 'author' AND team_id = $2",
    )
    .bind(slug)
    .bind(team)
    .bind(archived)
    .bind(now)
    .execute(pool)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::NotFound("That question".into()));
    }
    Ok(())
}
