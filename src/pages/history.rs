//! `/history` and `/history/:id`: past sessions, and one session answer by
//! answer beside the reference.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::error::ErrorPanel;
use crate::components::markdown::SanitizedHtml;
use crate::components::regrade::RegradeForm;
use crate::components::session_setup::RetryWeakButton;
use crate::history::{
    api::{list_history, review_session},
    types::*,
};
use crate::questions::{api::list_topics, types::Level, types::TopicInfo};
use crate::sessions::types::{format_duration, grade_label};

#[component]
pub fn HistoryPage() -> impl IntoView {
    let query = use_query_map().get_untracked();
    let param = |key: &str| query.get(key).unwrap_or_default();
    let filter = HistoryFilter {
        mode: param("mode"),
        level: param("level"),
        topic: param("topic"),
        from: param("from"),
        to: param("to"),
        page: param("page").parse().unwrap_or(1).max(1),
    };
    view! {
        <Title text="History"/>
        <h1>"Your sessions"</h1>
        {move || {
            let filter = filter.clone();
            Suspend::new(async move {
                let topics = list_topics().await.unwrap_or_default();
                let form = filter_form(&filter, topics);
                let list = list_history(filter.clone()).await;
                if list.is_ok() {
                    // Nothing on it moves with the clock.
                    super::keep::keep_until(i64::MAX);
                }
                let body = match list {
                    Ok(items) if items.is_empty() && filter.page == 1 && !filter.is_filtered() => view! {
                        <section class="panel empty-state" data-testid="history-empty">
                            <h2>"No sessions yet"</h2>
                            <p>"Sessions you start appear here with their score and time, so you can go back over them."</p>
                            <p><a class="button primary" href="/practice/new">"Start a session"</a></p>
                        </section>
                    }.into_any(),
                    Ok(items) if items.is_empty() => view! {
                        <section class="panel empty-state" data-testid="history-none-match">
                            <h2>"No sessions match"</h2>
                            <p>"Nothing matches these filters. Widen the dates or "<a href="/history">"show every session"</a>"."</p>
                        </section>
                    }.into_any(),
                    Ok(items) => history_table(items, &filter).into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                };
                view! { {form} {body} }
            })
        }}
    }
}

/// A plain GET form: every filtered view has its own URL.
fn filter_form(f: &HistoryFilter, topics: Vec<TopicInfo>) -> impl IntoView {
    let option = |value: &str, label: String, current: &str| {
        view! { <option value=value.to_owned() selected=value == current>{label}</option> }
    };
    view! {
        <form class="history-filter" method="get" action="/history" aria-label="Filter sessions">
            <label>"Mode "
                <select name="mode">
                    {option("", "All".into(), &f.mode)}
                    {option("practice", "Practice".into(), &f.mode)}
                    {option("interview", "Interview".into(), &f.mode)}
                </select>
            </label>
            <label>"Level "
                <select name="level">
                    {option("", "All".into(), &f.level)}
                    {Level::ALL.map(|l| option(l.as_str(), l.label().into(), &f.level))}
                </select>
            </label>
            <label>"Topic "
                <select name="topic">
                    {option("", "All".into(), &f.topic)}
                    {topics.into_iter().map(|t| option(&t.slug, t.name, &f.topic)).collect_view()}
                </select>
            </label>
            <label>"From "<input type="date" name="from" value=f.from.clone()/></label>
            <label>"To "<input type="date" name="to" value=f.to.clone()/></label>
            <button type="submit" class="button">"Show"</button>
            {f.is_filtered().then(|| view! { <a href="/history">"Clear"</a> })}
        </form>
    }
}

fn history_table(items: Vec<HistoryItem>, filter: &HistoryFilter) -> impl IntoView {
    let full = items.len() as i64 == HISTORY_PAGE_SIZE;
    let next = format!("/history?{}", filter.query_for_page(filter.page + 1));
    view! {
        <table class="summary-table" data-testid="history-table">
            <caption class="sr-only">"Your sessions, newest first"</caption>
            <thead><tr><th scope="col">"Started"</th><th scope="col">"Mode"</th><th scope="col">"Score"</th>
                <th scope="col">"Answered"</th><th scope="col">"Time used"</th><th scope="col"></th></tr></thead>
            <tbody>
                {items.into_iter().map(|s| view! {
                    <tr>
                        <td>{s.started_label.clone()}</td>
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
                        // A shared set's questions stay the recruiter's: no retry.
                        let weak = answers.iter().filter(|a| !a.shared && matches!(a.grade, Some(1 | 2))).count() as u32;
                        view! {
                        <h1>"Session review"</h1>
                        <p><a href=format!("/practice/{id}/summary")>"Summary"</a>" · "<a href="/history">"All sessions"</a></p>
                        {(weak > 0).then(|| view! { <p><RetryWeakButton id=id.clone() weak/></p> })}
                        <ol class="review-list" data-testid="review-list">
                            {answers.into_iter().map(|a| reviewed(&id, a)).collect_view()}
                        </ol>
                    }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })
        }}
    }
}

fn reviewed(session_id: &str, a: ReviewedAnswer) -> impl IntoView {
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
            <h2>{if a.shared {
                a.prompt.clone().into_any()
            } else {
                view! { <a href=format!("/questions/{}", a.slug)>{a.prompt.clone()}</a> }.into_any()
            }}</h2>
            <p class="muted" data-testid="grade-line">{format!("Grade: {grade} · Time: {time}")}</p>
            <div class="side-by-side">
                <section>
                    <h3>"Your answer"</h3>
                    {if a.answer.as_deref().is_none_or(|t| t.trim().is_empty()) {
                        view! { <p class="your-answer">"(nothing written)"</p> }.into_any()
                    } else {
                        view! { <div class="your-answer markdown" inner_html=a.answer_rendered.clone()></div> }.into_any()
                    }}
                    {(!a.note.is_empty()).then(|| view! { <p class="note" data-testid="note"><strong>"Note: "</strong>{a.note.clone()}</p> })}
                    {revisions(&a.revisions)}
                    {a.answer.is_some().then(|| view! {
                        <RegradeForm session_id=session_id.to_owned() position=a.position grade=a.grade note=a.note.clone()/>
                    })}
                </section>
                <section>
                    {if a.answer_html.is_empty() && a.key_points.is_empty() {
                        view! { <p class="muted" data-testid="reference-private">"This interview keeps its reference answers private."</p> }.into_any()
                    } else {
                        view! {
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
                        }.into_any()
                    }}
                    {a.reviewer.clone().map(|(grade, comment)| view! {
                        <div class="reviewer-feedback" data-testid="reviewer-feedback">
                            <h3>"The interviewer's view"</h3>
                            <p>{grade.map_or("Not reviewed yet.".to_owned(), |g| format!("Grade: {}", crate::sessions::types::grade_label(g)))}</p>
                            {(!comment.is_empty()).then(|| view! { <p>{comment.clone()}</p> })}
                        </div>
                    })}
                </section>
            </div>
        </li>
    }
}

/// Earlier grades and notes: nothing is overwritten silently.
fn revisions(revisions: &[Revision]) -> Option<impl IntoView> {
    let label = |g: Option<u8>| g.map_or("not graded".to_owned(), grade_label);
    (!revisions.is_empty()).then(|| {
        view! {
            <details class="revisions" data-testid="revisions">
                <summary>{format!("Changed {} time{}", revisions.len(), if revisions.len() == 1 { "" } else { "s" })}</summary>
                <ul>
                    {revisions.iter().map(|r| {
                        let mut parts = Vec::new();
                        if r.old_grade != r.new_grade {
                            parts.push(format!("grade {} → {}", label(r.old_grade), label(r.new_grade)));
                        }
                        if r.old_note != r.new_note {
                            parts.push(if r.old_note.is_empty() {
                                "note added".to_owned()
                            } else {
                                format!("note changed (was: “{}”)", r.old_note)
                            });
                        }
                        view! { <li>{format!("{}: {}", r.changed_label, parts.join("; "))}</li> }
                    }).collect_view()}
                </ul>
            </details>
        }
    })
}
