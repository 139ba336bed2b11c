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

/// A login check: the id of the account when `password` matches its hash.
/// Exactly one hash is computed whatever happens (unknown user, account
/// without a password, wrong password, right password), so timing can't
/// tell them apart.
pub fn check_login<T>(found: Option<(T, Option<String>)>, password: &str) -> Option<T> {
    check_login_with(found, password, verify)
}

fn check_login_with<T>(
    found: Option<(T, Option<String>)>,
    password: &str,
    verify: impl Fn(&str, &str) -> bool,
) -> Option<T> {
    match found {
        Some((id, Some(stored))) => verify(password, &stored).then_some(id),
        _ => {
            static DUMMY: OnceLock<String> = OnceLock::new();
            let dummy = DUMMY.get_or_init(|| hash("not-a-real-password").unwrap_or_default());
            let _ = verify(password, dummy);
            None
        }
    }
}

/// NIST-style rules: length, not the username, and not easy to guess. What
/// "easy" means comes from zxcvbn's estimator, whose frequency lists hold
/// the 30,000 most common leaked passwords and the names, words and
/// keyboard walks attackers try next (ASVS 5.0 asks for at least the top
/// 3,000). Below a million estimated guesses is refused: that covers every
/// listed password and its obvious variants, while a few unrelated words
/// pass. No composition rules.
pub fn password_problem(password: &str, username: &str) -> Option<String> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        return Some(format!("Use at least {PASSWORD_MIN} characters."));
    }
    if n > PASSWORD_MAX {
        return Some(format!("Use at most {PASSWORD_MAX} characters."));
    }
    if password.to_lowercase() == username.to_lowercase() {
        return Some("Your password can't be your username.".to_owned());
    }
    let estimate = zxcvbn::zxcvbn(password, &[username, "rehearse"]);
    if u8::from(estimate.score()) < MIN_SCORE {
        let why = estimate
            .feedback()
            .and_then(|f| f.warning())
            .map(|w| format!(" ({w})"))
            .unwrap_or_default();
        return Some(format!(
            "That password is too easy to guess{why}. A few unrelated words work well."
        ));
    }
    None
}

/// zxcvbn's score 2: at least 10^6 estimated guesses.
const MIN_SCORE: u8 = 2;

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
    fn every_login_outcome_costs_exactly_one_hash() -> Result<(), HashError> {
        let stored = hash("the right words")?;
        let calls = std::cell::Cell::new(0);
        let counting = |p: &str, h: &str| {
            calls.set(calls.get() + 1);
            verify(p, h)
        };
        for (found, password, expect) in [
            (Some((1, Some(stored.clone()))), "the right words", Some(1)),
            (Some((1, Some(stored.clone()))), "the wrong words", None),
            (Some((1, None)), "a guest has no password", None),
            (None, "nobody by that name", None),
        ] {
            calls.set(0);
            assert_eq!(check_login_with(found, password, counting), expect);
            assert_eq!(calls.get(), 1, "{password}");
        }
        Ok(())
    }

    #[test]
    fn rules_are_length_and_commonness_only() {
        assert!(password_problem("short", "ada").is_some());
        assert!(password_problem("adalovelace", "AdaLovelace").is_some());
        assert!(password_problem(&"x".repeat(129), "ada").is_some());
        assert_eq!(password_problem("plain lowercase words", "ada"), None);
        assert_eq!(
            password_problem("correct horse battery staple", "ada"),
            None
        );
    }

    #[test]
    fn common_and_patterned_passwords_are_refused() {
        // From the top of breach-frequency lists, beyond any short list,
        // plus keyboard walks, repeats, and the username with digits.
        for weak in [
            "Password123",
            "iloveyou",
            "qwertyuiop",
            "1q2w3e4r5t",
            "football",
            "baseball1",
            "sunshine1",
            "princess",
            "superman",
            "whatever",
            "trustno1",
            "starwars",
            "michael1",
            "jennifer",
            "passw0rd!",
            "aaaaaaaaaaaa",
            "abcdefghij",
            "asdfghjkl;",
            "adalovelace1",
            "123456789012",
        ] {
            assert!(
                password_problem(weak, "adalovelace").is_some(),
                "{weak} should be refused"
            );
        }
    }
}
