//! What a STIX bundle is to the product: a flow, an architecture, an architecture profile, a
//! control catalogue or a use case. Validation applies the flow rules (one flow, the Attack Flow
//! extension, connectivity, the flow graph) to flows only.

use crate::architecture::{element_of, is_profile};
use crate::control::{is_control, is_party};
use crate::model::{Document, StixObject};
use crate::safety::is_use_case;

/// The kinds of document the product reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// An Attack Flow (anything that is none of the others, so that a bundle lacking its
    /// flow is told so).
    Flow,
    /// An architecture: a grouping with the `architecture` element.
    Architecture,
    /// An architecture profile: a grouping with the `profile` entry.
    Profile,
    /// A control catalogue: controls (and what they need), no flow.
    ControlCatalogue,
    /// A use case: a grouping with the `use_case` entry naming flows in order.
    UseCase,
}

impl DocumentKind {
    /// The kind in a few words, for messages.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Flow => "flow",
            Self::Architecture => "architecture",
            Self::Profile => "architecture profile",
            Self::ControlCatalogue => "control catalogue",
            Self::UseCase => "use case",
        }
    }
}

/// What `document` is.
#[must_use]
pub fn document_kind(document: &Document) -> DocumentKind {
    if document
        .objects
        .iter()
        .any(|object| matches!(object, StixObject::AttackFlow(_)))
    {
        return DocumentKind::Flow;
    }
    if document.objects.iter().any(|object| {
        object.type_name() == "grouping" && element_of(object) == Some("architecture")
    }) {
        return DocumentKind::Architecture;
    }
    if is_profile(document) {
        return DocumentKind::Profile;
    }
    if is_use_case(document) {
        return DocumentKind::UseCase;
    }
    let supporting = |object: &StixObject| {
        is_control(object)
            || is_party(object)
            || matches!(
                object.type_name(),
                "extension-definition" | "identity" | "marking-definition"
            )
    };
    if document.objects.iter().any(is_control) && document.objects.iter().all(supporting) {
        return DocumentKind::ControlCatalogue;
    }
    DocumentKind::Flow
}
