//! The inspector's editor of `external_references`: one collapsible row per reference with
//! its source name, external id, URL and description, and buttons to add and remove one.
//! Every change sends the whole new list, as one property.

use eframe::egui;
use serde_json::{Map, Value};

use super::Form;

impl Form<'_> {
    /// The external references: one collapsible row each, and a button to add one. Every
    /// change sends the whole new array.
    pub(super) fn references_ui(&mut self, ui: &mut egui::Ui) {
        const NAME: &str = "external_references";
        self.claim(NAME);
        ui.separator();
        ui.strong("External references");
        let references: Option<Vec<Map<String, Value>>> = match self.json.get(NAME) {
            None => Some(Vec::new()),
            Some(Value::Array(items)) => items.iter().map(|v| v.as_object().cloned()).collect(),
            Some(_) => None,
        };
        let Some(references) = references else {
            ui.label("Not a list of references; edit it as JSON under Other properties.");
            return;
        };
        for (index, reference) in references.iter().enumerate() {
            let title = ["source_name", "external_id"]
                .iter()
                .filter_map(|field| reference.get(*field).and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join(" ");
            let title = match title.trim() {
                "" => format!("Reference {}", index + 1),
                title => title.to_owned(),
            };
            egui::CollapsingHeader::new(title)
                .id_salt(("inspector_reference", self.id, index))
                .show(ui, |ui| {
                    egui::Grid::new(("inspector_reference_grid", index))
                        .num_columns(2)
                        .show(ui, |ui| self.reference_rows(ui, &references, index));
                    if ui.button("Remove reference").clicked() {
                        let mut remaining = references.clone();
                        remaining.remove(index);
                        let value = (!remaining.is_empty()).then(|| references_value(remaining));
                        self.set(NAME, value, false);
                    }
                });
        }
        if ui.button("Add reference").clicked() {
            let mut added = references;
            added.push(Map::from_iter([("source_name".into(), Value::from(""))]));
            self.set(NAME, Some(references_value(added)), false);
        }
    }

    /// The text fields of one external reference; typing sends the whole new array.
    fn reference_rows(
        &mut self,
        ui: &mut egui::Ui,
        references: &[Map<String, Value>],
        index: usize,
    ) {
        let fields = [
            ("Source name", "source_name"),
            ("External id", "external_id"),
            ("URL", "url"),
            ("Description", "description"),
        ];
        for (label, field) in fields {
            let label = ui.label(label);
            let reference = references.get(index);
            let text = reference.and_then(|r| r.get(field)).and_then(Value::as_str);
            let mut text = text.unwrap_or_default().to_owned();
            let id = self.widget_id(&format!("external_references/{index}/{field}"), "text");
            if self.text_field(ui, &mut text, id, label.id, false) {
                let mut changed = references.to_vec();
                if let Some(edited) = changed.get_mut(index) {
                    if text.is_empty() && field != "source_name" {
                        edited.remove(field);
                    } else {
                        edited.insert(field.to_owned(), Value::String(text));
                    }
                }
                self.set("external_references", Some(references_value(changed)), true);
            }
            ui.end_row();
        }
    }
}

/// The JSON array of external references.
fn references_value(references: Vec<Map<String, Value>>) -> Value {
    Value::Array(references.into_iter().map(Value::Object).collect())
}
