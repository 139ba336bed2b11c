//! Leaving the page from an island once the server has said yes.

use leptos::prelude::*;

use crate::error::AppError;

/// Full-page navigation, so the server renders the next page (with any new
/// cookie in place). Does nothing while rendering on the server.
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// Renders the current page again from the server (after a change the
/// server-drawn parts must show).
pub fn reload() {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().reload();
    }
}

/// Opens the runner of the session whose id a server action returns.
pub fn open_session_when_started<S>(value: S)
where
    S: Get<Value = Option<Result<String, AppError>>> + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(id)) = value.get() {
            go_to(&format!("/practice/{id}"));
        }
    });
}
