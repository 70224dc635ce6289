//! `medflow diff` with the real binary, on a flow of the library and copies changed as an
//! author would change them: identical files, a changed property, a removed node, a change
//! that only moves nodes (summarised unless `--all`), the JSON form, git's diff-driver call
//! (with `/dev/null` for an added file), and files that cannot be compared.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::{Path, PathBuf};

use common::{medflow_with_data, text};
use serde_json::Value;

const MEDFLOW_EXTENSION_ID: &str = "extension-definition--5f1c3a2e-8d4b-4c7a-9e26-3b0d7f4a1c58";

fn library_flow() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../flows/admin-portal-account-abuse.json")
}

/// Runs `medflow ARGS` in `folder`: (exit code, standard output, standard error).
fn medflow(args: &[&str], folder: &Path) -> (i32, String, String) {
    let output = medflow_with_data(args, folder, &folder.join("data"));
    (
        output.status.code().unwrap(),
        text(&output.stdout),
        text(&output.stderr),
    )
}

/// A folder holding `old.json` (the library flow) and `new.json`, the flow after `change`.
fn pair(change: impl FnOnce(&mut Vec<Value>)) -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(library_flow()).unwrap();
    std::fs::write(folder.path().join("old.json"), &bytes).unwrap();
    let mut bundle: Value = serde_json::from_slice(&bytes).unwrap();
    change(bundle["objects"].as_array_mut().unwrap());
    std::fs::write(
        folder.path().join("new.json"),
        serde_json::to_vec_pretty(&bundle).unwrap(),
    )
    .unwrap();
    folder
}

fn first_of_type<'a>(objects: &'a mut [Value], kind: &str) -> &'a mut Value {
    objects
        .iter_mut()
        .find(|object| object["type"] == kind)
        .unwrap()
}

#[test]
fn identical_files_have_no_difference() {
    let folder = pair(|_| {});
    let (code, out, err) = medflow(&["diff", "old.json", "new.json"], folder.path());
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert_eq!(out, "--- old.json\n+++ new.json\nno difference\n");
    let (code, out, _) = medflow(
        &["diff", "--format", "json", "old.json", "new.json"],
        folder.path(),
    );
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["equal"], true);
}

#[test]
fn a_changed_property_is_shown_with_both_values() {
    let folder = pair(|objects| {
        let action = first_of_type(objects, "attack-action");
        action["name"] = Value::from("Sign in with a stolen administrator password");
        action["technique_id"] = Value::from("T1110.003");
    });
    let (code, out, _) = medflow(&["diff", "old.json", "new.json"], folder.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "    name: \"Sign in as a hospital administrator\" → \"Sign in with a stolen \
             administrator password\"\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("    technique_id: \"T1078.004\" → \"T1110.003\"\n"),
        "{out}"
    );
    assert!(out.ends_with("0 added, 0 removed, 1 changed\n"), "{out}");
}

#[test]
fn a_removed_node_and_the_references_to_it_are_reported() {
    let mut removed_id = String::new();
    let folder = pair(|objects| {
        let position = objects
            .iter()
            .position(|object| object["type"] == "attack-asset")
            .unwrap();
        let asset = objects.remove(position);
        removed_id = asset["id"].as_str().unwrap().to_owned();
        for object in objects.iter_mut() {
            if let Some(Value::Array(refs)) = object.get_mut("asset_refs") {
                refs.retain(|target| *target != asset["id"]);
            }
        }
    });
    let (code, out, _) = medflow(&["diff", "old.json", "new.json"], folder.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "- removed {removed_id} \"Cloud identity, keys and APIs\"\n"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("    asset_refs: - \"{removed_id}\"\n")),
        "{out}"
    );
    let (_, json_out, _) = medflow(
        &["diff", "--format", "json", "old.json", "new.json"],
        folder.path(),
    );
    let report: Value = serde_json::from_str(&json_out).unwrap();
    assert_eq!(report["removed"][0]["id"], removed_id.as_str());
    assert_eq!(report["removed"][0]["type"], "attack-asset");
    let item = &report["changed"][0]["changes"][0];
    assert_eq!(item["change"], "item-removed");
    assert_eq!(item["path"], serde_json::json!(["asset_refs"]));
}

#[test]
fn a_layout_only_change_is_one_line_unless_all() {
    let folder = pair(|objects| {
        for object in objects.iter_mut() {
            if let Some(layout) = object
                .pointer_mut(&format!("/extensions/{MEDFLOW_EXTENSION_ID}/layout"))
                .and_then(Value::as_object_mut)
            {
                let x = layout["x"].as_f64().unwrap();
                layout.insert("x".to_owned(), Value::from(x + 40.0));
            }
        }
    });
    let (code, out, _) = medflow(&["diff", "old.json", "new.json"], folder.path());
    assert_eq!(code, 1, "{out}");
    let moved = out.lines().filter(|line| line.starts_with("~ ")).count();
    assert_eq!(moved, 0, "{out}");
    assert!(
        out.contains("14 objects only moved on the canvas (--all lists them)\n"),
        "{out}"
    );
    let (_, all, _) = medflow(&["diff", "--all", "old.json", "new.json"], folder.path());
    assert_eq!(
        all.lines().filter(|line| line.starts_with("~ ")).count(),
        14,
        "{all}"
    );
    assert!(all.contains("    MedFlow extension: layout.x: "), "{all}");
    let (_, json_out, _) = medflow(
        &["diff", "--format", "json", "old.json", "new.json"],
        folder.path(),
    );
    let report: Value = serde_json::from_str(&json_out).unwrap();
    let kinds: Vec<&str> = report["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|changed| changed["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["layout"; 14]);
}

#[test]
fn as_a_git_diff_driver_it_exits_0_and_reads_dev_null_as_empty() {
    let folder = pair(|objects| {
        first_of_type(objects, "attack-action")["name"] = Value::from("Renamed");
    });
    let driver = [
        "diff",
        "flows/portal.json",
        "old.json",
        "1111111",
        "100644",
        "new.json",
        "2222222",
        "100644",
    ];
    let (code, out, _) = medflow(&driver, folder.path());
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("--- a/flows/portal.json\n+++ b/flows/portal.json\n"),
        "{out}"
    );
    assert!(out.contains("name: "), "{out}");
    let added = [
        "diff",
        "portal.json",
        "/dev/null",
        ".",
        ".",
        "new.json",
        "2222222",
        "100644",
    ];
    let (code, out, _) = medflow(&added, folder.path());
    assert_eq!(code, 0, "{out}");
    let bundle: Value = serde_json::from_slice(&std::fs::read(library_flow()).unwrap()).unwrap();
    let objects = bundle["objects"].as_array().unwrap().len();
    assert!(out.contains("bundle id: (none) → \"bundle--"), "{out}");
    assert!(
        out.ends_with(&format!("{objects} added, 0 removed, 0 changed\n")),
        "{out}"
    );
}

#[test]
fn files_that_cannot_be_compared_are_named_with_exit_2() {
    let folder = pair(|_| {});
    std::fs::write(
        folder.path().join("broken.json"),
        "{\"type\": \"bundle\",\n",
    )
    .unwrap();
    let (code, out, err) = medflow(&["diff", "old.json", "broken.json"], folder.path());
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.starts_with("broken.json: line 2, column 0: "), "{err}");
    let (code, _, err) = medflow(&["diff", "old.json", "missing.json"], folder.path());
    assert_eq!(code, 2);
    assert!(err.starts_with("missing.json: "), "{err}");
    // A file that is JSON but not an Attack Flow bundle (here, of the Attack Flow Builder).
    std::fs::write(
        folder.path().join("flow.afb"),
        r#"{"schema": "attack_flow_v2", "theme": "dark_theme", "objects": []}"#,
    )
    .unwrap();
    let (code, out, err) = medflow(&["diff", "flow.afb", "old.json"], folder.path());
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.starts_with("flow.afb: not compared: This is an Attack Flow Builder file"),
        "{err}"
    );
    let (code, _, err) = medflow(&["diff", "old.json", "new.json", "old.json"], folder.path());
    assert_eq!(code, 2);
    assert!(err.contains("give two files, OLD and NEW"), "{err}");
}
