//! The clock: the countdown and its bar, the warnings read out, the
//! automatic submit at zero in interview mode, and the page-wide hooks
//! (the tick, keyboard shortcuts, saving when the tab hides and re-syncing
//! with the server when it shows).

use leptos::prelude::*;

use super::{client_now, Runner};
use crate::sessions::types::*;

/// Interview mode warns this long before a question's deadline.
const WARN_MS: i64 = 30_000;

/// Starts the clock and the page-wide hooks (in the browser).
pub(super) fn start(r: Runner) {
    Effect::new(move |_| {
        r.offset
            .set(r.state.get_untracked().server_now - client_now());
        browser_hooks(r);
    });

    // Interview mode: at zero the draft is submitted for you. Practice
    // mode only marks the overtime.
    Effect::new(move |_| {
        let left = r.remaining.get();
        let s = r.state.get_untracked();
        if s.mode == Mode::Interview
            && s.phase == Phase::Answering
            && left.is_some_and(|l| l <= 0)
            && !r.busy.get_untracked()
        {
            r.submit();
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
            if !message.is_empty() && r.announced.get_untracked() != message {
                r.announced.set(message.to_owned());
            }
        }
    });
}

/// Where the session stands: question n of m, its level, topic and mode,
/// and the countdown.
pub(super) fn bar(r: Runner) -> impl IntoView {
    let state = r.state;
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
        match r.remaining.get() {
            None => "Untimed".to_owned(),
            Some(l) if l > 0 => format_duration(l),
            Some(l) => format!("+{} over", format_duration(-l)),
        }
    };
    let timer_class = move || {
        let base = "countdown";
        match r.remaining.get() {
            Some(l) if l <= 0 => format!("{base} over"),
            Some(l) if l <= WARN_MS => format!("{base} warning"),
            _ => base.to_owned(),
        }
    };
    view! {
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
    }
}

/// Interview mode, in the last 30 seconds: the draft goes in at zero.
pub(super) fn warning(r: Runner) -> impl IntoView {
    move || {
        let s = r.state.get();
        (s.mode == Mode::Interview
            && s.phase == Phase::Answering
            && r.remaining.get().is_some_and(|l| l > 0 && l <= WARN_MS))
        .then(|| view! {
            <p class="time-warning" role="status">"Less than 30 seconds left: your draft will be submitted automatically at zero."</p>
        })
    }
}

/// The ticking clock, keyboard shortcuts, and the page life cycle: save
/// when the tab hides, re-sync with the server when it shows again.
#[cfg(feature = "hydrate")]
fn browser_hooks(r: Runner) {
    use wasm_bindgen::JsCast;
    let state = r.state;
    let _ = set_interval_with_handle(
        move || r.now.set(client_now() + r.offset.get_untracked()),
        std::time::Duration::from_millis(250),
    );
    let resync = move || {
        let id = r.id();
        leptos::task::spawn_local(async move {
            if let Ok(s) = crate::sessions::api::session_state(id).await {
                r.adopt(s);
            }
        });
    };
    // A shared set's candidate: how long the tab was hidden is recorded
    // for the recruiter (the start page says so).
    let hidden_since = StoredValue::new(None::<i64>);
    let _ = window_event_listener_untyped("visibilitychange", move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Hidden {
            hidden_since.set_value(Some(client_now()));
            r.save_on_hide();
        } else {
            if let Some(since) = hidden_since.get_value() {
                hidden_since.set_value(None);
                let s = state.get_untracked();
                if s.shared && s.phase != Phase::Finished {
                    let ms = u32::try_from((client_now() - since).max(0)).unwrap_or(u32::MAX);
                    let id = r.id();
                    leptos::task::spawn_local(async move {
                        let _ = crate::sharing::api::record_signal(id, ms, 0).await;
                    });
                }
            }
            resync();
            r.save_now();
        }
    });
    let _ = window_event_listener_untyped("pagehide", move |_| r.save_on_hide());
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        let in_field = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT"));
        let phase = state.get_untracked().phase;
        if (ev.ctrl_key() || ev.meta_key()) && ev.key() == "Enter" {
            ev.prevent_default();
            match phase {
                Phase::Answering => r.submit(),
                Phase::Reviewing => r.go_next(),
                Phase::Finished => {}
            }
            return;
        }
        if in_field || ev.ctrl_key() || ev.meta_key() || ev.alt_key() || phase != Phase::Reviewing {
            return;
        }
        match ev.key().as_str() {
            "r" | "R" => r.revealed.set(true),
            "1" | "2" | "3" | "4"
                if r.revealed.get_untracked() || state.get_untracked().reveal.is_none() =>
            {
                r.grade.set(ev.key().parse().ok())
            }
            "n" | "N" => r.go_next(),
            _ => {}
        }
    });
}

#[cfg(not(feature = "hydrate"))]
fn browser_hooks(_: Runner) {}
