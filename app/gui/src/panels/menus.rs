//! The menu bar (File, Edit, Add, View) and the tab strip. Labels and shortcuts come from
//! [`MenuCommand`], the one table of commands.

use std::path::PathBuf;

use eframe::egui;
use medflow_core::edit::NewObject;
use medflow_core::edit::templates::STIX_TYPES;

use crate::actions::{Action, MenuCommand};
use crate::tab::Tab;

/// One menu entry: the command's label, its first shortcut, and a click that queues it.
fn entry_ui(ui: &mut egui::Ui, command: MenuCommand, actions: &mut Vec<Action>) {
    labelled_entry_ui(ui, command, command.label(), actions);
}

/// A menu entry with its own text (e.g. "Undo Move 3 nodes").
fn labelled_entry_ui(
    ui: &mut egui::Ui,
    command: MenuCommand,
    label: &str,
    actions: &mut Vec<Action>,
) {
    let mut button = egui::Button::new(label);
    if let Some(shortcut) = command.shortcuts().first() {
        button = button.shortcut_text(ui.ctx().format_shortcut(shortcut));
    }
    if ui.add(button).clicked() {
        actions.push(Action::Menu(command));
        ui.close();
    }
}

/// The menu bar.
pub fn menu_bar_ui(
    ui: &mut egui::Ui,
    recent: &[PathBuf],
    active: Option<&Tab>,
    actions: &mut Vec<Action>,
) {
    let (undo, redo) = undo_text(active);
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            entry_ui(ui, MenuCommand::New, actions);
            entry_ui(ui, MenuCommand::NewProfile, actions);
            entry_ui(ui, MenuCommand::Open, actions);
            ui.menu_button("Open recent", |ui| {
                if recent.is_empty() {
                    ui.label("No recent files");
                }
                for path in recent {
                    if ui.button(path.display().to_string()).clicked() {
                        actions.push(Action::Open(path.clone()));
                        ui.close();
                    }
                }
            });
            ui.separator();
            entry_ui(ui, MenuCommand::Save, actions);
            entry_ui(ui, MenuCommand::SaveAs, actions);
            ui.separator();
            entry_ui(ui, MenuCommand::Close, actions);
            ui.separator();
            entry_ui(ui, MenuCommand::Quit, actions);
        });
        ui.menu_button("Edit", |ui| {
            labelled_entry_ui(ui, MenuCommand::Undo, &undo, actions);
            labelled_entry_ui(ui, MenuCommand::Redo, &redo, actions);
            ui.separator();
            entry_ui(ui, MenuCommand::Delete, actions);
            entry_ui(ui, MenuCommand::SelectAll, actions);
        });
        ui.menu_button("Add", |ui| {
            for kind in [
                NewObject::Action,
                NewObject::Asset,
                NewObject::Condition,
                NewObject::And,
                NewObject::Or,
            ] {
                if ui.button(kind.label()).clicked() {
                    actions.push(Action::AddNode(kind));
                    ui.close();
                }
            }
            ui.menu_button("STIX object", |ui| {
                for type_name in STIX_TYPES {
                    if ui.button(*type_name).clicked() {
                        actions.push(Action::AddNode(NewObject::Stix(type_name)));
                        ui.close();
                    }
                }
            });
        });
        ui.menu_button("View", |ui| {
            entry_ui(ui, MenuCommand::ZoomToFit, actions);
            entry_ui(ui, MenuCommand::ZoomIn, actions);
            entry_ui(ui, MenuCommand::ZoomOut, actions);
            ui.separator();
            entry_ui(ui, MenuCommand::TidyLayout, actions);
            let zones =
                active.is_some_and(|tab| tab.canvas.view() == medflow_core::extension::View::Zones);
            let mut checked_zones = zones;
            let label = format!(
                "{}  ({})",
                MenuCommand::ToggleArchitectureView.label(),
                MenuCommand::ToggleArchitectureView
                    .shortcuts()
                    .first()
                    .map(|shortcut| ui.ctx().format_shortcut(shortcut))
                    .unwrap_or_default()
            );
            if ui.checkbox(&mut checked_zones, label).clicked() {
                actions.push(Action::Menu(MenuCommand::ToggleArchitectureView));
                ui.close();
            }
            let showing = active.is_some_and(|tab| tab.canvas.shows_control_nodes());
            let mut checked = showing;
            if ui
                .checkbox(&mut checked, MenuCommand::ToggleControlNodes.label())
                .clicked()
            {
                actions.push(Action::Menu(MenuCommand::ToggleControlNodes));
                ui.close();
            }
            entry_ui(ui, MenuCommand::ToggleTheme, actions);
        });
    });
}

/// The Edit menu's labels with the step names, e.g. "Undo Move 3 nodes".
#[must_use]
pub fn undo_text(tab: Option<&Tab>) -> (String, String) {
    let undo = tab
        .and_then(|tab| tab.editor().undo_label())
        .map_or_else(|| "Undo".to_owned(), |label| format!("Undo {label}"));
    let redo = tab
        .and_then(|tab| tab.editor().redo_label())
        .map_or_else(|| "Redo".to_owned(), |label| format!("Redo {label}"));
    (undo, redo)
}

/// The tabs of the open files, with a close button each.
pub fn tab_strip_ui(ui: &mut egui::Ui, tabs: &[Tab], active: usize, actions: &mut Vec<Action>) {
    if tabs.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        for (index, tab) in tabs.iter().enumerate() {
            ui.group(|ui| {
                if ui.selectable_label(index == active, tab.label()).clicked() {
                    actions.push(Action::SelectTab(index));
                }
                if ui
                    .small_button("×")
                    .on_hover_text(format!("Close {}", tab.name()))
                    .clicked()
                {
                    actions.push(Action::CloseTab(index));
                }
            });
        }
    });
}
