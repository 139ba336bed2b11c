//! The built-in bank, synced from `bank/` at start-up (see `bank.rs`).

use super::*;

// ---- the built-in bank, synced from `bank/` at start-up (see `bank.rs`) ----

/// A bank row as stored, to compare with the file's version.
#[derive(sqlx::FromRow)]
pub(super) struct StoredQuestion {
    pub(super) id: i64,
    pub(super) source: String,
    pub(super) topic_id: i64,
    pub(super) level: String,
    pub(super) prompt: String,
    pub(super) reference_answer: String,
    pub(super) answer_html: String,
    pub(super) key_points: String,
    pub(super) mistakes: String,
    pub(super) follow_ups: String,
    pub(super) archived: bool,
}

/// Brings the built-in rows in line with `topics`, by slug, in one
/// transaction: new questions are added, changed ones updated, ones no
/// longer in the files archived (answers still refer to them). Running it
/// twice changes nothing. Questions written by users are never touched.
pub async fn sync_bank(
    pool: &Pool,
    topics: &[BankTopic],
    now: i64,
) -> Result<SyncReport, sqlx::Error> {
    let mut report = SyncReport::default();
    let mut tx = begin_write(pool).await?;
    let mut slugs = Vec::new();
    for topic in topics {
        let topic_id: i64 = sqlx::query_scalar(
            "INSERT INTO topics (slug, name, position, behavioral) VALUES ($1, $2, $3, $4)
             ON CONFLICT (slug) DO UPDATE SET name = $2, position = $3, behavioral = $4
             RETURNING id",
        )
        .bind(&topic.slug)
        .bind(&topic.name)
        .bind(topic.position)
        .bind(topic.behavioral)
        .fetch_one(&mut *tx)
        .await?;
        for q in &topic.questions {
            slugs.push(q.slug.clone());
            let key_points = serde_json::to_string(&q.key_points).unwrap_or_else(|_| "[]".into());
            let mistakes = serde_json::to_string(&q.mistakes).unwrap_or_else(|_| "[]".into());
            let follow_ups = follow_ups_json(&q.follow_ups);
            let answer_html = q.answer_html.as_str();
            let existing: Option<StoredQuestion> = sqlx::query_as(
                "SELECT id, source, topic_id, level, prompt, reference_answer, answer_html, key_points,
                        mistakes, follow_ups, archived
                     FROM questions WHERE slug = $1",
            )
            .bind(&q.slug)
            .fetch_optional(&mut *tx)
            .await?;
            match existing {
                None => {
                    sqlx::query(
                        "INSERT INTO questions (slug, topic_id, level, prompt, reference_answer,
                             answer_html, key_points, source, created_at, updated_at, mistakes, follow_ups)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, 'builtin', $8, $8, $9, $10)",
                    )
                    .bind(&q.slug)
                    .bind(topic_id)
                    .bind(q.level.as_str())
                    .bind(&q.prompt)
                    .bind(&q.answer)
                    .bind(answer_html)
                    .bind(&key_points)
                    .bind(now)
                    .bind(&mistakes)
                    .bind(&follow_ups)
                    .execute(&mut *tx)
                    .await?;
                    report.added += 1;
                }
                Some(stored) if stored.source != "builtin" => {
                    tracing::warn!(slug = %q.slug, "a user question holds a built-in slug; left alone");
                }
                Some(stored) => {
                    let same = stored.topic_id == topic_id
                        && stored.level == q.level.as_str()
                        && stored.prompt == q.prompt
                        && stored.reference_answer == q.answer
                        // A renderer change (highlighting) refreshes stored HTML.
                        && stored.answer_html == answer_html
                        && stored.key_points == key_points
                        && stored.mistakes == mistakes
                        && stored.follow_ups == follow_ups
                        && !stored.archived;
                    if same {
                        report.unchanged += 1;
                        continue;
                    }
                    sqlx::query(
                        "UPDATE questions SET topic_id = $2, level = $3, prompt = $4,
                             reference_answer = $5, answer_html = $6, key_points = $7,
                             archived = FALSE, updated_at = $8, mistakes = $9, follow_ups = $10
                         WHERE id = $1",
                    )
                    .bind(stored.id)
                    .bind(topic_id)
                    .bind(q.level.as_str())
                    .bind(&q.prompt)
                    .bind(&q.answer)
                    .bind(answer_html)
                    .bind(&key_points)
                    .bind(now)
                    .bind(&mistakes)
                    .bind(&follow_ups)
                    .execute(&mut *tx)
                    .await?;
                    report.updated += 1;
                }
            }
        }
    }
    for topic in topics {
        for q in &topic.questions {
            sync_follow_ups(&mut tx, q, now, &mut report, &mut slugs).await?;
        }
    }
    let slugs_json = serde_json::to_string(&slugs).unwrap_or_else(|_| "[]".into());
    report.archived = sqlx::query(
        "UPDATE questions SET archived = TRUE, updated_at = $2
         WHERE source = 'builtin' AND archived = FALSE
           AND slug NOT IN (SELECT value FROM json_each($1))",
    )
    .bind(&slugs_json)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(report)
}

#[derive(sqlx::FromRow)]
pub(super) struct StoredFollowUpRow {
    pub(super) id: i64,
    pub(super) parent_id: Option<i64>,
    pub(super) follow_up_index: Option<i64>,
    pub(super) topic_id: i64,
    pub(super) level: String,
    pub(super) prompt: String,
    pub(super) reference_answer: String,
    pub(super) answer_html: String,
    pub(super) archived: bool,
}

/// Keeps a question's follow-ups as question rows of their own (parent
/// set, no key points), so a session can ask them. Same rules as the
/// questions: added, updated, or archived when gone from the file.
pub(super) async fn sync_follow_ups(
    tx: &mut WriteTx,
    q: &BankQuestion,
    now: i64,
    report: &mut SyncReport,
    slugs: &mut Vec<String>,
) -> Result<(), sqlx::Error> {
    if q.follow_ups.is_empty() {
        return Ok(());
    }
    let parent: Option<(i64, i64)> =
        sqlx::query_as("SELECT id, topic_id FROM questions WHERE slug = $1 AND source = 'builtin'")
            .bind(&q.slug)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((parent_id, topic_id)) = parent else {
        return Ok(());
    };
    for (i, f) in q.follow_ups.iter().enumerate() {
        let slug = follow_up_slug(&q.slug, i);
        slugs.push(slug.clone());
        let html = f.answer_html.as_str();
        let index = i64::try_from(i).unwrap_or(0);
        let stored: Option<StoredFollowUpRow> = sqlx::query_as(
            "SELECT id, parent_id, follow_up_index, topic_id, level, prompt, reference_answer,
                    answer_html, archived
             FROM questions WHERE slug = $1 AND source = 'builtin'",
        )
        .bind(&slug)
        .fetch_optional(&mut **tx)
        .await?;
        match stored {
            None => {
                sqlx::query(
                    "INSERT INTO questions (slug, topic_id, level, prompt, reference_answer,
                         answer_html, key_points, source, created_at, updated_at, parent_id,
                         follow_up_index)
                     VALUES ($1, $2, $3, $4, $5, $6, '[]', 'builtin', $7, $7, $8, $9)",
                )
                .bind(&slug)
                .bind(topic_id)
                .bind(q.level.as_str())
                .bind(&f.prompt)
                .bind(&f.answer)
                .bind(html)
                .bind(now)
                .bind(parent_id)
                .bind(index)
                .execute(&mut **tx)
                .await?;
                report.added += 1;
            }
            Some(s)
                if s.parent_id == Some(parent_id)
                    && s.follow_up_index == Some(index)
                    && s.topic_id == topic_id
                    && s.level == q.level.as_str()
                    && s.prompt == f.prompt
                    && s.reference_answer == f.answer
                    && s.answer_html == html
                    && !s.archived =>
            {
                report.unchanged += 1;
            }
            Some(s) => {
                sqlx::query(
                    "UPDATE questions SET topic_id = $2, level = $3, prompt = $4,
                         reference_answer = $5, answer_html = $6, archived = FALSE, updated_at = $7,
                         parent_id = $8, follow_up_index = $9
                     WHERE id = $1",
                )
                .bind(s.id)
                .bind(topic_id)
                .bind(q.level.as_str())
                .bind(&f.prompt)
                .bind(&f.answer)
                .bind(html)
                .bind(now)
                .bind(parent_id)
                .bind(index)
                .execute(&mut **tx)
                .await?;
                report.updated += 1;
            }
        }
    }
    Ok(())
}
