//! JSON: the full-fidelity format, versioned, read strictly with each problem located.

use super::*;

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
pub(super) struct Envelope {
    pub(super) format: Option<serde_json::Value>,
    pub(super) version: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(expecting = "a Rehearse file: an object with format, version and questions")]
pub(super) struct WireFile {
    pub(super) set: Option<WireSet>,
    #[serde(deserialize_with = "capped_questions")]
    pub(super) questions: Vec<WireQuestion>,
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
pub(super) struct WireSet {
    pub(super) title: String,
    pub(super) instructions: String,
    pub(super) mode: Option<String>,
    pub(super) per_question_secs: Option<u32>,
    pub(super) total_secs: Option<u32>,
    pub(super) shuffle: bool,
    pub(super) hide_reference: bool,
    pub(super) share_feedback: bool,
}

/// A question as the file spells it (see [`WireSet`]).
#[derive(Default, Deserialize)]
#[serde(
    default,
    expecting = "a question: an object with prompt, level, topic and key points"
)]
pub(super) struct WireQuestion {
    pub(super) source: Option<String>,
    pub(super) slug: Option<String>,
    pub(super) prompt: String,
    pub(super) level: Option<String>,
    pub(super) topic: String,
    pub(super) reference_answer: String,
    pub(super) key_points: Vec<String>,
    pub(super) reviewer_note: String,
    pub(super) per_question_secs: Option<u32>,
}

impl WireQuestion {
    /// The question, tidied, and everything wrong with it.
    pub(super) fn into_question(self) -> (TransferQuestion, Vec<FieldError>) {
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
pub(super) fn capped_questions<'de, D: Deserializer<'de>>(
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
pub(super) fn parse_json<T: de::DeserializeOwned>(text: &str) -> Result<T, ImportError> {
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
pub(super) fn json_message(e: &serde_json::Error) -> String {
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

pub(super) fn check_envelope(envelope: &Envelope) -> Result<(), Vec<ImportError>> {
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
pub(super) fn set_header(wire: WireSet, errors: &mut Vec<ImportError>) -> Option<SetHeader> {
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
