//! Word diffs between two attempts at the same question (server only).

use similar::{ChangeTag, TextDiff};

use super::types::{DiffKind, DiffPart};

/// `new` as runs of kept, added and removed text relative to `old`.
/// Neighbouring changes of one kind merge into one run.
pub fn word_diff(old: &str, new: &str) -> Vec<DiffPart> {
    let diff = TextDiff::from_words(old, new);
    let mut parts: Vec<DiffPart> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => DiffKind::Same,
            ChangeTag::Insert => DiffKind::Added,
            ChangeTag::Delete => DiffKind::Removed,
        };
        match parts.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => parts.push(DiffPart {
                kind,
                text: change.value().to_owned(),
            }),
        }
    }
    parts
}

/// An attempt with nothing to compare it with.
pub fn unchanged(text: &str) -> Vec<DiffPart> {
    vec![DiffPart {
        kind: DiffKind::Same,
        text: text.to_owned(),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(parts: &[DiffPart]) -> String {
        parts
            .iter()
            .map(|p| match p.kind {
                DiffKind::Same => p.text.clone(),
                DiffKind::Added => format!("[+{}]", p.text),
                DiffKind::Removed => format!("[-{}]", p.text),
            })
            .collect()
    }

    #[test]
    fn words_added_and_removed_are_marked() {
        let d = word_diff(
            "an index speeds reads",
            "a B-tree index speeds reads and slows writes",
        );
        assert_eq!(
            show(&d),
            "[-an][+a] [+B-tree ]index speeds reads[+ and slows writes]"
        );
    }

    #[test]
    fn the_same_text_is_one_unchanged_run() {
        let d = word_diff("same words here", "same words here");
        assert_eq!(d, unchanged("same words here"));
    }
}
