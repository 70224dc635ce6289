//! The architecture view's layout of a library flow: bound components and their assets at
//! the top of their zone's lane, steps below in the order they happen, each in the lane of
//! the component it works on; nothing overlaps, and the same flow always lays out the same.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use medflow_core::architecture::Architecture;
use medflow_core::scene::Structure;
use medflow_core::scene::zones::zone_layout;
use medflow_core::{Document, ReadLimits, StixObject, read_bundle};

const FLOW: &[u8] = include_bytes!("../../../flows/robot-command-injection-5g.json");

fn id_named(document: &Document, name: &str) -> String {
    document
        .objects
        .iter()
        .find(|object| {
            object
                .to_json()
                .get("name")
                .and_then(|value| value.as_str())
                == Some(name)
        })
        .unwrap_or_else(|| panic!("{name}"))
        .id()
        .to_owned()
}

#[test]
fn the_5g_flow_runs_across_the_lanes_in_order() {
    let document = read_bundle(FLOW, &ReadLimits::default()).unwrap().document;
    let architecture = Architecture::reference();
    let structure = Structure::of(&document);
    let placed = zone_layout(&document, &architecture, &structure);
    let lane = |key: &str| {
        placed
            .lanes
            .iter()
            .find(|lane| lane.key == key)
            .map(|lane| (lane.x, lane.x + lane.width))
            .unwrap()
    };
    let inside = |id: &str, key: &str| {
        let [x, _] = placed.positions[id];
        let (left, right) = lane(key);
        x >= left && x + 220.0 <= right + 0.5
    };
    assert!(inside(
        &id_named(&document, "5G cellular link"),
        "carrier-network"
    ));
    assert!(inside(
        &id_named(&document, "Robotic platform"),
        "operating-room"
    ));
    assert!(inside(
        &id_named(&document, "Surgeon console"),
        "operating-room"
    ));

    // Every node is placed, inside the lanes' height, and none overlaps another.
    let nodes: Vec<&StixObject> = structure.nodes.clone();
    assert_eq!(placed.positions.len(), nodes.len());
    let rects: Vec<(String, [f32; 4])> = nodes
        .iter()
        .map(|object| {
            let [x, y] = placed.positions[object.id()];
            let [width, height] = medflow_core::scene::nominal_size(object);
            assert!(
                y + height <= placed.height,
                "{} below the lanes",
                object.id()
            );
            (object.id().to_owned(), [x, y, x + width, y + height])
        })
        .collect();
    for (index, (a, first)) in rects.iter().enumerate() {
        for (b, second) in &rects[index + 1..] {
            let apart = first[2] <= second[0]
                || second[2] <= first[0]
                || first[3] <= second[1]
                || second[3] <= first[1];
            assert!(apart, "{a} overlaps {b}");
        }
    }

    // A step works where the asset it uses is bound: the adversary-in-the-middle step uses
    // the 5G link.
    let middle = document
        .objects
        .iter()
        .find(|object| match object {
            StixObject::AttackAction(action) => action.technique_id.as_deref() == Some("T0830"),
            _ => false,
        })
        .unwrap()
        .id()
        .to_owned();
    assert!(inside(&middle, "carrier-network"));

    // Steps run downward in the order they happen.
    let start = document.flow().unwrap().start_refs.clone().unwrap();
    let first_y = placed.positions[&start[0]][1];
    for object in &nodes {
        if object.type_name() == "attack-action" && object.id() != start[0] {
            assert!(
                placed.positions[object.id()][1] > first_y,
                "{}",
                object.id()
            );
        }
    }

    // Deterministic.
    assert_eq!(zone_layout(&document, &architecture, &structure), placed);
}

#[test]
fn zone_positions_are_saved_apart_and_pass_the_extension_schema() {
    use medflow_core::edit::{Command, Editor};
    use medflow_core::extension::{MEDFLOW_EXTENSION_ID, View, position};
    let document = read_bundle(FLOW, &ReadLimits::default()).unwrap().document;
    let mut editor = Editor::new(document);
    let action = editor
        .document()
        .first_of_type("attack-action")
        .unwrap()
        .id()
        .to_owned();
    let before = position(editor.document().object(&action).unwrap(), View::Flow);
    editor
        .apply(
            "Move 1 node",
            vec![Command::MoveNodes {
                view: View::Zones,
                moves: vec![(action.clone(), [1234.5, 678.0])],
            }],
        )
        .unwrap();
    let object = editor.document().object(&action).unwrap();
    assert_eq!(position(object, View::Zones), Some([1234.5, 678.0]));
    assert_eq!(
        position(object, View::Flow),
        before,
        "the flow view keeps its own"
    );
    let entry = object.to_json()["extensions"][MEDFLOW_EXTENSION_ID].clone();
    let errors = common::schema::extension_errors(&common::schema::extension_validator(), &entry);
    assert_eq!(errors, Vec::<String>::new(), "{entry}");
}

#[test]
fn a_flow_whose_effects_loop_back_is_laid_out_too() {
    // "Move the arms" leads back to "Capture and study the teleoperation traffic": a cycle
    // through the condition and the operator. The walk cuts it and ends (it once looped).
    let mut document = read_bundle(FLOW, &ReadLimits::default()).unwrap().document;
    let last = id_named(&document, "Move the arms against the surgeon's intent");
    let earlier = id_named(&document, "Capture and study the teleoperation traffic");
    for object in &mut document.objects {
        if object.id() == last {
            let mut map = object.to_json();
            map.insert("effect_refs".to_owned(), serde_json::json!([earlier]));
            *object = StixObject::from_json(map);
        }
    }
    let architecture = Architecture::reference();
    let structure = Structure::of(&document);
    let placed = zone_layout(&document, &architecture, &structure);
    assert_eq!(placed.positions.len(), structure.nodes.len());
    assert!(
        placed.positions[&last][1] > placed.positions[&earlier][1],
        "the step the cycle is cut after stays below where it loops back to"
    );
}

/// A flow authored in the editor: its new action, two more after it, each with an asset of
/// its own (not yet bound), one after another.
fn authored_chain() -> (medflow_core::edit::Editor, Vec<String>, Vec<String>) {
    use medflow_core::edit::{Command, Editor, NewObject, new_object};
    use medflow_core::flow::FlowLink;
    use medflow_core::model::Timestamp;
    let mut editor = Editor::new_flow("Authored");
    let now = Timestamp::parse("2026-12-02T00:00:00.000Z")
        .unwrap()
        .timestamp;
    let first = editor
        .document()
        .first_of_type("attack-action")
        .unwrap()
        .id()
        .to_owned();
    let mut actions = vec![first];
    let mut assets = Vec::new();
    for index in 0..3 {
        let mut commands = Vec::new();
        if index > 0 {
            let action = editor.new_id("attack-action");
            commands.push(Command::AddObject {
                object: new_object(NewObject::Action, &action, &now),
                position: None,
            });
            commands.push(Command::Connect {
                source: actions[index - 1].clone(),
                link: FlowLink::Effect,
                target: action.clone(),
            });
            actions.push(action);
        }
        let asset = editor.new_id("attack-asset");
        commands.push(Command::AddObject {
            object: new_object(NewObject::Asset, &asset, &now),
            position: None,
        });
        commands.push(Command::Connect {
            source: actions[index].clone(),
            link: FlowLink::Asset,
            target: asset.clone(),
        });
        assets.push(asset);
        editor.apply("Add a step", commands).unwrap();
    }
    (editor, actions, assets)
}

fn bind(editor: &mut medflow_core::edit::Editor, asset: &str, key: &str) {
    let commands = medflow_core::architecture::bind_asset(
        editor.document(),
        asset,
        Architecture::reference_static(),
        Architecture::reference_document(),
        key,
    );
    assert!(!commands.is_empty(), "{key}");
    editor.apply("Bind", commands).unwrap();
}

/// The key of the lane each node of the editor's flow is placed in ("" for "Not bound").
fn lanes_of(
    editor: &medflow_core::edit::Editor,
) -> (Vec<String>, std::collections::HashMap<String, String>) {
    let document = editor.document();
    let structure = Structure::of(document);
    let placed = zone_layout(document, Architecture::reference_static(), &structure);
    let keys = placed.lanes.iter().map(|lane| lane.name.clone()).collect();
    let lane_of = structure
        .nodes
        .iter()
        .map(|object| {
            let [x, _] = placed.positions[object.id()];
            let lane = placed
                .lanes
                .iter()
                .find(|lane| x >= lane.x && x < lane.x + lane.width)
                .unwrap_or_else(|| panic!("{} is in no lane", object.id()));
            (object.id().to_owned(), lane.key.clone())
        })
        .collect();
    (keys, lane_of)
}

#[test]
fn steps_bound_to_nothing_are_not_pulled_into_the_one_lane_that_is_bound() {
    use medflow_core::scene::zones::NOT_BOUND;
    let (mut editor, actions, assets) = authored_chain();
    // One asset bound, to remote management: only its step goes to the device cloud; the
    // steps before and after it cannot be placed, and say so.
    bind(&mut editor, &assets[1], "remote-mgmt");
    let (names, lane) = lanes_of(&editor);
    assert_eq!(
        names[0], NOT_BOUND,
        "the lane of what is not bound comes first"
    );
    assert_eq!(lane[&assets[1]], "device-cloud");
    assert_eq!(lane[&actions[1]], "device-cloud");
    for id in [&actions[0], &actions[2], &assets[0], &assets[2]] {
        assert_eq!(lane[id], "", "{id}");
    }
    let flow = editor.document().flow().unwrap().common.id.clone();
    assert_eq!(lane[&flow], "", "the flow sits with its first step");

    // The steps spread over the lanes of their components.
    bind(&mut editor, &assets[0], "console");
    bind(&mut editor, &assets[2], "ehr");
    let (names, lane) = lanes_of(&editor);
    assert!(!names.contains(&NOT_BOUND.to_owned()), "{names:?}");
    assert_eq!(lane[&actions[0]], "operating-room");
    assert_eq!(lane[&actions[1]], "device-cloud");
    assert_eq!(lane[&actions[2]], "ehr-cloud");
    assert_eq!(lane[&flow], "operating-room");
}

#[test]
fn a_step_bound_to_nothing_between_steps_of_one_zone_sits_in_their_lane() {
    let (mut editor, actions, assets) = authored_chain();
    // The middle step's asset stays unbound, and the step loses it.
    let commands = vec![medflow_core::edit::Command::Disconnect {
        source: actions[1].clone(),
        link: medflow_core::flow::FlowLink::Asset,
        target: assets[1].clone(),
    }];
    editor.apply("Unlink", commands).unwrap();
    bind(&mut editor, &assets[0], "remote-mgmt");
    bind(&mut editor, &assets[2], "ml");
    let (_, lane) = lanes_of(&editor);
    assert_eq!(
        lane[&actions[1]], "device-cloud",
        "between two device-cloud steps"
    );
    // Before and after disagree: it cannot be told.
    bind(&mut editor, &assets[2], "ehr");
    let (_, lane) = lanes_of(&editor);
    assert_eq!(lane[&actions[1]], "");
    assert_eq!(lane[&actions[2]], "ehr-cloud");
}
