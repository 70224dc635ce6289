//! The real `medflow` binary on flows with controls: `export raci` (CSV cell by cell,
//! Markdown, `-o`), `export coverage`, library folders (the control catalogue left out),
//! unreadable inputs, and `validate --library` reporting controls drifted from the catalogue.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::Path;
use std::process::Output;

use common::{medflow_with_data, text};
use medflow_core::control::{
    ControlKind, ControlSource, ControlSpec, FdaCategory, Party, Raci, Roles, control_relationship,
    new_control,
};
use medflow_core::edit::{NewObject, new_flow_document, new_object};
use medflow_core::extension;
use medflow_core::model::Timestamp;
use medflow_core::{Document, StixObject, write_bundle};
use serde_json::{Value, json};

const MFA: &str = "course-of-action--11111111-1111-4111-8111-111111111111";
const FIRMWARE: &str = "course-of-action--22222222-2222-4222-8222-222222222222";
const EHR_WATCH: &str = "course-of-action--33333333-3333-4333-8333-333333333333";
/// A control only the catalogue has: it must never show up in a flow's export.
const CATALOGUE_ONLY: &str = "course-of-action--44444444-4444-4444-8444-444444444444";

const MFA_NAME: &str = "Multi-factor authentication, vendor \"remote\" access";
const FIRMWARE_NAME: &str = "Signed firmware updates";
const EHR_WATCH_NAME: &str = "Anomalous EHR access detection";

const LOGIN_NAME: &str = "Log in with stolen vendor credentials, over VPN";
const WIPE_NAME: &str = "Inhibit system recovery";

fn medflow(args: &[&str], folder: &Path) -> Output {
    medflow_with_data(args, folder, &folder.join(".medflow-data"))
}

fn now() -> Timestamp {
    Timestamp::from_unix_millis(1_714_557_600_000)
}

/// Deterministic ids: `type--UUIDv4` from a prefix digit and a counter.
fn id_source(prefix: u8) -> impl FnMut(&str) -> String {
    let mut counter = 0u32;
    move |type_name: &str| {
        counter += 1;
        format!("{type_name}--{prefix:08}-0000-4000-8000-{counter:012}")
    }
}

/// `object` with `properties` set.
fn with(object: &StixObject, properties: &Value) -> StixObject {
    let mut map = object.to_json();
    for (key, value) in properties.as_object().unwrap() {
        map.insert(key.clone(), value.clone());
    }
    StixObject::from_json(map)
}

/// The one problem the sample flow has: nothing detects its second action (the coverage
/// tests need that gap).
fn wipe_warning(path: &str) -> String {
    format!(
        "{path}: warning [action-no-detection] attack-action--00000001-0000-4000-8000-000000000004: \
         no detect control addresses the action \"{WIPE_NAME}\"\n"
    )
}

fn raci(assignments: &[(Party, &str)]) -> Raci {
    assignments
        .iter()
        .map(|(party, letters)| (*party, Roles::parse(letters).unwrap()))
        .collect()
}

fn mfa_spec() -> ControlSpec {
    ControlSpec {
        name: MFA_NAME.to_owned(),
        description: Some("Vendor staff sign in with a second factor.".to_owned()),
        kind: ControlKind::Prevent,
        source: Some(ControlSource::Mitigation("M1032".to_owned())),
        fda_category: Some(FdaCategory::Authentication),
        raci: raci(&[(Party::Hdo, "AR"), (Party::Mdm, "C")]),
    }
}

fn firmware_spec() -> ControlSpec {
    ControlSpec {
        name: FIRMWARE_NAME.to_owned(),
        description: None,
        kind: ControlKind::Prevent,
        source: Some(ControlSource::Custom("MF-C-012".to_owned())),
        fda_category: Some(FdaCategory::Integrity),
        raci: raci(&[(Party::Mdm, "AR"), (Party::Csp, "R"), (Party::Hdo, "I")]),
    }
}

fn ehr_watch_spec() -> ControlSpec {
    ControlSpec {
        name: EHR_WATCH_NAME.to_owned(),
        description: None,
        kind: ControlKind::Detect,
        source: Some(ControlSource::DetectionStrategy("DET0123".to_owned())),
        fda_category: Some(FdaCategory::EventDetectionLogging),
        raci: raci(&[(Party::Ehr, "A"), (Party::Hdo, "R"), (Party::Patient, "I")]),
    }
}

/// A flow with its two actions (first → second), the product's extension and the parties.
/// Returns the document and the two action ids.
fn flow_with_two_actions(name: &str, prefix: u8, second_name: &str) -> (Document, [String; 2]) {
    let mut new_id = id_source(prefix);
    let mut document = new_flow_document(name, &mut new_id, &now());
    let first = document
        .objects
        .iter()
        .find(|object| object.type_name() == "attack-action")
        .unwrap()
        .id()
        .to_owned();
    let second = new_id("attack-action");
    let flow = document
        .objects
        .iter()
        .position(|object| object.type_name() == "attack-flow")
        .unwrap();
    document.objects[flow] = with(
        &document.objects[flow],
        &json!({"description": "A sample flow with controls."}),
    );
    let index = document
        .objects
        .iter()
        .position(|object| object.id() == first)
        .unwrap();
    document.objects[index] = with(
        &document.objects[index],
        &json!({
            "name": LOGIN_NAME,
            "technique_id": "T1078",
            "tactic_id": "TA0001",
            "effect_refs": [second],
        }),
    );
    document.objects.push(with(
        &new_object(NewObject::Action, &second, &now()),
        &json!({"name": second_name, "technique_id": "T1490", "tactic_id": "TA0040"}),
    ));
    document.objects.push(extension::definition());
    document.objects.push(extension::identity());
    document
        .objects
        .extend(Party::ALL.into_iter().map(Party::identity));
    (document, [first, second])
}

fn link(
    document: &mut Document,
    new_id: &mut dyn FnMut(&str) -> String,
    control: &str,
    target: &str,
    kind: ControlKind,
) {
    document.objects.push(control_relationship(
        &new_id("relationship"),
        control,
        target,
        kind,
        &now(),
    ));
}

/// The sample flow: MFA prevents the login, signed firmware prevents the wipe, EHR
/// monitoring detects the login. Nothing detects the wipe.
fn sample_flow() -> (Document, [String; 2]) {
    let (mut document, [login, wipe]) =
        flow_with_two_actions("Vendor remote access ransomware", 1, WIPE_NAME);
    let mut new_id = id_source(2);
    document.objects.push(new_control(&mfa_spec(), MFA, &now()));
    document
        .objects
        .push(new_control(&firmware_spec(), FIRMWARE, &now()));
    document
        .objects
        .push(new_control(&ehr_watch_spec(), EHR_WATCH, &now()));
    link(
        &mut document,
        &mut new_id,
        MFA,
        &login,
        ControlKind::Prevent,
    );
    link(
        &mut document,
        &mut new_id,
        FIRMWARE,
        &wipe,
        ControlKind::Prevent,
    );
    link(
        &mut document,
        &mut new_id,
        EHR_WATCH,
        &login,
        ControlKind::Detect,
    );
    (document, [login, wipe])
}

/// A second flow: MFA (same id) prevents its login; its other action has no control.
fn second_flow() -> (Document, [String; 2]) {
    let (mut document, actions) =
        flow_with_two_actions("Compromised infusion pump", 3, "Exfiltrate patient data");
    let mut new_id = id_source(4);
    document.objects.push(new_control(&mfa_spec(), MFA, &now()));
    link(
        &mut document,
        &mut new_id,
        MFA,
        &actions[0],
        ControlKind::Prevent,
    );
    (document, actions)
}

/// A control catalogue holding `controls`.
fn catalogue(controls: Vec<StixObject>) -> Document {
    let mut objects = vec![extension::definition(), extension::identity()];
    objects.extend(Party::ALL.into_iter().map(Party::identity));
    objects.extend(controls);
    Document {
        bundle_id: "bundle--55555555-5555-4555-8555-555555555555".to_owned(),
        objects,
    }
}

fn write(folder: &Path, name: &str, document: &Document) {
    let path = folder.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, write_bundle(document)).unwrap();
}

/// A temporary folder holding the sample flow as `flow.json`; returns its action ids too.
fn folder_with_sample() -> (tempfile::TempDir, [String; 2]) {
    let folder = tempfile::tempdir().unwrap();
    let (document, actions) = sample_flow();
    write(folder.path(), "flow.json", &document);
    (folder, actions)
}

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

/// A library with the sample flow and a catalogue defining MFA from `spec` and the flow's
/// other controls as the flow has them.
fn library_with_catalogue(spec: &ControlSpec) -> tempfile::TempDir {
    library_with(spec, true)
}

/// A library with the sample flow and a catalogue defining MFA from `spec`, the firmware
/// control, and the EHR watch unless `with_ehr_watch` is false.
fn library_with(spec: &ControlSpec, with_ehr_watch: bool) -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    write(folder.path(), "library/flow.json", &sample_flow().0);
    let long_ago = Timestamp::from_unix_millis(0);
    let mut controls = vec![
        new_control(spec, MFA, &long_ago),
        new_control(&firmware_spec(), FIRMWARE, &long_ago),
    ];
    if with_ehr_watch {
        controls.push(new_control(&ehr_watch_spec(), EHR_WATCH, &long_ago));
    }
    write(folder.path(), "library/controls.json", &catalogue(controls));
    folder
}

#[test]
fn validate_library_names_a_control_the_catalogue_lacks() {
    let folder = library_with(&mfa_spec(), false);
    let output = medflow(&["validate", "--library", "library"], folder.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        format!(
            "{}library/flow.json: warning [control-not-in-catalogue] {EHR_WATCH}: the control \
             {EHR_WATCH_NAME:?} is not in the library's control catalogue (controls.json); add \
             it there so that every flow shares one definition\n\
             1 file checked: 0 errors, 2 warnings\n",
            wipe_warning("library/flow.json")
        )
    );
}

#[test]
fn the_sample_flow_is_valid_but_for_its_coverage_gap() {
    let (folder, _) = folder_with_sample();
    let output = medflow(&["validate", "flow.json"], folder.path());
    assert_eq!(
        text(&output.stdout),
        format!(
            "{}1 file checked: 0 errors, 1 warning\n",
            wipe_warning("flow.json")
        ),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn validate_library_reports_a_drifted_raci() {
    let mut drifted = mfa_spec();
    drifted.raci = raci(&[(Party::Hdo, "AR"), (Party::Mdm, "R")]);
    let folder = library_with_catalogue(&drifted);

    let output = medflow(&["validate", "--library", "library"], folder.path());
    assert_eq!(
        output.status.code(),
        Some(0),
        "drift is a warning: {}",
        text(&output.stderr)
    );
    assert_eq!(
        text(&output.stdout),
        format!(
            "{}library/flow.json: warning [control-drift] {MFA}: control {MFA_NAME:?}: raci is \
             \"MDM: C, HDO: AR\" here but \"MDM: R, HDO: AR\" in the control catalogue\n\
             1 file checked: 0 errors, 2 warnings\n",
            wipe_warning("library/flow.json")
        ),
        "only the flow is checked, not the catalogue"
    );

    let json_output = medflow(
        &[
            "validate",
            "--library",
            "library",
            "--format",
            "json",
            "library/flow.json",
        ],
        folder.path(),
    );
    assert_eq!(json_output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&json_output.stdout).unwrap();
    assert_eq!(report["summary"]["warnings"], 2);
    let file = &report["files"][0];
    assert_eq!(file["path"], "library/flow.json");
    assert_eq!(file["diagnostics"][0]["code"], "action-no-detection");
    let drift = &file["drift"][0];
    assert_eq!(drift["code"], "control-drift");
    assert_eq!(drift["severity"], "warning");
    assert_eq!(drift["object_id"], MFA);
    assert_eq!(drift["control_name"], MFA_NAME);
    assert_eq!(drift["field"], "raci");
    assert_eq!(drift["in_flow"], "MDM: C, HDO: AR");
    assert_eq!(drift["in_catalogue"], "MDM: R, HDO: AR");
    assert_eq!(file["drift"].as_array().unwrap().len(), 1);
}

#[test]
fn validate_library_reports_no_drift_when_the_catalogue_agrees() {
    let folder = library_with_catalogue(&mfa_spec());
    let output = medflow(&["validate", "--library", "library"], folder.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        format!(
            "{}1 file checked: 0 errors, 1 warning\n",
            wipe_warning("library/flow.json")
        )
    );
    let json_output = medflow(
        &["validate", "--library", "library", "--format", "json"],
        folder.path(),
    );
    let report: Value = serde_json::from_slice(&json_output.stdout).unwrap();
    assert_eq!(report["files"][0]["drift"], json!([]));
}

#[test]
fn validate_library_without_a_catalogue_says_so_and_an_unreadable_one_exits_2() {
    let (folder, _) = folder_with_sample();
    let output = medflow(&["validate", "--library", ".", "flow.json"], folder.path());
    assert_eq!(output.status.code(), Some(0));
    assert!(
        text(&output.stderr).contains("no control catalogue in ."),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(
        text(&output.stdout),
        format!(
            "{}1 file checked: 0 errors, 1 warning\n",
            wipe_warning("flow.json")
        )
    );

    std::fs::write(folder.path().join("controls.json"), "not json").unwrap();
    let output = medflow(&["validate", "--library", ".", "flow.json"], folder.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("controls.json: error: cannot use the control catalogue"),
        "{}",
        text(&output.stderr)
    );
    assert!(text(&output.stdout).contains("1 file checked"));

    let not_a_folder = medflow(&["validate", "--library", "flow.json"], folder.path());
    assert_eq!(not_a_folder.status.code(), Some(2));
    assert!(text(&not_a_folder.stderr).contains("not a folder"));
}
