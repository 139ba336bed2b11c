//! `/history` and `/history/:id`: past sessions, and one session answer by
//! answer beside the reference.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::error::ErrorPanel;
use crate::components::markdown::SanitizedHtml;
use crate::components::session_setup::RetryWeakButton;
use crate::history::{
    api::{list_history, review_session},
    types::*,
};
use crate::sessions::types::{format_duration, grade_label};

#[component]
pub fn HistoryPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let mode = query
        .get("mode")
        .filter(|m| m == "practice" || m == "interview")
        .unwrap_or_default();
    let page: u32 = query
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    view! {
        <Title text="History"/>
        <h1>"Your sessions"</h1>
        <form class="history-filter" method="get" action="/history">
            <label>"Mode "
                <select name="mode">
                    <option value="" selected=mode.is_empty()>"All"</option>
                    <option value="practice" selected=mode == "practice">"Practice"</option>
                    <option value="interview" selected=mode == "interview">"Interview"</option>
                </select>
            </label>
            <button type="submit" class="button">"Show"</button>
        </form>
        {move || {
            let mode = mode.clone();
            Suspend::new(async move {
                match list_history(mode.clone(), page - 1).await {
                    Ok(items) if items.is_empty() && page == 1 => view! {
                        <section class="panel empty-state" data-testid="history-empty">
                            <h2>"No sessions yet"</h2>
                            <p>"Sessions you start appear here with their score and time, so you can go back over them."</p>
                            <p><a class="button primary" href="/practice/new">"Start a session"</a></p>
                        </section>
                    }.into_any(),
                    Ok(items) => history_table(items, &mode, page).into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })
        }}
    }
}

fn history_table(items: Vec<HistoryItem>, mode: &str, page: u32) -> impl IntoView {
    let full = items.len() as i64 == HISTORY_PAGE_SIZE;
    let next = format!("/history?mode={mode}&page={}", page + 1);
    view! {
        <table class="summary-table" data-testid="history-table">
            <caption class="sr-only">"Your sessions, newest first"</caption>
            <thead><tr><th scope="col">"Started"</th><th scope="col">"Mode"</th><th scope="col">"Score"</th>
                <th scope="col">"Answered"</th><th scope="col">"Time used"</th><th scope="col"></th></tr></thead>
            <tbody>
                {items.into_iter().map(|s| view! {
                    <tr>
                        <td>{format_utc(s.started_at)}</td>
                        <td>{s.mode.label()}{(!s.finished).then_some(" (in progress)")}</td>
                        <td>{s.score().map_or("–".to_owned(), |v| format!("{v}%"))}</td>
                        <td>{format!("{} / {}", s.answered, s.count)}</td>
                        <td>{format_duration(s.time_used_ms)}</td>
                        <td>{if s.finished {
                            view! { <a href=format!("/history/{}", s.session_id)>"Review"</a> }.into_any()
                        } else {
                            view! { <a href=format!("/practice/{}", s.session_id)>"Resume"</a> }.into_any()
                        }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {full.then(|| view! { <p><a href=next>"Older sessions →"</a></p> })}
    }
}

#[component]
pub fn HistoryDetailPage() -> impl IntoView {
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .unwrap_or_default();
    view! {
        <Title text="Session review"/>
        {move || {
            let id = id.clone();
            Suspend::new(async move {
                match review_session(id.clone()).await {
                    Ok(answers) => {
                        let weak = answers.iter().filter(|a| matches!(a.grade, Some(1 | 2))).count() as u32;
                        view! {
                        <h1>"Session review"</h1>
                        <p><a href=format!("/practice/{id}/summary")>"Summary"</a>" · "<a href="/history">"All sessions"</a></p>
                        {(weak > 0).then(|| view! { <p><RetryWeakButton id=id.clone() weak/></p> })}
                        <ol class="review-list" data-testid="review-list">
                            {answers.into_iter().map(reviewed).collect_view()}
                        </ol>
                    }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })
        }}
    }
}

fn reviewed(a: ReviewedAnswer) -> impl IntoView {
    let grade = a.grade.map_or("not graded".to_owned(), grade_label);
    let time = match (a.time_spent_ms, a.limit_ms) {
        (Some(t), Some(l)) => format!("{} of {}", format_duration(t), format_duration(l)),
        (Some(t), None) => format_duration(t),
        _ => "not answered".to_owned(),
    };
    let hit = a.key_points_hit.clone();
    view! {
        <li class="panel reviewed">
            <p class="tags">
                <span class=format!("tag level-{}", a.level.as_str())>{a.level.label()}</span>
                <span class="tag">{a.topic_name.clone()}</span>
                {a.timed_out.then(|| view! { <span class="tag archived">"timed out"</span> })}
                {(a.overtime_ms > 0).then(|| view! { <span class="tag">{format!("{} over", format_duration(a.overtime_ms))}</span> })}
                {a.flagged.then(|| view! { <span class="tag">"flagged"</span> })}
            </p>
            <h2><a href=format!("/questions/{}", a.slug)>{a.prompt.clone()}</a></h2>
            <p class="muted">{format!("Grade: {grade} · Time: {time}")}</p>
            <div class="side-by-side">
                <section>
                    <h3>"Your answer"</h3>
                    <pre class="your-answer">{a.answer.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| "(nothing written)".to_owned())}</pre>
                    {(!a.note.is_empty()).then(|| view! { <p class="note"><strong>"Note: "</strong>{a.note.clone()}</p> })}
                </section>
                <section>
                    <h3>"Reference answer"</h3>
                    <SanitizedHtml html=a.answer_html.clone()/>
                    <h3>"Key points"</h3>
                    <ul class="key-points ticked">
                        {a.key_points.iter().enumerate().map(|(i, k)| {
                            let got = hit.contains(&(i as u32));
                            view! { <li class=if got { "hit" } else { "miss" }>
                                {if got { "✓ " } else { "· " }}{k.clone()}
                                <span class="sr-only">{if got { " (covered)" } else { " (not covered)" }}</span>
                            </li> }
                        }).collect_view()}
                    </ul>
                </section>
            </div>
        </li>
    }
}
