//! Writing or editing one of a recruiter's own questions, with a live
//! preview of the reference answer rendered by the server exactly as
//! candidates will see it.

use leptos::prelude::*;

use crate::components::hydration::{live, textarea_text};

use super::navigate::go_to;
use crate::error::{AppError, FieldError};
use crate::questions::types::{Level, TopicInfo};
use crate::sets::api::{preview_markdown, save_own_question};
use crate::sets::types::*;

/// How long typing must pause before the preview is redrawn.
const PREVIEW_DEBOUNCE_MS: u64 = 400;

#[island]
pub fn QuestionEditor(existing: Option<OwnQuestion>, topics: Vec<TopicInfo>) -> impl IntoView {
    let slug = existing
        .as_ref()
        .map(|q| q.slug.clone())
        .unwrap_or_default();
    let start = existing
        .as_ref()
        .map(|q| q.input.clone())
        .unwrap_or_default();
    let prompt = RwSignal::new(start.prompt.clone());
    let level = RwSignal::new(start.level);
    let topic = RwSignal::new(start.topic.clone());
    let answer = RwSignal::new(start.reference_answer.clone());
    // Each key point row has a stable id, so typing in one never redraws
    // the others (or takes the focus away).
    let mut points: Vec<(u32, String)> = (0..).zip(start.key_points.iter().cloned()).collect();
    if points.is_empty() {
        points.push((0, String::new()));
    }
    let next_id = StoredValue::new(points.len() as u32);
    let key_points = RwSignal::new(points);
    let note = RwSignal::new(start.reviewer_note.clone());
    let preview = RwSignal::new(
        existing
            .as_ref()
            .map(|q| q.answer_html.clone())
            .unwrap_or_default(),
    );
    let problems = RwSignal::new(Vec::<crate::error::FieldError>::new());
    let status = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let archived = existing.as_ref().is_some_and(|q| q.archived);

    let redraw = super::debounce::debounced(
        std::time::Duration::from_millis(PREVIEW_DEBOUNCE_MS),
        move || {
            leptos::task::spawn_local(async move {
                if let Ok(html) = preview_markdown(answer.get_untracked()).await {
                    preview.set(html);
                }
            });
        },
    );

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = question_input(prompt, level, topic, answer, key_points, note);
        // The same rules the server applies, shown before the round trip.
        let found = input.problems();
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        problems.set(Vec::new());
        busy.set(true);
        let slug = slug.clone();
        leptos::task::spawn_local(async move {
            match save_own_question(slug.clone(), input).await {
                Ok(saved) if saved == slug => status.set(Some("Saved.".into())),
                Ok(saved) => go_to(&format!("/sets/questions/{saved}")),
                Err(AppError::Validation(found)) => problems.set(found),
                Err(e) => status.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };

    let counter = |text: RwSignal<String>, max: usize| {
        move || format!("{} / {max}", text.get().chars().count())
    };

    let live = live();
    view! {
        <form class="question-editor" on:submit=save aria-label="Question editor">
            {archived.then_some(view! { <p class="notice" role="status">"This question is archived: it stays in sets that use it, but isn't offered for new ones."</p> })}
            <div class="field">
                <label for="q-prompt">"Question"</label>
                <textarea id="q-prompt" name="prompt" rows="3" required maxlength=PROMPT_MAX.to_string()
                    readonly=move || !live.get()
                    prop:value=move || prompt.get() on:input=move |ev| prompt.set(event_target_value(&ev))>{textarea_text(&prompt.get_untracked())}</textarea>
                <small class="muted">{counter(prompt, PROMPT_MAX)}" characters"</small>
                {field_error(problems, "prompt")}
            </div>
            {level_and_topic(level, topic, &start, topics, problems)}
            <div class="answer-with-preview">
                <div class="field">
                    <label for="q-answer">"Reference answer (Markdown: **bold**, lists, ``` code blocks)"</label>
                    <textarea id="q-answer" name="reference_answer" rows="12" spellcheck="true" maxlength=ANSWER_MAX.to_string()
                        readonly=move || !live.get()
                        prop:value=move || answer.get()
                        on:input=move |ev| { answer.set(event_target_value(&ev)); redraw(); }>{textarea_text(&answer.get_untracked())}</textarea>
                    <small class="muted">{counter(answer, ANSWER_MAX)}" characters"</small>
                    {field_error(problems, "reference_answer")}
                </div>
                <section class="preview" aria-label="Preview" aria-live="polite">
                    <h2 class="preview-title">"Preview"</h2>
                    <div class="markdown" data-testid="answer-preview" inner_html=move || preview.get()></div>
                </section>
            </div>
            {key_points_field(key_points, next_id, problems)}
            <div class="field">
                <label for="q-note">"Note to reviewers (optional, never shown to candidates)"</label>
                <textarea id="q-note" name="reviewer_note" rows="2" maxlength=NOTE_MAX.to_string()
                    readonly=move || !live.get()
                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))>{textarea_text(&note.get_untracked())}</textarea>
                {field_error(problems, "reviewer_note")}
            </div>
            <p class="form-actions">
                <button type="submit" class="button primary" disabled=move || busy.get()>"Save question"</button>
                {move || status.get().map(|s| view! { <span role="status" data-testid="question-status">{s}</span> })}
            </p>
        </form>
    }
}

/// The form's fields as the server takes them, tidied.
fn question_input(
    prompt: RwSignal<String>,
    level: RwSignal<Option<Level>>,
    topic: RwSignal<String>,
    answer: RwSignal<String>,
    key_points: RwSignal<Vec<(u32, String)>>,
    note: RwSignal<String>,
) -> QuestionInput {
    QuestionInput {
        prompt: prompt.get_untracked(),
        level: level.get_untracked(),
        topic: topic.get_untracked(),
        reference_answer: answer.get_untracked(),
        key_points: key_points
            .get_untracked()
            .into_iter()
            .map(|(_, text)| text)
            .collect(),
        reviewer_note: note.get_untracked(),
    }
    .tidy()
}

/// The problems the server or the form's own check found in one field.
fn field_error(problems: RwSignal<Vec<FieldError>>, field: &'static str) -> impl IntoView {
    move || {
        problems
            .get()
            .into_iter()
            .filter(|p| p.field == field)
            .map(|p| view! { <span class="field-error" role="alert">{p.message}</span> })
            .collect_view()
    }
}

/// The level and topic pickers, side by side.
fn level_and_topic(
    level: RwSignal<Option<Level>>,
    topic: RwSignal<String>,
    start: &QuestionInput,
    topics: Vec<TopicInfo>,
    problems: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    let (start_level, start_topic) = (start.level, start.topic.clone());
    view! {
        <div class="editor-row">
            <div class="field">
                <label for="q-level">"Level"</label>
                <select id="q-level" name="level" on:change=move |ev| level.set(Level::parse(&event_target_value(&ev)))>
                    <option value="" selected=start_level.is_none()>"Choose…"</option>
                    {Level::ALL.into_iter().map(|l| view! {
                        <option value=l.as_str() selected=start_level == Some(l)>{l.label()}</option>
                    }).collect_view()}
                </select>
                {field_error(problems, "level")}
            </div>
            <div class="field">
                <label for="q-topic">"Topic"</label>
                <select id="q-topic" name="topic" on:change=move |ev| topic.set(event_target_value(&ev))>
                    <option value="" selected=start_topic.is_empty()>"Choose…"</option>
                    {topics.into_iter().map(|t| {
                        let selected = t.slug == start_topic;
                        view! { <option value=t.slug selected=selected>{t.name}</option> }
                    }).collect_view()}
                </select>
                {field_error(problems, "topic")}
            </div>
        </div>
    }
}

/// The key points: one row each, kept by a stable id so typing in one
/// never redraws the others.
fn key_points_field(
    key_points: RwSignal<Vec<(u32, String)>>,
    next_id: StoredValue<u32>,
    problems: RwSignal<Vec<FieldError>>,
) -> impl IntoView {
    view! {
        <fieldset class="key-points-editor">
            <legend>{format!("Key points ({} to {}, up to {KEY_POINT_MAX} characters each)", KEY_POINTS.0, KEY_POINTS.1)}</legend>
            <For each=move || key_points.get() key=|(id, _)| *id let:point>
                {
                    let (id, text) = point;
                    let n = Memo::new(move |_| {
                        key_points.with(|k| k.iter().position(|(x, _)| *x == id)).unwrap_or(0) + 1
                    });
                    view! {
                        <div class="key-point-row">
                            <label class="sr-only" for=format!("kp-{id}")>{move || format!("Key point {}", n.get())}</label>
                            <input id=format!("kp-{id}") type="text" maxlength=KEY_POINT_MAX.to_string() value=text
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    key_points.update(|k| if let Some(x) = k.iter_mut().find(|(x, _)| *x == id) { x.1 = v; });
                                }/>
                            <button type="button" class="link-button" aria-label=move || format!("Remove key point {}", n.get())
                                on:click=move |_| key_points.update(|k| {
                                    if k.len() > 1 { k.retain(|(x, _)| *x != id); }
                                })>"Remove"</button>
                        </div>
                    }
                }
            </For>
            <button type="button" class="button" disabled=move || { key_points.get().len() >= KEY_POINTS.1 }
                on:click=move |_| {
                    let id = next_id.get_value();
                    next_id.set_value(id + 1);
                    key_points.update(|k| k.push((id, String::new())));
                }>"Add a key point"</button>
            {field_error(problems, "key_points")}
        </fieldset>
    }
}
