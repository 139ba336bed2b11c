//! Word diffs between two attempts at the same question (server only).
//!
//! Diffing is superlinear: two long, unrelated texts make Myers' algorithm
//! spin (similar's docs say so). Anyone can store such answers, so every
//! diff here is bounded three ways: inputs longer than [`MAX_DIFF_CHARS`]
//! are not diffed at all, all the diffs of one page share one deadline
//! (past it similar gives up and reports the rest as replaced), and the
//! work runs on the blocking pool, never on the async workers. A diff that
//! keeps less than [`MIN_SAME_RATIO`] of the text is no help to a reader
//! and is shown as "too different to compare".

use std::time::{Duration, Instant};

use similar::{ChangeTag, TextDiff};

use super::types::{DiffKind, DiffPart};

/// Longer answers are shown whole, not diffed.
pub const MAX_DIFF_CHARS: usize = 8_000;
/// Time all the diffs of one page may take together.
pub const PAGE_BUDGET: Duration = Duration::from_millis(50);
/// Below this share of kept text a diff is noise.
pub const MIN_SAME_RATIO: f32 = 0.2;

/// `new` as runs of kept, added and removed text relative to `old`, or
/// `None` when the two are too long or too different to compare usefully.
/// Neighbouring changes of one kind merge into one run.
pub fn word_diff(old: &str, new: &str, deadline: Instant) -> Option<Vec<DiffPart>> {
    if old.len() > MAX_DIFF_CHARS * 4
        || new.len() > MAX_DIFF_CHARS * 4
        || old.chars().count() > MAX_DIFF_CHARS
        || new.chars().count() > MAX_DIFF_CHARS
    {
        return None;
    }
    let diff = TextDiff::configure()
        .deadline(deadline)
        .diff_words(old, new);
    if kept_share(&diff, old, new) < MIN_SAME_RATIO {
        return None;
    }
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
    Some(parts)
}

/// The share of the longer text's words (whitespace aside) that the diff
/// keeps. similar's own ratio counts the spaces between words as kept,
/// which makes two unrelated sentences look half alike.
fn kept_share<'a>(diff: &TextDiff<'a, 'a, 'a, str>, old: &str, new: &str) -> f32 {
    let letters = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
    let longer = letters(old).max(letters(new));
    if longer == 0 {
        return 1.0;
    }
    let kept: usize = diff
        .iter_all_changes()
        .filter(|c| c.tag() == ChangeTag::Equal)
        .map(|c| letters(c.value()))
        .sum();
    kept as f32 / longer as f32
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

    fn later() -> Instant {
        Instant::now() + Duration::from_secs(5)
    }

    #[test]
    fn words_added_and_removed_are_marked() {
        let d = word_diff(
            "an index speeds reads",
            "a B-tree index speeds reads and slows writes",
            later(),
        )
        .unwrap_or_default();
        assert_eq!(
            show(&d),
            "[-an][+a] [+B-tree ]index speeds reads[+ and slows writes]"
        );
    }

    #[test]
    fn the_same_text_is_one_unchanged_run() {
        let d = word_diff("same words here", "same words here", later());
        assert_eq!(d, Some(unchanged("same words here")));
    }

    /// Unrelated text of the same vocabulary: the worst case for Myers.
    fn babble(seed: u64, words: usize) -> String {
        let vocab = [
            "cache", "index", "lock", "queue", "shard", "row", "page", "log",
        ];
        let mut x = seed;
        (0..words)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                vocab[(x >> 33) as usize % vocab.len()]
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn long_unrelated_answers_are_not_diffed_and_cost_nothing() {
        let (a, b) = (babble(1, 3_800), babble(2, 3_800)); // ~20,000 chars each
        assert!(a.len() > 18_000);
        let started = Instant::now();
        assert_eq!(word_diff(&a, &b, later()), None);
        assert!(started.elapsed() < Duration::from_millis(50));
    }

    #[test]
    fn a_passed_deadline_gives_up_quickly() {
        let (a, b) = (babble(3, 1_200), babble(4, 1_200)); // ~7,000 chars each
        let started = Instant::now();
        let d = word_diff(&a, &b, Instant::now());
        // Past the deadline similar reports the rest as replaced: too
        // different to be worth showing.
        assert_eq!(d, None);
        assert!(started.elapsed() < Duration::from_millis(200));
    }

    #[test]
    fn mostly_rewritten_answers_are_too_different() {
        assert_eq!(
            word_diff("alpha beta gamma delta", "one two three four five", later()),
            None
        );
    }
}
