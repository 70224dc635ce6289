//! The left panel: every object of the document, grouped by kind, named by name, description or
//! id. Clicking a row asks for that object to be selected.

use eframe::egui;

use crate::opened::OpenedFile;

/// Draws the object list; returns the index of the object the user clicked, if any.
pub fn object_list_ui(
    ui: &mut egui::Ui,
    opened: &OpenedFile,
    selected: Option<usize>,
) -> Option<usize> {
    let mut clicked = None;
    egui::ScrollArea::vertical()
        .id_salt("object_list")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (group, members) in &opened.groups {
                egui::CollapsingHeader::new(format!("{} ({})", group.heading(), members.len()))
                    .id_salt(group.heading())
                    .default_open(true)
                    .show(ui, |ui| {
                        for &index in members {
                            let label = opened.object_labels.get(index).map_or("", String::as_str);
                            let response = ui.selectable_label(selected == Some(index), label);
                            let response = match opened.document.objects.get(index) {
                                Some(object) => response.on_hover_text(object.id()),
                                None => response,
                            };
                            if response.clicked() {
                                clicked = Some(index);
                            }
                        }
                    });
            }
        });
    clicked
}
