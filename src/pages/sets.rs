//! The recruiter's workshop: `/sets` (their sets), `/sets/:id` (the set
//! editor), `/sets/questions` (their own questions, searched as the bank
//! is), `/sets/questions/new` and `/sets/questions/:slug` (the question
//! editor), and `/sets/import`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{
    error::ErrorPanel,
    login::redirect,
    questions::{filter_from_url, question_row},
};
use crate::components::set_editor::{
    ArchiveQuestionButton, ImportForm, NewSetForm, QuestionEditor, SetActions, SetEditor,
};
use crate::components::share_links::ShareLinks;
use crate::error::AppError;
use crate::questions::api::list_topics;
use crate::questions::types::{QuestionFilter, QuestionList, MAX_QUERY_CHARS};
use crate::sessions::types::format_duration;
use crate::sets::api::{
    all_own_questions, get_own_question, get_set, list_sets, search_own_questions, set_activity,
};
use crate::sets::types::*;
use crate::sharing::api::list_links;

/// What a person who may not use these pages sees instead.
fn refused(error: AppError, here: &str) -> AnyView {
    match error {
        AppError::Unauthorized => {
            let to = crate::accounts::types::login_href(here);
            redirect(&to);
            view! { <p>"Please "<a href=to>"log in"</a>" as a recruiter."</p> }.into_any()
        }
        AppError::Forbidden => {
            super::error::set_status(AppError::Forbidden.status_code());
            view! {
                <Title text="For recruiters"/>
                <section class="panel empty-state" role="alert" data-testid="sets-forbidden">
                    <h1>"Question sets are for recruiters"</h1>
                    <p class="lead">"Recruiters build question sets from the bank and their own questions, and share them with candidates."</p>
                    <p>"Your account is a candidate account. To practise, "<a href="/practice/new">"start a session"</a>
                       " or browse "<a href="/questions">"the question bank"</a>"."</p>
                </section>
            }
            .into_any()
        }
        error => view! { <ErrorPanel error/> }.into_any(),
    }
}

fn time_label(secs: Option<u32>) -> String {
    secs.map_or("untimed".to_owned(), |s| {
        format_duration(i64::from(s) * 1000)
    })
}

fn export_links(base: String) -> impl IntoView {
    view! {
        <p class="export-links">"Download: "
            <a href=format!("{base}/json") download>"JSON"</a>" · "
            <a href=format!("{base}/csv") download>"CSV"</a>" · "
            <a href=format!("{base}/md") download>"Markdown"</a>
        </p>
    }
}

#[component]
pub fn SetsPage() -> impl IntoView {
    view! {
        <Title text="Question sets"/>
        {move || Suspend::new(async move {
            match list_sets().await {
                Ok(sets) => sets_view(sets).into_any(),
                Err(error) => refused(error, "/sets"),
            }
        })}
    }
}

fn sets_view(sets: Vec<SetSummary>) -> impl IntoView {
    let rows = sets
        .into_iter()
        .map(|s| {
            let href = format!("/sets/{}", s.id);
            view! {
                <tr class:archived=s.archived>
                    <th scope="row">
                        <a href=href>{s.title.clone()}</a>
                        {s.archived.then_some(view! { " " <span class="tag">"archived"</span> })}
                        {s.owner.clone().map(|o| view! { <span class="muted">{format!(" · {o}")}</span> })}
                    </th>
                    <td class="num">{s.questions}</td>
                    <td>{time_label(s.total_secs)}</td>
                    <td class="num">{s.candidates}</td>
                    <td>{s.updated_label.clone()}</td>
                    <td>{s.owner.is_none().then(|| view! { <SetActions id=s.id.clone() archived=s.archived/> })}</td>
                </tr>
            }
        })
        .collect_view();
    let empty = rows.is_empty();
    view! {
        <div class="page-head">
            <h1>"Question sets"</h1>
            <p class="page-actions">
                <a class="button" href="/sets/questions">"Your questions"</a>
                <a class="button" href="/sets/import">"Import"</a>
            </p>
        </div>
        <section class="panel">
            <h2>"New set"</h2>
            <NewSetForm/>
        </section>
        {if empty {
            view! {
                <section class="panel empty-state" data-testid="sets-empty">
                    <h2>"No sets yet"</h2>
                    <p>"Give a new set a title above, then add questions from the bank or write your own."</p>
                </section>
            }.into_any()
        } else {
            view! {
                <table class="data-table sets-table" data-testid="sets-table">
                    <caption class="sr-only">"Your question sets"</caption>
                    <thead><tr>
                        <th scope="col">"Set"</th><th scope="col">"Questions"</th><th scope="col">"Time"</th>
                        <th scope="col">"Candidates"</th><th scope="col">"Last change"</th><th scope="col"><span class="sr-only">"Actions"</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }.into_any()
        }}
    }
}

#[component]
pub fn SetEditorPage() -> impl IntoView {
    let id = use_params_map()
        .get_untracked()
        .get("id")
        .unwrap_or_default();
    view! {
        <Title text="Edit set"/>
        {move || {
            let id = id.clone();
            Suspend::new(async move {
                let here = format!("/sets/{id}");
                let detail = match get_set(id).await {
                    Ok(d) => d,
                    Err(error) => return refused(error, &here),
                };
                let topics = list_topics().await.unwrap_or_default();
                let exports = export_links(format!("{here}/export"));
                let results = format!("{here}/results");
                if detail.read_only {
                    return view! {
                        {read_only_set(detail)}
                        <p><a class="button" href=results>"Results"</a></p>
                    }
                    .into_any();
                }
                let links = list_links(detail.id.clone()).await.unwrap_or_default();
                let activity = set_activity(detail.id.clone()).await.unwrap_or_default();
                let set_id = detail.id.clone();
                view! {
                    <p class="breadcrumb"><a href="/sets">"← Question sets"</a></p>
                    <SetEditor initial=detail topics/>
                    <section class="panel" aria-labelledby="share-heading">
                        <div class="page-head">
                            <h2 id="share-heading">"Share with candidates"</h2>
                            <a class="button" href=results data-testid="results-link">"Results"</a>
                        </div>
                        <ShareLinks set_id initial=links/>
                    </section>
                    <section class="panel">
                        <h2>"Export"</h2>
                        {exports}
                    </section>
                    <section class="panel" data-testid="set-activity">
                        <h2>"Activity"</h2>
                        {super::team::activity_list(activity, false)}
                    </section>
                }
                .into_any()
            })
        }}
    }
}

/// An admin's view of someone else's set: everything, nothing to change.
fn read_only_set(d: SetDetail) -> impl IntoView {
    let levels: Vec<_> = d.items.iter().map(|i| i.level).collect();
    let per_item: Vec<Option<u32>> = d.items.iter().map(|i| i.per_question_secs).collect();
    let time = set_time_secs(d.draft.per_question_secs, d.draft.total_secs, &per_item);
    view! {
        <p class="breadcrumb"><a href="/sets">"← Question sets"</a></p>
        <h1>{d.draft.title.clone()}</h1>
        <p class="notice" role="status">{format!("{}'s set, shown read-only.", d.owner)}</p>
        <p data-testid="set-summary">{summary_line(&levels, time)}</p>
        <ol class="set-items">
            {d.items.into_iter().map(|i| view! {
                <li><span>{i.prompt}</span>" "<span class=format!("tag level-{}", i.level.as_str())>{i.level.label()}</span></li>
            }).collect_view()}
        </ol>
    }
}

#[component]
pub fn OwnQuestionsPage() -> impl IntoView {
    let filter = filter_from_url();
    view! {
        <Title text="Your questions"/>
        {move || {
            let filter = filter.clone();
            Suspend::new(async move {
                let list = match search_own_questions(filter.clone()).await {
                    Ok(list) => list,
                    Err(error) => return refused(error, "/sets/questions"),
                };
                let archived: Vec<OwnQuestion> = all_own_questions()
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|q| q.archived)
                    .collect();
                own_questions_view(filter, list, archived).into_any()
            })
        }}
    }
}

fn own_questions_view(
    filter: QuestionFilter,
    list: QuestionList,
    archived: Vec<OwnQuestion>,
) -> impl IntoView {
    let searching = !filter.is_empty();
    let rows = list
        .items
        .iter()
        .map(|q| question_row(q, format!("/sets/questions/{}", q.slug)))
        .collect_view();
    let none = list.items.is_empty();
    view! {
        <p class="breadcrumb"><a href="/sets">"← Question sets"</a></p>
        <div class="page-head">
            <h1>"Your questions"</h1>
            <p class="page-actions">
                <a class="button primary" href="/sets/questions/new">"New question"</a>
                <a class="button" href="/sets/import">"Import"</a>
            </p>
        </div>
        <p class="muted">"Only you see these. Use them in your sets beside questions from the bank."</p>
        <form class="panel own-search" method="get" action="/sets/questions" role="search" aria-label="Search your questions">
            <label for="q">"Search"</label>
            <div class="search-row">
                <input id="q" name="q" type="search" value=filter.q.clone() maxlength=MAX_QUERY_CHARS.to_string() autocomplete="off"/>
                <button type="submit" class="button">"Search"</button>
            </div>
        </form>
        <p class="muted" data-testid="own-count" aria-live="polite">
            {format!("{} question{}{}", list.total, if list.total == 1 { "" } else { "s" }, if searching { " match" } else { "" })}
        </p>
        {if none {
            view! {
                <section class="panel empty-state" data-testid="own-empty">
                    {if searching {
                        view! { <p>"No question of yours matches. "<a href="/sets/questions">"Show them all"</a></p> }.into_any()
                    } else {
                        view! { <p>"You haven't written a question yet. "<a href="/sets/questions/new">"Write the first one"</a>" or "<a href="/sets/import">"import a file"</a>"."</p> }.into_any()
                    }}
                </section>
            }.into_any()
        } else {
            view! { <ol class="question-list" data-testid="own-list">{rows}</ol> }.into_any()
        }}
        {(!archived.is_empty()).then(|| view! {
            <section class="panel">
                <h2>"Archived"</h2>
                <p class="muted">"Archived questions stay in the sets and answers that use them, but aren't offered for new sets."</p>
                <ul class="archived-list">
                    {archived.into_iter().map(|q| view! {
                        <li><a href=format!("/sets/questions/{}", q.slug)>{q.input.prompt.clone()}</a>" "
                            <ArchiveQuestionButton slug=q.slug.clone() archived=true/></li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="panel">
            <h2>"Export all your questions"</h2>
            {export_links("/sets/questions/export".to_owned())}
        </section>
    }
}

#[component]
pub fn QuestionEditorPage() -> impl IntoView {
    let slug = use_params_map()
        .get_untracked()
        .get("slug")
        .unwrap_or_default();
    view! {
        <Title text=if slug.is_empty() { "New question" } else { "Edit question" }/>
        {move || {
            let slug = slug.clone();
            Suspend::new(async move {
                let here = if slug.is_empty() { "/sets/questions/new".to_owned() } else { format!("/sets/questions/{slug}") };
                let existing = if slug.is_empty() {
                    // Asking for the list checks the caller may write questions.
                    match all_own_questions().await {
                        Ok(_) => None,
                        Err(error) => return refused(error, &here),
                    }
                } else {
                    match get_own_question(slug.clone()).await {
                        Ok(q) => Some(q),
                        Err(error) => return refused(error, &here),
                    }
                };
                let topics = list_topics().await.unwrap_or_default();
                view! {
                    <p class="breadcrumb"><a href="/sets/questions">"← Your questions"</a></p>
                    <h1>{if existing.is_some() { "Edit question" } else { "New question" }}</h1>
                    {existing.as_ref().filter(|q| q.used_in_sets > 0).map(|q| view! {
                        <p class="notice" role="status">{format!(
                            "Used in {} set{}. Saving makes a new version: candidates who already answered keep the version they saw.",
                            q.used_in_sets, if q.used_in_sets == 1 { "" } else { "s" })}</p>
                    })}
                    {existing.as_ref().map(|q| view! {
                        <p class="page-actions">
                            <ArchiveQuestionButton slug=q.slug.clone() archived=q.archived/>
                        </p>
                    })}
                    <QuestionEditor existing topics/>
                }
                .into_any()
            })
        }}
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    view! {
        <Title text="Import questions"/>
        {move || Suspend::new(async move {
            if let Err(error) = list_sets().await {
                return refused(error, "/sets/import");
            }
            view! {
                <p class="breadcrumb"><a href="/sets">"← Question sets"</a></p>
                <h1>"Import questions"</h1>
                <p class="lead">"Bring in a set exported from Rehearse (JSON), or questions from a spreadsheet (CSV). You see what will be created before anything is saved, and a file with any problem saves nothing."</p>
                <details class="panel">
                    <summary>"What the files look like"</summary>
                    <p><strong>"CSV"</strong>": a header row "<code>"prompt,level,topic,answer,key_points"</code>
                       " (optionally "<code>"reviewer_note,per_question_secs"</code>"), then one question a row. "
                       "Levels are beginner, intermediate or advanced; topics are the bank's topic names in the URL form (for example "<code>"databases"</code>"); key points are separated by "<code>"|"</code>"."</p>
                    <p><strong>"JSON"</strong>": the file a set's JSON download gives ("<code>"\"format\": \"rehearse-set\""</code>", version 1). Bank questions in it are used as they are; your own are created as new questions."</p>
                    <p>{format!("At most {} MB and {} questions a file.", 2, 500)}</p>
                </details>
                <ImportForm/>
            }
            .into_any()
        })}
    }
}
