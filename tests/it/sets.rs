//! Question sets and authored questions: who may do what (the IDOR matrix),
//! the set and question rules, privacy of authored questions, versions, and
//! import and export.

use crate::common::app_pool;
use crate::common::{account, app_with_bank, get, Client, Reply};
use crate::fixtures::{new_set, own_question};
use rehearse::platform::db::AsPool;
use rehearse::platform::db::Pool;
use rehearse::sessions::{db as sessions, db::NewSession, types::Mode};
use rehearse::sets::{db, transfer};
use sqlx::SqlitePool;
use uuid::Uuid;

const T0: i64 = 1_800_000_000_000;

async fn user_id(pool: &Pool, name: &str) -> Uuid {
    on!(pool, |p| sqlx::query_scalar(
        "SELECT id FROM users WHERE username = $1"
    )
    .bind(name)
    .fetch_one(p)
    .await)
    .expect("user")
}

/// Form fields of a question, as the editor sends them.
fn question_form(prompt: &str) -> Vec<(String, String)> {
    vec![
        ("slug".into(), String::new()),
        ("input[prompt]".into(), prompt.into()),
        ("input[level]".into(), "intermediate".into()),
        ("input[topic]".into(), "databases".into()),
        (
            "input[reference_answer]".into(),
            "Use a **covering** index:\n\n```sql\nCREATE INDEX i ON t (a, b);\n```".into(),
        ),
        ("input[key_points][0]".into(), "covering index".into()),
        ("input[key_points][1]".into(), "fewer lookups".into()),
        ("input[reviewer_note]".into(), "Look for trade-offs.".into()),
    ]
}

async fn call_owned(c: &mut Client, endpoint: &str, form: &[(String, String)]) -> Reply {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    c.call(endpoint, &pairs).await
}

async fn write_question(c: &mut Client, prompt: &str) -> String {
    let form = question_form(prompt);
    let fields: Vec<(&str, &str)> = form[1..]
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    own_question(c, &fields).await
}

/// Saves a set's draft with these question slugs (and times), as the editor does.
async fn save_set(
    c: &mut Client,
    id: &str,
    rev: u32,
    title: &str,
    items: &[(&str, Option<u32>)],
) -> Reply {
    let mut form: Vec<(String, String)> = vec![
        ("id".into(), id.into()),
        ("rev".into(), rev.to_string()),
        ("draft[title]".into(), title.into()),
        (
            "draft[instructions]".into(),
            "Answer *out loud* first.".into(),
        ),
        ("draft[mode]".into(), "interview".into()),
        ("draft[per_question_secs]".into(), "300".into()),
        ("draft[shuffle]".into(), "false".into()),
    ];
    for (i, (slug, secs)) in items.iter().enumerate() {
        form.push((format!("draft[items][{i}][slug]"), (*slug).into()));
        if let Some(s) = secs {
            form.push((
                format!("draft[items][{i}][per_question_secs]"),
                s.to_string(),
            ));
        }
    }
    call_owned(c, "sets/save", &form).await
}

#[sqlx::test]
async fn who_may_do_what(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut owner = account(&app, "owner1", "recruiter").await;
    let mut other = account(&app, "other1", "recruiter").await;
    let mut candidate = account(&app, "cand1", "candidate").await;
    let mut admin = account(&app, "boss1", "candidate").await;
    rehearse::accounts::grant_admin(&pool.db(), "boss1")
        .await
        .expect("grant");
    let mut guest = Client::new(&app);
    let started = guest
        .call(
            "sessions/start",
            &[
                ("mode", "practice"),
                ("count", "1"),
                ("per_question_secs", "0"),
                ("total_secs", "0"),
            ],
        )
        .await;
    assert_eq!(started.status, 200);
    let mut anon = Client::new(&app);

    let slug = write_question(&mut owner, "How do covering indexes help?").await;
    let id = new_set(&mut owner, "Round one").await;
    assert_eq!(
        save_set(&mut owner, &id, 1, "Round one", &[(&slug, None)])
            .await
            .status,
        200
    );

    // Every function, with what each kind of caller gets back.
    let q_form = question_form("Edited by a stranger");
    let calls: Vec<(&str, Vec<(String, String)>)> = vec![
        ("sets/list", vec![]),
        ("sets/create", vec![("title".into(), "Mine".into())]),
        ("sets/get", vec![("id".into(), id.clone())]),
        ("sets/duplicate", vec![("id".into(), id.clone())]),
        (
            "sets/archive",
            vec![
                ("id".into(), id.clone()),
                ("archived".into(), "false".into()),
            ],
        ),
        (
            "sets/questions/search",
            vec![("filter[q]".into(), "covering".into())],
        ),
        ("sets/pick", vec![("filter[q]".into(), "index".into())]),
        ("sets/questions/all", vec![]),
        ("sets/questions/get", vec![("slug".into(), slug.clone())]),
        (
            "sets/questions/save",
            q_form
                .iter()
                .map(|(k, v)| {
                    if k == "slug" {
                        (k.clone(), slug.clone())
                    } else {
                        (k.clone(), v.clone())
                    }
                })
                .collect(),
        ),
        (
            "sets/questions/archive",
            vec![
                ("slug".into(), slug.clone()),
                ("archived".into(), "false".into()),
            ],
        ),
        ("sets/preview", vec![("text".into(), "**hi**".into())]),
    ];
    // Functions that name the owner's set or question: a stranger gets 404.
    let names_a_record = |e: &str| {
        matches!(
            e,
            "sets/get"
                | "sets/duplicate"
                | "sets/archive"
                | "sets/questions/get"
                | "sets/questions/save"
                | "sets/questions/archive"
        )
    };
    for (endpoint, form) in &calls {
        assert_eq!(
            call_owned(&mut anon, endpoint, form).await.status,
            401,
            "anonymous {endpoint}"
        );
        assert_eq!(
            call_owned(&mut guest, endpoint, form).await.status,
            403,
            "guest {endpoint}"
        );
        let r = call_owned(&mut candidate, endpoint, form).await;
        assert_eq!(r.status, 403, "candidate {endpoint}");
        // The error a page shows for it says what happened.
        assert_eq!(r.body, "\"Forbidden\"");
        let expected = if names_a_record(endpoint) { 404 } else { 200 };
        assert_eq!(
            call_owned(&mut other, endpoint, form).await.status,
            expected,
            "other recruiter {endpoint}"
        );
        assert_eq!(
            call_owned(&mut owner, endpoint, form).await.status,
            200,
            "owner {endpoint}"
        );
    }
    // An admin reads any set, read-only, and changes none but their own.
    let r = admin.call("sets/get", &[("id", &id)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("\"read_only\":true"), "{}", r.body);
    let listed = admin.call("sets/list", &[]).await;
    assert!(listed.body.contains("Round one"), "admins see every set");
    assert_eq!(
        save_set(&mut admin, &id, 99, "Taken over", &[])
            .await
            .status,
        404
    );
    assert_eq!(
        admin
            .call("sets/archive", &[("id", &id), ("archived", "true")])
            .await
            .status,
        404
    );
    // The set is as the owner left it.
    let detail = owner.call("sets/get", &[("id", &id)]).await;
    assert!(detail.body.contains("Round one") && !detail.body.contains("Taken over"));
    // Downloads follow the same rules.
    for (who, expected) in [
        (&mut anon, 401),
        (&mut candidate, 403),
        (&mut other, 404),
        (&mut owner, 200),
        (&mut admin, 200),
    ] {
        assert_eq!(
            who.get(&format!("/sets/{id}/export/json")).await.status,
            expected
        );
    }
    assert_eq!(
        candidate.get("/sets/questions/export/csv").await.status,
        403
    );
    // Pages: a candidate is told what sets are for, with 403; the nav has
    // no Sets link for them, and has one for a recruiter.
    let page = candidate.get("/sets").await;
    assert_eq!(page.status, 403);
    assert!(page.body.contains("Question sets are for recruiters"));
    assert!(!page.body.contains("data-testid=\"nav-sets\""));
    assert!(owner
        .get("/questions")
        .await
        .body
        .contains("data-testid=\"nav-sets\""));
}

#[sqlx::test]
async fn set_rules_order_and_stale_saves(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut r = account(&app, "builder", "recruiter").await;
    let mut stranger = account(&app, "stranger", "recruiter").await;
    let mine = write_question(&mut r, "My own question about locks").await;
    let theirs = write_question(&mut stranger, "A stranger's private question").await;
    let id = new_set(&mut r, "Backend").await;
    let bank = ["db-what-is-an-index", "db-isolation-levels-anomalies"];

    // Order is kept exactly, with per-question overrides.
    let ok = save_set(
        &mut r,
        &id,
        1,
        "Backend",
        &[(bank[1], None), (&mine, Some(120)), (bank[0], None)],
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let detail: rehearse::sets::types::SetDetail = serde_json::from_str(&ok.body).expect("detail");
    let order: Vec<&str> = detail.items.iter().map(|i| i.slug.as_str()).collect();
    assert_eq!(order, vec![bank[1], mine.as_str(), bank[0]]);
    assert_eq!(detail.items[1].per_question_secs, Some(120));
    assert_eq!(detail.edit_rev, 1);

    // A stale revision (another tab) is refused and changes nothing.
    let stale = save_set(&mut r, &id, 1, "Overwritten", &[]).await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    // Twice the same question, another author's private question, a bad
    // time: clear 422s, nothing stored.
    let twice = save_set(
        &mut r,
        &id,
        2,
        "Backend",
        &[(bank[0], None), (bank[0], None)],
    )
    .await;
    assert_eq!(twice.status, 422);
    assert!(twice.body.contains("twice"), "{}", twice.body);
    let foreign = save_set(&mut r, &id, 3, "Backend", &[(&theirs, None)]).await;
    assert_eq!(foreign.status, 422);
    let fast = save_set(&mut r, &id, 4, "Backend", &[(bank[0], Some(1))]).await;
    assert_eq!(fast.status, 422);
    let after = r.call("sets/get", &[("id", &id)]).await;
    let detail: rehearse::sets::types::SetDetail =
        serde_json::from_str(&after.body).expect("detail");
    assert_eq!(detail.items.len(), 3);
    assert_eq!(detail.draft.title, "Backend");

    // The list shows it with its time: 300 + 120 + 300 seconds.
    let list = r.call("sets/list", &[]).await;
    let sets: Vec<rehearse::sets::types::SetSummary> =
        serde_json::from_str(&list.body).expect("list");
    assert_eq!(sets[0].questions, 3);
    assert_eq!(sets[0].total_secs, Some(720));

    // Duplicate and archive (never delete).
    let copy: String =
        serde_json::from_str(&r.call("sets/duplicate", &[("id", &id)]).await.body).expect("copy");
    let copied = r.call("sets/get", &[("id", &copy)]).await;
    assert!(copied.body.contains("Backend (copy)"));
    assert_eq!(
        r.call("sets/archive", &[("id", &id), ("archived", "true")])
            .await
            .status,
        200
    );
    let list = r.call("sets/list", &[]).await;
    let sets: Vec<rehearse::sets::types::SetSummary> =
        serde_json::from_str(&list.body).expect("list");
    assert_eq!(sets.len(), 2);
    assert!(
        sets.last().is_some_and(|s| s.archived),
        "archived ones last"
    );
}

#[sqlx::test]
async fn question_rules_are_enforced_on_the_server(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut r = account(&app, "author", "recruiter").await;
    let mut form = question_form("");
    form.retain(|(k, _)| !k.starts_with("input[key_points]"));
    for (k, v) in form.iter_mut() {
        if k == "input[topic]" {
            *v = "Not A Topic".into();
        }
    }
    let bad = call_owned(&mut r, "sets/questions/save", &form).await;
    assert_eq!(bad.status, 422);
    for field in ["prompt", "key_points"] {
        assert!(
            bad.body.contains(&format!("\"field\":\"{field}\"")),
            "{field}: {}",
            bad.body
        );
    }
    let mut nine = question_form("Too many points");
    for i in 2..9 {
        nine.push((format!("input[key_points][{i}]"), format!("point {i}")));
    }
    assert_eq!(
        call_owned(&mut r, "sets/questions/save", &nine)
            .await
            .status,
        422
    );
    let mut unknown_topic = question_form("Unknown topic");
    for (k, v) in unknown_topic.iter_mut() {
        if k == "input[topic]" {
            *v = "no-such-topic".into();
        }
    }
    let r2 = call_owned(&mut r, "sets/questions/save", &unknown_topic).await;
    assert_eq!(r2.status, 422, "{}", r2.body);
    let n: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM questions WHERE source = 'author'"
    )
    .fetch_one(p)
    .await)
    .expect("count");
    assert_eq!(n, 0, "refused questions wrote nothing");

    // Sanitized exactly as the bank: scripts never survive.
    let slug = write_question(&mut r, "Sanitized?").await;
    let mut evil = question_form("Sanitized?");
    for (k, v) in evil.iter_mut() {
        match k.as_str() {
            "slug" => *v = slug.clone(),
            "input[reference_answer]" => {
                *v = "<script>alert(1)</script>[x](javascript:alert(1)) ok".into()
            }
            _ => {}
        }
    }
    assert_eq!(
        call_owned(&mut r, "sets/questions/save", &evil)
            .await
            .status,
        200
    );
    let got = r.call("sets/questions/get", &[("slug", &slug)]).await;
    let got: rehearse::sets::types::OwnQuestion =
        serde_json::from_str(&got.body).expect("question");
    assert!(!got.answer_html.contains("<script"), "{}", got.answer_html);
    assert!(
        !got.answer_html.contains("href=\"javascript"),
        "{}",
        got.answer_html
    );
    assert!(got.answer_html.contains("ok"));
    let preview = r
        .call(
            "sets/preview",
            &[("text", "<img src=x onerror=alert(1)>**b**")],
        )
        .await;
    // Typed HTML is shown as the text it is, never as a tag.
    assert!(
        preview.body.contains("<strong>b</strong>")
            && preview.body.contains("&lt;img src=x onerror=alert(1)&gt;")
            && !preview.body.contains("<img"),
        "{}",
        preview.body
    );
}

#[sqlx::test]
async fn authored_questions_stay_private(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut r = account(&app, "secretive", "recruiter").await;
    let slug = write_question(&mut r, "Quokkaplume latency riddle").await;
    // Not in the bank, its search, its counts, or its pages.
    assert!(!get(&app, "/questions?q=quokkaplume")
        .await
        .body
        .contains("Quokkaplume"));
    let bank = r
        .call("questions/list", &[("filter[q]", "quokkaplume")])
        .await;
    assert!(bank.body.contains("\"total\":0"), "{}", bank.body);
    assert_eq!(get(&app, &format!("/questions/{slug}")).await.status, 404);
    // But the author finds it with the same search.
    let own = r
        .call("sets/questions/search", &[("filter[q]", "quokkap")])
        .await;
    assert!(own.body.contains("\"total\":1"), "{}", own.body);
    // Never drawn into anyone's session, and nobody else may practise it.
    let someone = rehearse::accounts::db::create_guest(&pool.db())
        .await
        .expect("guest");
    let all = NewSession {
        mode: Mode::Practice,
        levels: vec![],
        topics: vec![],
        count: 50,
        per_question_secs: None,
        total_secs: None,
        only: None,
    };
    for _ in 0..4 {
        let s = sessions::create(&pool.db(), someone, &all, T0)
            .await
            .expect("create")
            .expect("drawn");
        let drawn: i64 = on!(&pool, |p| sqlx::query_scalar(
            "SELECT count(*) FROM session_answers a JOIN questions q ON q.id = a.question_id
             WHERE a.session_id = $1 AND q.source = 'author'",
        )
        .bind(s)
        .fetch_one(p)
        .await)
        .expect("count");
        assert_eq!(drawn, 0);
    }
    let only = NewSession {
        only: Some(slug.clone()),
        count: 1,
        ..all
    };
    assert_eq!(
        sessions::create(&pool.db(), someone, &only, T0)
            .await
            .expect("create"),
        None
    );
    let author = user_id(&pool, "secretive").await;
    assert!(sessions::create(&pool.db(), author, &only, T0)
        .await
        .expect("create")
        .is_some());
}

#[sqlx::test]
async fn versions_keep_what_candidates_saw(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut r = account(&app, "versioner", "recruiter").await;
    let author = user_id(&pool, "versioner").await;
    let slug = write_question(&mut r, "Version one prompt").await;
    let id = new_set(&mut r, "Versioned").await;
    save_set(
        &mut r,
        &id,
        1,
        "Versioned",
        &[(&slug, None), ("db-what-is-an-index", None)],
    )
    .await;
    let set = Uuid::parse_str(&id).expect("uuid");

    on!(&pool, |p| {
        let mut conn = p.acquire().await.expect("conn");
        let v1 = backend::sets::freeze(&mut conn, set, T0)
            .await
            .expect("freeze");
        assert_eq!(v1, 1);
        assert_eq!(
            backend::sets::freeze(&mut conn, set, T0 + 1)
                .await
                .expect("again"),
            1,
            "nothing changed"
        );
        drop(conn);
    });

    // The author practises their own question and ticks key point 1.
    let only = NewSession {
        mode: Mode::Practice,
        levels: vec![],
        topics: vec![],
        count: 1,
        per_question_secs: None,
        total_secs: None,
        only: Some(slug.clone()),
    };
    let s = sessions::create(&pool.db(), author, &only, T0)
        .await
        .expect("create")
        .expect("session");
    sessions::submit(
        &pool.db(),
        s,
        author,
        0,
        rehearse::sessions::db::Rendered::later("my answer"),
        T0 + 1000,
    )
    .await
    .expect("submit");
    sessions::grade(
        &pool.db(),
        s,
        author,
        rehearse::sessions::db::GradeInput {
            position: 0,
            grade: 3,
            ticked: &[1],
            flagged: false,
            note: "",
        },
        T0 + 2000,
    )
    .await
    .expect("grade");

    // Then edits the question: new prompt, key points reordered.
    let mut edited = question_form("Version two prompt");
    for (k, v) in edited.iter_mut() {
        match k.as_str() {
            "slug" => *v = slug.clone(),
            "input[key_points][0]" => *v = "a brand new first point".into(),
            _ => {}
        }
    }
    assert_eq!(
        call_owned(&mut r, "sets/questions/save", &edited)
            .await
            .status,
        200
    );
    on!(&pool, |p| {
        let mut conn = p.acquire().await.expect("conn");
        assert_eq!(
            backend::sets::freeze(&mut conn, set, T0 + 3)
                .await
                .expect("freeze"),
            2
        );
        drop(conn);
    });
    let old = db::version_questions(&pool.db(), set, 1).await.expect("v1");
    let new = db::version_questions(&pool.db(), set, 2).await.expect("v2");
    assert_eq!(old[0].0, "Version one prompt");
    assert_eq!(old[0].1[0], "covering index");
    assert_eq!(new[0].0, "Version two prompt");
    assert_eq!(new[0].1[0], "a brand new first point");

    // History shows what the candidate saw, and what their tick meant.
    let review = rehearse::history::db::past_session(&pool.db(), s, author)
        .await
        .expect("review");
    assert_eq!(review[0].prompt, "Version one prompt");
    assert_eq!(review[0].key_points[0], "covering index");
    assert_eq!(review[0].key_points_hit, vec![1]);
}

#[sqlx::test]
async fn export_then_import_gives_the_same_set(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut r = account(&app, "exporter", "recruiter").await;
    let mine = write_question(&mut r, "Explain \"write skew\" — with an example").await;
    let id = new_set(&mut r, "Round trip ✓").await;
    save_set(
        &mut r,
        &id,
        1,
        "Round trip ✓",
        &[("db-what-is-an-index", None), (&mine, Some(90))],
    )
    .await;

    let first = r.get(&format!("/sets/{id}/export/json")).await;
    assert_eq!(first.status, 200);
    assert!(first.headers["content-disposition"]
        .to_str()
        .unwrap_or_default()
        .contains(".json"));
    let preview = r
        .call_json(
            "sets/import",
            &serde_json::json!({"format": "json", "content": first.body, "commit": false}),
        )
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    let report: serde_json::Value = serde_json::from_str(&preview.body).expect("report");
    assert_eq!(report["questions"].as_array().map(Vec::len), Some(2));
    assert_eq!(report["committed"], false);
    let sets_before: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM question_sets"
    )
    .fetch_one(p)
    .await)
    .expect("n");
    assert_eq!(sets_before, 1, "a preview writes nothing");

    let done = r
        .call_json(
            "sets/import",
            &serde_json::json!({"format": "json", "content": first.body, "commit": true}),
        )
        .await;
    let report: serde_json::Value = serde_json::from_str(&done.body).expect("report");
    let copy = report["set_id"].as_str().expect("set id").to_owned();
    let second = r.get(&format!("/sets/{copy}/export/json")).await;
    assert_eq!(
        first.body, second.body,
        "export → import → export is identical"
    );
    // The bank question is reused; the own question is a new copy.
    let own: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM questions WHERE source = 'author'"
    )
    .fetch_one(p)
    .await)
    .expect("n");
    assert_eq!(own, 2);
    // CSV and Markdown come out too.
    let csv = r.get(&format!("/sets/{id}/export/csv")).await;
    assert!(
        csv.body.starts_with("prompt,level,topic,answer,key_points"),
        "{}",
        csv.body
    );
    let md = r.get(&format!("/sets/{id}/export/md")).await;
    assert!(md.body.starts_with("# Round trip ✓"), "{}", md.body);
    let parsed = transfer::from_csv(&csv.body).expect("csv parses back");
    assert_eq!(parsed.questions.len(), 2);
}

#[sqlx::test]
async fn a_bad_file_imports_nothing_and_says_where(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut r = account(&app, "importer", "recruiter").await;
    let csv = "prompt,level,topic,answer,key_points\n\
               Good one?,beginner,databases,Yes.,a point\n\
               Bad level,expert,databases,No.,a point\n";
    let rep = r
        .call_json(
            "sets/import",
            &serde_json::json!({"format": "csv", "content": csv, "commit": true}),
        )
        .await;
    assert_eq!(rep.status, 200, "{}", rep.body);
    let report: serde_json::Value = serde_json::from_str(&rep.body).expect("report");
    assert_eq!(report["committed"], false);
    assert_eq!(report["errors"][0][0], "line 3", "{}", rep.body);
    let n: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM questions WHERE source = 'author'"
    )
    .fetch_one(p)
    .await)
    .expect("n");
    assert_eq!(n, 0, "one bad row, nothing written");
    // A good CSV creates the questions, not a set.
    let good = "prompt,level,topic,answer,key_points\nGood one?,beginner,databases,Yes.,a point | another\n";
    let rep = r
        .call_json(
            "sets/import",
            &serde_json::json!({"format": "csv", "content": good, "commit": true}),
        )
        .await;
    let report: serde_json::Value = serde_json::from_str(&rep.body).expect("report");
    assert_eq!(report["committed"], true, "{}", rep.body);
    let mine = r.call("sets/questions/all", &[]).await;
    assert!(mine.body.contains("another"), "{}", mine.body);
    // Too big: refused before parsing.
    let huge = "x".repeat(transfer::IMPORT_MAX_BYTES + 1);
    let rep = r
        .call_json(
            "sets/import",
            &serde_json::json!({"format": "csv", "content": huge, "commit": true}),
        )
        .await;
    assert!(
        rep.body.contains("(file)") || rep.status == 413,
        "{} {}",
        rep.body,
        rep.status
    );
}

#[sqlx::test]
async fn five_hundred_questions_import_in_one_transaction(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut r = account(&app, "bulk", "recruiter").await;
    let mut csv = String::from("prompt,level,topic,answer,key_points\n");
    for i in 0..500 {
        csv.push_str(&format!(
            "Question number {i}?,advanced,databases,\"Answer {i}, in **bold**.\",one | two\n"
        ));
    }
    let started = std::time::Instant::now();
    let rep = r
        .call_json(
            "sets/import",
            &serde_json::json!({"format": "csv", "content": csv, "commit": true}),
        )
        .await;
    eprintln!(
        "import of 500 questions over HTTP (debug build): {:?}",
        started.elapsed()
    );
    let report: serde_json::Value = serde_json::from_str(&rep.body).expect("report");
    assert_eq!(report["committed"], true, "{}", rep.body);
    let n: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM questions WHERE source = 'author'"
    )
    .fetch_one(p)
    .await)
    .expect("n");
    assert_eq!(n, 500);
}
