//! The bottom panel: every problem of the active flow, live (validation reruns when the
//! document changes). Clicking a problem that concerns an object selects and frames it.

use eframe::egui::{self, Label, RichText, Sense};
use medflow_core::attack::Catalog;

use crate::actions::Action;
use crate::tab::Tab;
use crate::theme;

/// Draws the problems list: one row per problem (only the rows in view are laid out, so a
/// flow with thousands of problems stays fast).
pub fn problems_ui(ui: &mut egui::Ui, tab: &mut Tab, catalog: &Catalog, actions: &mut Vec<Action>) {
    let (diagnostics, subjects) = tab.problems(catalog);
    if diagnostics.is_empty() {
        ui.label("No problems found.");
        return;
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    egui::ScrollArea::both()
        .id_salt("problems")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, diagnostics.len(), |ui, rows| {
            egui::Grid::new("problem_grid")
                .num_columns(4)
                .striped(true)
                .start_row(rows.start)
                .show(ui, |ui| {
                    for (diagnostic, subject) in
                        diagnostics[rows.clone()].iter().zip(&subjects[rows])
                    {
                        let severity = diagnostic.severity();
                        let color = theme::severity_color(severity, ui.visuals());
                        let cells = [
                            RichText::new(severity.as_str()).color(color),
                            RichText::new(diagnostic.code.as_str()).monospace(),
                            RichText::new(subject),
                            RichText::new(&diagnostic.message),
                        ];
                        let mut row_clicked = false;
                        for cell in cells {
                            let mut response = ui.add(Label::new(cell).sense(Sense::click()));
                            if let Some(id) = &diagnostic.object_id {
                                response = response.on_hover_text(id);
                            }
                            row_clicked |= response.clicked();
                        }
                        ui.end_row();
                        if row_clicked && let Some(id) = &diagnostic.object_id {
                            actions.push(Action::Reveal(id.clone()));
                        }
                    }
                });
        });
}
