//! Turns what a person typed into a safe FTS5 query.
//!
//! FTS5 has its own query language (`AND`, `NEAR`, `"`, `*`, `:` column
//! filters...). User text is never passed through: we keep only word
//! characters, quote each word and add `*` for prefix matching, so any
//! input, SQL or FTS syntax included, becomes a plain word search.

/// The searchable words: runs of letters and digits, lower-cased, at most 12.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(str::to_lowercase)
        .collect()
}

/// `None` when the text holds no searchable word. Only the last word is a
/// prefix (the one still being typed); earlier words are whole words, which
/// FTS5 looks up directly instead of expanding every term they begin.
pub fn fts_query(text: &str) -> Option<String> {
    let words = words(text);
    let last = words.len().checked_sub(1)?;
    let terms: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i == last {
                format!("\"{w}\"*")
            } else {
                format!("\"{w}\"")
            }
        })
        .collect();
    Some(terms.join(" "))
}

/// The same words as a PostgreSQL `to_tsquery` text: every word required,
/// the last one as a prefix (`a & b & c:*`). Only letters and digits get
/// through, so no input can add tsquery operators.
pub fn ts_query(text: &str) -> Option<String> {
    let words = words(text);
    let last = words.last()?;
    let mut terms: Vec<String> = words[..words.len() - 1].to_vec();
    terms.push(format!("{last}:*"));
    Some(terms.join(" & "))
}

/// Snippets come from the Markdown source; drop the markup characters a
/// reader shouldn't see (code fences, emphasis, headings) and squeeze spaces.
pub(crate) fn plain_snippet(snippet: &str) -> String {
    let without = snippet.replace("```", " ");
    let cleaned: String = without
        .chars()
        .filter(|c| !matches!(c, '`' | '*' | '#'))
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::{fts_query, plain_snippet, ts_query};

    #[test]
    fn words_become_quoted_prefix_terms() {
        assert_eq!(
            fts_query("Cache inval").as_deref(),
            Some("\"cache\" \"inval\"*")
        );
    }

    #[test]
    fn syntax_and_injection_are_neutralised() {
        assert_eq!(
            fts_query("'; DROP TABLE questions; --").as_deref(),
            Some("\"drop\" \"table\" \"questions\"*")
        );
        assert_eq!(
            fts_query("prompt:\"x\" OR NEAR(a b)").as_deref(),
            Some("\"prompt\" \"x\" \"or\" \"near\" \"a\" \"b\"*")
        );
        assert_eq!(fts_query("  ** \"\" "), None);
    }

    #[test]
    fn snippets_lose_markdown_syntax() {
        assert_eq!(
            plain_snippet("use **cache** ```sql\nSELECT `x`"),
            "use cache sql SELECT x"
        );
    }

    #[test]
    fn tsquery_text_keeps_only_words() {
        assert_eq!(
            ts_query("Cache in-val").as_deref(),
            Some("cache & in & val:*")
        );
        assert_eq!(ts_query("a' | b:* & !c").as_deref(), Some("a & b & c:*"));
        assert_eq!(ts_query(" !&| "), None);
    }
}
