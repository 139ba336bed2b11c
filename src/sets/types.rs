//! Question sets and authored questions: types shared by the server and the
//! browser, and the rules for what a valid question or set is. The server
//! checks every write with these; the editors show the same limits.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::questions::types::{is_slug, Level};
use crate::sessions::types::{Mode, PER_QUESTION_SECS, TOTAL_SECS};

pub const PROMPT_MAX: usize = 1_000;
pub const ANSWER_MAX: usize = 10_000;
pub const KEY_POINT_MAX: usize = 300;
/// Key points a question has: at least one, at most eight.
pub const KEY_POINTS: (usize, usize) = (1, 8);
pub const NOTE_MAX: usize = 2_000;
pub const TITLE_MAX: usize = 120;
pub const INSTRUCTIONS_MAX: usize = 5_000;
/// Questions one set holds at most.
pub const SET_QUESTIONS_MAX: usize = 100;

/// Where a question comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The built-in bank.
    Bank,
    /// Written by the set's owner.
    Own,
}

/// A question as a recruiter writes it, and as import and export carry it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuestionInput {
    pub prompt: String,
    pub level: Option<Level>,
    /// A bank topic's slug.
    pub topic: String,
    /// Markdown, sanitized on render exactly as the bank's.
    pub reference_answer: String,
    pub key_points: Vec<String>,
    /// For reviewers only; never shown to candidates.
    #[serde(default)]
    pub reviewer_note: String,
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn problem(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

impl QuestionInput {
    /// Trims what a person typed: surrounding space, and empty key points
    /// (an editor leaves blank rows).
    pub fn tidy(mut self) -> Self {
        self.prompt = self.prompt.trim().to_owned();
        self.topic = self.topic.trim().to_owned();
        self.reference_answer = self.reference_answer.trim().to_owned();
        self.reviewer_note = self.reviewer_note.trim().to_owned();
        self.key_points = self
            .key_points
            .into_iter()
            .map(|k| k.trim().to_owned())
            .filter(|k| !k.is_empty())
            .collect();
        self
    }

    /// Everything wrong with the question, one message per field. Whether
    /// the topic exists is the database's to say.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        match chars(&self.prompt) {
            0 => out.push(problem("prompt", "Write the question.")),
            n if n > PROMPT_MAX => out.push(problem(
                "prompt",
                format!("Keep the question under {PROMPT_MAX} characters ({n} now)."),
            )),
            _ => {}
        }
        if self.level.is_none() {
            out.push(problem("level", "Choose a level."));
        }
        if !is_slug(&self.topic) {
            out.push(problem("topic", "Choose a topic."));
        }
        match chars(&self.reference_answer) {
            0 => out.push(problem("reference_answer", "Write a reference answer.")),
            n if n > ANSWER_MAX => out.push(problem(
                "reference_answer",
                format!("Keep the reference answer under {ANSWER_MAX} characters ({n} now)."),
            )),
            _ => {}
        }
        let (min, max) = KEY_POINTS;
        let n = self.key_points.len();
        if n < min || n > max {
            out.push(problem(
                "key_points",
                format!("Give {min} to {max} key points ({n} now)."),
            ));
        }
        if let Some(long) = self
            .key_points
            .iter()
            .position(|k| chars(k) > KEY_POINT_MAX)
        {
            out.push(problem(
                "key_points",
                format!("Key point {} is over {KEY_POINT_MAX} characters.", long + 1),
            ));
        }
        if self.key_points.iter().any(|k| k.trim().is_empty()) {
            out.push(problem("key_points", "A key point is empty."));
        }
        if chars(&self.reviewer_note) > NOTE_MAX {
            out.push(problem(
                "reviewer_note",
                format!("Keep the note under {NOTE_MAX} characters."),
            ));
        }
        out
    }
}

/// One of a recruiter's own questions, as the question list and editor show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnQuestion {
    pub slug: String,
    pub input: QuestionInput,
    pub topic_name: String,
    pub answer_html: String,
    pub archived: bool,
    pub revision: u32,
    /// How many live sets use it.
    pub used_in_sets: u32,
}

/// A row of the recruiter's set list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetSummary {
    pub id: String,
    pub title: String,
    pub questions: u32,
    /// The time a candidate gets in all, if limited.
    pub total_secs: Option<u32>,
    /// Candidates who started it, through any of its links.
    pub candidates: u32,
    pub updated_at: i64,
    pub updated_label: String,
    pub archived: bool,
    /// The owner's name, when an admin looks at everyone's sets.
    pub owner: Option<String>,
}

/// One question in a set, as the editor shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetItem {
    pub slug: String,
    pub prompt: String,
    pub level: Level,
    pub topic_name: String,
    pub source: Source,
    /// Overrides the set's per-question time.
    pub per_question_secs: Option<u32>,
}

/// What the set editor edits and saves.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SetDraft {
    pub title: String,
    /// Markdown, shown to candidates before they start.
    pub instructions: String,
    pub mode: Option<Mode>,
    /// Default per-question limit; `None` for none.
    pub per_question_secs: Option<u32>,
    pub total_secs: Option<u32>,
    pub shuffle: bool,
    /// Candidates never see reference answers or key points: they grade
    /// themselves by their own judgement.
    pub hide_reference: bool,
    /// Candidates see the reviewer's grades and comments once given.
    pub share_feedback: bool,
    pub items: Vec<SetItemInput>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetItemInput {
    pub slug: String,
    pub per_question_secs: Option<u32>,
}

impl SetDraft {
    /// Everything wrong with the set, one message per field. Whether each
    /// question exists and may be used is the database's to say.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        match chars(self.title.trim()) {
            0 => out.push(problem("title", "Give the set a title.")),
            n if n > TITLE_MAX => out.push(problem(
                "title",
                format!("Keep the title under {TITLE_MAX} characters."),
            )),
            _ => {}
        }
        if chars(&self.instructions) > INSTRUCTIONS_MAX {
            out.push(problem(
                "instructions",
                format!("Keep the instructions under {INSTRUCTIONS_MAX} characters."),
            ));
        }
        if self.mode.is_none() {
            out.push(problem("mode", "Choose interview or practice mode."));
        }
        let per_question_ok = |s: &Option<u32>| {
            s.is_none_or(|s| (PER_QUESTION_SECS.0..=PER_QUESTION_SECS.1).contains(&s))
        };
        if !per_question_ok(&self.per_question_secs) {
            out.push(problem(
                "per_question_secs",
                "A per-question limit is 5 seconds to 60 minutes.",
            ));
        }
        if !self
            .total_secs
            .is_none_or(|s| (TOTAL_SECS.0..=TOTAL_SECS.1).contains(&s))
        {
            out.push(problem(
                "total_secs",
                "A total limit is 30 seconds to 6 hours.",
            ));
        }
        if self.items.len() > SET_QUESTIONS_MAX {
            out.push(problem(
                "items",
                format!("A set holds at most {SET_QUESTIONS_MAX} questions."),
            ));
        }
        if self.items.iter().any(|i| !is_slug(&i.slug)) {
            out.push(problem("items", "A question in the set is malformed."));
        }
        if let Some(i) = self
            .items
            .iter()
            .position(|i| !per_question_ok(&i.per_question_secs))
        {
            out.push(problem(
                "items",
                format!(
                    "Question {}: a time limit is 5 seconds to 60 minutes.",
                    i + 1
                ),
            ));
        }
        let mut seen: Vec<&str> = Vec::new();
        for item in &self.items {
            if seen.contains(&item.slug.as_str()) {
                out.push(problem("items", "A question is in the set twice."));
                break;
            }
            seen.push(&item.slug);
        }
        out
    }
}

/// Everything the set editor needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetDetail {
    pub id: String,
    pub draft: SetDraft,
    pub items: Vec<SetItem>,
    /// The editor's next save must carry a higher revision.
    pub edit_rev: u32,
    pub archived: bool,
    /// An admin looking at someone else's set.
    pub read_only: bool,
    pub owner: String,
    /// The newest frozen version (0 when never shared).
    pub version: u32,
}

/// A question the picker offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickerItem {
    pub slug: String,
    pub prompt: String,
    pub level: Level,
    pub topic_name: String,
    pub source: Source,
}

/// A seconds column as the app holds it: `None` when unset, or when a
/// stored value does not fit (never written by the app).
pub fn stored_secs(v: Option<i64>) -> Option<u32> {
    v.and_then(|s| u32::try_from(s).ok())
}

/// The time a candidate gets for the whole set: the total limit if set,
/// else the sum of the per-question limits when every question has one.
pub fn set_time_secs(
    per_question_default: Option<u32>,
    total: Option<u32>,
    per_item: &[Option<u32>],
) -> Option<u32> {
    if total.is_some() {
        return total;
    }
    per_item
        .iter()
        .map(|own| own.or(per_question_default))
        .sum::<Option<u32>>()
        .filter(|_| !per_item.is_empty())
}

/// "8 questions · 3 beginner, 4 intermediate, 1 advanced · 40 min".
pub fn summary_line(levels: &[Level], time_secs: Option<u32>) -> String {
    let n = levels.len();
    let mut parts = vec![format!("{n} question{}", if n == 1 { "" } else { "s" })];
    let by_level: Vec<String> = Level::ALL
        .iter()
        .filter_map(|l| {
            let k = levels.iter().filter(|x| *x == l).count();
            (k > 0).then(|| format!("{k} {}", l.as_str()))
        })
        .collect();
    if !by_level.is_empty() {
        parts.push(by_level.join(", "));
    }
    parts.push(match time_secs {
        None => "untimed".to_owned(),
        Some(s) if s % 60 == 0 => format!("{} min", s / 60),
        Some(s) => format!("{} min {} s", s / 60, s % 60),
    });
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> QuestionInput {
        QuestionInput {
            prompt: "Why use an index?".into(),
            level: Some(Level::Beginner),
            topic: "databases".into(),
            reference_answer: "Because **reads**.".into(),
            key_points: vec!["reads get faster".into()],
            reviewer_note: String::new(),
        }
    }

    #[test]
    fn a_good_question_has_no_problems() {
        assert_eq!(good().problems(), vec![]);
    }

    #[test]
    fn each_rule_names_its_field() {
        let fields = |q: QuestionInput| -> Vec<String> {
            q.problems().into_iter().map(|p| p.field).collect()
        };
        assert_eq!(
            fields(
                QuestionInput {
                    prompt: " ".into(),
                    ..good()
                }
                .tidy()
            ),
            ["prompt"]
        );
        assert_eq!(
            fields(QuestionInput {
                level: None,
                ..good()
            }),
            ["level"]
        );
        assert_eq!(
            fields(QuestionInput {
                topic: "Bad Topic".into(),
                ..good()
            }),
            ["topic"]
        );
        assert_eq!(
            fields(QuestionInput {
                key_points: vec![],
                ..good()
            }),
            ["key_points"]
        );
        assert_eq!(
            fields(QuestionInput {
                key_points: vec!["k".into(); 9],
                ..good()
            }),
            ["key_points"]
        );
        assert_eq!(
            fields(QuestionInput {
                reference_answer: "x".repeat(ANSWER_MAX + 1),
                ..good()
            }),
            ["reference_answer"]
        );
        let tidied = QuestionInput {
            key_points: vec!["  one ".into(), "".into(), " ".into()],
            ..good()
        }
        .tidy();
        assert_eq!(tidied.key_points, vec!["one".to_owned()]);
    }

    #[test]
    fn set_rules() {
        let item = |slug: &str| SetItemInput {
            slug: slug.into(),
            per_question_secs: None,
        };
        let draft = SetDraft {
            title: "Backend round 1".into(),
            mode: Some(Mode::Interview),
            per_question_secs: Some(300),
            items: vec![item("a"), item("b")],
            ..SetDraft::default()
        };
        assert_eq!(draft.problems(), vec![]);
        let twice = SetDraft {
            items: vec![item("a"), item("a")],
            ..draft.clone()
        };
        assert_eq!(
            twice.problems()[0].message,
            "A question is in the set twice."
        );
        let untitled = SetDraft {
            title: "  ".into(),
            ..draft.clone()
        };
        assert_eq!(untitled.problems()[0].field, "title");
        let too_fast = SetDraft {
            items: vec![SetItemInput {
                slug: "a".into(),
                per_question_secs: Some(1),
            }],
            ..draft
        };
        assert_eq!(too_fast.problems()[0].field, "items");
    }

    #[test]
    fn summary_lines_read_well() {
        use Level::*;
        let levels = [Beginner, Intermediate, Beginner, Advanced];
        assert_eq!(
            summary_line(&levels, Some(2_400)),
            "4 questions · 2 beginner, 1 intermediate, 1 advanced · 40 min"
        );
        assert_eq!(summary_line(&[], None), "0 questions · untimed");
        assert_eq!(
            summary_line(&[Advanced], Some(90)),
            "1 question · 1 advanced · 1 min 30 s"
        );
    }

    #[test]
    fn set_time_adds_up_or_uses_the_total() {
        assert_eq!(set_time_secs(Some(300), None, &[None, Some(60)]), Some(360));
        assert_eq!(set_time_secs(None, None, &[None, Some(60)]), None);
        assert_eq!(set_time_secs(Some(300), Some(1_000), &[None]), Some(1_000));
        assert_eq!(set_time_secs(Some(300), None, &[]), None);
    }

    #[test]
    fn stored_seconds_outside_u32_read_as_unset() {
        assert_eq!(stored_secs(Some(300)), Some(300));
        assert_eq!(stored_secs(None), None);
        assert_eq!(stored_secs(Some(-1)), None);
        assert_eq!(stored_secs(Some(i64::from(u32::MAX) + 1)), None);
    }
}
