//! Architecture profiles in core: a new profile, a renamed and an added component read back
//! (`Profile::from_document`, `present_keys`, `component_name`) with an implemented control,
//! the profile valid and its extension entries passing the extension's schema (which refuses
//! broken profile entries), and which flows apply to a product that adds a component of its
//! own.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use medflow_core::architecture::{
    Architecture, Component, ImplementedControl, Profile, ProfileComponent, added_component,
    applicability, bind_asset, new_profile, profile_entry, profile_value, with_profile_value,
};
use medflow_core::control::Party;
use medflow_core::edit::Editor;
use medflow_core::model::Timestamp;
use medflow_core::{Context, Document, ReadLimits, Severity, StixObject, read_bundle, validate};

const FLOW: &[u8] = include_bytes!("../../../flows/robot-command-injection-5g.json");

/// The id of the component the product adds.
const SATELLITE_ID: &str = "infrastructure--3b1f9a44-6c2d-4e8f-9a71-5d0c8e2b4f13";

fn now() -> Timestamp {
    Timestamp::parse("2026-12-01T09:30:00.000Z")
        .unwrap()
        .timestamp
}

/// A new profile of `architecture` for "Acme RAS", with ids counted from 1.
fn profile_document(architecture: &Architecture) -> Document {
    let mut counter = 0;
    new_profile(
        "Acme RAS",
        architecture,
        &mut |type_name| {
            counter += 1;
            format!("{type_name}--00000000-0000-4000-8000-{counter:012}")
        },
        &now(),
    )
}

/// Acme's profile: the console renamed, no 5G link, a satellite uplink of its own in the
/// carrier network, and the catalogue's first control implemented by the MDM (the file carries
/// copies of the control and the party identities).
fn acme() -> Document {
    let reference = Architecture::reference();
    let mut document = profile_document(&reference);
    let profile = Profile::from_document(&document).unwrap();
    let catalogue = read_bundle(
        medflow_core::library::embedded_control_catalogue().unwrap(),
        &ReadLimits::default(),
    )
    .unwrap()
    .document;
    let control = medflow_core::control::controls(&catalogue)[0].id.clone();
    document
        .objects
        .extend(Party::ALL.into_iter().map(Party::identity));
    document
        .objects
        .push(catalogue.object(&control).unwrap().clone());
    let implemented = [ImplementedControl {
        control,
        party: Party::Mdm,
    }];
    let components: Vec<ProfileComponent> = profile
        .components
        .iter()
        .map(|component| match component.key.as_str() {
            "console" => ProfileComponent {
                name: Some("Acme console".to_owned()),
                ..component.clone()
            },
            "5g" => ProfileComponent {
                present: false,
                ..component.clone()
            },
            _ => component.clone(),
        })
        .collect();
    for object in &mut document.objects {
        if profile_entry(object).is_some() {
            *object = with_profile_value(
                object,
                profile_value(&profile.based_on, &components, &implemented),
            );
        }
    }
    document.objects.push(added_component(
        SATELLITE_ID,
        &now(),
        "satellite-link",
        "Acme satellite uplink",
        "carrier-network",
    ));
    document
}

#[test]
fn a_new_profile_has_every_component_of_its_architecture_and_says_so() {
    let reference = Architecture::reference();
    let document = profile_document(&reference);
    let profile = Profile::from_document(&document).unwrap();
    assert_eq!(profile.name, "Acme RAS");
    assert_eq!(profile.based_on, "ras-reference");
    assert_eq!(profile.present_keys().len(), reference.components.len());
    assert!(profile.added.is_empty() && profile.controls.is_empty());
    let root = document
        .objects
        .iter()
        .find(|object| profile_entry(object).is_some())
        .unwrap();
    assert_eq!(
        root.to_json()["description"],
        "Architecture profile of Acme RAS, based on the RAS reference architecture \
         (ras-reference)."
    );

    // Based on another architecture, it records that one's key.
    let mut other = reference.clone();
    "acme-ras".clone_into(&mut other.key);
    "Acme RAS architecture".clone_into(&mut other.name);
    let profile = Profile::from_document(&profile_document(&other)).unwrap();
    assert_eq!(profile.based_on, "acme-ras");
}

#[test]
fn a_renamed_and_an_added_component_read_back() {
    let reference = Architecture::reference();
    let document = acme();
    let profile = Profile::from_document(&document).unwrap();

    let console = profile
        .components
        .iter()
        .find(|component| component.key == "console")
        .unwrap();
    assert_eq!(console.name.as_deref(), Some("Acme console"));
    assert!(console.present);
    assert_eq!(
        profile.added,
        [Component {
            id: SATELLITE_ID.to_owned(),
            key: "satellite-link".to_owned(),
            name: "Acme satellite uplink".to_owned(),
            description: String::new(),
            zone: "carrier-network".to_owned(),
            position: None,
        }]
    );

    let present = profile.present_keys();
    assert!(
        present.contains("satellite-link"),
        "an added component is present"
    );
    assert!(present.contains("console"));
    assert!(!present.contains("5g"), "the absent one is not");
    assert_eq!(present.len(), reference.components.len());
    assert_eq!(profile.controls.len(), 1);
    assert_eq!(profile.controls[0].party, Party::Mdm);

    assert_eq!(
        profile.component_name("console", &reference),
        "Acme console"
    );
    assert_eq!(
        profile.component_name("robot", &reference),
        "Robotic platform"
    );
    assert_eq!(
        profile.component_name("satellite-link", &reference),
        "Acme satellite uplink"
    );
    assert_eq!(
        profile.component_name("teleporter", &reference),
        "teleporter"
    );

    // The profile is valid, with its added component typed from infrastructure-type-ov, and
    // every extension entry passes the extension's schema.
    let problems: Vec<String> = validate(&document, &Context::built_in())
        .into_iter()
        .filter(|diagnostic| diagnostic.severity() >= Severity::Warning)
        .map(|diagnostic| diagnostic.to_string())
        .collect();
    assert_eq!(problems, Vec::<String>::new());
    let added = document.object(SATELLITE_ID).unwrap().to_json();
    assert_eq!(
        added["infrastructure_types"],
        serde_json::json!(["unknown"])
    );
    let saved = medflow_core::write_bundle(&document);
    for (entry, errors) in common::schema::extension_entries(&saved) {
        assert_eq!(errors, Vec::<String>::new(), "{entry}");
    }
    assert_eq!(
        Profile::from_document(
            &read_bundle(&saved, &ReadLimits::default())
                .unwrap()
                .document
        )
        .unwrap(),
        profile,
        "round trip"
    );
}

/// The library's 5G flow with its 5G asset bound instead to Acme's satellite uplink (the
/// flow then carries a copy of the added component).
fn flow_over_the_satellite(profile_document: &Document) -> Document {
    let flow = read_bundle(FLOW, &ReadLimits::default()).unwrap().document;
    let reference = Architecture::reference();
    let five_g = &reference.component("5g").unwrap().id;
    let asset = flow
        .objects
        .iter()
        .find(|object| {
            matches!(object, StixObject::AttackAsset(asset)
                if asset.object_ref.as_deref() == Some(five_g.as_str()))
        })
        .unwrap()
        .id()
        .to_owned();
    let mut with_added = reference.clone();
    with_added.components.extend(
        Profile::from_document(profile_document)
            .unwrap()
            .added
            .clone(),
    );
    let commands = bind_asset(
        &flow,
        &asset,
        &with_added,
        profile_document,
        "satellite-link",
    );
    let mut editor = Editor::new(flow);
    editor
        .apply("Bind asset to satellite-link", commands)
        .unwrap();
    assert!(
        editor.document().object(five_g).is_none(),
        "the 5G copy went with its last asset"
    );
    editor.document().clone()
}

#[test]
fn a_flow_over_an_added_component_applies_only_to_products_that_have_it() {
    let reference = Architecture::reference();
    let acme_document = acme();
    let acme = Profile::from_document(&acme_document).unwrap();
    let flow = flow_over_the_satellite(&acme_document);

    let result = applicability(&acme, &reference, &flow);
    assert_eq!(result.needs, ["console", "robot", "satellite-link"]);
    assert!(result.applies(), "{}", result.reason());
    assert_eq!(result.reason(), "");

    // The library flow as shipped needs the 5G link, which Acme does not have.
    let shipped = read_bundle(FLOW, &ReadLimits::default()).unwrap().document;
    let result = applicability(&acme, &reference, &shipped);
    assert!(!result.applies());
    assert_eq!(
        result.reason(),
        "needs 5G cellular link (5g), which the profile does not have"
    );

    // A product with only the reference's components lacks the uplink; the reason names it
    // as the flow's copy does, since the architecture does not know it.
    let plain = Profile::from_document(&profile_document(&reference)).unwrap();
    let result = applicability(&plain, &reference, &flow);
    assert_eq!(
        result.missing,
        [(
            "satellite-link".to_owned(),
            "Acme satellite uplink".to_owned()
        )]
    );
    assert_eq!(
        result.reason(),
        "needs Acme satellite uplink (satellite-link), which the profile does not have"
    );
}

#[test]
fn the_extension_schema_refuses_broken_profile_entries() {
    let validator = common::schema::extension_validator();
    let broken = [
        serde_json::json!({"based_on": "ras-reference"}),
        serde_json::json!({"based_on": "ras-reference", "components": [{"present": true}]}),
        serde_json::json!({"based_on": "ras-reference",
                           "components": [{"key": "console", "present": "yes"}]}),
        serde_json::json!({"based_on": "ras-reference", "components": [],
                           "controls": [{"control_ref": "course-of-action--x"}]}),
        serde_json::json!({"based_on": "ras-reference", "components": [], "colour": "red"}),
    ];
    for profile in broken {
        let entry = serde_json::json!({"extension_type": "property-extension", "profile": profile});
        assert!(
            !common::schema::extension_errors(&validator, &entry).is_empty(),
            "accepted {entry}"
        );
    }
}
