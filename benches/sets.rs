//! `make bench`: importing a 500-question CSV file (the largest allowed):
//! parsing and validating it, and writing it in one transaction, on a
//! SQLite file in WAL mode. Prints p50/p95 of each.

mod support;
use support::{report, time_it};

use rehearse::{
    accounts::{db as accounts, types::Role},
    questions::sync_builtin_bank,
    server::db as server_db,
    sets::{db, transfer},
};

const RUNS: usize = 20;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("rehearse-sets-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let pool = server_db::connect(&format!("sqlite://{}/bench.db", dir.display())).await?;
    sync_builtin_bank(&pool).await?;
    let owner = match accounts::create_user(&pool, "bench", "x", Role::Recruiter).await? {
        accounts::Created::Ok(id) => id,
        accounts::Created::UsernameTaken => return Err("fresh database expected".into()),
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
    let import = time_it(RUNS, || async {
        db::import(&pool, owner, &parsed, 0)
            .await
            .map(|r| r.questions_created)
    })
    .await;
    report("import 500 questions (one transaction)", &import);
    pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
