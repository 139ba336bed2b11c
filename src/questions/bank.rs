//! The built-in bank: TOML files under `bank/`, compiled into the binary,
//! validated, and synced into SQLite at start-up.

use std::collections::HashSet;

use serde::Deserialize;

use super::{markdown, types::Level};

/// Every bank file, embedded at compile time. Adding a topic means adding a
/// line here; the `bank_files_are_all_listed` test catches a forgotten one.
pub const BANK_FILES: &[(&str, &str)] = &[
    (
        "fundamentals.toml",
        include_str!("../../bank/fundamentals.toml"),
    ),
    ("apis.toml", include_str!("../../bank/apis.toml")),
    ("databases.toml", include_str!("../../bank/databases.toml")),
    ("security.toml", include_str!("../../bank/security.toml")),
    (
        "performance.toml",
        include_str!("../../bank/performance.toml"),
    ),
    (
        "architecture.toml",
        include_str!("../../bank/architecture.toml"),
    ),
    ("devops.toml", include_str!("../../bank/devops.toml")),
    (
        "networking.toml",
        include_str!("../../bank/networking.toml"),
    ),
    ("testing.toml", include_str!("../../bank/testing.toml")),
    (
        "concurrency.toml",
        include_str!("../../bank/concurrency.toml"),
    ),
    (
        "distributed.toml",
        include_str!("../../bank/distributed.toml"),
    ),
    ("messaging.toml", include_str!("../../bank/messaging.toml")),
    (
        "system-design.toml",
        include_str!("../../bank/system-design.toml"),
    ),
    (
        "behavioral.toml",
        include_str!("../../bank/behavioral.toml"),
    ),
];

pub const ANSWER_WORDS: std::ops::RangeInclusive<usize> = 80..=250;
/// Advanced answers may run longer.
pub const ADVANCED_ANSWER_WORDS: std::ops::RangeInclusive<usize> = 80..=300;
pub const KEY_POINTS: std::ops::RangeInclusive<usize> = 3..=6;
pub const MAX_MISTAKES: usize = 3;
pub const MAX_FOLLOW_UPS: usize = 3;
pub const FOLLOW_UP_WORDS: std::ops::RangeInclusive<usize> = 20..=150;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicFile {
    slug: String,
    name: String,
    position: i64,
    #[serde(default)]
    behavioral: bool,
    questions: Vec<QuestionEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionEntry {
    slug: String,
    level: String,
    prompt: String,
    answer: String,
    key_points: Vec<String>,
    #[serde(default)]
    mistakes: Vec<String>,
    #[serde(default)]
    follow_ups: Vec<FollowUpEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FollowUpEntry {
    prompt: String,
    answer: String,
}

/// A question an interviewer asks next, with a short model answer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BankFollowUp {
    pub prompt: String,
    pub answer: String,
    /// `answer` rendered, when the files are read (never in a transaction).
    #[serde(skip)]
    pub answer_html: String,
}

/// A validated topic, ready to sync.
#[derive(Debug, Clone)]
pub struct BankTopic {
    pub slug: String,
    pub name: String,
    pub position: i64,
    pub behavioral: bool,
    pub questions: Vec<BankQuestion>,
}

#[derive(Debug, Clone)]
pub struct BankQuestion {
    pub slug: String,
    pub level: Level,
    pub prompt: String,
    pub answer: String,
    /// `answer` rendered, when the files are read (never in a transaction).
    pub answer_html: String,
    pub key_points: Vec<String>,
    pub mistakes: Vec<String>,
    pub follow_ups: Vec<BankFollowUp>,
}

/// A problem in a bank file, naming the file, the entry and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("bank/{file}: {entry}: {problem}")]
pub struct BankError {
    pub file: String,
    pub entry: String,
    pub problem: String,
}

/// Parses and validates the given files; every problem found is reported.
pub fn parse_bank(files: &[(&str, &str)]) -> Result<Vec<BankTopic>, Vec<BankError>> {
    let mut errors = Vec::new();
    let mut topics = Vec::new();
    let mut seen_slugs = HashSet::new();
    let mut seen_topics = HashSet::new();
    for (file, text) in files {
        let err = |entry: &str, problem: String| BankError {
            file: (*file).to_owned(),
            entry: entry.to_owned(),
            problem,
        };
        let parsed: TopicFile = match toml::from_str(text) {
            Ok(parsed) => parsed,
            Err(e) => {
                errors.push(err("file", e.to_string()));
                continue;
            }
        };
        if !is_slug(&parsed.slug) || !seen_topics.insert(parsed.slug.clone()) {
            errors.push(err(
                "topic",
                format!("slug {:?} is invalid or repeated", parsed.slug),
            ));
        }
        let mut questions = Vec::new();
        for (i, q) in parsed.questions.into_iter().enumerate() {
            let entry = format!("question #{} ({})", i + 1, q.slug);
            let mut problems = Vec::new();
            if !is_slug(&q.slug) || q.slug.len() > 80 {
                problems.push(
                    "slug must be lowercase words joined by '-', at most 80 characters".to_owned(),
                );
            } else if !seen_slugs.insert(q.slug.clone()) {
                problems.push("slug is used by another question".to_owned());
            }
            let level = Level::parse(&q.level);
            if level.is_none() {
                problems.push(format!(
                    "level {:?} is not beginner, intermediate or advanced",
                    q.level
                ));
            }
            problems.extend(content_problems(&q, level));
            if problems.is_empty() {
                if let Some(level) = level {
                    questions.push(bank_question(q, level));
                }
            } else {
                errors.extend(problems.into_iter().map(|p| err(&entry, p)));
            }
        }
        for level in Level::ALL {
            if !questions.iter().any(|q| q.level == level) {
                errors.push(err("topic", format!("has no {} question", level.as_str())));
            }
        }
        topics.push(BankTopic {
            slug: parsed.slug,
            name: parsed.name,
            position: parsed.position,
            behavioral: parsed.behavioral,
            questions,
        });
    }
    if errors.is_empty() {
        Ok(topics)
    } else {
        Err(errors)
    }
}

/// What is wrong with a question's text and lists (its slug is checked
/// against the others by the caller).
fn content_problems(q: &QuestionEntry, level: Option<Level>) -> Vec<String> {
    let mut problems = Vec::new();
    let prompt_len = q.prompt.trim().chars().count();
    if !(10..=400).contains(&prompt_len) {
        problems.push(format!(
            "prompt has {prompt_len} characters, expected 10 to 400"
        ));
    }
    let words = q.answer.split_whitespace().count();
    let allowed = if level == Some(Level::Advanced) {
        ADVANCED_ANSWER_WORDS
    } else {
        ANSWER_WORDS
    };
    if !allowed.contains(&words) {
        problems.push(format!(
            "answer has {words} words, expected {} to {}",
            allowed.start(),
            allowed.end()
        ));
    }
    if q.mistakes.len() > MAX_MISTAKES
        || q.mistakes
            .iter()
            .any(|m| !(10..=300).contains(&m.trim().chars().count()))
    {
        problems.push(format!(
            "at most {MAX_MISTAKES} common mistakes, each 10 to 300 characters"
        ));
    }
    if q.follow_ups.len() > MAX_FOLLOW_UPS {
        problems.push(format!("at most {MAX_FOLLOW_UPS} follow-ups"));
    }
    for f in &q.follow_ups {
        if !(10..=400).contains(&f.prompt.trim().chars().count()) {
            problems.push("a follow-up prompt must be 10 to 400 characters".to_owned());
        }
        let words = f.answer.split_whitespace().count();
        if !FOLLOW_UP_WORDS.contains(&words) {
            problems.push(format!(
                "a follow-up answer has {words} words, expected 20 to 150"
            ));
        }
        if f.answer.matches("```").count() % 2 != 0 {
            problems.push("a follow-up answer has an unclosed ``` code block".to_owned());
        }
    }
    if q.answer.matches("```").count() % 2 != 0 {
        problems.push("answer has an unclosed ``` code block".to_owned());
    }
    if !KEY_POINTS.contains(&q.key_points.len()) {
        problems.push(format!(
            "{} key points, expected 3 to 6",
            q.key_points.len()
        ));
    }
    if q.key_points
        .iter()
        .any(|k| !(3..=200).contains(&k.trim().chars().count()))
    {
        problems.push("every key point must be 3 to 200 characters".to_owned());
    }
    problems
}

/// A question that passed every check, trimmed, with its HTML rendered.
fn bank_question(q: QuestionEntry, level: Level) -> BankQuestion {
    BankQuestion {
        slug: q.slug,
        level,
        prompt: q.prompt.trim().to_owned(),
        answer: q.answer.trim().to_owned(),
        answer_html: markdown::render_trusted(q.answer.trim()),
        key_points: q.key_points.iter().map(|k| k.trim().to_owned()).collect(),
        mistakes: q.mistakes.iter().map(|m| m.trim().to_owned()).collect(),
        follow_ups: q
            .follow_ups
            .into_iter()
            .map(|f| BankFollowUp {
                prompt: f.prompt.trim().to_owned(),
                answer: f.answer.trim().to_owned(),
                answer_html: markdown::render_trusted(f.answer.trim()),
            })
            .collect(),
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A follow-up as stored: its answer also rendered, as reference answers are.
#[derive(serde::Serialize)]
struct StoredFollowUp<'a> {
    prompt: &'a str,
    answer: &'a str,
    answer_html: String,
}

pub(crate) fn follow_ups_json(follow_ups: &[BankFollowUp]) -> String {
    let stored: Vec<StoredFollowUp<'_>> = follow_ups
        .iter()
        .map(|f| StoredFollowUp {
            prompt: &f.prompt,
            answer: &f.answer,
            answer_html: f.answer_html.clone(),
        })
        .collect();
    serde_json::to_string(&stored).unwrap_or_else(|_| "[]".into())
}

/// What a sync did, for the start-up log and for tests.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    pub added: u64,
    pub updated: u64,
    pub archived: u64,
    pub unchanged: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("the built-in question bank is invalid:\n{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<BankError>),
    #[error("could not sync the question bank: {0}")]
    Database(#[from] sqlx::Error),
}

/// The slug of a question's `index`-th follow-up (0-based) as its own row.
pub fn follow_up_slug(parent: &str, index: usize) -> String {
    format!("{parent}-f{}", index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_bank_is_valid_and_complete() {
        let topics = match parse_bank(BANK_FILES) {
            Ok(t) => t,
            Err(errors) => panic!(
                "{}",
                errors
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        };
        let total: usize = topics.iter().map(|t| t.questions.len()).sum();
        assert!(total >= 300, "only {total} questions");
        assert_eq!(topics.len(), 14);
        for topic in &topics {
            // Every topic × level has at least 6 (behavioral may be smaller).
            for level in Level::ALL {
                let n = topic.questions.iter().filter(|q| q.level == level).count();
                assert!(topic.behavioral || n >= 6, "{} {level:?}: {n}", topic.slug);
            }
            // Every question comes with follow-ups and common mistakes.
            for q in &topic.questions {
                assert!(
                    !q.follow_ups.is_empty() && !q.mistakes.is_empty(),
                    "{}",
                    q.slug
                );
            }
        }
        for topic in &topics {
            for level in Level::ALL {
                assert!(
                    topic.questions.iter().any(|q| q.level == level),
                    "{} lacks {level:?}",
                    topic.slug
                );
            }
            for q in &topic.questions {
                let html = &q.answer_html;
                assert!(
                    html.len() > q.answer.len() / 2,
                    "{} renders to almost nothing",
                    q.slug
                );
            }
        }
    }

    #[test]
    fn bank_files_are_all_listed() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/bank");
        let on_disk = std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
                    .count()
            })
            .unwrap_or(0);
        assert_eq!(on_disk, BANK_FILES.len());
    }

    #[test]
    fn errors_name_file_entry_and_problem() {
        let bad = r#"
slug = "x"
name = "X"
position = 1
[[questions]]
slug = "x-one"
level = "expert"
prompt = "Too short?"
answer = "tiny"
key_points = ["a"]
"#;
        let errors = parse_bank(&[("x.toml", bad)]).err().unwrap_or_default();
        let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert!(
            text.iter()
                .any(|e| e.starts_with("bank/x.toml: question #1 (x-one): level")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|e| e.contains("answer has 1 words")),
            "{text:?}"
        );
        assert!(text.iter().any(|e| e.contains("1 key points")), "{text:?}");
        let follow = r#"
slug = "x"
name = "X"
position = 1
[[questions]]
slug = "x-two"
level = "beginner"
prompt = "What is a good question?"
answer = "tiny"
key_points = ["a"]
mistakes = ["short"]
[[questions.follow_ups]]
prompt = "And then?"
answer = "Too short to teach anything."
"#;
        let errors = parse_bank(&[("x.toml", follow)]).err().unwrap_or_default();
        let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert!(
            text.iter()
                .any(|e| e.contains("common mistakes, each 10 to 300")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|e| e.contains("follow-up prompt must be")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|e| e.contains("follow-up answer has 5 words")),
            "{text:?}"
        );
        let broken = parse_bank(&[("y.toml", "slug = ")])
            .err()
            .unwrap_or_default();
        assert!(
            broken[0].to_string().starts_with("bank/y.toml: file:"),
            "{:?}",
            broken[0]
        );
    }
}
