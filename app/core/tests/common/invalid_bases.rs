//! The valid bundles the invalid documents of `tests/invalid/` are made from: each invalid
//! file is [`VALID_BASE`] (or [`valid_base_with_controls`]) with one deliberate mistake.

/// A small valid Attack Flow bundle: the extension definition and its creator, a flow, and
/// three actions in a chain. Each invalid file is this bundle with a deliberate mistake.
pub const VALID_BASE: &str = r#"{
  "type": "bundle",
  "id": "bundle--74f89f5f-b564-4d05-b5ae-c1a29edc683f",
  "objects": [
    {
      "type": "extension-definition",
      "spec_version": "2.1",
      "id": "extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4",
      "created": "2024-03-05T09:15:00.000Z",
      "modified": "2024-03-05T09:15:00.000Z",
      "created_by_ref": "identity--fae7a68e-345a-4c3f-a11b-b65171ae3f87",
      "name": "Attack Flow",
      "description": "Attack Flow 2.0 objects.",
      "schema": "https://center-for-threat-informed-defense.github.io/attack-flow/stix/attack-flow-schema-2.0.0.json",
      "version": "2.0.0",
      "extension_types": [
        "new-sdo"
      ]
    },
    {
      "type": "identity",
      "spec_version": "2.1",
      "id": "identity--fae7a68e-345a-4c3f-a11b-b65171ae3f87",
      "created": "2024-03-05T09:15:00.000Z",
      "modified": "2024-03-05T09:15:00.000Z",
      "name": "MedFlow Studio test fixtures",
      "identity_class": "organization"
    },
    {
      "type": "attack-flow",
      "spec_version": "2.1",
      "id": "attack-flow--0e5b430f-0474-4841-90d3-c3d9ee46ccdd",
      "created": "2024-03-05T09:15:00.000Z",
      "modified": "2024-03-05T09:15:00.000Z",
      "created_by_ref": "identity--fae7a68e-345a-4c3f-a11b-b65171ae3f87",
      "name": "Invoice phishing to exfiltration",
      "description": "A small flow that the invalid-document tests break one mistake at a time.",
      "scope": "incident",
      "start_refs": [
        "attack-action--2b3aed78-7f7f-4a0a-98b6-e0017485c263"
      ],
      "extensions": {
        "extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {
          "extension_type": "new-sdo"
        }
      }
    },
    {
      "type": "attack-action",
      "spec_version": "2.1",
      "id": "attack-action--2b3aed78-7f7f-4a0a-98b6-e0017485c263",
      "created": "2024-03-05T09:15:00.000Z",
      "modified": "2024-03-05T09:15:00.000Z",
      "name": "Spearphishing Attachment",
      "technique_id": "T1566.001",
      "description": "A fake invoice arrives with a macro document.",
      "effect_refs": [
        "attack-action--b57e2928-23a6-43ee-87df-702da94a96ce"
      ],
      "extensions": {
        "extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {
          "extension_type": "new-sdo"
        }
      }
    },
    {
      "type": "attack-action",
      "spec_version": "2.1",
      "id": "attack-action--b57e2928-23a6-43ee-87df-702da94a96ce",
      "created": "2024-03-05T09:15:00.000Z",
      "modified": "2024-03-05T09:15:00.000Z",
      "name": "User Execution: Malicious File",
      "technique_id": "T1204.002",
      "effect_refs": [
        "attack-action--07d9b9d1-4ead-4ecc-b8e9-30adab96b7b8"
      ],
      "extensions": {
        "extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {
          "extension_type": "new-sdo"
        }
      }
    },
    {
      "type": "attack-action",
      "spec_version": "2.1",
      "id": "attack-action--07d9b9d1-4ead-4ecc-b8e9-30adab96b7b8",
      "created": "2024-03-05T09:15:00.000Z",
      "modified": "2024-03-05T09:15:00.000Z",
      "name": "Exfiltration Over C2 Channel",
      "technique_id": "T1041",
      "extensions": {
        "extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {
          "extension_type": "new-sdo"
        }
      }
    }
  ]
}"#;

/// What [`VALID_BASE`] gains to have controls, as MedFlow Studio saves them: its extension definition and
/// identity, the five party identities (the patient's unused by any RACI), a prevent control
/// (ATT&CK mitigation M1031) and a detect control (detection strategy DET0236) linked to all
/// three actions, and a custom respond control linked to the last one, each with an Accountable
/// and a Responsible party. The invalid files about controls are this bundle with a mistake.
pub const CONTROL_OBJECTS: &str = r#"[
  {
    "type": "identity",
    "spec_version": "2.1",
    "id": "identity--0c7b5d1e-3f4a-4e8b-9a61-2d9e8f7c6b50",
    "created": "2026-11-22T00:00:00.000Z",
    "modified": "2026-11-22T00:00:00.000Z",
    "name": "MedFlow Studio",
    "identity_class": "system"
  },
  {
    "type": "extension-definition",
    "spec_version": "2.1",
    "id": "extension-definition--5f1c3a2e-8d4b-4c7a-9e26-3b0d7f4a1c58",
    "created": "2026-11-22T00:00:00.000Z",
    "modified": "2026-11-22T00:00:00.000Z",
    "created_by_ref": "identity--0c7b5d1e-3f4a-4e8b-9a61-2d9e8f7c6b50",
    "name": "MedFlow Studio",
    "description": "Properties MedFlow Studio adds to the objects of a flow: canvas layout, controls with their kind and responsibility (RACI), and the product's other annotations.",
    "schema": "MedFlow Studio property extension 1.0.0; JSON schema: assets/schema/medflow-extension-1.0.0.json in the MedFlow Studio repository.",
    "version": "1.0.0",
    "extension_types": [
      "property-extension"
    ]
  },
  {
    "type": "identity",
    "spec_version": "2.1",
    "id": "identity--20b29218-15db-4111-aae5-f71587a1df13",
    "created": "2026-11-22T00:00:00.000Z",
    "modified": "2026-11-22T00:00:00.000Z",
    "name": "Cloud service provider (CSP)",
    "description": "The cloud service provider whose infrastructure hosts the device's cloud service.",
    "identity_class": "organization"
  },
  {
    "type": "identity",
    "spec_version": "2.1",
    "id": "identity--cdeab6eb-58f6-43a1-aeb8-c9f4eb2168e4",
    "created": "2026-11-22T00:00:00.000Z",
    "modified": "2026-11-22T00:00:00.000Z",
    "name": "Medical device manufacturer (MDM)",
    "description": "The medical device manufacturer; it also operates the device's cloud service.",
    "identity_class": "organization"
  },
  {
    "type": "identity",
    "spec_version": "2.1",
    "id": "identity--31d47c91-db97-4b9d-a339-a7fdae51e471",
    "created": "2026-11-22T00:00:00.000Z",
    "modified": "2026-11-22T00:00:00.000Z",
    "name": "Health delivery organisation (HDO)",
    "description": "The hospital or other health delivery organisation that runs the device.",
    "identity_class": "organization"
  },
  {
    "type": "identity",
    "spec_version": "2.1",
    "id": "identity--a2006fd0-b9c6-44cf-a166-cfe688693991",
    "created": "2026-11-22T00:00:00.000Z",
    "modified": "2026-11-22T00:00:00.000Z",
    "name": "EHR vendor",
    "description": "The vendor of the electronic health record the device's cloud exchanges data with.",
    "identity_class": "organization"
  },
  {
    "type": "identity",
    "spec_version": "2.1",
    "id": "identity--a2a4f60c-199a-4cf7-a503-2541691547c1",
    "created": "2026-11-22T00:00:00.000Z",
    "modified": "2026-11-22T00:00:00.000Z",
    "name": "Patient",
    "description": "The patients treated with the device, as a class of people.",
    "identity_class": "class"
  },
  {
    "type": "course-of-action",
    "spec_version": "2.1",
    "id": "course-of-action--a2bcf3a8-f587-48fa-ac1f-9d906b922562",
    "created": "2024-03-05T09:15:00.000Z",
    "modified": "2024-03-05T09:15:00.000Z",
    "name": "Network intrusion prevention",
    "description": "Inline intrusion prevention blocks malicious attachments, payload downloads and command-and-control traffic at the hospital perimeter.",
    "external_references": [
      {
        "source_name": "mitre-attack",
        "external_id": "M1031"
      }
    ],
    "extensions": {
      "extension-definition--5f1c3a2e-8d4b-4c7a-9e26-3b0d7f4a1c58": {
        "extension_type": "property-extension",
        "control": {
          "kind": "prevent",
          "fda_category": "integrity",
          "raci": [
            {
              "party_ref": "identity--31d47c91-db97-4b9d-a339-a7fdae51e471",
              "roles": [
                "A",
                "R"
              ]
            },
            {
              "party_ref": "identity--cdeab6eb-58f6-43a1-aeb8-c9f4eb2168e4",
              "roles": [
                "C"
              ]
            },
            {
              "party_ref": "identity--20b29218-15db-4111-aae5-f71587a1df13",
              "roles": [
                "I"
              ]
            }
          ]
        }
      }
    }
  },
  {
    "type": "course-of-action",
    "spec_version": "2.1",
    "id": "course-of-action--5795d589-7807-4939-98d4-ff11820970d9",
    "created": "2024-03-05T09:15:00.000Z",
    "modified": "2024-03-05T09:15:00.000Z",
    "name": "Mail and egress monitoring",
    "description": "The security operations centre alerts on macro documents in mail and on unusual outbound transfers.",
    "external_references": [
      {
        "source_name": "mitre-attack",
        "external_id": "DET0236"
      }
    ],
    "extensions": {
      "extension-definition--5f1c3a2e-8d4b-4c7a-9e26-3b0d7f4a1c58": {
        "extension_type": "property-extension",
        "control": {
          "kind": "detect",
          "fda_category": "event-detection-logging",
          "raci": [
            {
              "party_ref": "identity--31d47c91-db97-4b9d-a339-a7fdae51e471",
              "roles": [
                "A",
                "R"
              ]
            },
            {
              "party_ref": "identity--cdeab6eb-58f6-43a1-aeb8-c9f4eb2168e4",
              "roles": [
                "R",
                "C"
              ]
            },
            {
              "party_ref": "identity--a2006fd0-b9c6-44cf-a166-cfe688693991",
              "roles": [
                "I"
              ]
            }
          ]
        }
      }
    }
  },
  {
    "type": "course-of-action",
    "spec_version": "2.1",
    "id": "course-of-action--b8f8c25f-9040-4f9d-ae97-86e12d352e5b",
    "created": "2024-03-05T09:15:00.000Z",
    "modified": "2024-03-05T09:15:00.000Z",
    "name": "Isolate the infected workstation",
    "description": "The hospital disconnects a workstation that exfiltrates data and restores it from a known-good image.",
    "external_references": [
      {
        "source_name": "medflow-controls",
        "external_id": "MF-C-012"
      }
    ],
    "extensions": {
      "extension-definition--5f1c3a2e-8d4b-4c7a-9e26-3b0d7f4a1c58": {
        "extension_type": "property-extension",
        "control": {
          "kind": "respond",
          "fda_category": "resiliency-recovery",
          "raci": [
            {
              "party_ref": "identity--31d47c91-db97-4b9d-a339-a7fdae51e471",
              "roles": [
                "A",
                "R"
              ]
            },
            {
              "party_ref": "identity--cdeab6eb-58f6-43a1-aeb8-c9f4eb2168e4",
              "roles": [
                "C"
              ]
            }
          ]
        }
      }
    }
  },
  {
    "type": "relationship",
    "spec_version": "2.1",
    "id": "relationship--4f34ade5-1863-4c2a-bc6f-4c39e89bd224",
    "created": "2024-03-05T09:15:00.000Z",
    "modified": "2024-03-05T09:15:00.000Z",
    "relationship_type": "mitigates",
    "source_ref": "course-of-action--a2bcf3a8-f587-48fa-ac1f-9d906b922562",
    "target_ref": "attack-action--2b3aed78-7f7f-4a0a-98b6-e0017485c263"
  },
  {
    "type": "relationship",
    "spec_version": "2.1",
    "id": "relationship--ae5ddaa4-10a2-4db5-84ae-32668d321dc9",
    "created": "2024-03-05T09:15:00.000Z",
    "modified": "2024-03-05T09:15:00.000Z",
    "relationship_type": "mitigates",
    "source_ref": "course-of-action--a2bcf3a8-f587-48fa-ac1f-9d906b922562",
    "target_ref": "attack-action--b57e2928-23a6-43ee-87df-702da94a96ce"
  },
  {
    "type": "relationship",
    "spec_version": "2.1",
    "id": "relationship--f7af11d9-6b30-4711-93b6-41abe4a136b5",
    "created": "2024-03-05T09:15:00.000Z",
    "modified": "2024-03-05T09:15:00.000Z",
    "relationship_type": "mitigates",
    "source_ref": "course-of-action--a2bcf3a8-f587-48fa-ac1f-9d906b922562",
    "target_ref": "attack-action--07d9b9d1-4ead-4ecc-b8e9-30adab96b7b8"
  },
  {
    "type": "relationship",
    "spec_version": "2.1",
    "id": "relationship--b1ae68ea-f097-41bc-9e91-de06fe48d0ab",
    "created": "2024-03-05T09:15:00.000Z",
    "modified": "2024-03-05T09:15:00.000Z",
    "relationship_type": "detects",
    "source_ref": "course-of-action--5795d589-7807-4939-98d4-ff11820970d9",
    "target_ref": "attack-action--2b3aed78-7f7f-4a0a-98b6-e0017485c263"
  },
  {
    "type": "relationship",
    "spec_version": "2.1",
    "id": "relationship--24cd4fc7-2390-4cd2-9b40-500e8eadd616",
    "created": "2024-03-05T09:15:00.000Z",
    "modified": "2024-03-05T09:15:00.000Z",
    "relationship_type": "detects",
    "source_ref": "course-of-action--5795d589-7807-4939-98d4-ff11820970d9",
    "target_ref": "attack-action--b57e2928-23a6-43ee-87df-702da94a96ce"
  },
  {
    "type": "relationship",
    "spec_version": "2.1",
    "id": "relationship--95eebb1b-ff69-4c0b-91c5-39bdc2de80ca",
    "created": "2024-03-05T09:15:00.000Z",
    "modified": "2024-03-05T09:15:00.000Z",
    "relationship_type": "detects",
    "source_ref": "course-of-action--5795d589-7807-4939-98d4-ff11820970d9",
    "target_ref": "attack-action--07d9b9d1-4ead-4ecc-b8e9-30adab96b7b8"
  },
  {
    "type": "relationship",
    "spec_version": "2.1",
    "id": "relationship--80ac26dc-79ef-4a5f-bae7-be73c6a7f2be",
    "created": "2024-03-05T09:15:00.000Z",
    "modified": "2024-03-05T09:15:00.000Z",
    "relationship_type": "mitigates",
    "source_ref": "course-of-action--b8f8c25f-9040-4f9d-ae97-86e12d352e5b",
    "target_ref": "attack-action--07d9b9d1-4ead-4ecc-b8e9-30adab96b7b8"
  }
]"#;

/// [`VALID_BASE`] with [`CONTROL_OBJECTS`] added at the end.
pub fn valid_base_with_controls() -> String {
    let mut bundle: serde_json::Value = serde_json::from_str(VALID_BASE).expect("base is JSON");
    let added: Vec<serde_json::Value> =
        serde_json::from_str(CONTROL_OBJECTS).expect("control objects are JSON");
    bundle["objects"]
        .as_array_mut()
        .expect("base has objects")
        .extend(added);
    bundle.to_string()
}
