//! The architecture view's backdrop: each zone a labelled lane, trust boundaries as dashed
//! lines between lanes.

use eframe::egui::{
    self, Align2, Color32, CornerRadius, FontId, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2,
    emath::TSTransform,
};
use medflow_core::layout::zones::Lane;

/// Paints the lanes, `height` canvas points tall, through `camera` (canvas → painter
/// coordinates; the identity when the painter already draws in canvas coordinates).
pub(super) fn paint_lanes(
    painter: &egui::Painter,
    lanes: &[Lane],
    height: f32,
    camera: &TSTransform,
    style: &egui::Style,
) {
    let dark = style.visuals.dark_mode;
    let fills = if dark {
        [Color32::from_rgb(24, 28, 34), Color32::from_rgb(30, 34, 40)]
    } else {
        [
            Color32::from_rgb(238, 242, 247),
            Color32::from_rgb(246, 248, 251),
        ]
    };
    let text = style.visuals.weak_text_color();
    let boundary = Stroke::new(
        (1.5 * camera.scaling).max(1.0),
        Color32::from_rgb(200, 120, 80),
    );
    for (index, lane) in lanes.iter().enumerate() {
        let rect =
            *camera * Rect::from_min_size(Pos2::new(lane.x, 0.0), Vec2::new(lane.width, height));
        painter.rect(
            rect,
            CornerRadius::same(6),
            fills[index % 2],
            Stroke::new(1.0, style.visuals.widgets.noninteractive.bg_stroke.color),
            StrokeKind::Inside,
        );
        let size = (18.0 * camera.scaling).clamp(9.0, 22.0);
        painter.text(
            rect.left_top() + Vec2::new(10.0, 8.0) * camera.scaling.max(0.5),
            Align2::LEFT_TOP,
            &lane.name,
            FontId::proportional(size),
            text,
        );
        // The trust boundary to the next lane: a dashed line in the gap between them.
        if let Some(next) = lanes.get(index + 1) {
            let x = (lane.x + lane.width + next.x) / 2.0;
            let top = *camera * Pos2::new(x, 0.0);
            let bottom = *camera * Pos2::new(x, height);
            let dash = (12.0 * camera.scaling).max(4.0);
            painter.extend(Shape::dashed_line(
                &[top, bottom],
                boundary,
                dash,
                dash * 0.6,
            ));
        }
    }
}
