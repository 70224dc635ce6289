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
/// from `source` (the architecture's own bundle). An asset bound elsewhere before leaves its
/// old component's copy behind only when another asset still uses it. Apply the commands as
/// one transaction, so one undo step restores the old binding and its copy.
#[must_use]
pub fn bind_asset(
    document: &Document,
    asset: &str,
    architecture: &Architecture,
    source: &Document,
    key: &str,
) -> Vec<Command> {
    let Some(StixObject::AttackAsset(found)) = document.object(asset) else {
        return Vec::new();
    };
    let Some(component) = architecture.component(key) else {
        return Vec::new();
    };
    let Some(object) = source.object(&component.id) else {
        return Vec::new();
    };
    let previous = found.object_ref.as_deref();
    let mut commands = Vec::new();
    if document.object(&component.id).is_none() {
        commands.push(Command::AddObject {
            object: without_layout(object),
            position: None,
        });
    }
    if previous != Some(component.id.as_str()) {
        commands.push(Command::SetProperty {
            id: asset.to_owned(),
            name: "object_ref".to_owned(),
            value: Some(component.id.clone().into()),
        });
    }
    if let Some(previous) = previous
        && previous != component.id
    {
        commands.extend(drop_copy_unless_used(document, asset, previous));
    }
    commands
}

/// Unbinds `asset`: removes its `object_ref`, and the component's object when no other
/// asset is bound to it.
#[must_use]
pub fn unbind_asset(document: &Document, asset: &str) -> Vec<Command> {
    let Some(StixObject::AttackAsset(found)) = document.object(asset) else {
        return Vec::new();
    };
    let Some(target) = found.object_ref.as_deref() else {
        return Vec::new();
    };
    let mut commands = vec![Command::SetProperty {
        id: asset.to_owned(),
        name: "object_ref".to_owned(),
        value: None,
    }];
    commands.extend(drop_copy_unless_used(document, asset, target));
    commands
}

/// Removes the component copy `target` that `asset` stops using, unless it is not a component
/// or another asset is still bound to it.
fn drop_copy_unless_used(document: &Document, asset: &str, target: &str) -> Option<Command> {
    let shared = document.objects.iter().any(|other| {
        other.id() != asset
            && matches!(other, StixObject::AttackAsset(other) if other.object_ref.as_deref() == Some(target))
    });
    let is_component = document
        .object(target)
        .is_some_and(|object| component_key(object).is_some());
    (is_component && !shared).then(|| Command::RemoveObjects {
        ids: vec![target.to_owned()],
    })
}

/// A component's object as copied into a flow: its canvas position in the architecture is
/// not the flow's, so the copy has none.
fn without_layout(object: &StixObject) -> StixObject {
    crate::extension::with_entry(object, crate::extension::Entry::Layout, None)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use crate::edit::Editor;
    use crate::edit::templates::{NewObject, new_object};
    use crate::model::Timestamp;

    /// A new flow with two assets, and their ids.
    fn flow_with_two_assets() -> (Editor, String, String) {
        let mut editor = Editor::new_flow("Binding");
        let now = Timestamp::parse("2026-11-22T00:00:00.000Z")
            .unwrap()
            .timestamp;
        let add = |editor: &mut Editor| {
            let id = editor.new_id("attack-asset");
            editor
                .apply(
                    "Add asset",
                    vec![Command::AddObject {
                        object: new_object(NewObject::Asset, &id, &now),
                        position: None,
                    }],
                )
                .unwrap();
            id
        };
        let first = add(&mut editor);
        let second = add(&mut editor);
        (editor, first, second)
    }

    fn bind(editor: &mut Editor, asset: &str, key: &str) {
        let commands = bind_asset(
            editor.document(),
            asset,
            Architecture::reference_static(),
            Architecture::reference_document(),
            key,
        );
        assert!(
            !commands.is_empty(),
            "binding {asset} to {key} does something"
        );
        editor
            .apply(format!("Bind asset to {key}"), commands)
            .unwrap();
    }

    fn unbind(editor: &mut Editor, asset: &str) {
        let commands = unbind_asset(editor.document(), asset);
        assert!(!commands.is_empty(), "unbinding {asset} does something");
        editor.apply("Unbind asset", commands).unwrap();
    }

    fn copy_of(editor: &Editor, key: &str) -> Option<&'static str> {
        let id = Architecture::reference_static().component(key)?.id.as_str();
        editor.document().object(id).map(|_| id)
    }

    fn bound(editor: &Editor, asset: &str) -> Option<String> {
        let document = editor.document();
        bound_component(document, document.object(asset)?).map(str::to_owned)
    }

    #[test]
    fn binding_points_the_asset_at_a_copy_of_the_component_without_its_layout() {
        let (mut editor, asset, second) = flow_with_two_assets();
        bind(&mut editor, &asset, "5g");
        assert_eq!(bound(&editor, &asset).as_deref(), Some("5g"));
        let copy = editor
            .document()
            .object(copy_of(&editor, "5g").unwrap())
            .unwrap();
        assert_eq!(
            crate::extension::position(copy, crate::extension::View::Flow),
            None,
            "the copy has no position"
        );
        assert_eq!(
            asset_bindings(editor.document()),
            vec![(asset.as_str(), Some("5g")), (second.as_str(), None)]
        );
        // Binding another asset to it adds no second copy.
        let reference = Architecture::reference_static();
        let source = Architecture::reference_document();
        let commands = bind_asset(editor.document(), &second, reference, source, "5g");
        assert_eq!(
            commands,
            [Command::SetProperty {
                id: second.clone(),
                name: "object_ref".to_owned(),
                value: Some(reference.component("5g").unwrap().id.clone().into()),
            }]
        );
        // An unknown component, or an object that is not an asset, binds nothing.
        assert_eq!(
            bind_asset(editor.document(), &asset, reference, source, "teleporter"),
            []
        );
        let flow = editor.document().flow().unwrap().common.id.clone();
        assert_eq!(
            bind_asset(editor.document(), &flow, reference, source, "5g"),
            []
        );
    }

    #[test]
    fn unbinding_keeps_a_copy_another_asset_uses_and_removes_it_when_none_does() {
        let (mut editor, first, second) = flow_with_two_assets();
        bind(&mut editor, &first, "robot");
        bind(&mut editor, &second, "robot");
        unbind(&mut editor, &first);
        assert_eq!(bound(&editor, &first), None);
        assert!(
            copy_of(&editor, "robot").is_some(),
            "the second asset still uses it"
        );
        unbind(&mut editor, &second);
        assert!(
            copy_of(&editor, "robot").is_none(),
            "nothing uses it any more"
        );
        // Undo brings the copy and the binding back in one step.
        assert!(editor.undo());
        assert_eq!(bound(&editor, &second).as_deref(), Some("robot"));
        assert!(copy_of(&editor, "robot").is_some());
        // An unbound asset has nothing to unbind.
        assert_eq!(unbind_asset(editor.document(), &first), []);
    }

    #[test]
    fn rebinding_removes_the_old_copy_when_no_other_asset_uses_it_in_the_same_step() {
        let (mut editor, first, second) = flow_with_two_assets();
        bind(&mut editor, &first, "console");
        bind(&mut editor, &first, "robot");
        assert_eq!(bound(&editor, &first).as_deref(), Some("robot"));
        assert!(copy_of(&editor, "console").is_none(), "no orphaned copy");
        assert!(copy_of(&editor, "robot").is_some());
        // One undo step: bound to the console again, its copy back, the robot's gone.
        assert!(editor.undo());
        assert_eq!(bound(&editor, &first).as_deref(), Some("console"));
        assert!(copy_of(&editor, "console").is_some());
        assert!(copy_of(&editor, "robot").is_none());

        // A copy another asset still uses stays.
        bind(&mut editor, &second, "console");
        bind(&mut editor, &first, "5g");
        assert!(
            copy_of(&editor, "console").is_some(),
            "the second asset uses it"
        );
        // Binding to the component it is bound to already changes nothing.
        let commands = bind_asset(
            editor.document(),
            &first,
            Architecture::reference_static(),
            Architecture::reference_document(),
            "5g",
        );
        assert_eq!(commands, []);
        // No copy is left that nothing refers to.
        let problems: Vec<_> = crate::validate(editor.document(), &crate::Context::built_in())
            .into_iter()
            .filter(|diagnostic| diagnostic.code == crate::Code::ComponentUnreferenced)
            .collect();
        assert_eq!(problems, []);
    }
}
