//! `/dashboard`: progress over a date range, drawn on the server.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::error::ErrorPanel;
use crate::dashboard::{api::get_dashboard, charts, types::*};
use crate::questions::types::Level;
use crate::sessions::types::grade_label;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let range = RangeQuery {
        preset: query.get("preset").unwrap_or_default(),
        from: query.get("from").unwrap_or_default(),
        to: query.get("to").unwrap_or_default(),
    };
    view! {
        <Title text="Dashboard"/>
        <h1>"Your progress"</h1>
        {move || {
            let range = range.clone();
            Suspend::new(async move {
                match get_dashboard(range.clone()).await {
                    Ok(Some(d)) => {
                        super::keep::keep_until(d.fresh_until);
                        view! { {range_form(&d.preset, &d.from, &d.to)} {dashboard(d)} }.into_any()
                    }
                    Ok(None) => empty_state("No practice yet", "Your progress appears here once you have graded a few answers.").into_any(),
                    Err(error) => view! { {range_form(&range.preset, &range.from, &range.to)} <ErrorPanel error/> }.into_any(),
                }
            })
        }}
    }
}

fn empty_state(title: &'static str, text: &'static str) -> impl IntoView {
    view! {
        <section class="panel empty-state" data-testid="dashboard-empty">
            <h2>{title}</h2>
            <p>{text}</p>
            <p><a class="button primary" href="/practice/new">"Start a session"</a></p>
        </section>
    }
}

/// Presets as links, and a from/to form for any other range; plain GET so
/// every view has its own URL and works without JavaScript.
fn range_form(preset: &str, from: &str, to: &str) -> impl IntoView {
    view! {
        <nav class="range-presets" aria-label="Date range">
            {PRESETS.map(|(value, label)| view! {
                <a href=format!("/dashboard?preset={value}") class="chip"
                    aria-current=(preset == value).then_some("page")>{label}</a>
            })}
        </nav>
        <form class="range-form" method="get" action="/dashboard">
            <input type="hidden" name="preset" value="custom"/>
            <label>"From "<input type="date" name="from" value=from.to_owned() required/></label>
            <label>"To "<input type="date" name="to" value=to.to_owned()/></label>
            <button type="submit" class="button">"Show"</button>
        </form>
    }
}

fn dashboard(d: Dashboard) -> impl IntoView {
    let streak = match d.streak {
        Some(s) => view! {
            <div class="stat"><span class="stat-value" data-testid="streak-current">{s.current}</span>
                <span class="stat-label">{if s.current == 1 { "day streak" } else { "days streak" }}</span></div>
            <div class="stat"><span class="stat-value" data-testid="streak-longest">{s.longest}</span>
                <span class="stat-label">"days, longest streak"</span></div>
        }
        .into_any(),
        None => view! { <p class="muted">"Streaks are hidden ("<a href="/account">"settings"</a>")."</p> }.into_any(),
    };
    let header = view! {
        <section class="summary-head panel" aria-label="Summary">
            <div class="stat"><span class="stat-value" data-testid="graded-count">{d.graded}</span><span class="stat-label">"graded answers"</span></div>
            {streak}
        </section>
        <p class="muted">{format!("{} to {}, days in {} ", d.from, d.to, d.time_zone)}
            "(" <a href="/account">"change"</a> ")."</p>
    };
    if d.graded == 0 {
        return view! {
            {header}
            {empty_state("Nothing graded in this range", "Pick a longer range above, or practise a few questions and grade your answers: mastery, trend and timing appear here.")}
            {charts::calendar_chart(&d.calendar)}
        }
        .into_any();
    }
    view! {
        {header}
        <div class="dashboard-grid">
            {mastery_table(&d.mastery)}
            {charts::trend_chart(&d.trend)}
            {charts::time_chart(&d.levels)}
            {charts::level_chart(&d.levels)}
            {charts::calendar_chart(&d.calendar)}
            {question_list("weakest", "Weakest questions", "Nothing below Excellent in this range: well done.", d.weakest)}
            {question_list("flagged", "Flagged questions", "Questions you flag while practising are listed here.", d.flagged)}
            {spaced_review_panel(d.review)}
        </div>
    }
    .into_any()
}

/// Topics down, levels across; each cell the mean latest grade and how many
/// questions it covers, shaded by grade.
fn mastery_table(cells: &[MasteryCell]) -> impl IntoView {
    let mut topics: Vec<String> = Vec::new();
    for c in cells {
        if !topics.contains(&c.topic) {
            topics.push(c.topic.clone());
        }
    }
    let cell = |topic: &str, level: Level| match cells
        .iter()
        .find(|c| c.topic == topic && c.level == level)
    {
        Some(c) => {
            let band = ((c.mean_x100 + 50) / 100).clamp(1, 4);
            view! {
                    <td class=format!("heat heat-{band}") data-testid=format!("mastery-{}-{}", slugify(topic), level.as_str())>
                        <strong>{format_mean(c.mean_x100)}</strong>
                        <small>{format!(" · {} question{}", c.questions, if c.questions == 1 { "" } else { "s" })}</small>
                    </td>
                }
                .into_any()
        }
        None => view! { <td class="heat heat-none">"–"</td> }.into_any(),
    };
    view! {
        <section class="panel wide" data-testid="mastery">
            <h2>"Mastery by topic and level"</h2>
            <p class="muted">"Mean of each question's latest grade (1 Missed – 4 Excellent), and how many questions it covers."</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Mastery table">
                <table class="summary-table mastery">
                    <thead><tr><th scope="col">"Topic"</th>
                        {Level::ALL.map(|l| view! { <th scope="col">{l.label()}</th> })}</tr></thead>
                    <tbody>{topics.iter().map(|t| view! {
                        <tr><th scope="row">{t.clone()}</th>{Level::ALL.map(|l| cell(t, l))}</tr>
                    }).collect_view()}</tbody>
                </table>
            </div>
        </section>
    }
}

fn slugify(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn question_list(
    id: &'static str,
    title: &'static str,
    empty: &'static str,
    questions: Vec<QuestionGrade>,
) -> impl IntoView {
    view! {
        <section class="panel" data-testid=id>
            <h2>{title}</h2>
            {if questions.is_empty() {
                view! { <p class="muted">{empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="question-grades">
                        {questions.into_iter().map(|q| view! {
                            <li>
                                <a href=format!("/questions/{}", q.slug)>{q.prompt}</a>
                                <span class="muted">{format!(" {} · {} · latest {} on {} · {} attempt{}",
                                    q.level.label(), q.topic, grade_label(q.grade), q.date, q.attempts,
                                    if q.attempts == 1 { "" } else { "s" })}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// Spaced review: reviews due over the next 30 days, true retention
/// against the desired one, and the leeches with what to do about them.
fn spaced_review_panel(r: crate::grading::types::ReviewStats) -> impl IntoView {
    let retention = match r.retention_pct {
        Some(pct) => format!(
            "{pct} % of {} reviews of learnt questions passed in this range (Partial or better); you aim for {} %.",
            r.retention_reviews, r.desired_pct
        ),
        None => format!("No reviews of learnt questions in this range yet; you aim for {} %.", r.desired_pct),
    };
    view! {
        <section class="panel wide" data-testid="review-stats">
            <h2>"Spaced review"</h2>
            <p data-testid="true-retention">{retention}" "<a href="/review">"Review now →"</a></p>
            {charts::forecast_chart(&r.forecast)}
            <h3>"Leeches"</h3>
            {if r.leeches.is_empty() {
                view! { <p class="muted" data-testid="leeches-empty">"None: no question has been forgotten 8 times."</p> }.into_any()
            } else {
                view! {
                    <p>"Forgotten again and again, these no longer come up for review. Drilling them the same way will not help: "
                       "rewrite your notes in your own words, study the reference answer and its key points, then reset the question from its page."</p>
                    <ul class="question-grades" data-testid="leeches">
                        {r.leeches.into_iter().map(|l| view! {
                            <li><a href=format!("/questions/{}", l.slug)>{l.prompt}</a>
                                <span class="muted">{format!(" forgotten {} times", l.lapses)}</span></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
