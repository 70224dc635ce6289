//! Links on the canvas as a user meets them: drawn around the nodes between their ends (never
//! behind one), named when hovered, disconnected from their right-click menu in one undoable
//! step; and a new node drawn above the older ones.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use common::canvas::*;
use eframe::egui::{Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use medflow_gui::EditorApp;

/// Whether the segment from `a` to `b` (horizontal or vertical) passes through `rect`.
fn crosses(a: Pos2, b: Pos2, rect: eframe::egui::Rect) -> bool {
    let inner = rect.shrink(1.0);
    let span = eframe::egui::Rect::from_two_pos(a, b);
    span.min.x < inner.max.x
        && inner.min.x < span.max.x.max(span.min.x + 0.001)
        && span.min.y < inner.max.y
        && inner.min.y < span.max.y.max(span.min.y + 0.001)
}

fn link_route(harness: &Harness<'static, EditorApp>, source: &str, target: &str) -> Vec<Pos2> {
    harness
        .state()
        .active_tab()
        .unwrap()
        .canvas
        .link_screen_routes()
        .into_iter()
        .find(|(from, to, _)| from == source && to == target)
        .map_or_else(
            || panic!("the link {source} → {target} is drawn"),
            |(_, _, points)| points,
        )
}

#[test]
fn a_link_goes_around_the_node_between_its_ends_and_its_menu_disconnects_it() {
    use medflow_core::edit::Command;
    use medflow_core::extension::View;
    use medflow_core::flow::FlowLink;
    use medflow_gui::Action;
    let mut harness = harness(&chain(4));
    let (first, middle, last) = (action_id(0), action_id(1), action_id(2));
    // Step 1 moves between steps 0 and 2, in their row, and step 0 gets a link to step 2:
    // a straight line from one to the other would run behind step 1.
    let edit = |label: &str, commands| Action::Edit {
        label: label.to_owned(),
        coalesce_key: None,
        commands,
    };
    common::act(
        &mut harness,
        edit(
            "Move 1 node",
            vec![Command::MoveNodes {
                view: View::Flow,
                moves: vec![(middle.clone(), [320.0, 0.0])],
            }],
        ),
    );
    common::act(
        &mut harness,
        edit(
            "Connect effects",
            vec![Command::Connect {
                source: first.clone(),
                link: FlowLink::Effect,
                target: last.clone(),
            }],
        ),
    );
    harness.run();
    let route = link_route(&harness, &first, &last);
    let blocker = node_rect(&harness, &middle);
    let start = pin(&harness, &first, "effects");
    let end = pin(&harness, &last, "in");
    assert!(
        (route[0] - start).length() < 1.0 && (route[route.len() - 1] - end).length() < 1.0,
        "from the effects pin to the input pin: {route:?}, {start:?} → {end:?}"
    );
    assert!(
        start.y > blocker.top() && start.y < blocker.bottom(),
        "the straight line would cross step 1"
    );
    for pair in route.windows(2) {
        assert!(
            (pair[0].x - pair[1].x).abs() < 0.01 || (pair[0].y - pair[1].y).abs() < 0.01,
            "horizontal and vertical runs: {route:?}"
        );
        assert!(
            !crosses(pair[0], pair[1], blocker),
            "the route passes behind step 1: {route:?} {blocker:?}"
        );
    }
    // No drawn link runs through a node it does not join.
    let canvas = &harness.state().active_tab().unwrap().canvas;
    for (source, target, points) in canvas.link_screen_routes() {
        for id in [&first, &middle, &last, &action_id(3)] {
            if *id == source || *id == target {
                continue;
            }
            let rect = node_rect(&harness, id);
            for pair in points.windows(2) {
                assert!(
                    !crosses(pair[0], pair[1], rect),
                    "{source} → {target} crosses {id}"
                );
            }
        }
    }

    // A right click on the link offers to disconnect it, and that is one undoable step.
    // On a middle segment (the first and last leave and enter a node beside other links).
    let on_link = route[1..route.len() - 1]
        .windows(2)
        .map(|pair| pair[0].lerp(pair[1], 0.5))
        .find(|point| {
            [&first, &middle, &last]
                .iter()
                .all(|id| !node_rect(&harness, id).expand(8.0).contains(*point))
        })
        .unwrap();
    harness.hover_at(on_link);
    harness.run();
    assert!(
        harness
            .query_by_label_contains("Effect from Step 0 to Step 2")
            .is_some(),
        "hovering the link names it"
    );
    right_click(&mut harness, on_link);
    harness.get_by_label("Disconnect this link").click();
    harness.run();
    assert_eq!(effects_of(&harness, &first), vec![middle.clone()]);
    assert_eq!(undo_label(&harness).as_deref(), Some("Disconnect effects"));
}

#[test]
fn a_new_node_is_drawn_above_the_older_ones() {
    use medflow_core::edit::templates::NEW_ACTION_NAME;
    use medflow_core::edit::{Command, NewObject};
    use medflow_core::extension::View;
    use medflow_gui::Action;
    let mut harness = harness(&chain(4));
    let older = action_id(2);
    common::act(&mut harness, Action::AddNode(NewObject::Action));
    let added = harness.state().selected_object_id().unwrap().to_owned();
    assert_ne!(added, older);
    // It lands clear of every node.
    let rect = node_rect(&harness, &added);
    for number in 0..4 {
        assert!(
            !rect.intersects(node_rect(&harness, &action_id(number))),
            "the new node is on step {number}"
        );
    }
    // Moved onto step 2, it covers it: a click there selects the new node.
    let at = saved_position(&harness, &older);
    common::act(
        &mut harness,
        Action::Edit {
            label: "Move 1 node".to_owned(),
            coalesce_key: None,
            commands: vec![Command::MoveNodes {
                view: View::Flow,
                moves: vec![(added.clone(), at)],
            }],
        },
    );
    common::act(&mut harness, Action::Select(Vec::new()));
    harness.run();
    let canvas = &harness.state().active_tab().unwrap().canvas;
    let title = canvas
        .canvas_to_screen(harness.get_by_label(NEW_ACTION_NAME).rect().center())
        .unwrap();
    assert!(node_rect(&harness, &older).contains(title));
    assert!(node_rect(&harness, &added).contains(title));
    click(&mut harness, title, Modifiers::NONE);
    assert_eq!(
        harness.state().selected_object_id(),
        Some(added.as_str()),
        "the click went to the node on top"
    );
}

#[test]
fn a_straight_link_has_its_menu_too_and_the_canvas_menu_stays_shut() {
    // Steps 2 and 3 sit in one row: the link between them is straight, where snarl keeps a
    // wire of its own (not drawn) that takes clicks.
    let mut harness = harness(&chain(4));
    let (from, to) = (action_id(2), action_id(3));
    let route = link_route(&harness, &from, &to);
    assert_eq!(route.len(), 4, "straight: {route:?}");
    let on_link = route[1].lerp(route[2], 0.5);
    harness.hover_at(on_link);
    harness.run();
    right_click(&mut harness, on_link);
    assert!(harness.query_by_label("Disconnect this link").is_some());
    assert!(
        harness.query_by_label_contains("Add Action here").is_none(),
        "one menu at a time"
    );
    // Escape closes it and changes nothing.
    harness.key_press(eframe::egui::Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Disconnect this link").is_none());
    assert_eq!(effects_of(&harness, &from), vec![to.clone()]);
    // Again, and Disconnect.
    right_click(&mut harness, on_link);
    harness.get_by_label("Disconnect this link").click();
    harness.run();
    assert_eq!(effects_of(&harness, &from), Vec::<String>::new());
    assert!(harness.query_by_label("Disconnect this link").is_none());
    // A right click on empty canvas still opens the canvas menu.
    let empty = node_rect(&harness, &to).right_bottom() + eframe::egui::vec2(150.0, 150.0);
    harness.hover_at(empty);
    harness.run();
    right_click(&mut harness, empty);
    assert!(harness.query_by_label_contains("Add Action here").is_some());
}
