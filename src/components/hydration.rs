//! Marks the document once the browser code is running, so browser tests
//! (and CSS, if it wants) can tell a server-rendered page from a live one.

use leptos::prelude::*;

/// False while the page is the server's HTML, true once the island's code
/// runs (effects run in the browser only). A field bound with `prop:value`
/// is filled when its island hydrates, which overwrites anything typed
/// before then: such fields show the server's text and stay read-only
/// until this is true.
pub fn live() -> ReadSignal<bool> {
    let (live, set_live) = signal(false);
    Effect::new(move |_| set_live.set(true));
    live
}

/// Text to put inside a `<textarea>` as its server-rendered content.
/// Leptos writes a textarea's children out unescaped (it counts textarea as
/// raw text), yet the browser ends the element at the first `</textarea>`
/// and decodes `&` entities in it: so on the server `&` and `<` are escaped
/// here, or a comment or draft could inject markup. In the browser the text
/// becomes a text node, which needs nothing.
pub fn textarea_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;").replace('<', "&lt;")
    } else {
        text.to_owned()
    }
}

#[island]
pub fn HydrationMarker() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::textarea_text;

    #[test]
    fn textarea_text_cannot_end_the_element() {
        assert_eq!(
            textarea_text("a </textarea><b data-xss>x</b> &lt; & b"),
            "a &lt;/textarea>&lt;b data-xss>x&lt;/b> &amp;lt; &amp; b"
        );
        assert_eq!(textarea_text(""), "");
    }
}
