//! Account types shared by the server and the browser.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "lowercase")
)]
pub enum Role {
    Candidate,
    Recruiter,
    Admin,
}

impl Role {
    /// Recruiters and admins build question sets and read their results;
    /// guests never do, whatever their role says.
    pub fn builds_sets(self, is_guest: bool) -> bool {
        !is_guest && matches!(self, Self::Recruiter | Self::Admin)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Candidate => "candidate",
            Self::Recruiter => "recruiter",
            Self::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "candidate" => Some(Self::Candidate),
            "recruiter" => Some(Self::Recruiter),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Candidate => "Candidate",
            Self::Recruiter => "Recruiter",
            Self::Admin => "Admin",
        }
    }
}

/// Who is calling, as the pages see it. Never carries the password hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: String,
    pub username: String,
    pub role: Role,
    pub is_guest: bool,
    /// The hiring teams they are in, the one they act for first.
    pub teams: Vec<Membership>,
}

/// A person's place in one hiring team: read with who they are, in the
/// same query, on every request (so a member removed loses access at
/// once, and no page asks the database again).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub team: String,
    pub name: String,
    pub role: TeamRole,
}

/// A member's one role in one team.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
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

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 32;
pub const PASSWORD_MIN: usize = 8;
/// Long passphrases are welcome; the cap only bounds hashing work.
pub const PASSWORD_MAX: usize = 128;

/// Usernames: letters, digits, `_`, `-` and `.`, 3 to 32 characters.
pub fn username_problem(username: &str) -> Option<&'static str> {
    let n = username.chars().count();
    if !(USERNAME_MIN..=USERNAME_MAX).contains(&n) {
        return Some("Usernames are 3 to 32 characters long.");
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Some("Usernames may use letters, digits, '_', '-' and '.' only.");
    }
    if username.to_ascii_lowercase().starts_with("guest-") {
        return Some("Usernames starting with 'guest-' are reserved.");
    }
    None
}

pub use crate::platform::defaults::DEFAULT_GUEST_RETENTION_DAYS;

/// What a guest is told where practice starts without an account: how long
/// their practice is kept (`REHEARSE_GUEST_RETENTION_DAYS`).
pub fn guest_retention_note() -> String {
    #[cfg(feature = "ssr")]
    // Read without `app_state()`: route listing at start-up renders pages
    // with no state, and that is no error.
    let days = leptos::prelude::use_context::<crate::platform::AppState>()
        .map_or(DEFAULT_GUEST_RETENTION_DAYS, |s| {
            s.config.guest_retention_days
        });
    #[cfg(not(feature = "ssr"))]
    let days = DEFAULT_GUEST_RETENTION_DAYS;
    format!(
        "Practising without an account? It is kept for {days} days after your last visit, then deleted with everything in it. Create an account to keep it."
    )
}

/// A safe place to go after logging in: a path on this site, nothing else.
/// Browsers drop tabs and newlines from URLs and read `\` as `/`, so
/// `/\t/evil.example` becomes `//evil.example`: another site. Only a plain
/// path on this site passes: it starts with one `/`, and holds no control
/// character, whitespace or backslash anywhere.
pub fn safe_next(next: &str) -> String {
    let ok = next.len() <= 512
        && next.starts_with('/')
        && !next.starts_with("//")
        && !next
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        && !next.contains("://");
    if ok {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

/// The login page, coming back to `here` after: `here` percent-encoded,
/// so no character in it (a CR or LF from a decoded path) can leave the
/// query string.
pub fn login_href(here: &str) -> String {
    format!(
        "/login?next={}",
        crate::questions::types::encode_component(here)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_never_carry_line_breaks() {
        assert_eq!(login_href("/sets/\r\nX"), "/login?next=%2Fsets%2F%0D%0AX");
    }

    #[test]
    fn usernames() {
        assert_eq!(username_problem("ada"), None);
        assert_eq!(username_problem("Ada.Lovelace_1"), None);
        assert!(username_problem("ab").is_some());
        assert!(username_problem("has space").is_some());
        assert!(username_problem("guest-123").is_some());
        assert!(username_problem(&"x".repeat(33)).is_some());
    }

    #[test]
    fn next_must_stay_on_site() {
        assert_eq!(safe_next("/account"), "/account");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next("account"), "/");
        assert_eq!(
            safe_next("/history?mode=practice"),
            "/history?mode=practice"
        );
        // Bypasses that browsers turn into `//evil.example`, and friends.
        for bad in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/\r\n/evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/\u{7f}/evil.example",
            "/\u{2028}/evil.example",
            "/\\/evil.example",
            "\\\\evil.example",
            "\t//evil.example",
            "///evil.example",
            "http:evil.example",
            "javascript:alert(1)",
            "/redirect?to=https://evil.example",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?} must not pass");
        }
    }
}
