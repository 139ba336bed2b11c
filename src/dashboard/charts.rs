//! Charts drawn as SVG on the server: readable without JavaScript, coloured
//! by CSS variables so they follow the theme. Each comes with a title, axis
//! labels, a text alternative and its data in a table behind a toggle.

use leptos::prelude::*;

use super::types::*;
use crate::sessions::types::format_duration;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 44.0;

/// Maps `value` in `0..=max` onto `0..=length` (0 when `max` is 0).
pub fn scale(value: f64, max: f64, length: f64) -> f64 {
    if max <= 0.0 {
        0.0
    } else {
        (value / max).clamp(0.0, 1.0) * length
    }
}

/// x positions for `n` evenly spaced points across the plot (one point sits
/// in the middle).
pub fn spread(n: usize, from: f64, to: f64) -> Vec<f64> {
    match n {
        0 => Vec::new(),
        1 => vec![(from + to) / 2.0],
        _ => (0..n)
            .map(|i| from + (to - from) * i as f64 / (n - 1) as f64)
            .collect(),
    }
}

/// An SVG `points` attribute for values 0–100 at the given x positions.
pub fn polyline(xs: &[f64], values: &[i64]) -> String {
    let plot_h = HEIGHT - TOP - BOTTOM;
    xs.iter()
        .zip(values)
        .map(|(x, v)| {
            format!(
                "{x:.1},{:.1}",
                TOP + plot_h - scale(*v as f64, 100.0, plot_h)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A figure around one chart: caption, the SVG, and the data table behind a
/// `<details>` toggle (works without JavaScript).
fn figure(
    id: &'static str,
    title: &'static str,
    summary: String,
    svg: AnyView,
    table: AnyView,
) -> impl IntoView {
    view! {
        <figure class="chart" data-testid=id aria-labelledby=format!("{id}-title")>
            <figcaption id=format!("{id}-title")>{title}</figcaption>
            <p class="chart-summary" id=format!("{id}-desc")>{summary}</p>
            {svg}
            <details class="chart-data">
                <summary>"Show the data as a table"</summary>
                {table}
            </details>
        </figure>
    }
}

/// Score per session with its moving average.
pub fn trend_chart(points: &[TrendPoint]) -> impl IntoView {
    let n = points.len();
    let xs = spread(n, LEFT + 8.0, WIDTH - RIGHT - 8.0);
    let scores: Vec<i64> = points.iter().map(|p| p.score).collect();
    let averages: Vec<i64> = points.iter().map(|p| p.moving_average).collect();
    let summary = match (points.first(), points.last()) {
        (Some(first), Some(last)) => format!(
            "{n} session{} from {} to {}. Latest score {} %, moving average {} %; highest {} %, lowest {} %.",
            if n == 1 { "" } else { "s" },
            first.date,
            last.date,
            last.score,
            last.moving_average,
            scores.iter().max().copied().unwrap_or(0),
            scores.iter().min().copied().unwrap_or(0),
        ),
        _ => "No sessions in this range.".to_owned(),
    };
    let plot_h = HEIGHT - TOP - BOTTOM;
    let grid = [0, 25, 50, 75, 100].map(|v| {
        let y = TOP + plot_h - scale(f64::from(v), 100.0, plot_h);
        view! {
            <line class="grid" x1=LEFT x2=WIDTH - RIGHT y1=y y2=y/>
            <text class="tick" x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{format!("{v}")}</text>
        }
    });
    let dots = xs
        .iter()
        .zip(points)
        .map(|(x, p)| {
            let y = TOP + plot_h - scale(p.score as f64, 100.0, plot_h);
            view! { <circle class="series-score" cx=format!("{x:.1}") cy=format!("{y:.1}") r="3">
                <title>{format!("{}: {} %", p.date, p.score)}</title>
            </circle> }
        })
        .collect_view();
    let svg = view! {
        <svg class="chart-svg" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
            aria-labelledby="trend-title trend-desc">
            {grid}
            <line class="axis" x1=LEFT x2=LEFT y1=TOP y2=HEIGHT - BOTTOM/>
            <line class="axis" x1=LEFT x2=WIDTH - RIGHT y1=HEIGHT - BOTTOM y2=HEIGHT - BOTTOM/>
            <polyline class="series-score-line" fill="none" points=polyline(&xs, &scores)/>
            <polyline class="series-average" fill="none" points=polyline(&xs, &averages)/>
            {dots}
            {points.first().map(|p| view! { <text class="tick" x=LEFT y=HEIGHT - BOTTOM + 16.0>{p.date.clone()}</text> })}
            {(n > 1).then(|| points.last().map(|p| view! {
                <text class="tick" x=WIDTH - RIGHT y=HEIGHT - BOTTOM + 16.0 text-anchor="end">{p.date.clone()}</text>
            }))}
            <text class="axis-label" x=(LEFT + WIDTH - RIGHT) / 2.0 y=HEIGHT - 6.0 text-anchor="middle">"Sessions, oldest to newest"</text>
            <text class="axis-label" transform=format!("translate(14 {}) rotate(-90)", TOP + plot_h / 2.0) text-anchor="middle">"Score (%)"</text>
        </svg>
        <p class="legend"><span class="key key-score"></span>" Session score "
            <span class="key key-average"></span>{format!(" Moving average of {MOVING_AVERAGE_WINDOW} sessions")}</p>
    }
    .into_any();
    let table = view! {
        <table class="summary-table">
            <thead><tr><th scope="col">"Date"</th><th scope="col">"Score"</th><th scope="col">"Moving average"</th></tr></thead>
            <tbody>{points.iter().map(|p| view! {
                <tr><td>{p.date.clone()}</td><td>{format!("{} %", p.score)}</td><td>{format!("{} %", p.moving_average)}</td></tr>
            }).collect_view()}</tbody>
        </table>
    }
    .into_any();
    figure("trend", "Score trend", summary, svg, table)
}

/// One bar: its value, CSS class and the text printed beside it.
type Bar = (f64, &'static str, String);

/// Horizontal bars: one labelled row per level, one or more bars each.
/// `id` names the figure, whose caption and summary label the SVG.
fn bar_rows(id: &str, rows: Vec<(String, Vec<Bar>)>, max: f64) -> AnyView {
    // Half-width panels: a narrower canvas keeps the text legible.
    const WIDTH: f64 = 420.0;
    let bar_h = 18.0;
    let label_w = 90.0;
    let row_h = 12.0 + bar_h * rows.iter().map(|r| r.1.len()).max().unwrap_or(1) as f64;
    let height = TOP + row_h * rows.len() as f64 + 8.0;
    let plot_w = WIDTH - label_w - RIGHT - 70.0;
    let body = rows
        .into_iter()
        .enumerate()
        .map(|(i, (label, bars))| {
            let y0 = TOP + row_h * i as f64;
            view! {
                <text class="tick" x=label_w - 8.0 y=y0 + bar_h text-anchor="end">{label}</text>
                {bars.into_iter().enumerate().map(|(j, (value, class, text))| {
                    let y = y0 + bar_h * j as f64;
                    let w = scale(value, max, plot_w).max(1.0);
                    view! {
                        <rect class=class x=label_w y=y width=format!("{w:.1}") height=bar_h - 3.0/>
                        <text class="tick" x=label_w + w + 6.0 y=y + bar_h - 5.0>{text}</text>
                    }
                }).collect_view()}
            }
        })
        .collect_view();
    view! {
        <svg class="chart-svg" viewBox=format!("0 0 {WIDTH} {height}") role="img"
            aria-labelledby=format!("{id}-title {id}-desc")>
            <line class="axis" x1=label_w x2=label_w y1=TOP - 4.0 y2=height - 4.0/>
            {body}
        </svg>
    }
    .into_any()
}

/// Mean time per answer against the mean limit, per level.
pub fn time_chart(levels: &[LevelStats]) -> impl IntoView {
    let max = levels
        .iter()
        .flat_map(|l| [l.mean_spent_ms, l.mean_limit_ms.unwrap_or(0)])
        .max()
        .unwrap_or(0) as f64;
    let summary = levels
        .iter()
        .map(|l| match l.mean_limit_ms {
            Some(limit) => format!(
                "{}: {} per answer against a {} limit, {} of {} timed answers over.",
                l.level.label(),
                format_duration(l.mean_spent_ms),
                format_duration(limit),
                l.over_limit,
                l.timed
            ),
            None => format!(
                "{}: {} per answer, no limit set.",
                l.level.label(),
                format_duration(l.mean_spent_ms)
            ),
        })
        .collect::<Vec<_>>()
        .join(" ");
    let rows = levels
        .iter()
        .map(|l| {
            let mut bars = vec![(
                l.mean_spent_ms as f64,
                "bar-spent",
                format!("{} spent", format_duration(l.mean_spent_ms)),
            )];
            if let Some(limit) = l.mean_limit_ms {
                bars.push((
                    limit as f64,
                    "bar-limit",
                    format!("{} limit", format_duration(limit)),
                ));
            }
            (l.level.label().to_owned(), bars)
        })
        .collect();
    let svg = view! {
        {bar_rows("time-per-answer", rows, max)}
        <p class="legend"><span class="key key-spent"></span>" Mean time per answer "
            <span class="key key-limit"></span>" Mean limit (timed answers)"</p>
    }
    .into_any();
    let table = view! {
        <table class="summary-table">
            <thead><tr><th scope="col">"Level"</th><th scope="col">"Mean time"</th><th scope="col">"Mean limit"</th>
                <th scope="col">"Timed answers"</th><th scope="col">"Over the limit"</th></tr></thead>
            <tbody>{levels.iter().map(|l| view! {
                <tr><td>{l.level.label()}</td><td>{format_duration(l.mean_spent_ms)}</td>
                    <td>{l.mean_limit_ms.map_or("–".to_owned(), format_duration)}</td>
                    <td>{l.timed}</td><td>{l.over_limit}</td></tr>
            }).collect_view()}</tbody>
        </table>
    }
    .into_any();
    figure("time-per-answer", "Time per answer", summary, svg, table)
}

/// Graded answers per level.
pub fn level_chart(levels: &[LevelStats]) -> impl IntoView {
    let max = levels.iter().map(|l| l.answers).max().unwrap_or(0) as f64;
    let summary = levels
        .iter()
        .map(|l| format!("{}: {} answers.", l.level.label(), l.answers))
        .collect::<Vec<_>>()
        .join(" ");
    let rows = levels
        .iter()
        .map(|l| {
            (
                l.level.label().to_owned(),
                vec![(
                    f64::from(l.answers),
                    match l.level {
                        crate::questions::types::Level::Beginner => "bar-beginner",
                        crate::questions::types::Level::Intermediate => "bar-intermediate",
                        crate::questions::types::Level::Advanced => "bar-advanced",
                    },
                    l.answers.to_string(),
                )],
            )
        })
        .collect();
    let table = view! {
        <table class="summary-table">
            <thead><tr><th scope="col">"Level"</th><th scope="col">"Graded answers"</th></tr></thead>
            <tbody>{levels.iter().map(|l| view! {
                <tr><td>{l.level.label()}</td><td>{l.answers}</td></tr>
            }).collect_view()}</tbody>
        </table>
    }
    .into_any();
    figure(
        "per-level",
        "Answers per level",
        summary,
        bar_rows("per-level", rows, max),
        table,
    )
}

/// A self-grade beside a reviewer's grade, one row each (a question, or a
/// candidate): who rates themselves higher or lower than the reviewer, and
/// on what. Grades are 1–4 (means may fall between).
pub fn self_vs_reviewer_chart(
    id: &'static str,
    title: &'static str,
    rows: &[(String, Option<f64>, Option<f64>)],
) -> impl IntoView {
    let fmt = |g: Option<f64>| g.map_or("–".to_owned(), |g| format!("{g:.1}"));
    let (mut over, mut under) = (0, 0);
    for (_, own, theirs) in rows {
        if let (Some(a), Some(b)) = (own, theirs) {
            if a - b >= 0.5 {
                over += 1;
            } else if b - a >= 0.5 {
                under += 1;
            }
        }
    }
    let summary = format!(
        "{} row{}: the self-grade is higher than the reviewer's on {over} and lower on {under}.",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
    let bars = rows
        .iter()
        .map(|(label, own, theirs)| {
            let short: String = label.chars().take(12).collect();
            let mut bars = Vec::new();
            bars.push((
                own.unwrap_or(0.0),
                "bar-self",
                format!("self {}", fmt(*own)),
            ));
            bars.push((
                theirs.unwrap_or(0.0),
                "bar-reviewer",
                format!("reviewer {}", fmt(*theirs)),
            ));
            (short, bars)
        })
        .collect();
    let svg = view! {
        {bar_rows(id, bars, 4.0)}
        <p class="legend"><span class="key key-self"></span>" Self-grade "
            <span class="key key-reviewer"></span>" Reviewer's grade (1 Missed – 4 Excellent)"</p>
    }
    .into_any();
    let table = view! {
        <table class="summary-table">
            <thead><tr><th scope="col">""</th><th scope="col">"Self-grade"</th><th scope="col">"Reviewer"</th><th scope="col">"Difference"</th></tr></thead>
            <tbody>{rows.iter().map(|(label, own, theirs)| view! {
                <tr><td>{label.clone()}</td><td>{fmt(*own)}</td><td>{fmt(*theirs)}</td>
                    <td>{match (own, theirs) { (Some(a), Some(b)) => format!("{:+.1}", a - b), _ => "–".to_owned() }}</td></tr>
            }).collect_view()}</tbody>
        </table>
    }
    .into_any();
    figure(id, title, summary, svg, table)
}

/// Shade 0–4 for a day's count.
pub fn intensity(count: u32) -> u8 {
    match count {
        0 => 0,
        1..=2 => 1,
        3..=5 => 2,
        6..=9 => 3,
        _ => 4,
    }
}

/// (week column, "2026-11") above each column where a month begins; the
/// first column gets its month too unless a label follows within three
/// columns (they would overlap).
pub fn month_labels(days: &[DayCount]) -> Vec<(usize, String)> {
    let lead = days.first().map_or(0, |d| usize::from(d.weekday));
    let month = |d: &DayCount| d.date.get(..7).unwrap_or_default().to_owned();
    let mut labels: Vec<(usize, String)> = days
        .iter()
        .enumerate()
        .filter(|(i, d)| *i > 0 && d.date.ends_with("-01"))
        .map(|(i, d)| ((lead + i) / 7, month(d)))
        .collect();
    if let Some(first) = days.first() {
        if labels.first().is_none_or(|(column, _)| *column >= 3) {
            labels.insert(0, (0, month(first)));
        }
    }
    labels
}

/// A week-by-column grid of days, Monday at the top.
pub fn calendar_chart(days: &[DayCount]) -> impl IntoView {
    let cell = 14.0;
    let gap = 3.0;
    let left = 34.0;
    let top = 20.0;
    let lead = days.first().map_or(0, |d| usize::from(d.weekday));
    let weeks = (lead + days.len()).div_ceil(7).max(1);
    let width = left + weeks as f64 * (cell + gap) + 8.0;
    let height = top + 7.0 * (cell + gap) + 4.0;
    let active = days.iter().filter(|d| d.count > 0).count();
    let total: u32 = days.iter().map(|d| d.count).sum();
    let busiest = days.iter().max_by_key(|d| d.count).filter(|d| d.count > 0);
    let summary = format!(
        "{active} active day{} of {} shown, {total} graded answer{}{}.",
        if active == 1 { "" } else { "s" },
        days.len(),
        if total == 1 { "" } else { "s" },
        busiest.map_or(String::new(), |d| format!(
            "; busiest {} with {}",
            d.date, d.count
        )),
    );
    let cells = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let slot = lead + i;
            let x = left + (slot / 7) as f64 * (cell + gap);
            let y = top + (slot % 7) as f64 * (cell + gap);
            view! {
                <rect class=format!("cal cal-{}", intensity(d.count)) x=x y=y width=cell height=cell rx="2"
                    data-date=d.date.clone() data-count=d.count>
                    <title>{format!("{}: {} graded answer{}", d.date, d.count, if d.count == 1 { "" } else { "s" })}</title>
                </rect>
            }
        })
        .collect_view();
    let months = month_labels(days)
        .into_iter()
        .map(|(column, label)| {
            let x = left + column as f64 * (cell + gap);
            view! { <text class="tick" x=x y=top - 6.0>{label}</text> }
        })
        .collect_view();
    let svg = view! {
        <div class="chart-scroll">
            <svg class="chart-svg calendar" viewBox=format!("0 0 {width} {height}") width=width height=height role="img"
                aria-labelledby="activity-title activity-desc">
                {months}
                {[(0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun")].map(|(row, label)| view! {
                    <text class="tick" x=0 y=top + f64::from(row) * (cell + gap) + cell - 2.0>{label}</text>
                })}
                {cells}
            </svg>
        </div>
        <p class="legend">"Fewer "{(0..=4).map(|i| view! { <span class=format!("key cal-{i}")></span> }).collect_view()}" More"</p>
    }
    .into_any();
    let table = view! {
        <table class="summary-table">
            <thead><tr><th scope="col">"Date"</th><th scope="col">"Graded answers"</th></tr></thead>
            <tbody>{days.iter().filter(|d| d.count > 0).map(|d| view! {
                <tr><td>{d.date.clone()}</td><td>{d.count}</td></tr>
            }).collect_view()}</tbody>
        </table>
    }
    .into_any();
    figure("activity", "Activity", summary, svg, table)
}

/// Reviews due on each of the coming days (today includes the overdue).
pub fn forecast_chart(days: &[crate::grading::types::ForecastDay]) -> impl IntoView {
    let total: u32 = days.iter().map(|d| d.count).sum();
    let max = days.iter().map(|d| d.count).max().unwrap_or(0);
    let busiest = days.iter().max_by_key(|d| d.count).filter(|d| d.count > 0);
    let summary = match (days.first(), busiest) {
        (Some(today), Some(b)) => format!(
            "{} due in the next {} days: {} today, the most on {} ({}).",
            crate::grading::types::plural(total, "review", "reviews"),
            days.len(),
            today.count,
            b.date,
            b.count
        ),
        _ => format!("Nothing due in the next {} days.", days.len()),
    };
    // A round top for the axis: 4, 8, 12... so the ticks are whole numbers.
    let top = (max.max(1)).div_ceil(4) * 4;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let plot_w = WIDTH - LEFT - RIGHT;
    let slot = plot_w / days.len().max(1) as f64;
    let grid = [0, top / 2, top].map(|v| {
        let y = TOP + plot_h - scale(f64::from(v), f64::from(top), plot_h);
        view! {
            <line class="grid" x1=LEFT x2=WIDTH - RIGHT y1=y y2=y/>
            <text class="tick" x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{v.to_string()}</text>
        }
    });
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let h = scale(f64::from(d.count), f64::from(top), plot_h);
            let x = LEFT + slot * i as f64 + slot * 0.15;
            view! {
                <rect class=if i == 0 { "bar-today" } else { "bar-due" } x=format!("{x:.1}")
                    y=format!("{:.1}", TOP + plot_h - h) width=format!("{:.1}", slot * 0.7)
                    height=format!("{h:.1}")>
                    <title>{format!("{}: {}", d.date, d.count)}</title>
                </rect>
                {(i % 7 == 0).then(|| view! {
                    <text class="tick" x=format!("{:.1}", LEFT + slot * (i as f64 + 0.5))
                        y=HEIGHT - BOTTOM + 16.0 text-anchor="middle">{d.label.clone()}</text>
                })}
            }
        })
        .collect_view();
    let svg = view! {
        <svg class="chart-svg" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
            aria-labelledby="forecast-title forecast-desc">
            {grid}
            <line class="axis" x1=LEFT x2=LEFT y1=TOP y2=HEIGHT - BOTTOM/>
            <line class="axis" x1=LEFT x2=WIDTH - RIGHT y1=HEIGHT - BOTTOM y2=HEIGHT - BOTTOM/>
            {bars}
            <text class="axis-label" x=(LEFT + WIDTH - RIGHT) / 2.0 y=HEIGHT - 6.0 text-anchor="middle">"Day (today first)"</text>
            <text class="axis-label" transform=format!("translate(14 {}) rotate(-90)", TOP + plot_h / 2.0) text-anchor="middle">"Reviews due"</text>
        </svg>
    }
    .into_any();
    let table = view! {
        <table class="summary-table">
            <thead><tr><th scope="col">"Day"</th><th scope="col">"Reviews due"</th></tr></thead>
            <tbody>{days.iter().map(|d| view! {
                <tr><td>{d.date.clone()}</td><td>{d.count}</td></tr>
            }).collect_view()}</tbody>
        </table>
    }
    .into_any();
    figure("forecast", "Reviews due, next 30 days", summary, svg, table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_clamps_and_handles_zero() {
        assert_eq!(scale(50.0, 100.0, 200.0), 100.0);
        assert_eq!(scale(150.0, 100.0, 200.0), 200.0);
        assert_eq!(scale(5.0, 0.0, 200.0), 0.0);
    }

    #[test]
    fn points_spread_evenly() {
        assert!(spread(0, 0.0, 10.0).is_empty());
        assert_eq!(spread(1, 0.0, 10.0), vec![5.0]);
        assert_eq!(spread(3, 0.0, 10.0), vec![0.0, 5.0, 10.0]);
    }

    #[test]
    fn polyline_puts_100_at_the_top() {
        let line = polyline(&[48.0, 100.0], &[100, 0]);
        assert_eq!(line, format!("48.0,{TOP:.1} 100.0,{:.1}", HEIGHT - BOTTOM));
    }

    fn day(date: &str, weekday: u8) -> DayCount {
        DayCount {
            date: date.into(),
            weekday,
            count: 0,
        }
    }

    #[test]
    fn month_labels_do_not_collide() {
        // Starts on Wednesday 2026-08-26: August's label would sit one
        // column before September's, so only September is labelled.
        let days: Vec<DayCount> = (26..=31)
            .map(|d| day(&format!("2026-08-{d}"), ((d - 24) % 7) as u8))
            .chain([day("2026-09-01", 1)])
            .collect();
        assert_eq!(month_labels(&days), vec![(1, "2026-09".to_owned())]);
        // A range inside one month still names it.
        assert_eq!(
            month_labels(&[day("2026-08-03", 0)]),
            vec![(0, "2026-08".to_owned())]
        );
    }

    #[test]
    fn calendar_shades_by_count() {
        assert_eq!(
            [0, 1, 2, 3, 5, 6, 9, 10, 99].map(intensity),
            [0, 1, 1, 2, 2, 3, 3, 4, 4]
        );
    }
}
