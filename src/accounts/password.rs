//! Password rules and hashing (argon2id, OWASP's minimum parameters).

use std::sync::OnceLock;

use argon2::{
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};

use super::types::{PASSWORD_MAX, PASSWORD_MIN};

/// m = 19 MiB, t = 2, p = 1: OWASP's recommended minimum for argon2id.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("no randomness available: {0}")]
    Random(String),
    #[error("hashing failed: {0}")]
    Hash(String),
}

pub fn hash(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| HashError::Random(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| HashError::Hash(e.to_string()))?;
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError::Hash(e.to_string()))
}

/// True when `password` matches `stored`. A malformed stored hash is a
/// mismatch, not a panic.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends the same time as a real check, so "no such user" and "wrong
/// password" can't be told apart by timing.
pub fn verify_dummy(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("not-a-real-password").unwrap_or_default());
    let _ = verify(password, dummy);
}

/// NIST-style rules: length only, no composition rules, and none of the
/// passwords attackers try first.
pub fn password_problem(password: &str, username: &str) -> Option<String> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        return Some(format!("Use at least {PASSWORD_MIN} characters."));
    }
    if n > PASSWORD_MAX {
        return Some(format!("Use at most {PASSWORD_MAX} characters."));
    }
    let lower = password.to_lowercase();
    if lower == username.to_lowercase() {
        return Some("Your password can't be your username.".to_owned());
    }
    if is_common(&lower) {
        return Some("That password is one of the most common ones and is guessed first. Choose another; a few unrelated words work well.".to_owned());
    }
    None
}

fn is_common(lower: &str) -> bool {
    COMMON_PASSWORDS.split_whitespace().any(|p| p == lower)
}

/// Passwords of 8+ characters that top every published breach-frequency
/// list (only lowercase forms; the check lowercases first).
const COMMON_PASSWORDS: &str = "
password password1 password12 password123 password1234 passw0rd p@ssw0rd p@ssword
12345678 123456789 1234567890 123123123 11111111 111111111 1111111111 00000000
87654321 12341234 11223344 12121212 123321123 1q2w3e4r 1q2w3e4r5t 1qaz2wsx
qwertyuiop qwerty123 qwerty12 qwerty1234 qwertyui qazwsxedc zaq12wsx asdfghjkl
asdfasdf abcd1234 abc12345 abcdefgh iloveyou iloveyou1 sunshine princess1 football
football1 baseball baseball1 basketball superman batman123 starwars trustno1 whatever
welcome1 welcome123 letmein1 letmein123 admin123 administrator changeme changeme1
computer internet michelle jennifer jordan23 charlie1 midnight master123 mustang1
dragon123 monkey123 shadow123 freedom1 loveyou1 lovely123 babygirl1 anthony1 samsung1
chocolate butterfly pokemon1 secret123 security qwerty12345 aa123456 a1234567 a12345678
zxcvbnm1 zxcvbnm123 123qweasd 1234qwer q1w2e3r4 q1w2e3r4t5 987654321 999999999
88888888 66666666 55555555 22222222 77777777 99999999 12344321 147258369 123654789
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_params_and_verify() -> Result<(), HashError> {
        let h = hash("correct horse battery staple")?;
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse battery staple", &h));
        assert!(!verify("correct horse battery stapler", &h));
        assert!(!verify("anything", "not a hash"));
        // Same password, different salt.
        assert_ne!(h, hash("correct horse battery staple")?);
        Ok(())
    }

    #[test]
    fn rules_are_length_and_commonness_only() {
        assert!(password_problem("short", "ada").is_some());
        assert!(password_problem("Password123", "ada").is_some());
        assert!(password_problem("adalovelace", "AdaLovelace").is_some());
        assert!(password_problem(&"x".repeat(129), "ada").is_some());
        assert_eq!(password_problem("plain lowercase words", "ada"), None);
        assert_eq!(password_problem(&"y".repeat(64), "ada"), None);
    }
}
