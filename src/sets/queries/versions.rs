//! Versions: the frozen copy of a set that a shared link's candidates answer.

use super::*;

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
pub(super) fn content_hash(row: &SetRow, items: &[(i64, i64, Option<i64>)]) -> String {
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
