//! Light and dark themes. The choice lives in a cookie so the server renders
//! the right theme on the first byte: no flash, and no inline script for the
//! CSP to allow. "System" follows `prefers-color-scheme` in CSS.

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

    fn label(self) -> &'static str {
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
                parts
                    .headers
                    .get_all(http::header::COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(';'))
                    .filter_map(|pair| pair.trim().split_once('='))
                    .find(|(name, _)| *name == THEME_COOKIE)
                    .map(|(_, value)| Self::parse(value))
            })
            .unwrap_or_default()
    }

    #[cfg(not(feature = "ssr"))]
    pub fn from_request() -> Self {
        Self::System
    }
}

#[island]
pub fn ThemeToggle(initial: Theme) -> impl IntoView {
    let theme = RwSignal::new(initial);
    let toggle = move |_| {
        let next = theme.get_untracked().next();
        theme.set(next);
        apply(next);
    };
    view! {
        <button type="button" class="theme-toggle" on:click=toggle
            title="Switch between system, light and dark themes"
            data-theme-choice=move || theme.get().as_str()>
            {move || theme.get().label()}
        </button>
    }
}

/// Sets the attribute the CSS keys on and remembers the choice for a year.
#[cfg(feature = "hydrate")]
fn apply(theme: Theme) {
    use wasm_bindgen::JsCast;
    let doc = document();
    if let Some(root) = doc.document_element() {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
    if let Ok(html_doc) = doc.dyn_into::<web_sys::HtmlDocument>() {
        let _ = html_doc.set_cookie(&format!(
            "{THEME_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            theme.as_str()
        ));
    }
}

#[cfg(not(feature = "hydrate"))]
fn apply(_theme: Theme) {}

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
}
