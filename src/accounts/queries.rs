//! SQL for users, login sessions and throttle records, written once and
//! compiled for each backend (see `platform/db`).

use uuid::Uuid;

// This backend's pool, connections and transactions (see `platform/db`).
use super::{begin_read, begin_write, now_ms, Pool, POSTGRES};
use crate::accounts::days;
use crate::error::AppError;
use jiff::tz::TimeZone;

use crate::accounts::db::{Created, LoginRow, UserRow};
use crate::accounts::throttle::{Limit, Reservation, Throttled};
use crate::accounts::types::Role;

pub async fn create_user(
    pool: &Pool,
    username: &str,
    password_hash: &str,
    role: Role,
) -> Result<Created, sqlx::Error> {
    let id = Uuid::now_v7();
    let result = sqlx::query(
        "INSERT INTO users (id, username, password_hash, role, is_guest, created_at, last_seen_at)
         VALUES ($1, $2, $3, $4, FALSE, $5, $5)",
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
    pool: &Pool,
    guest_id: Uuid,
    username: &str,
    password_hash: &str,
    role: Role,
) -> Result<Created, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE users SET username = $2, password_hash = $3, role = $4, is_guest = FALSE
         WHERE id = $1 AND is_guest = TRUE",
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

/// What a personal team is called until its owner renames it: not the
/// person's login name, which candidates would otherwise see.
const PERSONAL_TEAM_NAME: &str = "Hiring team";

/// Makes `user`'s personal team (its id is theirs) with them as its owner,
/// once: every account that may build sets has a team to keep them in. A
/// person who later left it is not put back.
pub async fn make_personal_team(pool: &Pool, user: Uuid, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    let made = sqlx::query(
        "INSERT INTO teams (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
    )
    .bind(user)
    .bind(PERSONAL_TEAM_NAME)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if made == 1 {
        sqlx::query(
            "INSERT INTO team_members (team_id, user_id, role, joined_at) VALUES ($1, $1, 'owner', $2)",
        )
        .bind(user)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE users SET current_team_id = $1 WHERE id = $1")
            .bind(user)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

/// A unique violation on `users.username`. SQLite names the violated
/// columns ("UNIQUE constraint failed: users.username") rather than the
/// constraint; PostgreSQL names the constraint (its unique index on
/// `lower(username)`). The error kind comes from the error code, not the
/// text.
fn is_username_conflict(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => {
            db.is_unique_violation()
                && (db.message().ends_with("users.username")
                    || db.constraint() == Some("users_username_unique"))
        }
        _ => false,
    }
}

pub async fn create_guest(pool: &Pool) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    let name = format!("guest-{}", id.simple());
    sqlx::query(
        "INSERT INTO users (id, username, password_hash, role, is_guest, created_at, last_seen_at)
         VALUES ($1, $2, NULL, 'candidate', TRUE, $3, $3)",
    )
    .bind(id)
    .bind(name)
    .bind(now_ms())
    .execute(pool)
    .await?;
    Ok(id)
}

/// Usernames match whatever their case (here and in `grant_admin`):
/// SQLite's column is `COLLATE NOCASE`; PostgreSQL's unique index is on
/// `lower(username)`, which its query uses.
pub async fn find_login(pool: &Pool, username: &str) -> Result<Option<LoginRow>, sqlx::Error> {
    let sql = if POSTGRES {
        "SELECT id, password_hash FROM users WHERE lower(username) = lower($1) AND is_guest = FALSE"
    } else {
        "SELECT id, password_hash FROM users WHERE username = $1 AND is_guest = FALSE"
    };
    sqlx::query_as(sql)
        .bind(username)
        .fetch_optional(pool)
        .await
}

pub async fn password_hash(pool: &Pool, id: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
        .map(Option::flatten)
}

/// A new password, and the end of every login session of the user except
/// `keep` (the hash of the one that changed it), in one transaction.
pub async fn set_password(
    pool: &Pool,
    id: Uuid,
    hash: &str,
    keep: Option<&[u8]>,
) -> Result<(), sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "DELETE FROM auth_sessions WHERE user_id = $1 AND ($2 IS NULL OR token_hash <> $2)",
    )
    .bind(id)
    .bind(keep)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

pub async fn user_by_id(pool: &Pool, id: Uuid) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, username, role, is_guest, data_version FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Deletes the user; every table that refers to users cascades. Sets they
/// made for a team others are still in stay with the team (handed to its
/// longest-serving owner, else member); a team nobody else is in goes with
/// them, and its sets with it.
pub async fn delete_user(pool: &Pool, id: Uuid) -> Result<bool, sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    sqlx::query(
        "UPDATE question_sets SET owner_id = (
             SELECT m.user_id FROM team_members m
             WHERE m.team_id = question_sets.team_id AND m.user_id <> $1
             ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'recruiter' THEN 1 ELSE 2 END,
                      m.joined_at, m.user_id
             LIMIT 1)
         WHERE owner_id = $1 AND EXISTS (
             SELECT 1 FROM team_members m WHERE m.team_id = question_sets.team_id AND m.user_id <> $1)",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "DELETE FROM teams
         WHERE (id = $1 OR id IN (SELECT team_id FROM team_members WHERE user_id = $1))
           AND NOT EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = teams.id AND m.user_id <> $1)",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
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
pub async fn purge_idle_guests(pool: &Pool, cutoff: i64) -> Result<u64, sqlx::Error> {
    const BATCH: i64 = 200;
    let mut total = 0;
    loop {
        let mut tx = begin_write(pool).await?;
        let gone = sqlx::query(
            "DELETE FROM users WHERE id IN (
                 SELECT id FROM users
                 WHERE is_guest = TRUE AND last_seen_at < $1
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
pub async fn grant_admin(pool: &Pool, username: &str) -> Result<(), Box<dyn std::error::Error>> {
    let sql = if POSTGRES {
        "UPDATE users SET role = 'admin' WHERE lower(username) = lower($1) AND is_guest = FALSE
         RETURNING id"
    } else {
        "UPDATE users SET role = 'admin' WHERE username = $1 AND is_guest = FALSE RETURNING id"
    };
    let id: Option<Uuid> = sqlx::query_scalar(sql)
        .bind(username)
        .fetch_optional(pool)
        .await?;
    let id = id.ok_or_else(|| format!("no account named {username:?}"))?;
    make_personal_team(pool, id, now_ms()).await?;
    Ok(())
}

/// The parts of "download my data", in order: each section's name and the
/// query that yields one JSON object per row for user `$1`. SQLite's JSON
/// functions here; PostgreSQL's, giving the same document, below.
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

const EXPORT_SECTIONS_POSTGRES: [(&str, &str); 4] = [
    (
        "sessions",
        "SELECT json_build_object('id', replace(id::text, '-', ''), 'mode', mode,
                'levels', levels::json, 'topics', topics::json,
                'per_question_secs', per_question_secs, 'total_secs', total_secs,
                'started_at', started_at, 'deadline_at', deadline_at,
                'finished_at', finished_at, 'status', status)::text
         FROM interview_sessions WHERE user_id = $1 ORDER BY started_at",
    ),
    (
        "answers",
        "SELECT json_build_object('session_id', replace(a.session_id::text, '-', ''),
                'position', a.position, 'question', q.slug, 'draft', a.draft, 'answer', a.answer,
                'started_at', a.started_at, 'submitted_at', a.submitted_at,
                'time_spent_ms', a.time_spent_ms, 'timed_out', a.timed_out::int,
                'self_grade', a.self_grade, 'key_points_hit', a.key_points_hit::json,
                'flagged', a.flagged::int, 'note', a.note, 'graded_at', a.graded_at)::text
         FROM session_answers a JOIN questions q ON q.id = a.question_id
         WHERE a.user_id = $1 ORDER BY a.session_id, a.position",
    ),
    (
        "answer_revisions",
        "SELECT json_build_object('session_id', replace(r.session_id::text, '-', ''),
                'position', r.position, 'changed_at', r.changed_at, 'old_grade', r.old_grade,
                'new_grade', r.new_grade, 'old_note', r.old_note, 'new_note', r.new_note)::text
         FROM answer_revisions r JOIN interview_sessions s ON s.id = r.session_id
         WHERE s.user_id = $1 ORDER BY r.session_id, r.position, r.changed_at",
    ),
    (
        "question_sets",
        "SELECT json_build_object('id', replace(id::text, '-', ''), 'title', title,
                'description', description, 'mode', mode, 'created_at', created_at)::text
         FROM question_sets WHERE owner_id = $1 ORDER BY created_at",
    ),
];

/// Writes everything stored about a user as one JSON document, a row at a
/// time, to `out`: memory stays flat however much the user has. One read
/// transaction, so the document is a consistent snapshot. Returns
/// `Ok(false)` when the user does not exist (nothing written) and stops
/// quietly when the receiver goes away (the download was cancelled).
pub async fn export(
    pool: &Pool,
    id: Uuid,
    out: tokio::sync::mpsc::Sender<Result<String, std::io::Error>>,
) -> Result<bool, sqlx::Error> {
    use futures_util::TryStreamExt;
    let mut tx = begin_read(pool).await?;
    let user: Option<String> = sqlx::query_scalar(if POSTGRES {
        "SELECT json_build_object('id', replace(id::text, '-', ''), 'username', username,
                'role', role, 'is_guest', is_guest, 'created_at', created_at,
                'time_zone', time_zone, 'hide_streaks', hide_streaks)::text
         FROM users WHERE id = $1"
    } else {
        "SELECT json_object('id', lower(hex(id)), 'username', username, 'role', role,
                'is_guest', json(CASE is_guest WHEN 1 THEN 'true' ELSE 'false' END),
                'created_at', created_at, 'time_zone', time_zone,
                'hide_streaks', json(CASE hide_streaks WHEN 1 THEN 'true' ELSE 'false' END))
         FROM users WHERE id = $1"
    })
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
    let sections = if POSTGRES {
        EXPORT_SECTIONS_POSTGRES
    } else {
        EXPORT_SECTIONS
    };
    for (name, sql) in sections {
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

// ---- login sessions (the tokens themselves are made in `session.rs`) ----

/// Stores a login session under its token's hash.
pub async fn insert_login(
    pool: &Pool,
    token_hash: &[u8],
    user_id: Uuid,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO auth_sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(pool)
    .await
    .map(drop)
}

/// The user a login session belongs to, if it is alive at `now` (not past
/// its absolute expiry, seen after `idle_since`), and when it was last seen.
pub async fn live_login(
    pool: &Pool,
    token_hash: &[u8],
    now: i64,
    idle_since: i64,
) -> Result<Option<(UserRow, i64)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Live {
        #[sqlx(flatten)]
        user: UserRow,
        last_seen_at: i64,
    }
    let row: Option<Live> = sqlx::query_as(
        "SELECT u.id, u.username, u.role, u.is_guest, u.data_version, s.last_seen_at
         FROM auth_sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3",
    )
    .bind(token_hash)
    .bind(now)
    .bind(idle_since)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|live| (live.user, live.last_seen_at)))
}

/// Marks a login session, and its user, as seen at `now`.
pub async fn touch_login(
    pool: &Pool,
    token_hash: &[u8],
    user_id: Uuid,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    sqlx::query("UPDATE auth_sessions SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE users SET last_seen_at = $2 WHERE id = $1")
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

pub async fn delete_login(pool: &Pool, token_hash: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM auth_sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(pool)
        .await
        .map(drop)
}

/// Removes login sessions past their expiry or idle since `idle_since`.
pub async fn purge_logins(pool: &Pool, now: i64, idle_since: i64) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM auth_sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
            .bind(now)
            .bind(idle_since)
            .execute(pool)
            .await?
            .rows_affected(),
    )
}

// ---- throttling (the limits are in `throttle.rs`) ----

/// Records one event under each key if every key is under its limit at
/// `now`; otherwise records nothing and says how long to wait.
pub async fn reserve(
    pool: &Pool,
    keys: &[(&str, Limit)],
    now: i64,
) -> Result<Result<Reservation, Throttled>, sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    let mut wait_ms: i64 = 0;
    for (key, limit) in keys {
        let since = now - limit.window_ms();
        // The events still in the window, newest first; the one at index
        // max-1 is the one that must age out before there is room.
        let times: Vec<i64> = sqlx::query_scalar(
            "SELECT at FROM throttle_events WHERE key = $1 AND at > $2 ORDER BY at DESC LIMIT $3",
        )
        .bind(key)
        .bind(since)
        .bind(i64::from(limit.max))
        .fetch_all(&mut *tx)
        .await?;
        if limit.max == 0 {
            wait_ms = wait_ms.max(limit.window_ms());
        } else if let Some(oldest) = times.get(limit.max as usize - 1) {
            wait_ms = wait_ms.max(oldest + limit.window_ms() - now);
        }
    }
    if wait_ms > 0 {
        tx.rollback().await?;
        return Ok(Err(Throttled::for_ms(wait_ms)));
    }
    let mut ids = Vec::with_capacity(keys.len());
    for (key, _) in keys {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO throttle_events (key, at) VALUES ($1, $2) RETURNING id",
        )
        .bind(key)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        ids.push(id);
    }
    tx.commit().await?;
    Ok(Ok(Reservation { ids }))
}

/// Gives back what a reservation counted (the attempt turned out fine).
pub async fn refund(pool: &Pool, reservation: Reservation) -> Result<(), sqlx::Error> {
    for id in reservation.ids {
        sqlx::query("DELETE FROM throttle_events WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await?;
    }
    Ok(())
}

/// Forgets every event under `key` (a successful login clears its
/// username's failures).
pub async fn clear_throttle(pool: &Pool, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM throttle_events WHERE key = $1")
        .bind(key)
        .execute(pool)
        .await
        .map(drop)
}

/// Deletes events at or before `cutoff`.
pub async fn purge_throttle(pool: &Pool, cutoff: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM throttle_events WHERE at <= $1")
        .bind(cutoff)
        .execute(pool)
        .await?
        .rows_affected())
}

/// The user's time zone and whether streaks are hidden.
pub async fn settings(pool: &Pool, user: Uuid) -> Result<(String, bool), AppError> {
    let row: Option<(String, bool)> =
        sqlx::query_as("SELECT time_zone, hide_streaks FROM users WHERE id = $1")
            .bind(user)
            .fetch_optional(pool)
            .await?;
    Ok(row.unwrap_or_else(|| ("UTC".to_owned(), false)))
}

/// The user's time zone, for labels and local days.
pub async fn user_zone(pool: &Pool, user: Uuid) -> Result<TimeZone, AppError> {
    Ok(days::zone(&settings(pool, user).await?.0))
}
