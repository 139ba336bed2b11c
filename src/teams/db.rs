//! Teams' storage: memberships, invitations and the activity log. The
//! queries (`queries.rs`) are written once and compiled for each backend;
//! what the rest of the app calls is sent to the backend in use.

use uuid::Uuid;

use super::types::*;
use crate::error::AppError;

/// The team a person acts for, and their role in it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Acting {
    pub team: Uuid,
    pub role: TeamRole,
}

/// What happened, for the activity log: each is one line's verb.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    CreatedSet,
    EditedSet,
    DuplicatedSet,
    ArchivedSet,
    RestoredSet,
    ImportedSet,
    Shared,
    Paused,
    Resumed,
    Revoked,
    Marked,
    Decided,
    CreatedQuestion,
    EditedQuestion,
    Invited,
    Joined,
    ChangedRole,
    Removed,
    Left,
    Renamed,
    CreatedTeam,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CreatedSet => "created_set",
            Self::EditedSet => "edited_set",
            Self::DuplicatedSet => "duplicated_set",
            Self::ArchivedSet => "archived_set",
            Self::RestoredSet => "restored_set",
            Self::ImportedSet => "imported_set",
            Self::Shared => "shared",
            Self::Paused => "paused",
            Self::Resumed => "resumed",
            Self::Revoked => "revoked",
            Self::Marked => "marked",
            Self::Decided => "decided",
            Self::CreatedQuestion => "created_question",
            Self::EditedQuestion => "edited_question",
            Self::Invited => "invited",
            Self::Joined => "joined",
            Self::ChangedRole => "changed_role",
            Self::Removed => "removed",
            Self::Left => "left",
            Self::Renamed => "renamed",
            Self::CreatedTeam => "created_team",
        }
    }

    /// The line as read: "<who> <verb> <subject>".
    pub fn verb(stored: &str) -> &'static str {
        match stored {
            "created_set" => "created the set",
            "edited_set" => "edited the set",
            "duplicated_set" => "duplicated a set as",
            "archived_set" => "archived the set",
            "restored_set" => "restored the set",
            "imported_set" => "imported the set",
            "shared" => "made a share link for",
            "paused" => "paused a link of",
            "resumed" => "resumed a link of",
            "revoked" => "revoked a link of",
            "marked" => "marked",
            "decided" => "recorded a decision on",
            "created_question" => "wrote the question",
            "edited_question" => "edited the question",
            "invited" => "invited someone as",
            "joined" => "joined as",
            "changed_role" => "changed the role of",
            "removed" => "removed",
            "left" => "left the team",
            "renamed" => "renamed the team to",
            "created_team" => "created the team",
            _ => "did something to",
        }
    }

    /// Autosaved work logs one line per person and thing per this many
    /// milliseconds, not one per save.
    pub fn coalesce_ms(self) -> Option<i64> {
        matches!(self, Self::EditedSet | Self::EditedQuestion | Self::Marked)
            .then_some(30 * 60 * 1000)
    }
}

/// One activity line to write.
#[derive(Clone, Copy, Debug)]
pub struct Event<'a> {
    pub team: Uuid,
    pub actor: Uuid,
    pub action: Action,
    pub set: Option<Uuid>,
    /// What the line says the action was to (a set's title, a name).
    pub subject: &'a str,
    /// Which thing, for autosaved actions: saves to the same thing by the
    /// same person make one line (with the set, when there is one).
    pub thing: &'a str,
    pub at: i64,
}

impl<'a> Event<'a> {
    pub fn about(self, thing: &'a str) -> Self {
        Self { thing, ..self }
    }
}

crate::platform::db::dispatch! { teams;
    pub async fn acting(user: Uuid) -> Result<Option<Acting>, sqlx::Error>;
    pub async fn create_team(user: Uuid, name: &str, now: i64) -> Result<Uuid, AppError>;
    pub async fn switch_team(user: Uuid, team: Uuid) -> Result<(), AppError>;
    pub async fn rename_team(team: Uuid, by: Uuid, name: &str, now: i64) -> Result<(), AppError>;
    pub async fn team_page(team: Uuid, me: Uuid, role: TeamRole, tz: &jiff::tz::TimeZone, now: i64) -> Result<TeamPage, AppError>;
    pub async fn create_invite(team: Uuid, by: Uuid, role: TeamRole, expires_at: i64, now: i64) -> Result<String, AppError>;
    pub async fn revoke_invite(team: Uuid, by: Uuid, invite: Uuid, now: i64) -> Result<(), AppError>;
    pub async fn invite_landing(code: &str, now: i64) -> Result<InviteLanding, AppError>;
    pub async fn accept_invite(code: &str, user: Uuid, now: i64) -> Result<Uuid, AppError>;
    pub async fn change_role(team: Uuid, by: Uuid, member: Uuid, role: TeamRole, now: i64) -> Result<(), AppError>;
    pub async fn remove_member(team: Uuid, by: Uuid, member: Uuid, now: i64) -> Result<(), AppError>;
    pub async fn set_activity(set: Uuid, tz: &jiff::tz::TimeZone) -> Result<Vec<ActivityLine>, sqlx::Error>;
    pub async fn team_name(team: Uuid) -> Result<Option<String>, sqlx::Error>;
}
