//! `/questions/:slug`: one question, its answer behind a reveal, and links
//! to its neighbours in the list the reader came from.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{error::ErrorPanel, questions::filter_from_url};
use crate::components::markdown::SanitizedHtml;
use crate::components::session_setup::PractiseThis;
use crate::questions::{api::get_question, types::*};

#[component]
pub fn QuestionPage() -> impl IntoView {
    let slug = use_params_map()
        .get_untracked()
        .get("slug")
        .unwrap_or_default();
    let filter = filter_from_url();
    view! {
        {move || {
            let (slug, filter) = (slug.clone(), filter.clone());
            Suspend::new(async move {
                match get_question(slug, filter.clone()).await {
                    Ok(q) => view! { <QuestionView q filter/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })
        }}
    }
}

#[component]
fn QuestionView(q: QuestionDetail, filter: QuestionFilter) -> impl IntoView {
    let query = filter.to_query();
    let with_query = move |path: String| {
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    };
    let back = with_query("/questions".to_owned());
    let prev = q
        .prev
        .clone()
        .map(|s| with_query(format!("/questions/{s}")));
    let next = q
        .next
        .clone()
        .map(|s| with_query(format!("/questions/{s}")));
    let answer_title = if q.topic.behavioral {
        "What a strong answer shows"
    } else {
        "Reference answer"
    };
    let reveal_label = if q.topic.behavioral {
        "Reveal guidance"
    } else {
        "Reveal answer"
    };
    view! {
        <Title text=q.prompt.clone()/>
        <nav class="crumbs" aria-label="Breadcrumb">
            <a href=back>"← Back to the list"</a>
            {q.position.map(|(n, total)| view! { <span class="muted">{format!("Question {n} of {total}")}</span> })}
        </nav>
        <article class="question panel">
            <p class="tags">
                <span class=format!("tag level-{}", q.level.as_str())>{q.level.label()}</span>
                <a class="tag" href=format!("/questions?topic={}", q.topic.slug)>{q.topic.name.clone()}</a>
                {q.archived.then(|| view! { <span class="tag archived">"Archived"</span> })}
            </p>
            <h1 class="prompt">{q.prompt.clone()}</h1>
            <p class="muted">"Think it through, or say your answer out loud, before you reveal."</p>
            {(!q.archived).then(|| view! { <p><PractiseThis slug=q.slug.clone()/></p> })}
            <details class="reveal" data-testid="reveal">
                <summary>{reveal_label}</summary>
                <section aria-label=answer_title>
                    <h2>{answer_title}</h2>
                    <SanitizedHtml html=q.answer_html.clone()/>
                    <h3>"Key points"</h3>
                    <ul class="key-points">
                        {q.key_points.iter().map(|k| view! { <li>{k.clone()}</li> }).collect_view()}
                    </ul>
                </section>
            </details>
        </article>
        <nav class="pager" aria-label="Neighbouring questions">
            {prev.map(|href| view! { <a rel="prev" class="button" href=href>"← Previous question"</a> })}
            {next.map(|href| view! { <a rel="next" class="button" href=href>"Next question →"</a> })}
        </nav>
    }
}
