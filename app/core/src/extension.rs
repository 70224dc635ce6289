//! MedFlow Studio's own STIX **property extension**: its id, its definition and the identity
//! that made it, the entries it holds on an object, and the one rule for declaring it.
//!
//! Everything the product adds to a STIX object lives in one entry of the object's
//! `extensions` map, under [`MEDFLOW_EXTENSION_ID`]:
//!
//! ```json
//! "extensions": {
//!   "extension-definition--5f1c3a2e-8d4b-4c7a-9e26-3b0d7f4a1c58": {
//!     "extension_type": "property-extension",
//!     "layout": { "x": 120.0, "y": 40.0 },
//!     "control": { "kind": "prevent", … }
//!   }
//! }
//! ```
//!
//! Each property of that entry is one [`Entry`]: where the node sits in each [`View`], what
//! a control is, an architecture's parts, a profile. A document that uses the extension also
//! holds its `extension-definition` and the `identity` that created it ([`definition`],
//! [`identity`]), so other STIX tools can look the extension up and ignore it cleanly; every
//! writer adds what is missing with [`missing_declarations`]. The extension's JSON schema is
//! `assets/schema/medflow-extension-1.0.0.json`.

use serde_json::{Map, Value, json};

use crate::model::{Document, StixObject, Timestamp};

/// The id of MedFlow Studio's property extension definition (fixed; version 1.0.0).
pub const MEDFLOW_EXTENSION_ID: &str = "extension-definition--5f1c3a2e-8d4b-4c7a-9e26-3b0d7f4a1c58";

/// The id of the identity that created the extension definition: MedFlow Studio itself.
pub const MEDFLOW_IDENTITY_ID: &str = "identity--0c7b5d1e-3f4a-4e8b-9a61-2d9e8f7c6b50";

/// The extension's version.
pub const MEDFLOW_EXTENSION_VERSION: &str = "1.0.0";

/// When the extension definition was made (fixed, so every file carries the same object).
const EXTENSION_CREATED: &str = "2026-11-22T00:00:00.000Z";

/// The properties of the product's entry on an object, one per thing the product records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entry {
    /// Where the node sits in the flow view (`layout`: `x`, `y`).
    Layout,
    /// Where the node sits in the architecture view (`zone_layout`: `x`, `y`).
    ZoneLayout,
    /// What a control is: kind, FDA category, RACI (`control`).
    Control,
    /// What part of an architecture an object is (`architecture`).
    Architecture,
    /// An architecture profile (`profile`).
    Profile,
    /// A flow's origin and category (`flow`, on the attack-flow).
    Flow,
    /// An action's patient-safety impact (`impact`).
    Impact,
    /// A condition that is an entry or exit pivot (`pivot`).
    Pivot,
    /// A use case: the ordered flows of a grouping (`use_case`).
    UseCase,
}

impl Entry {
    /// Every entry.
    pub const ALL: [Entry; 9] = [
        Self::Layout,
        Self::ZoneLayout,
        Self::Control,
        Self::Architecture,
        Self::Profile,
        Self::Flow,
        Self::Impact,
        Self::Pivot,
        Self::UseCase,
    ];

    /// The property name in the extension's entry.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Layout => "layout",
            Self::ZoneLayout => "zone_layout",
            Self::Control => "control",
            Self::Architecture => "architecture",
            Self::Profile => "profile",
            Self::Flow => "flow",
            Self::Impact => "impact",
            Self::Pivot => "pivot",
            Self::UseCase => "use_case",
        }
    }
}

/// The `extension-definition` object of MedFlow Studio's property extension.
#[must_use]
pub fn definition() -> StixObject {
    StixObject::from_value(json!({
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
    }))
}

/// The `identity` that created the extension definition.
#[must_use]
pub fn identity() -> StixObject {
    StixObject::from_value(json!({
        "type": "identity",
        "spec_version": "2.1",
        "id": MEDFLOW_IDENTITY_ID,
        "created": EXTENSION_CREATED,
        "modified": EXTENSION_CREATED,
        "name": "MedFlow Studio",
        "identity_class": "system",
    }))
}

/// The timestamp of the extension definition (for tests and for new documents).
#[must_use]
pub fn created() -> Option<Timestamp> {
    Timestamp::parse(EXTENSION_CREATED).map(|parsed| parsed.timestamp)
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

/// Whether the object carries the product's entry (whatever it holds).
#[must_use]
pub fn is_used_by(object: &StixObject) -> bool {
    extensions(object).is_some_and(|extensions| extensions.contains_key(MEDFLOW_EXTENSION_ID))
}

/// The value of `entry` on the object, if present.
#[must_use]
pub fn entry(object: &StixObject, entry: Entry) -> Option<&Value> {
    extensions(object)?
        .get(MEDFLOW_EXTENSION_ID)?
        .get(entry.key())
}

/// The value of `entry` on the object when it is a JSON object.
#[must_use]
pub fn entry_object(object: &StixObject, entry: Entry) -> Option<&Map<String, Value>> {
    self::entry(object, entry)?.as_object()
}

/// The object with `entry` set to `value`, or removed when `value` is `None`. The
/// `extensions` map and the product's entry (with its `extension_type`) are made when
/// missing; everything else is kept.
#[must_use]
pub fn with_entry(object: &StixObject, entry: Entry, value: Option<Value>) -> StixObject {
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
                    own.insert(entry.key().to_owned(), value);
                }
                None => {
                    own.shift_remove(entry.key());
                }
            }
        }
    }
    StixObject::from_json(map)
}

/// The `extensions` value of a new object carrying `entry` only.
#[must_use]
pub fn extensions_with(entry: Entry, value: Value) -> Value {
    let mut own = Map::new();
    own.insert("extension_type".into(), "property-extension".into());
    own.insert(entry.key().into(), value);
    let mut extensions = Map::new();
    extensions.insert(MEDFLOW_EXTENSION_ID.into(), Value::Object(own));
    Value::Object(extensions)
}

/// True when the document already holds the extension definition and its identity.
#[must_use]
pub fn is_declared(document: &Document) -> bool {
    missing_declarations(document).is_empty()
}

/// The objects a document that uses the extension must hold and `document` lacks: the
/// product's identity, then the extension definition. Every writer adds these (the edit
/// executor, new profiles), so a saved file always declares what it uses.
#[must_use]
pub fn missing_declarations(document: &Document) -> Vec<StixObject> {
    let has = |id: &str| document.objects.iter().any(|object| object.id() == id);
    [
        (MEDFLOW_IDENTITY_ID, identity as fn() -> StixObject),
        (MEDFLOW_EXTENSION_ID, definition),
    ]
    .into_iter()
    .filter(|(id, _)| !has(id))
    .map(|(_, make)| make())
    .collect()
}

/// The two views a node is placed in, each with its own saved position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    /// The flow on its own ([`Entry::Layout`]).
    Flow,
    /// The flow drawn across the architecture's zones ([`Entry::ZoneLayout`]).
    Zones,
}

impl View {
    /// The entry holding positions in this view.
    #[must_use]
    pub fn entry(self) -> Entry {
        match self {
            Self::Flow => Entry::Layout,
            Self::Zones => Entry::ZoneLayout,
        }
    }
}

/// The object's saved canvas position in `view`, if it has one.
#[must_use]
pub fn position(object: &StixObject, view: View) -> Option<[f32; 2]> {
    let layout = entry(object, view.entry())?;
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

/// The object with its canvas position in `view` set (other entries are kept).
#[must_use]
pub fn with_position(object: &StixObject, view: View, at: [f32; 2]) -> StixObject {
    with_entry(
        object,
        view.entry(),
        Some(json!({ "x": stored(at[0]), "y": stored(at[1]) })),
    )
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
        assert_eq!(position(&action, View::Flow), None);
        let placed = with_position(&action, View::Flow, [120.04, -33.36]);
        assert_eq!(position(&placed, View::Flow), Some([120.0, -33.4]));
        let moved = with_position(&placed, View::Flow, [1.0, 2.0]);
        assert_eq!(position(&moved, View::Flow), Some([1.0, 2.0]));
        assert_eq!(position(&moved, View::Zones), None, "each view its own");
        let extensions = moved.common().and_then(|common| common.extensions.clone());
        assert_eq!(
            extensions.and_then(|map| map.get(MEDFLOW_EXTENSION_ID).cloned()),
            Some(json!({"extension_type": "property-extension", "layout": {"x": 1.0, "y": 2.0}}))
        );
    }

    #[test]
    fn entries_are_read_and_written_by_their_key() {
        let action = StixObject::AttackAction(AttackAction::default());
        assert!(!is_used_by(&action));
        let marked = with_entry(&action, Entry::Control, Some(json!({"kind": "detect"})));
        assert!(is_used_by(&marked));
        assert_eq!(
            entry_object(&marked, Entry::Control).and_then(|entry| entry.get("kind")),
            Some(&json!("detect"))
        );
        let cleared = with_entry(&marked, Entry::Control, None);
        assert_eq!(entry(&cleared, Entry::Control), None);
        assert!(is_used_by(&cleared), "the entry itself stays, empty");
        let keys: Vec<&str> = Entry::ALL.into_iter().map(Entry::key).collect();
        assert_eq!(
            keys,
            [
                "layout",
                "zone_layout",
                "control",
                "architecture",
                "profile",
                "flow",
                "impact",
                "pivot",
                "use_case"
            ]
        );
    }

    #[test]
    fn the_declaration_is_what_a_document_lacks() {
        let mut document = Document::default();
        let missing: Vec<String> = missing_declarations(&document)
            .iter()
            .map(|object| object.id().to_owned())
            .collect();
        assert_eq!(missing, [MEDFLOW_IDENTITY_ID, MEDFLOW_EXTENSION_ID]);
        document.objects.push(identity());
        assert!(!is_declared(&document));
        let missing = missing_declarations(&document);
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].id(), MEDFLOW_EXTENSION_ID);
        document.objects.extend(missing);
        assert!(is_declared(&document));
        assert!(missing_declarations(&document).is_empty());
    }
}
