//! Objects and commands the editor makes on the user's behalf: a `related-to` relationship
//! between two nodes, a note about the selection, removing the relationships between two
//! nodes.

use serde_json::{Value, json};

use super::Command;
use crate::flow::{FlowGraph, FlowLink};
use crate::model::{Document, StixObject, Timestamp};

/// A new `related-to` relationship from `source` to `target`, with id `id`, created `now`.
#[must_use]
pub fn related_to(id: &str, source: &str, target: &str, now: &Timestamp) -> StixObject {
    let now = now.to_string();
    let value = json!({
        "type": "relationship", "spec_version": "2.1", "id": id,
        "created": now, "modified": now, "relationship_type": "related-to",
        "source_ref": source, "target_ref": target,
    });
    match value {
        Value::Object(map) => StixObject::from_json(map),
        _ => StixObject::from_json(serde_json::Map::new()),
    }
}

/// `note` pointing (`object_refs`) at the objects `about`, or at the document's flow when
/// `about` is empty (STIX requires a note to be about something).
#[must_use]
pub fn note_about(note: &StixObject, about: &[String], document: &Document) -> StixObject {
    let mut refs: Vec<Value> = about.iter().cloned().map(Value::String).collect();
    if refs.is_empty() {
        refs.extend(
            document
                .objects
                .iter()
                .find(|object| object.type_name() == "attack-flow")
                .map(|flow| Value::String(flow.id().to_owned())),
        );
    }
    let mut map = note.to_json();
    map.insert("object_refs".to_owned(), Value::Array(refs));
    StixObject::from_json(map)
}

/// The command removing every relationship from `source` to `target` (none when there is
/// no such relationship).
#[must_use]
pub fn unrelate(document: &Document, source: &str, target: &str) -> Vec<Command> {
    let graph = FlowGraph::of(document);
    let (Some(from), Some(to)) = (graph.find(source), graph.find(target)) else {
        return Vec::new();
    };
    let ids: Vec<String> = graph
        .outgoing(from)
        .filter(|edge| edge.target == to && edge.link == FlowLink::Relationship)
        .filter_map(|edge| Some(edge.relationship?.id.to_owned()))
        .collect();
    if ids.is_empty() {
        Vec::new()
    } else {
        vec![Command::RemoveObjects { ids }]
    }
}
