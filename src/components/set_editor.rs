//! The set editor: title, instructions, mode and timing, the ordered list
//! of questions (move by keyboard or drag and drop), and a picker over the
//! bank and the recruiter's own questions. Every change autosaves, with a
//! visible save state, as the answer editor does.

use leptos::prelude::*;

use std::time::Duration;

use super::autosave::autosave;
use super::markdown::Highlighted;
use crate::error::AppError;
use crate::questions::types::{Level, QuestionFilter, QuestionList, TopicInfo};
use crate::sessions::types::Mode;
use crate::sets::api::{pick_questions, save_set};
use crate::sets::types::*;

pub use super::question_editor::QuestionEditor;
pub use super::set_actions::{ArchiveQuestionButton, ImportForm, NewSetForm, SetActions};

/// How long editing must pause before the set is saved.
const SAVE_DEBOUNCE_MS: u64 = 800;

/// Minutes typed into a box as seconds: blank or 0 is "none".
fn minutes_to_secs(raw: &str) -> Option<u32> {
    let minutes: f64 = raw.trim().replace(',', ".").parse().ok()?;
    (minutes > 0.0 && minutes.is_finite()).then(|| (minutes * 60.0).round() as u32)
}

fn secs_to_minutes(secs: Option<u32>) -> String {
    match secs {
        None => String::new(),
        Some(s) if s % 60 == 0 => (s / 60).to_string(),
        Some(s) => format!("{:.1}", f64::from(s) / 60.0),
    }
}

/// Puts the keyboard focus back on the element with `id` once the DOM has
/// caught up, or on its row's other move button if it is now disabled.
fn refocus(id: String) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        request_animation_frame(move || {
            let doc = document();
            let target = doc
                .get_element_by_id(&id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(el) = target {
                if el.has_attribute("disabled") {
                    let other = if let Some(rest) = id.strip_prefix("up-") {
                        format!("down-{rest}")
                    } else {
                        format!("up-{}", id.trim_start_matches("down-"))
                    };
                    if let Some(o) = doc
                        .get_element_by_id(&other)
                        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                    {
                        let _ = o.focus();
                    }
                } else {
                    let _ = el.focus();
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

#[island]
pub fn SetEditor(initial: SetDetail, topics: Vec<TopicInfo>) -> impl IntoView {
    let id = initial.id.clone();
    let settings = RwSignal::new(SetDraft {
        items: Vec::new(),
        ..initial.draft.clone()
    });
    let items = RwSignal::new(initial.items.clone());
    let rev = StoredValue::new(initial.edit_rev);
    let announce = RwSignal::new(String::new());

    let draft = move || SetDraft {
        items: items
            .get_untracked()
            .iter()
            .map(|i| SetItemInput {
                slug: i.slug.clone(),
                per_question_secs: i.per_question_secs,
            })
            .collect(),
        ..settings.get_untracked()
    };

    let id = StoredValue::new(id);
    let saver = autosave(
        Duration::from_millis(SAVE_DEBOUNCE_MS),
        // The one refusal that means another tab saved a newer version.
        |e| matches!(e, AppError::Conflict(_)),
        draft,
        move |sent| {
            rev.update_value(|r| *r += 1);
            let next = rev.get_value();
            async move { save_set(id.get_value(), sent, next).await.map(drop) }
        },
    );
    let (save_state, error, changed) = (saver.state, saver.error, saver.soon);

    // Moves a question; `keep_focus` names the button that moved it, which
    // keeps the focus after the list is redrawn (keyboard reordering).
    let move_item = move |from: usize, to: usize, keep_focus: Option<String>| {
        let mut moved = false;
        items.update(|list| {
            if from < list.len() && to < list.len() && from != to {
                let item = list.remove(from);
                list.insert(to, item);
                moved = true;
            }
        });
        if moved {
            announce.set(format!("Moved to position {}.", to + 1));
            changed();
            if let Some(id) = keep_focus {
                refocus(id);
            }
        }
    };
    let dragging = StoredValue::new(None::<usize>);

    let summary = move || {
        let list = items.get();
        let s = settings.get();
        let levels: Vec<Level> = list.iter().map(|i| i.level).collect();
        let per_item: Vec<Option<u32>> = list.iter().map(|i| i.per_question_secs).collect();
        summary_line(
            &levels,
            set_time_secs(s.per_question_secs, s.total_secs, &per_item),
        )
    };
    let start = initial.draft.clone();

    view! {
        <div class="set-editor" data-testid="set-editor">
            <div class="editor-head">
                <h1>{move || { let t = settings.get().title; if t.trim().is_empty() { "Untitled set".to_owned() } else { t } }}</h1>
                <span class="save-state" data-testid="set-save-state" aria-live="polite">{move || save_state.get().label()}</span>
            </div>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <p class="set-summary" data-testid="set-summary">{summary}</p>
            {settings_panel(settings, start, changed)}

            <section class="panel" aria-labelledby="set-questions-heading">
                <h2 id="set-questions-heading">"Questions"</h2>
                <p class="sr-only" aria-live="polite">{move || announce.get()}</p>
                {move || items.get().is_empty().then_some(view! {
                    <p class="muted" data-testid="set-empty">"No questions yet: add some from the list below."</p>
                })}
                <ol class="set-items" data-testid="set-items">
                    // Keyed by question: editing a row's time or moving a row
                    // keeps its elements (and the keyboard focus) in place.
                    <For each=move || items.get() key=|item| item.slug.clone() let:item>
                        {
                            item_row(item, items, dragging, announce, move_item, changed)
                        }
                    </For>
                </ol>
            </section>

            <Picker topics items on_add=move |item: SetItem| {
                let mut added = false;
                items.update(|l| {
                    if l.len() < SET_QUESTIONS_MAX && !l.iter().any(|x| x.slug == item.slug) {
                        l.push(item);
                        added = true;
                    }
                });
                if added {
                    announce.set(format!("Added as question {}.", items.get_untracked().len()));
                    changed();
                }
            }/>
        </div>
    }
}

/// Title, instructions, mode, time limits and the set's switches.
fn settings_panel(
    settings: RwSignal<SetDraft>,
    start: SetDraft,
    changed: impl Fn() + Copy + 'static,
) -> impl IntoView {
    view! {
        <section class="panel set-settings" aria-label="Settings">
            <label>"Title"
                <input type="text" name="title" required maxlength=TITLE_MAX.to_string()
                    prop:value=move || settings.get().title
                    on:input=move |ev| { let v = event_target_value(&ev); settings.update(|s| s.title = v); changed(); }/>
            </label>
            <label>{format!("Instructions to candidates (Markdown, up to {INSTRUCTIONS_MAX} characters)")}
                <textarea name="instructions" rows="4" maxlength=INSTRUCTIONS_MAX.to_string()
                    prop:value=move || settings.get().instructions
                    on:input=move |ev| { let v = event_target_value(&ev); settings.update(|s| s.instructions = v); changed(); }></textarea>
            </label>
            <fieldset>
                <legend>"Mode"</legend>
                <label class="check"><input type="radio" name="set-mode" value="interview"
                    checked=start.mode != Some(Mode::Practice)
                    on:change=move |_| { settings.update(|s| s.mode = Some(Mode::Interview)); changed(); }/>
                    <span><strong>"Interview"</strong>" — hard limits: at zero the answer is submitted."</span></label>
                <label class="check"><input type="radio" name="set-mode" value="practice"
                    checked=start.mode == Some(Mode::Practice)
                    on:change=move |_| { settings.update(|s| s.mode = Some(Mode::Practice)); changed(); }/>
                    <span><strong>"Practice"</strong>" — soft limits: overtime is noted, not enforced."</span></label>
            </fieldset>
            <div class="setup-numbers">
                <label>"Minutes per question " <span class="muted">"(blank = no limit; 1–60)"</span>
                    <input type="number" name="per_question_minutes" min="0" max="60" step="any"
                        value=secs_to_minutes(start.per_question_secs)
                        on:input=move |ev| { let v = minutes_to_secs(&event_target_value(&ev)); settings.update(|s| s.per_question_secs = v); changed(); }/>
                </label>
                <label>"Minutes for the whole set " <span class="muted">"(blank = no limit; up to 360)"</span>
                    <input type="number" name="total_minutes" min="0" max="360" step="any"
                        value=secs_to_minutes(start.total_secs)
                        on:input=move |ev| { let v = minutes_to_secs(&event_target_value(&ev)); settings.update(|s| s.total_secs = v); changed(); }/>
                </label>
            </div>
            <label class="check"><input type="checkbox" name="shuffle" checked=start.shuffle
                on:change=move |ev| { let on = event_target_checked(&ev); settings.update(|s| s.shuffle = on); changed(); }/>
                " Shuffle the order for each candidate"</label>
            <label class="check"><input type="checkbox" name="hide_reference" checked=start.hide_reference
                on:change=move |ev| { let on = event_target_checked(&ev); settings.update(|s| s.hide_reference = on); changed(); }/>
                " Hide reference answers and key points from candidates (they grade themselves by their own judgement)"</label>
            <label class="check"><input type="checkbox" name="share_feedback" checked=start.share_feedback
                on:change=move |ev| { let on = event_target_checked(&ev); settings.update(|s| s.share_feedback = on); changed(); }/>
                " Share your grades and comments with each candidate once you have reviewed an answer"</label>
        </section>
    }
}

/// One question of the set: drag to move, or the arrow buttons; its own
/// time limit; remove.
fn item_row(
    item: SetItem,
    items: RwSignal<Vec<SetItem>>,
    dragging: StoredValue<Option<usize>>,
    announce: RwSignal<String>,
    move_item: impl Fn(usize, usize, Option<String>) + Copy + 'static,
    changed: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let slug = item.slug.clone();
    let index = {
        let slug = slug.clone();
        Memo::new(move |_| {
            items
                .with(|l| l.iter().position(|x| x.slug == slug))
                .unwrap_or(0)
        })
    };
    let count = move || items.with(Vec::len);
    let time = secs_to_minutes(item.per_question_secs);
    let (up_id, down_id) = (format!("up-{slug}"), format!("down-{slug}"));
    view! {
        <li class="set-item" draggable="true"
            on:dragstart=move |ev: leptos::ev::DragEvent| {
                dragging.set_value(Some(index.get()));
                // Some browsers start a drag only with data set.
                #[cfg(feature = "hydrate")]
                if let Some(dt) = ev.data_transfer() {
                    let _ = dt.set_data("text/plain", &index.get().to_string());
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = ev;
            }
            on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                if let Some(from) = dragging.get_value() {
                    move_item(from, index.get(), None);
                }
                dragging.set_value(None);
            }>
            <span class="drag-handle" aria-hidden="true">"⋮⋮"</span>
            <span class="item-number">{move || format!("{}.", index.get() + 1)}</span>
            <span class="item-prompt">{item.prompt.clone()}</span>
            <span class="tags">
                <span class=format!("tag level-{}", item.level.as_str())>{item.level.label()}</span>
                <span class="tag">{item.topic_name.clone()}</span>
                {(item.source == Source::Own).then_some(view! { <span class="tag own">"yours"</span> })}
            </span>
            <label class="item-time">"Minutes"
                <input type="number" min="0" max="60" step="any" placeholder="default"
                    aria-label=move || format!("Minutes for question {}", index.get() + 1) value=time
                    on:change=move |ev| {
                        let v = minutes_to_secs(&event_target_value(&ev));
                        let i = index.get();
                        items.update(|l| if let Some(x) = l.get_mut(i) { x.per_question_secs = v; });
                        changed();
                    }/>
            </label>
            <span class="item-actions">
                <button type="button" class="link-button" id=up_id.clone() disabled=move || { index.get() == 0 }
                    aria-label=move || format!("Move question {} up", index.get() + 1)
                    on:click={ let up_id = up_id.clone(); move |_| { let i = index.get(); move_item(i, i.saturating_sub(1), Some(up_id.clone())); } }>"↑"</button>
                <button type="button" class="link-button" id=down_id.clone() disabled=move || { index.get() + 1 >= count() }
                    aria-label=move || format!("Move question {} down", index.get() + 1)
                    on:click={ let down_id = down_id.clone(); move |_| { let i = index.get(); move_item(i, i + 1, Some(down_id.clone())); } }>"↓"</button>
                <button type="button" class="link-button"
                    aria-label=move || format!("Remove question {}", index.get() + 1)
                    on:click=move |_| { let i = index.get(); items.update(|l| { if i < l.len() { l.remove(i); } }); announce.set("Removed.".into()); changed(); }>"Remove"</button>
            </span>
        </li>
    }
}

/// Search the bank and the recruiter's own questions, add with one click.
#[component]
fn Picker(
    topics: Vec<TopicInfo>,
    items: RwSignal<Vec<SetItem>>,
    on_add: impl Fn(SetItem) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let filter = RwSignal::new(QuestionFilter::default());
    let results = RwSignal::new(None::<Result<QuestionList, AppError>>);
    let search = move || {
        let f = filter.get_untracked();
        leptos::task::spawn_local(async move {
            let found = pick_questions(f.clone()).await;
            // Only the newest search's answer is shown.
            if filter.get_untracked() == f {
                results.set(Some(found));
            }
        });
    };
    let soon = super::debounce::debounced(std::time::Duration::from_millis(250), search);
    // The first list, once the page is live.
    Effect::new(move |_| search());
    let own_slug = |slug: &str| slug.starts_with("own-");
    view! {
        <section class="panel picker" aria-labelledby="picker-heading">
            <h2 id="picker-heading">"Add questions"</h2>
            <div class="picker-filters" role="search">
                <label>"Search"
                    <input type="search" name="picker-q" autocomplete="off" placeholder="e.g. idempotency"
                        on:input=move |ev| { let v = event_target_value(&ev); filter.update(|f| { f.q = v; f.page = 0; }); soon(); }/>
                </label>
                <label>"Level"
                    <select name="picker-level" on:change=move |ev| {
                        let v = Level::parse(&event_target_value(&ev));
                        filter.update(|f| { f.levels = v.into_iter().collect(); f.page = 0; });
                        search();
                    }>
                        <option value="">"All levels"</option>
                        {Level::ALL.into_iter().map(|l| view! { <option value=l.as_str()>{l.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label>"Topic"
                    <select name="picker-topic" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        filter.update(|f| { f.topics = if v.is_empty() { vec![] } else { vec![v] }; f.page = 0; });
                        search();
                    }>
                        <option value="">"All topics"</option>
                        {topics.into_iter().map(|t| view! { <option value=t.slug>{t.name}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            {move || match results.get() {
                None => view! { <p class="muted">"Loading questions…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                Some(Ok(list)) if list.items.is_empty() => view! {
                    <p class="muted" data-testid="picker-empty">"Nothing matches. Try fewer words, or another level or topic."</p>
                }.into_any(),
                Some(Ok(list)) => {
                    let pages = list.page_count();
                    let page = list.page;
                    view! {
                        <p class="muted" data-testid="picker-count">{format!("{} question{}", list.total, if list.total == 1 { "" } else { "s" })}</p>
                        <ul class="picker-results" data-testid="picker-results">
                            {list.items.into_iter().map(|q| {
                                let slug = q.slug.clone();
                                let in_set = move || items.get().iter().any(|i| i.slug == slug);
                                let item = SetItem {
                                    slug: q.slug.clone(),
                                    prompt: crate::components::markdown::split_matches(&q.prompt)
                                        .into_iter().map(|(_, p)| p).collect(),
                                    level: q.level,
                                    topic_name: q.topic_name.clone(),
                                    source: if own_slug(&q.slug) { Source::Own } else { Source::Bank },
                                    per_question_secs: None,
                                };
                                let label = format!("Add: {}", item.prompt);
                                view! {
                                    <li class="picker-row">
                                        <span class="item-prompt"><Highlighted text=q.prompt.clone()/></span>
                                        <span class="tags">
                                            <span class=format!("tag level-{}", q.level.as_str())>{q.level.label()}</span>
                                            <span class="tag">{q.topic_name.clone()}</span>
                                            {own_slug(&q.slug).then_some(view! { <span class="tag own">"yours"</span> })}
                                        </span>
                                        {move || if in_set() {
                                            view! { <span class="muted in-set">"In the set"</span> }.into_any()
                                        } else {
                                            let item = item.clone();
                                            view! { <button type="button" class="button" aria-label=label.clone()
                                                on:click=move |_| on_add(item.clone())>"Add"</button> }.into_any()
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {(pages > 1).then(|| view! {
                            <nav class="pagination" aria-label="Picker pages">
                                <button type="button" class="link-button" disabled={page == 0}
                                    on:click=move |_| { filter.update(|f| f.page = f.page.saturating_sub(1)); search(); }>"← Previous"</button>
                                <span>{format!("Page {} of {pages}", page + 1)}</span>
                                <button type="button" class="link-button" disabled={page + 1 >= pages}
                                    on:click=move |_| { filter.update(|f| f.page += 1); search(); }>"Next →"</button>
                            </nav>
                        })}
                    }.into_any()
                }
            }}
        </section>
    }
}
