//! Waiting for a pause: the editors save or redraw once typing stops.

use leptos::prelude::*;

/// A function that runs `run` once `delay` has passed without another
/// call: each call cancels the run the previous one scheduled.
pub fn debounced(
    delay: std::time::Duration,
    run: impl Fn() + Copy + Send + Sync + 'static,
) -> impl Fn() + Copy {
    let pending = StoredValue::new(None::<TimeoutHandle>);
    move || {
        pending.update_value(|h| {
            if let Some(h) = h.take() {
                h.clear();
            }
        });
        if let Ok(h) = set_timeout_with_handle(run, delay) {
            pending.set_value(Some(h));
        }
    }
}
