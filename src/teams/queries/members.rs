//! Who is in a team, with which role, and the team they act for.

use super::*;

/// The team `user` acts for: the one they last switched to while they are
/// in it, else the one they joined first.
pub async fn acting(pool: &Pool, user: Uuid) -> Result<Option<Acting>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.team_id AS team, m.role FROM team_members m JOIN users u ON u.id = m.user_id
         WHERE m.user_id = $1
         ORDER BY CASE WHEN m.team_id = u.current_team_id THEN 0 ELSE 1 END, m.joined_at, m.team_id
         LIMIT 1",
    )
    .bind(user)
    .fetch_optional(pool)
    .await
}

/// Adds `user` to `team` and makes it the team they act for.
pub(super) async fn join(
    conn: &mut Conn,
    team: Uuid,
    user: Uuid,
    role: TeamRole,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO team_members (team_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(team)
    .bind(user)
    .bind(role.as_str())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE users SET current_team_id = $2, data_version = data_version + 1 WHERE id = $1",
    )
    .bind(user)
    .bind(team)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A new team with `user` as its owner, and the one they now act for.
pub async fn create_team(pool: &Pool, user: Uuid, name: &str, now: i64) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    let mut tx = begin_write(pool).await?;
    sqlx::query("INSERT INTO teams (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    join(&mut tx, id, user, TeamRole::Owner, now).await?;
    log(&mut tx, event(id, user, Action::CreatedTeam, name, now)).await?;
    tx.commit().await?;
    Ok(id)
}

/// Makes `team` the one `user` acts for, if they are in it.
pub async fn switch_team(pool: &Pool, user: Uuid, team: Uuid) -> Result<(), AppError> {
    let changed = sqlx::query(
        "UPDATE users SET current_team_id = $2, data_version = data_version + 1
         WHERE id = $1 AND EXISTS (SELECT 1 FROM team_members WHERE team_id = $2 AND user_id = $1)",
    )
    .bind(user)
    .bind(team)
    .execute(pool)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::NotFound("That team".into()));
    }
    Ok(())
}

/// Every member's pages show the team: their kept copies are stale.
pub(super) async fn touch_members(conn: &mut Conn, team: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET data_version = data_version + 1
         WHERE id IN (SELECT user_id FROM team_members WHERE team_id = $1)",
    )
    .bind(team)
    .execute(conn)
    .await
    .map(drop)
}

pub async fn rename_team(
    pool: &Pool,
    team: Uuid,
    by: Uuid,
    name: &str,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    still(&mut tx, team, by, is_owner).await?;
    sqlx::query("UPDATE teams SET name = $2 WHERE id = $1")
        .bind(team)
        .bind(name)
        .execute(&mut *tx)
        .await?;
    touch_members(&mut tx, team).await?;
    log(&mut tx, event(team, by, Action::Renamed, name, now)).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    user_id: Uuid,
    username: String,
    role: TeamRole,
    joined_at: i64,
}

#[derive(sqlx::FromRow)]
struct InviteRow {
    id: Uuid,
    role: TeamRole,
    created_at: i64,
    expires_at: i64,
    used_name: Option<String>,
    used_at: Option<i64>,
    revoked_at: Option<i64>,
}

/// The team page for a member with `role`: members and activity for owners
/// and recruiters, invitations for owners, the name alone for interviewers.
pub async fn team_page(
    pool: &Pool,
    team: Uuid,
    me: Uuid,
    role: TeamRole,
    tz: &jiff::tz::TimeZone,
    now: i64,
) -> Result<TeamPage, AppError> {
    let name = team_name(pool, team)
        .await?
        .ok_or_else(|| AppError::NotFound("That team".into()))?;
    let mut page = TeamPage {
        id: team.to_string(),
        name,
        my_role: role,
        members: Vec::new(),
        invites: Vec::new(),
        activity: Vec::new(),
    };
    if !role.builds_sets() {
        return Ok(page);
    }
    let members: Vec<MemberRow> = sqlx::query_as(
        "SELECT m.user_id, u.username, m.role, m.joined_at FROM team_members m
         JOIN users u ON u.id = m.user_id WHERE m.team_id = $1
         ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'recruiter' THEN 1 ELSE 2 END, u.username",
    )
    .bind(team)
    .fetch_all(pool)
    .await?;
    page.members = members
        .into_iter()
        .map(|m| MemberInfo {
            id: m.user_id.to_string(),
            name: m.username,
            role: m.role,
            joined_label: crate::accounts::days::local_label(m.joined_at, tz),
            is_me: m.user_id == me,
        })
        .collect();
    let activity: Vec<ActivityRow> = sqlx::query_as(
        "SELECT actor_name, action, subject, set_id, at FROM team_activity
         WHERE team_id = $1 ORDER BY id DESC LIMIT 100",
    )
    .bind(team)
    .fetch_all(pool)
    .await?;
    page.activity = activity_lines(activity, tz);
    if role == TeamRole::Owner {
        let invites: Vec<InviteRow> = sqlx::query_as(
            "SELECT i.id, i.role, i.created_at, i.expires_at, u.username AS used_name, i.used_at,
                    i.revoked_at
             FROM team_invites i LEFT JOIN users u ON u.id = i.used_by
             WHERE i.team_id = $1 ORDER BY i.created_at DESC LIMIT 50",
        )
        .bind(team)
        .fetch_all(pool)
        .await?;
        page.invites = invites
            .into_iter()
            .map(|i| {
                let (state, open) = if i.used_at.is_some() {
                    let who = i.used_name.unwrap_or_else(|| "a deleted account".into());
                    (format!("Used by {who}"), false)
                } else if i.revoked_at.is_some() {
                    ("Withdrawn".to_owned(), false)
                } else if i.expires_at <= now {
                    ("Expired".to_owned(), false)
                } else {
                    ("Open".to_owned(), true)
                };
                InviteInfo {
                    id: i.id.to_string(),
                    role: i.role,
                    created_label: crate::accounts::days::local_label(i.created_at, tz),
                    expires_label: crate::accounts::days::local_label(i.expires_at, tz),
                    state,
                    open,
                }
            })
            .collect();
    }
    Ok(page)
}

/// Whoever builds sets in a team holds the recruiter role (which lets them
/// make teams of their own); an admin keeps theirs.
pub(super) async fn promote(conn: &mut Conn, user: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET role = 'recruiter' WHERE id = $1 AND role = 'candidate'")
        .bind(user)
        .execute(conn)
        .await
        .map(drop)
}

pub(super) async fn role_of(
    conn: &mut Conn,
    team: Uuid,
    user: Uuid,
) -> Result<Option<TeamRole>, sqlx::Error> {
    sqlx::query_scalar("SELECT role FROM team_members WHERE team_id = $1 AND user_id = $2")
        .bind(team)
        .bind(user)
        .fetch_optional(conn)
        .await
}

/// Inside a write transaction: `user` still holds a role in `team` that
/// `allowed` accepts. The check when the request began may be a moment
/// old; a member removed or demoted meanwhile changes nothing.
pub async fn still(
    conn: &mut Conn,
    team: Uuid,
    user: Uuid,
    allowed: fn(TeamRole) -> bool,
) -> Result<TeamRole, AppError> {
    match role_of(conn, team, user).await? {
        Some(role) if allowed(role) => Ok(role),
        _ => Err(AppError::Forbidden),
    }
}

pub(super) fn is_owner(role: TeamRole) -> bool {
    role == TeamRole::Owner
}

/// Withdraws the open invitations `member` made (they stop being an owner,
/// or leave): none of them lets anyone, themselves included, back in.
async fn withdraw_invites_of(
    conn: &mut Conn,
    team: Uuid,
    member: Uuid,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE team_invites SET revoked_at = $3
         WHERE team_id = $1 AND created_by = $2 AND used_at IS NULL AND revoked_at IS NULL",
    )
    .bind(team)
    .bind(member)
    .bind(now)
    .execute(conn)
    .await
    .map(drop)
}

async fn owners(conn: &mut Conn, team: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM team_members WHERE team_id = $1 AND role = 'owner'")
        .bind(team)
        .fetch_one(conn)
        .await
}

async fn username(conn: &mut Conn, user: Uuid) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT username FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(conn)
        .await
}

const NEEDS_AN_OWNER: &str = "A team needs an owner: make someone else an owner first.";

/// Gives `member` another role. The team keeps at least one owner.
pub async fn change_role(
    pool: &Pool,
    team: Uuid,
    by: Uuid,
    member: Uuid,
    role: TeamRole,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    still(&mut tx, team, by, is_owner).await?;
    let current = role_of(&mut tx, team, member)
        .await?
        .ok_or_else(|| AppError::NotFound("That member".into()))?;
    if current == role {
        return Ok(());
    }
    if current == TeamRole::Owner && owners(&mut tx, team).await? <= 1 {
        return Err(AppError::Conflict(NEEDS_AN_OWNER.into()));
    }
    sqlx::query("UPDATE team_members SET role = $3 WHERE team_id = $1 AND user_id = $2")
        .bind(team)
        .bind(member)
        .bind(role.as_str())
        .execute(&mut *tx)
        .await?;
    if current == TeamRole::Owner {
        withdraw_invites_of(&mut tx, team, member, now).await?;
    }
    if role.builds_sets() {
        promote(&mut tx, member).await?;
    }
    sqlx::query("UPDATE users SET data_version = data_version + 1 WHERE id = $1")
        .bind(member)
        .execute(&mut *tx)
        .await?;
    let subject = format!(
        "{} to {}",
        username(&mut tx, member).await?,
        role.label().to_lowercase()
    );
    log(&mut tx, event(team, by, Action::ChangedRole, &subject, now)).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes `member` out of the team (or `by` leaves, when they are the same).
/// Access ends with their next request; their past marks stay, under their
/// name. The last owner can't go.
pub async fn remove_member(
    pool: &Pool,
    team: Uuid,
    by: Uuid,
    member: Uuid,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = begin_write(pool).await?;
    if by != member {
        still(&mut tx, team, by, is_owner).await?;
    }
    let current = role_of(&mut tx, team, member)
        .await?
        .ok_or_else(|| AppError::NotFound("That member".into()))?;
    if current == TeamRole::Owner && owners(&mut tx, team).await? <= 1 {
        return Err(AppError::Conflict(if by == member {
            "You are this team's only owner: make someone else an owner before you leave.".into()
        } else {
            NEEDS_AN_OWNER.into()
        }));
    }
    let name = username(&mut tx, member).await?;
    sqlx::query("DELETE FROM team_members WHERE team_id = $1 AND user_id = $2")
        .bind(team)
        .bind(member)
        .execute(&mut *tx)
        .await?;
    withdraw_invites_of(&mut tx, team, member, now).await?;
    sqlx::query(
        "UPDATE users SET data_version = data_version + 1,
             current_team_id = CASE WHEN current_team_id = $2 THEN NULL ELSE current_team_id END
         WHERE id = $1",
    )
    .bind(member)
    .bind(team)
    .execute(&mut *tx)
    .await?;
    let line = if by == member {
        event(team, by, Action::Left, "", now)
    } else {
        event(team, by, Action::Removed, &name, now)
    };
    log(&mut tx, line).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn team_name(pool: &Pool, team: Uuid) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT name FROM teams WHERE id = $1")
        .bind(team)
        .fetch_optional(pool)
        .await
}
