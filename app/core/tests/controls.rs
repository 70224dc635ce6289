//! Controls through the editor's commands: add a suggested ATT&CK mitigation and a detection
//! strategy to an action, set RACI, change kind, undo; the saved file round-trips (read →
//! write → read equal, bytes stable), passes the official Attack Flow and STIX schemas and the
//! product extension's schema, and coverage follows each step.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use medflow_core::control::{
    ControlKind, ControlSource, ControlSpec, FdaCategory, Party, Raci, Roles, add_control,
    control_links, controls, coverage, is_party, link_control, set_control, unlink_control,
};
use medflow_core::edit::Editor;
use medflow_core::scene::is_node;
use medflow_core::{Context, Document, ReadLimits, Severity, read_bundle, validate, write_bundle};

fn editor() -> Editor {
    common::counting_editor("Vendor access to the robot")
}

fn raci(pairs: &[(Party, &str)]) -> Raci {
    pairs
        .iter()
        .map(|(party, letters)| (*party, Roles::parse(letters).unwrap()))
        .collect()
}

/// Applies `add_control` through the editor as one step; returns the new control's id.
fn add(editor: &mut Editor, spec: &ControlSpec, action: &str) -> String {
    let now = editor.now();
    let mut fresh: Vec<String> = (0..4)
        .map(|_| editor.new_id("x").trim_start_matches("x--").to_owned())
        .collect();
    let mut new_id = |type_name: &str| format!("{type_name}--{}", fresh.remove(0));
    let (commands, id) = add_control(
        editor.document(),
        spec,
        &[action.to_owned()],
        &mut new_id,
        &now,
    );
    editor
        .apply(format!("Add control {}", spec.name), commands)
        .unwrap();
    id
}

fn problems(document: &Document) -> Vec<String> {
    validate(document, &Context::built_in())
        .into_iter()
        .filter(|diagnostic| diagnostic.severity() >= Severity::Warning)
        .map(|diagnostic| diagnostic.to_string())
        .collect()
}

#[test]
fn controls_are_added_edited_undone_and_round_trip() {
    let mut editor = editor();
    let action = common::first_action(editor.document());
    describe_flow(&mut editor);
    let mfa = ControlSpec {
        name: "Multi-factor Authentication".to_owned(),
        description: Some("Vendor remote access asks for a second factor.".to_owned()),
        kind: ControlKind::Prevent,
        source: Some(ControlSource::Mitigation("M1032".to_owned())),
        fda_category: Some(FdaCategory::Authentication),
        raci: Raci::new(),
    };
    let prevent = add(&mut editor, &mfa, &action);
    // The five parties came with the first control; none of them, nor the control, is a node.
    let document = editor.document();
    assert_eq!(
        document
            .objects
            .iter()
            .filter(|object| is_party(object))
            .count(),
        5
    );
    assert!(
        !document
            .objects
            .iter()
            .any(|object| is_node(object) && (is_party(object) || object.id() == prevent))
    );
    assert_eq!(coverage(document)[0].prevention, vec![prevent.clone()]);
    assert!(coverage(document)[0].lacks_detection());

    let logging = ControlSpec {
        name: "Remote access session logging".to_owned(),
        description: None,
        kind: ControlKind::Detect,
        source: Some(ControlSource::Custom("MF-C-012".to_owned())),
        fda_category: Some(FdaCategory::EventDetectionLogging),
        raci: raci(&[(Party::Mdm, "AR"), (Party::Hdo, "I")]),
    };
    let detect = add(&mut editor, &logging, &action);
    let commands = set_control(
        editor.document(),
        &prevent,
        ControlKind::Prevent,
        Some(FdaCategory::Authentication),
        &raci(&[(Party::Hdo, "AR"), (Party::Mdm, "C")]),
    );
    editor
        .apply("Set HDO to AR on Multi-factor Authentication", commands)
        .unwrap();
    let covered = coverage(editor.document());
    assert_eq!(covered[0].prevention, vec![prevent.clone()]);
    assert_eq!(covered[0].detection, vec![detect.clone()]);
    assert_eq!(problems(editor.document()), Vec::<String>::new());

    // Kind change: the link changes type with it; undo puts it back.
    let commands = set_control(
        editor.document(),
        &detect,
        ControlKind::Respond,
        None,
        &logging.raci,
    );
    editor.apply("Set kind to respond", commands).unwrap();
    let link = control_links(editor.document())
        .into_iter()
        .find(|link| link.control == detect)
        .unwrap();
    assert_eq!(link.relationship_type, "mitigates");
    assert!(coverage(editor.document())[0].lacks_detection());
    assert!(editor.undo());
    let link = control_links(editor.document())
        .into_iter()
        .find(|link| link.control == detect)
        .unwrap();
    assert_eq!(link.relationship_type, "detects");

    link_steps(&mut editor, &prevent, &detect, &action);

    // Save: read back equal, same bytes again, no problems.
    let saved = write_bundle(editor.document());
    let outcome = read_bundle(&saved, &ReadLimits::default()).unwrap();
    assert_eq!(outcome.diagnostics, []);
    // The same objects (the file holds them in canonical order).
    let by_id = |document: &Document| {
        let mut objects = document.objects.clone();
        objects.sort_by(|a, b| a.id().cmp(b.id()));
        objects
    };
    assert_eq!(by_id(&outcome.document), by_id(editor.document()));
    assert_eq!(write_bundle(&outcome.document), saved);
    assert_eq!(controls(&outcome.document), controls(editor.document()));
    let read = controls(&outcome.document);
    assert_eq!(read[0].raci, raci(&[(Party::Hdo, "AR"), (Party::Mdm, "C")]));
    assert_eq!(read[1].source, logging.source);
    assert_eq!(problems(&outcome.document), Vec::<String>::new());

    assert_schemas(&saved, &outcome.document);

    // Undo all the way: no control, no party, nothing left behind.
    while editor.undo() {}
    assert!(controls(editor.document()).is_empty());
    assert!(!editor.document().objects.iter().any(is_party));
}

/// The product extension's schema accepts every control entry of the saved bytes (and can
/// refuse one); the official Attack Flow and STIX schemas accept every object.
fn assert_schemas(saved: &[u8], document: &Document) {
    // The product extension's schema accepts every entry, and can refuse one.
    let entries = common::schema::extension_entries(saved);
    for (entry, errors) in &entries {
        assert_eq!(errors, &Vec::<String>::new(), "{entry}");
    }
    assert_eq!(entries.len(), 2, "both controls carry the extension");
    let broken = serde_json::json!({"extension_type": "property-extension",
        "control": {"kind": "prevent", "raci": [{"party_ref": Party::Hdo.id(), "roles": ["X"]}]}});
    assert!(
        !common::schema::extension_errors(&common::schema::extension_validator(), &broken)
            .is_empty()
    );

    // The official Attack Flow and STIX schemas accept every object written.
    if let Some(reference) = common::reference_dir() {
        let mut schemas = common::schema::OfficialSchemas::new(&reference);
        for object in common::schema::written_objects(document) {
            assert_eq!(schemas.errors(&object), Vec::<String>::new(), "{object}");
        }
    }
}

/// Link and unlink are steps of their own, and linking twice does nothing.
fn link_steps(editor: &mut Editor, prevent: &str, detect: &str, action: &str) {
    let now = editor.now();
    let commands = link_control(
        editor.document(),
        prevent,
        action,
        &mut |_| "relationship--00000000-0000-4000-8000-999999999999".to_owned(),
        &now,
    );
    assert!(commands.is_empty(), "already linked");
    let commands = unlink_control(editor.document(), detect, action);
    editor.apply("Unlink", commands).unwrap();
    assert!(coverage(editor.document())[0].lacks_detection());
    assert!(editor.undo());
    assert!(!coverage(editor.document())[0].lacks_detection());
}

/// Gives the flow a description (a flow without one gets a warning).
fn describe_flow(editor: &mut Editor) {
    let flow = editor.document().flow().unwrap().common.id.clone();
    editor
        .apply(
            "Describe",
            vec![medflow_core::edit::Command::SetProperty {
                id: flow,
                name: "description".to_owned(),
                value: Some("A vendor account reaches the robot.".into()),
            }],
        )
        .unwrap();
}
