//! Generated questions for benchmarks, built from the bank's own
//! vocabulary so the search index has realistic terms: the same rows on
//! both backends (the bank and backends benchmarks share it).

use rehearse::platform::db::Pool;
use rehearse::questions::bank::{parse_bank, BANK_FILES};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Runs the same code on whichever backend the pool is.
macro_rules! on {
    ($pool:expr, |$p:ident| $body:expr) => {
        match $pool {
            Pool::Sqlite($p) => $body,
            Pool::Postgres($p) => $body,
        }
    };
}

/// Questions built from the bank's own vocabulary, so the search index has
/// realistic terms; the same ones on both backends.
pub async fn generate(pool: &Pool, count: usize) -> Result<(), BoxError> {
    let topics = parse_bank(BANK_FILES).map_err(|e| format!("{} bank errors", e.len()))?;
    let words: Vec<&str> = topics
        .iter()
        .flat_map(|t| t.questions.iter())
        .flat_map(|q| q.answer.split_whitespace())
        .collect();
    let topic_ids: Vec<i64> = on!(pool, |p| sqlx::query_scalar(
        "SELECT id FROM topics ORDER BY id"
    )
    .fetch_all(p)
    .await)?;
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut pick = |n: usize| -> String {
        (0..n)
            .map(|_| {
                // xorshift64: deterministic, good enough to pick words.
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                words[(seed as usize) % words.len()]
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let rows: Vec<(String, String, String)> = (0..count)
        .map(|_| {
            let prompt = format!("{}?", pick(14));
            let answer = pick(150);
            let key_points = serde_json::to_string(&[pick(8), pick(8), pick(8), pick(8)])
                .unwrap_or_else(|_| "[]".into());
            (prompt, answer, key_points)
        })
        .collect();
    on!(pool, |p| {
        let mut tx = p.begin().await?;
        for (i, (prompt, answer, key_points)) in rows.iter().enumerate() {
            sqlx::query(
                "INSERT INTO questions (slug, topic_id, level, prompt, reference_answer, answer_html,
                     key_points, source, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'author', 0, 0)",
            )
            .bind(format!("gen-{i}"))
            .bind(topic_ids[i % topic_ids.len()])
            .bind(["beginner", "intermediate", "advanced"][i % 3])
            .bind(prompt)
            .bind(answer)
            .bind(format!("<p>{answer}</p>"))
            .bind(key_points)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    })?;
    Ok(())
}
