use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use serde_json::json;

use super::*;

const ACTION_ID: &str = "attack-action--a1b2c3d4-0000-4000-8000-000000000001";

/// What the harness shows and what the inspector asked for, over all frames.
struct Probe {
    state: InspectorState,
    object: StixObject,
    catalog: &'static Catalog,
    requests: Vec<InspectorRequest>,
    /// Apply `Set` requests to the object, as the app does.
    apply: bool,
}

fn object(value: &Value) -> StixObject {
    StixObject::from_json(value.as_object().cloned().unwrap_or_default())
}

fn harness(value: &Value, catalog: &'static Catalog) -> Harness<'static, Probe> {
    let probe = Probe {
        state: InspectorState::default(),
        object: object(value),
        catalog,
        requests: Vec::new(),
        apply: false,
    };
    Harness::builder()
        .with_size(egui::vec2(900.0, 1400.0))
        .build_ui_state(
            |ui, probe: &mut Probe| {
                let document = medflow_core::Document {
                    bundle_id: String::new(),
                    objects: vec![probe.object.clone()],
                };
                let requests = inspector_ui(
                    ui,
                    &mut probe.state,
                    &probe.object,
                    probe.catalog,
                    &document,
                    |_| {},
                );
                for request in &requests {
                    if let (true, InspectorRequest::Set { name, value, .. }) =
                        (probe.apply, request)
                    {
                        let mut map = probe.object.to_json();
                        match value {
                            Some(value) => map.insert(name.clone(), value.clone()),
                            None => map.remove(name),
                        };
                        probe.object = StixObject::from_json(map);
                    }
                }
                probe.requests.extend(requests);
            },
            probe,
        )
}

fn empty_catalog() -> &'static Catalog {
    Box::leak(Box::default())
}

fn action(extra: &Value) -> Value {
    let mut value = json!({
        "type": "attack-action",
        "spec_version": "2.1",
        "id": ACTION_ID,
        "created": "2024-01-01T00:00:00.000Z",
        "modified": "2024-01-01T00:00:00.000Z",
        "name": "",
        "extensions": {ATTACK_FLOW_EXTENSION: {"extension_type": "new-sdo"}},
    });
    if let (Some(map), Some(extra)) = (value.as_object_mut(), extra.as_object()) {
        map.extend(extra.clone());
    }
    value
}

const ATTACK_FLOW_EXTENSION: &str = medflow_core::model::ATTACK_FLOW_EXTENSION_ID;

fn sets(harness: &Harness<'_, Probe>, name: &str) -> Vec<(Option<Value>, Option<String>)> {
    harness
        .state()
        .requests
        .iter()
        .filter_map(|request| match request {
            InspectorRequest::Set {
                name: set_name,
                value,
                coalesce_key,
            } if set_name == name => Some((value.clone(), coalesce_key.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn typing_a_name_sets_it_with_a_coalesce_key() {
    let mut harness = harness(&action(&json!({})), empty_catalog());
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Name")
        .click();
    harness.run();
    harness.get_by_label("Name").type_text("Spearphishing");
    harness.run();
    assert_eq!(
        sets(&harness, "name"),
        vec![(
            Some(json!("Spearphishing")),
            Some(format!("{ACTION_ID}/name"))
        )]
    );
}

#[test]
fn leaving_a_field_ends_the_typing_burst() {
    let mut harness = harness(&action(&json!({})), empty_catalog());
    harness.get_by_label("Name").click();
    harness.run();
    harness.get_by_label("Name").type_text("A");
    harness.run();
    assert!(
        !harness
            .state()
            .requests
            .contains(&InspectorRequest::EndBurst)
    );
    harness.get_by_label("Language").click();
    harness.run();
    assert!(
        harness
            .state()
            .requests
            .contains(&InspectorRequest::EndBurst)
    );
}

#[test]
fn list_text_survives_the_app_applying_each_step() {
    let mut harness = harness(&action(&json!({})), empty_catalog());
    harness.state_mut().apply = true;
    harness.get_by_label("Labels").click();
    harness.run();
    for text in ["spear", ",", " ", "mail"] {
        harness.get_by_label("Labels").type_text(text);
        harness.run();
    }
    assert_eq!(
        harness.get_by_label("Labels").value().as_deref(),
        Some("spear, mail")
    );
    let labels = sets(&harness, "labels");
    assert_eq!(labels.len(), 2, "{labels:?}");
    assert_eq!(labels[1].0, Some(json!(["spear", "mail"])));
    assert_eq!(
        harness.state().object.to_json()["labels"],
        json!(["spear", "mail"])
    );
}

#[test]
fn choosing_probable_sets_confidence_70() {
    let mut harness = harness(&action(&json!({})), empty_catalog());
    harness.get_by_label("Confidence").click();
    harness.run();
    harness.get_by_label("Probable").click();
    harness.run();
    assert_eq!(sets(&harness, "confidence"), vec![(Some(json!(70)), None)]);
}

#[test]
fn confidence_off_the_scale_shows_as_other() {
    let harness = harness(&action(&json!({"confidence": 42})), empty_catalog());
    assert_eq!(
        harness.get_by_label("Confidence").value().as_deref(),
        Some("Other (42)")
    );
}

#[test]
fn an_invalid_timestamp_is_kept_but_not_sent() {
    let mut harness = harness(&action(&json!({})), empty_catalog());
    harness.get_by_label("Execution start").click();
    harness.run();
    harness
        .get_by_label("Execution start")
        .type_text("2024-13-01 noon");
    harness.run();
    assert!(sets(&harness, "execution_start").is_empty());
    assert_eq!(
        harness.get_by_label("Execution start").value().as_deref(),
        Some("2024-13-01 noon")
    );
    assert!(
        harness
            .query_by_label_contains("Not an RFC 3339 timestamp")
            .is_some()
    );
}

#[test]
fn a_valid_timestamp_is_sent_in_canonical_form() {
    let mut harness = harness(&action(&json!({})), empty_catalog());
    harness.get_by_label("Execution end").click();
    harness.run();
    harness
        .get_by_label("Execution end")
        .type_text("2024-05-01T14:00:00+02:00");
    harness.run();
    assert_eq!(
        sets(&harness, "execution_end"),
        vec![(
            Some(json!("2024-05-01T12:00:00.000Z")),
            Some(format!("{ACTION_ID}/execution_end"))
        )]
    );
}

#[test]
fn the_operator_drop_down_offers_and_and_or() {
    let operator = json!({
        "type": "attack-operator",
        "spec_version": "2.1",
        "id": "attack-operator--a1b2c3d4-0000-4000-8000-000000000002",
        "operator": "AND",
    });
    let mut harness = harness(&operator, empty_catalog());
    assert!(harness.query_by_label("OR").is_none());
    harness.get_by_label("Operator").click();
    harness.run();
    assert!(harness.query_by_label("AND").is_some());
    harness.get_by_label("OR").click();
    harness.run();
    assert_eq!(sets(&harness, "operator"), vec![(Some(json!("OR")), None)]);
}

#[test]
fn an_unknown_property_is_listed_and_edited_as_json() {
    let infrastructure = json!({
        "type": "infrastructure",
        "spec_version": "2.1",
        "id": "infrastructure--a1b2c3d4-0000-4000-8000-000000000003",
        "created": "2024-01-01T00:00:00.000Z",
        "modified": "2024-01-01T00:00:00.000Z",
        "name": "C2 server",
        "x_custom": {"a": 1},
    });
    let mut harness = harness(&infrastructure, empty_catalog());
    let field = harness.get_by_label("x_custom");
    assert_eq!(field.value().as_deref(), Some(r#"{"a":1}"#));
    field.click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("x_custom").type_text(r#"{"a": 2}"#);
    harness.run();
    let key = "infrastructure--a1b2c3d4-0000-4000-8000-000000000003/x_custom".to_owned();
    assert_eq!(
        sets(&harness, "x_custom"),
        vec![(Some(json!({"a": 2})), Some(key))]
    );
    // The known name property has its own field, not a JSON one.
    assert_eq!(
        harness.get_by_label("Name").value().as_deref(),
        Some("C2 server")
    );
}

#[test]
fn invalid_json_is_not_sent() {
    let note = json!({
        "type": "note",
        "spec_version": "2.1",
        "id": "note--a1b2c3d4-0000-4000-8000-000000000004",
        "content": "text",
        "x_custom": [1],
        "x_note": "hi",
    });
    let mut harness = harness(&note, empty_catalog());
    assert_eq!(
        harness.get_by_label("x_note").value().as_deref(),
        Some("\"hi\"")
    );
    assert!(harness.query_by_label_contains("Not valid JSON").is_none());
    harness.get_by_label("x_custom").click();
    harness.run();
    harness.get_by_label("x_custom").type_text("{oops");
    harness.run();
    assert!(sets(&harness, "x_custom").is_empty());
    assert!(harness.query_by_label_contains("Not valid JSON").is_some());
    if let Some(remove) = harness.get_all_by_label("Remove").next() {
        remove.click();
    }
    harness.run();
    assert_eq!(sets(&harness, "x_custom"), vec![(None, None)]);
}

#[test]
fn pick_technique_asks_the_app() {
    let mut harness = harness(&action(&json!({})), empty_catalog());
    harness.get_by_label("Pick technique…").click();
    harness.run();
    assert!(
        harness
            .state()
            .requests
            .contains(&InspectorRequest::PickTechnique)
    );
}

#[test]
fn a_known_technique_is_named_and_offers_its_tactics() {
    let value = action(&json!({"technique_id": "T1566"}));
    let mut harness = harness(&value, Catalog::embedded());
    assert!(harness.query_by_label("T1566 — Phishing").is_some());
    harness.get_by_label("Tactic").click();
    harness.run();
    harness.get_by_label("TA0001 Initial Access").click();
    harness.run();
    assert_eq!(
        sets(&harness, "tactic_id"),
        vec![(Some(json!("TA0001")), None)]
    );
    let tactic_ref = sets(&harness, "tactic_ref");
    assert!(matches!(
        tactic_ref.as_slice(),
        [(Some(Value::String(id)), None)] if id.starts_with("x-mitre-tactic--")
    ));
}

#[test]
fn adding_a_reference_sends_the_whole_list() {
    let value = action(&json!({
        "external_references": [{"source_name": "mitre-attack", "hashes": {"SHA-256": "00"}}],
    }));
    let mut harness = harness(&value, empty_catalog());
    harness.get_by_label("Add reference").click();
    harness.run();
    assert_eq!(
        sets(&harness, "external_references"),
        vec![(
            Some(json!([
                {"source_name": "mitre-attack", "hashes": {"SHA-256": "00"}},
                {"source_name": ""},
            ])),
            None
        )]
    );
}

#[test]
fn editing_a_reference_keeps_its_other_properties() {
    let value = action(&json!({
        "external_references": [{"source_name": "mitre-attack", "hashes": {"SHA-256": "00"}}],
    }));
    let mut harness = harness(&value, empty_catalog());
    harness.get_by_label("mitre-attack").click();
    harness.run();
    harness.get_by_label("External id").click();
    harness.run();
    harness.get_by_label("External id").type_text("T1566");
    harness.run();
    let expected = json!([
        {"source_name": "mitre-attack", "hashes": {"SHA-256": "00"}, "external_id": "T1566"},
    ]);
    assert_eq!(
        sets(&harness, "external_references"),
        vec![(
            Some(expected),
            Some(format!("{ACTION_ID}/external_references"))
        )]
    );
}
