//! The canvas: the flow as a node graph, drawn with egui-snarl (or, zoomed far out, as an
//! overview of simple shapes).
//!
//! The document is the only source of truth. [`bridge`] keeps a snarl graph in step with it
//! (nodes, positions, wires) and turns what the user does in snarl — connecting, disconnecting,
//! dragging, selecting — into [`Action`]s; snarl's own graph is never edited by hand and never
//! saved. What is drawn — nodes, their words and sizes, links, positions — is core's
//! [`medflow_core::scene`]; this module adds the camera (zoom to fit, zoom, reveal) and the
//! legend of link kinds.

mod bridge;
mod overview;
mod state;
mod view;
mod zones;

use eframe::egui::{self, RichText};
use medflow_core::attack::Catalog;

pub use state::CanvasState;

/// How a step shows in simulation playback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Reached (an action: succeeded; an operator: fired; a condition: reached).
    Reached,
    /// An action that succeeded and an implemented detect control sees.
    Detected,
    /// An action an implemented prevent control blocks.
    Blocked,
    /// An action on a component the device lacks.
    NotApplicable,
    /// Not reached (yet, at the wave shown).
    Unreached,
}

impl Mark {
    /// Its colour on the canvas.
    #[must_use]
    pub fn colour(self) -> egui::Color32 {
        match self {
            Self::Reached => crate::theme::SIM_REACHED,
            Self::Detected => crate::theme::SIM_DETECTED,
            Self::Blocked => crate::theme::SIM_BLOCKED,
            Self::NotApplicable => crate::theme::SIM_NOT_APPLICABLE,
            Self::Unreached => crate::theme::SIM_UNREACHED,
        }
    }
}

/// The simulation playback drawn over a flow: each step's mark, and the path of the chosen
/// impact.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Playback {
    /// Object id → mark.
    pub marks: std::collections::HashMap<String, Mark>,
    /// The ids on the chosen impact's path.
    pub path: std::collections::BTreeSet<String>,
}

use crate::actions::Action;
use crate::tab::Tab;
use crate::theme::LINK_KINDS;

/// Draws the canvas of the tab's document.
pub fn canvas_ui(ui: &mut egui::Ui, tab: &mut Tab, catalog: &Catalog, actions: &mut Vec<Action>) {
    let canvas_rect = ui.available_rect_before_wrap();
    state::show(ui, tab, catalog, actions);
    legend_ui(ui, canvas_rect);
    if tab.playback.is_some() {
        // Bottom left, above the architecture view's caption when that is shown.
        let above = if tab.canvas.view() == medflow_core::extension::View::Zones {
            -56.0
        } else {
            -8.0
        };
        egui::Area::new(ui.id().with("simulation_legend"))
            .order(egui::Order::Foreground)
            .pivot(egui::Align2::LEFT_BOTTOM)
            .fixed_pos(canvas_rect.left_bottom() + egui::vec2(8.0, above))
            .show(ui.ctx(), |ui| {
                ui.set_max_width((canvas_rect.width() - 200.0).max(200.0));
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label(RichText::new("Simulation playback").small().strong());
                    crate::panels::simulation::legend_ui(ui);
                });
            });
    }
    if tab.canvas.view() == medflow_core::extension::View::Zones {
        caption_ui(ui, canvas_rect);
    }
}

/// What the architecture view shows, in one line at the canvas's bottom-left corner.
pub const ARCHITECTURE_CAPTION: &str = "Architecture view: one lane per zone of the RAS \
    reference architecture; each step sits in the lane of the component its assets are bound \
    to (steps bound to nothing: \"Not bound to a component\", on the left); dashed lines and \
    boxes are trust boundaries.";

fn caption_ui(ui: &mut egui::Ui, canvas_rect: egui::Rect) {
    egui::Area::new(ui.id().with("architecture_caption"))
        .order(egui::Order::Foreground)
        .pivot(egui::Align2::LEFT_BOTTOM)
        .fixed_pos(canvas_rect.left_bottom() + egui::vec2(8.0, -8.0))
        .show(ui.ctx(), |ui| {
            ui.set_max_width(canvas_rect.width() - 16.0);
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.label(RichText::new(ARCHITECTURE_CAPTION).small());
            });
        });
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
                // Closed at first: open, it would cover the nodes in that corner.
                egui::CollapsingHeader::new(RichText::new("Links").strong().small())
                    .id_salt("legend_links")
                    .default_open(false)
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
