//! Markdown: a readable copy to print or paste into a document (export only).

use super::*;

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
pub(super) fn timing(set: &SetHeader, overrides: bool) -> String {
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
pub(super) fn duration(secs: u32) -> String {
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

/// Headings and list items end at a line break, so fold text onto one line.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A block quote, every line of it marked so a blank line doesn't end it.
pub(super) fn quote(text: &str) -> String {
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
