//! Routing a link around the boxes between its ends.
//!
//! [`route_around`] finds an orthogonal path (horizontal and vertical segments) from a point
//! on a box's right side to a point on another box's left side that keeps a clearance from
//! every box given, with few bends: an A* search over the sparse grid made of the lines along
//! the boxes' sides (at the clearance), through the ends, and around the searched region.
//! Only the boxes near the two ends take part, so a route costs the same in a flow of ten
//! nodes as in one of ten thousand. [`separate`] then moves apart the routes that share a
//! stretch of line.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

mod separate;

pub use separate::separate;

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
mod tests;
