//! Waiting for a pause: the editors save, search or redraw once typing
//! stops.

use std::time::Duration;

use leptos::prelude::*;

/// Runs something once a pause has passed without another call; each
/// call, or `cancel`, drops the run the previous call scheduled.
#[derive(Clone, Copy)]
pub struct Debounce {
    pending: StoredValue<Option<TimeoutHandle>>,
    delay: Duration,
}

impl Debounce {
    pub fn new(delay: Duration) -> Self {
        Self {
            pending: StoredValue::new(None),
            delay,
        }
    }

    pub fn schedule(self, run: impl FnOnce() + 'static) {
        self.cancel();
        if let Ok(h) = set_timeout_with_handle(run, self.delay) {
            self.pending.set_value(Some(h));
        }
    }

    pub fn cancel(self) {
        self.pending.update_value(|h| {
            if let Some(h) = h.take() {
                h.clear();
            }
        });
    }
}

/// A function that runs `run` once `delay` has passed without another
/// call: each call cancels the run the previous one scheduled.
pub fn debounced(
    delay: Duration,
    run: impl Fn() + Copy + Send + Sync + 'static,
) -> impl Fn() + Copy {
    let pending = Debounce::new(delay);
    move || pending.schedule(run)
}
