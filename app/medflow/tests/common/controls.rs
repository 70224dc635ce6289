//! The flows, controls and catalogues the `export` and `validate --library` tests run the
//! binary on: a sample flow with two actions and three controls (one with a RACI gap in
//! coverage), a second flow sharing one control, and catalogues.

use std::path::Path;
use std::process::Output;

use medflow_core::control::{
    ControlKind, ControlSource, ControlSpec, FdaCategory, Party, Raci, Roles, control_relationship,
    new_control,
};
use medflow_core::edit::{NewObject, new_flow_document, new_object};
use medflow_core::extension;
use medflow_core::model::Timestamp;
use medflow_core::{Document, StixObject, write_bundle};
use serde_json::{Value, json};

use super::medflow_with_data;

pub const MFA: &str = "course-of-action--11111111-1111-4111-8111-111111111111";
pub const FIRMWARE: &str = "course-of-action--22222222-2222-4222-8222-222222222222";
pub const EHR_WATCH: &str = "course-of-action--33333333-3333-4333-8333-333333333333";
/// A control only the catalogue has: it must never show up in a flow's export.
pub const CATALOGUE_ONLY: &str = "course-of-action--44444444-4444-4444-8444-444444444444";

pub const MFA_NAME: &str = "Multi-factor authentication, vendor \"remote\" access";
pub const FIRMWARE_NAME: &str = "Signed firmware updates";
pub const EHR_WATCH_NAME: &str = "Anomalous EHR access detection";

pub const LOGIN_NAME: &str = "Log in with stolen vendor credentials, over VPN";
pub const WIPE_NAME: &str = "Inhibit system recovery";

pub fn medflow(args: &[&str], folder: &Path) -> Output {
    medflow_with_data(args, folder, &folder.join(".medflow-data"))
}

pub fn now() -> Timestamp {
    Timestamp::from_unix_millis(1_714_557_600_000)
}

/// Deterministic ids: `type--UUIDv4` from a prefix digit and a counter.
pub fn id_source(prefix: u8) -> impl FnMut(&str) -> String {
    let mut counter = 0u32;
    move |type_name: &str| {
        counter += 1;
        format!("{type_name}--{prefix:08}-0000-4000-8000-{counter:012}")
    }
}

/// `object` with `properties` set.
pub fn with(object: &StixObject, properties: &Value) -> StixObject {
    let mut map = object.to_json();
    for (key, value) in properties.as_object().unwrap() {
        map.insert(key.clone(), value.clone());
    }
    StixObject::from_json(map)
}

/// The one problem the sample flow has: nothing detects its second action (the coverage
/// tests need that gap).
pub fn wipe_warning(path: &str) -> String {
    format!(
        "{path}: warning [action-no-detection] attack-action--00000001-0000-4000-8000-000000000004: \
         no detect control addresses the action \"{WIPE_NAME}\"\n"
    )
}

pub fn raci(assignments: &[(Party, &str)]) -> Raci {
    assignments
        .iter()
        .map(|(party, letters)| (*party, Roles::parse(letters).unwrap()))
        .collect()
}

pub fn mfa_spec() -> ControlSpec {
    ControlSpec {
        name: MFA_NAME.to_owned(),
        description: Some("Vendor staff sign in with a second factor.".to_owned()),
        kind: ControlKind::Prevent,
        source: Some(ControlSource::Mitigation("M1032".to_owned())),
        fda_category: Some(FdaCategory::Authentication),
        raci: raci(&[(Party::Hdo, "AR"), (Party::Mdm, "C")]),
    }
}

pub fn firmware_spec() -> ControlSpec {
    ControlSpec {
        name: FIRMWARE_NAME.to_owned(),
        description: None,
        kind: ControlKind::Prevent,
        source: Some(ControlSource::Custom("MF-C-012".to_owned())),
        fda_category: Some(FdaCategory::Integrity),
        raci: raci(&[(Party::Mdm, "AR"), (Party::Csp, "R"), (Party::Hdo, "I")]),
    }
}

pub fn ehr_watch_spec() -> ControlSpec {
    ControlSpec {
        name: EHR_WATCH_NAME.to_owned(),
        description: None,
        kind: ControlKind::Detect,
        source: Some(ControlSource::DetectionStrategy("DET0123".to_owned())),
        fda_category: Some(FdaCategory::EventDetectionLogging),
        raci: raci(&[(Party::Ehr, "A"), (Party::Hdo, "R"), (Party::Patient, "I")]),
    }
}

/// A flow with its two actions (first → second), the product's extension and the parties.
/// Returns the document and the two action ids.
pub fn flow_with_two_actions(name: &str, prefix: u8, second_name: &str) -> (Document, [String; 2]) {
    let mut new_id = id_source(prefix);
    let mut document = new_flow_document(name, &mut new_id, &now());
    let first = document
        .objects
        .iter()
        .find(|object| object.type_name() == "attack-action")
        .unwrap()
        .id()
        .to_owned();
    let second = new_id("attack-action");
    let flow = document
        .objects
        .iter()
        .position(|object| object.type_name() == "attack-flow")
        .unwrap();
    document.objects[flow] = with(
        &document.objects[flow],
        &json!({"description": "A sample flow with controls."}),
    );
    let index = document
        .objects
        .iter()
        .position(|object| object.id() == first)
        .unwrap();
    document.objects[index] = with(
        &document.objects[index],
        &json!({
            "name": LOGIN_NAME,
            "technique_id": "T1078",
            "tactic_id": "TA0001",
            "effect_refs": [second],
        }),
    );
    document.objects.push(with(
        &new_object(NewObject::Action, &second, &now()),
        &json!({"name": second_name, "technique_id": "T1490", "tactic_id": "TA0040"}),
    ));
    document.objects.push(extension::definition());
    document.objects.push(extension::identity());
    document
        .objects
        .extend(Party::ALL.into_iter().map(Party::identity));
    (document, [first, second])
}

pub fn link(
    document: &mut Document,
    new_id: &mut dyn FnMut(&str) -> String,
    control: &str,
    target: &str,
    kind: ControlKind,
) {
    document.objects.push(control_relationship(
        &new_id("relationship"),
        control,
        target,
        kind,
        &now(),
    ));
}

/// The sample flow: MFA prevents the login, signed firmware prevents the wipe, EHR
/// monitoring detects the login. Nothing detects the wipe.
pub fn sample_flow() -> (Document, [String; 2]) {
    let (mut document, [login, wipe]) =
        flow_with_two_actions("Vendor remote access ransomware", 1, WIPE_NAME);
    let mut new_id = id_source(2);
    document.objects.push(new_control(&mfa_spec(), MFA, &now()));
    document
        .objects
        .push(new_control(&firmware_spec(), FIRMWARE, &now()));
    document
        .objects
        .push(new_control(&ehr_watch_spec(), EHR_WATCH, &now()));
    link(
        &mut document,
        &mut new_id,
        MFA,
        &login,
        ControlKind::Prevent,
    );
    link(
        &mut document,
        &mut new_id,
        FIRMWARE,
        &wipe,
        ControlKind::Prevent,
    );
    link(
        &mut document,
        &mut new_id,
        EHR_WATCH,
        &login,
        ControlKind::Detect,
    );
    (document, [login, wipe])
}

/// A second flow: MFA (same id) prevents its login; its other action has no control.
pub fn second_flow() -> (Document, [String; 2]) {
    let (mut document, actions) =
        flow_with_two_actions("Compromised infusion pump", 3, "Exfiltrate patient data");
    let mut new_id = id_source(4);
    document.objects.push(new_control(&mfa_spec(), MFA, &now()));
    link(
        &mut document,
        &mut new_id,
        MFA,
        &actions[0],
        ControlKind::Prevent,
    );
    (document, actions)
}

/// A control catalogue holding `controls`.
pub fn catalogue(controls: Vec<StixObject>) -> Document {
    let mut objects = vec![extension::definition(), extension::identity()];
    objects.extend(Party::ALL.into_iter().map(Party::identity));
    objects.extend(controls);
    Document {
        bundle_id: "bundle--55555555-5555-4555-8555-555555555555".to_owned(),
        objects,
    }
}

pub fn write(folder: &Path, name: &str, document: &Document) {
    let path = folder.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, write_bundle(document)).unwrap();
}

/// A temporary folder holding the sample flow as `flow.json`; returns its action ids too.
pub fn folder_with_sample() -> (tempfile::TempDir, [String; 2]) {
    let folder = tempfile::tempdir().unwrap();
    let (document, actions) = sample_flow();
    write(folder.path(), "flow.json", &document);
    (folder, actions)
}
