//! The layers of docs/architecture.md keep to what they may use: storage, the rules, the
//! keys and the notifications name nothing of the web layer (not even in doc comments), and
//! storage uses nothing of the domain but its types.

use std::path::{Path, PathBuf};

/// Words that belong to the web face only.
const WEB: [&str; 10] = [
    "axum",
    "ApiError",
    "StatusCode",
    "hyper",
    "tower",
    "http::",
    "crate::bapi",
    "crate::fapi",
    "crate::server",
    "crate::dashboard",
];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

fn src(layer: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(layer)
}

/// Every `(file, line)` of `layer` that names one of `words`.
fn mentions(layer: &str, words: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in rust_files(&src(layer)) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            if let Some(word) = words.iter().find(|w| line.contains(*w)) {
                found.push(format!("{}:{}: {word}", file.display(), number + 1));
            }
        }
    }
    found
}

#[test]
fn storage_rules_keys_and_notifications_know_nothing_of_the_web() {
    for layer in ["store", "domain", "keys", "notify", "wire"] {
        let found = mentions(layer, &WEB);
        assert!(
            found.is_empty(),
            "{layer} names the web layer:\n{}",
            found.join("\n")
        );
    }
}

/// What only storage writes: SQL and its driver.
const SQL: [&str; 6] = [
    "sqlx",
    "SELECT ",
    "INSERT INTO",
    "UPDATE ",
    "DELETE FROM",
    "AnyConnection",
];

#[test]
fn the_web_faces_write_no_sql() {
    // The dashboard may use what the Backend API may use: the domain, the store's reads, the
    // keys, the wire views; never SQL.
    // (`bapi/errors.rs` names the driver's error type to classify it; no face writes a
    // statement.)
    for layer in ["bapi", "fapi", "dashboard"] {
        let words: &[&str] = if layer == "dashboard" {
            &SQL
        } else {
            &SQL[1..5]
        };
        let found = mentions(layer, words);
        assert!(
            found.is_empty(),
            "{layer} writes SQL:\n{}",
            found.join("\n")
        );
    }
}

#[test]
fn storage_uses_only_the_domain_types() {
    let services = [
        "domain::users",
        "domain::sessions",
        "domain::allowlist",
        "domain::instance",
        "domain::identifications::",
        "domain::credentials",
        "domain::messages",
        "domain::tokens",
        "domain::lockout",
        "domain::services",
        "domain::seed",
        "crate::notify",
    ];
    let found = mentions("store", &services);
    assert!(
        found.is_empty(),
        "store uses domain services:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_source_file_of_the_layers_is_over_600_lines() {
    for layer in ["store", "bapi", "fapi", "dashboard", "domain", "wire"] {
        for file in rust_files(&src(layer)) {
            let lines = std::fs::read_to_string(&file).unwrap().lines().count();
            assert!(lines <= 600, "{} has {lines} lines", file.display());
        }
    }
}
