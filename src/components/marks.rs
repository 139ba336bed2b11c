//! A recruiter's marks on a candidate's answer, and their overall call.
//! Every change saves itself, with a visible state.

use leptos::prelude::*;

use crate::components::hydration::{live, textarea_text};

use std::time::Duration;

use super::autosave::autosave;
use crate::sessions::types::GRADES;
use crate::sharing::api::{save_recommendation, save_review};
use crate::sharing::types::*;

const SAVE_DEBOUNCE_MS: u64 = 700;

#[island]
pub fn AnswerMarks(
    attempt_id: String,
    position: u32,
    key_points: Vec<String>,
    ticks: Vec<u32>,
    grade: Option<u8>,
    comment: String,
) -> impl IntoView {
    let ticks = RwSignal::new(ticks);
    let grade = RwSignal::new(grade);
    let comment = RwSignal::new(comment);
    let attempt = StoredValue::new(attempt_id);
    let saver = autosave(
        Duration::from_millis(SAVE_DEBOUNCE_MS),
        // Nobody else edits a reviewer's own marks.
        |_| false,
        move || {
            (
                ticks.get_untracked(),
                grade.get_untracked(),
                comment.get_untracked(),
            )
        },
        move |(t, g, c)| async move {
            save_review(attempt.get_value(), position, t, g, c)
                .await
                .map(|_| ())
        },
    );
    let (state, error, save, soon) = (saver.state, saver.error, saver.now, saver.soon);
    let n = position + 1;
    let live = live();
    view! {
        <div class="review-panel" data-testid=format!("review-{n}")>
            <fieldset class="key-point-ticks">
                <legend>"Key points the answer covered (your view)"</legend>
                {key_points.into_iter().enumerate().map(|(i, point)| {
                    let i = i as u32;
                    view! {
                        <label class="check"><input type="checkbox" prop:checked=move || ticks.get().contains(&i)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                ticks.update(|t| { t.retain(|x| *x != i); if on { t.push(i); t.sort_unstable(); } });
                                save();
                            }/><span>{point}</span></label>
                    }
                }).collect_view()}
            </fieldset>
            <fieldset class="grade-picker compact">
                <legend>{format!("Your grade for answer {n}")}</legend>
                {GRADES.iter().map(|(g, name, meaning)| {
                    let g = *g;
                    view! {
                        <label class="grade" title=*meaning>
                            <input type="radio" name=format!("reviewer-grade-{n}") value=g.to_string()
                                prop:checked=move || grade.get() == Some(g)
                                on:change=move |_| { grade.set(Some(g)); save(); }/>
                            <span class="grade-key">{g}</span>
                            <span class="grade-label">{*name}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label class="note-field">"Comment"
                <textarea rows="2" maxlength=COMMENT_MAX.to_string() prop:value=move || comment.get()
                    readonly=move || !live.get()
                    on:input=move |ev| { comment.set(event_target_value(&ev)); soon(); }>{textarea_text(&comment.get_untracked())}</textarea>
            </label>
            <p class="save-state" aria-live="polite" data-testid=format!("review-state-{n}")>{move || state.get().label()}</p>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </div>
    }
}

#[island]
pub fn RecommendationForm(
    attempt_id: String,
    current: Option<Recommendation>,
    note: String,
) -> impl IntoView {
    let choice = RwSignal::new(current);
    let note = RwSignal::new(note);
    let attempt = StoredValue::new(attempt_id);
    let saver = autosave(
        Duration::from_millis(SAVE_DEBOUNCE_MS),
        |_| false,
        move || (choice.get_untracked(), note.get_untracked()),
        move |(r, n)| save_recommendation(attempt.get_value(), r, n),
    );
    let (state, error, save, soon) = (saver.state, saver.error, saver.now, saver.soon);
    let live = live();
    view! {
        <div class="recommendation" data-testid="recommendation">
            <fieldset>
                <legend>"Recommendation"</legend>
                {[Recommendation::No, Recommendation::Maybe, Recommendation::Yes].into_iter().map(|r| view! {
                    <label class="check"><input type="radio" name="recommendation" value=r.as_str()
                        prop:checked=move || choice.get() == Some(r)
                        on:change=move |_| { choice.set(Some(r)); save(); }/>{format!(" {}", r.as_str())}</label>
                }).collect_view()}
            </fieldset>
            <label class="note-field">"Note"
                <textarea rows="3" maxlength=COMMENT_MAX.to_string() prop:value=move || note.get()
                    readonly=move || !live.get()
                    on:input=move |ev| { note.set(event_target_value(&ev)); soon(); }>{textarea_text(&note.get_untracked())}</textarea>
            </label>
            <p class="save-state" aria-live="polite">{move || state.get().label()}</p>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </div>
    }
}

/// "Print this report": the browser's print dialog, with the print styles.
#[island]
pub fn PrintButton() -> impl IntoView {
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = window().print();
        }
    };
    view! { <button type="button" class="button" on:click=print>"Print this report"</button> }
}

/// Keyboard for the review page: J/K next or previous answer, 1–4 grade the
/// answer in focus, N/P next or previous candidate. Keys typed into a field
/// are left alone.
#[island]
pub fn MarkingKeys(prev: Option<String>, next: Option<String>, answers: u32) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use wasm_bindgen::JsCast;
        let (prev, next) = (prev.clone(), next.clone());
        let current = StoredValue::new(0_u32);
        let focus_answer = move |n: u32| {
            if let Some(el) = document()
                .get_element_by_id(&format!("answer-{n}"))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                current.set_value(n);
                let _ = el.focus();
            }
        };
        let _ = window_event_listener(leptos::ev::keydown, move |ev| {
            let in_field = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT")
                        && el.get_attribute("type").as_deref() != Some("radio")
                        && el.get_attribute("type").as_deref() != Some("checkbox")
                });
            if in_field || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
                return;
            }
            let n = current.get_value();
            match ev.key().as_str() {
                "j" | "J" if n < answers => focus_answer(n + 1),
                "k" | "K" if n > 1 => focus_answer(n - 1),
                "n" | "N" => {
                    if let Some(next) = &next {
                        super::navigate::go_to(next);
                    }
                }
                "p" | "P" => {
                    if let Some(prev) = &prev {
                        super::navigate::go_to(prev);
                    }
                }
                g @ ("1" | "2" | "3" | "4") if n > 0 => {
                    let selector = format!("#answer-{n} input[type=radio][value=\"{g}\"]");
                    if let Ok(Some(radio)) = document().query_selector(&selector) {
                        if let Ok(radio) = radio.dyn_into::<web_sys::HtmlElement>() {
                            radio.click();
                        }
                    }
                }
                _ => {}
            }
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (prev, next, answers);
    view! {
        <p class="shortcuts muted no-print">
            <kbd>"J"</kbd>" / "<kbd>"K"</kbd>" next or previous answer · "<kbd>"1"</kbd>"–"<kbd>"4"</kbd>" grade it · "
            <kbd>"N"</kbd>" / "<kbd>"P"</kbd>" next or previous candidate"
        </p>
    }
}
