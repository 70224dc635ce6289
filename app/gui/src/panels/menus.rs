//! The menu bar (File, Edit, Add, View) and the tab strip. Labels and shortcuts come from
//! [`MenuCommand`], the one table of commands.

use std::path::PathBuf;

use eframe::egui;
use medflow_core::edit::NewObject;
use medflow_core::edit::templates::STIX_TYPES;

use crate::actions::{Action, MenuCommand};
use crate::tab::Tab;

/// The Attack Flow nodes the Add menu and the canvas's menu offer, in their order.
pub(crate) const FLOW_NODE_KINDS: [NewObject; 5] = [
    NewObject::Action,
    NewObject::Asset,
    NewObject::Condition,
    NewObject::And,
    NewObject::Or,
];

/// One menu entry: the command's label, its first shortcut, and a click that queues it.
pub(crate) fn entry_ui(ui: &mut egui::Ui, command: MenuCommand, actions: &mut Vec<Action>) {
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
            // Nothing to save or close without a document.
            ui.add_enabled_ui(active.is_some(), |ui| {
                entry_ui(ui, MenuCommand::Save, actions);
                entry_ui(ui, MenuCommand::SaveAs, actions);
                ui.separator();
                entry_ui(ui, MenuCommand::Close, actions);
            });
            ui.separator();
            entry_ui(ui, MenuCommand::Quit, actions);
        });
        ui.menu_button("Edit", |ui| {
            labelled_entry_ui(ui, MenuCommand::Undo, &undo, actions);
            labelled_entry_ui(ui, MenuCommand::Redo, &redo, actions);
            ui.separator();
            entry_ui(ui, MenuCommand::Delete, actions);
            entry_ui(ui, MenuCommand::SelectAll, actions);
            entry_ui(ui, MenuCommand::SelectNone, actions);
        });
        ui.menu_button("Add", |ui| {
            for kind in FLOW_NODE_KINDS {
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
        ui.menu_button("View", |ui| view_menu_ui(ui, active, actions));
        ui.menu_button("Help", |ui| {
            entry_ui(ui, MenuCommand::Shortcuts, actions);
            entry_ui(ui, MenuCommand::About, actions);
        });
    });
}

/// The View menu: zoom, layout, the architecture view, controls as nodes, the theme.
fn view_menu_ui(ui: &mut egui::Ui, active: Option<&Tab>, actions: &mut Vec<Action>) {
    {
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
        let mut left_to_right = active.is_some_and(|tab| {
            tab.canvas.direction() == medflow_core::layout::Direction::LeftToRight
        });
        if ui
            .checkbox(
                &mut left_to_right,
                MenuCommand::ToggleLayoutDirection.label(),
            )
            .on_hover_text(
                "Automatic layout and Tidy layout: left to right instead of top to bottom",
            )
            .clicked()
        {
            actions.push(Action::Menu(MenuCommand::ToggleLayoutDirection));
            ui.close();
        }
        entry_ui(ui, MenuCommand::ToggleTheme, actions);
    }
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

/// The widest a tab's name is drawn before it is cut with an ellipsis.
const TAB_NAME_WIDTH: f32 = 180.0;

/// The tabs of the open files, each with a close button, in one row that scrolls sideways
/// when they do not fit; long names are cut with an ellipsis and shown whole on hover.
pub fn tab_strip_ui(ui: &mut egui::Ui, tabs: &[Tab], active: usize, actions: &mut Vec<Action>) {
    if tabs.is_empty() {
        return;
    }
    egui::ScrollArea::horizontal()
        .id_salt("tab_strip")
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::VisibleWhenNeeded)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.spacing_mut().item_spacing.x = 2.0;
                for (index, tab) in tabs.iter().enumerate() {
                    tab_ui(ui, tab, index, index == active, actions);
                }
            });
        });
}

/// One tab: a rounded box, lit when active, with its name and a close button.
fn tab_ui(ui: &mut egui::Ui, tab: &Tab, index: usize, active: bool, actions: &mut Vec<Action>) {
    let visuals = ui.visuals();
    let fill = if active {
        visuals.selection.bg_fill
    } else {
        visuals.faint_bg_color
    };
    let text_color = if active {
        visuals.selection.stroke.color
    } else {
        visuals.text_color()
    };
    let stroke = visuals.widgets.noninteractive.bg_stroke;
    let response = egui::Frame::new()
        .fill(fill)
        .stroke(stroke)
        .corner_radius(egui::CornerRadius {
            nw: 6,
            ne: 6,
            sw: 0,
            se: 0,
        })
        .inner_margin(egui::Margin::symmetric(8, 3))
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.set_max_width(TAB_NAME_WIDTH + 30.0);
                let name = ui
                    .add(
                        egui::Label::new(egui::RichText::new(tab.label()).color(text_color))
                            .truncate()
                            .selectable(false)
                            .sense(egui::Sense::click()),
                    )
                    // Built only while hovered: a tab's name reads the whole document.
                    .on_hover_ui(|ui| {
                        ui.label(tab.name());
                        if let Some(path) = &tab.path {
                            ui.label(path.display().to_string());
                        }
                    });
                if name.clicked() {
                    actions.push(Action::SelectTab(index));
                }
                if name.middle_clicked() {
                    actions.push(Action::CloseTab(index));
                }
                if ui
                    .small_button("×")
                    .on_hover_ui(|ui| {
                        ui.label(format!("Close {}", tab.name()));
                    })
                    .clicked()
                {
                    actions.push(Action::CloseTab(index));
                }
            });
        })
        .response;
    // Brought into view when it becomes the active tab (not on every frame, so the strip
    // can still be scrolled by hand).
    let shown_id = egui::Id::new("tab_strip_scrolled_to");
    if active && ui.data(|data| data.get_temp::<u64>(shown_id)) != Some(tab.key) {
        response.scroll_to_me(None);
        ui.data_mut(|data| data.insert_temp(shown_id, tab.key));
    }
}
