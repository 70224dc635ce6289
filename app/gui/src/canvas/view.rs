//! What the canvas shows of each object, and the document's graph as the canvas draws it:
//! plain data, computed from the document on each revision, shared by the detailed (snarl)
//! view and the overview.

use std::collections::HashMap;

use eframe::egui::{Color32, Pos2, Rect, Vec2};
use medflow_core::attack::Catalog;
use medflow_core::control::{ControlKind, control_links, controls, is_control};
use medflow_core::edit::Port;
use medflow_core::layout::{Link, LinkKind, is_node, position};
use medflow_core::{Document, StixObject};

use super::{node_kind_label, node_size, node_title, port_color, relationship_color};

/// An output pin: a flow port, or the relationships leaving the node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Output {
    Port(Port),
    Relationships,
}

impl Output {
    pub(super) fn label(self) -> &'static str {
        match self {
            Self::Port(Port::Start) => "starts",
            Self::Port(Port::Effect) => "effects",
            Self::Port(Port::OnTrue) => "on true",
            Self::Port(Port::OnFalse) => "on false",
            Self::Port(Port::Asset) => "assets",
            Self::Port(Port::Command) => "command",
            Self::Port(Port::Object) => "object",
            Self::Relationships => "related",
        }
    }

    pub(super) fn color(self) -> Color32 {
        match self {
            Self::Port(port) => port_color(port),
            Self::Relationships => relationship_color(),
        }
    }
}

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
    pub outputs: Vec<Output>,
    /// The size the automatic layout assumes, until the node is drawn and measured.
    pub size: [f32; 2],
    /// The colour that marks the node's kind in the overview.
    pub accent: Color32,
    /// For an action: the controls addressing it, by kind and name.
    pub controls: Vec<(ControlKind, String)>,
}

fn outputs_of(object: &StixObject) -> Vec<Output> {
    let mut outputs: Vec<Output> = Port::ALL
        .into_iter()
        .filter(|port| port.source_types().contains(&object.type_name()))
        .map(Output::Port)
        .collect();
    outputs.push(Output::Relationships);
    outputs
}

/// The Attack Flow word for a confidence value.
fn confidence_word(value: u8) -> &'static str {
    match value {
        0..=4 => "Speculative",
        5..=19 => "Very doubtful",
        20..=39 => "Doubtful",
        40..=59 => "Even odds",
        60..=79 => "Probable",
        80..=94 => "Very probable",
        _ => "Certain",
    }
}

pub(super) fn node_view(object: &StixObject, catalog: &Catalog) -> NodeView {
    let mut lines = Vec::new();
    if let StixObject::AttackAction(action) = object {
        if let Some(technique) = &action.technique_id {
            let name = catalog
                .technique(technique)
                .map_or(String::new(), |entry| format!(" {}", entry.name));
            lines.push(format!("{technique}{name}"));
        }
        if let Some(tactic) = &action.tactic_id {
            let name = catalog
                .tactic(tactic)
                .map_or(String::new(), |entry| format!(" {}", entry.name));
            lines.push(format!("{tactic}{name}"));
        }
    }
    if let Some(confidence) = object.common().and_then(|common| common.confidence) {
        lines.push(format!(
            "Confidence: {} ({confidence})",
            confidence_word(confidence)
        ));
    }
    NodeView {
        id: object.id().to_owned(),
        kind: node_kind_label(object),
        title: shortened(&node_title(object)),
        lines: lines.iter().map(|line| shortened(line)).collect(),
        outputs: outputs_of(object),
        size: node_size(object),
        accent: crate::theme::node_accent(object),
        controls: Vec::new(),
    }
}

/// Text cut to what fits on a node; the inspector shows it whole.
fn shortened(text: &str) -> String {
    const MAX_CHARACTERS: usize = 44;
    let single_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if single_line.chars().count() <= MAX_CHARACTERS {
        single_line
    } else {
        let kept: String = single_line.chars().take(MAX_CHARACTERS - 1).collect();
        format!("{}…", kept.trim_end())
    }
}

/// The identities that only sign objects (`created_by_ref`) and are linked to nothing: the
/// flow's author, shown in the inspector of what they created rather than as a node.
fn authors_only<'a>(
    document: &'a Document,
    document_links: &[Link],
) -> std::collections::HashSet<&'a str> {
    let signers: std::collections::HashSet<&str> = document
        .objects
        .iter()
        .filter_map(|object| object.common()?.created_by_ref.as_deref())
        .chain(document.objects.iter().filter_map(|object| match object {
            StixObject::Other(other) => other.string("created_by_ref"),
            _ => None,
        }))
        .collect();
    document
        .objects
        .iter()
        .filter(|object| object.type_name() == "identity" && signers.contains(object.id()))
        .map(StixObject::id)
        .filter(|id| {
            !document_links
                .iter()
                .any(|link| link.source == *id || link.target == *id)
        })
        .collect()
}

/// A link between two nodes of the [`Graph`], by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct GraphLink {
    pub source: usize,
    pub target: usize,
    pub output: Output,
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
    /// The graph of `document`, its nodes placed at `positions`.
    pub fn new(
        document: &Document,
        document_links: &[Link],
        positions: &HashMap<String, [f32; 2]>,
        catalog: &Catalog,
        show_controls: bool,
    ) -> Self {
        let mut graph = Self::default();
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
        let authors = authors_only(document, document_links);
        for object in document
            .objects
            .iter()
            .filter(|object| is_node(object) && !authors.contains(object.id()))
        {
            let [x, y] = positions.get(object.id()).copied().unwrap_or([0.0, 0.0]);
            graph
                .index
                .insert(object.id().to_owned(), graph.views.len());
            let mut view = node_view(object, catalog);
            view.controls = controls_of.remove(object.id()).unwrap_or_default();
            graph.views.push(view);
            graph.positions.push(Pos2::new(x, y));
        }
        if show_controls {
            graph.add_control_nodes(document, catalog);
        }
        graph.neighbours = vec![Vec::new(); graph.views.len()];
        for link in document_links {
            let (Some(&source), Some(&target)) =
                (graph.index.get(&link.source), graph.index.get(&link.target))
            else {
                continue;
            };
            let output = match link.kind {
                LinkKind::Flow(port) => Output::Port(port),
                LinkKind::Relationship { .. } => Output::Relationships,
            };
            if !graph.views[source].outputs.contains(&output) {
                continue;
            }
            graph.links.push(GraphLink {
                source,
                target,
                output,
            });
            graph.neighbours[source].push(target);
            graph.neighbours[target].push(source);
        }
        if show_controls {
            for link in control_links(document) {
                let (Some(&source), Some(&target)) = (
                    graph.index.get(&link.control),
                    graph.index.get(&link.target),
                ) else {
                    continue;
                };
                graph.links.push(GraphLink {
                    source,
                    target,
                    output: Output::Relationships,
                });
                graph.neighbours[source].push(target);
                graph.neighbours[target].push(source);
            }
        }
        graph
    }

    /// Adds the document's controls as nodes: at their saved position, else in a column under
    /// the first action they address.
    fn add_control_nodes(&mut self, document: &Document, catalog: &Catalog) {
        let mut stacked: HashMap<usize, f32> = HashMap::new();
        let links = control_links(document);
        for object in document.objects.iter().filter(|object| is_control(object)) {
            let first_target = links
                .iter()
                .filter(|link| link.control == object.id())
                .find_map(|link| self.index.get(&link.target).copied());
            let at = position(object).map_or_else(
                || {
                    let (anchor, below) = first_target.map_or((Pos2::ZERO, 0.0), |target| {
                        let below = stacked.entry(target).or_insert(0.0);
                        *below += 100.0;
                        (self.positions[target], *below)
                    });
                    anchor + Vec2::new(0.0, 60.0 + below)
                },
                |[x, y]| Pos2::new(x, y),
            );
            self.index.insert(object.id().to_owned(), self.views.len());
            self.views.push(node_view(object, catalog));
            self.positions.push(at);
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
    #![allow(clippy::unwrap_used, reason = "tests")]

    use medflow_core::attack::Catalog;
    use serde_json::{Value, json};

    use super::{Output, node_view, outputs_of};
    use medflow_core::StixObject;
    use medflow_core::edit::Port;

    fn object(value: &Value) -> StixObject {
        match value {
            Value::Object(map) => StixObject::from_json(map.clone()),
            _ => unreachable!("an object"),
        }
    }

    fn of_type(type_name: &str) -> StixObject {
        object(
            &json!({"type": type_name, "id": format!("{type_name}--00000000-0000-4000-8000-000000000001")}),
        )
    }

    #[test]
    fn each_kind_of_node_has_its_typed_pins() {
        use Output::{Port as P, Relationships as R};
        let pins = |type_name: &str| outputs_of(&of_type(type_name));
        assert_eq!(pins("attack-flow"), [P(Port::Start), R]);
        assert_eq!(
            pins("attack-action"),
            [P(Port::Effect), P(Port::Asset), P(Port::Command), R]
        );
        assert_eq!(
            pins("attack-condition"),
            [P(Port::OnTrue), P(Port::OnFalse), R]
        );
        assert_eq!(pins("attack-operator"), [P(Port::Effect), R]);
        assert_eq!(pins("attack-asset"), [P(Port::Object), R]);
        for type_name in [
            "infrastructure",
            "vulnerability",
            "process",
            "note",
            "ipv4-addr",
        ] {
            assert_eq!(pins(type_name), [R], "{type_name} relates to others only");
        }
        let labels: Vec<&str> = pins("attack-action")
            .iter()
            .map(|pin| pin.label())
            .collect();
        assert_eq!(labels, ["effects", "assets", "command", "related"]);
    }

    #[test]
    fn every_kind_of_link_has_its_own_colour() {
        let colours: Vec<_> = Port::ALL
            .into_iter()
            .map(|port| Output::Port(port).color())
            .chain(std::iter::once(Output::Relationships.color()))
            .collect();
        for (index, colour) in colours.iter().enumerate() {
            assert!(
                !colours[..index].contains(colour),
                "link kind {index} shares a colour"
            );
        }
        assert_eq!(colours.len(), crate::theme::LINK_KINDS.len());
    }

    #[test]
    fn an_action_shows_its_kind_technique_tactic_and_confidence() {
        let action = object(&json!({
            "type": "attack-action",
            "id": "attack-action--00000000-0000-4000-8000-000000000002",
            "name": "Sign in with the vendor's account",
            "technique_id": "T1078",
            "tactic_id": "TA0001",
            "confidence": 70,
        }));
        let view = node_view(&action, Catalog::embedded());
        assert_eq!(view.kind, "Action");
        assert_eq!(view.title, "Sign in with the vendor's account");
        assert_eq!(
            view.lines,
            [
                "T1078 Valid Accounts",
                "TA0001 Initial Access",
                "Confidence: Probable (70)"
            ]
        );
    }

    #[test]
    fn long_names_are_shortened_on_the_node() {
        let asset = object(&json!({
            "type": "attack-asset",
            "id": "attack-asset--00000000-0000-4000-8000-000000000003",
            "name": "The surgeon console of the operating room on the third floor, east wing",
        }));
        let view = node_view(&asset, Catalog::embedded());
        assert_eq!(view.kind, "Asset");
        assert!(view.title.ends_with('…'), "{}", view.title);
        assert_eq!(view.title.chars().count(), 44);
    }
}
