//! The Attack Flow graph: what links one object of a flow to another, and the graph those
//! links make.
//!
//! [`FlowLink`] is the one list of link kinds — the seven Attack Flow reference properties
//! (`start_refs`, `effect_refs`, `on_true_refs`, `on_false_refs`, `asset_refs`,
//! `command_ref`, `object_ref`) and STIX `relationship` objects — with the objects each may
//! leave and reach. Editing refuses what it forbids, validation reports it, the canvas draws
//! one pin and one colour per kind.
//!
//! [`FlowGraph`] is the graph of one or more documents: every object a node, every link an
//! edge, with successors, predecessors, roots, reachability, cycles and layers. Validation,
//! the layouts and the canvas all read it.

mod graph;

pub use graph::{Edge, FlowGraph, Node, NodeId, RelationshipEdge, property_links};

use crate::model::attack_flow::ATTACK_FLOW_TYPES;

/// Types that are never the data behind an asset (`object_ref`), nor drawn as nodes: STIX
/// relationship and meta objects.
pub const META_TYPES: &[&str] = &[
    "relationship",
    "sighting",
    "extension-definition",
    "marking-definition",
    "language-content",
];

/// A kind of link between two objects of a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FlowLink {
    /// `start_refs` of the attack-flow object: where the flow begins.
    Start,
    /// `effect_refs` of an action or operator: what happens next.
    Effect,
    /// `on_true_refs` of a condition.
    OnTrue,
    /// `on_false_refs` of a condition.
    OnFalse,
    /// `asset_refs` of an action: what it acts on.
    Asset,
    /// `command_ref` of an action (a `process`).
    Command,
    /// `object_ref` of an asset (any SDO or SCO with data about the asset).
    Object,
    /// A STIX `relationship` object from one object to another.
    Relationship,
}

impl FlowLink {
    /// Every kind, in the order pins and legends list them.
    pub const ALL: [FlowLink; 8] = [
        Self::Start,
        Self::Effect,
        Self::OnTrue,
        Self::OnFalse,
        Self::Asset,
        Self::Command,
        Self::Object,
        Self::Relationship,
    ];

    /// The kinds held in a reference property of the source object: all but relationships
    /// (which [`FlowLink::ALL`] lists last).
    pub const PROPERTIES: &'static [FlowLink] = Self::ALL.split_at(7).0;

    /// The property holding the links; `None` for relationships, which are objects.
    #[must_use]
    pub fn property(self) -> Option<&'static str> {
        Some(match self {
            Self::Start => "start_refs",
            Self::Effect => "effect_refs",
            Self::OnTrue => "on_true_refs",
            Self::OnFalse => "on_false_refs",
            Self::Asset => "asset_refs",
            Self::Command => "command_ref",
            Self::Object => "object_ref",
            Self::Relationship => return None,
        })
    }

    /// The kind held in `property`, if it is one of the Attack Flow reference properties.
    #[must_use]
    pub fn from_property(property: &str) -> Option<Self> {
        Self::PROPERTIES
            .iter()
            .copied()
            .find(|link| link.property() == Some(property))
    }

    /// True for the single-valued `*_ref` properties.
    #[must_use]
    pub fn is_single(self) -> bool {
        matches!(self, Self::Command | Self::Object)
    }

    /// True for the links that order a flow's steps: effects and condition branches.
    #[must_use]
    pub fn is_step(self) -> bool {
        matches!(self, Self::Effect | Self::OnTrue | Self::OnFalse)
    }

    /// True for the links that say what happens after what: the flow's start, effects and
    /// condition branches.
    #[must_use]
    pub fn is_ordering(self) -> bool {
        self == Self::Start || self.is_step()
    }

    /// Whether an object of `source_type` can have this link. Every object can be the
    /// source of a relationship.
    #[must_use]
    pub fn leaves(self, source_type: &str) -> bool {
        match self {
            Self::Start => source_type == "attack-flow",
            Self::Effect => matches!(source_type, "attack-action" | "attack-operator"),
            Self::OnTrue | Self::OnFalse => source_type == "attack-condition",
            Self::Asset | Self::Command => source_type == "attack-action",
            Self::Object => source_type == "attack-asset",
            Self::Relationship => !source_type.is_empty() && !META_TYPES.contains(&source_type),
        }
    }

    /// The object types this link may reach, when the Attack Flow schema lists them
    /// (`None` for `object_ref` and relationships, which reach any STIX object but the
    /// ones [`FlowLink::accepts`] leaves out).
    #[must_use]
    pub fn target_types(self) -> Option<&'static [&'static str]> {
        match self {
            Self::Start => Some(&["attack-action", "attack-condition"]),
            Self::Effect | Self::OnTrue | Self::OnFalse => {
                Some(&["attack-action", "attack-operator", "attack-condition"])
            }
            Self::Asset => Some(&["attack-asset"]),
            Self::Command => Some(&["process"]),
            Self::Object | Self::Relationship => None,
        }
    }

    /// Whether a link of this kind may end at an object of `target_type`.
    #[must_use]
    pub fn accepts(self, target_type: &str) -> bool {
        match self.target_types() {
            Some(types) => types.contains(&target_type),
            None if self == Self::Object => {
                !target_type.is_empty()
                    && !ATTACK_FLOW_TYPES.contains(&target_type)
                    && !META_TYPES.contains(&target_type)
            }
            None => !target_type.is_empty() && !META_TYPES.contains(&target_type),
        }
    }

    /// What the link accepts, in words, for refusal messages.
    #[must_use]
    pub fn accepted_words(self) -> &'static str {
        match self {
            Self::Start => "an action or a condition",
            Self::Effect | Self::OnTrue | Self::OnFalse => "an action, an operator or a condition",
            Self::Asset => "an asset",
            Self::Command => "a process",
            Self::Object => "a STIX domain object or observable (not an Attack Flow object)",
            Self::Relationship => "a STIX object",
        }
    }

    /// The pin's label on a node: `effects`, `on true`, `related`, …
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Start => "starts",
            Self::Effect => "effects",
            Self::OnTrue => "on true",
            Self::OnFalse => "on false",
            Self::Asset => "assets",
            Self::Command => "command",
            Self::Object => "object",
            Self::Relationship => "related",
        }
    }

    /// The link kind's name in a legend: `Start`, `Effect`, `On true`, …
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Start => "Start",
            Self::Effect => "Effect",
            Self::OnTrue => "On true",
            Self::OnFalse => "On false",
            Self::Asset => "Asset",
            Self::Command => "Command",
            Self::Object => "Object",
            Self::Relationship => "Relationship",
        }
    }

    /// The kinds of link an object of `type_name` can start, in pin order (relationships
    /// last).
    pub fn leaving(type_name: &str) -> impl Iterator<Item = FlowLink> + '_ {
        Self::ALL
            .into_iter()
            .filter(move |link| link.leaves(type_name))
    }
}

#[cfg(test)]
mod tests {
    use super::FlowLink;

    #[test]
    fn each_property_names_one_kind() {
        for &link in FlowLink::PROPERTIES {
            let property = link.property().unwrap_or_default();
            assert_eq!(FlowLink::from_property(property), Some(link));
            assert_eq!(link.is_single(), property.ends_with("_ref"));
        }
        assert_eq!(FlowLink::Relationship.property(), None);
        assert_eq!(FlowLink::from_property("technique_ref"), None);
    }

    #[test]
    fn links_leave_and_reach_what_the_schema_allows() {
        let leaving: Vec<FlowLink> = FlowLink::leaving("attack-action").collect();
        assert_eq!(
            leaving,
            [
                FlowLink::Effect,
                FlowLink::Asset,
                FlowLink::Command,
                FlowLink::Relationship
            ]
        );
        assert!(FlowLink::Start.accepts("attack-condition"));
        assert!(!FlowLink::Start.accepts("attack-operator"));
        assert!(FlowLink::Object.accepts("infrastructure"));
        assert!(!FlowLink::Object.accepts("attack-action"));
        assert!(!FlowLink::Object.accepts("relationship"));
        assert!(FlowLink::Relationship.accepts("attack-action"));
        assert!(!FlowLink::Relationship.leaves("marking-definition"));
        assert!(FlowLink::Effect.is_step() && FlowLink::Start.is_ordering());
        assert!(!FlowLink::Start.is_step() && !FlowLink::Asset.is_ordering());
    }
}
