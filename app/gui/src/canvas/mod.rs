//! The canvas: the flow as a node graph, drawn with egui-snarl (or, zoomed far out, as an
//! overview of simple shapes).
//!
//! The document is the only source of truth. [`bridge`] keeps a snarl graph in step with it
//! (nodes, positions, wires) and turns what the user does in snarl — connecting, disconnecting,
//! dragging, selecting — into [`Action`]s; snarl's own graph is never edited by hand and never
//! saved. This module adds the camera (zoom to fit, zoom, reveal), the legend of link kinds and
//! the node sizes the automatic layout uses.

mod bridge;
mod overview;
mod state;
mod view;
mod zones;

use eframe::egui::{self, Color32, RichText};
use medflow_core::StixObject;
use medflow_core::attack::Catalog;
use medflow_core::edit::Port;

pub use state::CanvasState;

use crate::actions::Action;
use crate::tab::Tab;
use crate::theme::LINK_KINDS;

/// The size of a node, in canvas points, as the automatic layout assumes it.
#[must_use]
pub fn node_size(object: &StixObject) -> [f32; 2] {
    if object.is_attack_flow_type() {
        [250.0, 110.0]
    } else {
        [220.0, 80.0]
    }
}

/// A node's kind as shown on it: `Action`, `Asset`, `OR`, `infrastructure`, …
#[must_use]
pub fn node_kind_label(object: &StixObject) -> String {
    match object {
        StixObject::AttackFlow(_) => "Flow".to_owned(),
        StixObject::AttackAction(_) => "Action".to_owned(),
        StixObject::AttackAsset(_) => "Asset".to_owned(),
        StixObject::AttackCondition(_) => "Condition".to_owned(),
        StixObject::AttackOperator(operator) => operator
            .operator
            .map_or("Operator", |operator| operator.as_str())
            .to_owned(),
        StixObject::Other(_) if medflow_core::control::is_control(object) => {
            match medflow_core::control::control_entry(object)
                .and_then(|entry| entry.get("kind")?.as_str())
            {
                Some(kind) => format!("Control ({kind})"),
                None => "Control".to_owned(),
            }
        }
        StixObject::Other(other) => other.type_name().to_owned(),
    }
}

/// A node's main text: its name, or what stands for one.
#[must_use]
pub fn node_title(object: &StixObject) -> String {
    let text = match object {
        StixObject::AttackFlow(flow) => flow.name.clone(),
        StixObject::AttackAction(action) => action.name.clone(),
        StixObject::AttackAsset(asset) => asset.name.clone(),
        StixObject::AttackCondition(condition) => condition.description.clone(),
        StixObject::AttackOperator(operator) => operator
            .operator
            .map(|operator| format!("{} operator", operator.as_str())),
        StixObject::Other(other) => ["name", "value", "user_id", "command_line", "content"]
            .iter()
            .find_map(|key| other.string(key))
            .map(str::to_owned),
    };
    text.filter(|text| !text.trim().is_empty())
        .unwrap_or_else(|| "(unnamed)".to_owned())
}

/// The colour of a flow link.
#[must_use]
pub fn port_color(port: Port) -> Color32 {
    let index = match port {
        Port::Start => 0,
        Port::Effect => 1,
        Port::OnTrue => 2,
        Port::OnFalse => 3,
        Port::Asset => 4,
        Port::Command => 5,
        Port::Object => 6,
    };
    LINK_KINDS[index].1
}

/// The colour of relationship links.
#[must_use]
pub fn relationship_color() -> Color32 {
    LINK_KINDS[7].1
}

/// Draws the canvas of the tab's document.
pub fn canvas_ui(ui: &mut egui::Ui, tab: &mut Tab, catalog: &Catalog, actions: &mut Vec<Action>) {
    let canvas_rect = ui.available_rect_before_wrap();
    state::show(ui, tab, catalog, actions);
    legend_ui(ui, canvas_rect);
}

/// The legend of link kinds, in the canvas's top-right corner.
fn legend_ui(ui: &mut egui::Ui, canvas_rect: egui::Rect) {
    egui::Area::new(ui.id().with("legend"))
        .order(egui::Order::Foreground)
        .pivot(egui::Align2::RIGHT_TOP)
        .fixed_pos(canvas_rect.right_top() + egui::vec2(-8.0, 8.0))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                // Collapsible, so it never has to hide the nodes under it.
                egui::CollapsingHeader::new(RichText::new("Links").strong().small())
                    .id_salt("legend_links")
                    .default_open(true)
                    .show(ui, |ui| {
                        for (name, color) in LINK_KINDS {
                            ui.horizontal(|ui| {
                                let (rect, _) = ui.allocate_exact_size(
                                    egui::vec2(18.0, 8.0),
                                    egui::Sense::hover(),
                                );
                                ui.painter().line_segment(
                                    [rect.left_center(), rect.right_center()],
                                    egui::Stroke::new(3.0, color),
                                );
                                ui.label(RichText::new(name).small());
                            });
                        }
                    });
            });
        });
}
