//! Rules over the whole bundle, as MITRE's `af validate` checks them: the bundle's shape,
//! exactly one flow, the extension definition, duplicate ids, references that resolve, and
//! every object connected to the flow.

use std::collections::VecDeque;

use crate::control;
use crate::diagnostic::{Code, Diagnostic};
use crate::flow::FlowLink;
use crate::model::attack_flow::ATTACK_FLOW_TYPES;
use crate::model::id::{identifier_type, is_identifier};
use crate::model::{ATTACK_FLOW_EXTENSION_ID, Document, ReferenceIndex, StixObject};

/// References that conventionally point outside the bundle, into ATT&CK.
const EXTERNAL_KNOWLEDGE_PROPERTIES: &[&str] = &["technique_ref", "tactic_ref"];

/// The TLP marking definitions predefined by STIX 2.1, which bundles need not contain.
const PREDEFINED_MARKINGS: &[&str] = &[
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
];

pub(crate) fn check_document(
    document: &Document,
    index: &ReferenceIndex<'_>,
    is_flow: bool,
    out: &mut Vec<Diagnostic>,
) {
    check_bundle_and_flow(document, is_flow, out);
    check_duplicates(document, index, out);
    check_references(document, index, out);
    if is_flow {
        check_connectivity(document, index, out);
    }
}

/// The bundle id; for a flow, also exactly one attack-flow and the Attack Flow extension.
fn check_bundle_and_flow(document: &Document, is_flow: bool, out: &mut Vec<Diagnostic>) {
    let bundle_id_ok = is_identifier(&document.bundle_id)
        && identifier_type(&document.bundle_id) == Some("bundle");
    if !bundle_id_ok {
        out.push(Diagnostic::document(
            Code::DocBundleId,
            format!(
                "the bundle id {:?} is not \"bundle--\" followed by a UUID",
                document.bundle_id
            ),
        ));
    }
    if !is_flow {
        return;
    }
    let flows: Vec<&StixObject> = document
        .objects
        .iter()
        .filter(|object| matches!(object, StixObject::AttackFlow(_)))
        .collect();
    match flows.as_slice() {
        [_] => {}
        [] => out.push(Diagnostic::document(
            Code::DocFlowCount,
            "the bundle has no attack-flow object; it needs exactly one",
        )),
        [_, rest @ ..] => {
            for extra in rest {
                out.push(Diagnostic::object(
                    Code::DocFlowCount,
                    extra.id(),
                    format!(
                        "the bundle has {} attack-flow objects; it needs exactly one",
                        flows.len()
                    ),
                ));
            }
        }
    }
    let has_extension = document.objects.iter().any(|object| {
        object.type_name() == "extension-definition" && object.id() == ATTACK_FLOW_EXTENSION_ID
    });
    if !has_extension {
        out.push(Diagnostic::document(
            Code::DocExtensionMissing,
            format!(
                "the bundle must include the Attack Flow extension-definition {ATTACK_FLOW_EXTENSION_ID}"
            ),
        ));
    }
}

fn check_duplicates(document: &Document, index: &ReferenceIndex<'_>, out: &mut Vec<Diagnostic>) {
    for (position, object) in document.objects.iter().enumerate() {
        let id = object.id();
        if id.is_empty() {
            continue;
        }
        let positions = index.positions_of(id);
        if positions.len() > 1 && positions[0] == position {
            out.push(Diagnostic::object(
                Code::DocDuplicateId,
                id,
                format!("{} objects have this id", positions.len()),
            ));
        }
    }
}

fn check_references(document: &Document, index: &ReferenceIndex<'_>, out: &mut Vec<Diagnostic>) {
    for reference in index.all() {
        let target = reference.target;
        if !is_identifier(target) || index.contains(target) {
            continue;
        }
        let source = &document.objects[reference.source];
        let property = &*reference.property;
        if property == "object_refs" && crate::safety::use_case_entry(source).is_some() {
            // A use case names flows of other files; the use-case rules check them against
            // the library.
            continue;
        }
        let target_type = identifier_type(target).unwrap_or_default();
        let (code, what) = if source.type_name() == "relationship"
            && matches!(property, "source_ref" | "target_ref")
        {
            (Code::DocRelationshipEndpoint, "the relationship's endpoint")
        } else if FlowLink::from_property(property).is_some()
            || ATTACK_FLOW_TYPES.contains(&target_type)
        {
            (Code::DocDanglingReference, "the object")
        } else if EXTERNAL_KNOWLEDGE_PROPERTIES.contains(&property)
            || PREDEFINED_MARKINGS.contains(&target)
        {
            continue;
        } else {
            (Code::DocUnresolvedReference, "the object")
        };
        out.push(Diagnostic::object(
            code,
            source.id(),
            format!("{property} points at {target}, but {what} is not in the bundle"),
        ));
    }
}

/// Every object should be reachable from the attack-flow (or an extension definition, or one
/// of the five party identities of controls' RACI, which travel together whether every control
/// uses them or not) through references followed in either direction.
fn check_connectivity(document: &Document, index: &ReferenceIndex<'_>, out: &mut Vec<Diagnostic>) {
    let count = document.objects.len();
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); count];
    for reference in index.all() {
        for &target in index.positions_of(reference.target) {
            neighbours[reference.source].push(target);
            neighbours[target].push(reference.source);
        }
    }
    let mut connected = vec![false; count];
    let mut queue: VecDeque<usize> = document
        .objects
        .iter()
        .enumerate()
        .filter(|(_, object)| {
            matches!(object.type_name(), "attack-flow" | "extension-definition")
                || control::is_party(object)
        })
        .map(|(position, _)| position)
        .collect();
    if !queue
        .iter()
        .any(|&position| document.objects[position].type_name() == "attack-flow")
    {
        return; // No flow: doc-flow-count already says so, and everything would be unconnected.
    }
    for &position in &queue {
        connected[position] = true;
    }
    while let Some(position) = queue.pop_front() {
        for &next in &neighbours[position] {
            if !connected[next] {
                connected[next] = true;
                queue.push_back(next);
            }
        }
    }
    for (position, object) in document.objects.iter().enumerate() {
        if !connected[position] {
            out.push(Diagnostic::object(
                Code::DocUnconnected,
                object.id(),
                format!("this {} is not connected to the flow", object.type_name()),
            ));
        }
    }
}
