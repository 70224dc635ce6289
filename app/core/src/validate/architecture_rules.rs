//! Rules about architectures: assets bound to components and the component copies a flow
//! carries, architecture and profile files.

use crate::architecture::{Architecture, Profile, asset_bindings, component_key, is_component};
use crate::diagnostic::{Code, Diagnostic};
use crate::kind::DocumentKind;
use crate::model::{Document, ReferenceIndex};

/// `architecture` gives the architecture to check against, if any; it is asked only when a
/// rule needs it.
pub(crate) fn check<'a>(
    document: &Document,
    index: &ReferenceIndex<'_>,
    kind: DocumentKind,
    architecture: &dyn Fn() -> Option<&'a Architecture>,
    out: &mut Vec<Diagnostic>,
) {
    match kind {
        DocumentKind::Flow => {
            check_bindings(document, architecture, out);
            check_copies(document, index, out);
        }
        DocumentKind::Architecture => {
            if let Err(error) = Architecture::from_document(document) {
                out.push(Diagnostic::document(
                    Code::ArchitectureInvalid,
                    error.to_string(),
                ));
            }
        }
        DocumentKind::Profile => check_profile(document, architecture(), out),
        DocumentKind::ControlCatalogue | DocumentKind::UseCase => {}
    }
}

/// Assets bound to components the architecture lacks; unbound assets in a flow that binds.
fn check_bindings<'a>(
    document: &Document,
    architecture: &dyn Fn() -> Option<&'a Architecture>,
    out: &mut Vec<Diagnostic>,
) {
    let bindings = asset_bindings(document);
    let keys: Vec<&str> = document.objects.iter().filter_map(component_key).collect();
    if !keys.is_empty()
        && let Some(architecture) = architecture()
    {
        for key in keys {
            if architecture.component(key).is_none() {
                for (asset, _) in bindings.iter().filter(|(_, bound)| *bound == Some(key)) {
                    out.push(Diagnostic::object(
                        Code::AssetComponentUnknown,
                        *asset,
                        format!(
                            "the asset is bound to component {key:?}, which the {} does not define",
                            architecture.name
                        ),
                    ));
                }
            }
        }
    }
    if bindings.iter().any(|(_, bound)| bound.is_some()) {
        for (asset, bound) in &bindings {
            if bound.is_none() {
                out.push(Diagnostic::object(
                    Code::AssetUnbound,
                    *asset,
                    "the asset is not bound to a component of the architecture, while the \
                     flow's other assets are",
                ));
            }
        }
    }
}

/// Component copies that nothing in the flow refers to.
fn check_copies(document: &Document, index: &ReferenceIndex<'_>, out: &mut Vec<Diagnostic>) {
    for object in document
        .objects
        .iter()
        .filter(|object| is_component(object))
    {
        if index.to_id(object.id()).next().is_none() {
            let key = component_key(object).unwrap_or_default();
            out.push(Diagnostic::object(
                Code::ComponentUnreferenced,
                object.id(),
                format!(
                    "the flow carries a copy of component {key:?}, but no asset is bound to it \
                     and nothing refers to it; bind an asset to it or remove it"
                ),
            ));
        }
    }
}

/// A profile reads, and names only components its architecture (or itself) defines.
fn check_profile(
    document: &Document,
    architecture: Option<&Architecture>,
    out: &mut Vec<Diagnostic>,
) {
    let profile = match Profile::from_document(document) {
        Ok(profile) => profile,
        Err(error) => {
            out.push(Diagnostic::document(
                Code::ProfileInvalid,
                error.to_string(),
            ));
            return;
        }
    };
    let Some(architecture) = architecture.filter(|known| known.key == profile.based_on) else {
        return;
    };
    for component in &profile.components {
        if architecture.component(&component.key).is_none() {
            out.push(Diagnostic::object(
                Code::ProfileComponentUnknown,
                &profile.id,
                format!(
                    "the profile lists component {:?}, which the {} does not define",
                    component.key, architecture.name
                ),
            ));
        }
    }
    for added in &profile.added {
        if architecture.zone(&added.zone).is_none() {
            out.push(Diagnostic::object(
                Code::ProfileInvalid,
                &added.id,
                format!(
                    "the added component {:?} is in zone {:?}, which the {} does not define",
                    added.key, added.zone, architecture.name
                ),
            ));
        }
    }
}
