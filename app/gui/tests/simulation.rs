//! The Simulation panel and playback, driven through the UI: a profile chosen in the panel,
//! the run's score and impacts, playback wave by wave with the canvas marks, an impact's path
//! highlighted, a suggested control implemented in the profile's tab (undoable there); and
//! the inspector's patient-safety section (origin, impact, pivot and the flow it comes from).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::{Path, PathBuf};

use common::{act, harness};
use eframe::egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use medflow_core::architecture::Profile;
use medflow_core::safety::{HarmSeverity, Origin, flow_meta, impact_of};
use medflow_gui::canvas::Mark;
use medflow_gui::{Action, BottomView, EditorApp, MenuCommand};

fn library() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../flows")
}

/// The robot flow, the ransomware flow and a new profile (every component present, no
/// control implemented) open; the robot flow active.
fn opened(folder: &Path) -> egui_kittest::Harness<'static, EditorApp> {
    let profile = folder.join("device.json");
    let now = medflow_core::model::Timestamp::parse("2026-12-02T00:00:00.000Z")
        .unwrap()
        .timestamp;
    let mut count = 0;
    let document = medflow_core::architecture::new_profile(
        "Minimal device",
        &medflow_core::architecture::Architecture::reference(),
        &mut |kind| {
            count += 1;
            format!("{kind}--00000000-0000-4000-8000-{count:012}")
        },
        &now,
    );
    std::fs::write(&profile, medflow_core::write_bundle(&document)).unwrap();
    let mut app = EditorApp::new();
    app.open_path(&library().join("vendor-remote-access-ransomware.json"));
    app.open_path(&profile);
    app.open_path(&library().join("robot-command-injection-5g.json"));
    let mut harness = harness(app);
    harness.run();
    harness
}

fn marks_of(harness: &egui_kittest::Harness<'static, EditorApp>) -> Vec<Mark> {
    let tab = harness.state().active_tab().unwrap();
    let playback = tab
        .playback
        .as_ref()
        .expect("the canvas shows the playback");
    let mut marks: Vec<Mark> = playback.marks.values().copied().collect();
    marks.sort_by_key(|mark| format!("{mark:?}"));
    marks
}

fn run_with_minimal_profile(harness: &mut egui_kittest::Harness<'static, EditorApp>) {
    act(harness, Action::ShowBottom(BottomView::Simulation));
    harness
        .get_by_role_and_label(Role::ComboBox, "Device profile")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Minimal device (open tab)")
        .click();
    harness.run();
    harness.get_by_label("Run simulation").click();
    harness.run();
}

/// Scrolls the drop-down `label` into view and opens it.
fn open_combo(harness: &mut egui_kittest::Harness<'static, EditorApp>, label: &str) {
    harness
        .get_by_role_and_label(Role::ComboBox, label)
        .scroll_to_me();
    harness.run();
    harness.get_by_role_and_label(Role::ComboBox, label).click();
    harness.run();
}

#[test]
fn the_panel_runs_plays_back_highlights_a_path_and_implements_a_suggestion() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = opened(folder.path());
    run_with_minimal_profile(&mut harness);
    harness.get_by_label("Score 0.0 / 100");
    harness
        .get_by_label_contains("REACHABLE: Critical: Move the arms against the surgeon's intent");

    // At the end every step of this run is reached; at the start only the entry pivot.
    let end = marks_of(&harness);
    assert!(end.iter().all(|mark| *mark == Mark::Reached), "{end:?}");
    harness.get_by_label("Start").click();
    harness.run();
    harness.get_by_label("Wave 0 of 6");
    let start = marks_of(&harness);
    assert_eq!(
        start.iter().filter(|mark| **mark == Mark::Reached).count(),
        1
    );
    harness.get_by_label("Forward").click();
    harness.run();
    harness.get_by_label("Wave 1 of 6");
    let one = marks_of(&harness);
    // The entry pivot, and both its branches: the key held, and the way without it.
    assert_eq!(one.iter().filter(|mark| **mark == Mark::Reached).count(), 3);

    // Clicking an impact highlights its path.
    harness
        .get_by_label_contains("REACHABLE: Critical: Move the arms")
        .click();
    harness.run();
    let tab = harness.state().active_tab().unwrap();
    let path = &tab.playback.as_ref().unwrap().path;
    // Alone, the flow holds its entry key: the way in from inside the hospital network.
    assert_eq!(path.len(), 4, "{path:?}");
    harness.get_by_label_contains("Path (0 detection opportunities)");

    // Implementing the first suggestion edits the profile's tab and runs again.
    harness
        .get_all_by_label("Implement in the profile")
        .next()
        .unwrap()
        .scroll_to_me();
    harness.run();
    harness
        .get_all_by_label("Implement in the profile")
        .next()
        .unwrap()
        .click();
    harness.run();
    let profile_tab = harness
        .state()
        .tabs()
        .iter()
        .find(|tab| tab.is_profile())
        .unwrap();
    let profile = Profile::from_document(profile_tab.document()).unwrap();
    assert_eq!(profile.controls.len(), 1);
    assert!(
        profile_tab.is_dirty(),
        "the profile's tab holds the change, unsaved"
    );
    harness.get_by_label_contains("Score 100.0 / 100");
    // After the run the blocked steps are marked.
    assert!(marks_of(&harness).contains(&Mark::Blocked));
}

#[test]
fn a_flow_mid_playback_looks_like_this() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = opened(folder.path());
    run_with_minimal_profile(&mut harness);
    harness.get_by_label("Start").click();
    harness.run();
    for _ in 0..3 {
        harness.get_by_label("Forward").click();
        harness.run();
    }
    harness
        .get_by_label_contains("REACHABLE: Critical: Move the arms")
        .click();
    harness.run();
    act(&mut harness, Action::Menu(MenuCommand::ZoomToFit));
    harness.run();
    harness.snapshot("simulation_mid_playback");
}

#[test]
fn the_inspector_edits_origin_impact_and_pivot_and_opens_the_flow_a_pivot_comes_from() {
    let folder = tempfile::tempdir().unwrap();
    let mut harness = opened(folder.path());
    let document = harness.state().active_tab().unwrap().document().clone();
    let flow = document.flow().unwrap().common.id.clone();

    act(&mut harness, Action::Select(vec![flow.clone()]));
    open_combo(&mut harness, "Origin");
    harness
        .get_by_role_and_label(Role::Button, "Realized")
        .click();
    harness.run();
    let tab = harness.state().active_tab().unwrap();
    let object = tab.document().object(&flow).unwrap();
    assert_eq!(flow_meta(object).origin, Some(Origin::Realized));
    // It cites the 2015 study with its URL, so no reference is asked for.
    assert!(
        harness
            .query_by_label_contains("A realized flow cites a public account")
            .is_none()
    );
    act(&mut harness, Action::Menu(MenuCommand::Undo));
    let object = harness
        .state()
        .active_tab()
        .unwrap()
        .document()
        .object(&flow)
        .unwrap()
        .clone();
    assert_eq!(flow_meta(&object).origin, Some(Origin::Theoretical));

    // An action without an impact gets one, then a severity.
    let action = document
        .objects
        .iter()
        .find(|object| object.type_name() == "attack-action" && impact_of(object).is_none())
        .unwrap()
        .id()
        .to_owned();
    act(&mut harness, Action::Select(vec![action.clone()]));
    harness
        .get_by_label("This step harms patients")
        .scroll_to_me();
    harness.run();
    harness.get_by_label("This step harms patients").click();
    harness.run();
    open_combo(&mut harness, "Severity");
    harness
        .get_by_role_and_label(Role::Button, "Catastrophic")
        .click();
    harness.run();
    let tab = harness.state().active_tab().unwrap();
    let impact = impact_of(tab.document().object(&action).unwrap()).unwrap();
    assert_eq!(impact.severity, HarmSeverity::Catastrophic);
    assert_eq!(tab.editor().undo_label(), Some("Set the impact's severity"));

    // The entry pivot says where its key comes from, and opens that flow.
    let pivot = document
        .objects
        .iter()
        .find(|object| medflow_core::safety::pivot_of(object).is_some())
        .unwrap()
        .id()
        .to_owned();
    act(&mut harness, Action::Select(vec![pivot]));
    harness.get_by_label("Comes from").scroll_to_me();
    harness.run();
    harness
        .get_by_role_and_label(
            Role::Button,
            "Open \"Vendor remote access to ransomware that halts robotic surgery\"",
        )
        .click();
    harness.run();
    let active = harness.state().active_tab().unwrap();
    assert_eq!(
        active.document().flow().unwrap().name.as_deref(),
        Some("Vendor remote access to ransomware that halts robotic surgery")
    );
}

#[test]
fn the_raci_matrix_and_coverage_filter_by_a_use_case_of_the_library() {
    use medflow_core::control::{ControlKind, ControlSpec, Party, Roles};
    let mut app = EditorApp::new();
    app.set_library(Some(library()));
    // A flow outside the use case, with a control of its own.
    app.open_bytes("other.json", common::bundle("").as_bytes());
    app.open_path(&library().join("robot-command-injection-5g.json"));
    let mut harness = harness(app);
    harness.run();
    act(&mut harness, Action::SelectTab(0));
    act(
        &mut harness,
        Action::AddControl {
            action: common::ACTION_ID.to_owned(),
            spec: ControlSpec {
                name: "Badge readers on the nurse station".to_owned(),
                description: None,
                kind: ControlKind::Prevent,
                source: None,
                fda_category: None,
                raci: [(Party::Hdo, Roles::parse("AR").unwrap())]
                    .into_iter()
                    .collect(),
            },
        },
    );
    act(&mut harness, Action::ShowBottom(BottomView::Raci));
    harness.get_by_label("HDO of Badge readers on the nurse station: AR");
    open_combo(&mut harness, "Use case");
    harness
        .get_by_role_and_label(Role::Button, "From vendor remote access to robot takeover")
        .click();
    harness.run();
    // The other flow's control is gone; the robot flow's stay; the missing flow is named.
    assert!(
        harness
            .query_by_label_contains("of Badge readers on the nurse station")
            .is_none()
    );
    harness.get_by_label("MDM of Safe-motion envelope checks on the robot: AR");
    harness.get_by_label_contains("2 of the use case's 3 flows are not open");

    act(&mut harness, Action::SelectTab(1));
    act(&mut harness, Action::ShowBottom(BottomView::Coverage));
    open_combo(&mut harness, "Use case");
    harness
        .get_by_role_and_label(Role::Button, "From vendor remote access to robot takeover")
        .click();
    harness.run();
    // Both flows' coverage, the one no tab holds read from the library.
    harness.get_by_label("Vendor remote access to ransomware that halts robotic surgery");
    harness.get_by_label("Obtain a vendor support password");
    harness.get_by_label("Inject forged motion commands");
}
