//! Invalid documents of the project's own making, each checked against the exact set of codes
//! it must produce.
//!
//! Every file in `tests/invalid/` is [`VALID_BASE`](common::invalid_bases::VALID_BASE) with one intended mistake (a few combine two
//! on purpose, named in the file name, so that each file also carries an error). Files 74 to 88,
//! about controls, are [`VALID_BASE`](common::invalid_bases::VALID_BASE) with [`CONTROL_OBJECTS`](common::invalid_bases::CONTROL_OBJECTS) and one mistake; files 89 to 95
//! are a library flow with bound assets, the reference architecture and a new profile, each
//! with one mistake (94 rebinds an asset outside the editor, to an unknown component, leaving
//! the old component's copy unreferenced; 95 adds a component in a zone the architecture does
//! not have); files 99 to 102 are about patient-safety statements (impact, origin, pivots) and
//! a use case. The manifest `tests/invalid/expected.json` maps each file name to the sorted distinct codes it
//! must produce: the reader's diagnostics plus [`validate`]'s, or the code of the [`ReadError`]
//! when reading fails. Together the files cover every error and warning code except `read-io`,
//! which only the command line reports, and `read-too-large`, covered by a test of its own below.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use common::invalid_bases::{VALID_BASE, valid_base_with_controls};
use medflow_core::control::{self, ControlKind, Party};
use medflow_core::extension;
use medflow_core::{Code, Context, ReadError, ReadLimits, Severity, read_bundle, validate};

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
    match common::validate_as_the_command_does(bytes, &Context::built_in()) {
        Ok(found) => found.iter().map(|diagnostic| diagnostic.code).collect(),
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
fn valid_base_with_controls_has_no_diagnostics() {
    let outcome = read_bundle(
        valid_base_with_controls().as_bytes(),
        &ReadLimits::default(),
    )
    .expect("base with controls reads");
    let document = &outcome.document;
    let mut diagnostics = outcome.diagnostics.clone();
    diagnostics.extend(validate(document, &Context::built_in()));
    assert!(
        diagnostics.is_empty(),
        "the valid base with controls must be clean, found:\n{}",
        diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The fixture holds the product's own objects, as the editor adds them.
    for expected in Party::ALL
        .map(Party::identity)
        .into_iter()
        .chain([extension::definition(), extension::identity()])
    {
        let found = document
            .object(expected.id())
            .expect("fixed object present");
        assert_eq!(found.to_json(), expected.to_json(), "{}", expected.id());
    }
    // Every action has a prevent and a detect control; the coverage the rules read says so.
    let coverage = control::coverage(document);
    assert_eq!(coverage.len(), 3);
    for action in &coverage {
        assert!(
            !action.lacks_prevention() && !action.lacks_detection(),
            "{}",
            action.name
        );
    }
    let kinds: Vec<Option<ControlKind>> = control::controls(document)
        .iter()
        .map(|control| control.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            Some(ControlKind::Prevent),
            Some(ControlKind::Detect),
            Some(ControlKind::Respond)
        ]
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
        // An error, or a catalog fact: a warning, since Attack Flow allows any string for an
        // id, which `validate --strict` fails on.
        assert!(
            expected
                .iter()
                .any(|code| code.severity() == Severity::Error
                    || code.as_str().starts_with("attack-")
                    || *code == Code::ControlSourceUnknown),
            "{file} is meant to be invalid but expects no error or catalog warning: {}",
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
        // These compare a flow with the library's control catalogue, which one document
        // cannot show: the catalogue module's tests and the CLI's `validate --library` tests
        // cover them.
        .filter(|code| !matches!(code, Code::ControlDrift | Code::ControlNotInCatalogue))
        // These check a use case against the flows it names, which one document cannot
        // hold: `tests/use_cases.rs` and the CLI's `validate --library` tests cover them.
        .filter(|code| {
            !matches!(
                code,
                Code::UseCaseFlowMissing | Code::UseCaseUnconnected | Code::UseCaseKeyDangling
            )
        })
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
