//! Sets: create, list, read, save and archive.

use super::*;

// ---- sets ------------------------------------------------------------------

#[derive(sqlx::FromRow)]
pub(super) struct SetRow {
    pub(super) id: Uuid,
    pub(super) team_id: Option<Uuid>,
    pub(super) owner_name: String,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) mode: Mode,
    pub(super) per_question_secs: Option<i64>,
    pub(super) total_secs: Option<i64>,
    pub(super) shuffle: bool,
    pub(super) hide_reference: bool,
    pub(super) share_feedback: bool,
    pub(super) archived: bool,
    pub(super) edit_rev: i64,
    pub(super) version: i64,
}

/// A set and who owns it, whoever asks: callers decide who may see it.
pub(super) async fn load_set(conn: &mut Conn, id: Uuid) -> Result<Option<SetRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.id, s.team_id, u.username AS owner_name, s.title, s.description, s.mode,
                s.per_question_secs, s.total_secs, s.shuffle, s.hide_reference, s.share_feedback,
                s.archived, s.edit_rev, s.version
         FROM question_sets s JOIN users u ON u.id = s.owner_id WHERE s.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Creates an empty set of `by`'s team and returns its id.
pub async fn create_set(pool: &Pool, by: Viewer, title: &str, now: i64) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    let mut tx = begin_write(pool).await?;
    teams::still(&mut tx, by.team, by.id, TeamRole::builds_sets).await?;
    sqlx::query(
        "INSERT INTO question_sets (id, owner_id, team_id, title, description, mode,
             per_question_secs, total_secs, share_code, created_at, updated_at)
         VALUES ($1, $2, $3, $4, '', 'interview', 300, NULL, $5, $6, $6)",
    )
    .bind(id)
    .bind(by.id)
    .bind(by.team)
    .bind(title)
    .bind(Uuid::new_v4().simple().to_string())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    teams::log(&mut tx, set_event(by, Action::CreatedSet, id, title, now)).await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
pub(super) struct ListRow {
    pub(super) id: Uuid,
    pub(super) title: String,
    pub(super) owner_name: String,
    pub(super) team_id: Option<Uuid>,
    pub(super) per_question_secs: Option<i64>,
    pub(super) total_secs: Option<i64>,
    pub(super) archived: bool,
    pub(super) updated_at: i64,
    /// Per-question limits of the items, as a JSON array (null = default).
    pub(super) item_secs: String,
    pub(super) candidates: i64,
}

/// The sets `viewer` may see: their team's, or every set for an admin.
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
                "SELECT s.id, s.title, u.username AS owner_name, s.team_id, s.per_question_secs,
                s.total_secs, s.archived, s.updated_at,
                coalesce((",
                $item_secs,
                "), '[]') AS item_secs,
                (SELECT count(*) FROM candidate_attempts a JOIN share_links l ON l.id = a.link_id
                 WHERE l.set_id = s.id) AS candidates
         FROM question_sets s JOIN users u ON u.id = s.owner_id
         WHERE s.team_id = $1 OR $2
         ORDER BY s.archived, s.updated_at DESC"
            )
        };
    }
    let rows: Vec<ListRow> = sqlx::query_as(if POSTGRES {
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
    .bind(viewer.team)
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
                total_secs: set_time_secs(
                    stored_secs(r.per_question_secs),
                    stored_secs(r.total_secs),
                    &items,
                ),
                candidates: u32::try_from(r.candidates).unwrap_or(0),
                updated_at: r.updated_at,
                updated_label: crate::accounts::days::local_label(r.updated_at, tz),
                archived: r.archived,
                owner: (r.team_id != Some(viewer.team)).then_some(r.owner_name),
            }
        })
        .collect())
}

#[derive(sqlx::FromRow)]
pub(super) struct ItemRow {
    pub(super) slug: String,
    pub(super) prompt: String,
    pub(super) level: Level,
    pub(super) topic_name: String,
    pub(super) source: String,
    pub(super) per_question_secs: Option<i64>,
}

pub(super) async fn items(conn: &mut Conn, id: Uuid) -> Result<Vec<SetItem>, sqlx::Error> {
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
            per_question_secs: stored_secs(r.per_question_secs),
        })
        .collect())
}

/// The set for its editor: the team's, or any for an admin (read-only).
/// Anyone else gets "not found", as if it did not exist.
pub async fn set_detail(pool: &Pool, id: Uuid, viewer: Viewer) -> Result<SetDetail, AppError> {
    let mut conn = pool.acquire().await?;
    let not_found = || AppError::NotFound("That set".into());
    let row = load_set(&mut conn, id).await?.ok_or_else(not_found)?;
    let own = row.team_id == Some(viewer.team);
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
            per_question_secs: stored_secs(row.per_question_secs),
            total_secs: stored_secs(row.total_secs),
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
/// question must be a bank question or one of the team's own.
pub async fn save_set(
    pool: &Pool,
    id: Uuid,
    by: Viewer,
    draft: &SetDraft,
    rev: u32,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    teams::still(&mut tx, by.team, by.id, TeamRole::builds_sets).await?;
    let row = load_set(&mut tx, id)
        .await?
        .filter(|r| r.team_id == Some(by.team))
        .ok_or_else(|| AppError::NotFound("That set".into()))?;
    if i64::from(rev) <= row.edit_rev {
        return Err(AppError::Conflict(SET_EDITED_ELSEWHERE.into()));
    }
    let ids = question_ids(
        &mut tx,
        by.team,
        draft.items.iter().map(|i| i.slug.as_str()),
    )
    .await?;
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
    let line = set_event(by, Action::EditedSet, id, draft.title.trim(), now);
    teams::log(&mut tx, line).await?;
    tx.commit().await?;
    Ok(())
}

/// The ids of `slugs`, each a bank question or one of `team`'s; the first
/// that is neither is named in the error.
pub(super) async fn question_ids<'a>(
    conn: &mut Conn,
    team: Uuid,
    slugs: impl Iterator<Item = &'a str>,
) -> Result<Vec<i64>, AppError> {
    let mut ids = Vec::new();
    for (i, slug) in slugs.enumerate() {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM questions
             WHERE slug = $1 AND ((source = 'builtin' AND parent_id IS NULL) OR (source = 'author' AND team_id = $2))",
        )
        .bind(slug)
        .bind(team)
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

pub(super) async fn write_items(
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
    by: Viewer,
    archived: bool,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    teams::still(&mut tx, by.team, by.id, TeamRole::builds_sets).await?;
    let title: Option<String> = sqlx::query_scalar(
        "UPDATE question_sets SET archived = $3, updated_at = $4 WHERE id = $1 AND team_id = $2
         RETURNING title",
    )
    .bind(id)
    .bind(by.team)
    .bind(archived)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let title = title.ok_or_else(|| AppError::NotFound("That set".into()))?;
    let action = if archived {
        Action::ArchivedSet
    } else {
        Action::RestoredSet
    };
    teams::log(&mut tx, set_event(by, action, id, &title, now)).await?;
    tx.commit().await?;
    Ok(())
}
