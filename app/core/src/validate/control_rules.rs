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

/// `(relationship type, source, target)` of a `mitigates` or `detects` relationship.
fn control_link(relationship: &OtherObject) -> Option<(&str, &str, &str)> {
    if relationship.type_name() != "relationship" {
        return None;
    }
    let relationship_type = relationship.string("relationship_type")?;
    if !matches!(relationship_type, "mitigates" | "detects") {
        return None;
    }
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
mod tests {
    use serde_json::json;

    use super::*;
    use crate::attack::{Domain, DomainCatalog};
    use crate::control::{ControlSource, ControlSpec, Raci, Roles};
    use crate::edit::{NewObject, new_object};
    use crate::layout::MEDFLOW_EXTENSION_ID;
    use crate::model::Timestamp;

    const ACTION: &str = "attack-action--7b9f3a1d-2d4e-4f60-9bac-1d2e3f4a5b6c";
    const OTHER_ACTION: &str = "attack-action--1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
    const CONTROL: &str = "course-of-action--6a8e2f0c-1c3d-4e5f-8a9b-0c1d2e3f4a5b";
    const DETECTOR: &str = "course-of-action--2f3e4d5c-6b7a-4988-a776-655443322110";
    const LINK: &str = "relationship--9dbf5c3f-4f60-4b82-9dce-3f4a5b6c7d8e";
    const OTHER_LINK: &str = "relationship--0e1f2a3b-4c5d-4e6f-8a7b-8c9d0e1f2a3b";

    fn now() -> Timestamp {
        Timestamp::from_unix_millis(1_714_557_600_000)
    }

    fn raci(assignments: &[(Party, &str)]) -> Raci {
        assignments
            .iter()
            .map(|(party, letters)| (*party, Roles::parse(letters).unwrap()))
            .collect()
    }

    fn control(
        id: &str,
        kind: ControlKind,
        source: Option<ControlSource>,
        raci: Raci,
    ) -> StixObject {
        let spec = ControlSpec {
            name: format!("{kind} control"),
            description: None,
            kind,
            source,
            fda_category: None,
            raci,
        };
        crate::control::new_control(&spec, id, &now())
    }

    fn complete() -> Raci {
        raci(&[(Party::Hdo, "AR"), (Party::Mdm, "C")])
    }

    fn action(id: &str) -> StixObject {
        new_object(NewObject::Action, id, &now())
    }

    fn link(id: &str, relationship_type: &str, source: &str, target: &str) -> StixObject {
        let Value::Object(map) = json!({
            "type": "relationship",
            "spec_version": "2.1",
            "id": id,
            "created": "2024-05-01T10:00:00.000Z",
            "modified": "2024-05-01T10:00:00.000Z",
            "relationship_type": relationship_type,
            "source_ref": source,
            "target_ref": target,
        }) else {
            unreachable!()
        };
        StixObject::from_json(map)
    }

    /// The control with its `control` entry replaced by `entry`.
    fn with_entry(control: &StixObject, entry: Value) -> StixObject {
        let mut map = control.to_json();
        map["extensions"][MEDFLOW_EXTENSION_ID]["control"] = entry;
        StixObject::from_json(map)
    }

    fn document(objects: Vec<StixObject>) -> Document {
        Document {
            bundle_id: "bundle--8cae4b2e-3e5f-4a71-8cbd-2e3f4a5b6c7d".to_owned(),
            objects,
        }
    }

    fn run(document: &Document, catalog: Option<&Catalog>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        check_controls(document, catalog, &mut out);
        out
    }

    fn codes(diagnostics: &[Diagnostic]) -> Vec<(Code, &str)> {
        diagnostics
            .iter()
            .map(|diagnostic| {
                (
                    diagnostic.code,
                    diagnostic.object_id.as_deref().unwrap_or(""),
                )
            })
            .collect()
    }

    /// A prevent and a detect control, each linked to the one action.
    fn covered() -> Vec<StixObject> {
        vec![
            action(ACTION),
            control(CONTROL, ControlKind::Prevent, None, complete()),
            control(DETECTOR, ControlKind::Detect, None, complete()),
            link(LINK, "mitigates", CONTROL, ACTION),
            link(OTHER_LINK, "detects", DETECTOR, ACTION),
        ]
    }

    #[test]
    fn a_covered_action_with_complete_controls_gets_nothing() {
        assert_eq!(run(&document(covered()), Some(Catalog::embedded())), []);
    }

    #[test]
    fn a_document_without_controls_gets_nothing() {
        let document = document(vec![action(ACTION), action(OTHER_ACTION)]);
        assert_eq!(run(&document, Some(Catalog::embedded())), []);
    }

    #[test]
    fn every_accountable_party_is_named() {
        let two = raci(&[(Party::Hdo, "AR"), (Party::Mdm, "A")]);
        let three = raci(&[(Party::Hdo, "AR"), (Party::Mdm, "A"), (Party::Csp, "AI")]);
        let mut objects = covered();
        objects[1] = control(CONTROL, ControlKind::Prevent, None, two);
        objects[2] = control(DETECTOR, ControlKind::Detect, None, three);
        let found = run(&document(objects), None);
        assert_eq!(
            codes(&found),
            [
                (Code::ControlRaciManyAccountable, CONTROL),
                (Code::ControlRaciManyAccountable, DETECTOR)
            ]
        );
        assert!(
            found[0]
                .message
                .starts_with("MDM and HDO are both Accountable")
        );
        assert!(
            found[1]
                .message
                .starts_with("CSP, MDM and HDO are all Accountable")
        );
    }

    #[test]
    fn a_control_without_raci_has_neither_accountable_nor_responsible() {
        let mut objects = covered();
        objects[1] = control(CONTROL, ControlKind::Prevent, None, Raci::new());
        assert_eq!(
            codes(&run(&document(objects), None)),
            [
                (Code::ControlRaciNoAccountable, CONTROL),
                (Code::ControlRaciNoResponsible, CONTROL)
            ]
        );
    }

    #[test]
    fn each_malformed_raci_entry_is_reported() {
        let mut objects = covered();
        objects[1] = with_entry(
            &objects[1],
            json!({
                "kind": "prevent",
                "raci": [
                    {"party_ref": Party::Hdo.id(), "roles": ["A", "R", "A"]},
                    "MDM",
                    {"roles": ["C"]},
                    {"party_ref": Party::Csp.id()},
                    {"party_ref": Party::Ehr.id(), "roles": []},
                    {"party_ref": Party::Patient.id(), "roles": ["i"]},
                    {"party_ref": Party::Hdo.id(), "roles": "C"},
                ]
            }),
        );
        let found = run(&document(objects), None);
        let messages: Vec<&str> = found
            .iter()
            .inspect(|diagnostic| assert_eq!(diagnostic.code, Code::ControlRaciInvalid))
            .map(|diagnostic| diagnostic.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "the raci entry for HDO lists role A twice",
                "raci entry 2 is \"MDM\", not an object with party_ref and roles",
                "raci entry 3 has no party_ref",
                "the raci entry for CSP has no roles",
                "the raci entry for EHR has an empty roles list",
                "the raci entry for Patient has role \"i\"; roles are the letters A, R, C and I",
                "raci lists HDO twice (entry 7); give each party one entry",
                "the raci entry for HDO: roles must be a list of the letters A, R, C and I, not \"C\"",
            ]
        );
    }

    #[test]
    fn kind_and_fda_category_must_be_known() {
        let mut objects = covered();
        objects[1] = with_entry(
            &objects[1],
            json!({"kind": "block", "fda_category": "safety", "raci": [
                {"party_ref": Party::Hdo.id(), "roles": ["A", "R"]}
            ]}),
        );
        assert_eq!(
            codes(&run(&document(objects), None)),
            [
                (Code::ActionNoPrevention, ACTION),
                (Code::ControlKindInvalid, CONTROL),
                (Code::ControlFdaCategoryInvalid, CONTROL),
            ]
        );
    }

    #[test]
    fn links_must_reach_actions_with_the_type_the_kind_calls_for() {
        let note = "note--3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d";
        let mut objects = covered();
        objects[3] = link(LINK, "detects", CONTROL, ACTION);
        objects[4] = link(OTHER_LINK, "detects", DETECTOR, note);
        let Value::Object(map) = json!({
            "type": "note",
            "spec_version": "2.1",
            "id": note,
            "created": "2024-05-01T10:00:00.000Z",
            "modified": "2024-05-01T10:00:00.000Z",
            "content": "Watch the mail gateway.",
            "object_refs": [ACTION],
        }) else {
            unreachable!()
        };
        objects.push(StixObject::from_json(map));
        // A link to an object outside the bundle is doc-relationship-endpoint's, not ours.
        objects.push(link(
            "relationship--5d6e7f80-91a2-4b3c-8d4e-5f6a7b8c9d0e",
            "detects",
            DETECTOR,
            "attack-action--00000000-0000-4000-8000-000000000000",
        ));
        let found = run(&document(objects), None);
        assert_eq!(
            codes(&found),
            [
                (Code::ActionNoDetection, ACTION),
                (Code::ControlLinkKind, LINK),
                (Code::ControlLinkTarget, OTHER_LINK),
            ]
        );
        assert_eq!(
            found[1].message,
            "control \"prevent control\" is a prevent control, so it is linked by mitigates, not detects"
        );
        assert_eq!(
            found[2].message,
            "this detects relationship links control \"detect control\" to the note \
             note--3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d; a control addresses attack-action \
             objects only"
        );
    }

    #[test]
    fn an_unlinked_control_is_reported_and_leaves_actions_uncovered() {
        let objects = vec![
            action(ACTION),
            control(CONTROL, ControlKind::Respond, None, complete()),
        ];
        assert_eq!(
            codes(&run(&document(objects), None)),
            [
                (Code::ActionNoPrevention, ACTION),
                (Code::ActionNoDetection, ACTION),
                (Code::ControlUnlinked, CONTROL),
            ]
        );
    }

    #[test]
    fn sources_are_checked_only_with_a_catalog() {
        let cite = |id: &str| {
            let source = ControlSource::from_reference("mitre-attack", id)
                .unwrap_or_else(|| ControlSource::Mitigation(id.to_owned()));
            control(CONTROL, ControlKind::Prevent, Some(source), complete())
        };
        let mut objects = covered();
        for (id, expected) in [
            ("M1032", None),
            ("DET0236", None),
            ("M9999", Some(Code::ControlSourceUnknown)),
            ("DET9999", Some(Code::ControlSourceUnknown)),
            ("m1032", Some(Code::ControlSourceUnknown)),
            ("M103", Some(Code::ControlSourceUnknown)),
            ("T1078", Some(Code::ControlSourceUnknown)),
            ("TA0001", Some(Code::ControlSourceUnknown)),
            ("M1005", Some(Code::ControlSourceDeprecated)),
        ] {
            objects[1] = cite(id);
            let document = document(objects.clone());
            assert_eq!(run(&document, None), [], "{id} without a catalog");
            let found = run(&document, Some(Catalog::embedded()));
            assert_eq!(
                codes(&found),
                expected
                    .map(|code| (code, CONTROL))
                    .into_iter()
                    .collect::<Vec<_>>(),
                "{id}"
            );
        }
        // A custom control's id is the product's own business.
        objects[1] = control(
            CONTROL,
            ControlKind::Prevent,
            Some(ControlSource::Custom("MF-C-012".to_owned())),
            complete(),
        );
        assert_eq!(run(&document(objects), Some(Catalog::embedded())), []);
    }

    #[test]
    fn a_technique_cited_as_source_is_named() {
        let mut objects = covered();
        let mut map = objects[1].to_json();
        map.insert(
            "external_references".to_owned(),
            json!([{"source_name": "mitre-attack", "external_id": "T1078"}]),
        );
        objects[1] = StixObject::from_json(map);
        let found = run(&document(objects), Some(Catalog::embedded()));
        assert_eq!(codes(&found), [(Code::ControlSourceUnknown, CONTROL)]);
        assert!(
            found[0]
                .message
                .starts_with("the control cites T1078 Valid Accounts, an ATT&CK technique"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_revoked_source_names_its_replacement() {
        let mut revoked = Entry::new(
            Domain::Enterprise,
            Kind::Mitigation,
            "M1990",
            "Old Mitigation",
            "course-of-action--11111111-1111-4111-8111-111111111111",
        );
        revoked.revoked = true;
        revoked.revoked_by = Some("M1991".to_owned());
        let catalog = Catalog::from_domains(vec![DomainCatalog {
            format: crate::attack::FORMAT.to_owned(),
            format_version: crate::attack::FORMAT_VERSION,
            domain: Domain::Enterprise,
            attack_version: "99.0".to_owned(),
            notice: String::new(),
            entries: vec![
                revoked,
                Entry::new(
                    Domain::Enterprise,
                    Kind::Mitigation,
                    "M1991",
                    "New Mitigation",
                    "course-of-action--22222222-2222-4222-8222-222222222222",
                ),
            ],
            mitigates: Vec::new(),
            detects: Vec::new(),
            origin: String::new(),
        }]);
        let mut objects = covered();
        objects[1] = control(
            CONTROL,
            ControlKind::Prevent,
            Some(ControlSource::Mitigation("M1990".to_owned())),
            complete(),
        );
        let found = run(&document(objects), Some(&catalog));
        assert_eq!(codes(&found), [(Code::ControlSourceDeprecated, CONTROL)]);
        assert_eq!(
            found[0].message,
            "the control cites M1990 Old Mitigation, which is revoked in ATT&CK Enterprise 99.0; \
             cite M1991 New Mitigation instead"
        );
    }

    #[test]
    fn diagnostics_follow_document_order() {
        let objects = vec![
            control(
                DETECTOR,
                ControlKind::Detect,
                None,
                raci(&[(Party::Hdo, "A")]),
            ),
            action(ACTION),
            link(LINK, "mitigates", DETECTOR, ACTION),
            control(
                CONTROL,
                ControlKind::Prevent,
                None,
                raci(&[(Party::Mdm, "R")]),
            ),
            action(OTHER_ACTION),
        ];
        assert_eq!(
            codes(&run(&document(objects), None)),
            [
                (Code::ControlRaciNoResponsible, DETECTOR),
                (Code::ActionNoPrevention, ACTION),
                (Code::ControlLinkKind, LINK),
                (Code::ControlRaciNoAccountable, CONTROL),
                (Code::ControlUnlinked, CONTROL),
                (Code::ActionNoPrevention, OTHER_ACTION),
                (Code::ActionNoDetection, OTHER_ACTION),
            ]
        );
    }
}
