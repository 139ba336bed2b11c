//! Answering: the editor (autosaved; Tab indents), the save state, submit,
//! and in practice mode the timer's controls.

use leptos::prelude::*;

use crate::components::hydration::{live, textarea_text};

use super::Runner;
use crate::sessions::types::*;

pub(super) fn view(r: Runner) -> impl IntoView {
    let state = r.state;
    let live = live();
    view! {
        <div class="editor">
            <label for="answer" class="sr-only">"Your answer"</label>
            <textarea id="answer" name="answer" rows="14" spellcheck="true"
                placeholder="Write your answer. Markdown works: **bold**, lists, and ``` code blocks."
                maxlength=MAX_ANSWER_CHARS.to_string()
                readonly=move || !live.get()
                prop:value=move || r.text.get()
                on:input=move |ev| { r.text.set(event_target_value(&ev)); r.schedule_save(); }
                on:blur=move |_| r.save_now()
                on:paste=move |ev: leptos::ev::ClipboardEvent| record_paste(r, ev)
                on:keydown=move |ev: leptos::ev::KeyboardEvent| indent_on_tab(r, ev)
            >{textarea_text(&r.text.get_untracked())}</textarea>
            <div class="editor-bar">
                <span class="save-state" data-testid="save-state" aria-live="polite">{move || r.save_state.get().label()}</span>
                <button type="button" class="button primary" on:click=move |_| r.submit()
                    disabled=move || r.busy.get()>"Submit answer"</button>
            </div>
            {move || (state.get().mode == Mode::Practice).then(|| timer_controls(r))}
        </div>
    }
}

/// Practice mode: pause, extend or switch off the clock.
fn timer_controls(r: Runner) -> impl IntoView {
    let state = r.state;
    view! {
        <div class="timer-controls" aria-label="Timer controls">
            {move || if state.get().paused {
                view! { <button type="button" class="link-button" on:click=move |_| r.timer(TimerAction::Resume)>"Resume timer"</button> }.into_any()
            } else {
                view! { <button type="button" class="link-button" on:click=move |_| r.timer(TimerAction::Pause)>"Pause timer"</button> }.into_any()
            }}
            <button type="button" class="link-button" on:click=move |_| r.timer(TimerAction::Extend)>"+1 minute"</button>
            {move || if state.get().timer_off {
                view! { <button type="button" class="link-button" on:click=move |_| r.timer(TimerAction::On)>"Turn timer on"</button> }.into_any()
            } else {
                view! { <button type="button" class="link-button" on:click=move |_| r.timer(TimerAction::Off)>"Turn timer off"</button> }.into_any()
            }}
        </div>
    }
}

/// A shared set's candidate: the size of a paste is recorded for the
/// recruiter (the start page says so).
fn record_paste(r: Runner, ev: leptos::ev::ClipboardEvent) {
    #[cfg(feature = "hydrate")]
    if r.state.get_untracked().shared {
        let chars = ev
            .clipboard_data()
            .and_then(|d| d.get_data("text").ok())
            .map_or(0, |t| t.chars().count());
        let id = r.id();
        leptos::task::spawn_local(async move {
            let chars = u32::try_from(chars).unwrap_or(u32::MAX);
            let _ = crate::sharing::api::record_signal(id, 0, chars).await;
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (r, ev);
}

/// Tab indents code instead of leaving the editor.
fn indent_on_tab(r: Runner, ev: leptos::ev::KeyboardEvent) {
    if ev.key() != "Tab" || ev.shift_key() || ev.ctrl_key() {
        return;
    }
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(area) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        {
            ev.prevent_default();
            let start = area.selection_start().ok().flatten().unwrap_or(0);
            let _ = area.set_range_text("    ");
            let _ = area.set_selection_range(start + 4, start + 4);
            r.text.set(area.value());
            r.schedule_save();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = r;
}
