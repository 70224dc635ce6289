#![allow(clippy::unwrap_used, clippy::float_cmp, reason = "tests")]

use serde_json::{Value, json};

use super::*;
use crate::model::Timestamp;

fn object(value: &Value) -> StixObject {
    match value {
        Value::Object(map) => StixObject::from_json(map.clone()),
        _ => unreachable!("an object"),
    }
}

fn of_type(type_name: &str) -> StixObject {
    object(
        &json!({"type": type_name, "id": format!("{type_name}--00000000-0000-4000-8000-000000000001")}),
    )
}

fn new_flow() -> Document {
    let now = Timestamp::from_unix_millis(0);
    let mut counter = 0;
    crate::edit::new_flow_document(
        "Flow",
        &mut |type_name: &str| {
            counter += 1;
            format!("{type_name}--00000000-0000-4000-8000-{counter:012}")
        },
        &now,
    )
}

#[test]
fn a_new_flow_lays_out_top_to_bottom() {
    let document = new_flow();
    let structure = Structure::of(&document);
    let nodes: Vec<&str> = structure
        .nodes
        .iter()
        .map(|object| object.type_name())
        .collect();
    assert_eq!(nodes, ["attack-flow", "attack-action"]);
    assert_eq!(structure.links.len(), 1);
    assert_eq!(structure.links[0].kind, FlowLink::Start);
    assert!(structure.needs_automatic_layout(View::Flow));
    let automatic = structure.layered_positions(&LayoutOptions::default());
    let placed = structure.positions(View::Flow, &automatic);
    let [flow, action] = [0, 1].map(|index| placed[structure.nodes[index].id()]);
    assert!(flow[1] < action[1], "{placed:?}");
}

#[test]
fn each_kind_of_node_has_its_typed_pins() {
    use FlowLink::{Asset, Command, Effect, Object, OnFalse, OnTrue, Relationship, Start};
    let pins = |type_name: &str| scene_node(&of_type(type_name), Catalog::embedded()).outputs;
    assert_eq!(pins("attack-flow"), [Start, Relationship]);
    assert_eq!(
        pins("attack-action"),
        [Effect, Asset, Command, Relationship]
    );
    assert_eq!(pins("attack-condition"), [OnTrue, OnFalse, Relationship]);
    assert_eq!(pins("attack-operator"), [Effect, Relationship]);
    assert_eq!(pins("attack-asset"), [Object, Relationship]);
    for type_name in [
        "infrastructure",
        "vulnerability",
        "process",
        "note",
        "ipv4-addr",
    ] {
        assert_eq!(
            pins(type_name),
            [Relationship],
            "{type_name} relates to others only"
        );
    }
    let labels: Vec<&str> = pins("attack-action")
        .iter()
        .map(|pin| pin.label())
        .collect();
    assert_eq!(labels, ["effects", "assets", "command", "related"]);
}

#[test]
fn an_action_shows_its_kind_technique_tactic_and_confidence() {
    let action = object(&json!({
        "type": "attack-action",
        "id": "attack-action--00000000-0000-4000-8000-000000000002",
        "name": "Sign in with the vendor's account",
        "technique_id": "T1078",
        "tactic_id": "TA0001",
        "confidence": 70,
    }));
    let node = scene_node(&action, Catalog::embedded());
    assert_eq!(node.kind_label, "Action");
    assert_eq!(node.kind, NodeKind::Action);
    assert_eq!(node.title, "Sign in with the vendor's account");
    assert_eq!(
        node.lines,
        [
            "T1078 Valid Accounts",
            "TA0001 Initial Access",
            "Confidence: Probable (70)"
        ]
    );
}

#[test]
fn long_names_are_shortened_on_the_node() {
    let asset = object(&json!({
        "type": "attack-asset",
        "id": "attack-asset--00000000-0000-4000-8000-000000000003",
        "name": "The surgeon console of the operating room on the third floor, east wing",
    }));
    let node = scene_node(&asset, Catalog::embedded());
    assert_eq!(node.kind_label, "Asset");
    assert!(node.title.ends_with('…'), "{}", node.title);
    assert_eq!(node.title.chars().count(), NODE_LINE_CHARACTERS);
    assert_eq!(subject(&asset).split(": ").next(), Some("Asset"));
}

#[test]
fn the_author_who_only_signs_is_no_node_but_a_linked_identity_is() {
    let mut document = new_flow();
    let author = "identity--00000000-0000-4000-8000-0000000000aa";
    let linked = "identity--00000000-0000-4000-8000-0000000000bb";
    let flow_id = document.flow().unwrap().common.id.clone();
    for object in &mut document.objects {
        if object.id() == flow_id {
            let mut map = object.to_json();
            map.insert("created_by_ref".into(), author.into());
            *object = StixObject::from_json(map);
        }
    }
    document.objects.push(object(&json!({
        "type": "identity", "id": author, "name": "Author", "identity_class": "organization",
    })));
    document.objects.push(object(&json!({
        "type": "identity", "id": linked, "name": "Victim", "identity_class": "organization",
        "created_by_ref": linked,
    })));
    document.objects.push(object(&json!({
        "type": "relationship", "id": "relationship--00000000-0000-4000-8000-0000000000cc",
        "relationship_type": "related-to", "source_ref": flow_id, "target_ref": linked,
    })));
    let structure = Structure::of(&document);
    let ids: Vec<&str> = structure.nodes.iter().map(|object| object.id()).collect();
    assert!(!ids.contains(&author), "{ids:?}");
    assert!(ids.contains(&linked), "{ids:?}");
    assert!(
        is_node(document.object(author).unwrap()),
        "an identity is a kind of node"
    );
    assert_eq!(structure.links.len(), 2);
    assert_eq!(structure.links[1].kind, FlowLink::Relationship);
    assert_eq!(
        structure.links[1].relationship.as_deref(),
        Some("relationship--00000000-0000-4000-8000-0000000000cc")
    );
}

#[test]
fn a_scene_places_nodes_and_links_them_by_index() {
    let document = new_flow();
    let structure = Structure::of(&document);
    let mut positions = HashMap::new();
    positions.insert(structure.nodes[1].id().to_owned(), [300.0, 20.0]);
    let scene = Scene::new(
        &document,
        &structure,
        &positions,
        Catalog::embedded(),
        false,
    );
    assert_eq!(scene.nodes.len(), 2);
    assert_eq!(scene.nodes[1].position, [300.0, 20.0]);
    assert_eq!(scene.nodes[0].position, [0.0, 0.0]);
    assert_eq!(
        scene.links,
        [SceneLink {
            source: 0,
            target: 1,
            kind: FlowLink::Start
        }]
    );
    assert_eq!(scene.index[structure.nodes[1].id()], 1);
}
