//! The shipped flow library (`flows/`): every flow is canonical, valid with no warnings under
//! the product's rules and the built-in ATT&CK catalog, passes the official Attack Flow and
//! STIX schemas, its product extension entries pass the extension's schema, its copies of
//! controls and architecture components equal the catalogue and the reference architecture,
//! and the copies embedded in the program are the files on disk.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::{Path, PathBuf};

use medflow_core::diagnostic::Severity;
use medflow_core::library::{
    embedded_flows, embedded_profiles, embedded_use_cases, is_flow_file, is_profile_file,
    is_use_case_file,
};
use medflow_core::{Context, ReadLimits, read_bundle, validate, write_bundle};

fn flows_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../flows")
}

#[test]
fn the_embedded_library_is_the_flows_folder() {
    let on_disk: Vec<(String, Vec<u8>)> = common::json_files(&flows_dir())
        .into_iter()
        .map(|path| {
            let relative = path
                .strip_prefix(flows_dir())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(&path).unwrap();
            (relative, bytes)
        })
        .filter(|(relative, _)| is_flow_file(relative))
        .collect();
    let embedded: Vec<(String, Vec<u8>)> = embedded_flows()
        .map(|flow| (flow.path.to_owned(), flow.bytes.to_vec()))
        .collect();
    assert_eq!(
        embedded.iter().map(|(path, _)| path).collect::<Vec<_>>(),
        on_disk.iter().map(|(path, _)| path).collect::<Vec<_>>()
    );
    assert!(embedded == on_disk, "embedded bytes equal the files");
    assert!(!embedded.is_empty(), "the library has flows");
    for (is_kind, embedded) in [
        (
            is_use_case_file as fn(&str) -> bool,
            embedded_use_cases().collect::<Vec<_>>(),
        ),
        (is_profile_file, embedded_profiles().collect()),
    ] {
        let on_disk: Vec<String> = common::json_files(&flows_dir())
            .into_iter()
            .map(|path| {
                path.strip_prefix(flows_dir())
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .filter(|relative| is_kind(relative))
            .collect();
        let paths: Vec<&str> = embedded.iter().map(|file| file.path).collect();
        assert_eq!(paths, on_disk);
        assert!(!paths.is_empty(), "the library has use cases and profiles");
        for file in embedded {
            assert_eq!(
                file.bytes,
                std::fs::read(flows_dir().join(file.path)).unwrap(),
                "{}",
                file.path
            );
        }
    }
}

#[test]
fn every_library_flow_is_canonical_and_valid_without_warnings() {
    let mut official =
        common::reference_dir().map(|dir| common::schema::OfficialSchemas::new(&dir));
    for flow in embedded_flows() {
        let outcome = read_bundle(flow.bytes, &ReadLimits::default())
            .unwrap_or_else(|error| panic!("{}: {error}", flow.path));
        assert_eq!(outcome.diagnostics, [], "{}: read", flow.path);
        let problems: Vec<String> = validate(&outcome.document, &Context::built_in())
            .into_iter()
            .filter(|diagnostic| diagnostic.severity() >= Severity::Warning)
            .map(|diagnostic| diagnostic.to_string())
            .collect();
        assert_eq!(problems, Vec::<String>::new(), "{}", flow.path);
        assert!(
            write_bundle(&outcome.document) == flow.bytes,
            "{}: not in the canonical form; run `medflow fmt` on it",
            flow.path
        );
        for (entry, errors) in common::schema::extension_entries(flow.bytes) {
            assert_eq!(errors, Vec::<String>::new(), "{}: {entry}", flow.path);
        }
        if let Some(schemas) = official.as_mut() {
            for object in common::schema::written_objects(&outcome.document) {
                assert_eq!(
                    schemas.errors(&object),
                    Vec::<String>::new(),
                    "{}: {object}",
                    flow.path
                );
            }
        }
    }
}

#[test]
fn the_control_catalogue_is_complete_and_every_flow_copy_matches_it() {
    let bytes = medflow_core::library::embedded_control_catalogue().expect("flows/controls.json");
    let catalogue = read_bundle(bytes, &ReadLimits::default()).unwrap().document;
    let defined = medflow_core::control::controls(&catalogue);
    assert!(!defined.is_empty());
    assert!(
        write_bundle(&catalogue) == bytes,
        "controls.json is not in the canonical form; run `medflow fmt` on it"
    );
    // Each definition passes the control rules; a catalogue has no flow and links nothing,
    // so the document-level codes and control-unlinked do not apply to it.
    let problems: Vec<String> = validate(&catalogue, &Context::built_in())
        .into_iter()
        .filter(|diagnostic| {
            let code = diagnostic.code.as_str();
            !code.starts_with("doc-") && code != "control-unlinked"
        })
        .map(|diagnostic| diagnostic.to_string())
        .collect();
    assert_eq!(problems, Vec::<String>::new());
    for (entry, errors) in common::schema::extension_entries(bytes) {
        assert_eq!(errors, Vec::<String>::new(), "controls.json: {entry}");
    }
    if let Some(reference) = common::reference_dir() {
        let mut schemas = common::schema::OfficialSchemas::new(&reference);
        for object in common::schema::written_objects(&catalogue) {
            assert_eq!(
                schemas.errors(&object),
                Vec::<String>::new(),
                "controls.json: {object}"
            );
        }
    }
    for control in &defined {
        assert!(control.source.is_some(), "{} cites a source", control.name);
        assert!(
            control.fda_category.is_some(),
            "{} has an FDA category",
            control.name
        );
    }
    for flow in embedded_flows() {
        let document = read_bundle(flow.bytes, &ReadLimits::default())
            .unwrap()
            .document;
        assert_eq!(
            medflow_core::control::drift(&document, &catalogue),
            Vec::new(),
            "{}",
            flow.path
        );
        assert_eq!(
            medflow_core::control::missing_from_catalogue(&document, &catalogue),
            Vec::<String>::new(),
            "{}: every control it uses is in the catalogue",
            flow.path
        );
        // Every action has prevention and detection.
        for action in medflow_core::control::coverage(&document) {
            assert!(
                !action.lacks_prevention() && !action.lacks_detection(),
                "{}: {} lacks a control",
                flow.path,
                action.name
            );
        }
    }
}

/// An object as JSON without its canvas positions (a copy's positions are the flow's own).
fn without_positions(
    object: &medflow_core::StixObject,
) -> serde_json::Map<String, serde_json::Value> {
    let mut json = object.to_json();
    if let Some(entry) = json
        .get_mut("extensions")
        .and_then(|extensions| extensions.get_mut(medflow_core::extension::MEDFLOW_EXTENSION_ID))
        .and_then(serde_json::Value::as_object_mut)
    {
        entry.remove("layout");
        entry.remove("zone_layout");
    }
    json
}

#[test]
fn every_component_copy_equals_the_reference_architecture() {
    let reference = medflow_core::architecture::Architecture::reference_document();
    let mut copies = 0;
    for flow in embedded_flows() {
        let document = read_bundle(flow.bytes, &ReadLimits::default())
            .unwrap()
            .document;
        for object in document
            .objects
            .iter()
            .filter(|object| medflow_core::architecture::is_component(object))
        {
            let original = reference.object(object.id()).unwrap_or_else(|| {
                panic!("{}: {} is not in the reference", flow.path, object.id())
            });
            assert_eq!(
                without_positions(object),
                without_positions(original),
                "{}: the copy of {} differs from the reference architecture's",
                flow.path,
                object.id()
            );
            copies += 1;
        }
    }
    assert!(copies > 0, "the library binds assets to components");
}

// Closer than this, two nodes drawn at 100 % cover each other: a node is about 230 points
// wide; an action is drawn up to about 210 high (its technique's name wraps over as many as
// four lines of the narrow body), and any other node needs 80 clear for its title.
const NODE_WIDTH: f32 = 230.0;
const ACTION_HEIGHT: f32 = 210.0;
const TITLE_HEIGHT: f32 = 80.0;

/// Panics when two of the `placed` nodes (id, top-left corner, height) of `what` cover each
/// other.
fn assert_apart(what: &str, placed: &[(&str, [f32; 2], f32)]) {
    for (index, (id, at, height)) in placed.iter().enumerate() {
        for (other, other_at, other_height) in &placed[index + 1..] {
            // The upper node's height is what the lower one must clear.
            let clear = if at[1] <= other_at[1] {
                *height
            } else {
                *other_height
            };
            let apart =
                (at[0] - other_at[0]).abs() >= NODE_WIDTH || (at[1] - other_at[1]).abs() >= clear;
            assert!(apart, "{what}: {id} and {other} sit on each other");
        }
    }
}

fn drawn_height(object: &medflow_core::StixObject) -> f32 {
    if object.type_name() == "attack-action" {
        ACTION_HEIGHT
    } else {
        TITLE_HEIGHT
    }
}

#[test]
fn no_two_nodes_of_a_library_flow_sit_on_each_other() {
    use medflow_core::extension::{View, position};
    use medflow_core::scene::is_node;
    for flow in embedded_flows() {
        let document = read_bundle(flow.bytes, &ReadLimits::default())
            .unwrap()
            .document;
        let placed: Vec<(&str, [f32; 2], f32)> = document
            .objects
            .iter()
            .filter(|object| is_node(object))
            .filter_map(|object| {
                Some((
                    object.id(),
                    position(object, View::Flow)?,
                    drawn_height(object),
                ))
            })
            .collect();
        assert_apart(flow.path, &placed);
    }
}

#[test]
fn the_automatic_layouts_of_the_library_flows_keep_nodes_apart() {
    use medflow_core::layout::Direction;
    use medflow_core::scene::{Structure, flow_layout_options};
    for flow in embedded_flows() {
        let document = read_bundle(flow.bytes, &ReadLimits::default())
            .unwrap()
            .document;
        let structure = Structure::of(&document);
        for direction in [Direction::TopToBottom, Direction::LeftToRight] {
            let automatic = structure.layered_positions(&flow_layout_options(direction));
            let placed: Vec<(&str, [f32; 2], f32)> = structure
                .nodes
                .iter()
                .map(|object| (object.id(), automatic[object.id()], drawn_height(object)))
                .collect();
            assert_apart(&format!("{} ({direction:?})", flow.path), &placed);
        }
    }
}
