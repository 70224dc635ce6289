//! Controls and their responsibility (RACI), as the product stores them in STIX.
//!
//! A **control** is a `course-of-action`. What the product adds lives in its property
//! extension ([`crate::extension::MEDFLOW_EXTENSION_ID`]) under `control`:
//!
//! ```json
//! "extensions": {
//!   "extension-definition--5f1c3a2e-…": {
//!     "extension_type": "property-extension",
//!     "control": {
//!       "kind": "prevent",
//!       "fda_category": "authentication",
//!       "raci": [
//!         {"party_ref": "identity--…(HDO)", "roles": ["A", "R"]},
//!         {"party_ref": "identity--…(MDM)", "roles": ["C"]}
//!       ]
//!     }
//!   }
//! }
//! ```
//!
//! Where a control comes from is said the STIX way, in `external_references`: an ATT&CK
//! mitigation (`source_name` `mitre-attack`, `external_id` `M1032`), an ATT&CK detection
//! strategy (`mitre-attack`, `DET0123`), or a custom control of the product's catalogue
//! (`source_name` [`CUSTOM_SOURCE`], `external_id` `MF-C-012`).
//!
//! A control addresses actions through `relationship` objects: `mitigates` for prevention and
//! response controls, `detects` for detection controls. The five parties of a RACI assignment
//! are `identity` objects with fixed ids ([`Party::id`]) that travel with every file using them.

mod catalogue;
mod coverage;
mod edit;
mod kinds;
mod matrix;
mod raci;

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::extension::{self, Entry};
use crate::model::{Document, StixObject};

pub use catalogue::{
    Drift, drift, missing_from_catalogue, not_in_catalogue_diagnostics, updated_from_catalogue,
};
pub use coverage::{ActionCoverage, coverage};
pub use edit::{
    ControlStep, add_control, add_or_reuse_control, link_control, set_control, set_party_roles,
    unlink_control,
};
pub use kinds::{ATTACK_SOURCE, CUSTOM_SOURCE, ControlKind, ControlSource, FdaCategory};
pub use matrix::{MatrixFilter, MatrixRow, MatrixSort, raci_matrix};
pub use raci::{Party, Raci, Role, Roles, raci_of, raci_text, raci_value};

/// A `course-of-action` read as a control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    /// The object's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its kind, when the extension states a known one.
    pub kind: Option<ControlKind>,
    /// Its FDA category, when stated and known.
    pub fda_category: Option<FdaCategory>,
    /// Where it comes from, when cited.
    pub source: Option<ControlSource>,
    /// Each party's roles (parties that are not one of the five are left out).
    pub raci: Raci,
    /// The action ids it addresses, through `mitigates` or `detects` relationships, in
    /// document order.
    pub addresses: Vec<String>,
}

/// The product's `control` entry in an object's extension, if present.
#[must_use]
pub fn control_entry(object: &StixObject) -> Option<&Map<String, Value>> {
    extension::entry_object(object, Entry::Control)
}

/// Whether `object` is a control: a `course-of-action` carrying the product's `control`
/// entry. (A plain course-of-action, as other tools write them, is left alone.)
#[must_use]
pub fn is_control(object: &StixObject) -> bool {
    object.type_name() == "course-of-action" && control_entry(object).is_some()
}

/// Whether `object` is one of the five fixed party identities.
#[must_use]
pub fn is_party(object: &StixObject) -> bool {
    object.type_name() == "identity" && Party::from_id(object.id()).is_some()
}

/// The source an object cites in its `external_references`, if any.
#[must_use]
pub fn source_of(object: &StixObject) -> Option<ControlSource> {
    let StixObject::Other(other) = object else {
        return None;
    };
    other
        .properties
        .get("external_references")?
        .as_array()?
        .iter()
        .find_map(|reference| {
            ControlSource::from_reference(
                reference.get("source_name")?.as_str()?,
                reference.get("external_id")?.as_str()?,
            )
        })
}

/// A `mitigates` or `detects` relationship from a control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlLink {
    /// The relationship's id.
    pub id: String,
    /// `mitigates` or `detects`.
    pub relationship_type: String,
    /// The control's id.
    pub control: String,
    /// The object addressed.
    pub target: String,
}

/// Every relationship of type `mitigates` or `detects` whose source is a control, in
/// document order.
#[must_use]
pub fn control_links(document: &Document) -> Vec<ControlLink> {
    let controls: std::collections::HashSet<&str> = document
        .objects
        .iter()
        .filter(|object| is_control(object))
        .map(StixObject::id)
        .collect();
    document
        .objects
        .iter()
        .filter_map(|object| {
            let StixObject::Other(other) = object else {
                return None;
            };
            if other.type_name() != "relationship" {
                return None;
            }
            let relationship_type = other.string("relationship_type")?;
            if relationship_type != "mitigates" && relationship_type != "detects" {
                return None;
            }
            let control = other.string("source_ref")?;
            if !controls.contains(control) {
                return None;
            }
            Some(ControlLink {
                id: other.id().to_owned(),
                relationship_type: relationship_type.to_owned(),
                control: control.to_owned(),
                target: other.string("target_ref")?.to_owned(),
            })
        })
        .collect()
}

/// Every control of the document, in document order, with the actions it addresses.
#[must_use]
pub fn controls(document: &Document) -> Vec<Control> {
    let links = control_links(document);
    let actions: std::collections::HashSet<&str> = document
        .objects
        .iter()
        .filter(|object| object.type_name() == "attack-action")
        .map(StixObject::id)
        .collect();
    let mut addressed: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for link in &links {
        let is_action = actions.contains(link.target.as_str());
        if is_action {
            addressed
                .entry(link.control.as_str())
                .or_default()
                .push(link.target.clone());
        }
    }
    document
        .objects
        .iter()
        .filter(|object| is_control(object))
        .map(|object| {
            let entry = control_entry(object);
            let text = |key: &str| entry.and_then(|entry| entry.get(key)?.as_str());
            Control {
                id: object.id().to_owned(),
                name: match object {
                    StixObject::Other(other) => other.string("name").unwrap_or_default(),
                    _ => "",
                }
                .to_owned(),
                kind: text("kind").and_then(ControlKind::parse),
                fda_category: text("fda_category").and_then(FdaCategory::parse),
                source: source_of(object),
                raci: entry.map(raci_of).unwrap_or_default(),
                addresses: addressed.remove(object.id()).unwrap_or_default(),
            }
        })
        .collect()
}

/// What a new control is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlSpec {
    /// Its name.
    pub name: String,
    /// What it does, in a sentence or two.
    pub description: Option<String>,
    /// Its kind.
    pub kind: ControlKind,
    /// Where it comes from.
    pub source: Option<ControlSource>,
    /// The FDA category it serves.
    pub fda_category: Option<FdaCategory>,
    /// Who does what.
    pub raci: Raci,
}

/// The `control` extension entry for these properties.
fn control_value(kind: ControlKind, fda_category: Option<FdaCategory>, raci: &Raci) -> Value {
    let mut entry = Map::new();
    entry.insert("kind".into(), kind.as_str().into());
    if let Some(category) = fda_category {
        entry.insert("fda_category".into(), category.as_str().into());
    }
    let assignments = raci_value(raci);
    if !assignments.is_empty() {
        entry.insert("raci".into(), Value::Array(assignments));
    }
    Value::Object(entry)
}

/// A new control: a `course-of-action` with id `id`, created `now`.
#[must_use]
pub fn new_control(spec: &ControlSpec, id: &str, now: &crate::model::Timestamp) -> StixObject {
    let now = now.to_string();
    let mut map = Map::new();
    map.insert("type".into(), "course-of-action".into());
    map.insert("spec_version".into(), "2.1".into());
    map.insert("id".into(), id.into());
    map.insert("created".into(), now.clone().into());
    map.insert("modified".into(), now.into());
    map.insert("name".into(), spec.name.clone().into());
    if let Some(description) = spec.description.as_ref().filter(|text| !text.is_empty()) {
        map.insert("description".into(), description.clone().into());
    }
    if let Some(source) = &spec.source {
        map.insert(
            "external_references".into(),
            json!([{ "source_name": source.source_name(), "external_id": source.id() }]),
        );
    }
    map.insert(
        "extensions".into(),
        extension::extensions_with(
            Entry::Control,
            control_value(spec.kind, spec.fda_category, &spec.raci),
        ),
    );
    StixObject::from_json(map)
}

/// `control` with its kind, FDA category and RACI replaced (everything else kept).
#[must_use]
pub fn with_control_properties(
    control: &StixObject,
    kind: ControlKind,
    fda_category: Option<FdaCategory>,
    raci: &Raci,
) -> StixObject {
    extension::with_entry(
        control,
        Entry::Control,
        Some(control_value(kind, fda_category, raci)),
    )
}

/// A relationship from control `control` to `target` fitting `kind`.
#[must_use]
pub fn control_relationship(
    id: &str,
    control: &str,
    target: &str,
    kind: ControlKind,
    now: &crate::model::Timestamp,
) -> StixObject {
    crate::edit::new_relationship(id, kind.relationship_type(), control, target, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_print_in_letter_order() {
        assert_eq!(Roles::parse("ra").unwrap().to_string(), "AR");
        assert_eq!(Roles::parse("I, C").unwrap().to_string(), "CI");
        assert_eq!(Roles::parse("").unwrap(), Roles::NONE);
        assert_eq!(Roles::parse("AX"), Err('X'));
        let roles = Roles::NONE.with(Role::Responsible).with(Role::Accountable);
        assert!(roles.contains(Role::Accountable));
        assert_eq!(roles.without(Role::Accountable).to_string(), "R");
    }

    #[test]
    fn parties_round_trip_through_their_ids_and_names() {
        for party in Party::ALL {
            assert_eq!(Party::from_id(party.id()), Some(party));
            assert_eq!(Party::from_short_name(party.short_name()), Some(party));
            assert_eq!(party.identity().id(), party.id());
        }
        assert_eq!(
            Party::Patient.identity().to_json()["identity_class"],
            "class"
        );
    }

    #[test]
    fn a_new_control_reads_back_with_its_properties() {
        let now = crate::model::Timestamp::from_unix_millis(1_714_557_600_000);
        let mut raci = Raci::new();
        raci.insert(Party::Hdo, Roles::parse("AR").unwrap());
        raci.insert(Party::Mdm, Roles::parse("C").unwrap());
        let spec = ControlSpec {
            name: "Multi-factor authentication for vendor remote access".to_owned(),
            description: None,
            kind: ControlKind::Prevent,
            source: Some(ControlSource::Mitigation("M1032".to_owned())),
            fda_category: Some(FdaCategory::Authentication),
            raci: raci.clone(),
        };
        let id = "course-of-action--6a8e2f0c-1c3d-4e5f-8a9b-0c1d2e3f4a5b";
        let action = "attack-action--7b9f3a1d-2d4e-4f60-9bac-1d2e3f4a5b6c";
        let document = Document {
            bundle_id: "bundle--8cae4b2e-3e5f-4a71-8cbd-2e3f4a5b6c7d".to_owned(),
            objects: vec![
                new_control(&spec, id, &now),
                crate::edit::new_object(crate::edit::NewObject::Action, action, &now),
                control_relationship(
                    "relationship--9dbf5c3f-4f60-4b82-9dce-3f4a5b6c7d8e",
                    id,
                    action,
                    ControlKind::Prevent,
                    &now,
                ),
            ],
        };
        let read = controls(&document);
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].name, spec.name);
        assert_eq!(read[0].kind, Some(ControlKind::Prevent));
        assert_eq!(read[0].fda_category, Some(FdaCategory::Authentication));
        assert_eq!(
            read[0].source,
            Some(ControlSource::Mitigation("M1032".to_owned()))
        );
        assert_eq!(read[0].raci, raci);
        assert_eq!(read[0].addresses, vec![action.to_owned()]);

        let mut changed = raci;
        changed.insert(Party::Csp, Roles::parse("I").unwrap());
        let edited =
            with_control_properties(&document.objects[0], ControlKind::Detect, None, &changed);
        let entry = control_entry(&edited).unwrap();
        assert_eq!(entry["kind"], "detect");
        assert!(entry.get("fda_category").is_none());
        assert_eq!(raci_of(entry), changed);
        assert_eq!(source_of(&edited), read[0].source, "the citation is kept");
    }
}
