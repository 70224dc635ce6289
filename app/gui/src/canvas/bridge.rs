//! The one bridge between the document and egui-snarl.
//!
//! [`CanvasState`] holds a snarl graph mirroring the document: one snarl node per canvas node
//! (object id → `NodeId`, stable while the object exists), wires rebuilt from the document's
//! links. It is brought in step whenever the editor's revision changes. The viewer never edits
//! snarl's wires itself: `connect`, `disconnect` and the drop callbacks only push edit
//! [`Action`]s, and the wires come back from the document on the next revision. Node drags are
//! read back after each frame as one coalesced "Move" step per drag.

use std::collections::{BTreeSet, HashMap};

use eframe::egui::{self, Color32, Id, Pos2, Rect, RichText, Stroke, Vec2, emath::TSTransform};
use egui_snarl::ui::{PinInfo, PinPlacement, SnarlStyle, SnarlViewer, SnarlWidget, WireStyle};
use egui_snarl::{InPin, InPinId, NodeId, OutPin, OutPinId, Snarl};
use medflow_core::attack::Catalog;
use medflow_core::edit::{Command, Port};
use medflow_core::layout::{
    LayoutOptions, LinkKind, auto_layout, is_node, links, needs_automatic_layout, node_positions,
};
use medflow_core::{Document, StixObject};

use super::{node_kind_label, node_size, node_title, port_color, relationship_color};
use crate::actions::Action;
use crate::tab::Tab;

/// An output pin: a flow port, or the relationships leaving the node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    Port(Port),
    Relationships,
}

impl Output {
    fn label(self) -> &'static str {
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

    fn color(self) -> Color32 {
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
    kind: String,
    title: String,
    /// Lines under the title: technique, tactic, confidence, description.
    lines: Vec<String>,
    outputs: Vec<Output>,
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

fn node_view(object: &StixObject, catalog: &Catalog) -> NodeView {
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

/// The smallest zoom at which node text can be read; a file opens at least this large.
const READABLE_SCALE: f32 = 0.55;

/// How many frames a fit is repeated while nodes get measured.
const FIT_FRAMES: u8 = 3;

/// A change to the camera asked for from outside the canvas.
#[derive(Debug, Clone, PartialEq)]
enum ViewRequest {
    /// Fit everything in view, this frame and the given number of following frames.
    Fit(u8),
    /// Like `Fit`, but never below a readable zoom: a long flow is shown from its start.
    Overview(u8),
    Zoom(f32),
    Reveal(String),
}

/// The canvas's view of one document.
pub struct CanvasState {
    snarl: Snarl<NodeView>,
    nodes: HashMap<String, NodeId>,
    /// The automatic layout of the document's graph, and the shape (node ids and links) it
    /// was computed for: recomputed only when the graph's shape changes, not on every move.
    automatic: Option<(u64, HashMap<String, [f32; 2]>)>,
    /// Where the document puts each node (saved or automatic), as last synced.
    document_positions: HashMap<String, Pos2>,
    synced_revision: Option<u64>,
    requests: Vec<ViewRequest>,
    /// The camera, as snarl last reported it.
    to_global: Option<TSTransform>,
    /// A camera to put back on the next frame (after snarl's state was started afresh).
    force_camera: Option<TSTransform>,
    /// Each node's rectangle as snarl last drew it, in canvas coordinates.
    drawn: HashMap<String, Rect>,
    /// The canvas rectangle on screen, last frame.
    screen_rect: Rect,
    /// Bumped to give snarl a fresh state (its selection cannot be set from outside).
    epoch: u64,
    /// The selection as the canvas last saw or set it.
    known_selection: BTreeSet<String>,
    /// The selection snarl reported last frame.
    snarl_selection: Vec<NodeId>,
    dragging: bool,
}

impl Default for CanvasState {
    fn default() -> Self {
        Self {
            snarl: Snarl::new(),
            nodes: HashMap::new(),
            automatic: None,
            document_positions: HashMap::new(),
            synced_revision: None,
            requests: vec![ViewRequest::Overview(FIT_FRAMES)],
            to_global: None,
            force_camera: None,
            drawn: HashMap::new(),
            screen_rect: Rect::NOTHING,
            epoch: 0,
            known_selection: BTreeSet::new(),
            snarl_selection: Vec::new(),
            dragging: false,
        }
    }
}

impl std::fmt::Debug for CanvasState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CanvasState")
            .field("nodes", &self.nodes.len())
            .field("synced_revision", &self.synced_revision)
            .finish_non_exhaustive()
    }
}

impl CanvasState {
    /// Fit the whole flow in view on the next frame.
    pub fn request_fit(&mut self) {
        self.requests.push(ViewRequest::Fit(FIT_FRAMES));
    }

    /// Zoom by `factor` about the view's centre on the next frame.
    pub fn request_zoom(&mut self, factor: f32) {
        self.requests.push(ViewRequest::Zoom(factor));
    }

    /// Centre the view on an object's node on the next frame.
    pub fn request_reveal(&mut self, id: String) {
        self.requests.push(ViewRequest::Reveal(id));
    }

    /// The centre of the view, in canvas coordinates (where new nodes go).
    #[must_use]
    pub fn view_center(&self) -> [f32; 2] {
        match self.to_global {
            Some(to_global) if self.screen_rect.is_finite() => {
                let center = to_global.inverse() * self.screen_rect.center();
                [center.x, center.y]
            }
            _ => [0.0, 0.0],
        }
    }

    /// Brings the snarl graph in step with the document.
    fn sync(&mut self, document: &Document, catalog: &Catalog) {
        let document_links = links(document);
        let no_automatic = HashMap::new();
        let automatic = if needs_automatic_layout(document) {
            let shape = graph_shape(document, &document_links);
            if self
                .automatic
                .as_ref()
                .is_none_or(|(known, _)| *known != shape)
            {
                let placed = auto_layout(
                    document,
                    &document_links,
                    &node_size,
                    &LayoutOptions::default(),
                );
                self.automatic = Some((shape, placed.into_iter().collect()));
            }
            self.automatic
                .as_ref()
                .map_or(&no_automatic, |(_, placed)| placed)
        } else {
            &no_automatic
        };
        let positions: HashMap<String, Pos2> = node_positions(document, automatic)
            .into_iter()
            .map(|(id, [x, y])| (id, Pos2::new(x, y)))
            .collect();
        let wanted: Vec<&StixObject> = document
            .objects
            .iter()
            .filter(|object| is_node(object))
            .collect();
        let wanted_ids: BTreeSet<&str> = wanted.iter().map(|object| object.id()).collect();
        let gone: Vec<String> = self
            .nodes
            .keys()
            .filter(|id| !wanted_ids.contains(id.as_str()))
            .cloned()
            .collect();
        for id in gone {
            if let Some(node) = self.nodes.remove(&id) {
                self.snarl.remove_node(node);
            }
        }
        for object in wanted {
            let view = node_view(object, catalog);
            let at = positions.get(object.id()).copied().unwrap_or(Pos2::ZERO);
            if let Some(&node) = self.nodes.get(object.id()) {
                if let Some(info) = self.snarl.get_node_info_mut(node) {
                    if info.value != view {
                        info.value = view;
                    }
                    info.pos = at;
                }
            } else {
                let node = self.snarl.insert_node(at, view);
                self.nodes.insert(object.id().to_owned(), node);
            }
        }
        let wires: Vec<(OutPinId, InPinId)> = self.snarl.wires().collect();
        for (from, to) in wires {
            self.snarl.disconnect(from, to);
        }
        for link in document_links {
            let (Some(&source), Some(&target)) =
                (self.nodes.get(&link.source), self.nodes.get(&link.target))
            else {
                continue;
            };
            let wanted_output = match link.kind {
                LinkKind::Flow(port) => Output::Port(port),
                LinkKind::Relationship { .. } => Output::Relationships,
            };
            let Some(output) = self.snarl.get_node(source).and_then(|view| {
                view.outputs
                    .iter()
                    .position(|known| *known == wanted_output)
            }) else {
                continue;
            };
            self.snarl.connect(
                OutPinId {
                    node: source,
                    output,
                },
                InPinId {
                    node: target,
                    input: 0,
                },
            );
        }
        self.document_positions = positions;
    }

    fn object_id(&self, node: NodeId) -> Option<&str> {
        self.snarl.get_node(node).map(|view| view.id.as_str())
    }

    /// The camera that shows `bounds` (canvas coordinates) inside the screen rectangle.
    fn fitting(&self, bounds: Rect) -> Option<TSTransform> {
        if !bounds.is_finite() || !self.screen_rect.is_finite() || self.screen_rect.area() <= 0.0 {
            return None;
        }
        let bounds = bounds.expand(40.0);
        let scale = (self.screen_rect.width() / bounds.width())
            .min(self.screen_rect.height() / bounds.height())
            .clamp(0.05, 2.0);
        Some(TSTransform::new(
            self.screen_rect.center().to_vec2() - bounds.center().to_vec2() * scale,
            scale,
        ))
    }

    fn node_rect(&self, id: &str) -> Option<Rect> {
        if let Some(rect) = self.drawn.get(id) {
            return Some(*rect);
        }
        let node = *self.nodes.get(id)?;
        let info = self.snarl.get_node_info(node)?;
        let [width, height] = node_size_of(&info.value);
        Some(Rect::from_min_size(info.pos, Vec2::new(width, height)))
    }

    /// Applies the pending camera requests to `to_global`.
    fn apply_requests(&mut self, to_global: &mut TSTransform) {
        if let Some(camera) = self.force_camera.take() {
            *to_global = camera;
        }
        for request in std::mem::take(&mut self.requests) {
            match request {
                ViewRequest::Fit(frames_left) | ViewRequest::Overview(frames_left) => {
                    let overview = matches!(request, ViewRequest::Overview(_));
                    let mut bounds = Rect::NOTHING;
                    for id in self.nodes.keys() {
                        if let Some(rect) = self.node_rect(id) {
                            bounds = bounds.union(rect);
                        }
                    }
                    if let Some(mut fit) = self.fitting(bounds) {
                        if overview && fit.scaling < READABLE_SCALE {
                            // Too small to read: show the start of the flow, readable.
                            let scale = READABLE_SCALE;
                            let anchor = Pos2::new(bounds.left() - 40.0, bounds.center().y);
                            let screen =
                                Pos2::new(self.screen_rect.left(), self.screen_rect.center().y);
                            fit = TSTransform::new(
                                screen.to_vec2() - anchor.to_vec2() * scale,
                                scale,
                            );
                        }
                        *to_global = fit;
                    }
                    // Nodes are measured when first drawn: fit again on the next frames.
                    if frames_left > 0 {
                        self.requests.push(if overview {
                            ViewRequest::Overview(frames_left - 1)
                        } else {
                            ViewRequest::Fit(frames_left - 1)
                        });
                    }
                }
                ViewRequest::Zoom(factor) => {
                    let center = self.screen_rect.center();
                    let scale = (to_global.scaling * factor).clamp(0.05, 4.0);
                    let anchor = to_global.inverse() * center;
                    *to_global =
                        TSTransform::new(center.to_vec2() - anchor.to_vec2() * scale, scale);
                }
                ViewRequest::Reveal(id) => {
                    if let Some(rect) = self.node_rect(&id) {
                        let scale = to_global.scaling.max(0.6);
                        let center = self.screen_rect.center();
                        *to_global = TSTransform::new(
                            center.to_vec2() - rect.center().to_vec2() * scale,
                            scale,
                        );
                    }
                }
            }
        }
        self.to_global = Some(*to_global);
    }
}

/// The snarl viewer: draws nodes and turns snarl's callbacks into actions.
struct Viewer<'a> {
    actions: &'a mut Vec<Action>,
    selection: &'a BTreeSet<String>,
    state_requests: &'a mut CanvasState,
}

impl Viewer<'_> {
    fn output_of(snarl: &Snarl<NodeView>, pin: OutPinId) -> Option<(String, Output)> {
        let view = snarl.get_node(pin.node)?;
        Some((view.id.clone(), *view.outputs.get(pin.output)?))
    }

    fn link_action(
        snarl: &Snarl<NodeView>,
        from: OutPinId,
        to: InPinId,
        connect: bool,
    ) -> Option<Action> {
        let (source, output) = Self::output_of(snarl, from)?;
        let target = snarl.get_node(to.node)?.id.clone();
        Some(match (output, connect) {
            (Output::Port(port), true) => Action::Edit {
                label: format!("Connect {}", Output::Port(port).label()),
                coalesce_key: None,
                commands: vec![Command::Connect {
                    source,
                    port,
                    target,
                }],
            },
            (Output::Port(port), false) => Action::Edit {
                label: format!("Disconnect {}", Output::Port(port).label()),
                coalesce_key: None,
                commands: vec![Command::Disconnect {
                    source,
                    port,
                    target,
                }],
            },
            (Output::Relationships, true) => Action::Relate { source, target },
            (Output::Relationships, false) => Action::Unrelate { source, target },
        })
    }
}

impl SnarlViewer<NodeView> for Viewer<'_> {
    fn title(&mut self, node: &NodeView) -> String {
        format!("{}: {}", node.kind, node.title)
    }

    fn node_frame(
        &mut self,
        default: egui::Frame,
        node: NodeId,
        _inputs: &[InPin],
        _outputs: &[OutPin],
        snarl: &Snarl<NodeView>,
    ) -> egui::Frame {
        let selected = snarl
            .get_node(node)
            .is_some_and(|view| self.selection.contains(&view.id));
        if selected {
            default.stroke(Stroke::new(2.5, Color32::from_rgb(255, 190, 60)))
        } else {
            default
        }
    }

    fn show_header(
        &mut self,
        node: NodeId,
        _inputs: &[InPin],
        _outputs: &[OutPin],
        ui: &mut egui::Ui,
        snarl: &mut Snarl<NodeView>,
    ) {
        let Some(view) = snarl.get_node(node) else {
            return;
        };
        // Snarl selects only with Shift; a plain click on the header selects the node here,
        // Ctrl- or Shift-click adds it to (or removes it from) the selection.
        let mut clicked = false;
        ui.vertical(|ui| {
            ui.set_min_width(140.0);
            ui.set_max_width(180.0);
            for text in [
                RichText::new(&view.kind).small().weak(),
                RichText::new(&view.title).strong(),
            ] {
                clicked |= ui
                    .add(
                        egui::Label::new(text)
                            .selectable(false)
                            .sense(egui::Sense::click()),
                    )
                    .clicked();
            }
        });
        if clicked {
            let modifiers = ui.input(|input| input.modifiers);
            let mut selection = if modifiers.command || modifiers.shift {
                self.selection.clone()
            } else {
                BTreeSet::new()
            };
            if !selection.remove(&view.id) || !(modifiers.command || modifiers.shift) {
                selection.insert(view.id.clone());
            }
            self.actions
                .push(Action::Select(selection.into_iter().collect()));
        }
    }

    fn inputs(&mut self, _node: &NodeView) -> usize {
        1
    }

    fn show_input(
        &mut self,
        _pin: &InPin,
        ui: &mut egui::Ui,
        _snarl: &mut Snarl<NodeView>,
    ) -> impl egui_snarl::ui::SnarlPin + 'static {
        ui.label(RichText::new("in").small().weak());
        PinInfo::circle().with_fill(Color32::from_gray(150))
    }

    fn outputs(&mut self, node: &NodeView) -> usize {
        node.outputs.len()
    }

    fn show_output(
        &mut self,
        pin: &OutPin,
        ui: &mut egui::Ui,
        snarl: &mut Snarl<NodeView>,
    ) -> impl egui_snarl::ui::SnarlPin + 'static {
        let output = snarl
            .get_node(pin.id.node)
            .and_then(|view| view.outputs.get(pin.id.output).copied())
            .unwrap_or(Output::Relationships);
        ui.label(RichText::new(output.label()).small());
        let style = if output == Output::Relationships {
            WireStyle::Line
        } else {
            WireStyle::Bezier5
        };
        PinInfo::circle()
            .with_fill(output.color())
            .with_wire_color(output.color())
            .with_wire_style(style)
    }

    fn has_body(&mut self, node: &NodeView) -> bool {
        !node.lines.is_empty()
    }

    fn show_body(
        &mut self,
        node: NodeId,
        _inputs: &[InPin],
        _outputs: &[OutPin],
        ui: &mut egui::Ui,
        snarl: &mut Snarl<NodeView>,
    ) {
        if let Some(view) = snarl.get_node(node) {
            ui.vertical(|ui| {
                for line in &view.lines {
                    ui.label(RichText::new(line).small());
                }
            });
        }
    }

    fn connect(&mut self, from: &OutPin, to: &InPin, snarl: &mut Snarl<NodeView>) {
        if let Some(action) = Self::link_action(snarl, from.id, to.id, true) {
            self.actions.push(action);
        }
    }

    fn disconnect(&mut self, from: &OutPin, to: &InPin, snarl: &mut Snarl<NodeView>) {
        if let Some(action) = Self::link_action(snarl, from.id, to.id, false) {
            self.actions.push(action);
        }
    }

    fn drop_outputs(&mut self, pin: &OutPin, snarl: &mut Snarl<NodeView>) {
        for remote in &pin.remotes {
            if let Some(action) = Self::link_action(snarl, pin.id, *remote, false) {
                self.actions.push(action);
            }
        }
    }

    fn drop_inputs(&mut self, pin: &InPin, snarl: &mut Snarl<NodeView>) {
        for remote in &pin.remotes {
            if let Some(action) = Self::link_action(snarl, *remote, pin.id, false) {
                self.actions.push(action);
            }
        }
    }

    fn final_node_rect(
        &mut self,
        node: NodeId,
        rect: Rect,
        _ui: &mut egui::Ui,
        snarl: &mut Snarl<NodeView>,
    ) {
        if let Some(view) = snarl.get_node(node) {
            self.state_requests.drawn.insert(view.id.clone(), rect);
        }
    }

    fn current_transform(&mut self, to_global: &mut TSTransform, _snarl: &mut Snarl<NodeView>) {
        self.state_requests.apply_requests(to_global);
    }
}

/// A hash of the graph's shape: its nodes, in order, and its links.
fn graph_shape(document: &Document, document_links: &[medflow_core::layout::Link]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for object in document.objects.iter().filter(|object| is_node(object)) {
        object.id().hash(&mut hasher);
        node_size(object).map(f32::to_bits).hash(&mut hasher);
    }
    document_links.hash(&mut hasher);
    hasher.finish()
}

/// The nominal size of a node view (before it is first drawn).
fn node_size_of(view: &NodeView) -> [f32; 2] {
    if view.kind.chars().next().is_some_and(char::is_uppercase) {
        [250.0, 110.0]
    } else {
        [220.0, 80.0]
    }
}

/// The snarl widget's id for a state epoch.
fn widget_id(epoch: u64) -> Id {
    Id::new(("medflow_canvas", epoch))
}

fn style() -> SnarlStyle {
    let mut style = SnarlStyle::new();
    style.collapsible = Some(false);
    style.min_scale = Some(0.05);
    style.max_scale = Some(4.0);
    style.wire_width = Some(2.5);
    style.select_rect_contained = Some(false);
    // Pins on the frame's edge, so they never cover the pin labels.
    style.pin_placement = Some(PinPlacement::Edge);
    style
}

/// Draws the canvas and reads back what the user did.
pub(super) fn show(ui: &mut egui::Ui, tab: &mut Tab, catalog: &Catalog, actions: &mut Vec<Action>) {
    let revision = tab.editor.revision();
    let state = &mut tab.canvas;
    if state.synced_revision != Some(revision) {
        state.sync(tab.editor.document(), catalog);
        state.synced_revision = Some(revision);
    }
    // A selection made elsewhere (outline, problems, select all): start snarl afresh so its
    // own selection does not disagree with ours.
    if tab.selection != state.known_selection {
        state.epoch += 1;
        state.known_selection = tab.selection.clone();
        state.snarl_selection.clear();
        // Keep the camera across the fresh state.
        state.force_camera = state.to_global;
    }
    state.screen_rect = ui.available_rect_before_wrap();
    let id = widget_id(state.epoch);
    let mut snarl = std::mem::take(&mut state.snarl);
    {
        let mut viewer = Viewer {
            actions,
            selection: &tab.selection,
            state_requests: state,
        };
        SnarlWidget::new()
            .id(id)
            .style(style())
            .show(&mut snarl, &mut viewer, ui);
    }
    let state = &mut tab.canvas;
    state.snarl = snarl;
    if !state.requests.is_empty() {
        ui.ctx().request_repaint();
    }

    // Selection made in the canvas (click, Ctrl/Shift-click, rubber band).
    let selected = egui_snarl::ui::get_selected_nodes(id, ui.ctx());
    if selected != state.snarl_selection {
        state.snarl_selection.clone_from(&selected);
        let ids: Vec<String> = selected
            .iter()
            .filter_map(|node| state.object_id(*node).map(str::to_owned))
            .collect();
        state.known_selection = ids.iter().cloned().collect();
        actions.push(Action::Select(ids));
    }

    // Node drags: positions snarl changed become one coalesced move step per drag.
    let mut moves = Vec::new();
    for (_, node) in state.snarl.nodes_ids_data() {
        let known = state.document_positions.get(&node.value.id).copied();
        if known.is_some_and(|at| (at - node.pos).length() > 0.05) {
            moves.push((node.value.id.clone(), [node.pos.x, node.pos.y]));
        }
    }
    let pointer_down = ui.ctx().input(|input| input.pointer.any_down());
    if !moves.is_empty() {
        state.dragging = true;
        for (id, [x, y]) in &moves {
            state
                .document_positions
                .insert(id.clone(), Pos2::new(*x, *y));
        }
        let label = if moves.len() == 1 {
            "Move 1 node".to_owned()
        } else {
            format!("Move {} nodes", moves.len())
        };
        actions.push(Action::Edit {
            label,
            coalesce_key: Some("canvas-drag".to_owned()),
            commands: vec![Command::MoveNodes { moves }],
        });
    } else if state.dragging && !pointer_down {
        state.dragging = false;
        actions.push(Action::EndBurst);
    }
}
