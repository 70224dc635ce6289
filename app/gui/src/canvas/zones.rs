//! Paints the architecture view's backdrop: each zone a labelled lane, and each trust boundary
//! of the architecture where [`Backdrop`] puts it (a dashed line between neighbouring lanes, a
//! bracket above the lanes between distant ones, a dashed region inside a lane), labelled with
//! its name. The geometry is core's; colours come from [`crate::theme`].

use std::f32::consts::FRAC_PI_2;

use eframe::egui::{
    self, Align2, Color32, CornerRadius, FontId, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2,
    emath::TSTransform, epaint::TextShape, text::LayoutJob,
};
use medflow_core::scene::backdrop::{Backdrop, BoundaryMark, BoundaryShape};

use crate::theme;

/// Paints the backdrop through `camera` (canvas → painter coordinates; the identity when the
/// painter already draws in canvas coordinates).
pub(super) fn paint_backdrop(
    painter: &egui::Painter,
    backdrop: &Backdrop,
    camera: &TSTransform,
    style: &egui::Style,
) {
    let visuals = &style.visuals;
    let fills = theme::lane_fills(visuals);
    // The lane of the nodes bound to no component (first, when there is one) is no zone: it
    // has the plain background, and the zones keep their alternating fills.
    let outside = usize::from(
        backdrop
            .lanes
            .first()
            .is_some_and(|lane| lane.key.is_empty()),
    );
    let fill = |index: usize| {
        if index < outside {
            visuals.faint_bg_color
        } else {
            fills[(index - outside) % 2]
        }
    };
    for (index, lane) in backdrop.lanes.iter().enumerate() {
        let rect = *camera
            * Rect::from_min_size(
                Pos2::new(lane.x, 0.0),
                Vec2::new(lane.width, backdrop.height),
            );
        painter.rect(
            rect,
            CornerRadius::same(6),
            fill(index),
            Stroke::new(1.0, theme::lane_stroke_color(visuals)),
            StrokeKind::Inside,
        );
    }
    let pen = Pen {
        painter,
        camera,
        color: theme::boundary_color(visuals),
        backing: theme::boundary_label_backing(visuals),
        region_fill: theme::boundary_region_fill(visuals),
    };
    for mark in &backdrop.boundaries {
        pen.boundary(mark);
    }
    // The zones' names last, each on its lane's fill, so no boundary crosses them.
    for (index, lane) in backdrop.lanes.iter().enumerate() {
        let corner =
            *camera * Pos2::new(lane.x, 0.0) + Vec2::new(10.0, 8.0) * camera.scaling.max(0.5);
        let size = (18.0 * camera.scaling).clamp(11.0, 22.0);
        // Wrapped to the lane's width (three rows at most, then an ellipsis), never smaller
        // than small text: a zone's name must read at the zoom the view opens at.
        let mut job = LayoutJob::simple(
            lane.name.clone(),
            FontId::proportional(size),
            theme::lane_title_color(visuals),
            (lane.width * camera.scaling - 14.0).max(40.0),
        );
        job.wrap.max_rows = 3;
        let galley = painter.layout_job(job);
        painter.rect_filled(
            Rect::from_min_size(corner, galley.size()).expand(2.0),
            CornerRadius::same(2),
            fill(index),
        );
        painter.galley(corner, galley, theme::lane_title_color(visuals));
    }
}

/// What trust boundaries are drawn with.
struct Pen<'a> {
    painter: &'a egui::Painter,
    camera: &'a TSTransform,
    color: Color32,
    backing: Color32,
    region_fill: Color32,
}

impl Pen<'_> {
    fn at(&self, x: f32, y: f32) -> Pos2 {
        *self.camera * Pos2::new(x, y)
    }

    fn dashed(&self, points: &[Pos2]) {
        let stroke = Stroke::new((1.5 * self.camera.scaling).max(1.0), self.color);
        let dash = (12.0 * self.camera.scaling).max(4.0);
        self.painter
            .extend(Shape::dashed_line(points, stroke, dash, dash * 0.6));
    }

    fn font(&self) -> FontId {
        FontId::proportional((13.0 * self.camera.scaling).clamp(10.0, 16.0))
    }

    /// One boundary, with its name.
    fn boundary(&self, mark: &BoundaryMark) {
        let scaling = self.camera.scaling;
        match mark.shape {
            BoundaryShape::Line { x, top, bottom } => {
                self.dashed(&[self.at(x, top), self.at(x, bottom)]);
                // The name along the line, reading upwards from near its top, on a backing
                // that interrupts the dashes.
                let galley =
                    self.painter
                        .layout_no_wrap(mark.name.clone(), self.font(), self.color);
                let size = galley.size();
                let line = self.at(x, top);
                let start = Pos2::new(line.x - size.y / 2.0, line.y + 16.0 * scaling + size.x);
                self.painter.rect_filled(
                    Rect::from_min_size(
                        Pos2::new(start.x, start.y - size.x),
                        Vec2::new(size.y, size.x),
                    ),
                    CornerRadius::same(2),
                    self.backing,
                );
                self.painter
                    .add(TextShape::new(start, galley, self.color).with_angle(-FRAC_PI_2));
            }
            BoundaryShape::Bracket {
                left,
                right,
                y,
                top,
            } => {
                self.dashed(&[
                    self.at(left, top),
                    self.at(left, y),
                    self.at(right, y),
                    self.at(right, top),
                ]);
                self.painter.text(
                    self.at(f32::midpoint(left, right), y) - Vec2::new(0.0, 3.0),
                    Align2::CENTER_BOTTOM,
                    &mark.name,
                    self.font(),
                    self.color,
                );
            }
            BoundaryShape::Region {
                rect: [x, y, width, height],
            } => {
                let rect =
                    *self.camera * Rect::from_min_size(Pos2::new(x, y), Vec2::new(width, height));
                self.painter
                    .rect_filled(rect, CornerRadius::same(4), self.region_fill);
                self.dashed(&[
                    rect.left_top(),
                    rect.right_top(),
                    rect.right_bottom(),
                    rect.left_bottom(),
                    rect.left_top(),
                ]);
                // The name at the bottom left, wrapped to the region's width.
                let padding = Vec2::new(8.0, 6.0) * scaling.max(0.5);
                let galley = self.painter.layout(
                    mark.name.clone(),
                    self.font(),
                    self.color,
                    (rect.width() - 2.0 * padding.x).max(1.0),
                );
                let corner = rect.left_bottom() + Vec2::new(padding.x, -padding.y);
                self.painter
                    .galley(corner - Vec2::new(0.0, galley.size().y), galley, self.color);
            }
        }
    }
}
