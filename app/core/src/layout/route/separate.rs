//! Moving apart the routes that share a stretch of line, so that each can be followed.

/// Moves apart the routes that run along the same line over the same stretch, `spacing`
/// points from each other (closer when many share a line: none moves more than `room`, the
/// clearance the routes keep from the boxes), so that each can be followed: a route's middle
/// segments (not the first and last, which join the boxes) shift sideways, their corners with
/// them, and the routes stay orthogonal. The same routes always come out the same.
pub fn separate(routes: &mut [Vec<[f32; 2]>], spacing: f32, room: f32) {
    let mut segments: Vec<Segment> = Vec::new();
    for (route_index, route) in routes.iter().enumerate() {
        for index in 1..route.len().saturating_sub(2) {
            let (a, b) = (route[index], route[index + 1]);
            let horizontal = (a[1] - b[1]).abs() < 0.01;
            if !horizontal && (a[0] - b[0]).abs() >= 0.01 {
                continue;
            }
            // The coordinate that names the line, and the one that runs along it.
            let (across, along) = if horizontal { (1, 0) } else { (0, 1) };
            segments.push(Segment {
                route: route_index,
                index,
                horizontal,
                line: a[across],
                from: a[along].min(b[along]),
                to: a[along].max(b[along]),
            });
        }
    }
    segments.sort_by(|a, b| {
        a.horizontal
            .cmp(&b.horizontal)
            .then(a.line.total_cmp(&b.line))
            .then(a.from.total_cmp(&b.from))
            .then(a.route.cmp(&b.route))
            .then(a.index.cmp(&b.index))
    });
    let mut shifts: Vec<(Segment, f32)> = Vec::new();
    let mut start = 0;
    while start < segments.len() {
        // The segments on one line that overlap one another, by chains of overlaps.
        let first = segments[start];
        let mut end = start + 1;
        let mut reach = first.to;
        while end < segments.len()
            && segments[end].horizontal == first.horizontal
            && (segments[end].line - first.line).abs() < 0.01
            && segments[end].from < reach - 0.01
        {
            reach = reach.max(segments[end].to);
            end += 1;
        }
        let count = end - start;
        if count > 1 {
            // Of two routes sharing a segment, the same one goes first every time.
            let mut group: Vec<Segment> = segments[start..end].to_vec();
            group.sort_by(|a, b| a.route.cmp(&b.route).then(a.index.cmp(&b.index)));
            #[allow(clippy::cast_precision_loss, reason = "a handful of routes")]
            let middle = (count - 1) as f32 / 2.0;
            let spacing = spacing.min(room / middle);
            for (slot, segment) in group.into_iter().enumerate() {
                #[allow(clippy::cast_precision_loss, reason = "a handful of routes")]
                let shift = (slot as f32 - middle) * spacing;
                shifts.push((segment, shift));
            }
        }
        start = end;
    }
    shift_segments(routes, shifts);
}

/// A middle segment of a route, horizontal or vertical.
#[derive(Debug, Clone, Copy)]
struct Segment {
    /// Which route.
    route: usize,
    /// The index of its first point in the route.
    index: usize,
    horizontal: bool,
    /// Where its line is (y when horizontal, x when vertical).
    line: f32,
    /// Where it begins and ends along its line.
    from: f32,
    to: f32,
}

/// Moves each segment of `shifts` sideways by its amount, its corners with it; where two
/// segments in line moved apart, a short jog joins them.
fn shift_segments(routes: &mut [Vec<[f32; 2]>], shifts: Vec<(Segment, f32)>) {
    let mut by_route: Vec<Vec<(usize, [f32; 2])>> = vec![Vec::new(); routes.len()];
    for (segment, shift) in shifts {
        let offset = if segment.horizontal {
            [0.0, shift]
        } else {
            [shift, 0.0]
        };
        by_route[segment.route].push((segment.index, offset));
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
