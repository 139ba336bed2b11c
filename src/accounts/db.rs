//! SQL for users and login sessions.

use sqlx::{SqliteConnection, SqlitePool};
use uuid::Uuid;

use super::types::{Role, UserInfo};
use crate::server::db::{begin_write, now_ms};

#[derive(sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub username: String,
    pub role: Role,
    pub is_guest: bool,
    /// Bumped by the database on any change to what this person's own
    /// pages show (see the `data_version` migration).
    pub data_version: i64,
}

impl UserRow {
    pub fn into_info(self) -> UserInfo {
        UserInfo {
            id: self.id.to_string(),
            username: self.username,
            role: self.role,
            is_guest: self.is_guest,
        }
    }
}

/// A user with the password hash, for login only. Not Serialize on purpose.
#[derive(sqlx::FromRow)]
pub struct LoginRow {
    pub id: Uuid,
    pub password_hash: Option<String>,
}

/// Outcome of creating an account.
pub enum Created {
    Ok(Uuid),
    UsernameTaken,
}

pub async fn create_user(
    pool: &SqlitePool,
    username: &str,
    password_hash: &str,
    role: Role,
) -> Result<Created, sqlx::Error> {
    let id = Uuid::now_v7();
    let result = sqlx::query(
        "INSERT INTO users (id, username, password_hash, role, is_guest, created_at, last_seen_at)
         VALUES ($1, $2, $3, $4, 0, $5, $5)",
    )
    .bind(id)
    .bind(username)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(now_ms())
    .execute(pool)
    .await;
    match result {
        Ok(_) => Ok(Created::Ok(id)),
        Err(e) if is_username_conflict(&e) => Ok(Created::UsernameTaken),
        Err(e) => Err(e),
    }
}

/// Turns a guest into a full account, keeping its id and so everything the
/// guest did.
pub async fn upgrade_guest(
    pool: &SqlitePool,
    guest_id: Uuid,
    username: &str,
    password_hash: &str,
    role: Role,
) -> Result<Created, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE users SET username = $2, password_hash = $3, role = $4, is_guest = 0
         WHERE id = $1 AND is_guest = 1",
    )
    .bind(guest_id)
    .bind(username)
    .bind(password_hash)
    .bind(role.as_str())
    .execute(pool)
    .await;
    match result {
        Ok(r) if r.rows_affected() == 1 => Ok(Created::Ok(guest_id)),
        Ok(_) => Err(sqlx::Error::RowNotFound),
        Err(e) if is_username_conflict(&e) => Ok(Created::UsernameTaken),
        Err(e) => Err(e),
    }
}

/// A unique violation on `users.username`. SQLite names the violated
/// columns ("UNIQUE constraint failed: users.username") rather than the
/// constraint, so that is what identifies it; the error kind comes from
/// the extended result code, not the text.
fn is_username_conflict(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => {
            db.is_unique_violation() && db.message().ends_with("users.username")
        }
        _ => false,
    }
}

pub async fn create_guest(pool: &SqlitePool) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    let name = format!("guest-{}", id.simple());
    sqlx::query(
        "INSERT INTO users (id, username, password_hash, role, is_guest, created_at, last_seen_at)
         VALUES ($1, $2, NULL, 'candidate', 1, $3, $3)",
    )
    .bind(id)
    .bind(name)
    .bind(now_ms())
    .execute(pool)
    .await?;
    Ok(id)
}

pub async fn find_login(
    pool: &SqlitePool,
    username: &str,
) -> Result<Option<LoginRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, password_hash FROM users WHERE username = $1 AND is_guest = 0")
        .bind(username)
        .fetch_optional(pool)
        .await
}

pub async fn password_hash(pool: &SqlitePool, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
        .map(Option::flatten)
}

pub async fn set_password(
    conn: &mut SqliteConnection,
    id: Uuid,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn user_by_id(pool: &SqlitePool, id: Uuid) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, username, role, is_guest, data_version FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Deletes the user; every table that refers to users cascades.
pub async fn delete_user(pool: &SqlitePool, id: Uuid) -> Result<bool, sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    // Questions the user wrote stay for others' history, without an author.
    let done = sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    tx.commit().await?;
    Ok(done)
}

/// Deletes guests not seen since `cutoff`, with everything they made (every
/// table that refers to users cascades). In batches, so the write lock is
/// never held for long. Returns how many went.
pub async fn purge_idle_guests(pool: &SqlitePool, cutoff: i64) -> Result<u64, sqlx::Error> {
    const BATCH: i64 = 200;
    let mut total = 0;
    loop {
        let mut tx = begin_write(pool).await?;
        let gone = sqlx::query(
            "DELETE FROM users WHERE id IN (
                 SELECT id FROM users
                 WHERE is_guest = 1 AND last_seen_at < $1
                 LIMIT $2)",
        )
        .bind(cutoff)
        .bind(BATCH)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        total += gone;
        if gone < BATCH as u64 {
            return Ok(total);
        }
    }
}

/// `rehearse admin grant <username>`: the only way to make an admin.
pub async fn grant_admin(
    pool: &SqlitePool,
    username: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let changed =
        sqlx::query("UPDATE users SET role = 'admin' WHERE username = $1 AND is_guest = 0")
            .bind(username)
            .execute(pool)
            .await?
            .rows_affected();
    if changed == 0 {
        return Err(format!("no account named {username:?}").into());
    }
    Ok(())
}

/// The parts of "download my data", in order: each section's name and the
/// query that yields one JSON object per row for user `$1`.
const EXPORT_SECTIONS: [(&str, &str); 4] = [
    (
        "sessions",
        "SELECT json_object('id', lower(hex(id)), 'mode', mode, 'levels', json(levels),
                'topics', json(topics), 'per_question_secs', per_question_secs,
                'total_secs', total_secs, 'started_at', started_at, 'deadline_at', deadline_at,
                'finished_at', finished_at, 'status', status)
         FROM interview_sessions WHERE user_id = $1 ORDER BY started_at",
    ),
    (
        "answers",
        "SELECT json_object('session_id', lower(hex(a.session_id)), 'position', a.position,
                'question', q.slug, 'draft', a.draft, 'answer', a.answer,
                'started_at', a.started_at, 'submitted_at', a.submitted_at,
                'time_spent_ms', a.time_spent_ms, 'timed_out', a.timed_out,
                'self_grade', a.self_grade, 'key_points_hit', json(a.key_points_hit),
                'flagged', a.flagged, 'note', a.note, 'graded_at', a.graded_at)
         FROM session_answers a JOIN questions q ON q.id = a.question_id
         WHERE a.user_id = $1 ORDER BY a.session_id, a.position",
    ),
    (
        "answer_revisions",
        "SELECT json_object('session_id', lower(hex(r.session_id)), 'position', r.position,
                'changed_at', r.changed_at, 'old_grade', r.old_grade, 'new_grade', r.new_grade,
                'old_note', r.old_note, 'new_note', r.new_note)
         FROM answer_revisions r JOIN interview_sessions s ON s.id = r.session_id
         WHERE s.user_id = $1 ORDER BY r.session_id, r.position, r.changed_at",
    ),
    (
        "question_sets",
        "SELECT json_object('id', lower(hex(id)), 'title', title, 'description', description,
                'mode', mode, 'created_at', created_at)
         FROM question_sets WHERE owner_id = $1 ORDER BY created_at",
    ),
];

/// Writes everything stored about a user as one JSON document, a row at a
/// time, to `out`: memory stays flat however much the user has. One read
/// transaction, so the document is a consistent snapshot. Returns
/// `Ok(false)` when the user does not exist (nothing written) and stops
/// quietly when the receiver goes away (the download was cancelled).
pub async fn export(
    pool: &SqlitePool,
    id: Uuid,
    out: tokio::sync::mpsc::Sender<Result<String, std::io::Error>>,
) -> Result<bool, sqlx::Error> {
    use futures_util::TryStreamExt;
    let mut tx = pool.begin().await?;
    let user: Option<String> = sqlx::query_scalar(
        "SELECT json_object('id', lower(hex(id)), 'username', username, 'role', role,
                'is_guest', json(CASE is_guest WHEN 1 THEN 'true' ELSE 'false' END),
                'created_at', created_at, 'time_zone', time_zone,
                'hide_streaks', json(CASE hide_streaks WHEN 1 THEN 'true' ELSE 'false' END))
         FROM users WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(user) = user else {
        return Ok(false);
    };
    let head = format!(
        "{{\"format\":\"rehearse-export-v1\",\"exported_at\":{},\"user\":{user}",
        now_ms()
    );
    if out.send(Ok(head)).await.is_err() {
        return Ok(true);
    }
    for (name, sql) in EXPORT_SECTIONS {
        if out.send(Ok(format!(",\"{name}\":["))).await.is_err() {
            return Ok(true);
        }
        let mut rows = sqlx::query_scalar::<_, String>(sql)
            .bind(id)
            .fetch(&mut *tx);
        let mut first = true;
        while let Some(row) = rows.try_next().await? {
            let chunk = if first { row } else { format!(",{row}") };
            first = false;
            if out.send(Ok(chunk)).await.is_err() {
                return Ok(true);
            }
        }
        drop(rows);
        if out.send(Ok("]".to_owned())).await.is_err() {
            return Ok(true);
        }
    }
    tx.commit().await?;
    let _ = out.send(Ok("}\n".to_owned())).await;
    Ok(true)
}

/// Saves the settings; says whether the time zone changed.
pub async fn save_settings(
    tx: &mut crate::server::db::WriteTx,
    id: Uuid,
    time_zone: &str,
    hide_streaks: bool,
) -> Result<bool, sqlx::Error> {
    let before: Option<String> = sqlx::query_scalar("SELECT time_zone FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    sqlx::query("UPDATE users SET time_zone = $2, hide_streaks = $3 WHERE id = $1")
        .bind(id)
        .bind(time_zone)
        .bind(hide_streaks)
        .execute(&mut **tx)
        .await?;
    Ok(before.as_deref() != Some(time_zone))
}
