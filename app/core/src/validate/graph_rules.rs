//! The product's deeper rules over the flow graph (effects and condition branches): cycles,
//! `start_refs` equal to the real roots, and nodes unreachable from `start_refs`.

use crate::diagnostic::{Code, Diagnostic};
use crate::flow::{Edge, FlowGraph, NodeId};
use crate::model::{Document, StixObject};

pub(crate) fn check_graph(document: &Document, out: &mut Vec<Diagnostic>) {
    if document.flow().is_none() {
        return;
    }
    let graph = FlowGraph::of(document);
    let step = |edge: &Edge<'_>| graph.is_step(edge);
    // The flow's nodes: actions, conditions, operators and assets.
    let nodes: Vec<NodeId> = graph
        .nodes()
        .filter(|(_, node)| {
            !matches!(
                node.object,
                StixObject::AttackFlow(_) | StixObject::Other(_)
            )
        })
        .map(|(id, _)| id)
        .collect();
    let starts = graph.starts(0);
    for &start in &starts {
        let incoming = graph.predecessors(start, step).count();
        if incoming > 0 {
            out.push(Diagnostic::object(
                Code::GraphStartNotRoot,
                graph.object(start).id(),
                format!("this start_refs entry is reached from {incoming} other node(s), so it is not where the flow starts"),
            ));
        }
    }
    let mut roots_not_started = Vec::new();
    for node in graph.roots(&nodes, step) {
        let is_root_kind = matches!(
            graph.object(node),
            StixObject::AttackAction(_) | StixObject::AttackCondition(_)
        );
        if is_root_kind && !starts.contains(&node) {
            roots_not_started.push(node);
            out.push(Diagnostic::object(
                Code::GraphRootNotStarted,
                graph.object(node).id(),
                "nothing leads to this node, but it is not in the flow's start_refs",
            ));
        }
    }

    // Reachable: along effects and branches from the starts, plus the assets their actions
    // use.
    let mut reachable = graph.reachable(&starts, step);
    for (node, _) in graph.nodes() {
        if reachable[node.index()] && matches!(graph.object(node), StixObject::AttackAction(_)) {
            for asset in graph.successors(node, |edge| edge.link == crate::flow::FlowLink::Asset) {
                reachable[asset.index()] = true;
            }
        }
    }
    for &node in &nodes {
        if !reachable[node.index()] && !roots_not_started.contains(&node) {
            out.push(Diagnostic::object(
                Code::GraphUnreachable,
                graph.object(node).id(),
                format!(
                    "this {} cannot be reached from the flow's start_refs",
                    graph.object(node).type_name()
                ),
            ));
        }
    }

    for cycle in graph.cycles(step) {
        let members: Vec<&str> = cycle.iter().map(|&node| graph.object(node).id()).collect();
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
