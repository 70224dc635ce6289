//! The five Attack Flow 2.0 object types, typed, with every property of the language.
//!
//! Each type keeps the STIX common properties in [`Common`] and anything else (unknown
//! properties, or known ones whose value had the wrong shape) in [`Common::extra`].

use serde_json::{Map, Value};

use super::common::Common;
use super::fields::{
    Collector, Properties, put_enum, put_string, put_strings, put_timestamp, to_map,
};
use super::timestamp::Timestamp;

/// The id of the Attack Flow 2.0 extension definition.
pub const ATTACK_FLOW_EXTENSION_ID: &str =
    "extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4";

/// The five Attack Flow object type names.
pub const ATTACK_FLOW_TYPES: &[&str] = &[
    "attack-flow",
    "attack-action",
    "attack-asset",
    "attack-condition",
    "attack-operator",
];

/// What kind of behaviour a flow describes (`scope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// A specific incident.
    Incident,
    /// A campaign.
    Campaign,
    /// The behaviour of a threat actor.
    ThreatActor,
    /// The behaviour of a piece of malware.
    Malware,
    /// An adversary emulation plan.
    EmulationPlan,
    /// An attack tree.
    AttackTree,
    /// Anything else.
    Other,
}

impl Scope {
    /// Every scope, in the order of the Attack Flow specification.
    pub const ALL: [Scope; 7] = [
        Self::Incident,
        Self::Campaign,
        Self::ThreatActor,
        Self::Malware,
        Self::EmulationPlan,
        Self::AttackTree,
        Self::Other,
    ];

    /// The value as written in files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Incident => "incident",
            Self::Campaign => "campaign",
            Self::ThreatActor => "threat-actor",
            Self::Malware => "malware",
            Self::EmulationPlan => "emulation-plan",
            Self::AttackTree => "attack-tree",
            Self::Other => "other",
        }
    }

    /// Parses the file value.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scope| scope.as_str() == text)
    }
}

/// The boolean logic of an operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    /// All inputs must hold.
    And,
    /// Any input suffices.
    Or,
}

impl Operator {
    /// The value as written in files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::And => "AND",
            Self::Or => "OR",
        }
    }

    /// Parses the file value.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "AND" => Some(Self::And),
            "OR" => Some(Self::Or),
            _ => None,
        }
    }
}

/// `attack-flow`: the flow's metadata and starting points.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttackFlow {
    /// Common STIX properties and extra properties.
    pub common: Common,
    /// `name` (required).
    pub name: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `scope` (required).
    pub scope: Option<Scope>,
    /// `start_refs` (required): actions and conditions that start the flow.
    pub start_refs: Option<Vec<String>>,
}

/// `attack-action`: the execution of one technique.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttackAction {
    /// Common STIX properties and extra properties.
    pub common: Common,
    /// `name` (required).
    pub name: Option<String>,
    /// `tactic_id`, e.g. `TA0001`.
    pub tactic_id: Option<String>,
    /// `tactic_ref`: the tactic's STIX object.
    pub tactic_ref: Option<String>,
    /// `technique_id`, e.g. `T1078`.
    pub technique_id: Option<String>,
    /// `technique_ref`: the technique's `attack-pattern`.
    pub technique_ref: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `execution_start`.
    pub execution_start: Option<Timestamp>,
    /// `execution_end`.
    pub execution_end: Option<Timestamp>,
    /// `command_ref`: a `process` object.
    pub command_ref: Option<String>,
    /// `asset_refs`: the assets involved.
    pub asset_refs: Option<Vec<String>>,
    /// `effect_refs`: what follows this action.
    pub effect_refs: Option<Vec<String>>,
}

/// `attack-asset`: the subject or target of actions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttackAsset {
    /// Common STIX properties and extra properties.
    pub common: Common,
    /// `name` (required).
    pub name: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `object_ref`: any SDO or SCO with structured data about the asset.
    pub object_ref: Option<String>,
}

/// `attack-condition`: a state that may hold, splitting the flow on true and false.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttackCondition {
    /// Common STIX properties and extra properties.
    pub common: Common,
    /// `description` (required): the condition evaluated.
    pub description: Option<String>,
    /// `pattern` (experimental).
    pub pattern: Option<String>,
    /// `pattern_type` (experimental).
    pub pattern_type: Option<String>,
    /// `pattern_version` (experimental).
    pub pattern_version: Option<String>,
    /// `on_true_refs`: where the flow goes when the condition holds.
    pub on_true_refs: Option<Vec<String>>,
    /// `on_false_refs`: where the flow goes when it does not.
    pub on_false_refs: Option<Vec<String>>,
}

/// `attack-operator`: joins paths with AND or OR.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AttackOperator {
    /// Common STIX properties and extra properties.
    pub common: Common,
    /// `operator` (required).
    pub operator: Option<Operator>,
    /// `effect_refs`: what follows when the operator holds.
    pub effect_refs: Option<Vec<String>>,
}

/// The properties each Attack Flow type defines beyond the common ones, for validation.
#[must_use]
pub fn own_properties(type_name: &str) -> &'static [&'static str] {
    match type_name {
        "attack-flow" => &["name", "description", "scope", "start_refs"],
        "attack-action" => &[
            "name",
            "tactic_id",
            "tactic_ref",
            "technique_id",
            "technique_ref",
            "description",
            "execution_start",
            "execution_end",
            "command_ref",
            "asset_refs",
            "effect_refs",
        ],
        "attack-asset" => &["name", "description", "object_ref"],
        "attack-condition" => &[
            "description",
            "pattern",
            "pattern_type",
            "pattern_version",
            "on_true_refs",
            "on_false_refs",
        ],
        "attack-operator" => &["operator", "effect_refs"],
        _ => &[],
    }
}

/// The Attack Flow properties a type requires beyond the STIX common ones.
#[must_use]
pub fn required_properties(type_name: &str) -> &'static [&'static str] {
    match type_name {
        "attack-flow" => &["name", "start_refs", "scope"],
        "attack-action" | "attack-asset" => &["name"],
        "attack-condition" => &["description"],
        "attack-operator" => &["operator"],
        _ => &[],
    }
}

impl AttackFlow {
    pub(crate) fn from_json(map: Map<String, Value>) -> Self {
        let mut flow = Self::default();
        for (key, value) in map {
            let leftover = match key.as_str() {
                "name" => put_string(&mut flow.name, value),
                "description" => put_string(&mut flow.description, value),
                "scope" => put_enum(&mut flow.scope, value, Scope::parse),
                "start_refs" => put_strings(&mut flow.start_refs, value),
                _ => flow.common.put(&key, value),
            };
            flow.common.keep_extra(key, leftover);
        }
        flow
    }

    /// The object's properties, typed ones first, then the extra ones in file order.
    pub(crate) fn properties(&self) -> Properties<'_> {
        let mut out = Vec::with_capacity(16 + self.common.extra.len());
        self.common.collect("attack-flow", &mut out);
        Collector::new(&mut out)
            .string("name", self.name.as_ref())
            .string("description", self.description.as_ref())
            .text("scope", self.scope.map(Scope::as_str))
            .strings("start_refs", self.start_refs.as_ref())
            .extra(&self.common.extra);
        out
    }

    pub(crate) fn to_json(&self) -> Map<String, Value> {
        to_map(&self.properties())
    }
}

impl AttackAction {
    pub(crate) fn from_json(map: Map<String, Value>) -> Self {
        let mut action = Self::default();
        for (key, value) in map {
            let leftover = match key.as_str() {
                "name" => put_string(&mut action.name, value),
                "tactic_id" => put_string(&mut action.tactic_id, value),
                "tactic_ref" => put_string(&mut action.tactic_ref, value),
                "technique_id" => put_string(&mut action.technique_id, value),
                "technique_ref" => put_string(&mut action.technique_ref, value),
                "description" => put_string(&mut action.description, value),
                "execution_start" => put_timestamp(&mut action.execution_start, value),
                "execution_end" => put_timestamp(&mut action.execution_end, value),
                "command_ref" => put_string(&mut action.command_ref, value),
                "asset_refs" => put_strings(&mut action.asset_refs, value),
                "effect_refs" => put_strings(&mut action.effect_refs, value),
                _ => action.common.put(&key, value),
            };
            action.common.keep_extra(key, leftover);
        }
        action
    }

    /// The object's properties, typed ones first, then the extra ones in file order.
    pub(crate) fn properties(&self) -> Properties<'_> {
        let mut out = Vec::with_capacity(16 + self.common.extra.len());
        self.common.collect("attack-action", &mut out);
        Collector::new(&mut out)
            .string("name", self.name.as_ref())
            .string("tactic_id", self.tactic_id.as_ref())
            .string("tactic_ref", self.tactic_ref.as_ref())
            .string("technique_id", self.technique_id.as_ref())
            .string("technique_ref", self.technique_ref.as_ref())
            .string("description", self.description.as_ref())
            .timestamp("execution_start", self.execution_start.as_ref())
            .timestamp("execution_end", self.execution_end.as_ref())
            .string("command_ref", self.command_ref.as_ref())
            .strings("asset_refs", self.asset_refs.as_ref())
            .strings("effect_refs", self.effect_refs.as_ref())
            .extra(&self.common.extra);
        out
    }

    pub(crate) fn to_json(&self) -> Map<String, Value> {
        to_map(&self.properties())
    }
}

impl AttackAsset {
    pub(crate) fn from_json(map: Map<String, Value>) -> Self {
        let mut asset = Self::default();
        for (key, value) in map {
            let leftover = match key.as_str() {
                "name" => put_string(&mut asset.name, value),
                "description" => put_string(&mut asset.description, value),
                "object_ref" => put_string(&mut asset.object_ref, value),
                _ => asset.common.put(&key, value),
            };
            asset.common.keep_extra(key, leftover);
        }
        asset
    }

    /// The object's properties, typed ones first, then the extra ones in file order.
    pub(crate) fn properties(&self) -> Properties<'_> {
        let mut out = Vec::with_capacity(16 + self.common.extra.len());
        self.common.collect("attack-asset", &mut out);
        Collector::new(&mut out)
            .string("name", self.name.as_ref())
            .string("description", self.description.as_ref())
            .string("object_ref", self.object_ref.as_ref())
            .extra(&self.common.extra);
        out
    }

    pub(crate) fn to_json(&self) -> Map<String, Value> {
        to_map(&self.properties())
    }
}

impl AttackCondition {
    pub(crate) fn from_json(map: Map<String, Value>) -> Self {
        let mut condition = Self::default();
        for (key, value) in map {
            let leftover = match key.as_str() {
                "description" => put_string(&mut condition.description, value),
                "pattern" => put_string(&mut condition.pattern, value),
                "pattern_type" => put_string(&mut condition.pattern_type, value),
                "pattern_version" => put_string(&mut condition.pattern_version, value),
                "on_true_refs" => put_strings(&mut condition.on_true_refs, value),
                "on_false_refs" => put_strings(&mut condition.on_false_refs, value),
                _ => condition.common.put(&key, value),
            };
            condition.common.keep_extra(key, leftover);
        }
        condition
    }

    /// The object's properties, typed ones first, then the extra ones in file order.
    pub(crate) fn properties(&self) -> Properties<'_> {
        let mut out = Vec::with_capacity(16 + self.common.extra.len());
        self.common.collect("attack-condition", &mut out);
        Collector::new(&mut out)
            .string("description", self.description.as_ref())
            .string("pattern", self.pattern.as_ref())
            .string("pattern_type", self.pattern_type.as_ref())
            .string("pattern_version", self.pattern_version.as_ref())
            .strings("on_true_refs", self.on_true_refs.as_ref())
            .strings("on_false_refs", self.on_false_refs.as_ref())
            .extra(&self.common.extra);
        out
    }

    pub(crate) fn to_json(&self) -> Map<String, Value> {
        to_map(&self.properties())
    }
}

impl AttackOperator {
    pub(crate) fn from_json(map: Map<String, Value>) -> Self {
        let mut operator = Self::default();
        for (key, value) in map {
            let leftover = match key.as_str() {
                "operator" => put_enum(&mut operator.operator, value, Operator::parse),
                "effect_refs" => put_strings(&mut operator.effect_refs, value),
                _ => operator.common.put(&key, value),
            };
            operator.common.keep_extra(key, leftover);
        }
        operator
    }

    /// The object's properties, typed ones first, then the extra ones in file order.
    pub(crate) fn properties(&self) -> Properties<'_> {
        let mut out = Vec::with_capacity(16 + self.common.extra.len());
        self.common.collect("attack-operator", &mut out);
        Collector::new(&mut out)
            .text("operator", self.operator.map(Operator::as_str))
            .strings("effect_refs", self.effect_refs.as_ref())
            .extra(&self.common.extra);
        out
    }

    pub(crate) fn to_json(&self) -> Map<String, Value> {
        to_map(&self.properties())
    }
}
