//! The interview plan as pure functions: how much fits in a day, how far
//! along a person is, and which new questions come first.

/// A topic × level area counts as covered once this many of its questions
/// (or all, if it has fewer) have been seen.
pub const COVER_PER_AREA: u32 = 3;
/// Minutes one question takes (answer, reveal, grade) for someone who has
/// not answered enough yet to tell.
pub const DEFAULT_MINUTES_PER_QUESTION: u32 = 5;

/// One topic × level area of the bank, as the plan sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    pub key: (String, String),
    /// Questions in the area.
    pub size: u32,
    /// Questions of it the person has reviewed at least once.
    pub seen: u32,
    /// The mean of the latest grades there (1–4); `None` when none.
    pub mastery: Option<f64>,
    /// Question ids not seen yet, in the order to take them.
    pub unseen: Vec<i64>,
}

impl Area {
    fn target(&self) -> u32 {
        self.size.min(COVER_PER_AREA)
    }
    fn covered(&self) -> bool {
        self.seen >= self.target()
    }
}

/// The next `n` new questions: areas not yet covered first, then the
/// weakest; one question per area in turn, so one weak area does not
/// take the whole day.
pub fn pick_new(areas: &[Area], n: usize) -> Vec<i64> {
    let mut order: Vec<&Area> = areas.iter().filter(|a| !a.unseen.is_empty()).collect();
    // Uncovered before covered; never-graded (unknown) before graded;
    // then lower mastery first. Stable, so ties keep the bank's order.
    order.sort_by(|a, b| {
        let key = |x: &Area| (x.covered(), x.mastery.is_some(), x.mastery.unwrap_or(0.0));
        let (ca, ka, ma) = key(a);
        let (cb, kb, mb) = key(b);
        (ca, ka).cmp(&(cb, kb)).then(ma.total_cmp(&mb))
    });
    let mut picked = Vec::with_capacity(n);
    let mut round = 0;
    while picked.len() < n {
        let before = picked.len();
        for area in &order {
            if picked.len() == n {
                break;
            }
            if let Some(&id) = area.unseen.get(round) {
                picked.push(id);
            }
        }
        if picked.len() == before {
            break;
        }
        round += 1;
    }
    picked
}

/// The facts a plan's status is computed from.
pub struct Facts<'a> {
    /// Days since the plan was made (0 on its first day).
    pub elapsed_days: i64,
    /// Days from the plan's start to the interview.
    pub total_days: i64,
    pub minutes_per_day: u32,
    pub minutes_per_question: u32,
    /// Reviews due today, already capped by the settings.
    pub due: u32,
    pub areas: &'a [Area],
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Numbers {
    pub day: u32,
    pub total_days: u32,
    pub days_left: u32,
    pub covered: u32,
    pub target: u32,
    pub on_track: bool,
    pub reviews_today: u32,
    pub new_today: u32,
}

/// Today's share of the plan: reviews first, then enough new questions to
/// cover every chosen area by the interview, within the minutes a day.
pub fn numbers(f: &Facts<'_>) -> Numbers {
    let total = f.total_days.max(1);
    let elapsed = f.elapsed_days.clamp(0, total);
    let days_left = total - elapsed;
    let target: u32 = f.areas.iter().map(Area::target).sum();
    let covered: u32 = f.areas.iter().map(|a| a.seen.min(a.target())).sum();
    // Coverage expected by the start of today, growing evenly.
    let expected = i64::from(target) * elapsed / total;
    let capacity = (f.minutes_per_day / f.minutes_per_question.max(1)).max(1);
    let reviews_today = f.due.min(capacity);
    let remaining = i64::from(target.saturating_sub(covered));
    let pace = if remaining == 0 {
        0
    } else {
        // ceil(remaining / days left); today counts as a day.
        let days = days_left.max(1);
        u32::try_from((remaining + days - 1) / days).unwrap_or(u32::MAX)
    };
    Numbers {
        day: u32::try_from(elapsed + 1)
            .unwrap_or(1)
            .min(u32::try_from(total).unwrap_or(1)),
        total_days: u32::try_from(total).unwrap_or(1),
        days_left: u32::try_from(days_left).unwrap_or(0),
        covered,
        target,
        on_track: i64::from(covered) >= expected,
        reviews_today,
        new_today: pace.min(capacity - reviews_today),
    }
}

/// Minutes one question takes this person: their mean answering time over
/// recent answers plus a minute to reveal and grade, within 2–20.
pub fn minutes_per_question(mean_answer_ms: Option<i64>) -> u32 {
    match mean_answer_ms {
        Some(ms) if ms > 0 => {
            // Rounded up to whole minutes.
            let minutes = (ms + 60_000 + 59_999) / 60_000;
            u32::try_from(minutes.clamp(2, 20)).unwrap_or(DEFAULT_MINUTES_PER_QUESTION)
        }
        _ => DEFAULT_MINUTES_PER_QUESTION,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(
        topic: &str,
        level: &str,
        size: u32,
        seen: u32,
        mastery: Option<f64>,
        first: i64,
    ) -> Area {
        let unseen = size.saturating_sub(seen);
        Area {
            key: (topic.into(), level.into()),
            size,
            seen,
            mastery,
            unseen: (first..first + i64::from(unseen)).collect(),
        }
    }

    /// A hand-made mastery picture: databases advanced is weak, security
    /// is untouched, APIs beginner is strong and covered.
    fn fixture() -> Vec<Area> {
        vec![
            area("apis", "beginner", 6, 4, Some(3.8), 100),
            area("databases", "advanced", 6, 3, Some(1.5), 200),
            area("databases", "beginner", 6, 1, Some(3.0), 300),
            area("security", "intermediate", 6, 0, None, 400),
        ]
    }

    #[test]
    fn new_questions_cover_untouched_and_uncovered_areas_first_then_the_weakest() {
        let areas = fixture();
        // Security (never seen) first, then databases beginner (uncovered),
        // then databases advanced (covered but weakest), then APIs.
        assert_eq!(pick_new(&areas, 4), vec![400, 300, 200, 100]);
        // Round robin: a second round before anything repeats an area.
        assert_eq!(pick_new(&areas, 6), vec![400, 300, 200, 100, 401, 301]);
        assert!(pick_new(&areas, 0).is_empty());
        let all = pick_new(&areas, 1000);
        assert_eq!(all.len(), 2 + 3 + 5 + 6);
    }

    #[test]
    fn the_plan_fits_the_minutes_and_paces_coverage_to_the_date() {
        let areas = fixture();
        // target 3+3+3+3 = 12, covered 3+3+1+0 = 7.
        let n = numbers(&Facts {
            elapsed_days: 5,
            total_days: 21,
            minutes_per_day: 30,
            minutes_per_question: 5,
            due: 4,
            areas: &areas,
        });
        assert_eq!((n.day, n.total_days, n.days_left), (6, 21, 16));
        assert_eq!((n.covered, n.target), (7, 12));
        assert!(n.on_track, "expected {} by today", 12 * 5 / 21);
        assert_eq!(n.reviews_today, 4);
        // 5 areas left over 16 days: one a day.
        assert_eq!(n.new_today, 1);

        // Reviews fill the day: no room for new questions.
        let busy = numbers(&Facts {
            elapsed_days: 5,
            total_days: 21,
            minutes_per_day: 30,
            minutes_per_question: 5,
            due: 9,
            areas: &areas,
        });
        assert_eq!((busy.reviews_today, busy.new_today), (6, 0));

        // Late and behind: the pace rises to what is left.
        let late = numbers(&Facts {
            elapsed_days: 19,
            total_days: 21,
            minutes_per_day: 60,
            minutes_per_question: 5,
            due: 0,
            areas: &areas,
        });
        assert!(!late.on_track);
        assert_eq!((late.days_left, late.new_today), (2, 3));
    }

    #[test]
    fn minutes_per_question_follow_the_person() {
        assert_eq!(minutes_per_question(None), DEFAULT_MINUTES_PER_QUESTION);
        assert_eq!(minutes_per_question(Some(3 * 60_000)), 4);
        assert_eq!(minutes_per_question(Some(10_000)), 2);
        assert_eq!(minutes_per_question(Some(3_600_000)), 20);
    }
}
