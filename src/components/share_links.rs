//! Sharing islands: the owner's links panel on the set editor, and the
//! candidate's start form on `/s/:code`.

use leptos::prelude::*;

use super::navigate::go_to;
use crate::sharing::api::{create_link, list_links, set_link_state, start_from_link};
use crate::sharing::types::*;

/// The full address of a link, as the browser sees this site.
fn full_url(code: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        let origin = window().location().origin().unwrap_or_default();
        format!("{origin}/s/{code}")
    }
    #[cfg(not(feature = "hydrate"))]
    {
        format!("/s/{code}")
    }
}

fn copy_to_clipboard(text: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().navigator().clipboard().write_text(text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}

#[island]
pub fn ShareLinks(set_id: String, initial: Vec<LinkInfo>) -> impl IntoView {
    let links = RwSignal::new(initial);
    let label = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let max = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let copied = RwSignal::new(None::<String>);
    let set_id = StoredValue::new(set_id);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            match list_links(set_id.get_value()).await {
                Ok(l) => links.set(l),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let max_n: u32 = max.get_untracked().trim().parse().unwrap_or(0);
        leptos::task::spawn_local(async move {
            match create_link(
                set_id.get_value(),
                label.get_untracked(),
                expires.get_untracked(),
                max_n,
            )
            .await
            {
                Ok(()) => {
                    label.set(String::new());
                    refresh();
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let change = move |link: String, state: LinkState| {
        leptos::task::spawn_local(async move {
            match set_link_state(link, state).await {
                Ok(()) => refresh(),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <div class="share-links">
            <form class="share-create" on:submit=create aria-label="New share link">
                <label>"Label " <span class="muted">"(e.g. a hiring round)"</span>
                    <input type="text" maxlength=LABEL_MAX.to_string() prop:value=move || label.get()
                        on:input=move |ev| label.set(event_target_value(&ev))/></label>
                <label>"Expires after " <span class="muted">"(optional)"</span>
                    <input type="date" prop:value=move || expires.get() on:input=move |ev| expires.set(event_target_value(&ev))/></label>
                <label>"Most candidates " <span class="muted">"(optional)"</span>
                    <input type="number" min="1" max="100000" prop:value=move || max.get() on:input=move |ev| max.set(event_target_value(&ev))/></label>
                <button type="submit" class="button primary">"Create link"</button>
            </form>
            <p class="muted">"A link freezes the set as it is now: edits you make later go to new links, and candidates always see the version they were given."</p>
            <p class="muted" data-testid="link-actions-help">"Pausing a link, or letting it expire, stops new candidates from starting; anyone already mid-interview finishes as normal. Revoking ends the link for everyone at once: a candidate mid-interview keeps the answers written so far, submitted as they are, and can't change anything after."</p>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <ul class="link-list" data-testid="share-links">
                {move || links.get().into_iter().map(|l| {
                    let url = full_url(&l.code);
                    let (id_pause, id_revoke) = (l.id.clone(), l.id.clone());
                    let code = l.code.clone();
                    let details = [
                        Some(format!("version {}", l.version)),
                        Some(format!("{} candidate{}", l.candidates, if l.candidates == 1 { "" } else { "s" })),
                        l.max_candidates.map(|m| format!("at most {m}")),
                        l.expires_label.clone().map(|e| format!("until {e}")),
                    ].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                    let status = l.status;
                    view! {
                        <li class="share-link">
                            <p><strong>{if l.label.is_empty() { "Link".to_owned() } else { l.label.clone() }}</strong>
                                " "<span class=format!("tag link-{}", status.label())>{status.label()}</span>
                                " "<span class="muted">{details}</span></p>
                            <p class="link-url"><input type="text" readonly value=url.clone() aria-label="Link address" data-testid="link-url"/>
                                <button type="button" class="button" on:click=move |_| { copy_to_clipboard(&url); copied.set(Some(code.clone())); }>
                                    {let code = l.code.clone(); move || if copied.get().as_deref() == Some(code.as_str()) { "Copied" } else { "Copy" }}</button></p>
                            {(l.state != LinkState::Revoked).then(|| view! {
                                <p class="row-actions">
                                    {if l.state == LinkState::Paused {
                                        let id = id_pause.clone();
                                        view! { <button type="button" class="link-button" on:click=move |_| change(id.clone(), LinkState::Active)>"Resume"</button> }.into_any()
                                    } else {
                                        let id = id_pause.clone();
                                        view! { <button type="button" class="link-button" on:click=move |_| change(id.clone(), LinkState::Paused)>"Pause"</button> }.into_any()
                                    }}
                                    <button type="button" class="link-button danger-text" on:click=move |_| change(id_revoke.clone(), LinkState::Revoked)>"Revoke"</button>
                                </p>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}

/// The candidate's start: a name (for guests), then the interview.
#[island]
pub fn StartInterview(
    code: String,
    account_name: Option<String>,
    resume: Option<String>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    if let Some(session) = resume {
        return view! {
            <p><a class="button primary" href=format!("/practice/{session}") data-testid="resume-interview">"Continue where you left off"</a></p>
        }
        .into_any();
    }
    let guest = account_name.is_none();
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let code = code.clone();
        leptos::task::spawn_local(async move {
            match start_from_link(code, name.get_untracked()).await {
                Ok(session) => go_to(&format!("/practice/{session}")),
                Err(e) => {
                    error.set(Some(e.to_string()));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <form class="start-interview" on:submit=start aria-label="Start the interview">
            {if guest {
                view! {
                    <label>"Your name, as the interviewer should see it"
                        <input type="text" name="display_name" required maxlength=DISPLAY_NAME_MAX.to_string() autocomplete="name"
                            prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/></label>
                }.into_any()
            } else {
                view! { <p>{format!("You take it as {}.", account_name.clone().unwrap_or_default())}</p> }.into_any()
            }}
            <button type="submit" class="button primary" disabled=move || busy.get()>"Start the interview"</button>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </form>
    }
    .into_any()
}
