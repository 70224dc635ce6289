//! The real `medflow` binary checking flows against their library's control catalogue:
//! `validate --library` naming controls the catalogue lacks and controls that drifted from it,
//! and saying when there is no catalogue or it cannot be read.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use common::controls::*;
use common::text;
use medflow_core::control::{ControlSpec, Party, new_control};
use medflow_core::model::Timestamp;
use serde_json::{Value, json};

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
    // --strict fails on the drift (and the coverage warning).
    let strict = medflow(
        &["validate", "--strict", "--library", "library"],
        folder.path(),
    );
    assert_eq!(strict.status.code(), Some(1));

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

#[test]
fn the_shipped_library_passes_strict_validation() {
    let folder = tempfile::tempdir().unwrap();
    let library = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../flows");
    let output = medflow(
        &[
            "validate",
            "--strict",
            "--library",
            library.to_str().unwrap(),
        ],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert!(
        text(&output.stdout).ends_with(" files checked: 0 errors, 0 warnings\n"),
        "{}",
        text(&output.stdout)
    );
}
