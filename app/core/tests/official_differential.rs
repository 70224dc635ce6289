//! Differential check of `medflow validate` against the official schemas, on files as written.
//!
//! Every base file (MITRE's corpus exports and official example in canonical form, and the
//! product's flow library) passes both the official Attack Flow and OASIS STIX 2.1 schemas and
//! our validator with no error. Each case changes one thing in one base file — removes a key or
//! an array element, replaces a value at any depth (inside hashes, external references,
//! kill-chain phases, granular markings, extensions), adds a property, or bends a string — and
//! writes the file. Whenever the official schemas reject the changed object (or the bundle), what
//! `medflow validate` does must say error: the reader refuses the file, or a diagnostic of
//! severity error is reported, so the command exits 1. The reverse is not asked: STIX 2.1 and
//! Attack Flow have rules no schema expresses.
//!
//! `MEDFLOW_DIFFERENTIAL_CASES` (default 4000) and `MEDFLOW_DIFFERENTIAL_SEED` explore further.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::schema::OfficialSchemas;
use medflow_core::{Context, ReadLimits, Severity, read_bundle, write_bundle};
use proptest::prelude::RngExt as _;
use proptest::test_runner::{RngAlgorithm, TestRng};
use serde_json::{Value, json};

/// A fixed random sequence (proptest's seeded generator), so every run checks the same cases.
struct Sequence(TestRng);

impl Sequence {
    fn new(seed: u64) -> Self {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        Self(TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
    }

    fn below(&mut self, bound: usize) -> usize {
        self.0.random_range(0..bound.max(1))
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One step of a path into a JSON value.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// Every path below `value` (not `value` itself), each with what it names.
fn paths(value: &Value, prefix: &mut Vec<Step>, out: &mut Vec<(Vec<Step>, Shape)>) {
    let children: Vec<(Step, &Value)> = match value {
        Value::Object(map) => map
            .iter()
            .map(|(key, child)| (Step::Key(key.clone()), child))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(index, child)| (Step::Index(index), child))
            .collect(),
        _ => Vec::new(),
    };
    for (step, child) in children {
        prefix.push(step);
        let shape = match child {
            Value::String(_) => Shape::Text,
            Value::Object(_) => Shape::Object,
            _ => Shape::Other,
        };
        out.push((prefix.clone(), shape));
        paths(child, prefix, out);
        prefix.pop();
    }
}

/// What a path names, as far as changing it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Text,
    Object,
    Other,
}

fn at_mut<'a>(value: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(value, |node, step| match step {
        Step::Key(key) => &mut node[key.as_str()],
        Step::Index(index) => &mut node[*index],
    })
}

const UUID: &str = "0d54aaa2-1cd9-4de6-8bb1-bd95ae6eb3cd";

/// Values a property may be given: wrong types, near-miss identifiers, timestamps in forms the
/// reader tolerates but STIX forbids, and malformed nested structures.
fn palette() -> Vec<Value> {
    let id = |type_name: &str| Value::from(format!("{type_name}--{UUID}"));
    vec![
        Value::Null,
        Value::Bool(true),
        json!(0),
        json!(42),
        json!(-1),
        json!(1.5),
        json!(101),
        json!(""),
        json!("x"),
        json!("zz"),
        json!("not an id"),
        json!("Bad Name"),
        json!("2021-01-01T00:00:00Z"),
        json!("2021-01-01T00:00:00.000+01:00"),
        json!("2021-01-01t00:00:00.000z"),
        json!("2021-13-01T00:00:00.000Z"),
        json!("2016-12-31T23:59:60.000Z"),
        json!("1999-01-01T00:00:00.000Z"),
        json!("2999-01-01T00:00:00.000Z"),
        id("attack-asset"),
        id("attack-action"),
        id("identity"),
        id("marking-definition"),
        id("extension-definition"),
        json!("identity--0d54aaa2-1cd9-0de6-8bb1-bd95ae6eb3cd"),
        json!("Identity--0d54aaa2-1cd9-4de6-8bb1-bd95ae6eb3cd"),
        json!([]),
        json!(["x"]),
        json!([1]),
        json!({}),
        json!([{}]),
        json!({"x_y": 1}),
        json!([id("attack-asset")]),
        json!([id("identity"), id("identity")]),
        json!([{"source_name": "cve", "external_id": "CVE-1"}]),
        json!([{"source_name": "capec", "external_id": "CAPEC-x"}]),
        json!([{"description": "no source"}]),
        json!([{"source_name": "x", "hashes": {"MD5": "zz"}}]),
        json!([{"source_name": "x", "hashes": {"SHA-256": "ab"}}]),
        json!([{"source_name": "x", "url": 5}]),
        json!({"MD5": "zz"}),
        json!({"SHA-1": "0123456789abcdef0123456789abcdef01234567"}),
        json!({"bad key!": "00"}),
        json!([{"kill_chain_name": "Bad Name", "phase_name": "x"}]),
        json!([{"kill_chain_name": "mitre-attack"}]),
        json!([{"marking_ref": id("marking-definition"), "selectors": ["bad selector!"]}]),
        json!([{"marking_ref": id("marking-definition"), "selectors": []}]),
        json!([{"selectors": ["id"]}]),
        json!([{"lang": "en", "selectors": ["name"]}]),
        json!("en"),
        json!("en-US"),
        json!("english!!"),
        json!("OR"),
        json!("XOR"),
        json!("AND"),
        json!("NOT"),
        json!("observed"),
        json!("bundle--0d54aaa2-1cd9-4de6-8bb1-bd95ae6eb3cd"),
        json!({"extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {}}),
        json!({"extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {"extension_type": "new-sdo"}}),
        json!({"x-custom-ext": {"extension_type": "property-extension"}}),
        json!({"Bad Key": {}}),
    ]
}

/// Property names to add to an object.
const NAMES: &[&str] = &[
    "severity",
    "Bad-Name",
    "x_custom",
    "ab",
    "id",
    "type",
    "labels",
    "confidence",
    "lang",
    "revoked",
    "external_references",
    "extensions",
    "spec_version",
    "created",
    "modified",
    "created_by_ref",
    "object_marking_refs",
    "granular_markings",
    "kill_chain_phases",
    "hashes",
    "payload_bin",
    "key_hex",
    "url",
    "source_name",
    "external_id",
    "description",
    "defanged",
    "name",
    "effect_refs",
    "on_true_refs",
    "start_time",
    "stop_time",
    "start_ref",
    "extension_types",
];

/// A string bent out of shape.
fn bend(text: &str, sequence: &mut Sequence) -> Value {
    let mut chars: Vec<char> = text.chars().collect();
    let bent = match sequence.below(9) {
        0 => text.to_uppercase(),
        1 => text.to_lowercase(),
        2 => format!("{text} "),
        3 => format!("x{text}"),
        4 => chars.iter().take(chars.len() / 2).collect(),
        5 => {
            if !chars.is_empty() {
                let at = sequence.below(chars.len());
                chars[at] = *sequence.pick(&['z', '-', ' ', '.', '0', 'G', '!']);
            }
            chars.into_iter().collect()
        }
        6 => text.replace('.', ""),
        7 => text.replace('Z', "+00:00"),
        _ => format!("{text}{text}"),
    };
    Value::from(bent)
}

/// What was done, for the report.
fn describe(path: &[Step]) -> String {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => format!(".{key}"),
            Step::Index(index) => format!("[{index}]"),
        })
        .collect()
}

/// Applies one random change to `target` (an object or the bundle itself); says what it did.
fn mutate(target: &mut Value, sequence: &mut Sequence, palette: &[Value]) -> String {
    let mut shapes = Vec::new();
    paths(target, &mut Vec::new(), &mut shapes);
    let of_shape = |wanted: Shape| -> Vec<Vec<Step>> {
        shapes
            .iter()
            .filter(|(_, shape)| *shape == wanted)
            .map(|(path, _)| path.clone())
            .collect()
    };
    let strings = of_shape(Shape::Text);
    let mut objects = of_shape(Shape::Object);
    if target.is_object() {
        objects.push(Vec::new());
    }
    let all: Vec<Vec<Step>> = shapes.into_iter().map(|(path, _)| path).collect();
    match sequence.below(10) {
        0..=2 if !all.is_empty() => {
            let path = sequence.pick(&all).clone();
            let value = sequence.pick(palette).clone();
            let text = format!("{} = {value}", describe(&path));
            *at_mut(target, &path) = value;
            text
        }
        3..=4 if !all.is_empty() => {
            let path = sequence.pick(&all).clone();
            let (last, parent) = path.split_last().unwrap();
            match (at_mut(target, parent), last) {
                (Value::Object(map), Step::Key(key)) => {
                    map.shift_remove(key);
                }
                (Value::Array(items), Step::Index(index)) => {
                    items.remove(*index);
                }
                _ => unreachable!("paths follow the value's shape"),
            }
            format!("removed {}", describe(&path))
        }
        5..=6 if !strings.is_empty() => {
            let path = sequence.pick(&strings).clone();
            let node = at_mut(target, &path);
            let bent = bend(node.as_str().unwrap(), sequence);
            let text = format!("{}: {node} -> {bent}", describe(&path));
            *node = bent;
            text
        }
        _ => {
            let path = sequence.pick(&objects).clone();
            let name = (*sequence.pick(NAMES)).to_owned();
            let value = sequence.pick(palette).clone();
            let text = format!("{}.{name} added as {value}", describe(&path));
            if let Value::Object(map) = at_mut(target, &path) {
                map.insert(name, value);
            }
            text
        }
    }
}

/// A base file: its label and its canonical bundle.
struct Base {
    label: String,
    bundle: Value,
}

/// Whether `medflow validate` would say error about these bytes (and so exit 1).
fn we_reject(bytes: &[u8]) -> bool {
    match common::validate_as_the_command_does(bytes, &Context::default()) {
        Err(_) => true,
        Ok(found) => found
            .iter()
            .any(|diagnostic| diagnostic.severity() == Severity::Error),
    }
}

/// The canonical form of every reference bundle and library flow that passes both the official
/// schemas and our validator (a few reference fixtures are invalid on purpose); they must
/// include the corpus, the official example and the library.
fn bases(reference: &Path, schemas: &mut OfficialSchemas) -> Vec<Base> {
    let library = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../flows");
    let mut files = common::attack_flow_bundles(reference);
    files.extend(common::json_files(&library));
    let mut bases = Vec::new();
    for path in files {
        let Ok(outcome) = read_bundle(&std::fs::read(&path).unwrap(), &ReadLimits::default())
        else {
            continue;
        };
        let written = write_bundle(&outcome.document);
        let bundle: Value = serde_json::from_slice(&written).unwrap();
        let officially_valid = bundle["objects"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|object| schemas.errors(object).is_empty());
        if officially_valid && !we_reject(&written) {
            bases.push(Base {
                label: path.display().to_string(),
                bundle,
            });
        }
    }
    // The bases are the corpus, the official example and the library (a few reference
    // fixtures are invalid on purpose and left out).
    let bases_from = |part: &str| {
        bases
            .iter()
            .filter(|base| base.label.contains(part))
            .count()
    };
    assert!(
        bases_from("corpus") >= 38,
        "{} corpus bases",
        bases_from("corpus")
    );
    assert!(
        bases_from("flows") >= 25,
        "{} library bases",
        bases_from("flows")
    );
    assert!(
        bases
            .iter()
            .any(|base| base.label.ends_with("attack-flow-example.json")),
        "the official example is a base"
    );
    bases
}

/// The official bundle schema, without the check of every object against every type (each
/// object is checked against its own type's schema).
fn bundle_validator(reference: &Path, schemas: &OfficialSchemas) -> jsonschema::Validator {
    let path = reference.join("attack-flow/schema/oasis-open/common/bundle.json");
    let mut schema: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    schema["properties"]["objects"]["items"] = json!({});
    schemas.compile(&schema).unwrap()
}

fn environment_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(default)
}

#[test]
fn whenever_the_official_schemas_reject_a_file_as_written_validate_says_error() {
    let Some(reference) = common::reference_dir() else {
        return;
    };
    let mut schemas = OfficialSchemas::new(&reference);
    let bases = bases(&reference, &mut schemas);
    let bundle_schema = bundle_validator(&reference, &schemas);
    let palette = palette();
    let cases = environment_number("MEDFLOW_DIFFERENTIAL_CASES", 4000);
    let mut sequence = Sequence::new(environment_number("MEDFLOW_DIFFERENTIAL_SEED", 16));
    let (mut rejected, mut also_ours) = (0usize, 0usize);
    // Misses, grouped by the official schema's first message with its numbers taken out.
    let mut misses: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for _ in 0..cases {
        let base = &bases[sequence.below(bases.len())];
        let mut bundle = base.bundle.clone();
        let count = bundle["objects"].as_array().map_or(0, Vec::len);
        let on_bundle = sequence.below(25) == 0 || count == 0;
        let (what, official) = if on_bundle {
            let what = mutate(&mut bundle, &mut sequence, &palette);
            let mut outline = bundle.clone();
            if let Some(Value::Array(objects)) = outline.get_mut("objects") {
                objects.truncate(1);
            }
            let errors: Vec<String> = bundle_schema
                .iter_errors(&outline)
                .map(|error| format!("{error} at {}", error.instance_path()))
                .collect();
            (format!("bundle{what}"), errors)
        } else {
            let position = sequence.below(count);
            let object = &mut bundle["objects"][position];
            let id = object["id"].as_str().unwrap_or_default().to_owned();
            let what = mutate(object, &mut sequence, &palette);
            let errors = if object.is_object() {
                schemas.errors(object)
            } else {
                vec!["an object that is not a JSON object".to_owned()]
            };
            (format!("{id}{what}"), errors)
        };
        if official.is_empty() {
            // One in ten accepted files too compares the command's way of validating with
            // reading and then validating (as every rejected one does, in `we_reject`).
            if sequence.below(10) == 0 {
                we_reject(&serde_json::to_vec_pretty(&bundle).unwrap());
            }
            continue;
        }
        rejected += 1;
        let bytes = serde_json::to_vec_pretty(&bundle).unwrap();
        if we_reject(&bytes) {
            also_ours += 1;
            continue;
        }
        let class: String = official[0]
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .take(160)
            .collect();
        let entry = misses.entry(class).or_insert_with(|| {
            (
                0,
                format!("{}: {what}\n    official: {official:?}", base.label),
            )
        });
        entry.0 += 1;
    }
    let missed_cases: usize = misses.values().map(|(count, _)| count).sum();
    println!(
        "{cases} one-change files from {} bases: {rejected} rejected by the official schemas, \
         {also_ours} of them with an error from medflow validate, {missed_cases} missed",
        bases.len()
    );
    assert!(
        misses.is_empty(),
        "validate exits 0 where the official schemas reject ({missed_cases} cases, {} kinds):\n{}",
        misses.len(),
        misses
            .values()
            .map(|(count, example)| format!("{count} x {example}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        rejected * 5 > usize::try_from(cases).unwrap(),
        "too few rejected cases ({rejected} of {cases}) for a meaningful check"
    );
}
