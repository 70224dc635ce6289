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
