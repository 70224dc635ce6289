//! Tests of the control and RACI rules.

use serde_json::json;

use super::*;
use crate::attack::{Domain, DomainCatalog};
use crate::control::{ControlSource, ControlSpec, Raci, Roles};
use crate::edit::{NewObject, new_object};
use crate::extension::MEDFLOW_EXTENSION_ID;
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

fn control(id: &str, kind: ControlKind, source: Option<ControlSource>, raci: Raci) -> StixObject {
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

/// A catalog of one made-up Enterprise release (99.0) holding `entries`.
fn enterprise_catalog(entries: Vec<Entry>) -> Catalog {
    Catalog::from_domains(vec![DomainCatalog {
        format: crate::attack::FORMAT.to_owned(),
        format_version: crate::attack::FORMAT_VERSION,
        domain: Domain::Enterprise,
        attack_version: "99.0".to_owned(),
        notice: String::new(),
        mitigations_version: None,
        entries,
        mitigates: Vec::new(),
        detects: Vec::new(),
        origin: String::new(),
    }])
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
    revoked.revoked_by = Some("M1991".to_owned().into());
    let catalog = enterprise_catalog(vec![
        revoked,
        Entry::new(
            Domain::Enterprise,
            Kind::Mitigation,
            "M1991",
            "New Mitigation",
            "course-of-action--22222222-2222-4222-8222-222222222222",
        ),
    ]);
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

#[test]
fn any_relationship_from_a_control_must_address_an_action_with_the_right_type() {
    let tool = "tool--4b5c6d7e-8f90-4a1b-8c2d-3e4f5a6b7c8d";
    let Value::Object(map) = json!({
        "type": "tool",
        "spec_version": "2.1",
        "id": tool,
        "created": "2024-05-01T10:00:00.000Z",
        "modified": "2024-05-01T10:00:00.000Z",
        "name": "Remote support client",
    }) else {
        unreachable!()
    };
    let related_to_tool = "relationship--6e7f8091-a2b3-4c4d-8e5f-6a7b8c9d0e1f";
    let related_to_action = "relationship--7f8091a2-b3c4-4d5e-8f6a-7b8c9d0e1f20";
    let mut objects = covered();
    objects.push(StixObject::from_json(map));
    objects.push(link(related_to_tool, "related-to", CONTROL, tool));
    objects.push(link(related_to_action, "related-to", CONTROL, ACTION));
    // Something else pointing at a control is not the control's link.
    objects.push(link(
        "relationship--8091a2b3-c4d5-4e6f-8a7b-8c9d0e1f2031",
        "related-to",
        tool,
        CONTROL,
    ));
    let found = run(&document(objects), None);
    assert_eq!(
        codes(&found),
        [
            (Code::ControlLinkTarget, related_to_tool),
            (Code::ControlLinkKind, related_to_tool),
            (Code::ControlLinkKind, related_to_action),
        ]
    );
    assert_eq!(
        found[0].message,
        "this related-to relationship links control \"prevent control\" to the tool \
         \"Remote support client\"; a control addresses attack-action objects only"
    );
    assert_eq!(
        found[2].message,
        "control \"prevent control\" is a prevent control, so it is linked by mitigates, not \
         related-to"
    );
}

#[test]
fn a_deprecated_detection_strategy_is_flagged() {
    let mut deprecated = Entry::new(
        Domain::Enterprise,
        Kind::DetectionStrategy,
        "DET9990",
        "Old Detection",
        "x-mitre-detection-strategy--33333333-3333-4333-8333-333333333333",
    );
    deprecated.deprecated = true;
    let catalog = enterprise_catalog(vec![deprecated]);
    let mut objects = covered();
    objects[2] = control(
        DETECTOR,
        ControlKind::Detect,
        Some(ControlSource::DetectionStrategy("DET9990".to_owned())),
        complete(),
    );
    let found = run(&document(objects), Some(&catalog));
    assert_eq!(codes(&found), [(Code::ControlSourceDeprecated, DETECTOR)]);
    assert_eq!(
        found[0].message,
        "the control cites DET9990 Old Detection, which is deprecated in ATT&CK Enterprise 99.0"
    );
}
