//! Import and export of sets and questions, and duplicating a set.

use super::*;

// ---- import and export -------------------------------------------------------

#[derive(sqlx::FromRow)]
pub(super) struct TransferRow {
    pub(super) slug: String,
    pub(super) source: String,
    pub(super) prompt: String,
    pub(super) level: Level,
    pub(super) topic_slug: String,
    pub(super) reference_answer: String,
    pub(super) key_points: String,
    pub(super) reviewer_note: String,
    pub(super) per_question_secs: Option<i64>,
}

impl TransferRow {
    pub(super) fn into_transfer(self) -> TransferQuestion {
        let bank = self.source == "builtin";
        TransferQuestion {
            source: if bank { Source::Bank } else { Source::Own },
            slug: bank.then_some(self.slug),
            question: QuestionInput {
                prompt: self.prompt,
                level: Some(self.level),
                topic: self.topic_slug,
                reference_answer: self.reference_answer,
                key_points: serde_json::from_str(&self.key_points).unwrap_or_default(),
                reviewer_note: if bank {
                    String::new()
                } else {
                    self.reviewer_note
                },
            },
            per_question_secs: stored_secs(self.per_question_secs),
        }
    }
}

/// A set as a file: its settings and questions (bank ones by slug too).
pub async fn export_set(pool: &Pool, id: Uuid, viewer: Viewer) -> Result<Transfer, AppError> {
    let detail = set_detail(pool, id, viewer).await?;
    let rows: Vec<TransferRow> = sqlx::query_as(
        "SELECT q.slug, q.source, q.prompt, q.level, t.slug AS topic_slug, q.reference_answer,
                q.key_points, q.reviewer_note, i.per_question_secs
         FROM question_set_items i
         JOIN questions q ON q.id = i.question_id JOIN topics t ON t.id = q.topic_id
         WHERE i.set_id = $1 ORDER BY i.position",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let d = detail.draft;
    Ok(Transfer {
        set: Some(SetHeader {
            title: d.title,
            instructions: d.instructions,
            mode: d.mode.unwrap_or(Mode::Interview),
            per_question_secs: d.per_question_secs,
            total_secs: d.total_secs,
            shuffle: d.shuffle,
            hide_reference: d.hide_reference,
            share_feedback: d.share_feedback,
        }),
        questions: rows.into_iter().map(TransferRow::into_transfer).collect(),
    })
}

/// All the team's live questions as a file.
pub async fn export_questions(pool: &Pool, team: Uuid) -> Result<Transfer, sqlx::Error> {
    let rows: Vec<TransferRow> = sqlx::query_as(
        "SELECT q.slug, q.source, q.prompt, q.level, t.slug AS topic_slug, q.reference_answer,
                q.key_points, q.reviewer_note, NULL AS per_question_secs
         FROM questions q JOIN topics t ON t.id = q.topic_id
         WHERE q.source = 'author' AND q.team_id = $1 AND q.archived = FALSE
         ORDER BY q.id",
    )
    .bind(team)
    .fetch_all(pool)
    .await?;
    Ok(Transfer {
        set: None,
        questions: rows.into_iter().map(TransferRow::into_transfer).collect(),
    })
}

/// Writes an imported file (already parsed and validated) in one
/// transaction: own questions are created as new questions of `by`'s team; a
/// bank question whose slug this bank has is used as it is, any other is
/// created as the team's own. With a set header, the set is created too.
/// A failure anywhere leaves nothing behind. `answer_html` holds each
/// question's reference answer, rendered before the write turn is taken:
/// the turn only inserts.
pub async fn import(
    pool: &Pool,
    by: Viewer,
    transfer: &Transfer,
    answer_html: &[String],
    now: i64,
) -> Result<Imported, AppError> {
    if answer_html.len() != transfer.questions.len() {
        tracing::error!("import: one rendered answer per question expected");
        return Err(AppError::Internal);
    }
    let mut tx = begin_write(pool).await?;
    teams::still(&mut tx, by.team, by.id, TeamRole::builds_sets).await?;
    let mut ids: Vec<i64> = Vec::with_capacity(transfer.questions.len());
    let (mut created, mut reused) = (0, 0);
    for (i, q) in transfer.questions.iter().enumerate() {
        let bank: Option<i64> = match (&q.source, &q.slug) {
            (Source::Bank, Some(slug)) => {
                sqlx::query_scalar(
                    "SELECT id FROM questions WHERE slug = $1 AND source = 'builtin' AND parent_id IS NULL",
                )
                .bind(slug)
                .fetch_optional(&mut *tx)
                .await?
            }
            _ => None,
        };
        let id = match bank {
            Some(id) => {
                reused += 1;
                id
            }
            None => {
                let slug = create_question(&mut tx, by, &q.question, &answer_html[i], now)
                    .await
                    .map_err(|e| match e {
                        AppError::Validation(_) => AppError::invalid(
                            "file",
                            format!(
                                "Question {}: unknown topic \"{}\".",
                                i + 1,
                                q.question.topic
                            ),
                        ),
                        other => other,
                    })?;
                created += 1;
                sqlx::query_scalar("SELECT id FROM questions WHERE slug = $1")
                    .bind(slug)
                    .fetch_one(&mut *tx)
                    .await?
            }
        };
        if transfer.set.is_some() && ids.contains(&id) {
            return Err(AppError::invalid(
                "file",
                format!("Question {} is in the set twice.", i + 1),
            ));
        }
        ids.push(id);
    }
    let set_id = match &transfer.set {
        None => None,
        Some(h) => {
            let id = Uuid::now_v7();
            sqlx::query(
                "INSERT INTO question_sets (id, owner_id, team_id, title, description, mode,
                     per_question_secs, total_secs, shuffle, share_code, created_at, updated_at,
                     hide_reference, share_feedback)
                 VALUES ($1, $2, $13, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12)",
            )
            .bind(id)
            .bind(by.id)
            .bind(&h.title)
            .bind(&h.instructions)
            .bind(h.mode.as_str())
            .bind(h.per_question_secs.map(i64::from))
            .bind(h.total_secs.map(i64::from))
            .bind(h.shuffle)
            .bind(Uuid::new_v4().simple().to_string())
            .bind(now)
            .bind(h.hide_reference)
            .bind(h.share_feedback)
            .bind(by.team)
            .execute(&mut *tx)
            .await?;
            let line = set_event(by, Action::ImportedSet, id, &h.title, now);
            teams::log(&mut tx, line).await?;
            write_items(
                &mut tx,
                id,
                &ids,
                transfer.questions.iter().map(|q| q.per_question_secs),
            )
            .await?;
            Some(id.to_string())
        }
    };
    tx.commit().await?;
    Ok(Imported {
        set_id,
        questions_created: created,
        bank_questions_used: reused,
    })
}

/// A copy of one of the team's sets, titled "… (copy)", never frozen.
pub async fn duplicate_set(pool: &Pool, id: Uuid, by: Viewer, now: i64) -> Result<Uuid, AppError> {
    let mut tx = begin_write(pool).await?;
    teams::still(&mut tx, by.team, by.id, TeamRole::builds_sets).await?;
    let row = load_set(&mut tx, id)
        .await?
        .filter(|r| r.team_id == Some(by.team))
        .ok_or_else(|| AppError::NotFound("That set".into()))?;
    let copy = Uuid::now_v7();
    let title: String = format!("{} (copy)", row.title)
        .chars()
        .take(TITLE_MAX)
        .collect();
    sqlx::query(
        "INSERT INTO question_sets (id, owner_id, team_id, title, description, mode,
             per_question_secs, total_secs, shuffle, hide_reference, share_feedback, share_code,
             created_at, updated_at)
         SELECT $2, $6, team_id, $3, description, mode, per_question_secs, total_secs, shuffle,
                hide_reference, share_feedback, $4, $5, $5
         FROM question_sets WHERE id = $1",
    )
    .bind(id)
    .bind(copy)
    .bind(&title)
    .bind(Uuid::new_v4().simple().to_string())
    .bind(now)
    .bind(by.id)
    .execute(&mut *tx)
    .await?;
    let line = set_event(by, Action::DuplicatedSet, copy, &title, now);
    teams::log(&mut tx, line).await?;
    sqlx::query(
        "INSERT INTO question_set_items (set_id, position, question_id, per_question_secs)
         SELECT $2, position, question_id, per_question_secs FROM question_set_items WHERE set_id = $1",
    )
    .bind(id)
    .bind(copy)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(copy)
}
