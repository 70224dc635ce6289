//! The RAS reference architecture shipped in `assets/architecture/ras-reference.json`: it reads,
//! holds every component of RAS-REFERENCE.md in a zone that exists and is drawn inside that
//! zone, its zones do not overlap, its boundaries and data flows name real zones and
//! components, it is valid and canonical, its extension entries pass the product extension's
//! schema and its objects the official STIX schemas. (`architecture_reader.rs`: the reader
//! refuses broken files.)
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use medflow_core::architecture::{Architecture, BoundaryPlace, REFERENCE_FILE, REFERENCE_KEY};
use medflow_core::extension::{MEDFLOW_EXTENSION_ID, MEDFLOW_IDENTITY_ID};
use medflow_core::{Context, ReadLimits, read_bundle, validate, write_bundle};
use serde_json::{Value, json};

/// The component ids of RAS-REFERENCE.md's table, in its order.
const COMPONENT_IDS: [&str; 19] = [
    "console",
    "robot",
    "biosensors",
    "or-cameras",
    "mr-server",
    "or-switch",
    "hospital-router",
    "wifi",
    "hdo-it",
    "5g",
    "telemetry-store",
    "biohealth-store",
    "digital-twin",
    "visualization",
    "ml",
    "simulation",
    "remote-mgmt",
    "cloud-iam",
    "ehr",
];

/// The five zones, left to right.
const ZONES: [&str; 5] = [
    "operating-room",
    "hospital-network",
    "carrier-network",
    "device-cloud",
    "ehr-cloud",
];

/// Where a trust boundary of RAS-REFERENCE.md lies, as the architecture must have it.
#[derive(Debug)]
enum Place {
    /// Between these two zones.
    Between(&'static str, &'static str),
    /// Inside this zone.
    Within(&'static str),
}

/// The trust boundaries of RAS-REFERENCE.md ("Trust boundaries: …"), in its order and words,
/// each with the key and the place the architecture gives it.
const BOUNDARIES: [(&str, &str, Place); 6] = [
    (
        "operating room ↔ hospital network",
        "or-hospital",
        Place::Between("operating-room", "hospital-network"),
    ),
    (
        "hospital network ↔ carrier",
        "hospital-carrier",
        Place::Between("hospital-network", "carrier-network"),
    ),
    (
        "carrier ↔ device cloud",
        "carrier-cloud",
        Place::Between("carrier-network", "device-cloud"),
    ),
    (
        "device cloud ↔ EHR vendor cloud",
        "cloud-ehr",
        Place::Between("device-cloud", "ehr-cloud"),
    ),
    (
        "vendor remote access into the hospital network",
        "vendor-remote-access",
        Place::Between("hospital-network", "device-cloud"),
    ),
    (
        "the CSP's shared infrastructure under the MDM's SaaS",
        "csp-shared-infrastructure",
        Place::Within("device-cloud"),
    ),
];

/// The main data flows of RAS-REFERENCE.md ("Main data flows: …"), in its order and words,
/// each with the data flows (component key pairs, from and to) the architecture gives it.
const MAIN_FLOWS: [(&str, &[(&str, &str)]); 8] = [
    ("C2 console → robot", &[("console", "robot")]),
    (
        "telemetry robot → console and → telemetry-store",
        &[("robot", "console"), ("robot", "telemetry-store")],
    ),
    (
        "bio-sensor data → console and → biohealth-store",
        &[("biosensors", "console"), ("biosensors", "biohealth-store")],
    ),
    (
        "video → console and → cloud",
        &[("or-cameras", "console"), ("or-cameras", "ml")],
    ),
    (
        "twin configuration robot → digital-twin → visualization → console",
        &[
            ("robot", "digital-twin"),
            ("digital-twin", "visualization"),
            ("visualization", "console"),
        ],
    ),
    (
        "firmware/configuration remote-mgmt → robot/console",
        &[("remote-mgmt", "robot"), ("remote-mgmt", "console")],
    ),
    (
        "episode data device cloud ↔ ehr",
        &[("biohealth-store", "ehr"), ("ehr", "biohealth-store")],
    ),
    (
        "vendor access → hdo-it → devices",
        &[
            ("remote-mgmt", "hdo-it"),
            ("hdo-it", "robot"),
            ("hdo-it", "console"),
        ],
    ),
];

/// The other data flows, from the component table: console ↔ robot over the wired switch
/// when co-located and over 5G when the surgeon is remote, the way out of the hospital to the
/// cloud, the mixed-reality overlays and the credentials remote management uses.
const OTHER_FLOWS: [(&str, &str); 11] = [
    ("console", "or-switch"),
    ("or-switch", "robot"),
    ("console", "5g"),
    ("5g", "robot"),
    ("robot", "5g"),
    ("5g", "console"),
    ("or-switch", "hospital-router"),
    ("hospital-router", "5g"),
    ("5g", "telemetry-store"),
    ("mr-server", "console"),
    ("cloud-iam", "remote-mgmt"),
];

/// The size of a component's node on the canvas, in points.
const NODE_SIZE: [f32; 2] = [220.0, 80.0];

/// STIX 2.1 infrastructure-type-ov.
const INFRASTRUCTURE_TYPES: [&str; 15] = [
    "amplification",
    "anonymization",
    "botnet",
    "command-and-control",
    "control-system",
    "exfiltration",
    "firewall",
    "hosting-malware",
    "hosting-target-lists",
    "phishing",
    "reconnaissance",
    "routers-switches",
    "staging",
    "unknown",
    "workstation",
];

fn shipped_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/architecture/ras-reference.json")
}

fn shipped_json() -> Value {
    serde_json::from_slice(REFERENCE_FILE).unwrap()
}

/// The objects of the shipped file, as JSON.
fn shipped_objects() -> Vec<Value> {
    shipped_json()["objects"].as_array().unwrap().clone()
}

/// The `architecture` entry of an object, if it has one.
fn entry(object: &Value) -> Option<&Value> {
    object["extensions"]
        .get(MEDFLOW_EXTENSION_ID)?
        .get("architecture")
}

#[test]
fn the_reference_reads_and_is_the_file_on_disk() {
    assert_eq!(
        std::fs::read(shipped_path()).unwrap(),
        REFERENCE_FILE,
        "the embedded bytes are the file"
    );
    let reference = Architecture::reference();
    assert_eq!(reference, Architecture::from_bytes(REFERENCE_FILE).unwrap());
    assert_eq!(reference.key, REFERENCE_KEY);
    assert_eq!(reference.name, "RAS reference architecture");
}

#[test]
fn every_component_of_the_reference_document_is_there() {
    let reference = Architecture::reference();
    let keys: Vec<&str> = reference
        .components
        .iter()
        .map(|component| component.key.as_str())
        .collect();
    assert_eq!(keys, COMPONENT_IDS, "the components, in the table's order");
    if let Some(listed) = common::ras_reference::text()
        .as_deref()
        .map(common::ras_reference::component_ids)
    {
        assert_eq!(
            listed, COMPONENT_IDS,
            "RAS-REFERENCE.md's table changed: update the architecture file and this test"
        );
    } else {
        println!("RAS-REFERENCE.md not found; checked the hard-coded ids only");
    }
    for component in &reference.components {
        assert!(!component.name.is_empty(), "{} has a name", component.key);
        assert!(
            !component.description.is_empty(),
            "{} has a description",
            component.key
        );
    }
    for object in shipped_objects() {
        if object["type"] == "infrastructure" {
            let types = object["infrastructure_types"].as_array().unwrap();
            assert!(!types.is_empty(), "{object}");
            for kind in types {
                assert!(
                    INFRASTRUCTURE_TYPES.contains(&kind.as_str().unwrap()),
                    "{kind} is not in infrastructure-type-ov"
                );
            }
        }
    }
}

#[test]
fn zones_sit_left_to_right_without_overlapping() {
    let reference = Architecture::reference();
    let keys: Vec<&str> = reference
        .zones
        .iter()
        .map(|zone| zone.key.as_str())
        .collect();
    assert_eq!(keys, ZONES);
    for zone in &reference.zones {
        let [_, _, width, height] = zone.region;
        assert!(width > 0.0 && height > 0.0, "{}: empty region", zone.key);
        assert!(!zone.name.is_empty(), "{} has a name", zone.key);
    }
    for pair in reference.zones.windows(2) {
        let [left, right] = pair else { unreachable!() };
        assert!(
            left.region[0] + left.region[2] <= right.region[0],
            "{} ends before {} begins",
            left.key,
            right.key
        );
    }
    for (index, first) in reference.zones.iter().enumerate() {
        for second in &reference.zones[index + 1..] {
            let [ax, ay, aw, ah] = first.region;
            let [bx, by, bw, bh] = second.region;
            let overlap = ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
            assert!(!overlap, "{} overlaps {}", first.key, second.key);
        }
    }
}

#[test]
fn every_component_is_drawn_inside_its_zone_and_apart_from_the_others() {
    let reference = Architecture::reference();
    for component in &reference.components {
        let zone = reference
            .zone(&component.zone)
            .unwrap_or_else(|| panic!("{}: zone {} missing", component.key, component.zone));
        let [x, y] = component
            .position
            .unwrap_or_else(|| panic!("{} has a layout", component.key));
        let [zx, zy, zw, zh] = zone.region;
        assert!(
            x >= zx && y >= zy && x + NODE_SIZE[0] <= zx + zw && y + NODE_SIZE[1] <= zy + zh,
            "{} at ({x}, {y}) is not inside {} {:?}",
            component.key,
            zone.key,
            zone.region
        );
    }
    for (index, first) in reference.components.iter().enumerate() {
        for second in &reference.components[index + 1..] {
            let [ax, ay] = first.position.unwrap();
            let [bx, by] = second.position.unwrap();
            let overlap = ax < bx + NODE_SIZE[0]
                && bx < ax + NODE_SIZE[0]
                && ay < by + NODE_SIZE[1]
                && by < ay + NODE_SIZE[1];
            assert!(!overlap, "{} overlaps {}", first.key, second.key);
        }
    }
}

#[test]
fn every_trust_boundary_of_the_reference_document_is_there_where_it_lies() {
    let reference = Architecture::reference();
    let keys: Vec<&str> = reference
        .boundaries
        .iter()
        .map(|boundary| boundary.key.as_str())
        .collect();
    let expected: Vec<&str> = BOUNDARIES.iter().map(|(_, key, _)| *key).collect();
    assert_eq!(keys, expected, "the boundaries, in the document's order");
    if let Some(listed) = common::ras_reference::text()
        .and_then(|text| common::ras_reference::list(&text, "Trust boundaries:"))
    {
        let phrases: Vec<&str> = BOUNDARIES.iter().map(|(phrase, _, _)| *phrase).collect();
        assert_eq!(
            listed, phrases,
            "RAS-REFERENCE.md's trust boundaries changed: update the architecture file and this test"
        );
    } else {
        println!("RAS-REFERENCE.md not found; checked the hard-coded boundaries only");
    }
    for ((_, key, place), boundary) in BOUNDARIES.iter().zip(&reference.boundaries) {
        assert!(!boundary.name.is_empty(), "{key} has a name");
        assert!(
            !boundary.description.is_empty(),
            "{key} says what crosses it"
        );
        match (place, &boundary.place) {
            (Place::Between(first, second), BoundaryPlace::Between(zones)) => {
                assert_eq!(zones, &[*first, *second], "{key}");
            }
            (
                Place::Within(zone),
                BoundaryPlace::Within {
                    zone: found,
                    around,
                },
            ) => {
                assert_eq!(found, zone, "{key}");
                // Inside the zone, the boundary encloses the MDM's services: every component
                // of the zone, since the MDM runs all of them on the CSP's infrastructure.
                let in_zone: Vec<&str> = reference
                    .components
                    .iter()
                    .filter(|component| component.zone == *zone)
                    .map(|component| component.key.as_str())
                    .collect();
                assert_eq!(around, &in_zone, "{key}");
            }
            (_, found) => panic!("{key} lies at {found:?}, not {place:?}"),
        }
        for zone in boundary.zones() {
            assert!(reference.zone(zone).is_some(), "{key}: zone {zone} missing");
        }
    }
}

#[test]
fn data_flows_connect_components_and_cover_the_main_flows() {
    let reference = Architecture::reference();
    let objects = shipped_objects();
    let relationships = |kind: &str| -> Vec<Value> {
        objects
            .iter()
            .filter(|object| {
                object["type"] == "relationship" && object["relationship_type"] == kind
            })
            .cloned()
            .collect()
    };
    // Every communicates-with relationship is a data flow between two components.
    assert_eq!(
        relationships("communicates-with").len(),
        reference.flows.len(),
        "a communicates-with relationship does not join two components"
    );
    let mut pairs = BTreeSet::new();
    for flow in &reference.flows {
        assert!(reference.component(&flow.from).is_some(), "{}", flow.id);
        assert!(reference.component(&flow.to).is_some(), "{}", flow.id);
        assert_ne!(flow.from, flow.to, "{}", flow.id);
        assert!(!flow.data.is_empty(), "{} says what it carries", flow.id);
        assert!(
            pairs.insert((flow.from.as_str(), flow.to.as_str())),
            "{} -> {} twice",
            flow.from,
            flow.to
        );
    }
    if let Some(listed) = common::ras_reference::text()
        .and_then(|text| common::ras_reference::list(&text, "Main data flows:"))
    {
        let phrases: Vec<&str> = MAIN_FLOWS.iter().map(|(phrase, _)| *phrase).collect();
        assert_eq!(
            listed, phrases,
            "RAS-REFERENCE.md's main data flows changed: update the architecture file and this test"
        );
    } else {
        println!("RAS-REFERENCE.md not found; checked the hard-coded data flows only");
    }
    for (phrase, flows) in MAIN_FLOWS {
        for (from, to) in flows {
            assert!(
                pairs.contains(&(*from, *to)),
                "no data flow {from} -> {to} ({phrase})"
            );
        }
    }
    // The file has exactly these data flows: none missing, none the test does not know.
    let expected: BTreeSet<(&str, &str)> = MAIN_FLOWS
        .iter()
        .flat_map(|(_, flows)| flows.iter().copied())
        .chain(OTHER_FLOWS)
        .collect();
    assert_eq!(pairs, expected);
    // Each component is contained by exactly one consists-of, from its own zone.
    let contains = relationships("consists-of");
    assert_eq!(contains.len(), reference.components.len());
    for component in &reference.components {
        let zone = reference.zone(&component.zone).unwrap();
        let from: Vec<&str> = contains
            .iter()
            .filter(|relationship| relationship["target_ref"] == component.id.as_str())
            .map(|relationship| relationship["source_ref"].as_str().unwrap())
            .collect();
        assert_eq!(from, [zone.id.as_str()], "{}", component.key);
    }
    // The grouping lists every zone, component and relationship.
    let grouping = objects
        .iter()
        .find(|object| object["type"] == "grouping")
        .unwrap();
    let listed: BTreeSet<&str> = grouping["object_refs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap())
        .collect();
    let expected: BTreeSet<&str> = objects
        .iter()
        .filter(|object| entry(object).is_some() && object["type"] != "grouping")
        .chain(
            objects
                .iter()
                .filter(|object| object["type"] == "relationship"),
        )
        .map(|object| object["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, expected);
}

#[test]
fn the_reference_is_valid_canonical_and_signed_by_the_product() {
    let outcome = read_bundle(REFERENCE_FILE, &ReadLimits::default()).unwrap();
    assert_eq!(outcome.diagnostics, []);
    // Validation knows an architecture from a flow: the flow rules do not apply, every other
    // rule does, and it passes without warnings.
    assert_eq!(
        medflow_core::kind::document_kind(&outcome.document),
        medflow_core::kind::DocumentKind::Architecture
    );
    let problems: Vec<String> = validate(&outcome.document, &Context::built_in())
        .into_iter()
        .filter(|diagnostic| diagnostic.severity() >= medflow_core::Severity::Warning)
        .map(|diagnostic| diagnostic.to_string())
        .collect();
    assert_eq!(problems, Vec::<String>::new());
    assert!(
        write_bundle(&outcome.document) == REFERENCE_FILE,
        "not in the canonical form; run `medflow fmt` on it"
    );
    for object in shipped_objects() {
        if object["id"] != MEDFLOW_IDENTITY_ID {
            assert_eq!(object["created_by_ref"], MEDFLOW_IDENTITY_ID, "{object}");
        }
    }
}

#[test]
fn every_extension_entry_passes_the_schemas() {
    let extension_schema = common::schema::extension_validator();
    let entries = common::schema::extension_entries(REFERENCE_FILE);
    for (entry, errors) in &entries {
        assert_eq!(errors, &Vec::<String>::new(), "{entry}");
    }
    assert_eq!(entries.len(), 1 + ZONES.len() + COMPONENT_IDS.len());
    // The schema refuses broken entries.
    let broken = [
        json!({"element": "room", "key": "x"}),
        json!({"element": "zone", "key": "x"}),
        json!({"element": "zone", "key": "x", "region": {"x": 0, "y": 0, "width": 10}}),
        json!({"element": "component", "key": "x"}),
        json!({"element": "component", "key": "x", "zone": "z", "colour": "red"}),
        json!({"element": "architecture", "key": "x",
               "boundaries": [{"key": "b", "name": "B", "between": ["a", "b", "c"]}]}),
        json!({"element": "architecture", "key": "x",
               "boundaries": [{"key": "b", "between": ["a", "b"]}]}),
        json!({"element": "architecture", "key": "x",
               "boundaries": [{"key": "b", "name": "B"}]}),
        json!({"element": "architecture", "key": "x",
               "boundaries": [{"key": "b", "name": "B", "within": "a"}]}),
        json!({"element": "architecture", "key": "x",
               "boundaries": [{"key": "b", "name": "B", "within": "a", "around": []}]}),
        json!({"element": "architecture", "key": "x",
               "boundaries": [{"key": "b", "name": "B", "between": ["a", "b"],
                               "within": "a", "around": ["c"]}]}),
    ];
    for architecture in broken {
        let entry = json!({"extension_type": "property-extension", "architecture": architecture});
        assert!(
            extension_schema.iter_errors(&entry).next().is_some(),
            "accepted {entry}"
        );
    }

    // It accepts both kinds of boundary.
    for boundary in [
        json!({"key": "b", "name": "B", "between": ["a", "b"]}),
        json!({"key": "b", "name": "B", "within": "a", "around": ["c"], "description": "d"}),
    ] {
        let entry = json!({"extension_type": "property-extension", "architecture":
            {"element": "architecture", "key": "x", "boundaries": [boundary]}});
        let errors: Vec<String> = extension_schema
            .iter_errors(&entry)
            .map(|error| error.to_string())
            .collect();
        assert_eq!(errors, Vec::<String>::new(), "{entry}");
    }

    // The official STIX schemas accept every object.
    if let Some(reference) = common::reference_dir() {
        let document = read_bundle(REFERENCE_FILE, &ReadLimits::default())
            .unwrap()
            .document;
        let mut schemas = common::schema::OfficialSchemas::new(&reference);
        for object in common::schema::written_objects(&document) {
            assert_eq!(schemas.errors(&object), Vec::<String>::new(), "{object}");
        }
    }
}
