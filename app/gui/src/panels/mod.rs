//! The editor's panels. Each drawing function reads the state it is given and pushes
//! [`Action`]s for what the user asked; the app applies them. No panel changes a document.

pub mod architecture;
pub mod controls;
pub mod inspector;
pub mod library;
pub mod menus;
pub mod picker;
pub mod problems;
pub mod profile;
pub mod raci;
pub mod relationships;

use eframe::egui::{self, RichText};
use medflow_core::Tally;
use medflow_core::attack::Catalog;

use crate::actions::{Action, MenuCommand};
use crate::tab::Tab;
use crate::theme;

/// The text shown when no file is open.
pub const EMPTY_STATE_TEXT: &str =
    "Drop an Attack Flow .json file here, open one from the library, or start a new flow";

/// The status bar: problem counts, the last message, and which ATT&CK catalog is in use.
pub fn status_bar_ui(
    ui: &mut egui::Ui,
    tally: Option<&Tally>,
    message: Option<&str>,
    catalog_description: &str,
) {
    ui.horizontal(|ui| {
        if let Some(tally) = tally {
            ui.label(tally_text(tally));
            ui.separator();
        }
        if let Some(message) = message {
            ui.label(message);
            ui.separator();
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(RichText::new(catalog_description).weak().small());
        });
    });
}

/// The central panel's text when nothing is open.
pub fn empty_state_ui(ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() / 3.0);
        ui.label(RichText::new(EMPTY_STATE_TEXT).size(16.0));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui.button(MenuCommand::New.label()).clicked() {
                actions.push(Action::Menu(MenuCommand::New));
            }
            if ui.button(MenuCommand::Open.label()).clicked() {
                actions.push(Action::Menu(MenuCommand::Open));
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

/// The right-hand panel: the inspector of the single selected object.
pub fn inspector_panel_ui(
    ui: &mut egui::Ui,
    tab_index: usize,
    tab: &mut Tab,
    catalog: &Catalog,
    catalogue: Option<&medflow_core::Document>,
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
    egui::ScrollArea::both()
        .id_salt("inspector_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let requests = inspector::inspector_ui(ui, &mut tab.inspector, &object, catalog);
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
