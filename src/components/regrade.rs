//! Re-grading an answer after the session, on `/history/:id`.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::components::hydration::textarea_text;

use super::navigate::reload;
use crate::history::api::RegradeAnswer;
use crate::sessions::types::{GRADES, MAX_NOTE_CHARS};

/// Grade and note for one answer. On success the page is rendered again so
/// the change and its history show everywhere on it.
#[island]
pub fn RegradeForm(
    session_id: String,
    position: u32,
    grade: Option<u8>,
    note: String,
) -> impl IntoView {
    let action = ServerAction::<RegradeAnswer>::new();
    let value = action.value();
    Effect::new(move |_| {
        if let Some(Ok(())) = value.get() {
            reload();
        }
    });
    let legend = format!("Grade for question {}", position + 1);
    view! {
        <details class="regrade">
            <summary>"Re-grade or edit the note"</summary>
            <ActionForm action attr:class="stack-form" attr:aria-label=format!("Re-grade question {}", position + 1)>
                <input type="hidden" name="session_id" value=session_id/>
                <input type="hidden" name="position" value=position.to_string()/>
                <fieldset class="regrade-grades">
                    <legend>{legend}</legend>
                    {GRADES.map(|(g, label, _)| view! {
                        <label class="check">
                            <input type="radio" name="grade" value=g.to_string() checked=grade == Some(g) required/>
                            {format!(" {g} · {label}")}
                        </label>
                    })}
                </fieldset>
                <label>"Note"
                    <textarea name="note" rows="3" maxlength=MAX_NOTE_CHARS.to_string()>{textarea_text(&note)}</textarea>
                </label>
                {move || value.get().and_then(Result::err).map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
                <button type="submit" class="button" disabled=move || action.pending().get()>"Save the change"</button>
            </ActionForm>
        </details>
    }
}
