//! Routing a link around the boxes between its ends.
//!
//! [`route_around`] finds an orthogonal path (horizontal and vertical segments) from a point
//! on a box's right side to a point on another box's left side that keeps a clearance from
//! every box given, with few bends: an A* search over the sparse grid made of the lines along
//! the boxes' sides (at the clearance), through the ends, and around the searched region.
//! Only the boxes near the two ends take part, so a route costs the same in a flow of ten
//! nodes as in one of ten thousand.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// How a route is searched for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RouteOptions {
    /// How far a route keeps from every box, and how far it runs straight out of its start
    /// and into its end.
    pub clearance: f32,
    /// What a bend costs, in points of length: higher gives fewer bends and longer routes.
    pub bend_cost: f32,
    /// How far around the two ends' bounding box the search may go.
    pub reach: f32,
    /// Beyond this many boxes near the ends, no route is searched for (the caller draws a
    /// direct line).
    pub max_boxes: usize,
}

impl Default for RouteOptions {
    fn default() -> Self {
        Self {
            clearance: 12.0,
            bend_cost: 40.0,
            reach: 240.0,
            max_boxes: 400,
        }
    }
}

/// A box to route around: `[left, top, right, bottom]`.
pub type Bounds = [f32; 4];

/// An orthogonal route from `start` (on the right side of a box, left rightwards) to `end`
/// (on the left side of a box, entered rightwards) that keeps `options.clearance` away from
/// every box in `boxes` (which may include the two boxes the route joins). Returns the
/// route's corners, `start` first and `end` last, with the ends of the two stubs (the
/// clearance long, straight out of `start` and into `end`) among them even where the route
/// runs on in line; or `None` when no route exists within `options.reach` of the ends or too
/// many boxes are near them.
#[must_use]
pub fn route_around(
    start: [f32; 2],
    end: [f32; 2],
    boxes: &[Bounds],
    options: &RouteOptions,
) -> Option<Vec<[f32; 2]>> {
    let clearance = options.clearance;
    let from = [start[0] + clearance, start[1]];
    let to = [end[0] - clearance, end[1]];
    let region = [
        from[0].min(to[0]) - options.reach,
        from[1].min(to[1]) - options.reach,
        from[0].max(to[0]) + options.reach,
        from[1].max(to[1]) + options.reach,
    ];
    // The boxes near the ends, grown by the clearance: a route may run along their sides.
    let grown: Vec<Bounds> = boxes
        .iter()
        .map(|bounds| {
            [
                bounds[0] - clearance,
                bounds[1] - clearance,
                bounds[2] + clearance,
                bounds[3] + clearance,
            ]
        })
        .filter(|bounds| {
            bounds[0] < region[2]
                && region[0] < bounds[2]
                && bounds[1] < region[3]
                && region[1] < bounds[3]
        })
        .collect();
    if grown.len() > options.max_boxes {
        return None;
    }
    let grid = Grid::new(from, to, region, &grown);
    let path = grid.search(options.bend_cost)?;
    // The two stubs stay segments of their own, so that [`separate`] can move what follows
    // them without moving the ends.
    let mut points = vec![start];
    points.extend(simplify(path));
    points.push(end);
    Some(points)
}

/// Moves apart the routes that run along the same line over the same stretch, `spacing`
/// points from each other (closer when many share a line: none moves more than `room`, the
/// clearance the routes keep from the boxes), so that each can be followed: a route's middle
/// segments (not the first and last, which join the boxes) shift sideways, their corners with
/// them, and the routes stay orthogonal. The same routes always come out the same.
pub fn separate(routes: &mut [Vec<[f32; 2]>], spacing: f32, room: f32) {
    // Each middle segment: (route, index of its first point, horizontal?, line, from, to).
    let mut segments: Vec<(usize, usize, bool, f32, f32, f32)> = Vec::new();
    for (route_index, route) in routes.iter().enumerate() {
        for index in 1..route.len().saturating_sub(2) {
            let (a, b) = (route[index], route[index + 1]);
            if (a[1] - b[1]).abs() < 0.01 {
                segments.push((
                    route_index,
                    index,
                    true,
                    a[1],
                    a[0].min(b[0]),
                    a[0].max(b[0]),
                ));
            } else if (a[0] - b[0]).abs() < 0.01 {
                segments.push((
                    route_index,
                    index,
                    false,
                    a[0],
                    a[1].min(b[1]),
                    a[1].max(b[1]),
                ));
            }
        }
    }
    segments.sort_by(|a, b| {
        a.2.cmp(&b.2)
            .then(a.3.total_cmp(&b.3))
            .then(a.4.total_cmp(&b.4))
            .then(a.0.cmp(&b.0))
            .then(a.1.cmp(&b.1))
    });
    let mut shifts: Vec<(usize, usize, bool, f32)> = Vec::new();
    let mut start = 0;
    while start < segments.len() {
        // The segments on one line that overlap one another, by chains of overlaps.
        let (horizontal, line) = (segments[start].2, segments[start].3);
        let mut end = start + 1;
        let mut reach = segments[start].5;
        while end < segments.len()
            && segments[end].2 == horizontal
            && (segments[end].3 - line).abs() < 0.01
            && segments[end].4 < reach - 0.01
        {
            reach = reach.max(segments[end].5);
            end += 1;
        }
        let count = end - start;
        if count > 1 {
            // Of two routes sharing a segment, the same one goes first every time.
            let mut group: Vec<_> = segments[start..end].to_vec();
            group.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
            #[allow(clippy::cast_precision_loss, reason = "a handful of routes")]
            let middle = (count - 1) as f32 / 2.0;
            let spacing = spacing.min(room / middle);
            for (slot, segment) in group.iter().enumerate() {
                #[allow(clippy::cast_precision_loss, reason = "a handful of routes")]
                let shift = (slot as f32 - middle) * spacing;
                shifts.push((segment.0, segment.1, horizontal, shift));
            }
        }
        start = end;
    }
    shift_segments(routes, shifts);
}

/// Moves each segment named in `shifts` (route, index of its first point, horizontal?, by
/// how much), its corners with it; where two segments in line moved apart, a short jog
/// joins them.
fn shift_segments(routes: &mut [Vec<[f32; 2]>], shifts: Vec<(usize, usize, bool, f32)>) {
    let mut by_route: Vec<Vec<(usize, [f32; 2])>> = vec![Vec::new(); routes.len()];
    for (route, index, horizontal, shift) in shifts {
        let offset = if horizontal {
            [0.0, shift]
        } else {
            [shift, 0.0]
        };
        by_route[route].push((index, offset));
    }
    for (route, moved) in routes.iter_mut().zip(by_route) {
        if moved.is_empty() {
            continue;
        }
        let mut offsets = vec![[0.0_f32, 0.0_f32]; route.len().saturating_sub(1)];
        for (index, offset) in moved {
            offsets[index] = offset;
        }
        let mut points = Vec::with_capacity(route.len() + 4);
        for (index, point) in route.iter().enumerate() {
            let before = index.checked_sub(1).map(|segment| offsets[segment]);
            let after = offsets.get(index).copied();
            let at = |offset: [f32; 2]| [point[0] + offset[0], point[1] + offset[1]];
            match (before, after) {
                (Some(before), Some(after)) => {
                    let in_line = before[0] * after[1] == 0.0
                        && before[1] * after[0] == 0.0
                        && in_line_at(route, index);
                    let apart = (before[0] - after[0]).abs() > 0.001
                        || (before[1] - after[1]).abs() > 0.001;
                    if in_line && apart {
                        points.push(at(before));
                        points.push(at(after));
                    } else {
                        points.push(at([before[0] + after[0], before[1] + after[1]]));
                    }
                }
                (Some(offset), None) | (None, Some(offset)) => points.push(at(offset)),
                (None, None) => points.push(*point),
            }
        }
        *route = points;
    }
}

/// Whether the two segments meeting at corner `index` of `route` run in one line.
fn in_line_at(route: &[[f32; 2]], index: usize) -> bool {
    let (a, b, c) = (route[index - 1], route[index], route[index + 1]);
    let horizontal = |p: [f32; 2], q: [f32; 2]| (p[1] - q[1]).abs() < 0.01;
    let vertical = |p: [f32; 2], q: [f32; 2]| (p[0] - q[0]).abs() < 0.01;
    (horizontal(a, b) && horizontal(b, c)) || (vertical(a, b) && vertical(b, c))
}

/// The sparse grid of a search: every line along a grown box's side, through the ends, and
/// along the region's edges; which points lie inside a box and which steps cross one.
struct Grid {
    xs: Vec<f32>,
    ys: Vec<f32>,
    /// Point (i, j) lies strictly inside a grown box.
    inside: Vec<bool>,
    /// The step from (i, j) to (i + 1, j) crosses a grown box.
    across: Vec<bool>,
    /// The step from (i, j) to (i, j + 1) crosses a grown box.
    down: Vec<bool>,
    from: (usize, usize),
    to: (usize, usize),
}

/// The index of `value` in the sorted `lines` (it is one of them).
fn index_of(lines: &[f32], value: f32) -> usize {
    lines
        .partition_point(|line| *line < value)
        .min(lines.len() - 1)
}

/// The lines strictly between `low` and `high`: their index range in the sorted `lines`.
fn strictly_between(lines: &[f32], low: f32, high: f32) -> std::ops::Range<usize> {
    lines.partition_point(|line| *line <= low)..lines.partition_point(|line| *line < high)
}

fn sorted_lines(mut lines: Vec<f32>) -> Vec<f32> {
    lines.sort_by(f32::total_cmp);
    lines.dedup_by(|a, b| (*a - *b).abs() < 0.01);
    lines
}

impl Grid {
    fn new(from: [f32; 2], to: [f32; 2], region: Bounds, boxes: &[Bounds]) -> Self {
        let mut xs = vec![from[0], to[0], region[0], region[2]];
        let mut ys = vec![from[1], to[1], region[1], region[3]];
        // Nothing outside the region: the boxes there were not looked at.
        for bounds in boxes {
            xs.extend([bounds[0], bounds[2]].map(|x| x.clamp(region[0], region[2])));
            ys.extend([bounds[1], bounds[3]].map(|y| y.clamp(region[1], region[3])));
        }
        let xs = sorted_lines(xs);
        let ys = sorted_lines(ys);
        let (width, height) = (xs.len(), ys.len());
        let mut inside = vec![false; width * height];
        let mut across = vec![false; width * height];
        let mut down = vec![false; width * height];
        for bounds in boxes {
            let columns = strictly_between(&xs, bounds[0], bounds[2]);
            let rows = strictly_between(&ys, bounds[1], bounds[3]);
            // The lines on or inside the box's sides, for the steps along them.
            let first_column = xs.partition_point(|line| *line < bounds[0] - 0.005);
            let last_column = xs.partition_point(|line| *line <= bounds[2] + 0.005);
            let first_row = ys.partition_point(|line| *line < bounds[1] - 0.005);
            let last_row = ys.partition_point(|line| *line <= bounds[3] + 0.005);
            for j in rows.clone() {
                for i in columns.clone() {
                    inside[j * width + i] = true;
                }
                // Horizontal steps at a height inside the box, between its sides.
                for i in first_column..last_column.saturating_sub(1) {
                    across[j * width + i] = true;
                }
            }
            for i in columns {
                for j in first_row..last_row.saturating_sub(1) {
                    down[j * width + i] = true;
                }
            }
        }
        let from = (index_of(&xs, from[0]), index_of(&ys, from[1]));
        let to = (index_of(&xs, to[0]), index_of(&ys, to[1]));
        // The ends themselves are always usable (a neighbour's box may reach over them).
        inside[from.1 * width + from.0] = false;
        inside[to.1 * width + to.0] = false;
        Self {
            xs,
            ys,
            inside,
            across,
            down,
            from,
            to,
        }
    }

    /// The cheapest path from the start to the end, as grid points, or `None`.
    fn search(&self, bend_cost: f32) -> Option<Vec<[f32; 2]>> {
        let width = self.xs.len();
        let height = self.ys.len();
        debug_assert!(width > 0 && height > 0);
        let state = |i: usize, j: usize, direction: usize| (j * width + i) * 4 + direction;
        let mut best = vec![f32::INFINITY; width * height * 4];
        let mut came_from = vec![usize::MAX; width * height * 4];
        let mut queue = BinaryHeap::new();
        let guess = |i: usize, j: usize| {
            (self.xs[i] - self.xs[self.to.0]).abs() + (self.ys[j] - self.ys[self.to.1]).abs()
        };
        // The route leaves its start rightwards.
        let first = state(self.from.0, self.from.1, RIGHT);
        best[first] = 0.0;
        queue.push(Entry {
            estimate: guess(self.from.0, self.from.1),
            state: first,
        });
        let mut reached = None;
        while let Some(Entry {
            estimate,
            state: at,
        }) = queue.pop()
        {
            let (cell, direction) = (at / 4, at % 4);
            let (i, j) = (cell % width, cell / width);
            let cost = best[at];
            if estimate > cost + guess(i, j) + 0.001 {
                continue;
            }
            if (i, j) == self.to {
                // It must go on rightwards into the end: a turn there costs a bend, or two.
                let turn = match direction {
                    RIGHT => 0.0,
                    LEFT => 2.0 * bend_cost,
                    _ => bend_cost,
                };
                if turn == 0.0 {
                    reached = Some(at);
                    break;
                }
                let finished = state(i, j, RIGHT);
                if cost + turn < best[finished] {
                    best[finished] = cost + turn;
                    came_from[finished] = at;
                    queue.push(Entry {
                        estimate: cost + turn,
                        state: finished,
                    });
                }
                continue;
            }
            for next in [RIGHT, LEFT, DOWN, UP] {
                if next == opposite(direction) {
                    continue;
                }
                let Some((ni, nj)) = self.step(i, j, next) else {
                    continue;
                };
                let length = (self.xs[ni] - self.xs[i]).abs() + (self.ys[nj] - self.ys[j]).abs();
                let bend = if next == direction { 0.0 } else { bend_cost };
                let candidate = cost + length + bend;
                let index = state(ni, nj, next);
                if candidate < best[index] {
                    best[index] = candidate;
                    came_from[index] = at;
                    queue.push(Entry {
                        estimate: candidate + guess(ni, nj),
                        state: index,
                    });
                }
            }
        }
        let mut at = reached?;
        let mut path = Vec::new();
        loop {
            let cell = at / 4;
            let point = [self.xs[cell % width], self.ys[cell / width]];
            if path.last() != Some(&point) {
                path.push(point);
            }
            if came_from[at] == usize::MAX {
                break;
            }
            at = came_from[at];
        }
        path.reverse();
        Some(path)
    }

    /// The neighbouring point in `direction`, when the step there is free.
    fn step(&self, i: usize, j: usize, direction: usize) -> Option<(usize, usize)> {
        let width = self.xs.len();
        let (ni, nj) = match direction {
            RIGHT => (i + 1, j),
            LEFT => (i.checked_sub(1)?, j),
            DOWN => (i, j + 1),
            _ => (i, j.checked_sub(1)?),
        };
        if ni >= width || nj >= self.ys.len() || self.inside[nj * width + ni] {
            return None;
        }
        let blocked = match direction {
            RIGHT => self.across[j * width + i],
            LEFT => self.across[j * width + ni],
            DOWN => self.down[j * width + i],
            _ => self.down[nj * width + i],
        };
        (!blocked).then_some((ni, nj))
    }
}

const RIGHT: usize = 0;
const LEFT: usize = 1;
const DOWN: usize = 2;
const UP: usize = 3;

fn opposite(direction: usize) -> usize {
    match direction {
        RIGHT => LEFT,
        LEFT => RIGHT,
        DOWN => UP,
        _ => DOWN,
    }
}

/// A search state in the queue, cheapest estimate first (ties: the lower state, so the
/// search is the same on every run).
#[derive(Debug, Clone, Copy)]
struct Entry {
    estimate: f32,
    state: usize,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .estimate
            .total_cmp(&self.estimate)
            .then_with(|| other.state.cmp(&self.state))
    }
}

/// The route without repeated points and without corners that are not corners.
fn simplify(points: Vec<[f32; 2]>) -> Vec<[f32; 2]> {
    let mut kept: Vec<[f32; 2]> = Vec::with_capacity(points.len());
    for point in points {
        if kept.last().is_some_and(|last| {
            (last[0] - point[0]).abs() < 0.01 && (last[1] - point[1]).abs() < 0.01
        }) {
            continue;
        }
        if kept.len() >= 2 {
            let a = kept[kept.len() - 2];
            let b = kept[kept.len() - 1];
            let in_line = ((a[0] - b[0]).abs() < 0.01 && (b[0] - point[0]).abs() < 0.01)
                || ((a[1] - b[1]).abs() < 0.01 && (b[1] - point[1]).abs() < 0.01);
            if in_line {
                kept.pop();
            }
        }
        kept.push(point);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether any segment of `route` passes through the inside of `bounds` grown by
    /// `clearance` less a hair.
    fn crosses(route: &[[f32; 2]], bounds: Bounds, clearance: f32) -> bool {
        let grown = [
            bounds[0] - clearance + 0.5,
            bounds[1] - clearance + 0.5,
            bounds[2] + clearance - 0.5,
            bounds[3] + clearance - 0.5,
        ];
        route.windows(2).any(|pair| {
            let (a, b) = (pair[0], pair[1]);
            let (left, right) = (a[0].min(b[0]), a[0].max(b[0]));
            let (top, bottom) = (a[1].min(b[1]), a[1].max(b[1]));
            left < grown[2]
                && grown[0] < right.max(left + 0.001)
                && top < grown[3]
                && grown[1] < bottom.max(top + 0.001)
        })
    }

    fn orthogonal(route: &[[f32; 2]]) -> bool {
        route.windows(2).all(|pair| {
            (pair[0][0] - pair[1][0]).abs() < 1e-4 || (pair[0][1] - pair[1][1]).abs() < 1e-4
        })
    }

    #[test]
    fn with_nothing_between_the_route_is_straight() {
        let source = [0.0, -20.0, 100.0, 20.0];
        let target = [300.0, -20.0, 400.0, 20.0];
        let route = route_around(
            [100.0, 0.0],
            [300.0, 0.0],
            &[source, target],
            &RouteOptions::default(),
        )
        .unwrap();
        assert_eq!(
            route,
            vec![[100.0, 0.0], [112.0, 0.0], [288.0, 0.0], [300.0, 0.0]],
            "straight, the stubs' ends kept"
        );
    }

    #[test]
    fn a_box_in_the_way_is_gone_around_not_through() {
        let options = RouteOptions::default();
        let source = [0.0, -20.0, 100.0, 20.0];
        let target = [500.0, -20.0, 600.0, 20.0];
        let between = [200.0, -60.0, 400.0, 60.0];
        let route = route_around(
            [100.0, 0.0],
            [500.0, 0.0],
            &[source, target, between],
            &options,
        )
        .unwrap();
        assert!(orthogonal(&route), "{route:?}");
        assert_eq!(route.first(), Some(&[100.0, 0.0]));
        assert_eq!(route.last(), Some(&[500.0, 0.0]));
        assert!(!crosses(&route, between, options.clearance), "{route:?}");
        // Over or under the box: two bends each way, four in all (and the stubs' ends).
        assert_eq!(route.len(), 8, "{route:?}");
        // The same every time.
        let again = route_around(
            [100.0, 0.0],
            [500.0, 0.0],
            &[source, target, between],
            &options,
        );
        assert_eq!(again.as_ref(), Some(&route));
    }

    #[test]
    fn a_link_back_to_an_earlier_box_goes_around_both_ends() {
        // Top to bottom, the target below the source and to its left: out of the source's
        // right, down, and into the target's left side, clear of both boxes.
        let options = RouteOptions::default();
        let source = [0.0, 0.0, 200.0, 100.0];
        let target = [0.0, 200.0, 200.0, 300.0];
        let route = route_around([200.0, 50.0], [0.0, 250.0], &[source, target], &options).unwrap();
        assert!(orthogonal(&route), "{route:?}");
        for bounds in [source, target] {
            // The first and last segments touch the boxes' sides: leave them out.
            assert!(
                !crosses(&route[1..route.len() - 1], bounds, options.clearance),
                "{route:?}"
            );
        }
        assert!(route[1][0] > 200.0, "it leaves rightwards");
        assert!(route[route.len() - 2][0] < 0.0, "it comes in from the left");
    }

    #[test]
    fn routes_along_the_same_line_are_moved_apart() {
        let route = vec![
            [0.0, 0.0],
            [20.0, 0.0],
            [20.0, 100.0],
            [200.0, 100.0],
            [200.0, 50.0],
            [220.0, 50.0],
        ];
        let mut routes = vec![
            route.clone(),
            route.clone(),
            vec![[0.0, 300.0], [90.0, 300.0]],
        ];
        separate(&mut routes, 6.0, 12.0);
        assert_ne!(routes[0], routes[1]);
        for moved in &routes[..2] {
            assert_eq!(moved.first(), route.first(), "the ends stay on their pins");
            assert_eq!(moved.last(), route.last());
            assert!(orthogonal(moved), "{moved:?}");
        }
        // Three apart by the spacing, around the line they shared.
        assert!((routes[0][2][1] + 6.0 - routes[1][2][1]).abs() < 1e-4);
        assert!((routes[0][2][1] + routes[1][2][1] - 200.0).abs() < 1e-4);
        assert_eq!(
            routes[2],
            vec![[0.0, 300.0], [90.0, 300.0]],
            "alone: untouched"
        );
        // A run in line with its stub moves off it with a jog; the stub stays.
        let in_line = vec![
            [0.0, 0.0],
            [12.0, 0.0],
            [100.0, 0.0],
            [100.0, 80.0],
            [188.0, 80.0],
            [200.0, 80.0],
        ];
        let mut pair = vec![in_line.clone(), in_line.clone()];
        separate(&mut pair, 6.0, 12.0);
        for moved in &pair {
            assert!(orthogonal(moved), "{moved:?}");
            assert_eq!(&moved[..2], &in_line[..2], "the stub stays");
            assert_eq!(&moved[moved.len() - 2..], &in_line[4..], "the stub stays");
            assert_eq!(moved.len(), 8, "a jog at each stub: {moved:?}");
        }
        assert_ne!(pair[0], pair[1]);
        // Many on one line keep within the room.
        let mut many = vec![route.clone(); 9];
        separate(&mut many, 6.0, 12.0);
        for moved in &many {
            assert!((moved[2][1] - 100.0).abs() <= 12.0 + 1e-4, "{moved:?}");
        }
        assert!(many.windows(2).all(|pair| pair[0][2][1] < pair[1][2][1]));
        // Segments on one line that do not overlap stay where they are.
        let mut apart = vec![
            vec![
                [0.0, 0.0],
                [10.0, 0.0],
                [10.0, 50.0],
                [40.0, 50.0],
                [40.0, 60.0],
                [50.0, 60.0],
            ],
            vec![
                [0.0, 9.0],
                [60.0, 9.0],
                [60.0, 50.0],
                [90.0, 50.0],
                [90.0, 60.0],
                [99.0, 60.0],
            ],
        ];
        let before = apart.clone();
        separate(&mut apart, 6.0, 12.0);
        assert_eq!(apart, before);
    }

    #[test]
    fn a_target_walled_in_has_no_route() {
        let options = RouteOptions::default();
        let walls = [
            [-400.0, -400.0, 400.0, -300.0],
            [-400.0, 300.0, 400.0, 400.0],
            [-400.0, -400.0, -300.0, 400.0],
            [300.0, -400.0, 400.0, 400.0],
        ];
        // The start is outside the walls, far to the left; the end inside them.
        let route = route_around([-900.0, 0.0], [0.0, 0.0], &walls, &options);
        assert_eq!(route, None);
        // Too many boxes near the ends: none is searched for.
        let crowd: Vec<Bounds> = (0..20_u8)
            .map(|index| {
                let x = 20.0 * f32::from(index);
                [x, 100.0, x + 10.0, 110.0]
            })
            .collect();
        let few = RouteOptions {
            max_boxes: 10,
            ..options
        };
        assert_eq!(route_around([0.0, 0.0], [400.0, 0.0], &crowd, &few), None);
        assert!(route_around([0.0, 0.0], [400.0, 0.0], &crowd, &options).is_some());
    }
}
