//! The detailed view's links, drawn by the editor instead of snarl: each one routed around
//! the nodes between its ends (core's [`route_around`]), with rounded corners, in its kind's
//! colour, a relationship dashed.
//!
//! Snarl still handles the pins (dragging a new link from one) and keeps its own wires, which
//! the viewer makes invisible. The routes are drawn into a slot the viewer reserves while
//! snarl draws its background, so they lie above the background and below the nodes; they are
//! found after snarl has drawn the nodes of this frame, from the rectangles it drew them in.
//! A route is searched for again only when its ends or the boxes near it moved; links that
//! share a stretch of line are then drawn side by side (core's [`separate`]).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use eframe::egui::{self, Color32, LayerId, Pos2, Rect, Shape, Stroke, layers::ShapeIdx};
use medflow_core::flow::FlowLink;
use medflow_core::layout::route::{Bounds, RouteOptions, route_around, separate};

use crate::canvas::view::Graph;

/// Where the routes go: a shape the viewer added to snarl's layer while snarl drew its
/// background.
#[derive(Debug, Clone, Copy)]
pub(super) struct Slot {
    pub layer: LayerId,
    pub index: ShapeIdx,
    pub clip: Rect,
}

/// A link as drawn this frame.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DrawnWire {
    pub source: String,
    pub target: String,
    pub link: FlowLink,
    /// The two nodes' titles, for the words about the link.
    pub titles: (String, String),
    /// The route's corners, in canvas coordinates.
    pub points: Vec<Pos2>,
}

impl DrawnWire {
    /// The link in words: "Effect from Phish the vendor to Log in as the vendor" (words,
    /// not an arrow: the proportional fonts have no arrows).
    pub fn words(&self) -> String {
        format!(
            "{} from {} to {}",
            self.link.name(),
            self.titles.0,
            self.titles.1
        )
    }

    /// How far `point` is from the route.
    pub fn distance(&self, point: Pos2) -> f32 {
        self.points
            .windows(2)
            .map(|pair| distance_to_segment(point, pair[0], pair[1]))
            .fold(f32::INFINITY, f32::min)
    }
}

fn distance_to_segment(point: Pos2, a: Pos2, b: Pos2) -> f32 {
    let along = b - a;
    let length = along.length_sq();
    if length <= f32::EPSILON {
        return (point - a).length();
    }
    let t = ((point - a).dot(along) / length).clamp(0.0, 1.0);
    (point - (a + along * t)).length()
}

/// The routes found, kept between frames.
#[derive(Debug, Default)]
pub(crate) struct Wires {
    /// Per link: what its route was found from, and the route.
    routes: HashMap<(String, String, FlowLink), (u64, Vec<Pos2>)>,
    /// The links drawn in the last frame.
    pub drawn: Vec<DrawnWire>,
}

/// How far apart (in screen points) links sharing a line are drawn.
pub(crate) const SPACING: f32 = 5.0;

/// How close (in screen points) the pointer must be to a link to point at it.
pub(crate) const POINTING: f32 = 6.0;

impl Wires {
    /// The link nearest `point` (canvas coordinates) within `reach`.
    pub fn near(&self, point: Pos2, reach: f32) -> Option<&DrawnWire> {
        self.drawn
            .iter()
            .map(|wire| (wire.distance(point), wire))
            .filter(|(distance, _)| *distance <= reach)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, wire)| wire)
    }

    /// Routes the links between the nodes snarl drew this frame (`rects`, canvas
    /// coordinates), with each pin's row from `pin_rows`; links sharing a line are drawn
    /// [`SPACING`] screen points apart at zoom `scale` (or closer, to stay clear of the nodes).
    pub fn route(
        &mut self,
        graph: &Graph,
        rects: &HashMap<&str, Rect>,
        pin_rows: &HashMap<(String, &'static str), f32>,
        scale: f32,
    ) {
        let options = RouteOptions::default();
        let boxes: Vec<Bounds> = rects
            .values()
            .map(|rect| [rect.min.x, rect.min.y, rect.max.x, rect.max.y])
            .collect();
        let mut routes = HashMap::with_capacity(self.routes.len());
        self.drawn.clear();
        for link in &graph.links {
            let source = graph.views[link.source].id.as_str();
            let target = graph.views[link.target].id.as_str();
            let (Some(from), Some(to)) = (rects.get(source), rects.get(target)) else {
                continue;
            };
            let start = Pos2::new(
                from.max.x,
                pin_row(pin_rows, source, link.output.label()).unwrap_or(from.center().y),
            );
            let end = Pos2::new(
                to.min.x,
                pin_row(pin_rows, target, "in").unwrap_or(to.center().y),
            );
            let near = near_boxes(&boxes, start, end, &options);
            let key = route_key(start, end, &near);
            let id = (source.to_owned(), target.to_owned(), link.output);
            let points = match self.routes.remove(&id) {
                Some((known, points)) if known == key => points,
                _ => route_around([start.x, start.y], [end.x, end.y], &near, &options).map_or_else(
                    || direct(start, end, options.clearance),
                    |corners| corners.into_iter().map(|[x, y]| Pos2::new(x, y)).collect(),
                ),
            };
            self.drawn.push(DrawnWire {
                source: id.0.clone(),
                target: id.1.clone(),
                link: link.output,
                titles: (
                    graph.views[link.source].title.clone(),
                    graph.views[link.target].title.clone(),
                ),
                points: points.clone(),
            });
            routes.insert(id, (key, points));
        }
        self.routes = routes;
        // Links sharing a stretch of line are drawn side by side.
        let mut separated: Vec<Vec<[f32; 2]>> = self
            .drawn
            .iter()
            .map(|wire| wire.points.iter().map(|point| [point.x, point.y]).collect())
            .collect();
        separate(&mut separated, SPACING / scale.max(0.01), options.clearance);
        for (wire, points) in self.drawn.iter_mut().zip(separated) {
            wire.points = points.into_iter().map(|[x, y]| Pos2::new(x, y)).collect();
        }
    }

    /// Paints the routed links into `slot`; the one under `pointer` (canvas coordinates,
    /// within [`POINTING`] screen points at zoom `scale`) wider. Returns its index.
    pub fn paint(
        &self,
        ctx: &egui::Context,
        slot: Slot,
        pointer: Option<Pos2>,
        scale: f32,
    ) -> Option<usize> {
        let hovered = pointer.and_then(|pointer| {
            self.drawn
                .iter()
                .enumerate()
                .map(|(index, wire)| (wire.distance(pointer), index))
                .filter(|(distance, _)| *distance * scale <= POINTING)
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, index)| index)
        });
        let mut shapes = Vec::with_capacity(self.drawn.len());
        for (index, wire) in self.drawn.iter().enumerate() {
            let width = if hovered == Some(index) { 4.5 } else { 2.5 };
            let stroke = Stroke::new(width, crate::theme::link_color(wire.link));
            let line = rounded(&wire.points, 8.0);
            if wire.link == FlowLink::Relationship {
                shapes.extend(Shape::dashed_line(&line, stroke, 8.0, 5.0));
            } else {
                shapes.push(Shape::line(line, stroke));
            }
        }
        // The clip as snarl's layer has it (canvas coordinates): set, not intersected with the
        // screen's (which `with_clip_rect` would do, cutting off what lies left of or above
        // the canvas's origin).
        let mut layer = ctx.layer_painter(slot.layer);
        layer.set_clip_rect(slot.clip);
        layer.set(slot.index, Shape::Vec(shapes));
        hovered
    }
}

fn pin_row(
    pin_rows: &HashMap<(String, &'static str), f32>,
    id: &str,
    label: &'static str,
) -> Option<f32> {
    pin_rows.get(&(id.to_owned(), label)).copied()
}

/// The boxes a route from `start` to `end` may meet.
fn near_boxes(boxes: &[Bounds], start: Pos2, end: Pos2, options: &RouteOptions) -> Vec<Bounds> {
    let reach = options.reach + 2.0 * options.clearance;
    let region = [
        start.x.min(end.x) - reach,
        start.y.min(end.y) - reach,
        start.x.max(end.x) + reach,
        start.y.max(end.y) + reach,
    ];
    let mut near: Vec<Bounds> = boxes
        .iter()
        .filter(|bounds| {
            bounds[0] < region[2]
                && region[0] < bounds[2]
                && bounds[1] < region[3]
                && region[1] < bounds[3]
        })
        .copied()
        .collect();
    // In one order whatever the map's, so the key and the route are the same every time.
    near.sort_by(|a, b| {
        a.iter()
            .zip(b)
            .map(|(x, y)| x.total_cmp(y))
            .find(|order| order.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    near
}

/// What a route depends on, to a tenth of a point.
fn route_key(start: Pos2, end: Pos2, near: &[Bounds]) -> u64 {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "canvas coordinates are far inside i32's range"
    )]
    let round = |value: f32| (value * 10.0).round() as i32;
    let mut hasher = std::hash::DefaultHasher::new();
    for value in [start.x, start.y, end.x, end.y] {
        round(value).hash(&mut hasher);
    }
    for bounds in near {
        for value in bounds {
            round(*value).hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// A link with no route around (walled in, or too many nodes near it): straight out of its
/// start, across, and straight into its end.
fn direct(start: Pos2, end: Pos2, stub: f32) -> Vec<Pos2> {
    vec![
        start,
        start + egui::vec2(stub, 0.0),
        end - egui::vec2(stub, 0.0),
        end,
    ]
}

/// The polyline through `points` with each corner rounded (radius up to `radius`, less
/// where the segments are short).
fn rounded(points: &[Pos2], radius: f32) -> Vec<Pos2> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut line = vec![points[0]];
    for window in points.windows(3) {
        let (before, corner, after) = (window[0], window[1], window[2]);
        let into = corner - before;
        let out = after - corner;
        let r = radius.min(into.length() / 2.0).min(out.length() / 2.0);
        if r < 0.5 {
            line.push(corner);
            continue;
        }
        let enter = corner - into.normalized() * r;
        let leave = corner + out.normalized() * r;
        // A quadratic curve from `enter` to `leave` pulled towards the corner.
        for step in 0..=4 {
            #[allow(clippy::cast_precision_loss, reason = "five steps")]
            let t = step as f32 / 4.0;
            let a = enter.lerp(corner, t);
            let b = corner.lerp(leave, t);
            line.push(a.lerp(b, t));
        }
    }
    line.push(points[points.len() - 1]);
    line
}

/// The colour snarl is given for its own wires: none, since the editor draws the links, but
/// the wire a user is dragging out of a pin (snarl draws that one) in `colour`.
pub(super) fn snarl_wire_colour(dragging_from_here: bool, colour: Color32) -> Color32 {
    if dragging_from_here {
        colour
    } else {
        Color32::TRANSPARENT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corners_are_rounded_within_the_segments() {
        let points = [
            Pos2::new(0.0, 0.0),
            Pos2::new(100.0, 0.0),
            Pos2::new(100.0, 6.0),
            Pos2::new(200.0, 6.0),
        ];
        let line = rounded(&points, 8.0);
        assert_eq!(line.first(), points.first());
        assert_eq!(line.last(), points.last());
        // The short middle segment limits the radius to 3: nothing strays beyond the
        // segments' box.
        for point in &line {
            assert!((0.0..=200.0).contains(&point.x) && (0.0..=6.0).contains(&point.y));
        }
        assert!(line.len() > points.len());
    }

    #[test]
    fn a_link_is_found_from_a_point_near_it() {
        let wire = DrawnWire {
            source: "a".into(),
            target: "b".into(),
            link: FlowLink::Effect,
            titles: ("A".into(), "B".into()),
            points: vec![
                Pos2::new(0.0, 0.0),
                Pos2::new(100.0, 0.0),
                Pos2::new(100.0, 50.0),
            ],
        };
        assert!((wire.distance(Pos2::new(50.0, 3.0)) - 3.0).abs() < 1e-4);
        assert!((wire.distance(Pos2::new(104.0, 25.0)) - 4.0).abs() < 1e-4);
        let wires = Wires {
            routes: HashMap::new(),
            drawn: vec![wire],
        };
        assert!(wires.near(Pos2::new(50.0, 3.0), 5.0).is_some());
        assert!(wires.near(Pos2::new(50.0, 30.0), 5.0).is_none());
    }
}
