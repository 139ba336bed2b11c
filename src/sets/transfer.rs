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

// ---------------------------------------------------------------- JSON

/// Writes a transfer as a pretty-printed `rehearse-set` JSON file.
pub fn to_json(t: &Transfer) -> String {
    #[derive(Serialize)]
    struct File<'a> {
        format: &'static str,
        version: u32,
        set: Option<&'a SetHeader>,
        questions: &'a [TransferQuestion],
    }
    let file = File {
        format: FORMAT,
        version: FORMAT_VERSION,
        set: t.set.as_ref(),
        questions: &t.questions,
    };
    // Plain structs with string keys: serializing them cannot fail.
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads a `rehearse-set` JSON file, checking every question and the set.
/// On success the questions come back tidied.
pub fn from_json(text: &str) -> Result<Transfer, Vec<ImportError>> {
    check_size(text)?;
    // Windows editors like to start UTF-8 files with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The envelope first, so a file that isn't ours is told so plainly
    // rather than with whatever its contents happen to break.
    let envelope: Envelope = parse_json(text).map_err(|e| vec![e])?;
    check_envelope(&envelope)?;
    let file: WireFile = parse_json(text).map_err(|e| vec![e])?;

    let mut errors = Vec::new();
    let in_set = file.set.is_some();
    let set = file.set.and_then(|wire| set_header(wire, &mut errors));
    if in_set && file.questions.len() > SET_QUESTIONS_MAX {
        errors.push(ImportError::at(
            "questions",
            format!(
                "A set holds at most {SET_QUESTIONS_MAX} questions ({} here). Remove some, or remove \"set\" to import them as a plain list.",
                file.questions.len()
            ),
        ));
    }
    let mut questions = Vec::with_capacity(file.questions.len());
    for (i, wire) in file.questions.into_iter().enumerate() {
        if errors.len() >= MAX_ERRORS {
            break;
        }
        let (question, problems) = wire.into_question();
        errors.extend(
            problems
                .into_iter()
                .map(|p| ImportError::at(format!("questions[{i}].{}", p.field), p.message)),
        );
        questions.push(question);
    }
    finish(Transfer { set, questions }, errors)
}

/// Just enough of a file to tell whether it is ours.
#[derive(Deserialize)]
#[serde(expecting = "a Rehearse file: an object with format, version and questions")]
struct Envelope {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(expecting = "a Rehearse file: an object with format, version and questions")]
struct WireFile {
    set: Option<WireSet>,
    #[serde(deserialize_with = "capped_questions")]
    questions: Vec<WireQuestion>,
}

/// A set as the file spells it. Words (source, level, mode) stay strings
/// in these wire types so that a bad one is reported in our words alongside
/// the file's other problems, and missing fields default to empty so that
/// the rules name them in plain words.
#[derive(Default, Deserialize)]
#[serde(
    default,
    expecting = "a set: an object with title, mode and time limits"
)]
struct WireSet {
    title: String,
    instructions: String,
    mode: Option<String>,
    per_question_secs: Option<u32>,
    total_secs: Option<u32>,
    shuffle: bool,
    hide_reference: bool,
    share_feedback: bool,
}

/// A question as the file spells it (see [`WireSet`]).
#[derive(Default, Deserialize)]
#[serde(
    default,
    expecting = "a question: an object with prompt, level, topic and key points"
)]
struct WireQuestion {
    source: Option<String>,
    slug: Option<String>,
    prompt: String,
    level: Option<String>,
    topic: String,
    reference_answer: String,
    key_points: Vec<String>,
    reviewer_note: String,
    per_question_secs: Option<u32>,
}

impl WireQuestion {
    /// The question, tidied, and everything wrong with it.
    fn into_question(self) -> (TransferQuestion, Vec<FieldError>) {
        let mut found = Vec::new();
        let source = parse_source(self.source.as_deref().unwrap_or("")).unwrap_or_else(|m| {
            found.push(field_error("source", m));
            Source::Own
        });
        let level = parse_level(self.level.as_deref().unwrap_or("")).unwrap_or_else(|m| {
            found.push(field_error("level", m));
            None
        });
        let question = TransferQuestion {
            source,
            slug: self.slug,
            question: QuestionInput {
                prompt: self.prompt,
                level,
                topic: self.topic,
                reference_answer: self.reference_answer,
                key_points: self.key_points,
                reviewer_note: self.reviewer_note,
            }
            .tidy(),
            per_question_secs: self.per_question_secs,
        };
        let problems = check_question(&question, found);
        (question, problems)
    }
}

/// Reads the question list but stops just past the limit, so a file of
/// hundreds of thousands of `{}` costs no more than 501 of them.
fn capped_questions<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<WireQuestion>, D::Error> {
    struct Capped;
    impl<'de> Visitor<'de> for Capped {
        type Value = Vec<WireQuestion>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of questions")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut questions = Vec::new();
            while let Some(question) = seq.next_element()? {
                if questions.len() == IMPORT_MAX_QUESTIONS {
                    return Err(de::Error::custom(too_many()));
                }
                questions.push(question);
            }
            Ok(questions)
        }
    }
    deserializer.deserialize_seq(Capped)
}

/// Parses `text` as a `T`, locating any error by its JSON path.
fn parse_json<T: de::DeserializeOwned>(text: &str) -> Result<T, ImportError> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        let path = e.path().to_string();
        // A syntax error can leave an unknown last step ("questions[2].?").
        let known = path.split('?').next().unwrap_or("").trim_end_matches('.');
        let location = if known.is_empty() { WHOLE_FILE } else { known };
        ImportError::at(location, json_message(e.inner()))
    })?;
    // Text after the value would otherwise pass unnoticed.
    reader
        .end()
        .map_err(|e| ImportError::at(WHOLE_FILE, json_message(&e)))?;
    Ok(value)
}

/// serde_json's message in plainer words: no Rust type names, and the
/// position only where the path can't say where (broken syntax).
fn json_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let bare = full.strip_suffix(suffix.as_str()).unwrap_or(&full);
    let plain = bare
        .replace("expected u32", "expected a whole number")
        .replace("expected a sequence", "expected a list")
        .replace("invalid type: sequence", "invalid type: list")
        .replace("invalid type: map", "invalid type: object")
        .replace("unit value", "null")
        .replace("expected ident", "expected a value")
        .replace("EOF", "end of file");
    match e.classify() {
        Category::Syntax | Category::Eof => format!(
            "Not valid JSON: {plain} (line {}, column {}).",
            e.line(),
            e.column()
        ),
        Category::Data | Category::Io => sentence(&plain),
    }
}

fn check_envelope(envelope: &Envelope) -> Result<(), Vec<ImportError>> {
    let one = |location: &str, message: String| Err(vec![ImportError::at(location, message)]);
    if !matches!(&envelope.format, Some(serde_json::Value::String(f)) if f == FORMAT) {
        return one(
            "format",
            format!("This is not a Rehearse question file: \"format\" must be \"{FORMAT}\"."),
        );
    }
    match envelope
        .version
        .as_ref()
        .and_then(serde_json::Value::as_u64)
    {
        Some(v) if v == u64::from(FORMAT_VERSION) => Ok(()),
        Some(v) => one(
            "version",
            format!("This file is version {v}; this Rehearse reads version {FORMAT_VERSION}."),
        ),
        None => one(
            "version",
            format!("The file needs \"version\": {FORMAT_VERSION}."),
        ),
    }
}

/// The set's header, or `None` with its problems added to `errors`.
fn set_header(wire: WireSet, errors: &mut Vec<ImportError>) -> Option<SetHeader> {
    let mode = wire.mode.as_deref().unwrap_or("");
    let mode = parse_word(mode, "mode", "interview or practice", Mode::parse);
    // The editor's own rules, so a file can't hold a set the editor refuses.
    let draft = SetDraft {
        title: wire.title,
        instructions: wire.instructions,
        mode: mode.as_ref().ok().copied().flatten(),
        per_question_secs: wire.per_question_secs,
        total_secs: wire.total_secs,
        shuffle: wire.shuffle,
        hide_reference: wire.hide_reference,
        share_feedback: wire.share_feedback,
        items: Vec::new(),
    };
    let mut problems = draft.problems();
    if let Err(unknown) = mode {
        // Says more than the editor's "Choose interview or practice mode."
        problems.retain(|p| p.field != "mode");
        problems.insert(0, field_error("mode", unknown));
    }
    if !problems.is_empty() {
        let located = |p: FieldError| ImportError::at(format!("set.{}", p.field), p.message);
        errors.extend(problems.into_iter().map(located));
        return None;
    }
    Some(SetHeader {
        title: draft.title,
        instructions: draft.instructions,
        mode: draft.mode?,
        per_question_secs: draft.per_question_secs,
        total_secs: draft.total_secs,
        shuffle: draft.shuffle,
        hide_reference: draft.hide_reference,
        share_feedback: draft.share_feedback,
    })
}

// ----------------------------------------------------------------- CSV

/// One cell of any CSV the app writes. Spreadsheets run a cell that starts
/// with one of these as a formula; people's text is data, so such a cell
/// gets a leading `'` (which spreadsheets show as "this is text").
pub fn csv_cell(text: &str) -> String {
    if text.starts_with(FORMULA_STARTS) || text.starts_with('\'') {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// A cell as [`csv_cell`] wrote it, read back: the `'` it added is dropped.
fn from_csv_cell(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) || rest.starts_with('\'') => rest,
        _ => text,
    }
}

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Writes the questions as CSV, one a row, under the header
/// `prompt,level,topic,answer,key_points,reviewer_note,per_question_secs`.
/// The set's settings, sources and slugs are not carried.
pub fn to_csv(t: &Transfer) -> String {
    // Writing strings into memory cannot fail.
    write_csv(t).unwrap_or_default()
}

fn write_csv(t: &Transfer) -> Option<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_COLUMNS).ok()?;
    for tq in &t.questions {
        let q = &tq.question;
        let key_points = q.key_points.join(" | ");
        let secs = tq
            .per_question_secs
            .map(|s| s.to_string())
            .unwrap_or_default();
        writer
            .write_record([
                csv_cell(&q.prompt),
                csv_cell(q.level.map_or("", Level::as_str)),
                csv_cell(&q.topic),
                csv_cell(&q.reference_answer),
                csv_cell(&key_points),
                csv_cell(&q.reviewer_note),
                csv_cell(&secs),
            ])
            .ok()?;
    }
    String::from_utf8(writer.into_inner().ok()?).ok()
}

/// Reads CSV questions (see [`to_csv`]). Every row becomes an own question;
/// rows whose cells are all blank are skipped (spreadsheets leave them).
pub fn from_csv(text: &str) -> Result<Transfer, Vec<ImportError>> {
    check_size(text)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Not flexible: a row of the wrong width is a located error.
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let columns = match reader.headers() {
        Ok(header) => Columns::find(header)?,
        Err(e) => return Err(vec![ImportError::at(HEADER_LINE, csv_message(&e))]),
    };
    let mut questions = Vec::new();
    let mut errors = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut rows = 0;
    while errors.len() < MAX_ERRORS {
        let start = reader.position().byte();
        let read = reader.read_record(&mut record);
        let location = || format!("line {}", line_at(text, start));
        match read {
            Ok(false) => break,
            Ok(true) if record.iter().all(|cell| cell.trim().is_empty()) => {}
            Ok(true) if rows == IMPORT_MAX_QUESTIONS => {
                errors.push(ImportError::at(location(), too_many()));
                break;
            }
            Ok(true) => {
                rows += 1;
                let (question, problems) = columns.question(&record);
                if !problems.is_empty() {
                    let location = location();
                    errors.extend(problems.into_iter().map(|p| {
                        ImportError::at(
                            location.clone(),
                            format!("{}: {}", csv_column(&p.field), p.message),
                        )
                    }));
                }
                questions.push(question);
            }
            Err(e) => {
                errors.push(ImportError::at(location(), csv_message(&e)));
                // The reader has moved past a row of the wrong width; after
                // anything else it is safer to stop.
                if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    break;
                }
                rows += 1;
            }
        }
    }
    finish(
        Transfer {
            set: None,
            questions,
        },
        errors,
    )
}

/// Where each known column sits in the file, by position in [`CSV_COLUMNS`].
struct Columns([Option<usize>; CSV_COLUMNS.len()]);

impl Columns {
    /// Matches header names (any order, any case); other columns are ignored.
    fn find(header: &csv::StringRecord) -> Result<Self, Vec<ImportError>> {
        let mut found = [None; CSV_COLUMNS.len()];
        let mut errors = Vec::new();
        for (index, name) in header.iter().enumerate() {
            let name = name.trim();
            let Some(column) = CSV_COLUMNS
                .iter()
                .position(|c| c.eq_ignore_ascii_case(name))
            else {
                continue;
            };
            match found.get_mut(column) {
                Some(Some(_)) => errors.push(ImportError::at(
                    HEADER_LINE,
                    format!("The column \"{}\" appears twice.", clip(name)),
                )),
                Some(slot) => *slot = Some(index),
                None => {}
            }
        }
        let missing: Vec<String> = CSV_COLUMNS
            .iter()
            .zip(found)
            .take(CSV_REQUIRED)
            .filter(|(_, index)| index.is_none())
            .map(|(name, _)| format!("\"{name}\""))
            .collect();
        if !missing.is_empty() {
            let s = if missing.len() == 1 { "" } else { "s" };
            errors.push(ImportError::at(
                HEADER_LINE,
                format!(
                    "The header lacks the column{s} {}. The first line names the columns: prompt, level, topic, answer and key_points (reviewer_note and per_question_secs are optional).",
                    missing.join(", ")
                ),
            ));
        }
        if errors.is_empty() {
            Ok(Self(found))
        } else {
            Err(errors)
        }
    }

    /// A row's question, tidied, and everything wrong with it.
    fn question(&self, record: &csv::StringRecord) -> (TransferQuestion, Vec<FieldError>) {
        // Absent optional columns read as empty cells.
        let [prompt, level, topic, answer, key_points, note, secs] = self
            .0
            .map(|index| index.and_then(|i| record.get(i)).map_or("", from_csv_cell));
        let mut found = Vec::new();
        let level = parse_level(level).unwrap_or_else(|m| {
            found.push(field_error("level", m));
            None
        });
        let secs = secs.trim();
        let per_question_secs = if secs.is_empty() {
            None
        } else if let Ok(secs) = secs.parse::<u32>() {
            Some(secs)
        } else {
            found.push(field_error(
                "per_question_secs",
                format!("\"{}\" is not a whole number of seconds.", clip(secs)),
            ));
            None
        };
        let question = TransferQuestion {
            source: Source::Own,
            slug: None,
            question: QuestionInput {
                prompt: prompt.to_owned(),
                level,
                topic: topic.to_owned(),
                reference_answer: answer.to_owned(),
                // tidy() trims them and drops the empty ones.
                key_points: key_points.split('|').map(str::to_owned).collect(),
                reviewer_note: note.to_owned(),
            }
            .tidy(),
            per_question_secs,
        };
        let problems = check_question(&question, found);
        (question, problems)
    }
}

/// A question's field as the CSV header names it.
fn csv_column(field: &str) -> &str {
    if field == "reference_answer" {
        "answer"
    } else {
        field
    }
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "This row has {len} field{} but the header has {expected_len}. Put quotes around values that contain commas or line breaks.",
            if *len == 1 { "" } else { "s" }
        ),
        _ => "This row could not be read.".to_owned(),
    }
}

/// The 1-based line a CSV record starts on, from the byte offset the
/// reader gives. That offset is where the previous record ended: before
/// any blank lines the reader skips and, in CRLF files, before the LF. So
/// step over line breaks first; counting from the offset itself (rather
/// than trusting the reader's line count) is right in both cases, and a
/// quoted field over several lines still reports the line it starts on.
fn line_at(text: &str, offset: u64) -> u64 {
    let bytes = text.as_bytes();
    let offset = usize::try_from(offset).map_or(bytes.len(), |o| o.min(bytes.len()));
    let breaks = bytes.get(offset..).map_or(0, |rest| {
        rest.iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count()
    });
    let start = offset.saturating_add(breaks);
    let newlines = bytes
        .get(..start)
        .map_or(0, |before| before.iter().filter(|&&b| b == b'\n').count());
    newlines as u64 + 1
}

// ------------------------------------------------------------ Markdown

/// Writes a readable, printable Markdown version: title, instructions and
/// timing, then each question with its reference answer and key points.
pub fn to_markdown(t: &Transfer) -> String {
    let mut blocks: Vec<String> = Vec::new();
    let default_secs = t.set.as_ref().and_then(|s| s.per_question_secs);
    match &t.set {
        Some(set) => {
            blocks.push(format!("# {}", one_line(&set.title)));
            if !set.instructions.trim().is_empty() {
                blocks.push(set.instructions.trim().to_owned());
            }
            let overrides = t.questions.iter().any(|q| q.per_question_secs.is_some());
            blocks.push(format!("*{}*", timing(set, overrides)));
        }
        None => blocks.push("# Questions".to_owned()),
    }
    for (i, tq) in t.questions.iter().enumerate() {
        let q = &tq.question;
        blocks.push(format!("## {}. {}", i + 1, one_line(&q.prompt)));
        let time = tq.per_question_secs.or(default_secs).map(duration);
        let meta: Vec<&str> = [
            q.level.map(Level::label),
            Some(q.topic.as_str()).filter(|topic| !topic.is_empty()),
            time.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !meta.is_empty() {
            blocks.push(format!("*{}*", meta.join(" · ")));
        }
        blocks.push("### Reference answer".to_owned());
        if !q.reference_answer.trim().is_empty() {
            blocks.push(q.reference_answer.trim().to_owned());
        }
        blocks.push("### Key points".to_owned());
        if !q.key_points.is_empty() {
            let list: Vec<String> = q
                .key_points
                .iter()
                .map(|k| format!("- {}", one_line(k)))
                .collect();
            blocks.push(list.join("\n"));
        }
        if !q.reviewer_note.trim().is_empty() {
            blocks.push(quote(&format!(
                "Note for reviewers: {}",
                q.reviewer_note.trim()
            )));
        }
    }
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

/// "Interview mode · 5 min a question · 40 min in all".
fn timing(set: &SetHeader, overrides: bool) -> String {
    let mut parts = vec![format!("{} mode", set.mode.label())];
    if let Some(secs) = set.per_question_secs {
        parts.push(format!("{} a question", duration(secs)));
    }
    if let Some(secs) = set.total_secs {
        parts.push(format!("{} in all", duration(secs)));
    }
    if set.per_question_secs.is_none() && set.total_secs.is_none() && !overrides {
        parts.push("untimed".to_owned());
    }
    if set.shuffle {
        parts.push("questions in random order".to_owned());
    }
    parts.join(" · ")
}

/// "45 s", "5 min", "1 min 30 s".
fn duration(secs: u32) -> String {
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

/// Headings and list items end at a line break, so fold text onto one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A block quote, every line of it marked so a blank line doesn't end it.
fn quote(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.trim().is_empty() {
                ">".to_owned()
            } else {
                format!("> {line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

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
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HEADER: &str = "prompt,level,topic,answer,key_points";

    fn own(prompt: &str) -> TransferQuestion {
        TransferQuestion {
            source: Source::Own,
            slug: None,
            question: QuestionInput {
                prompt: prompt.to_owned(),
                level: Some(Level::Beginner),
                topic: "databases".to_owned(),
                reference_answer: "Because **reads**.".to_owned(),
                key_points: vec!["reads get faster".to_owned()],
                reviewer_note: String::new(),
            },
            per_question_secs: None,
        }
    }

    fn header() -> SetHeader {
        SetHeader {
            title: "Backend round 1".to_owned(),
            instructions: "Answer in your own words.\n\nTake your time.".to_owned(),
            mode: Mode::Interview,
            per_question_secs: Some(300),
            total_secs: None,
            shuffle: true,
            hide_reference: false,
            share_feedback: true,
        }
    }

    fn sample() -> Transfer {
        let bank = TransferQuestion {
            source: Source::Bank,
            slug: Some("sql-index-basics".to_owned()),
            ..own("What is an index?")
        };
        let mut tricky = own("Explain \"N+1\" queries — café, naïveté, 日本語");
        tricky.question.level = Some(Level::Advanced);
        tricky.question.reference_answer =
            "Use a join:\n\n```sql\nSELECT \"a\", 'b' FROM t JOIN u ON t.id = u.t_id;\n```\n\nDone ✓".to_owned();
        tricky.question.key_points = vec![
            "one query, not N".to_owned(),
            "mentions \"eager loading\"".to_owned(),
        ];
        tricky.question.reviewer_note = "Look for the word \"join\".".to_owned();
        tricky.per_question_secs = Some(90);
        Transfer {
            set: Some(header()),
            questions: vec![bank, tricky, own("Why use a transaction?")],
        }
    }

    fn errors(result: Result<Transfer, Vec<ImportError>>) -> Vec<ImportError> {
        match result {
            Ok(t) => panic!("expected errors, got {t:?}"),
            Err(errors) => errors,
        }
    }

    fn locations(result: Result<Transfer, Vec<ImportError>>) -> Vec<String> {
        errors(result).into_iter().map(|e| e.location).collect()
    }

    fn edited_json(edit: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut value: serde_json::Value =
            serde_json::from_str(&to_json(&sample())).expect("our own JSON parses");
        edit(&mut value);
        value.to_string()
    }

    #[test]
    fn json_round_trips_a_set_and_a_plain_list() {
        let t = sample();
        let text = to_json(&t);
        assert!(text.contains("\"format\": \"rehearse-set\""));
        assert!(text.contains("\"level\": \"advanced\""));
        assert_eq!(from_json(&text), Ok(t));
        let list = Transfer {
            set: None,
            questions: sample().questions,
        };
        assert_eq!(from_json(&to_json(&list)), Ok(list));
    }

    #[test]
    fn json_import_tidies_and_fills_defaults() {
        let text = r#"{"format":"rehearse-set","version":1,"questions":[
            {"prompt":"  Why? ","level":"Beginner","topic":"databases",
             "reference_answer":"Because.","key_points":[" a ",""]}]}"#;
        let t = from_json(text).expect("a minimal question imports");
        let q = t.questions.first().expect("one question");
        assert_eq!(q.source, Source::Own);
        assert_eq!(q.question.prompt, "Why?");
        assert_eq!(q.question.key_points, ["a"]);
    }

    #[test]
    fn csv_cells_never_start_a_formula_and_round_trip() {
        let mut q = own("=HYPERLINK(\"http://x\",\"y\")");
        q.question.reference_answer = "- a list item\n+ another".to_owned();
        q.question.key_points = vec!["@SUM(A1)".to_owned()];
        q.question.reviewer_note = "'quoted already".to_owned();
        q.question.reference_answer = "'= typed by hand\n- a list item".to_owned();
        let t = Transfer {
            set: None,
            questions: vec![q.clone()],
        };
        let text = to_csv(&t);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for record in reader.records() {
            for cell in record.expect("record").iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{cell}"
                );
            }
        }
        assert_eq!(
            from_csv(&text),
            Ok(Transfer {
                set: None,
                questions: vec![q]
            })
        );
    }

    #[test]
    fn csv_round_trips_questions() {
        let mut q = own("Compare \"optimistic\" and pessimistic locking, briefly");
        q.question.reference_answer = "First line,\nsecond \"line\"\r\n\n- a list".to_owned();
        q.question.key_points = vec!["versions, not locks".to_owned(), "say \"retry\"".to_owned()];
        q.question.reviewer_note = "ok, fine".to_owned();
        q.per_question_secs = Some(120);
        let t = Transfer {
            set: Some(header()),
            questions: vec![q.clone(), sample().questions.remove(0)],
        };
        let mut bank = sample().questions.remove(0);
        bank.source = Source::Own;
        bank.slug = None;
        let text = to_csv(&t);
        assert!(text
            .starts_with("prompt,level,topic,answer,key_points,reviewer_note,per_question_secs\n"));
        assert_eq!(
            from_csv(&text),
            Ok(Transfer {
                set: None,
                questions: vec![q, bank]
            })
        );
    }

    #[test]
    fn csv_columns_may_come_in_any_order() {
        let text = "\u{feff}Key_Points,TOPIC,answer,level,prompt\n\"a | b |\",databases,Yes.,intermediate,Why?\n";
        let t = from_csv(text).expect("reordered columns import");
        let q = t.questions.first().expect("one question");
        assert_eq!(q.question.key_points, ["a", "b"]);
        assert_eq!(q.question.level, Some(Level::Intermediate));
        assert_eq!(q.per_question_secs, None);
    }

    #[test]
    fn json_errors_name_their_path() {
        let text = edited_json(|v| {
            v["questions"][1]["level"] = "expert".into();
            v["questions"][2]["key_points"] = serde_json::json!([]);
        });
        let errs = errors(from_json(&text));
        let at: Vec<&str> = errs.iter().map(|e| e.location.as_str()).collect();
        assert_eq!(at, ["questions[1].level", "questions[2].key_points"]);
        assert!(errs
            .iter()
            .any(|e| e.message.contains("unknown level \"expert\"")));

        let text = edited_json(|v| v["questions"][0]["per_question_secs"] = "soon".into());
        let errs = errors(from_json(&text));
        let err = errs.first().expect("one error");
        assert_eq!(err.location, "questions[0].per_question_secs");
        assert!(err.message.contains("whole number"), "{}", err.message);
        assert!(!err.message.contains("u32"), "{}", err.message);
    }

    #[test]
    fn json_set_and_slug_problems() {
        let text = edited_json(|v| {
            v["set"]["title"] = " ".into();
            v["set"]["total_secs"] = 5.into();
            v["set"]["mode"] = "exam".into();
            v["questions"][0]["slug"] = serde_json::Value::Null;
        });
        assert_eq!(
            locations(from_json(&text)),
            [
                "set.mode",
                "set.title",
                "set.total_secs",
                "questions[0].slug"
            ]
        );
        let text = edited_json(|v| v["questions"][1]["source"] = "borrowed".into());
        assert_eq!(locations(from_json(&text)), ["questions[1].source"]);
    }

    #[test]
    fn json_that_is_not_ours_or_not_json() {
        let other = r#"{"format":"something-else","version":1,"questions":[]}"#;
        assert_eq!(locations(from_json(other)), ["format"]);
        let newer = r#"{"format":"rehearse-set","version":2,"questions":[]}"#;
        assert_eq!(locations(from_json(newer)), ["version"]);
        let errs = errors(from_json("this is not json"));
        let err = errs.first().expect("one error");
        assert_eq!(err.location, "(file)");
        assert!(err.message.starts_with("Not valid JSON"), "{}", err.message);
        assert_eq!(locations(from_json("42")), ["(file)"]);
        assert_eq!(
            locations(from_json(&format!("{} x", to_json(&sample())))),
            ["(file)"]
        );
    }

    #[test]
    fn csv_bad_level_is_located() {
        let text = format!("{HEADER}\nWhy?,beginner,databases,Because.,fast\nHow?,expert,databases,Like this.,a | b\n");
        let errs = errors(from_csv(&text));
        assert_eq!(errs.len(), 1);
        let err = errs.first().expect("one error");
        assert_eq!(err.location, "line 3");
        assert!(
            err.message.contains("unknown level \"expert\""),
            "{}",
            err.message
        );
    }

    #[test]
    fn csv_missing_column_is_line_one() {
        let errs = errors(from_csv(
            "prompt,level,answer,key_points\nWhy?,beginner,Yes.,a\n",
        ));
        assert_eq!(errs.len(), 1);
        let err = errs.first().expect("one error");
        assert_eq!(err.location, "line 1");
        assert!(err.message.contains("\"topic\""), "{}", err.message);
    }

    #[test]
    fn csv_multi_line_fields_keep_line_numbers_right() {
        let lf = format!(
            "{HEADER}\nWhy?,beginner,databases,\"line a\nline b\nline c\",fast\nHow?,expert,databases,x,y\n"
        );
        assert_eq!(locations(from_csv(&lf)), ["line 5"]);
        let crlf = lf.replace('\n', "\r\n");
        assert_eq!(locations(from_csv(&crlf)), ["line 5"]);
        let blank_lines = format!("{HEADER}\n\n\nHow?,expert,databases,x,y\n");
        assert_eq!(locations(from_csv(&blank_lines)), ["line 4"]);
    }

    #[test]
    fn csv_rows_of_the_wrong_width_are_located() {
        let text =
            format!("{HEADER}\nWhy?,beginner\nWhy?,beginner,databases,Yes.,a\nx,y,z,1,2,3,4,5\n");
        let errs = errors(from_csv(&text));
        let at: Vec<&str> = errs.iter().map(|e| e.location.as_str()).collect();
        assert_eq!(at, ["line 2", "line 4"]);
        assert!(errs.iter().all(|e| e.message.contains("fields")));
    }

    #[test]
    fn csv_field_problems_name_the_column() {
        let text = format!("{HEADER},per_question_secs\n,beginner,databases,,|,soon\n");
        let errs = errors(from_csv(&text));
        let messages: Vec<&str> = errs.iter().map(|e| e.message.as_str()).collect();
        assert!(errs.iter().all(|e| e.location == "line 2"));
        assert!(messages.contains(&"per_question_secs: \"soon\" is not a whole number of seconds."));
        assert!(messages.contains(&"prompt: Write the question."));
        assert!(messages.contains(&"answer: Write a reference answer."));
        assert!(messages.contains(&"key_points: Give 1 to 8 key points (0 now)."));
    }

    #[test]
    fn limits_are_enforced() {
        let many = Transfer {
            set: None,
            questions: vec![own("Why?"); IMPORT_MAX_QUESTIONS + 1],
        };
        assert_eq!(locations(from_json(&to_json(&many))), ["questions"]);
        assert_eq!(
            locations(from_csv(&to_csv(&many))),
            [format!("line {}", IMPORT_MAX_QUESTIONS + 2)]
        );
        let enough = Transfer {
            set: None,
            questions: vec![own("Why?"); IMPORT_MAX_QUESTIONS],
        };
        assert_eq!(from_json(&to_json(&enough)), Ok(enough));

        // Valid files padded past the limit: refused before any parsing.
        let padding = " ".repeat(IMPORT_MAX_BYTES);
        let json = to_json(&sample()) + &padding;
        assert_eq!(locations(from_json(&json)), ["(file)"]);
        let csv = to_csv(&sample()) + &padding;
        assert_eq!(locations(from_csv(&csv)), ["(file)"]);
    }

    #[test]
    fn markdown_reads_well() {
        let md = to_markdown(&sample());
        assert!(md.starts_with("# Backend round 1\n\nAnswer in your own words."));
        assert!(md.contains("*Interview mode · 5 min a question · questions in random order*"));
        assert!(md.contains("## 1. What is an index?\n\n*Beginner · databases · 5 min*"));
        assert!(md.contains("*Advanced · databases · 1 min 30 s*"));
        assert!(md.contains("### Reference answer\n\nUse a join:\n\n```sql\n"));
        assert!(md.contains("### Key points\n\n- one query, not N\n- mentions"));
        assert!(md.contains("> Note for reviewers: Look for the word \"join\"."));
        let list = to_markdown(&Transfer {
            set: None,
            questions: vec![own("Why?")],
        });
        assert!(list.starts_with("# Questions\n\n## 1. Why?\n\n*Beginner · databases*\n"));
    }

    /// Ok, or errors that each say where and what.
    fn located(result: &Result<Transfer, Vec<ImportError>>) -> bool {
        match result {
            Ok(_) => true,
            Err(errors) => {
                !errors.is_empty()
                    && errors
                        .iter()
                        .all(|e| !e.location.is_empty() && !e.message.is_empty())
            }
        }
    }

    const CSV_BITS: &[&str] = &[
        ",",
        ",",
        "\"",
        "\n",
        "\r\n",
        "\r",
        "|",
        " ",
        "beginner",
        "expert",
        "databases",
        "x",
        "120",
        "-1",
        "prompt",
        "level",
        "topic",
        "answer",
        "key_points",
        "per_question_secs",
        "\u{feff}",
        "é",
    ];
    const JSON_BITS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\"prompt\":",
        "\"level\":",
        "\"topic\":",
        "\"key_points\":",
        "\"source\":",
        "\"slug\":",
        "\"per_question_secs\":",
        "\"set\":",
        "\"mode\":",
        "\"beginner\"",
        "\"expert\"",
        "\"bank\"",
        "\"x\"",
        "null",
        "1",
        "-1",
        "4294967296",
        "1.5",
        "true",
        "\"\\u00e9\"",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn any_text_is_read_or_refused_with_located_errors(text in ".*") {
            prop_assert!(located(&from_json(&text)));
            prop_assert!(located(&from_csv(&text)));
        }

        #[test]
        fn any_bytes_are_read_or_refused_with_located_errors(
            bytes in proptest::collection::vec(any::<u8>(), 0..2000)
        ) {
            let text = String::from_utf8_lossy(&bytes);
            prop_assert!(located(&from_json(&text)));
            prop_assert!(located(&from_csv(&text)));
        }

        #[test]
        fn csv_shaped_text_is_read_or_refused_with_located_errors(
            bits in proptest::collection::vec(proptest::sample::select(CSV_BITS), 0..300),
            with_header in proptest::bool::ANY,
        ) {
            let body = bits.concat();
            let text = if with_header { format!("{}\n{body}", CSV_COLUMNS.join(",")) } else { body };
            prop_assert!(located(&from_csv(&text)));
        }

        #[test]
        fn json_shaped_text_is_read_or_refused_with_located_errors(
            bits in proptest::collection::vec(proptest::sample::select(JSON_BITS), 0..200),
        ) {
            let text = format!(
                "{{\"format\":\"rehearse-set\",\"version\":1,\"questions\":[{}",
                bits.concat()
            );
            prop_assert!(located(&from_json(&text)));
        }
    }
}
