//! Lossless round trip over MITRE's Attack Flow corpus, the official example and the fixtures:
//! read → write → read gives an equal document, writing is idempotent, and every object and
//! property of the input is in the output, allowing only the writer's documented
//! normalisations (which this test re-applies to the input on its own).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::collections::BTreeMap;

use medflow_core::model::Timestamp;
use medflow_core::stix::canonical_order;
use medflow_core::stix::vocabulary::is_cyber_observable_type;
use medflow_core::{Code, ReadLimits, read_bundle, write_bundle};
use serde_json::{Map, Value};

/// The documented normalisations, applied to the input JSON by hand.
fn normalise_input(mut bundle: Map<String, Value>) -> (String, Vec<Map<String, Value>>) {
    let id = bundle["id"].as_str().unwrap().to_owned();
    let Some(Value::Array(objects)) = bundle.remove("objects") else {
        return (id, Vec::new());
    };
    let objects = objects
        .into_iter()
        .map(|object| {
            let Value::Object(mut object) = object else {
                panic!("corpus objects are JSON objects")
            };
            let type_name = object["type"].as_str().unwrap().to_owned();
            if !object.contains_key("spec_version") && !is_cyber_observable_type(&type_name) {
                object.insert("spec_version".into(), "2.1".into());
            }
            let mut timestamps = vec!["created", "modified"];
            if type_name == "attack-action" {
                timestamps.extend(["execution_start", "execution_end"]);
            }
            for key in timestamps {
                if let Some(Value::String(text)) = object.get_mut(key)
                    && let Some(parsed) = Timestamp::parse(text)
                {
                    *text = parsed.timestamp.to_string();
                }
            }
            object.retain(|_, value| !matches!(value, Value::Array(items) if items.is_empty()));
            object
        })
        .collect();
    (id, objects)
}

fn by_id(objects: Vec<Map<String, Value>>) -> BTreeMap<String, Vec<Map<String, Value>>> {
    let mut grouped: BTreeMap<String, Vec<Map<String, Value>>> = BTreeMap::new();
    for object in objects {
        let id = object["id"].as_str().unwrap().to_owned();
        grouped.entry(id).or_default().push(object);
    }
    grouped
}

#[test]
fn every_reference_bundle_round_trips_losslessly() {
    let Some(reference) = common::reference_dir() else {
        return;
    };
    let files = common::attack_flow_bundles(&reference);
    assert!(
        files.len() >= 46,
        "expected the 40 corpus exports, the example and the fixtures, found {}",
        files.len()
    );
    let mut objects_compared = 0;
    for path in &files {
        let name = path.display();
        let input = std::fs::read(path).unwrap();
        let first = read_bundle(&input, &ReadLimits::default())
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        let written = write_bundle(&first.document);
        let second = read_bundle(&written, &ReadLimits::default())
            .unwrap_or_else(|error| panic!("{name} (written): {error}"));
        assert_eq!(
            first.document.bundle_id, second.document.bundle_id,
            "{name}: bundle id"
        );
        let before = canonical_order(&first.document.objects);
        let after = canonical_order(&second.document.objects);
        assert_eq!(
            before.len(),
            after.len(),
            "{name}: object count changed by a round trip"
        );
        for (left, right) in before.iter().zip(&after) {
            // The one documented difference between documents: empty lists are not written.
            let mut left_json = left.to_json();
            left_json.retain(|_, value| !matches!(value, Value::Array(items) if items.is_empty()));
            let same = if left_json == left.to_json() {
                left == right
            } else {
                left_json == right.to_json()
            };
            assert!(
                same,
                "{name}: {} changed by a round trip:\n{left:?}\n{right:?}",
                left.id()
            );
        }
        assert_eq!(
            write_bundle(&second.document),
            written,
            "{name}: writing is not idempotent"
        );
        let normalised_again: Vec<Code> = second
            .diagnostics
            .iter()
            .map(|diagnostic| diagnostic.code)
            .collect();
        assert!(
            normalised_again.is_empty(),
            "{name}: written output still needs normalising: {normalised_again:?}"
        );

        objects_compared += compare_object_by_object(&name.to_string(), &input, &written);
    }
    println!(
        "round-tripped {} bundles, {objects_compared} objects compared property by property",
        files.len()
    );
}

#[test]
fn output_is_canonically_ordered() {
    let Some(reference) = common::reference_dir() else {
        return;
    };
    for path in common::attack_flow_bundles(&reference) {
        let input = std::fs::read(&path).unwrap();
        let written = write_bundle(
            &read_bundle(&input, &ReadLimits::default())
                .unwrap()
                .document,
        );
        let text = std::str::from_utf8(&written).unwrap();
        assert!(
            text.ends_with("}\n") && !text.ends_with("\n\n"),
            "{}: trailing newline",
            path.display()
        );
        assert!(!text.contains('\r'), "{}: CR in output", path.display());
        let value: Value = serde_json::from_str(text).unwrap();
        let objects = value["objects"].as_array().cloned().unwrap_or_default();
        let ids: Vec<&str> = objects
            .iter()
            .map(|object| object["id"].as_str().unwrap())
            .collect();
        if let Some(first) = objects.first()
            && objects.iter().any(|object| object["type"] == "attack-flow")
        {
            assert_eq!(
                first["type"],
                "attack-flow",
                "{}: flow first",
                path.display()
            );
        }
        let rest = ids
            .iter()
            .skip_while(|id| id.starts_with("attack-flow--"))
            .copied()
            .collect::<Vec<_>>();
        let mut sorted = rest.clone();
        sorted.sort_unstable();
        assert_eq!(rest, sorted, "{}: objects sorted by id", path.display());
        for object in &objects {
            let keys: Vec<&str> = object
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            let leading: Vec<&str> = keys
                .iter()
                .copied()
                .filter(|key| ["type", "spec_version", "id", "created", "modified"].contains(key))
                .collect();
            assert_eq!(
                &keys[..leading.len()],
                leading.as_slice(),
                "{}: leading keys",
                path.display()
            );
            let mut tail = keys[leading.len()..].to_vec();
            let original_tail = tail.clone();
            tail.sort_unstable();
            assert_eq!(original_tail, tail, "{}: keys sorted", path.display());
        }
    }
}

/// Compares the input and output JSON object by object, after applying the documented
/// normalisations to the input by hand; returns how many objects were compared.
fn compare_object_by_object(name: &str, input: &[u8], written: &[u8]) -> usize {
    let mut objects_compared = 0;
    let Value::Object(input_json) = serde_json::from_slice(input).unwrap() else {
        panic!("{name}: not an object")
    };
    let Value::Object(mut output_json) = serde_json::from_slice(written).unwrap() else {
        panic!("{name}: output not an object")
    };
    let keys: Vec<&String> = output_json.keys().collect();
    assert!(
        keys == ["type", "id", "objects"] || keys == ["type", "id"],
        "{name}: bundle keys {keys:?}"
    );
    let (input_id, input_objects) = normalise_input(input_json);
    assert_eq!(
        output_json["id"],
        Value::String(input_id),
        "{name}: bundle id"
    );
    let output_objects: Vec<Map<String, Value>> = match output_json.remove("objects") {
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|item| match item {
                Value::Object(object) => object,
                _ => panic!("{name}: output object not a JSON object"),
            })
            .collect(),
        _ => Vec::new(),
    };
    assert_eq!(
        input_objects.len(),
        output_objects.len(),
        "{name}: object count"
    );
    let expected = by_id(input_objects);
    let actual = by_id(output_objects);
    for (id, expected_versions) in &expected {
        let actual_versions = actual
            .get(id)
            .unwrap_or_else(|| panic!("{name}: {id} lost"));
        assert_eq!(
            expected_versions, actual_versions,
            "{name}: {id} differs after round trip"
        );
        objects_compared += expected_versions.len();
    }
    objects_compared
}
