//! `/questions`: the bank, filtered by level and topic and searched by text.
//! A plain GET form drives it, so it works without JavaScript and every view
//! has a URL; `page.js` applies checkbox changes at once (no WASM here).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::error::ErrorPanel;
use crate::components::markdown::Highlighted;
use crate::questions::{api::list_questions, types::*};

/// The filter in the current URL.
pub fn filter_from_url() -> QuestionFilter {
    let query = use_query_map().get_untracked();
    let pairs: Vec<(String, String)> = ["level", "topic", "q", "page"]
        .iter()
        .flat_map(|key| {
            query
                .get_all(key)
                .unwrap_or_default()
                .into_iter()
                .map(move |v| ((*key).to_owned(), v))
        })
        .collect();
    QuestionFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

#[component]
pub fn QuestionsPage() -> impl IntoView {
    let filter = filter_from_url();
    view! {
        <Title text="Question bank"/>
        {move || {
            let filter = filter.clone();
            Suspend::new(async move {
                match list_questions(filter.clone()).await {
                    Ok(list) => {
                        // The public bank: the same until the server restarts.
                        // (This asks only for someone logged in: a visitor's
                        // copy is kept by the page cache in any case.)
                        super::keep::keep_until(i64::MAX);
                        view! { <QuestionBrowser filter list/> }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })
        }}
    }
}

#[component]
fn QuestionBrowser(filter: QuestionFilter, list: QuestionList) -> impl IntoView {
    let query = filter.to_query();
    let summary = if filter.is_empty() {
        format!("{} questions", list.total)
    } else {
        format!("{} matching questions", list.total)
    };
    let q = filter.q.clone();
    let level_checks = list
        .level_counts
        .iter()
        .map(|(level, count)| {
            view! {
                <label class="check">
                    <input type="checkbox" name="level" value=level.as_str()
                        checked=filter.levels.contains(level)/>
                    <span>{level.label()}</span>
                    <span class="count">{*count}</span>
                </label>
            }
        })
        .collect_view();
    let topic_checks = list
        .topic_counts
        .iter()
        .map(|t| {
            view! {
                <label class="check">
                    <input type="checkbox" name="topic" value=t.slug.clone()
                        checked=filter.topics.contains(&t.slug)/>
                    <span>{t.name.clone()}</span>
                    <span class="count">{t.count}</span>
                </label>
            }
        })
        .collect_view();
    let results = if list.items.is_empty() {
        empty_state(&filter).into_any()
    } else {
        view! {
            <ol class="question-list">
                {list.items.iter().map(|q| {
                    let href = if query.is_empty() {
                        format!("/questions/{}", q.slug)
                    } else {
                        format!("/questions/{}?{query}", q.slug)
                    };
                    question_row(q, href)
                }).collect_view()}
            </ol>
            {pagination(&filter, &list)}
        }
        .into_any()
    };
    view! {
        <div class="bank-layout">
            <div class="auto-apply">
                <form class="filters panel" method="get" action="/questions" role="search" aria-label="Filter questions">
                    <label class="search-label" for="q">"Search"</label>
                    <div class="search-row">
                        <input id="q" name="q" type="search" value=q maxlength=MAX_QUERY_CHARS.to_string()
                            placeholder="e.g. cache invalidation" autocomplete="off"/>
                        <button type="submit" class="button primary">"Search"</button>
                    </div>
                    <fieldset>
                        <legend>"Level"</legend>
                        {level_checks}
                    </fieldset>
                    <fieldset>
                        <legend>"Topic"</legend>
                        {topic_checks}
                    </fieldset>
                    <p class="filter-actions">
                        <noscript><button type="submit" class="button">"Apply filters"</button></noscript>
                        <a href="/questions">"Clear all"</a>
                    </p>
                </form>
            </div>
            <section class="results" aria-labelledby="results-heading">
                <h1 id="results-heading">"Question bank"</h1>
                <p class="muted" data-testid="result-count" aria-live="polite">{summary}</p>
                {results}
            </section>
        </div>
    }
}

/// One row of a question list (the bank, or a recruiter's own questions),
/// with its search matches highlighted.
pub fn question_row(q: &QuestionSummary, href: String) -> impl IntoView {
    view! {
        <li class="question-row">
            <a href=href class="question-link"><Highlighted text=q.prompt.clone()/></a>
            <p class="tags">
                <span class=format!("tag level-{}", q.level.as_str())>{q.level.label()}</span>
                <span class="tag">{q.topic_name.clone()}</span>
            </p>
            {q.snippet.clone().filter(|s| s.contains(crate::components::markdown::MATCH_START))
                .map(|s| view! { <p class="snippet"><Highlighted text=s/></p> })}
        </li>
    }
}

fn empty_state(filter: &QuestionFilter) -> impl IntoView {
    let mut tips = Vec::new();
    if !filter.q.is_empty() {
        tips.push("Try fewer or shorter words: the search matches word beginnings, so \"idem\" finds \"idempotency\".");
    }
    if !filter.levels.is_empty() || !filter.topics.is_empty() {
        tips.push("Untick a level or topic: the counts beside each one show what it would add.");
    }
    view! {
        <div class="empty-state panel" data-testid="empty-results">
            <h2>"No questions match"</h2>
            <ul>{tips.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
            <p><a href="/questions">"Show every question"</a></p>
        </div>
    }
}

fn pagination(filter: &QuestionFilter, list: &QuestionList) -> impl IntoView {
    let pages = list.page_count();
    let page = list.page;
    let link = |p: u32| {
        let q = filter.with_page(p).to_query();
        if q.is_empty() {
            "/questions".to_owned()
        } else {
            format!("/questions?{q}")
        }
    };
    (pages > 1).then(|| view! {
        <nav class="pagination" aria-label="Pages">
            {(page > 0).then(|| view! { <a rel="prev" href=link(page - 1)>"← Previous"</a> })}
            <span>{format!("Page {} of {pages}", page + 1)}</span>
            {(page + 1 < pages).then(|| view! { <a rel="next" href=link(page + 1)>"Next →"</a> })}
        </nav>
    })
}
