//! Light and dark themes. The choice lives in a cookie so the server renders
//! the right theme on the first byte: no flash. The toggle is a few lines of
//! `page.js`, so pages without islands need no WASM for it. "System"
//! follows `prefers-color-scheme` in CSS.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const THEME_COOKIE: &str = "rehearse_theme";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }

    pub fn parse(value: &str) -> Self {
        match value {
            "light" => Self::Light,
            "dark" => Self::Dark,
            _ => Self::System,
        }
    }

    /// The order the toggle cycles through.
    pub fn next(self) -> Self {
        match self {
            Self::System => Self::Light,
            Self::Light => Self::Dark,
            Self::Dark => Self::System,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::System => "Theme: system",
            Self::Light => "Theme: light",
            Self::Dark => "Theme: dark",
        }
    }

    /// The theme named by the request's cookie (server side).
    #[cfg(feature = "ssr")]
    pub fn from_request() -> Self {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                crate::platform::net::cookies(&parts.headers, THEME_COOKIE)
                    .next()
                    .map(Self::parse)
            })
            .unwrap_or_default()
    }

    #[cfg(not(feature = "ssr"))]
    pub fn from_request() -> Self {
        Self::System
    }
}

/// The toggle's button. `page.js` (inlined in every page, no WASM) cycles
/// the theme when it is pressed.
#[component]
pub fn ThemeToggle(initial: Theme) -> impl IntoView {
    view! {
        <button type="button" class="theme-toggle"
            title="Switch between system, light and dark themes"
            data-theme-choice=initial.as_str()>
            {initial.label()}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::Theme;

    #[test]
    fn cycles_through_all_three() {
        let t = Theme::System;
        assert_eq!(t.next(), Theme::Light);
        assert_eq!(t.next().next(), Theme::Dark);
        assert_eq!(t.next().next().next(), Theme::System);
        assert_eq!(Theme::parse("nonsense"), Theme::System);
    }

    /// The page script cycles the same way, with the same labels, cookie
    /// and attribute values as the server renders.
    #[test]
    fn the_page_script_agrees_with_the_server() {
        let js = crate::components::page_script::PAGE_JS;
        for t in [Theme::System, Theme::Light, Theme::Dark] {
            assert!(
                js.contains(&format!("{}: \"{}\"", t.as_str(), t.next().as_str())),
                "{t:?}"
            );
            assert!(
                js.contains(&format!("{}: \"{}\"", t.as_str(), t.label())),
                "{t:?}"
            );
        }
        assert!(js.contains(&format!("\"{}=\"", super::THEME_COOKIE)));
    }
}
