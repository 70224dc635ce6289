//! The central panel when a file is open: the selected object's properties as a read-only
//! key/value grid, straight from the object's JSON.

use eframe::egui::{self, Label, RichText};
use medflow_core::StixObject;

use crate::opened::OpenedFile;

/// Draws the selected object's properties, or a hint to select one.
pub fn properties_ui(ui: &mut egui::Ui, opened: &OpenedFile, selected: Option<usize>) {
    let Some((index, object)) =
        selected.and_then(|index| Some((index, opened.document.objects.get(index)?)))
    else {
        ui.centered_and_justified(|ui| {
            ui.label("Select an object on the left to see its properties.");
        });
        return;
    };
    let label = opened.object_labels.get(index).map_or("", String::as_str);
    ui.heading(label);
    ui.label(RichText::new(object.type_name()).weak());
    ui.separator();
    egui::ScrollArea::both()
        .id_salt("properties")
        .auto_shrink([false, false])
        .show(ui, |ui| property_grid_ui(ui, object));
}

/// The two-column grid of property names and values.
fn property_grid_ui(ui: &mut egui::Ui, object: &StixObject) {
    egui::Grid::new("property_grid")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (key, value) in object.to_json() {
                ui.label(RichText::new(key).strong());
                let text = match value.as_str() {
                    Some(text) => RichText::new(text),
                    None => RichText::new(format!("{value:#}")).monospace(),
                };
                ui.add(Label::new(text).selectable(true).wrap());
                ui.end_row();
            }
        });
}
