//! Headless editor-state tests: the editor driven by commands only, no window. Build a flow,
//! connect nodes, refuse illegal links, undo and redo through a mixed history, save, and check
//! the saved file with our validator and the official schemas.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use medflow_core::edit::{Command, EditError, Editor, NewObject, new_object};
use medflow_core::extension::{MEDFLOW_EXTENSION_ID, View, position};
use medflow_core::flow::FlowLink;
use medflow_core::model::Timestamp;
use medflow_core::{Context, Document, ReadLimits, Severity, read_bundle, validate, write_bundle};
use serde_json::json;

/// An editor on a new flow, with a fixed clock and counting ids.
fn editor() -> Editor {
    common::counting_editor("Robot arm takeover")
}

fn add(editor: &mut Editor, kind: NewObject, at: [f32; 2]) -> String {
    let id = editor.new_id(kind.type_name());
    let object = new_object(kind, &id, &editor.now());
    editor
        .apply(
            format!("Add {}", kind.label()),
            vec![Command::AddObject {
                object,
                position: Some(at),
            }],
        )
        .unwrap();
    id
}

fn errors(document: &Document) -> Vec<String> {
    validate(document, &Context::built_in())
        .into_iter()
        .filter(|diagnostic| diagnostic.code.severity() == Severity::Error)
        .map(|diagnostic| diagnostic.to_string())
        .collect()
}

#[test]
fn a_new_flow_is_valid() {
    let editor = editor();
    assert_eq!(errors(editor.document()), Vec::<String>::new());
    assert!(!editor.is_dirty());
}

#[test]
#[allow(clippy::too_many_lines, reason = "one scenario, told in order")]
fn build_connect_refuse_undo_redo_and_save() {
    let mut editor = editor();
    let start = common::first_action(editor.document());
    let phish = add(&mut editor, NewObject::Action, [300.0, 0.0]);
    let asset = add(&mut editor, NewObject::Asset, [300.0, 200.0]);
    let or = add(&mut editor, NewObject::Or, [600.0, 0.0]);
    assert!(editor.is_dirty());
    assert_eq!(editor.undo_label(), Some("Add OR operator"));

    editor
        .apply(
            "Connect",
            vec![
                Command::Connect {
                    source: start.clone(),
                    link: FlowLink::Effect,
                    target: phish.clone(),
                },
                Command::Connect {
                    source: phish.clone(),
                    link: FlowLink::Asset,
                    target: asset.clone(),
                },
                Command::Connect {
                    source: phish.clone(),
                    link: FlowLink::Effect,
                    target: or.clone(),
                },
            ],
        )
        .unwrap();

    // Illegal links are refused with a reason, and change nothing.
    let before = editor.document().clone();
    let refused = editor.apply(
        "Connect",
        vec![Command::Connect {
            source: start.clone(),
            link: FlowLink::Effect,
            target: asset.clone(),
        }],
    );
    assert_eq!(
        refused,
        Err(EditError::IllegalConnection(
            "effect_refs must point at an action, an operator or a condition, not at a \
             attack-asset"
                .into()
        ))
    );
    let self_link = editor.apply(
        "Connect",
        vec![Command::Connect {
            source: phish.clone(),
            link: FlowLink::Effect,
            target: phish.clone(),
        }],
    );
    assert!(matches!(self_link, Err(EditError::IllegalConnection(_))));
    let asset_has_no_effects = editor.apply(
        "Connect",
        vec![Command::Connect {
            source: asset.clone(),
            link: FlowLink::Effect,
            target: phish.clone(),
        }],
    );
    assert!(matches!(
        asset_has_no_effects,
        Err(EditError::IllegalConnection(_))
    ));
    // A failing command in a transaction rolls back the ones before it.
    let partial = editor.apply(
        "Two links",
        vec![
            Command::Connect {
                source: or.clone(),
                link: FlowLink::Effect,
                target: start.clone(),
            },
            Command::Connect {
                source: or.clone(),
                link: FlowLink::Asset,
                target: asset.clone(),
            },
        ],
    );
    assert!(partial.is_err());
    assert_eq!(editor.document(), &before);

    // Typing is one step; moving is one step.
    for name in ["P", "Ph", "Phish the surgeon console"] {
        editor
            .apply_coalescing(
                "Edit name",
                &format!("name:{phish}"),
                vec![Command::SetProperty {
                    id: phish.clone(),
                    name: "name".into(),
                    value: Some(json!(name)),
                }],
            )
            .unwrap();
    }
    editor
        .apply(
            "Set technique",
            vec![
                Command::SetProperty {
                    id: phish.clone(),
                    name: "technique_id".into(),
                    value: Some(json!("T1566")),
                },
                Command::SetProperty {
                    id: phish.clone(),
                    name: "tactic_id".into(),
                    value: Some(json!("TA0001")),
                },
            ],
        )
        .unwrap();
    for step in 1..=5u8 {
        editor
            .apply_coalescing(
                "Move 2 nodes",
                "drag",
                vec![Command::MoveNodes {
                    view: View::Flow,
                    moves: vec![
                        (phish.clone(), [300.0 + f32::from(step), 10.0]),
                        (asset.clone(), [300.0 + f32::from(step), 210.0]),
                    ],
                }],
            )
            .unwrap();
    }
    let edited = editor.document().clone();
    assert_eq!(editor.undo_label(), Some("Move 2 nodes"));
    let phish_object = edited.object(&phish).unwrap();
    assert_eq!(position(phish_object, View::Flow), Some([305.0, 10.0]));

    // Undo through the mixed history, one labelled step at a time.
    let mut labels = Vec::new();
    while let Some(label) = editor.undo_label().map(str::to_owned) {
        labels.push(label);
        assert!(editor.undo());
    }
    assert_eq!(
        labels,
        [
            "Move 2 nodes",
            "Set technique",
            "Edit name",
            "Connect",
            "Add OR operator",
            "Add Asset",
            "Add Action"
        ]
    );
    assert!(!editor.is_dirty(), "back where it was opened");
    assert_eq!(editor.document().objects.len(), 4);
    while editor.redo() {}
    assert_eq!(
        editor.document(),
        &edited,
        "redo restores every step exactly"
    );

    // Save: the canonical file reads back equal, passes our rules and the official schemas.
    let saved = write_bundle(editor.document());
    editor.mark_saved();
    assert!(!editor.is_dirty());
    let outcome = read_bundle(&saved, &ReadLimits::default()).unwrap();
    assert_eq!(outcome.diagnostics, []);
    assert_eq!(errors(&outcome.document), Vec::<String>::new());
    let text = String::from_utf8(saved.clone()).unwrap();
    assert!(text.contains(MEDFLOW_EXTENSION_ID), "positions are saved");
    assert!(text.contains("\"name\": \"Phish the surgeon console\""));
    // Every extension entry the editor wrote follows the extension's own JSON schema.
    let entries = common::schema::extension_entries(&saved);
    for (entry, problems) in &entries {
        assert_eq!(problems, &Vec::<String>::new(), "{entry}");
    }
    assert_eq!(entries.len(), 3, "the three added nodes carry positions");
    assert!(
        !common::schema::extension_errors(
            &common::schema::extension_validator(),
            &json!({"extension_type": "property-extension", "layout": {"x": "1"}})
        )
        .is_empty(),
        "the schema can fail"
    );
    if let Some(reference) = common::reference_dir() {
        let mut schemas = common::schema::OfficialSchemas::new(&reference);
        for object in common::schema::written_objects(&outcome.document) {
            assert_eq!(schemas.errors(&object), Vec::<String>::new(), "{object}");
        }
    }
}

#[test]
fn deleting_a_node_removes_its_links_and_undo_restores_them() {
    let mut editor = editor();
    let start = common::first_action(editor.document());
    let next = add(&mut editor, NewObject::Action, [300.0, 0.0]);
    let asset = add(&mut editor, NewObject::Asset, [300.0, 200.0]);
    let identity = add(&mut editor, NewObject::Stix("identity"), [600.0, 200.0]);
    let relationship_id = editor.new_id("relationship");
    let now = editor.now().to_string();
    let relationship = medflow_core::StixObject::from_json(
        json!({
            "type": "relationship", "spec_version": "2.1", "id": relationship_id,
            "created": now, "modified": now, "relationship_type": "related-to",
            "source_ref": next, "target_ref": identity,
        })
        .as_object()
        .cloned()
        .unwrap(),
    );
    editor
        .apply(
            "Link",
            vec![
                Command::AddObject {
                    object: relationship,
                    position: None,
                },
                Command::Connect {
                    source: start.clone(),
                    link: FlowLink::Effect,
                    target: next.clone(),
                },
                Command::Connect {
                    source: next.clone(),
                    link: FlowLink::Asset,
                    target: asset.clone(),
                },
            ],
        )
        .unwrap();
    let linked = editor.document().clone();
    editor
        .apply(
            "Delete 1 node",
            vec![Command::RemoveObjects {
                ids: vec![next.clone()],
            }],
        )
        .unwrap();
    let document = editor.document();
    assert!(document.object(&next).is_none());
    assert!(
        document.object(&relationship_id).is_none(),
        "relationships to it go too"
    );
    let start_json = document.object(&start).unwrap().to_json();
    assert!(
        start_json.get("effect_refs").is_none(),
        "the emptied list is removed"
    );
    assert_eq!(errors(document), Vec::<String>::new());
    assert!(editor.undo());
    assert_eq!(editor.document(), &linked);
}

#[test]
fn changes_bump_modified_and_cannot_touch_type_or_id() {
    let mut editor = editor();
    let start = common::first_action(editor.document());
    let refused = editor.apply(
        "Edit id",
        vec![Command::SetProperty {
            id: start.clone(),
            name: "id".into(),
            value: Some(json!("attack-action--x")),
        }],
    );
    assert!(matches!(refused, Err(EditError::IllegalChange(_))));
    assert!(matches!(
        editor.apply(
            "Edit",
            vec![Command::SetProperty {
                id: "attack-action--missing".into(),
                name: "name".into(),
                value: None,
            }]
        ),
        Err(EditError::UnknownObject(_))
    ));
    // Setting the same value records no step.
    editor
        .apply(
            "Same",
            vec![Command::SetProperty {
                id: start.clone(),
                name: "name".into(),
                value: Some(json!("New action")),
            }],
        )
        .unwrap();
    assert_eq!(editor.undo_label(), None);
    // A later clock moves `modified` forward.
    let later = Timestamp::from_unix_millis(1_790_000_000_000);
    let mut editor = Editor::with_sources(
        editor.document().clone(),
        Box::new(move || later.clone()),
        Box::new(|| "00000000-0000-4000-8000-000000000999".to_owned()),
    );
    editor
        .apply(
            "Rename",
            vec![Command::SetProperty {
                id: start.clone(),
                name: "name".into(),
                value: Some(json!("Renamed")),
            }],
        )
        .unwrap();
    let modified = editor.document().object(&start).unwrap().to_json()["modified"].clone();
    assert_eq!(
        modified,
        json!(Timestamp::from_unix_millis(1_790_000_000_000).to_string())
    );
}

#[test]
fn every_object_the_editor_offers_is_valid_when_added() {
    let mut editor = editor();
    let flow = editor
        .document()
        .objects
        .iter()
        .find(|object| object.type_name() == "attack-flow")
        .map(|flow| flow.id().to_owned())
        .unwrap();
    let kinds = [
        NewObject::Action,
        NewObject::Asset,
        NewObject::Condition,
        NewObject::And,
        NewObject::Or,
    ]
    .into_iter()
    .chain(
        medflow_core::edit::templates::STIX_TYPES
            .iter()
            .map(|type_name| NewObject::Stix(type_name)),
    );
    let mut added = Vec::new();
    for (index, kind) in kinds.enumerate() {
        #[allow(clippy::cast_precision_loss, reason = "a few dozen positions")]
        let id = add(&mut editor, kind, [300.0 * index as f32, 400.0]);
        added.push(id);
    }
    assert!(
        added.iter().any(|id| id.starts_with("note--")),
        "notes are offered"
    );
    // A note must be about something; the editor points it at the selection or the flow.
    let note = added.iter().find(|id| id.starts_with("note--")).unwrap();
    editor
        .apply(
            "Point note",
            vec![Command::SetProperty {
                id: note.clone(),
                name: "object_refs".into(),
                value: Some(json!([flow])),
            }],
        )
        .unwrap();
    assert_eq!(errors(editor.document()), Vec::<String>::new());
    let Some(reference) = common::reference_dir() else {
        return;
    };
    let saved = write_bundle(editor.document());
    let outcome = read_bundle(&saved, &ReadLimits::default()).unwrap();
    let mut schemas = common::schema::OfficialSchemas::new(&reference);
    for object in common::schema::written_objects(&outcome.document) {
        assert_eq!(schemas.errors(&object), Vec::<String>::new(), "{object}");
    }
}

#[test]
fn moving_nodes_changes_the_revision_but_not_the_content_revision() {
    let mut editor = editor();
    let action = common::first_action(editor.document());
    let moved = |editor: &mut Editor, at: [f32; 2]| {
        editor
            .apply_coalescing(
                "Move 1 node",
                "drag",
                vec![Command::MoveNodes {
                    view: View::Flow,
                    moves: vec![(action.clone(), at)],
                }],
            )
            .unwrap();
    };
    // The first move declares the product's extension: objects are added, that is content.
    let (revision, content) = (editor.revision(), editor.content_revision());
    moved(&mut editor, [10.0, 10.0]);
    assert!(editor.revision() > revision);
    assert!(editor.content_revision() > content);
    editor.break_coalescing();

    // Further moves (a drag, then its undo and redo) change where the node sits only.
    let (revision, content) = (editor.revision(), editor.content_revision());
    for step in 0..3u8 {
        moved(&mut editor, [20.0 + f32::from(step), 10.0]);
    }
    assert!(editor.undo() && editor.redo());
    assert!(editor.revision() > revision);
    assert_eq!(editor.content_revision(), content);

    // Any other edit, and its undo, changes the content.
    add(&mut editor, NewObject::Asset, [0.0, 200.0]);
    assert!(editor.content_revision() > content);
    let content = editor.content_revision();
    assert!(editor.undo());
    assert!(editor.content_revision() > content);
}
