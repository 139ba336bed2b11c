//! Team types shared by the server and the browser.

use serde::{Deserialize, Serialize};

pub use crate::accounts::types::TeamRole;

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

/// The teams of a person, by name, the one they act for marked.
pub fn summaries(user: &crate::accounts::types::UserInfo) -> Vec<TeamSummary> {
    let mut teams: Vec<TeamSummary> = user
        .teams
        .iter()
        .enumerate()
        .map(|(i, m)| TeamSummary {
            id: m.team.clone(),
            name: m.name.clone(),
            role: m.role,
            current: i == 0,
        })
        .collect();
    teams.sort_by_key(|t| t.name.to_lowercase());
    teams
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
