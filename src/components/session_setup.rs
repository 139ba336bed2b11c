//! Choosing what to practise: `/practice/new` and the quick start on `/`.

use leptos::prelude::*;

use super::navigate::open_session_when_started;
use crate::questions::types::{Level, TopicInfo};
use crate::sessions::api::{RetryWeak, StartSession};
use crate::sessions::types::Mode;

/// Starts a session with sensible defaults in one click.
#[island]
pub fn QuickStart() -> impl IntoView {
    let action = ServerAction::<StartSession>::new();
    let value = action.value();
    open_session_when_started(value);
    let start = move |_| {
        action.dispatch(StartSession {
            mode: Mode::Practice,
            levels: vec![],
            topics: vec![],
            count: 5,
            per_question_secs: 300,
            total_secs: 0,
            question: String::new(),
        });
    };
    view! {
        <button type="button" class="button primary" on:click=start disabled=move || action.pending().get()>
            "Quick start: 5 questions, 5 minutes each"
        </button>
        {move || value.get().and_then(Result::err).map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
    }
}

/// Adds `item` to the list when a checkbox is ticked, removes it when not.
pub fn toggle<T: PartialEq + Send + Sync + 'static>(list: RwSignal<Vec<T>>, item: T, on: bool) {
    list.update(|l| {
        l.retain(|x| *x != item);
        if on {
            l.push(item);
        }
    });
}

#[island]
pub fn SessionSetup(topics: Vec<TopicInfo>) -> impl IntoView {
    let mode = RwSignal::new(Mode::Practice);
    let levels = RwSignal::new(Vec::<Level>::new());
    let chosen_topics = RwSignal::new(Vec::<String>::new());
    let count = RwSignal::new(5_u32);
    let per_question = RwSignal::new(300_u32);
    let total_minutes = RwSignal::new(0_u32);
    let action = ServerAction::<StartSession>::new();
    let value = action.value();
    open_session_when_started(value);
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(StartSession {
            mode: mode.get_untracked(),
            levels: levels.get_untracked(),
            topics: chosen_topics.get_untracked(),
            count: count.get_untracked(),
            per_question_secs: per_question.get_untracked(),
            total_secs: total_minutes.get_untracked() * 60,
            question: String::new(),
        });
    };
    view! {
        <form class="setup panel" on:submit=start aria-label="Configure a session">
            <fieldset>
                <legend>"Mode"</legend>
                <label class="check"><input type="radio" name="mode" value="practice" checked
                    on:change=move |_| mode.set(Mode::Practice)/>
                    <span><strong>"Practice"</strong>" — the timer is a guide: pause, extend or switch it off; overtime is noted."</span></label>
                <label class="check"><input type="radio" name="mode" value="interview"
                    on:change=move |_| mode.set(Mode::Interview)/>
                    <span><strong>"Interview"</strong>" — hard limits: at zero your draft is submitted and you move on."</span></label>
            </fieldset>
            <fieldset>
                <legend>"Levels " <span class="muted">"(none ticked = all)"</span></legend>
                {Level::ALL.into_iter().map(|l| view! {
                    <label class="check"><input type="checkbox" name="level" value=l.as_str()
                        on:change=move |ev| toggle(levels, l, event_target_checked(&ev))/>
                        <span>{l.label()}</span></label>
                }).collect_view()}
            </fieldset>
            <fieldset>
                <legend>"Topics " <span class="muted">"(none ticked = all)"</span></legend>
                <div class="topic-grid">
                {topics.into_iter().map(|t| {
                    let slug = t.slug.clone();
                    view! {
                        <label class="check"><input type="checkbox" name="topic" value=t.slug.clone()
                            on:change=move |ev| toggle(chosen_topics, slug.clone(), event_target_checked(&ev))/>
                            <span>{t.name}</span></label>
                    }
                }).collect_view()}
                </div>
            </fieldset>
            <div class="setup-numbers">
                <label>"Questions"
                    <input type="number" name="count" min="1" max="50" prop:value=move || count.get().to_string()
                        on:input=move |ev| count.set(event_target_value(&ev).parse().unwrap_or(0))/>
                </label>
                <label>"Seconds per question " <span class="muted">"(0 = no limit)"</span>
                    <input type="number" name="per_question_secs" min="0" max="3600" step="1"
                        prop:value=move || per_question.get().to_string()
                        on:input=move |ev| per_question.set(event_target_value(&ev).parse().unwrap_or(0))/>
                </label>
                <label>"Minutes for the whole session " <span class="muted">"(0 = no limit)"</span>
                    <input type="number" name="total_minutes" min="0" max="360"
                        prop:value=move || total_minutes.get().to_string()
                        on:input=move |ev| total_minutes.set(event_target_value(&ev).parse().unwrap_or(0))/>
                </label>
            </div>
            {move || value.get().and_then(Result::err).map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <button type="submit" class="button primary" disabled=move || action.pending().get()>"Start session"</button>
        </form>
    }
}

/// "Practise this question": a one-question practice session, five minutes.
/// A plain form post (the question page has no island for a visitor):
/// `start_session` answers it with a redirect to the new session.
#[component]
pub fn PractiseThis(slug: String) -> impl IntoView {
    view! {
        <form method="post" action={<StartSession as leptos::server_fn::ServerFn>::PATH} class="practise-this">
            <input type="hidden" name="mode" value=Mode::Practice.as_str()/>
            <input type="hidden" name="count" value="1"/>
            <input type="hidden" name="per_question_secs" value="300"/>
            <input type="hidden" name="total_secs" value="0"/>
            <input type="hidden" name="question" value=slug/>
            <button type="submit" class="button">"Practise this question (5 min)"</button>
        </form>
    }
}

/// "Retry the weak ones": a new practice session with the questions graded
/// Missed or Partial in session `id`.
#[island]
pub fn RetryWeakButton(id: String, weak: u32) -> impl IntoView {
    let action = ServerAction::<RetryWeak>::new();
    let value = action.value();
    open_session_when_started(value);
    let start = move |_| {
        action.dispatch(RetryWeak { id: id.clone() });
    };
    view! {
        <button type="button" class="button primary" on:click=start disabled=move || action.pending().get()>
            {format!("Retry the weak ones ({weak})")}
        </button>
        {move || value.get().and_then(Result::err).map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
    }
}
