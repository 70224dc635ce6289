//! The panels of the viewer. Each drawing function reads the open file and returns what the
//! user asked for (a selection); the app applies it. No panel changes the document.

mod object_list;
mod problems;
mod properties;

pub use object_list::object_list_ui;
pub use problems::problems_ui;
pub use properties::properties_ui;

use eframe::egui::{self, RichText};
use medflow_core::Tally;

use crate::opened::OpenedFile;
use crate::theme;

/// The text shown when no file is open.
pub const EMPTY_STATE_TEXT: &str =
    "Drop an Attack Flow .json file here, or run `medflow open FILE`";

/// The top bar: the flow's name, the file, and a count of problems.
pub fn top_bar_ui(ui: &mut egui::Ui, opened: &OpenedFile) {
    ui.horizontal(|ui| {
        ui.heading(opened.flow_name());
        ui.separator();
        ui.label(RichText::new(&opened.label).weak());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(tally_text(&Tally::of(&opened.diagnostics)));
        });
    });
}

/// The status bar: which ATT&CK catalog validation uses.
pub fn status_bar_ui(ui: &mut egui::Ui, catalog_description: &str) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(catalog_description).weak().small());
    });
}

/// The central panel's text when nothing is open.
pub fn empty_state_ui(ui: &mut egui::Ui) {
    ui.centered_and_justified(|ui| {
        ui.label(RichText::new(EMPTY_STATE_TEXT).size(16.0));
    });
}

/// The central panel's text when a file could not be opened.
pub fn failure_ui(ui: &mut egui::Ui, message: &str) {
    let color = theme::failure_color(ui.visuals());
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() / 3.0);
        ui.label(RichText::new(message).color(color).size(16.0));
        ui.add_space(8.0);
        ui.label(EMPTY_STATE_TEXT);
    });
}

/// "2 errors, 1 warning", or "No problems".
fn tally_text(tally: &Tally) -> String {
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
