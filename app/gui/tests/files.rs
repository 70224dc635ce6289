//! Files and tabs through the editor, with the native dialogs replaced by a scripted double:
//! Save As saves the tab it was asked for, saving keeps a backup and remembers the file, the
//! unsaved-changes prompts save (one dialog at a time) before closing, tabs switch.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::{Path, PathBuf};

use common::{act, bundle, first_of_type, harness, request_window_close, set_property};
use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use medflow_core::edit::NewObject;
use medflow_core::{Context, ReadLimits, Severity, read_bundle, validate};
use medflow_gui::{
    Action, AfterSave, DialogRequest, DialogResult, EditorApp, MenuCommand, dialogs::SaveRequest,
};

fn scripted_editor() -> Harness<'static, EditorApp> {
    let mut app = EditorApp::new();
    app.use_scripted_dialogs();
    let mut harness = harness(app);
    harness.run();
    harness
}

/// The one save dialog asked for since the last call.
fn save_request(harness: &mut Harness<'static, EditorApp>) -> (String, SaveRequest) {
    let requests = harness.state_mut().take_dialog_requests();
    assert_eq!(requests.len(), 1, "one dialog: {requests:?}");
    match requests.into_iter().next() {
        Some(DialogRequest::SaveAs {
            file_name, request, ..
        }) => (file_name, request),
        other => panic!("a save dialog, not {other:?}"),
    }
}

fn answer(harness: &mut Harness<'static, EditorApp>, request: SaveRequest, path: Option<&Path>) {
    harness.state().answer_dialog(DialogResult::SaveAs {
        request,
        path: path.map(Path::to_path_buf),
    });
    harness.run();
}

/// The flow name saved in a file.
fn saved_flow_name(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let outcome = read_bundle(&bytes, &ReadLimits::default()).unwrap();
    let errors: Vec<_> = validate(&outcome.document, &Context::default())
        .into_iter()
        .filter(|diagnostic| diagnostic.code.severity() == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    outcome
        .document
        .objects
        .iter()
        .find(|object| object.type_name() == "attack-flow")
        .and_then(|flow| flow.to_json().get("name").cloned())
        .and_then(|name| name.as_str().map(str::to_owned))
        .unwrap()
}

/// Opens a new flow in a new tab and names it.
fn new_named_flow(harness: &mut Harness<'static, EditorApp>, name: &str) {
    act(harness, Action::Menu(MenuCommand::New));
    rename_flow(harness, name);
}

fn rename_flow(harness: &mut Harness<'static, EditorApp>, name: &str) {
    let flow = first_of_type(harness, "attack-flow");
    set_property(harness, &flow, "name", serde_json::json!(name));
}

#[test]
fn save_as_saves_the_tab_it_was_asked_for_even_after_switching_tabs() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = scripted_editor();
    new_named_flow(&mut harness, "Console first");
    new_named_flow(&mut harness, "Robot second");
    assert_eq!(harness.state().tab_count(), 2);

    // Save As on the first tab, then switch to the second while the dialog is open.
    act(&mut harness, Action::SelectTab(0));
    act(&mut harness, Action::Menu(MenuCommand::SaveAs));
    let (file_name, request) = save_request(&mut harness);
    assert_eq!(file_name, "Console first.json");
    assert_eq!(request.then, AfterSave::Nothing);
    act(&mut harness, Action::SelectTab(1));
    let path = folder.path().join("console.json");
    answer(&mut harness, request, Some(&path));

    assert_eq!(saved_flow_name(&path), "Console first");
    assert_eq!(
        harness.state().window_title(),
        "● Robot second — MedFlow Studio",
        "the second tab stays active and unsaved"
    );
    harness.get_by_label(&format!("Saved {}", path.display()));
    act(&mut harness, Action::SelectTab(0));
    assert_eq!(
        harness.state().window_title(),
        "Console first — MedFlow Studio"
    );
    assert_eq!(
        harness.state().status(),
        None,
        "another tab: the old message is cleared"
    );
    assert_eq!(
        harness
            .state()
            .active_tab()
            .and_then(|tab| tab.path.clone()),
        Some(path.clone())
    );
    assert_eq!(harness.state().recent_files(), std::slice::from_ref(&path));

    // Saving again goes to the same file without a dialog and keeps the previous version.
    rename_flow(&mut harness, "Console first, edited");
    act(&mut harness, Action::Menu(MenuCommand::Save));
    assert!(harness.state_mut().take_dialog_requests().is_empty());
    assert_eq!(saved_flow_name(&path), "Console first, edited");
    assert_eq!(
        saved_flow_name(&folder.path().join("console.json.bak")),
        "Console first"
    );
}

#[test]
fn a_cancelled_save_dialog_changes_nothing() {
    let mut harness = scripted_editor();
    act(&mut harness, Action::Menu(MenuCommand::New));
    act(&mut harness, Action::AddNode(NewObject::Asset));
    act(&mut harness, Action::Menu(MenuCommand::Save));
    let (_, request) = save_request(&mut harness);
    answer(&mut harness, request, None);
    assert!(harness.state().window_title().starts_with("● "));
    assert!(
        harness
            .state()
            .active_tab()
            .is_some_and(|tab| tab.path.is_none())
    );
}

#[test]
fn saving_from_the_tab_prompt_closes_the_tab_once_saved() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = scripted_editor();
    new_named_flow(&mut harness, "Kept flow");
    act(&mut harness, Action::Menu(MenuCommand::New));
    act(&mut harness, Action::SelectTab(0));
    act(&mut harness, Action::Menu(MenuCommand::Close));
    harness.get_by_label("Unsaved changes");
    harness.get_by_label("Save").click();
    harness.run();
    let (_, request) = save_request(&mut harness);
    assert_eq!(request.then, AfterSave::CloseTab);
    assert_eq!(harness.state().tab_count(), 2, "open until saved");
    let path = folder.path().join("kept.json");
    answer(&mut harness, request, Some(&path));
    assert_eq!(saved_flow_name(&path), "Kept flow");
    assert_eq!(harness.state().tab_count(), 1, "the saved tab closed");
    assert_eq!(
        harness.state().window_title(),
        "Untitled flow — MedFlow Studio",
        "the other tab stays"
    );
}

fn close_requested(harness: &Harness<'static, EditorApp>) -> bool {
    harness
        .output()
        .viewport_output
        .values()
        .any(|viewport| viewport.commands.contains(&egui::ViewportCommand::Close))
}

#[test]
fn closing_the_window_saves_each_changed_tab_one_dialog_at_a_time() {
    let folder = tempfile::tempdir().unwrap();
    let on_disk = folder.path().join("on-disk.json");
    std::fs::write(&on_disk, bundle("")).unwrap();
    let mut harness = scripted_editor();
    harness.state_mut().open_path(&on_disk);
    act(&mut harness, Action::AddNode(NewObject::Asset));
    new_named_flow(&mut harness, "First untitled");
    new_named_flow(&mut harness, "Second untitled");

    request_window_close(&mut harness);
    harness.get_by_label_contains("have unsaved changes.");
    harness.get_by_label("Save").click();
    harness.run();
    // The file with a path is saved at once; the first untitled one asks where.
    assert!(
        std::fs::read_to_string(&on_disk)
            .unwrap()
            .contains("attack-asset--"),
        "the opened file was saved with its new asset"
    );
    let (file_name, request) = save_request(&mut harness);
    assert_eq!(file_name, "First untitled.json");
    assert_eq!(request.then, AfterSave::CloseWindow);
    answer(
        &mut harness,
        request,
        Some(&folder.path().join("first.json")),
    );
    assert!(!close_requested(&harness));
    let (file_name, request) = save_request(&mut harness);
    assert_eq!(file_name, "Second untitled.json");

    // Cancelling the second dialog keeps the window open with the flow unsaved.
    answer(&mut harness, request, None);
    assert!(!close_requested(&harness));
    harness.get_by_label("Not closed: a flow was not saved.");
    assert_eq!(harness.state().tab_count(), 3);

    // Asking again only concerns the one flow left, and saving it closes the window.
    request_window_close(&mut harness);
    harness.get_by_label("Second untitled has unsaved changes.");
    harness.get_by_label("Save").click();
    harness.run();
    let (_, request) = save_request(&mut harness);
    harness.state().answer_dialog(DialogResult::SaveAs {
        request,
        path: Some(folder.path().join("second.json")),
    });
    harness.step();
    assert!(close_requested(&harness), "saved, so the window closes");
    assert_eq!(
        saved_flow_name(&folder.path().join("first.json")),
        "First untitled"
    );
    assert_eq!(
        saved_flow_name(&folder.path().join("second.json")),
        "Second untitled"
    );
}

#[test]
fn the_open_dialog_opens_each_chosen_file_in_its_own_tab_and_tabs_switch() {
    let folder = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = ["pump.json", "pump-copy.json"]
        .iter()
        .map(|name| folder.path().join(name))
        .collect();
    std::fs::write(&paths[0], bundle("")).unwrap();
    std::fs::write(
        &paths[1],
        bundle("").replace("Infusion pump takeover", "Second pump"),
    )
    .unwrap();
    let mut harness = scripted_editor();
    act(&mut harness, Action::Menu(MenuCommand::Open));
    let requests = harness.state_mut().take_dialog_requests();
    assert!(matches!(requests.as_slice(), [DialogRequest::Open { .. }]));
    harness
        .state()
        .answer_dialog(DialogResult::Open(paths.clone()));
    harness.run();
    assert_eq!(harness.state().tab_count(), 2);
    assert_eq!(
        harness.state().window_title(),
        "Second pump — MedFlow Studio"
    );
    // Both tabs are in the strip; clicking the first switches to it.
    harness.get_by_label("Infusion pump takeover").click();
    harness.run();
    assert_eq!(
        harness.state().window_title(),
        "Infusion pump takeover — MedFlow Studio"
    );
    // Opening a file that is already open switches to its tab instead of opening it twice.
    harness.state_mut().open_path(&paths[1]);
    harness.run();
    assert_eq!(harness.state().tab_count(), 2);
    assert_eq!(
        harness.state().window_title(),
        "Second pump — MedFlow Studio"
    );
    // Both files are remembered, newest first, and listed under File → Open recent.
    assert_eq!(
        harness.state().recent_files(),
        [paths[1].clone(), paths[0].clone()]
    );
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label_contains("Open recent").hover();
    harness.run();
    harness.get_by_label(&paths[0].display().to_string());
}

#[test]
fn saving_fixes_what_the_reader_normalised_and_its_errors_go() {
    let folder = tempfile::tempdir().unwrap();
    let mut app = EditorApp::new();
    app.use_scripted_dialogs();
    // The Builder's export: a bundle property STIX forbids, an error in the file as written.
    let exported = bundle("").replacen(
        "\"type\": \"bundle\",",
        "\"type\": \"bundle\", \"spec_version\": \"2.1\",",
        1,
    );
    app.open_bytes("exported.json", exported.as_bytes());
    let mut harness = harness(app);
    harness.run();
    harness.get_by_label("read-bundle-property-dropped");

    act(&mut harness, Action::Menu(MenuCommand::SaveAs));
    let (_, request) = save_request(&mut harness);
    let path = folder.path().join("saved.json");
    answer(&mut harness, request, Some(&path));
    assert!(path.exists());
    assert!(
        harness
            .query_by_label("read-bundle-property-dropped")
            .is_none(),
        "the saved file has no bundle spec_version, so the problem is gone"
    );
    let saved = std::fs::read_to_string(&path).unwrap();
    let outcome = read_bundle(saved.as_bytes(), &ReadLimits::default()).unwrap();
    assert_eq!(outcome.diagnostics, []);
}
