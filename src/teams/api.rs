//! Server functions for teams: switching, the team page, invitations and
//! members. Owners manage members and invitations; anyone in a team sees
//! its page (an interviewer, its name alone); outsiders get 403 or 404.

use leptos::prelude::*;

use super::types::*;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use super::authz::{member, owner};
#[cfg(feature = "ssr")]
use crate::platform::request::redirect_form_post;

#[cfg(feature = "ssr")]
fn id(raw: &str, what: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(raw.trim()).map_err(|_| AppError::NotFound(what.into()))
}

#[cfg(feature = "ssr")]
fn role(raw: &str) -> Result<TeamRole, AppError> {
    TeamRole::parse(raw.trim())
        .ok_or_else(|| AppError::invalid("role", "Choose owner, recruiter or interviewer."))
}

#[cfg(feature = "ssr")]
fn name(raw: &str) -> Result<String, AppError> {
    valid_team_name(raw).map_err(|problem| AppError::invalid("name", problem))
}

/// The caller's teams, the one they act for first (none for a visitor or
/// a guest): known with who they are, no query of its own.
#[server(endpoint = "teams/mine")]
pub async fn my_teams() -> Result<Vec<TeamSummary>, AppError> {
    let Some(user) = crate::accounts::authz::current_user().await? else {
        return Ok(Vec::new());
    };
    Ok(summaries(&user.info()))
}

/// Acts for another of the caller's teams from now on.
#[server(endpoint = "teams/switch")]
pub async fn switch_team(team: String) -> Result<(), AppError> {
    let c = crate::accounts::authz::caller().await?;
    super::db::switch_team(&c.pool, c.user.id, id(&team, "That team")?).await?;
    redirect_form_post("/team");
    Ok(())
}

/// A new team with the caller as its owner: recruiters and admins only.
#[server(endpoint = "teams/create")]
pub async fn create_team(name: String) -> Result<String, AppError> {
    let c = crate::accounts::authz::caller().await?;
    if !c.user.role.builds_sets(c.user.is_guest) {
        return Err(AppError::Forbidden);
    }
    let name = self::name(&name)?;
    let team = super::db::create_team(&c.pool, c.user.id, &name, c.now).await?;
    redirect_form_post("/team");
    Ok(team.to_string())
}

/// The team the caller acts for, as their role may see it.
#[server(endpoint = "teams/page")]
pub async fn current_team() -> Result<TeamPage, AppError> {
    let m = member().await?;
    let tz = crate::accounts::db::user_zone(&m.pool, m.id).await?;
    super::db::team_page(&m.pool, m.team, m.id, m.role, &tz, m.now).await
}

#[server(endpoint = "teams/rename")]
pub async fn rename_team(name: String) -> Result<(), AppError> {
    let o = owner().await?;
    let name = self::name(&name)?;
    super::db::rename_team(&o.pool, o.team, o.id, &name, o.now).await?;
    redirect_form_post("/team");
    Ok(())
}

/// A single-use invitation link's path (`/join/<code>`), shown once.
#[server(endpoint = "teams/invite")]
pub async fn create_invite(role: String, #[server(default)] days: u32) -> Result<String, AppError> {
    let o = owner().await?;
    let role = self::role(&role)?;
    let days = if days == 0 { INVITE_DAYS_DEFAULT } else { days };
    if days > INVITE_DAYS_MAX {
        return Err(AppError::invalid(
            "days",
            format!("An invitation lasts at most {INVITE_DAYS_MAX} days."),
        ));
    }
    let expires_at = o.now + i64::from(days) * 24 * 60 * 60 * 1000;
    let code = super::db::create_invite(&o.pool, o.team, o.id, role, expires_at, o.now).await?;
    // A plain form lands back on the team page, which shows the link once.
    redirect_form_post(&format!("/team?invited={code}"));
    Ok(format!("/join/{code}"))
}

#[server(endpoint = "teams/revoke-invite")]
pub async fn revoke_invite(invite: String) -> Result<(), AppError> {
    let o = owner().await?;
    let invite = id(&invite, "That open invitation")?;
    super::db::revoke_invite(&o.pool, o.team, o.id, invite, o.now).await?;
    redirect_form_post("/team");
    Ok(())
}

/// What an invitation link offers; anyone holding it may ask.
#[server(endpoint = "teams/invitation")]
pub async fn invitation(code: String) -> Result<InviteLanding, AppError> {
    let pool = crate::platform::pool()?;
    super::db::invite_landing(&pool, code.trim(), crate::platform::now_ms()).await
}

/// Joins the invitation's team: needs an account (not a guest's).
#[server(endpoint = "teams/accept")]
pub async fn accept_invite(code: String) -> Result<(), AppError> {
    let user = crate::accounts::authz::require_account().await?;
    let pool = crate::platform::pool()?;
    super::db::accept_invite(&pool, code.trim(), user.id, crate::platform::now_ms()).await?;
    redirect_form_post("/team");
    Ok(())
}

#[server(endpoint = "teams/role")]
pub async fn change_role(member: String, role: String) -> Result<(), AppError> {
    let o = owner().await?;
    let person = id(&member, "That member")?;
    let role = self::role(&role)?;
    super::db::change_role(&o.pool, o.team, o.id, person, role, o.now).await?;
    redirect_form_post("/team");
    Ok(())
}

#[server(endpoint = "teams/remove")]
pub async fn remove_member(member: String) -> Result<(), AppError> {
    let o = owner().await?;
    let person = id(&member, "That member")?;
    super::db::remove_member(&o.pool, o.team, o.id, person, o.now).await?;
    redirect_form_post("/team");
    Ok(())
}

/// Leaves the team the caller acts for.
#[server(endpoint = "teams/leave")]
pub async fn leave_team() -> Result<(), AppError> {
    let m = member().await?;
    super::db::remove_member(&m.pool, m.team, m.id, m.id, m.now).await?;
    redirect_form_post("/team");
    Ok(())
}
