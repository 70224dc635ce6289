//! The architecture view's automatic layout: the flow drawn across the zones of an
//! architecture, as swim lanes.
//!
//! Each zone is a lane, left to right as the architecture places them (operating room …
//! device cloud … EHR cloud). At the top of its lane sit the components the flow binds (their
//! copies in the flow) with the assets bound to them. Below, the flow's steps run downward
//! in the order they happen (longest path from the flow's start along effects and condition
//! branches), each in the lane of the component its assets are bound to. A step that binds
//! nothing sits in a lane only when the nearest bound steps before and after it are all in
//! that lane (a condition or operator: with the step before it); otherwise, and for nodes
//! linked to nothing placed, in the lane "Not bound to a component", left of the zones. So
//! the attack reads as movement between lanes, from the operating room to the cloud and
//! back, and what the author has not bound yet shows as such.

use std::collections::HashMap;

use super::{Link, Structure, nominal_size};
use crate::architecture::{Architecture, asset_bindings, component_key};
use crate::flow::{FlowGraph, FlowLink};
use crate::model::{Document, StixObject};

/// Vertical distance between the rows of steps.
const ROW: f32 = 160.0;
/// Vertical room between steps stacked in one lane and row: the editor draws a step taller
/// than the size the layout is given once it shows its technique, tactic, confidence and
/// controls.
const STEP_GAP: f32 = 40.0;
/// Vertical distance between stacked components and assets at a lane's top.
const STACK: f32 = 110.0;
/// Room around nodes inside a lane.
const MARGIN: f32 = 40.0;
/// The name of the lane, left of the zones, of the nodes whose zone cannot be told.
pub const NOT_BOUND: &str = "Not bound to a component";
/// Height of the band under a lane's top edge where its name is written.
pub(crate) const TITLE: f32 = 50.0;

/// A lane: a zone's horizontal extent.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// The zone's key.
    pub key: String,
    /// The zone's name.
    pub name: String,
    /// Left edge, in canvas points.
    pub x: f32,
    /// Width.
    pub width: f32,
}

/// The architecture view of a flow: where each node goes, and the lanes drawn behind.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ZonePlacement {
    /// Each node's top-left position.
    pub positions: HashMap<String, [f32; 2]>,
    /// The lanes, left to right.
    pub lanes: Vec<Lane>,
    /// How far down the lanes reach.
    pub height: f32,
}

/// The lanes of an architecture, left to right.
#[must_use]
pub fn lanes(architecture: &Architecture) -> Vec<Lane> {
    let mut lanes: Vec<Lane> = architecture
        .zones
        .iter()
        .map(|zone| Lane {
            key: zone.key.clone(),
            name: zone.name.clone(),
            x: zone.region[0],
            width: zone.region[2],
        })
        .collect();
    lanes.sort_by(|a, b| a.x.total_cmp(&b.x));
    lanes
}

/// The zone key each node belongs to, where one can be told.
fn zones_of(
    bindings: &HashMap<&str, &str>,
    architecture: &Architecture,
    nodes: &[&StixObject],
    links: &[Link],
) -> HashMap<String, String> {
    let mut zone: HashMap<String, String> = HashMap::new();
    let component_zone = |key: &str| architecture.component(key).map(|found| found.zone.clone());
    for object in nodes {
        if let Some(found) = component_key(object).and_then(component_zone) {
            zone.insert(object.id().to_owned(), found);
        } else if let Some(found) = bindings
            .get(object.id())
            .and_then(|key| component_zone(key))
        {
            zone.insert(object.id().to_owned(), found);
        }
    }
    // A step takes the zone of the first asset it uses that has one.
    for link in links {
        if link.kind == FlowLink::Asset
            && !zone.contains_key(&link.source)
            && let Some(found) = zone.get(&link.target).cloned()
        {
            zone.insert(link.source.clone(), found);
        }
    }
    let placed = zone.clone();
    // A step that binds nothing is placed only where its place is clear: between steps of
    // one zone. The nearest placed steps before it and after it (along the flow's order)
    // must all be in the same zone; a flow with one bound asset does not pull every step
    // into that asset's lane.
    let before = nearest_zones(&placed, nodes, links, false);
    let after = nearest_zones(&placed, nodes, links, true);
    for object in nodes {
        let id = object.id();
        if zone.contains_key(id) {
            continue;
        }
        let found = match object.type_name() {
            "attack-action" => match (before.get(id), after.get(id)) {
                (Some(Near::Zone(first)), Some(Near::Zone(second))) if first == second => {
                    Some(first.clone())
                }
                _ => None,
            },
            // A condition or an operator is a state or a joint of the steps around it: it
            // sits with the step before it, else with the one after it.
            "attack-condition" | "attack-operator" => match (before.get(id), after.get(id)) {
                (Some(Near::Zone(first)), _) | (None, Some(Near::Zone(first))) => {
                    Some(first.clone())
                }
                _ => None,
            },
            _ => None,
        };
        if let Some(found) = found {
            zone.insert(id.to_owned(), found);
        }
    }
    // The flow and the other objects (notes, malware, infrastructure …) sit with the nodes
    // they are linked to when those are all in one zone.
    let steps = zone.clone();
    for object in nodes {
        let id = object.id();
        if zone.contains_key(id) || is_step_type(object.type_name()) {
            continue;
        }
        let mut found: Option<&String> = None;
        let mut agree = true;
        for link in links {
            let other = if link.source == id {
                &link.target
            } else if link.target == id {
                &link.source
            } else {
                continue;
            };
            // The flow reaches its steps through its start only (its author is not drawn).
            if object.type_name() == "attack-flow" && link.kind != FlowLink::Start {
                continue;
            }
            if let Some(other) = steps.get(other.as_str()) {
                agree &= found.is_none_or(|known| known == other);
                found = Some(other);
            }
        }
        if agree && let Some(found) = found {
            zone.insert(id.to_owned(), found.clone());
        }
    }
    zone
}

fn is_step_type(type_name: &str) -> bool {
    matches!(
        type_name,
        "attack-action" | "attack-condition" | "attack-operator"
    )
}

/// What the nearest placed nodes before (or after) a node say of its zone.
#[derive(Debug, Clone, PartialEq)]
enum Near {
    /// They are all in this zone.
    Zone(String),
    /// They are in different zones.
    Mixed,
}

/// For each node not placed, what the nearest placed nodes before it along the flow's order
/// say of its zone (`after`: the nearest placed nodes after it). One breadth-first walk from
/// every placed node at once, so a flow of thousands of steps is walked once.
fn nearest_zones(
    placed: &HashMap<String, String>,
    nodes: &[&StixObject],
    links: &[Link],
    after: bool,
) -> HashMap<String, Near> {
    // Before: walk from each placed node along the order; after: against it.
    let mut next: HashMap<&str, Vec<&str>> = HashMap::new();
    for link in links.iter().filter(|link| link.kind.is_ordering()) {
        let (from, to) = if after {
            (link.target.as_str(), link.source.as_str())
        } else {
            (link.source.as_str(), link.target.as_str())
        };
        next.entry(from).or_default().push(to);
    }
    let mut near: HashMap<String, Near> = HashMap::new();
    let mut distance: HashMap<String, usize> = HashMap::new();
    let mut level: Vec<&str> = Vec::new();
    for object in nodes {
        if let Some(found) = placed.get(object.id()) {
            near.insert(object.id().to_owned(), Near::Zone(found.clone()));
            distance.insert(object.id().to_owned(), 0);
            level.push(object.id());
        }
    }
    let mut depth = 0;
    while !level.is_empty() {
        depth += 1;
        let mut reached: Vec<&str> = Vec::new();
        for &from in &level {
            let Some(said) = near.get(from).cloned() else {
                continue;
            };
            for &to in next.get(from).into_iter().flatten() {
                match distance.get(to) {
                    None => {
                        distance.insert(to.to_owned(), depth);
                        near.insert(to.to_owned(), said.clone());
                        reached.push(to);
                    }
                    Some(&known) if known == depth && near.get(to) != Some(&said) => {
                        near.insert(to.to_owned(), Near::Mixed);
                    }
                    Some(_) => {}
                }
            }
        }
        level = reached;
    }
    // A placed node's own entry is its zone, not what lies before or after it.
    near.retain(|id, _| !placed.contains_key(id));
    near
}

/// Each step's row: the longest path to it from the steps nothing leads to, along effects,
/// condition branches and the flow's start (cycles are cut where they close).
fn rows(graph: &FlowGraph<'_>, nodes: &[&StixObject]) -> HashMap<String, usize> {
    let members: Vec<_> = nodes
        .iter()
        .filter_map(|object| graph.find(object.id()))
        .collect();
    graph
        .layers(&members, |edge| edge.link.is_ordering())
        .into_iter()
        .map(|(node, row)| (graph.object(node).id().to_owned(), row))
        .collect()
}

/// Places the nodes of `structure` (the flow `document`'s) across the architecture's zones,
/// each at its [`nominal_size`].
#[must_use]
pub fn zone_layout(
    document: &Document,
    architecture: &Architecture,
    structure: &Structure<'_>,
) -> ZonePlacement {
    let size = &nominal_size;
    let links = structure.links.as_slice();
    let lanes = lanes(architecture);
    let nodes: Vec<&StixObject> = structure.nodes.clone();
    let bindings: HashMap<&str, &str> = asset_bindings(document)
        .into_iter()
        .filter_map(|(asset, key)| Some((asset, key?)))
        .collect();
    let zone = zones_of(&bindings, architecture, &nodes, links);
    let lane_of = |id: &str| {
        zone.get(id)
            .and_then(|key| lanes.iter().position(|lane| lane.key == *key))
    };
    // Nodes with no zone go in a lane of their own, left of the architecture.
    let outside = Lane {
        key: String::new(),
        name: NOT_BOUND.to_owned(),
        x: lanes.first().map_or(0.0, |lane| lane.x) - 320.0,
        width: 300.0,
    };
    let lane_at = |index: Option<usize>| index.map_or(&outside, |index| &lanes[index]);

    let mut positions: HashMap<String, [f32; 2]> = HashMap::new();
    let top_height = place_tops(&bindings, &nodes, &lane_of, &lane_at, size, &mut positions);
    let is_top =
        |object: &StixObject| component_key(object).is_some() || bindings.contains_key(object.id());

    // The steps, row by row, in their lanes.
    let rows = rows(&structure.graph, &nodes);
    let steps: Vec<&StixObject> = nodes
        .iter()
        .copied()
        .filter(|object| !is_top(object))
        .collect();
    let last_row = steps
        .iter()
        .filter_map(|object| rows.get(object.id()))
        .max()
        .copied()
        .unwrap_or(0);
    let mut y = top_height + MARGIN;
    for row in 0..=last_row {
        // This row's steps, by lane, in document order.
        let mut groups: Vec<(Option<usize>, Vec<&StixObject>)> = Vec::new();
        for object in steps
            .iter()
            .filter(|object| rows.get(object.id()).copied().unwrap_or(0) == row)
        {
            let index = lane_of(object.id());
            match groups.iter_mut().find(|(known, _)| *known == index) {
                Some((_, members)) => members.push(object),
                None => groups.push((index, vec![object])),
            }
        }
        let mut row_height: f32 = 0.0;
        for (index, members) in groups {
            let lane = lane_at(index);
            let widest = members
                .iter()
                .map(|object| size(object)[0])
                .fold(0.0_f32, f32::max);
            let tallest = members
                .iter()
                .map(|object| size(object)[1])
                .fold(0.0_f32, f32::max);
            let cell = widest + 20.0;
            #[allow(
                clippy::cast_precision_loss,
                reason = "a handful of nodes per lane and row"
            )]
            let count = members.len() as f32;
            let per_line = ((lane.width - MARGIN) / cell).floor().clamp(1.0, count);
            let left = lane.x + (lane.width - per_line * cell + 20.0).max(0.0) / 2.0;
            for (slot, object) in members.iter().enumerate() {
                #[allow(
                    clippy::cast_precision_loss,
                    reason = "a handful of nodes per lane and row"
                )]
                let slot = slot as f32;
                let (column, sub_row) = (slot % per_line, (slot / per_line).floor());
                positions.insert(
                    object.id().to_owned(),
                    [left + column * cell, y + sub_row * (tallest + STEP_GAP)],
                );
            }
            let sub_rows = (count / per_line).ceil();
            row_height = row_height.max(sub_rows * (tallest + STEP_GAP));
        }
        y += row_height.max(ROW);
    }
    let unbound = nodes.iter().any(|object| lane_of(object.id()).is_none());
    let mut lanes = lanes;
    if unbound {
        lanes.insert(0, outside);
    }
    ZonePlacement {
        positions,
        lanes,
        height: y + MARGIN,
    }
}

/// Places the bound components at the top of their lanes, each with the assets bound to it
/// under it; returns how far down the tops reach.
fn place_tops<'a>(
    bindings: &HashMap<&str, &str>,
    nodes: &[&StixObject],
    lane_of: &dyn Fn(&str) -> Option<usize>,
    lane_at: &dyn Fn(Option<usize>) -> &'a Lane,
    size: &dyn Fn(&StixObject) -> [f32; 2],
    positions: &mut HashMap<String, [f32; 2]>,
) -> f32 {
    // The top of each lane: bound components, each with its assets under it.
    let mut stacked: HashMap<Option<usize>, f32> = HashMap::new();
    let mut top_height: f32 = 0.0;
    let is_top =
        |object: &StixObject| component_key(object).is_some() || bindings.contains_key(object.id());
    let mut top: Vec<&StixObject> = nodes
        .iter()
        .copied()
        .filter(|object| is_top(object))
        .collect();
    // Components first, each followed by the assets bound to it.
    top.sort_by_key(|object| {
        let key = component_key(object)
            .or_else(|| bindings.get(object.id()).copied())
            .unwrap_or_default()
            .to_owned();
        (key, component_key(object).is_none())
    });
    for object in top {
        let index = lane_of(object.id());
        let lane = lane_at(index);
        let [width, height] = size(object);
        let y = stacked.entry(index).or_insert(TITLE);
        positions.insert(
            object.id().to_owned(),
            [lane.x + (lane.width - width).max(0.0) / 2.0, *y],
        );
        *y += height.max(STACK - 30.0) + 30.0;
        top_height = top_height.max(*y);
    }

    top_height
}
