//! The live session: one question at a time, a countdown from the server's
//! deadline, an editor that autosaves, then reveal, tick, grade, next.
//!
//! The browser never decides time. It counts down from the server's
//! deadline, corrected by the offset between the two clocks, and re-syncs
//! whenever the tab becomes visible again.

use leptos::prelude::*;

use super::navigate::go_to;

use crate::sessions::api::{
    adjust_timer, ask_follow_up, end_session, grade_answer, next_question, save_draft,
    submit_answer, SaveDraft,
};
use crate::sessions::timer::suggested_grade;
use crate::sessions::types::*;

/// How long typing must pause before a draft is saved.
const SAVE_DEBOUNCE_MS: u64 = 1_200;
/// Interview mode warns this long before a question's deadline.
const WARN_MS: i64 = 30_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SaveState {
    Saved,
    Unsaved,
    Saving,
    Offline,
    /// Another tab saved this answer since: this one stops saving.
    Elsewhere,
}

/// A name for this tab, so the server can tell its saves from another
/// tab's. Random is enough: it is no secret, only a label.
fn editor_id() -> String {
    #[cfg(feature = "hydrate")]
    {
        format!("{:x}", (js_sys::Math::random() * 9.0e15) as u64)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

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

#[island]
pub fn SessionRunner(initial: RunnerState) -> impl IntoView {
    let id = initial.session_id.clone();
    let state = RwSignal::new(initial.clone());
    let text = RwSignal::new(initial.text.clone());
    let save_state = RwSignal::new(SaveState::Saved);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let revealed = RwSignal::new(initial.phase == Phase::Reviewing && initial.grade.is_some());
    let ticked = RwSignal::new(initial.key_points_hit.clone());
    let grade = RwSignal::new(initial.grade);
    let flagged = RwSignal::new(initial.flagged);
    let note = RwSignal::new(initial.note.clone());
    // server time = client time + offset
    let offset = RwSignal::new(0_i64);
    let now = RwSignal::new(initial.server_now);
    let announced = RwSignal::new(String::new());
    let pending_save = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    // Each save carries the next revision; the server keeps only newer ones,
    // and only over this tab's own draft or the one it started from (base).
    let rev = StoredValue::new(initial.draft_rev);
    let base = StoredValue::new(initial.draft_rev);
    let editor = StoredValue::new(editor_id());
    // The text last sent by beacon, so a page hide sends it once.
    let beaconed = StoredValue::new(None::<String>);

    let adopt = move |s: RunnerState| {
        offset.set(s.server_now - client_now());
        now.set(s.server_now);
        if s.phase == Phase::Finished {
            go_to(&format!("/practice/{}/summary", s.session_id));
        }
        let new_question = s.position != state.get_untracked().position;
        if new_question {
            text.set(s.text.clone());
            rev.set_value(s.draft_rev);
            base.set_value(s.draft_rev);
            revealed.set(false);
        }
        ticked.set(s.key_points_hit.clone());
        grade.set(s.grade);
        flagged.set(s.flagged);
        note.set(s.note.clone());
        state.set(s);
    };

    let remaining = Memo::new(move |_| {
        let s = state.get();
        if s.timer_off || s.phase != Phase::Answering {
            return None;
        }
        s.deadline_at.map(|d| d - now.get())
    });

    // ---- saving --------------------------------------------------------
    // The next save: what to send, with a fresh revision. `None` when there
    // is nothing to save, or a submit is carrying the text already.
    let id_save = id.clone();
    let next_save = move || {
        let s = state.get_untracked();
        if matches!(
            save_state.get_untracked(),
            SaveState::Saved | SaveState::Elsewhere
        ) || s.phase != Phase::Answering
            || busy.get_untracked()
        {
            return None;
        }
        rev.update_value(|r| *r += 1);
        Some(SaveDraft {
            id: id_save.clone(),
            position: s.position,
            text: text.get_untracked(),
            rev: rev.get_value(),
            editor: editor.get_value(),
            base: base.get_value(),
        })
    };
    let next_save = StoredValue::new(next_save);
    // Sends one save and records what its answer means. "Saved" only when
    // the newest text is the one stored. True when the text is safe (stored,
    // or overtaken by a newer save of this tab).
    let send_save = move |args: SaveDraft| async move {
        save_state.set(SaveState::Saving);
        let body = args.text.clone();
        let sent = args.rev;
        match save_draft(
            args.id,
            args.position,
            args.text,
            args.rev,
            args.editor,
            args.base,
        )
        .await
        {
            // Stored, or overtaken by a newer save of this tab (the ack then
            // names the newer revision): either way nothing is lost.
            Ok(ack) => {
                base.update_value(|b| *b = (*b).max(ack.rev));
                if text.get_untracked() == body && rev.get_value() == sent {
                    save_state.set(SaveState::Saved);
                } else if save_state.get_untracked() == SaveState::Saving {
                    save_state.set(SaveState::Unsaved);
                }
                true
            }
            Err(crate::error::AppError::Conflict(m)) if m == OTHER_EDITOR => {
                save_state.set(SaveState::Elsewhere);
                error.set(Some(m));
                false
            }
            Err(crate::error::AppError::Transport(_)) | Err(crate::error::AppError::Internal) => {
                save_state.set(SaveState::Offline);
                false
            }
            // A save overtaken by a submit is refused harmlessly; only
            // tell the person when they are still answering.
            Err(e) if state.get_untracked().phase == Phase::Answering => {
                save_state.set(SaveState::Unsaved);
                error.set(Some(e.to_string()));
                false
            }
            Err(_) => {
                save_state.set(SaveState::Saved);
                true
            }
        }
    };
    let save_now = move || {
        if let Some(args) = next_save.with_value(|f| f()) {
            leptos::task::spawn_local(async move {
                send_save(args).await;
            });
        }
    };
    let save_now = StoredValue::new(save_now);
    // On page hide a normal request may be cancelled with the page; a
    // beacon is delivered even after the tab is gone.
    let save_on_hide = move || {
        // visibilitychange and pagehide both come: send the text once.
        if beaconed.with_value(|b| b.as_deref() == Some(text.get_untracked().as_str())) {
            return;
        }
        if let Some(args) = next_save.with_value(|f| f()) {
            beaconed.set_value(Some(args.text.clone()));
            if send_beacon(&args) {
                // No reply comes back: unconfirmed until a normal save.
                save_state.set(SaveState::Unsaved);
            } else {
                // Refused (too large for a beacon): try a normal request.
                leptos::task::spawn_local(async move {
                    send_save(args).await;
                });
            }
        }
    };
    let save_on_hide = StoredValue::new(save_on_hide);

    let schedule_save = move || {
        // Another tab owns this answer now; this one saves nothing more.
        if save_state.get_untracked() == SaveState::Elsewhere {
            return;
        }
        save_state.set(SaveState::Unsaved);
        pending_save.update_value(|h| {
            if let Some(h) = h.take() {
                h.clear();
            }
        });
        if let Ok(handle) = set_timeout_with_handle(
            move || save_now.with_value(|f| f()),
            std::time::Duration::from_millis(SAVE_DEBOUNCE_MS),
        ) {
            pending_save.set_value(Some(handle));
        }
    };

    // ---- actions -------------------------------------------------------
    let id_submit = id.clone();
    let submit = move || {
        if busy.get_untracked() || state.get_untracked().phase != Phase::Answering {
            return;
        }
        busy.set(true);
        // The submit carries the text: a pending autosave would only race it.
        pending_save.update_value(|h| {
            if let Some(h) = h.take() {
                h.clear();
            }
        });
        let (id, position, body) = (
            id_submit.clone(),
            state.get_untracked().position,
            text.get_untracked(),
        );
        let (tab, known) = (editor.get_value(), base.get_value());
        leptos::task::spawn_local(async move {
            match submit_answer(id, position, body, tab, known).await {
                Ok(s) => {
                    save_state.set(SaveState::Saved);
                    error.set(None);
                    adopt(s);
                }
                Err(e) => {
                    error.set(Some(e.to_string()));
                    // The autosave this submit cancelled: schedule it again.
                    schedule_save();
                }
            }
            busy.set(false);
        });
    };
    let submit = StoredValue::new(submit);

    let id_next = id.clone();
    let go_next = move || {
        let s = state.get_untracked();
        if busy.get_untracked() || s.phase != Phase::Reviewing {
            return;
        }
        let Some(g) = grade.get_untracked() else {
            error.set(Some("Pick a grade first (keys 1 to 4).".into()));
            return;
        };
        busy.set(true);
        let id = id_next.clone();
        let (ticks, flag, memo) = (
            ticked.get_untracked(),
            flagged.get_untracked(),
            note.get_untracked(),
        );
        leptos::task::spawn_local(async move {
            let result = match grade_answer(id.clone(), s.position, g, ticks, flag, memo).await {
                Ok(_) => next_question(id, s.position).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(s) => {
                    error.set(None);
                    adopt(s);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let go_next = StoredValue::new(go_next);

    let id_timer = id.clone();
    let timer_action = move |action: TimerAction| {
        let id = id_timer.clone();
        leptos::task::spawn_local(async move {
            match adjust_timer(id, action).await {
                Ok(s) => adopt(s),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };

    let timer_action = StoredValue::new(timer_action);

    // "Answer it next": the follow-up becomes the next question.
    let id_follow = id.clone();
    let ask_follow_up_cb = Callback::new(move |index: usize| {
        let id = id_follow.clone();
        let position = state.get_untracked().position;
        leptos::task::spawn_local(async move {
            match ask_follow_up(id, position, u32::try_from(index).unwrap_or(0)).await {
                Ok(s) => {
                    error.set(None);
                    adopt(s);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    });
    let timer_action = move |action: TimerAction| timer_action.with_value(|f| f(action));

    let id_end = id.clone();
    #[cfg_attr(not(feature = "hydrate"), allow(unused_variables))]
    let id_paste = StoredValue::new(id.clone());
    let end = move |_| {
        let id = id_end.clone();
        let summary = format!("/practice/{id}/summary");
        pending_save.update_value(|h| {
            if let Some(h) = h.take() {
                h.clear();
            }
        });
        let last_save = next_save.with_value(|f| f());
        leptos::task::spawn_local(async move {
            // The draft on screen is stored before the session ends; if it
            // can't be, the session stays open and says why.
            if let Some(args) = last_save {
                if !send_save(args).await {
                    if error.get_untracked().is_none() {
                        error.set(Some(
                            "Your last words could not be saved, so the session was not ended. Check your connection and try again.".into(),
                        ));
                    }
                    return;
                }
            }
            match end_session(id).await {
                Ok(()) => go_to(&summary),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };

    // ---- the clock, keyboard and page life cycle (browser only) --------
    let id_sync = id.clone();
    Effect::new(move |_| {
        offset.set(state.get_untracked().server_now - client_now());
        browser_hooks(BrowserHooks {
            id: id_sync.clone(),
            state,
            now,
            offset,
            revealed,
            grade,
            save_now,
            save_on_hide,
            submit,
            go_next,
            adopt: StoredValue::new(adopt),
        });
    });

    // Interview mode: at zero the draft is submitted for you. Practice
    // mode only marks the overtime.
    Effect::new(move |_| {
        let left = remaining.get();
        let s = state.get_untracked();
        if s.mode == Mode::Interview
            && s.phase == Phase::Answering
            && left.is_some_and(|l| l <= 0)
            && !busy.get_untracked()
        {
            submit.with_value(|f| f());
        }
        // Screen-reader announcements at a few moments, not every second.
        if let Some(l) = left {
            let secs = (l + 999) / 1000;
            let message = match secs {
                60 => "One minute left.",
                30 => "30 seconds left.",
                10 => "10 seconds left.",
                0 if s.mode == Mode::Practice => {
                    "Time is up. You can keep going; the overtime is recorded."
                }
                0 => "Time is up. Your answer was submitted.",
                _ => "",
            };
            if !message.is_empty() && announced.get_untracked() != message {
                announced.set(message.to_owned());
            }
        }
    });

    // ---- view ----------------------------------------------------------
    let timer_text = move || {
        let s = state.get();
        if s.phase != Phase::Answering {
            return "Submitted".to_owned();
        }
        if s.timer_off {
            return "Timer off".to_owned();
        }
        if s.paused {
            return "Paused".to_owned();
        }
        match remaining.get() {
            None => "Untimed".to_owned(),
            Some(l) if l > 0 => format_duration(l),
            Some(l) => format!("+{} over", format_duration(-l)),
        }
    };
    let timer_class = move || {
        let base = "countdown";
        match remaining.get() {
            Some(l) if l <= 0 => format!("{base} over"),
            Some(l) if l <= WARN_MS => format!("{base} warning"),
            _ => base.to_owned(),
        }
    };
    let save_label = move || match save_state.get() {
        SaveState::Saved => "Saved",
        SaveState::Unsaved => "Unsaved changes",
        SaveState::Saving => "Saving…",
        SaveState::Offline => "Offline — will retry",
        SaveState::Elsewhere => "Not saved: open in another tab",
    };
    // Retry offline saves every few seconds.
    Effect::new(move |_| {
        if save_state.get() == SaveState::Offline {
            let _ = set_timeout_with_handle(
                move || {
                    if save_state.get_untracked() == SaveState::Offline {
                        save_state.set(SaveState::Unsaved);
                        save_now.with_value(|f| f());
                    }
                },
                std::time::Duration::from_secs(3),
            );
        }
    });

    view! {
        <div class="runner" data-testid="runner">
            <div class="runner-bar">
                <span class="progress" data-testid="progress">
                    {move || format!("Question {} of {}", state.get().position + 1, state.get().count)}
                </span>
                <span class="tags">
                    <span class=move || format!("tag level-{}", state.get().level.as_str())>{move || state.get().level.label()}</span>
                    <span class="tag">{move || state.get().topic_name}</span>
                    <span class="tag">{move || state.get().mode.label()}</span>
                </span>
                <span class=timer_class role="timer" aria-label="Time left for this question" data-testid="countdown">{timer_text}</span>
            </div>
            <p class="sr-only" aria-live="assertive" data-testid="announcer">{move || announced.get()}</p>
            {move || (state.get().mode == Mode::Interview && state.get().phase == Phase::Answering
                && remaining.get().is_some_and(|l| l > 0 && l <= WARN_MS)).then(|| view! {
                <p class="time-warning" role="status">"Less than 30 seconds left: your draft will be submitted automatically at zero."</p>
            })}
            {move || state.get().follow_up.then(|| view! {
                <p class="follow-up-label" data-testid="follow-up-label">"The interviewer follows up:"</p>
            })}
            <h1 class="prompt" data-testid="prompt">{move || state.get().prompt}</h1>

            {move || (state.get().phase == Phase::Answering).then(|| view! {
                <div class="editor">
                    <label for="answer" class="sr-only">"Your answer"</label>
                    <textarea id="answer" name="answer" rows="14" spellcheck="true"
                        placeholder="Write your answer. Markdown works: **bold**, lists, and ``` code blocks."
                        maxlength=MAX_ANSWER_CHARS.to_string()
                        prop:value=move || text.get()
                        on:input=move |ev| { text.set(event_target_value(&ev)); schedule_save(); }
                        on:blur=move |_| save_now.with_value(|f| f())
                        on:paste=move |ev: leptos::ev::ClipboardEvent| {
                            // A shared set's candidate: the size of a paste is
                            // recorded for the recruiter (the start page says so).
                            #[cfg(feature = "hydrate")]
                            if state.get_untracked().shared {
                                let chars = ev
                                    .clipboard_data()
                                    .and_then(|d| d.get_data("text").ok())
                                    .map_or(0, |t| t.chars().count());
                                let id = id_paste.get_value();
                                leptos::task::spawn_local(async move {
                                    let chars = u32::try_from(chars).unwrap_or(u32::MAX);
                                    let _ = crate::sharing::api::record_signal(id, 0, chars).await;
                                });
                            }
                            #[cfg(not(feature = "hydrate"))]
                            let _ = ev;
                        }
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                            // Tab indents code instead of leaving the editor.
                            if ev.key() == "Tab" && !ev.shift_key() && !ev.ctrl_key() {
                                #[cfg(feature = "hydrate")]
                                {
                                    use wasm_bindgen::JsCast;
                                    if let Some(area) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
                                        ev.prevent_default();
                                        let start = area.selection_start().ok().flatten().unwrap_or(0);
                                        let _ = area.set_range_text("    ");
                                        let _ = area.set_selection_range(start + 4, start + 4);
                                        text.set(area.value());
                                        schedule_save();
                                    }
                                }
                            }
                        }
                    ></textarea>
                    <div class="editor-bar">
                        <span class="save-state" data-testid="save-state" aria-live="polite">{save_label}</span>
                        <button type="button" class="button primary" on:click=move |_| submit.with_value(|f| f())
                            disabled=move || busy.get()>"Submit answer"</button>
                    </div>
                    {move || (state.get().mode == Mode::Practice).then(|| view! {
                        <div class="timer-controls" aria-label="Timer controls">
                            {move || if state.get().paused {
                                view! { <button type="button" class="link-button" on:click=move |_| timer_action(TimerAction::Resume)>"Resume timer"</button> }.into_any()
                            } else {
                                view! { <button type="button" class="link-button" on:click=move |_| timer_action(TimerAction::Pause)>"Pause timer"</button> }.into_any()
                            }}
                            <button type="button" class="link-button" on:click=move |_| timer_action(TimerAction::Extend)>"+1 minute"</button>
                            {move || if state.get().timer_off {
                                view! { <button type="button" class="link-button" on:click=move |_| timer_action(TimerAction::On)>"Turn timer on"</button> }.into_any()
                            } else {
                                view! { <button type="button" class="link-button" on:click=move |_| timer_action(TimerAction::Off)>"Turn timer off"</button> }.into_any()
                            }}
                        </div>
                    })}
                </div>
            })}

            {move || (state.get().phase == Phase::Reviewing).then(|| {
                let s = state.get();
                let reveal = s.reveal.clone();
                // A shared set may keep its reference answers to itself:
                // the candidate grades by their own judgement.
                let hidden = reveal.is_none();
                let total = reveal.as_ref().map_or(0, |r| r.key_points.len());
                view! {
                    <section class="review" aria-label="Review your answer">
                        {s.timed_out.then(|| view! { <p class="badge over" data-testid="timed-out">"Time ran out: your last saved draft was submitted."</p> })}
                        {(s.overtime_ms > 0).then(|| view! { <p class="badge warn">{format!("Submitted {} over the limit.", format_duration(s.overtime_ms))}</p> })}
                        <h2>"Your answer"</h2>
                        {if s.text.trim().is_empty() {
                            view! { <p class="your-answer" data-testid="your-answer">"(nothing written)"</p> }.into_any()
                        } else {
                            // Rendered and sanitized on the server, code blocks kept.
                            view! { <div class="your-answer markdown" data-testid="your-answer" inner_html=s.answer_html.clone()></div> }.into_any()
                        }}
                        {move || if revealed.get() || hidden {
                            let reveal = reveal.clone();
                            view! {
                                <div class="reference" data-testid=if hidden { "self-grade" } else { "reference" }>
                                    {hidden.then_some(view! { <p class="muted" data-testid="reference-hidden">"This interview keeps its reference answers private: grade your answer by your own judgement."</p> })}
                                    {(!hidden).then(|| view! {
                                    <h2>{if reveal.as_ref().is_some_and(|r| r.behavioral) { "What a strong answer shows" } else { "Reference answer" }}</h2>
                                    <div class="markdown" inner_html=reveal.as_ref().map(|r| r.answer_html.clone()).unwrap_or_default()></div>
                                    {(total > 0).then(|| view! {
                                    <fieldset class="key-point-ticks">
                                        <legend>"Tick the key points your answer covered"</legend>
                                        {reveal.as_ref().map(|r| r.key_points.clone()).unwrap_or_default().into_iter().enumerate().map(|(i, point)| {
                                            let i = i as u32;
                                            view! {
                                                <label class="check">
                                                    <input type="checkbox" prop:checked=move || ticked.get().contains(&i)
                                                        on:change=move |ev| {
                                                            let on = event_target_checked(&ev);
                                                            ticked.update(|t| { t.retain(|x| *x != i); if on { t.push(i); } });
                                                        }/>
                                                    <span>{point}</span>
                                                </label>
                                            }
                                        }).collect_view()}
                                    </fieldset>
                                    })}
                                    {reveal.as_ref().map(|r| super::follow_ups::after_reveal(
                                        r.mistakes.clone(),
                                        r.follow_ups.clone(),
                                        (!s.shared).then_some(ask_follow_up_cb),
                                    ))}
                                    })}
                                    <fieldset class="grade-picker">
                                        <legend>"Your grade "
                                            {(!hidden && total > 0).then(|| view! {
                                            <span class="muted" data-testid="suggested">{move || {
                                                let g = suggested_grade(ticked.get().len(), total);
                                                format!("(your ticks suggest {})", grade_label(g))
                                            }}</span>
                                            })}
                                        </legend>
                                        {GRADES.iter().map(|(g, label, meaning)| {
                                            let g = *g;
                                            view! {
                                                <label class="grade" title=*meaning>
                                                    <input type="radio" name="grade" value=g.to_string()
                                                        prop:checked=move || grade.get() == Some(g)
                                                        on:change=move |_| grade.set(Some(g))/>
                                                    <span class="grade-key">{g}</span>
                                                    <span class="grade-label">{*label}</span>
                                                    <span class="grade-meaning">{*meaning}</span>
                                                </label>
                                            }
                                        }).collect_view()}
                                    </fieldset>
                                    <label class="check"><input type="checkbox" prop:checked=move || flagged.get()
                                        on:change=move |ev| flagged.set(event_target_checked(&ev))/>" Flag this question to come back to it"</label>
                                    <label class="note-field">"Note (optional)"
                                        <textarea rows="2" maxlength=MAX_NOTE_CHARS.to_string() prop:value=move || note.get()
                                            on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                                    </label>
                                    <button type="button" class="button primary" on:click=move |_| go_next.with_value(|f| f())
                                        disabled=move || busy.get()>
                                        {move || if state.get().position + 1 >= state.get().count { "Finish" } else { "Next question" }}
                                    </button>
                                </div>
                            }.into_any()
                        } else {
                            view! {
                                <button type="button" class="button primary" on:click=move |_| revealed.set(true)>"Reveal the reference answer"</button>
                            }.into_any()
                        }}
                    </section>
                }
            })}

            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <p class="shortcuts muted">
                <kbd>"Ctrl"</kbd>"+"<kbd>"Enter"</kbd>" submit / next · "<kbd>"R"</kbd>" reveal · "
                <kbd>"1"</kbd>"–"<kbd>"4"</kbd>" grade · "<kbd>"N"</kbd>" next"
            </p>
            <p><button type="button" class="link-button" on:click=end>"End session now"</button></p>
        </div>
    }
}

/// What the page-wide listeners need, gathered so the browser-only code can
/// live in one function. (The server build never reads them.)
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct BrowserHooks<S, H, A, B, C>
where
    S: Fn() + Send + Sync + 'static,
    H: Fn() + Send + Sync + 'static,
    A: Fn() + Send + Sync + 'static,
    B: Fn() + Send + Sync + 'static,
    C: Fn(RunnerState) + Send + Sync + 'static,
{
    id: String,
    state: RwSignal<RunnerState>,
    now: RwSignal<i64>,
    offset: RwSignal<i64>,
    revealed: RwSignal<bool>,
    grade: RwSignal<Option<u8>>,
    save_now: StoredValue<S>,
    save_on_hide: StoredValue<H>,
    submit: StoredValue<A>,
    go_next: StoredValue<B>,
    adopt: StoredValue<C>,
}

/// The ticking clock, keyboard shortcuts, and the page life cycle: save
/// when the tab hides, re-sync with the server when it shows again.
#[cfg(feature = "hydrate")]
fn browser_hooks<S, H, A, B, C>(h: BrowserHooks<S, H, A, B, C>)
where
    S: Fn() + Send + Sync + 'static,
    H: Fn() + Send + Sync + 'static,
    A: Fn() + Send + Sync + 'static,
    B: Fn() + Send + Sync + 'static,
    C: Fn(RunnerState) + Send + Sync + 'static,
{
    use wasm_bindgen::JsCast;
    let BrowserHooks {
        id,
        state,
        now,
        offset,
        revealed,
        grade,
        save_now,
        save_on_hide,
        submit,
        go_next,
        adopt,
    } = h;
    let _ = set_interval_with_handle(
        move || now.set(client_now() + offset.get_untracked()),
        std::time::Duration::from_millis(250),
    );
    let id_signal = id.clone();
    let resync = move || {
        let id = id.clone();
        leptos::task::spawn_local(async move {
            if let Ok(s) = crate::sessions::api::session_state(id).await {
                adopt.with_value(|f| f(s));
            }
        });
    };
    // A shared set's candidate: how long the tab was hidden is recorded
    // for the recruiter (the start page says so).
    let hidden_since = StoredValue::new(None::<i64>);
    let _ = window_event_listener_untyped("visibilitychange", move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Hidden {
            hidden_since.set_value(Some(client_now()));
            save_on_hide.with_value(|f| f());
        } else {
            if let Some(since) = hidden_since.get_value() {
                hidden_since.set_value(None);
                let s = state.get_untracked();
                if s.shared && s.phase != Phase::Finished {
                    let ms = u32::try_from((client_now() - since).max(0)).unwrap_or(u32::MAX);
                    let id = id_signal.clone();
                    leptos::task::spawn_local(async move {
                        let _ = crate::sharing::api::record_signal(id, ms, 0).await;
                    });
                }
            }
            resync();
            save_now.with_value(|f| f());
        }
    });
    let _ = window_event_listener_untyped("pagehide", move |_| save_on_hide.with_value(|f| f()));
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        let in_field = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT"));
        let phase = state.get_untracked().phase;
        if (ev.ctrl_key() || ev.meta_key()) && ev.key() == "Enter" {
            ev.prevent_default();
            match phase {
                Phase::Answering => submit.with_value(|f| f()),
                Phase::Reviewing => go_next.with_value(|f| f()),
                Phase::Finished => {}
            }
            return;
        }
        if in_field || ev.ctrl_key() || ev.meta_key() || ev.alt_key() || phase != Phase::Reviewing {
            return;
        }
        match ev.key().as_str() {
            "r" | "R" => revealed.set(true),
            "1" | "2" | "3" | "4"
                if revealed.get_untracked() || state.get_untracked().reveal.is_none() =>
            {
                grade.set(ev.key().parse().ok())
            }
            "n" | "N" => go_next.with_value(|f| f()),
            _ => {}
        }
    });
}

#[cfg(not(feature = "hydrate"))]
fn browser_hooks<S, H, A, B, C>(_: BrowserHooks<S, H, A, B, C>)
where
    S: Fn() + Send + Sync + 'static,
    H: Fn() + Send + Sync + 'static,
    A: Fn() + Send + Sync + 'static,
    B: Fn() + Send + Sync + 'static,
    C: Fn(RunnerState) + Send + Sync + 'static,
{
}

/// Sends a save with `navigator.sendBeacon`, which the browser delivers
/// even when the page is going away. False when the browser refused it
/// (beacons are limited to about 64 KiB in flight).
#[cfg(feature = "hydrate")]
fn send_beacon(args: &SaveDraft) -> bool {
    let Ok(params) = web_sys::UrlSearchParams::new() else {
        return false;
    };
    params.append("id", &args.id);
    params.append("position", &args.position.to_string());
    params.append("text", &args.text);
    params.append("rev", &args.rev.to_string());
    params.append("editor", &args.editor);
    params.append("base", &args.base.to_string());
    let url = <SaveDraft as leptos::server_fn::ServerFn>::PATH;
    window()
        .navigator()
        .send_beacon_with_opt_url_search_params(url, Some(&params))
        .unwrap_or(false)
}

#[cfg(not(feature = "hydrate"))]
fn send_beacon(_: &SaveDraft) -> bool {
    false
}
