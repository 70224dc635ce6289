//! The reader on any bytes, then what the product does with what it read: validation with the
//! built-in ATT&CK catalog and reference architecture, and writing. Validation as `medflow
//! validate` runs it (each object checked as read) must find what reading and then validating
//! finds. What is written must read back, and writing that again must give the same bytes
//! (saving never drifts).
#![no_main]

use libfuzzer_sys::fuzz_target;
use medflow_core::attack::Catalog;
use medflow_core::{Context, ReadLimits, read_bundle, read_checked, validate, write_bundle};

fuzz_target!(|bytes: &[u8]| {
    let limits = ReadLimits::default();
    let Ok(outcome) = read_bundle(bytes, &limits) else {
        return;
    };
    let context = Context::with_catalog(Catalog::embedded());
    let sorted = |found: Vec<medflow_core::Diagnostic>| {
        let mut texts: Vec<String> = found.iter().map(ToString::to_string).collect();
        texts.sort();
        texts
    };
    let checked = read_checked(bytes, &limits).expect("read_checked reads what read_bundle reads");
    assert!(
        sorted(validate(&outcome.document, &context)) == sorted(checked.validate(&context)),
        "validating as read differs from reading, then validating"
    );
    let written = write_bundle(&outcome.document);
    let again = read_bundle(&written, &limits).expect("what the writer wrote reads back");
    assert!(
        write_bundle(&again.document) == written,
        "writing what was written changes it"
    );
});
