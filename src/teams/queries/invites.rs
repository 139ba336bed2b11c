//! Single-use invitations: made, withdrawn, seen and accepted.

use super::*;

/// A new single-use invitation; returns its code, shown once.
pub async fn create_invite(
    pool: &Pool,
    team: Uuid,
    by: Uuid,
    role: TeamRole,
    expires_at: i64,
    now: i64,
) -> Result<String, AppError> {
    let code = new_code()?;
    let mut tx = begin_write(pool).await?;
    still(&mut tx, team, by, is_owner).await?;
    sqlx::query(
        "INSERT INTO team_invites (id, team_id, code_hash, role, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::now_v7())
    .bind(team)
    .bind(code_hash(&code))
    .bind(role.as_str())
    .bind(by)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *tx)
    .await?;
    let subject = role.label().to_lowercase();
    log(&mut tx, event(team, by, Action::Invited, &subject, now)).await?;
    tx.commit().await?;
    Ok(code)
}

/// Withdraws an invitation nobody has used yet.
pub async fn revoke_invite(
    pool: &Pool,
    team: Uuid,
    by: Uuid,
    invite: Uuid,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    still(&mut tx, team, by, is_owner).await?;
    let changed = sqlx::query(
        "UPDATE team_invites SET revoked_at = $3
         WHERE id = $2 AND team_id = $1 AND used_at IS NULL AND revoked_at IS NULL",
    )
    .bind(team)
    .bind(invite)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::NotFound("That open invitation".into()));
    }
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct LandingRow {
    team_name: String,
    role: TeamRole,
    expires_at: i64,
    used_at: Option<i64>,
    revoked_at: Option<i64>,
}

/// Why an invitation can't be accepted, if it can't.
fn invite_problem(row: &LandingRow, now: i64) -> Option<String> {
    if row.used_at.is_some() {
        Some("This invitation has already been used. Ask the team's owner for a new one.".into())
    } else if row.revoked_at.is_some() {
        Some("This invitation was withdrawn. Ask the team's owner for a new one.".into())
    } else if row.expires_at <= now {
        Some("This invitation has expired. Ask the team's owner for a new one.".into())
    } else {
        None
    }
}

async fn landing_row(conn: &mut Conn, code: &str) -> Result<LandingRow, AppError> {
    let row: Option<LandingRow> = sqlx::query_as(
        "SELECT t.name AS team_name, i.role, i.expires_at, i.used_at, i.revoked_at
         FROM team_invites i JOIN teams t ON t.id = i.team_id WHERE i.code_hash = $1",
    )
    .bind(code_hash(code))
    .fetch_optional(conn)
    .await?;
    row.ok_or_else(|| AppError::NotFound("That invitation".into()))
}

/// What the holder of an invitation link sees: the team and the role, and
/// why it can't be accepted if it can't. Never who sent it.
pub async fn invite_landing(pool: &Pool, code: &str, now: i64) -> Result<InviteLanding, AppError> {
    let mut conn = pool.acquire().await?;
    let row = landing_row(&mut conn, code).await?;
    Ok(InviteLanding {
        problem: invite_problem(&row, now),
        team_name: row.team_name,
        role: row.role,
    })
}

#[derive(sqlx::FromRow)]
struct Claimed {
    team_id: Uuid,
    role: TeamRole,
}

/// Accepts an invitation: `user` joins its team with its role (a candidate
/// invited to build sets becomes a recruiter) and acts for it from now on.
/// The invitation is used up in the same statement that checks it, so two
/// people racing for one link can't both get in.
pub async fn accept_invite(
    pool: &Pool,
    code: &str,
    user: Uuid,
    now: i64,
) -> Result<Uuid, AppError> {
    let mut tx = begin_write(pool).await?;
    let claimed: Option<Claimed> = sqlx::query_as(
        "UPDATE team_invites SET used_by = $2, used_at = $3
         WHERE code_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $3
         RETURNING team_id, role",
    )
    .bind(code_hash(code))
    .bind(user)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(claimed) = claimed else {
        let row = landing_row(&mut tx, code).await?;
        let problem = invite_problem(&row, now).unwrap_or_default();
        return Err(AppError::Conflict(problem));
    };
    if role_of(&mut tx, claimed.team_id, user).await?.is_some() {
        tx.rollback().await?;
        return Err(AppError::Conflict(
            "You are already a member of this team; the invitation is still unused.".into(),
        ));
    }
    join(&mut tx, claimed.team_id, user, claimed.role, now).await?;
    if claimed.role.builds_sets() {
        promote(&mut tx, user).await?;
    }
    let subject = claimed.role.label().to_lowercase();
    log(
        &mut tx,
        event(claimed.team_id, user, Action::Joined, &subject, now),
    )
    .await?;
    tx.commit().await?;
    Ok(claimed.team_id)
}
