//! The inspector's list of the STIX relationships of the selected node: each one's direction,
//! the node at its other end (a click reveals it), its `relationship_type` as a drop-down of
//! the STIX 2.1 types (a type the file already had is kept and offered too), and a button that
//! removes it. Every change is one undoable edit. A control's `mitigates`/`detects` links are
//! edited in the control's own section instead.

use eframe::egui;
use medflow_core::edit::Command;
use medflow_core::stix::vocabulary::RELATIONSHIP_TYPES;
use medflow_core::{Document, StixObject};
use serde_json::Value;

use crate::actions::Action;
use medflow_core::scene::subject;

/// One relationship of the selected node, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationshipRow {
    /// The relationship's id.
    pub id: String,
    /// Its `relationship_type`.
    pub relationship_type: String,
    /// True when the selected node is the source.
    pub outgoing: bool,
    /// The node at the other end.
    pub other: String,
    /// How the other node is named ("Action: Phish the nurse station").
    pub other_label: String,
}

/// The relationships of `id` in `document`, in document order, except those a control holds.
#[must_use]
pub fn relationship_rows(document: &Document, id: &str) -> Vec<RelationshipRow> {
    let label = |other: &str| {
        document
            .object(other)
            .map_or_else(|| other.to_owned(), subject)
    };
    // Runs every frame the inspector shows a node: read the relationships in place and look
    // up the other end only for the few that touch the node.
    document
        .objects
        .iter()
        .filter_map(|object| match object {
            StixObject::Other(relationship) if relationship.type_name() == "relationship" => {
                Some(relationship)
            }
            _ => None,
        })
        .filter_map(|relationship| {
            let source = relationship.string("source_ref")?;
            let target = relationship.string("target_ref")?;
            let (outgoing, other) = if source == id {
                (true, target)
            } else if target == id {
                (false, source)
            } else {
                return None;
            };
            let control_link = [source, target].into_iter().any(|end| {
                document
                    .object(end)
                    .is_some_and(medflow_core::control::is_control)
            });
            (!control_link).then(|| RelationshipRow {
                id: relationship.id().to_owned(),
                relationship_type: relationship
                    .string("relationship_type")
                    .unwrap_or_default()
                    .to_owned(),
                outgoing,
                other_label: label(other),
                other: other.to_owned(),
            })
        })
        .collect()
}

/// The relationships section of the inspector for `object`: a row per relationship with the
/// node at its other end, its type and a button removing it.
pub fn relationships_ui(
    ui: &mut egui::Ui,
    document: &Document,
    object: &StixObject,
    actions: &mut Vec<Action>,
) {
    let rows = relationship_rows(document, object.id());
    ui.separator();
    ui.strong(format!("Relationships ({})", rows.len()));
    if rows.is_empty() {
        ui.weak("Drag from the node's \"related\" pin to another node to relate them.");
        return;
    }
    for row in &rows {
        // The other end on one line (names can be long), its type and Remove under it, so
        // nothing needs the panel to scroll sideways.
        // Words, not arrows: the proportional fonts have no arrows.
        let direction = if row.outgoing { "to" } else { "from" };
        let link = ui
            .link(format!("{direction} {}", row.other_label))
            .on_hover_text("Select it on the canvas");
        if link.clicked() {
            actions.push(Action::Reveal(row.other.clone()));
        }
        ui.horizontal(|ui| {
            relationship_type_ui(ui, row, link.id, actions);
            if ui
                .small_button("Remove")
                .on_hover_text(format!(
                    "Remove this {} relationship",
                    row.relationship_type
                ))
                .clicked()
            {
                actions.push(Action::Edit {
                    label: format!("Remove {} relationship", row.relationship_type),
                    coalesce_key: None,
                    commands: vec![Command::RemoveObjects {
                        ids: vec![row.id.clone()],
                    }],
                });
            }
        });
        ui.add_space(4.0);
    }
}

/// The drop-down of one relationship's type.
fn relationship_type_ui(
    ui: &mut egui::Ui,
    row: &RelationshipRow,
    label_id: egui::Id,
    actions: &mut Vec<Action>,
) {
    let mut chosen = row.relationship_type.clone();
    let known = RELATIONSHIP_TYPES.contains(&row.relationship_type.as_str());
    egui::ComboBox::from_id_salt(("relationship_type", &row.id))
        .selected_text(&row.relationship_type)
        .width(150.0)
        .show_ui(ui, |ui| {
            if !known {
                ui.selectable_value(
                    &mut chosen,
                    row.relationship_type.clone(),
                    &row.relationship_type,
                );
            }
            for relationship_type in RELATIONSHIP_TYPES {
                ui.selectable_value(
                    &mut chosen,
                    (*relationship_type).to_owned(),
                    *relationship_type,
                );
            }
        })
        .response
        .labelled_by(label_id);
    if chosen != row.relationship_type {
        actions.push(Action::Edit {
            label: format!("Set relationship type {chosen}"),
            coalesce_key: None,
            commands: vec![Command::SetProperty {
                id: row.id.clone(),
                name: "relationship_type".to_owned(),
                value: Some(Value::String(chosen)),
            }],
        });
    }
}
