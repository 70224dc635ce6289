//! The commands an [`super::Editor`] applies, and how each one changes the document.

use serde_json::Value;

use super::{Change, EditError};
use crate::extension::{self, View, with_position};
use crate::flow::FlowLink;
use crate::model::{Document, StixObject, Timestamp};

/// One change to a document. Apply commands through [`super::Editor::apply`].
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Adds an object at the end, at a canvas position if given. Its id must be new.
    AddObject {
        /// The object.
        object: StixObject,
        /// Where its node goes.
        position: Option<[f32; 2]>,
    },
    /// Removes objects, the relationships that start or end at them, and every flow link
    /// (`*_refs` of the Attack Flow properties) that points at them.
    RemoveObjects {
        /// The objects' ids.
        ids: Vec<String>,
    },
    /// Sets (`Some`) or removes (`None`) one top-level property. `type` and `id` cannot be
    /// changed; an empty list removes the property.
    SetProperty {
        /// The object's id.
        id: String,
        /// The property name.
        name: String,
        /// The new value.
        value: Option<Value>,
    },
    /// Replaces an object with a new version of itself (same id).
    ReplaceObject {
        /// The new version.
        object: StixObject,
    },
    /// Adds a link held in a reference property of `source` (`effect_refs`, …) to
    /// `target`. Relationships are objects: add them with [`Command::AddObject`].
    Connect {
        /// The node the link leaves.
        source: String,
        /// Which link.
        link: FlowLink,
        /// The node the link reaches.
        target: String,
    },
    /// Removes a link held in a reference property of `source`.
    Disconnect {
        /// The node the link leaves.
        source: String,
        /// Which link.
        link: FlowLink,
        /// The node the link reaches.
        target: String,
    },
    /// Moves nodes on the canvas of `view` (each view's positions are saved apart, in the
    /// file).
    MoveNodes {
        /// The view the nodes are moved in.
        view: View,
        /// Each object id with its new top-left position.
        moves: Vec<(String, [f32; 2])>,
    },
}

fn index_of(document: &Document, id: &str) -> Result<usize, EditError> {
    document
        .objects
        .iter()
        .position(|object| object.id() == id)
        .ok_or_else(|| EditError::UnknownObject(id.to_owned()))
}

/// The object with `modified` set to `now` when it carries a `modified` (never earlier than
/// its `created`).
fn touched(object: StixObject, now: &Timestamp) -> StixObject {
    let mut map = object.to_json();
    if !map.contains_key("modified") {
        return object;
    }
    let now_text = now.to_string();
    let created = map
        .get("created")
        .and_then(Value::as_str)
        .and_then(Timestamp::parse)
        .map(|parsed| parsed.timestamp);
    let stamp = match created {
        Some(created) if &created > now => created.to_string(),
        _ => now_text,
    };
    map.insert("modified".to_owned(), Value::String(stamp));
    StixObject::from_json(map)
}

fn replace(document: &mut Document, index: usize, object: StixObject) -> Change {
    let before = document.objects.get(index).cloned();
    if let Some(slot) = document.objects.get_mut(index) {
        *slot = object.clone();
    }
    Change {
        index,
        before,
        after: Some(object),
    }
}

fn insert(document: &mut Document, object: StixObject) -> Change {
    let index = document.objects.len();
    document.objects.push(object.clone());
    Change {
        index,
        before: None,
        after: Some(object),
    }
}

fn remove(document: &mut Document, index: usize) -> Change {
    let before = (index < document.objects.len()).then(|| document.objects.remove(index));
    Change {
        index,
        before,
        after: None,
    }
}

/// Adds the MedFlow extension definition and its identity if the document lacks them.
fn declare_extension(document: &mut Document) -> Vec<Change> {
    extension::missing_declarations(document)
        .into_iter()
        .map(|object| insert(document, object))
        .collect()
}

/// The targets a reference property holds.
fn link_targets(map: &serde_json::Map<String, Value>, property: &str) -> Vec<String> {
    match map.get(property) {
        Some(Value::String(target)) => vec![target.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

fn set_links(map: &mut serde_json::Map<String, Value>, link: FlowLink, targets: Vec<String>) {
    let Some(property) = link.property() else {
        return;
    };
    if targets.is_empty() {
        map.shift_remove(property);
    } else if link.is_single() {
        if let Some(target) = targets.into_iter().next() {
            map.insert(property.to_owned(), Value::String(target));
        }
    } else {
        map.insert(
            property.to_owned(),
            Value::Array(targets.into_iter().map(Value::String).collect()),
        );
    }
}

/// The property holding links of kind `link`, or why there is none.
fn link_property(link: FlowLink) -> Result<&'static str, EditError> {
    link.property().ok_or_else(|| {
        EditError::IllegalConnection(
            "a relationship is an object of its own: add or remove the relationship".into(),
        )
    })
}

pub(super) fn execute(
    document: &mut Document,
    command: Command,
    now: &Timestamp,
) -> Result<Vec<Change>, EditError> {
    match command {
        Command::AddObject { object, position } => {
            let id = object.id().to_owned();
            if id.is_empty() {
                return Err(EditError::IllegalChange("a new object needs an id".into()));
            }
            if document.objects.iter().any(|known| known.id() == id) {
                return Err(EditError::DuplicateId(id));
            }
            let mut changes = Vec::new();
            let object = match position {
                Some(at) => with_position(&object, View::Flow, at),
                None => object,
            };
            if extension::is_used_by(&object) {
                changes.extend(declare_extension(document));
            }
            changes.push(insert(document, object));
            Ok(changes)
        }
        Command::RemoveObjects { ids } => remove_objects(document, &ids, now),
        Command::SetProperty { id, name, value } => set_property(document, &id, name, value, now),
        Command::ReplaceObject { object } => {
            let index = index_of(document, object.id())?;
            if object.type_name() != document.objects[index].type_name() {
                return Err(EditError::IllegalChange(
                    "the type of an object cannot be changed".into(),
                ));
            }
            if object == document.objects[index] {
                return Ok(Vec::new());
            }
            let mut changes = Vec::new();
            if extension::is_used_by(&object) {
                changes.extend(declare_extension(document));
            }
            let index = index_of(document, object.id())?;
            changes.push(replace(document, index, touched(object, now)));
            Ok(changes)
        }
        Command::Connect {
            source,
            link,
            target,
        } => connect(document, &source, link, &target, now),
        Command::Disconnect {
            source,
            link,
            target,
        } => disconnect(document, &source, link, &target, now),
        Command::MoveNodes { view, moves } => move_nodes(document, moves, view, now),
    }
}

fn set_property(
    document: &mut Document,
    id: &str,
    name: String,
    value: Option<Value>,
    now: &Timestamp,
) -> Result<Vec<Change>, EditError> {
    if name == "type" || name == "id" {
        return Err(EditError::IllegalChange(format!(
            "the {name} of an object cannot be changed"
        )));
    }
    let index = index_of(document, id)?;
    let mut map = document.objects[index].to_json();
    match value {
        None => {
            map.shift_remove(&name);
        }
        Some(Value::Array(items)) if items.is_empty() => {
            map.shift_remove(&name);
        }
        Some(value) => {
            map.insert(name, value);
        }
    }
    let object = touched(StixObject::from_json(map), now);
    if object == document.objects[index] {
        return Ok(Vec::new());
    }
    Ok(vec![replace(document, index, object)])
}

fn disconnect(
    document: &mut Document,
    source: &str,
    link: FlowLink,
    target: &str,
    now: &Timestamp,
) -> Result<Vec<Change>, EditError> {
    let property = link_property(link)?;
    let index = index_of(document, source)?;
    let mut map = document.objects[index].to_json();
    let mut targets = link_targets(&map, property);
    let count = targets.len();
    targets.retain(|known| known != target);
    if targets.len() == count {
        return Err(EditError::IllegalConnection(format!(
            "{source} has no {property} link to {target}"
        )));
    }
    set_links(&mut map, link, targets);
    let object = touched(StixObject::from_json(map), now);
    Ok(vec![replace(document, index, object)])
}

fn move_nodes(
    document: &mut Document,
    moves: Vec<(String, [f32; 2])>,
    view: View,
    now: &Timestamp,
) -> Result<Vec<Change>, EditError> {
    let mut changes = Vec::new();
    for (id, _) in &moves {
        index_of(document, id)?;
    }
    changes.extend(declare_extension(document));
    for (id, at) in moves {
        let index = index_of(document, &id)?;
        let placed = with_position(&document.objects[index], view, at);
        if placed == document.objects[index] {
            continue;
        }
        changes.push(replace(document, index, touched(placed, now)));
    }
    if changes.iter().all(|change| change.before.is_none()) {
        // Only the declaration would change: nothing moved, so nothing to record.
        for change in changes.iter().rev() {
            super::put(
                document,
                change.index,
                change.after.as_ref(),
                change.before.as_ref(),
            );
        }
        return Ok(Vec::new());
    }
    Ok(changes)
}

fn connect(
    document: &mut Document,
    source: &str,
    link: FlowLink,
    target: &str,
    now: &Timestamp,
) -> Result<Vec<Change>, EditError> {
    let property = link_property(link)?;
    let source_index = index_of(document, source)?;
    let target_index = index_of(document, target)?;
    let source_type = document.objects[source_index].type_name().to_owned();
    let target_type = document.objects[target_index].type_name().to_owned();
    if source == target {
        return Err(EditError::IllegalConnection(
            "a node cannot link to itself".into(),
        ));
    }
    if !link.leaves(&source_type) {
        return Err(EditError::IllegalConnection(format!(
            "a {source_type} has no {property} link"
        )));
    }
    if !link.accepts(&target_type) {
        return Err(EditError::IllegalConnection(format!(
            "{property} must point at {}, not at a {target_type}",
            link.accepted_words()
        )));
    }
    let mut map = document.objects[source_index].to_json();
    let mut targets = link_targets(&map, property);
    if targets.iter().any(|known| known == target) {
        return Err(EditError::IllegalConnection(format!(
            "{source} already has this {property} link"
        )));
    }
    if link.is_single() {
        targets = vec![target.to_owned()];
    } else {
        targets.push(target.to_owned());
    }
    set_links(&mut map, link, targets);
    let object = touched(StixObject::from_json(map), now);
    Ok(vec![replace(document, source_index, object)])
}

fn remove_objects(
    document: &mut Document,
    ids: &[String],
    now: &Timestamp,
) -> Result<Vec<Change>, EditError> {
    for id in ids {
        index_of(document, id)?;
    }
    let is_removed = |id: &str| ids.iter().any(|removed| removed == id);
    let mut changes = Vec::new();
    // First strip links to the removed objects from the objects that stay.
    for index in 0..document.objects.len() {
        let object = &document.objects[index];
        if is_removed(object.id()) {
            continue;
        }
        let mut map = object.to_json();
        let mut links_changed = false;
        for &link in FlowLink::PROPERTIES {
            let targets = link_targets(&map, link.property().unwrap_or_default());
            if targets.iter().any(|target| is_removed(target)) {
                let kept: Vec<String> = targets
                    .into_iter()
                    .filter(|target| !is_removed(target))
                    .collect();
                set_links(&mut map, link, kept);
                links_changed = true;
            }
        }
        if links_changed {
            let object = touched(StixObject::from_json(map), now);
            changes.push(replace(document, index, object));
        }
    }
    // Then remove the objects and the relationships that start or end at them, last first so
    // that every recorded index is right when it is replayed.
    let doomed: Vec<usize> = document
        .objects
        .iter()
        .enumerate()
        .filter(|(_, object)| {
            is_removed(object.id())
                || (object.type_name() == "relationship"
                    && ["source_ref", "target_ref"].iter().any(|end| {
                        object
                            .to_json()
                            .get(*end)
                            .and_then(Value::as_str)
                            .is_some_and(is_removed)
                    }))
        })
        .map(|(index, _)| index)
        .collect();
    for index in doomed.into_iter().rev() {
        changes.push(remove(document, index));
    }
    Ok(changes)
}
