//! The built stylesheet, script and WASM under `/pkg`.
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
//! Why files on disk and not embedded in the binary (memory-serve and the
//! like): cargo-leptos writes the site directory after it builds the
//! server, and `make run` already ships the two together; embedding would
//! mean building the server twice or in a second step. `ServeDir` reads
//! a ~40 KB stylesheet from the page cache as fast as memory here (the
//! HTTP benchmark measures it against a ceiling serving from memory).

use std::path::PathBuf;

use axum::http::{header, HeaderValue};
use leptos::prelude::LeptosOptions;
use tower::ServiceBuilder;
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

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

/// The service for `/pkg`: hashed files cached for a year, precompressed
/// copies preferred.
pub fn service(options: &LeptosOptions) -> axum::routing::MethodRouter {
    let dir = PathBuf::from(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let cache = if options.hash_files {
        HeaderValue::from_static("public, max-age=31536000, immutable")
    } else {
        HeaderValue::from_static("no-cache")
    };
    axum::routing::get_service(
        ServiceBuilder::new()
            // Only a file found is kept: a 404 for a name that exists in
            // a newer build must not be cached for a year.
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                move |res: &axum::response::Response<_>| {
                    res.status().is_success().then(|| cache.clone())
                },
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::VARY,
                HeaderValue::from_static("accept-encoding"),
            ))
            .service(ServeDir::new(dir).precompressed_br().precompressed_gzip()),
    )
}
