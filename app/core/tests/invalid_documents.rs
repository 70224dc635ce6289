//! Invalid documents of the project's own making, each checked against the exact set of codes
//! it must produce.
//!
//! Every file in `tests/invalid/` is [`VALID_BASE`] with one intended mistake (a few combine two
//! on purpose, named in the file name, so that each file also carries an error). The manifest
//! `tests/invalid/expected.json` maps each file name to the sorted distinct codes it must
//! produce: the reader's diagnostics plus [`validate`]'s, or the code of the [`ReadError`] when
//! reading fails. Together the files cover every error and warning code except `read-io`, which
//! only the command line reports, and `read-too-large`, covered by a test of its own below.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use medflow_core::{Code, Context, ReadError, ReadLimits, Severity, read_bundle, validate};

/// A small valid Attack Flow bundle: the extension definition and its creator, a flow, and
/// three actions in a chain. Each invalid file is this bundle with a deliberate mistake.
const VALID_BASE: &str = r#"{
  "type": "bundle",
  "id": "bundle--74f89f5f-b564-4d05-b5ae-c1a29edc683f",
  "objects": [
    {
      "type": "extension-definition",
      "spec_version": "2.1",
      "id": "extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4",
      "created": "2024-03-05T09:15:00.000Z",
      "modified": "2024-03-05T09:15:00.000Z",
      "created_by_ref": "identity--fae7a68e-345a-4c3f-a11b-b65171ae3f87",
      "name": "Attack Flow",
      "description": "Attack Flow 2.0 objects.",
      "schema": "https://center-for-threat-informed-defense.github.io/attack-flow/stix/attack-flow-schema-2.0.0.json",
      "version": "2.0.0",
      "extension_types": [
        "new-sdo"
      ]
    },
    {
      "type": "identity",
      "spec_version": "2.1",
      "id": "identity--fae7a68e-345a-4c3f-a11b-b65171ae3f87",
      "created": "2024-03-05T09:15:00.000Z",
      "modified": "2024-03-05T09:15:00.000Z",
      "name": "MedFlow Studio test fixtures",
      "identity_class": "organization"
    },
    {
      "type": "attack-flow",
      "spec_version": "2.1",
      "id": "attack-flow--0e5b430f-0474-4841-90d3-c3d9ee46ccdd",
      "created": "2024-03-05T09:15:00.000Z",
      "modified": "2024-03-05T09:15:00.000Z",
      "created_by_ref": "identity--fae7a68e-345a-4c3f-a11b-b65171ae3f87",
      "name": "Invoice phishing to exfiltration",
      "description": "A small flow that the invalid-document tests break one mistake at a time.",
      "scope": "incident",
      "start_refs": [
        "attack-action--2b3aed78-7f7f-4a0a-98b6-e0017485c263"
      ],
      "extensions": {
        "extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {
          "extension_type": "new-sdo"
        }
      }
    },
    {
      "type": "attack-action",
      "spec_version": "2.1",
      "id": "attack-action--2b3aed78-7f7f-4a0a-98b6-e0017485c263",
      "created": "2024-03-05T09:15:00.000Z",
      "modified": "2024-03-05T09:15:00.000Z",
      "name": "Spearphishing Attachment",
      "technique_id": "T1566.001",
      "description": "A fake invoice arrives with a macro document.",
      "effect_refs": [
        "attack-action--b57e2928-23a6-43ee-87df-702da94a96ce"
      ],
      "extensions": {
        "extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {
          "extension_type": "new-sdo"
        }
      }
    },
    {
      "type": "attack-action",
      "spec_version": "2.1",
      "id": "attack-action--b57e2928-23a6-43ee-87df-702da94a96ce",
      "created": "2024-03-05T09:15:00.000Z",
      "modified": "2024-03-05T09:15:00.000Z",
      "name": "User Execution: Malicious File",
      "technique_id": "T1204.002",
      "effect_refs": [
        "attack-action--07d9b9d1-4ead-4ecc-b8e9-30adab96b7b8"
      ],
      "extensions": {
        "extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {
          "extension_type": "new-sdo"
        }
      }
    },
    {
      "type": "attack-action",
      "spec_version": "2.1",
      "id": "attack-action--07d9b9d1-4ead-4ecc-b8e9-30adab96b7b8",
      "created": "2024-03-05T09:15:00.000Z",
      "modified": "2024-03-05T09:15:00.000Z",
      "name": "Exfiltration Over C2 Channel",
      "technique_id": "T1041",
      "extensions": {
        "extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {
          "extension_type": "new-sdo"
        }
      }
    }
  ]
}"#;

/// The manifest of expected codes, inside the folder of invalid documents.
const MANIFEST: &str = "expected.json";

fn invalid_folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("invalid")
}

/// File name → the sorted distinct codes it must produce.
fn manifest() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(invalid_folder().join(MANIFEST)).expect("read manifest");
    serde_json::from_str(&text).expect("the manifest maps file names to lists of codes")
}

/// The distinct codes a document produces: read diagnostics and validation, or the read error.
fn codes_of(bytes: &[u8]) -> BTreeSet<Code> {
    match read_bundle(bytes, &ReadLimits::default()) {
        Ok(outcome) => outcome
            .diagnostics
            .iter()
            .chain(validate(&outcome.document, &Context::built_in()).iter())
            .map(|diagnostic| diagnostic.code)
            .collect(),
        Err(error) => BTreeSet::from([error.code()]),
    }
}

fn parse_codes(file: &str, texts: &[String]) -> BTreeSet<Code> {
    texts
        .iter()
        .map(|text| {
            Code::parse(text).unwrap_or_else(|| panic!("{file}: unknown code {text:?} in manifest"))
        })
        .collect()
}

fn names(codes: &BTreeSet<Code>) -> String {
    let list: Vec<&str> = codes.iter().map(|code| code.as_str()).collect();
    format!("[{}]", list.join(", "))
}

#[test]
fn valid_base_has_no_diagnostics() {
    let outcome = read_bundle(VALID_BASE.as_bytes(), &ReadLimits::default()).expect("base reads");
    let mut diagnostics = outcome.diagnostics;
    diagnostics.extend(validate(&outcome.document, &Context::built_in()));
    assert!(
        diagnostics.is_empty(),
        "the valid base must be clean, found:\n{}",
        diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn manifest_lists_exactly_the_files_in_the_folder() {
    let mut on_disk = BTreeSet::new();
    for entry in std::fs::read_dir(invalid_folder()).expect("list tests/invalid") {
        let name = entry
            .expect("directory entry")
            .file_name()
            .into_string()
            .expect("UTF-8 file name");
        if name != MANIFEST {
            on_disk.insert(name);
        }
    }
    let listed: BTreeSet<String> = manifest().into_keys().collect();
    let unlisted: Vec<&String> = on_disk.difference(&listed).collect();
    let missing: Vec<&String> = listed.difference(&on_disk).collect();
    assert!(
        unlisted.is_empty() && missing.is_empty(),
        "files without an entry in {MANIFEST}: {unlisted:?}; entries without a file: {missing:?}"
    );
    assert!(
        listed.len() >= 36,
        "expected at least 36 invalid documents, found {}",
        listed.len()
    );
    for name in &listed {
        assert!(
            Path::new(name).extension() == Some(OsStr::new("json")),
            "{name}: invalid documents are .json files"
        );
    }
}

#[test]
fn manifest_entries_are_sorted_distinct_known_codes() {
    for (file, texts) in manifest() {
        let mut sorted = texts.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(texts, sorted, "{file}: list the codes sorted and once each");
        assert!(
            !texts.is_empty(),
            "{file}: an invalid file must expect some code"
        );
        parse_codes(&file, &texts);
    }
}

#[test]
fn every_invalid_document_produces_exactly_its_expected_codes() {
    let mut failures = String::new();
    let entries = manifest();
    for (file, texts) in &entries {
        let expected = parse_codes(file, texts);
        let bytes = std::fs::read(invalid_folder().join(file)).expect("read invalid document");
        let actual = codes_of(&bytes);
        if actual != expected {
            let extra: BTreeSet<Code> = actual.difference(&expected).copied().collect();
            let missing: BTreeSet<Code> = expected.difference(&actual).copied().collect();
            writeln!(
                failures,
                "{file}: expected {}, produced {} (unexpected {}, missing {})",
                names(&expected),
                names(&actual),
                names(&extra),
                names(&missing)
            )
            .expect("write to string");
        }
    }
    assert!(
        failures.is_empty(),
        "documents whose codes differ from {MANIFEST}:\n{failures}"
    );
}

#[test]
fn every_invalid_document_expects_an_error() {
    for (file, texts) in manifest() {
        let expected = parse_codes(&file, &texts);
        assert!(
            expected
                .iter()
                .any(|code| code.severity() == Severity::Error),
            "{file} is meant to be invalid but expects no error: {}",
            names(&expected)
        );
    }
}

#[test]
fn every_error_and_warning_code_is_covered() {
    let mut covered: BTreeSet<Code> = manifest()
        .iter()
        .flat_map(|(file, texts)| parse_codes(file, texts))
        .collect();
    // Covered by `oversized_input_is_read_too_large`: a 256 MiB file does not belong in the repository.
    covered.insert(Code::ReadTooLarge);
    let uncovered: BTreeSet<Code> = Code::ALL
        .iter()
        .copied()
        .filter(|code| matches!(code.severity(), Severity::Error | Severity::Warning))
        .filter(|code| *code != Code::ReadIo)
        .filter(|code| !covered.contains(code))
        .collect();
    assert!(
        uncovered.is_empty(),
        "codes no invalid document covers: {}",
        names(&uncovered)
    );
}

#[test]
fn oversized_input_is_read_too_large() {
    let limits = ReadLimits {
        max_bytes: 100,
        ..ReadLimits::default()
    };
    let error = read_bundle(VALID_BASE.as_bytes(), &limits).expect_err("over the limit");
    assert!(matches!(
        error,
        ReadError::TooLarge {
            limit_bytes: 100,
            ..
        }
    ));
    assert_eq!(error.code(), Code::ReadTooLarge);
}
