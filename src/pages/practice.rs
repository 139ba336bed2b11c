//! `/practice/new`, `/practice/:id` and `/practice/:id/summary`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{error::ErrorPanel, login::redirect};
use crate::components::{runner::SessionRunner, session_setup::SessionSetup};
use crate::questions::api::list_topics;
use crate::sessions::{
    api::{get_session_summary, session_state},
    types::*,
};

#[component]
pub fn NewSessionPage() -> impl IntoView {
    view! {
        <Title text="New session"/>
        <h1>"Start a session"</h1>
        <p class="lead">"Pick what to practise and how strict the clock should be. No account needed: you can register later and keep everything."</p>
        <p class="muted" data-testid="guest-retention">{crate::accounts::types::guest_retention_note()}</p>
        {move || Suspend::new(async move {
            match list_topics().await {
                Ok(topics) => view! { <SessionSetup topics/> }.into_any(),
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
            }
        })}
    }
}

fn id_param() -> String {
    use_params_map()
        .get_untracked()
        .get("id")
        .unwrap_or_default()
}

#[component]
pub fn RunSessionPage() -> impl IntoView {
    let id = id_param();
    view! {
        <Title text="Session"/>
        {move || {
            let id = id.clone();
            Suspend::new(async move {
                match session_state(id.clone()).await {
                    Ok(state) if state.phase == Phase::Finished => {
                        redirect(&format!("/practice/{id}/summary"));
                        view! { <p><a href=format!("/practice/{id}/summary")>"See the summary"</a></p> }.into_any()
                    }
                    Ok(initial) => view! { <SessionRunner initial/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })
        }}
    }
}

#[component]
pub fn SummaryPage() -> impl IntoView {
    let id = id_param();
    view! {
        <Title text="Session summary"/>
        {move || {
            let id = id.clone();
            Suspend::new(async move {
                match get_session_summary(id).await {
                    Ok(summary) => summary_view(summary).into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })
        }}
    }
}

fn summary_view(s: SessionSummary) -> impl IntoView {
    let score = s.score();
    let answered = s.rows.iter().filter(|r| r.answered).count();
    let limits = match (s.per_question_secs, s.total_secs) {
        (None, None) => "untimed".to_owned(),
        (Some(q), None) => format!("{} per question", format_duration(q * 1000)),
        (None, Some(t)) => format!("{} in total", format_duration(t * 1000)),
        (Some(q), Some(t)) => format!(
            "{} per question, {} in total",
            format_duration(q * 1000),
            format_duration(t * 1000)
        ),
    };
    let running = s.finished_at.is_none();
    let shared = s.shared;
    view! {
        <h1>"Session summary"</h1>
        {running.then(|| view! {
            <p class="notice">"This session is still running. "<a href=format!("/practice/{}", s.session_id)>"Go back to it"</a></p>
        })}
        <section class="panel summary-head">
            <div class="stat"><span class="stat-value" data-testid="score">{score.map_or("–".to_owned(), |v| format!("{v}%"))}</span><span class="stat-label">"score"</span></div>
            <div class="stat"><span class="stat-value" data-testid="answered">{format!("{answered} / {}", s.rows.len())}</span><span class="stat-label">"answered"</span></div>
            <div class="stat"><span class="stat-value">{format_duration(s.time_used_ms())}</span><span class="stat-label">{format!("time used ({limits})")}</span></div>
            <div class="stat"><span class="stat-value">{s.mode.label()}</span><span class="stat-label">"mode"</span></div>
        </section>
        <table class="summary-table" data-testid="summary-table">
            <caption class="sr-only">"Each question with its grade and time"</caption>
            <thead><tr><th scope="col">"#"</th><th scope="col">"Question"</th><th scope="col">"Grade"</th><th scope="col">"Time"</th><th scope="col">"Notes"</th></tr></thead>
            <tbody>
                {s.rows.into_iter().map(|r| {
                    let prompt = if shared {
                        r.prompt.into_any()
                    } else {
                        view! { <a href=format!("/questions/{}", r.slug)>{r.prompt}</a> }.into_any()
                    };
                    let grade = r.grade.map_or("not graded".to_owned(), grade_label);
                    let time = match (r.time_spent_ms, r.limit_ms) {
                        (Some(t), Some(l)) => format!("{} / {}", format_duration(t), format_duration(l)),
                        (Some(t), None) => format_duration(t),
                        _ => "–".to_owned(),
                    };
                    let mut marks = Vec::new();
                    if r.timed_out { marks.push("timed out".to_owned()); }
                    if r.overtime_ms > 0 { marks.push(format!("{} over", format_duration(r.overtime_ms))); }
                    if r.flagged { marks.push("flagged".to_owned()); }
                    if !r.answered { marks.push("not answered".to_owned()); }
                    view! {
                        <tr>
                            <td>{r.position + 1}</td>
                            <td>{prompt}</td>
                            <td class=format!("grade-cell g{}", r.grade.unwrap_or(0))>{grade}</td>
                            <td>{time}</td>
                            <td>{marks.join(", ")}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <p class="hero-actions">
            {(!running).then(|| view! {
                <a class="button" href=format!("/history/{}", s.session_id)>"Review answers beside the reference"</a>
            })}
            <a class="button primary" href="/practice/new">"Start another session"</a>
            <a class="button" href="/questions">"Browse the questions"</a>
        </p>
    }
}
