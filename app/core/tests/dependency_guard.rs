//! The core must stay free of GUI and command-line crates: its normal dependency tree may not
//! contain egui, eframe, winit, wgpu, rfd, clap or anyhow.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::process::Command;

const FORBIDDEN: &[&str] = &["egui", "eframe", "winit", "wgpu", "rfd", "clap", "anyhow"];

#[test]
fn core_depends_on_no_gui_or_cli_crate() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "tree",
            "-p",
            "medflow-core",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8(output.stdout).unwrap();
    let crates: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(
        crates.contains(&"medflow-core") && crates.contains(&"serde_json"),
        "unexpected tree:\n{tree}"
    );
    let found: Vec<&&str> = FORBIDDEN
        .iter()
        .filter(|name| crates.contains(name))
        .collect();
    assert!(
        found.is_empty(),
        "medflow-core depends on {found:?}:\n{tree}"
    );
}
