//! The reader on any bytes, then what the product does with what it read: validation with the
//! built-in ATT&CK catalog and reference architecture, and writing. What is written must read
//! back, and writing that again must give the same bytes (saving never drifts).
#![no_main]

use libfuzzer_sys::fuzz_target;
use medflow_core::attack::Catalog;
use medflow_core::{Context, ReadLimits, read_bundle, validate, write_bundle};

fuzz_target!(|bytes: &[u8]| {
    let limits = ReadLimits::default();
    let Ok(outcome) = read_bundle(bytes, &limits) else {
        return;
    };
    let _ = validate(&outcome.document, &Context::with_catalog(Catalog::embedded()));
    let written = write_bundle(&outcome.document);
    let again = read_bundle(&written, &limits).expect("what the writer wrote reads back");
    assert!(
        write_bundle(&again.document) == written,
        "writing what was written changes it"
    );
});
