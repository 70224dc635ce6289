//! The bottom panel: every problem of the active flow, live (validation reruns when the
//! document changes). Clicking a problem that concerns an object selects and frames it.

use eframe::egui::{self, Label, RichText, Sense};
use medflow_core::attack::Catalog;

use crate::actions::Action;
use crate::tab::Tab;
use crate::theme;

/// Draws the problems list.
pub fn problems_ui(ui: &mut egui::Ui, tab: &mut Tab, catalog: &Catalog, actions: &mut Vec<Action>) {
    let diagnostics = tab.diagnostics(catalog);
    ui.heading(format!("Problems ({})", diagnostics.len()));
    if diagnostics.is_empty() {
        ui.label("No problems found.");
        return;
    }
    egui::ScrollArea::both()
        .id_salt("problems")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("problem_grid")
                .num_columns(4)
                .striped(true)
                .show(ui, |ui| {
                    for diagnostic in diagnostics {
                        let severity = diagnostic.severity();
                        let color = theme::severity_color(severity, ui.visuals());
                        let object_id = diagnostic.object_id.as_deref().unwrap_or("—");
                        let cells = [
                            RichText::new(severity.as_str()).color(color),
                            RichText::new(diagnostic.code.as_str()).monospace(),
                            RichText::new(object_id).monospace(),
                            RichText::new(&diagnostic.message),
                        ];
                        let mut row_clicked = false;
                        for cell in cells {
                            row_clicked |= ui.add(Label::new(cell).sense(Sense::click())).clicked();
                        }
                        ui.end_row();
                        if row_clicked && let Some(id) = &diagnostic.object_id {
                            actions.push(Action::Reveal(id.clone()));
                        }
                    }
                });
        });
}
