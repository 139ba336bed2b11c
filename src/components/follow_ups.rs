//! What comes after the reveal: the mistakes candidates commonly make on a
//! question, and the questions an interviewer asks next, each with its
//! model answer behind its own reveal.

use leptos::prelude::*;

use super::markdown::SanitizedHtml;
use crate::questions::types::FollowUp;

pub fn after_reveal(mistakes: Vec<String>, follow_ups: Vec<FollowUp>) -> impl IntoView {
    view! {
        {(!mistakes.is_empty()).then(|| view! {
            <section class="mistakes" data-testid="mistakes">
                <h3>"Common mistakes"</h3>
                <ul>{mistakes.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
            </section>
        })}
        {(!follow_ups.is_empty()).then(|| view! {
            <section class="follow-ups" data-testid="follow-ups">
                <h3>"The interviewer asks next…"</h3>
                <ol>
                    {follow_ups.into_iter().map(|f| view! {
                        <li>
                            <p class="follow-up-prompt">{f.prompt}</p>
                            <details class="model-answer">
                                <summary>"Reveal a model answer"</summary>
                                <SanitizedHtml html=f.answer_html/>
                            </details>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        })}
    }
}
