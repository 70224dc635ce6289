//! Helpers shared by the integration tests: finding the reference data beside the project.
#![allow(dead_code, reason = "each test binary uses a different part")]

pub mod attack;
pub mod invalid_bases;
pub mod ras_reference;
pub mod schema;

use std::path::{Path, PathBuf};

/// The reference data folder: `$MEDFLOW_REFERENCE`, or `../shared/reference` beside the
/// repository. `None` (after printing "skipped: reference data not found") when it is absent,
/// unless `MEDFLOW_REQUIRE_REFERENCE=1`, which turns absence into a test failure.
pub fn reference_dir() -> Option<PathBuf> {
    let candidate = std::env::var_os("MEDFLOW_REFERENCE").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference"),
        PathBuf::from,
    );
    if candidate.is_dir() {
        return Some(candidate);
    }
    assert!(
        std::env::var("MEDFLOW_REQUIRE_REFERENCE").as_deref() != Ok("1"),
        "reference data not found at {} and MEDFLOW_REQUIRE_REFERENCE=1",
        candidate.display()
    );
    println!(
        "skipped: reference data not found ({})",
        candidate.display()
    );
    None
}

/// Every `.json` file under `dir`, recursively, sorted by path.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|extension| extension == "json")
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The STIX bundles among the Attack Flow reference files: every `.json` under
/// `attack-flow/` that is a bundle (the corpus exports, the official example, the extension
/// bundle and the test fixtures), skipping the JSON Schema documents.
pub fn attack_flow_bundles(reference: &Path) -> Vec<PathBuf> {
    json_files(&reference.join("attack-flow"))
        .into_iter()
        .filter(|path| {
            std::fs::read(path)
                .ok()
                .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
                .is_some_and(|value| {
                    value.get("type").and_then(|kind| kind.as_str()) == Some("bundle")
                })
        })
        .collect()
}

/// An editor on a new flow named `name`, with a fixed clock and counting ids (the flow's
/// objects `…-000000000001` on, new objects `…-000000000101` on), so tests see the same ids
/// every run.
pub fn counting_editor(name: &str) -> medflow_core::edit::Editor {
    let now = medflow_core::model::Timestamp::from_unix_millis(1_780_000_000_000);
    let mut counter = 0u32;
    let document = medflow_core::edit::new_flow_document(
        name,
        &mut |type_name: &str| {
            counter += 1;
            format!("{type_name}--00000000-0000-4000-8000-{counter:012}")
        },
        &now,
    );
    let mut ids = 100u32;
    medflow_core::edit::Editor::with_sources(
        document,
        Box::new(move || now.clone()),
        Box::new(move || {
            ids += 1;
            format!("00000000-0000-4000-8000-{ids:012}")
        }),
    )
}

/// The id of the document's first action.
pub fn first_action(document: &medflow_core::Document) -> String {
    document
        .objects
        .iter()
        .find(|object| object.type_name() == "attack-action")
        .expect("the document has an action")
        .id()
        .to_owned()
}

/// Everything `medflow validate` finds in `bytes` (its reader's notes, then validation, both
/// from `read_checked`, as the command runs them), after asserting that reading with
/// `read_bundle` and then running `validate` finds the very same problems: the per-object
/// rules give the same result on an object as read and on its typed form written back.
///
/// # Errors
/// The reader's refusal, the same from both.
pub fn validate_as_the_command_does(
    bytes: &[u8],
    context: &medflow_core::Context<'_>,
) -> Result<Vec<medflow_core::Diagnostic>, medflow_core::ReadError> {
    let limits = medflow_core::ReadLimits::default();
    let separately = medflow_core::read_bundle(bytes, &limits).map(|outcome| {
        let mut found = outcome.diagnostics.clone();
        found.extend(medflow_core::validate(&outcome.document, context));
        found
    });
    let checked = medflow_core::read_checked(bytes, &limits).map(|read| {
        let mut found = read.outcome.diagnostics.clone();
        found.extend(read.validate(context));
        found
    });
    let sorted = |found: &[medflow_core::Diagnostic]| {
        let mut texts: Vec<String> = found.iter().map(ToString::to_string).collect();
        texts.sort();
        texts
    };
    match (&separately, &checked) {
        (Ok(separately), Ok(checked)) => {
            assert_eq!(
                sorted(separately),
                sorted(checked),
                "read_checked differs from read_bundle + validate"
            );
            // In order, too, object by object.
            let objects = |found: &[medflow_core::Diagnostic]| -> Vec<Option<String>> {
                let mut ids: Vec<Option<String>> =
                    found.iter().map(|found| found.object_id.clone()).collect();
                ids.dedup();
                ids
            };
            assert_eq!(objects(separately), objects(checked));
        }
        (Err(separately), Err(checked)) => assert_eq!(separately, checked),
        _ => panic!("read_bundle and read_checked disagree on reading: {separately:?} {checked:?}"),
    }
    checked
}
