//! Displays Markdown that the server has already rendered and sanitized.

use leptos::prelude::*;

/// `html` must come from `questions::markdown::render` (sanitized with
/// ammonia on the server); never pass user text here directly.
#[component]
pub fn SanitizedHtml(html: String, #[prop(optional)] class: &'static str) -> impl IntoView {
    view! { <div class=format!("markdown {class}") inner_html=html></div> }
}

/// Start and end markers that full-text search puts around matched words.
/// Control characters cannot appear in bank text, so they are unambiguous.
pub const MATCH_START: char = '\u{1}';
pub const MATCH_END: char = '\u{2}';

/// Plain text with search matches wrapped in `<mark>`, escaped like any text.
#[component]
pub fn Highlighted(text: String) -> impl IntoView {
    split_matches(&text)
        .into_iter()
        .map(|(matched, part)| {
            if matched {
                view! { <mark>{part}</mark> }.into_any()
            } else {
                part.into_any()
            }
        })
        .collect_view()
}

/// Splits text at the markers into (is_match, fragment) pairs.
pub fn split_matches(text: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_match = false;
    for ch in text.chars() {
        match ch {
            MATCH_START | MATCH_END => {
                if !current.is_empty() {
                    out.push((in_match, std::mem::take(&mut current)));
                }
                in_match = ch == MATCH_START;
            }
            _ => current.push(ch),
        }
    }
    if !current.is_empty() {
        out.push((in_match, current));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::split_matches;

    #[test]
    fn splits_marked_words() {
        let parts = split_matches("a \u{1}cache\u{2} miss");
        assert_eq!(
            parts,
            vec![
                (false, "a ".into()),
                (true, "cache".into()),
                (false, " miss".into())
            ]
        );
        assert_eq!(split_matches("<b>"), vec![(false, "<b>".into())]);
    }
}
