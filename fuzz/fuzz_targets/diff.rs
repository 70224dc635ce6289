//! The semantic difference on any two inputs (the bytes split at the first NUL, which JSON text
//! never holds): both read as far as the reader allows, then compared both ways. A document
//! never differs from itself, and the two directions mirror each other: what one calls added,
//! the other calls removed, and both see the same objects changed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use medflow_core::diff::diff;
use medflow_core::{Document, ReadLimits, read_bundle};

fn document(bytes: &[u8]) -> Document {
    read_bundle(bytes, &ReadLimits::default())
        .map(|outcome| outcome.document)
        .unwrap_or_default()
}

fuzz_target!(|bytes: &[u8]| {
    let (first, second) = match bytes.iter().position(|&byte| byte == 0) {
        Some(at) => (&bytes[..at], &bytes[at + 1..]),
        None => (bytes, &[][..]),
    };
    let (old, new) = (document(first), document(second));
    assert!(diff(&old, &old).is_empty(), "a document differs from itself");
    assert!(diff(&new, &new).is_empty(), "a document differs from itself");
    let forward = diff(&old, &new);
    let backward = diff(&new, &old);
    assert_eq!(forward.is_empty(), backward.is_empty());
    assert_eq!(forward.added, backward.removed);
    assert_eq!(forward.removed, backward.added);
    assert_eq!(forward.changed.len(), backward.changed.len());
    assert_eq!(forward.bundle_id.is_some(), backward.bundle_id.is_some());
});
