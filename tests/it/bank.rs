//! Syncing the built-in bank and searching it.

use crate::common::app_pool;
use rehearse::platform::db::AsPool;
use rehearse::platform::db::Pool;
use rehearse::questions::{
    bank::{parse_bank, BankTopic, BANK_FILES},
    db,
    db::sync,
    types::{Level, QuestionFilter},
};
use sqlx::SqlitePool;

fn builtin() -> Vec<BankTopic> {
    parse_bank(BANK_FILES).expect("built-in bank is valid")
}

async fn snapshot(pool: &Pool) -> Vec<(String, i64, bool, i64)> {
    on!(pool, |p| sqlx::query_as(
        "SELECT slug, updated_at, archived, id FROM questions ORDER BY slug"
    )
    .fetch_all(p)
    .await)
    .expect("snapshot")
}

#[sqlx::test]
async fn syncing_twice_changes_nothing(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let topics = builtin();
    let first = sync(&pool.db(), &topics).await.expect("first sync");
    assert!(first.added >= 150);
    let before = snapshot(&pool).await;
    let second = sync(&pool.db(), &topics).await.expect("second sync");
    assert_eq!(
        second.added + second.updated + second.archived,
        0,
        "{second:?}"
    );
    assert_eq!(second.unchanged, first.added);
    assert_eq!(snapshot(&pool).await, before);
}

#[sqlx::test]
async fn edits_update_and_removals_archive(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let mut topics = builtin();
    sync(&pool.db(), &topics).await.expect("sync");
    let removed = topics[0].questions.remove(0);
    topics[1].questions[0].prompt.push_str(" (edited)");
    let edited = topics[1].questions[0].slug.clone();

    let report = sync(&pool.db(), &topics).await.expect("resync");
    // The removed question goes with its follow-ups' own rows.
    let gone = 1 + removed.follow_ups.len() as u64;
    assert_eq!(
        (report.updated, report.archived, report.added),
        (1, gone, 0)
    );
    let archived: bool = on!(&pool, |p| sqlx::query_scalar(
        "SELECT archived FROM questions WHERE slug = $1"
    )
    .bind(&removed.slug)
    .fetch_one(p)
    .await)
    .expect("row kept");
    assert!(archived, "removed questions are archived, not deleted");
    let prompt: String = on!(&pool, |p| sqlx::query_scalar(
        "SELECT prompt FROM questions WHERE slug = $1"
    )
    .bind(&edited)
    .fetch_one(p)
    .await)
    .expect("row");
    assert!(prompt.ends_with("(edited)"));

    // The archived question leaves the list; putting it back revives it.
    let list = db::list(
        &pool.db(),
        &QuestionFilter {
            q: removed.prompt.clone(),
            ..Default::default()
        },
    )
    .await
    .expect("list");
    assert!(list.items.iter().all(|q| q.slug != removed.slug));
    topics[0].questions.insert(0, removed.clone());
    let report = sync(&pool.db(), &topics).await.expect("restore");
    assert_eq!(report.updated, gone);
}

#[sqlx::test]
async fn user_questions_are_never_touched(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let topics = builtin();
    sync(&pool.db(), &topics).await.expect("sync");
    on!(&pool, |p| sqlx::query(
        "INSERT INTO questions (slug, topic_id, level, prompt, reference_answer, answer_html, source, created_at, updated_at)
         VALUES ('u-mine', 1, 'beginner', 'My own question$1', 'Mine.', '<p>Mine.</p>', 'author', 1, 1)",
    )
    .execute(p).await.map(|r| r.rows_affected()))
    .expect("insert user question");
    sync(&pool.db(), &topics).await.expect("resync");
    let archived: bool = on!(&pool, |p| sqlx::query_scalar(
        "SELECT archived FROM questions WHERE slug = 'u-mine'"
    )
    .fetch_one(p)
    .await)
    .expect("row");
    assert!(!archived);
}

#[sqlx::test]
async fn search_ranks_prompt_matches_first_and_marks_them(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    sync(&pool.db(), &builtin()).await.expect("sync");
    let list = db::list(
        &pool.db(),
        &QuestionFilter {
            q: "idempot".into(),
            ..Default::default()
        },
    )
    .await
    .expect("search");
    assert!(list.total >= 1);
    let first = &list.items[0];
    assert!(
        first.prompt.to_lowercase().contains("\u{1}idempot"),
        "{:?}",
        first.prompt
    );
    assert!(list.level_counts.iter().map(|(_, n)| n).sum::<i64>() == list.total);
}

#[sqlx::test]
async fn filters_combine_and_facets_count(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    sync(&pool.db(), &builtin()).await.expect("sync");
    let all = db::list(&pool.db(), &QuestionFilter::default())
        .await
        .expect("all");
    let f = QuestionFilter {
        levels: vec![Level::Beginner, Level::Advanced],
        topics: vec!["apis".into(), "security".into()],
        ..Default::default()
    };
    let some = db::list(&pool.db(), &f).await.expect("filtered");
    assert!(some.total > 0 && some.total < all.total);
    for item in &some.items {
        assert!(matches!(item.level, Level::Beginner | Level::Advanced));
        assert!(item.topic_slug == "apis" || item.topic_slug == "security");
    }
    // Each level's facet counts what that level would show with the topic
    // filter kept.
    let advanced_only = db::list(
        &pool.db(),
        &QuestionFilter {
            levels: vec![Level::Advanced],
            ..f.clone()
        },
    )
    .await
    .expect("advanced");
    let facet = some
        .level_counts
        .iter()
        .find(|(l, _)| *l == Level::Advanced)
        .map(|(_, n)| *n);
    assert_eq!(facet, Some(advanced_only.total));
}

#[sqlx::test]
async fn hostile_search_text_is_harmless(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    sync(&pool.db(), &builtin()).await.expect("sync");
    for evil in [
        "'; DROP TABLE questions; --",
        "\" OR 1=1 --",
        "prompt:*",
        "NEAR(a b",
        "*",
        ")))",
        "\u{0}\u{1}",
        "%' UNION SELECT password_hash FROM users --",
    ] {
        let r = db::list(
            &pool.db(),
            &QuestionFilter {
                q: evil.into(),
                ..Default::default()
            },
        )
        .await;
        assert!(r.is_ok(), "{evil:?} broke the search: {r:?}");
    }
    let n: i64 = on!(&pool, |p| sqlx::query_scalar(
        "SELECT count(*) FROM questions"
    )
    .fetch_one(p)
    .await)
    .expect("count");
    assert!(n >= 150, "the table is intact");
}

#[sqlx::test]
async fn neighbours_follow_the_filter(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    sync(&pool.db(), &builtin()).await.expect("sync");
    let f = QuestionFilter {
        topics: vec!["networking".into()],
        ..Default::default()
    };
    let list = db::list(&pool.db(), &f).await.expect("list");
    let second = &list.items[1];
    let detail = db::detail(&pool.db(), &second.slug, &f)
        .await
        .expect("detail")
        .expect("exists");
    assert_eq!(detail.prev.as_deref(), Some(list.items[0].slug.as_str()));
    assert_eq!(detail.next.as_deref(), Some(list.items[2].slug.as_str()));
    assert_eq!(detail.position, Some((2, list.total)));
}

#[sqlx::test]
async fn follow_ups_and_common_mistakes_are_stored_and_shown_after_the_reveal(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = crate::common::app_with_bank(pool.clone()).await;
    let topics = builtin();
    let q = topics
        .iter()
        .flat_map(|t| &t.questions)
        .find(|q| !q.follow_ups.is_empty() && !q.mistakes.is_empty())
        .expect("a question with follow-ups");
    let page = crate::common::get(&app, &format!("/questions/{}", q.slug)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Common mistakes"), "{}", q.slug);
    assert!(page.body.contains("The interviewer asks next"));
    let escaped = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    assert!(
        page.body.contains(&escaped(&q.mistakes[0])),
        "{}",
        q.mistakes[0]
    );
    assert!(page.body.contains(&escaped(&q.follow_ups[0].prompt)));
    // Editing a follow-up updates the row; syncing again changes nothing more.
    let mut edited = topics.clone();
    for t in &mut edited {
        for e in &mut t.questions {
            if e.slug == q.slug {
                e.follow_ups[0].prompt = "A rewritten follow-up question?".into();
            }
        }
    }
    let report = sync(&pool.db(), &edited).await.expect("sync");
    assert_eq!(
        report.updated, 2,
        "the question's display and the follow-up's own row"
    );
    let stored: String = on!(&pool, |p| sqlx::query_scalar(
        "SELECT follow_ups FROM questions WHERE slug = $1"
    )
    .bind(&q.slug)
    .fetch_one(p)
    .await)
    .expect("row");
    assert!(stored.contains("A rewritten follow-up question?"));
    assert_eq!(sync(&pool.db(), &edited).await.expect("again").updated, 0);
}
