//! The overview: the whole graph drawn as coloured boxes and straight links when zoomed out
//! too far for node text to be read. It costs a rectangle and a line per visible node and
//! link, so a flow of thousands of nodes pans and zooms smoothly. Everything the detailed
//! view does with the pointer works here too: click and Ctrl/Shift-click select, Shift-drag
//! selects with a rubber band, dragging a node moves it (with the rest of the selection),
//! dragging the background pans, the wheel pans and Ctrl+wheel zooms; a double click zooms in
//! to where text can be read.

use std::collections::BTreeSet;

use eframe::egui::{
    self, Align, Color32, CornerRadius, FontId, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2,
    emath::TSTransform, text::LayoutJob,
};

use super::bridge::move_action;
use super::state::{MAX_SCALE, MIN_SCALE, READABLE_SCALE, zoomed};
use super::view::Graph;
use crate::actions::Action;
use crate::tab::Tab;

/// The outline of selected nodes (the detailed view's too).
pub(super) const SELECTED: Color32 = crate::theme::SELECTED_COLOR;

/// What a primary-button drag in the overview is doing.
#[derive(Debug, Default, Clone, PartialEq)]
pub enum Gesture {
    #[default]
    None,
    Pan,
    /// Moving nodes: their graph indices and where they were when the drag started.
    Move {
        nodes: Vec<(usize, Pos2)>,
        offset: Vec2,
    },
    /// Selecting with a rectangle, from this screen point.
    RubberBand {
        from: Pos2,
        add: bool,
    },
}

/// The topmost node under `at` (canvas coordinates).
fn node_at(
    graph: &Graph,
    tab_drawn: &std::collections::HashMap<String, Rect>,
    at: Pos2,
) -> Option<usize> {
    (0..graph.views.len())
        .rev()
        .find(|&index| graph.rect(index, tab_drawn).contains(at))
}

/// The gesture a primary drag starting at screen point `origin` begins.
fn gesture_at(
    state: &super::CanvasState,
    selection: &BTreeSet<String>,
    camera: TSTransform,
    origin: Pos2,
    modifiers: egui::Modifiers,
) -> Gesture {
    let at = camera.inverse() * origin;
    if modifiers.shift {
        Gesture::RubberBand {
            from: origin,
            add: modifiers.command,
        }
    } else if let Some(index) = node_at(&state.graph, &state.drawn, at) {
        let id = &state.graph.views[index].id;
        let indices: Vec<usize> = if selection.contains(id) {
            selection
                .iter()
                .filter_map(|selected| state.graph.index.get(selected).copied())
                .collect()
        } else {
            vec![index]
        };
        Gesture::Move {
            nodes: indices
                .into_iter()
                .map(|index| (index, state.graph.positions[index]))
                .collect(),
            offset: Vec2::ZERO,
        }
    } else {
        Gesture::Pan
    }
}

/// Draws the overview of the tab's graph and turns what the user did into actions.
pub(super) fn show(ui: &mut egui::Ui, tab: &mut Tab, actions: &mut Vec<Action>) {
    let state = &mut tab.canvas;
    let rect = state.screen_rect;
    let response = ui.allocate_rect(rect, Sense::click_and_drag());
    let mut camera = state.camera.unwrap_or(TSTransform::IDENTITY);
    let (pointer, modifiers, zoom, scroll) = ui.input(|input| {
        (
            input.pointer.latest_pos(),
            input.modifiers,
            input.zoom_delta(),
            input.smooth_scroll_delta(),
        )
    });

    // Wheel: pan; Ctrl+wheel or pinch: zoom about the pointer.
    if response.contains_pointer() {
        if let Some(pointer) = pointer
            && (zoom - 1.0).abs() > f32::EPSILON
        {
            camera = zoomed(camera, pointer, zoom);
        }
        camera.translation += scroll;
    }

    // Drags: pan, move nodes, or rubber band.
    if response.drag_started_by(egui::PointerButton::Primary)
        && let Some(origin) = ui.input(|input| input.pointer.press_origin())
    {
        state.overview = gesture_at(state, &tab.selection, camera, origin, modifiers);
    }
    if response.dragged_by(egui::PointerButton::Primary) {
        let delta = response.drag_delta();
        match &mut state.overview {
            Gesture::Pan => camera.translation += delta,
            Gesture::Move { nodes, offset } => {
                if delta != Vec2::ZERO {
                    *offset += delta / camera.scaling;
                    let moves = nodes
                        .iter()
                        .map(|&(index, from)| {
                            let at = from + *offset;
                            state.graph.positions[index] = at;
                            (state.graph.views[index].id.clone(), [at.x, at.y])
                        })
                        .collect();
                    actions.push(move_action(moves, state.view));
                }
            }
            Gesture::None | Gesture::RubberBand { .. } => {}
        }
    }
    if response.dragged_by(egui::PointerButton::Middle)
        || response.dragged_by(egui::PointerButton::Secondary)
    {
        camera.translation += response.drag_delta();
    }
    if response.drag_stopped() {
        match std::mem::take(&mut state.overview) {
            Gesture::Move { .. } => actions.push(Action::EndBurst),
            Gesture::RubberBand { from, add } => {
                if let Some(to) = pointer {
                    let band = camera.inverse() * Rect::from_two_pos(from, to);
                    let mut selection: BTreeSet<String> = if add {
                        tab.selection.clone()
                    } else {
                        BTreeSet::new()
                    };
                    for index in 0..state.graph.views.len() {
                        if state.graph.rect(index, &state.drawn).intersects(band) {
                            selection.insert(state.graph.views[index].id.clone());
                        }
                    }
                    actions.push(Action::Select(selection.into_iter().collect()));
                }
            }
            Gesture::None | Gesture::Pan => {}
        }
    }

    // Clicks: select; double click: zoom in to readable text there.
    if let Some(at) = response.interact_pointer_pos() {
        if response.double_clicked() || response.triple_clicked() {
            camera = zoomed(camera, at, (READABLE_SCALE / camera.scaling).max(1.0));
        } else if response.clicked() {
            let hit = node_at(&state.graph, &state.drawn, camera.inverse() * at)
                .map(|index| state.graph.views[index].id.clone());
            actions.push(Action::Select(clicked_selection(
                &tab.selection,
                hit,
                modifiers.command || modifiers.shift,
            )));
        }
    }
    camera.scaling = camera.scaling.clamp(MIN_SCALE, MAX_SCALE);
    state.camera = Some(camera);
    if response.changed() || camera != state.camera.unwrap_or(camera) {
        ui.ctx().request_repaint();
    }

    paint(ui, tab, camera, rect, pointer);
}

/// The selection after a click on `hit` (or on the background); `toggle` (Ctrl or Shift)
/// adds the node to the selection or takes it out.
fn clicked_selection(
    selection: &BTreeSet<String>,
    hit: Option<String>,
    toggle: bool,
) -> Vec<String> {
    let mut selection = if toggle {
        selection.clone()
    } else {
        BTreeSet::new()
    };
    if let Some(id) = hit
        && (!selection.remove(&id) || !toggle)
    {
        selection.insert(id);
    }
    selection.into_iter().collect()
}

/// Paints the visible part of the graph.
/// The outline of a box in the simulation playback: the chosen path, else its mark.
fn playback_stroke(tab: &Tab, id: &str) -> Option<Stroke> {
    let playback = tab.playback.as_ref()?;
    if playback.path.contains(id) {
        return Some(Stroke::new(3.0, crate::theme::SIM_PATH));
    }
    playback
        .marks
        .get(id)
        .map(|mark| Stroke::new(2.5, mark.colour()))
}

fn paint(ui: &egui::Ui, tab: &Tab, camera: TSTransform, canvas: Rect, hover: Option<Pos2>) {
    let state = &tab.canvas;
    let graph = &state.graph;
    let painter = ui.painter_at(canvas);
    let visuals = ui.visuals();
    painter.rect_filled(canvas, CornerRadius::ZERO, visuals.extreme_bg_color);
    if let Some(backdrop) = &state.backdrop {
        super::zones::paint_backdrop(&painter, backdrop, &camera, ui.style());
    }
    let viewport = camera.inverse() * canvas;
    let scale = camera.scaling;

    let link_width = (2.5 * scale).max(1.0);
    for link in &graph.links {
        let from_rect = graph.rect(link.source, &state.drawn);
        let to_rect = graph.rect(link.target, &state.drawn);
        // Down to the top of a node below (top-to-bottom layouts), else across.
        let (from, to) = if to_rect.top() >= from_rect.bottom() {
            (from_rect.center_bottom(), to_rect.center_top())
        } else {
            (from_rect.right_center(), to_rect.left_center())
        };
        if !Rect::from_two_pos(from, to).intersects(viewport) {
            continue;
        }
        let color = crate::theme::link_color(link.output);
        let (start, end) = (camera * from, camera * to);
        painter.line_segment([start, end], Stroke::new(link_width, color));
        // An arrowhead at the node the link reaches.
        let direction = (end - start).normalized();
        if direction.is_finite() {
            let size = (9.0 * scale).clamp(3.0, 10.0);
            let half_width = direction.rot90() * size * 0.6;
            let back = end - direction * size;
            painter.add(egui::Shape::convex_polygon(
                vec![end, back + half_width, back - half_width],
                color,
                Stroke::NONE,
            ));
        }
    }

    let fill = visuals.window_fill();
    let outline = visuals.window_stroke();
    let text_color = visuals.text_color();
    let font = FontId::proportional((13.0 * scale).max(9.0));
    let rounding = CornerRadius::same(if scale < 0.15 { 1 } else { 3 });
    for (index, view) in graph.views.iter().enumerate() {
        let node = graph.rect(index, &state.drawn);
        if !node.intersects(viewport) {
            continue;
        }
        let screen = camera * node;
        let stroke = if tab.selection.contains(&view.id) {
            Stroke::new(2.0, SELECTED)
        } else {
            playback_stroke(tab, &view.id).unwrap_or(outline)
        };
        painter.rect(screen, rounding, fill, stroke, StrokeKind::Inside);
        let band = Rect::from_min_size(
            screen.min,
            Vec2::new(screen.width(), (screen.height() * 0.2).clamp(2.0, 8.0)),
        );
        painter.rect_filled(band.shrink(1.0), rounding, view.accent);
        // The title: inside the box when at least one row of it fits there (two when they
        // do), else under it like a map label while boxes are still large enough to tell
        // apart.
        let title = |wrap_width: f32, rows: usize| {
            let mut job =
                LayoutJob::simple(view.title.clone(), font.clone(), text_color, wrap_width);
            job.wrap.max_rows = rows;
            job.halign = Align::LEFT;
            painter.layout_job(job)
        };
        let room = screen.height() - band.height() - 4.0;
        let inside = (screen.width() >= 40.0)
            .then(|| {
                [2, 1]
                    .into_iter()
                    .map(|rows| title(screen.width() - 8.0, rows))
                    .find(|galley| galley.size().y <= room)
            })
            .flatten();
        if let Some(galley) = inside {
            painter.galley(
                screen.min + Vec2::new(4.0, band.height() + 3.0),
                galley,
                text_color,
            );
        } else if screen.width() >= 28.0 {
            painter.galley(
                screen.left_bottom() + Vec2::new(0.0, 2.0),
                title(screen.width() * 1.8, 1),
                text_color,
            );
        }
    }

    if let (Gesture::RubberBand { from, .. }, Some(to)) = (&state.overview, hover) {
        let band = Rect::from_two_pos(*from, to);
        painter.rect(
            band,
            CornerRadius::ZERO,
            visuals.selection.bg_fill.gamma_multiply(0.25),
            Stroke::new(1.0, visuals.selection.stroke.color),
            StrokeKind::Inside,
        );
    }
}
