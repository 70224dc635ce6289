//! The scene as the canvas draws it: core's [`Scene`] (nodes with their words, pins,
//! controls and positions, and the links between them) with what only the screen needs —
//! each node's accent colour, positions as points, each node's neighbours — shared by the
//! detailed (snarl) view and the overview, rebuilt on each revision.

use std::collections::HashMap;

use eframe::egui::{Color32, Pos2, Rect, Vec2};
use medflow_core::control::ControlKind;
use medflow_core::flow::FlowLink;
use medflow_core::scene::{Scene, SceneNode};

/// What a snarl node shows: everything a reader needs at a glance.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeView {
    /// The object's id.
    pub id: String,
    /// The node's kind as shown on it: `Action`, `Asset`, `OR`, `infrastructure`, …
    pub kind: String,
    /// The node's name, shortened to fit.
    pub title: String,
    /// Lines under the title: technique, tactic, confidence.
    pub lines: Vec<String>,
    /// The output pins, in order.
    pub outputs: Vec<FlowLink>,
    /// The size the automatic layout assumes, until the node is drawn and measured.
    pub size: [f32; 2],
    /// The colour that marks the node's kind in the overview.
    pub accent: Color32,
    /// For an action: the controls addressing it, by kind and name.
    pub controls: Vec<(ControlKind, String)>,
}

impl From<SceneNode> for NodeView {
    fn from(node: SceneNode) -> Self {
        Self {
            accent: crate::theme::node_accent(node.kind),
            id: node.id,
            kind: node.kind_label,
            title: node.title,
            lines: node.lines,
            outputs: node.outputs,
            size: node.size,
            controls: node.controls,
        }
    }
}

/// A link between two nodes of the [`Graph`], by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct GraphLink {
    pub source: usize,
    pub target: usize,
    pub output: FlowLink,
}

/// The document's nodes and links as the canvas draws them, with each node's position.
#[derive(Debug, Default)]
pub(super) struct Graph {
    pub views: Vec<NodeView>,
    /// Where the document puts each node (saved or automatic); updated while dragging.
    pub positions: Vec<Pos2>,
    pub index: HashMap<String, usize>,
    pub links: Vec<GraphLink>,
    /// For each node, the nodes linked to it in either direction.
    pub neighbours: Vec<Vec<usize>>,
}

impl Graph {
    /// The graph of a scene.
    pub fn new(scene: Scene) -> Self {
        let mut neighbours = vec![Vec::new(); scene.nodes.len()];
        let links = scene
            .links
            .iter()
            .map(|link| {
                neighbours[link.source].push(link.target);
                neighbours[link.target].push(link.source);
                GraphLink {
                    source: link.source,
                    target: link.target,
                    output: link.kind,
                }
            })
            .collect();
        let positions = scene
            .nodes
            .iter()
            .map(|node| Pos2::new(node.position[0], node.position[1]))
            .collect();
        Self {
            views: scene.nodes.into_iter().map(NodeView::from).collect(),
            positions,
            index: scene.index,
            links,
            neighbours,
        }
    }

    /// Node `index`'s rectangle in canvas coordinates: as last drawn, else its nominal size.
    pub fn rect(&self, index: usize, drawn: &HashMap<String, Rect>) -> Rect {
        let view = &self.views[index];
        drawn.get(&view.id).map_or_else(
            || {
                let [width, height] = view.size;
                Rect::from_min_size(self.positions[index], Vec2::new(width, height))
            },
            |rect| Rect::from_min_size(self.positions[index], rect.size()),
        )
    }
}

#[cfg(test)]
mod tests {
    use medflow_core::flow::FlowLink;

    use crate::theme::{LINK_KINDS, link_color};

    #[test]
    fn every_kind_of_link_has_its_own_colour() {
        let colours: Vec<_> = FlowLink::ALL.into_iter().map(link_color).collect();
        for (index, colour) in colours.iter().enumerate() {
            assert!(
                !colours[..index].contains(colour),
                "link kind {index} shares a colour"
            );
        }
        assert_eq!(colours.len(), LINK_KINDS.len());
        // The legend names each kind as the pins do.
        for (link, (name, _)) in FlowLink::ALL.into_iter().zip(LINK_KINDS) {
            assert_eq!(name, link.name().to_lowercase());
        }
    }
}
