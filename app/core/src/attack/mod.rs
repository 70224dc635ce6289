//! ATT&CK and ATLAS knowledge, offline: the Enterprise, Mobile, ICS and ATLAS catalog, its
//! importers, and search.
//!
//! The catalog holds facts only: ids, names, tactic membership, platforms, the `mitigates`,
//! `detects` and `subtechnique-of` relationships, deprecated and revoked state with the
//! replacement of a revoked object, and the ATT&CK version of each domain. No description text
//! is ever copied from ATT&CK.
//!
//! * [`import_bundle`] turns one official ATT&CK STIX bundle (2.0 or 2.1 form) into a
//!   [`DomainCatalog`]; [`import_tables`] turns the data tables MITRE's Attack Flow Builder
//!   publishes (ATT&CK Enterprise, Mobile and ICS, or MITRE ATLAS) into one per domain.
//! * [`DomainCatalog::to_bytes`] and [`DomainCatalog::from_bytes`] write and read the compact,
//!   deterministic catalog file (one entry per line) that the product ships under
//!   `assets/attack/`.
//! * [`Catalog`] joins the domains, indexes them and answers lookups and [`Catalog::search`].
//!   [`Catalog::embedded`] is the catalog built into the program (ATT&CK v19.1 with v18.1
//!   mitigations, ATLAS v5.6.1).
//! * [`assign_technique`] gives an action the technique the author chose.

mod assign;
mod catalog;
mod domain;
mod embedded;
pub mod ids;
mod import;
mod merge;
mod packed;
mod search;
mod tables;

pub use assign::{TechniqueChoice, assign_technique};
pub use catalog::{
    Catalog, CatalogError, Domain, DomainCatalog, DomainInfo, DomainStats, Entry, FORMAT,
    FORMAT_VERSION, Kind, Text, TextList,
};
pub use embedded::{ATTRIBUTION, BUILT_IN, EMBEDDED_FILES, embedded_domains};
pub use import::{ImportError, ImportOptions, import_bundle};
pub use merge::{Replacements, complete_with_earlier};
pub use search::{Hit, Query};
pub use tables::{import_tables, is_builder_tables};
