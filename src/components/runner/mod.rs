//! The live session: one question at a time, a countdown from the server's
//! deadline, an editor that autosaves, then reveal, tick, grade, next.
//!
//! The browser never decides time. It counts down from the server's
//! deadline, corrected by the offset between the two clocks, and re-syncs
//! whenever the tab becomes visible again.
//!
//! One island in parts: `Runner` (here) holds what the parts share, all of
//! it `Copy`; `saving` keeps the draft stored; `actions` are what the
//! person does (submit, grade and go on, the timer, a follow-up, end);
//! `clock` counts down and keeps the page in step with the server;
//! `editor` and `review` draw the two phases of a question.

mod actions;
mod clock;
mod editor;
mod reveal;
mod saving;

use leptos::prelude::*;

use super::autosave::SaveState;
use super::debounce::Debounce;
use super::navigate::go_to;
use crate::sessions::types::*;

/// The runner's state, shared by its parts.
#[derive(Clone, Copy)]
struct Runner {
    id: StoredValue<String>,
    /// The question as the server last described it.
    state: RwSignal<RunnerState>,
    /// The answer in the editor.
    text: RwSignal<String>,
    save_state: RwSignal<SaveState>,
    error: RwSignal<Option<String>>,
    /// A submit, grade or move is on its way.
    busy: RwSignal<bool>,
    revealed: RwSignal<bool>,
    ticked: RwSignal<Vec<u32>>,
    grade: RwSignal<Option<u8>>,
    flagged: RwSignal<bool>,
    note: RwSignal<String>,
    /// Server time = client time + offset.
    offset: RwSignal<i64>,
    /// The server's time now, as this tab reckons it.
    now: RwSignal<i64>,
    /// Milliseconds left on the question's clock, while it runs.
    remaining: Memo<Option<i64>>,
    /// The last thing read out to screen readers.
    announced: RwSignal<String>,
    pending_save: Debounce,
    /// Each save carries the next revision; the server keeps only newer
    /// ones, and only over this tab's own draft or the one it started from
    /// (base).
    rev: StoredValue<u32>,
    base: StoredValue<u32>,
    /// This tab's name, so the server can tell its saves from another's.
    editor: StoredValue<String>,
    /// The text last sent by beacon, so a page hide sends it once.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    beaconed: StoredValue<Option<String>>,
}

impl Runner {
    fn new(initial: &RunnerState) -> Self {
        let state = RwSignal::new(initial.clone());
        let now = RwSignal::new(initial.server_now);
        Self {
            id: StoredValue::new(initial.session_id.clone()),
            state,
            text: RwSignal::new(initial.text.clone()),
            save_state: RwSignal::new(SaveState::Saved),
            error: RwSignal::new(None),
            busy: RwSignal::new(false),
            revealed: RwSignal::new(initial.phase == Phase::Reviewing && initial.grade.is_some()),
            ticked: RwSignal::new(initial.key_points_hit.clone()),
            grade: RwSignal::new(initial.grade),
            flagged: RwSignal::new(initial.flagged),
            note: RwSignal::new(initial.note.clone()),
            offset: RwSignal::new(0),
            now,
            remaining: Memo::new(move |_| {
                let s = state.get();
                if s.timer_off || s.phase != Phase::Answering {
                    return None;
                }
                s.deadline_at.map(|d| d - now.get())
            }),
            announced: RwSignal::new(String::new()),
            pending_save: Debounce::new(saving::SAVE_PAUSE),
            rev: StoredValue::new(initial.draft_rev),
            base: StoredValue::new(initial.draft_rev),
            editor: StoredValue::new(saving::editor_id()),
            beaconed: StoredValue::new(None),
        }
    }

    fn id(self) -> String {
        self.id.get_value()
    }

    /// Takes a state the server sent: the clock offset, and a new question's
    /// text and marks when the question changed.
    fn adopt(self, s: RunnerState) {
        self.offset.set(s.server_now - client_now());
        self.now.set(s.server_now);
        if s.phase == Phase::Finished {
            go_to(&format!("/practice/{}/summary", s.session_id));
        }
        if s.position != self.state.get_untracked().position {
            self.text.set(s.text.clone());
            self.rev.set_value(s.draft_rev);
            self.base.set_value(s.draft_rev);
            self.revealed.set(false);
        }
        self.ticked.set(s.key_points_hit.clone());
        self.grade.set(s.grade);
        self.flagged.set(s.flagged);
        self.note.set(s.note.clone());
        self.state.set(s);
    }

    fn show_error(self, error: impl std::fmt::Display) {
        self.error.set(Some(error.to_string()));
    }
}

#[island]
pub fn SessionRunner(initial: RunnerState) -> impl IntoView {
    let r = Runner::new(&initial);
    clock::start(r);
    super::autosave::retry_when_offline(r.save_state, move || {
        r.save_state.set(SaveState::Unsaved);
        r.save_now();
    });
    let state = r.state;
    view! {
        <div class="runner" data-testid="runner">
            {clock::bar(r)}
            <p class="sr-only" aria-live="assertive" data-testid="announcer">{move || r.announced.get()}</p>
            {clock::warning(r)}
            {move || state.get().follow_up.then(|| view! {
                <p class="follow-up-label" data-testid="follow-up-label">"The interviewer follows up:"</p>
            })}
            <h1 class="prompt" data-testid="prompt">{move || state.get().prompt}</h1>
            {move || (state.get().phase == Phase::Answering).then(|| editor::view(r))}
            {move || (state.get().phase == Phase::Reviewing).then(|| reveal::view(r))}
            {move || r.error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <p class="shortcuts muted">
                <kbd>"Ctrl"</kbd>"+"<kbd>"Enter"</kbd>" submit / next · "<kbd>"R"</kbd>" reveal · "
                <kbd>"1"</kbd>"–"<kbd>"4"</kbd>" grade · "<kbd>"N"</kbd>" next"
            </p>
            <p><button type="button" class="link-button" on:click=move |_| r.end()>"End session now"</button></p>
        </div>
    }
}

/// The browser's clock, in Unix ms (0 on the server, which never ticks).
fn client_now() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0
    }
}
