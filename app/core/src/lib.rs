//! MedFlow Studio core: the Attack Flow 2.0 document model, STIX 2.1 reading and writing,
//! validation, and the offline ATT&CK catalog.
//!
//! This crate knows nothing about screens or command lines. It takes bytes, not paths, and
//! reports problems as [`Diagnostic`]s with stable [`Code`]s.

pub mod architecture;
pub mod attack;
pub mod control;
pub mod diagnostic;
pub mod diff;
pub mod edit;
pub mod extension;
pub mod flow;
pub mod index;
pub mod kind;
pub mod layout;
pub mod library;
pub mod model;
pub mod safety;
pub mod scene;
pub mod simulate;
pub mod stix;
pub mod validate;

pub use diagnostic::{Code, Diagnostic, Severity, Tally};
pub use model::{Document, StixObject};
pub use stix::{Foreign, ReadError, ReadLimits, ReadOutcome, read_bundle, write_bundle};
pub use validate::{Context, ReadChecked, read_checked, validate};
