//! What many tests set up the same way, through the app's own server
//! functions as a browser would: a recruiter's own question, a set with
//! its draft saved, a share link, and a candidate who started from it.

use axum::Router;

use crate::common::{Client, Reply};

/// Saves a new question of the recruiter's own (`fields` are the form's
/// `input[..]` pairs) and returns its slug.
pub async fn own_question(r: &mut Client, fields: &[(&str, &str)]) -> String {
    let mut form = vec![("slug", "")];
    form.extend_from_slice(fields);
    let q = r.call("sets/questions/save", &form).await;
    assert_eq!(q.status, 200, "{}", q.body);
    serde_json::from_str(&q.body).expect("slug")
}

/// Creates an empty set and returns its id.
pub async fn new_set(r: &mut Client, title: &str) -> String {
    let created = r.call("sets/create", &[("title", title)]).await;
    assert_eq!(created.status, 200, "{}", created.body);
    serde_json::from_str(&created.body).expect("id")
}

/// Saves a set's draft at revision `rev` (`draft` are the form's
/// `draft[..]` pairs), as the editor does; the reply is the caller's to
/// check.
pub async fn save_draft(r: &mut Client, set: &str, rev: &str, draft: &[(&str, &str)]) -> Reply {
    let mut form = vec![("id", set), ("rev", rev)];
    form.extend_from_slice(draft);
    r.call("sets/save", &form).await
}

/// Opens a share link to `set` (`fields`: label, limit, expiry) and
/// returns its code (the newest link's).
pub async fn open_link(r: &mut Client, set: &str, fields: &[(&str, &str)]) -> String {
    let mut form = vec![("set_id", set)];
    form.extend_from_slice(fields);
    let link = r.call("sharing/create", &form).await;
    assert_eq!(link.status, 200, "{}", link.body);
    let links = r.call("sharing/links", &[("set_id", set)]).await;
    let links: Vec<rehearse::sharing::types::LinkInfo> =
        serde_json::from_str(&links.body).expect("links");
    links[0].code.clone()
}

/// A candidate starting from a link under `name`; the reply is the
/// caller's to check.
pub async fn start(c: &mut Client, code: &str, name: &str) -> Reply {
    c.call("sharing/start", &[("code", code), ("display_name", name)])
        .await
}

/// A guest candidate who started from the link: them and their session.
pub async fn candidate(app: &Router, code: &str, name: &str) -> (Client, String) {
    let mut cand = Client::new(app);
    let started = start(&mut cand, code, name).await;
    assert_eq!(started.status, 200, "{}", started.body);
    let session: String = serde_json::from_str(&started.body).expect("session");
    (cand, session)
}
