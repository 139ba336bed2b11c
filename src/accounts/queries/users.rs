//! Accounts: creating, upgrading, finding, changing and deleting them.

use super::*;

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
    macro_rules! by_id {
        ($($teams:tt)*) => {
            concat!(
                "SELECT u.id, u.username, u.role, u.is_guest, u.data_version, ",
                $($teams)*,
                " FROM users u WHERE u.id = $1"
            )
        };
    }
    sqlx::query_as(if POSTGRES {
        by_id!(teams_of_u!(postgres))
    } else {
        by_id!(teams_of_u!(sqlite))
    })
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
    // A team they alone own, with others in it, gets a new owner: its
    // longest-serving recruiter, else its longest-serving member.
    let heirs: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "SELECT m.team_id, (
             SELECT o.user_id FROM team_members o WHERE o.team_id = m.team_id AND o.user_id <> $1
             ORDER BY CASE o.role WHEN 'recruiter' THEN 0 ELSE 1 END, o.joined_at, o.user_id
             LIMIT 1)
         FROM team_members m
         WHERE m.user_id = $1 AND m.role = 'owner'
           AND NOT EXISTS (SELECT 1 FROM team_members o
                           WHERE o.team_id = m.team_id AND o.role = 'owner' AND o.user_id <> $1)
           AND EXISTS (SELECT 1 FROM team_members o WHERE o.team_id = m.team_id AND o.user_id <> $1)",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    for (team, heir) in heirs {
        sqlx::query("UPDATE team_members SET role = 'owner' WHERE team_id = $1 AND user_id = $2")
            .bind(team)
            .bind(heir)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE users SET role = 'recruiter' WHERE id = $1 AND role = 'candidate'")
            .bind(heir)
            .execute(&mut *tx)
            .await?;
    }
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
