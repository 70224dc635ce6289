//! The official Attack Flow 2.0 schema and the OASIS STIX 2.1 schemas, read from the reference
//! folder (remote `$ref`s mapped to the local `oasis-open/` copies), applied per object the way
//! MITRE's `af validate` applies them:
//!
//! * every bundle the writer produces from the reference corpus passes with zero errors;
//! * soundness: whenever the official schemas reject an object, our own validator reports an
//!   error for that object too (checked over thousands of mutated corpus objects).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use common::schema::{OfficialSchemas, written_objects};
use medflow_core::{Context, Document, ReadLimits, Severity, read_bundle, validate, write_bundle};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Map, Value};

#[test]
fn written_corpus_passes_the_official_schemas() {
    let Some(reference) = common::reference_dir() else {
        return;
    };
    let mut schemas = OfficialSchemas::new(&reference);
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in common::attack_flow_bundles(&reference) {
        let document = read_bundle(&std::fs::read(&path).unwrap(), &ReadLimits::default())
            .unwrap()
            .document;
        for object in written_objects(&document) {
            checked += 1;
            for error in schemas.errors(&object) {
                failures.push(format!("{}: {}: {error}", path.display(), object["id"]));
            }
        }
    }
    assert!(checked > 2500, "only {checked} objects checked");
    assert!(
        failures.is_empty(),
        "{} official schema errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
    println!("{checked} written objects pass the official Attack Flow and OASIS schemas");
}

#[test]
fn our_validator_reports_no_errors_where_the_official_schemas_pass_on_the_corpus() {
    let Some(reference) = common::reference_dir() else {
        return;
    };
    for path in common::attack_flow_bundles(&reference) {
        let document = read_bundle(&std::fs::read(&path).unwrap(), &ReadLimits::default())
            .unwrap()
            .document;
        let written = read_bundle(&write_bundle(&document), &ReadLimits::default())
            .unwrap()
            .document;
        let object_errors: Vec<String> = validate(&written, &Context::default())
            .into_iter()
            .filter(|diagnostic| {
                diagnostic.severity() == Severity::Error
                    && diagnostic.code.as_str().starts_with(['s', 'a'])
            })
            .map(|diagnostic| diagnostic.to_string())
            .collect();
        assert!(
            object_errors.is_empty(),
            "{}: {object_errors:#?}",
            path.display()
        );
    }
}

/// A mutation applied to one property of one object.
#[derive(Debug, Clone)]
enum Mutation {
    Remove,
    Replace(Value),
}

fn mutation_strategy() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Remove),
        Just(Mutation::Replace(Value::Null)),
        Just(Mutation::Replace(Value::from(42))),
        Just(Mutation::Replace(Value::from(-1))),
        Just(Mutation::Replace(Value::from(1.5))),
        Just(Mutation::Replace(Value::Bool(true))),
        Just(Mutation::Replace(Value::Array(Vec::new()))),
        Just(Mutation::Replace(Value::Array(vec![Value::from("x")]))),
        Just(Mutation::Replace(Value::Object(Map::new()))),
        Just(Mutation::Replace(Value::from(""))),
        Just(Mutation::Replace(Value::from("not an id"))),
        Just(Mutation::Replace(Value::from("2021-01-01T00:00:00Z"))),
        Just(Mutation::Replace(Value::from("2021-13-01T00:00:00.000Z"))),
        Just(Mutation::Replace(Value::from(
            "attack-asset--0d54aaa2-1cd9-4de6-8bb1-bd95ae6eb3cd"
        ))),
        Just(Mutation::Replace(Value::from(
            "identity--0d54aaa2-1cd9-4de6-8bb1-bd95ae6eb3cd"
        ))),
        Just(Mutation::Replace(serde_json::json!([
            "attack-asset--0d54aaa2-1cd9-4de6-8bb1-bd95ae6eb3cd"
        ]))),
        Just(Mutation::Replace(
            serde_json::json!([{"source_name": "cve", "external_id": "CVE-1"}])
        )),
        Just(Mutation::Replace(
            serde_json::json!([{"description": "no source"}])
        )),
        Just(Mutation::Replace(
            serde_json::json!({"extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {}})
        )),
        Just(Mutation::Replace(Value::from("OR"))),
        Just(Mutation::Replace(Value::from("XOR"))),
    ]
}

/// Names to mutate: the object's own properties plus a few it lacks.
fn property_names(object: &Map<String, Value>) -> Vec<String> {
    let mut names: Vec<String> = object.keys().cloned().collect();
    for extra in [
        "severity",
        "Bad-Name",
        "x_custom",
        "labels",
        "confidence",
        "external_references",
        "extensions",
        "spec_version",
        "created_by_ref",
        "object_marking_refs",
        "payload_bin",
        "key_hex",
    ] {
        if !names.iter().any(|name| name == extra) {
            names.push(extra.to_owned());
        }
    }
    names
}

#[test]
fn whenever_the_official_schemas_reject_an_object_our_validator_reports_an_error() {
    let Some(reference) = common::reference_dir() else {
        return;
    };
    let mut objects: Vec<Value> = Vec::new();
    for path in common::attack_flow_bundles(&reference) {
        let document = read_bundle(&std::fs::read(&path).unwrap(), &ReadLimits::default())
            .unwrap()
            .document;
        let mut seen_types = std::collections::HashSet::new();
        for object in written_objects(&document) {
            // A few objects of each type per file keep the pool varied but small.
            let type_name = object["type"].as_str().unwrap_or_default().to_owned();
            if seen_types.insert(type_name) || objects.len().is_multiple_of(7) {
                objects.push(object);
            }
        }
    }
    let schemas = std::cell::RefCell::new(OfficialSchemas::new(&reference));
    // A fixed seed keeps CI repeatable; MEDFLOW_SOUNDNESS_SEED explores other sequences.
    let seed = std::env::var("MEDFLOW_SOUNDNESS_SEED")
        .ok()
        .and_then(|text| text.parse::<u8>().ok())
        .unwrap_or(0);
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]);
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: std::env::var("MEDFLOW_SOUNDNESS_CASES")
                .ok()
                .and_then(|text| text.parse().ok())
                .unwrap_or(3000),
            failure_persistence: None,
            ..Config::default()
        },
        rng,
    );
    let strategy = (
        0..objects.len(),
        any::<prop::sample::Index>(),
        mutation_strategy(),
    );
    let rejected = std::cell::Cell::new(0usize);
    let result = runner.run(&strategy, |(position, property_index, mutation)| {
        let mut object = objects[position].as_object().unwrap().clone();
        let names = property_names(&object);
        let name = property_index.get(&names).clone();
        match mutation {
            Mutation::Remove => {
                object.shift_remove(&name);
            }
            Mutation::Replace(value) => {
                object.insert(name.clone(), value);
            }
        }
        // What the product would save: read the object in a bundle, then write it.
        let bundle = serde_json::json!({
            "type": "bundle",
            "id": "bundle--0d54aaa2-1cd9-4de6-8bb1-bd95ae6eb3cd",
            "objects": [Value::Object(object.clone())],
        });
        let Ok(outcome) = read_bundle(bundle.to_string().as_bytes(), &ReadLimits::default()) else {
            return Ok(()); // Refused outright: nothing would be saved.
        };
        let Some(saved) = written_objects(&outcome.document).pop() else {
            return Ok(());
        };
        let official = schemas.borrow_mut().errors(&saved);
        if official.is_empty() {
            return Ok(());
        }
        rejected.set(rejected.get() + 1);
        let id = object.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
        let ours = object_errors(&outcome.document);
        prop_assert!(
            !ours.is_empty(),
            "official schema rejects {id} after mutating {name:?} ({official:?}) but our validator reports no error"
        );
        Ok(())
    });
    if let Err(error) = result {
        panic!("{error}");
    }
    let rejected = rejected.get();
    assert!(
        rejected > 500,
        "too few rejected mutations ({rejected}) to be a meaningful check"
    );
    println!(
        "{rejected} mutated objects rejected by the official schemas were all flagged by ours"
    );
}

/// Our per-object errors (document and graph rules aside) for a one-object document.
fn object_errors(document: &Document) -> Vec<String> {
    validate(document, &Context::default())
        .into_iter()
        .filter(|diagnostic| {
            diagnostic.severity() == Severity::Error
                && !diagnostic.code.as_str().starts_with("doc-")
                && !diagnostic.code.as_str().starts_with("graph-")
        })
        .map(|diagnostic| diagnostic.to_string())
        .collect()
}
