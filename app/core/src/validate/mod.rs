//! Validation: every rule a saved flow must pass, reported as [`Diagnostic`]s.
//!
//! [`validate`] never stops at the first problem. It runs, in this order:
//!
//! 1. per object, the STIX 2.1 common rules and, for the five Attack Flow types, the Attack
//!    Flow 2.0 schema (written as Rust checks from the language definition);
//! 2. the document rules of MITRE's `af validate` (bundle shape, one flow, the extension
//!    definition, reference resolution, connectivity) and duplicate ids;
//! 3. the product's deeper graph rules (cycles, `start_refs` equal to the real roots,
//!    unreachable nodes);
//! 4. with an ATT&CK catalog in the [`Context`], the ATT&CK rules (ids well formed, known,
//!    not deprecated or revoked, technique in its tactic, `*_ref` matching the id);
//! 5. the control rules (see [`crate::control`]): each control's kind, FDA category and RACI
//!    (exactly one Accountable, at least one Responsible, well-formed entries over the five
//!    parties), its `mitigates`/`detects` links (to actions, of the type its kind calls for,
//!    at least one), with a catalog the ATT&CK mitigation or detection strategy it cites
//!    (known, current), and, only in a document that has at least one control, every action's
//!    prevention and detection;
//! 6. the architecture rules (asset bindings, architecture and profile files);
//! 7. the patient-safety rules (origin, category and impacts of a flow, pivots, use cases).
//!
//! Output order is deterministic: objects in document order, then document rules, then graph
//! rules, then ATT&CK rules, then control rules (each control, control relationship and action
//! in document order). The codes are listed, with their severities, in `README.md` beside
//! this file.

mod architecture_rules;
mod attack_rules;
mod control_rules;
mod document_rules;
mod graph_rules;
mod object_rules;
mod safety_rules;

use crate::architecture::Architecture;
use crate::attack::Catalog;
use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::kind::{DocumentKind, document_kind};
use crate::model::{Document, StixObject};
use crate::stix::{ReadError, ReadLimits, ReadOutcome, read_bundle_inspecting};

/// The knowledge validation checks a document against, beyond the languages themselves.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The ATT&CK catalog; `None` skips the ATT&CK rules and the check of the ATT&CK
    /// mitigations and detection strategies that controls cite.
    pub attack: Option<&'a Catalog>,
    /// The architecture assets are bound to and profiles are based on; `None` skips the
    /// rules that need it (`asset-component-unknown`, `profile-component-unknown`), unless
    /// `reference_architecture` is set.
    pub architecture: Option<&'a Architecture>,
    /// With no `architecture` given, check against the built-in reference architecture, read
    /// only when a rule needs it (a flow that binds an asset, a profile): validating a flow
    /// that binds none does not pay for it.
    pub reference_architecture: bool,
    /// The flows a use case may name (a library's); `None` skips the rules that need them
    /// (`use-case-flow-missing`, `use-case-unconnected`, `use-case-key-dangling`).
    pub flows: Option<&'a [Document]>,
}

impl Context<'static> {
    /// Every rule, with the built-in ATT&CK catalog and the reference architecture.
    #[must_use]
    pub fn built_in() -> Self {
        Self {
            attack: Some(Catalog::embedded()),
            architecture: None,
            reference_architecture: true,
            flows: None,
        }
    }
}

impl<'a> Context<'a> {
    /// Every rule, with this ATT&CK catalog and the reference architecture.
    #[must_use]
    pub fn with_catalog(catalog: &'a Catalog) -> Self {
        Self {
            attack: Some(catalog),
            architecture: None,
            reference_architecture: true,
            flows: None,
        }
    }

    /// The same context, checking use cases against `flows`.
    #[must_use]
    pub fn with_flows(self, flows: &'a [Document]) -> Self {
        Self {
            flows: Some(flows),
            ..self
        }
    }
}

/// Checks a document against every rule the context allows and returns all problems found.
#[must_use]
pub fn validate(document: &Document, context: &Context<'_>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for object in &document.objects {
        match object {
            // Kept as JSON already: checked where it is, not copied.
            StixObject::Other(other) => {
                object_rules::check_object(&other.properties, &mut diagnostics);
            }
            _ => object_rules::check_object(&object.to_json(), &mut diagnostics),
        }
    }
    validate_document(document, context, diagnostics)
}

/// A bundle read with its objects already checked by the per-object rules (step 1 of
/// [`validate`]) while they were still the JSON objects they were read as.
#[derive(Debug)]
pub struct ReadChecked {
    /// What the reader gave.
    pub outcome: ReadOutcome,
    /// The per-object rules' findings, objects in document order.
    object_diagnostics: Vec<Diagnostic>,
}

impl ReadChecked {
    /// The rest of [`validate`]: the same problems `validate(&self.outcome.document,
    /// context)` finds (a test compares them on every file at hand).
    #[must_use]
    pub fn validate(&self, context: &Context<'_>) -> Vec<Diagnostic> {
        validate_document(
            &self.outcome.document,
            context,
            self.object_diagnostics.clone(),
        )
    }
}

/// Reads a bundle ([`read_bundle`](crate::read_bundle)) and runs the per-object rules on each
/// object as it is read: what `medflow validate` does, faster than reading and then
/// [`validate`], which writes each Attack Flow object back to JSON to check it.
///
/// # Errors
/// The [`ReadError`] of [`read_bundle`](crate::read_bundle).
pub fn read_checked(bytes: &[u8], limits: &ReadLimits) -> Result<ReadChecked, ReadError> {
    let mut object_diagnostics = Vec::new();
    let outcome = read_bundle_inspecting(bytes, limits, &mut |object| {
        object_rules::check_object(object, &mut object_diagnostics);
    })?;
    Ok(ReadChecked {
        outcome,
        object_diagnostics,
    })
}

/// Steps 2 to 7 of [`validate`], after the per-object `diagnostics`.
fn validate_document(
    document: &Document,
    context: &Context<'_>,
    mut diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let kind = document_kind(document);
    let is_flow = kind == DocumentKind::Flow;
    let index = document.references();
    document_rules::check_document(document, &index, is_flow, &mut diagnostics);
    if is_flow {
        graph_rules::check_graph(document, &mut diagnostics);
    }
    if let Some(catalog) = context.attack {
        attack_rules::check_attack(document, catalog, &mut diagnostics);
    }
    let before_controls = diagnostics.len();
    control_rules::check_controls(document, context.attack, &mut diagnostics);
    if matches!(kind, DocumentKind::ControlCatalogue | DocumentKind::Profile) {
        // A catalogue defines controls and a profile names those a product implements; the
        // flows link them to actions.
        let mut position = before_controls;
        diagnostics.retain(|diagnostic| {
            let keep = position < before_controls || diagnostic.code != Code::ControlUnlinked;
            position += 1;
            keep
        });
    }
    let architecture = || {
        context.architecture.or_else(|| {
            context
                .reference_architecture
                .then(Architecture::reference_static)
        })
    };
    architecture_rules::check(document, &index, kind, &architecture, &mut diagnostics);
    safety_rules::check(document, kind, context.flows, &mut diagnostics);
    diagnostics
}
