//! Markdown to safe HTML: pulldown-cmark renders, ammonia sanitizes.

use std::sync::OnceLock;

use pulldown_cmark::{html, Options, Parser};

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        // Keep `language-xxx` on code blocks so CSS can label them.
        builder.add_allowed_classes("code", LANGUAGE_CLASSES);
        builder.link_rel(Some("noopener noreferrer nofollow"));
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

/// Renders Markdown to HTML that is safe to put in a page as is.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    sanitizer().clean(&unsafe_html).to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn renders_code_blocks_with_language() {
        let html = render("Hi\n\n```sql\nSELECT 1;\n```\n");
        assert!(
            html.contains("<pre><code class=\"language-sql\">SELECT 1;"),
            "{html}"
        );
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
    }
}
