//! Edits of controls as editor [`Command`]s: add a control to actions (or reuse the one the
//! document has for the same source), link and unlink it, change its kind, FDA category and
//! RACI. Each function reads the document as it is and returns the commands of one undoable
//! step (an empty list when there is nothing to do).

use super::{
    ControlKind, ControlSpec, FdaCategory, Party, Raci, Roles, control_entry, control_links,
    control_relationship, controls, new_control, with_control_properties,
};
use crate::edit::Command;
use crate::model::{Document, StixObject, Timestamp};

/// The party identities the document lacks, as commands adding them. Every control uses the
/// same five, so they are added together with the first control.
fn missing_parties(document: &Document) -> Vec<Command> {
    Party::ALL
        .into_iter()
        .filter(|party| document.object(party.id()).is_none())
        .map(|party| Command::AddObject {
            object: party.identity(),
            position: None,
        })
        .collect()
}

/// Adds a new control made from `spec`, addressing the actions `targets`. Returns the commands
/// and the new control's id.
pub fn add_control(
    document: &Document,
    spec: &ControlSpec,
    targets: &[String],
    new_id: &mut dyn FnMut(&str) -> String,
    now: &Timestamp,
) -> (Vec<Command>, String) {
    let id = new_id("course-of-action");
    let mut commands = missing_parties(document);
    commands.push(Command::AddObject {
        object: new_control(spec, &id, now),
        position: None,
    });
    for target in targets {
        commands.push(Command::AddObject {
            object: control_relationship(&new_id("relationship"), &id, target, spec.kind, now),
            position: None,
        });
    }
    (commands, id)
}

/// One undoable step on a control: its label and its commands.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlStep {
    /// The undo label: `Add control MFA for vendors`, `Link control MFA for vendors`.
    pub label: String,
    /// The commands (empty when there is nothing to do).
    pub commands: Vec<Command>,
}

/// Adds `spec` as a control of `action`. When the document already has a control citing
/// the same source (an ATT&CK mitigation used on another action), that control is linked
/// instead, so one control keeps one definition.
pub fn add_or_reuse_control(
    document: &Document,
    spec: &ControlSpec,
    action: &str,
    new_id: &mut dyn FnMut(&str) -> String,
    now: &Timestamp,
) -> ControlStep {
    let existing = spec.source.as_ref().and_then(|source| {
        controls(document)
            .into_iter()
            .find(|known| known.source.as_ref() == Some(source))
    });
    if let Some(known) = existing {
        return ControlStep {
            label: format!("Link control {}", known.name),
            commands: link_control(document, &known.id, action, new_id, now),
        };
    }
    let (commands, _) = add_control(document, spec, &[action.to_owned()], new_id, now);
    ControlStep {
        label: format!("Add control {}", spec.name),
        commands,
    }
}

/// Links the existing control `control` to `target` (nothing when already linked).
#[must_use]
pub fn link_control(
    document: &Document,
    control: &str,
    target: &str,
    new_id: &mut dyn FnMut(&str) -> String,
    now: &Timestamp,
) -> Vec<Command> {
    let Some(kind) = document.object(control).and_then(kind_of) else {
        return Vec::new();
    };
    let linked = control_links(document)
        .iter()
        .any(|link| link.control == control && link.target == target);
    if linked {
        return Vec::new();
    }
    vec![Command::AddObject {
        object: control_relationship(&new_id("relationship"), control, target, kind, now),
        position: None,
    }]
}

/// Removes the relationships linking `control` to `target`.
#[must_use]
pub fn unlink_control(document: &Document, control: &str, target: &str) -> Vec<Command> {
    let ids: Vec<String> = control_links(document)
        .into_iter()
        .filter(|link| link.control == control && link.target == target)
        .map(|link| link.id)
        .collect();
    if ids.is_empty() {
        Vec::new()
    } else {
        vec![Command::RemoveObjects { ids }]
    }
}

fn kind_of(object: &StixObject) -> Option<ControlKind> {
    control_entry(object)?
        .get("kind")?
        .as_str()
        .and_then(ControlKind::parse)
}

/// Sets a control's kind, FDA category and RACI. When the kind changes between detection and
/// the others, its links change type too (`detects` ↔ `mitigates`).
#[must_use]
pub fn set_control(
    document: &Document,
    control: &str,
    kind: ControlKind,
    fda_category: Option<FdaCategory>,
    raci: &Raci,
) -> Vec<Command> {
    let Some(object) = document.object(control) else {
        return Vec::new();
    };
    let mut commands = missing_parties(document);
    commands.push(Command::ReplaceObject {
        object: with_control_properties(object, kind, fda_category, raci),
    });
    for link in control_links(document) {
        if link.control != control || link.relationship_type == kind.relationship_type() {
            continue;
        }
        if let Some(relationship) = document.object(&link.id) {
            let mut map = relationship.to_json();
            map.insert(
                "relationship_type".to_owned(),
                kind.relationship_type().into(),
            );
            commands.push(Command::ReplaceObject {
                object: StixObject::from_json(map),
            });
        }
    }
    commands
}

/// Sets `party`'s roles on the document's copy of `control` (`Roles::NONE` takes the party
/// out), keeping that copy's kind, category and the other parties' roles.
#[must_use]
pub fn set_party_roles(
    document: &Document,
    control: &str,
    party: Party,
    roles: Roles,
) -> Vec<Command> {
    let Some(copy) = controls(document)
        .into_iter()
        .find(|known| known.id == control)
    else {
        return Vec::new();
    };
    let mut raci: Raci = copy.raci.clone();
    if roles.is_empty() {
        raci.remove(&party);
    } else {
        raci.insert(party, roles);
    }
    if raci == copy.raci {
        return Vec::new();
    }
    set_control(
        document,
        control,
        copy.kind.unwrap_or(ControlKind::Prevent),
        copy.fda_category,
        &raci,
    )
}
