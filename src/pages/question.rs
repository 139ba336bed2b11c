//! `/questions/:slug`: one question, its answer behind a reveal, and links
//! to its neighbours in the list the reader came from.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{error::ErrorPanel, questions::filter_from_url};
use crate::components::markdown::SanitizedHtml;
use crate::components::session_setup::PractiseThis;
use crate::components::spaced_review::CardControls;
use crate::grading::api::get_card_status;
use crate::history::{api::past_answers, types::*};
use crate::questions::{api::get_question, types::*};
use crate::sessions::types::{format_duration, grade_label};

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
                match get_question(slug.clone(), filter.clone()).await {
                    Ok(q) => {
                        let card = get_card_status(slug.clone()).await.ok().flatten();
                        let past = past_answers(slug).await.unwrap_or_default();
                        // A review card's recall estimate and "due in n days"
                        // move with the clock: a copy with one lasts minutes.
                        if card.is_some() {
                            super::keep::keep_for(5 * 60 * 1000);
                        } else {
                            super::keep::keep_until(i64::MAX);
                        }
                        let schedule = card.filter(|_| !q.archived).map(|status| view! {
                            <section class="panel" data-testid="schedule">
                                <h2>"Your review schedule"</h2>
                                <CardControls slug=q.slug.clone() status/>
                            </section>
                        });
                        view! { <QuestionView q filter/> {schedule} {past_answers_view(past)} }.into_any()
                    }
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
            {(!q.archived).then(|| view! { <PractiseThis slug=q.slug.clone()/> })}
            <details class="reveal" data-testid="reveal">
                <summary>{reveal_label}</summary>
                <section aria-label=answer_title>
                    <h2>{answer_title}</h2>
                    <SanitizedHtml html=q.answer_html.clone()/>
                    <h3>"Key points"</h3>
                    <ul class="key-points">
                        {q.key_points.iter().map(|k| view! { <li>{k.clone()}</li> }).collect_view()}
                    </ul>
                    {crate::components::follow_ups::after_reveal(q.mistakes.clone(), q.follow_ups.clone(), None)}
                </section>
            </details>
        </article>
        <nav class="pager" aria-label="Neighbouring questions">
            {prev.map(|href| view! { <a rel="prev" class="button" href=href>"← Previous question"</a> })}
            {next.map(|href| view! { <a rel="next" class="button" href=href>"Next question →"</a> })}
        </nav>
    }
}

/// The reader's earlier answers, newest first, each marked up against the
/// attempt before it.
fn past_answers_view(past: Vec<PastAnswer>) -> Option<impl IntoView> {
    (!past.is_empty()).then(|| {
        view! {
            <section class="panel past-answers" data-testid="past-answers">
                <h2>"Your earlier answers"</h2>
                <p class="muted">"Newest first. Each shows what changed since the attempt before it: "
                    <ins>"added"</ins>" and "<del>"removed"</del>"."</p>
                <ol class="attempts" reversed>
                    {past.into_iter().map(|a| {
                        let meta = format!(
                            "{} · {} · {}",
                            a.submitted_label,
                            a.grade.map_or("not graded".to_owned(), grade_label),
                            a.time_spent_ms.map_or("–".to_owned(), format_duration),
                        );
                        view! {
                            <li class="attempt">
                                <p class="muted">{meta}" · "<a href=format!("/history/{}", a.session_id)>"session"</a>
                                    {a.too_different.then_some(" · not marked up: too long or too different from the attempt before")}</p>
                                <pre class="your-answer diff">
                                    {a.diff.into_iter().map(|part| match part.kind {
                                        DiffKind::Same => view! { <span>{part.text}</span> }.into_any(),
                                        DiffKind::Added => view! { <ins>{part.text}</ins> }.into_any(),
                                        DiffKind::Removed => view! { <del>{part.text}</del> }.into_any(),
                                    }).collect_view()}
                                </pre>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </section>
        }
    })
}
