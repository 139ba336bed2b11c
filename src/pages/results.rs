//! A candidate's landing page for a shared set (`/s/:code`), and the
//! recruiter's results (`/sets/:id/results`, `/sets/:id/results/:candidate`).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::error::{set_status, ErrorPanel};
use crate::components::markdown::SanitizedHtml;
use crate::components::marks::{AnswerMarks, MarkingKeys, PrintButton, RecommendationForm};
use crate::components::share_links::StartInterview;
use crate::dashboard::charts::self_vs_reviewer_chart;
use crate::error::AppError;
use crate::sessions::types::{format_duration, grade_label};
use crate::sets::api::get_set;
use crate::sharing::api::{get_candidate_report, link_landing, list_results, question_means};
use crate::sharing::types::*;

fn param(name: &str) -> String {
    use_params_map()
        .get_untracked()
        .get(name)
        .unwrap_or_default()
}

#[component]
pub fn SharePage() -> impl IntoView {
    let code = param("code");
    view! {
        {move || {
            let code = code.clone();
            Suspend::new(async move {
                match link_landing(code.clone()).await {
                    Ok(l) => landing_view(code, l).into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })
        }}
    }
}

fn landing_view(code: String, l: Landing) -> impl IntoView {
    let closed = l.status != LinkStatus::Open && l.resume.is_none();
    if closed {
        set_status(l.status.status_code());
    }
    view! {
        <Title text=l.title.clone()/>
        <section class="panel landing" data-testid="landing">
            <p class="muted">{format!("An interview from {}", l.owner)}</p>
            <h1>{l.title.clone()}</h1>
            {if closed {
                view! { <p class="notice" role="alert" data-testid="link-closed">{l.status.explanation()}</p> }.into_any()
            } else {
                view! {
                    {(!l.instructions_html.is_empty()).then(|| view! { <SanitizedHtml html=l.instructions_html.clone()/> })}
                    <h2>"How it works"</h2>
                    <p data-testid="rules">{l.rules.clone()}</p>
                    <p>"After each answer you see the reference answer, tick the key points you covered and grade yourself from 1 to 4."</p>
                    <p class="consent" data-testid="consent">{format!(
                        "By starting, you agree that your answers, times and grades are shared with {}, the hiring team that set this interview. Rehearse also notes how often and how long this tab is hidden, and the size of anything pasted into an answer: information for the interviewer, never a verdict.",
                        l.owner)}</p>
                    <StartInterview code account_name=l.account_name.clone() resume=l.resume.clone()/>
                }.into_any()
            }}
        </section>
    }
}

fn refused(error: AppError) -> AnyView {
    view! { <ErrorPanel error/> }.into_any()
}

/// Sort keys of the results table.
fn sort_rows(rows: &mut [ResultRow], key: &str, descending: bool) {
    match key {
        "name" => rows.sort_by_key(|r| r.name.to_lowercase()),
        "answered" => rows.sort_by_key(|r| r.answered),
        "self" => rows.sort_by_key(|r| r.self_score),
        "reviewer" => rows.sort_by_key(|r| r.reviewer_score),
        "time" => rows.sort_by_key(|r| r.time_used_ms),
        "hidden" => rows.sort_by_key(|r| r.hidden_ms),
        "pastes" => rows.sort_by_key(|r| r.paste_chars),
        "status" => rows.sort_by_key(|r| r.status as u8),
        _ => rows.sort_by_key(|r| r.started_at),
    }
    if descending {
        rows.reverse();
    }
}

#[component]
pub fn ResultsPage() -> impl IntoView {
    let id = param("id");
    let query = use_query_map().get_untracked();
    let sort = query.get("sort").unwrap_or_default();
    let desc = query.get("dir").as_deref() == Some("desc");
    let link = query.get("link").unwrap_or_default();
    let status = query.get("status").unwrap_or_default();
    view! {
        <Title text="Results"/>
        {move || {
            let (id, sort, link, status) = (id.clone(), sort.clone(), link.clone(), status.clone());
            Suspend::new(async move {
                let set = match get_set(id.clone()).await {
                    Ok(s) => s,
                    Err(e) => return refused(e),
                };
                let mut rows = match list_results(id.clone()).await {
                    Ok(r) => r,
                    Err(e) => return refused(e),
                };
                let labels: Vec<String> = {
                    let mut l: Vec<String> = rows.iter().map(|r| r.link_label.clone()).collect();
                    l.sort();
                    l.dedup();
                    l
                };
                rows.retain(|r| link.is_empty() || r.link_label == link);
                rows.retain(|r| status.is_empty() || r.status.label().replace(' ', "_") == status);
                sort_rows(&mut rows, &sort, desc);
                let per_question = question_means(id.clone()).await.unwrap_or_default();
                view! {
                    {results_view(id, set.draft.title, rows, labels, Order { sort, desc, link, status })}
                    {(!per_question.is_empty()).then(|| {
                        let rows: Vec<(String, Option<f64>, Option<f64>)> = per_question
                            .into_iter()
                            .enumerate()
                            .map(|(i, (prompt, own, theirs))| (format!("Q{} {prompt}", i + 1), own, theirs))
                            .collect();
                        self_vs_reviewer_chart("questions-self-vs-reviewer", "Self-grade against the reviewer's, per question", &rows)
                    })}
                }
                .into_any()
            })
        }}
    }
}

/// How the results table is sorted and filtered, from the address.
struct Order {
    sort: String,
    desc: bool,
    link: String,
    status: String,
}

fn results_view(
    id: String,
    title: String,
    rows: Vec<ResultRow>,
    labels: Vec<String>,
    order: Order,
) -> impl IntoView {
    let Order {
        sort,
        desc,
        link,
        status,
    } = order;
    let header = |key: &'static str, text: &'static str| {
        let next_desc = sort == key && !desc;
        let href = format!(
            "/sets/{id}/results?sort={key}{}{}{}",
            if next_desc { "&dir=desc" } else { "" },
            if link.is_empty() {
                String::new()
            } else {
                format!("&link={}", crate::questions::types::encode_component(&link))
            },
            if status.is_empty() {
                String::new()
            } else {
                format!("&status={status}")
            },
        );
        let aria = (sort == key).then_some(if desc { "descending" } else { "ascending" });
        view! { <th scope="col" aria-sort=aria><a href=href>{text}</a></th> }
    };
    let chart_rows: Vec<(String, Option<f64>, Option<f64>)> = rows
        .iter()
        .filter(|r| !r.deleted)
        .map(|r| {
            let g = |s: Option<i64>| s.map(|s| 1.0 + 3.0 * s as f64 / 100.0);
            (r.name.clone(), g(r.self_score), g(r.reviewer_score))
        })
        .collect();
    let body = rows
        .iter()
        .map(|r| {
            let href = format!("/sets/{id}/results/{}", r.attempt_id);
            view! {
                <tr>
                    <td>{(!r.deleted).then(|| view! {
                        <input type="checkbox" name="c" value=r.attempt_id.clone() form="compare-form"
                            aria-label=format!("Compare {}", r.name)/>
                    })}</td>
                    <th scope="row">{if r.deleted {
                        view! { <span class="muted">"Candidate deleted their data"</span> }.into_any()
                    } else {
                        view! { <a href=href>{r.name.clone()}</a> }.into_any()
                    }}</th>
                    <td>{r.link_label.clone()}</td>
                    <td>{r.started_label.clone()}</td>
                    <td>{if r.finished { "finished" } else { "in progress" }}</td>
                    <td class="num">{format!("{} / {}", r.answered, r.questions)}</td>
                    <td class="num">{r.self_score.map_or("–".to_owned(), |s| format!("{s}%"))}</td>
                    <td class="num">{r.reviewer_score.map_or("–".to_owned(), |s| format!("{s}%"))}</td>
                    <td class="num">{format_duration(r.time_used_ms)}</td>
                    <td class="num">{format!("{} / {}", r.timed_out, r.overtime)}</td>
                    <td class="num">{format!("{}× · {}", r.hidden_count, format_duration(r.hidden_ms))}</td>
                    <td class="num">{format!("{} · {} chars", r.paste_count, r.paste_chars)}</td>
                    <td>{r.status.label()}{r.recommendation.map(|x| format!(" · {}", x.as_str()))}</td>
                </tr>
            }
        })
        .collect_view();
    let empty = rows.is_empty();
    view! {
        <p class="breadcrumb"><a href=format!("/sets/{id}")>{format!("← {title}")}</a></p>
        <div class="page-head">
            <h1>"Results"</h1>
            <p class="page-actions">
                <a class="button" href=format!("/sets/{id}/results/export/summary") download>"Summary CSV"</a>
                <a class="button" href=format!("/sets/{id}/results/export/answers") download>"Answers CSV"</a>
            </p>
        </div>
        <form class="results-filter" method="get" action=format!("/sets/{id}/results") aria-label="Filter results">
            <label>"Link "
                <select name="link">
                    <option value="">"All links"</option>
                    {labels.into_iter().map(|l| { let selected = l == link; view! { <option value=l.clone() selected=selected>{if l.is_empty() { "(unlabelled)".to_owned() } else { l.clone() }}</option> } }).collect_view()}
                </select></label>
            <label>"Review "
                <select name="status">
                    <option value="">"Any"</option>
                    {[("new", "new"), ("in_review", "in review"), ("reviewed", "reviewed")].into_iter().map(|(v, t)| view! {
                        <option value=v selected=status == v>{t}</option>
                    }).collect_view()}
                </select></label>
            <button type="submit" class="button">"Show"</button>
        </form>
        {if empty {
            view! { <section class="panel empty-state" data-testid="results-empty"><p>"No candidate has started yet. Share a link from the set's page."</p></section> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Candidates">
                    <table class="data-table results-table" data-testid="results-table">
                        <caption class="sr-only">"Candidates and their results"</caption>
                        <thead><tr>
                            <th scope="col"><span class="sr-only">"Compare"</span></th>
                            {header("name", "Candidate")}<th scope="col">"Link"</th>{header("started", "Started")}<th scope="col">"State"</th>
                            {header("answered", "Answered")}{header("self", "Self")}{header("reviewer", "Reviewer")}{header("time", "Time")}
                            <th scope="col">"Timed out / over"</th>{header("hidden", "Tab hidden")}{header("pastes", "Pastes")}{header("status", "Review")}
                        </tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                <form id="compare-form" method="get" action=format!("/sets/{id}/results/compare")>
                    <button type="submit" class="button">"Compare the ticked candidates"</button>
                </form>
                {(!chart_rows.is_empty()).then(|| self_vs_reviewer_chart("set-self-vs-reviewer", "Self-grade against the reviewer's, per candidate", &chart_rows))}
                <p class="muted">"Archiving the set, or pausing or revoking a link, keeps every candidate's answers and these results. Only a candidate who deletes their own account takes their answers away."</p>
            }.into_any()
        }}
    }
}

/// Two or three candidates side by side on the same questions.
#[component]
pub fn ComparePage() -> impl IntoView {
    let id = param("id");
    let chosen: Vec<String> = use_query_map()
        .get_untracked()
        .get_all("c")
        .unwrap_or_default()
        .into_iter()
        .take(3)
        .collect();
    view! {
        <Title text="Compare candidates"/>
        {move || {
            let (id, chosen) = (id.clone(), chosen.clone());
            Suspend::new(async move {
                if chosen.len() < 2 {
                    return view! {
                        <p class="breadcrumb"><a href=format!("/sets/{id}/results")>"← Results"</a></p>
                        <section class="panel empty-state"><p>"Tick two or three candidates in the results, then choose Compare."</p></section>
                    }.into_any();
                }
                let mut reports = Vec::new();
                for attempt in chosen {
                    match get_candidate_report(id.clone(), attempt).await {
                        Ok(r) => reports.push(r),
                        Err(e) => return refused(e),
                    }
                }
                compare_view(id, reports).into_any()
            })
        }}
    }
}

fn compare_view(id: String, reports: Vec<CandidateReport>) -> impl IntoView {
    let questions: Vec<String> = reports
        .iter()
        .max_by_key(|r| r.answers.len())
        .map(|r| r.answers.iter().map(|a| a.prompt.clone()).collect())
        .unwrap_or_default();
    let cell = |r: &CandidateReport, prompt: &str| {
        // Shuffled sets put questions in other orders: match by prompt.
        match r.answers.iter().find(|a| a.prompt == prompt) {
            Some(a) => format!(
                "self {} · reviewer {} · {}{}",
                a.self_grade.map_or("–".to_owned(), |g| g.to_string()),
                a.reviewer_grade.map_or("–".to_owned(), |g| g.to_string()),
                a.time_spent_ms.map_or("–".to_owned(), format_duration),
                if a.timed_out { " · timed out" } else { "" }
            ),
            None => "–".to_owned(),
        }
    };
    view! {
        <p class="breadcrumb"><a href=format!("/sets/{id}/results")>"← Results"</a></p>
        <h1>"Compare candidates"</h1>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Comparison">
            <table class="data-table compare-table" data-testid="compare-table">
                <thead><tr><th scope="col">"Question"</th>
                    {reports.iter().map(|r| view! {
                        <th scope="col"><a href=format!("/sets/{id}/results/{}", r.row.attempt_id)>{r.row.name.clone()}</a></th>
                    }).collect_view()}
                </tr></thead>
                <tbody>
                    {questions.iter().map(|q| view! {
                        <tr><th scope="row">{q.clone()}</th>
                            {reports.iter().map(|r| view! { <td>{cell(r, q)}</td> }).collect_view()}</tr>
                    }).collect_view()}
                    <tr class="totals"><th scope="row">"Scores"</th>
                        {reports.iter().map(|r| view! { <td>{format!(
                            "self {} · reviewer {} · {}",
                            r.row.self_score.map_or("–".to_owned(), |s| format!("{s}%")),
                            r.row.reviewer_score.map_or("–".to_owned(), |s| format!("{s}%")),
                            r.row.recommendation.map_or("no call yet", |x| x.as_str()),
                        )}</td> }).collect_view()}</tr>
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn CandidatePage() -> impl IntoView {
    let (id, attempt) = (param("id"), param("candidate"));
    view! {
        {move || {
            let (id, attempt) = (id.clone(), attempt.clone());
            Suspend::new(async move {
                match get_candidate_report(id, attempt).await {
                    Ok(report) => candidate_view(report).into_any(),
                    Err(e) => refused(e),
                }
            })
        }}
    }
}

fn candidate_view(r: CandidateReport) -> impl IntoView {
    let base = format!("/sets/{}/results", r.set_id);
    let chart_rows: Vec<(String, Option<f64>, Option<f64>)> = r
        .answers
        .iter()
        .map(|a| {
            (
                format!("Q{}", a.position + 1),
                a.self_grade.map(f64::from),
                a.reviewer_grade.map(f64::from),
            )
        })
        .collect();
    let row = r.row.clone();
    let name = if row.deleted {
        "Candidate deleted their data".to_owned()
    } else {
        row.name.clone()
    };
    let attempt = row.attempt_id.clone();
    view! {
        <Title text=format!("{name} · results")/>
        <nav class="breadcrumb no-print" aria-label="Candidates">
            <a href=base.clone()>{format!("← {}", r.set_title)}</a>
            {r.prev.clone().map(|p| view! { " · " <a rel="prev" href=format!("{base}/{p}")>"Previous candidate"</a> })}
            {r.next.clone().map(|n| view! { " · " <a rel="next" href=format!("{base}/{n}")>"Next candidate"</a> })}
        </nav>
        <div class="page-head">
            <h1 data-testid="candidate-name">{name}</h1>
            <p class="page-actions no-print"><PrintButton/></p>
        </div>
        <p class="muted print-only">{format!("{} · report", r.set_title)}</p>
        <dl class="stat-row" data-testid="candidate-stats">
            <div><dt>"Answered"</dt><dd>{format!("{} / {}", row.answered, row.questions)}</dd></div>
            <div><dt>"Self score"</dt><dd>{row.self_score.map_or("–".to_owned(), |s| format!("{s}%"))}</dd></div>
            <div><dt>"Reviewer score"</dt><dd data-testid="reviewer-score">{row.reviewer_score.map_or("–".to_owned(), |s| format!("{s}%"))}</dd></div>
            <div><dt>"Time used"</dt><dd>{format_duration(row.time_used_ms)}</dd></div>
            <div><dt>"Tab hidden"</dt><dd>{format!("{}× · {}", row.hidden_count, format_duration(row.hidden_ms))}</dd></div>
            <div><dt>"Pastes"</dt><dd>{format!("{} · {} characters", row.paste_count, row.paste_chars)}</dd></div>
        </dl>
        <p class="muted">"Tab and paste counts are information, not a verdict: people switch tabs to think, and paste their own notes."</p>
        <MarkingKeys prev=r.prev.clone().map(|p| format!("{base}/{p}")) next=r.next.clone().map(|n| format!("{base}/{n}"))
            answers=u32::try_from(r.answers.len()).unwrap_or(0)/>
        {(!r.answers.is_empty()).then(|| self_vs_reviewer_chart("candidate-self-vs-reviewer", "Self-grade against the reviewer's, per question", &chart_rows))}
        <ol class="review-list">
            {r.answers.into_iter().map(|a| {
                let n = a.position + 1;
                let timing = match (a.time_spent_ms, a.limit_ms) {
                    (Some(t), Some(l)) => format!("{} of {}", format_duration(t), format_duration(l)),
                    (Some(t), None) => format_duration(t),
                    _ => "not answered".to_owned(),
                };
                view! {
                    <li class="reviewed panel" id=format!("answer-{n}") tabindex="-1">
                        <h2>{format!("{n}. {}", a.prompt)}</h2>
                        <p class="tags">
                            <span class=format!("tag level-{}", a.level.as_str())>{a.level.label()}</span>
                            <span class="tag">{timing}</span>
                            {a.timed_out.then_some(view! { <span class="tag archived">"timed out"</span> })}
                            <span class="tag">{a.self_grade.map_or("not self-graded".to_owned(), |g| format!("self: {}", grade_label(g)))}</span>
                        </p>
                        <div class="side-by-side">
                            <section aria-label="The candidate's answer">
                                <h3>"Answer"</h3>
                                {if a.answered && !a.answer_html.is_empty() {
                                    view! { <SanitizedHtml html=a.answer_html.clone() class="candidate-answer"/> }.into_any()
                                } else {
                                    view! { <p class="muted">"(nothing written)"</p> }.into_any()
                                }}
                            </section>
                            <section aria-label="Reference answer">
                                <h3>"Reference"</h3>
                                <SanitizedHtml html=a.reference_html.clone()/>
                                <ul class="key-points">
                                    {a.key_points.iter().enumerate().map(|(i, k)| {
                                        let hit = a.self_ticks.contains(&(i as u32));
                                        view! { <li class:hit=hit>{k.clone()}{hit.then_some(" ✓ (candidate)")}</li> }
                                    }).collect_view()}
                                </ul>
                            </section>
                        </div>
                        <p class="print-only">{format!("Reviewer: {}{}",
                            a.reviewer_grade.map_or("not graded".to_owned(), grade_label),
                            if a.comment.is_empty() { String::new() } else { format!(" — {}", a.comment) })}</p>
                        <AnswerMarks attempt_id=attempt.clone() position=a.position key_points=a.key_points.clone()
                            ticks=a.reviewer_ticks.clone() grade=a.reviewer_grade comment=a.comment.clone()/>
                    </li>
                }
            }).collect_view()}
        </ol>
        <p class="print-only">{format!("Recommendation: {}{}",
            row.recommendation.map_or("none yet", |x| x.as_str()),
            if r.recommendation_note.is_empty() { String::new() } else { format!(" — {}", r.recommendation_note) })}</p>
        {(!r.read_only && !row.deleted).then(|| view! {
            <section class="panel no-print">
                <h2>"Your call"</h2>
                <RecommendationForm attempt_id=attempt.clone() current=row.recommendation note=r.recommendation_note.clone()/>
            </section>
        })}
    }
}
