# Rehearse — everything a fresh machine needs, in two commands:
#   make run    install what is missing, build (release), migrate, load the
#               bank, serve on http://127.0.0.1:3000 with data/rehearse.db
#   make test   install what the tests need, then fmt, clippy, Rust tests
#               and the Playwright browser specs on a throwaway database
# Every install step is skipped when the right version is already present.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.11
WASM_BINDGEN_VERSION := 0.2.130
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

export PATH := $(HOME)/.cargo/bin:$(CURDIR)/tools/node_modules/.bin:$(PATH)
# cargo-leptos sets this while building; setting it for every cargo command
# keeps `cargo test` and `cargo leptos build` sharing compiled crates.
export LEPTOS_OUTPUT_NAME := rehearse
export SQLX_OFFLINE := true

.PHONY: help run test chaos tools wasm-target cargo-leptos wasm-bindgen wasm-opt \
        chromium wrk postgres e2e-deps lint unit unit-postgres e2e e2e-postgres build-release bench \
        clean-e2e

help:
	@echo "make run    build and serve Rehearse on http://127.0.0.1:3000"
	@echo "make test   every check: fmt, clippy, Rust tests, browser tests"
	@echo "make bench  performance figures (see README)"
	@echo "make chaos  20 rounds of SIGKILL under load on the release server"

## ---- tools -----------------------------------------------------------------

tools: wasm-target cargo-leptos wasm-bindgen wasm-opt

wasm-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown

# cargo-leptos's own profile is fat LTO (3.7 GB peak); these settings build
# it in ~1 GB. It only orchestrates builds, so its speed hardly matters.
cargo-leptos:
	@if [ "$$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $(CARGO_LEPTOS_VERSION)" ]; then \
	  echo ">> installing cargo-leptos $(CARGO_LEPTOS_VERSION) (once; ~20 min on 2 cores)"; \
	  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
	  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false \
	  cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked --ignore-rust-version; \
	fi

# Must match the wasm-bindgen crate pinned in Cargo.toml exactly; no
# --locked: its lockfile wants a crate version the registry here lacks.
wasm-bindgen:
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo ">> installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (once; ~9 min)"; \
	  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi

# npm's binaryen 132 (Debian's 108 produces WASM that fails to hydrate).
wasm-opt: tools/node_modules/.bin/wasm-opt
tools/node_modules/.bin/wasm-opt: tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund
	@touch $@

wrk:
	@command -v wrk >/dev/null || { \
	  echo ">> installing Debian's wrk for the HTTP load benchmark"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk >/dev/null; }

# The PostgreSQL backend's tests start a private cluster of their own
# (scripts/postgres.sh); only the server's programs are needed.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo ">> installing Debian's PostgreSQL for the backend tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql >/dev/null; }

chromium:
	@command -v chromium >/dev/null || { \
	  echo ">> installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; }

e2e-deps: end2end/node_modules/.bin/playwright
end2end/node_modules/.bin/playwright: end2end/package-lock.json
	cd end2end && npm ci --no-audit --no-fund
	@touch $@

## ---- run -------------------------------------------------------------------

build-release: tools
	cargo leptos build --release --precompress
	@# cargo-leptos gzips at a fast level (the WASM came out at 642 KB);
	@# gzip -9 makes it 543 KB for the clients that do not take brotli.
	for f in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do \
	  gzip -9 -k -f -n "$$f"; done

run: build-release
	@mkdir -p data
	REHEARSE_DATABASE_URL=$${REHEARSE_DATABASE_URL:-sqlite://data/rehearse.db} \
	LEPTOS_SITE_ROOT=target/site \
	./target/release/rehearse

## ---- test ------------------------------------------------------------------

test: tools chromium postgres e2e-deps lint unit unit-postgres e2e e2e-postgres
	@echo ">> all checks passed"

lint:
	cargo fmt --check
	python3 bank/check.py
	python3 ../shared/tools/originality.py bank
	python3 scripts/layers.py --check > /dev/null
	cargo clippy --features ssr --all-targets -- -D warnings
	cargo clippy --lib --no-default-features --features hydrate \
	  --target wasm32-unknown-unknown -- -D warnings

# Which integration tests run alone, and which only on SQLite, is said in
# tests/it/main.rs (the alone:: and once:: groups).
unit:
	cargo test --features ssr -- --skip alone::
	cargo test --features ssr --test it -- alone::

# The integration suite again on PostgreSQL: each test's app gets a new
# database on a private cluster (scripts/postgres.sh, started by the tests
# and stopped when they end); the once:: and alone:: groups already ran.
unit-postgres:
	REHEARSE_TEST_BACKEND=postgres cargo test --features ssr --test it -- \
	  --skip once:: --skip alone::

# Debug build (faster to compile); Playwright starts the server on port
# 3100 with a fresh database and stops it afterwards.
e2e: clean-e2e
	cargo leptos build --bin-features test-clock
	cd end2end && npx playwright test

clean-e2e:
	@rm -rf target/e2e && mkdir -p target/e2e

# The same browser specs against a server on PostgreSQL (a private cluster
# on a free port, removed afterwards; also stopped if make is killed).
e2e-postgres:
	@# The same build as `e2e` (a no-op after it): the Rust tests rebuild
	@# the server binary without the test clock.
	cargo leptos build --bin-features test-clock
	@dir=/tmp/rehearse-e2e-pg-$$$$; \
	url=$$(scripts/postgres.sh start $$dir $$$$); \
	trap '$(CURDIR)/scripts/postgres.sh stop '$$dir EXIT; \
	cd end2end && E2E_DATABASE_URL=$$url E2E_PORT=3101 npx playwright test

## ---- bench -----------------------------------------------------------------

# Crash safety at length: the release server killed with SIGKILL 20 times
# while clients save, submit and grade; every acknowledged write must be
# there after each restart. (`make test` runs 3 rounds on the debug build.)
chaos:
	REHEARSE_CHAOS_ROUNDS=$${REHEARSE_CHAOS_ROUNDS:-20} \
	  cargo test --release --features ssr --test it chaos -- --nocapture

# The HTTP load section drives the release server with wrk (Debian's
# package) next to a bare axum ceiling; it needs `build-release` first.
bench: build-release wrk
	cargo bench --features ssr --bench http
	cargo bench --features ssr --bench heavy
	cargo bench --features ssr --bench bank
	cargo bench --features ssr --bench autosave
	cargo bench --features ssr --bench dashboard
	cargo bench --features ssr --bench sets
	cargo bench --features ssr --bench backends
