//! Saving as people type, for every island that keeps something: the set
//! editor, the recruiter's marks and recommendation, and the runner's
//! draft. One state with one set of labels, one save in flight, a save
//! once typing pauses, another try every few seconds while offline, and
//! no more saves once another tab or editor has taken over.

use std::future::Future;
use std::time::Duration;

use leptos::prelude::*;

use super::debounce::Debounce;
use crate::error::AppError;

/// How often a save that failed for want of a connection is tried again.
pub const OFFLINE_RETRY: Duration = Duration::from_secs(3);

/// Where the saving of what is on screen stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    Unsaved,
    Saving,
    /// The server could not be reached: tried again shortly.
    Offline,
    /// The server refused it; the message says why.
    Invalid,
    /// Another tab (or editor) saved since: this one stops saving.
    Elsewhere,
}

impl SaveState {
    /// What the person is told, beside what they are editing.
    pub fn label(self) -> &'static str {
        match self {
            Self::Saved => "Saved",
            Self::Unsaved => "Unsaved changes",
            Self::Saving => "Saving…",
            Self::Offline => "Offline — will retry",
            Self::Invalid => "Not saved: see the message",
            Self::Elsewhere => "Not saved: open in another tab",
        }
    }

    /// What a failed save means: another editor took over, the server
    /// could not be reached, or `None` (refused, for the caller to say).
    pub fn after(error: &AppError, elsewhere: fn(&AppError) -> bool) -> Option<Self> {
        if elsewhere(error) {
            Some(Self::Elsewhere)
        } else if matches!(error, AppError::Transport(_) | AppError::Internal) {
            Some(Self::Offline)
        } else {
            None
        }
    }
}

/// While `state` says offline, calls `retry` every [`OFFLINE_RETRY`].
pub fn retry_when_offline(
    state: RwSignal<SaveState>,
    retry: impl Fn() + Copy + Send + Sync + 'static,
) {
    Effect::new(move |_| {
        if state.get() == SaveState::Offline {
            let _ = set_timeout_with_handle(
                move || {
                    if state.get_untracked() == SaveState::Offline {
                        retry();
                    }
                },
                OFFLINE_RETRY,
            );
        }
    });
}

/// What an island calls: `now` saves at once (leaving the field, a tick, a
/// choice), `soon` once typing pauses.
#[derive(Clone, Copy)]
pub struct Saver<Now, Soon> {
    /// Where saving stands, for the label beside the editor.
    pub state: RwSignal<SaveState>,
    /// Why the last save was refused, if it was.
    pub error: RwSignal<Option<String>>,
    pub now: Now,
    pub soon: Soon,
}

/// Keeps what the server holds equal to `current()`, sending it with
/// `send`. One request is in flight at a time: a change made meanwhile is
/// sent after it, never beside it, so an older value can never land last
/// (two grades keyed in quick succession used to race, and the first could
/// win). "Saved" only once the value sent is still the one on screen; a
/// value already stored is not sent again. `elsewhere` says which refusal
/// means another tab or editor has taken over.
pub fn autosave<T, Fut>(
    pause: Duration,
    elsewhere: fn(&AppError) -> bool,
    current: impl Fn() -> T + Copy + Send + Sync + 'static,
    send: impl Fn(T) -> Fut + Copy + Send + Sync + 'static,
) -> Saver<impl Fn() + Copy + Send + Sync + 'static, impl Fn() + Copy + 'static>
where
    T: Clone + PartialEq + Send + Sync + 'static,
    Fut: Future<Output = Result<(), AppError>> + 'static,
{
    let state = RwSignal::new(SaveState::Saved);
    let error = RwSignal::new(None::<String>);
    let in_flight = StoredValue::new(false);
    // What the server holds: at first what it rendered.
    let stored = StoredValue::new(current());
    let now = move || {
        if state.get_untracked() == SaveState::Elsewhere {
            return;
        }
        if in_flight.get_value() {
            state.set(SaveState::Saving);
            return;
        }
        if stored.with_value(|s| *s == current()) {
            state.set(SaveState::Saved);
            return;
        }
        state.set(SaveState::Saving);
        in_flight.set_value(true);
        leptos::task::spawn_local(async move {
            loop {
                let sent = current();
                match send(sent.clone()).await {
                    Ok(()) if current() == sent => {
                        stored.set_value(sent);
                        state.set(SaveState::Saved);
                        error.set(None);
                        break;
                    }
                    // Changed meanwhile: send the newer value.
                    Ok(()) => stored.set_value(sent),
                    Err(e) => {
                        match SaveState::after(&e, elsewhere) {
                            Some(SaveState::Offline) => state.set(SaveState::Offline),
                            Some(s) => {
                                state.set(s);
                                error.set(Some(e.to_string()));
                            }
                            None => {
                                state.set(SaveState::Invalid);
                                error.set(Some(refusal(e)));
                            }
                        }
                        break;
                    }
                }
            }
            in_flight.set_value(false);
        });
    };
    retry_when_offline(state, now);
    let later = Debounce::new(pause);
    let soon = move || {
        if state.get_untracked() == SaveState::Elsewhere {
            return;
        }
        state.set(SaveState::Unsaved);
        later.schedule(now);
    };
    Saver {
        state,
        error,
        now,
        soon,
    }
}

/// A refusal in words: each problem of a form, or the error itself.
fn refusal(e: AppError) -> String {
    match e {
        AppError::Validation(problems) => problems
            .into_iter()
            .map(|p| p.message)
            .collect::<Vec<_>>()
            .join(" "),
        e => e.to_string(),
    }
}
