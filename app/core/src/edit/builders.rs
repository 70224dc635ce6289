//! Objects and commands the editor makes on the user's behalf: a note about the selection,
//! removing the relationships between two nodes.

use serde_json::Value;

use super::Command;
use crate::model::{Document, StixObject};

/// `note` pointing (`object_refs`) at the objects `about`, or at the document's flow when
/// `about` is empty (STIX requires a note to be about something).
#[must_use]
pub fn note_about(note: &StixObject, about: &[String], document: &Document) -> StixObject {
    let mut refs: Vec<Value> = about.iter().cloned().map(Value::String).collect();
    if refs.is_empty() {
        refs.extend(
            document
                .flow()
                .map(|flow| Value::String(flow.common.id.clone())),
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
    let ids: Vec<String> = document
        .objects
        .iter()
        .filter_map(|object| match object {
            StixObject::Other(other)
                if other.type_name() == "relationship"
                    && other.string("source_ref") == Some(source)
                    && other.string("target_ref") == Some(target) =>
            {
                Some(other.id().to_owned())
            }
            _ => None,
        })
        .collect();
    if ids.is_empty() {
        Vec::new()
    } else {
        vec![Command::RemoveObjects { ids }]
    }
}
