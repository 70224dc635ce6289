//! Crash recovery through the editor: unsaved work kept in the data directory and offered back
//! after a real `kill -9` of an editor process (this test binary runs itself as the child),
//! discarded work gone, saved work no longer kept, and a clean exit leaving nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{act, first_of_type, harness, set_property};
use egui_kittest::kittest::Queryable;
use medflow_gui::{Action, EditorApp, MenuCommand};
use medflow_platform::recovery::recovery_dir;

/// Set for the child editor process of the crash test: its data directory.
const CHILD_DATA: &str = "MEDFLOW_TEST_CRASH_CHILD_DATA";
/// The flow file the child edits.
const CHILD_FLOW: &str = "MEDFLOW_TEST_CRASH_CHILD_FLOW";
const UNSAVED_NAME: &str = "Renamed, never saved";

/// The child of [`unsaved_work_is_offered_back_after_kill_9`]: an editor (headless) that opens
/// a flow, renames it without saving, and runs frames until it is killed.
#[test]
#[ignore = "the child process of the kill -9 test; does nothing on its own"]
fn crash_child_editor() {
    let (Some(data), Some(flow)) = (std::env::var_os(CHILD_DATA), std::env::var_os(CHILD_FLOW))
    else {
        return;
    };
    let mut app = EditorApp::new();
    app.use_scripted_dialogs();
    app.start_recovery(&recovery_dir(Path::new(&data)));
    app.open_path(Path::new(&flow));
    let mut harness = harness(app);
    harness.run();
    let id = first_of_type(&harness, "attack-flow");
    set_property(&mut harness, &id, "name", serde_json::json!(UNSAVED_NAME));
    let start = Instant::now();
    // Until killed (or a minute has passed, so that a lost child never lingers).
    while start.elapsed() < Duration::from_mins(1) {
        harness.step();
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn kept_files(data: &Path) -> Vec<PathBuf> {
    let Ok(sessions) = std::fs::read_dir(recovery_dir(data)) else {
        return Vec::new();
    };
    sessions
        .filter_map(Result::ok)
        .filter_map(|session| std::fs::read_dir(session.path()).ok())
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "recover")
        })
        .collect()
}

#[test]
fn unsaved_work_is_offered_back_after_kill_9() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path().join("data");
    let flow = folder.path().join("flow.json");
    std::fs::write(&flow, common::bundle("")).unwrap();
    let on_disk = std::fs::read(&flow).unwrap();

    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "crash_child_editor",
            "--exact",
            "--ignored",
            "--test-threads=1",
        ])
        .env(CHILD_DATA, &data)
        .env(CHILD_FLOW, &flow)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while kept_files(&data).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(50),
            "the child editor kept nothing"
        );
        assert!(child.try_wait().unwrap().is_none(), "the child ended early");
        std::thread::sleep(Duration::from_millis(50));
    }
    // SIGKILL: no destructor, no exit handler runs.
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        std::fs::read(&flow).unwrap(),
        on_disk,
        "the file was not saved"
    );

    let mut app = EditorApp::new();
    app.use_scripted_dialogs();
    app.start_recovery(&recovery_dir(&data));
    let offers = app.recovery_offers();
    assert_eq!(offers.len(), 1, "one tab's work: {offers:?}");
    assert_eq!(offers[0].tab.path.as_deref(), Some(flow.as_path()));
    let mut harness = harness(app);
    harness.run();
    harness.get_by_label("Recover unsaved work");
    harness.get_by_label(&flow.display().to_string());
    harness.get_by_label("Restore").click();
    harness.run();
    let state = harness.state();
    assert!(state.recovery_offers().is_empty());
    let tab = state.active_tab().unwrap();
    assert_eq!(
        tab.path.as_deref(),
        Some(flow.as_path()),
        "it belongs to its file"
    );
    assert!(tab.is_dirty(), "restored work is unsaved until saved");
    assert_eq!(
        tab.document().flow().and_then(|flow| flow.name.as_deref()),
        Some(UNSAVED_NAME)
    );
    // The restored tab is kept by this editor now; a clean exit removes everything.
    harness.step();
    assert_eq!(kept_files(&data).len(), 1, "kept again, by this session");
    harness.state_mut().finish_recovery();
    assert!(kept_files(&data).is_empty());
    assert_eq!(
        std::fs::read_dir(recovery_dir(&data)).unwrap().count(),
        0,
        "no session folder left"
    );
}

#[test]
fn discarded_work_is_gone_and_a_clean_exit_leaves_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path();
    let mut app = EditorApp::new();
    app.use_scripted_dialogs();
    app.start_recovery(&recovery_dir(data));
    let mut harness = harness(app);
    act(&mut harness, Action::Menu(MenuCommand::New));
    let flow = first_of_type(&harness, "attack-flow");
    set_property(&mut harness, &flow, "name", serde_json::json!("Draft"));
    harness.step();
    assert_eq!(kept_files(data).len(), 1, "the new flow's work is kept");
    // Closing the tab without saving forgets it.
    act(&mut harness, Action::DiscardTab(0));
    harness.step();
    assert!(kept_files(data).is_empty());
    harness.state_mut().finish_recovery();
    assert_eq!(std::fs::read_dir(recovery_dir(data)).unwrap().count(), 0);
}

#[test]
fn saved_work_is_no_longer_kept_for_recovery() {
    let folder = tempfile::tempdir().unwrap();
    let data = folder.path().join("data");
    let path = folder.path().join("flow.json");
    std::fs::write(&path, common::bundle("")).unwrap();
    let mut app = EditorApp::new();
    app.use_scripted_dialogs();
    app.start_recovery(&recovery_dir(&data));
    app.open_path(&path);
    let mut harness = harness(app);
    let flow = first_of_type(&harness, "attack-flow");
    set_property(&mut harness, &flow, "name", serde_json::json!("Edited"));
    harness.step();
    assert_eq!(kept_files(&data).len(), 1, "unsaved work is kept");
    act(&mut harness, Action::Menu(MenuCommand::Save));
    harness.step();
    assert!(
        kept_files(&data).is_empty(),
        "saved: a crash now has nothing to offer"
    );
}
