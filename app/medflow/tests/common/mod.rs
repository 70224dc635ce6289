//! Helpers shared by the tests that run the real `medflow` binary.
#![allow(dead_code, reason = "each test binary uses a different part")]

pub mod controls;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `medflow` in `folder`, with its data directory (user ATT&CK catalog) at `data_dir`.
pub fn medflow_with_data(args: &[&str], folder: &Path, data_dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_medflow"))
        .args(args)
        .current_dir(folder)
        .env("MEDFLOW_DATA_DIR", data_dir)
        .output()
        .unwrap_or_else(|error| panic!("cannot run medflow: {error}"))
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A file of `tests/data`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// A file of the reference data (`../shared/reference`, or `MEDFLOW_REFERENCE`), or `None`
/// (the test is then skipped, and says so) when it is not there and
/// `MEDFLOW_REQUIRE_REFERENCE` is not `1`.
pub fn reference_file(relative: &str) -> Option<PathBuf> {
    let reference = std::env::var_os("MEDFLOW_REFERENCE").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference"),
        PathBuf::from,
    );
    let path = reference.join(relative);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var("MEDFLOW_REQUIRE_REFERENCE").as_deref() != Ok("1"),
        "reference data not found at {}",
        path.display()
    );
    println!("skipped: reference data not found");
    None
}
