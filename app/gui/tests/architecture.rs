//! Binding an asset to a component of the reference architecture from the inspector, undo,
//! and the architecture view toggled from the View menu.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use common::{act, bundle, opened};
use egui_kittest::kittest::Queryable;
use medflow_core::StixObject;
use medflow_core::architecture::{Architecture, bound_component};
use medflow_core::edit::NewObject;
use medflow_gui::{Action, MenuCommand};

#[test]
fn an_asset_is_bound_to_a_component_from_the_inspector_and_undo_unbinds_it() {
    let mut harness = opened("pump.json", bundle("").as_bytes());
    act(&mut harness, Action::AddNode(NewObject::Asset));
    let asset = harness.state().selected_object_id().unwrap().to_owned();
    harness.get_by_label("Bind the asset to a component to place it in the architecture view.");

    let combo = harness.get_by_label("Component");
    combo.scroll_to_me();
    harness.run();
    harness.get_by_label("Component").click();
    harness.run();
    harness.get_by_label("5G cellular link (5g)").scroll_to_me();
    harness.run();
    harness.get_by_label("5G cellular link (5g)").click();
    harness.run();

    let tab = harness.state().active_tab().unwrap();
    let document = tab.document();
    let object: &StixObject = document.object(&asset).unwrap();
    assert_eq!(bound_component(document, object), Some("5g"));
    let component = Architecture::reference_static().component("5g").unwrap();
    assert!(
        document.object(&component.id).is_some(),
        "the component travels with the flow"
    );
    assert_eq!(tab.editor.undo_label(), Some("Bind asset to 5g"));
    harness.get_by_label_contains("In Carrier network.");

    act(&mut harness, Action::Menu(MenuCommand::Undo));
    let document = harness.state().active_tab().unwrap().document();
    assert_eq!(
        bound_component(document, document.object(&asset).unwrap()),
        None
    );
    assert!(document.object(&component.id).is_none());
}

#[test]
fn the_view_menu_switches_to_the_architecture_view() {
    let mut harness = opened("pump.json", bundle("").as_bytes());
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label_contains("Architecture view").click();
    harness.run();
    assert_eq!(
        harness.state().active_tab().unwrap().canvas.view(),
        medflow_core::layout::View::Zones
    );
}
