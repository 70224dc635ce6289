//! Image snapshots of real corpus flows in the editor, rendered on the CPU by Mesa's lavapipe
//! (no GPU, no window). The reference images live in `tests/snapshots/`; a changed rendering
//! fails the test and leaves `NAME.new.png` and `NAME.diff.png` beside them. To accept a
//! deliberate change, run once with `UPDATE_SNAPSHOTS=1` on the Debian image CI uses.
//!
//! The corpus is read from the reference data (`$MEDFLOW_REFERENCE` or `../shared/reference`);
//! without it the test says "skipped: reference data not found", unless
//! `MEDFLOW_REQUIRE_REFERENCE=1`.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use common::reference_dir;
use eframe::egui;
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions, SnapshotResults};
use medflow_gui::EditorApp;

/// Corpus flows of different shapes: a tiny one, conditions and operators, a long chain, and
/// two large ones (Turla's hundreds of nodes, Black Basta), each right after opening.
const FLOWS: [(&str, &str); 6] = [
    ("SearchAwesome Adware.json", "corpus_searchawesome"),
    ("Tesla Kubernetes Breach.json", "corpus_tesla_kubernetes"),
    ("Marriott Breach.json", "corpus_marriott"),
    ("Equifax Breach.json", "corpus_equifax"),
    ("Turla - Snake Emulation Plan.json", "corpus_turla_snake"),
    ("Black Basta Ransomware.json", "corpus_black_basta"),
];

/// The editor at the size of a laptop screen, after every node has been measured.
fn settled(app: EditorApp) -> Harness<'static, EditorApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 860.0))
        .with_max_steps(60)
        .build_ui_state(|ui, app: &mut EditorApp| app.editor_ui(ui), app);
    harness.run();
    // Snarl measures nodes from the previous frame: let every size settle.
    harness.run_steps(8);
    harness
}

fn options() -> SnapshotOptions {
    // See corpus_flows_render_as_before for the tolerance.
    SnapshotOptions::new().max_failed_pixels(1_000)
}

#[test]
fn corpus_flows_render_as_before() {
    let Some(reference) = reference_dir() else {
        return;
    };
    // egui-snarl keeps wires in a hash set, so the order in which wires meeting at one pin
    // are painted changes from run to run, and their anti-aliased overlap differs by a few
    // hundred pixels. A tolerance of 1,000 of the 1.2 million pixels absorbs that and still
    // catches any change of layout, nodes, panels or colours.
    let options = SnapshotOptions::new().max_failed_pixels(1_000);
    let mut results = SnapshotResults::new();
    for (file, name) in FLOWS {
        let path = reference.join("attack-flow/corpus").join(file);
        let mut app = EditorApp::new();
        app.open_path(&path);
        assert_eq!(app.tab_count(), 1, "{file} opens");
        let mut harness = settled(app);
        let tab = harness.state().active_tab().unwrap();
        assert!(
            (tab.canvas.scale() - 1.0).abs() < 1e-3 || !tab.canvas.shows_overview(),
            "{file} opens readable"
        );
        results.add(harness.try_snapshot_options(name, &options));
    }
}

/// A generated flow of 100 actions: a start that branches four ways, four chains of 24 steps,
/// laid out automatically, at fit zoom.
#[test]
fn a_hundred_node_flow_at_fit_zoom() {
    fn action(number: usize) -> String {
        format!("attack-action--00000000-0000-4000-8000-{number:012}")
    }
    let mut objects = vec![serde_json::json!({
        "type": "attack-flow", "spec_version": "2.1",
        "id": "attack-flow--00000000-0000-4000-8000-100000000000",
        "created": "2024-05-01T10:00:00.000Z", "modified": "2024-05-01T10:00:00.000Z",
        "name": "One hundred steps", "scope": "incident",
        "start_refs": [action(0)],
        "extensions": {"extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {"extension_type": "new-sdo"}}
    })];
    for number in 0..100 {
        let effects: Vec<String> = match number {
            0 => (1..=4).map(action).collect(),
            _ if number + 4 < 100 => vec![action(number + 4)],
            _ => Vec::new(),
        };
        let mut object = serde_json::json!({
            "type": "attack-action", "spec_version": "2.1", "id": action(number),
            "created": "2024-05-01T10:00:00.000Z", "modified": "2024-05-01T10:00:00.000Z",
            "name": format!("Step {number}"), "technique_id": "T1078", "tactic_id": "TA0001",
            "extensions": {"extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {"extension_type": "new-sdo"}}
        });
        if !effects.is_empty() {
            object["effect_refs"] = serde_json::json!(effects);
        }
        objects.push(object);
    }
    let bundle = serde_json::json!({
        "type": "bundle", "id": "bundle--00000000-0000-4000-8000-100000000000", "objects": objects
    });
    let mut app = EditorApp::new();
    app.open_bytes("hundred.json", bundle.to_string().as_bytes());
    app.push(medflow_gui::Action::Menu(
        medflow_gui::MenuCommand::ZoomToFit,
    ));
    let mut harness = settled(app);
    let scale = harness.state().active_tab().unwrap().canvas.scale();
    assert!(
        scale > 0.15,
        "100 nodes fit at a zoom where boxes read: {scale}"
    );
    harness.snapshot_options("generated_100_fit", &options());
}

/// One node of each kind side by side in the detailed view: flow, action, asset, condition,
/// operator and a STIX object, each with its coloured header.
#[test]
fn a_node_of_each_kind() {
    let stamps = serde_json::json!({"created": "2024-05-01T10:00:00.000Z", "modified": "2024-05-01T10:00:00.000Z"});
    let af = serde_json::json!({"extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {"extension_type": "new-sdo"}});
    let object = |kind: &str, id: &str, extra: serde_json::Value| {
        let mut value = serde_json::json!({"type": kind, "spec_version": "2.1", "id": format!("{kind}--00000000-0000-4000-8000-{id}")});
        for (key, item) in stamps
            .as_object()
            .unwrap()
            .iter()
            .chain(extra.as_object().unwrap())
        {
            value[key] = item.clone();
        }
        if kind.starts_with("attack-") {
            value["extensions"] = af.clone();
        }
        value
    };
    let objects = vec![
        object(
            "attack-flow",
            "000000000001",
            serde_json::json!({"name": "Kinds", "scope": "incident",
            "start_refs": ["attack-action--00000000-0000-4000-8000-000000000002"]}),
        ),
        object(
            "attack-action",
            "000000000002",
            serde_json::json!({"name": "Phish the nurse station",
            "technique_id": "T1566.001", "tactic_id": "TA0001",
            "effect_refs": ["attack-condition--00000000-0000-4000-8000-000000000004"],
            "asset_refs": ["attack-asset--00000000-0000-4000-8000-000000000003"]}),
        ),
        object(
            "attack-asset",
            "000000000003",
            serde_json::json!({"name": "Surgeon console",
            "object_ref": "malware--00000000-0000-4000-8000-000000000006"}),
        ),
        object(
            "attack-condition",
            "000000000004",
            serde_json::json!({"description": "The console accepts the update",
            "on_true_refs": ["attack-operator--00000000-0000-4000-8000-000000000005"]}),
        ),
        object(
            "attack-operator",
            "000000000005",
            serde_json::json!({"operator": "AND"}),
        ),
        object(
            "malware",
            "000000000006",
            serde_json::json!({"name": "Implant", "is_family": false}),
        ),
    ];
    let bundle = serde_json::json!({"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000000", "objects": objects});
    let mut app = EditorApp::new();
    app.open_bytes("kinds.json", bundle.to_string().as_bytes());
    app.push(medflow_gui::Action::Menu(
        medflow_gui::MenuCommand::ZoomToFit,
    ));
    let mut harness = settled(app);
    assert!(
        !harness
            .state()
            .active_tab()
            .unwrap()
            .canvas
            .shows_overview()
    );
    harness.snapshot_options("node_kinds", &options());
}

/// Seven open flows: the tabs scroll sideways, each name cut with an ellipsis, and the
/// workspace stays where it is.
#[test]
fn seven_tabs() {
    let Some(reference) = reference_dir() else {
        return;
    };
    let mut app = EditorApp::new();
    for file in [
        "Turla - Snake Emulation Plan.json",
        "Black Basta Ransomware.json",
        "Tesla Kubernetes Breach.json",
        "Marriott Breach.json",
        "Equifax Breach.json",
        "SearchAwesome Adware.json",
        "CISA Iranian APT.json",
    ] {
        app.open_path(&reference.join("attack-flow/corpus").join(file));
    }
    assert_eq!(app.tab_count(), 7);
    let mut harness = settled(app);
    let strip = harness.get_by_label("Turla - Snake Emulation Plan").rect();
    assert!(
        strip.top() < 60.0,
        "the tabs stay one row under the menu: {strip:?}"
    );
    harness.snapshot_options("seven_tabs", &options());
}

/// Nothing open: the welcome state with the flow library, recent files, New and Open.
#[test]
fn the_welcome_state() {
    let mut app = EditorApp::new();
    // The built-in library: a folder's path would differ from one checkout to another.
    app.set_library(None);
    let mut harness = settled(app);
    harness.get_by_label("Flow library");
    harness.snapshot_options("welcome", &options());
}

/// A library flow whose assets are bound to components, drawn across the architecture's
/// zones: bound components and assets at the top of their lanes, steps below in order.
#[test]
fn a_bound_flow_renders_across_the_zones() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../flows/robot-command-injection-5g.json");
    let mut app = EditorApp::new();
    app.open_path(&path);
    assert_eq!(app.tab_count(), 1);
    app.push(medflow_gui::Action::Menu(
        medflow_gui::MenuCommand::ToggleArchitectureView,
    ));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 860.0))
        .with_max_steps(60)
        .build_ui_state(|ui, app: &mut EditorApp| app.editor_ui(ui), app);
    harness.run();
    harness.run_steps(8);
    assert_eq!(
        harness.state().active_tab().unwrap().canvas.view(),
        medflow_core::extension::View::Zones
    );
    let options = SnapshotOptions::new().max_failed_pixels(1_000);
    harness.snapshot_options("zones_robot_5g", &options);
}
