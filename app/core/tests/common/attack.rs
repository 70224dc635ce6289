//! An Attack Flow bundle of one action, for the ATT&CK rule tests, and what validation with
//! the built-in catalog says of it.

use medflow_core::{Code, Context, ReadLimits, read_bundle, validate};

/// A valid flow of one action with `properties` (JSON members, each followed by a comma).
pub fn flow_with_action(properties: &str) -> String {
    format!(
        r#"{{"type": "bundle", "id": "bundle--74f89f5f-b564-4d05-b5ae-c1a29edc683f", "objects": [
        {{"type": "extension-definition", "spec_version": "2.1", "id": "extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4",
          "created": "2024-03-05T09:15:00.000Z", "modified": "2024-03-05T09:15:00.000Z",
          "created_by_ref": "identity--fae7a68e-345a-4c3f-a11b-b65171ae3f87", "name": "Attack Flow",
          "schema": "https://center-for-threat-informed-defense.github.io/attack-flow/stix/attack-flow-schema-2.0.0.json",
          "version": "2.0.0", "extension_types": ["new-sdo"]}},
        {{"type": "identity", "spec_version": "2.1", "id": "identity--fae7a68e-345a-4c3f-a11b-b65171ae3f87",
          "created": "2024-03-05T09:15:00.000Z", "modified": "2024-03-05T09:15:00.000Z", "name": "Tests", "identity_class": "organization"}},
        {{"type": "attack-flow", "spec_version": "2.1", "id": "attack-flow--0e5b430f-0474-4841-90d3-c3d9ee46ccdd",
          "created": "2024-03-05T09:15:00.000Z", "modified": "2024-03-05T09:15:00.000Z", "name": "One step",
          "description": "One action.", "scope": "incident", "start_refs": ["attack-action--2b3aed78-7f7f-4a0a-98b6-e0017485c263"],
          "extensions": {{"extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {{"extension_type": "new-sdo"}}}}}},
        {{"type": "attack-action", "spec_version": "2.1", "id": "attack-action--2b3aed78-7f7f-4a0a-98b6-e0017485c263",
          "created": "2024-03-05T09:15:00.000Z", "modified": "2024-03-05T09:15:00.000Z", "name": "Step", {properties}
          "extensions": {{"extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {{"extension_type": "new-sdo"}}}}}}
        ]}}"#
    )
}

/// The codes and messages validation with the built-in catalog gives the flow of one action
/// with `properties`.
pub fn attack_messages(properties: &str) -> Vec<(Code, String)> {
    let text = flow_with_action(properties);
    let outcome = read_bundle(text.as_bytes(), &ReadLimits::default()).unwrap();
    validate(&outcome.document, &Context::built_in())
        .into_iter()
        .map(|diagnostic| (diagnostic.code, diagnostic.message))
        .collect()
}
