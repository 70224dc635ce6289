//! `medflow profile new|check` with the real binary: a profile made from the reference
//! architecture is valid, is not overwritten by accident, and once the 5G link is removed
//! from it the library's flows that need that link are reported inapplicable, with the
//! reason, in text and JSON; a profile made from an architecture file records that
//! architecture, and `check` reads the profile against it (`--architecture`), refusing to
//! guess when it is not at hand.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::{Path, PathBuf};

use common::{medflow_with_data, text};
use medflow_core::architecture::{
    Profile, ProfileComponent, profile_entry, profile_value, with_profile_value,
};
use medflow_core::{ReadLimits, read_bundle, write_bundle};

fn library() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../flows")
}

/// The number of flow files in the library folder (every JSON file but the control catalogue),
/// counted here independently of the program.
fn library_flow_count() -> usize {
    std::fs::read_dir(library())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
                && path.file_name().is_some_and(|name| name != "controls.json")
        })
        .count()
}

/// The report's closing line for a library of `total` flows of which `apply` apply.
fn summary_line(total: usize, apply: usize) -> String {
    format!("{total} flows: {apply} apply, {} do not", total - apply)
}

fn medflow(args: &[&str], folder: &Path) -> std::process::Output {
    medflow_with_data(args, folder, &folder.join("data"))
}

/// Rewrites the profile at `path` with the component `key` absent.
fn remove_component(path: &Path, key: &str) {
    let bytes = std::fs::read(path).unwrap();
    let mut document = read_bundle(&bytes, &ReadLimits::default())
        .unwrap()
        .document;
    let profile = Profile::from_document(&document).unwrap();
    let components: Vec<ProfileComponent> = profile
        .components
        .iter()
        .map(|component| ProfileComponent {
            present: component.present && component.key != key,
            ..component.clone()
        })
        .collect();
    for object in &mut document.objects {
        if profile_entry(object).is_some() {
            *object = with_profile_value(
                object,
                profile_value(&profile.based_on, &components, &profile.controls),
            );
        }
    }
    std::fs::write(path, write_bundle(&document)).unwrap();
}

#[test]
fn a_new_profile_is_valid_and_not_overwritten_by_accident() {
    let folder = tempfile::tempdir().unwrap();
    let created = medflow(
        &[
            "profile",
            "new",
            "--from",
            "reference",
            "--name",
            "Acme RAS",
            "-o",
            "acme.json",
        ],
        folder.path(),
    );
    assert_eq!(created.status.code(), Some(0), "{}", text(&created.stderr));
    assert!(text(&created.stdout).contains("profile \"Acme RAS\""));
    let profile_path = folder.path().join("acme.json");
    let bytes = std::fs::read(&profile_path).unwrap();
    let profile = Profile::from_document(
        &read_bundle(&bytes, &ReadLimits::default())
            .unwrap()
            .document,
    )
    .unwrap();
    assert_eq!(profile.name, "Acme RAS");
    assert_eq!(profile.based_on, "ras-reference");
    assert_eq!(profile.components.len(), 19);
    assert!(profile.components.iter().all(|component| component.present));

    let validated = medflow(&["validate", "acme.json"], folder.path());
    assert_eq!(
        validated.status.code(),
        Some(0),
        "{}",
        text(&validated.stdout)
    );
    assert!(text(&validated.stdout).contains("0 errors, 0 warnings"));

    let again = medflow(&["profile", "new", "-o", "acme.json"], folder.path());
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("acme.json: already exists"));
    assert_eq!(std::fs::read(&profile_path).unwrap(), bytes, "left alone");
    let forced = medflow(
        &["profile", "new", "-o", "acme.json", "--force"],
        folder.path(),
    );
    assert_eq!(forced.status.code(), Some(0));

    let unknown = medflow(
        &[
            "profile",
            "new",
            "--from",
            "nowhere.json",
            "-o",
            "other.json",
        ],
        folder.path(),
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("nowhere.json: cannot read"));
}

#[test]
fn without_the_5g_link_the_flows_that_need_it_do_not_apply() {
    let folder = tempfile::tempdir().unwrap();
    let created = medflow(&["profile", "new", "-o", "no5g.json"], folder.path());
    assert_eq!(created.status.code(), Some(0));
    let library = library();
    let library_arg = library.to_str().unwrap();

    let total = library_flow_count();
    assert!(total >= 20, "the library has {total} flows");

    // With every component, every library flow applies.
    let all = medflow(
        &["profile", "check", "no5g.json", "--library", library_arg],
        folder.path(),
    );
    assert_eq!(all.status.code(), Some(0), "{}", text(&all.stderr));
    assert!(
        text(&all.stdout).contains(&summary_line(total, total)),
        "{}",
        text(&all.stdout)
    );

    remove_component(&folder.path().join("no5g.json"), "5g");
    let checked = medflow(
        &["profile", "check", "no5g.json", "--library", library_arg],
        folder.path(),
    );
    assert_eq!(checked.status.code(), Some(0));
    let report = text(&checked.stdout);
    assert!(
        report.contains(
            "does not apply: ") && report.contains("robot-command-injection-5g.json: needs 5G cellular link (5g), which the profile does not have"),
        "{report}"
    );
    assert!(
        report.contains("applies: ")
            && report.contains("vendor-remote-access-ransomware.json (needs console, hdo-it)"),
        "{report}"
    );

    let json = medflow(
        &[
            "profile",
            "check",
            "no5g.json",
            "--library",
            library_arg,
            "--format",
            "json",
        ],
        folder.path(),
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let flows = value["flows"].as_array().unwrap();
    let robot = flows
        .iter()
        .find(|flow| {
            flow["path"]
                .as_str()
                .unwrap()
                .ends_with("robot-command-injection-5g.json")
        })
        .unwrap();
    assert_eq!(robot["applies"], false);
    assert_eq!(
        robot["missing"],
        serde_json::json!([{"key": "5g", "name": "5G cellular link"}])
    );
    // Exactly the flows whose assets include the 5G link do not apply, each for that reason.
    let needing_5g: Vec<&serde_json::Value> = flows
        .iter()
        .filter(|flow| {
            flow["needs"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!("5g"))
        })
        .collect();
    assert!(needing_5g.len() >= 2, "{needing_5g:?}");
    for flow in flows {
        let needs_5g = needing_5g.contains(&flow);
        assert_eq!(flow["applies"], !needs_5g, "{flow}");
    }
    assert_eq!(flows.len(), total);
    assert_eq!(value["summary"]["not_applicable"], needing_5g.len());
    assert!(
        report.contains(&summary_line(total, total - needing_5g.len())),
        "{report}"
    );
}

#[test]
fn profile_check_refuses_a_flow_as_the_profile_and_a_missing_library() {
    let folder = tempfile::tempdir().unwrap();
    let created = medflow(&["profile", "new", "-o", "no5g.json"], folder.path());
    assert_eq!(created.status.code(), Some(0));
    let library = library();
    let library_arg = library.to_str().unwrap();
    let not_profile = medflow(
        &[
            "profile",
            "check",
            library
                .join("robot-command-injection-5g.json")
                .to_str()
                .unwrap(),
            "--library",
            library_arg,
        ],
        folder.path(),
    );
    assert_eq!(not_profile.status.code(), Some(2));
    assert!(text(&not_profile.stderr).contains("no profile object"));
    let no_folder = medflow(
        &["profile", "check", "no5g.json", "--library", "missing"],
        folder.path(),
    );
    assert_eq!(no_folder.status.code(), Some(2));
    assert!(text(&no_folder.stderr).contains("missing: not a folder"));
}

/// The reference architecture's file with its key, its name and the 5G link's name changed:
/// another product line's architecture.
fn acme_architecture() -> Vec<u8> {
    let mut bundle: serde_json::Value =
        serde_json::from_slice(medflow_core::architecture::REFERENCE_FILE).unwrap();
    let extension = medflow_core::extension::MEDFLOW_EXTENSION_ID;
    for object in bundle["objects"].as_array_mut().unwrap() {
        let element = object["extensions"][extension]["architecture"]["element"].clone();
        let key = object["extensions"][extension]["architecture"]["key"].clone();
        if element == "architecture" {
            object["extensions"][extension]["architecture"]["key"] = "acme-ras".into();
            object["name"] = "Acme RAS architecture".into();
        } else if key == "5g" {
            object["name"] = "Acme 5G modem".into();
        }
    }
    serde_json::to_vec_pretty(&bundle).unwrap()
}

fn profile_at(path: &Path) -> Profile {
    let bytes = std::fs::read(path).unwrap();
    Profile::from_document(
        &read_bundle(&bytes, &ReadLimits::default())
            .unwrap()
            .document,
    )
    .unwrap()
}

#[test]
fn a_profile_from_a_copy_of_the_reference_file_is_based_on_the_reference() {
    let folder = tempfile::tempdir().unwrap();
    let library = library();
    let library_arg = library.to_str().unwrap();

    // A copy of the reference architecture, as a file: the profile is based on it.
    std::fs::write(
        folder.path().join("ras.json"),
        medflow_core::architecture::REFERENCE_FILE,
    )
    .unwrap();
    let created = medflow(
        &["profile", "new", "--from", "ras.json", "-o", "copy.json"],
        folder.path(),
    );
    assert_eq!(created.status.code(), Some(0), "{}", text(&created.stderr));
    assert!(
        text(&created.stdout).contains("based on the RAS reference architecture, 19 components"),
        "{}",
        text(&created.stdout)
    );
    let copy = profile_at(&folder.path().join("copy.json"));
    assert_eq!(copy.based_on, "ras-reference");
    assert_eq!(copy.components.len(), 19);
    let checked = medflow(
        &["profile", "check", "copy.json", "--library", library_arg],
        folder.path(),
    );
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stderr));
    let total = library_flow_count();
    assert!(
        text(&checked.stdout).contains(&summary_line(total, total)),
        "{}",
        text(&checked.stdout)
    );
}

#[test]
fn a_profile_from_another_architecture_is_checked_against_that_architecture() {
    let folder = tempfile::tempdir().unwrap();
    let library = library();
    let library_arg = library.to_str().unwrap();
    std::fs::write(
        folder.path().join("ras.json"),
        medflow_core::architecture::REFERENCE_FILE,
    )
    .unwrap();

    // The profile records the architecture's key and says so in its description.
    std::fs::write(folder.path().join("acme-ras.json"), acme_architecture()).unwrap();
    let created = medflow(
        &[
            "profile",
            "new",
            "--from",
            "acme-ras.json",
            "-o",
            "acme.json",
        ],
        folder.path(),
    );
    assert_eq!(created.status.code(), Some(0), "{}", text(&created.stderr));
    let acme = profile_at(&folder.path().join("acme.json"));
    assert_eq!(acme.based_on, "acme-ras");
    let bytes = std::fs::read(folder.path().join("acme.json")).unwrap();
    assert!(
        text(&bytes).contains(
            "Architecture profile of My device, based on the Acme RAS architecture (acme-ras)."
        ),
        "{}",
        text(&bytes)
    );

    // Checked without its architecture: refused, with what to do.
    let refused = medflow(
        &["profile", "check", "acme.json", "--library", library_arg],
        folder.path(),
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains(
            "acme.json: the profile is based on architecture \"acme-ras\", not on the \
             reference architecture (\"ras-reference\"); give its file with --architecture FILE"
        ),
        "{}",
        text(&refused.stderr)
    );
    assert!(refused.stdout.is_empty());
    // Checked against the wrong architecture: refused too.
    let wrong = medflow(
        &[
            "profile",
            "check",
            "acme.json",
            "--library",
            library_arg,
            "--architecture",
            "ras.json",
        ],
        folder.path(),
    );
    assert_eq!(wrong.status.code(), Some(2));
    assert!(
        text(&wrong.stderr).contains(
            "ras.json: architecture \"ras-reference\", but the profile acme.json is based on \
             \"acme-ras\""
        ),
        "{}",
        text(&wrong.stderr)
    );

    // Against its own architecture, whose names the reasons use.
    remove_component(&folder.path().join("acme.json"), "5g");
    let checked = medflow(
        &[
            "profile",
            "check",
            "acme.json",
            "--library",
            library_arg,
            "--architecture",
            "acme-ras.json",
        ],
        folder.path(),
    );
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stderr));
    let report = text(&checked.stdout);
    assert!(
        report.contains("profile \"My device\" based on the Acme RAS architecture"),
        "{report}"
    );
    for flow in [
        "robot-command-injection-5g.json",
        "teleoperation-link-denial-of-service.json",
    ] {
        let reason = format!("{flow}: needs Acme 5G modem (5g), which the profile does not have");
        assert!(report.contains(&reason), "{report}");
    }
    let total = library_flow_count();
    assert!(report.contains(&summary_line(total, total - 2)), "{report}");
}
