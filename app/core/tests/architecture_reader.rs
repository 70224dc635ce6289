//! The architecture reader refuses broken files: the shipped reference architecture with one
//! mistake (a component in an unknown zone, a key used twice, no architecture object, a zone
//! without a region, a second architecture, a boundary naming what the architecture lacks or
//! lying nowhere), each refusal naming the object and what is wrong.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use medflow_core::architecture::{Architecture, ArchitectureError, REFERENCE_FILE};
use medflow_core::extension::MEDFLOW_EXTENSION_ID;
use serde_json::{Value, json};

fn shipped_json() -> Value {
    serde_json::from_slice(REFERENCE_FILE).unwrap()
}

/// The `architecture` entry of an object, if it has one.
fn entry(object: &Value) -> Option<&Value> {
    object["extensions"]
        .get(MEDFLOW_EXTENSION_ID)?
        .get("architecture")
}

/// The shipped file with `change` applied to its objects, read as an architecture.
fn read_changed(change: impl FnOnce(&mut Vec<Value>)) -> Result<Architecture, ArchitectureError> {
    let mut bundle = shipped_json();
    change(bundle["objects"].as_array_mut().unwrap());
    Architecture::from_bytes(&serde_json::to_vec(&bundle).unwrap())
}

/// The object whose architecture entry has this key.
fn keyed<'a>(objects: &'a mut [Value], key: &str) -> &'a mut Value {
    objects
        .iter_mut()
        .find(|object| entry(object).and_then(|entry| entry.get("key")) == Some(&json!(key)))
        .unwrap()
}

fn id_of(key: &str) -> String {
    Architecture::reference().component(key).unwrap().id.clone()
}

fn refused(result: Result<Architecture, ArchitectureError>) -> String {
    match result {
        Ok(architecture) => panic!("accepted {architecture:?}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn a_component_in_an_unknown_zone_is_refused() {
    let message = refused(read_changed(|objects| {
        keyed(objects, "robot")["extensions"][MEDFLOW_EXTENSION_ID]["architecture"]["zone"] =
            json!("basement");
    }));
    assert!(message.contains(&id_of("robot")), "{message}");
    assert!(message.contains("basement"), "{message}");
}

#[test]
fn a_duplicate_key_is_refused() {
    let message = refused(read_changed(|objects| {
        keyed(objects, "wifi")["extensions"][MEDFLOW_EXTENSION_ID]["architecture"]["key"] =
            json!("console");
    }));
    assert!(message.contains(&id_of("wifi")), "{message}");
    assert!(message.contains(&id_of("console")), "{message}");
    assert!(message.contains("\"console\""), "{message}");
}

#[test]
fn a_file_without_an_architecture_object_is_refused() {
    let message = refused(read_changed(|objects| {
        objects.retain(|object| object["type"] != "grouping");
    }));
    assert!(message.contains("no architecture object"), "{message}");
}

#[test]
fn a_zone_without_a_region_and_a_second_architecture_are_refused() {
    let zone = Architecture::reference()
        .zone("carrier-network")
        .unwrap()
        .id
        .clone();
    let message = refused(read_changed(|objects| {
        let entry = &mut keyed(objects, "carrier-network")["extensions"][MEDFLOW_EXTENSION_ID]["architecture"];
        entry.as_object_mut().unwrap().remove("region");
    }));
    assert!(message.contains(&zone), "{message}");

    let message = refused(read_changed(|objects| {
        let mut second = objects
            .iter()
            .find(|object| object["type"] == "grouping")
            .unwrap()
            .clone();
        second["id"] = json!("grouping--3d0f6a52-1c7e-4b8a-9f21-6e5d4c3b2a19");
        second["extensions"][MEDFLOW_EXTENSION_ID]["architecture"]["key"] = json!("other");
        objects.push(second);
    }));
    assert!(
        message.contains("grouping--3d0f6a52-1c7e-4b8a-9f21-6e5d4c3b2a19"),
        "{message}"
    );
}

/// The shipped file with the architecture's boundary `key` replaced by `boundary`.
fn with_boundary(key: &str, boundary: Value) -> Result<Architecture, ArchitectureError> {
    read_changed(|objects| {
        let grouping = objects
            .iter_mut()
            .find(|object| object["type"] == "grouping")
            .unwrap();
        let boundaries = grouping["extensions"][MEDFLOW_EXTENSION_ID]["architecture"]["boundaries"]
            .as_array_mut()
            .unwrap();
        let found = boundaries
            .iter_mut()
            .find(|known| known["key"] == key)
            .unwrap();
        *found = boundary;
    })
}

#[test]
fn a_boundary_naming_what_the_architecture_lacks_or_lying_nowhere_is_refused() {
    let refusals = [
        (
            json!({"key": "or-hospital", "name": "OR", "between": ["operating-room", "attic"]}),
            "\"attic\"",
        ),
        (
            json!({"key": "or-hospital", "name": "OR",
                   "between": ["operating-room", "operating-room"]}),
            "from itself",
        ),
        (
            json!({"key": "or-hospital", "name": "OR", "within": "device-cloud",
                   "around": ["console"]}),
            "\"console\", which is not a component of zone \"device-cloud\"",
        ),
        (
            json!({"key": "or-hospital", "name": "OR", "within": "device-cloud"}),
            "either between two zones, or within one zone",
        ),
        (
            json!({"key": "or-hospital", "name": "OR", "between": ["operating-room"]}),
            "exactly two zones",
        ),
        (
            json!({"key": "or-hospital", "between": ["operating-room", "hospital-network"]}),
            "a key and a name",
        ),
        (
            json!({"key": "cloud-ehr", "name": "Again",
                   "between": ["operating-room", "hospital-network"]}),
            "\"cloud-ehr\" is defined twice",
        ),
    ];
    for (boundary, expected) in refusals {
        let message = refused(with_boundary("or-hospital", boundary.clone()));
        assert!(message.contains(expected), "{boundary}: {message}");
    }
}
