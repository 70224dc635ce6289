//! The document model: one STIX 2.1 bundle holding one Attack Flow.
//!
//! A [`Document`] is an ordered list of [`StixObject`]s. The five Attack Flow types are typed
//! structs; every other object (SDOs, SCOs, relationships, sightings, extension and marking
//! definitions, custom types) is an [`OtherObject`], an ordered JSON object kept verbatim.
//! Nothing a file contained is dropped: unknown properties live in each object's extra map.

pub mod attack_flow;
pub mod common;
mod fields;
pub mod id;
pub mod references;
pub mod timestamp;

use serde_json::{Map, Value};

pub use attack_flow::{
    ATTACK_FLOW_EXTENSION_ID, AttackAction, AttackAsset, AttackCondition, AttackFlow,
    AttackOperator, Operator, Scope,
};
pub use common::{Common, ExternalReference};
pub use fields::{Properties, PropertyRef};
pub use references::{Reference, ReferenceIndex};
pub use timestamp::Timestamp;

/// A STIX bundle holding an Attack Flow: the persistent document the editor edits.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// The bundle's id, `bundle--UUID`.
    pub bundle_id: String,
    /// The objects, in the order they were read or added.
    pub objects: Vec<StixObject>,
}

impl Document {
    /// The `attack-flow` object (the first one, if a faulty bundle has several).
    #[must_use]
    pub fn flow(&self) -> Option<&AttackFlow> {
        self.objects.iter().find_map(|object| match object {
            StixObject::AttackFlow(flow) => Some(flow),
            _ => None,
        })
    }

    /// The first object with this id.
    #[must_use]
    pub fn object(&self, id: &str) -> Option<&StixObject> {
        self.objects.iter().find(|object| object.id() == id)
    }

    /// The first object of this STIX type (`attack-action`, …).
    #[must_use]
    pub fn first_of_type(&self, type_name: &str) -> Option<&StixObject> {
        self.objects
            .iter()
            .find(|object| object.type_name() == type_name)
    }

    /// Builds the index of references between the objects.
    #[must_use]
    pub fn references(&self) -> ReferenceIndex<'_> {
        ReferenceIndex::build(self)
    }
}

/// One object of a bundle.
#[derive(Debug, Clone, PartialEq)]
pub enum StixObject {
    /// `attack-flow`.
    AttackFlow(AttackFlow),
    /// `attack-action`.
    AttackAction(AttackAction),
    /// `attack-asset`.
    AttackAsset(AttackAsset),
    /// `attack-condition`.
    AttackCondition(AttackCondition),
    /// `attack-operator`.
    AttackOperator(AttackOperator),
    /// Any other STIX object, kept as an ordered JSON object.
    Other(OtherObject),
}

impl StixObject {
    /// Builds the typed object for a JSON object, choosing the type by its `type` property.
    #[must_use]
    pub fn from_json(map: Map<String, Value>) -> Self {
        match map.get("type").and_then(Value::as_str) {
            Some("attack-flow") => Self::AttackFlow(AttackFlow::from_json(map)),
            Some("attack-action") => Self::AttackAction(AttackAction::from_json(map)),
            Some("attack-asset") => Self::AttackAsset(AttackAsset::from_json(map)),
            Some("attack-condition") => Self::AttackCondition(AttackCondition::from_json(map)),
            Some("attack-operator") => Self::AttackOperator(AttackOperator::from_json(map)),
            _ => Self::Other(OtherObject { properties: map }),
        }
    }

    /// The object a JSON value describes; a value that is not a JSON object gives an empty
    /// object (one with no type or id), which validation reports.
    #[must_use]
    pub fn from_value(value: Value) -> Self {
        match value {
            Value::Object(map) => Self::from_json(map),
            _ => Self::from_json(Map::new()),
        }
    }

    /// The object's properties as borrowed `(name, value)` pairs, without building JSON.
    #[must_use]
    pub fn properties(&self) -> Properties<'_> {
        match self {
            Self::AttackFlow(flow) => flow.properties(),
            Self::AttackAction(action) => action.properties(),
            Self::AttackAsset(asset) => asset.properties(),
            Self::AttackCondition(condition) => condition.properties(),
            Self::AttackOperator(operator) => operator.properties(),
            Self::Other(other) => other
                .properties
                .iter()
                .map(|(key, value)| (key.as_str(), PropertyRef::Json(value)))
                .collect(),
        }
    }

    /// The object as a JSON object, with every property it holds.
    #[must_use]
    pub fn to_json(&self) -> Map<String, Value> {
        match self {
            Self::AttackFlow(flow) => flow.to_json(),
            Self::AttackAction(action) => action.to_json(),
            Self::AttackAsset(asset) => asset.to_json(),
            Self::AttackCondition(condition) => condition.to_json(),
            Self::AttackOperator(operator) => operator.to_json(),
            Self::Other(other) => other.properties.clone(),
        }
    }

    /// The object's `id`, or `""` when it has none.
    #[must_use]
    pub fn id(&self) -> &str {
        match self.common() {
            Some(common) => &common.id,
            None => match self {
                Self::Other(other) => other.id(),
                _ => "",
            },
        }
    }

    /// The object's `type`, or `""` when it has none.
    #[must_use]
    pub fn type_name(&self) -> &str {
        match self {
            Self::AttackFlow(_) => "attack-flow",
            Self::AttackAction(_) => "attack-action",
            Self::AttackAsset(_) => "attack-asset",
            Self::AttackCondition(_) => "attack-condition",
            Self::AttackOperator(_) => "attack-operator",
            Self::Other(other) => other.type_name(),
        }
    }

    /// The typed common properties of an Attack Flow object (`None` for other objects).
    #[must_use]
    pub fn common(&self) -> Option<&Common> {
        match self {
            Self::AttackFlow(flow) => Some(&flow.common),
            Self::AttackAction(action) => Some(&action.common),
            Self::AttackAsset(asset) => Some(&asset.common),
            Self::AttackCondition(condition) => Some(&condition.common),
            Self::AttackOperator(operator) => Some(&operator.common),
            Self::Other(_) => None,
        }
    }

    /// True for the five Attack Flow types.
    #[must_use]
    pub fn is_attack_flow_type(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

/// A STIX object the product has no typed model for, kept verbatim in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OtherObject {
    /// Every property, as read.
    pub properties: Map<String, Value>,
}

impl OtherObject {
    /// The `id`, or `""`.
    #[must_use]
    pub fn id(&self) -> &str {
        self.properties
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// The `type`, or `""`.
    #[must_use]
    pub fn type_name(&self) -> &str {
        self.properties
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// A string property.
    #[must_use]
    pub fn string(&self, key: &str) -> Option<&str> {
        self.properties.get(key).and_then(Value::as_str)
    }
}
