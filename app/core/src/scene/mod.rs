//! What is drawn of a document: which objects are nodes, the links between them with their
//! kind, each node's words and size, and where each node sits in each view (saved in the
//! file, else placed automatically). The editor's canvas draws a [`Scene`]; exports of
//! pictures read the same.
//!
//! * [`Structure`]: the nodes and links of a document, before anything is placed.
//! * [`Scene`]: the nodes with their words, pins, controls and positions, and the links
//!   between them by node index.
//! * [`zones`]: the architecture view's swim-lane layout; [`backdrop`]: its lanes and trust
//!   boundaries as geometry.
//!
//! One rule says which objects are nodes ([`is_node`] for the object's kind, and
//! [`Structure::of`] for the document: the flow's author, an identity that only signs
//! objects and is linked to nothing, is not drawn). Selecting "everything" means these
//! nodes, so nothing the canvas hides is ever deleted with them.

pub mod backdrop;
mod text;
pub mod zones;

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

pub use text::{
    CONFIDENCE_SCALE, NODE_LINE_CHARACTERS, confidence_word, detail_lines, kind_label, short_text,
    subject, title,
};

use crate::architecture::Architecture;
use crate::attack::Catalog;
use crate::control::{ControlKind, ControlLink, control_links, controls, is_control, is_party};
use crate::edit::templates::ATTACK_FLOW_CREATOR_ID;
use crate::extension::{self, MEDFLOW_IDENTITY_ID, View};
use crate::flow::{Edge, FlowGraph, FlowLink, META_TYPES};
use crate::layout::{LayoutGraph, LayoutOptions, layered_layout};
use crate::model::{Document, StixObject};

/// Whether an object of this kind is drawn as a node: every Attack Flow object and every SDO
/// or SCO, except the identities that only sign extension definitions, the five party
/// identities of RACI assignments, and controls (shown on their actions instead; the canvas
/// draws them as nodes only when asked). Relationships are drawn as links; STIX meta objects
/// not at all.
#[must_use]
pub fn is_node(object: &StixObject) -> bool {
    let type_name = object.type_name();
    !type_name.is_empty()
        && !META_TYPES.contains(&type_name)
        && !matches!(object.id(), ATTACK_FLOW_CREATOR_ID | MEDFLOW_IDENTITY_ID)
        && !is_party(object)
        && !is_control(object)
}

/// The size of a node, in canvas points, as the automatic layouts assume it.
#[must_use]
pub fn nominal_size(object: &StixObject) -> [f32; 2] {
    // As the editor draws them at 100 %: a kind-coloured header, the pins, and for steps
    // their technique and tactic lines at the body size.
    if object.is_attack_flow_type() {
        [230.0, 160.0]
    } else {
        [220.0, 90.0]
    }
}

/// The options of a flow's automatic layout in `direction`: long flows folded into bands
/// about as wide as a screen is (16:10), so a long chain of steps fits a few screens.
#[must_use]
pub fn flow_layout_options(direction: crate::layout::Direction) -> LayoutOptions {
    let defaults = LayoutOptions::default();
    LayoutOptions {
        direction,
        fold_to_aspect: Some(1.6),
        // Across a layer (top to bottom) nodes sit side by side and their width is fixed;
        // down a layer (left to right) they are stacked, and an action whose technique's name
        // wraps is drawn up to about 55 points taller than its nominal height.
        node_gap: match direction {
            crate::layout::Direction::TopToBottom => defaults.node_gap,
            crate::layout::Direction::LeftToRight => defaults.node_gap + 55.0,
        },
        ..defaults
    }
}

/// One link between two nodes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Link {
    /// The node the link leaves.
    pub source: String,
    /// The node it reaches.
    pub target: String,
    /// What kind of link it is.
    pub kind: FlowLink,
    /// For a relationship: the relationship object's id.
    pub relationship: Option<String>,
}

/// The nodes and links of a document, before anything is placed.
#[derive(Debug, Clone, Default)]
pub struct Structure<'a> {
    /// The document's flow graph, which the nodes and links are read from.
    pub graph: FlowGraph<'a>,
    /// The nodes, in document order.
    pub nodes: Vec<&'a StixObject>,
    /// The links between nodes, in document order: each node's reference properties (in
    /// [`FlowLink`] order), each relationship where its object is.
    pub links: Vec<Link>,
}

impl<'a> Structure<'a> {
    /// The nodes and links of `document`.
    #[must_use]
    pub fn of(document: &'a Document) -> Self {
        let graph = FlowGraph::of(document);
        let drawn = |id| is_node(graph.object(id));
        let link_of = |edge: &Edge<'_>| Link {
            source: graph.object(edge.source).id().to_owned(),
            target: graph.object(edge.target).id().to_owned(),
            kind: edge.link,
            relationship: edge
                .relationship
                .map(|relationship| relationship.id.to_owned()),
        };
        let edges = graph.edges();
        let by_relationship: HashMap<&str, &Edge<'_>> = edges
            .iter()
            .filter_map(|edge| Some((edge.relationship?.id, *edge)))
            .collect();
        // In document order: a relationship where its object is, a node's reference
        // properties where the node is.
        let mut links = Vec::new();
        for (id, node) in graph.nodes() {
            if node.object.type_name() == "relationship" {
                if let Some(edge) = by_relationship.get(node.object.id())
                    && drawn(edge.source)
                    && drawn(edge.target)
                {
                    links.push(link_of(edge));
                }
            } else if drawn(id) {
                links.extend(
                    graph
                        .outgoing(id)
                        .filter(|edge| edge.relationship.is_none() && drawn(edge.target))
                        .map(link_of),
                );
            }
        }
        let authors = hidden_authors(document, &links);
        let nodes = graph
            .nodes()
            .map(|(_, node)| node.object)
            .filter(|object| is_node(object) && !authors.contains(object.id()))
            .collect();
        Self {
            graph,
            nodes,
            links,
        }
    }

    /// A hash of the structure's shape: its nodes (ids and sizes) in order, and its links.
    /// Automatic layouts depend on nothing else, so a cached one stays good while it holds.
    #[must_use]
    pub fn shape(&self) -> u64 {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for object in &self.nodes {
            object.id().hash(&mut hasher);
            nominal_size(object).map(f32::to_bits).hash(&mut hasher);
        }
        self.links.hash(&mut hasher);
        hasher.finish()
    }

    /// Whether some node has no saved position in `view`, so an automatic layout is needed
    /// to place it.
    #[must_use]
    pub fn needs_automatic_layout(&self, view: View) -> bool {
        self.nodes
            .iter()
            .any(|object| extension::position(object, view).is_none())
    }

    /// The deterministic layered layout of every node, in the direction `options` give:
    /// node id → top-left position.
    #[must_use]
    pub fn layered_positions(&self, options: &LayoutOptions) -> HashMap<String, [f32; 2]> {
        let index: HashMap<&str, usize> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(at, object)| (object.id(), at))
            .collect();
        let graph = LayoutGraph {
            sizes: self
                .nodes
                .iter()
                .map(|object| nominal_size(object))
                .collect(),
            edges: self
                .links
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
            .zip(&self.nodes)
            .map(|(at, object)| (object.id().to_owned(), at))
            .collect()
    }

    /// The automatic layout of `view`: layered in the flow view, swim lanes across
    /// `architecture`'s zones in the architecture view.
    #[must_use]
    pub fn automatic_positions(
        &self,
        document: &Document,
        view: View,
        architecture: &Architecture,
        direction: crate::layout::Direction,
    ) -> HashMap<String, [f32; 2]> {
        match view {
            View::Flow => self.layered_positions(&flow_layout_options(direction)),
            View::Zones => zones::zone_layout(document, architecture, self).positions,
        }
    }

    /// Every node's position in `view`: its saved one, else its place in `automatic`, else
    /// the origin.
    #[must_use]
    pub fn positions<S: std::hash::BuildHasher>(
        &self,
        view: View,
        automatic: &HashMap<String, [f32; 2], S>,
    ) -> HashMap<String, [f32; 2]> {
        self.nodes
            .iter()
            .map(|object| {
                let at = extension::position(object, view)
                    .or_else(|| automatic.get(object.id()).copied())
                    .unwrap_or([0.0, 0.0]);
                (object.id().to_owned(), at)
            })
            .collect()
    }
}

/// The identities that only sign objects (`created_by_ref`) and are linked to nothing: the
/// flow's author, shown in the inspector of what it created rather than as a node.
fn hidden_authors<'a>(document: &'a Document, links: &[Link]) -> HashSet<&'a str> {
    let signers: HashSet<&str> = document
        .objects
        .iter()
        .filter_map(|object| match object {
            StixObject::Other(other) => other.string("created_by_ref"),
            typed => typed.common()?.created_by_ref.as_deref(),
        })
        .collect();
    if signers.is_empty() {
        return HashSet::new();
    }
    let linked: HashSet<&str> = links
        .iter()
        .flat_map(|link| [link.source.as_str(), link.target.as_str()])
        .collect();
    document
        .objects
        .iter()
        .filter(|object| object.type_name() == "identity")
        .map(StixObject::id)
        .filter(|id| signers.contains(id) && !linked.contains(id))
        .collect()
}

/// What kind of node a scene node is, as its accent colour tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// The attack-flow object.
    Flow,
    /// An attack-action.
    Action,
    /// An attack-asset.
    Asset,
    /// An attack-condition.
    Condition,
    /// An attack-operator.
    Operator,
    /// A control drawn as a node.
    Control,
    /// Any other STIX object.
    Other,
}

impl NodeKind {
    /// The kind of node `object` is.
    #[must_use]
    pub fn of(object: &StixObject) -> Self {
        match object {
            StixObject::AttackFlow(_) => Self::Flow,
            StixObject::AttackAction(_) => Self::Action,
            StixObject::AttackAsset(_) => Self::Asset,
            StixObject::AttackCondition(_) => Self::Condition,
            StixObject::AttackOperator(_) => Self::Operator,
            StixObject::Other(_) if is_control(object) => Self::Control,
            StixObject::Other(_) => Self::Other,
        }
    }
}

/// One node as drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneNode {
    /// The object's id.
    pub id: String,
    /// What kind of node it is.
    pub kind: NodeKind,
    /// The kind as shown on it ([`kind_label`]).
    pub kind_label: String,
    /// Its title, on one line, cut to fit ([`title`], [`short_text`]).
    pub title: String,
    /// The lines under the title, each cut to fit ([`detail_lines`]).
    pub lines: Vec<String>,
    /// Its output pins: the links it can start, in order, relationships last.
    pub outputs: Vec<FlowLink>,
    /// The size the automatic layouts assume ([`nominal_size`]).
    pub size: [f32; 2],
    /// Where it sits: top-left, in canvas points.
    pub position: [f32; 2],
    /// For an action: the controls addressing it, by kind and name.
    pub controls: Vec<(ControlKind, String)>,
}

/// A node of `object` at the origin, with no controls: its words, pins and size.
#[must_use]
pub fn scene_node(object: &StixObject, catalog: &Catalog) -> SceneNode {
    SceneNode {
        id: object.id().to_owned(),
        kind: NodeKind::of(object),
        kind_label: kind_label(object),
        title: short_text(&title(object)),
        lines: detail_lines(object, catalog)
            .iter()
            .map(|line| short_text(line))
            .collect(),
        outputs: FlowLink::leaving(object.type_name()).collect(),
        size: nominal_size(object),
        position: [0.0, 0.0],
        controls: Vec::new(),
    }
}

/// A link of the scene, between two nodes by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SceneLink {
    /// The node the link leaves.
    pub source: usize,
    /// The node it reaches.
    pub target: usize,
    /// What kind of link it is.
    pub kind: FlowLink,
}

/// A document as drawn: its nodes, placed, and the links between them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scene {
    /// The nodes: the structure's, in document order, then (when asked for) the controls.
    pub nodes: Vec<SceneNode>,
    /// The links: the structure's links a node's pins can start, then (with the controls)
    /// each control's `mitigates`/`detects` relationships.
    pub links: Vec<SceneLink>,
    /// Node index by object id.
    pub index: HashMap<String, usize>,
}

impl Scene {
    /// The scene of `document` (whose [`Structure`] is `structure`), its nodes at
    /// `positions` (see [`Structure::positions`]), with the controls drawn as nodes too when
    /// `show_controls`: each at its saved flow-view position, else in a column under the
    /// first action it addresses.
    #[must_use]
    pub fn new(
        document: &Document,
        structure: &Structure<'_>,
        positions: &HashMap<String, [f32; 2]>,
        catalog: &Catalog,
        show_controls: bool,
    ) -> Self {
        let mut scene = Self::default();
        let mut controls_of: HashMap<String, Vec<(ControlKind, String)>> = HashMap::new();
        for control in controls(document) {
            if let Some(kind) = control.kind {
                for action in control.addresses {
                    controls_of
                        .entry(action)
                        .or_default()
                        .push((kind, control.name.clone()));
                }
            }
        }
        for object in &structure.nodes {
            let mut node = scene_node(object, catalog);
            node.position = positions.get(object.id()).copied().unwrap_or([0.0, 0.0]);
            node.controls = controls_of.remove(object.id()).unwrap_or_default();
            scene.push(node);
        }
        // The controls' links, read once, when the controls are drawn.
        let links_of_controls = if show_controls {
            control_links(document)
        } else {
            Vec::new()
        };
        if show_controls {
            scene.add_controls(document, &links_of_controls, catalog);
        }
        for link in &structure.links {
            let (Some(&source), Some(&target)) =
                (scene.index.get(&link.source), scene.index.get(&link.target))
            else {
                continue;
            };
            if scene.nodes[source].outputs.contains(&link.kind) {
                scene.links.push(SceneLink {
                    source,
                    target,
                    kind: link.kind,
                });
            }
        }
        for link in &links_of_controls {
            if let (Some(&source), Some(&target)) = (
                scene.index.get(&link.control),
                scene.index.get(&link.target),
            ) {
                scene.links.push(SceneLink {
                    source,
                    target,
                    kind: FlowLink::Relationship,
                });
            }
        }
        scene
    }

    fn push(&mut self, node: SceneNode) {
        self.index.insert(node.id.clone(), self.nodes.len());
        self.nodes.push(node);
    }

    /// Adds the document's controls as nodes; `links` are their `mitigates`/`detects` links.
    fn add_controls(&mut self, document: &Document, links: &[ControlLink], catalog: &Catalog) {
        let mut stacked: HashMap<usize, f32> = HashMap::new();
        for object in document.objects.iter().filter(|object| is_control(object)) {
            let first_target = links
                .iter()
                .filter(|link| link.control == object.id())
                .find_map(|link| self.index.get(&link.target).copied());
            let position = extension::position(object, View::Flow).unwrap_or_else(|| {
                let ([x, y], below) = first_target.map_or(([0.0, 0.0], 0.0), |target| {
                    let below = stacked.entry(target).or_insert(0.0);
                    *below += 100.0;
                    (self.nodes[target].position, *below)
                });
                [x, y + 60.0 + below]
            });
            let mut node = scene_node(object, catalog);
            node.position = position;
            self.push(node);
        }
    }
}

#[cfg(test)]
mod tests;
