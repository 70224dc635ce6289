//! STIX 2.1 bundles on disk: reading bytes into a [`Document`](crate::model::Document) and
//! writing a document back as canonical bytes.

mod json;
mod read;
pub mod vocabulary;
mod write;

pub use read::{Foreign, ReadError, ReadLimits, ReadOutcome, read_bundle, read_bundle_inspecting};
pub use write::{canonical_order, write_bundle};
