//! Types shared by the server and the browser.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(
    feature = "ssr",
    derive(sqlx::Type),
    sqlx(type_name = "text", rename_all = "lowercase")
)]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Beginner, Level::Intermediate, Level::Advanced];

    /// The value stored in the database and used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Beginner => "beginner",
            Self::Intermediate => "intermediate",
            Self::Advanced => "advanced",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Beginner => "Beginner",
            Self::Intermediate => "Intermediate",
            Self::Advanced => "Advanced",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == value)
    }
}

/// What the `/questions` list shows: every field lives in the URL so a link
/// reproduces the view and Back returns to it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "RawQuestionFilter")]
pub struct QuestionFilter {
    pub levels: Vec<Level>,
    pub topics: Vec<String>,
    pub q: String,
    pub page: u32,
}

/// A filter as it arrives, before [`QuestionFilter::normalized`].
#[derive(Deserialize)]
struct RawQuestionFilter {
    #[serde(default)]
    levels: Vec<Level>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: u32,
}

impl From<RawQuestionFilter> for QuestionFilter {
    fn from(raw: RawQuestionFilter) -> Self {
        Self {
            levels: raw.levels,
            topics: raw.topics,
            q: raw.q,
            page: raw.page,
        }
        .normalized()
    }
}

/// Topics one filter may name.
pub const MAX_FILTER_TOPICS: usize = 32;
/// Last page (0-based) a list goes to.
pub const MAX_PAGE: u32 = 9_999;

/// A topic or question slug: lowercase letters, digits and dashes, at most
/// 80 characters.
pub fn is_slug(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 80
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Longest search text we accept; longer input is cut, not refused, since
/// nobody means to search for a paragraph.
pub const MAX_QUERY_CHARS: usize = 200;
pub const PAGE_SIZE: u32 = 20;

impl QuestionFilter {
    /// Builds a filter from URL query pairs, ignoring values it can't use.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut filter = Self::default();
        for (key, value) in pairs {
            match key {
                "level" => {
                    if let Some(level) = Level::parse(value) {
                        if !filter.levels.contains(&level) {
                            filter.levels.push(level);
                        }
                    }
                }
                "topic" => filter.topics.push(value.to_owned()),
                "q" => filter.q = value.to_owned(),
                "page" => filter.page = value.parse::<u32>().unwrap_or(1).saturating_sub(1),
                _ => {}
            }
        }
        filter.normalized()
    }

    /// The one place a filter's bounds are enforced, whether it came from a
    /// URL or straight from a server-function call: levels and topics
    /// without repeats, topics well-formed and at most [`MAX_FILTER_TOPICS`],
    /// the search text trimmed and cut to [`MAX_QUERY_CHARS`], the page
    /// within [`MAX_PAGE`]. Deserializing a filter always runs it.
    pub fn normalized(mut self) -> Self {
        self.levels.sort();
        self.levels.dedup();
        let mut topics: Vec<String> = Vec::new();
        for topic in self.topics {
            if is_slug(&topic) && !topics.contains(&topic) && topics.len() < MAX_FILTER_TOPICS {
                topics.push(topic);
            }
        }
        self.topics = topics;
        self.q = self.q.trim().chars().take(MAX_QUERY_CHARS).collect();
        self.page = self.page.min(MAX_PAGE);
        self
    }

    /// The query string (without `?`) that reproduces this filter.
    pub fn to_query(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for level in &self.levels {
            parts.push(format!("level={}", level.as_str()));
        }
        for topic in &self.topics {
            parts.push(format!("topic={topic}"));
        }
        if !self.q.is_empty() {
            parts.push(format!("q={}", encode_component(&self.q)));
        }
        if self.page > 0 {
            parts.push(format!("page={}", self.page + 1));
        }
        parts.join("&")
    }

    pub fn with_page(&self, page: u32) -> Self {
        Self {
            page,
            ..self.clone()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.levels.is_empty() && self.topics.is_empty() && self.q.is_empty()
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicInfo {
    pub slug: String,
    pub name: String,
    pub behavioral: bool,
}

/// One row of the list. `prompt` and `snippet` may carry match markers
/// (see `components::markdown::MATCH_START`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionSummary {
    pub slug: String,
    pub topic_slug: String,
    pub topic_name: String,
    pub level: Level,
    pub prompt: String,
    pub snippet: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicCount {
    pub slug: String,
    pub name: String,
    pub count: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionList {
    pub items: Vec<QuestionSummary>,
    pub total: i64,
    pub page: u32,
    /// How many questions each level would show with the other filters kept.
    pub level_counts: Vec<(Level, i64)>,
    /// How many questions each topic would show with the other filters kept.
    pub topic_counts: Vec<TopicCount>,
}

impl QuestionList {
    pub fn page_count(&self) -> u32 {
        let pages = (self.total.max(0) as u64).div_ceil(u64::from(PAGE_SIZE));
        u32::try_from(pages).unwrap_or(u32::MAX).max(1)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionDetail {
    pub slug: String,
    pub topic: TopicInfo,
    pub level: Level,
    pub prompt: String,
    /// Sanitized HTML rendered from the Markdown reference answer.
    pub answer_html: String,
    pub key_points: Vec<String>,
    /// What candidates commonly get wrong.
    pub mistakes: Vec<String>,
    /// What an interviewer asks next.
    pub follow_ups: Vec<FollowUp>,
    pub archived: bool,
    /// Neighbours in the list the reader came from.
    pub prev: Option<String>,
    pub next: Option<String>,
    pub position: Option<(i64, i64)>,
}

/// A question an interviewer asks after this one, with a short model
/// answer (sanitized HTML).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub prompt: String,
    pub answer_html: String,
    /// In a session: already added to it.
    #[serde(default)]
    pub asked: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawnQuestion {
    pub slug: String,
    pub prompt: String,
    pub level: Level,
    pub topic_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_round_trips_through_the_url() {
        let f = QuestionFilter::from_pairs([
            ("level", "advanced"),
            ("level", "beginner"),
            ("level", "bogus"),
            ("topic", "apis"),
            ("topic", "DROP TABLE"),
            ("q", "  cache & co "),
            ("page", "3"),
        ]);
        assert_eq!(f.levels, vec![Level::Beginner, Level::Advanced]);
        assert_eq!(f.topics, vec!["apis".to_owned()]);
        assert_eq!(f.q, "cache & co");
        assert_eq!(f.page, 2);
        assert_eq!(
            f.to_query(),
            "level=beginner&level=advanced&topic=apis&q=cache%20%26%20co&page=3"
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_decoded_filter_gets_the_same_bounds_as_a_url() {
        let raw = serde_json::json!({
            "levels": ["advanced", "advanced", "beginner"],
            "topics": (0..100).map(|i| format!("t{i}")).chain(["Bad Topic".to_owned()]).collect::<Vec<_>>(),
            "q": format!("  {}  ", "x".repeat(1000)),
            "page": u32::MAX,
        });
        let f: QuestionFilter = match serde_json::from_value(raw) {
            Ok(f) => f,
            Err(e) => panic!("decodes: {e}"),
        };
        assert_eq!(f.levels, vec![Level::Beginner, Level::Advanced]);
        assert_eq!(f.topics.len(), MAX_FILTER_TOPICS);
        assert_eq!(f.q.chars().count(), MAX_QUERY_CHARS);
        assert_eq!(f.page, MAX_PAGE);
    }

    #[test]
    fn bad_page_numbers_fall_back_to_first() {
        assert_eq!(QuestionFilter::from_pairs([("page", "0")]).page, 0);
        assert_eq!(QuestionFilter::from_pairs([("page", "-4")]).page, 0);
        assert_eq!(QuestionFilter::from_pairs([("page", "x")]).page, 0);
    }
}
