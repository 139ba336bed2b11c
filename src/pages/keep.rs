//! How a personal page asks to be kept (`server::page_cache`).

/// Lets the page being rendered be kept for the person viewing it until
/// `until` (Unix ms), or until their data changes, whichever is first.
/// Only for a page whose every byte depends on nothing but that person's
/// own data (and the bank), and on the time only up to `until`.
pub fn keep_until(until: i64) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&until.to_string()),
    ) {
        response.insert_header(crate::platform::request::KEEP_UNTIL, value);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = until;
}

/// Lets the page being rendered be kept for at most `ms` from now: for a
/// page that moves slowly with the clock (a recall estimate).
pub fn keep_for(ms: i64) {
    #[cfg(feature = "ssr")]
    keep_until(crate::platform::now_ms().saturating_add(ms));
    #[cfg(not(feature = "ssr"))]
    let _ = ms;
}
