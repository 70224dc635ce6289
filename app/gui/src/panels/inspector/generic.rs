//! The inspector's "Other properties": every property no typed widget shows, as editable
//! JSON with a remove button each, and a row to add a property (its name checked first).

use eframe::egui::{self, RichText, TextEdit};

use super::{Form, NOT_GENERIC, Parser};

impl Form<'_> {
    /// Every other property as editable JSON, with a remove button each, and a row to add one.
    pub(super) fn generic_ui(&mut self, ui: &mut egui::Ui) {
        let keys: Vec<String> = self
            .json
            .keys()
            .filter(|key| !NOT_GENERIC.contains(&key.as_str()))
            .filter(|key| !self.claimed.contains(key) || self.extra.contains(key))
            .cloned()
            .collect();
        ui.separator();
        ui.strong("Other properties");
        egui::Grid::new("inspector_generic_grid")
            .num_columns(2)
            .show(ui, |ui| {
                for key in &keys {
                    let label = ui.label(RichText::new(key).monospace());
                    let layout = egui::Layout::right_to_left(egui::Align::Min);
                    ui.with_layout(layout, |ui| {
                        let remove = ui.button("Remove").on_hover_text(format!("Remove {key}"));
                        if remove.clicked() {
                            self.set(key, None, false);
                        }
                        self.buffered_field(ui, label.id, key, Parser::Json, false);
                    });
                    ui.end_row();
                }
            });
        self.add_property_ui(ui);
    }

    /// The "Add property" row: a name and a JSON value.
    fn add_property_ui(&mut self, ui: &mut egui::Ui) {
        let name_id = self.widget_id("", "new_name");
        let value_id = self.widget_id("", "new_value");
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Property name");
            ui.add(
                TextEdit::singleline(&mut self.state.new_name)
                    .id(name_id)
                    .hint_text("x_example")
                    .desired_width(140.0),
            )
            .labelled_by(label.id);
            let label = ui.label("Value (JSON)");
            ui.add(
                TextEdit::singleline(&mut self.state.new_value)
                    .id(value_id)
                    .hint_text("\"text\", 1, [..], {..}")
                    .desired_width(180.0),
            )
            .labelled_by(label.id);
            let name = self.state.new_name.trim().to_owned();
            let problem = self.new_property_problem(&name);
            let parsed = Parser::Json.parse(&self.state.new_value, false);
            let add = ui.add_enabled(
                problem.is_none() && parsed.is_ok(),
                egui::Button::new("Add property"),
            );
            let message = problem.or_else(|| parsed.as_ref().err().cloned());
            let untouched = name.is_empty() && self.state.new_value.trim().is_empty();
            if let Some(message) = message.filter(|_| !untouched) {
                ui.label(RichText::new(message).small().weak());
            }
            if add.clicked()
                && let Ok(value) = parsed
            {
                self.set(&name, value, false);
                self.state.new_name.clear();
                self.state.new_value.clear();
            }
        });
    }

    /// Why `name` cannot be added, if it cannot.
    fn new_property_problem(&self, name: &str) -> Option<String> {
        if name.is_empty() {
            Some("Enter a property name.".to_owned())
        } else if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            Some("Use lower-case letters, digits and underscores.".to_owned())
        } else if self.json.contains_key(name) {
            Some(format!("{name} exists; edit it above."))
        } else if NOT_GENERIC.contains(&name) || self.claimed.iter().any(|c| c == name) {
            Some(format!("{name} has its own field above."))
        } else {
            None
        }
    }
}
