//! Hiring teams: the personal-team migration, invitations, roles, removal,
//! the shared library, the activity log, and who may call what (the
//! permission matrix), over HTTP as browsers would.

use axum::Router;
use rehearse::platform::db::{AsPool, Pool};
use rehearse::teams::types::{TeamPage, TeamRole};
use sqlx::SqlitePool;

use crate::common::{account, app_pool, app_with_bank, get, on_postgres, Client, Reply};
use crate::fixtures::{candidate, new_set, open_link, own_question, save_draft};

/// An invitation's code, made by `owner` for `role`.
async fn invite(owner: &mut Client, role: &str) -> String {
    let r = owner
        .call("teams/invite", &[("role", role), ("days", "7")])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let path: String = serde_json::from_str(&r.body).expect("path");
    path.trim_start_matches("/join/").to_owned()
}

/// A new candidate account that accepted the invitation `code`.
async fn joined(app: &Router, name: &str, code: &str) -> Client {
    let mut c = account(app, name, "candidate").await;
    let r = c.call("teams/accept", &[("code", code)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    c
}

/// A new account made an admin (from the command line, as operators do);
/// its login reads the new role with the next request.
async fn admin(app: &Router, pool: &Pool, name: &str) -> Client {
    let c = account(app, name, "candidate").await;
    rehearse::accounts::grant_admin(&pool.db(), name)
        .await
        .expect("admin");
    c
}

async fn page(c: &mut Client) -> TeamPage {
    let r = c.call("teams/page", &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).expect("team page")
}

fn member_id(team: &TeamPage, name: &str) -> String {
    team.members
        .iter()
        .find(|m| m.name == name)
        .map(|m| m.id.clone())
        .unwrap_or_else(|| panic!("{name} is a member"))
}

/// A recruiter's team with a set holding one of its own questions, shared
/// by link and taken by one guest candidate: (owner, set, attempt, code).
async fn team_with_a_candidate(app: &Router, owner: &str) -> (Client, String, String, String) {
    let mut r = account(app, owner, "recruiter").await;
    let renamed = r.call("teams/rename", &[("name", "Platform hiring")]).await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let slug = own_question(
        &mut r,
        &[
            ("input[prompt]", "How would you shed load at the edge?"),
            ("input[level]", "intermediate"),
            ("input[topic]", "architecture"),
            (
                "input[reference_answer]",
                "Admission control **before** queues grow.",
            ),
            ("input[key_points][0]", "admission control"),
        ],
    )
    .await;
    let set = new_set(&mut r, "Backend loop").await;
    let saved = save_draft(
        &mut r,
        &set,
        "1",
        &[
            ("draft[title]", "Backend loop"),
            ("draft[mode]", "practice"),
            ("draft[items][0][slug]", &slug),
        ],
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let code = open_link(&mut r, &set, &[]).await;
    let (mut cand, session) = candidate(app, &code, "Pat Candidate").await;
    let answered = cand
        .call(
            "sessions/submit",
            &[("id", &session), ("position", "0"), ("text", "Shed early.")],
        )
        .await;
    assert_eq!(answered.status, 200, "{}", answered.body);
    let results = r.call("sharing/results", &[("set_id", &set)]).await;
    assert_eq!(results.status, 200, "{}", results.body);
    let rows: Vec<rehearse::sharing::types::ResultRow> =
        serde_json::from_str(&results.body).expect("results");
    (r, set, rows[0].attempt_id.clone(), code)
}

#[sqlx::test]
async fn a_team_shares_its_library_and_removal_ends_access_at_once(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let (mut alice, set, _attempt, link) = team_with_a_candidate(&app, "alice").await;

    // The candidate's landing names the team, never a login name.
    let landing = get(&app, &format!("/s/{link}")).await;
    assert_eq!(landing.status, 200);
    assert!(landing.body.contains("Platform hiring"), "the team's name");
    assert!(!landing.body.contains("alice"), "no login name");

    // A recruiter joins by invitation and works on the same sets.
    let code = invite(&mut alice, "recruiter").await;
    let offered = Client::new(&app)
        .call("teams/invitation", &[("code", &code)])
        .await;
    assert_eq!(offered.status, 200, "{}", offered.body);
    assert!(offered.body.contains("Platform hiring") && !offered.body.contains("alice"));
    let mut bob = joined(&app, "bobby", &code).await;
    assert_eq!(page(&mut bob).await.my_role, TeamRole::Recruiter);
    let listed = bob.call("sets/list", &[]).await;
    assert!(listed.body.contains("Backend loop"), "{}", listed.body);
    let questions = bob.call("sets/questions/all", &[]).await;
    assert!(
        questions.body.contains("shed load"),
        "the team's own questions: {}",
        questions.body
    );
    let edited = save_draft(
        &mut bob,
        &set,
        "2",
        &[
            ("draft[title]", "Backend loop, v2"),
            ("draft[mode]", "practice"),
        ],
    )
    .await;
    assert_eq!(edited.status, 200, "{}", edited.body);
    // Two editors: the stale save loses, as it does for two tabs.
    let stale = save_draft(
        &mut alice,
        &set,
        "1",
        &[("draft[title]", "Old"), ("draft[mode]", "practice")],
    )
    .await;
    assert_eq!(stale.status, 409, "{}", stale.body);

    // A used invitation can't be used again; nothing changes.
    let mut carol = account(&app, "carol", "candidate").await;
    let reused = carol.call("teams/accept", &[("code", &code)]).await;
    assert_eq!(reused.status, 409, "{}", reused.body);
    assert!(reused.body.contains("already been used"), "{}", reused.body);
    assert_eq!(carol.call("teams/page", &[]).await.status, 403);

    // An expired one neither.
    let late = invite(&mut alice, "interviewer").await;
    on!(&pool, |p| sqlx::query(
        "UPDATE team_invites SET expires_at = 0 WHERE used_at IS NULL"
    )
    .execute(p)
    .await
    .map(drop))
    .expect("expire");
    let expired = carol.call("teams/accept", &[("code", &late)]).await;
    assert_eq!(expired.status, 409, "{}", expired.body);
    assert!(expired.body.contains("expired"), "{}", expired.body);

    // An interviewer reads no sets.
    let code = invite(&mut alice, "interviewer").await;
    let r = carol.call("teams/accept", &[("code", &code)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(carol.call("sets/list", &[]).await.status, 403);
    assert_eq!(carol.call("sets/get", &[("id", &set)]).await.status, 403);
    let seen = page(&mut carol).await;
    assert!(seen.members.is_empty() && seen.activity.is_empty());

    // The last owner can't leave, nor stop being an owner.
    let team = page(&mut alice).await;
    let me = member_id(&team, "alice");
    let leave = alice.call("teams/leave", &[]).await;
    assert_eq!(leave.status, 409, "{}", leave.body);
    let demote = alice
        .call("teams/role", &[("member", &me), ("role", "recruiter")])
        .await;
    assert_eq!(demote.status, 409, "{}", demote.body);
    assert_eq!(page(&mut alice).await.my_role, TeamRole::Owner);

    // The log says who did what.
    let log: Vec<String> = team
        .activity
        .iter()
        .map(|a| format!("{} {}", a.who, a.what))
        .collect();
    for line in [
        "alice created the set Backend loop",
        "alice made a share link for Backend loop",
        "bobby joined as recruiter",
        "bobby edited the set Backend loop, v2",
        "alice renamed the team to Platform hiring",
    ] {
        assert!(log.iter().any(|l| l == line), "{line:?} in {log:#?}");
    }

    // Removed: access ends with the very next request. Bob, a recruiter
    // now, keeps a team of his own, and sees nothing of Alice's.
    let bob_id = member_id(&team, "bobby");
    let removed = alice.call("teams/remove", &[("member", &bob_id)]).await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert_eq!(bob.call("sets/get", &[("id", &set)]).await.status, 404);
    assert!(!bob
        .call("sets/list", &[])
        .await
        .body
        .contains("Backend loop"));
    assert_ne!(page(&mut bob).await.name, "Platform hiring");
    let after = page(&mut alice).await;
    assert!(after.members.iter().all(|m| m.name != "bobby"));
    assert!(after
        .activity
        .iter()
        .any(|a| a.who == "bobby" && a.what.starts_with("edited")));
}

#[sqlx::test]
async fn a_person_in_two_teams_switches_between_them(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut alice = account(&app, "alice", "recruiter").await;
    let first = new_set(&mut alice, "In the first team").await;
    let made = alice.call("teams/create", &[("name", "Data team")]).await;
    assert_eq!(made.status, 200, "{}", made.body);
    assert_eq!(page(&mut alice).await.name, "Data team");
    assert_eq!(alice.call("sets/get", &[("id", &first)]).await.status, 404);
    let mine: Vec<rehearse::teams::types::TeamSummary> =
        serde_json::from_str(&alice.call("teams/mine", &[]).await.body).expect("teams");
    assert_eq!(mine.len(), 2);
    let back = mine.iter().find(|t| !t.current).expect("the other team");
    let switched = alice.call("teams/switch", &[("team", &back.id)]).await;
    assert_eq!(switched.status, 200, "{}", switched.body);
    assert_eq!(alice.call("sets/get", &[("id", &first)]).await.status, 200);
    // Bad input: a clear error, nothing changed.
    let bad = alice.call("teams/create", &[("name", "   ")]).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let stranger = alice
        .call(
            "teams/switch",
            &[("team", &uuid::Uuid::new_v4().to_string())],
        )
        .await;
    assert_eq!(stranger.status, 404);
    assert_eq!(alice.call("sets/get", &[("id", &first)]).await.status, 200);
    // A plain form post lands back on the team page.
    let form = alice
        .call_with(
            "teams/switch",
            &[("team", &back.id)],
            "http://localhost",
            |mut r| {
                r.headers_mut()
                    .insert("accept", "text/html".parse().expect("header"));
                r
            },
        )
        .await;
    assert_eq!(form.status, 302);
    assert_eq!(
        form.headers.get("location").map(|v| v.as_bytes()),
        Some(&b"/team"[..])
    );
}

#[sqlx::test]
async fn recruiter_signup_by_invitation_only(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app =
        crate::common::app_with_config(pool.clone(), &[("REHEARSE_RECRUITER_SIGNUP", "invite")])
            .await;
    let mut c = Client::new(&app);
    let refused = c
        .call(
            "accounts/register",
            &[
                ("username", "hopeful"),
                ("password", "tidy orange kettle"),
                ("role", "recruiter"),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("invitation"), "{}", refused.body);
    let page = get(&app, "/register").await;
    assert!(
        !page.body.contains("value=\"recruiter\""),
        "no recruiter choice"
    );
    // An admin makes the first recruiter; their invitation makes the next.
    let mut boss = admin(&app, &pool, "boss").await;
    let code = invite(&mut boss, "recruiter").await;
    let mut hired = joined(&app, "hired", &code).await;
    assert_eq!(hired.call("sets/list", &[]).await.status, 200);
    let own = hired.call("teams/create", &[("name", "Hired's own")]).await;
    assert_eq!(own.status, 200, "a recruiter now: {}", own.body);
}

/// The migration gives every recruiter a personal team holding their sets,
/// questions, links and results, on a database that had them before teams.
#[sqlx::test]
async fn existing_recruiters_get_a_personal_team_holding_everything(pool: SqlitePool) {
    const TEAMS: i64 = 20261208000015;
    let url = if on_postgres() {
        crate::common::pg::empty_url().await
    } else {
        let file = pool.connect_options().get_filename().to_owned();
        pool.close().await;
        let _ = std::fs::remove_file(&file);
        format!("sqlite://{}", file.display())
    };
    let app_pool: Pool = if on_postgres() {
        let pg = sqlx::PgPool::connect(&url).await.expect("connects");
        let mut before = sqlx::migrate!("./migrations_postgres");
        before.migrations = before
            .migrations
            .iter()
            .filter(|m| m.version < TEAMS)
            .cloned()
            .collect::<Vec<_>>()
            .into();
        before.run(&pg).await.expect("older migrations");
        pg.db()
    } else {
        let options = rehearse::platform::db::sqlite::options(&url).expect("url");
        let lite = sqlx::SqlitePool::connect_with(options)
            .await
            .expect("opens");
        let mut before = sqlx::migrate!("./migrations");
        before.migrations = before
            .migrations
            .iter()
            .filter(|m| m.version < TEAMS)
            .cloned()
            .collect::<Vec<_>>()
            .into();
        before.run(&lite).await.expect("older migrations");
        lite.db()
    };
    let (alice, bob, guest) = (
        uuid::Uuid::new_v4(),
        uuid::Uuid::new_v4(),
        uuid::Uuid::new_v4(),
    );
    let set = uuid::Uuid::new_v4();
    on!(&app_pool, |p| {
        for (id, name, role, is_guest) in [
            (alice, "alice", "recruiter", false),
            (bob, "bob", "candidate", false),
            (guest, "guest-x", "candidate", true),
        ] {
            sqlx::query(
                "INSERT INTO users (id, username, password_hash, role, is_guest, created_at)
                 VALUES ($1, $2, '', $3, $4, 1)",
            )
            .bind(id)
            .bind(name)
            .bind(role)
            .bind(is_guest)
            .execute(p)
            .await
            .expect("user");
        }
        sqlx::query("INSERT INTO topics (id, slug, name, position) VALUES (1, 't', 'T', 1)")
            .execute(p)
            .await
            .expect("topic");
        sqlx::query(
            "INSERT INTO questions (slug, topic_id, level, prompt, reference_answer, answer_html,
                 source, author_id, created_at, updated_at)
             VALUES ('own-1', 1, 'beginner', 'P?', 'A.', '<p>A.</p>', 'author', $1, 1, 1)",
        )
        .bind(alice)
        .execute(p)
        .await
        .expect("question");
        sqlx::query(
            "INSERT INTO question_sets (id, owner_id, title, share_code, created_at)
             VALUES ($1, $2, 'Old set', 'code-1', 1)",
        )
        .bind(set)
        .bind(alice)
        .execute(p)
        .await
        .expect("set");
    });
    // Now the rest, as the server does at start-up.
    match &app_pool {
        Pool::Sqlite(p) => rehearse::platform::db::sqlite::migrate(p)
            .await
            .expect("migrates"),
        Pool::Postgres(p) => rehearse::platform::db::postgres::migrate(p)
            .await
            .expect("migrates"),
    }
    on!(&app_pool, |p| {
        let members: Vec<(uuid::Uuid, uuid::Uuid, String)> =
            sqlx::query_as("SELECT team_id, user_id, role FROM team_members ORDER BY role")
                .fetch_all(p)
                .await
                .expect("members");
        assert_eq!(members, vec![(alice, alice, "owner".to_owned())]);
        let set_team: Option<uuid::Uuid> =
            sqlx::query_scalar("SELECT team_id FROM question_sets WHERE id = $1")
                .bind(set)
                .fetch_one(p)
                .await
                .expect("set");
        assert_eq!(set_team, Some(alice));
        let question_team: Option<uuid::Uuid> =
            sqlx::query_scalar("SELECT team_id FROM questions WHERE slug = 'own-1'")
                .fetch_one(p)
                .await
                .expect("question");
        assert_eq!(question_team, Some(alice));
        let name: String = sqlx::query_scalar("SELECT name FROM teams WHERE id = $1")
            .bind(alice)
            .fetch_one(p)
            .await
            .expect("team");
        assert_eq!(name, "Hiring team", "not the login name");
    });
    // And the app finds it: Alice acts for her team and sees her set.
    let acting = rehearse::teams::db::acting(&app_pool, alice)
        .await
        .expect("acting");
    assert_eq!(
        acting.map(|a| (a.team, a.role)),
        Some((alice, TeamRole::Owner))
    );
    assert_eq!(
        rehearse::teams::db::acting(&app_pool, bob)
            .await
            .expect("acting"),
        None
    );
    app_pool.close().await;
}

/// Who may call what. Each row: an endpoint and its form, then the status
/// each caller gets — owner, recruiter, interviewer, another team's
/// recruiter, a candidate, a guest, nobody, an admin — with `0` for "not
/// called here" (it changes the team, and is tested above).
#[sqlx::test]
async fn the_permission_matrix_holds_over_http(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let (mut owner, set, attempt, _) = team_with_a_candidate(&app, "owner1").await;
    let mut recruiter = joined(&app, "recruiter1", &invite(&mut owner, "recruiter").await).await;
    let mut interviewer = joined(
        &app,
        "interviewer1",
        &invite(&mut owner, "interviewer").await,
    )
    .await;
    let mut other = account(&app, "other1", "recruiter").await;
    let mut cand = account(&app, "cand1", "candidate").await;
    let mut guest = Client::new(&app);
    guest.start_practice(None).await;
    let mut nobody = Client::new(&app);
    let mut admin = admin(&app, &pool, "admin1").await;
    let team = page(&mut owner).await;
    let interviewer_id = member_id(&team, "interviewer1");
    let open = invite(&mut owner, "interviewer").await;
    let open_id = page(&mut owner)
        .await
        .invites
        .iter()
        .find(|i| i.open)
        .map(|i| i.id.clone())
        .expect("an open invitation");

    type Row<'a> = (&'a str, Vec<(&'a str, &'a str)>, [u16; 8]);
    let rows: Vec<Row> = vec![
        (
            "teams/page",
            vec![],
            [200, 200, 200, 200, 403, 403, 401, 200],
        ),
        (
            "teams/mine",
            vec![],
            [200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "teams/role",
            vec![("member", &interviewer_id), ("role", "interviewer")],
            [200, 403, 403, 404, 403, 403, 401, 404],
        ),
        (
            "teams/remove",
            vec![("member", &interviewer_id)],
            [0, 403, 403, 404, 403, 403, 401, 404],
        ),
        (
            "teams/revoke-invite",
            vec![("invite", &open_id)],
            [0, 403, 403, 404, 403, 403, 401, 404],
        ),
        (
            "teams/invite",
            vec![("role", "owner")],
            [200, 403, 403, 200, 403, 403, 401, 200],
        ),
        (
            "teams/rename",
            vec![("name", "Renamed")],
            [0, 403, 403, 200, 403, 403, 401, 200],
        ),
        (
            "teams/switch",
            vec![("team", &team.id)],
            [200, 200, 200, 404, 404, 404, 401, 404],
        ),
        (
            "teams/invitation",
            vec![("code", &open)],
            [200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "sets/list",
            vec![],
            [200, 200, 403, 200, 403, 403, 401, 200],
        ),
        (
            "sets/get",
            vec![("id", &set)],
            [200, 200, 403, 404, 403, 403, 401, 200],
        ),
        (
            "sets/activity",
            vec![("id", &set)],
            [200, 200, 403, 404, 403, 403, 401, 200],
        ),
        (
            "sets/duplicate",
            vec![("id", &set)],
            [200, 200, 403, 404, 403, 403, 401, 404],
        ),
        (
            "sharing/links",
            vec![("set_id", &set)],
            [200, 200, 403, 404, 403, 403, 401, 200],
        ),
        (
            "sharing/results",
            vec![("set_id", &set)],
            [200, 200, 403, 404, 403, 403, 401, 200],
        ),
        (
            "sharing/report",
            vec![("set_id", &set), ("attempt_id", &attempt)],
            [200, 200, 403, 404, 403, 403, 401, 200],
        ),
        (
            "sharing/review",
            vec![("attempt_id", &attempt), ("position", "0"), ("grade", "3")],
            [200, 200, 403, 404, 403, 403, 401, 404],
        ),
        (
            "sharing/recommend",
            vec![("attempt_id", &attempt), ("recommendation", "yes")],
            [200, 200, 403, 404, 403, 403, 401, 404],
        ),
    ];
    let names = [
        "owner",
        "recruiter",
        "interviewer",
        "other team",
        "candidate",
        "guest",
        "nobody",
        "admin",
    ];
    for (endpoint, form, want) in &rows {
        for (i, who) in [
            &mut owner,
            &mut recruiter,
            &mut interviewer,
            &mut other,
            &mut cand,
            &mut guest,
            &mut nobody,
            &mut admin,
        ]
        .into_iter()
        .enumerate()
        {
            if want[i] == 0 {
                continue;
            }
            let got: Reply = who.call(endpoint, form).await;
            assert_eq!(
                got.status, want[i],
                "{endpoint} as {}: {}",
                names[i], got.body
            );
        }
    }
    // Nobody outside changed the team: its name, and the interviewer is
    // still in it.
    let after = page(&mut owner).await;
    assert_eq!(after.name, "Platform hiring");
    assert!(after.members.iter().any(|m| m.name == "interviewer1"));

    // Downloads and pages, the same way.
    let downloads = [
        format!("/sets/{set}/export/json"),
        format!("/sets/{set}/results/export/summary"),
    ];
    for uri in &downloads {
        for (who, want) in [
            (&mut owner, 200),
            (&mut recruiter, 200),
            (&mut interviewer, 403),
            (&mut other, 404),
            (&mut cand, 403),
            (&mut nobody, 401),
            (&mut admin, 200),
        ] {
            assert_eq!(who.get(uri).await.status, want, "{uri}");
        }
    }
    let editor = format!("/sets/{set}");
    for (who, want) in [
        (&mut owner, 200),
        (&mut recruiter, 200),
        (&mut interviewer, 403),
        (&mut other, 404),
        (&mut cand, 403),
    ] {
        assert_eq!(who.get(&editor).await.status, want, "{editor}");
    }
    // The team page never shows one member's view to another.
    let seen_by_interviewer = interviewer.get("/team").await;
    assert!(!seen_by_interviewer.body.contains("data-testid=\"members\""));
    let seen_by_owner = owner.get("/team").await;
    assert!(seen_by_owner.body.contains("data-testid=\"members\""));
    assert!(
        seen_by_owner.body.contains("Start a team"),
        "a recruiter may start another team"
    );
    let seen_by_other = other.get("/team").await;
    let at = seen_by_other.body.find("Platform hiring");
    assert!(
        at.is_none(),
        "{}",
        &seen_by_other.body[at.unwrap_or(0).saturating_sub(300)..at.unwrap_or(0) + 100]
    );
}

/// What a review of the first version found, kept fixed: a team's own
/// questions are found by team (not by author), removing or demoting an
/// owner withdraws the invitations they made, deleting the only owner's
/// account hands the team to someone, and an autosaved set makes one
/// activity line however its title changes.
#[sqlx::test]
async fn team_edges_hold(pool: SqlitePool) {
    let pool = app_pool(pool).await;
    let app = app_with_bank(pool.clone()).await;
    let mut alice = account(&app, "alice", "recruiter").await;
    let personal = own_question(
        &mut alice,
        &[
            ("input[prompt]", "A personal-team question about retries"),
            ("input[level]", "beginner"),
            ("input[topic]", "architecture"),
            ("input[reference_answer]", "Back off."),
            ("input[key_points][0]", "backoff"),
        ],
    )
    .await;
    let made = alice.call("teams/create", &[("name", "Data team")]).await;
    assert_eq!(made.status, 200, "{}", made.body);
    let data_q = own_question(
        &mut alice,
        &[
            ("input[prompt]", "A data-team question about backfills"),
            ("input[level]", "beginner"),
            ("input[topic]", "architecture"),
            ("input[reference_answer]", "Idempotent writes."),
            ("input[key_points][0]", "idempotence"),
        ],
    )
    .await;
    let mut bob = joined(&app, "bobby", &invite(&mut alice, "recruiter").await).await;
    for endpoint in ["sets/questions/search", "sets/pick"] {
        let found = bob.call(endpoint, &[("filter[q]", "question")]).await;
        assert_eq!(found.status, 200, "{}", found.body);
        assert!(found.body.contains(&data_q), "{endpoint}: {}", found.body);
        assert!(
            !found.body.contains(&personal),
            "{endpoint}: {}",
            found.body
        );
    }

    // Bob, made an owner, invites; demoted, his invitation stops working.
    let team = page(&mut alice).await;
    let bob_id = member_id(&team, "bobby");
    let up = alice
        .call("teams/role", &[("member", &bob_id), ("role", "owner")])
        .await;
    assert_eq!(up.status, 200, "{}", up.body);
    let his = invite(&mut bob, "owner").await;
    let down = alice
        .call("teams/role", &[("member", &bob_id), ("role", "recruiter")])
        .await;
    assert_eq!(down.status, 200, "{}", down.body);
    let landing = Client::new(&app)
        .call("teams/invitation", &[("code", &his)])
        .await;
    assert!(landing.body.contains("withdrawn"), "{}", landing.body);
    // Nor can a demoted owner do an owner's work.
    assert_eq!(
        bob.call("teams/invite", &[("role", "owner")]).await.status,
        403
    );

    // An autosaved set: one line, however often its title changes.
    let set = new_set(&mut bob, "Draft").await;
    for (rev, title) in [("1", "D"), ("2", "Da"), ("3", "Dat"), ("4", "Data loop")] {
        let saved = save_draft(
            &mut bob,
            &set,
            rev,
            &[("draft[title]", title), ("draft[mode]", "practice")],
        )
        .await;
        assert_eq!(saved.status, 200, "{}", saved.body);
    }
    let edits = page(&mut alice)
        .await
        .activity
        .iter()
        .filter(|a| a.who == "bobby" && a.what.starts_with("edited the set"))
        .count();
    assert_eq!(edits, 1);

    // Alice, the only owner, deletes her account: Bob owns the team now,
    // and keeps its sets.
    let gone = alice
        .call("accounts/delete", &[("password", "tidy orange kettle")])
        .await;
    assert_eq!(gone.status, 200, "{}", gone.body);
    let now = page(&mut bob).await;
    assert_eq!(now.my_role, TeamRole::Owner);
    assert_eq!(bob.call("sets/get", &[("id", &set)]).await.status, 200);
}
