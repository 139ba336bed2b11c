//! `/`: what Rehearse is, where to start, and a question to try right now.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::session_setup::QuickStart;
use crate::components::spaced_review::StartReviewButton;
use crate::grading::{
    api::review_on_home,
    types::{plural, HomeReview},
};
use crate::history::{api::list_history, types::*};
use crate::questions::{
    api::{bank_size, RandomQuestion},
    types::DrawnQuestion,
};
use crate::sessions::api::find_active_session;

/// "N reviews due today" with the way to start them, and the plan's status.
/// Nothing for someone with nothing due and no plan.
fn reviews_today(h: HomeReview) -> Option<impl IntoView> {
    let n = h.due_today + h.new_today;
    (n > 0 || h.plan.is_some()).then(|| {
        view! {
            <section class="panel" data-testid="home-review">
                <h2>"Spaced review"</h2>
                <p data-testid="home-review-due">{format!(
                    "{} due today, {}.",
                    plural(h.due_today, "review", "reviews"),
                    plural(h.new_today, "new question", "new questions"),
                )}</p>
                {(n > 0).then(|| view! {
                    <p><StartReviewButton label="Start today's review".to_owned()/>" "<a href="/review">"See the queue"</a></p>
                })}
            </section>
            {h.plan.map(crate::pages::spaced_review::plan_status)}
        }
    })
}

/// Sessions shown on the start page.
const RECENT: usize = 3;

/// The last few finished sessions, with the way to the rest and to the
/// dashboard; nothing for someone who has not practised yet.
fn recent_sessions(items: Vec<HistoryItem>) -> Option<impl IntoView> {
    let finished: Vec<HistoryItem> = items
        .into_iter()
        .filter(|s| s.finished)
        .take(RECENT)
        .collect();
    (!finished.is_empty()).then(|| {
        view! {
            <section class="panel" data-testid="recent-sessions">
                <h2>"Your recent sessions"</h2>
                <ul class="recent">
                    {finished.into_iter().map(|s| view! {
                        <li>
                            <a href=format!("/history/{}", s.session_id)>{s.started_label.clone()}</a>
                            {format!(" · {} · {} · {} · {} of {} answered",
                                s.mode.label(),
                                s.score().map_or("not graded".to_owned(), |v| format!("{v}%")),
                                crate::sessions::types::format_duration(s.time_used_ms),
                                s.answered, s.count)}
                        </li>
                    }).collect_view()}
                </ul>
                <p><a href="/history">"All sessions"</a>" · "<a href="/dashboard">"Your progress →"</a></p>
            </section>
        }
    })
}

#[component]
pub fn HomePage() -> impl IntoView {
    let deleted = leptos_router::hooks::use_query_map()
        .get_untracked()
        .get("deleted")
        .is_some();
    view! {
        <Title text=""/>
        {deleted.then(|| view! {
            <p class="notice" role="status">"Your account and all its data were deleted. Thank you for practising with Rehearse."</p>
        })}
        <section class="hero">
            <h1>"Practise backend interviews the way they really go."</h1>
            <p class="lead">
                "Answer against the clock, compare with a reference answer, tick the key points you hit and grade yourself honestly. "
                "Rehearse remembers what went badly so you can retry it."
            </p>
            {move || Suspend::new(async move {
                find_active_session().await.ok().flatten().map(|a| view! {
                    <p class="notice resume" data-testid="resume">
                        {format!("You have a {} session in progress (question {} of {}). ", a.mode.label().to_lowercase(), a.position + 1, a.count)}
                        <a class="button primary" href=format!("/practice/{}", a.session_id)>"Resume it"</a>
                    </p>
                })
            })}
            <p class="hero-actions">
                <QuickStart/>
                <a class="button" href="/practice/new">"Choose what to practise"</a>
                <a class="button" href="/questions">"Browse the question bank"</a>
            </p>
            <p class="muted small" data-testid="guest-retention">{crate::accounts::types::guest_retention_note()}</p>
            {move || Suspend::new(async move {
                bank_size().await.ok().map(|(questions, topics)| view! {
                    <p class="muted" data-testid="bank-size">
                        {format!("{questions} questions across {topics} topics, from beginner to advanced.")}
                    </p>
                })
            })}
        </section>
        {move || Suspend::new(async move {
            review_on_home().await.ok().flatten().and_then(reviews_today)
        })}
        {move || Suspend::new(async move {
            let recent = list_history(HistoryFilter::default()).await.unwrap_or_default();
            recent_sessions(recent)
        })}
        <section class="panel">
            <h2>"Try one now"</h2>
            <p>"Not sure where to start? Draw a question at random and see if you could answer it out loud."</p>
            <RandomQuestionPicker/>
        </section>
    }
}

/// Draws a random question from the database on each click.
#[island]
fn RandomQuestionPicker() -> impl IntoView {
    let draw = ServerAction::<RandomQuestion>::new();
    let result = draw.value();
    let pending = draw.pending();
    view! {
        <div class="random-question" aria-live="polite">
            <button type="button" class="button" on:click=move |_| { draw.dispatch(RandomQuestion {}); }
                disabled=move || pending.get()>
                {move || if result.with(|r| r.is_some()) { "Draw another" } else { "Draw a question" }}
            </button>
            {move || result.get().map(|outcome| match outcome {
                Ok(Some(q)) => drawn(q).into_any(),
                Ok(None) => view! { <p class="muted">"The bank is empty. Start the server once to load it."</p> }.into_any(),
                Err(e) => view! { <p class="error-text" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </div>
    }
}

fn drawn(q: DrawnQuestion) -> impl IntoView {
    view! {
        <article class="drawn-question" data-testid="drawn-question">
            <p class="tags"><span class=format!("tag level-{}", q.level.as_str())>{q.level.label()}</span>
               <span class="tag">{q.topic_name}</span></p>
            <p class="drawn-prompt">{q.prompt}</p>
            <a href=format!("/questions/{}", q.slug)>"Open this question →"</a>
        </article>
    }
}
