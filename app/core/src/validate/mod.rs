//! Validation: every rule a saved flow must pass, reported as [`Diagnostic`]s.
//!
//! [`validate`] never stops at the first problem. It runs, in this order:
//!
//! 1. per object, the STIX 2.1 common rules and, for the five Attack Flow types, the Attack
//!    Flow 2.0 schema (written as Rust checks from the language definition);
//! 2. the document rules of MITRE's `af validate` (bundle shape, one flow, the extension
//!    definition, reference resolution, connectivity) and duplicate ids;
//! 3. the product's deeper graph rules (cycles, `start_refs` equal to the real roots,
//!    unreachable nodes).
//!
//! Output order is deterministic: objects in document order, then document rules, then graph
//! rules. The codes are listed, with their severities, in `README.md` beside this file.

mod document_rules;
mod graph_rules;
mod object_rules;

use crate::diagnostic::Diagnostic;
use crate::model::Document;

/// Checks a document against every rule and returns all problems found.
#[must_use]
pub fn validate(document: &Document) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for object in &document.objects {
        object_rules::check_object(&object.to_json(), &mut diagnostics);
    }
    let index = document.references();
    document_rules::check_document(document, &index, &mut diagnostics);
    graph_rules::check_graph(document, &index, &mut diagnostics);
    diagnostics
}
