//! The built stylesheet, script and WASM under `/pkg`, and the few files
//! at the site's root (`public/`: the favicon), served from memory.
//!
//! cargo-leptos names them by content hash (`hash-files` in Cargo.toml)
//! and, for `make run`, writes brotli and gzip copies beside them
//! (`--precompress`). So a file's name changes whenever its bytes do, and
//! each one is served:
//! - with `Cache-Control: public, max-age=31536000, immutable`: a browser
//!   fetches it once, not once per page view;
//! - as the precompressed `.br` or `.gz` copy when the client accepts it
//!   (compressed once at build time at the highest level, never per
//!   request; the compression layer leaves an encoded response alone).
//!
//! Without a hash file (`cargo test`, which builds no front end) names are
//! plain and the files must be revalidated: `no-cache`.
//!
//! The files (a few MB with their compressed copies) are read once when
//! the router is built. tower-http's `ServeDir` opens and reads the file on
//! every request, which the HTTP benchmark measured at 13 % of a bare
//! handler serving the same bytes. Why not embed them in the binary
//! (memory-serve and the like): cargo-leptos writes the site directory as
//! a separate step and `make run` ships the two together; embedding would
//! mean building the server after the front end in a second step.

use std::{collections::HashMap, path::PathBuf, sync::Arc};

use axum::{
    body::{Body, Bytes},
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use leptos::prelude::LeptosOptions;

/// Where cargo-leptos leaves its list of hashes: beside the binary.
fn hash_file(options: &LeptosOptions) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(options.hash_file.as_ref()))
}

/// Turns hashed names on when this binary was built with them, so the
/// binary works however it is started (`make run`, cargo-leptos, tests)
/// without an environment variable to remember.
pub fn detect_hashed_names(options: &mut LeptosOptions) {
    options.hash_files = hash_file(options).is_some_and(|path| path.is_file());
}

/// One built file and its precompressed copies.
struct Asset {
    content_type: HeaderValue,
    plain: Bytes,
    br: Option<Bytes>,
    gzip: Option<Bytes>,
}

/// Every file under the site's `pkg` directory, and every file at its root,
/// by name.
pub struct Assets {
    files: HashMap<String, Asset>,
    cache_control: HeaderValue,
    root: HashMap<String, Asset>,
}

/// Root files keep their names from build to build: a day, then revalidate.
const ROOT_CACHE_CONTROL: &str = "public, max-age=86400";

impl Assets {
    /// Reads the directories; a missing one (tests without a front end) is
    /// simply empty.
    pub fn load(options: &LeptosOptions) -> Self {
        let root = PathBuf::from(options.site_root.as_ref());
        let files = read_dir(&root.join(options.site_pkg_dir.as_ref()));
        let cache_control = if options.hash_files {
            HeaderValue::from_static("public, max-age=31536000, immutable")
        } else {
            HeaderValue::from_static("no-cache")
        };
        Self {
            files,
            cache_control,
            root: read_dir(&root),
        }
    }
}

/// The files of one directory (not its subdirectories), each with its
/// `.br` and `.gz` copies when they exist.
fn read_dir(dir: &std::path::Path) -> HashMap<String, Asset> {
    let mut files = HashMap::new();
    let entries = std::fs::read_dir(dir).into_iter().flatten().flatten();
    for entry in entries {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        if name.ends_with(".br") || name.ends_with(".gz") || !path.is_file() {
            continue;
        }
        let Ok(plain) = std::fs::read(&path) else {
            tracing::warn!(file = %path.display(), "cannot read a built asset");
            continue;
        };
        let copy = |ext: &str| std::fs::read(dir.join(format!("{name}.{ext}"))).ok();
        let asset = Asset {
            content_type: content_type(&name),
            plain: plain.into(),
            br: copy("br").map(Bytes::from),
            gzip: copy("gz").map(Bytes::from),
        };
        files.insert(name, asset);
    }
    files
}

fn content_type(name: &str) -> HeaderValue {
    let ext = name.rsplit('.').next().unwrap_or("");
    HeaderValue::from_static(match ext {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    })
}

/// Which encodings the client accepts (`q=0` refuses one).
pub(super) fn accepts(headers: &HeaderMap, encoding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            parts
                .next()
                .is_some_and(|name| name.eq_ignore_ascii_case(encoding))
                && !parts.any(|p| p.replace(' ', "") == "q=0")
        })
}

/// `GET /pkg/{file}`. Served outside the router's middleware (see
/// `router::app`), so every header it needs is set here.
pub async fn serve(
    State(assets): State<Arc<Assets>>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    match assets.files.get(&name) {
        Some(asset) => respond(asset, &assets.cache_control, &headers),
        None => (StatusCode::NOT_FOUND, "Not found.").into_response(),
    }
}

/// One file, in the encoding the client prefers among those it has.
fn respond(asset: &Asset, cache_control: &HeaderValue, headers: &HeaderMap) -> Response {
    let (body, encoding) = match (&asset.br, &asset.gzip) {
        (Some(br), _) if accepts(headers, "br") => (br.clone(), Some("br")),
        (_, Some(gz)) if accepts(headers, "gzip") => (gz.clone(), Some("gzip")),
        _ => (asset.plain.clone(), None),
    };
    let mut res = Response::new(Body::from(body));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, asset.content_type.clone());
    h.insert(header::CACHE_CONTROL, cache_control.clone());
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if asset.br.is_some() || asset.gzip.is_some() {
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if let Some(encoding) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    res
}

/// The router for `/pkg` and the site's root files.
pub fn router<S: Clone + Send + Sync + 'static>(options: &LeptosOptions) -> axum::Router<S> {
    let assets = Arc::new(Assets::load(options));
    let mut router = axum::Router::new().route("/pkg/{file}", axum::routing::get(serve));
    // One route per root file, each by its exact name: an unknown path is
    // left to the app's 404 page, which never touches the disk. Only names
    // with an extension, so none can clash with a page's route.
    let plain = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
    let file_name = |n: &&String| n.contains('.') && n.chars().all(plain);
    for name in assets.root.keys().filter(file_name) {
        let name = name.clone();
        let path = format!("/{name}");
        router = router.route(
            &path,
            axum::routing::get(
                move |State(assets): State<Arc<Assets>>, headers: HeaderMap| {
                    let name = name.clone();
                    async move {
                        match assets.root.get(&name) {
                            Some(asset) => respond(
                                asset,
                                &HeaderValue::from_static(ROOT_CACHE_CONTROL),
                                &headers,
                            ),
                            None => StatusCode::NOT_FOUND.into_response(),
                        }
                    }
                },
            ),
        );
    }
    router.with_state(assets)
}

#[cfg(test)]
mod tests {
    use super::accepts;
    use axum::http::{header, HeaderMap, HeaderValue};

    #[test]
    fn accept_encoding_lists() {
        let h = |v: &'static str| {
            let mut m = HeaderMap::new();
            m.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(v));
            m
        };
        assert!(accepts(&h("gzip, deflate, br, zstd"), "br"));
        assert!(accepts(&h("br;q=1.0, gzip;q=0.8"), "gzip"));
        assert!(!accepts(&h("gzip, br;q=0"), "br"));
        assert!(!accepts(&h("gzip"), "br"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }
}
