//! The canvas driven with the pointer and the keyboard, as a user does: zoom with Ctrl+minus
//! and Ctrl+plus, the overview past readable zoom (click, Ctrl-click, drag a node, rubber
//! band, double click back into detail), and in the detailed view a click that selects and a
//! wire dragged from one node's pin to another's, which becomes an undoable Connect step.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use common::canvas::*;
use eframe::egui::{Key, Modifiers, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use medflow_core::{StixObject, write_bundle};
use medflow_gui::EditorApp;

#[test]
fn keyboard_zoom_and_the_overview_select_move_and_rubber_band() {
    let mut harness = harness(&chain(8));
    assert!(!overview(&harness), "a file opens readable, in detail");
    let opened = scale(&harness);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
    harness.run();
    assert!(scale(&harness) < opened, "Ctrl+minus zooms out");
    for _ in 0..6 {
        if overview(&harness) {
            break;
        }
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
        harness.run();
    }
    assert!(
        overview(&harness),
        "zoomed far out, the overview draws the flow"
    );

    // Click selects, Ctrl-click adds, a click on the background clears.
    let third = action_id(3);
    let fourth = action_id(4);
    let at = node_center(&harness, &third);
    click(&mut harness, at, Modifiers::NONE);
    assert_eq!(harness.state().selected_object_id(), Some(third.as_str()));
    let at = node_center(&harness, &fourth);
    click(&mut harness, at, Modifiers::COMMAND);
    let tab = harness.state().active_tab().unwrap();
    assert_eq!(tab.selection.len(), 2);

    // Dragging a selected node moves the whole selection, as one undoable step.
    let before = [
        saved_position(&harness, &third),
        saved_position(&harness, &fourth),
    ];
    let from = node_center(&harness, &third);
    drag(
        &mut harness,
        from,
        from + Vec2::new(30.0, 15.0),
        Modifiers::NONE,
    );
    let moved = [
        saved_position(&harness, &third),
        saved_position(&harness, &fourth),
    ];
    let factor = scale(&harness);
    for (was, is) in before.iter().zip(&moved) {
        assert!(
            (is[0] - was[0] - 30.0 / factor).abs() < 1.0,
            "{was:?} → {is:?}"
        );
        assert!(
            (is[1] - was[1] - 15.0 / factor).abs() < 1.0,
            "{was:?} → {is:?}"
        );
    }
    assert_eq!(undo_label(&harness).as_deref(), Some("Move 2 nodes"));

    // Shift-drag across the whole canvas selects every node.
    let canvas = harness
        .state()
        .active_tab()
        .unwrap()
        .canvas
        .node_screen_rect(&action_id(0))
        .unwrap();
    let band_from = canvas.left_top() - Vec2::new(60.0, 60.0);
    let last = node_center(&harness, &action_id(7));
    drag(
        &mut harness,
        band_from,
        last + Vec2::new(60.0, 90.0),
        Modifiers::SHIFT,
    );
    let tab = harness.state().active_tab().unwrap();
    assert_eq!(tab.selection.len(), 9, "the flow and the eight actions");

    // A double click zooms back in to readable detail; Ctrl+plus zooms further in.
    let at = node_center(&harness, &third);
    harness.hover_at(at);
    for _ in 0..2 {
        button(&harness, at, true, Modifiers::NONE);
        button(&harness, at, false, Modifiers::NONE);
    }
    harness.run();
    assert!(
        !overview(&harness),
        "double click returns to detail: {}",
        scale(&harness)
    );
    let detail = scale(&harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    harness.run();
    assert!(scale(&harness) > detail, "Ctrl+plus zooms in");
}

#[test]
fn a_wire_dragged_between_pins_connects_the_nodes_and_undo_removes_it() {
    let mut harness = harness(&chain(4));
    assert!(!overview(&harness));
    let lonely = action_id(1);
    let target = action_id(2);
    let (from, to) = (
        pin(&harness, &lonely, "effects"),
        pin(&harness, &target, "in"),
    );
    let effects = |harness: &Harness<'static, EditorApp>| effects_of(harness, &lonely);
    assert_eq!(effects(&harness), Vec::<String>::new());

    drag(&mut harness, from, to, Modifiers::NONE);
    assert_eq!(
        effects(&harness),
        vec![target.clone()],
        "the wire became effect_refs"
    );
    assert_eq!(undo_label(&harness).as_deref(), Some("Connect effects"));

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(
        effects(&harness),
        Vec::<String>::new(),
        "undo removes the link"
    );
    // Ctrl+Shift+Z redoes (and is not taken for Ctrl+Z); Ctrl+Y too, after another undo.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    assert_eq!(effects(&harness), vec![target.clone()], "redo puts it back");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    harness.run();
    assert_eq!(effects(&harness), vec![target.clone()]);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();

    // A plain click on a node's title selects it.
    // The accessibility tree gives the title's rectangle in canvas coordinates.
    let title = harness.get_by_label("Step 2").rect();
    let canvas = &harness.state().active_tab().unwrap().canvas;
    let at = canvas.canvas_to_screen(title.center()).unwrap();
    assert!(
        canvas.node_screen_rect(&target).unwrap().contains(at),
        "the title is drawn on its node"
    );
    click(&mut harness, at, Modifiers::NONE);
    assert_eq!(harness.state().selected_object_id(), Some(target.as_str()));
}

#[test]
fn the_architecture_view_keeps_its_own_positions() {
    let mut harness = harness(&chain(3));
    let third = action_id(2);
    let flow_position = saved_position(&harness, &third);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    harness.run();
    assert_eq!(
        harness.state().active_tab().unwrap().canvas.view(),
        medflow_core::extension::View::Zones
    );
    // Tidy layout in this view saves zone positions and leaves the flow view's alone.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::L);
    harness.run();
    let tab = harness.state().active_tab().unwrap();
    let object = tab
        .document()
        .objects
        .iter()
        .find(|object| object.id() == third)
        .unwrap();
    assert!(
        medflow_core::extension::position(object, medflow_core::extension::View::Zones).is_some()
    );
    let unchanged = saved_position(&harness, &third);
    assert!(
        (unchanged[0] - flow_position[0]).abs() < 0.01
            && (unchanged[1] - flow_position[1]).abs() < 0.01,
        "the flow view's position is kept: {flow_position:?} → {unchanged:?}"
    );
    assert_eq!(undo_label(&harness).as_deref(), Some("Tidy layout"));
    // Back to the flow view: the node is where it was.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    harness.run();
    assert_eq!(
        harness.state().active_tab().unwrap().canvas.view(),
        medflow_core::extension::View::Flow
    );
}

#[test]
fn in_detail_a_rubber_band_selects_and_a_drag_moves_the_whole_selection() {
    let mut harness = harness(&chain(4));
    assert!(!overview(&harness));
    let first = action_id(0);
    let second = action_id(2);
    let canvas = &harness.state().active_tab().unwrap().canvas;
    let (first_rect, second_rect) = (
        canvas.node_screen_rect(&first).unwrap(),
        canvas.node_screen_rect(&second).unwrap(),
    );
    // Shift-drag from empty canvas above the first node to below the second.
    let from = first_rect.left_top() - Vec2::new(20.0, 30.0);
    let to = Pos2::new(second_rect.right() + 10.0, second_rect.bottom() + 10.0);
    drag(&mut harness, from, to, Modifiers::SHIFT);
    let selection = harness.state().active_tab().unwrap().selection.clone();
    assert!(
        selection.contains(&first) && selection.contains(&second),
        "{selection:?}"
    );

    // Dragging one selected node's title moves every selected node by the same amount.
    let before: Vec<[f32; 2]> = selection
        .iter()
        .map(|id| saved_position(&harness, id))
        .collect();
    let title = harness.get_by_label("Step 0").rect();
    let at = harness
        .state()
        .active_tab()
        .unwrap()
        .canvas
        .canvas_to_screen(title.center())
        .unwrap();
    drag(
        &mut harness,
        at,
        at + Vec2::new(40.0, 25.0),
        Modifiers::NONE,
    );
    let after: Vec<[f32; 2]> = selection
        .iter()
        .map(|id| saved_position(&harness, id))
        .collect();
    let delta = [after[0][0] - before[0][0], after[0][1] - before[0][1]];
    assert!(
        delta[0] > 1.0 && delta[1] > 1.0,
        "the node moved: {delta:?}"
    );
    for (was, is) in before.iter().zip(&after) {
        assert!((is[0] - was[0] - delta[0]).abs() < 0.5, "{was:?} → {is:?}");
        assert!((is[1] - was[1] - delta[1]).abs() < 0.5, "{was:?} → {is:?}");
    }
    let label = undo_label(&harness).unwrap();
    assert!(
        label.starts_with("Move") && label.ends_with("nodes"),
        "{label}"
    );
}

#[test]
fn a_refused_wire_says_why_and_changes_nothing() {
    let mut harness = harness(&chain(4));
    let lonely = action_id(1);
    let (from, to) = (
        pin(&harness, &lonely, "assets"),
        pin(&harness, &action_id(2), "in"),
    );
    let before = harness.state().active_tab().unwrap().editor().revision();
    drag(&mut harness, from, to, Modifiers::NONE);
    let status = harness.state().status().unwrap_or_default().to_owned();
    assert!(
        status.starts_with("Not done: ") && status.contains("an asset"),
        "the status bar gives the reason: {status}"
    );
    harness.get_by_label(&status);
    let tab = harness.state().active_tab().unwrap();
    assert_eq!(tab.editor().revision(), before, "the document is unchanged");
    assert_eq!(undo_label(&harness), None);
}

#[test]
fn zoom_to_fit_shows_every_node_and_select_all_then_delete_is_one_step() {
    let mut harness = harness(&chain(8));
    let last = action_id(7);
    let inside = |harness: &Harness<'static, EditorApp>, id: &str| {
        let canvas = &harness.state().active_tab().unwrap().canvas;
        canvas
            .screen_rect()
            .contains_rect(canvas.node_screen_rect(id).unwrap())
    };
    assert!(!inside(&harness, &last), "a long flow opens at its start");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    harness.run();
    for number in 0..8 {
        assert!(
            inside(&harness, &action_id(number)),
            "step {number} in view"
        );
    }

    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    let selected = harness.state().active_tab().unwrap().selection.len();
    assert_eq!(selected, 9, "the flow and its eight actions");
    harness.key_press(Key::Delete);
    harness.run();
    assert_eq!(action_count(&harness), 0);
    let tab = harness.state().active_tab().unwrap();
    assert!(
        tab.document()
            .objects
            .iter()
            .any(|object| object.type_name() == "attack-flow"),
        "the flow object itself stays"
    );
    assert_eq!(undo_label(&harness).as_deref(), Some("Delete 8 nodes"));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(action_count(&harness), 8, "one undo brings all eight back");
}

/// The library flow's author: an identity that signs the flow's objects and is linked to
/// nothing, so the canvas does not draw it.
const LIBRARY_AUTHOR: &str = "identity--85da3817-c591-46a5-adfb-3476e9dba136";

#[test]
fn select_all_then_delete_keeps_the_hidden_author_and_leaves_no_dangling_reference() {
    let bytes = include_bytes!("../../../flows/vendor-remote-access-ransomware.json");
    let mut harness = common::opened("vendor-remote-access-ransomware.json", bytes);
    let document = harness.state().document().unwrap();
    let signed = document
        .objects
        .iter()
        .filter(|object| object.to_json().get("created_by_ref") == Some(&LIBRARY_AUTHOR.into()))
        .count();
    assert!(
        signed > 0,
        "the library flow's objects are signed by its author"
    );

    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    let tab = harness.state().active_tab().unwrap();
    assert!(
        !tab.selection.contains(LIBRARY_AUTHOR),
        "select all takes what the canvas draws, not the hidden author"
    );
    assert!(tab.selection.len() > 5, "{:?}", tab.selection);
    harness.key_press(Key::Delete);
    harness.run();

    let document = harness.state().document().unwrap();
    assert!(
        document.object(LIBRARY_AUTHOR).is_some(),
        "the author is kept"
    );
    let actions = document
        .objects
        .iter()
        .filter(|object| object.type_name() == "attack-action")
        .count();
    assert_eq!(actions, 0, "every drawn node but the flow is gone");
    let dangling: Vec<String> =
        medflow_core::validate(document, &medflow_core::Context::built_in())
            .into_iter()
            .filter(|diagnostic| {
                matches!(
                    diagnostic.code,
                    medflow_core::Code::DocDanglingReference
                        | medflow_core::Code::DocUnresolvedReference
                        | medflow_core::Code::DocRelationshipEndpoint
                )
            })
            .map(|diagnostic| diagnostic.message)
            .collect();
    assert_eq!(dangling, Vec::<String>::new());
}

#[test]
#[allow(
    clippy::float_cmp,
    reason = "positions saved and restored by undo are the same numbers"
)]
fn tidy_layout_in_the_flow_view_is_one_undoable_step() {
    let mut harness = harness(&chain(3));
    let second = action_id(1);
    let before = saved_position(&harness, &second);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::L);
    harness.run();
    assert_eq!(undo_label(&harness).as_deref(), Some("Tidy layout"));
    let tidied = saved_position(&harness, &second);
    assert_ne!(tidied, before, "the hand-placed node moved");
    let automatic = harness
        .state()
        .active_tab()
        .unwrap()
        .canvas
        .automatic_layout(harness.state().document().unwrap());
    let [x, y] = automatic[&second];
    assert!(
        (x - tidied[0]).abs() <= 0.051 && (y - tidied[1]).abs() <= 0.051,
        "saved where the automatic layout puts it (to a tenth of a point): {tidied:?}"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(saved_position(&harness, &second), before);
}

#[test]
fn the_theme_switches_between_dark_and_light() {
    let mut harness = harness(&chain(2));
    let dark = |harness: &Harness<'static, EditorApp>| harness.ctx.global_style().visuals.dark_mode;
    let started_dark = dark(&harness);
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label_contains("light/dark theme").click();
    harness.run();
    assert_ne!(dark(&harness), started_dark);
}

#[test]
fn clicking_a_problem_frames_its_node() {
    // A long flow whose last step has a confidence off the STIX scale (an error).
    let bytes = String::from_utf8(chain(8)).unwrap();
    let last = action_id(7);
    let mut document =
        medflow_core::read_bundle(bytes.as_bytes(), &medflow_core::ReadLimits::default())
            .unwrap()
            .document;
    for object in &mut document.objects {
        if object.id() == last {
            let mut map = object.to_json();
            map.insert("confidence".into(), 200.into());
            *object = StixObject::from_json(map);
        }
    }
    let mut harness = harness(&write_bundle(&document));
    let in_view = |harness: &Harness<'static, EditorApp>| {
        let canvas = &harness.state().active_tab().unwrap().canvas;
        canvas
            .screen_rect()
            .contains_rect(canvas.node_screen_rect(&last).unwrap())
    };
    assert!(!in_view(&harness), "the last step starts out of view");
    // The error is listed first, before the warnings of the flow.
    harness.get_by_label("stix-property-type").click();
    harness.run();
    assert_eq!(harness.state().selected_object_id(), Some(last.as_str()));
    assert!(in_view(&harness), "the problem's node is brought into view");
}
