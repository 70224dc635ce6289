//! The product's deeper rules over the flow graph (effects and condition branches): cycles,
//! `start_refs` equal to the real roots, and nodes unreachable from `start_refs`.

use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Document, ReferenceIndex, StixObject};

/// The flow graph: Attack Flow nodes and their edges, by document position.
struct FlowGraph {
    /// Positions (in the document) of the action, condition, operator and asset nodes.
    nodes: Vec<usize>,
    /// Outgoing flow edges (effects and branches), by document position.
    successors: HashMap<usize, Vec<usize>>,
    /// How many flow edges enter each node.
    in_degree: HashMap<usize, usize>,
}

impl FlowGraph {
    fn build(document: &Document, index: &ReferenceIndex) -> Self {
        let mut graph = Self {
            nodes: Vec::new(),
            successors: HashMap::new(),
            in_degree: HashMap::new(),
        };
        for (position, object) in document.objects.iter().enumerate() {
            // Later copies of a duplicated id are left to doc-duplicate-id.
            let first_copy = first_position(index, object.id()) == Some(position);
            if !first_copy {
                continue;
            }
            if !matches!(object, StixObject::AttackFlow(_) | StixObject::Other(_)) {
                graph.nodes.push(position);
            }
            for (_, target) in object.flow_edges() {
                if let Some(target_position) = first_position(index, target)
                    && document.objects[target_position].is_attack_flow_type()
                {
                    graph
                        .successors
                        .entry(position)
                        .or_default()
                        .push(target_position);
                    *graph.in_degree.entry(target_position).or_default() += 1;
                }
            }
        }
        graph
    }

    fn successors(&self, position: usize) -> &[usize] {
        self.successors.get(&position).map_or(&[], Vec::as_slice)
    }
}

/// Where the first object with this id sits (later copies are duplicates).
fn first_position(index: &ReferenceIndex, id: &str) -> Option<usize> {
    index.positions_of(id).first().copied()
}

pub(crate) fn check_graph(document: &Document, index: &ReferenceIndex, out: &mut Vec<Diagnostic>) {
    let Some(flow) = document.flow() else {
        return;
    };
    let graph = FlowGraph::build(document, index);
    let objects = &document.objects;

    let starts: Vec<usize> = flow
        .start_refs
        .iter()
        .flatten()
        .filter_map(|id| first_position(index, id))
        .collect();
    for &start in &starts {
        let incoming = graph.in_degree.get(&start).copied().unwrap_or(0);
        if incoming > 0 {
            out.push(Diagnostic::object(
                Code::GraphStartNotRoot,
                objects[start].id(),
                format!("this start_refs entry is reached from {incoming} other node(s), so it is not where the flow starts"),
            ));
        }
    }
    let mut roots_not_started = Vec::new();
    for &node in &graph.nodes {
        let is_root_kind = matches!(
            objects[node],
            StixObject::AttackAction(_) | StixObject::AttackCondition(_)
        );
        if is_root_kind && !graph.in_degree.contains_key(&node) && !starts.contains(&node) {
            roots_not_started.push(node);
            out.push(Diagnostic::object(
                Code::GraphRootNotStarted,
                objects[node].id(),
                "nothing leads to this node, but it is not in the flow's start_refs",
            ));
        }
    }

    let reachable = reachable_from(document, &graph, &starts, index);
    for &node in &graph.nodes {
        if !reachable[node] && !roots_not_started.contains(&node) {
            out.push(Diagnostic::object(
                Code::GraphUnreachable,
                objects[node].id(),
                format!(
                    "this {} cannot be reached from the flow's start_refs",
                    objects[node].type_name()
                ),
            ));
        }
    }

    for cycle in cycles(&graph) {
        let members: Vec<&str> = cycle.iter().map(|&node| objects[node].id()).collect();
        out.push(Diagnostic::object(
            Code::GraphCycle,
            members[0],
            format!(
                "effects and branches form a cycle through {} node(s): {}",
                members.len(),
                members.join(", ")
            ),
        ));
    }
}

/// Nodes reachable from the starts by flow edges, plus the assets their actions use.
fn reachable_from(
    document: &Document,
    graph: &FlowGraph,
    starts: &[usize],
    index: &ReferenceIndex,
) -> Vec<bool> {
    let mut reachable = vec![false; document.objects.len()];
    let mut stack: Vec<usize> = starts.to_vec();
    while let Some(node) = stack.pop() {
        if std::mem::replace(&mut reachable[node], true) {
            continue;
        }
        stack.extend(graph.successors(node));
        if let StixObject::AttackAction(action) = &document.objects[node] {
            for asset in action.asset_refs.iter().flatten() {
                if let Some(position) = first_position(index, asset) {
                    reachable[position] = true;
                }
            }
        }
    }
    reachable
}

/// Strongly connected components that contain a cycle, each in document order, found with an
/// iterative Tarjan walk so deep graphs cannot overflow the stack.
fn cycles(graph: &FlowGraph) -> Vec<Vec<usize>> {
    #[derive(Clone, Copy)]
    struct State {
        index: usize,
        low_link: usize,
        on_stack: bool,
    }
    let mut states: HashMap<usize, State> = HashMap::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut next_index = 0;
    let mut found = Vec::new();
    for &root in &graph.nodes {
        if states.contains_key(&root) {
            continue;
        }
        // Each frame: (node, index of the next successor to visit).
        let mut frames: Vec<(usize, usize)> = vec![(root, 0)];
        states.insert(
            root,
            State {
                index: next_index,
                low_link: next_index,
                on_stack: true,
            },
        );
        next_index += 1;
        stack.push(root);
        while let Some(frame) = frames.last_mut() {
            let (node, next_child) = *frame;
            if let Some(&child) = graph.successors(node).get(next_child) {
                frame.1 += 1;
                match states.get(&child).copied() {
                    None => {
                        states.insert(
                            child,
                            State {
                                index: next_index,
                                low_link: next_index,
                                on_stack: true,
                            },
                        );
                        next_index += 1;
                        stack.push(child);
                        frames.push((child, 0));
                    }
                    Some(child_state) if child_state.on_stack => {
                        if let Some(state) = states.get_mut(&node) {
                            state.low_link = state.low_link.min(child_state.index);
                        }
                    }
                    Some(_) => {}
                }
                continue;
            }
            frames.pop();
            let Some(state) = states.get(&node).copied() else {
                continue;
            };
            if let Some(&(parent, _)) = frames.last()
                && let Some(parent_state) = states.get_mut(&parent)
            {
                parent_state.low_link = parent_state.low_link.min(state.low_link);
            }
            if state.low_link == state.index {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    if let Some(member_state) = states.get_mut(&member) {
                        member_state.on_stack = false;
                    }
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                let self_loop = graph.successors(node).contains(&node);
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
