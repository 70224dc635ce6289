//! Property tests: the reader, validator and writer never panic on arbitrary or mutated bytes;
//! reading gives a result or an error, and whatever reads also validates, writes, and reads
//! back from its own output. The seed is fixed so CI is repeatable; set `MEDFLOW_FUZZ_SEED`
//! (0–255) and `MEDFLOW_FUZZ_CASES` to explore further.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use medflow_core::{Context, ReadLimits, read_bundle, validate, write_bundle};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn runner(default_cases: u32) -> TestRunner {
    let seed = std::env::var("MEDFLOW_FUZZ_SEED")
        .ok()
        .and_then(|text| text.parse::<u8>().ok())
        .unwrap_or(7);
    let cases = std::env::var("MEDFLOW_FUZZ_CASES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(default_cases);
    TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    )
}

/// Reads, and if that works validates, writes and reads the output back.
fn exercise(bytes: &[u8]) -> Result<(), TestCaseError> {
    let limits = ReadLimits {
        max_bytes: 1 << 20,
        max_depth: 48,
    };
    if let Ok(outcome) = read_bundle(bytes, &limits) {
        let _ = validate(&outcome.document, &Context::built_in());
        let written = write_bundle(&outcome.document);
        let again = read_bundle(&written, &ReadLimits::default());
        prop_assert!(
            again.is_ok(),
            "the writer's output does not read back: {:?}",
            again.err()
        );
    }
    Ok(())
}

/// Small JSON-ish fragments, so random input reaches past the first byte of the parser.
fn json_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(",".to_owned()),
        Just(":".to_owned()),
        Just("\"type\"".to_owned()),
        Just("\"bundle\"".to_owned()),
        Just("\"objects\"".to_owned()),
        Just("\"id\"".to_owned()),
        Just("\"attack-action--0d54aaa2-1cd9-4de6-8bb1-bd95ae6eb3cd\"".to_owned()),
        Just("\"effect_refs\"".to_owned()),
        Just("\"created\"".to_owned()),
        Just("\"2021-01-01T00:00:00Z\"".to_owned()),
        Just("\"attack-flow\"".to_owned()),
        Just("\"start_refs\"".to_owned()),
        Just("null".to_owned()),
        Just("1e999".to_owned()),
        Just("-0".to_owned()),
        Just("\"\\ud800\"".to_owned()),
        any::<String>(),
    ]
}

#[test]
fn arbitrary_bytes_never_panic() {
    runner(2000)
        .run(&proptest::collection::vec(any::<u8>(), 0..512), |bytes| {
            exercise(&bytes)
        })
        .unwrap();
}

#[test]
fn json_shaped_noise_never_panics() {
    runner(3000)
        .run(
            &proptest::collection::vec(json_fragment(), 0..64),
            |parts| exercise(parts.concat().as_bytes()),
        )
        .unwrap();
}

#[test]
fn mutated_reference_bundles_never_panic() {
    let Some(reference) = common::reference_dir() else {
        return;
    };
    let mut inputs: Vec<Vec<u8>> = common::attack_flow_bundles(&reference)
        .iter()
        .map(|path| std::fs::read(path).unwrap())
        .filter(|bytes| bytes.len() < 40_000)
        .collect();
    inputs.truncate(12);
    assert!(!inputs.is_empty());
    let strategy = (
        0..inputs.len(),
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..8),
    );
    runner(600)
        .run(&strategy, |(choice, edits)| {
            let mut bytes = inputs[choice].clone();
            for (position, byte, kind) in edits {
                if bytes.is_empty() {
                    break;
                }
                let at = position.index(bytes.len());
                match kind {
                    0 => bytes[at] = byte,
                    1 => {
                        bytes.remove(at);
                    }
                    2 => bytes.insert(at, byte),
                    _ => bytes.truncate(at),
                }
            }
            exercise(&bytes)
        })
        .unwrap();
}

#[test]
fn attack_import_and_search_never_panic() {
    use medflow_core::attack::{
        Catalog, DomainCatalog, ImportOptions, Query, import_bundle, import_tables,
    };
    let options = ImportOptions {
        attack_version: Some("1".to_owned()),
        ..ImportOptions::default()
    };
    let catalog = Catalog::embedded();
    runner(300)
        .run(
            &(json_fragment(), any::<String>(), "[ -~]{0,12}"),
            |(fragment, noise, query)| {
                for bytes in [fragment.as_bytes(), noise.as_bytes()] {
                    let _ = import_bundle(bytes, &options);
                    let _ = DomainCatalog::from_bytes(bytes);
                }
                let bundle = format!(r#"{{"type": "bundle", "objects": [{fragment}]}}"#);
                let _ = import_bundle(bundle.as_bytes(), &options);
                // The Builder's data tables: arbitrary text, and the assignment around a
                // fragment.
                let tables = format!("export const enums = {{\"tactics\": [{fragment}]}};");
                for bytes in [noise.as_bytes(), tables.as_bytes()] {
                    let _ = import_tables(bytes, &options);
                }
                for text in [noise.as_str(), query.as_str()] {
                    let hits = catalog.search(&Query {
                        text,
                        limit: 5,
                        ..Query::default()
                    });
                    prop_assert!(hits.len() <= 5);
                }
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn pathological_inputs_get_clear_errors() {
    let limits = ReadLimits::default();
    let deep = "[".repeat(100_000);
    assert!(read_bundle(deep.as_bytes(), &limits).is_err());
    let wide = format!(
        "{{\"type\":\"bundle\",\"id\":\"x\",\"objects\":[{}{{}}]}}",
        "{},".repeat(50_000)
    );
    let outcome = read_bundle(wide.as_bytes(), &limits).unwrap();
    assert_eq!(outcome.document.objects.len(), 50_001);
    let _ = validate(&outcome.document, &Context::default());
    assert!(read_bundle(&[0xff, 0xfe, 0x00], &limits).is_err());
    assert!(read_bundle(b"", &limits).is_err());
}

/// Any text in `technique_id` and `tactic_id` (any Unicode, the Builder's label shape, ids of
/// other knowledge bases) is validated against the built-in ATT&CK and ATLAS catalog without
/// a panic.
#[test]
fn attack_ids_of_any_text_never_panic_validation() {
    let base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../flows/vendor-remote-access-ransomware.json"),
    )
    .unwrap();
    let context = Context::built_in();
    runner(300)
        .run(
            &(
                prop_oneof![
                    any::<String>(),
                    "\\[(ENT|MOB|ICS|ATL|[A-Z]{0,3})\\] ?[A-Za-zÄÖé0-9.]{0,12}( .{0,8})?",
                    "[A-Za-zÄÖé]{1,4}[0-9.\\-]{0,8}",
                ],
                any::<String>(),
            ),
            |(technique, tactic)| {
                let text = base
                    .replacen(
                        "\"technique_id\": \"T1589.001\"",
                        &format!("\"technique_id\": {}", serde_json::Value::from(technique)),
                        1,
                    )
                    .replacen(
                        "\"tactic_id\": \"TA0043\"",
                        &format!("\"tactic_id\": {}", serde_json::Value::from(tactic)),
                        1,
                    );
                if let Ok(outcome) = read_bundle(text.as_bytes(), &ReadLimits::default()) {
                    let _ = validate(&outcome.document, &context);
                }
                Ok(())
            },
        )
        .unwrap();
}
