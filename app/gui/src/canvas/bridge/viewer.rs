//! The snarl viewer: draws each node (a header in its kind's colour, pins, its technique
//! lines and controls) and turns snarl's callbacks — connect, disconnect, menus, clicks — into
//! [`Action`]s.

use std::collections::{BTreeSet, HashMap};

use eframe::egui::{self, Rect, RichText, Stroke, emath::TSTransform};
use egui_snarl::ui::{PinInfo, SnarlStyle, SnarlViewer, WireStyle};
use egui_snarl::{InPin, InPinId, NodeId, OutPin, OutPinId, Snarl};
use medflow_core::edit::Command;
use medflow_core::flow::FlowLink;

use super::NODE_TEXT_WIDTH;
use super::menus::{ArrowPin, canvas_menu_ui, node_menu_ui};
use super::wires::{Slot, snarl_wire_colour};
use crate::actions::Action;
use crate::canvas::overview::SELECTED;
use crate::canvas::view::NodeView;

/// The snarl viewer: draws nodes and turns snarl's callbacks into actions.
pub(super) struct Viewer<'a> {
    pub(super) actions: &'a mut Vec<Action>,
    pub(super) selection: &'a BTreeSet<String>,
    /// Where each node's drawn rectangle is recorded.
    pub(super) drawn: &'a mut HashMap<String, Rect>,
    /// The architecture view's backdrop, when it is shown.
    pub(super) backdrop: Option<&'a medflow_core::scene::backdrop::Backdrop>,
    /// Where each pin's row is recorded (canvas y), by node id and pin label.
    pub(super) pin_rows: &'a mut HashMap<(String, &'static str), f32>,
    /// A camera to impose on this frame.
    pub(super) force_camera: Option<TSTransform>,
    /// The camera of this frame, as snarl ends up with it.
    pub(super) camera: Option<TSTransform>,
    /// Where the primary button was pressed (canvas coordinates), while it is held.
    pub(super) pressed: Option<egui::Pos2>,
    /// A link's own menu is open: the canvas menu stays shut.
    pub(super) wire_menu_open: bool,
    /// Where the links are to be drawn: reserved while snarl draws its background.
    pub(super) wire_slot: Option<Slot>,
    /// The simulation playback, when the Simulation panel shows a run of this flow.
    pub(super) playback: Option<&'a crate::canvas::Playback>,
}

impl Viewer<'_> {
    fn output_of(snarl: &Snarl<NodeView>, pin: OutPinId) -> Option<(String, FlowLink)> {
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
        Some(link_edit(source, output, target, connect))
    }

    /// Whether a press began on the pin at `pin` (canvas coordinates): a link is being
    /// dragged out of it.
    fn pressed_at(&self, pin: egui::Pos2) -> bool {
        self.pressed
            .is_some_and(|at| (at.x - pin.x).abs() <= 12.0 && (at.y - pin.y).abs() <= 12.0)
    }
}

/// The edit that connects (or disconnects) `source`'s `output` to `target`.
pub(super) fn link_edit(source: String, output: FlowLink, target: String, connect: bool) -> Action {
    match (output, connect) {
        (FlowLink::Relationship, true) => Action::Relate { source, target },
        (FlowLink::Relationship, false) => Action::Unrelate { source, target },
        (link, true) => Action::Edit {
            label: format!("Connect {}", link.label()),
            coalesce_key: None,
            commands: vec![Command::Connect {
                source,
                link,
                target,
            }],
        },
        (link, false) => Action::Edit {
            label: format!("Disconnect {}", link.label()),
            coalesce_key: None,
            commands: vec![Command::Disconnect {
                source,
                link,
                target,
            }],
        },
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
        let view = snarl.get_node(node);
        let selected = view.is_some_and(|view| self.selection.contains(&view.id));
        if selected {
            return default.stroke(Stroke::new(2.5, SELECTED));
        }
        let Some((playback, view)) = self.playback.zip(view) else {
            return default;
        };
        if playback.path.contains(&view.id) {
            return default.stroke(Stroke::new(4.0, crate::theme::SIM_PATH));
        }
        match playback.marks.get(&view.id) {
            Some(crate::canvas::Mark::Unreached) => default
                .fill(default.fill.gamma_multiply(0.55))
                .stroke(Stroke::new(1.0, crate::theme::SIM_UNREACHED)),
            Some(mark) => default.stroke(Stroke::new(3.0, mark.colour())),
            None => default,
        }
    }

    fn header_frame(
        &mut self,
        default: egui::Frame,
        node: NodeId,
        _inputs: &[InPin],
        _outputs: &[OutPin],
        snarl: &Snarl<NodeView>,
    ) -> egui::Frame {
        // The kind at a glance: the header in the kind's colour.
        snarl
            .get_node(node)
            .map_or(default, |view| default.fill(view.accent))
    }

    fn has_node_menu(&mut self, _node: &NodeView) -> bool {
        true
    }

    fn show_node_menu(
        &mut self,
        node: NodeId,
        _inputs: &[InPin],
        _outputs: &[OutPin],
        ui: &mut egui::Ui,
        snarl: &mut Snarl<NodeView>,
    ) {
        if let Some(view) = snarl.get_node(node) {
            node_menu_ui(ui, view, self.selection, self.actions);
        }
    }

    fn has_graph_menu(&mut self, _pos: egui::Pos2, _snarl: &mut Snarl<NodeView>) -> bool {
        !self.wire_menu_open
    }

    fn show_graph_menu(
        &mut self,
        pos: egui::Pos2,
        ui: &mut egui::Ui,
        _snarl: &mut Snarl<NodeView>,
    ) {
        canvas_menu_ui(ui, pos, self.actions);
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
        let ink = crate::theme::ink_on(view.accent);
        ui.vertical(|ui| {
            // A fixed width: snarl gives a node near the view's edge less room, and text
            // wrapped there would make it tall and narrow.
            ui.set_width(NODE_TEXT_WIDTH);
            for text in [
                RichText::new(&view.kind).color(ink).small(),
                RichText::new(&view.title).color(ink).strong(),
            ] {
                let label = ui.add(
                    egui::Label::new(text)
                        .selectable(false)
                        .sense(egui::Sense::click()),
                );
                clicked |= label.clicked();
                // The label takes the right click that snarl's node menu would get.
                label.context_menu(|ui| {
                    node_menu_ui(ui, view, self.selection, self.actions);
                });
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
        pin: &InPin,
        ui: &mut egui::Ui,
        snarl: &mut Snarl<NodeView>,
    ) -> impl egui_snarl::ui::SnarlPin + 'static {
        let label = ui.label(RichText::new("in").small().weak());
        let mut dragged = false;
        if let Some(view) = snarl.get_node(pin.id.node) {
            self.pin_rows
                .insert((view.id.clone(), "in"), label.rect.center().y);
            dragged = self.drawn.get(&view.id).is_some_and(|rect| {
                self.pressed_at(egui::pos2(rect.left(), label.rect.center().y))
            });
        }
        // An arrowhead: wires enter a node from its left, where the input pin is.
        ArrowPin { dragged }
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
            .unwrap_or(FlowLink::Relationship);
        let label = ui.label(RichText::new(output.label()).small());
        let mut dragged = false;
        if let Some(view) = snarl.get_node(pin.id.node) {
            self.pin_rows
                .insert((view.id.clone(), output.label()), label.rect.center().y);
            dragged = self.drawn.get(&view.id).is_some_and(|rect| {
                self.pressed_at(egui::pos2(rect.right(), label.rect.center().y))
            });
        }
        let color = crate::theme::link_color(output);
        // The editor draws the links (routed around nodes); snarl draws only the one being
        // dragged out of this pin.
        PinInfo::circle()
            .with_fill(color)
            .with_wire_color(snarl_wire_colour(dragged, color))
            .with_wire_style(WireStyle::Bezier5)
    }

    fn has_body(&mut self, node: &NodeView) -> bool {
        !node.lines.is_empty() || !node.controls.is_empty()
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
                ui.set_width(NODE_TEXT_WIDTH - 60.0);
                // At the body size, so a flow opened at 100 % reads as the rest of the UI.
                for line in &view.lines {
                    ui.label(line);
                }
                if !view.controls.is_empty() {
                    controls_badge_ui(ui, view);
                }
            });
        }
    }

    fn connect(&mut self, from: &OutPin, to: &InPin, snarl: &mut Snarl<NodeView>) {
        if let Some(action) = Self::link_action(snarl, from.id, to.id, true) {
            self.actions.push(action);
        }
    }

    fn disconnect(&mut self, _from: &OutPin, _to: &InPin, _snarl: &mut Snarl<NodeView>) {
        // Snarl disconnects on a right click on its own wire, which is not drawn (the editor
        // draws the links along other routes): a click there must not remove a link the user
        // cannot see. The canvas's right-click menu on a drawn link offers to disconnect it.
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
            self.drawn.insert(view.id.clone(), rect);
        }
    }

    fn draw_background(
        &mut self,
        background: Option<&egui_snarl::ui::BackgroundPattern>,
        viewport: &Rect,
        snarl_style: &SnarlStyle,
        style: &egui::Style,
        painter: &egui::Painter,
        _snarl: &Snarl<NodeView>,
    ) {
        if let Some(backdrop) = self.backdrop {
            crate::canvas::zones::paint_backdrop(
                painter,
                backdrop,
                &egui::emath::TSTransform::IDENTITY,
                style,
            );
        } else if let Some(background) = background {
            background.draw(viewport, snarl_style, style, painter);
        }
        // The links go here, above the background and below the nodes, once snarl has
        // drawn the nodes and their places are known.
        self.wire_slot = Some(Slot {
            layer: painter.layer_id(),
            index: painter.add(egui::Shape::Noop),
            clip: painter.clip_rect(),
        });
    }

    fn current_transform(&mut self, to_global: &mut TSTransform, _snarl: &mut Snarl<NodeView>) {
        if let Some(camera) = self.force_camera.take() {
            *to_global = camera;
        }
        self.camera = Some(*to_global);
    }
}

/// An action's controls: counts by kind, opening to their names.
fn controls_badge_ui(ui: &mut egui::Ui, view: &NodeView) {
    use medflow_core::control::ControlKind;
    let counts: Vec<String> = ControlKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let count = view
                .controls
                .iter()
                .filter(|(known, _)| *known == kind)
                .count();
            (count > 0).then(|| format!("{count} {kind}"))
        })
        .collect();
    egui::CollapsingHeader::new(RichText::new(format!("Controls: {}", counts.join(" · "))).small())
        .id_salt(("controls_badge", &view.id))
        .default_open(false)
        .show(ui, |ui| {
            for (kind, name) in &view.controls {
                ui.label(RichText::new(format!("{kind}: {name}")).small());
            }
        });
}
