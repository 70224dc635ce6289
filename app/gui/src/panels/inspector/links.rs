//! The inspector's references to other nodes (`*_ref`, `*_refs`): each shown by the kind and
//! name of the node it points at, the id on hover; a click selects the node and frames it.

use eframe::egui::{self, Label, RichText};
use serde_json::Value;

use super::{CANVAS_HINT, Form, InspectorRequest};

impl Form<'_> {
    /// The objects a reference property points at, by kind and name (the id on hover); a
    /// click selects the object and brings it into view.
    pub(super) fn reference_links(&mut self, ui: &mut egui::Ui, name: &str) {
        let ids: Vec<String> = match self.json.get(name) {
            Some(Value::String(id)) => vec![id.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        ui.vertical(|ui| {
            if ids.is_empty() {
                ui.label("—").on_hover_text(CANVAS_HINT);
            }
            for id in ids {
                let (text, known) = self.document.object(&id).map_or_else(
                    || (format!("missing: {id}"), false),
                    |target| {
                        let kind = medflow_core::scene::kind_label(target);
                        let title = medflow_core::scene::title(target);
                        (format!("{kind}: {title}"), true)
                    },
                );
                if known {
                    let color = ui.visuals().hyperlink_color;
                    let link = ui
                        .add(
                            Label::new(RichText::new(text).color(color))
                                .sense(egui::Sense::click())
                                .wrap(),
                        )
                        .on_hover_cursor(egui::CursorIcon::PointingHand)
                        .on_hover_text(format!("{id}\n{CANVAS_HINT}"));
                    if link.clicked() {
                        self.requests.push(InspectorRequest::Reveal(id));
                    }
                } else {
                    let color = ui.visuals().warn_fg_color;
                    ui.add(Label::new(RichText::new(text).color(color)).wrap());
                }
            }
        });
    }
}
