//! The commands an [`super::Editor`] applies, and how each one changes the document.

use serde_json::Value;

use super::{Change, EditError};
use crate::layout::{
    View, declares_extension, extension_definition, product_identity, with_position,
    with_position_in,
};
use crate::model::attack_flow::ATTACK_FLOW_TYPES;
use crate::model::{Document, StixObject, Timestamp};

/// The kinds of flow link a node can start, named after the property that holds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Port {
    /// `start_refs` of the attack-flow object.
    Start,
    /// `effect_refs` of an action or operator.
    Effect,
    /// `on_true_refs` of a condition.
    OnTrue,
    /// `on_false_refs` of a condition.
    OnFalse,
    /// `asset_refs` of an action.
    Asset,
    /// `command_ref` of an action (a `process`).
    Command,
    /// `object_ref` of an asset (any SDO or SCO with data about the asset).
    Object,
}

/// Types an `object_ref` cannot point at: Attack Flow objects and STIX meta objects.
const NOT_ASSET_DATA: &[&str] = &[
    "relationship",
    "sighting",
    "extension-definition",
    "marking-definition",
    "language-content",
];

impl Port {
    /// Every port.
    pub const ALL: [Port; 7] = [
        Self::Start,
        Self::Effect,
        Self::OnTrue,
        Self::OnFalse,
        Self::Asset,
        Self::Command,
        Self::Object,
    ];

    /// The property holding the links.
    #[must_use]
    pub fn property(self) -> &'static str {
        match self {
            Self::Start => "start_refs",
            Self::Effect => "effect_refs",
            Self::OnTrue => "on_true_refs",
            Self::OnFalse => "on_false_refs",
            Self::Asset => "asset_refs",
            Self::Command => "command_ref",
            Self::Object => "object_ref",
        }
    }

    /// True for the single-valued `*_ref` properties.
    #[must_use]
    pub fn is_single(self) -> bool {
        matches!(self, Self::Command | Self::Object)
    }

    /// The object types that have this port.
    #[must_use]
    pub fn source_types(self) -> &'static [&'static str] {
        match self {
            Self::Start => &["attack-flow"],
            Self::Effect => &["attack-action", "attack-operator"],
            Self::OnTrue | Self::OnFalse => &["attack-condition"],
            Self::Asset | Self::Command => &["attack-action"],
            Self::Object => &["attack-asset"],
        }
    }

    /// Whether a link from this port may end at an object of `target_type`.
    #[must_use]
    pub fn accepts(self, target_type: &str) -> bool {
        match self {
            Self::Start => matches!(target_type, "attack-action" | "attack-condition"),
            Self::Effect | Self::OnTrue | Self::OnFalse => matches!(
                target_type,
                "attack-action" | "attack-operator" | "attack-condition"
            ),
            Self::Asset => target_type == "attack-asset",
            Self::Command => target_type == "process",
            Self::Object => {
                !target_type.is_empty()
                    && !ATTACK_FLOW_TYPES.contains(&target_type)
                    && !NOT_ASSET_DATA.contains(&target_type)
            }
        }
    }

    /// What the port accepts, in words, for refusal messages.
    fn accepted_words(self) -> &'static str {
        match self {
            Self::Start => "an action or a condition",
            Self::Effect | Self::OnTrue | Self::OnFalse => "an action, an operator or a condition",
            Self::Asset => "an asset",
            Self::Command => "a process",
            Self::Object => "a STIX domain object or observable (not an Attack Flow object)",
        }
    }
}

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
    /// Adds a flow link from `source`'s `port` to `target`.
    Connect {
        /// The node the link leaves.
        source: String,
        /// Which link.
        port: Port,
        /// The node the link reaches.
        target: String,
    },
    /// Removes a flow link.
    Disconnect {
        /// The node the link leaves.
        source: String,
        /// Which link.
        port: Port,
        /// The node the link reaches.
        target: String,
    },
    /// Moves nodes on the canvas (their positions are saved in the file).
    MoveNodes {
        /// Each object id with its new top-left position.
        moves: Vec<(String, [f32; 2])>,
    },
    /// Moves nodes in the architecture (zones) view, whose positions are saved apart.
    MoveZoneNodes {
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

/// Whether the object carries an entry of the product's property extension.
fn uses_product_extension(object: &StixObject) -> bool {
    crate::layout::product_entry_exists(object)
}

/// Adds the MedFlow extension definition and its identity if the document lacks them.
fn declare_extension(document: &mut Document) -> Vec<Change> {
    if declares_extension(document) {
        return Vec::new();
    }
    let mut changes = Vec::new();
    for object in [product_identity(), extension_definition()] {
        if !document
            .objects
            .iter()
            .any(|known| known.id() == object.id())
        {
            changes.push(insert(document, object));
        }
    }
    changes
}

/// The flow-link properties an object holds, as (property, targets).
fn link_targets(map: &serde_json::Map<String, Value>, port: Port) -> Vec<String> {
    match map.get(port.property()) {
        Some(Value::String(target)) => vec![target.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

fn set_links(map: &mut serde_json::Map<String, Value>, port: Port, targets: Vec<String>) {
    if targets.is_empty() {
        map.shift_remove(port.property());
    } else if port.is_single() {
        if let Some(target) = targets.into_iter().next() {
            map.insert(port.property().to_owned(), Value::String(target));
        }
    } else {
        map.insert(
            port.property().to_owned(),
            Value::Array(targets.into_iter().map(Value::String).collect()),
        );
    }
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
                Some(at) => with_position(&object, at),
                None => object,
            };
            if uses_product_extension(&object) {
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
            if uses_product_extension(&object) {
                changes.extend(declare_extension(document));
            }
            let index = index_of(document, object.id())?;
            changes.push(replace(document, index, touched(object, now)));
            Ok(changes)
        }
        Command::Connect {
            source,
            port,
            target,
        } => connect(document, &source, port, &target, now),
        Command::Disconnect {
            source,
            port,
            target,
        } => disconnect(document, &source, port, &target, now),
        Command::MoveNodes { moves } => move_nodes(document, moves, View::Flow, now),
        Command::MoveZoneNodes { moves } => move_nodes(document, moves, View::Zones, now),
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
    port: Port,
    target: &str,
    now: &Timestamp,
) -> Result<Vec<Change>, EditError> {
    let index = index_of(document, source)?;
    let mut map = document.objects[index].to_json();
    let mut targets = link_targets(&map, port);
    let count = targets.len();
    targets.retain(|known| known != target);
    if targets.len() == count {
        return Err(EditError::IllegalConnection(format!(
            "{source} has no {} link to {target}",
            port.property()
        )));
    }
    set_links(&mut map, port, targets);
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
        let placed = with_position_in(&document.objects[index], at, view);
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
    port: Port,
    target: &str,
    now: &Timestamp,
) -> Result<Vec<Change>, EditError> {
    let source_index = index_of(document, source)?;
    let target_index = index_of(document, target)?;
    let source_type = document.objects[source_index].type_name().to_owned();
    let target_type = document.objects[target_index].type_name().to_owned();
    if source == target {
        return Err(EditError::IllegalConnection(
            "a node cannot link to itself".into(),
        ));
    }
    if !port.source_types().contains(&source_type.as_str()) {
        return Err(EditError::IllegalConnection(format!(
            "a {source_type} has no {} link",
            port.property()
        )));
    }
    if !port.accepts(&target_type) {
        return Err(EditError::IllegalConnection(format!(
            "{} must point at {}, not at a {target_type}",
            port.property(),
            port.accepted_words()
        )));
    }
    let mut map = document.objects[source_index].to_json();
    let mut targets = link_targets(&map, port);
    if targets.iter().any(|known| known == target) {
        return Err(EditError::IllegalConnection(format!(
            "{source} already has this {} link",
            port.property()
        )));
    }
    if port.is_single() {
        targets = vec![target.to_owned()];
    } else {
        targets.push(target.to_owned());
    }
    set_links(&mut map, port, targets);
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
        for port in Port::ALL {
            let targets = link_targets(&map, port);
            if targets.iter().any(|target| is_removed(target)) {
                let kept: Vec<String> = targets
                    .into_iter()
                    .filter(|target| !is_removed(target))
                    .collect();
                set_links(&mut map, port, kept);
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
