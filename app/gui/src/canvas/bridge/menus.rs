//! What the detailed view adds to snarl's drawing: the right-click menus of a node and of the
//! empty canvas, and the input pin drawn as an arrowhead.

use std::collections::BTreeSet;

use eframe::egui::{self, Rect, RichText, Stroke};
use egui_snarl::ui::{SnarlStyle, WireStyle};

use crate::actions::Action;
use crate::canvas::view::NodeView;

/// The input pin, drawn as an arrowhead pointing into the node. `dragged`: a link is being
/// dragged out of it (snarl draws that wire; the others are drawn by the editor).
pub(super) struct ArrowPin {
    pub dragged: bool,
}

impl egui_snarl::ui::SnarlPin for ArrowPin {
    fn draw(
        self,
        _snarl_style: &SnarlStyle,
        style: &egui::Style,
        rect: Rect,
        painter: &egui::Painter,
    ) -> egui_snarl::ui::PinWireInfo {
        let color = style.visuals.widgets.inactive.fg_stroke.color;
        let center = rect.center();
        let size = rect.height() * 0.55;
        painter.add(egui::Shape::convex_polygon(
            vec![
                center + egui::vec2(size, 0.0),
                center + egui::vec2(-size, -size),
                center + egui::vec2(-size, size),
            ],
            color,
            Stroke::NONE,
        ));
        egui_snarl::ui::PinWireInfo {
            color: super::wires::snarl_wire_colour(self.dragged, color),
            style: WireStyle::Bezier5,
        }
    }
}

/// The right-click menu of a node: select it, pick a technique (actions), delete.
pub(super) fn node_menu_ui(
    ui: &mut egui::Ui,
    view: &NodeView,
    selection: &BTreeSet<String>,
    actions: &mut Vec<Action>,
) {
    use crate::actions::MenuCommand;
    ui.label(RichText::new(format!("{}: {}", view.kind, view.title)).strong());
    ui.separator();
    if ui.button("Select").clicked() {
        actions.push(Action::Select(vec![view.id.clone()]));
        ui.close();
    }
    if view.id.starts_with("attack-action--") && ui.button("Pick technique…").clicked() {
        actions.push(Action::Select(vec![view.id.clone()]));
        actions.push(Action::PickTechnique(view.id.clone()));
        ui.close();
    }
    if ui.button("Add a note about it").clicked() {
        actions.push(Action::Select(vec![view.id.clone()]));
        actions.push(Action::AddNode(medflow_core::edit::NewObject::Stix("note")));
        ui.close();
    }
    if !view.id.starts_with("attack-flow--") {
        let several = selection.contains(&view.id) && selection.len() > 1;
        let label = if several {
            format!("Delete the {} selected nodes", selection.len())
        } else {
            MenuCommand::Delete.label().to_owned()
        };
        if ui.button(label).clicked() {
            if !several {
                actions.push(Action::Select(vec![view.id.clone()]));
            }
            actions.push(Action::Menu(MenuCommand::Delete));
            ui.close();
        }
    }
}

/// The right-click menu of the empty canvas: add a node there, select all, fit, tidy.
pub(super) fn canvas_menu_ui(ui: &mut egui::Ui, at: egui::Pos2, actions: &mut Vec<Action>) {
    use crate::actions::MenuCommand;
    use crate::panels::menus::{FLOW_NODE_KINDS, entry_ui};
    for kind in FLOW_NODE_KINDS {
        if ui.button(format!("Add {} here", kind.label())).clicked() {
            actions.push(Action::AddNodeAt {
                kind,
                at: [at.x, at.y],
            });
            ui.close();
        }
    }
    ui.separator();
    for command in [
        MenuCommand::SelectAll,
        MenuCommand::ZoomToFit,
        MenuCommand::TidyLayout,
    ] {
        entry_ui(ui, command, actions);
    }
}
