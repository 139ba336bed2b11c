//! Markdown to safe HTML: pulldown-cmark renders, ammonia sanitizes.

use std::sync::OnceLock;

use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        // Keep `language-xxx` on code blocks so CSS can label them.
        builder.add_allowed_classes("code", LANGUAGE_CLASSES);
        builder.add_allowed_classes("span", TOKEN_CLASSES);
        // Code blocks scroll sideways on narrow screens: keyboard users
        // must be able to focus them to scroll.
        builder.add_tag_attributes("pre", &["tabindex"]);
        builder.link_rel(Some("noopener noreferrer nofollow"));
        // No images: an answer could otherwise make a reviewer's browser
        // fetch any address (a tracking pixel), and the bank needs none.
        builder.rm_tags(&["img"]);
        builder
    })
}

const LANGUAGE_CLASSES: &[&str] = &[
    "language-sql",
    "language-rust",
    "language-http",
    "language-json",
    "language-bash",
    "language-sh",
    "language-shell",
    "language-python",
    "language-javascript",
    "language-js",
    "language-typescript",
    "language-ts",
    "language-go",
    "language-java",
    "language-yaml",
    "language-toml",
    "language-text",
    "language-pseudo",
    "language-dockerfile",
    "language-nginx",
    "language-graphql",
    "language-protobuf",
    "language-proto",
];

/// Renders Markdown to HTML that is safe to put in a page as is. Fenced
/// code in a language we know is highlighted here, on the server.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None;
    for event in Parser::new_ext(markdown, options) {
        match (&mut code, event) {
            (None, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang)))) => {
                code = Some((lang.to_string(), String::new()));
            }
            (Some((_, text)), Event::Text(t)) => text.push_str(&t),
            (Some(_), Event::End(TagEnd::CodeBlock)) => {
                if let Some((lang, text)) = code.take() {
                    events.push(Event::Html(CowStr::from(code_block(&lang, &text))));
                }
            }
            (_, event) => events.push(event),
        }
    }
    html::push_html(&mut unsafe_html, events.into_iter());
    sanitizer().clean(&unsafe_html).to_string()
}

/// A fenced block as `<pre><code class="language-x">`, its tokens wrapped
/// in the few classes the stylesheet colours (plain when the language is
/// one the highlighter doesn't know).
fn code_block(lang: &str, text: &str) -> String {
    let lang = lang.split_whitespace().next().unwrap_or("");
    let body = super::highlight::highlight(lang, text).unwrap_or_else(|| escape(text));
    if lang.is_empty() {
        format!("<pre tabindex=\"0\"><code>{body}</code></pre>\n")
    } else {
        format!(
            "<pre tabindex=\"0\"><code class=\"language-{}\">{body}</code></pre>\n",
            escape(lang)
        )
    }
}

pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// The token classes highlighted code may carry.
const TOKEN_CLASSES: &[&str] = &["hl-com", "hl-str", "hl-num", "hl-kw", "hl-fn", "hl-ty"];

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn renders_code_blocks_with_language() {
        let html = render("Hi\n\n```sql\nSELECT 1;\n```\n");
        assert!(
            html.contains("<pre tabindex=\"0\"><code class=\"language-sql\">"),
            "{html}"
        );
    }

    #[test]
    fn highlights_known_languages_on_the_server_and_escapes_everything() {
        let html = render("```rust\n// note\nfn main() { let s = \"<b>\"; }\n```\n");
        assert!(
            html.contains("<span class=\"hl-com\">// note\n</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-str\">\"&lt;b&gt;\"</span>"),
            "{html}"
        );
        assert!(html.contains("<span class=\"hl-kw\">fn "), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        let sql = render("```sql\nSELECT 1 FROM t WHERE a = 'x';\n```\n");
        assert!(sql.contains("<span class=\"hl-kw\">SELECT "), "{sql}");
        assert!(sql.contains("hl-str"), "{sql}");
        // Unknown languages and code injected as a language stay inert.
        let odd = render("```nosuchlang\n<script>alert(1)</script>\n```\n");
        assert!(odd.contains("&lt;script&gt;"), "{odd}");
        let hostile = render("```\"><script>alert(1)</script>\nx\n```\n");
        assert!(!hostile.contains("<script"), "{hostile}");
    }

    #[test]
    fn strips_scripts_and_handlers() {
        let html = render(
            "<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[a](javascript:alert(1))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("href=\"javascript:"), "{html}");
        assert!(html.contains("<a"), "the link itself survives: {html}");
        let pixel = render("![x](https://tracker.example/p.png) <img src=\"x\">");
        assert!(!pixel.contains("<img"), "{pixel}");
    }
}
