//! The inspector and the problems panel through the whole editor: picking a technique fills
//! every ATT&CK property and an auto-filled name, the flow's scope drop-down, a relationship's
//! type, a note added about the selection, and problems and counts that follow each edit.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use common::{ACTION_ID, act, bundle, first_of_type, harness, opened, set_property};
use eframe::egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use medflow_core::attack::Catalog;
use medflow_core::edit::NewObject;
use medflow_gui::{Action, EditorApp, MenuCommand};
use serde_json::{Value, json};

fn property(harness: &Harness<'static, EditorApp>, id: &str, name: &str) -> Option<Value> {
    harness
        .state()
        .document()
        .and_then(|document| document.object(id))
        .and_then(|object| object.to_json().get(name).cloned())
}

fn pick(harness: &mut Harness<'static, EditorApp>, query: &str) {
    harness.get_by_label("Pick technique…").click();
    harness.run();
    harness
        .get_by_label("Search ATT&CK and ATLAS")
        .type_text(query);
    harness.run();
    harness.key_press(eframe::egui::Key::Enter);
    harness.run();
}

#[test]
fn picking_a_technique_fills_its_ids_refs_and_an_auto_filled_name() {
    let mut harness = harness(EditorApp::new());
    act(&mut harness, Action::Menu(MenuCommand::New));
    let action = first_of_type(&harness, "attack-action");
    act(&mut harness, Action::Select(vec![action.clone()]));
    assert_eq!(
        property(&harness, &action, "name"),
        Some(json!("New action"))
    );

    pick(&mut harness, "valid acc");
    let catalog = Catalog::embedded();
    let technique = catalog.technique("T1078").unwrap();
    assert_eq!(
        property(&harness, &action, "technique_id"),
        Some(json!("T1078"))
    );
    assert_eq!(
        property(&harness, &action, "technique_ref"),
        Some(json!(technique.stix_id))
    );
    // T1078 belongs to several tactics: none is guessed, the author chooses.
    assert!(technique.tactics.len() > 1);
    assert_eq!(property(&harness, &action, "tactic_id"), None);
    assert_eq!(property(&harness, &action, "tactic_ref"), None);
    assert_eq!(
        property(&harness, &action, "name"),
        Some(json!("Valid Accounts")),
        "a new action takes the technique's name"
    );
    // The name is still the technique's own, so another technique replaces it …
    pick(&mut harness, "T1190");
    assert_eq!(
        property(&harness, &action, "name"),
        Some(json!("Exploit Public-Facing Application"))
    );
    // A technique of one tactic fills it.
    let only = catalog.technique("T1190").unwrap();
    assert_eq!(*only.tactics, ["TA0001"]);
    assert_eq!(
        property(&harness, &action, "tactic_id"),
        Some(json!("TA0001"))
    );
    assert_eq!(
        property(&harness, &action, "tactic_ref"),
        Some(json!(catalog.tactic("TA0001").unwrap().stix_id))
    );
    // … but a name the user wrote stays.
    set_property(
        &mut harness,
        &action,
        "name",
        json!("Exploit the vendor portal"),
    );
    pick(&mut harness, "T1133");
    assert_eq!(
        property(&harness, &action, "technique_id"),
        Some(json!("T1133"))
    );
    assert_eq!(
        property(&harness, &action, "name"),
        Some(json!("Exploit the vendor portal"))
    );
}

#[test]
fn the_scope_drop_down_sets_the_flow_scope_as_one_step() {
    let mut harness = opened("pump.json", bundle("").as_bytes());
    let flow = first_of_type(&harness, "attack-flow");
    act(&mut harness, Action::Select(vec![flow.clone()]));
    assert_eq!(property(&harness, &flow, "scope"), Some(json!("incident")));
    harness.get_by_label("Scope").click();
    harness.run();
    harness.get_by_label("threat-actor").click();
    harness.run();
    assert_eq!(
        property(&harness, &flow, "scope"),
        Some(json!("threat-actor"))
    );
    act(&mut harness, Action::Menu(MenuCommand::Undo));
    assert_eq!(property(&harness, &flow, "scope"), Some(json!("incident")));
}

#[test]
fn problems_and_their_counts_follow_each_edit() {
    let mut harness = opened(
        "wrong-tactic.json",
        bundle("")
            .replace("\"tactic_id\": \"TA0001\"", "\"tactic_id\": \"TA0008\"")
            .as_bytes(),
    );
    let listed = |harness: &Harness<'static, EditorApp>| {
        harness
            .query_by_label_contains("attack-technique-not-in-tactic")
            .is_some()
    };
    assert!(listed(&harness));
    let count_before = harness
        .get_by_label_contains("Problems (")
        .accesskit_node()
        .label()
        .unwrap_or_default();
    // The status bar counts the same problems by severity.
    let counted = |harness: &Harness<'static, EditorApp>| {
        let diagnostics = medflow_core::validate(
            harness.state().document().unwrap(),
            &medflow_core::Context::built_in(),
        );
        medflow_gui::panels::tally_text(&medflow_core::Tally::of(&diagnostics))
    };
    let tally_before = counted(&harness);
    harness.get_by_label(&tally_before);

    // Filing the technique under its own tactic clears the problem at once.
    set_property(&mut harness, ACTION_ID, "tactic_id", json!("TA0001"));
    assert!(!listed(&harness), "the problem is gone");
    let count_after = harness
        .get_by_label_contains("Problems (")
        .accesskit_node()
        .label()
        .unwrap_or_default();
    assert_ne!(count_before, count_after);
    let tally_after = counted(&harness);
    assert_ne!(tally_before, tally_after);
    harness.get_by_label(&tally_after);

    // Undo brings it back.
    act(&mut harness, Action::Menu(MenuCommand::Undo));
    assert!(listed(&harness));
}

#[test]
fn a_relationship_type_is_chosen_in_the_inspector_and_removed_there() {
    let mut harness = opened("pump.json", bundle("").as_bytes());
    act(&mut harness, Action::AddNode(NewObject::Stix("tool")));
    let tool = first_of_type(&harness, "tool");
    act(
        &mut harness,
        Action::Relate {
            source: ACTION_ID.into(),
            target: tool.clone(),
        },
    );
    let relationship = first_of_type(&harness, "relationship");
    assert_eq!(
        property(&harness, &relationship, "relationship_type"),
        Some(json!("related-to"))
    );
    act(&mut harness, Action::Select(vec![ACTION_ID.into()]));
    harness.get_by_label("Relationships (1)");
    let combo = || (Role::ComboBox, "to tool: New tool");
    harness
        .get_by_role_and_label(combo().0, combo().1)
        .scroll_to_me();
    harness.run();
    harness.get_by_role_and_label(combo().0, combo().1).click();
    harness.run();
    // The list is long: scroll to the entry first, as a user would.
    harness.get_by_label("uses").scroll_to_me();
    harness.run();
    harness.get_by_label("uses").click();
    harness.run();
    assert_eq!(
        property(&harness, &relationship, "relationship_type"),
        Some(json!("uses"))
    );
    assert_eq!(
        harness
            .state()
            .active_tab()
            .and_then(|tab| tab.editor().undo_label().map(str::to_owned))
            .as_deref(),
        Some("Set relationship type uses")
    );
    // The tool lists it from its side.
    act(&mut harness, Action::Select(vec![tool.clone()]));
    harness.get_by_label("from Action: Phish the nurse station");
    harness.get_by_label("Remove").scroll_to_me();
    harness.run();
    harness.get_by_label("Remove").click();
    harness.run();
    assert!(
        harness
            .state()
            .document()
            .unwrap()
            .object(&relationship)
            .is_none()
    );
    harness.get_by_label("Relationships (0)");
}

#[test]
fn a_note_is_added_about_the_selection() {
    let mut harness = opened("pump.json", bundle("").as_bytes());
    act(&mut harness, Action::Select(vec![ACTION_ID.into()]));
    // The menu bar's "Add" comes first (the inspector has "Add" buttons of its own).
    harness.query_all_by_label("Add").next().unwrap().click();
    harness.run();
    harness.get_by_label_contains("STIX object").hover();
    harness.run();
    harness.get_by_label("note").click();
    harness.run();
    let note = first_of_type(&harness, "note");
    assert_eq!(
        property(&harness, &note, "object_refs"),
        Some(json!([ACTION_ID]))
    );
    assert_eq!(harness.state().selected_object_id(), Some(note.as_str()));
    let errors: Vec<_> = medflow_core::validate(
        harness.state().document().unwrap(),
        &medflow_core::Context::built_in(),
    )
    .into_iter()
    .filter(|diagnostic| diagnostic.code.severity() == medflow_core::Severity::Error)
    .collect();
    assert!(errors.is_empty(), "{errors:?}");
}
