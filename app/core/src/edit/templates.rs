//! New documents and new objects, as the editor creates them: valid from the start.

use serde_json::{Value, json};

use crate::model::{ATTACK_FLOW_EXTENSION_ID, Document, StixObject, Timestamp};

/// The identity that created the Attack Flow extension definition (MITRE's Center for
/// Threat-Informed Defense), as every Attack Flow file references it.
pub const ATTACK_FLOW_CREATOR_ID: &str = "identity--fb9c968a-745b-4ade-9b25-c324172197f4";
/// When the Attack Flow extension definition was published.
const ATTACK_FLOW_EXTENSION_CREATED: &str = "2022-08-02T19:34:35.143Z";
/// The URL of the official Attack Flow 2.0 schema (an identifier; never fetched).
const ATTACK_FLOW_SCHEMA_URL: &str = "https://center-for-threat-informed-defense.github.io/attack-flow/stix/attack-flow-schema-2.0.0.json";

/// The name of a new action, until the author (or a chosen technique) gives it one.
pub const NEW_ACTION_NAME: &str = "New action";

/// The kinds of object the editor can add.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NewObject {
    /// `attack-action`.
    Action,
    /// `attack-asset`.
    Asset,
    /// `attack-condition`.
    Condition,
    /// `attack-operator` with AND.
    And,
    /// `attack-operator` with OR.
    Or,
    /// A STIX object of this type (SDO or SCO), with its required properties filled in.
    Stix(&'static str),
}

/// The STIX types the editor offers besides the Attack Flow ones.
pub const STIX_TYPES: &[&str] = &[
    "infrastructure",
    "vulnerability",
    "tool",
    "malware",
    "threat-actor",
    "identity",
    "course-of-action",
    "note",
    "process",
    "file",
    "ipv4-addr",
    "domain-name",
    "url",
    "user-account",
    "software",
];

impl NewObject {
    /// The STIX type created.
    #[must_use]
    pub fn type_name(self) -> &'static str {
        match self {
            Self::Action => "attack-action",
            Self::Asset => "attack-asset",
            Self::Condition => "attack-condition",
            Self::And | Self::Or => "attack-operator",
            Self::Stix(type_name) => type_name,
        }
    }

    /// The label shown in menus.
    #[must_use]
    pub fn label(self) -> String {
        match self {
            Self::Action => "Action".to_owned(),
            Self::Asset => "Asset".to_owned(),
            Self::Condition => "Condition".to_owned(),
            Self::And => "AND operator".to_owned(),
            Self::Or => "OR operator".to_owned(),
            Self::Stix(type_name) => type_name.to_owned(),
        }
    }
}

fn attack_flow_extension() -> Value {
    json!({ ATTACK_FLOW_EXTENSION_ID: { "extension_type": "new-sdo" } })
}

/// A new object of `kind` with id `id`, created `now`.
#[must_use]
pub fn new_object(kind: NewObject, id: &str, now: &Timestamp) -> StixObject {
    let now = now.to_string();
    let mut value = match kind {
        NewObject::Action => json!({"name": NEW_ACTION_NAME}),
        NewObject::Asset => json!({"name": "New asset"}),
        NewObject::Condition => json!({"description": "New condition"}),
        NewObject::And => json!({"operator": "AND"}),
        NewObject::Or => json!({"operator": "OR"}),
        NewObject::Stix(type_name) => match type_name {
            "malware" => json!({"name": "New malware", "is_family": false}),
            // The app points `object_refs` at what the note is about (STIX requires one).
            "note" => json!({"content": "New note"}),
            "identity" => json!({"name": "New identity", "identity_class": "organization"}),
            "process" => json!({"command_line": ""}),
            "file" => json!({"name": "new-file"}),
            "ipv4-addr" => json!({"value": "192.0.2.1"}),
            "domain-name" => json!({"value": "example.invalid"}),
            "url" => json!({"value": "https://example.invalid/"}),
            "user-account" => json!({"user_id": "new-user"}),
            other => json!({"name": format!("New {other}")}),
        },
    };
    let type_name = kind.type_name();
    let is_observable = crate::stix::vocabulary::is_cyber_observable_type(type_name);
    if let Value::Object(map) = &mut value {
        map.insert("type".into(), type_name.into());
        map.insert("spec_version".into(), "2.1".into());
        map.insert("id".into(), id.into());
        if !is_observable {
            map.insert("created".into(), now.clone().into());
            map.insert("modified".into(), now.into());
        }
        if type_name.starts_with("attack-") {
            map.insert("extensions".into(), attack_flow_extension());
        }
    }
    StixObject::from_value(value)
}

/// A new `relationship` of `relationship_type` from `source` to `target`, with id `id`,
/// created `now`.
#[must_use]
pub fn new_relationship(
    id: &str,
    relationship_type: &str,
    source: &str,
    target: &str,
    now: &Timestamp,
) -> StixObject {
    let now = now.to_string();
    StixObject::from_value(json!({
        "type": "relationship",
        "spec_version": "2.1",
        "id": id,
        "created": now,
        "modified": now,
        "relationship_type": relationship_type,
        "source_ref": source,
        "target_ref": target,
    }))
}

/// A new flow document: the Attack Flow extension definition and its creator, a flow object
/// named `name`, and one action it starts with. `new_id(type)` gives each object's id.
#[must_use]
pub fn new_flow_document(
    name: &str,
    new_id: &mut dyn FnMut(&str) -> String,
    now: &Timestamp,
) -> Document {
    let flow_id = new_id("attack-flow");
    let action_id = new_id("attack-action");
    let stamp = now.to_string();
    let objects = vec![
        StixObject::from_value(json!({
            "type": "extension-definition",
            "spec_version": "2.1",
            "id": ATTACK_FLOW_EXTENSION_ID,
            "created": ATTACK_FLOW_EXTENSION_CREATED,
            "modified": ATTACK_FLOW_EXTENSION_CREATED,
            "created_by_ref": ATTACK_FLOW_CREATOR_ID,
            "name": "Attack Flow",
            "description": "The Attack Flow 2.0 language: flows, actions, assets, conditions and operators.",
            "schema": ATTACK_FLOW_SCHEMA_URL,
            "version": "2.0.0",
            "extension_types": ["new-sdo"],
        })),
        StixObject::from_value(json!({
            "type": "identity",
            "spec_version": "2.1",
            "id": ATTACK_FLOW_CREATOR_ID,
            "created": ATTACK_FLOW_EXTENSION_CREATED,
            "modified": ATTACK_FLOW_EXTENSION_CREATED,
            "name": "MITRE Engenuity Center for Threat-Informed Defense",
            "identity_class": "organization",
        })),
        StixObject::from_value(json!({
            "type": "attack-flow",
            "spec_version": "2.1",
            "id": flow_id,
            "created": stamp,
            "modified": stamp,
            "name": name,
            "scope": "incident",
            "start_refs": [action_id],
            "extensions": attack_flow_extension(),
        })),
        new_object(NewObject::Action, &action_id, now),
    ];
    Document {
        bundle_id: new_id("bundle"),
        objects,
    }
}
