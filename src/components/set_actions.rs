//! The small islands of the recruiter pages: new set, duplicate and
//! archive, archive a question, and the import form.

use leptos::prelude::*;

use super::navigate::{go_to, reload};
use crate::sets::api::{
    archive_own_question, archive_set, create_set, duplicate_set, import_file, ImportFormat,
    ImportReport,
};

/// A title and "Create": opens the new set's editor.
#[island]
pub fn NewSetForm() -> impl IntoView {
    let title = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match create_set(title.get_untracked()).await {
                Ok(id) => go_to(&format!("/sets/{id}")),
                Err(e) => {
                    error.set(Some(e.to_string()));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <form class="inline-create" on:submit=create aria-label="New set">
            <label for="new-set-title">"Title"</label>
            <input id="new-set-title" type="text" maxlength="120" placeholder="e.g. Backend engineer, first round"
                prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            <button type="submit" class="button primary" disabled=move || busy.get()>"Create set"</button>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </form>
    }
}

/// Duplicate, and archive or restore, one of the caller's sets.
#[island]
pub fn SetActions(id: String, archived: bool) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let (id_dup, id_arch) = (id.clone(), id);
    let duplicate = move |_| {
        let id = id_dup.clone();
        leptos::task::spawn_local(async move {
            match duplicate_set(id).await {
                Ok(copy) => go_to(&format!("/sets/{copy}")),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let toggle = move |_| {
        let id = id_arch.clone();
        leptos::task::spawn_local(async move {
            match archive_set(id, !archived).await {
                Ok(()) => reload(),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <span class="row-actions">
            <button type="button" class="link-button" on:click=duplicate>"Duplicate"</button>
            <button type="button" class="link-button" on:click=toggle>{if archived { "Restore" } else { "Archive" }}</button>
            {move || error.get().map(|e| view! { <span class="form-error" role="alert">{e}</span> })}
        </span>
    }
}

/// Archive or restore one of the caller's questions.
#[island]
pub fn ArchiveQuestionButton(slug: String, archived: bool) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let toggle = move |_| {
        let slug = slug.clone();
        leptos::task::spawn_local(async move {
            match archive_own_question(slug, !archived).await {
                Ok(()) => reload(),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <button type="button" class="link-button" on:click=toggle>{if archived { "Restore" } else { "Archive" }}</button>
        {move || error.get().map(|e| view! { <span class="form-error" role="alert">{e}</span> })}
    }
}

/// Paste or choose a file, check it, then import it in one go.
#[island]
pub fn ImportForm() -> impl IntoView {
    let format = RwSignal::new(ImportFormat::Json);
    let content = RwSignal::new(String::new());
    let report = RwSignal::new(None::<ImportReport>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let run = move |commit: bool| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match import_file(format.get_untracked(), content.get_untracked(), commit).await {
                Ok(r) if r.committed => match &r.set_id {
                    Some(id) => go_to(&format!("/sets/{id}")),
                    None => go_to("/sets/questions"),
                },
                Ok(r) => report.set(Some(r)),
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let on_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let file = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                if file.name().to_lowercase().ends_with(".csv") {
                    format.set(ImportFormat::Csv);
                } else {
                    format.set(ImportFormat::Json);
                }
                report.set(None);
                leptos::task::spawn_local(async move {
                    match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                        Ok(text) => content.set(text.as_string().unwrap_or_default()),
                        Err(_) => error.set(Some("That file could not be read.".into())),
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        <form class="panel import-form" aria-label="Import" on:submit=move |ev| { ev.prevent_default(); run(false); }>
            <fieldset>
                <legend>"Format"</legend>
                <label class="check"><input type="radio" name="format" value="json"
                    prop:checked=move || format.get() == ImportFormat::Json
                    on:change=move |_| { format.set(ImportFormat::Json); report.set(None); }/>" JSON (a Rehearse export)"</label>
                <label class="check"><input type="radio" name="format" value="csv"
                    prop:checked=move || format.get() == ImportFormat::Csv
                    on:change=move |_| { format.set(ImportFormat::Csv); report.set(None); }/>" CSV (one question a row)"</label>
            </fieldset>
            <label>"Choose a file"
                <input type="file" accept=".json,.csv,application/json,text/csv" on:change=on_file/>
            </label>
            <label>"…or paste it here"
                <textarea rows="8" spellcheck="false" prop:value=move || content.get()
                    on:input=move |ev| { content.set(event_target_value(&ev)); report.set(None); }></textarea>
            </label>
            <button type="submit" class="button" disabled=move || busy.get() || content.get().trim().is_empty()>"Check the file"</button>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            {move || report.get().map(|r| {
                let ok = r.errors.is_empty();
                let n = r.questions.len();
                view! {
                    <div class="import-report" data-testid="import-report">
                        {if ok {
                            view! {
                                <p role="status">{match &r.set_title {
                                    Some(t) => format!("A set, \u{201c}{t}\u{201d}, with {n} question{}.", if n == 1 { "" } else { "s" }),
                                    None => format!("{n} question{} for your question list.", if n == 1 { "" } else { "s" }),
                                }}</p>
                                <table class="data-table">
                                    <thead><tr><th scope="col">"#"</th><th scope="col">"Question"</th><th scope="col">"Level"</th><th scope="col">"Topic"</th><th scope="col">"From"</th></tr></thead>
                                    <tbody>{r.questions.iter().enumerate().map(|(i, (prompt, level, topic, bank))| view! {
                                        <tr><td class="num">{i + 1}</td><td>{prompt.clone()}</td><td>{level.clone()}</td><td>{topic.clone()}</td>
                                            <td>{if *bank { "the bank" } else { "new, yours" }}</td></tr>
                                    }).collect_view()}</tbody>
                                </table>
                                <button type="button" class="button primary" disabled=move || busy.get()
                                    on:click=move |_| run(true)>{format!("Import {n} question{}", if n == 1 { "" } else { "s" })}</button>
                            }.into_any()
                        } else {
                            view! {
                                <div role="alert">
                                    <p><strong>"Nothing was imported. Fix these and check again:"</strong></p>
                                    <ul class="import-errors">{r.errors.iter().map(|(at, what)| view! {
                                        <li><code>{at.clone()}</code>": "{what.clone()}</li>
                                    }).collect_view()}</ul>
                                </div>
                            }.into_any()
                        }}
                    </div>
                }
            })}
        </form>
    }
}
