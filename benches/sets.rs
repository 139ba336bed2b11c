//! `make bench`: importing a 500-question CSV file (the largest allowed):
//! parsing and validating it, and writing it in one transaction, on a
//! SQLite file in WAL mode. Prints p50/p95 of each.

mod support;
use support::{report, time_it};

use rehearse::platform::db::AsPool;
use rehearse::{
    accounts::{db as accounts, types::Role},
    platform::db as server_db,
    questions::sync_builtin_bank,
    sets::{db, transfer},
};

const RUNS: usize = 20;
const CANDIDATES: usize = 500;
/// Questions in the results set: each candidate answers all of them.
const QUESTIONS: u32 = 10;

/// A shared set of 10 questions with 500 candidates who each answered and
/// self-graded all of them, then `/sets/:id/results` rendered and the
/// answers CSV (5,000 rows) downloaded through the router.
async fn results_page(
    pool: &sqlx::SqlitePool,
    owner: uuid::Uuid,
) -> Result<(), Box<dyn std::error::Error>> {
    use axum::{body::Body, http::Request};
    use http_body_util::BodyExt;
    use leptos::prelude::LeptosOptions;
    use rehearse::platform::{config::Config, AppState};
    use tower::ServiceExt;

    // The recruiter acts for the personal team registration gave them.
    let viewer = db::Viewer {
        id: owner,
        team: owner,
        admin: false,
    };
    let set = db::create_set(&pool.db(), viewer, "Bench round", 0).await?;
    let ids: Vec<(String,)> =
        sqlx::query_as("SELECT slug FROM questions WHERE source = 'builtin' AND parent_id IS NULL ORDER BY id LIMIT 10")
            .fetch_all(pool)
            .await?;
    let draft = rehearse::sets::types::SetDraft {
        title: "Bench round".into(),
        mode: Some(rehearse::sessions::types::Mode::Practice),
        items: ids
            .iter()
            .map(|(slug,)| rehearse::sets::types::SetItemInput {
                slug: slug.clone(),
                per_question_secs: None,
            })
            .collect(),
        ..Default::default()
    };
    db::save_set(&pool.db(), set, viewer, &draft, 1, 0).await?;
    rehearse::sharing::db::create_link(&pool.db(), set, viewer, "bench", None, None, 0).await?;
    let code: String = sqlx::query_scalar("SELECT code FROM share_links")
        .fetch_one(pool)
        .await?;
    let started = std::time::Instant::now();
    for i in 0..CANDIDATES {
        let user = accounts::create_guest(&pool.db()).await?;
        let now = 1_800_000_000_000 + i as i64 * 1000;
        let session =
            rehearse::sharing::db::start(&pool.db(), &code, user, &format!("Candidate {i}"), now)
                .await?;
        for position in 0..QUESTIONS {
            rehearse::sessions::db::submit(
                &pool.db(),
                session,
                user,
                position,
                rehearse::sessions::db::Rendered::later(
                    "An answer with `code`, a list:\n\n- one\n- two\n\nand **emphasis**.",
                ),
                now + 10,
            )
            .await?;
            let grade = 1 + (i as u8 + position as u8) % 4;
            rehearse::sessions::db::grade(
                &pool.db(),
                session,
                user,
                rehearse::sessions::db::GradeInput {
                    position,
                    grade,
                    ticked: &[0],
                    flagged: false,
                    note: "",
                },
                now + 20,
            )
            .await?;
            rehearse::sessions::db::next(&pool.db(), session, user, position, now + 30).await?;
        }
    }
    println!(
        "results benchmark: {CANDIDATES} candidates × {QUESTIONS} answers of one set ({:.1} s to take it)",
        started.elapsed().as_secs_f64()
    );
    let tz = jiff::tz::TimeZone::UTC;
    let query = time_it(RUNS * 5, || async {
        rehearse::sharing::db::results(&pool.db(), set, viewer, &tz)
            .await
            .map(|r| r.len())
            .unwrap_or(0)
    })
    .await;
    report("results query, 500 candidates", &query);

    let token = rehearse::accounts::session::create(&pool.db(), owner)
        .await
        .map_err(|e| e.to_string())?;
    let state = AppState::new(
        LeptosOptions::builder().output_name("rehearse").build(),
        pool.db(),
        Config::from_lookup(|_| None)?,
    );
    let app = rehearse::server::app(state);
    // One signed-in GET through the router; its body's length.
    let get = |uri: String| {
        let req = Request::get(uri)
            .header("host", "localhost")
            .header("cookie", format!("rehearse_session={token}"))
            .body(Body::empty());
        let app = app.clone();
        async move {
            let Ok(req) = req else { return 0 };
            match app.oneshot(req).await {
                Ok(res) => res
                    .into_body()
                    .collect()
                    .await
                    .map(|b| b.to_bytes().len())
                    .unwrap_or(0),
                Err(_) => 0,
            }
        }
    };
    let page = time_it(RUNS * 5, || get(format!("/sets/{set}/results"))).await;
    report("GET /sets/:id/results, 500 candidates", &page);
    let csv = time_it(RUNS, || get(format!("/sets/{set}/results/export/answers"))).await;
    report("answers CSV, 500 candidates × 10 answers", &csv);
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("rehearse-sets-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let pool = server_db::sqlite::connect(&format!("sqlite://{}/bench.db", dir.display())).await?;
    sync_builtin_bank(&pool.db()).await?;
    let owner = match accounts::create_user(&pool.db(), "bench", "x", Role::Recruiter).await? {
        accounts::Created::Ok(id) => id,
        accounts::Created::UsernameTaken => return Err("fresh database expected".into()),
    };
    accounts::make_personal_team(&pool.db(), owner, 0).await?;
    let viewer = db::Viewer {
        id: owner,
        team: owner,
        admin: false,
    };
    let mut csv = String::from("prompt,level,topic,answer,key_points\n");
    for i in 0..transfer::IMPORT_MAX_QUESTIONS {
        csv.push_str(&format!(
            "How would you shard table number {i} without downtime?,advanced,databases,\
             \"Pick a key with even spread, **double-write**, backfill, then switch reads ({i}).\",\
             spread | double-write | backfill | switch reads\n"
        ));
    }
    println!(
        "sets benchmark: a {} KiB CSV of {} questions, {RUNS} runs each",
        csv.len() / 1024,
        transfer::IMPORT_MAX_QUESTIONS
    );
    let parse = time_it(RUNS, || async {
        transfer::from_csv(&csv).map(|t| t.questions.len())
    })
    .await;
    report("parse and validate 500 questions (CSV)", &parse);
    let parsed = transfer::from_csv(&csv).map_err(|e| format!("{e:?}"))?;
    let html: Vec<String> = parsed
        .questions
        .iter()
        .map(|q| rehearse::questions::markdown::render(&q.question.reference_answer))
        .collect();
    let import = time_it(RUNS, || async {
        db::import(&pool.db(), viewer, &parsed, &html, 0)
            .await
            .map(|r| r.questions_created)
    })
    .await;
    report("import 500 questions (one transaction)", &import);

    results_page(&pool, owner).await?;
    pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
