//! Syntax highlighting for code in reference answers, done once on the
//! server when the Markdown is rendered. Tokens get one of a handful of
//! classes (comment, string, number, keyword, function, type) that the
//! stylesheet colours for each theme; no script runs in the browser.

use std::sync::OnceLock;
use std::time::Instant;

use syntect::easy::ScopeRangeIterator;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Loads the syntaxes and compiles the regexes of every language we
/// colour (syntect compiles them on first use: tens of milliseconds each,
/// which would otherwise eat a document's whole budget). Once per process;
/// the bank pays it at start-up.
pub fn load() {
    static LOADED: OnceLock<()> = OnceLock::new();
    LOADED.get_or_init(|| {
        let set = syntaxes();
        classes();
        for lang in LANGUAGE_CLASSES {
            let token = lang.trim_start_matches("language-");
            if let Some(syntax) = set.find_syntax_by_token(token) {
                let mut state = ParseState::new(syntax);
                let _ = state.parse_line("x = \"y\" // z\n", set);
            }
        }
    });
}

/// Scope prefixes and the class each maps to, most specific first.
fn classes() -> &'static [(Scope, &'static str)] {
    static CLASSES: OnceLock<Vec<(Scope, &'static str)>> = OnceLock::new();
    CLASSES.get_or_init(|| {
        [
            ("comment", "hl-com"),
            ("string", "hl-str"),
            ("constant.numeric", "hl-num"),
            ("constant.language", "hl-num"),
            ("entity.name.function", "hl-fn"),
            ("support.function", "hl-fn"),
            ("variable.function", "hl-fn"),
            ("entity.name.type", "hl-ty"),
            ("support.type", "hl-ty"),
            ("storage.type", "hl-kw"),
            ("storage.modifier", "hl-kw"),
            ("keyword.operator.word", "hl-kw"),
            ("keyword.control", "hl-kw"),
            ("keyword.other", "hl-kw"),
            ("keyword.declaration", "hl-kw"),
        ]
        .into_iter()
        .filter_map(|(s, c)| Scope::new(s).ok().map(|s| (s, c)))
        .collect()
    })
}

/// The class of the innermost scope we colour.
fn class_of(stack: &ScopeStack) -> Option<&'static str> {
    stack.as_slice().iter().rev().find_map(|scope| {
        classes()
            .iter()
            .find(|(prefix, _)| prefix.is_prefix_of(*scope))
            .map(|(_, class)| *class)
    })
}

/// `code` as escaped HTML with token spans, or `None` when the language is
/// unknown, the highlighter fails or `deadline` passes (the caller shows
/// it plain).
pub fn highlight(lang: &str, code: &str, deadline: Option<Instant>) -> Option<String> {
    if lang.is_empty() {
        return None;
    }
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(lang)?;
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = String::with_capacity(code.len() * 2);
    // Neighbouring tokens of one class share a span.
    let mut run: (Option<&'static str>, String) = (None, String::new());
    for line in LinesWithEndings::from(code) {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return None;
        }
        let ops = state.parse_line(line, set).ok()?;
        for (range, op) in ScopeRangeIterator::new(&ops, line) {
            stack.apply(op).ok()?;
            let text = line.get(range)?;
            if text.is_empty() {
                continue;
            }
            // Whitespace joins whatever run it is in.
            let class = if text.trim().is_empty() {
                run.0
            } else {
                class_of(&stack)
            };
            if class != run.0 {
                flush(&mut out, &run);
                run = (class, String::new());
            }
            run.1.push_str(text);
        }
    }
    flush(&mut out, &run);
    Some(out)
}

fn flush(out: &mut String, (class, text): &(Option<&'static str>, String)) {
    let escaped = escape(text);
    match class {
        Some(class) => {
            out.push_str("<span class=\"");
            out.push_str(class);
            out.push_str("\">");
            out.push_str(&escaped);
            out.push_str("</span>");
        }
        None => out.push_str(&escaped),
    }
}

pub(super) const LANGUAGE_CLASSES: &[&str] = &[
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
