//! Import and export of question sets and question lists: our own JSON
//! format (carries everything and round-trips), CSV (questions only, for
//! spreadsheets) and Markdown (for reading and printing; export only).
//!
//! Pure functions over text, no database. Imports never trust the file:
//! every problem comes back located (`line 4`, `questions[3].level`) so a
//! person can find and fix it, and no input makes them panic.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::error::Category;

use super::types::{QuestionInput, SetDraft, Source, SET_QUESTIONS_MAX};
use crate::error::FieldError;
use crate::questions::types::{is_slug, Level};
use crate::sessions::types::{Mode, PER_QUESTION_SECS};

/// The `format` value that marks a JSON file as ours.
pub const FORMAT: &str = "rehearse-set";
/// The JSON format version this code writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// Largest file an import accepts, in bytes.
pub const IMPORT_MAX_BYTES: usize = 2 * 1024 * 1024;
/// Most questions one imported file may hold.
pub const IMPORT_MAX_QUESTIONS: usize = 500;

/// Problems reported at most: past this the file is better fixed at its
/// source than read about here.
const MAX_ERRORS: usize = 50;
/// Longest piece of a bad value quoted back in a message.
const QUOTE_MAX: usize = 40;
const WHOLE_FILE: &str = "(file)";
const HEADER_LINE: &str = "line 1";
/// The same words the set editor uses for the same rule.
const PER_QUESTION_RANGE: &str = "A per-question limit is 5 seconds to 60 minutes.";

/// CSV columns in the order export writes them; the first
/// [`CSV_REQUIRED`] must be present on import, in any order.
const CSV_COLUMNS: [&str; 7] = [
    "prompt",
    "level",
    "topic",
    "answer",
    "key_points",
    "reviewer_note",
    "per_question_secs",
];
const CSV_REQUIRED: usize = 5;

/// A set's settings as files carry them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetHeader {
    pub title: String,
    /// Markdown, shown to candidates before they start.
    pub instructions: String,
    pub mode: Mode,
    /// Default per-question limit; `None` for none.
    pub per_question_secs: Option<u32>,
    pub total_secs: Option<u32>,
    pub shuffle: bool,
    /// Candidates never see reference answers or key points.
    #[serde(default)]
    pub hide_reference: bool,
    /// Candidates see the reviewer's grades and comments.
    #[serde(default)]
    pub share_feedback: bool,
}

/// One question as files carry it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferQuestion {
    /// `"bank"` or `"own"`.
    pub source: Source,
    /// For bank questions: the bank slug to reuse on import.
    pub slug: Option<String>,
    /// prompt, level, topic, reference_answer, key_points, reviewer_note.
    #[serde(flatten)]
    pub question: QuestionInput,
    /// A set's per-question override.
    pub per_question_secs: Option<u32>,
}

/// What a file holds: an optional set, and its questions in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transfer {
    pub set: Option<SetHeader>,
    pub questions: Vec<TransferQuestion>,
}

/// A problem in an imported file, located: `line 4` (CSV; the header is
/// line 1) or `questions[3].level` (JSON path, or `(file)` for the whole
/// file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportError {
    pub location: String,
    pub message: String,
}

impl ImportError {
    fn at(location: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            location: location.into(),
            message: message.into(),
        }
    }
}

fn field_error(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

mod csv_file;
mod json_file;
mod markdown_file;

pub use csv_file::*;
pub use json_file::*;
pub use markdown_file::*;

// -------------------------------------------------------------- shared

fn check_size(text: &str) -> Result<(), Vec<ImportError>> {
    if text.len() <= IMPORT_MAX_BYTES {
        return Ok(());
    }
    Err(vec![ImportError::at(
        WHOLE_FILE,
        format!(
            "The file is over {} MB. Split it into smaller files.",
            IMPORT_MAX_BYTES / (1024 * 1024)
        ),
    )])
}

fn too_many() -> String {
    format!("A file holds at most {IMPORT_MAX_QUESTIONS} questions. Split it into smaller files.")
}

fn finish(transfer: Transfer, mut errors: Vec<ImportError>) -> Result<Transfer, Vec<ImportError>> {
    if errors.is_empty() {
        Ok(transfer)
    } else {
        errors.truncate(MAX_ERRORS);
        Err(errors)
    }
}

/// Everything wrong with a tidied question: the problems `found` while
/// reading its values, then the rules, one report per field at most where
/// reading already failed (an unknown level is not also "Choose a level").
fn check_question(q: &TransferQuestion, mut found: Vec<FieldError>) -> Vec<FieldError> {
    let mut rules = q.question.problems();
    match (q.slug.as_deref(), q.source) {
        (Some(slug), _) if !is_slug(slug) => rules.push(field_error(
            "slug",
            "A slug is lowercase letters, digits and dashes.",
        )),
        (None, Source::Bank) => rules.push(field_error("slug", "A bank question needs its slug.")),
        _ => {}
    }
    let range = PER_QUESTION_SECS.0..=PER_QUESTION_SECS.1;
    if q.per_question_secs.is_some_and(|s| !range.contains(&s)) {
        rules.push(field_error("per_question_secs", PER_QUESTION_RANGE));
    }
    rules.retain(|rule| !found.iter().any(|f| f.field == rule.field));
    found.append(&mut rules);
    found
}

/// A word from a fixed list ("expert" is not a level), any case; empty is
/// `None`, left for the rules to report if it is required.
fn parse_word<T>(
    value: &str,
    what: &str,
    choices: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    parse(&value.to_ascii_lowercase())
        .map(Some)
        .ok_or_else(|| format!("unknown {what} \"{}\": use {choices}", clip(value)))
}

fn parse_level(value: &str) -> Result<Option<Level>, String> {
    parse_word(
        value,
        "level",
        "beginner, intermediate or advanced",
        Level::parse,
    )
}

/// A question without a source is the file author's own.
fn parse_source(value: &str) -> Result<Source, String> {
    let parse = |word: &str| match word {
        "bank" => Some(Source::Bank),
        "own" => Some(Source::Own),
        _ => None,
    };
    parse_word(value, "source", "bank or own", parse).map(|s| s.unwrap_or(Source::Own))
}

/// A value quoted back to its author, cut short if long.
fn clip(value: &str) -> String {
    let mut out: String = value.chars().take(QUOTE_MAX).collect();
    if value.chars().nth(QUOTE_MAX).is_some() {
        out.push('…');
    }
    out
}

/// Capitalized and ending in a full stop, like the app's other messages.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests;
