//! Helpers shared by the editor's integration tests.
#![allow(dead_code, reason = "each test file uses a part of the helpers")]

pub mod canvas;

use std::path::{Path, PathBuf};

use eframe::egui;
use egui_kittest::Harness;
use medflow_gui::{Action, EditorApp};

/// The reference data folder: `$MEDFLOW_REFERENCE`, or `../shared/reference` beside the
/// repository. `None` (after printing "skipped: reference data not found") when it is absent,
/// unless `MEDFLOW_REQUIRE_REFERENCE=1`, which turns absence into a test failure.
pub fn reference_dir() -> Option<PathBuf> {
    let candidate = std::env::var_os("MEDFLOW_REFERENCE").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference"),
        PathBuf::from,
    );
    if candidate.is_dir() {
        return Some(candidate);
    }
    assert!(
        std::env::var("MEDFLOW_REQUIRE_REFERENCE").as_deref() != Ok("1"),
        "reference data not found at {} and MEDFLOW_REQUIRE_REFERENCE=1",
        candidate.display()
    );
    println!(
        "skipped: reference data not found ({})",
        candidate.display()
    );
    None
}

pub const FLOW_ID: &str = "attack-flow--7cabcb58-6930-47b9-b15c-3be2f3a5fce1";
pub const ACTION_ID: &str = "attack-action--d8b5ad2a-2f8b-4b65-9d1a-2f0a6e3c2a11";
pub const ACTION_NAME: &str = "Phish the nurse station";
pub const TECHNIQUE_ID: &str = "T1566.001";

/// A small, valid Attack Flow bundle: one flow starting at one action, plus the extension
/// definition and its author. `action_extra` is spliced into the action object.
pub fn bundle(action_extra: &str) -> String {
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

pub fn harness(app: EditorApp) -> Harness<'static, EditorApp> {
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_max_steps(40)
        .build_ui_state(|ui, app: &mut EditorApp| app.editor_ui(ui), app)
}

pub fn opened(label: &str, bytes: &[u8]) -> Harness<'static, EditorApp> {
    let mut app = EditorApp::new();
    app.open_bytes(label, bytes);
    let mut harness = harness(app);
    harness.run();
    harness
}

/// Queues an action as a panel would and lets the editor apply it.
pub fn act(harness: &mut Harness<'static, EditorApp>, action: Action) {
    harness.state_mut().push(action);
    harness.run();
}

/// The id of the active document's first object of `type_name`.
pub fn first_of_type(harness: &Harness<'static, EditorApp>, type_name: &str) -> String {
    harness
        .state()
        .document()
        .and_then(|document| {
            document
                .objects
                .iter()
                .find(|object| object.type_name() == type_name)
                .map(|object| object.id().to_owned())
        })
        .unwrap_or_else(|| panic!("the document has a {type_name}"))
}

/// Asks the window to close, as the window manager does (the close button, Alt+F4).
pub fn request_window_close(harness: &mut Harness<'static, EditorApp>) {
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.run();
}

/// Presses and releases the primary button at `at` (screen coordinates) with `modifiers`.
pub fn click_at(
    harness: &mut Harness<'static, EditorApp>,
    at: egui::Pos2,
    modifiers: egui::Modifiers,
) {
    harness.event(egui::Event::ModifiersChanged(modifiers));
    harness.hover_at(at);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers,
        });
    }
    harness.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    harness.run();
}

/// Sets one property of an object of the active document as one undo step, as the inspector
/// would.
pub fn set_property(
    harness: &mut Harness<'static, EditorApp>,
    id: &str,
    name: &str,
    value: serde_json::Value,
) {
    act(
        harness,
        Action::Edit {
            label: format!("Edit {name}"),
            coalesce_key: None,
            commands: vec![medflow_core::edit::Command::SetProperty {
                id: id.to_owned(),
                name: name.to_owned(),
                value: Some(value),
            }],
        },
    );
}
