//! The bottom panel: every diagnostic of the open file (severity, code, object, message).
//! Clicking a problem that concerns an object asks for that object to be selected.

use eframe::egui::{self, Label, RichText, Sense};

use crate::opened::OpenedFile;
use crate::theme;

/// Draws the problems list; returns the index of the object whose problem was clicked, if any.
pub fn problems_ui(ui: &mut egui::Ui, opened: &OpenedFile) -> Option<usize> {
    ui.heading(format!("Problems ({})", opened.diagnostics.len()));
    if opened.diagnostics.is_empty() {
        ui.label("No problems found.");
        return None;
    }
    let mut clicked = None;
    egui::ScrollArea::both()
        .id_salt("problems")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("problem_grid")
                .num_columns(4)
                .striped(true)
                .show(ui, |ui| {
                    for diagnostic in &opened.diagnostics {
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
                        if row_clicked {
                            clicked = diagnostic
                                .object_id
                                .as_deref()
                                .and_then(|id| opened.object_index(id));
                        }
                    }
                });
        });
    clicked
}
