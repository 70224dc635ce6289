//! Interaction tests of the editor through the accessibility tree (no GPU, no window): open,
//! select, edit in the inspector, pick a technique, undo, tabs, problems, dropped files.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::{ACTION_ID, ACTION_NAME, FLOW_ID, act, bundle, harness, opened};
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use medflow_gui::{Action, EMPTY_STATE_TEXT, EditorApp, MenuCommand};

#[test]
fn empty_editor_welcomes_with_the_library_recent_files_new_and_open() {
    let mut app = EditorApp::new();
    app.set_library(None);
    let mut harness = harness(app);
    harness.get_by_label(EMPTY_STATE_TEXT);
    harness.get_by_label("Flow library");
    harness.get_by_label("Recent files");
    harness.get_by_label("None yet.");
    harness.get_by_label("Open…");
    // Nothing is opened by itself; a library flow opens on a click.
    assert_eq!(harness.state().tab_count(), 0);
    // The welcome page lists the flows by category, under their names, realized ones marked
    // (the library panel beside it lists the files).
    harness.get_by_label("System and network availability");
    harness.get_by_label("Vendor access and supply chain");
    assert!(harness.query_all_by_label("realized").count() >= 1);
    harness
        .get_by_label("Vendor remote access to ransomware that halts robotic surgery")
        .click();
    harness.run();
    assert_eq!(harness.state().tab_count(), 1);
    assert_eq!(
        harness.state().window_title(),
        "Vendor remote access to ransomware that halts robotic surgery — MedFlow Studio"
    );
    act(&mut harness, Action::DiscardTab(0));
    harness.get_by_label("New flow").click();
    harness.run();
    assert_eq!(harness.state().tab_count(), 1);
    act(&mut harness, Action::DiscardTab(0));
    act(&mut harness, Action::Menu(MenuCommand::About));
    assert!(
        harness
            .query_all_by_label_contains("© 2026 The MITRE Corporation")
            .count()
            >= 1,
        "About carries MITRE's copyright designation"
    );
    assert!(harness.query_by_label_contains("Problems").is_none());
    assert_eq!(harness.state().window_title(), "MedFlow Studio");
}

#[test]
fn an_opened_flow_shows_nodes_outline_and_inspector() {
    let mut harness = opened("pump.json", bundle("").as_bytes());
    assert_eq!(
        harness.state().window_title(),
        "Infusion pump takeover — MedFlow Studio"
    );
    assert!(harness.query_by_label(EMPTY_STATE_TEXT).is_none());
    harness.get_by_label("Problems (0)");
    // The node's title on the canvas, and its technique with the catalog's name.
    assert!(harness.query_all_by_label(ACTION_NAME).count() >= 1);
    harness.get_by_label("T1566.001 Spearphishing Attachment");

    harness
        .get_by_label(&format!("Action  {ACTION_NAME}"))
        .click();
    harness.run();
    assert_eq!(harness.state().selected_object_id(), Some(ACTION_ID));
    harness.get_by_label("Pick technique…");
    let _ = FLOW_ID;
}

#[test]
fn invalid_json_shows_an_error_naming_the_file_and_position() {
    let harness = opened("broken.json", b"{\n  \"type\": \"bundle\",\n  \"id\": x\n}");
    assert!(
        harness
            .query_all_by_label_contains("Cannot open broken.json: line 3, column 9:")
            .count()
            >= 1
    );
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
    harness.get_by_label("Pick technique…");
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
fn dropping_a_file_opens_it_in_a_tab() {
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
    assert_eq!(harness.state().tab_count(), 1);
    assert_eq!(
        harness
            .state()
            .active_tab()
            .and_then(|tab| tab.path.clone()),
        Some(path)
    );
    assert!(harness.query_all_by_label(ACTION_NAME).count() >= 1);
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
        "ATT&CK Enterprise 19.1 (built-in), Mobile 19.1 (built-in), ICS 19.1 (built-in), \
         mitigations and detection strategies from 18.1; ATLAS 5.6.1 (built-in)",
    );
    assert!(
        harness
            .query_by_label_contains("attack-technique-not-in-tactic")
            .is_some(),
        "the problems panel lists the ATT&CK rule"
    );
}

#[test]
fn add_an_action_name_it_pick_a_technique_and_undo() {
    let mut harness = harness(EditorApp::new());
    harness.get_by_label(MenuCommand::New.label()).click();
    harness.run();
    assert_eq!(harness.state().tab_count(), 1);
    assert_eq!(
        harness.state().window_title(),
        "Untitled flow — MedFlow Studio"
    );

    // Add an action from the menu.
    harness.get_by_label("Add").click();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Action")
        .click();
    harness.run();
    let added = harness
        .state()
        .selected_object_id()
        .map(str::to_owned)
        .expect("the new action is selected");
    assert!(added.starts_with("attack-action--"));
    assert!(
        harness.state().window_title().starts_with("● "),
        "dirty marker"
    );

    // Type its name in the inspector.
    harness.get_by_label("Name").click();
    harness.run();
    harness.key_press(egui::Key::End);
    harness.run();
    harness.get_by_label("Name").type_text(" to the console");
    harness.run();
    let name_of = |harness: &Harness<'static, EditorApp>, id: &str| {
        harness
            .state()
            .document()
            .and_then(|document| document.object(id))
            .and_then(|object| object.to_json().get("name").cloned())
    };
    assert_eq!(
        name_of(&harness, &added),
        Some(serde_json::json!("New action to the console"))
    );

    // Pick a technique by typing.
    harness.get_by_label("Pick technique…").click();
    harness.run();
    harness
        .get_by_label("Search ATT&CK and ATLAS")
        .type_text("valid acc");
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    let technique = |harness: &Harness<'static, EditorApp>| {
        harness
            .state()
            .document()
            .and_then(|document| document.object(&added))
            .and_then(|object| object.to_json().get("technique_id").cloned())
    };
    assert_eq!(technique(&harness), Some(serde_json::json!("T1078")));
    assert_eq!(
        harness
            .state()
            .active_tab()
            .and_then(|tab| tab.editor().undo_label().map(str::to_owned)),
        Some("Set technique T1078".to_owned())
    );

    harness.get_by_label("Edit").click();
    harness.run();
    harness.get_by_label_contains("Undo Set technique T1078");
    harness.key_press(egui::Key::Escape);
    harness.run();

    // Undo takes the technique away again, and keeps the typed name as one step.
    act(&mut harness, Action::Menu(MenuCommand::Undo));
    assert_eq!(technique(&harness), None);
    act(&mut harness, Action::Menu(MenuCommand::Undo));
    assert_eq!(
        name_of(&harness, &added),
        Some(serde_json::json!("New action"))
    );
    act(&mut harness, Action::Menu(MenuCommand::Redo));
    assert_eq!(
        name_of(&harness, &added),
        Some(serde_json::json!("New action to the console"))
    );
}

#[test]
fn closing_a_changed_tab_asks_first() {
    let mut harness = opened("pump.json", bundle("").as_bytes());
    act(
        &mut harness,
        Action::AddNode(medflow_core::edit::NewObject::Asset),
    );
    act(&mut harness, Action::Menu(MenuCommand::Close));
    harness.get_by_label("Unsaved changes");
    assert_eq!(harness.state().tab_count(), 1);
    harness.get_by_label("Discard changes").click();
    harness.run();
    assert_eq!(harness.state().tab_count(), 0);
}

#[test]
fn quitting_with_unsaved_changes_asks_first() {
    let mut harness = opened("pump.json", bundle("").as_bytes());
    act(
        &mut harness,
        Action::AddNode(medflow_core::edit::NewObject::Asset),
    );
    // One event, so that the frame that sees it is the one whose output is read.
    harness.event(egui::Event::Key {
        key: egui::Key::Q,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::COMMAND,
    });
    harness.step();
    let asked_to_close = harness
        .output()
        .viewport_output
        .values()
        .any(|viewport| viewport.commands.contains(&egui::ViewportCommand::Close));
    assert!(asked_to_close, "Ctrl+Q asks the window to close");
    // The window manager's close request then meets the unsaved-changes prompt.
    common::request_window_close(&mut harness);
    harness.get_by_label("Unsaved changes");
    assert_eq!(harness.state().tab_count(), 1, "nothing closed yet");
}

#[test]
fn a_corpus_file_shows_its_problems_in_the_panel() {
    let Some(reference) = common::reference_dir() else {
        return;
    };
    let path = reference.join("attack-flow/corpus/MITRE NERVE.json");
    let mut app = EditorApp::new();
    app.open_path(&path);
    let mut harness = harness(app);
    harness.run();
    assert_eq!(
        harness.state().window_title(),
        "MITRE NERVE — MedFlow Studio"
    );
    // The ATT&CK rule finds the technique filed under the wrong tactic.
    let problem = harness
        .get_all_by_label("attack-technique-not-in-tactic")
        .next()
        .expect("the problem is listed");
    problem.click();
    harness.run();
    let selected = harness.state().selected_object_id().map(str::to_owned);
    assert_eq!(
        selected.as_deref(),
        Some("attack-action--926e83ad-ed25-4e6b-a674-69c057928e7f")
    );
    assert!(harness.query_by_label_contains("Problems (").is_some());
}

#[test]
fn the_panels_keep_their_sizes_when_they_show_little() {
    // Nothing selected and no problems: the inspector and the problems panel show one line
    // each, and still keep their default sizes instead of shrinking to it.
    let mut harness = opened("pump.json", bundle("").as_bytes());
    harness.run();
    let canvas = harness.state().active_tab().unwrap().canvas.screen_rect();
    let inspector_width = 1400.0 - canvas.right();
    let problems_height = 900.0 - canvas.bottom();
    assert!(
        (330.0..400.0).contains(&inspector_width),
        "inspector {inspector_width} wide"
    );
    assert!(
        (150.0..230.0).contains(&problems_height),
        "problems and status bar {problems_height} high"
    );
}
