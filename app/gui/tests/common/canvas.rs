//! Driving the canvas as a user does, for the canvas tests: a generated chain of actions
//! opened in an editor with 60 Hz frames, where its nodes and pins are on screen, and
//! pointer presses, clicks and drags with modifiers.

use eframe::egui::{self, Event, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use medflow_core::edit::{NewObject, new_flow_document, new_object};
use medflow_core::extension::{View, position, with_position};
use medflow_core::model::Timestamp;
use medflow_core::{StixObject, write_bundle};
use medflow_gui::EditorApp;
use serde_json::Value;

/// The id of generated action `number`.
pub fn action_id(number: usize) -> String {
    format!("attack-action--00000000-0000-4000-8000-{number:012}")
}

/// A flow of `count` actions, each leading to the next, placed 320 points apart; action 1
/// has no effects, so it can be connected by hand.
pub fn chain(count: usize) -> Vec<u8> {
    let now = Timestamp::from_unix_millis(1_714_557_600_000);
    let mut document = new_flow_document(
        "Chain",
        &mut |type_name: &str| format!("{type_name}--00000000-0000-4000-8000-999999999999"),
        &now,
    );
    document
        .objects
        .retain(|object| object.type_name() != "attack-action");
    for object in &mut document.objects {
        if object.type_name() == "attack-flow" {
            let mut map = object.to_json();
            map.insert(
                "start_refs".to_owned(),
                Value::from(vec![action_id(0), action_id(1)]),
            );
            *object = with_position(&StixObject::from_json(map), View::Flow, [-320.0, 0.0]);
        }
    }
    for number in 0..count {
        let mut map = new_object(NewObject::Action, &action_id(number), &now).to_json();
        map.insert("name".to_owned(), Value::from(format!("Step {number}")));
        if number != 1 && number + 1 < count {
            map.insert(
                "effect_refs".to_owned(),
                Value::from(vec![action_id(number + 1)]),
            );
        }
        let x = f32::from(u8::try_from(number).unwrap()) * 320.0;
        let y = if number == 1 { 240.0 } else { 0.0 };
        document.objects.push(with_position(
            &StixObject::from_json(map),
            View::Flow,
            [x, y],
        ));
    }
    write_bundle(&document)
}

pub fn harness(bytes: &[u8]) -> Harness<'static, EditorApp> {
    let mut app = EditorApp::new();
    app.open_bytes("chain", bytes);
    let mut harness = Harness::builder()
        // Wide enough to show the flow's first steps at the zoom a file opens at (100 %).
        .with_size(egui::vec2(2600.0, 1000.0))
        .with_max_steps(40)
        // Frames at 60 Hz, so that two clicks in a row make a double click.
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(|ui, app: &mut EditorApp| app.editor_ui(ui), app);
    harness.run();
    harness
}

pub fn scale(harness: &Harness<'static, EditorApp>) -> f32 {
    harness.state().active_tab().unwrap().canvas.scale()
}

pub fn overview(harness: &Harness<'static, EditorApp>) -> bool {
    harness
        .state()
        .active_tab()
        .unwrap()
        .canvas
        .shows_overview()
}

/// Where an object's node is drawn on screen, saved position or not.
pub fn node_rect(harness: &Harness<'static, EditorApp>, id: &str) -> egui::Rect {
    harness
        .state()
        .active_tab()
        .unwrap()
        .canvas
        .node_screen_rect(id)
        .unwrap_or_else(|| panic!("{id} is drawn"))
}

pub fn node_center(harness: &Harness<'static, EditorApp>, id: &str) -> Pos2 {
    node_rect(harness, id).center()
}

/// How many actions the document has.
pub fn action_count(harness: &Harness<'static, EditorApp>) -> usize {
    let tab = harness.state().active_tab().unwrap();
    tab.document()
        .objects
        .iter()
        .filter(|object| object.type_name() == "attack-action")
        .count()
}

/// Where pin `label` of node `id` is on screen.
pub fn pin(harness: &Harness<'static, EditorApp>, id: &str, label: &str) -> Pos2 {
    harness
        .state()
        .active_tab()
        .unwrap()
        .canvas
        .pin_screen_position(id, label)
        .unwrap_or_else(|| panic!("the {label} pin of {id} is drawn"))
}

pub fn saved_position(harness: &Harness<'static, EditorApp>, id: &str) -> [f32; 2] {
    let tab = harness.state().active_tab().unwrap();
    let object = tab
        .document()
        .objects
        .iter()
        .find(|object| object.id() == id)
        .unwrap();
    position(object, View::Flow).unwrap()
}

pub fn button(
    harness: &Harness<'static, EditorApp>,
    at: Pos2,
    pressed: bool,
    modifiers: Modifiers,
) {
    harness.event(Event::PointerButton {
        pos: at,
        button: PointerButton::Primary,
        pressed,
        modifiers,
    });
}

pub fn click(harness: &mut Harness<'static, EditorApp>, at: Pos2, modifiers: Modifiers) {
    super::click_at(harness, at, modifiers);
}

/// Presses at `from`, moves to `to` in steps (a few frames each; snarl repaints all the
/// time while a rubber band is held, so the frames are counted) and releases.
pub fn drag(harness: &mut Harness<'static, EditorApp>, from: Pos2, to: Pos2, modifiers: Modifiers) {
    harness.event(Event::ModifiersChanged(modifiers));
    harness.hover_at(from);
    harness.run();
    button(harness, from, true, modifiers);
    harness.run_steps(3);
    for step in 1..=5_u8 {
        let at = from + (to - from) * (f32::from(step) / 5.0);
        harness.hover_at(at);
        harness.run_steps(3);
    }
    button(harness, to, false, modifiers);
    harness.event(Event::ModifiersChanged(Modifiers::NONE));
    harness.run();
}

pub fn undo_label(harness: &Harness<'static, EditorApp>) -> Option<String> {
    harness
        .state()
        .active_tab()
        .unwrap()
        .editor()
        .undo_label()
        .map(str::to_owned)
}

/// A right click (press and release) at `at`.
pub fn right_click(harness: &mut Harness<'static, EditorApp>, at: Pos2) {
    for pressed in [true, false] {
        harness.event(Event::PointerButton {
            pos: at,
            button: PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        harness.run();
    }
}

/// The ids object `id`'s `effect_refs` name.
pub fn effects_of(harness: &Harness<'static, EditorApp>, id: &str) -> Vec<String> {
    let tab = harness.state().active_tab().unwrap();
    tab.document()
        .object(id)
        .unwrap()
        .to_json()
        .get("effect_refs")
        .and_then(Value::as_array)
        .map(|refs| {
            refs.iter()
                .map(|id| id.as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}
