//! Helpers shared by the integration tests: finding the reference data beside the project.
#![allow(dead_code, reason = "each test binary uses a different part")]

pub mod schema;

use std::path::{Path, PathBuf};

/// The reference data folder: `$MEDFLOW_REFERENCE`, or `../shared/reference` beside the
/// repository. `None` (after printing "skipped: reference data not found") when it is absent,
/// unless `MEDFLOW_REQUIRE_REFERENCE=1`, which turns absence into a test failure.
pub fn reference_dir() -> Option<PathBuf> {
    let candidate = std::env::var_os("MEDFLOW_REFERENCE").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference"),
        PathBuf::from,
    );
    if candidate.is_dir() {
        return Some(candidate);
    }
    assert!(
        std::env::var("MEDFLOW_REQUIRE_REFERENCE").as_deref() != Ok("1"),
        "reference data not found at {} and MEDFLOW_REQUIRE_REFERENCE=1",
        candidate.display()
    );
    println!(
        "skipped: reference data not found ({})",
        candidate.display()
    );
    None
}

/// Every `.json` file under `dir`, recursively, sorted by path.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|extension| extension == "json")
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The STIX bundles among the Attack Flow reference files: every `.json` under
/// `attack-flow/` that is a bundle (the corpus exports, the official example, the extension
/// bundle and the test fixtures), skipping the JSON Schema documents.
pub fn attack_flow_bundles(reference: &Path) -> Vec<PathBuf> {
    json_files(&reference.join("attack-flow"))
        .into_iter()
        .filter(|path| {
            std::fs::read(path)
                .ok()
                .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
                .is_some_and(|value| {
                    value.get("type").and_then(|kind| kind.as_str()) == Some("bundle")
                })
        })
        .collect()
}
