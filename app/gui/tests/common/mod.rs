//! Helpers shared by the editor's integration tests.

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
