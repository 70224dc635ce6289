//! Binding an asset to a component of the reference architecture from the inspector, undo,
//! the architecture view toggled from the View menu and drawn without overlapping nodes, and
//! the profile panel.
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
    assert_eq!(tab.editor().undo_label(), Some("Bind asset to 5g"));
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
        medflow_core::extension::View::Zones
    );
}

#[test]
fn the_architecture_view_changes_nothing_and_no_drawn_node_overlaps_another() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../flows/robot-command-injection-5g.json");
    let mut app = medflow_gui::EditorApp::new();
    app.open_path(&path);
    app.push(Action::Menu(MenuCommand::ToggleArchitectureView));
    // A window large enough for the whole flow at a zoom where the detailed view draws (and
    // measures) every node, taller than the sizes the layout assumes.
    let mut harness = egui_kittest::Harness::builder()
        .with_size(eframe::egui::vec2(2400.0, 2600.0))
        .with_max_steps(60)
        .build_ui_state(
            |ui, app: &mut medflow_gui::EditorApp| app.editor_ui(ui),
            app,
        );
    harness.run();
    harness.run_steps(8);
    let tab = harness.state().active_tab().unwrap();
    assert_eq!(tab.canvas.view(), medflow_core::extension::View::Zones);
    assert!(
        !tab.canvas.shows_overview(),
        "the detailed view draws the nodes"
    );
    let rects: Vec<(&str, eframe::egui::Rect)> = tab
        .document()
        .objects
        .iter()
        .filter_map(|object| Some((object.id(), tab.canvas.node_screen_rect(object.id())?)))
        .collect();
    assert!(rects.len() >= 15, "every node is drawn: {}", rects.len());
    // Switching the view moves every node on the canvas but edits nothing.
    assert_eq!(tab.editor().undo_label(), None, "the document is unchanged");
    for (index, (first, a)) in rects.iter().enumerate() {
        for (second, b) in &rects[index + 1..] {
            assert!(
                !a.shrink(0.5).intersects(b.shrink(0.5)),
                "{first} {a:?} overlaps {second} {b:?}"
            );
        }
    }
}

fn profile_of(
    harness: &egui_kittest::Harness<'static, medflow_gui::EditorApp>,
) -> medflow_core::architecture::Profile {
    medflow_core::architecture::Profile::from_document(
        harness.state().active_tab().unwrap().document(),
    )
    .unwrap()
}

#[test]
fn the_profile_panel_edits_a_profile_with_undo() {
    let mut app = medflow_gui::EditorApp::new();
    app.set_library(Some(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../flows"),
    ));
    let mut harness = common::harness(app);
    act(&mut harness, Action::Menu(MenuCommand::NewProfile));
    harness.get_by_label("Architecture profile");
    assert!(harness.state().active_tab().unwrap().is_profile());
    assert_eq!(profile_of(&harness).present_keys().len(), 19);

    // Untick the 5G link: the profile no longer has it; undo brings it back.
    let has_5g = harness.get_by_label("Has 5G cellular link");
    has_5g.scroll_to_me();
    harness.run();
    harness.get_by_label("Has 5G cellular link").click();
    harness.run();
    assert!(!profile_of(&harness).present_keys().contains("5g"));
    assert_eq!(
        harness.state().active_tab().unwrap().editor().undo_label(),
        Some("Remove 5G cellular link")
    );
    act(&mut harness, Action::Menu(MenuCommand::Undo));
    assert!(profile_of(&harness).present_keys().contains("5g"));
    act(&mut harness, Action::Menu(MenuCommand::Redo));

    // The library flows that need the link no longer apply to this product.
    let flow = medflow_core::read_bundle(
        include_bytes!("../../../flows/robot-command-injection-5g.json"),
        &medflow_core::ReadLimits::default(),
    )
    .unwrap()
    .document;
    let result = medflow_core::architecture::applicability(
        &profile_of(&harness),
        Architecture::reference_static(),
        &flow,
    );
    assert!(!result.applies());

    // Implement a control of the library's catalogue; the profile carries its copy.
    let offer = harness.get_by_label("Implement a control of the catalogue");
    offer.scroll_to_me();
    harness.run();
    harness
        .get_by_label("Implement a control of the catalogue")
        .click();
    harness.run();
    let catalogue = medflow_core::read_bundle(
        include_bytes!("../../../flows/controls.json"),
        &medflow_core::ReadLimits::default(),
    )
    .unwrap()
    .document;
    let first = medflow_core::control::controls(&catalogue)
        .into_iter()
        .find(|control| {
            control
                .source
                .as_ref()
                .is_some_and(|source| source.id() == "M1032")
        })
        .expect("the catalogue has an MFA control")
        .name;
    harness.get_by_label(&first).scroll_to_me();
    harness.run();
    harness.get_by_label(&first).click();
    harness.run();
    let profile = profile_of(&harness);
    assert_eq!(profile.controls.len(), 1);
    assert_eq!(profile.controls[0].party, medflow_core::control::Party::Hdo);
    let document = harness.state().active_tab().unwrap().document();
    assert!(document.object(&profile.controls[0].control).is_some());
    // The profile is valid.
    let problems: Vec<String> =
        medflow_core::validate(document, &medflow_core::Context::built_in())
            .into_iter()
            .filter(|diagnostic| diagnostic.severity() >= medflow_core::Severity::Warning)
            .map(|diagnostic| diagnostic.to_string())
            .collect();
    assert_eq!(problems, Vec::<String>::new());
}

/// A profile of the reference architecture implementing the catalogue's first control, by
/// the HDO; and that control's name.
fn profile_with_a_control() -> (Vec<u8>, String) {
    use medflow_core::architecture::{ImplementedControl, profile_entry, profile_value};
    use medflow_core::control::Party;
    let reference = Architecture::reference_static();
    let mut counter = 0;
    let mut document = medflow_core::architecture::new_profile(
        "Acme RAS",
        reference,
        &mut |type_name| {
            counter += 1;
            format!("{type_name}--00000000-0000-4000-8000-{counter:012}")
        },
        &medflow_core::model::Timestamp::parse("2026-12-01T09:30:00.000Z")
            .unwrap()
            .timestamp,
    );
    let catalogue = medflow_core::read_bundle(
        include_bytes!("../../../flows/controls.json"),
        &medflow_core::ReadLimits::default(),
    )
    .unwrap()
    .document;
    let control = medflow_core::control::controls(&catalogue).remove(0);
    document
        .objects
        .extend(Party::ALL.into_iter().map(Party::identity));
    document
        .objects
        .push(catalogue.object(&control.id).unwrap().clone());
    let profile = medflow_core::architecture::Profile::from_document(&document).unwrap();
    let implemented = [ImplementedControl {
        control: control.id.clone(),
        party: Party::Hdo,
    }];
    for object in &mut document.objects {
        if profile_entry(object).is_some() {
            *object = medflow_core::architecture::with_profile_value(
                object,
                profile_value(&profile.based_on, &profile.components, &implemented),
            );
        }
    }
    (medflow_core::write_bundle(&document), control.name)
}

#[test]
fn the_profile_panel_changes_the_party_implementing_a_control_with_undo() {
    use medflow_core::control::Party;
    let (bytes, name) = profile_with_a_control();
    let mut harness = opened("acme.json", &bytes);
    assert!(harness.state().active_tab().unwrap().is_profile());
    assert_eq!(profile_of(&harness).controls[0].party, Party::Hdo);

    let party = format!("{name}: implemented by");
    harness.get_by_label(&party).scroll_to_me();
    harness.run();
    harness.get_by_label(&party).click();
    harness.run();
    harness
        .get_by_label("Medical device manufacturer (MDM)")
        .click();
    harness.run();
    assert_eq!(profile_of(&harness).controls[0].party, Party::Mdm);
    assert_eq!(
        harness.state().active_tab().unwrap().editor().undo_label(),
        Some(format!("{name} implemented by MDM").as_str())
    );
    let document = harness.state().active_tab().unwrap().document();
    let problems: Vec<String> =
        medflow_core::validate(document, &medflow_core::Context::built_in())
            .into_iter()
            .filter(|diagnostic| diagnostic.severity() >= medflow_core::Severity::Warning)
            .map(|diagnostic| diagnostic.to_string())
            .collect();
    assert_eq!(problems, Vec::<String>::new());

    act(&mut harness, Action::Menu(MenuCommand::Undo));
    assert_eq!(profile_of(&harness).controls[0].party, Party::Hdo);
    act(&mut harness, Action::Menu(MenuCommand::Redo));
    assert_eq!(profile_of(&harness).controls[0].party, Party::Mdm);
}
