//! The real `medflow` binary on flows with controls: `export raci` (CSV cell by cell,
//! Markdown, `-o`), `export coverage`, library folders (the control catalogue left out) and
//! unreadable inputs.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use common::controls::*;
use common::text;
use medflow_core::control::new_control;
use serde_json::{Value, json};

/// Splits CSV text into records of fields (RFC 4180: quoted fields, doubled quotes, line
/// breaks inside quotes).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        match (quoted, character) {
            (true, '"') if characters.peek() == Some(&'"') => {
                characters.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') => {
                assert!(field.is_empty(), "a quote inside an unquoted field");
                quoted = true;
            }
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (_, other) => field.push(other),
        }
    }
    assert!(!quoted, "an unterminated quoted field");
    assert!(
        field.is_empty() && record.is_empty(),
        "the last line has no line break"
    );
    records
}

/// The expected CSV records of the sample flow, header first, sorted by control name.
fn expected_sample_rows() -> Vec<Vec<&'static str>> {
    vec![
        vec![
            "control_id",
            "control_name",
            "kind",
            "source",
            "fda_category",
            "CSP",
            "MDM",
            "HDO",
            "EHR",
            "Patient",
            "actions",
        ],
        vec![
            EHR_WATCH,
            EHR_WATCH_NAME,
            "detect",
            "DET0123",
            "event-detection-logging",
            "",
            "",
            "R",
            "A",
            "I",
            LOGIN_NAME,
        ],
        vec![
            MFA,
            MFA_NAME,
            "prevent",
            "M1032",
            "authentication",
            "",
            "C",
            "AR",
            "",
            "",
            LOGIN_NAME,
        ],
        vec![
            FIRMWARE,
            FIRMWARE_NAME,
            "prevent",
            "MF-C-012",
            "integrity",
            "R",
            "AR",
            "I",
            "",
            "",
            WIPE_NAME,
        ],
    ]
}

fn assert_records(actual: &[Vec<String>], expected: &[Vec<&str>]) {
    assert_eq!(actual.len(), expected.len(), "rows: {actual:#?}");
    for (row, (actual, expected)) in actual.iter().zip(expected).enumerate() {
        assert_eq!(actual.len(), expected.len(), "row {row}: {actual:?}");
        for (column, (cell, wanted)) in actual.iter().zip(expected).enumerate() {
            assert_eq!(
                cell,
                wanted,
                "row {row}, column {column} ({})",
                expected_sample_rows()[0][column]
            );
        }
    }
}

#[test]
fn raci_csv_has_one_row_per_control_cell_by_cell() {
    let (folder, _) = folder_with_sample();
    let output = medflow(
        &["export", "raci", "--format", "csv", "flow.json"],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.starts_with(
            "control_id,control_name,kind,source,fda_category,CSP,MDM,HDO,EHR,Patient,actions\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "{MFA},\"Multi-factor authentication, vendor \"\"remote\"\" access\",prevent,"
        )),
        "names with commas and quotes are quoted: {stdout}"
    );
    assert_records(&parse_csv(&stdout), &expected_sample_rows());

    let default_format = medflow(&["export", "raci", "flow.json"], folder.path());
    assert_eq!(text(&default_format.stdout), stdout, "CSV is the default");
}

#[test]
fn raci_markdown_is_a_heading_and_a_pipe_table() {
    let (folder, _) = folder_with_sample();
    let output = medflow(
        &["export", "raci", "--format", "markdown", "flow.json"],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("# "), "{stdout}");
    let table: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|line| line.starts_with('|'))
        .collect();
    assert_eq!(table.len(), 5, "header, separator, three rows: {stdout}");
    assert_eq!(
        table[0],
        "| Control ID | Control | Kind | Source | FDA category | CSP | MDM | HDO | EHR | Patient | Actions |"
    );
    assert!(table[1].starts_with("|---|"));
    assert_eq!(
        table[2],
        format!(
            "| {EHR_WATCH} | {EHR_WATCH_NAME} | detect | DET0123 | event-detection-logging |  |  | R | A | I | {LOGIN_NAME} |"
        )
    );
    assert_eq!(
        table[3],
        format!(
            "| {MFA} | {MFA_NAME} | prevent | M1032 | authentication |  | C | AR |  |  | {LOGIN_NAME} |"
        )
    );
    assert_eq!(
        table[4],
        format!(
            "| {FIRMWARE} | {FIRMWARE_NAME} | prevent | MF-C-012 | integrity | R | AR | I |  |  | {WIPE_NAME} |"
        )
    );
}

#[test]
fn raci_markdown_escapes_pipes() {
    let folder = tempfile::tempdir().unwrap();
    let (mut document, _) = sample_flow();
    let index = document
        .objects
        .iter()
        .position(|object| object.id() == FIRMWARE)
        .unwrap();
    document.objects[index] = with(
        &document.objects[index],
        &json!({"name": "Signed | verified firmware"}),
    );
    write(folder.path(), "flow.json", &document);
    let output = medflow(
        &["export", "raci", "--format", "markdown", "flow.json"],
        folder.path(),
    );
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains(&format!(
            "| {FIRMWARE} | Signed \\| verified firmware | prevent |"
        )),
        "{stdout}"
    );
}

#[test]
fn raci_output_file_is_written_and_stdout_stays_empty() {
    let (folder, _) = folder_with_sample();
    let output = medflow(
        &[
            "export",
            "raci",
            "--format",
            "csv",
            "-o",
            "raci.csv",
            "flow.json",
        ],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(output.stdout.is_empty());
    let written = std::fs::read_to_string(folder.path().join("raci.csv")).unwrap();
    assert_records(&parse_csv(&written), &expected_sample_rows());

    let markdown = medflow(
        &[
            "export",
            "raci",
            "--format",
            "markdown",
            "--output",
            "raci.md",
            "flow.json",
        ],
        folder.path(),
    );
    assert_eq!(markdown.status.code(), Some(0));
    let written = std::fs::read_to_string(folder.path().join("raci.md")).unwrap();
    assert!(
        written.contains(&format!("| {MFA} | {MFA_NAME} |")),
        "{written}"
    );
}

#[test]
fn coverage_json_lists_each_action_with_its_controls() {
    let (folder, [login, wipe]) = folder_with_sample();
    let output = medflow(
        &["export", "coverage", "--format", "json", "flow.json"],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    let file = &files[0];
    assert_eq!(file["path"], "flow.json");
    assert_eq!(file["flow"], "Vendor remote access ransomware");
    assert_eq!(file["without_prevention"], 0);
    assert_eq!(file["without_detection"], 1);
    assert_eq!(
        file["actions"],
        json!([
            {
                "id": login,
                "name": LOGIN_NAME,
                "technique_id": "T1078",
                "prevention": [{"id": MFA, "name": MFA_NAME}],
                "detection": [{"id": EHR_WATCH, "name": EHR_WATCH_NAME}],
                "response": [],
            },
            {
                "id": wipe,
                "name": WIPE_NAME,
                "technique_id": "T1490",
                "prevention": [{"id": FIRMWARE, "name": FIRMWARE_NAME}],
                "detection": [],
                "response": [],
            },
        ])
    );
}

#[test]
fn coverage_text_lists_actions_and_a_summary_line() {
    let (folder, _) = folder_with_sample();
    let output = medflow(&["export", "coverage", "flow.json"], folder.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        format!(
            "flow.json: Vendor remote access ransomware\n\
             \x20 {LOGIN_NAME} (T1078)\n\
             \x20   prevention: {MFA_NAME}\n\
             \x20   detection: {EHR_WATCH_NAME}\n\
             \x20   response: none\n\
             \x20 {WIPE_NAME} (T1490)\n\
             \x20   prevention: {FIRMWARE_NAME}\n\
             \x20   detection: none\n\
             \x20   response: none\n\
             flow.json: 2 actions, 0 without prevention, 1 without detection\n"
        )
    );
}

/// A library folder: two flows (one in a subfolder) and a catalogue whose extra control must
/// not be exported.
fn library_folder() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    write(folder.path(), "library/a-flow.json", &sample_flow().0);
    write(folder.path(), "library/more/b-flow.json", &second_flow().0);
    let mut extra = mfa_spec();
    "Only in the catalogue".clone_into(&mut extra.name);
    write(
        folder.path(),
        "library/controls.json",
        &catalogue(vec![
            new_control(&mfa_spec(), MFA, &now()),
            new_control(&extra, CATALOGUE_ONLY, &now()),
        ]),
    );
    folder
}

#[test]
fn a_library_folder_exports_its_flows_with_shared_controls_as_one_row() {
    let folder = library_folder();
    let output = medflow(&["export", "raci", "library"], folder.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        !stdout.contains(CATALOGUE_ONLY),
        "the catalogue is not a flow: {stdout}"
    );
    let records = parse_csv(&stdout);
    // MFA prevents the login of both flows: both actions are listed, in file order.
    let both = format!("{LOGIN_NAME}; {LOGIN_NAME}");
    let mut expected: Vec<Vec<&str>> = expected_sample_rows();
    expected[2][10] = both.as_str();
    assert_records(&records, &expected);

    let coverage = medflow(
        &["export", "coverage", "--format", "json", "library"],
        folder.path(),
    );
    assert_eq!(
        coverage.status.code(),
        Some(0),
        "{}",
        text(&coverage.stderr)
    );
    let report: Value = serde_json::from_slice(&coverage.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    let paths: Vec<&str> = files
        .iter()
        .map(|file| file["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["library/a-flow.json", "library/more/b-flow.json"]);
    assert_eq!(files[1]["flow"], "Compromised infusion pump");
    assert_eq!(files[1]["without_prevention"], 1);
    assert_eq!(files[1]["without_detection"], 2);
    assert_eq!(files[1]["actions"][1]["name"], "Exfiltrate patient data");
    assert_eq!(files[1]["actions"][1]["prevention"], json!([]));
}

#[test]
fn several_files_merge_into_one_matrix() {
    let folder = library_folder();
    let output = medflow(
        &[
            "export",
            "raci",
            "library/more/b-flow.json",
            "library/a-flow.json",
        ],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let records = parse_csv(&text(&output.stdout));
    assert_eq!(records.len(), 4, "header and three controls");
    assert_eq!(records[2][0], MFA);
    assert_eq!(records[2][10], format!("{LOGIN_NAME}; {LOGIN_NAME}"));
}

#[test]
fn a_missing_file_is_named_exits_2_and_the_others_are_still_exported() {
    let (folder, _) = folder_with_sample();
    let output = medflow(
        &["export", "raci", "missing.json", "flow.json"],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("missing.json: cannot read"), "{stderr}");
    assert_records(&parse_csv(&text(&output.stdout)), &expected_sample_rows());

    let refused = medflow(
        &[
            "export",
            "raci",
            "-o",
            "raci.csv",
            "flow.json",
            "missing.json",
        ],
        folder.path(),
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("missing.json"));
    assert!(
        !folder.path().join("raci.csv").exists(),
        "a partial matrix is not written to a file"
    );

    let coverage = medflow(&["export", "coverage", "missing.json"], folder.path());
    assert_eq!(coverage.status.code(), Some(2));
    assert!(text(&coverage.stderr).contains("missing.json: cannot read"));

    std::fs::write(folder.path().join("broken.json"), "{\"type\": ").unwrap();
    let broken = medflow(
        &["export", "coverage", "broken.json", "flow.json"],
        folder.path(),
    );
    assert_eq!(broken.status.code(), Some(2));
    assert!(
        text(&broken.stderr).contains("broken.json: "),
        "{}",
        text(&broken.stderr)
    );
    assert!(text(&broken.stdout).contains("flow.json: 2 actions"));
}

#[test]
fn export_needs_a_path_and_knows_its_formats() {
    let folder = tempfile::tempdir().unwrap();
    assert_eq!(
        medflow(&["export", "raci"], folder.path()).status.code(),
        Some(2)
    );
    let bad = medflow(
        &["export", "raci", "--format", "xlsx", "x.json"],
        folder.path(),
    );
    assert_eq!(bad.status.code(), Some(2));
}
