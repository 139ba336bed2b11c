//! Islands of spaced review: starting today's review, the interview plan,
//! the review settings form, and a question's schedule controls.

use leptos::prelude::*;

use super::navigate::{open_session_when_started, reload};
use super::session_setup::toggle;
use crate::grading::api::{ChangeCard, ClearPlan, SavePlan, SaveReviewSettings};
use crate::grading::types::{CardAction, CardStatus, PlanForm};
use crate::questions::types::{Level, TopicInfo};
use crate::sessions::api::StartReview;

/// "Start review": a session with today's queue, opened in the runner.
#[island]
pub fn StartReviewButton(label: String) -> impl IntoView {
    let action = ServerAction::<StartReview>::new();
    let value = action.value();
    open_session_when_started(value);
    view! {
        <button type="button" class="button primary" data-testid="start-review"
            on:click=move |_| { action.dispatch(StartReview {}); }
            disabled=move || action.pending().get()>
            {label}
        </button>
        {move || value.get().and_then(Result::err).map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
    }
}

/// The review settings. The fields come in as server-rendered children.
#[island]
pub fn ReviewSettingsForm(children: Children) -> impl IntoView {
    let action = ServerAction::<SaveReviewSettings>::new();
    let value = action.value();
    view! {
        <ActionForm action attr:class="stack-form" attr:aria-label="Review settings">
            {children()}
            {move || match value.get() {
                Some(Ok(())) => Some(view! { <p class="form-ok" role="status">"Review settings saved."</p> }.into_any()),
                Some(Err(e)) => Some(view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any()),
                None => None,
            }}
            <button type="submit" class="button" disabled=move || action.pending().get()>"Save review settings"</button>
        </ActionForm>
    }
}

/// The date of a real interview, the minutes a day, and what to cover.
#[island]
pub fn PlanEditor(
    topics: Vec<TopicInfo>,
    plan: Option<PlanForm>,
    min_date: String,
) -> impl IntoView {
    let has_plan = plan.is_some();
    let date = RwSignal::new(
        plan.as_ref()
            .map(|p| p.interview_on.clone())
            .unwrap_or_default(),
    );
    let minutes = RwSignal::new(plan.as_ref().map_or(30, |p| p.minutes_per_day));
    let levels = RwSignal::new(plan.as_ref().map(|p| p.levels.clone()).unwrap_or_default());
    let chosen = RwSignal::new(plan.as_ref().map(|p| p.topics.clone()).unwrap_or_default());
    let save = ServerAction::<SavePlan>::new();
    let clear = ServerAction::<ClearPlan>::new();
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) || matches!(clear.value().get(), Some(Ok(())))
        {
            reload();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SavePlan {
            interview_on: date.get_untracked(),
            minutes_per_day: minutes.get_untracked(),
            levels: levels.get_untracked(),
            topics: chosen.get_untracked(),
        });
    };
    view! {
        <form class="stack-form plan-form" on:submit=submit aria-label="Interview plan">
            <div class="setup-numbers">
                <label>"Interview date"
                    <input type="date" name="interview_on" required min=min_date
                        value=date.get_untracked() prop:value=move || date.get()
                        on:input=move |ev| date.set(event_target_value(&ev))/>
                </label>
                <label>"Minutes a day"
                    <input type="number" name="minutes_per_day" min="5" max="480" step="5"
                        value=minutes.get_untracked() prop:value=move || minutes.get().to_string()
                        on:input=move |ev| minutes.set(event_target_value(&ev).parse().unwrap_or(0))/>
                </label>
            </div>
            <fieldset>
                <legend>"Levels " <span class="muted">"(none ticked = all)"</span></legend>
                {Level::ALL.into_iter().map(|l| view! {
                    <label class="check"><input type="checkbox" name="level" value=l.as_str()
                        checked=levels.with_untracked(|v| v.contains(&l))
                        prop:checked=move || levels.with(|v| v.contains(&l))
                        on:change=move |ev| toggle(levels, l, event_target_checked(&ev))/>
                        <span>{l.label()}</span></label>
                }).collect_view()}
            </fieldset>
            <fieldset>
                <legend>"Topics " <span class="muted">"(none ticked = all)"</span></legend>
                <div class="topic-grid">
                {topics.into_iter().map(|t| {
                    let slug = t.slug.clone();
                    let on = t.slug.clone();
                    let initially = chosen.with_untracked(|v| v.contains(&on));
                    view! {
                        <label class="check"><input type="checkbox" name="topic" value=t.slug.clone()
                            checked=initially
                            prop:checked=move || chosen.with(|v| v.contains(&on))
                            on:change=move |ev| toggle(chosen, slug.clone(), event_target_checked(&ev))/>
                            <span>{t.name}</span></label>
                    }
                }).collect_view()}
                </div>
            </fieldset>
            {move || save.value().get().and_then(Result::err).or_else(|| clear.value().get().and_then(Result::err))
                .map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <p class="form-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>
                    {if has_plan { "Update the plan" } else { "Make my plan" }}
                </button>
                {has_plan.then(|| view! {
                    <button type="button" class="button" on:click=move |_| { clear.dispatch(ClearPlan {}); }>"Remove the plan"</button>
                })}
            </p>
        </form>
    }
}

fn status_line(s: &CardStatus) -> String {
    let mut parts = Vec::new();
    if s.suspended {
        parts.push("Suspended: it never comes up for review until you unsuspend it.".to_owned());
    } else if s.leech {
        parts.push(format!(
            "A leech: forgotten {} times, so it no longer comes up. Rework your notes or study the reference answer, then reset it.",
            s.lapses
        ));
    } else if s.buried {
        parts.push("Buried until tomorrow.".to_owned());
    }
    match &s.due {
        Some(due) if !s.suspended && !s.leech => parts.push(format!("Next review: {due}.")),
        Some(_) => {}
        None => parts.push(
            "Not scheduled yet: grade an answer to it and it will come back when due.".to_owned(),
        ),
    }
    if let Some(r) = s.recall_pct {
        parts.push(format!("Chance you recall it now: about {r} %."));
    }
    if s.reps > 0 {
        let forgotten = match s.lapses {
            0 => String::new(),
            1 => ", forgotten once".to_owned(),
            n => format!(", forgotten {n} times"),
        };
        parts.push(format!(
            "Graded {} time{}{forgotten}.",
            s.reps,
            if s.reps == 1 { "" } else { "s" },
        ));
    }
    parts.join(" ")
}

/// A question's schedule with bury, suspend and reset.
#[island]
pub fn CardControls(slug: String, status: CardStatus) -> impl IntoView {
    let current = RwSignal::new(status);
    let action = ServerAction::<ChangeCard>::new();
    Effect::new(move |_| {
        if let Some(Ok(s)) = action.value().get() {
            current.set(s);
        }
    });
    let slug = StoredValue::new(slug);
    let act = move |a: CardAction| {
        move |_| {
            action.dispatch(ChangeCard {
                slug: slug.get_value(),
                action: a,
            });
        }
    };
    let suspended = move || current.with(|c| c.suspended);
    view! {
        <div class="card-controls" data-testid="card-controls">
            <p data-testid="card-status" aria-live="polite">{move || current.with(status_line)}</p>
            <p class="form-actions">
                <button type="button" class="button small" on:click=act(CardAction::Bury)
                    disabled=move || action.pending().get()
                    title="Skip it today; it comes back tomorrow">"Bury until tomorrow"</button>
                <Show when=suspended fallback={
                    move || view! {
                        <button type="button" class="button small" on:click=act(CardAction::Suspend)
                            title="Never show it for review until you unsuspend it">"Suspend"</button>
                    }
                }>
                    <button type="button" class="button small" on:click=act(CardAction::Unsuspend)>"Unsuspend"</button>
                </Show>
                <button type="button" class="button small" on:click=act(CardAction::Reset)
                    disabled=move || action.pending().get()
                    title="Forget its history: it starts again as a new question">"Reset"</button>
            </p>
            {move || action.value().get().and_then(Result::err).map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
        </div>
    }
}
