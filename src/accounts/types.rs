//! Account types shared by the server and the browser.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Candidate,
    Recruiter,
    Admin,
}

impl Role {
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

/// A safe place to go after logging in: a path on this site, nothing else.
pub fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.contains("://")
        && next.len() <= 512;
    if ok {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
