//! Codes that grant something to whoever holds them (share links, team
//! invitations): 144 random bits, URL-safe, and kept only as a hash where
//! the code itself need not be shown again.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// A new code: 18 random bytes, 24 URL-safe characters.
pub fn new_code() -> Result<String, AppError> {
    let mut bytes = [0u8; 18];
    getrandom::getrandom(&mut bytes).map_err(|e| {
        tracing::error!(error = %e, "no randomness for a code");
        AppError::Internal
    })?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// What is stored and looked up in place of a code.
pub fn code_hash(code: &str) -> Vec<u8> {
    Sha256::digest(code.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_url_safe_and_different() {
        let (a, b) = (
            new_code().unwrap_or_default(),
            new_code().unwrap_or_default(),
        );
        assert_eq!(a.len(), 24);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(a, b);
        assert_eq!(code_hash(&a), code_hash(&a));
        assert_ne!(code_hash(&a), code_hash(&b));
    }
}
