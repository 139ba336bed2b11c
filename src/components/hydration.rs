//! Marks the document once the browser code is running, so browser tests
//! (and CSS, if it wants) can tell a server-rendered page from a live one.

use leptos::prelude::*;

#[island]
pub fn HydrationMarker() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
