//! The one bridge between the document and egui-snarl.
//!
//! [`SnarlView`] holds a snarl graph mirroring part of the document's [`Graph`]: the nodes near
//! the view and the nodes linked to them (snarl lays out every node it holds on every frame,
//! so it is given only those). Object id → `NodeId` is stable while a node stays in. Wires are
//! rebuilt from the graph's links. The viewer never edits snarl's wires itself: `connect`,
//! `disconnect` and the drop callbacks only push edit [`Action`]s, and the wires come back
//! from the document on the next revision. Node drags are read back after each frame as one
//! coalesced "Move" step per drag.

use std::collections::{BTreeSet, HashMap};

use eframe::egui::{self, Id, Rect, emath::TSTransform};
use egui_snarl::ui::{PinPlacement, SnarlStyle, SnarlWidget};
use egui_snarl::{InPinId, NodeId, OutPinId, Snarl};
use medflow_core::edit::Command;
use medflow_core::extension::View;

use super::state::{MAX_SCALE, MIN_SCALE};
use super::view::{Graph, NodeView};
use crate::actions::Action;
use crate::tab::Tab;
use viewer::Viewer;

mod menus;
mod viewer;
mod wires;

/// How far beyond the view (in screen points) nodes are given to snarl, so that panning
/// does not show them late.
const VIEW_MARGIN: f32 = 250.0;

/// The width of a node's title and text, in canvas points.
pub(super) const NODE_TEXT_WIDTH: f32 = 180.0;

/// The detailed view's snarl graph and what the bridge knows about it.
#[derive(Default)]
pub struct SnarlView {
    snarl: Snarl<NodeView>,
    /// Object id → snarl node, for the nodes snarl holds.
    nodes: HashMap<String, NodeId>,
    /// The graph indices snarl holds, sorted, and the graph generation their content and
    /// positions were taken from (the canvas rebuilds its graph on a new revision and on a
    /// switch of view, which moves every node without changing the document).
    members: Vec<usize>,
    members_generation: Option<u64>,
    /// Bumped to give snarl a fresh state (its selection cannot be set from outside).
    epoch: u64,
    /// The selection as the canvas last saw or set it.
    known_selection: BTreeSet<String>,
    /// The selection snarl reported last frame.
    snarl_selection: Vec<NodeId>,
    /// A drag of nodes is under way.
    dragging: bool,
    /// The links as the editor routes and draws them.
    wires: wires::Wires,
    /// The link whose menu is open (right-clicked), and where on screen.
    wire_menu: Option<(wires::DrawnWire, egui::Pos2)>,
    /// That menu was opened this frame.
    wire_menu_opened: bool,
}

impl SnarlView {
    /// The links drawn in the last frame: source, target and the route's corners (canvas
    /// coordinates).
    pub(super) fn drawn_links(&self) -> impl Iterator<Item = (&str, &str, &[egui::Pos2])> {
        self.wires.drawn.iter().map(|wire| {
            (
                wire.source.as_str(),
                wire.target.as_str(),
                wire.points.as_slice(),
            )
        })
    }

    fn object_id(&self, node: NodeId) -> Option<&str> {
        self.snarl.get_node(node).map(|view| view.id.as_str())
    }

    /// Gives snarl the nodes `wanted` (sorted graph indices) and the wires between them.
    /// Returns true when a node snarl had selected left (its state must start afresh, since
    /// snarl may hand the freed `NodeId` to another node).
    fn hold(&mut self, graph: &Graph, wanted: Vec<usize>, generation: u64) -> bool {
        if wanted == self.members && self.members_generation == Some(generation) {
            return false;
        }
        let keep: BTreeSet<&str> = wanted
            .iter()
            .map(|&index| graph.views[index].id.as_str())
            .collect();
        let gone: Vec<String> = self
            .nodes
            .keys()
            .filter(|id| !keep.contains(id.as_str()))
            .cloned()
            .collect();
        // New nodes first, while the leaving ones still hold their `NodeId`s: snarl draws
        // a node it has not seen before above the others, and a reused id would keep the
        // place of the node that had it.
        for &index in &wanted {
            let view = &graph.views[index];
            let at = graph.positions[index];
            if let Some(&node) = self.nodes.get(&view.id) {
                if let Some(info) = self.snarl.get_node_info_mut(node) {
                    if info.value != *view {
                        info.value = view.clone();
                    }
                    info.pos = at;
                }
            } else {
                let node = self.snarl.insert_node(at, view.clone());
                self.nodes.insert(view.id.clone(), node);
            }
        }
        let mut selected_left = false;
        for id in gone {
            if let Some(node) = self.nodes.remove(&id) {
                selected_left |= self.snarl_selection.contains(&node);
                self.snarl.remove_node(node);
            }
        }
        let wires: Vec<(OutPinId, InPinId)> = self.snarl.wires().collect();
        for (from, to) in wires {
            self.snarl.disconnect(from, to);
        }
        for link in &graph.links {
            let (Some(&source), Some(&target)) = (
                self.nodes.get(&graph.views[link.source].id),
                self.nodes.get(&graph.views[link.target].id),
            ) else {
                continue;
            };
            let Some(output) = graph.views[link.source]
                .outputs
                .iter()
                .position(|known| *known == link.output)
            else {
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
        self.members = wanted;
        self.members_generation = Some(generation);
        selected_left
    }
}

/// The graph indices of the nodes within `viewport` (canvas coordinates) and of the nodes
/// linked to them, sorted.
fn nodes_near(graph: &Graph, drawn: &HashMap<String, Rect>, viewport: Rect) -> Vec<usize> {
    let mut wanted = vec![false; graph.views.len()];
    for index in 0..graph.views.len() {
        if graph.rect(index, drawn).intersects(viewport) {
            wanted[index] = true;
            for &neighbour in &graph.neighbours[index] {
                wanted[neighbour] = true;
            }
        }
    }
    (0..wanted.len()).filter(|&index| wanted[index]).collect()
}

/// The snarl widget's id for a tab and a state epoch: snarl keeps its camera and selection in
/// egui's memory under it, so two tabs must never share one (switching back to a tab showed
/// the other tab's camera).
fn widget_id(tab: u64, epoch: u64) -> Id {
    Id::new(("medflow_canvas", tab, epoch))
}

fn style() -> SnarlStyle {
    let mut style = SnarlStyle::new();
    style.collapsible = Some(false);
    style.min_scale = Some(MIN_SCALE);
    style.max_scale = Some(MAX_SCALE);
    style.wire_width = Some(2.5);
    style.select_rect_contained = Some(false);
    // Pins on the frame's edge, so they never cover the pin labels.
    style.pin_placement = Some(PinPlacement::Edge);
    style
}

/// Draws the detailed view (snarl) and reads back what the user did. `force_camera`: the
/// canvas's camera was set from outside snarl (a request, or the overview) and snarl must
/// take it.
pub(super) fn show(
    ui: &mut egui::Ui,
    tab: &mut Tab,
    force_camera: bool,
    actions: &mut Vec<Action>,
) {
    let state = &mut tab.canvas;
    let generation = state.graph_generation;
    let mut camera = state.camera.unwrap_or(TSTransform::IDENTITY);
    let detailed = &mut state.detailed;
    let mut force_camera = force_camera;
    // A selection made elsewhere (outline, problems, select all, a new node): when snarl
    // has a selection of its own (Shift-click, rubber band), start snarl afresh so it does
    // not disagree with ours. Otherwise snarl keeps its state, and with it the order it
    // draws nodes in: a new node is drawn above the older ones.
    if tab.selection != detailed.known_selection {
        if !detailed.snarl_selection.is_empty() {
            detailed.epoch += 1;
            detailed.snarl_selection.clear();
            force_camera = true;
        }
        detailed.known_selection = tab.selection.clone();
    }
    // The nodes near the view; during a drag, the ones held when it started stay.
    let viewport = (camera.inverse() * state.screen_rect).expand(VIEW_MARGIN / camera.scaling);
    let mut wanted = nodes_near(&state.graph, &state.drawn, viewport);
    if detailed.dragging {
        wanted.extend(detailed.members.iter().copied());
        wanted.sort_unstable();
        wanted.dedup();
    }
    if detailed.hold(&state.graph, wanted, generation) {
        detailed.epoch += 1;
        detailed.snarl_selection.clear();
        force_camera = true;
    }

    let id = widget_id(tab.key, detailed.epoch);
    let mut snarl = std::mem::take(&mut detailed.snarl);
    // Where a press began, in canvas coordinates, while the button is held: a link being
    // dragged out of a pin there is drawn by snarl.
    let pressed = ui.input(|input| {
        input
            .pointer
            .primary_down()
            .then(|| input.pointer.press_origin())
            .flatten()
    });
    open_wire_menu(ui, state, camera);
    let detailed = &mut state.detailed;
    let mut viewer = Viewer {
        actions,
        selection: &tab.selection,
        drawn: &mut state.drawn,
        pin_rows: &mut state.pin_rows,
        backdrop: state.backdrop.as_ref(),
        force_camera: force_camera.then_some(camera),
        camera: None,
        pressed: pressed.map(|at| camera.inverse() * at),
        wire_menu_open: detailed.wire_menu.is_some(),
        wire_slot: None,
        playback: tab.playback.as_ref(),
    };
    let response = SnarlWidget::new()
        .id(id)
        .style(style())
        .show(&mut snarl, &mut viewer, ui);
    let wire_slot = viewer.wire_slot;
    // A plain click on the empty canvas clears the selection (snarl itself only does so
    // with Ctrl held).
    let plain = ui.input(|input| input.modifiers.is_none());
    let clear_selection = response.clicked() && plain && !tab.selection.is_empty();
    if let Some(shown) = viewer.camera {
        camera = shown;
    }
    if clear_selection {
        actions.push(Action::Select(Vec::new()));
    }
    let state = &mut tab.canvas;
    state.camera = Some(camera);
    let detailed = &mut state.detailed;
    detailed.snarl = snarl;

    // The links, routed around the nodes as snarl drew them this frame.
    if let Some(slot) = wire_slot {
        let pointer = ui
            .input(|input| input.pointer.hover_pos())
            .filter(|_| response.contains_pointer())
            .map(|at| camera.inverse() * at);
        draw_links(
            ui,
            state,
            slot,
            pointer,
            camera.scaling,
            id.with("link_tip"),
        );
    }
    let detailed = &mut state.detailed;

    // Selection made in the canvas (click, Ctrl/Shift-click, rubber band).
    let selected = egui_snarl::ui::get_selected_nodes(id, ui.ctx());
    if selected != detailed.snarl_selection {
        detailed.snarl_selection.clone_from(&selected);
        let ids: Vec<String> = selected
            .iter()
            .filter_map(|node| detailed.object_id(*node).map(str::to_owned))
            .collect();
        detailed.known_selection = ids.iter().cloned().collect();
        actions.push(Action::Select(ids));
    }

    read_back_drags(ui, state, &tab.selection, actions);
    wire_menu_ui(ui, &mut state.detailed, id.with("link_menu"), actions);
}

/// A right click on a link, off the nodes, opens the link's own menu (snarl's canvas menu
/// stays shut, and snarl's own wire, not drawn, may lie under the pointer too).
fn open_wire_menu(ui: &egui::Ui, state: &mut super::state::CanvasState, camera: TSTransform) {
    let detailed = &mut state.detailed;
    if let Some(at) = ui.input(|input| {
        input
            .pointer
            .button_clicked(egui::PointerButton::Secondary)
            .then(|| input.pointer.interact_pos())
            .flatten()
    }) {
        let point = camera.inverse() * at;
        let on_node = detailed
            .nodes
            .keys()
            .filter_map(|id| state.drawn.get(id))
            .any(|rect| rect.contains(point));
        let reach = wires::POINTING / camera.scaling;
        if let Some(wire) = detailed.wires.near(point, reach).filter(|_| !on_node) {
            detailed.wire_menu = Some((wire.clone(), at));
            detailed.wire_menu_opened = true;
        }
    }
}

/// The menu of a right-clicked link: what it joins, and Disconnect (one undoable step).
fn wire_menu_ui(ui: &egui::Ui, detailed: &mut SnarlView, id: Id, actions: &mut Vec<Action>) {
    let Some((wire, at)) = detailed.wire_menu.clone() else {
        return;
    };
    egui::Popup::new(
        id,
        ui.ctx().clone(),
        egui::PopupAnchor::Position(at),
        ui.layer_id(),
    )
    .kind(egui::PopupKind::Menu)
    // In egui's memory, so that the editor knows a menu is open (Escape then closes it
    // rather than clearing the selection).
    .open_memory(
        std::mem::take(&mut detailed.wire_menu_opened).then_some(egui::SetOpenCommand::Bool(true)),
    )
    .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
    .show(|ui| {
        ui.label(egui::RichText::new(wire.words()).strong());
        if ui.button("Disconnect this link").clicked() {
            actions.push(viewer::link_edit(
                wire.source.clone(),
                wire.link,
                wire.target.clone(),
                false,
            ));
            ui.close();
        }
    });
    if !egui::Popup::is_id_open(ui.ctx(), id) {
        detailed.wire_menu = None;
    }
}

/// Node drags: the positions snarl changed become one coalesced move step per drag (snarl
/// drags the nodes of its own selection; the rest of ours go along).
fn read_back_drags(
    ui: &egui::Ui,
    state: &mut super::state::CanvasState,
    selection: &BTreeSet<String>,
    actions: &mut Vec<Action>,
) {
    let detailed = &mut state.detailed;
    let graph = &mut state.graph;
    let mut moves = Vec::new();
    for (_, node) in detailed.snarl.nodes_ids_data() {
        let Some(&index) = graph.index.get(&node.value.id) else {
            continue;
        };
        if (graph.positions[index] - node.pos).length() > 0.05 {
            moves.push((index, node.pos - graph.positions[index]));
        }
    }
    let pointer_down = ui.ctx().input(|input| input.pointer.any_down());
    if let Some(&(_, delta)) = moves.first() {
        detailed.dragging = true;
        // Snarl drags the nodes of its own selection; the rest of ours go along.
        for selected in selection {
            if let Some(&index) = graph.index.get(selected)
                && !moves.iter().any(|(moved, _)| *moved == index)
                && moves
                    .iter()
                    .any(|(moved, _)| selection.contains(&graph.views[*moved].id))
            {
                moves.push((index, delta));
            }
        }
        let moves: Vec<(String, [f32; 2])> = moves
            .into_iter()
            .map(|(index, delta)| {
                let at = graph.positions[index] + delta;
                graph.positions[index] = at;
                (graph.views[index].id.clone(), [at.x, at.y])
            })
            .collect();
        actions.push(move_action(moves, state.view));
    } else if detailed.dragging && !pointer_down {
        detailed.dragging = false;
        actions.push(Action::EndBurst);
    }
}

/// Routes the detailed view's links around the nodes snarl drew this frame and paints them
/// into `slot`; the link under `pointer` (canvas coordinates) is named in a tooltip.
fn draw_links(
    ui: &egui::Ui,
    state: &mut super::state::CanvasState,
    slot: wires::Slot,
    pointer: Option<egui::Pos2>,
    scale: f32,
    tip: Id,
) {
    let detailed = &mut state.detailed;
    let rects: HashMap<&str, Rect> = detailed
        .nodes
        .keys()
        .filter_map(|id| Some((id.as_str(), *state.drawn.get(id)?)))
        .collect();
    detailed
        .wires
        .route(&state.graph, &rects, &state.pin_rows, scale);
    let hovered = detailed.wires.paint(ui.ctx(), slot, pointer, scale);
    // No tooltip over a menu (the canvas menu opens where the link is) or during a drag.
    let quiet = egui::Popup::is_any_open(ui.ctx()) || ui.input(|input| input.pointer.any_down());
    if let Some(wire) = hovered
        .filter(|_| !quiet)
        .and_then(|index| detailed.wires.drawn.get(index))
    {
        egui::Tooltip::always_open(
            ui.ctx().clone(),
            ui.layer_id(),
            tip,
            egui::PopupAnchor::Pointer,
        )
        .show(|ui| {
            ui.label(wire.words());
            ui.label(
                egui::RichText::new("Right-click to disconnect")
                    .small()
                    .weak(),
            );
        });
    }
}

/// The coalesced edit that moves nodes during a drag, in the view they are drawn in.
pub(super) fn move_action(moves: Vec<(String, [f32; 2])>, view: View) -> Action {
    let label = if moves.len() == 1 {
        "Move 1 node".to_owned()
    } else {
        format!("Move {} nodes", moves.len())
    };
    Action::Edit {
        label,
        coalesce_key: Some("canvas-drag".to_owned()),
        commands: vec![Command::MoveNodes { view, moves }],
    }
}
