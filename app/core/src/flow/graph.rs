//! [`FlowGraph`]: the objects of one or more documents as nodes, their links as edges.
//!
//! Every object with an id is a node (the first one, when a faulty bundle repeats an id;
//! validation reports the repeats). Every Attack Flow reference property (read from the
//! typed fields) and every `relationship` whose two ends are in the same document is an
//! edge, in document order. A link to an object the document lacks is no edge (validation
//! reports it). Which nodes a reader cares about — the steps of a flow, the nodes the canvas
//! draws — is the reader's choice; the queries take the nodes and the edges to follow.

use std::collections::VecDeque;

use foldhash::{HashMap, HashMapExt as _, HashSet, HashSetExt as _};

use super::FlowLink;
use crate::model::{Document, StixObject};

/// A node of a [`FlowGraph`]: its index, in document order (documents in the order given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(usize);

impl NodeId {
    /// The node's index among the graph's nodes.
    #[must_use]
    pub fn index(self) -> usize {
        self.0
    }
}

/// One object of the graph.
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    /// Which of the graph's documents holds it.
    pub document: usize,
    /// Its position in that document's objects.
    pub position: usize,
    /// The object.
    pub object: &'a StixObject,
}

/// What a relationship edge is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelationshipEdge<'a> {
    /// The relationship object's id.
    pub id: &'a str,
    /// Its `relationship_type`.
    pub relationship_type: &'a str,
}

/// One link between two nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge<'a> {
    /// The node the link leaves.
    pub source: NodeId,
    /// The node it reaches.
    pub target: NodeId,
    /// What kind of link it is.
    pub link: FlowLink,
    /// For a relationship: the relationship object.
    pub relationship: Option<RelationshipEdge<'a>>,
}

/// The flow graph of one or more documents.
#[derive(Debug, Clone, Default)]
pub struct FlowGraph<'a> {
    documents: Vec<&'a Document>,
    nodes: Vec<Node<'a>>,
    by_id: HashMap<(usize, &'a str), NodeId>,
    edges: Vec<Edge<'a>>,
    outgoing: Vec<Vec<usize>>,
    incoming: Vec<Vec<usize>>,
}

/// The targets of the Attack Flow reference properties of `object`, from its typed fields,
/// as `(link, target)` in [`FlowLink`] order and then file order.
#[must_use]
pub fn property_links(object: &StixObject) -> Vec<(FlowLink, &str)> {
    fn each<'a>(
        out: &mut Vec<(FlowLink, &'a str)>,
        link: FlowLink,
        targets: Option<&'a Vec<String>>,
    ) {
        out.extend(
            targets
                .into_iter()
                .flatten()
                .map(|target| (link, target.as_str())),
        );
    }
    fn one<'a>(out: &mut Vec<(FlowLink, &'a str)>, link: FlowLink, target: Option<&'a str>) {
        out.extend(target.map(|target| (link, target)));
    }
    let mut out = Vec::new();
    match object {
        StixObject::AttackFlow(flow) => each(&mut out, FlowLink::Start, flow.start_refs.as_ref()),
        StixObject::AttackAction(action) => {
            each(&mut out, FlowLink::Effect, action.effect_refs.as_ref());
            each(&mut out, FlowLink::Asset, action.asset_refs.as_ref());
            one(&mut out, FlowLink::Command, action.command_ref.as_deref());
        }
        StixObject::AttackAsset(asset) => {
            one(&mut out, FlowLink::Object, asset.object_ref.as_deref());
        }
        StixObject::AttackCondition(condition) => {
            each(&mut out, FlowLink::OnTrue, condition.on_true_refs.as_ref());
            each(
                &mut out,
                FlowLink::OnFalse,
                condition.on_false_refs.as_ref(),
            );
        }
        StixObject::AttackOperator(operator) => {
            each(&mut out, FlowLink::Effect, operator.effect_refs.as_ref());
        }
        StixObject::Other(_) => {}
    }
    out
}

impl<'a> FlowGraph<'a> {
    /// The graph of one document.
    #[must_use]
    pub fn of(document: &'a Document) -> Self {
        Self::of_documents(&[document])
    }

    /// The graph of several documents side by side (links stay within their document).
    #[must_use]
    pub fn of_documents(documents: &[&'a Document]) -> Self {
        let mut graph = Self {
            documents: documents.to_vec(),
            ..Self::default()
        };
        for (document_index, document) in documents.iter().enumerate() {
            for (position, object) in document.objects.iter().enumerate() {
                let id = object.id();
                if id.is_empty() || graph.by_id.contains_key(&(document_index, id)) {
                    continue;
                }
                let node = NodeId(graph.nodes.len());
                graph.by_id.insert((document_index, id), node);
                graph.nodes.push(Node {
                    document: document_index,
                    position,
                    object,
                });
            }
        }
        graph.outgoing = vec![Vec::new(); graph.nodes.len()];
        graph.incoming = vec![Vec::new(); graph.nodes.len()];
        for index in 0..graph.nodes.len() {
            let Node {
                document, object, ..
            } = graph.nodes[index];
            let source = NodeId(index);
            for (link, target) in property_links(object) {
                if let Some(&target) = graph.by_id.get(&(document, target)) {
                    graph.push_edge(Edge {
                        source,
                        target,
                        link,
                        relationship: None,
                    });
                }
            }
            let StixObject::Other(other) = object else {
                continue;
            };
            if other.type_name() != "relationship" {
                continue;
            }
            let end = |key: &str| {
                other
                    .string(key)
                    .and_then(|id| graph.by_id.get(&(document, id)).copied())
            };
            if let (Some(from), Some(to)) = (end("source_ref"), end("target_ref")) {
                let relationship = RelationshipEdge {
                    id: other.id(),
                    relationship_type: other.string("relationship_type").unwrap_or_default(),
                };
                graph.push_edge(Edge {
                    source: from,
                    target: to,
                    link: FlowLink::Relationship,
                    relationship: Some(relationship),
                });
            }
        }
        graph
    }

    fn push_edge(&mut self, edge: Edge<'a>) {
        let number = self.edges.len();
        self.outgoing[edge.source.0].push(number);
        self.incoming[edge.target.0].push(number);
        self.edges.push(edge);
    }

    /// The documents, in the order given.
    #[must_use]
    pub fn documents(&self) -> &[&'a Document] {
        &self.documents
    }

    /// How many nodes the graph has.
    #[must_use]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the graph has no node.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// A node.
    ///
    /// # Panics
    /// When `id` is not a node of this graph.
    #[must_use]
    pub fn node(&self, id: NodeId) -> &Node<'a> {
        &self.nodes[id.0]
    }

    /// A node's object.
    ///
    /// # Panics
    /// When `id` is not a node of this graph.
    #[must_use]
    pub fn object(&self, id: NodeId) -> &'a StixObject {
        self.nodes[id.0].object
    }

    /// Every node, in document order.
    pub fn nodes(&self) -> impl Iterator<Item = (NodeId, &Node<'a>)> + '_ {
        self.nodes
            .iter()
            .enumerate()
            .map(|(index, node)| (NodeId(index), node))
    }

    /// The node of the object with this id in document `document`.
    #[must_use]
    pub fn find_in(&self, document: usize, id: &str) -> Option<NodeId> {
        self.by_id.get(&(document, id)).copied()
    }

    /// The node of the object with this id in the first document.
    #[must_use]
    pub fn find(&self, id: &str) -> Option<NodeId> {
        self.find_in(0, id)
    }

    /// Every edge, by source node in document order, then as the source lists them.
    #[must_use]
    pub fn edges(&self) -> Vec<&Edge<'a>> {
        self.outgoing
            .iter()
            .flatten()
            .map(|&number| &self.edges[number])
            .collect()
    }

    /// The edges leaving `node`.
    pub fn outgoing(&self, node: NodeId) -> impl Iterator<Item = &Edge<'a>> + '_ {
        self.outgoing[node.0]
            .iter()
            .map(|&number| &self.edges[number])
    }

    /// The edges reaching `node`.
    pub fn incoming(&self, node: NodeId) -> impl Iterator<Item = &Edge<'a>> + '_ {
        self.incoming[node.0]
            .iter()
            .map(|&number| &self.edges[number])
    }

    /// The targets of the edges leaving `node` that `follow` accepts, in order.
    pub fn successors<'g>(
        &'g self,
        node: NodeId,
        follow: impl Fn(&Edge<'a>) -> bool + 'g,
    ) -> impl Iterator<Item = NodeId> + 'g {
        self.outgoing(node)
            .filter(move |edge| follow(edge))
            .map(|edge| edge.target)
    }

    /// The sources of the edges reaching `node` that `follow` accepts, in order.
    pub fn predecessors<'g>(
        &'g self,
        node: NodeId,
        follow: impl Fn(&Edge<'a>) -> bool + 'g,
    ) -> impl Iterator<Item = NodeId> + 'g {
        self.incoming(node)
            .filter(move |edge| follow(edge))
            .map(|edge| edge.source)
    }

    /// The nodes the `start_refs` of document `document`'s attack-flow point at, in order.
    #[must_use]
    pub fn starts(&self, document: usize) -> Vec<NodeId> {
        let Some(flow) = self.documents.get(document).and_then(|found| found.flow()) else {
            return Vec::new();
        };
        flow.start_refs
            .iter()
            .flatten()
            .filter_map(|id| self.find_in(document, id))
            .collect()
    }

    /// True for an edge that orders a flow's steps: an effect or a condition branch reaching
    /// an Attack Flow object.
    #[must_use]
    pub fn is_step(&self, edge: &Edge<'_>) -> bool {
        edge.link.is_step() && self.object(edge.target).is_attack_flow_type()
    }

    /// Among `members`, those that no edge `follow` accepts reaches.
    #[must_use]
    pub fn roots(&self, members: &[NodeId], follow: impl Fn(&Edge<'a>) -> bool) -> Vec<NodeId> {
        members
            .iter()
            .copied()
            .filter(|&node| !self.incoming(node).any(&follow))
            .collect()
    }

    /// Which nodes are reachable from `from` along the edges `follow` accepts (the starting
    /// nodes included), indexed by [`NodeId::index`].
    #[must_use]
    pub fn reachable(&self, from: &[NodeId], follow: impl Fn(&Edge<'a>) -> bool) -> Vec<bool> {
        let mut reached = vec![false; self.nodes.len()];
        let mut stack: Vec<NodeId> = from.to_vec();
        while let Some(node) = stack.pop() {
            if std::mem::replace(&mut reached[node.0], true) {
                continue;
            }
            stack.extend(self.successors(node, &follow));
        }
        reached
    }

    /// The strongly connected components, along the edges `follow` accepts, that hold a
    /// cycle (two nodes or more, or one node linked to itself): each in document order, all
    /// sorted. An iterative Tarjan walk, so deep graphs cannot overflow the stack.
    #[must_use]
    pub fn cycles(&self, follow: impl Fn(&Edge<'a>) -> bool) -> Vec<Vec<NodeId>> {
        #[derive(Clone, Copy)]
        struct State {
            index: usize,
            low_link: usize,
            on_stack: bool,
        }
        let follow = &follow;
        let next_of = |node: NodeId| -> Vec<NodeId> { self.successors(node, follow).collect() };
        let mut states: Vec<Option<State>> = vec![None; self.nodes.len()];
        let mut stack: Vec<NodeId> = Vec::new();
        let mut next_index = 0;
        let mut found = Vec::new();
        for root in (0..self.nodes.len()).map(NodeId) {
            if states[root.0].is_some() {
                continue;
            }
            // Each frame: (node, its successors, index of the next one to visit).
            let mut frames: Vec<(NodeId, Vec<NodeId>, usize)> = vec![(root, next_of(root), 0)];
            states[root.0] = Some(State {
                index: next_index,
                low_link: next_index,
                on_stack: true,
            });
            next_index += 1;
            stack.push(root);
            while let Some(frame) = frames.last_mut() {
                let node = frame.0;
                if let Some(&child) = frame.1.get(frame.2) {
                    frame.2 += 1;
                    match states[child.0] {
                        None => {
                            states[child.0] = Some(State {
                                index: next_index,
                                low_link: next_index,
                                on_stack: true,
                            });
                            next_index += 1;
                            stack.push(child);
                            frames.push((child, next_of(child), 0));
                        }
                        Some(child_state) if child_state.on_stack => {
                            if let Some(state) = states[node.0].as_mut() {
                                state.low_link = state.low_link.min(child_state.index);
                            }
                        }
                        Some(_) => {}
                    }
                    continue;
                }
                let self_loop = frame.1.contains(&node);
                frames.pop();
                let Some(state) = states[node.0] else {
                    continue;
                };
                if let Some((parent, _, _)) = frames.last()
                    && let Some(parent_state) = states[parent.0].as_mut()
                {
                    parent_state.low_link = parent_state.low_link.min(state.low_link);
                }
                if state.low_link == state.index {
                    let mut component = Vec::new();
                    while let Some(member) = stack.pop() {
                        if let Some(member_state) = states[member.0].as_mut() {
                            member_state.on_stack = false;
                        }
                        component.push(member);
                        if member == node {
                            break;
                        }
                    }
                    if component.len() > 1 || self_loop {
                        component.sort_unstable();
                        found.push(component);
                    }
                }
            }
        }
        found.sort();
        found
    }

    /// Each member's layer: the length of the longest path to it, along the edges `follow`
    /// accepts between members, from the members nothing leads to. Where a cycle closes, its
    /// first node in document order is released and the walk goes on.
    #[must_use]
    pub fn layers(
        &self,
        members: &[NodeId],
        follow: impl Fn(&Edge<'a>) -> bool,
    ) -> HashMap<NodeId, usize> {
        let mut remaining: HashMap<NodeId, usize> = members.iter().map(|&node| (node, 0)).collect();
        let mut outgoing: HashMap<NodeId, Vec<NodeId>> = HashMap::new();
        for &node in members {
            for edge in self.outgoing(node).filter(|edge| follow(edge)) {
                if remaining.contains_key(&edge.target) {
                    *remaining.entry(edge.target).or_default() += 1;
                    outgoing.entry(node).or_default().push(edge.target);
                }
            }
        }
        let mut layer: HashMap<NodeId, usize> = HashMap::new();
        let mut queue: VecDeque<NodeId> = members
            .iter()
            .copied()
            .filter(|node| remaining.get(node) == Some(&0))
            .collect();
        let mut done: HashSet<NodeId> = HashSet::new();
        loop {
            while let Some(node) = queue.pop_front() {
                if !done.insert(node) {
                    continue;
                }
                let here = *layer.entry(node).or_insert(0);
                for &next in outgoing.get(&node).into_iter().flatten() {
                    // An edge back to a node already placed closes a cycle: it is cut.
                    if done.contains(&next) {
                        continue;
                    }
                    let there = layer.entry(next).or_insert(0);
                    *there = (*there).max(here + 1);
                    if let Some(count) = remaining.get_mut(&next)
                        && *count > 0
                    {
                        *count -= 1;
                        if *count == 0 {
                            queue.push_back(next);
                        }
                    }
                }
            }
            if done.len() >= members.len() {
                break;
            }
            // A cycle: release its first node (in document order) and go on.
            let Some(&stuck) = members.iter().find(|node| {
                !done.contains(node) && remaining.get(node).is_some_and(|count| *count > 0)
            }) else {
                break;
            };
            remaining.insert(stuck, 0);
            queue.push_back(stuck);
        }
        layer
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use serde_json::{Value, json};

    use super::*;

    fn document(objects: &[Value]) -> Document {
        Document {
            bundle_id: "bundle--00000000-0000-4000-8000-000000000000".to_owned(),
            objects: objects
                .iter()
                .map(|value| StixObject::from_json(value.as_object().unwrap().clone()))
                .collect(),
        }
    }

    fn id(kind: &str, number: u32) -> String {
        format!("{kind}--00000000-0000-4000-8000-{number:012}")
    }

    /// flow → a1 → c2 (true → a3, false → a4); a3 → a1 (a cycle); a1 uses asset 5; a
    /// relationship from a4 to asset 5; a dangling effect from a4.
    fn sample() -> Document {
        document(&[
            json!({"type": "attack-flow", "id": id("attack-flow", 0), "start_refs": [id("attack-action", 1)]}),
            json!({"type": "attack-action", "id": id("attack-action", 1), "effect_refs": [id("attack-condition", 2)], "asset_refs": [id("attack-asset", 5)]}),
            json!({"type": "attack-condition", "id": id("attack-condition", 2), "on_true_refs": [id("attack-action", 3)], "on_false_refs": [id("attack-action", 4)]}),
            json!({"type": "attack-action", "id": id("attack-action", 3), "effect_refs": [id("attack-action", 1)]}),
            json!({"type": "attack-action", "id": id("attack-action", 4), "effect_refs": [id("attack-action", 9)]}),
            json!({"type": "attack-asset", "id": id("attack-asset", 5)}),
            json!({"type": "relationship", "id": id("relationship", 6), "relationship_type": "targets", "source_ref": id("attack-action", 4), "target_ref": id("attack-asset", 5)}),
        ])
    }

    #[test]
    fn edges_come_from_reference_properties_and_relationships() {
        let document = sample();
        let graph = FlowGraph::of(&document);
        assert_eq!(graph.len(), 7);
        let edges: Vec<(usize, usize, FlowLink)> = graph
            .edges()
            .into_iter()
            .map(|edge| (edge.source.index(), edge.target.index(), edge.link))
            .collect();
        assert_eq!(
            edges,
            [
                (0, 1, FlowLink::Start),
                (1, 2, FlowLink::Effect),
                (1, 5, FlowLink::Asset),
                (2, 3, FlowLink::OnTrue),
                (2, 4, FlowLink::OnFalse),
                (3, 1, FlowLink::Effect),
                (4, 5, FlowLink::Relationship),
            ],
            "the dangling effect of a4 is no edge"
        );
        let relationship = graph.edges()[6].relationship.unwrap();
        assert_eq!(relationship.relationship_type, "targets");
        let a1 = graph.find(&id("attack-action", 1)).unwrap();
        let before: Vec<usize> = graph
            .predecessors(a1, |edge| edge.link.is_ordering())
            .map(NodeId::index)
            .collect();
        assert_eq!(before, [0, 3]);
    }

    #[test]
    fn queries_roots_reachability_cycles_and_layers() {
        let document = sample();
        let graph = FlowGraph::of(&document);
        let starts = graph.starts(0);
        assert_eq!(starts, [NodeId(1)]);
        let steps: Vec<NodeId> = (1..6).map(NodeId).collect();
        let step = |edge: &Edge<'_>| graph.is_step(edge);
        assert_eq!(
            graph.roots(&steps, step),
            [NodeId(5)],
            "a1 is reached from a3"
        );
        let reached = graph.reachable(&starts, step);
        assert_eq!(reached, [false, true, true, true, true, false, false]);
        assert_eq!(graph.cycles(step), [vec![NodeId(1), NodeId(2), NodeId(3)]]);

        let all: Vec<NodeId> = (0..6).map(NodeId).collect();
        let layers = graph.layers(&all, |edge| edge.link.is_ordering());
        // The flow is first; the cycle a1 → c2 → a3 → a1 is cut where it closes.
        assert_eq!(layers[&NodeId(0)], 0);
        assert!(layers[&NodeId(2)] > layers[&NodeId(1)]);
        assert!(layers[&NodeId(4)] > layers[&NodeId(2)]);
        assert_eq!(layers.len(), 6);
    }

    #[test]
    fn several_documents_keep_their_links_apart() {
        let first = sample();
        let second = sample();
        let graph = FlowGraph::of_documents(&[&first, &second]);
        assert_eq!(graph.len(), 14);
        assert_eq!(graph.edges().len(), 14);
        let in_second = graph.find_in(1, &id("attack-action", 1)).unwrap();
        assert_eq!(graph.node(in_second).document, 1);
        assert!(
            graph
                .successors(in_second, |_| true)
                .all(|node| graph.node(node).document == 1)
        );
        assert_eq!(graph.starts(1), [in_second]);
    }

    #[test]
    fn a_repeated_id_is_one_node_the_first() {
        let document = document(&[
            json!({"type": "attack-action", "id": id("attack-action", 1), "name": "first"}),
            json!({"type": "attack-action", "id": id("attack-action", 1), "name": "second"}),
        ]);
        let graph = FlowGraph::of(&document);
        assert_eq!(graph.len(), 1);
        assert_eq!(graph.node(NodeId(0)).position, 0);
    }
}
