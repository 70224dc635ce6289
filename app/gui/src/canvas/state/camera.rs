//! The canvas's camera: requests from outside the canvas (fit, the opening view from the flow's
//! start, the architecture view's lanes, zoom, reveal) applied to it, and zooming about a point.

use eframe::egui::{self, Pos2, Rect, emath::TSTransform};
use medflow_core::extension::View;
use medflow_core::layout::Direction;
use medflow_core::scene::backdrop::Backdrop;

use super::{CanvasState, MAX_SCALE, MIN_SCALE, OPENING_SCALE, READABLE_SCALE};

/// A change to the camera asked for from outside the canvas.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum ViewRequest {
    /// Fit everything in view, this frame and the given number of following frames.
    Fit(u8),
    /// Like `Fit`, but never below a readable zoom: a long flow is shown from its start.
    Overview(u8),
    /// The architecture view's lanes across the view, from their top, at a readable zoom.
    Lanes(u8),
    Zoom(f32),
    Reveal(String),
}

impl CanvasState {
    /// The camera that shows `bounds` (canvas coordinates) inside the screen rectangle.
    fn fitting(&self, bounds: Rect) -> Option<TSTransform> {
        if !bounds.is_finite() || !self.screen_rect.is_finite() || self.screen_rect.area() <= 0.0 {
            return None;
        }
        let bounds = bounds.expand(40.0);
        let scale = (self.screen_rect.width() / bounds.width())
            .min(self.screen_rect.height() / bounds.height())
            .clamp(MIN_SCALE, 2.0);
        Some(TSTransform::new(
            self.screen_rect.center().to_vec2() - bounds.center().to_vec2() * scale,
            scale,
        ))
    }

    /// The camera at [`OPENING_SCALE`] showing the flow's start: the attack-flow node (else
    /// the first node) at the top of the view and centred across it, or at the left when the
    /// flow runs left to right (wider than tall).
    fn at_start(&self, bounds: Rect) -> TSTransform {
        let start_index = self
            .graph
            .views
            .iter()
            .position(|view| view.id.starts_with("attack-flow--"))
            .or_else(|| (!self.graph.views.is_empty()).then_some(0));
        let start = start_index.map_or(bounds, |index| self.graph.rect(index, &self.drawn));
        let screen = self.screen_rect;
        let margin = 40.0;
        // Which way the flow runs from its start: down or right, as its links leave it
        // (saved positions may run either way); the layout's direction when it has none.
        let (mut down, mut right) = (0.0_f32, 0.0_f32);
        for link in &self.graph.links {
            if Some(link.source) == start_index {
                let to = self.graph.rect(link.target, &self.drawn);
                down += to.center().y - start.center().y;
                right += to.center().x - start.center().x;
            }
        }
        let downwards = if down == 0.0 && right == 0.0 {
            self.direction == Direction::TopToBottom
        } else {
            down >= right
        };
        let (anchor, on_screen) = match (self.view, downwards) {
            (View::Flow, true) => (
                Pos2::new(start.center().x, start.top() - margin),
                Pos2::new(screen.center().x, screen.top()),
            ),
            (View::Flow, false) => (
                Pos2::new(start.left() - margin, start.center().y),
                Pos2::new(screen.left(), screen.center().y),
            ),
            // The architecture view: its lanes from their top-left corner.
            (View::Zones, _) => (
                Pos2::new(bounds.left() - margin, bounds.top() - margin),
                screen.left_top(),
            ),
        };
        TSTransform::new(
            on_screen.to_vec2() - anchor.to_vec2() * OPENING_SCALE,
            OPENING_SCALE,
        )
    }

    /// Applies the pending camera requests to `camera`; true when there were any.
    pub(super) fn apply_requests(&mut self, camera: &mut TSTransform) -> bool {
        let requests = std::mem::take(&mut self.requests);
        let any = !requests.is_empty();
        for request in requests {
            match request {
                ViewRequest::Fit(frames_left) | ViewRequest::Overview(frames_left) => {
                    let overview = matches!(request, ViewRequest::Overview(_));
                    let mut bounds = Rect::NOTHING;
                    for index in 0..self.graph.views.len() {
                        bounds = bounds.union(self.graph.rect(index, &self.drawn));
                    }
                    // In the architecture view, the backdrop is part of the picture.
                    if let Some([left, top, right, bottom]) =
                        self.backdrop.as_ref().and_then(Backdrop::bounds)
                    {
                        bounds = bounds.union(Rect::from_min_max(
                            Pos2::new(left, top),
                            Pos2::new(right, bottom),
                        ));
                    }
                    if let Some(mut fit) = self.fitting(bounds) {
                        if overview && fit.scaling < OPENING_SCALE {
                            // Too large to read whole: show its start, readable.
                            fit = self.at_start(bounds);
                        } else if overview && fit.scaling > OPENING_SCALE {
                            // A small flow is not blown up either.
                            let center = self.screen_rect.center();
                            fit = TSTransform::new(
                                center.to_vec2() - bounds.center().to_vec2() * OPENING_SCALE,
                                OPENING_SCALE,
                            );
                        }
                        *camera = fit;
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
                ViewRequest::Lanes(frames_left) => {
                    if let Some([left, top, right, _]) =
                        self.backdrop.as_ref().and_then(Backdrop::bounds)
                    {
                        let margin = 20.0;
                        let scale = ((self.screen_rect.width() - 2.0 * margin) / (right - left))
                            .clamp(READABLE_SCALE, OPENING_SCALE);
                        *camera = TSTransform::new(
                            (self.screen_rect.left_top() + egui::vec2(margin, margin)).to_vec2()
                                - Pos2::new(left, top).to_vec2() * scale,
                            scale,
                        );
                    }
                    if frames_left > 0 {
                        self.requests.push(ViewRequest::Lanes(frames_left - 1));
                    }
                }
                ViewRequest::Zoom(factor) => {
                    let center = self.screen_rect.center();
                    *camera = zoomed(*camera, center, factor);
                }
                ViewRequest::Reveal(id) => {
                    if let Some(rect) = self.node_rect(&id) {
                        let scale = camera.scaling.max(0.6);
                        let center = self.screen_rect.center();
                        *camera = TSTransform::new(
                            center.to_vec2() - rect.center().to_vec2() * scale,
                            scale,
                        );
                    }
                }
            }
        }
        any
    }
}

/// `camera` zoomed by `factor` about the screen point `center`, within the zoom range.
pub(in crate::canvas) fn zoomed(camera: TSTransform, center: Pos2, factor: f32) -> TSTransform {
    let scale = (camera.scaling * factor).clamp(MIN_SCALE, MAX_SCALE);
    let anchor = camera.inverse() * center;
    TSTransform::new(center.to_vec2() - anchor.to_vec2() * scale, scale)
}
