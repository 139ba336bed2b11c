//! Share links, candidates' runs, results and reviews: link states, the
//! candidate limit under parallel starts, snapshot isolation, aggregates,
//! CSV, deleted candidates, and the IDOR matrix.

use crate::common::app_pool;
use crate::common::{account, app_with_bank, get, Client};
use crate::fixtures::{candidate, new_set, open_link, own_question, save_draft, start};
use axum::Router;
use rehearse::platform::db::AsPool;
use sqlx::SqlitePool;

const PW: &str = "tidy orange kettle";

/// A recruiter with a two-question set (one of their own) and one link.
async fn shared_set(app: &Router, name: &str, max: &str) -> (Client, String, String) {
    let mut r = account(app, name, "recruiter").await;
    let slug = own_question(
        &mut r,
        &[
            ("input[prompt]", "Original prompt about queues"),
            ("input[level]", "intermediate"),
            ("input[topic]", "architecture"),
            ("input[reference_answer]", "Use a **queue**."),
            ("input[key_points][0]", "decoupling"),
            ("input[key_points][1]", "back-pressure"),
        ],
    )
    .await;
    let set = new_set(&mut r, "Shared round").await;
    let saved = save_draft(
        &mut r,
        &set,
        "1",
        &[
            ("draft[title]", "Shared round"),
            ("draft[mode]", "practice"),
            ("draft[per_question_secs]", "300"),
            ("draft[items][0][slug]", &slug),
            ("draft[items][1][slug]", "db-what-is-an-index"),
            ("draft[items][1][per_question_secs]", "60"),
        ],
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let code = open_link(
        &mut r,
        &set,
        &[("label", "round 1"), ("max_candidates", max)],
    )
    .await;
    (r, set, code)
}

/// A new link to `set`, and a guest candidate ("Pat") who started from it:
/// the candidate and their session.
async fn link_and_candidate(app: &Router, r: &mut Client, set: &str) -> (Client, String) {
    let code = open_link(r, set, &[]).await;
    candidate(app, &code, "Pat").await
}

#[sqlx::test]
async fn links_open_pause_revoke_expire_and_fill(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let (mut r, set, code) = shared_set(&app, "sharer", "2").await;
    assert!(code.len() >= 22, "at least 128 bits: {code}");
    let page = get(&app, &format!("/s/{code}")).await;
    assert_eq!(page.status, 200);
    // The team's name, never the recruiter's login name.
    assert!(page.body.contains("Shared round") && page.body.contains("shared with Hiring team"));
    assert!(
        !page.body.contains("sharer"),
        "no login name on the landing"
    );
    assert_eq!(get(&app, "/s/not-a-real-code-at-all-xx").await.status, 404);

    let links: Vec<rehearse::sharing::types::LinkInfo> =
        serde_json::from_str(&r.call("sharing/links", &[("set_id", &set)]).await.body)
            .expect("links");
    let link = links[0].id.clone();
    // Paused: 403 page, no start.
    assert_eq!(
        r.call("sharing/state", &[("link_id", &link), ("state", "paused")])
            .await
            .status,
        200
    );
    assert_eq!(get(&app, &format!("/s/{code}")).await.status, 403);
    let mut a = Client::new(&app);
    let refused = start(&mut a, &code, "Ann").await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    let guests: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM users WHERE is_guest = TRUE"
    )
    .fetch_one(p)
    .await)
    .expect("n");
    assert_eq!(guests, 0, "a closed link makes no guest");
    // Resumed: open again; a name is required.
    assert_eq!(
        r.call("sharing/state", &[("link_id", &link), ("state", "active")])
            .await
            .status,
        200
    );
    assert_eq!(start(&mut a, &code, "  ").await.status, 422);
    let first = start(&mut a, &code, "Ann").await;
    assert_eq!(first.status, 200, "{}", first.body);
    // The same browser again resumes the same session.
    let again = start(&mut a, &code, "Ann").await;
    assert_eq!(again.body, first.body);
    // Full at two.
    let mut b = Client::new(&app);
    assert_eq!(start(&mut b, &code, "Bo").await.status, 200);
    let mut c = Client::new(&app);
    let full = start(&mut c, &code, "Cy").await;
    assert_eq!(full.status, 409);
    assert!(
        full.body.contains("reached its number of candidates"),
        "{}",
        full.body
    );
    assert_eq!(get(&app, &format!("/s/{code}")).await.status, 403);
    // Expired: 410.
    on!(&pool, |p| sqlx::query(
        "UPDATE share_links SET expires_at = 1, max_candidates = NULL"
    )
    .execute(p)
    .await
    .map(|r| r.rows_affected()))
    .expect("expire");
    let page = get(&app, &format!("/s/{code}")).await;
    assert_eq!(page.status, 410);
    assert!(page.body.contains("expired"));
    // Revoked: final.
    assert_eq!(
        r.call("sharing/state", &[("link_id", &link), ("state", "revoked")])
            .await
            .status,
        200
    );
    assert_eq!(
        r.call("sharing/state", &[("link_id", &link), ("state", "active")])
            .await
            .status,
        404
    );
    on!(&pool, |p| sqlx::query(
        "UPDATE share_links SET expires_at = NULL"
    )
    .execute(p)
    .await
    .map(|r| r.rows_affected()))
    .expect("x");
    assert_eq!(get(&app, &format!("/s/{code}")).await.status, 410);
}

#[sqlx::test]
async fn parallel_starts_cannot_overrun_the_limit(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let (mut r, _set, code) = shared_set(&app, "limiter", "3").await;
    let mut starts = Vec::new();
    for i in 0..10 {
        let (app, code) = (app.clone(), code.clone());
        starts.push(tokio::spawn(async move {
            let mut c = Client::new(&app);
            start(&mut c, &code, &format!("Candidate {i}")).await.status
        }));
    }
    let mut ok = 0;
    for s in starts {
        if s.await.expect("join") == 200 {
            ok += 1;
        }
    }
    assert_eq!(ok, 3);
    let list = r.call("sets/list", &[]).await;
    assert!(list.body.contains("\"candidates\":3"), "{}", list.body);
    let attempts: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM candidate_attempts"
    )
    .fetch_one(p)
    .await)
    .expect("n");
    assert_eq!(attempts, 3);
}

#[sqlx::test]
async fn candidates_keep_the_version_they_got_and_results_add_up(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let (mut r, set, code) = shared_set(&app, "owner2", "0").await;
    let mut cand = Client::new(&app);
    let started = start(&mut cand, &code, "Dana").await;
    let session: String = serde_json::from_str(&started.body).expect("session");

    // The owner rewrites their question and reorders the set afterwards.
    let mine: String = on!(&pool, |p| sqlx::query_scalar(
        "SELECT slug FROM questions WHERE source = 'author'"
    )
    .fetch_one(p)
    .await)
    .expect("slug");
    let edit = r
        .call(
            "sets/questions/save",
            &[
                ("slug", &mine),
                ("input[prompt]", "Rewritten prompt"),
                ("input[level]", "advanced"),
                ("input[topic]", "architecture"),
                ("input[reference_answer]", "Changed."),
                ("input[key_points][0]", "changed point"),
            ],
        )
        .await;
    assert_eq!(edit.status, 200, "{}", edit.body);

    // The candidate still sees the original, with its own time limits.
    let state = cand.call("sessions/state", &[("id", &session)]).await;
    let state: rehearse::sessions::types::RunnerState =
        serde_json::from_str(&state.body).expect("state");
    assert_eq!(state.prompt, "Original prompt about queues");
    assert!(state.shared);
    assert_eq!(state.mode, rehearse::sessions::types::Mode::Practice);
    // Signals, while the interview runs.
    assert_eq!(
        cand.call(
            "sharing/signal",
            &[("session_id", &session), ("hidden_ms", "4000")]
        )
        .await
        .status,
        200
    );
    assert_eq!(
        cand.call(
            "sharing/signal",
            &[("session_id", &session), ("paste_chars", "120")]
        )
        .await
        .status,
        200
    );

    for (position, grade) in [("0", "4"), ("1", "2")] {
        assert_eq!(
            cand.call(
                "sessions/submit",
                &[
                    ("id", &session),
                    ("position", position),
                    ("text", "my **answer**")
                ]
            )
            .await
            .status,
            200
        );
        let g = cand
            .call(
                "sessions/grade",
                &[
                    ("id", &session),
                    ("position", position),
                    ("grade", grade),
                    ("key_points_hit[0]", "0"),
                ],
            )
            .await;
        assert_eq!(g.status, 200, "{}", g.body);
        assert_eq!(
            cand.call("sessions/next", &[("id", &session), ("position", position)])
                .await
                .status,
            200
        );
    }
    // The second question had its own 60-second limit.
    let limit: Option<i64> = on!(&pool, |p| sqlx::query_scalar(
        "SELECT limit_secs FROM session_answers WHERE position = 1"
    )
    .fetch_one(p)
    .await)
    .expect("limit");
    assert_eq!(limit, Some(60));
    // Signals after the end are refused: nothing more is recorded.
    assert_eq!(
        cand.call(
            "sharing/signal",
            &[("session_id", &session), ("hidden_ms", "9000")]
        )
        .await
        .status,
        409
    );

    // Results: self 4 and 2 → 67 %; reviewer 3 and 3 → 67 %.
    let rows = r.call("sharing/results", &[("set_id", &set)]).await;
    let rows: Vec<rehearse::sharing::types::ResultRow> =
        serde_json::from_str(&rows.body).expect("rows");
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(
        (row.name.as_str(), row.answered, row.questions, row.finished),
        ("Dana", 2, 2, true)
    );
    assert_eq!(row.self_score, Some(67));
    assert_eq!(row.reviewer_score, None);
    assert_eq!(
        (
            row.hidden_count,
            row.hidden_ms,
            row.paste_count,
            row.paste_chars
        ),
        (1, 4000, 1, 120)
    );
    let attempt = row.attempt_id.clone();
    for position in ["0", "1"] {
        let saved = r
            .call(
                "sharing/review",
                &[
                    ("attempt_id", &attempt),
                    ("position", position),
                    ("grade", "3"),
                    ("key_points_hit[0]", "1"),
                    ("comment", "Solid."),
                ],
            )
            .await;
        assert_eq!(saved.status, 200, "{}", saved.body);
    }
    let bad = r
        .call(
            "sharing/review",
            &[
                ("attempt_id", &attempt),
                ("position", "0"),
                ("key_points_hit[0]", "9"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        r.call(
            "sharing/recommend",
            &[
                ("attempt_id", &attempt),
                ("recommendation", "yes"),
                ("note", "Hire")
            ]
        )
        .await
        .status,
        200
    );
    let report = r
        .call(
            "sharing/report",
            &[("set_id", &set), ("attempt_id", &attempt)],
        )
        .await;
    let report: rehearse::sharing::types::CandidateReport =
        serde_json::from_str(&report.body).expect("report");
    assert_eq!(report.row.reviewer_score, Some(67));
    assert_eq!(
        report.row.status,
        rehearse::sharing::types::ReviewStatus::Reviewed
    );
    assert_eq!(
        report.answers[0].prompt, "Original prompt about queues",
        "the version they took"
    );
    assert_eq!(
        report.answers[0].key_points,
        vec!["decoupling", "back-pressure"]
    );
    assert_eq!(report.answers[0].self_grade, Some(4));
    assert_eq!(report.answers[0].reviewer_grade, Some(3));
    assert!(
        report.answers[0]
            .answer_html
            .contains("<strong>answer</strong>"),
        "rendered Markdown"
    );
    // The candidate's own grade is untouched by the review.
    let own: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT self_grade FROM session_answers WHERE position = 0"
    )
    .fetch_one(p)
    .await)
    .expect("grade");
    assert_eq!(own, 4);

    // CSV downloads hold the same numbers.
    let summary = r.get(&format!("/sets/{set}/results/export/summary")).await;
    assert_eq!(summary.status, 200);
    let mut lines = summary.body.lines();
    assert!(lines
        .next()
        .unwrap_or_default()
        .starts_with("candidate,link,started"));
    let dana = lines.next().unwrap_or_default();
    assert!(
        dana.starts_with("Dana,round 1,")
            && dana.contains(",67,67,")
            && dana.ends_with(",reviewed,yes"),
        "{dana}"
    );
    let answers = r.get(&format!("/sets/{set}/results/export/answers")).await;
    assert_eq!(answers.body.lines().count(), 3, "{}", answers.body);
    assert!(answers
        .body
        .contains("Dana,1,Original prompt about queues,true,4,3,"));

    // The set's per-question means: self 4 and 2, reviewer 3 and 3.
    let means = r.call("sharing/question-means", &[("set_id", &set)]).await;
    let means: Vec<(String, Option<f64>, Option<f64>)> =
        serde_json::from_str(&means.body).expect("means");
    assert_eq!(means.len(), 2);
    assert_eq!((means[0].1, means[0].2), (Some(4.0), Some(3.0)));
    assert_eq!((means[1].1, means[1].2), (Some(2.0), Some(3.0)));
    let page = r.get(&format!("/sets/{set}/results")).await;
    assert!(page.body.contains("questions-self-vs-reviewer"));
    // The candidate deletes their account: their answers leave the results.
    cand.call(
        "accounts/register",
        &[
            ("username", "danaacct"),
            ("password", PW),
            ("role", "candidate"),
            ("next", "/"),
        ],
    )
    .await;
    assert_eq!(
        cand.call("accounts/delete", &[("password", PW)])
            .await
            .status,
        200
    );
    let rows = r.call("sharing/results", &[("set_id", &set)]).await;
    let rows: Vec<rehearse::sharing::types::ResultRow> =
        serde_json::from_str(&rows.body).expect("rows");
    assert!(rows[0].deleted && rows[0].name.is_empty(), "{:?}", rows[0]);
    let page = r.get(&format!("/sets/{set}/results")).await;
    assert!(page.body.contains("Candidate deleted their data"));
}

#[sqlx::test]
async fn only_the_owner_reads_and_marks_results(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let (mut owner, set, code) = shared_set(&app, "ownerx", "0").await;
    let (mut other, other_set, _) = shared_set(&app, "otherx", "0").await;
    let mut cand = account(&app, "candx", "candidate").await;
    let started = start(&mut cand, &code, "").await;
    assert_eq!(
        started.status, 200,
        "an account's name is used: {}",
        started.body
    );
    let mut admin = account(&app, "adminx", "candidate").await;
    rehearse::accounts::grant_admin(&pool.db(), "adminx")
        .await
        .expect("grant");
    let mut guest = Client::new(&app);
    assert_eq!(start(&mut guest, &code, "Guesty").await.status, 200);
    let mut anon = Client::new(&app);
    let rows = owner.call("sharing/results", &[("set_id", &set)]).await;
    let rows: Vec<rehearse::sharing::types::ResultRow> =
        serde_json::from_str(&rows.body).expect("rows");
    assert!(rows.iter().any(|r| r.name == "candx"));
    let attempt = rows[0].attempt_id.clone();
    let links: Vec<rehearse::sharing::types::LinkInfo> =
        serde_json::from_str(&owner.call("sharing/links", &[("set_id", &set)]).await.body)
            .expect("links");
    let link = links[0].id.clone();

    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("sharing/results", vec![("set_id", &set)]),
        ("sharing/question-means", vec![("set_id", &set)]),
        (
            "sharing/report",
            vec![("set_id", &set), ("attempt_id", &attempt)],
        ),
        ("sharing/links", vec![("set_id", &set)]),
        (
            "sharing/review",
            vec![("attempt_id", &attempt), ("position", "0"), ("grade", "2")],
        ),
        (
            "sharing/recommend",
            vec![("attempt_id", &attempt), ("recommendation", "no")],
        ),
        (
            "sharing/state",
            vec![("link_id", &link), ("state", "paused")],
        ),
        ("sharing/create", vec![("set_id", &set)]),
    ];
    for (endpoint, form) in &calls {
        assert_eq!(
            anon.call(endpoint, form).await.status,
            401,
            "anonymous {endpoint}"
        );
        assert_eq!(
            guest.call(endpoint, form).await.status,
            403,
            "guest {endpoint}"
        );
        assert_eq!(
            cand.call(endpoint, form).await.status,
            403,
            "candidate {endpoint}"
        );
        assert_eq!(
            other.call(endpoint, form).await.status,
            404,
            "other recruiter {endpoint}"
        );
    }
    // An admin reads, and changes nothing.
    assert_eq!(
        admin
            .call("sharing/results", &[("set_id", &set)])
            .await
            .status,
        200
    );
    let report = admin
        .call(
            "sharing/report",
            &[("set_id", &set), ("attempt_id", &attempt)],
        )
        .await;
    assert!(
        report.body.contains("\"read_only\":true"),
        "{}",
        report.body
    );
    assert_eq!(
        admin
            .call(
                "sharing/review",
                &[("attempt_id", &attempt), ("position", "0"), ("grade", "1")]
            )
            .await
            .status,
        404
    );
    // An attempt of one set can't be read through another set's id.
    let crossed = other
        .call(
            "sharing/report",
            &[("set_id", &other_set), ("attempt_id", &attempt)],
        )
        .await;
    assert_eq!(crossed.status, 404);
    // Downloads too.
    assert_eq!(
        cand.get(&format!("/sets/{set}/results/export/summary"))
            .await
            .status,
        403
    );
    assert_eq!(
        other
            .get(&format!("/sets/{set}/results/export/summary"))
            .await
            .status,
        404
    );
    assert_eq!(
        owner
            .get(&format!("/sets/{set}/results/export/summary"))
            .await
            .status,
        200
    );
    // Two candidates side by side.
    let ids: Vec<String> = rows.iter().map(|r| r.attempt_id.clone()).collect();
    let compare = owner
        .get(&format!(
            "/sets/{set}/results/compare?c={}&c={}",
            ids[0], ids[1]
        ))
        .await;
    assert_eq!(compare.status, 200);
    assert!(
        compare.body.contains("candx") && compare.body.contains("Guesty"),
        "{}",
        compare.body
    );
    assert!(compare.body.contains("data-testid=\"compare-table\""));
    // The owner's marks work.
    assert_eq!(
        owner
            .call(
                "sharing/review",
                &[("attempt_id", &attempt), ("position", "0"), ("grade", "2")]
            )
            .await
            .status,
        200
    );
}

#[sqlx::test]
async fn a_set_can_keep_references_private_and_share_feedback(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut r = account(&app, "privateset", "recruiter").await;
    let set = new_set(&mut r, "Private round").await;
    let saved = save_draft(
        &mut r,
        &set,
        "1",
        &[
            ("draft[title]", "Private round"),
            ("draft[mode]", "practice"),
            ("draft[hide_reference]", "true"),
            ("draft[share_feedback]", "true"),
            ("draft[items][0][slug]", "db-what-is-an-index"),
        ],
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let (mut cand, session) = link_and_candidate(&app, &mut r, &set).await;
    let state = cand
        .call(
            "sessions/submit",
            &[("id", &session), ("position", "0"), ("text", "my answer")],
        )
        .await;
    let state: rehearse::sessions::types::RunnerState =
        serde_json::from_str(&state.body).expect("state");
    assert_eq!(state.reveal, None, "no reference answer, no key points");
    assert_eq!(
        cand.call(
            "sessions/grade",
            &[("id", &session), ("position", "0"), ("grade", "3")]
        )
        .await
        .status,
        200
    );
    // History keeps the reference private too; the reviewer's word arrives.
    let before = cand.get(&format!("/history/{session}")).await;
    assert!(before.body.contains("keeps its reference answers private"));
    assert!(
        !before.body.contains("B-tree"),
        "no reference text on the page"
    );
    let rows: Vec<rehearse::sharing::types::ResultRow> =
        serde_json::from_str(&r.call("sharing/results", &[("set_id", &set)]).await.body)
            .expect("rows");
    let attempt = rows[0].attempt_id.clone();
    let reviewed = r
        .call(
            "sharing/review",
            &[
                ("attempt_id", &attempt),
                ("position", "0"),
                ("grade", "2"),
                ("comment", "Mention the write cost."),
            ],
        )
        .await;
    assert_eq!(reviewed.status, 200);
    let after = cand.get(&format!("/history/{session}")).await;
    assert!(
        after.body.contains("Mention the write cost.") && after.body.contains("2 · Partial"),
        "shared feedback"
    );
    // The export carries both choices.
    let json = r.get(&format!("/sets/{set}/export/json")).await;
    assert!(
        json.body.contains("\"hide_reference\": true")
            && json.body.contains("\"share_feedback\": true")
    );
}

/// A set that keeps its references private: no path copies its questions
/// into a session of the candidate's own, or shows them anywhere else
/// (retry the weak ones, practise this question, follow-ups, the review
/// queue, links to the question's page).
#[sqlx::test]
async fn private_set_questions_never_leave_the_set(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut r = account(&app, "keeper", "recruiter").await;
    let slug = own_question(
        &mut r,
        &[
            ("input[prompt]", "Explain our sharding plan"),
            ("input[level]", "advanced"),
            ("input[topic]", "architecture"),
            ("input[reference_answer]", "PRIVATE-REFERENCE-TEXT"),
            ("input[key_points][0]", "PRIVATE-KEY-POINT"),
        ],
    )
    .await;
    let set = new_set(&mut r, "Private").await;
    let saved = save_draft(
        &mut r,
        &set,
        "1",
        &[
            ("draft[title]", "Private"),
            ("draft[mode]", "practice"),
            ("draft[hide_reference]", "true"),
            ("draft[items][0][slug]", &slug),
        ],
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let (mut cand, session) = link_and_candidate(&app, &mut r, &set).await;
    let submitted = cand
        .call(
            "sessions/submit",
            &[("id", &session), ("position", "0"), ("text", "no idea")],
        )
        .await;
    assert_eq!(submitted.status, 200, "{}", submitted.body);
    let graded = cand
        .call(
            "sessions/grade",
            &[("id", &session), ("position", "0"), ("grade", "1")],
        )
        .await;
    assert_eq!(graded.status, 200, "{}", graded.body);
    let no_secret = |what: &str, body: &str| {
        assert!(
            !body.contains("PRIVATE-REFERENCE-TEXT") && !body.contains("PRIVATE-KEY-POINT"),
            "{what} shows the private reference: {body}"
        );
    };

    // Retry the weak ones: refused with a reason, and not offered.
    let retry = cand.call("sessions/retry", &[("id", &session)]).await;
    assert_eq!(retry.status, 409, "{}", retry.body);
    assert!(
        retry.body.contains("stay with the recruiter"),
        "{}",
        retry.body
    );
    let history = cand.get(&format!("/history/{session}")).await;
    assert_eq!(history.status, 200);
    assert!(
        !history.body.contains("Retry the weak ones"),
        "button offered"
    );
    assert!(
        !history.body.contains(&format!("/questions/{slug}")),
        "history links to the recruiter's question"
    );
    no_secret("history", &history.body);
    let summary = cand.get(&format!("/practice/{session}/summary")).await;
    assert_eq!(summary.status, 200);
    assert!(!summary.body.contains(&format!("/questions/{slug}")));

    // Practise this question, its page, follow-ups, the review queue.
    let only = cand
        .call(
            "sessions/start",
            &[
                ("mode", "practice"),
                ("count", "1"),
                ("per_question_secs", "0"),
                ("total_secs", "0"),
                ("question", &slug),
            ],
        )
        .await;
    assert_eq!(only.status, 422, "{}", only.body);
    let page = cand.get(&format!("/questions/{slug}")).await;
    assert_eq!(page.status, 404);
    no_secret("the question page", &page.body);
    let follow = cand
        .call(
            "sessions/follow-up",
            &[("id", &session), ("position", "0"), ("index", "0")],
        )
        .await;
    assert_ne!(follow.status, 200, "{}", follow.body);
    let card = cand
        .call(
            "review/card/action",
            &[("slug", &slug), ("action", "reset")],
        )
        .await;
    assert_eq!(card.status, 404, "{}", card.body);
    let queue = cand.call("review/page", &[]).await;
    no_secret("the review queue", &queue.body);
    assert!(!queue.body.contains(&slug), "{}", queue.body);

    // The candidate has no session but the shared one: nothing was copied.
    let sessions: i64 = rehearse_count(&pool, &session).await;
    assert_eq!(sessions, 1, "no new session was made from the set");
}

/// How many sessions the owner of `session` has.
async fn rehearse_count(pool: &rehearse::platform::db::Pool, session: &str) -> i64 {
    let id = uuid::Uuid::parse_str(session).expect("uuid");
    on!(pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM interview_sessions
         WHERE user_id = (SELECT user_id FROM interview_sessions WHERE id = $1)"
    )
    .bind(id)
    .fetch_one(p)
    .await
    .expect("count"))
}

/// Pausing stops new starts only; revoking ends the link for everyone: a
/// candidate mid-interview keeps what they wrote (submitted as it stood),
/// and every later save, submit, resume and signal is refused with a
/// message that says why.
#[sqlx::test]
async fn revoking_a_link_ends_it_for_candidates_mid_interview(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let (mut r, set, code) = shared_set(&app, "revoker", "0").await;
    let mut cand = Client::new(&app);
    let started = start(&mut cand, &code, "Mid Way").await;
    let session: String = serde_json::from_str(&started.body).expect("session");
    let links: Vec<rehearse::sharing::types::LinkInfo> =
        serde_json::from_str(&r.call("sharing/links", &[("set_id", &set)]).await.body)
            .expect("links");
    let link = links[0].id.clone();

    // Paused: the candidate already started goes on; nobody new starts.
    let paused = r
        .call("sharing/state", &[("link_id", &link), ("state", "paused")])
        .await;
    assert_eq!(paused.status, 200, "{}", paused.body);
    let save = |text: &'static str, rev: &'static str| {
        [
            ("position", "0"),
            ("text", text),
            ("rev", rev),
            ("editor", "tab"),
        ]
    };
    let saved = cand
        .call(
            "sessions/save",
            &[&[("id", session.as_str())][..], &save("half written", "1")].concat(),
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let mut late = Client::new(&app);
    assert_eq!(start(&mut late, &code, "Late").await.status, 409);

    // Revoked: the running session ends with its answer kept.
    let revoked = r
        .call("sharing/state", &[("link_id", &link), ("state", "revoked")])
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.body);
    let refused = cand
        .call(
            "sessions/save",
            &[&[("id", session.as_str())][..], &save("more words", "2")].concat(),
        )
        .await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(
        refused.body.contains("recruiter closed this interview"),
        "{}",
        refused.body
    );
    let submit = cand
        .call(
            "sessions/submit",
            &[("id", &session), ("position", "0"), ("text", "final words")],
        )
        .await;
    assert_eq!(submit.status, 409, "{}", submit.body);
    let resume = start(&mut cand, &code, "Mid Way").await;
    assert_eq!(resume.status, 409, "{}", resume.body);
    assert!(resume.body.contains("recruiter closed"), "{}", resume.body);
    let signal = cand
        .call(
            "sharing/signal",
            &[("session_id", &session), ("hidden_ms", "1000")],
        )
        .await;
    assert_eq!(signal.status, 409, "{}", signal.body);

    // The recruiter sees the answer as it stood, submitted, and finished.
    let rows: Vec<rehearse::sharing::types::ResultRow> =
        serde_json::from_str(&r.call("sharing/results", &[("set_id", &set)]).await.body)
            .expect("rows");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].finished, "the session ended");
    assert_eq!(rows[0].answered, 1);
    assert_eq!(rows[0].hidden_count, 0, "no signal after the end");
    let report = r
        .call(
            "sharing/report",
            &[("set_id", &set), ("attempt_id", &rows[0].attempt_id)],
        )
        .await;
    assert_eq!(report.status, 200, "{}", report.body);
    let report: rehearse::sharing::types::CandidateReport =
        serde_json::from_str(&report.body).expect("report");
    assert!(report.answers[0].answered);
    assert!(report.answers[0].answer_html.contains("half written"));
    assert!(!report.answers[0].answer_html.contains("more words"));
}
