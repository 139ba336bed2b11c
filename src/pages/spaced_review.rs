//! `/review`: today's spaced-review queue, the plan toward an interview
//! date, and the reviews due over the next 30 days.

use leptos::prelude::*;
use leptos_meta::Title;

use super::error::ErrorPanel;
use crate::components::spaced_review::{PlanEditor, StartReviewButton};
use crate::dashboard::charts;
use crate::error::AppError;
use crate::grading::api::{load_review_page, ReviewPage};
use crate::grading::types::*;

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    view! {
        <Title text="Review"/>
        <h1>"Review"</h1>
        {move || Suspend::new(async move {
            match load_review_page().await {
                Ok(page) => review(page).into_any(),
                Err(AppError::Unauthorized) => visitor().into_any(),
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
            }
        })}
    }
}

fn visitor() -> impl IntoView {
    view! {
        <section class="panel empty-state" data-testid="review-visitor">
            <h2>"Questions come back just before you would forget them"</h2>
            <p>"Every answer you grade, in an interview, in practice or here, schedules its question (FSRS, the scheduler Anki uses). "
               "Come back each day and Rehearse brings back what is due."</p>
            <p><a class="button primary" href="/practice/new">"Start practising"</a>" "
               <a class="button" href="/login?next=/review">"Log in"</a></p>
        </section>
    }
}

fn review(page: ReviewPage) -> impl IntoView {
    let ReviewPage {
        queue,
        forecast,
        plan,
        topics,
    } = page;
    let min_date = forecast.get(1).map(|d| d.date.clone()).unwrap_or_default();
    view! {
        {queue.plan.clone().map(plan_status)}
        {queue_panel(queue)}
        <section class="panel">{charts::forecast_chart(&forecast)}</section>
        <section class="panel" data-testid="plan-editor">
            <h2>{if plan.is_some() { "Your interview plan" } else { "Preparing for a real interview?" }}</h2>
            <p class="muted">"Give the date and the minutes a day you can practise. Rehearse then plans each day: "
                "the reviews that are due, plus new questions from your weakest topics and levels first, "
                "so that every area you choose has been seen before the day."</p>
            <PlanEditor topics plan min_date/>
        </section>
        <p class="muted">"Desired retention, daily limits and timing are in your "<a href="/account#review-settings">"account settings"</a>"."</p>
    }
}

/// "Day 6 of 21 · on track", the coverage so far, and today's share.
pub fn plan_status(p: PlanStatus) -> impl IntoView {
    let pct = (p.covered * 100).checked_div(p.target).unwrap_or(100);
    view! {
        <section class="panel plan-status" data-testid="plan-status">
            <h2>{format!("Interview on {}", p.interview_on)}</h2>
            <p class="plan-headline" data-testid="plan-headline">
                <strong class=if p.on_track { "on-track" } else { "behind" }>{p.headline()}</strong>
                {format!(" · {} days left", p.days_left)}
            </p>
            <p>
                <label for="plan-coverage">{format!("Areas covered: {} of {} ", p.covered, p.target)}</label>
                <progress id="plan-coverage" max=p.target.max(1) value=p.covered>{format!("{pct} %")}</progress>
            </p>
            <p data-testid="plan-today">{p.today()}
                <span class="muted">{format!(" ({} minutes a day, about {} minutes a question)", p.minutes_per_day, p.minutes_per_question)}</span></p>
        </section>
    }
}

fn queue_panel(q: ReviewQueue) -> impl IntoView {
    let items = q.reviews.len() + q.new.len();
    let headline = format!(
        "{} due today · {}",
        plural(q.reviews.len() as u32, "review", "reviews"),
        plural(q.new.len() as u32, "new question", "new questions"),
    );
    let body = if let Some(id) = q.active_session.clone() {
        view! {
            <p class="notice" data-testid="review-active">"You have a review under way. "
                <a class="button primary" href=format!("/practice/{id}")>"Resume it"</a></p>
        }
        .into_any()
    } else if q.is_empty() {
        view! {
            <div data-testid="review-empty">
                <p class="lead">{match &q.next_due {
                    Some(when) => format!("Nothing is due. The next question is due {when}."),
                    None => "Nothing to review yet. Grade a few answers and they come back here when they are due.".to_owned(),
                }}</p>
                <p><a class="button primary" href="/practice/new">"Practise instead"</a></p>
            </div>
        }
        .into_any()
    } else {
        view! {
            <p><StartReviewButton label=format!("Start review ({items} question{})", if items == 1 { "" } else { "s" })/></p>
            <p class="muted small">"Untimed unless you set a limit. Reveal, tick the key points, grade, next; "
                "by keyboard: R reveals, 1–4 grade, N moves on."</p>
        }
        .into_any()
    };
    view! {
        <section class="panel" data-testid="review-queue">
            <h2 data-testid="review-headline">{headline}</h2>
            {(q.waiting > 0).then(|| view! {
                <p class="notice" data-testid="review-waiting">{format!(
                    "{} more {} waiting. After time away Rehearse shows at most your daily limit, most overdue first; the rest come over the next days.",
                    q.waiting, if q.waiting == 1 { "is" } else { "are" })}</p>
            })}
            {(q.done_today > 0).then(|| view! { <p class="muted">{format!("Reviewed today: {}.", q.done_today)}</p> })}
            {body}
            {(items > 0).then(|| view! {
                <ol class="review-list" data-testid="review-list">
                    {q.reviews.into_iter().chain(q.new).map(|i| {
                        let class = if i.when == "new" { "new" } else { "due" };
                        view! {
                        <li class=class>
                            <a href=format!("/questions/{}", i.slug)>{i.prompt}</a>
                            <span class="muted">{format!(" {} · {} · ", i.level.label(), i.topic)}</span>
                            <span class="tag">{i.when}</span>
                        </li>
                    }}).collect_view()}
                </ol>
            })}
        </section>
    }
}
