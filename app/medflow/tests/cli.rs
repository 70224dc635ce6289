//! The real `medflow` binary, run in temporary folders: exit codes, text and JSON output,
//! per-file problems that never abort a run, and `fmt` in place, to a file and as a check.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::Path;
use std::process::Output;

use common::{fixture, medflow_with_data, text};

use serde_json::Value;

fn medflow(args: &[&str], folder: &Path) -> Output {
    medflow_with_data(args, folder, &folder.join(".medflow-data"))
}

/// A temporary folder holding the valid fixture as `flow.json`.
fn folder_with_valid_flow() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("valid-flow.json"), folder.path().join("flow.json")).unwrap();
    folder
}

#[test]
fn validate_reports_a_valid_flow_with_exit_0() {
    let folder = folder_with_valid_flow();
    let output = medflow(&["validate", "flow.json"], folder.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "1 file checked: 0 errors, 0 warnings\n"
    );
}

#[test]
fn validate_json_lists_problems_and_exits_1() {
    let folder = folder_with_valid_flow();
    let flow = std::fs::read_to_string(folder.path().join("flow.json")).unwrap();
    let broken = flow.replacen("\"scope\": \"incident\"", "\"scope\": \"heist\"", 1);
    assert_ne!(flow, broken);
    std::fs::write(folder.path().join("broken.json"), broken).unwrap();
    let output = medflow(&["validate", "--format", "json", "."], folder.path());
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 2);
    assert_eq!(report["summary"]["errors"], 1);
    assert_eq!(report["summary"]["warnings"], 0);
    let files = report["files"].as_array().unwrap();
    assert_eq!(files[0]["path"], "./broken.json");
    let diagnostic = &files[0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "af-enum-value");
    assert_eq!(diagnostic["severity"], "error");
    assert!(
        diagnostic["object_id"]
            .as_str()
            .unwrap()
            .starts_with("attack-flow--")
    );
    assert!(diagnostic["message"].as_str().unwrap().contains("heist"));
    assert_eq!(files[1]["diagnostics"].as_array().unwrap().len(), 0);
}

#[test]
fn a_missing_file_does_not_stop_the_others_and_exits_2() {
    let folder = folder_with_valid_flow();
    std::fs::write(
        folder.path().join("syntax.json"),
        "{\n  \"type\": \"bundle\",\n  oops\n}",
    )
    .unwrap();
    let output = medflow(
        &["validate", "missing.json", "syntax.json", "flow.json"],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("missing.json: error [read-io]"), "{stdout}");
    assert!(
        stdout.contains("syntax.json: error [read-json-syntax]: line 3, column 3"),
        "{stdout}"
    );
    assert!(
        stdout.contains("3 files checked: 2 errors, 0 warnings"),
        "{stdout}"
    );
}

#[test]
fn oversized_files_are_refused_by_size() {
    let folder = folder_with_valid_flow();
    let output = medflow(
        &["validate", "--max-bytes", "100", "flow.json"],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stdout).contains("[read-too-large]"));
}

#[test]
fn fmt_check_then_fmt_then_check_again() {
    let folder = folder_with_valid_flow();
    let original = std::fs::read(folder.path().join("flow.json")).unwrap();

    let check = medflow(&["fmt", "--check", "flow.json"], folder.path());
    assert_eq!(check.status.code(), Some(1));
    assert!(text(&check.stdout).contains("would reformat flow.json"));
    assert_eq!(
        std::fs::read(folder.path().join("flow.json")).unwrap(),
        original,
        "--check changed the file"
    );

    let format = medflow(&["fmt", "flow.json"], folder.path());
    assert_eq!(format.status.code(), Some(0), "{}", text(&format.stderr));
    let formatted = std::fs::read_to_string(folder.path().join("flow.json")).unwrap();
    assert_ne!(formatted.as_bytes(), original.as_slice());
    assert!(formatted.starts_with("{\n  \"type\": \"bundle\",\n  \"id\": \"bundle--"));
    assert!(formatted.ends_with("}\n"));
    let first_object = formatted.find("\"type\": \"attack-flow\"").unwrap();
    let extension = formatted
        .find("\"type\": \"extension-definition\"")
        .unwrap();
    assert!(first_object < extension, "the attack-flow comes first");

    let again = medflow(&["fmt", "--check", "flow.json"], folder.path());
    assert_eq!(again.status.code(), Some(0));
    let still_valid = medflow(&["validate", "flow.json"], folder.path());
    assert_eq!(still_valid.status.code(), Some(0));
}

#[test]
fn fmt_output_writes_elsewhere_and_leaves_the_input() {
    let folder = folder_with_valid_flow();
    let original = std::fs::read(folder.path().join("flow.json")).unwrap();
    let output = medflow(&["fmt", "flow.json", "-o", "canonical.json"], folder.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        std::fs::read(folder.path().join("flow.json")).unwrap(),
        original
    );
    let check = medflow(&["fmt", "--check", "canonical.json"], folder.path());
    assert_eq!(check.status.code(), Some(0));
}

#[test]
fn fmt_refuses_unreadable_json_with_its_position() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("bad.json"), "{\"objects\": [}").unwrap();
    let output = medflow(&["fmt", "bad.json"], folder.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("bad.json: line 1, column 14"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(folder.path().join("bad.json")).unwrap(),
        "{\"objects\": [}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let folder = tempfile::tempdir().unwrap();
    assert_eq!(medflow(&["validate"], folder.path()).status.code(), Some(2));
    assert_eq!(
        medflow(&["frobnicate"], folder.path()).status.code(),
        Some(2)
    );
    let help = medflow(&["--help"], folder.path());
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help.stdout).contains("validate"));
}

#[test]
fn fmt_check_accepts_its_own_output_for_the_reference_corpus() {
    let Some(corpus) = common::reference_file("attack-flow/corpus") else {
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let mut count = 0;
    for entry in std::fs::read_dir(&corpus).unwrap().flatten() {
        let path = entry.path();
        if path
            .extension()
            .is_some_and(|extension| extension == "json")
        {
            std::fs::copy(&path, folder.path().join(path.file_name().unwrap())).unwrap();
            count += 1;
        }
    }
    assert_eq!(count, 40);
    // As the Builder exports them, each carries bundle properties STIX forbids: an error in
    // the file as written (703 such variants exited 0 before), which fmt fixes.
    let exported = medflow(&["validate", "--format", "json", "."], folder.path());
    assert_eq!(exported.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&exported.stdout).unwrap();
    assert_eq!(report["summary"]["errors"], 40);
    let first = medflow(&["fmt", "."], folder.path());
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert!(text(&first.stdout).contains("40 file(s) reformatted"));
    let check = medflow(&["fmt", "--check", "."], folder.path());
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
    // Re-formatted, the corpus is valid: its ATT&CK findings are warnings, which --strict
    // fails on.
    let validate = medflow(&["validate", "--format", "json", "."], folder.path());
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        text(&validate.stdout)
    );
    let report: Value = serde_json::from_slice(&validate.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 40);
    assert_eq!(report["summary"]["errors"], 0);
    let strict = medflow(&["validate", "--strict", "."], folder.path());
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn the_official_example_validates_with_exit_0() {
    let Some(example) = common::reference_file("attack-flow/schema/attack-flow-example.json")
    else {
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    std::fs::copy(example, folder.path().join("example.json")).unwrap();
    // MITRE's example cites a technique_ref of another technique and "1598.003" for an id:
    // catalog facts, warnings; the file is valid Attack Flow.
    let output = medflow(&["validate", "example.json"], folder.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert!(
        text(&output.stdout).ends_with("1 file checked: 0 errors, 2 warnings\n"),
        "{}",
        text(&output.stdout)
    );
    let strict = medflow(&["validate", "--strict", "example.json"], folder.path());
    assert_eq!(strict.status.code(), Some(1));
}
