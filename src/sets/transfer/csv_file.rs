//! CSV: one question per row, for spreadsheets; read with each problem located by line.

use super::*;

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
pub(super) fn from_csv_cell(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) || rest.starts_with('\'') => rest,
        _ => text,
    }
}

pub(super) const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Writes the questions as CSV, one a row, under the header
/// `prompt,level,topic,answer,key_points,reviewer_note,per_question_secs`.
/// The set's settings, sources and slugs are not carried.
pub fn to_csv(t: &Transfer) -> String {
    // Writing strings into memory cannot fail.
    write_csv(t).unwrap_or_default()
}

pub(super) fn write_csv(t: &Transfer) -> Option<String> {
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
pub(super) struct Columns([Option<usize>; CSV_COLUMNS.len()]);

impl Columns {
    /// Matches header names (any order, any case); other columns are ignored.
    pub(super) fn find(header: &csv::StringRecord) -> Result<Self, Vec<ImportError>> {
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
    pub(super) fn question(
        &self,
        record: &csv::StringRecord,
    ) -> (TransferQuestion, Vec<FieldError>) {
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
pub(super) fn csv_column(field: &str) -> &str {
    if field == "reference_answer" {
        "answer"
    } else {
        field
    }
}

pub(super) fn csv_message(e: &csv::Error) -> String {
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
pub(super) fn line_at(text: &str, offset: u64) -> u64 {
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
