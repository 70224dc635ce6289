//! Binding attack-assets to architecture components, as editor [`Command`]s.
//!
//! An asset is bound when its `object_ref` points at a component's `infrastructure` object;
//! the flow file carries a copy of that object, so it stays self-contained.

use super::{Architecture, component_key};
use crate::edit::Command;
use crate::model::{Document, StixObject};

/// The key of the component asset `asset` is bound to, if any.
#[must_use]
pub fn bound_component<'a>(document: &'a Document, asset: &StixObject) -> Option<&'a str> {
    let StixObject::AttackAsset(found) = asset else {
        return None;
    };
    let target = document.object(found.object_ref.as_deref()?)?;
    component_key(target)
}

/// Every asset of the document with the key of the component it is bound to (`None` when
/// unbound), in document order. One pass over the document, whatever its size.
#[must_use]
pub fn asset_bindings(document: &Document) -> Vec<(&str, Option<&str>)> {
    let components: std::collections::HashMap<&str, &str> = document
        .objects
        .iter()
        .filter_map(|object| Some((object.id(), component_key(object)?)))
        .collect();
    document
        .objects
        .iter()
        .filter_map(|object| match object {
            StixObject::AttackAsset(asset) => Some((
                object.id(),
                asset
                    .object_ref
                    .as_deref()
                    .and_then(|target| components.get(target).copied()),
            )),
            _ => None,
        })
        .collect()
}

/// Binds `asset` to the architecture's component `key`: sets its `object_ref` and adds the
/// component's object to the document when it lacks it. The component's object is taken
/// from `source` (the architecture's own bundle).
#[must_use]
pub fn bind_asset(
    document: &Document,
    asset: &str,
    architecture: &Architecture,
    source: &Document,
    key: &str,
) -> Vec<Command> {
    let Some(component) = architecture.component(key) else {
        return Vec::new();
    };
    let Some(object) = source.object(&component.id) else {
        return Vec::new();
    };
    let mut commands = Vec::new();
    if document.object(&component.id).is_none() {
        commands.push(Command::AddObject {
            object: without_layout(object),
            position: None,
        });
    }
    commands.push(Command::SetProperty {
        id: asset.to_owned(),
        name: "object_ref".to_owned(),
        value: Some(component.id.clone().into()),
    });
    commands
}

/// Unbinds `asset`: removes its `object_ref`, and the component's object when no other
/// asset is bound to it.
#[must_use]
pub fn unbind_asset(document: &Document, asset: &str) -> Vec<Command> {
    let Some(StixObject::AttackAsset(found)) = document.object(asset) else {
        return Vec::new();
    };
    let Some(target) = found.object_ref.clone() else {
        return Vec::new();
    };
    let mut commands = vec![Command::SetProperty {
        id: asset.to_owned(),
        name: "object_ref".to_owned(),
        value: None,
    }];
    let shared = document.objects.iter().any(|other| {
        other.id() != asset
            && matches!(other, StixObject::AttackAsset(other) if other.object_ref.as_deref() == Some(target.as_str()))
    });
    let is_component = document
        .object(&target)
        .is_some_and(|object| component_key(object).is_some());
    if is_component && !shared {
        commands.push(Command::RemoveObjects { ids: vec![target] });
    }
    commands
}

/// A component's object as copied into a flow: its canvas position in the architecture is
/// not the flow's, so the copy has none.
fn without_layout(object: &StixObject) -> StixObject {
    crate::layout::with_product_property(object, "layout", None)
}
