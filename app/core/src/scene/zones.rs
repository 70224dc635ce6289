//! The architecture view's automatic layout: the flow drawn across the zones of an
//! architecture, as swim lanes.
//!
//! Each zone is a lane, left to right as the architecture places them (operating room …
//! device cloud … EHR cloud). At the top of its lane sit the components the flow binds (their
//! copies in the flow) with the assets bound to them. Below, the flow's steps run downward
//! in the order they happen (longest path from the flow's start along effects and condition
//! branches), each in the lane of the component its assets are bound to; a step that binds
//! nothing takes the lane of the nearest step that does. So the attack reads as movement
//! between lanes: from the operating room to the cloud and back.

use std::collections::{HashMap, VecDeque};

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
    // The rest take the zone of the nearest node that has one, along flow links either way.
    let mut neighbours: HashMap<&str, Vec<&str>> = HashMap::new();
    for link in links {
        neighbours
            .entry(link.source.as_str())
            .or_default()
            .push(link.target.as_str());
        neighbours
            .entry(link.target.as_str())
            .or_default()
            .push(link.source.as_str());
    }
    let mut queue: VecDeque<String> = nodes
        .iter()
        .map(|object| object.id().to_owned())
        .filter(|id| zone.contains_key(id))
        .collect();
    while let Some(id) = queue.pop_front() {
        let Some(found) = zone.get(&id).cloned() else {
            continue;
        };
        for next in neighbours.get(id.as_str()).into_iter().flatten() {
            if !zone.contains_key(*next) {
                zone.insert((*next).to_owned(), found.clone());
                queue.push_back((*next).to_owned());
            }
        }
    }
    zone
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
        name: String::new(),
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
