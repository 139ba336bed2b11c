//! Which browser code a page gets.
//!
//! Every page gets `page.js`, a few hundred bytes inlined with the CSP
//! nonce: the theme toggle and self-applying filter forms. Only pages with
//! islands get the WASM. Reading the bank downloads none: the list and
//! search (`/questions`) have no island for anyone, a question none for a
//! visitor, which tests check. (Signed in, a question's page can hold the
//! review-card controls.)

use leptos::prelude::*;

/// The script, also read by tests that check it agrees with the server.
pub const PAGE_JS: &str = include_str!("page.js");

/// Whether this page loads the WASM and hydrates islands, decided once in
/// the shell and read by the nav (which marks hydration only then).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wasm(pub bool);

/// The pages that can hold an island.
pub fn page_needs_wasm(path: &str, logged_in: bool) -> bool {
    match path {
        "/questions" => false,
        question if question.starts_with("/questions/") => logged_in,
        _ => true,
    }
}

/// Whether the page being rendered loads the WASM (`true` outside a
/// request, and in the browser, where only WASM pages run code at all).
pub fn wasm() -> bool {
    use_context::<Wasm>().is_none_or(|w| w.0)
}

/// `page.js`, inline, allowed by this response's nonce.
#[component]
pub fn PageScript() -> impl IntoView {
    view! { <script nonce=leptos::nonce::use_nonce() inner_html=PAGE_JS></script> }
}

#[cfg(test)]
mod tests {
    use super::page_needs_wasm;

    #[test]
    fn reading_the_bank_goes_without() {
        assert!(!page_needs_wasm("/questions", false));
        assert!(!page_needs_wasm("/questions", true));
        assert!(!page_needs_wasm("/questions/what-is-a-cache", false));
        assert!(page_needs_wasm("/questions/what-is-a-cache", true));
        assert!(page_needs_wasm("/", false));
        assert!(page_needs_wasm("/questionsx", false));
        assert!(page_needs_wasm("/practice/new", false));
    }
}
