//! What comes after the reveal: the mistakes candidates commonly make on a
//! question, and the questions an interviewer asks next, each with its
//! model answer behind its own reveal. In a session each follow-up can be
//! added as the next question.

use leptos::prelude::*;

use super::markdown::SanitizedHtml;
use crate::questions::types::FollowUp;

/// `ask` is given in a session: it adds the follow-up with that index.
pub fn after_reveal(
    mistakes: Vec<String>,
    follow_ups: Vec<FollowUp>,
    ask: Option<Callback<usize>>,
) -> impl IntoView {
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
                    {follow_ups.into_iter().enumerate().map(|(i, f)| view! {
                        <li>
                            <p class="follow-up-prompt">{f.prompt}</p>
                            {ask.map(|ask| if f.asked {
                                view! { <p class="muted small" data-testid="follow-up-added">"Added: it comes right after this question."</p> }.into_any()
                            } else {
                                view! {
                                    <p><button type="button" class="button small" data-testid="ask-follow-up"
                                        on:click=move |_| ask.run(i)>"Answer it next"</button>
                                    <span class="muted small">" or reveal the model answer below to skip it"</span></p>
                                }.into_any()
                            })}
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
