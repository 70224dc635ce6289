//! Controls in the editor, through the accessibility tree: an ATT&CK mitigation suggested for
//! the selected action added with one click, RACI cells set in the matrix, undo, and the
//! coverage and matrix views following each step.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use common::{ACTION_ID, act, bundle, opened};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use medflow_core::control::{
    ControlKind, ControlSpec, Party, Roles, controls, coverage, with_control_properties,
};
use medflow_gui::{Action, EditorApp, MenuCommand};

/// The RACI of the document's only control.
fn only_control_raci(harness: &Harness<'static, EditorApp>) -> (String, Vec<(Party, Roles)>) {
    let tab = harness.state().active_tab().unwrap();
    let found = controls(tab.document());
    assert_eq!(found.len(), 1, "one control");
    let control = &found[0];
    (
        control.name.clone(),
        control
            .raci
            .iter()
            .map(|(party, roles)| (*party, *roles))
            .collect(),
    )
}

/// Scrolls the first widget labelled `label` into view (the inspector scrolls) and clicks it.
fn click_first(harness: &mut Harness<'static, EditorApp>, label: &str) {
    harness
        .get_all_by_label(label)
        .next()
        .unwrap()
        .scroll_to_me();
    harness.run();
    harness.get_all_by_label(label).next().unwrap().click();
    harness.run();
}

/// Scrolls the widget labelled `label` into view and clicks it.
fn click(harness: &mut Harness<'static, EditorApp>, label: &str) {
    harness.get_by_label(label).scroll_to_me();
    harness.run();
    harness.get_by_label(label).click();
    harness.run();
}

/// Shows the coverage view and checks that its summary line reads `text`.
fn assert_coverage_says(harness: &mut Harness<'static, EditorApp>, text: &str) {
    act(
        harness,
        Action::ShowBottom(medflow_gui::BottomView::Coverage),
    );
    assert!(
        harness.query_by_label(text).is_some(),
        "the coverage view says {text:?}"
    );
}

#[test]
fn add_a_suggested_mitigation_set_raci_cells_and_undo() {
    let mut harness = opened("pump.json", bundle("").as_bytes());
    act(&mut harness, Action::Select(vec![ACTION_ID.to_owned()]));

    // The inspector offers the technique's ATT&CK mitigations and detection strategies.
    harness.get_by_label_contains("Suggested by ATT&CK for T1566.001");
    click_first(&mut harness, "Add prevention");
    let (name, raci) = only_control_raci(&harness);
    assert!(raci.is_empty(), "a new control has no RACI yet");
    let tab = harness.state().active_tab().unwrap();
    let covered = coverage(tab.document());
    assert_eq!(covered[0].prevention.len(), 1);
    assert_eq!(
        tab.editor().undo_label(),
        Some(format!("Add control {name}").as_str())
    );
    // It shows on the action's node as a badge.
    harness.get_by_label_contains("Controls: 1 prevent");

    // Coverage: the action now has prevention but no detection.
    assert_coverage_says(
        &mut harness,
        "1 actions: 0 without prevention, 1 without detection.",
    );

    // The matrix: HDO's cell, then Accountable and Responsible ticked.
    harness.get_by_label("RACI matrix").click();
    harness.run();
    let cell = format!("HDO of {name}: ");
    harness.get_by_label(&cell).click();
    harness.run();
    harness.get_by_label("A Accountable").click();
    harness.run();
    assert_eq!(
        only_control_raci(&harness).1,
        vec![(Party::Hdo, Roles::parse("A").unwrap())]
    );
    harness.get_by_label(&format!("HDO of {name}: A")).click();
    harness.run();
    harness.get_by_label("R Responsible").click();
    harness.run();
    assert_eq!(
        only_control_raci(&harness).1,
        vec![(Party::Hdo, Roles::parse("AR").unwrap())]
    );
    harness.get_by_label(&format!("HDO of {name}: AR"));
    let tab = harness.state().active_tab().unwrap();
    assert_eq!(
        tab.editor().undo_label(),
        Some(format!("Set HDO to AR on {name}").as_str())
    );

    // Undo takes the last tick back; the matrix follows.
    act(&mut harness, Action::Menu(MenuCommand::Undo));
    assert_eq!(
        only_control_raci(&harness).1,
        vec![(Party::Hdo, Roles::parse("A").unwrap())]
    );
    harness.get_by_label(&format!("HDO of {name}: A"));
    // Undo twice more: no RACI, then no control; coverage follows.
    act(&mut harness, Action::Menu(MenuCommand::Undo));
    act(&mut harness, Action::Menu(MenuCommand::Undo));
    let tab = harness.state().active_tab().unwrap();
    assert!(controls(tab.document()).is_empty());
    assert_coverage_says(
        &mut harness,
        "1 actions: 1 without prevention, 1 without detection.",
    );
}

#[test]
fn the_control_inspector_edits_raci_rows_and_lists_what_the_control_addresses() {
    let mut harness = opened("pump.json", bundle("").as_bytes());
    act(&mut harness, Action::Select(vec![ACTION_ID.to_owned()]));
    click_first(&mut harness, "Add detection");
    let tab = harness.state().active_tab().unwrap();
    let control = controls(tab.document()).remove(0);
    assert_eq!(
        control.kind,
        Some(medflow_core::control::ControlKind::Detect)
    );

    act(&mut harness, Action::Select(vec![control.id.clone()]));
    harness.get_by_label("Responsibility (RACI)");
    click(
        &mut harness,
        &format!("MDM Accountable of {}", control.name),
    );
    click(
        &mut harness,
        &format!("MDM Responsible of {}", control.name),
    );
    click(
        &mut harness,
        &format!("Patient Informed of {}", control.name),
    );
    assert_eq!(
        only_control_raci(&harness).1,
        vec![
            (Party::Mdm, Roles::parse("AR").unwrap()),
            (Party::Patient, Roles::parse("I").unwrap()),
        ]
    );
    // The action it addresses is listed and reveals it on the canvas.
    let link =
        harness.get_by_role_and_label(eframe::egui::accesskit::Role::Button, common::ACTION_NAME);
    link.scroll_to_me();
    harness.run();
    harness
        .get_by_role_and_label(eframe::egui::accesskit::Role::Button, common::ACTION_NAME)
        .click();
    harness.run();
    assert_eq!(harness.state().selected_object_id(), Some(ACTION_ID));
}

#[test]
fn a_copy_that_drifted_from_the_library_catalogue_is_offered_an_update() {
    let mut harness = opened("pump.json", bundle("").as_bytes());
    let spec = ControlSpec {
        name: "Vendor account review".to_owned(),
        description: None,
        kind: ControlKind::Prevent,
        source: None,
        fda_category: None,
        raci: [(Party::Hdo, Roles::parse("AR").unwrap())]
            .into_iter()
            .collect(),
    };
    act(
        &mut harness,
        Action::AddControl {
            action: ACTION_ID.to_owned(),
            spec,
        },
    );
    // The library's catalogue defines the same control with another RACI.
    let document = harness.state().active_tab().unwrap().document().clone();
    let control = controls(&document).remove(0);
    let mut catalogue = document.clone();
    for object in &mut catalogue.objects {
        if object.id() == control.id {
            *object = with_control_properties(
                object,
                ControlKind::Prevent,
                None,
                &[(Party::Mdm, Roles::parse("AR").unwrap())]
                    .into_iter()
                    .collect(),
            );
        }
    }
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("controls.json"),
        medflow_core::write_bundle(&catalogue),
    )
    .unwrap();
    harness
        .state_mut()
        .set_library(Some(folder.path().to_path_buf()));
    act(&mut harness, Action::Select(vec![control.id.clone()]));

    harness.get_by_label("This copy differs from the library's control catalogue:");
    harness.get_by_label("raci: HDO: AR here, MDM: AR in the catalogue");
    let button = harness.get_by_label("Update from catalogue");
    button.scroll_to_me();
    harness.run();
    harness.get_by_label("Update from catalogue").click();
    harness.run();
    assert_eq!(
        only_control_raci(&harness).1,
        vec![(Party::Mdm, Roles::parse("AR").unwrap())]
    );
    harness.get_by_label("Same as in the library's control catalogue.");
    act(&mut harness, Action::Menu(MenuCommand::Undo));
    assert_eq!(
        only_control_raci(&harness).1,
        vec![(Party::Hdo, Roles::parse("AR").unwrap())]
    );
}

#[test]
fn controls_become_nodes_on_demand_and_the_matrix_filters_them() {
    let mut harness = opened("pump.json", bundle("").as_bytes());
    add_control(
        &mut harness,
        "Vendor account review",
        ControlKind::Prevent,
        Party::Hdo,
    );
    add_control(
        &mut harness,
        "Remote session logging",
        ControlKind::Detect,
        Party::Mdm,
    );
    // Shown on the action as a badge, not as nodes.
    harness.get_by_label_contains("Controls: 1 prevent · 1 detect");
    assert!(harness.query_by_label("Control (prevent)").is_none());
    act(&mut harness, Action::Menu(MenuCommand::ToggleControlNodes));
    harness.get_by_label("Control (prevent)");
    harness.get_by_label("Control (detect)");
    act(&mut harness, Action::Menu(MenuCommand::ToggleControlNodes));
    assert!(harness.query_by_label("Control (detect)").is_none());

    // The matrix lists both; the party filter keeps the one MDM holds a role in.
    act(
        &mut harness,
        Action::ShowBottom(medflow_gui::BottomView::Raci),
    );
    harness.get_by_label("HDO of Vendor account review: AR");
    harness.get_by_label("MDM of Remote session logging: AR");
    harness.get_by_label("Party").click();
    harness.run();
    harness
        .get_by_role_and_label(eframe::egui::accesskit::Role::Button, "MDM")
        .click();
    harness.run();
    assert!(
        harness
            .query_by_label("HDO of Vendor account review: AR")
            .is_none()
    );
    harness.get_by_label("MDM of Remote session logging: AR");
}

/// Adds a control addressing the bundle's action, with `party` Accountable and Responsible.
fn add_control(
    harness: &mut Harness<'static, EditorApp>,
    name: &str,
    kind: ControlKind,
    party: Party,
) {
    act(
        harness,
        Action::AddControl {
            action: ACTION_ID.to_owned(),
            spec: ControlSpec {
                name: name.to_owned(),
                description: None,
                kind,
                source: None,
                fda_category: None,
                raci: [(party, Roles::parse("AR").unwrap())].into_iter().collect(),
            },
        },
    );
}

/// The control names of the matrix, top to bottom.
fn matrix_order(harness: &Harness<'static, EditorApp>, names: &[&str]) -> Vec<String> {
    let mut shown: Vec<(f32, String)> = names
        .iter()
        .filter_map(|name| {
            harness
                .query_by_label(&format!("HDO of {name}: AR"))
                .map(|cell| (cell.rect().top(), (*name).to_owned()))
        })
        .collect();
    shown.sort_by(|a, b| a.0.total_cmp(&b.0));
    shown.into_iter().map(|(_, name)| name).collect()
}

/// Chooses `choice` in the matrix filter `filter`.
fn filter(harness: &mut Harness<'static, EditorApp>, filter: &str, choice: &str) {
    harness
        .get_by_role_and_label(eframe::egui::accesskit::Role::ComboBox, filter)
        .click();
    harness.run();
    harness
        .get_by_role_and_label(eframe::egui::accesskit::Role::Button, choice)
        .click();
    harness.run();
}

#[test]
fn the_matrix_filters_by_flow_and_kind_and_sorts_by_its_columns() {
    let mut harness = opened("pump.json", bundle("").as_bytes());
    add_control(&mut harness, "Badge audit", ControlKind::Detect, Party::Hdo);
    add_control(
        &mut harness,
        "Account lockout",
        ControlKind::Prevent,
        Party::Hdo,
    );
    harness.state_mut().open_bytes(
        "second.json",
        bundle("")
            .replace("Infusion pump takeover", "Second flow")
            .as_bytes(),
    );
    harness.run();
    add_control(
        &mut harness,
        "Cold spare console",
        ControlKind::Respond,
        Party::Hdo,
    );
    act(
        &mut harness,
        Action::ShowBottom(medflow_gui::BottomView::Raci),
    );
    let all = ["Account lockout", "Badge audit", "Cold spare console"];
    assert_eq!(matrix_order(&harness, &all), all, "by name");

    // By kind (prevent, detect, respond), then the other way round.
    // The sort headers are buttons ("Kind", "Kind ⬆"), unlike the filters' names.
    let click_header = |harness: &mut Harness<'static, EditorApp>, text: &str| {
        harness
            .get_all_by_role(eframe::egui::accesskit::Role::Button)
            .find(|node| {
                node.accesskit_node()
                    .label()
                    .is_some_and(|label| label.starts_with(text))
            })
            .unwrap()
            .click();
        harness.run();
    };
    click_header(&mut harness, "Kind");
    assert_eq!(
        matrix_order(&harness, &all),
        ["Account lockout", "Badge audit", "Cold spare console"]
    );
    click_header(&mut harness, "Kind");
    assert_eq!(
        matrix_order(&harness, &all),
        ["Cold spare console", "Badge audit", "Account lockout"]
    );
    // By flow: the pump's two controls, then the second flow's.
    click_header(&mut harness, "Flow");
    assert_eq!(
        matrix_order(&harness, &all),
        ["Account lockout", "Badge audit", "Cold spare console"]
    );

    filter(&mut harness, "Kind", "detect");
    assert_eq!(matrix_order(&harness, &all), ["Badge audit"]);
    filter(&mut harness, "Kind", "All");
    filter(&mut harness, "Flow", "Second flow");
    assert_eq!(matrix_order(&harness, &all), ["Cold spare console"]);
    filter(&mut harness, "Flow", "Infusion pump takeover");
    assert_eq!(
        matrix_order(&harness, &all),
        ["Account lockout", "Badge audit"]
    );
    // A control of another tab's flow selects it there.
    filter(&mut harness, "Flow", "All");
    harness.get_by_label("Badge audit").click();
    harness.run();
    assert_eq!(
        harness.state().window_title(),
        "● Infusion pump takeover — MedFlow Studio"
    );
    let selected = harness.state().selected_object_id().unwrap().to_owned();
    assert!(selected.starts_with("course-of-action--"));
}

#[test]
fn a_coverage_row_reveals_its_action_and_the_badge_opens_to_list_the_controls() {
    let mut harness = opened("pump.json", bundle("").as_bytes());
    add_control(
        &mut harness,
        "Account lockout",
        ControlKind::Prevent,
        Party::Hdo,
    );
    act(&mut harness, Action::Select(Vec::new()));
    assert_coverage_says(
        &mut harness,
        "1 actions: 0 without prevention, 1 without detection.",
    );
    // The coverage row is the one in the bottom panel, below the canvas.
    harness
        .get_all_by_label(common::ACTION_NAME)
        .max_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .unwrap()
        .click();
    harness.run();
    assert_eq!(harness.state().selected_object_id(), Some(ACTION_ID));

    // The badge on the action's node opens to name its controls.
    assert!(harness.query_by_label("prevent: Account lockout").is_none());
    // Nodes are drawn through the canvas's camera; the accessibility tree gives canvas
    // coordinates, so the click goes where the camera puts the badge on screen.
    let badge = harness.get_by_label_contains("Controls: 1 prevent").rect();
    let at = harness
        .state()
        .active_tab()
        .unwrap()
        .canvas
        .canvas_to_screen(badge.center())
        .unwrap();
    common::click_at(&mut harness, at, eframe::egui::Modifiers::NONE);
    harness.get_by_label("prevent: Account lockout");
}

/// The control both library flows carry a copy of.
const SHARED_CONTROL: &str = "course-of-action--b5e425b7-b1e3-41a9-a013-c563e2c179ad";
const SHARED_NAME: &str = "Surgical downtime and incident response procedure";

/// The roles `party` holds on the shared control in tab `index`.
fn shared_roles(harness: &mut Harness<'static, EditorApp>, index: usize, party: Party) -> Roles {
    act(harness, Action::SelectTab(index));
    let tab = harness.state().active_tab().unwrap();
    let control = controls(tab.document())
        .into_iter()
        .find(|control| control.id == SHARED_CONTROL)
        .unwrap();
    control.raci.get(&party).copied().unwrap_or_default()
}

#[test]
fn a_control_open_in_two_flows_is_one_matrix_row_and_its_cells_set_both_copies() {
    let mut app = EditorApp::new();
    app.open_bytes(
        "vendor-remote-access-ransomware.json",
        include_bytes!("../../../flows/vendor-remote-access-ransomware.json"),
    );
    app.open_bytes(
        "robot-command-injection-5g.json",
        include_bytes!("../../../flows/robot-command-injection-5g.json"),
    );
    let mut harness = common::harness(app);
    harness.run();
    act(
        &mut harness,
        Action::ShowBottom(medflow_gui::BottomView::Raci),
    );
    // The catalogue keeps the CSP informed; the matrix adds Consulted in both copies.
    let cell = format!("CSP of {SHARED_NAME}: I");
    assert_eq!(
        harness.get_all_by_label(&cell).count(),
        1,
        "one row for the control both flows carry"
    );
    harness.get_by_label_contains("(+1 more)");

    click(&mut harness, &cell);
    harness.get_by_label("C Consulted").click();
    harness.run();
    harness.get_by_label(&format!("CSP of {SHARED_NAME}: CI"));
    for index in 0..2 {
        assert_eq!(
            shared_roles(&mut harness, index, Party::Csp),
            Roles::parse("CI").unwrap(),
            "tab {index}"
        );
        assert_eq!(
            shared_roles(&mut harness, index, Party::Hdo),
            Roles::parse("AR").unwrap(),
            "tab {index} keeps the other parties"
        );
        let tab = harness.state().active_tab().unwrap();
        assert_eq!(
            tab.editor().undo_label(),
            Some(format!("Set CSP to CI on {SHARED_NAME}").as_str()),
            "one step in each tab"
        );
    }
}
