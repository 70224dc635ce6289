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
use egui_kittest::{Harness, SnapshotOptions, SnapshotResults};
use medflow_gui::EditorApp;

/// Corpus flows of different shapes: a tiny one, conditions and operators, a long chain.
const FLOWS: [(&str, &str); 4] = [
    ("SearchAwesome Adware.json", "corpus_searchawesome"),
    ("Tesla Kubernetes Breach.json", "corpus_tesla_kubernetes"),
    ("Marriott Breach.json", "corpus_marriott"),
    ("Equifax Breach.json", "corpus_equifax"),
];

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
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1400.0, 860.0))
            .with_max_steps(60)
            .build_ui_state(|ui, app: &mut EditorApp| app.editor_ui(ui), app);
        harness.run();
        // Snarl measures nodes from the previous frame: let every size settle.
        harness.run_steps(8);
        results.add(harness.try_snapshot_options(name, &options));
    }
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
