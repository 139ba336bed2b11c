//! SQL for question sets and authored questions. Every function that
//! changes a set or a question takes its owner and checks it in the same
//! statement or transaction as the change.

use uuid::Uuid;

// This backend's pool, connection and transactions (see `server/db`).
use super::{begin_write, Conn, Pool};

use crate::error::AppError;
use crate::questions::types::Level;
use crate::sessions::types::Mode;
use crate::sets::db::{Imported, Viewer, SET_EDITED_ELSEWHERE};
use crate::sets::transfer::{SetHeader, Transfer, TransferQuestion};
use crate::sets::types::*;

// ---- authored questions ----------------------------------------------------

/// A new slug for an authored question: never clashes with the bank's.
fn new_question_slug() -> String {
    format!("own-{}", &Uuid::new_v4().simple().to_string()[..12])
}

async fn topic_id(conn: &mut Conn, slug: &str) -> Result<i64, AppError> {
    sqlx::query_scalar("SELECT id FROM topics WHERE slug = $1")
        .bind(slug)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::invalid("topic", "Choose a topic from the list."))
}

/// Creates an authored question (already validated) and returns its slug.
/// Creates one of `owner`'s own questions; returns its slug.
/// `answer_html` is `q`'s reference answer, already rendered (by the
/// caller, before any transaction: see `markdown::render_apart`).
pub async fn create_own_question(
    pool: &Pool,
    owner: Uuid,
    q: &QuestionInput,
    answer_html: &str,
    now: i64,
) -> Result<String, AppError> {
    create_question(&mut *pool.acquire().await?, owner, q, answer_html, now).await
}

async fn create_question(
    conn: &mut Conn,
    owner: Uuid,
    q: &QuestionInput,
    answer_html: &str,
    now: i64,
) -> Result<String, AppError> {
    let topic = topic_id(&mut *conn, &q.topic).await?;
    let slug = new_question_slug();
    sqlx::query(
        "INSERT INTO questions (slug, topic_id, level, prompt, reference_answer, answer_html,
             key_points, source, author_id, reviewer_note, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'author', $8, $9, $10, $10)",
    )
    .bind(&slug)
    .bind(topic)
    .bind(q.level.map_or("beginner", Level::as_str))
    .bind(&q.prompt)
    .bind(&q.reference_answer)
    .bind(answer_html)
    .bind(serde_json::to_string(&q.key_points).unwrap_or_else(|_| "[]".into()))
    .bind(owner)
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
    owner: Uuid,
    slug: &str,
    q: &QuestionInput,
    answer_html: &str,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    let topic = topic_id(&mut tx, &q.topic).await?;
    let changed = sqlx::query(
        "UPDATE questions SET topic_id = $3, level = $4, prompt = $5, reference_answer = $6,
             answer_html = $7, key_points = $8, reviewer_note = $9, updated_at = $10
         WHERE slug = $1 AND source = 'author' AND author_id = $2",
    )
    .bind(slug)
    .bind(owner)
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
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct OwnRow {
    slug: String,
    prompt: String,
    level: Level,
    topic_slug: String,
    topic_name: String,
    reference_answer: String,
    answer_html: String,
    key_points: String,
    reviewer_note: String,
    archived: bool,
    revision: i64,
    used_in_sets: i64,
}

impl OwnRow {
    fn into_question(self) -> OwnQuestion {
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

macro_rules! own_question_select {
    () => {
        "SELECT q.slug, q.prompt, q.level, t.slug AS topic_slug, t.name AS topic_name,
                q.reference_answer, q.answer_html, q.key_points, q.reviewer_note, q.archived,
                q.revision,
                (SELECT count(DISTINCT i.set_id) FROM question_set_items i
                 JOIN question_sets s ON s.id = i.set_id
                 WHERE i.question_id = q.id AND s.archived = FALSE) AS used_in_sets
         FROM questions q JOIN topics t ON t.id = q.topic_id
         WHERE q.source = 'author' AND q.author_id = $1 "
    };
}

/// One of `owner`'s questions.
pub async fn own_question(
    pool: &Pool,
    owner: Uuid,
    slug: &str,
) -> Result<Option<OwnQuestion>, sqlx::Error> {
    let row: Option<OwnRow> = sqlx::query_as(concat!(own_question_select!(), "AND q.slug = $2"))
        .bind(owner)
        .bind(slug)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(OwnRow::into_question))
}

/// Every question `owner` wrote, archived last, newest first.
pub async fn all_own_questions(pool: &Pool, owner: Uuid) -> Result<Vec<OwnQuestion>, sqlx::Error> {
    let rows: Vec<OwnRow> = sqlx::query_as(concat!(
        own_question_select!(),
        "ORDER BY q.archived, q.updated_at DESC, q.id DESC"
    ))
    .bind(owner)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(OwnRow::into_question).collect())
}

/// Archives or restores one of `owner`'s questions. Questions are never
/// deleted: sets and answers point at them.
pub async fn archive_question(
    pool: &Pool,
    owner: Uuid,
    slug: &str,
    archived: bool,
    now: i64,
) -> Result<(), AppError> {
    let changed = sqlx::query(
        "UPDATE questions SET archived = $3, updated_at = $4
         WHERE slug = $1 AND source = 'author' AND author_id = $2",
    )
    .bind(slug)
    .bind(owner)
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

// ---- sets ------------------------------------------------------------------

#[derive(sqlx::FromRow)]
struct SetRow {
    id: Uuid,
    owner_id: Uuid,
    owner_name: String,
    title: String,
    description: String,
    mode: Mode,
    per_question_secs: Option<i64>,
    total_secs: Option<i64>,
    shuffle: bool,
    hide_reference: bool,
    share_feedback: bool,
    archived: bool,
    edit_rev: i64,
    version: i64,
}

fn secs(v: Option<i64>) -> Option<u32> {
    v.and_then(|s| u32::try_from(s).ok())
}

/// A set and who owns it, whoever asks: callers decide who may see it.
async fn load_set(conn: &mut Conn, id: Uuid) -> Result<Option<SetRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.owner_id, u.username AS owner_name, s.title, s.description, s.mode,
                s.per_question_secs, s.total_secs, s.shuffle, s.hide_reference, s.share_feedback,
                s.archived, s.edit_rev, s.version
         FROM question_sets s JOIN users u ON u.id = s.owner_id WHERE s.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Creates an empty set and returns its id.
pub async fn create_set(
    pool: &Pool,
    owner: Uuid,
    title: &str,
    now: i64,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO question_sets (id, owner_id, title, description, mode, per_question_secs,
             total_secs, share_code, created_at, updated_at)
         VALUES ($1, $2, $3, '', 'interview', 300, NULL, $4, $5, $5)",
    )
    .bind(id)
    .bind(owner)
    .bind(title)
    .bind(Uuid::new_v4().simple().to_string())
    .bind(now)
    .execute(pool)
    .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct ListRow {
    id: Uuid,
    title: String,
    owner_name: String,
    owner_id: Uuid,
    per_question_secs: Option<i64>,
    total_secs: Option<i64>,
    archived: bool,
    updated_at: i64,
    /// Per-question limits of the items, as a JSON array (null = default).
    item_secs: String,
    candidates: i64,
}

/// The sets `viewer` may see: their own, or every set for an admin.
/// Archived ones are listed after the live ones.
pub async fn list_sets(
    pool: &Pool,
    viewer: Viewer,
    tz: &jiff::tz::TimeZone,
) -> Result<Vec<SetSummary>, sqlx::Error> {
    // Each set's items' own time limits as a JSON array, in order.
    macro_rules! list_sets {
        ($item_secs:literal) => {
            concat!(
                "SELECT s.id, s.title, u.username AS owner_name, s.owner_id, s.per_question_secs,
                s.total_secs, s.archived, s.updated_at,
                coalesce((",
                $item_secs,
                "), '[]') AS item_secs,
                (SELECT count(*) FROM candidate_attempts a JOIN share_links l ON l.id = a.link_id
                 WHERE l.set_id = s.id) AS candidates
         FROM question_sets s JOIN users u ON u.id = s.owner_id
         WHERE s.owner_id = $1 OR $2
         ORDER BY s.archived, s.updated_at DESC"
            )
        };
    }
    let rows: Vec<ListRow> = sqlx::query_as(if super::POSTGRES {
        list_sets!(
            "SELECT json_agg(per_question_secs ORDER BY position)::text
             FROM question_set_items WHERE set_id = s.id"
        )
    } else {
        list_sets!(
            "SELECT json_group_array(i.per_question_secs)
             FROM (SELECT per_question_secs FROM question_set_items
                   WHERE set_id = s.id ORDER BY position) i"
        )
    })
    .bind(viewer.id)
    .bind(viewer.admin)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let items: Vec<Option<u32>> = serde_json::from_str(&r.item_secs).unwrap_or_default();
            SetSummary {
                id: r.id.to_string(),
                title: r.title,
                questions: u32::try_from(items.len()).unwrap_or(0),
                total_secs: set_time_secs(secs(r.per_question_secs), secs(r.total_secs), &items),
                candidates: u32::try_from(r.candidates).unwrap_or(0),
                updated_at: r.updated_at,
                updated_label: crate::dashboard::days::local_label(r.updated_at, tz),
                archived: r.archived,
                owner: (r.owner_id != viewer.id).then_some(r.owner_name),
            }
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    slug: String,
    prompt: String,
    level: Level,
    topic_name: String,
    source: String,
    per_question_secs: Option<i64>,
}

async fn items(conn: &mut Conn, id: Uuid) -> Result<Vec<SetItem>, sqlx::Error> {
    let rows: Vec<ItemRow> = sqlx::query_as(
        "SELECT q.slug, q.prompt, q.level, t.name AS topic_name, q.source, i.per_question_secs
         FROM question_set_items i
         JOIN questions q ON q.id = i.question_id
         JOIN topics t ON t.id = q.topic_id
         WHERE i.set_id = $1 ORDER BY i.position",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SetItem {
            level: r.level,
            slug: r.slug,
            prompt: r.prompt,
            topic_name: r.topic_name,
            source: if r.source == "builtin" {
                Source::Bank
            } else {
                Source::Own
            },
            per_question_secs: secs(r.per_question_secs),
        })
        .collect())
}

/// The set for its editor: the owner's, or any for an admin (read-only).
/// Anyone else gets "not found", as if it did not exist.
pub async fn set_detail(pool: &Pool, id: Uuid, viewer: Viewer) -> Result<SetDetail, AppError> {
    let mut conn = pool.acquire().await?;
    let not_found = || AppError::NotFound("That set".into());
    let row = load_set(&mut conn, id).await?.ok_or_else(not_found)?;
    let own = row.owner_id == viewer.id;
    if !own && !viewer.admin {
        return Err(not_found());
    }
    let items = items(&mut conn, id).await?;
    Ok(SetDetail {
        id: row.id.to_string(),
        draft: SetDraft {
            title: row.title,
            instructions: row.description,
            mode: Some(row.mode),
            per_question_secs: secs(row.per_question_secs),
            total_secs: secs(row.total_secs),
            shuffle: row.shuffle,
            hide_reference: row.hide_reference,
            share_feedback: row.share_feedback,
            items: items
                .iter()
                .map(|i| SetItemInput {
                    slug: i.slug.clone(),
                    per_question_secs: i.per_question_secs,
                })
                .collect(),
        },
        items,
        edit_rev: u32::try_from(row.edit_rev).unwrap_or(0),
        archived: row.archived,
        read_only: !own,
        owner: row.owner_name,
        version: u32::try_from(row.version).unwrap_or(0),
    })
}

/// Saves the editor's whole draft (already validated) if `rev` is newer
/// than the stored edit; says the set is open elsewhere otherwise. Every
/// question must be a bank question or one of the owner's own.
pub async fn save_set(
    pool: &Pool,
    id: Uuid,
    owner: Uuid,
    draft: &SetDraft,
    rev: u32,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    let row = load_set(&mut tx, id)
        .await?
        .filter(|r| r.owner_id == owner)
        .ok_or_else(|| AppError::NotFound("That set".into()))?;
    if i64::from(rev) <= row.edit_rev {
        return Err(AppError::Conflict(SET_EDITED_ELSEWHERE.into()));
    }
    let ids = question_ids(&mut tx, owner, draft.items.iter().map(|i| i.slug.as_str())).await?;
    sqlx::query(
        "UPDATE question_sets SET title = $2, description = $3, mode = $4,
             per_question_secs = $5, total_secs = $6, shuffle = $7, edit_rev = $8, updated_at = $9,
             hide_reference = $10, share_feedback = $11
         WHERE id = $1",
    )
    .bind(id)
    .bind(draft.title.trim())
    .bind(&draft.instructions)
    .bind(draft.mode.unwrap_or(Mode::Interview).as_str())
    .bind(draft.per_question_secs.map(i64::from))
    .bind(draft.total_secs.map(i64::from))
    .bind(draft.shuffle)
    .bind(i64::from(rev))
    .bind(now)
    .bind(draft.hide_reference)
    .bind(draft.share_feedback)
    .execute(&mut *tx)
    .await?;
    write_items(
        &mut tx,
        id,
        &ids,
        draft.items.iter().map(|i| i.per_question_secs),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The ids of `slugs`, each a bank question or one of `owner`'s; the first
/// that is neither is named in the error.
async fn question_ids<'a>(
    conn: &mut Conn,
    owner: Uuid,
    slugs: impl Iterator<Item = &'a str>,
) -> Result<Vec<i64>, AppError> {
    let mut ids = Vec::new();
    for (i, slug) in slugs.enumerate() {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM questions
             WHERE slug = $1 AND ((source = 'builtin' AND parent_id IS NULL) OR (source = 'author' AND author_id = $2))",
        )
        .bind(slug)
        .bind(owner)
        .fetch_optional(&mut *conn)
        .await?;
        match id {
            Some(id) => ids.push(id),
            None => {
                return Err(AppError::invalid(
                    "items",
                    format!("Question {} of the set no longer exists.", i + 1),
                ))
            }
        }
    }
    Ok(ids)
}

async fn write_items(
    conn: &mut Conn,
    id: Uuid,
    ids: &[i64],
    per_item: impl Iterator<Item = Option<u32>>,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM question_set_items WHERE set_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (position, (question, secs)) in ids.iter().zip(per_item).enumerate() {
        sqlx::query(
            "INSERT INTO question_set_items (set_id, position, question_id, per_question_secs)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(question)
        .bind(secs.map(i64::from))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn archive_set(
    pool: &Pool,
    id: Uuid,
    owner: Uuid,
    archived: bool,
    now: i64,
) -> Result<(), AppError> {
    let changed = sqlx::query(
        "UPDATE question_sets SET archived = $3, updated_at = $4 WHERE id = $1 AND owner_id = $2",
    )
    .bind(id)
    .bind(owner)
    .bind(archived)
    .bind(now)
    .execute(pool)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::NotFound("That set".into()));
    }
    Ok(())
}

// ---- versions --------------------------------------------------------------

/// Freezes the set as it is now: its settings and the exact revision of
/// each question, in order. Returns the version candidates will take. When
/// nothing changed since the newest version, that version is reused.
/// Called when a set is shared, and again when it changes after that.
pub async fn freeze(conn: &mut Conn, id: Uuid, now: i64) -> Result<u32, AppError> {
    let row = load_set(&mut *conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound("That set".into()))?;
    let frozen: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT i.question_id, q.revision, i.per_question_secs
         FROM question_set_items i JOIN questions q ON q.id = i.question_id
         WHERE i.set_id = $1 ORDER BY i.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let hash = content_hash(&row, &frozen);
    let latest: Option<(i64, String)> = sqlx::query_as(
        "SELECT version, content_hash FROM set_versions WHERE set_id = $1
         ORDER BY version DESC LIMIT 1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((version, same)) = &latest {
        if *same == hash {
            return Ok(u32::try_from(*version).unwrap_or(0));
        }
    }
    let version = latest.map_or(1, |(v, _)| v + 1);
    sqlx::query(
        "INSERT INTO set_versions (set_id, version, title, instructions, mode, per_question_secs,
             total_secs, shuffle, content_hash, created_at, hide_reference, share_feedback)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(id)
    .bind(version)
    .bind(&row.title)
    .bind(&row.description)
    .bind(row.mode)
    .bind(row.per_question_secs)
    .bind(row.total_secs)
    .bind(row.shuffle)
    .bind(&hash)
    .bind(now)
    .bind(row.hide_reference)
    .bind(row.share_feedback)
    .execute(&mut *conn)
    .await?;
    for (position, (question, revision, secs)) in frozen.iter().enumerate() {
        sqlx::query(
            "INSERT INTO set_version_items (set_id, version, position, question_id,
                 question_revision, per_question_secs)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(version)
        .bind(position as i64)
        .bind(question)
        .bind(revision)
        .bind(secs)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("UPDATE question_sets SET version = $2 WHERE id = $1")
        .bind(id)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    Ok(u32::try_from(version).unwrap_or(0))
}

/// A fingerprint of everything a candidate would get.
fn content_hash(row: &SetRow, items: &[(i64, i64, Option<i64>)]) -> String {
    use sha2::{Digest, Sha256};
    let canonical = serde_json::json!({
        "title": row.title, "instructions": row.description, "mode": row.mode,
        "per_question_secs": row.per_question_secs, "total_secs": row.total_secs,
        "shuffle": row.shuffle, "items": items,
        "hide_reference": row.hide_reference, "share_feedback": row.share_feedback,
    });
    let digest = Sha256::digest(canonical.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A frozen version's questions, in order, as (prompt, key points) of the
/// revision frozen: what candidates of that version see.
pub async fn version_questions(
    pool: &Pool,
    id: Uuid,
    version: u32,
) -> Result<Vec<(String, Vec<String>)>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT v.prompt, v.key_points FROM set_version_items i
         JOIN question_versions v ON v.question_id = i.question_id AND v.revision = i.question_revision
         WHERE i.set_id = $1 AND i.version = $2 ORDER BY i.position",
    )
    .bind(id)
    .bind(i64::from(version))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(p, k)| (p, serde_json::from_str(&k).unwrap_or_default()))
        .collect())
}

// ---- import and export -------------------------------------------------------

#[derive(sqlx::FromRow)]
struct TransferRow {
    slug: String,
    source: String,
    prompt: String,
    level: Level,
    topic_slug: String,
    reference_answer: String,
    key_points: String,
    reviewer_note: String,
    per_question_secs: Option<i64>,
}

impl TransferRow {
    fn into_transfer(self) -> TransferQuestion {
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
            per_question_secs: secs(self.per_question_secs),
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

/// All of `owner`'s live questions as a file.
pub async fn export_questions(pool: &Pool, owner: Uuid) -> Result<Transfer, sqlx::Error> {
    let rows: Vec<TransferRow> = sqlx::query_as(
        "SELECT q.slug, q.source, q.prompt, q.level, t.slug AS topic_slug, q.reference_answer,
                q.key_points, q.reviewer_note, NULL AS per_question_secs
         FROM questions q JOIN topics t ON t.id = q.topic_id
         WHERE q.source = 'author' AND q.author_id = $1 AND q.archived = FALSE
         ORDER BY q.id",
    )
    .bind(owner)
    .fetch_all(pool)
    .await?;
    Ok(Transfer {
        set: None,
        questions: rows.into_iter().map(TransferRow::into_transfer).collect(),
    })
}

/// Writes an imported file (already parsed and validated) in one
/// transaction: own questions are created as new questions of `owner`; a
/// bank question whose slug this bank has is used as it is, any other is
/// created as the owner's own. With a set header, the set is created too.
/// A failure anywhere leaves nothing behind. `answer_html` holds each
/// question's reference answer, rendered before the write turn is taken:
/// the turn only inserts.
pub async fn import(
    pool: &Pool,
    owner: Uuid,
    transfer: &Transfer,
    answer_html: &[String],
    now: i64,
) -> Result<Imported, AppError> {
    if answer_html.len() != transfer.questions.len() {
        tracing::error!("import: one rendered answer per question expected");
        return Err(AppError::Internal);
    }
    let mut tx = begin_write(pool).await?;
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
                let slug = create_question(&mut tx, owner, &q.question, &answer_html[i], now)
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
                "INSERT INTO question_sets (id, owner_id, title, description, mode,
                     per_question_secs, total_secs, shuffle, share_code, created_at, updated_at,
                     hide_reference, share_feedback)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12)",
            )
            .bind(id)
            .bind(owner)
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
            .execute(&mut *tx)
            .await?;
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

/// A copy of one of `owner`'s sets, titled "… (copy)", never frozen.
pub async fn duplicate_set(pool: &Pool, id: Uuid, owner: Uuid, now: i64) -> Result<Uuid, AppError> {
    let mut tx = begin_write(pool).await?;
    let row = load_set(&mut tx, id)
        .await?
        .filter(|r| r.owner_id == owner)
        .ok_or_else(|| AppError::NotFound("That set".into()))?;
    let copy = Uuid::now_v7();
    let title: String = format!("{} (copy)", row.title)
        .chars()
        .take(TITLE_MAX)
        .collect();
    sqlx::query(
        "INSERT INTO question_sets (id, owner_id, title, description, mode, per_question_secs,
             total_secs, shuffle, hide_reference, share_feedback, share_code, created_at, updated_at)
         SELECT $2, owner_id, $3, description, mode, per_question_secs, total_secs, shuffle,
                hide_reference, share_feedback, $4, $5, $5
         FROM question_sets WHERE id = $1",
    )
    .bind(id)
    .bind(copy)
    .bind(title)
    .bind(Uuid::new_v4().simple().to_string())
    .bind(now)
    .execute(&mut *tx)
    .await?;
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
