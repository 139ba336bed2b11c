//! Who acts for which team, and may they? Every set, sharing and team
//! server function starts here, after `accounts::authz` said who is calling.
//!
//! A person acts for one team at a time: the one they last switched to, if
//! they are still in it, else the one they joined first. Membership is read
//! with who is calling, in the same query, on every request, so a member
//! removed from a team loses access with their next request.

use uuid::Uuid;

use super::{db, types::TeamRole};
use crate::accounts::authz::{caller, AuthUser};
use crate::accounts::types::Role;
use crate::error::AppError;
use crate::platform::db::Pool;

/// Who is asking for a set or a result: a member of `team` (who may change
/// what the team owns), or an admin (who may read any team's).
#[derive(Clone, Copy, Debug)]
pub struct Viewer {
    /// The person.
    pub id: Uuid,
    /// The team they act for.
    pub team: Uuid,
    pub admin: bool,
}

/// A member calling for the team they act for, with the pool and the time.
pub struct Member {
    pub id: Uuid,
    pub team: Uuid,
    pub role: TeamRole,
    pub admin: bool,
    pub pool: Pool,
    pub now: i64,
}

impl Member {
    /// Who is looking at a set: a member of its team may change it, an
    /// admin may read it.
    pub fn viewer(&self) -> Viewer {
        Viewer {
            id: self.id,
            team: self.team,
            admin: self.admin,
        }
    }
}

/// The name every set and sharing function has called its check by.
pub type Recruiter = Member;

/// The caller's team membership, any role. Nobody logged in: 401. No team
/// (a guest, a candidate nobody invited): 403.
pub async fn member() -> Result<Member, AppError> {
    let c = caller().await?;
    let acting = acting(&c.pool, &c.user, c.now).await?;
    let Some(acting) = acting else {
        return Err(AppError::Forbidden);
    };
    Ok(Member {
        id: c.user.id,
        team: acting.team,
        role: acting.role,
        admin: c.user.role == Role::Admin,
        pool: c.pool,
        now: c.now,
    })
}

/// An owner or recruiter of the team the caller acts for: the one check
/// every set and sharing function starts with. An interviewer, a candidate
/// or a guest: 403.
pub async fn recruiter() -> Result<Member, AppError> {
    let m = member().await?;
    if !m.role.builds_sets() {
        return Err(AppError::Forbidden);
    }
    Ok(m)
}

/// An owner of the team the caller acts for (members and team settings).
pub async fn owner() -> Result<Member, AppError> {
    let m = member().await?;
    if m.role != TeamRole::Owner {
        return Err(AppError::Forbidden);
    }
    Ok(m)
}

/// The team `user` acts for. A recruiter or admin is given a personal team
/// when they become one (`accounts::db::make_personal_team`); one who has
/// none yet (an account older than teams that the migration did not see)
/// gets it here, once.
pub async fn acting(
    pool: &Pool,
    user: &AuthUser,
    now: i64,
) -> Result<Option<db::Acting>, AppError> {
    if user.is_guest {
        return Ok(None);
    }
    // Read with who they are, in the caller's own lookup (no query here).
    if let Some(first) = user.teams.first() {
        let team = Uuid::parse_str(&first.team).map_err(|_| AppError::Internal)?;
        return Ok(Some(db::Acting {
            team,
            role: first.role,
        }));
    }
    if !user.role.builds_sets(user.is_guest) {
        return Ok(None);
    }
    crate::accounts::db::make_personal_team(pool, user.id, now).await?;
    Ok(db::acting(pool, user.id).await?)
}
