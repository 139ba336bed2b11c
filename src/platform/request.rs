//! The request in hand: its id, whether a plain form posted it, where to
//! send the browser next, and the header a page sets to be kept.

use http::header;
use leptos::prelude::use_context;

/// Set by a personal page's render to say it may be kept for its person
/// until this Unix time in ms (`pages::keep::keep_until`); never sent.
pub const KEEP_UNTIL: header::HeaderName = header::HeaderName::from_static("x-rehearse-keep-until");

/// This request's id (set by the router's request-id layer), for security
/// log lines: it ties them to the request's other lines and to what the
/// client saw in `x-request-id`.
pub fn request_id() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "-".to_owned())
}

/// Redirects a plain HTML form post (no JavaScript) to `path` once its
/// server function succeeds; calls from islands are left to navigate
/// themselves.
pub fn redirect_form_post(path: &str) {
    if is_plain_form_post() {
        redirect(path);
    }
}

/// Whether the server function being run was called by a plain HTML form
/// (a browser navigating, which accepts HTML), not by an island.
pub fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}

/// Sends the browser to `path` once the response is ready.
pub fn redirect(path: &str) {
    leptos_axum::redirect(&header_safe(path));
}

/// `path` as a `Location` header may carry it: controls, spaces and
/// non-ASCII bytes percent-encoded (everything else, `%` included, is
/// left as it is, so an address already encoded stays the same).
pub fn header_safe(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_graphic() {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::header_safe;

    #[test]
    fn locations_never_carry_line_breaks() {
        assert_eq!(
            header_safe("/sets/\r\nX-Evil: 1"),
            "/sets/%0D%0AX-Evil:%201"
        );
        assert_eq!(header_safe("/a%20b?c=d"), "/a%20b?c=d");
    }
}
