//! `sqlx::migrate!` embeds the migration folders when the crate compiles,
//! and cargo does not notice a file added to them: without this, a new
//! migration would silently be left out until something else changed.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=migrations_postgres");
}
