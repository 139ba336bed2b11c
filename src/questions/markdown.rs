//! Markdown to safe HTML: pulldown-cmark renders, ammonia sanitizes.

use super::highlight::{escape, LANGUAGE_CLASSES};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

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

/// How long highlighting may take in one document: past it, the rest of
/// its code blocks are shown plain. Our own bank's longest answer highlights
/// in about 1 ms (release); a hostile one is cut off here.
pub const HIGHLIGHT_BUDGET: Duration = Duration::from_millis(25);
/// Code blocks longer than this, or with a longer line, are shown plain.
/// syntect's regexes work line by line, and one long line of an unlucky
/// shape (`"a_ "` repeated in reStructuredText) took seconds.
const MAX_HIGHLIGHT_BYTES: usize = 16 * 1024;
const MAX_HIGHLIGHT_LINE: usize = 500;

/// Renders Markdown to HTML that is safe to put in a page as is. Fenced
/// code in a language we know is highlighted here, on the server, within
/// [`HIGHLIGHT_BUDGET`].
///
/// Text is shown as it was typed: raw HTML (`Vec<String>`, `a<b and b>c`,
/// `<script>`) and entity references (`&lt;`) appear as the literal
/// characters, never as tags or the character they name. Markdown itself
/// (emphasis, lists, links, code) still formats.
///
/// CPU-bound: on a request path call [`render_apart`], never while a write
/// turn or a transaction is held.
pub fn render(markdown: &str) -> String {
    render_within(markdown, Some(HIGHLIGHT_BUDGET))
}

/// [`render`] for text we wrote ourselves (the built-in bank): no time
/// budget, so the stored HTML is the same on every start however busy the
/// machine is; the size caps still apply.
pub fn render_trusted(markdown: &str) -> String {
    render_within(markdown, None)
}

fn render_within(markdown: &str, budget: Option<Duration>) -> String {
    // The budget starts at the first code block, once the syntaxes are
    // loaded (a one-off cost per process, paid at start-up by the bank).
    let mut deadline: Option<Option<Instant>> = None;
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None;
    let mut in_code_block = false;
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match (&mut code, event) {
            (None, Event::Start(Tag::CodeBlock(kind))) => match kind {
                CodeBlockKind::Fenced(lang) => code = Some((lang.to_string(), String::new())),
                indented => {
                    in_code_block = true;
                    events.push(Event::Start(Tag::CodeBlock(indented)));
                }
            },
            (Some((_, text)), Event::Text(t)) => text.push_str(&t),
            (Some(_), Event::End(TagEnd::CodeBlock)) => {
                if let Some((lang, text)) = code.take() {
                    let deadline = *deadline.get_or_insert_with(|| {
                        super::highlight::load();
                        budget.map(|b| Instant::now() + b)
                    });
                    events.push(Event::Html(CowStr::from(code_block(
                        &lang, &text, deadline,
                    ))));
                }
            }
            (None, Event::End(TagEnd::CodeBlock)) => {
                in_code_block = false;
                events.push(Event::End(TagEnd::CodeBlock));
            }
            // Raw HTML is text the person typed: shown, never parsed.
            (_, Event::Start(Tag::HtmlBlock)) => events.push(Event::Start(Tag::Paragraph)),
            (_, Event::End(TagEnd::HtmlBlock)) => events.push(Event::End(TagEnd::Paragraph)),
            (_, Event::Html(t) | Event::InlineHtml(t)) => events.push(Event::Text(t)),
            // An entity reference (`&lt;`) shows as typed, not as `<`.
            (_, Event::Text(t)) if !in_code_block => {
                let typed = markdown.get(range).unwrap_or("");
                if typed.starts_with('&') && typed.ends_with(';') && typed != &*t {
                    events.push(Event::Text(CowStr::from(typed.to_owned())));
                } else {
                    events.push(Event::Text(t));
                }
            }
            (_, event) => events.push(event),
        }
    }
    html::push_html(&mut unsafe_html, events.into_iter());
    sanitizer().clean(&unsafe_html).to_string()
}

/// [`render`] on the blocking pool, so that a long answer never holds up
/// the async workers that serve everyone else, and at most one render per
/// core at a time (a flood of long answers queues here instead of
/// spawning hundreds of blocking threads). `None` if the render failed.
pub async fn render_apart(markdown: String) -> Option<String> {
    static SLOTS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    let slots = SLOTS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    });
    let _slot = slots.acquire().await.ok()?;
    match tokio::task::spawn_blocking(move || render(&markdown)).await {
        Ok(html) => Some(html),
        Err(error) => {
            tracing::error!(%error, "rendering Markdown failed");
            None
        }
    }
}

/// Text shown exactly as typed, escaped, keeping its line breaks: what a
/// reader sees of an answer until its rendered HTML is stored.
pub fn plain(text: &str) -> String {
    format!("<p class=\"as-typed\">{}</p>", escape(text))
}

/// A fenced block as `<pre><code class="language-x">`, its tokens wrapped
/// in the few classes the stylesheet colours (plain when the language is
/// one we don't colour, the block is too big, or time is up).
fn code_block(lang: &str, text: &str, deadline: Option<Instant>) -> String {
    let lang = lang.split_whitespace().next().unwrap_or("");
    let highlighted = (text.len() <= MAX_HIGHLIGHT_BYTES
        && text.lines().all(|l| l.len() <= MAX_HIGHLIGHT_LINE)
        && LANGUAGE_CLASSES.contains(&format!("language-{lang}").as_str()))
    .then(|| super::highlight::highlight(lang, text, deadline))
    .flatten();
    let body = highlighted.unwrap_or_else(|| escape(text));
    if lang.is_empty() {
        format!("<pre tabindex=\"0\"><code>{body}</code></pre>\n")
    } else {
        format!(
            "<pre tabindex=\"0\"><code class=\"language-{}\">{body}</code></pre>\n",
            escape(lang)
        )
    }
}

/// The token classes highlighted code may carry.
const TOKEN_CLASSES: &[&str] = &["hl-com", "hl-str", "hl-num", "hl-kw", "hl-fn", "hl-ty"];

#[cfg(test)]
mod tests {
    use super::render;
    use std::time::Instant;

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
        assert!(!html.contains("<img"), "{html}");
        // What was typed is shown as text, escaped.
        assert!(
            html.contains(
                "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
            ),
            "{html}"
        );
        assert!(!html.contains("href=\"javascript:"), "{html}");
        assert!(html.contains("<a"), "the link itself survives: {html}");
        let pixel = render("![x](https://tracker.example/p.png) <img src=\"x\">");
        assert!(!pixel.contains("<img"), "{pixel}");
    }

    #[test]
    fn angle_brackets_and_entities_show_as_typed() {
        let html = render("Use Vec<String> and Option<T>; a<b and b>c.");
        assert_eq!(
            html.trim(),
            "<p>Use Vec&lt;String&gt; and Option&lt;T&gt;; a&lt;b and b&gt;c.</p>"
        );
        let entities = render("Write &lt;b&gt; or &amp; or &#60; **bold**");
        assert_eq!(
            entities.trim(),
            "<p>Write &amp;lt;b&amp;gt; or &amp;amp; or &amp;#60; <strong>bold</strong></p>"
        );
        let block =
            render("<div onclick=\"x()\">\nhi\n</div>\n\n`<i>` and\n\n    <b>indented</b>\n");
        assert!(
            !block.contains("<div") && !block.contains("<i>") && !block.contains("<b>"),
            "{block}"
        );
        assert!(block.contains("&lt;div onclick=\"x()\"&gt;"), "{block}");
        assert!(block.contains("<code>&lt;i&gt;</code>"), "{block}");
        assert!(block.contains("&lt;b&gt;indented&lt;/b&gt;"), "{block}");
    }

    #[test]
    fn long_or_unknown_code_is_shown_plain_not_highlighted() {
        // Reported: seconds of CPU per render for this one.
        let rst = format!("```rst\n{}\n```\n", "a_ ".repeat(6_000));
        let html = render(&rst);
        assert!(!html.contains("hl-"), "not highlighted");
        assert!(html.contains("a_ a_ a_"), "shown plain");
        let long_line = format!("```rust\nlet s = \"{}\";\n```\n", "x".repeat(2_000));
        assert!(!render(&long_line).contains("hl-"));
        // Past the deadline, blocks come back plain.
        assert_eq!(
            super::super::highlight::highlight("rust", "fn main() {}\n", Some(Instant::now())),
            None
        );
    }
}
