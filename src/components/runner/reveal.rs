//! The reveal step: the answer as submitted, then the reference, the
//! key points to tick, the common mistakes and follow-ups, the grade, a
//! flag and a note, and on to the next question.

use leptos::prelude::*;

use crate::components::hydration::{live, textarea_text};

use super::Runner;
use crate::sessions::timer::suggested_grade;
use crate::sessions::types::*;

pub(super) fn view(r: Runner) -> impl IntoView {
    let live = live();
    let s = r.state.get();
    let reveal = s.reveal.clone();
    // A shared set may keep its reference answers to itself: the candidate
    // grades by their own judgement.
    let hidden = reveal.is_none();
    let total = reveal.as_ref().map_or(0, |r| r.key_points.len());
    view! {
        <section class="review" aria-label="Review your answer">
            {s.timed_out.then(|| view! { <p class="badge over" data-testid="timed-out">"Time ran out: your last saved draft was submitted."</p> })}
            {(s.overtime_ms > 0).then(|| view! { <p class="badge warn">{format!("Submitted {} over the limit.", format_duration(s.overtime_ms))}</p> })}
            <h2>"Your answer"</h2>
            {if s.text.trim().is_empty() {
                view! { <p class="your-answer" data-testid="your-answer">"(nothing written)"</p> }.into_any()
            } else {
                // Rendered and sanitized on the server, code blocks kept.
                view! { <div class="your-answer markdown" data-testid="your-answer" inner_html=s.answer_html.clone()></div> }.into_any()
            }}
            {move || if r.revealed.get() || hidden {
                let reveal = reveal.clone();
                view! {
                    <div class="reference" data-testid=if hidden { "self-grade" } else { "reference" }>
                        {hidden.then_some(view! { <p class="muted" data-testid="reference-hidden">"This interview keeps its reference answers private: grade your answer by your own judgement."</p> })}
                        {reveal.map(|reveal| reference(r, reveal, s.shared))}
                        {grade_picker(r, hidden, total)}
                        <label class="check"><input type="checkbox" prop:checked=move || r.flagged.get()
                            on:change=move |ev| r.flagged.set(event_target_checked(&ev))/>" Flag this question to come back to it"</label>
                        <label class="note-field">"Note (optional)"
                            <textarea rows="2" maxlength=MAX_NOTE_CHARS.to_string() prop:value=move || r.note.get()
                                readonly=move || !live.get()
                                on:input=move |ev| r.note.set(event_target_value(&ev))>{textarea_text(&r.note.get_untracked())}</textarea>
                        </label>
                        <button type="button" class="button primary" on:click=move |_| r.go_next()
                            disabled=move || r.busy.get()>
                            {move || if r.state.get().position + 1 >= r.state.get().count { "Finish" } else { "Next question" }}
                        </button>
                    </div>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="button primary" on:click=move |_| r.revealed.set(true)>"Reveal the reference answer"</button>
                }.into_any()
            }}
        </section>
    }
}

/// The reference answer, its key points to tick, the common mistakes and
/// the follow-ups (which a shared set's candidate is not offered to take).
fn reference(r: Runner, reveal: Reveal, shared: bool) -> impl IntoView {
    let total = reveal.key_points.len();
    view! {
        <h2>{if reveal.behavioral { "What a strong answer shows" } else { "Reference answer" }}</h2>
        <div class="markdown" inner_html=reveal.answer_html.clone()></div>
        {(total > 0).then(|| view! {
            <fieldset class="key-point-ticks">
                <legend>"Tick the key points your answer covered"</legend>
                {reveal.key_points.clone().into_iter().enumerate().map(|(i, point)| {
                    let i = i as u32;
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || r.ticked.get().contains(&i)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    r.ticked.update(|t| { t.retain(|x| *x != i); if on { t.push(i); } });
                                }/>
                            <span>{point}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
        })}
        {super::super::follow_ups::after_reveal(
            reveal.mistakes,
            reveal.follow_ups,
            (!shared).then_some(Callback::new(move |index: usize| r.ask_follow_up(index))),
        )}
    }
}

/// The four grades (keys 1 to 4), with what the ticks suggest.
fn grade_picker(r: Runner, hidden: bool, total: usize) -> impl IntoView {
    view! {
        <fieldset class="grade-picker">
            <legend>"Your grade "
                {(!hidden && total > 0).then(|| view! {
                <span class="muted" data-testid="suggested">{move || {
                    let g = suggested_grade(r.ticked.get().len(), total);
                    format!("(your ticks suggest {})", grade_label(g))
                }}</span>
                })}
            </legend>
            {GRADES.iter().map(|(g, label, meaning)| {
                let g = *g;
                view! {
                    <label class="grade" title=*meaning>
                        <input type="radio" name="grade" value=g.to_string()
                            prop:checked=move || r.grade.get() == Some(g)
                            on:change=move |_| r.grade.set(Some(g))/>
                        <span class="grade-key">{g}</span>
                        <span class="grade-label">{*label}</span>
                        <span class="grade-meaning">{*meaning}</span>
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}
