//! How a page shows an error: what went wrong and what to do next. The
//! text comes from `AppError`'s Display, which never carries internals.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;

#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status_code()) {
            response.set_status(status);
        }
    }
    let (title, hint) = match &error {
        AppError::NotFound(_) => ("Not found", "Check the address, or find it from the list."),
        AppError::Unauthorized => ("Please log in", "Log in, then try again."),
        AppError::Forbidden => ("No access", "This belongs to someone else."),
        AppError::Validation(_) => (
            "Please check your input",
            "Fix the highlighted problem and try again.",
        ),
        AppError::RateLimited { .. } => ("Slow down", "Wait a moment, then try again."),
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
