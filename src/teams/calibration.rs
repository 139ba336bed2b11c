//! How consistently a team grades: agreement between reviewers who marked
//! the same answers (Krippendorff's alpha, ordinal, over the 1–4 grades),
//! and each reviewer's mean offset from the others, harsher or more
//! lenient, with an interval. Plain functions over grades; the queries
//! gather the grades and the page draws them.

use std::collections::BTreeMap;

/// Below this many answers marked by two or more reviewers, the view says
/// "not enough data" instead of showing a number that is mostly noise.
pub const MIN_PAIRED_ANSWERS: usize = 10;

/// How far apart two values are, as Krippendorff defines the metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Same or different.
    Nominal,
    /// Ordered: the distance counts how many values lie between, as used.
    Ordinal,
    /// Equal steps: the squared difference.
    Interval,
}

/// Krippendorff's alpha for `units`, each holding the values the coders
/// gave it (a unit with fewer than two values is not pairable and is left
/// out). `None` when nothing is pairable or every value is the same (no
/// disagreement is possible, so agreement is undefined).
///
/// From the coincidence matrix `o[c][k]` (each ordered pair of values in a
/// unit, weighted by 1 / (m_u − 1)) and its margins `n_c`:
/// α = 1 − (n − 1) · Σ o[c][k]·δ²(c,k) / Σ n_c·n_k·δ²(c,k).
pub fn alpha(units: &[Vec<u8>], metric: Metric) -> Option<f64> {
    let mut coincidences: BTreeMap<(u8, u8), f64> = BTreeMap::new();
    for values in units.iter().filter(|v| v.len() >= 2) {
        let weight = 1.0 / (values.len() - 1) as f64;
        for (i, &c) in values.iter().enumerate() {
            for (j, &k) in values.iter().enumerate() {
                if i != j {
                    *coincidences.entry((c, k)).or_default() += weight;
                }
            }
        }
    }
    let mut margins: BTreeMap<u8, f64> = BTreeMap::new();
    for (&(c, _), &o) in &coincidences {
        *margins.entry(c).or_default() += o;
    }
    let n: f64 = margins.values().sum();
    if margins.len() < 2 {
        return None;
    }
    let delta = |c: u8, k: u8| distance(metric, &margins, c, k);
    let observed: f64 = coincidences
        .iter()
        .map(|(&(c, k), &o)| o * delta(c, k))
        .sum();
    let expected: f64 = margins
        .iter()
        .flat_map(|(&c, &nc)| margins.iter().map(move |(&k, &nk)| (c, nc, k, nk)))
        .map(|(c, nc, k, nk)| nc * nk * delta(c, k))
        .sum();
    (expected > 0.0).then(|| 1.0 - (n - 1.0) * observed / expected)
}

/// δ²(c, k) for the metric, over the values in use (`margins`, ordered).
fn distance(metric: Metric, margins: &BTreeMap<u8, f64>, c: u8, k: u8) -> f64 {
    match metric {
        Metric::Nominal => f64::from(u8::from(c != k)),
        Metric::Interval => (f64::from(c) - f64::from(k)).powi(2),
        Metric::Ordinal => {
            let (low, high) = (c.min(k), c.max(k));
            let between: f64 = margins.range(low..=high).map(|(_, n)| n).sum();
            let ends = (margins.get(&low).copied().unwrap_or(0.0)
                + margins.get(&high).copied().unwrap_or(0.0))
                / 2.0;
            (between - ends).powi(2)
        }
    }
}

/// One reviewer's lean against the rest of the team.
#[derive(Clone, Debug, PartialEq)]
pub struct Offset {
    pub reviewer: String,
    /// How many answers this reviewer marked that someone else marked too.
    pub shared: usize,
    /// Mean of (this grade − the others' mean grade) on those answers:
    /// below zero is harsher, above is more lenient.
    pub mean: f64,
    /// A 95% interval for the mean (normal approximation), once there are
    /// enough shared answers to give one.
    pub interval: Option<(f64, f64)>,
}

/// Each reviewer's mean offset from the other reviewers of the same
/// answers. `marks` holds, per answer, every (reviewer, grade) given to it.
pub fn offsets(marks: &[Vec<(String, u8)>]) -> Vec<Offset> {
    let mut diffs: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for answer in marks.iter().filter(|a| a.len() >= 2) {
        let total: f64 = answer.iter().map(|(_, g)| f64::from(*g)).sum();
        let others = (answer.len() - 1) as f64;
        for (reviewer, grade) in answer {
            let mean_of_others = (total - f64::from(*grade)) / others;
            diffs
                .entry(reviewer.as_str())
                .or_default()
                .push(f64::from(*grade) - mean_of_others);
        }
    }
    diffs
        .into_iter()
        .map(|(reviewer, d)| {
            let n = d.len() as f64;
            let mean = d.iter().sum::<f64>() / n;
            let interval = (d.len() >= MIN_PAIRED_ANSWERS).then(|| {
                let variance = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
                let half = 1.96 * (variance / n).sqrt();
                (mean - half, mean + half)
            });
            Offset {
                reviewer: reviewer.to_owned(),
                shared: d.len(),
                mean,
                interval,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example with missing values in Krippendorff, K. (2011),
    /// "Computing Krippendorff's Alpha-Reliability", Annenberg School for
    /// Communication, University of Pennsylvania, section C: four
    /// observers, twelve units, values 1–5. The paper reports
    /// α_nominal = 0.743, α_interval = 0.849 and α_ordinal = 0.815 (the
    /// `krippendorff` package on PyPI gives the same, 0.7434 / 0.8491 /
    /// 0.8154).
    fn worked_example() -> Vec<Vec<u8>> {
        // Observers A, B, C, D; 0 marks a missing value.
        let a = [1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0];
        let b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3];
        let c = [0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0];
        let d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0];
        (0..12)
            .map(|u| {
                [a[u], b[u], c[u], d[u]]
                    .into_iter()
                    .filter(|v| *v != 0)
                    .collect()
            })
            .collect()
    }

    fn close(x: Option<f64>, expected: f64) {
        let x = x.expect("a value");
        assert!((x - expected).abs() < 0.0005, "{x} vs {expected}");
    }

    #[test]
    fn alpha_matches_krippendorffs_worked_example() {
        let units = worked_example();
        close(alpha(&units, Metric::Nominal), 0.743);
        close(alpha(&units, Metric::Interval), 0.849);
        close(alpha(&units, Metric::Ordinal), 0.815);
    }

    #[test]
    fn perfect_agreement_is_one_and_undefined_cases_are_none() {
        let agree = vec![vec![1, 1], vec![2, 2], vec![4, 4, 4]];
        close(alpha(&agree, Metric::Ordinal), 1.0);
        // Everyone gave 3 everywhere: no variation, nothing to agree on.
        assert_eq!(alpha(&[vec![3, 3], vec![3, 3]], Metric::Ordinal), None);
        // No unit marked twice.
        assert_eq!(alpha(&[vec![1], vec![4]], Metric::Ordinal), None);
        assert_eq!(alpha(&[], Metric::Ordinal), None);
    }

    #[test]
    fn systematic_disagreement_goes_below_zero() {
        let opposite = vec![vec![1, 4], vec![4, 1], vec![1, 4], vec![4, 1]];
        assert!(alpha(&opposite, Metric::Ordinal).expect("a value") < 0.0);
    }

    #[test]
    fn offsets_show_who_grades_harder() {
        let mut marks = Vec::new();
        for i in 0..12u8 {
            let base = 2 + i % 2;
            marks.push(vec![
                ("ana".to_owned(), base - 1),
                ("bo".to_owned(), base),
                ("cy".to_owned(), base + 1),
            ]);
        }
        // An answer only one person marked counts for nobody.
        marks.push(vec![("ana".to_owned(), 4)]);
        let o = offsets(&marks);
        assert_eq!(o.len(), 3);
        assert_eq!((o[0].reviewer.as_str(), o[0].shared), ("ana", 12));
        assert!((o[0].mean + 1.5).abs() < 1e-9, "{o:?}");
        assert!(o[1].mean.abs() < 1e-9);
        assert!((o[2].mean - 1.5).abs() < 1e-9);
        // Every difference is the same, so the interval has no width.
        let (low, high) = o[0].interval.expect("enough answers");
        assert!((low + 1.5).abs() < 1e-9 && (high + 1.5).abs() < 1e-9);
    }

    #[test]
    fn few_shared_answers_give_no_interval() {
        let marks = vec![vec![("ana".to_owned(), 1), ("bo".to_owned(), 3)]; 3];
        let o = offsets(&marks);
        assert_eq!(o[0].shared, 3);
        assert_eq!(o[0].interval, None);
    }
}
