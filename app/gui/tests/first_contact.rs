//! The editor at first contact, where nothing may be lost and every flow reads: the built-in
//! file dialog when the desktop has none, files that are not Attack Flows opened read-only and
//! never written over, saved files keeping their mode, nodes that stay put, selection, menus,
//! named references and per-tab cameras (crash recovery: `recovery.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::canvas::node_rect;
use common::{act, first_of_type, harness, set_property};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use medflow_core::{ReadLimits, read_bundle};
use medflow_gui::{Action, DialogKind, DialogRequest, DialogResult, EditorApp, MenuCommand};

/// Steps the harness until `done` holds (the built-in dialog lists folders on a thread).
fn step_until(
    harness: &mut Harness<'static, EditorApp>,
    what: &str,
    done: impl Fn(&Harness<'static, EditorApp>) -> bool,
) {
    let start = Instant::now();
    while !done(harness) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "waited for {what}"
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn has_label(harness: &Harness<'static, EditorApp>, label: &str) -> bool {
    harness.query_by_label(label).is_some()
}

/// An editor whose native dialogs come back empty at once, as rfd's do on a desktop with no
/// portal and no zenity.
fn editor_without_desktop_dialogs() -> Harness<'static, EditorApp> {
    let mut app = EditorApp::new();
    app.use_native_dialogs(DialogKind::Native, Arc::new(|_| DialogResult::Cancelled));
    let mut harness = harness(app);
    harness.run();
    harness
}

#[test]
fn without_a_desktop_dialog_the_built_in_one_opens_and_saves() {
    let folder = tempfile::tempdir().unwrap();
    let flow = folder.path().join("existing.json");
    std::fs::write(&flow, common::bundle("")).unwrap();

    let mut harness = editor_without_desktop_dialogs();
    // Open: the native dialog fails, the built-in one is shown instead.
    act(&mut harness, Action::Open(flow.clone()));
    act(&mut harness, Action::DiscardTab(0));
    assert_eq!(harness.state().tab_count(), 0);
    act(&mut harness, Action::Menu(MenuCommand::Open));
    step_until(&mut harness, "the built-in open dialog", |harness| {
        has_label(harness, "Open attack flow")
    });
    assert_eq!(harness.state().dialog_kind(), DialogKind::BuiltIn);
    let status = harness.state().status().unwrap_or_default().to_owned();
    assert!(
        status.contains("using the built-in one"),
        "the status bar says which dialog is used: {status}"
    );
    step_until(&mut harness, "the folder listed", |harness| {
        has_label(harness, "🗋 existing.json")
    });
    harness.get_by_label("🗋 existing.json").click();
    harness.step();
    harness.get_by_label("🗀  Open").click();
    step_until(&mut harness, "the file opened", |harness| {
        harness.state().tab_count() == 1
    });
    assert_eq!(
        harness.state().active_tab().unwrap().path.as_deref(),
        Some(flow.as_path())
    );

    // Save a new flow: straight to the built-in dialog now, in the folder last used.
    act(&mut harness, Action::Menu(MenuCommand::New));
    let flow_id = first_of_type(&harness, "attack-flow");
    set_property(
        &mut harness,
        &flow_id,
        "name",
        serde_json::json!("Fresh flow"),
    );
    act(&mut harness, Action::Menu(MenuCommand::Save));
    step_until(&mut harness, "the built-in save dialog", |harness| {
        has_label(harness, "Save attack flow")
    });
    step_until(&mut harness, "the folder listed", |harness| {
        has_label(harness, "🗋 existing.json")
    });
    harness.get_by_label("📥  Save").click();
    let saved = folder.path().join("Fresh flow.json");
    step_until(&mut harness, "the flow saved", |_| saved.exists());
    harness.run();
    assert!(!harness.state().active_tab().unwrap().is_dirty());
    let bytes = std::fs::read(&saved).unwrap();
    assert!(read_bundle(&bytes, &ReadLimits::default()).is_ok());
}

/// The one save dialog asked for since the last call: its suggested name and folder.
fn asked_save(harness: &mut Harness<'static, EditorApp>) -> (String, Option<PathBuf>) {
    let requests = harness.state_mut().take_dialog_requests();
    match requests.as_slice() {
        [
            DialogRequest::SaveAs {
                file_name, folder, ..
            },
        ] => (file_name.clone(), folder.clone()),
        other => panic!("one save dialog, not {other:?}"),
    }
}

fn scripted_editor_on(path: &Path) -> Harness<'static, EditorApp> {
    let mut app = EditorApp::new();
    app.use_scripted_dialogs();
    app.open_path(path);
    let mut harness = harness(app);
    harness.run();
    harness
}

#[test]
fn files_that_are_not_attack_flows_open_read_only_and_are_never_written_over() {
    let folder = tempfile::tempdir().unwrap();
    let builder = folder.path().join("Ransomware.afb");
    let builder_bytes =
        br#"{"schema": "attack_flow_v2", "theme": "dark_theme", "objects": [], "layout": {}, "camera": {}}"#;
    std::fs::write(&builder, builder_bytes).unwrap();
    let other = folder.path().join("indicators.json");
    let other_bytes = br#"{"type": "bundle", "id": "bundle--0b0cbb8d-1a38-4a5e-86c8-1f3a35a4c9b2", "objects": []}"#;
    std::fs::write(&other, other_bytes).unwrap();

    // A Builder file: read-only, and nothing of it can be saved until it is imported.
    {
        let mut harness = scripted_editor_on(&builder);
        assert!(harness.state().active_tab().unwrap().is_read_only());
        assert!(
            harness
                .query_by_label_contains("This is an Attack Flow Builder file (.afb)")
                .is_some()
        );
        // Not judged as a flow: the reader's two words (no bundle type, keys dropped), not
        // thousands of problems.
        harness.get_by_label("Problems (2)");
        for command in [MenuCommand::Save, MenuCommand::SaveAs] {
            act(&mut harness, Action::Menu(command));
            assert!(harness.state_mut().take_dialog_requests().is_empty());
            assert!(
                harness
                    .state()
                    .status()
                    .unwrap()
                    .starts_with("Nothing saved"),
                "{:?}",
                harness.state().status()
            );
        }
        assert_eq!(std::fs::read(&builder).unwrap(), builder_bytes);
    }

    // Other JSON (a bundle without a flow): read-only, saved only under a new name.
    {
        let (path, banner) = (
            &other,
            "Not an Attack Flow file: the bundle holds no attack-flow object",
        );
        let original = std::fs::read(path).unwrap();
        let mut harness = scripted_editor_on(path);
        assert!(harness.state().active_tab().unwrap().is_read_only());
        assert!(
            harness.query_by_label_contains(banner).is_some(),
            "the banner says what the file is"
        );
        harness.get_by_label("Read-only");

        // Edits are refused, and say why.
        act(&mut harness, Action::Menu(MenuCommand::New));
        act(&mut harness, Action::SelectTab(0));
        act(
            &mut harness,
            Action::AddNode(medflow_core::edit::NewObject::Action),
        );
        assert!(harness.state().status().unwrap().contains("is read-only"));
        assert!(!harness.state().active_tab().unwrap().is_dirty());

        // Ctrl+S asks for a new name, never the file's own.
        act(&mut harness, Action::Menu(MenuCommand::Save));
        let (name, start_in) = asked_save(&mut harness);
        assert_ne!(
            Some(folder.path().join(&name).as_path()),
            Some(path.as_path())
        );
        assert!(
            Path::new(&name)
                .extension()
                .is_some_and(|extension| extension == "json")
        );
        assert_eq!(start_in.as_deref(), Some(folder.path()));
        // Choosing the file itself in the dialog is refused.
        let key = harness.state().active_tab().unwrap().key;
        act(
            &mut harness,
            Action::SaveTo {
                tab: key,
                path: path.clone(),
                then: medflow_gui::AfterSave::Nothing,
            },
        );
        assert!(
            harness
                .state()
                .status()
                .unwrap()
                .contains("is never written over"),
            "{:?}",
            harness.state().status()
        );
        assert_eq!(std::fs::read(path).unwrap(), original, "not written");
        assert!(!medflow_platform::backup_path(path).exists());

        // Saved under a new name, the tab becomes an ordinary, editable one.
        let copy = folder.path().join(&name);
        act(
            &mut harness,
            Action::SaveTo {
                tab: key,
                path: copy.clone(),
                then: medflow_gui::AfterSave::Nothing,
            },
        );
        assert!(copy.exists());
        assert!(!harness.state().active_tab().unwrap().is_read_only());
        assert_eq!(std::fs::read(path).unwrap(), original, "still not written");
        std::fs::remove_file(copy).unwrap();
    }
}

#[cfg(unix)]
#[test]
fn saving_keeps_the_file_mode_and_gives_the_backup_the_same() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("shared.json");
    std::fs::write(&path, common::bundle("")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let mut harness = scripted_editor_on(&path);
    let flow = first_of_type(&harness, "attack-flow");
    set_property(&mut harness, &flow, "name", serde_json::json!("Renamed"));
    act(&mut harness, Action::Menu(MenuCommand::Save));
    assert!(harness.state().status().unwrap().starts_with("Saved"));
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o640);
    assert_eq!(mode(&medflow_platform::backup_path(&path)), 0o640);
}

/// Where an object's node is drawn: its top-left corner on screen.
fn drawn_at(harness: &Harness<'static, EditorApp>, id: &str) -> eframe::egui::Pos2 {
    node_rect(harness, id).min
}

#[test]
fn the_starting_nodes_of_a_new_flow_stay_put_through_edits_and_undo() {
    let mut harness = harness(EditorApp::new());
    act(&mut harness, Action::Menu(MenuCommand::New));
    harness.run();
    let flow = first_of_type(&harness, "attack-flow");
    let action = first_of_type(&harness, "attack-action");
    let before = [drawn_at(&harness, &flow), drawn_at(&harness, &action)];
    // Adding a node changes the graph: the two are saved where they are first.
    act(
        &mut harness,
        Action::AddNode(medflow_core::edit::NewObject::Condition),
    );
    let after = [drawn_at(&harness, &flow), drawn_at(&harness, &action)];
    assert_eq!(before, after, "nothing moved");
    let document = harness.state().document().unwrap();
    for id in [&flow, &action] {
        let object = document.object(id).unwrap();
        assert!(
            medflow_core::extension::position(object, medflow_core::extension::View::Flow)
                .is_some(),
            "{id} is saved with its position"
        );
    }
    // The new node is on nothing.
    let added = harness.state().selected_object_id().unwrap().to_owned();
    let new_rect = node_rect(&harness, &added);
    for id in [&flow, &action] {
        let rect = node_rect(&harness, id);
        assert!(!rect.intersects(new_rect), "the new node is in free space");
    }
    // Undo both steps: still where they were.
    act(&mut harness, Action::Menu(MenuCommand::Undo));
    act(&mut harness, Action::Menu(MenuCommand::Undo));
    harness.run();
    assert_eq!(
        [drawn_at(&harness, &flow), drawn_at(&harness, &action)],
        before
    );
    assert!(!harness.state().active_tab().unwrap().is_dirty());
}

#[test]
fn escape_and_a_click_on_empty_canvas_clear_the_selection() {
    let mut harness = harness(EditorApp::new());
    act(&mut harness, Action::Menu(MenuCommand::New));
    let action = first_of_type(&harness, "attack-action");
    act(&mut harness, Action::Select(vec![action.clone()]));
    harness.key_press(eframe::egui::Key::Escape);
    harness.run();
    assert_eq!(harness.state().active_tab().unwrap().selection.len(), 0);

    act(&mut harness, Action::Select(vec![action]));
    let canvas = harness.state().active_tab().unwrap().canvas.screen_rect();
    // The bottom-left corner of the canvas is empty.
    let empty = canvas.left_bottom() + eframe::egui::vec2(30.0, -30.0);
    common::click_at(&mut harness, empty, eframe::egui::Modifiers::NONE);
    assert_eq!(harness.state().active_tab().unwrap().selection.len(), 0);
}

#[test]
fn the_inspector_names_referenced_nodes_and_a_click_reveals_them() {
    let mut app = EditorApp::new();
    app.open_bytes("pump.json", common::bundle("").as_bytes());
    let mut harness = harness(app);
    act(
        &mut harness,
        Action::Select(vec![common::FLOW_ID.to_owned()]),
    );
    // Start refs: the action by kind and name, not its STIX id.
    let name = format!("Action: {}", common::ACTION_NAME);
    harness.get_by_label(&name).click();
    harness.run();
    assert_eq!(
        harness.state().selected_object_id(),
        Some(common::ACTION_ID)
    );
}

/// Presses and releases the secondary button at `at`.
fn right_click(harness: &mut Harness<'static, EditorApp>, at: eframe::egui::Pos2) {
    harness.hover_at(at);
    harness.run();
    for pressed in [true, false] {
        harness.event(eframe::egui::Event::PointerButton {
            pos: at,
            button: eframe::egui::PointerButton::Secondary,
            pressed,
            modifiers: eframe::egui::Modifiers::NONE,
        });
    }
    harness.run();
}

#[test]
fn right_clicks_open_the_node_and_canvas_menus() {
    let mut harness = harness(EditorApp::new());
    act(&mut harness, Action::Menu(MenuCommand::New));
    let action = first_of_type(&harness, "attack-action");
    let canvas = harness.state().active_tab().unwrap().canvas.screen_rect();
    right_click(
        &mut harness,
        canvas.left_bottom() + eframe::egui::vec2(30.0, -30.0),
    );
    harness.get_by_label("Add Action here").click();
    harness.run();
    assert_eq!(action_count(&harness), 2, "added from the canvas menu");

    let node = node_rect(&harness, &action);
    act(&mut harness, Action::Select(Vec::new()));
    right_click(
        &mut harness,
        node.center_top() + eframe::egui::vec2(0.0, 20.0),
    );
    // Nothing is selected, so the inspector has no such button: this is the node's menu.
    harness.get_by_label("Pick technique…").click();
    harness.run();
    assert!(harness.state().active_tab().unwrap().picker.is_some());
}

fn action_count(harness: &Harness<'static, EditorApp>) -> usize {
    harness
        .state()
        .document()
        .unwrap()
        .objects
        .iter()
        .filter(|object| object.type_name() == "attack-action")
        .count()
}

#[test]
fn each_tab_keeps_its_own_camera() {
    let mut app = EditorApp::new();
    app.open_bytes("first.json", common::bundle("").as_bytes());
    let mut harness = harness(app);
    act(&mut harness, Action::Menu(MenuCommand::New));
    act(&mut harness, Action::SelectTab(0));
    harness.run();
    let before = node_rect(&harness, common::ACTION_ID);
    // Pan the second tab's view, then come back.
    act(&mut harness, Action::SelectTab(1));
    act(&mut harness, Action::Menu(MenuCommand::ZoomOut));
    act(&mut harness, Action::Menu(MenuCommand::ZoomOut));
    act(&mut harness, Action::SelectTab(0));
    harness.run();
    let after = node_rect(&harness, common::ACTION_ID);
    assert!(
        (before.min - after.min).length() < 1.0,
        "{before:?} → {after:?}"
    );
}

#[test]
fn undoing_a_nodes_first_move_puts_it_back_where_the_layout_had_it() {
    let mut app = EditorApp::new();
    app.open_bytes("pump.json", common::bundle("").as_bytes());
    let mut harness = harness(app);
    let move_node = |harness: &mut Harness<'static, EditorApp>, id: &str| {
        act(
            harness,
            Action::Edit {
                label: "Move 1 node".to_owned(),
                coalesce_key: None,
                commands: vec![medflow_core::edit::Command::MoveNodes {
                    view: medflow_core::extension::View::Flow,
                    moves: vec![(id.to_owned(), [900.0, 700.0])],
                }],
            },
        );
        harness.run();
    };
    // The first move also declares the product's extension (the content changes); the
    // second node's first move changes positions only.
    move_node(&mut harness, common::ACTION_ID);
    let flow_before = node_rect(&harness, common::FLOW_ID);
    move_node(&mut harness, common::FLOW_ID);
    assert_ne!(node_rect(&harness, common::FLOW_ID), flow_before, "moved");
    act(&mut harness, Action::Menu(MenuCommand::Undo));
    harness.run();
    let after = node_rect(&harness, common::FLOW_ID);
    assert!(
        (after.min - flow_before.min).length() < 1.0,
        "back where the automatic layout put it: {flow_before:?} → {after:?}"
    );
}

/// The texts of the accessibility tree that the proportional font cannot draw (egui shows a
/// box for a missing glyph; its default fonts have no arrows, for one).
fn undrawable_texts(harness: &Harness<'static, EditorApp>) -> Vec<String> {
    use egui_kittest::kittest::{By, NodeT};
    let texts: Vec<String> = harness
        .query_all(By::new().predicate(|_| true))
        .filter_map(|node| {
            let node = node.accesskit_node();
            node.label().or_else(|| node.value())
        })
        .collect();
    let font = eframe::egui::FontId::proportional(14.0);
    harness.ctx.fonts_mut(|fonts| {
        texts
            .into_iter()
            .filter(|text| {
                text.chars()
                    .any(|c| !c.is_control() && !fonts.has_glyph(&font, c))
            })
            .collect()
    })
}

#[test]
fn every_text_the_editor_writes_has_its_glyphs_in_the_font() {
    let mut app = EditorApp::new();
    app.set_library(None);
    let mut harness = harness(app);
    harness.run();
    let mut missing = undrawable_texts(&harness);
    act(&mut harness, Action::Menu(MenuCommand::About));
    missing.extend(undrawable_texts(&harness));
    act(&mut harness, Action::Menu(MenuCommand::Shortcuts));
    missing.extend(undrawable_texts(&harness));

    // Each node of a library flow selected in turn: the inspector, its relationships and
    // the problems; then the architecture view.
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../flows/robot-command-injection-5g.json");
    act(&mut harness, Action::Open(path));
    let ids: Vec<String> = harness
        .state()
        .document()
        .unwrap()
        .objects
        .iter()
        .filter(|object| medflow_core::scene::is_node(object))
        .map(|object| object.id().to_owned())
        .collect();
    assert!(ids.len() > 10);
    // A relationship, so that the inspector lists one each way.
    act(
        &mut harness,
        Action::Relate {
            source: ids[1].clone(),
            target: ids[2].clone(),
        },
    );
    for id in ids {
        act(&mut harness, Action::Select(vec![id]));
        missing.extend(undrawable_texts(&harness));
    }
    act(
        &mut harness,
        Action::Menu(MenuCommand::ToggleArchitectureView),
    );
    missing.extend(undrawable_texts(&harness));
    act(
        &mut harness,
        Action::Menu(MenuCommand::ToggleArchitectureView),
    );

    // A link named under the pointer: the middle of a link's middle segment, on the canvas.
    let canvas = &harness.state().active_tab().unwrap().canvas;
    let inside = canvas.screen_rect().shrink(40.0);
    let on_link = canvas
        .link_screen_routes()
        .into_iter()
        .filter(|(_, _, points)| points.len() >= 4)
        .map(|(_, _, points)| points[1].lerp(points[2], 0.5))
        .find(|point| inside.contains(*point))
        .expect("a routed link is drawn on the canvas");
    harness.hover_at(on_link);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Right-click to disconnect")
            .is_some(),
        "the link's tooltip shows"
    );
    missing.extend(undrawable_texts(&harness));

    missing.sort();
    missing.dedup();
    assert_eq!(missing, Vec::<String>::new(), "drawn as boxes");
}

#[test]
fn a_builder_file_with_objects_lists_only_the_readers_words_on_the_file() {
    let folder = tempfile::tempdir().unwrap();
    let builder = folder.path().join("Telesurgery.afb");
    // The Builder's objects have no spec_version: normalising them means nothing for a file
    // that is never saved, so they are not listed (they were, one error each).
    std::fs::write(
        &builder,
        br#"{"schema": "attack_flow_v2", "objects": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}"#,
    )
    .unwrap();
    let harness = scripted_editor_on(&builder);
    assert!(harness.state().active_tab().unwrap().is_read_only());
    harness.get_by_label("Problems (2)");
}
