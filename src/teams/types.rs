//! Team types shared by the server and the browser.

use serde::{Deserialize, Serialize};

/// A member's one role in one team.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "lowercase")
)]
pub enum TeamRole {
    /// Everything, members and team settings included.
    Owner,
    /// Builds and shares sets, reads every result, records decisions.
    Recruiter,
    /// Reads and marks the candidates assigned to them, nothing else.
    Interviewer,
}

impl TeamRole {
    pub const ALL: [Self; 3] = [Self::Owner, Self::Recruiter, Self::Interviewer];

    /// Owners and recruiters build sets and read every result.
    pub fn builds_sets(self) -> bool {
        matches!(self, Self::Owner | Self::Recruiter)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Recruiter => "recruiter",
            Self::Interviewer => "interviewer",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Owner => "Owner",
            Self::Recruiter => "Recruiter",
            Self::Interviewer => "Interviewer",
        }
    }

    /// What the role may do, in a line (the invite form and the landing).
    pub fn duties(self) -> &'static str {
        match self {
            Self::Owner => "everything, including members and team settings",
            Self::Recruiter => "builds and shares sets, reads all results, records decisions",
            Self::Interviewer => "reads and marks the candidates assigned to them",
        }
    }
}

/// One of the caller's teams, for the switcher.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamSummary {
    pub id: String,
    pub name: String,
    pub role: TeamRole,
    /// The team the caller acts for now.
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberInfo {
    pub id: String,
    pub name: String,
    pub role: TeamRole,
    pub joined_label: String,
    pub is_me: bool,
}

/// An invitation as its team's owners see it (never its code, which was
/// shown once).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteInfo {
    pub id: String,
    pub role: TeamRole,
    pub created_label: String,
    pub expires_label: String,
    /// "Open", "Used by …", "Expired" or "Revoked".
    pub state: String,
    pub open: bool,
}

/// One line of the activity log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityLine {
    pub who: String,
    pub what: String,
    pub when_label: String,
    /// The set the line is about, if any (a link to it).
    pub set_id: Option<String>,
}

/// The team page: what every member sees, and what owners and recruiters
/// see besides (members, invites, activity; empty for an interviewer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamPage {
    pub id: String,
    pub name: String,
    pub my_role: TeamRole,
    pub members: Vec<MemberInfo>,
    pub invites: Vec<InviteInfo>,
    pub activity: Vec<ActivityLine>,
}

/// An invitation as the person holding its link sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteLanding {
    pub team_name: String,
    pub role: TeamRole,
    /// Why it can't be accepted, if it can't.
    pub problem: Option<String>,
}

pub const TEAM_NAME_MAX: usize = 80;
/// How long an invitation lasts unless the owner chooses otherwise.
pub const INVITE_DAYS_DEFAULT: u32 = 7;
pub const INVITE_DAYS_MAX: u32 = 30;

/// The team name as stored, or what is wrong with it.
pub fn valid_team_name(raw: &str) -> Result<String, &'static str> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("Give the team a name.");
    }
    if name.chars().count() > TEAM_NAME_MAX {
        return Err("Keep the team's name under 80 characters.");
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_only_owners_and_recruiters_build_sets() {
        for role in TeamRole::ALL {
            assert_eq!(TeamRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(TeamRole::parse("admin"), None);
        assert!(TeamRole::Owner.builds_sets());
        assert!(TeamRole::Recruiter.builds_sets());
        assert!(!TeamRole::Interviewer.builds_sets());
    }

    #[test]
    fn team_names_are_trimmed_and_bounded() {
        assert_eq!(
            valid_team_name("  Platform hiring "),
            Ok("Platform hiring".into())
        );
        assert!(valid_team_name("   ").is_err());
        assert!(valid_team_name(&"x".repeat(81)).is_err());
        assert!(valid_team_name(&"é".repeat(80)).is_ok());
    }
}
