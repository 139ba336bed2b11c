//! How a page shows an error: what went wrong and what to do next. The
//! text comes from `AppError`'s Display, which never carries internals.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;

/// Sets the HTTP status of the page being rendered: the one way a page
/// says it is a 404, a 403 or an error (codes from `AppError::status_code`
/// or a closed share link's own).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    set_status(error.status_code());
    let (title, hint) = match &error {
        AppError::NotFound(_) => ("Not found", "Check the address, or find it from the list."),
        AppError::Unauthorized => ("Please log in", "Log in, then try again."),
        AppError::Forbidden => ("No access", "This belongs to someone else."),
        AppError::Validation(_) => (
            "Please check your input",
            "Fix the highlighted problem and try again.",
        ),
        AppError::RateLimited { .. } => ("Slow down", "Wait a moment, then try again."),
        AppError::StorageFull => (
            "Can't save right now",
            "The server's operator needs to free some disk space. What you saved before is safe.",
        ),
        AppError::Busy => ("Busy right now", "Wait a moment, then try again."),
        _ => (
            "Something went wrong",
            "Reload the page in a moment. If it keeps happening, the server log has the details.",
        ),
    };
    view! {
        <Title text=title/>
        <section class="panel error-panel" role="alert">
            <h1>{title}</h1>
            <p class="lead">{error.to_string()}</p>
            <p>{hint}</p>
            <p><a href="/">"Start page"</a>" · "<a href="/questions">"Question bank"</a></p>
        </section>
    }
}
