//! `medflow simulate` and `medflow score` with the real binary, on the shipped library and
//! its example profiles: the verdicts and the score in text and JSON, the suggestion, the
//! exit codes (`--min`, files that cannot be used), and a use case naming a flow that is not
//! given.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::{Path, PathBuf};

use common::{medflow_with_data, text};
use serde_json::Value;

fn library() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../flows")
}

fn path_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn medflow(args: &[&str], folder: &Path) -> std::process::Output {
    medflow_with_data(args, folder, &folder.join("data"))
}

fn profile(name: &str) -> String {
    path_text(&library().join("profiles").join(format!("{name}.json")))
}

fn use_case() -> String {
    path_text(&library().join("use-cases/vendor-access-to-robot-takeover.json"))
}

#[test]
fn simulate_lists_each_impact_with_its_path_in_text_and_json() {
    let folder = tempfile::tempdir().unwrap();
    let flows = path_text(&library());
    let output = medflow(
        &["simulate", "--profile", &profile("cloud-connected"), &flows],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let said = text(&output.stdout);
    assert!(said.contains("Flow \"Command injection on the console-to-robot link\" (alone; entry keys taken as held: hospital-network-admin)"), "{said}");
    assert!(said.contains("REACHABLE      critical"), "{said}");
    assert!(said.contains("31 of 37 impacts reachable"), "{said}");

    let output = medflow(
        &[
            "simulate",
            "--profile",
            &profile("hardened-cloud-connected"),
            "--use-case",
            &use_case(),
            "--format",
            "json",
            &flows,
        ],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["profile"], "Hardened cloud-connected RAS");
    assert_eq!(value["units"][0]["chained"], true);
    assert_eq!(value["units"][0]["flows"].as_array().unwrap().len(), 3);
    let impacts = value["impacts"].as_array().unwrap();
    assert_eq!(impacts.len(), 5);
    for impact in impacts {
        for key in [
            "flow",
            "action_id",
            "severity",
            "multi_patient",
            "reachable",
            "path",
            "detections",
            "blocked_by",
        ] {
            assert!(impact.get(key).is_some(), "{key} in {impact}");
        }
        assert_eq!(impact["reachable"], false);
        assert!(
            !impact["blocked_by"].as_array().unwrap().is_empty(),
            "{impact}"
        );
    }
}

#[test]
fn score_explains_every_point_suggests_controls_and_gates_on_min() {
    let folder = tempfile::tempdir().unwrap();
    let flows = path_text(&library());
    let output = medflow(
        &[
            "score",
            "--profile",
            &profile("cloud-connected"),
            "--suggest",
            "--format",
            "json",
            &flows,
        ],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["score"], 35.6);
    let deductions = value["deductions"].as_array().unwrap();
    let total: f64 = deductions
        .iter()
        .map(|deduction| deduction["points"].as_f64().unwrap())
        .sum();
    let lost = 100.0 - 35.6;
    // Each deduction is rounded to a tenth of a point.
    let rounding = 0.05 * f64::from(u32::try_from(deductions.len()).unwrap());
    assert!(
        (total - lost).abs() <= rounding,
        "the points add up: {total}"
    );
    for deduction in deductions {
        for key in [
            "flow",
            "action_id",
            "severity",
            "points",
            "path",
            "missing_controls",
        ] {
            assert!(deduction.get(key).is_some(), "{key} in {deduction}");
        }
    }
    assert_eq!(
        value["suggested_controls"],
        serde_json::json!([
            "course-of-action--04b226e6-c41f-5f46-82e5-263d92f57310",
            "course-of-action--36169be6-1cd4-5fa6-be73-3594c30eff2e",
            "course-of-action--3b01fa95-7c91-4915-8c39-e137eb2e2b6c",
            "course-of-action--4343362c-d9c1-4e53-b3cf-ad1848259fea",
            "course-of-action--7ed2af90-cb50-5ad8-b789-b17ae9ae753d",
            "course-of-action--8dd3f91f-eb65-5b3e-96e4-c5cab97c74fd",
            "course-of-action--c44713da-d188-591e-ac59-5253525de618",
            "course-of-action--d73818f1-4fd0-47c4-a355-b1fc2d514caa"
        ])
    );

    let gated = medflow(
        &[
            "score",
            "--profile",
            &profile("cloud-connected"),
            "--min",
            "50",
            &flows,
        ],
        folder.path(),
    );
    assert_eq!(gated.status.code(), Some(1), "below --min");
    assert!(text(&gated.stdout).contains("Score: 35.6 / 100"));
    let passed = medflow(
        &[
            "score",
            "--profile",
            &profile("hardened-cloud-connected"),
            "--min",
            "100",
            &flows,
        ],
        folder.path(),
    );
    assert_eq!(passed.status.code(), Some(0), "{}", text(&passed.stdout));
    assert!(text(&passed.stdout).contains("Score: 100.0 / 100"));
}

#[test]
fn a_min_outside_the_scale_is_refused_and_flows_without_impacts_are_said_so() {
    let folder = tempfile::tempdir().unwrap();
    let flows = path_text(&library());
    for nonsense in ["nan", "101", "-1"] {
        let refused = medflow(
            &[
                "score",
                "--profile",
                &profile("hardened-cloud-connected"),
                "--min",
                nonsense,
                &flows,
            ],
            folder.path(),
        );
        assert_eq!(refused.status.code(), Some(2), "--min {nonsense}");
    }
    // Flows that state no impact are not given a meaningless 100 without a word.
    let corpus_like = folder.path().join("plain.json");
    let plain = std::fs::read_to_string(library().join("robot-command-injection-5g.json"))
        .unwrap()
        .replace("\"impact\":", "\"impact_removed\":");
    std::fs::write(&corpus_like, plain).unwrap();
    let said = medflow(
        &[
            "score",
            "--profile",
            &profile("cloud-connected"),
            &path_text(&corpus_like),
        ],
        folder.path(),
    );
    assert!(
        text(&said.stdout).contains("No flow states a patient-safety impact"),
        "{}",
        text(&said.stdout)
    );
}

#[test]
fn files_that_cannot_be_used_stop_the_run_with_status_2() {
    let folder = tempfile::tempdir().unwrap();
    let flows = path_text(&library());
    // A flow given as the profile.
    let flow = path_text(&library().join("robot-command-injection-5g.json"));
    let output = medflow(&["score", "--profile", &flow, &flows], folder.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("not an architecture profile (it is a flow)"),
        "{}",
        text(&output.stderr)
    );
    // A use case given as a flow.
    let output = medflow(
        &[
            "simulate",
            "--profile",
            &profile("cloud-connected"),
            &use_case(),
        ],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("give a use case with --use-case"));
    // A use case whose flows are not all given.
    let output = medflow(
        &[
            "simulate",
            "--profile",
            &profile("cloud-connected"),
            "--use-case",
            &use_case(),
            &flow,
        ],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("which none of the flows given holds"),
        "{}",
        text(&output.stderr)
    );
    // A file that is not JSON, and one that does not exist.
    let broken = folder.path().join("broken.json");
    std::fs::write(&broken, "{\"type\": \"bundle\",").unwrap();
    let output = medflow(
        &[
            "score",
            "--profile",
            &profile("cloud-connected"),
            &path_text(&broken),
            &path_text(&folder.path().join("missing.json")),
        ],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let said = text(&output.stderr);
    assert!(said.contains("broken.json"), "{said}");
    assert!(said.contains("missing.json"), "{said}");
    assert!(output.stdout.is_empty(), "nothing scored on partial input");
}

#[test]
fn validate_checks_a_library_use_case_against_the_library_flows() {
    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("flows");
    std::fs::create_dir_all(copy.join("use-cases")).unwrap();
    for name in [
        "robot-command-injection-5g.json",
        "vendor-remote-access-ransomware.json",
        "vendor-credential-theft.json",
        "controls.json",
    ] {
        std::fs::copy(library().join(name), copy.join(name)).unwrap();
    }
    let original =
        std::fs::read(library().join("use-cases/vendor-access-to-robot-takeover.json")).unwrap();
    let flows = medflow_core::safety::UseCase::from_document(
        &medflow_core::read_bundle(&original, &medflow_core::ReadLimits::default())
            .unwrap()
            .document,
    )
    .unwrap()
    .flows;
    // The first two flows swapped: the ransomware flow comes first and needs the vendor's
    // credentials no earlier flow hands on, the credential theft second continues from
    // nothing; and a third flow the library does not hold.
    let now = medflow_core::model::Timestamp::parse("2026-12-02T00:00:00.000Z")
        .unwrap()
        .timestamp;
    let broken = medflow_core::safety::new_use_case(
        "grouping--2f4e6a8c-1b3d-4f5a-8c7e-9d0b1a2c3e4f",
        "bundle--5a7c9e1f-3b5d-4f7a-9c1e-2d4f6a8b0c2e",
        &now,
        "Swapped",
        "",
        &[
            &flows[1],
            &flows[0],
            "attack-flow--00000000-0000-4000-8000-000000000000",
        ],
    );
    std::fs::write(
        copy.join("use-cases/broken.json"),
        medflow_core::write_bundle(&broken),
    )
    .unwrap();
    std::fs::write(copy.join("use-cases/fine.json"), &original).unwrap();
    let output = medflow(&["validate", "--library", &path_text(&copy)], folder.path());
    let said = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "warnings only: {said}");
    assert!(
        said.contains("broken.json: warning [use-case-unconnected]"),
        "{said}"
    );
    assert!(
        said.contains("broken.json: warning [use-case-key-dangling]"),
        "{said}"
    );
    assert!(
        said.contains("broken.json: warning [use-case-flow-missing]"),
        "{said}"
    );
    assert!(!said.contains("fine.json"), "{said}");
    // The use case alone, inside its library's use-cases folder, is checked the same way.
    let output = medflow(
        &["validate", &path_text(&copy.join("use-cases/broken.json"))],
        folder.path(),
    );
    assert!(
        text(&output.stdout).contains("[use-case-unconnected]"),
        "{}",
        text(&output.stdout)
    );
}
