//! The editor's panels. Each drawing function reads the state it is given and pushes
//! [`Action`]s for what the user asked; the app applies them. No panel changes a document.

pub mod architecture;
pub mod controls;
pub mod help;
pub mod inspector;
pub mod library;
pub mod menus;
pub mod picker;
pub mod problems;
pub mod profile;
pub mod raci;
pub mod relationships;
pub mod safety;
pub mod simulation;

use eframe::egui::{self, RichText};
use medflow_core::Tally;
use medflow_core::attack::Catalog;

use crate::actions::{Action, MenuCommand};
use crate::tab::Tab;
use crate::theme;

/// The text shown when no file is open.
pub const EMPTY_STATE_TEXT: &str =
    "Drop an Attack Flow .json file here, open one from the library, or start a new flow";

/// What the status bar shows.
#[derive(Debug, Default)]
pub struct StatusLine<'a> {
    /// The active document's problems by severity.
    pub tally: Option<&'a Tally>,
    /// The last message (an error, a save, a refused edit).
    pub message: Option<&'a str>,
    /// The canvas zoom, in percent, when a canvas is shown.
    pub zoom_percent: Option<f32>,
    /// How many objects are selected.
    pub selected: usize,
    /// Which file dialog is used.
    pub dialogs: &'a str,
    /// Which ATT&CK catalog is in use.
    pub catalog: &'a str,
}

/// The status bar: problems, the last message, then selection, zoom, dialogs and catalog.
pub fn status_bar_ui(ui: &mut egui::Ui, line: &StatusLine<'_>) {
    ui.horizontal(|ui| {
        if let Some(tally) = line.tally {
            ui.label(tally_text(tally));
            ui.separator();
        }
        // The right-hand labels first, so that the message is cut to the room between them
        // and the tally (it overlapped them when it came first).
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(RichText::new(line.catalog).weak().small());
            ui.separator();
            ui.label(RichText::new(line.dialogs).weak().small());
            if let Some(zoom) = line.zoom_percent {
                ui.separator();
                ui.label(RichText::new(format!("Zoom {zoom:.0}%")).small());
            }
            if line.selected > 0 {
                ui.separator();
                ui.label(RichText::new(format!("{} selected", line.selected)).small());
            }
            if let Some(message) = line.message {
                ui.separator();
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    ui.add(egui::Label::new(message).truncate())
                        .on_hover_text(message);
                });
            }
        });
    });
}

/// A message saying why a file could not be opened.
pub fn failure_ui(ui: &mut egui::Ui, message: &str, alone: bool) {
    let color = theme::failure_color(ui.visuals());
    if alone {
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() / 3.0);
            ui.label(RichText::new(message).color(color).size(16.0));
            ui.add_space(8.0);
            ui.label(EMPTY_STATE_TEXT);
        });
    } else {
        ui.label(RichText::new(message).color(color));
    }
}

/// The banner of a read-only tab: why the file is not an Attack Flow, and what to do.
pub fn read_only_banner_ui(
    ui: &mut egui::Ui,
    foreign: &medflow_core::Foreign,
    actions: &mut Vec<Action>,
) {
    let color = theme::failure_color(ui.visuals());
    egui::Frame::new()
        .stroke(egui::Stroke::new(1.5, color))
        .inner_margin(8.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new("Read-only").strong().color(color));
            ui.label(foreign.explanation());
            if *foreign == medflow_core::Foreign::BuilderFile {
                ui.label("The file is never written over, and nothing of it can be saved yet.");
            } else {
                ui.horizontal(|ui| {
                    ui.label("The file is never written over; saving asks for a new name.");
                    if ui.button(MenuCommand::SaveAs.label()).clicked() {
                        actions.push(Action::Menu(MenuCommand::SaveAs));
                    }
                });
            }
        });
}

/// The right-hand panel: the inspector of the single selected object.
pub fn inspector_panel_ui(
    ui: &mut egui::Ui,
    tab_index: usize,
    tab: &mut Tab,
    catalog: &Catalog,
    catalogue: Option<&medflow_core::Document>,
    others: &[safety::PivotFlow],
    actions: &mut Vec<Action>,
) {
    let Some(object) = tab.selected_object().cloned() else {
        ui.heading("Inspector");
        ui.label(match tab.selection.len() {
            0 => "Select a node to edit its properties.",
            _ => "Several objects are selected.",
        });
        return;
    };
    // Both directions: a long value scrolls instead of widening the panel and squeezing
    // the canvas.
    // Both directions, so a wide field scrolls instead of widening the panel and squeezing the
    // canvas; text wraps at the panel's width rather than running off its edge.
    let width = ui.available_width();
    egui::ScrollArea::both()
        .id_salt("inspector_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(width);
            let (inspector_state, document) = tab.inspector_and_document();
            // The patient-safety section comes right after the object's own fields.
            let requests =
                inspector::inspector_ui(ui, inspector_state, &object, catalog, document, |ui| {
                    safety::safety_ui(ui, &object, others, actions);
                });
            for request in requests {
                match request {
                    inspector::InspectorRequest::Set {
                        name,
                        value,
                        coalesce_key,
                    } => actions.push(Action::Edit {
                        label: format!("Edit {name}"),
                        coalesce_key,
                        commands: vec![medflow_core::edit::Command::SetProperty {
                            id: object.id().to_owned(),
                            name,
                            value,
                        }],
                    }),
                    inspector::InspectorRequest::EndBurst => actions.push(Action::EndBurst),
                    inspector::InspectorRequest::PickTechnique => {
                        actions.push(Action::PickTechnique(object.id().to_owned()));
                    }
                    inspector::InspectorRequest::Reveal(id) => actions.push(Action::Reveal(id)),
                }
            }
            if medflow_core::scene::is_node(&object) {
                relationships::relationships_ui(ui, tab.document(), &object, actions);
            }
            if object.type_name() == "attack-action" {
                let mut draft = std::mem::take(&mut tab.control_draft);
                controls::action_controls_ui(ui, tab, catalog, object.id(), &mut draft, actions);
                tab.control_draft = draft;
            } else if object.type_name() == "attack-asset" {
                architecture::asset_binding_ui(ui, tab, &object, actions);
            } else if medflow_core::control::is_control(&object) {
                controls::control_inspector_ui(ui, tab_index, tab, object.id(), actions);
                if let Some(catalogue) = catalogue {
                    controls::catalogue_drift_ui(ui, tab, catalogue, object.id(), actions);
                }
            }
        });
}

/// Gives a drop-down the name of the label before it, for screen readers and tests.
pub fn labelled(combo: &egui::Response, label: &egui::Response, text: &str) {
    let combo = combo.clone().labelled_by(label.id);
    combo.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::ComboBox, true, text));
}

/// "2 errors, 1 warning", or "No problems".
#[must_use]
pub fn tally_text(tally: &Tally) -> String {
    let parts: Vec<String> = [
        (tally.errors, "error"),
        (tally.warnings, "warning"),
        (tally.infos, "note"),
    ]
    .into_iter()
    .filter(|(count, _)| *count > 0)
    .map(|(count, word)| {
        let plural = if count == 1 { "" } else { "s" };
        format!("{count} {word}{plural}")
    })
    .collect();
    if parts.is_empty() {
        "No problems".to_owned()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_text_counts_each_severity() {
        assert_eq!(tally_text(&Tally::default()), "No problems");
        let tally = Tally {
            errors: 2,
            warnings: 1,
            infos: 0,
        };
        assert_eq!(tally_text(&tally), "2 errors, 1 warning");
    }
}
