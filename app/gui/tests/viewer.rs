//! Interaction tests of the read-only viewer through the accessibility tree (no GPU, no window).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use medflow_gui::{EMPTY_STATE_TEXT, EditorApp};

const FLOW_ID: &str = "attack-flow--7cabcb58-6930-47b9-b15c-3be2f3a5fce1";
const ACTION_ID: &str = "attack-action--d8b5ad2a-2f8b-4b65-9d1a-2f0a6e3c2a11";
const ACTION_NAME: &str = "Phish the nurse station";
const TECHNIQUE_ID: &str = "T1566.001";

/// A small, valid Attack Flow bundle: one flow starting at one action, plus the extension
/// definition and its author. `action_extra` is spliced into the action object.
fn bundle(action_extra: &str) -> String {
    let extension = r#""extensions": {"extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {"extension_type": "new-sdo"}}"#;
    let stamps = r#""spec_version": "2.1", "created": "2024-05-01T10:00:00.000Z", "modified": "2024-05-01T10:00:00.000Z""#;
    format!(
        r#"{{
  "type": "bundle",
  "id": "bundle--5c3f2e4b-8a1d-4c6e-9f0a-1b2c3d4e5f60",
  "objects": [
    {{"type": "extension-definition", "id": "extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4",
      {stamps}, "created_by_ref": "identity--fb9c968a-745b-4ade-9b25-c324172197f4",
      "name": "Attack Flow", "description": "Extends STIX 2.1 with features to create Attack Flows.",
      "schema": "https://center-for-threat-informed-defense.github.io/attack-flow/stix/attack-flow-schema-2.0.0.json",
      "version": "2.0.0", "extension_types": ["new-sdo"]}},
    {{"type": "identity", "id": "identity--fb9c968a-745b-4ade-9b25-c324172197f4", {stamps},
      "created_by_ref": "identity--fb9c968a-745b-4ade-9b25-c324172197f4",
      "name": "MITRE Engenuity Center for Threat-Informed Defense", "identity_class": "organization"}},
    {{"type": "attack-flow", "id": "{FLOW_ID}", {stamps}, {extension},
      "created_by_ref": "identity--fb9c968a-745b-4ade-9b25-c324172197f4",
      "name": "Infusion pump takeover", "description": "A test flow.", "scope": "incident",
      "start_refs": ["{ACTION_ID}"]}},
    {{"type": "attack-action", "id": "{ACTION_ID}", {stamps}, {extension},
      "name": "{ACTION_NAME}", "technique_id": "{TECHNIQUE_ID}", "tactic_id": "TA0001"{action_extra}}}
  ]
}}"#
    )
}

fn harness(app: EditorApp) -> Harness<'static, EditorApp> {
    Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        .build_ui_state(|ui, app: &mut EditorApp| app.editor_ui(ui), app)
}

fn opened(label: &str, bytes: &[u8]) -> Harness<'static, EditorApp> {
    let mut app = EditorApp::new();
    app.open_bytes(label, bytes);
    harness(app)
}

#[test]
fn empty_editor_says_how_to_open_a_file() {
    let harness = harness(EditorApp::new());
    harness.get_by_label(EMPTY_STATE_TEXT);
    assert!(harness.query_by_label_contains("Problems").is_none());
    assert_eq!(harness.state().window_title(), "MedFlow Studio");
}

#[test]
fn opened_flow_lists_objects_and_shows_the_clicked_ones_properties() {
    let mut harness = opened("pump.json", bundle("").as_bytes());
    assert_eq!(harness.state().window_title(), "MedFlow Studio — pump.json");
    assert!(harness.query_by_label(EMPTY_STATE_TEXT).is_none());
    harness.get_by_label("Actions (1)");
    harness.get_by_label("Problems (0)");
    assert!(harness.query_by_label(TECHNIQUE_ID).is_none());

    harness.get_by_label(ACTION_NAME).click();
    harness.run();

    assert_eq!(harness.state().selected_object_id(), Some(ACTION_ID));
    harness.get_by_label(TECHNIQUE_ID);
    harness.get_by_label("technique_id");
}

#[test]
fn invalid_json_shows_an_error_naming_the_file_and_position() {
    let harness = opened("broken.json", b"{\n  \"type\": \"bundle\",\n  \"id\": x\n}");
    harness.get_by_label_contains("Could not open broken.json: line 3, column 9:");
    assert!(harness.query_by_label(ACTION_NAME).is_none());
    assert_eq!(harness.state().document(), None);
}

#[test]
fn clicking_a_problem_selects_its_object() {
    let dangling = r#", "effect_refs": ["attack-action--00000000-0000-4000-8000-000000000000"]"#;
    let mut harness = opened("dangling.json", bundle(dangling).as_bytes());
    let problem = harness
        .get_all_by_label("doc-dangling-reference")
        .next()
        .unwrap_or_else(|| panic!("no dangling-reference problem listed"));
    problem.click();
    harness.run();
    assert_eq!(harness.state().selected_object_id(), Some(ACTION_ID));
    harness.get_by_label(TECHNIQUE_ID);
}

/// A file dropped on the window, as the windowing integration hands it to egui.
#[derive(Debug)]
struct DroppedPath(PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|error| error.to_string())
    }
}

#[test]
fn dropping_a_file_opens_it() {
    let file_name = format!("medflow-gui-drop-{}.json", std::process::id());
    let path = std::env::temp_dir().join(&file_name);
    std::fs::write(&path, bundle("")).unwrap_or_else(|error| panic!("write failed: {error}"));
    let mut harness = harness(EditorApp::new());
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(DroppedPath(path.clone())));
    harness.run();
    let _ = std::fs::remove_file(&path);
    harness.get_by_label(ACTION_NAME);
    assert_eq!(
        harness.state().window_title(),
        format!("MedFlow Studio — {file_name}")
    );
}

#[test]
fn the_status_bar_names_the_attack_catalog_and_problems_use_it() {
    let harness = opened(
        "wrong-tactic.json",
        bundle(r#", "description": "Lateral move""#)
            .replace("\"tactic_id\": \"TA0001\"", "\"tactic_id\": \"TA0008\"")
            .as_bytes(),
    );
    harness.get_by_label(
        "ATT&CK Enterprise 18.1 (built-in), Mobile 18.1 (built-in), ICS 18.1 (built-in)",
    );
    assert!(
        harness
            .query_by_label_contains("attack-technique-not-in-tactic")
            .is_some(),
        "the problems panel lists the ATT&CK rule"
    );
}
