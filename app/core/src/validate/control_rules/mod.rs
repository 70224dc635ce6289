//! Rules for controls (see [`crate::control`]): each control's kind, FDA category and RACI
//! assignment, the `mitigates` and `detects` relationships linking it to actions, the ATT&CK
//! mitigation or detection strategy it cites (only with a catalog), and, in a document that
//! has controls at all, every action's prevention and detection.
//!
//! A document without a single control gets nothing from these rules, so flows that do not use
//! controls (MITRE's corpus, for one) are not told that their actions lack them.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value};

use super::attack_rules::{label, release};
use crate::attack::ids::{is_detection_strategy_id, is_mitigation_id};
use crate::attack::{Catalog, Entry, Kind};
use crate::control::{
    ATTACK_SOURCE, ActionCoverage, ControlKind, FdaCategory, Party, Role, control_entry,
    control_links, coverage, is_control, raci_of,
};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Document, OtherObject, StixObject};

/// Runs every control rule; the source rules only when `catalog` is given. Diagnostics come in
/// document order: each control, relationship or action where it stands in the bundle.
pub(crate) fn check_controls(
    document: &Document,
    catalog: Option<&Catalog>,
    out: &mut Vec<Diagnostic>,
) {
    let mut controls: HashMap<&str, &StixObject> = HashMap::new();
    for object in &document.objects {
        if is_control(object) {
            controls.entry(object.id()).or_insert(object);
        }
    }
    if controls.is_empty() {
        return;
    }
    let links = control_links(document);
    let linked: HashSet<&str> = links.iter().map(|link| link.control.as_str()).collect();
    let mut objects: HashMap<&str, &StixObject> = HashMap::new();
    for object in &document.objects {
        objects.entry(object.id()).or_insert(object);
    }
    let mut actions: HashMap<String, ActionCoverage> = HashMap::new();
    for action in coverage(document) {
        actions.entry(action.id.clone()).or_insert(action);
    }
    for object in &document.objects {
        if let Some(entry) = control_entry(object).filter(|_| is_control(object)) {
            check_control(object, entry, linked.contains(object.id()), catalog, out);
        } else if let StixObject::Other(relationship) = object
            && let Some((relationship_type, control, target)) = control_link(relationship)
            && let Some(control) = controls.get(control)
        {
            check_link(
                relationship,
                relationship_type,
                control,
                target,
                &objects,
                out,
            );
        } else if let StixObject::AttackAction(_) = object
            && let Some(action) = actions.get(object.id())
        {
            check_action(action, out);
        }
    }
}

/// `(relationship type, source, target)` of a relationship. Every relationship whose source
/// is a control is checked: a control addresses actions, by `mitigates` or `detects` as its
/// kind says, so a `related-to` from a control is told which type it should have.
fn control_link(relationship: &OtherObject) -> Option<(&str, &str, &str)> {
    if relationship.type_name() != "relationship" {
        return None;
    }
    let relationship_type = relationship.string("relationship_type")?;
    Some((
        relationship_type,
        relationship.string("source_ref")?,
        relationship.string("target_ref")?,
    ))
}

/// The object's `name`, if it has one.
fn name_of(object: &StixObject) -> Option<&str> {
    match object {
        StixObject::AttackFlow(flow) => flow.name.as_deref(),
        StixObject::AttackAction(action) => action.name.as_deref(),
        StixObject::AttackAsset(asset) => asset.name.as_deref(),
        StixObject::Other(other) => other.string("name"),
        StixObject::AttackCondition(_) | StixObject::AttackOperator(_) => None,
    }
    .filter(|name| !name.is_empty())
}

/// `control "Multi-factor authentication"`, `attack-flow "Invoice phishing"`, or the type and
/// id when the object has no name.
fn describe(object: &StixObject) -> String {
    match name_of(object) {
        Some(name) => format!("{} {name:?}", object.type_name()),
        None => format!("{} {}", object.type_name(), object.id()),
    }
}

/// `control "Multi-factor authentication"`, or `the control` when it has no name.
fn describe_control(control: &StixObject) -> String {
    name_of(control).map_or_else(
        || "the control".to_owned(),
        |name| format!("control {name:?}"),
    )
}

/// The stored text of the controls' kinds, for messages.
fn kinds_text() -> String {
    let kinds: Vec<&str> = ControlKind::ALL
        .into_iter()
        .map(ControlKind::as_str)
        .collect();
    or_list(&kinds)
}

/// `a, b or c`.
fn or_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn check_control(
    control: &StixObject,
    entry: &Map<String, Value>,
    linked: bool,
    catalog: Option<&Catalog>,
    out: &mut Vec<Diagnostic>,
) {
    let id = control.id();
    match entry.get("kind") {
        None => out.push(Diagnostic::object(
            Code::ControlKindInvalid,
            id,
            format!("the control has no kind; it must be {}", kinds_text()),
        )),
        Some(kind) if kind.as_str().and_then(ControlKind::parse).is_none() => {
            out.push(Diagnostic::object(
                Code::ControlKindInvalid,
                id,
                format!("the control's kind {kind} is not {}", kinds_text()),
            ));
        }
        Some(_) => {}
    }
    if let Some(category) = entry.get("fda_category")
        && category.as_str().and_then(FdaCategory::parse).is_none()
    {
        let known: Vec<&str> = FdaCategory::ALL
            .into_iter()
            .map(FdaCategory::as_str)
            .collect();
        out.push(Diagnostic::object(
            Code::ControlFdaCategoryInvalid,
            id,
            format!(
                "fda_category {category} is not an FDA control category; use {}",
                or_list(&known)
            ),
        ));
    }
    check_raci(id, entry, out);
    if let Some(catalog) = catalog {
        check_sources(control, catalog, out);
    }
    if !linked {
        out.push(Diagnostic::object(
            Code::ControlUnlinked,
            id,
            format!(
                "no mitigates or detects relationship links {} to an action",
                describe_control(control)
            ),
        ));
    }
}

fn check_raci(id: &str, entry: &Map<String, Value>, out: &mut Vec<Diagnostic>) {
    if let Some(raci) = entry.get("raci") {
        let Some(assignments) = raci.as_array() else {
            out.push(Diagnostic::object(
                Code::ControlRaciInvalid,
                id,
                format!("raci must be a list of {{party_ref, roles}} entries, not {raci}"),
            ));
            return;
        };
        let mut seen = BTreeSet::new();
        for (number, assignment) in assignments.iter().enumerate() {
            for problem in assignment_problems(number + 1, assignment, &mut seen) {
                out.push(Diagnostic::object(Code::ControlRaciInvalid, id, problem));
            }
        }
    }
    let raci = raci_of(entry);
    let holding = |role: Role| -> Vec<String> {
        raci.iter()
            .filter(|(_, roles)| roles.contains(role))
            .map(|(party, _)| party.short_name().to_owned())
            .collect()
    };
    let accountable = holding(Role::Accountable);
    match accountable.len() {
        0 => out.push(Diagnostic::object(
            Code::ControlRaciNoAccountable,
            id,
            "no party is Accountable (A) for this control; exactly one must be",
        )),
        1 => {}
        count => out.push(Diagnostic::object(
            Code::ControlRaciManyAccountable,
            id,
            format!(
                "{} are {} Accountable (A) for this control; exactly one party must be",
                and_list(&accountable),
                if count == 2 { "both" } else { "all" }
            ),
        )),
    }
    if holding(Role::Responsible).is_empty() {
        out.push(Diagnostic::object(
            Code::ControlRaciNoResponsible,
            id,
            "no party is Responsible (R) for this control; at least one must be",
        ));
    }
}

/// What is wrong with the `number`th (from 1) entry of a `raci` list; `seen` collects the
/// parties of the entries before it.
fn assignment_problems(
    number: usize,
    assignment: &Value,
    seen: &mut BTreeSet<Party>,
) -> Vec<String> {
    let Some(assignment) = assignment.as_object() else {
        return vec![format!(
            "raci entry {number} is {assignment}, not an object with party_ref and roles"
        )];
    };
    let mut problems = Vec::new();
    let party = match assignment.get("party_ref") {
        None => {
            problems.push(format!("raci entry {number} has no party_ref"));
            None
        }
        Some(reference) => {
            let party = reference.as_str().and_then(Party::from_id);
            if let Some(known) = party {
                if !seen.insert(known) {
                    problems.push(format!(
                        "raci lists {known} twice (entry {number}); give each party one entry"
                    ));
                }
            } else {
                let parties: Vec<&str> = Party::ALL.into_iter().map(Party::short_name).collect();
                problems.push(format!(
                    "raci entry {number}: party_ref {reference} is not one of the five parties' \
                     identities ({})",
                    parties.join(", ")
                ));
            }
            party
        }
    };
    let entry = party.map_or_else(
        || format!("raci entry {number}"),
        |party| format!("the raci entry for {party}"),
    );
    match assignment.get("roles") {
        None => problems.push(format!("{entry} has no roles")),
        Some(Value::Array(roles)) if roles.is_empty() => {
            problems.push(format!("{entry} has an empty roles list"));
        }
        Some(Value::Array(roles)) => {
            let mut letters = BTreeSet::new();
            for role in roles {
                let letter = role
                    .as_str()
                    .filter(|text| matches!(*text, "A" | "R" | "C" | "I"));
                match letter {
                    None => problems.push(format!(
                        "{entry} has role {role}; roles are the letters A, R, C and I"
                    )),
                    Some(letter) if !letters.insert(letter) => {
                        problems.push(format!("{entry} lists role {letter} twice"));
                    }
                    Some(_) => {}
                }
            }
        }
        Some(roles) => problems.push(format!(
            "{entry}: roles must be a list of the letters A, R, C and I, not {roles}"
        )),
    }
    problems
}

/// Checks every ATT&CK id the control cites in its `external_references`.
fn check_sources(control: &StixObject, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    let StixObject::Other(other) = control else {
        return;
    };
    let cited = other
        .properties
        .get("external_references")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|reference| {
            reference.get("source_name").and_then(Value::as_str) == Some(ATTACK_SOURCE)
        })
        .filter_map(|reference| reference.get("external_id")?.as_str());
    for external_id in cited {
        check_source(control.id(), external_id, catalog, out);
    }
}

fn check_source(id: &str, external_id: &str, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    let kind = if is_mitigation_id(external_id) {
        Kind::Mitigation
    } else if is_detection_strategy_id(external_id) {
        Kind::DetectionStrategy
    } else {
        let message = match catalog.lookup(external_id).next() {
            Some(entry) => format!(
                "the control cites {}, an ATT&CK {}, as its source; a control comes from an \
                 ATT&CK mitigation (M and four digits) or detection strategy (DET and four digits)",
                label(entry),
                entry.kind.title().to_lowercase()
            ),
            None => format!(
                "the control cites ATT&CK {external_id:?} as its source, which is neither a \
                 mitigation id (M and four digits) nor a detection strategy id (DET and four digits)"
            ),
        };
        out.push(Diagnostic::object(Code::ControlSourceUnknown, id, message));
        return;
    };
    let entries: Vec<&Entry> = catalog
        .lookup(external_id)
        .filter(|entry| entry.kind == kind)
        .collect();
    let Some(first) = entries.first() else {
        out.push(Diagnostic::object(
            Code::ControlSourceUnknown,
            id,
            format!(
                "the control cites {} {external_id}, which is not in the ATT&CK catalog",
                kind.title().to_lowercase()
            ),
        ));
        return;
    };
    // A mitigation can exist in more than one domain; one current entry is enough.
    if entries.iter().any(|entry| entry.is_active()) {
        return;
    }
    let message = if first.revoked {
        let replacement = catalog.replacement(first).map_or_else(
            || "ATT&CK names no replacement".to_owned(),
            |replacement| format!("cite {} instead", label(replacement)),
        );
        format!(
            "the control cites {}, which is revoked in {}; {replacement}",
            label(first),
            release(catalog, first)
        )
    } else {
        format!(
            "the control cites {}, which is deprecated in {}",
            label(first),
            release(catalog, first)
        )
    };
    out.push(Diagnostic::object(
        Code::ControlSourceDeprecated,
        id,
        message,
    ));
}

fn check_link(
    relationship: &OtherObject,
    relationship_type: &str,
    control: &StixObject,
    target: &str,
    objects: &HashMap<&str, &StixObject>,
    out: &mut Vec<Diagnostic>,
) {
    let id = relationship.id();
    // A target outside the bundle is `doc-relationship-endpoint`'s business.
    if let Some(target) = objects.get(target)
        && target.type_name() != "attack-action"
    {
        out.push(Diagnostic::object(
            Code::ControlLinkTarget,
            id,
            format!(
                "this {relationship_type} relationship links {} to the {}; a control addresses \
                 attack-action objects only",
                describe_control(control),
                describe(target)
            ),
        ));
    }
    let kind = control_entry(control)
        .and_then(|entry| entry.get("kind")?.as_str())
        .and_then(ControlKind::parse);
    if let Some(kind) = kind
        && kind.relationship_type() != relationship_type
    {
        out.push(Diagnostic::object(
            Code::ControlLinkKind,
            id,
            format!(
                "{} is a {kind} control, so it is linked by {}, not {relationship_type}",
                describe_control(control),
                kind.relationship_type()
            ),
        ));
    }
}

fn check_action(action: &ActionCoverage, out: &mut Vec<Diagnostic>) {
    let what = if action.name.is_empty() {
        "this action".to_owned()
    } else {
        format!("the action {:?}", action.name)
    };
    if action.prevention.is_empty() {
        out.push(Diagnostic::object(
            Code::ActionNoPrevention,
            action.id.as_str(),
            format!("no prevent control addresses {what}"),
        ));
    }
    if action.detection.is_empty() {
        out.push(Diagnostic::object(
            Code::ActionNoDetection,
            action.id.as_str(),
            format!("no detect control addresses {what}"),
        ));
    }
}

#[cfg(test)]
mod tests;
