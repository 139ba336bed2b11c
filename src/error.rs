//! The one error type shared by the server and the browser.
//!
//! Variants are things a person can act on, plus one opaque `Internal`.
//! Database and I/O failures are logged on the server where they happen and
//! reach the browser only as `Internal`, never with their text.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// A field-level validation problem, shown next to the field it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please log in to continue.")]
    Unauthorized,
    #[error("You don't have access to this.")]
    Forbidden,
    #[error("{0} was not found.")]
    NotFound(String),
    #[error("{}", validation_summary(.0))]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    #[error("Too many attempts. Try again in {retry_after_secs} seconds.")]
    RateLimited { retry_after_secs: u64 },
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The database cannot grow (its disk is full): nothing was saved.
    #[error("The server's storage is full, so this was not saved. Nothing else changed; please try again later.")]
    StorageFull,
    /// The database had no turn free for this write in time (another long
    /// write, a flood of them): nothing was saved.
    #[error(
        "The server is busy, so this was not saved. Nothing changed; please try again in a moment."
    )]
    Busy,
    /// The request never reached our code properly (network down, bad
    /// arguments). The text comes from the server-fn layer, not from us.
    #[error("Could not reach the server: {0}")]
    Transport(String),
}

fn validation_summary(errors: &[FieldError]) -> String {
    match errors {
        [] => "Please check your input.".to_owned(),
        [one] => one.message.clone(),
        many => many
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

impl AppError {
    /// A single-field validation error.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    /// HTTP status that fits the error, for pages and server functions.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound(_) => 404,
            Self::Validation(_) => 422,
            Self::Conflict(_) => 409,
            Self::RateLimited { .. } => 429,
            Self::Internal => 500,
            Self::StorageFull | Self::Busy => 503,
            Self::Transport(_) => 502,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Bad or missing arguments are the caller's mistake: say so
            // without echoing decoder internals.
            ServerFnErrorErr::Args(detail) => match closed_choice(&detail) {
                Some(choices) => Self::invalid(
                    "request",
                    format!("That is not one of the choices: expected {choices}."),
                ),
                None => Self::invalid("request", "The request was malformed."),
            },
            // A body that can't be decoded at all (invalid UTF-8, the wrong
            // encoding) is as much the caller's mistake as a bad argument:
            // found by the property test of every server function.
            ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => {
                Self::invalid("request", "The request was malformed.")
            }
            ServerFnErrorErr::Request(e) => Self::Transport(e),
            _ => Self::Internal,
        }
    }
}

/// From a decoder's "unknown variant `exam`, expected `practice` or
/// `interview`", the choices ("practice or interview"): the one decoder
/// message worth passing on, since it tells the caller what to send.
fn closed_choice(detail: &str) -> Option<String> {
    let rest = detail.split_once("unknown variant")?.1;
    let expected = rest.split_once("expected ")?.1;
    let expected: String = expected
        .chars()
        .take_while(|c| *c != '\n')
        .filter(|c| *c != '`')
        .take(200)
        .collect();
    Some(expected.trim_end_matches(['.', ' ']).to_owned())
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;

    /// An error answered by a plain axum handler (the downloads): the
    /// status from `status_code`, the message as text, never cached.
    /// Server functions get theirs in `server_fn_error_status` and pages
    /// in `pages::error::set_status`: one rule, three edges.
    impl axum::response::IntoResponse for AppError {
        fn into_response(self) -> axum::response::Response {
            use axum::http::{header, HeaderValue, StatusCode};
            let status = StatusCode::from_u16(self.status_code())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut res = (status, self.to_string()).into_response();
            let headers = res.headers_mut();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            match self {
                Self::RateLimited { retry_after_secs } => {
                    headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
                }
                Self::Busy => {
                    headers.insert(header::RETRY_AFTER, HeaderValue::from(1u64));
                }
                _ => {}
            }
            res
        }
    }

    /// SQLite's "database or disk is full" (SQLITE_FULL): the disk, or a
    /// quota on it, leaves the file no room to grow.
    fn is_storage_full(error: &sqlx::Error) -> bool {
        sqlite_code(error).is_some_and(|code| code & 0xff == 13)
    }

    /// The primary result code of a SQLite error (never of PostgreSQL's,
    /// whose SQLSTATEs are numbers too: `22021` would read as "busy").
    fn sqlite_code(error: &sqlx::Error) -> Option<i32> {
        let sqlx::Error::Database(db) = error else {
            return None;
        };
        db.try_downcast_ref::<sqlx::sqlite::SqliteError>()?;
        db.code().and_then(|code| code.parse::<i32>().ok())
    }

    /// SQLite's "database is locked" (SQLITE_BUSY) after its busy timeout:
    /// a writer outside this process's queue held the lock all along.
    fn is_busy(error: &sqlx::Error) -> bool {
        sqlite_code(error).is_some_and(|code| code & 0xff == 5)
    }

    impl From<sqlx::Error> for AppError {
        fn from(error: sqlx::Error) -> Self {
            match &error {
                sqlx::Error::RowNotFound => Self::NotFound("The record".to_owned()),
                // No write turn (or connection) came free in time.
                sqlx::Error::PoolTimedOut => {
                    tracing::warn!("no turn to write in time: answered 503, nothing saved");
                    Self::Busy
                }
                _ if is_busy(&error) => {
                    tracing::warn!(%error, "the database stayed locked: answered 503, nothing saved");
                    Self::Busy
                }
                _ if is_storage_full(&error) => {
                    // SQLite rolled the write back; the file is intact.
                    tracing::error!(
                        %error,
                        "the database cannot grow: its disk is full; writes fail (503) until space is freed"
                    );
                    Self::StorageFull
                }
                _ => {
                    tracing::error!(%error, "database error");
                    Self::Internal
                }
            }
        }
    }

    /// Date arithmetic only fails on dates far outside any real range.
    impl From<jiff::Error> for AppError {
        fn from(error: jiff::Error) -> Self {
            tracing::error!(%error, "date error");
            Self::Internal
        }
    }

    impl From<std::io::Error> for AppError {
        fn from(error: std::io::Error) -> Self {
            tracing::error!(%error, "i/o error");
            Self::Internal
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_message_joins_fields() {
        let e = AppError::Validation(vec![
            FieldError {
                field: "a".into(),
                message: "A is short.".into(),
            },
            FieldError {
                field: "b".into(),
                message: "B is long.".into(),
            },
        ]);
        assert_eq!(e.to_string(), "A is short. B is long.");
        assert_eq!(e.status_code(), 422);
    }

    #[test]
    fn unknown_choices_name_the_right_ones() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args(
            "unknown variant `exam`, expected `practice` or `interview`".into(),
        ));
        assert_eq!(
            e.to_string(),
            "That is not one of the choices: expected practice or interview."
        );
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args("invalid digit".into()));
        assert_eq!(e.to_string(), "The request was malformed.");
    }

    #[test]
    fn internal_says_nothing_specific() {
        assert!(!AppError::Internal.to_string().contains("sql"));
    }
}
