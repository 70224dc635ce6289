//! The welcome state (nothing open) and the Help windows: keyboard shortcuts, and About (the
//! version, the licence, MITRE's ATT&CK notice).

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use medflow_core::safety::{Category, Origin};

use super::library::{Library, Source};
use crate::actions::{Action, MenuCommand};

/// The welcome page's list of the library: the flows by category, each under its name, the
/// realized ones marked; the file (and, for a built-in copy, what opening it does) on hover.
fn library_list_ui(ui: &mut egui::Ui, library: &Library, actions: &mut Vec<Action>) {
    let groups = library.by_category();
    if groups.is_empty() {
        ui.label("No flow library found.");
    }
    for (category, entries) in groups {
        let category = *category;
        ui.add_space(6.0);
        ui.label(RichText::new(category.map_or("Other flows", Category::label)).strong());
        for entry in entries {
            ui.horizontal_wrapped(|ui| {
                let hover = match entry.source {
                    Source::File(_) => entry.file.clone(),
                    Source::BuiltIn(_) => format!(
                        "{}: built into the program, opens as a new, unsaved copy",
                        entry.file
                    ),
                };
                if ui.link(&entry.title).on_hover_text(hover).clicked() {
                    actions.push(entry.source.open());
                }
                if entry.origin == Some(Origin::Realized) {
                    ui.label(RichText::new("realized").small().weak())
                        .on_hover_text("Done to a hospital: the flow cites the public account");
                }
            });
        }
    }
}

/// The central panel when nothing is open: start a flow, open one, or pick one of the library
/// or of the recent files.
pub fn welcome_ui(
    ui: &mut egui::Ui,
    library: &Library,
    recent: &[PathBuf],
    actions: &mut Vec<Action>,
) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height().min(600.0) / 8.0);
            ui.heading(RichText::new("MedFlow Studio").size(26.0));
            ui.label("Attack flows for cloud-connected medical devices.");
            ui.add_space(8.0);
            ui.label(super::EMPTY_STATE_TEXT);
            ui.add_space(12.0);
            ui.horizontal(|ui| {
                // Centred: a fixed-width row in the centred column.
                ui.add_space((ui.available_width() - 260.0).max(0.0) / 2.0);
                if ui
                    .button(RichText::new(MenuCommand::New.label()).size(16.0))
                    .clicked()
                {
                    actions.push(Action::Menu(MenuCommand::New));
                }
                if ui
                    .button(RichText::new(MenuCommand::Open.label()).size(16.0))
                    .clicked()
                {
                    actions.push(Action::Menu(MenuCommand::Open));
                }
            });
        });
        ui.add_space(16.0);
        ui.columns(2, |columns| {
            columns[0].heading("Flow library");
            library_list_ui(&mut columns[0], library, actions);
            columns[1].heading("Recent files");
            if recent.is_empty() {
                columns[1].label("None yet.");
            }
            for path in recent {
                let name = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |name| name.to_string_lossy().into_owned(),
                );
                if columns[1]
                    .link(name)
                    .on_hover_text(path.display().to_string())
                    .clicked()
                {
                    actions.push(Action::Open(path.clone()));
                }
            }
        });
    });
}

/// Which Help window is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Help {
    /// The keyboard shortcuts.
    Shortcuts,
    /// The version, licence and notices.
    About,
}

/// Draws the open Help window; `open` becomes `None` when it is closed.
pub fn help_ui(ctx: &egui::Context, open: &mut Option<Help>) {
    let Some(help) = *open else {
        return;
    };
    let mut keep = true;
    let title = match help {
        Help::Shortcuts => MenuCommand::Shortcuts.label(),
        Help::About => MenuCommand::About.label(),
    };
    egui::Window::new(title)
        .open(&mut keep)
        .collapsible(false)
        .default_width(520.0)
        .max_height(ctx.content_rect().height() * 0.8)
        .show(ctx, |ui| match help {
            Help::Shortcuts => shortcuts_ui(ui),
            Help::About => about_ui(ui),
        });
    if !keep {
        *open = None;
    }
}

fn shortcuts_ui(ui: &mut egui::Ui) {
    egui::Grid::new("shortcuts")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for command in MenuCommand::ALL {
                let shortcuts = command.shortcuts();
                if shortcuts.is_empty() {
                    continue;
                }
                ui.label(command.label());
                let keys: Vec<String> = shortcuts
                    .iter()
                    .map(|shortcut| ui.ctx().format_shortcut(shortcut))
                    .collect();
                ui.label(RichText::new(keys.join("  or  ")).monospace());
                ui.end_row();
            }
            for (what, keys) in [
                ("Select a node", "Click"),
                (
                    "Add to or remove from the selection",
                    "Ctrl+Click, Shift+Click",
                ),
                ("Select with a rectangle", "Shift+Drag on empty canvas"),
                ("Clear the selection", "Click empty canvas, Escape"),
                ("Pan", "Drag empty canvas"),
                ("Zoom", "Ctrl+Scroll"),
                ("Common commands", "Right-click a node or the canvas"),
            ] {
                ui.label(what);
                ui.label(RichText::new(keys).monospace());
                ui.end_row();
            }
        });
}

fn about_ui(ui: &mut egui::Ui) {
    ui.heading(format!("MedFlow Studio {}", env!("CARGO_PKG_VERSION")));
    ui.label(
        "An editor and command-line tool for attack flows against cloud-connected medical \
         devices, saved as MITRE Attack Flow 2.0 (STIX 2.1).",
    );
    ui.label(format!("Licence: {}", env!("CARGO_PKG_LICENSE")));
    ui.separator();
    ui.label(RichText::new("MITRE ATT&CK® and MITRE ATLAS™").strong());
    ui.label(
        "The built-in technique catalog holds facts from MITRE ATT&CK® v19.1 (ids, names, \
         tactics, relationships; mitigations, detection strategies and platforms from v18.1) \
         and from MITRE ATLAS™ v5.6.1 (ids, names, tactics), published under the Apache \
         License, Version 2.0. MITRE ATLAS™ and MITRE ATT&CK® are a trademark and registered \
         trademark of The MITRE Corporation.",
    );
    egui::CollapsingHeader::new("MITRE's copyright designations and the ATT&CK and ATLAS licences")
        .default_open(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .max_height(260.0)
                .show(ui, |ui| {
                    ui.label(RichText::new(medflow_core::attack::ATTRIBUTION).monospace());
                });
        });
}
