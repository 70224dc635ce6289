//! The router's tests: routes around boxes, none through a wall, shared lines moved apart.

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
