//! Where nodes sit on the canvas, stored in the file, and the automatic layout.
//!
//! Positions live in MedFlow Studio's own STIX **property extension**
//! ([`MEDFLOW_EXTENSION_ID`]), on the object they place:
//!
//! ```json
//! "extensions": {
//!   "extension-definition--5f1c3a2e-8d4b-4c7a-9e26-3b0d7f4a1c58": {
//!     "extension_type": "property-extension",
//!     "layout": { "x": 120.0, "y": 40.0 }
//!   }
//! }
//! ```
//!
//! A document that uses the extension also holds its `extension-definition` and the `identity`
//! that created it ([`extension_definition`], [`product_identity`]), so other STIX tools can
//! look the extension up and ignore it cleanly. The extension's JSON schema is
//! `assets/schema/medflow-extension-1.0.0.json`.

pub mod auto;
pub mod backdrop;
pub mod zones;

use serde_json::{Map, Value, json};

use crate::edit::Port;
use crate::edit::templates::ATTACK_FLOW_CREATOR_ID;
use crate::model::{Document, StixObject, Timestamp};

pub use auto::{Direction, LayoutGraph, LayoutOptions, layered_layout};

/// The id of MedFlow Studio's property extension definition (fixed; version 1.0.0).
pub const MEDFLOW_EXTENSION_ID: &str = "extension-definition--5f1c3a2e-8d4b-4c7a-9e26-3b0d7f4a1c58";

/// The id of the identity that created the extension definition: MedFlow Studio itself.
pub const MEDFLOW_IDENTITY_ID: &str = "identity--0c7b5d1e-3f4a-4e8b-9a61-2d9e8f7c6b50";

/// When the extension definition was made (fixed, so every file carries the same object).
const EXTENSION_CREATED: &str = "2026-11-22T00:00:00.000Z";

/// The extension's version.
pub const MEDFLOW_EXTENSION_VERSION: &str = "1.0.0";

/// The `extension-definition` object of MedFlow Studio's property extension.
#[must_use]
pub fn extension_definition() -> StixObject {
    let Value::Object(map) = json!({
        "type": "extension-definition",
        "spec_version": "2.1",
        "id": MEDFLOW_EXTENSION_ID,
        "created": EXTENSION_CREATED,
        "modified": EXTENSION_CREATED,
        "created_by_ref": MEDFLOW_IDENTITY_ID,
        "name": "MedFlow Studio",
        "description": "Properties MedFlow Studio adds to the objects of a flow: canvas layout, controls with their kind and responsibility (RACI), and the product's other annotations.",
        "schema": "MedFlow Studio property extension 1.0.0; JSON schema: assets/schema/medflow-extension-1.0.0.json in the MedFlow Studio repository.",
        "version": MEDFLOW_EXTENSION_VERSION,
        "extension_types": ["property-extension"],
    }) else {
        return StixObject::from_json(Map::new());
    };
    StixObject::from_json(map)
}

/// The `identity` that created the extension definition.
#[must_use]
pub fn product_identity() -> StixObject {
    let Value::Object(map) = json!({
        "type": "identity",
        "spec_version": "2.1",
        "id": MEDFLOW_IDENTITY_ID,
        "created": EXTENSION_CREATED,
        "modified": EXTENSION_CREATED,
        "name": "MedFlow Studio",
        "identity_class": "system",
    }) else {
        return StixObject::from_json(Map::new());
    };
    StixObject::from_json(map)
}

/// The `extensions` map of an object, if it has one.
fn extensions(object: &StixObject) -> Option<&Map<String, Value>> {
    match object {
        StixObject::Other(other) => other
            .properties
            .get("extensions")
            .and_then(Value::as_object),
        typed => typed.common().and_then(|common| common.extensions.as_ref()),
    }
}

/// Whether the object carries an entry of the product's extension.
#[must_use]
pub fn product_entry_exists(object: &StixObject) -> bool {
    extensions(object).is_some_and(|extensions| extensions.contains_key(MEDFLOW_EXTENSION_ID))
}

/// Property `key` of the object's entry in the product's extension, if present.
#[must_use]
pub fn product_property<'a>(object: &'a StixObject, key: &str) -> Option<&'a Value> {
    extensions(object)?.get(MEDFLOW_EXTENSION_ID)?.get(key)
}

/// The object with property `key` of its product extension entry set to `value`, or removed
/// when `value` is `None`. The `extensions` map and the entry (with its `extension_type`) are
/// made when missing; everything else is kept.
#[must_use]
pub fn with_product_property(object: &StixObject, key: &str, value: Option<Value>) -> StixObject {
    let mut map = object.to_json();
    let extensions = map
        .entry("extensions".to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    if !extensions.is_object() {
        *extensions = Value::Object(Map::new());
    }
    if let Value::Object(extensions) = extensions {
        let own = extensions
            .entry(MEDFLOW_EXTENSION_ID.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if !own.is_object() {
            *own = Value::Object(Map::new());
        }
        if let Value::Object(own) = own {
            own.insert(
                "extension_type".to_owned(),
                Value::String("property-extension".to_owned()),
            );
            match value {
                Some(value) => {
                    own.insert(key.to_owned(), value);
                }
                None => {
                    own.shift_remove(key);
                }
            }
        }
    }
    StixObject::from_json(map)
}

/// The object's saved canvas position, if it has one.
#[must_use]
pub fn position(object: &StixObject) -> Option<[f32; 2]> {
    position_in(object, View::Flow)
}

/// The two views a node is placed in, each with its own saved position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    /// The flow on its own (`layout`).
    Flow,
    /// The flow drawn across the architecture's zones (`zone_layout`).
    Zones,
}

impl View {
    /// The extension property holding positions in this view.
    #[must_use]
    pub fn property(self) -> &'static str {
        match self {
            Self::Flow => "layout",
            Self::Zones => "zone_layout",
        }
    }
}

/// The object's saved canvas position in `view`, if it has one.
#[must_use]
pub fn position_in(object: &StixObject, view: View) -> Option<[f32; 2]> {
    let layout = product_property(object, view.property())?;
    #[allow(
        clippy::cast_possible_truncation,
        reason = "canvas coordinates are well within f32"
    )]
    let coordinate = |key: &str| {
        layout
            .get(key)
            .and_then(Value::as_f64)
            .filter(|number| number.is_finite())
            .map(|number| number as f32)
    };
    Some([coordinate("x")?, coordinate("y")?])
}

/// Rounds a coordinate to a tenth of a point, as it is stored.
fn stored(coordinate: f32) -> Value {
    let rounded = (f64::from(coordinate) * 10.0).round() / 10.0;
    serde_json::Number::from_f64(if rounded.is_finite() { rounded } else { 0.0 })
        .map_or(Value::from(0), Value::Number)
}

/// The object with its canvas position set (other extension properties are kept).
#[must_use]
pub fn with_position(object: &StixObject, at: [f32; 2]) -> StixObject {
    with_position_in(object, at, View::Flow)
}

/// The object with its canvas position in `view` set (other extension properties are kept).
#[must_use]
pub fn with_position_in(object: &StixObject, at: [f32; 2], view: View) -> StixObject {
    with_product_property(
        object,
        view.property(),
        Some(json!({ "x": stored(at[0]), "y": stored(at[1]) })),
    )
}

/// True when the document already holds the extension definition and its identity.
#[must_use]
pub fn declares_extension(document: &Document) -> bool {
    let has = |id: &str| document.objects.iter().any(|object| object.id() == id);
    has(MEDFLOW_EXTENSION_ID) && has(MEDFLOW_IDENTITY_ID)
}

/// The timestamp of the extension definition (for tests and for new documents).
#[must_use]
pub fn extension_created() -> Option<Timestamp> {
    Timestamp::parse(EXTENSION_CREATED).map(|parsed| parsed.timestamp)
}

/// Types never drawn as nodes: relationships are drawn as links; the rest is bookkeeping.
const NOT_NODES: &[&str] = &[
    "relationship",
    "sighting",
    "extension-definition",
    "marking-definition",
    "language-content",
];

/// True when the object is drawn as a node on the canvas: every Attack Flow object and every
/// SDO or SCO, except the identities that only sign extension definitions, the five party
/// identities of RACI assignments, and controls (shown on their actions instead; see
/// [`is_control_node`]).
#[must_use]
pub fn is_node(object: &StixObject) -> bool {
    let type_name = object.type_name();
    !type_name.is_empty()
        && !NOT_NODES.contains(&type_name)
        && !matches!(object.id(), ATTACK_FLOW_CREATOR_ID | MEDFLOW_IDENTITY_ID)
        && !crate::control::is_party(object)
        && !crate::control::is_control(object)
}

/// True for a control, which the canvas draws as a node only when asked to.
#[must_use]
pub fn is_control_node(object: &StixObject) -> bool {
    crate::control::is_control(object)
}

/// What a link on the canvas means.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// A flow property link (`start_refs`, `effect_refs`, `on_true_refs`, …).
    Flow(Port),
    /// A STIX `relationship` object of this `relationship_type`, with its id.
    Relationship {
        /// The relationship's id.
        id: String,
        /// Its `relationship_type`.
        relationship_type: String,
    },
}

/// One link between two nodes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Link {
    /// The node the link leaves.
    pub source: String,
    /// The node it reaches.
    pub target: String,
    /// What it means.
    pub kind: LinkKind,
}

/// Every link between nodes, in document order: flow properties first per object, then
/// relationships. Links to objects that are not nodes (or not in the document) are left out.
#[must_use]
pub fn links(document: &Document) -> Vec<Link> {
    let nodes: std::collections::HashSet<&str> = document
        .objects
        .iter()
        .filter(|object| is_node(object))
        .map(StixObject::id)
        .collect();
    let mut links = Vec::new();
    for object in &document.objects {
        if object.type_name() == "relationship" {
            let map = object.to_json();
            let text = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_owned);
            if let (Some(source), Some(target)) = (text("source_ref"), text("target_ref"))
                && nodes.contains(source.as_str())
                && nodes.contains(target.as_str())
            {
                links.push(Link {
                    source,
                    target,
                    kind: LinkKind::Relationship {
                        id: object.id().to_owned(),
                        relationship_type: text("relationship_type").unwrap_or_default(),
                    },
                });
            }
            continue;
        }
        if !is_node(object) {
            continue;
        }
        let map = object.to_json();
        for port in Port::ALL {
            if !port.source_types().contains(&object.type_name()) {
                continue;
            }
            let targets: Vec<&str> = match map.get(port.property()) {
                Some(Value::String(target)) => vec![target.as_str()],
                Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            for target in targets {
                if nodes.contains(target) {
                    links.push(Link {
                        source: object.id().to_owned(),
                        target: target.to_owned(),
                        kind: LinkKind::Flow(port),
                    });
                }
            }
        }
    }
    links
}

/// A deterministic layered layout of every node, left to right: `(id, top-left position)`.
/// `links` are the document's [`links`]; `size` gives each node's size in points.
#[must_use]
pub fn auto_layout(
    document: &Document,
    links: &[Link],
    size: &dyn Fn(&StixObject) -> [f32; 2],
    options: &LayoutOptions,
) -> Vec<(String, [f32; 2])> {
    let nodes: Vec<&StixObject> = document
        .objects
        .iter()
        .filter(|object| is_node(object))
        .collect();
    let index: std::collections::HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(at, object)| (object.id(), at))
        .collect();
    let graph = LayoutGraph {
        sizes: nodes.iter().map(|object| size(object)).collect(),
        edges: links
            .iter()
            .filter_map(|link| {
                Some((
                    *index.get(link.source.as_str())?,
                    *index.get(link.target.as_str())?,
                ))
            })
            .collect(),
    };
    layered_layout(&graph, options)
        .into_iter()
        .zip(nodes)
        .map(|(at, object)| (object.id().to_owned(), at))
        .collect()
}

/// True when some node has no saved position, so the automatic layout is needed to place it.
#[must_use]
pub fn needs_automatic_layout(document: &Document) -> bool {
    document
        .objects
        .iter()
        .filter(|object| is_node(object))
        .any(|object| position(object).is_none())
}

/// Every node's position: its saved one, else its place in `automatic` (an [`auto_layout`]
/// of the document), else the origin.
#[must_use]
pub fn node_positions<S: std::hash::BuildHasher>(
    document: &Document,
    automatic: &std::collections::HashMap<String, [f32; 2], S>,
) -> Vec<(String, [f32; 2])> {
    document
        .objects
        .iter()
        .filter(|object| is_node(object))
        .map(|object| {
            let at = position(object)
                .or_else(|| automatic.get(object.id()).copied())
                .unwrap_or([0.0, 0.0]);
            (object.id().to_owned(), at)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AttackAction;

    #[test]
    fn positions_round_trip_through_the_extension() {
        let action = StixObject::AttackAction(AttackAction {
            name: Some("Step".to_owned()),
            ..AttackAction::default()
        });
        assert_eq!(position(&action), None);
        let placed = with_position(&action, [120.04, -33.36]);
        assert_eq!(position(&placed), Some([120.0, -33.4]));
        let moved = with_position(&placed, [1.0, 2.0]);
        assert_eq!(position(&moved), Some([1.0, 2.0]));
        let extensions = moved.common().and_then(|common| common.extensions.clone());
        assert_eq!(
            extensions.and_then(|map| map.get(MEDFLOW_EXTENSION_ID).cloned()),
            Some(json!({"extension_type": "property-extension", "layout": {"x": 1.0, "y": 2.0}}))
        );
    }

    #[test]
    fn a_new_flow_lays_out_left_to_right() {
        let now = Timestamp::from_unix_millis(0);
        let mut counter = 0;
        let document = crate::edit::new_flow_document(
            "Flow",
            &mut |type_name: &str| {
                counter += 1;
                format!("{type_name}--00000000-0000-4000-8000-{counter:012}")
            },
            &now,
        );
        let nodes: Vec<&str> = document
            .objects
            .iter()
            .filter(|object| is_node(object))
            .map(StixObject::type_name)
            .collect();
        assert_eq!(nodes, ["attack-flow", "attack-action"]);
        let found = links(&document);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, LinkKind::Flow(Port::Start));
        assert!(needs_automatic_layout(&document));
        let automatic: std::collections::HashMap<String, [f32; 2]> = auto_layout(
            &document,
            &found,
            &|_| [200.0, 100.0],
            &LayoutOptions::default(),
        )
        .into_iter()
        .collect();
        let placed = node_positions(&document, &automatic);
        assert!(placed[0].1[0] < placed[1].1[0], "{placed:?}");
    }
}
