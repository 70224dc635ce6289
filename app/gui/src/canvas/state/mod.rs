//! The canvas's state for one document: the graph as drawn, the camera and the requests to
//! move it, and the choice between the detailed view (egui-snarl, through [`super::bridge`])
//! and the overview (simple shapes, [`super::overview`]) by zoom level.
//!
//! Snarl lays out every node it holds on every frame, so the detailed view is given only the
//! nodes near the view (and the nodes linked to them, so that their wires show). When zoomed
//! out so far that node text can no longer be read, the overview draws the whole graph as
//! coloured boxes and lines instead, which stays fast at thousands of nodes.

use std::collections::HashMap;

use eframe::egui::{self, Pos2, Rect, emath::TSTransform};
use medflow_core::Document;
use medflow_core::architecture::Architecture;
use medflow_core::attack::Catalog;
use medflow_core::extension::View;
use medflow_core::layout::Direction;
use medflow_core::scene::backdrop::Backdrop;
use medflow_core::scene::zones::{ZonePlacement, zone_layout};
use medflow_core::scene::{Scene, Structure, flow_layout_options, nominal_size};

use super::view::Graph;
use camera::ViewRequest;
pub(in crate::canvas) use camera::zoomed;

mod camera;
use super::{bridge, overview};
use crate::actions::Action;
use crate::tab::Tab;

/// The smallest zoom at which node text can be read.
pub(super) const READABLE_SCALE: f32 = 0.55;

/// The zoom a file opens at when it does not fit in the view: node text at the UI's body
/// size.
pub(super) const OPENING_SCALE: f32 = 1.0;

/// Below this zoom the overview draws the graph instead of snarl.
pub(super) const OVERVIEW_SCALE: f32 = 0.4;

/// The zoom range of the canvas.
pub(super) const MIN_SCALE: f32 = 0.05;
pub(super) const MAX_SCALE: f32 = 4.0;

/// How many frames a fit is repeated while nodes get measured.
const FIT_FRAMES: u8 = 3;

/// The canvas's view of one document.
pub struct CanvasState {
    /// The document's graph, as of `synced_revision`.
    pub(super) graph: Graph,
    synced_revision: Option<u64>,
    /// The content revision the graph was built from: while it holds (only nodes moved: a
    /// drag, or its undo), the graph keeps its words and links and takes the new positions.
    synced_content: Option<u64>,
    /// Bumped each time the graph is rebuilt (a new revision, the other view, controls shown
    /// or hidden), so the detailed view knows its nodes' content and positions are stale.
    pub(super) graph_generation: u64,
    /// The automatic layout of the document's graph, and the shape (node ids and links) it
    /// was computed for: recomputed only when the graph's shape changes, not on every move.
    automatic: Option<(u64, HashMap<String, [f32; 2]>)>,
    requests: Vec<ViewRequest>,
    /// The camera: canvas coordinates to screen.
    pub(super) camera: Option<TSTransform>,
    /// Each node's rectangle as snarl last drew it, in canvas coordinates.
    pub(super) drawn: HashMap<String, Rect>,
    /// The canvas y of each pin's row as snarl last drew it, by node id and pin label.
    pub(super) pin_rows: HashMap<(String, &'static str), f32>,
    /// The canvas rectangle on screen, this frame.
    pub(super) screen_rect: Rect,
    /// The detailed view's snarl graph and its bookkeeping.
    pub(super) detailed: bridge::SnarlView,
    /// What the overview's pointer is doing.
    pub(super) overview: overview::Gesture,
    /// Whether the overview drew the last frame (the detailed view then takes its camera).
    pub(super) overview_shown: bool,
    /// Controls are drawn as nodes too.
    show_controls: bool,
    /// The direction of the automatic layout.
    direction: Direction,
    /// Which view the flow is drawn in: on its own, or across the architecture's zones.
    pub(super) view: View,
    /// In the architecture view: the backdrop drawn behind the flow (lanes and trust
    /// boundaries), tall enough for every node.
    pub(super) backdrop: Option<Backdrop>,
    /// The automatic architecture-view layout and the graph shape it was computed for.
    automatic_zones: Option<(u64, ZonePlacement)>,
}

impl Default for CanvasState {
    fn default() -> Self {
        Self {
            graph: Graph::default(),
            synced_revision: None,
            synced_content: None,
            graph_generation: 0,
            automatic: None,
            requests: vec![ViewRequest::Overview(FIT_FRAMES)],
            camera: None,
            drawn: HashMap::new(),
            pin_rows: HashMap::new(),
            screen_rect: Rect::NOTHING,
            detailed: bridge::SnarlView::default(),
            overview: overview::Gesture::default(),
            overview_shown: false,
            show_controls: false,
            direction: Direction::default(),
            view: View::Flow,
            backdrop: None,
            automatic_zones: None,
        }
    }
}

impl std::fmt::Debug for CanvasState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CanvasState")
            .field("nodes", &self.graph.views.len())
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
        match self.camera {
            Some(camera) if self.screen_rect.is_finite() => {
                let center = camera.inverse() * self.screen_rect.center();
                [center.x, center.y]
            }
            _ => [0.0, 0.0],
        }
    }

    /// The nodes placed automatically (no saved position in this view), at the position
    /// they are drawn at: saved before an edit that changes the graph's shape, so that no
    /// node jumps when the automatic layout would change.
    #[must_use]
    pub fn unsaved_positions(&self, document: &Document) -> Vec<(String, [f32; 2])> {
        self.graph
            .views
            .iter()
            .zip(&self.graph.positions)
            .filter(|(view, _)| {
                document.object(&view.id).is_some_and(|object| {
                    medflow_core::extension::position(object, self.view).is_none()
                })
            })
            .map(|(view, at)| (view.id.clone(), [at.x, at.y]))
            .collect()
    }

    /// A free place for a new node of `size` near `near` (canvas coordinates): `near` itself
    /// when no drawn node is in the way, else the nearest free place on rings around it.
    #[must_use]
    pub fn free_spot(&self, near: [f32; 2], size: [f32; 2]) -> [f32; 2] {
        let occupied: Vec<Rect> = (0..self.graph.views.len())
            .map(|index| self.graph.rect(index, &self.drawn).expand(16.0))
            .collect();
        let fits = |at: [f32; 2]| {
            let rect = Rect::from_min_size(Pos2::new(at[0], at[1]), egui::vec2(size[0], size[1]));
            !occupied.iter().any(|taken| taken.intersects(rect))
        };
        // In view when possible: the first free place inside the visible canvas, else the
        // first free place at all.
        let visible = self
            .camera
            .filter(|_| self.screen_rect.is_finite())
            .map(|camera| camera.inverse() * self.screen_rect.shrink(8.0));
        let in_view = |at: [f32; 2]| {
            visible.is_none_or(|visible| {
                visible.contains_rect(Rect::from_min_size(
                    Pos2::new(at[0], at[1]),
                    egui::vec2(size[0], size[1]),
                ))
            })
        };
        let mut fallback = None;
        let step = 60.0_f32;
        let rings =
            std::iter::once((0_u16, 1_u16)).chain((1_u16..=60).map(|ring| (ring, 8 * ring)));
        for (ring, points) in rings {
            let radius = step * f32::from(ring);
            for point in 0..points {
                let angle = std::f32::consts::TAU * f32::from(point) / f32::from(points);
                let at = [
                    near[0] + radius * angle.cos(),
                    near[1] + radius * angle.sin(),
                ];
                if fits(at) {
                    if in_view(at) {
                        return at;
                    }
                    fallback.get_or_insert(at);
                }
            }
        }
        fallback.unwrap_or(near)
    }

    /// Where the selection's nodes are, together (canvas coordinates), if any is drawn.
    #[must_use]
    pub fn bounds_of(&self, ids: &std::collections::BTreeSet<String>) -> Option<Rect> {
        let bounds = ids
            .iter()
            .filter_map(|id| self.node_rect(id))
            .fold(Rect::NOTHING, Rect::union);
        bounds.is_finite().then_some(bounds)
    }

    /// Whether the overview (rather than the detailed view) shows the graph at this zoom.
    #[must_use]
    pub fn shows_overview(&self) -> bool {
        self.camera
            .is_some_and(|camera| camera.scaling < OVERVIEW_SCALE)
    }

    /// Draw controls as nodes (linked to the actions they address), or stop.
    pub fn toggle_control_nodes(&mut self) {
        self.show_controls = !self.show_controls;
        self.synced_revision = None;
        self.synced_content = None;
        self.automatic = None;
    }

    /// Switch between the flow on its own and the flow across the architecture's zones; each
    /// view keeps its own node positions.
    pub fn toggle_architecture_view(&mut self) {
        self.view = match self.view {
            View::Flow => View::Zones,
            View::Zones => View::Flow,
        };
        self.synced_revision = None;
        self.synced_content = None;
        self.drawn.clear();
        self.requests.push(match self.view {
            View::Zones => ViewRequest::Lanes(FIT_FRAMES),
            View::Flow => ViewRequest::Overview(FIT_FRAMES),
        });
    }

    /// Lay the flow out left to right instead of top to bottom, or back (nodes without a
    /// saved position move; Tidy layout uses it too).
    pub fn toggle_direction(&mut self) {
        self.direction = match self.direction {
            Direction::TopToBottom => Direction::LeftToRight,
            Direction::LeftToRight => Direction::TopToBottom,
        };
        self.automatic = None;
        self.synced_revision = None;
        self.synced_content = None;
        self.drawn.clear();
        self.requests.push(ViewRequest::Overview(FIT_FRAMES));
    }

    /// The direction of the automatic layout.
    #[must_use]
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The view the flow is drawn in.
    #[must_use]
    pub fn view(&self) -> View {
        self.view
    }

    /// The automatic layout of the current view, for Tidy layout: node id → position.
    #[must_use]
    pub fn automatic_layout(&self, document: &Document) -> HashMap<String, [f32; 2]> {
        Structure::of(document).automatic_positions(
            document,
            self.view,
            Architecture::reference_static(),
            self.direction,
        )
    }

    /// Whether controls are drawn as nodes.
    #[must_use]
    pub fn shows_control_nodes(&self) -> bool {
        self.show_controls
    }

    /// The zoom: screen points per canvas point.
    #[must_use]
    pub fn scale(&self) -> f32 {
        self.camera.map_or(1.0, |camera| camera.scaling)
    }

    /// Where node `id` is on screen, as last drawn (for tests and automation).
    #[doc(hidden)]
    #[must_use]
    pub fn node_screen_rect(&self, id: &str) -> Option<Rect> {
        let camera = self.camera?;
        Some(camera * self.node_rect(id)?)
    }

    /// The canvas's rectangle on screen, as last drawn (for tests and automation).
    #[doc(hidden)]
    #[must_use]
    pub fn screen_rect(&self) -> Rect {
        self.screen_rect
    }

    /// Where canvas point `at` is on screen (for tests and automation).
    #[doc(hidden)]
    #[must_use]
    pub fn canvas_to_screen(&self, at: Pos2) -> Option<Pos2> {
        Some(self.camera? * at)
    }

    /// Where a pin of node `id` is on screen in the detailed view, as last drawn: `"in"` for
    /// the input, else an output's label (`"effects"`, `"on true"`, …). For tests and
    /// automation.
    #[doc(hidden)]
    #[must_use]
    pub fn pin_screen_position(&self, id: &str, pin: &str) -> Option<Pos2> {
        let camera = self.camera?;
        let rect = self.drawn.get(id)?;
        let (_, &y) = self
            .pin_rows
            .iter()
            .find(|((node, label), _)| node == id && *label == pin)?;
        let x = if pin == "in" {
            rect.left()
        } else {
            rect.right()
        };
        Some(camera * Pos2::new(x, y))
    }

    /// The links the detailed view drew in its last frame, each as the source's and the
    /// target's ids and its route's corners on screen (for tests and automation).
    #[doc(hidden)]
    #[must_use]
    pub fn link_screen_routes(&self) -> Vec<(String, String, Vec<Pos2>)> {
        let Some(camera) = self.camera else {
            return Vec::new();
        };
        self.detailed
            .drawn_links()
            .map(|(source, target, points)| {
                (
                    source.to_owned(),
                    target.to_owned(),
                    points.iter().map(|point| camera * *point).collect(),
                )
            })
            .collect()
    }

    /// Rebuilds the graph from the document.
    fn sync(&mut self, document: &Document, catalog: &Catalog) {
        let structure = Structure::of(document);
        let positions = match self.view {
            View::Flow => {
                self.backdrop = None;
                self.flow_positions(&structure)
            }
            View::Zones => self.zone_positions(document, &structure),
        };
        let scene = Scene::new(
            document,
            &structure,
            &positions,
            catalog,
            self.show_controls,
        );
        self.graph = Graph::new(scene);
        self.graph_generation = self.graph_generation.wrapping_add(1);
    }

    /// Only nodes moved since the graph was built: each takes its saved position (a node
    /// without one keeps where the automatic layout put it), without building the scene
    /// again — a drag at 10,000 nodes would otherwise rebuild every node's words each frame.
    ///
    /// False (nothing changed) when a node lost its saved position and the automatic layout
    /// has no place for it: the caller then builds the graph again.
    fn move_nodes(&mut self, document: &Document) -> bool {
        let mut moved = Vec::new();
        for object in &document.objects {
            let Some(&index) = self.graph.index.get(object.id()) else {
                continue;
            };
            let at = medflow_core::extension::position(object, self.view).or_else(|| {
                // An undone first move: back to where the automatic layout put it.
                self.automatic
                    .as_ref()
                    .and_then(|(_, placed)| placed.get(object.id()).copied())
            });
            let Some([x, y]) = at else {
                return false;
            };
            moved.push((index, Pos2::new(x, y)));
        }
        for (index, at) in moved {
            self.graph.positions[index] = at;
        }
        self.graph_generation = self.graph_generation.wrapping_add(1);
        true
    }

    /// Every node's position in the flow view: saved, else automatic (computed again only
    /// when the structure's shape changed).
    fn flow_positions(&mut self, structure: &Structure<'_>) -> HashMap<String, [f32; 2]> {
        let no_automatic = HashMap::new();
        let automatic = if structure.needs_automatic_layout(View::Flow) {
            let shape = structure.shape();
            if self
                .automatic
                .as_ref()
                .is_none_or(|(known, _)| *known != shape)
            {
                let placed = structure.layered_positions(&flow_layout_options(self.direction));
                self.automatic = Some((shape, placed));
            }
            self.automatic
                .as_ref()
                .map_or(&no_automatic, |(_, placed)| placed)
        } else {
            &no_automatic
        };
        structure.positions(View::Flow, automatic)
    }

    /// Every node's position in the architecture view: saved there, else the automatic zone
    /// layout; and the backdrop behind, tall enough for every node.
    fn zone_positions(
        &mut self,
        document: &Document,
        structure: &Structure<'_>,
    ) -> HashMap<String, [f32; 2]> {
        let shape = structure.shape();
        if self
            .automatic_zones
            .as_ref()
            .is_none_or(|(known, _)| *known != shape)
        {
            let placed = zone_layout(document, Architecture::reference_static(), structure);
            self.automatic_zones = Some((shape, placed));
        }
        let Some((_, placed)) = &self.automatic_zones else {
            return HashMap::new();
        };
        let positions = structure.positions(View::Zones, &placed.positions);
        let height = structure
            .nodes
            .iter()
            .filter_map(|object| {
                let at = positions.get(object.id())?;
                Some(at[1] + nominal_size(object)[1] + 40.0)
            })
            .fold(placed.height, f32::max);
        self.backdrop = Some(Backdrop::new(
            Architecture::reference_static(),
            placed.lanes.clone(),
            height,
        ));
        positions
    }

    fn node_rect(&self, id: &str) -> Option<Rect> {
        let index = *self.graph.index.get(id)?;
        Some(self.graph.rect(index, &self.drawn))
    }
}

/// Draws the canvas and reads back what the user did.
pub(super) fn show(ui: &mut egui::Ui, tab: &mut Tab, catalog: &Catalog, actions: &mut Vec<Action>) {
    let revision = tab.revision();
    let tab_content = tab.editor().content_revision();
    let (state, document) = tab.canvas_and_document();
    if state.synced_revision != Some(revision) {
        // Only nodes moved: they take their new places. (The architecture view's backdrop
        // grows with its nodes, so it is built again there.)
        let moved_only = state.synced_content == Some(tab_content)
            && state.view == View::Flow
            && state.move_nodes(document);
        if !moved_only {
            state.sync(document, catalog);
            state.synced_content = Some(tab_content);
        }
        state.synced_revision = Some(revision);
    }
    state.screen_rect = ui.available_rect_before_wrap();
    let mut camera = state.camera.unwrap_or(TSTransform::from_translation(
        state.screen_rect.min.to_vec2(),
    ));
    let moved = state.apply_requests(&mut camera);
    state.camera = Some(camera);
    if camera.scaling < OVERVIEW_SCALE {
        overview::show(ui, tab, actions);
        tab.canvas.overview_shown = true;
    } else {
        let force_camera = moved || state.overview_shown;
        bridge::show(ui, tab, force_camera, actions);
        tab.canvas.overview_shown = false;
    }
    if !tab.canvas.requests.is_empty() {
        ui.ctx().request_repaint();
    }
}
