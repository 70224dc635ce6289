//! Drift between a flow's controls and the library's control catalogue.
//!
//! The catalogue ([`crate::library::CONTROL_CATALOGUE_FILE`]) holds one definition per
//! control; flows carry copies. A copy whose name, description, kind, FDA category, source or
//! RACI differs from the catalogue's has **drifted**: [`drift`] lists each differing field,
//! and [`updated_from_catalogue`] makes the copy match again. A control the catalogue does not
//! know is not drift; [`missing_from_catalogue`] lists those.

use std::collections::HashMap;

use serde_json::Value;

use super::{control_entry, is_control, raci_of, raci_text, source_of};
use crate::diagnostic::{Code, Diagnostic};
use crate::extension::{self, Entry};
use crate::model::{Document, StixObject};

/// One field of a flow's control that differs from the catalogue's definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The control's id (the same in the flow and the catalogue).
    pub control_id: String,
    /// The control's name in the flow.
    pub control_name: String,
    /// The field that differs: `name`, `description`, `kind`, `fda_category`, `source` or
    /// `raci`.
    pub field: &'static str,
    /// The field's value in the flow, as text (empty when absent).
    pub in_flow: String,
    /// The field's value in the catalogue, as text (empty when absent).
    pub in_catalogue: String,
}

/// Every drifted field of the flow's controls whose id is in the catalogue, in the flow's
/// document order and then in the order the fields of [`Drift::field`] are listed.
#[must_use]
pub fn drift(flow: &Document, catalogue: &Document) -> Vec<Drift> {
    let known = catalogue_controls(catalogue);
    let mut found = Vec::new();
    for control in flow.objects.iter().filter(|object| is_control(object)) {
        let Some(definition) = known.get(control.id()) else {
            continue;
        };
        let here = fields(control);
        let there = fields(definition);
        let name = &here[0].1;
        for ((field, in_flow), (_, in_catalogue)) in here.iter().zip(&there) {
            if in_flow != in_catalogue {
                found.push(Drift {
                    control_id: control.id().to_owned(),
                    control_name: name.clone(),
                    field,
                    in_flow: in_flow.clone(),
                    in_catalogue: in_catalogue.clone(),
                });
            }
        }
    }
    found
}

/// The flow's controls the catalogue does not define, in document order.
fn uncatalogued<'a>(
    flow: &'a Document,
    catalogue: &'a Document,
) -> impl Iterator<Item = &'a StixObject> {
    let known = catalogue_controls(catalogue);
    flow.objects
        .iter()
        .filter(move |object| is_control(object) && !known.contains_key(object.id()))
}

/// The ids of the flow's controls the catalogue does not define, in document order.
#[must_use]
pub fn missing_from_catalogue(flow: &Document, catalogue: &Document) -> Vec<String> {
    uncatalogued(flow, catalogue)
        .map(|control| control.id().to_owned())
        .collect()
}

/// One `control-not-in-catalogue` warning per control of the flow the catalogue does not
/// define, in document order, naming the control.
#[must_use]
pub fn not_in_catalogue_diagnostics(flow: &Document, catalogue: &Document) -> Vec<Diagnostic> {
    uncatalogued(flow, catalogue)
        .map(|control| {
            let name = match control {
                StixObject::Other(other) => other.string("name").unwrap_or_default(),
                _ => "",
            };
            Diagnostic::object(
                Code::ControlNotInCatalogue,
                control.id(),
                format!(
                    "the control {name:?} is not in the library's control catalogue ({}); add \
                     it there so that every flow shares one definition",
                    crate::library::CONTROL_CATALOGUE_FILE
                ),
            )
        })
        .collect()
}

/// The flow's copy of a control brought up to date with the catalogue's definition: the
/// catalogue's name, description, `external_references` and `control` entry, with the copy's
/// id, `created` and every other property kept (other entries of the product's extension,
/// too). A property the catalogue's definition lacks is removed from the copy.
#[must_use]
pub fn updated_from_catalogue(
    flow_control: &StixObject,
    catalogue_control: &StixObject,
) -> StixObject {
    let mut map = flow_control.to_json();
    let definition = catalogue_control.to_json();
    for key in ["name", "description", "external_references"] {
        match definition.get(key) {
            Some(value) => {
                map.insert(key.to_owned(), value.clone());
            }
            None => {
                map.remove(key);
            }
        }
    }
    let mut updated = StixObject::from_json(map);
    if let Some(entry) = control_entry(catalogue_control) {
        updated =
            extension::with_entry(&updated, Entry::Control, Some(Value::Object(entry.clone())));
    }
    updated
}

/// The catalogue's controls by id (the first one when an id repeats).
fn catalogue_controls(catalogue: &Document) -> HashMap<&str, &StixObject> {
    let mut known = HashMap::new();
    for object in catalogue.objects.iter().filter(|object| is_control(object)) {
        known.entry(object.id()).or_insert(object);
    }
    known
}

/// The compared fields of one control as text, in the order drift is reported (name first).
fn fields(control: &StixObject) -> [(&'static str, String); 6] {
    let json = control.to_json();
    let property = |key: &str| {
        json.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let entry = control_entry(control);
    let stored = |key: &str| {
        entry
            .and_then(|entry| entry.get(key))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let source = source_of(control)
        .map(|source| format!("{}:{}", source.source_name(), source.id()))
        .unwrap_or_default();
    [
        ("name", property("name")),
        ("description", property("description")),
        ("kind", stored("kind")),
        ("fda_category", stored("fda_category")),
        ("source", source),
        ("raci", raci_text(&entry.map(raci_of).unwrap_or_default())),
    ]
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use crate::control::{
        ControlKind, ControlSource, ControlSpec, FdaCategory, Party, Raci, Roles, new_control,
    };
    use crate::extension::MEDFLOW_EXTENSION_ID;
    use crate::model::Timestamp;

    const ID: &str = "course-of-action--6a8e2f0c-1c3d-4e5f-8a9b-0c1d2e3f4a5b";
    const OTHER_ID: &str = "course-of-action--0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";

    fn now() -> Timestamp {
        Timestamp::from_unix_millis(1_714_557_600_000)
    }

    fn spec() -> ControlSpec {
        let mut raci = Raci::new();
        raci.insert(Party::Hdo, Roles::parse("AR").unwrap());
        raci.insert(Party::Mdm, Roles::parse("C").unwrap());
        ControlSpec {
            name: "Multi-factor authentication for vendor remote access".to_owned(),
            description: Some("Vendors sign in with a second factor.".to_owned()),
            kind: ControlKind::Prevent,
            source: Some(ControlSource::Mitigation("M1032".to_owned())),
            fda_category: Some(FdaCategory::Authentication),
            raci,
        }
    }

    fn document(objects: Vec<StixObject>) -> Document {
        Document {
            bundle_id: "bundle--8cae4b2e-3e5f-4a71-8cbd-2e3f4a5b6c7d".to_owned(),
            objects,
        }
    }

    #[test]
    fn an_identical_copy_has_no_drift() {
        let flow = document(vec![new_control(&spec(), ID, &now())]);
        let catalogue = document(vec![new_control(
            &spec(),
            ID,
            &Timestamp::from_unix_millis(0),
        )]);
        assert_eq!(drift(&flow, &catalogue), Vec::new());
        assert!(missing_from_catalogue(&flow, &catalogue).is_empty());
        assert!(not_in_catalogue_diagnostics(&flow, &catalogue).is_empty());
    }

    #[test]
    fn a_control_the_catalogue_lacks_is_named() {
        let mut other = spec();
        other.name = "Session recording".to_owned();
        let flow = document(vec![
            new_control(&spec(), ID, &now()),
            new_control(&other, OTHER_ID, &now()),
        ]);
        let catalogue = document(vec![new_control(&spec(), ID, &now())]);
        let found = not_in_catalogue_diagnostics(&flow, &catalogue);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, Code::ControlNotInCatalogue);
        assert_eq!(found[0].object_id.as_deref(), Some(OTHER_ID));
        assert_eq!(
            found[0].message,
            "the control \"Session recording\" is not in the library's control catalogue \
             (controls.json); add it there so that every flow shares one definition"
        );
    }

    #[test]
    fn every_differing_field_is_reported_in_field_order() {
        let flow = document(vec![new_control(&spec(), ID, &now())]);
        let mut changed = spec();
        changed.name = "MFA for vendors".to_owned();
        changed.description = None;
        changed.kind = ControlKind::Respond;
        changed.fda_category = None;
        changed.source = Some(ControlSource::Custom("MF-C-012".to_owned()));
        changed.raci.insert(Party::Mdm, Roles::parse("R").unwrap());
        changed.raci.insert(Party::Csp, Roles::parse("I").unwrap());
        let catalogue = document(vec![new_control(&changed, ID, &now())]);
        let found = drift(&flow, &catalogue);
        let fields: Vec<&str> = found.iter().map(|drift| drift.field).collect();
        assert_eq!(
            fields,
            [
                "name",
                "description",
                "kind",
                "fda_category",
                "source",
                "raci"
            ]
        );
        assert!(found.iter().all(|drift| drift.control_id == ID
            && drift.control_name == "Multi-factor authentication for vendor remote access"));
        assert_eq!(found[0].in_catalogue, "MFA for vendors");
        assert_eq!(found[1].in_flow, "Vendors sign in with a second factor.");
        assert_eq!(found[1].in_catalogue, "");
        assert_eq!(
            (found[2].in_flow.as_str(), found[2].in_catalogue.as_str()),
            ("prevent", "respond")
        );
        assert_eq!(found[3].in_flow, "authentication");
        assert_eq!(found[4].in_flow, "mitre-attack:M1032");
        assert_eq!(found[4].in_catalogue, "medflow-controls:MF-C-012");
        assert_eq!(found[5].in_flow, "MDM: C, HDO: AR");
        assert_eq!(found[5].in_catalogue, "CSP: I, MDM: R, HDO: AR");
    }

    #[test]
    fn raci_order_in_the_file_is_not_drift() {
        let flow = document(vec![new_control(&spec(), ID, &now())]);
        let mut reordered = new_control(&spec(), ID, &now()).to_json();
        let raci = &mut reordered["extensions"][MEDFLOW_EXTENSION_ID]["control"]["raci"];
        let Value::Array(assignments) = raci else {
            panic!("no raci array");
        };
        assignments.reverse();
        assignments[0]["roles"] = serde_json::json!(["R", "A"]);
        let catalogue = document(vec![StixObject::from_json(reordered)]);
        assert_eq!(drift(&flow, &catalogue), Vec::new());
    }

    #[test]
    fn controls_the_catalogue_lacks_are_missing_not_drifted() {
        let mut other = spec();
        other.name = "Network segmentation".to_owned();
        let flow = document(vec![
            new_control(&spec(), ID, &now()),
            new_control(&other, OTHER_ID, &now()),
        ]);
        let mut catalogue_spec = spec();
        catalogue_spec.name = "Renamed".to_owned();
        let catalogue = document(vec![new_control(&catalogue_spec, ID, &now())]);
        let found = drift(&flow, &catalogue);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, "name");
        assert_eq!(missing_from_catalogue(&flow, &catalogue), [OTHER_ID]);
        assert_eq!(
            missing_from_catalogue(&flow, &document(Vec::new())),
            [ID, OTHER_ID]
        );
    }

    #[test]
    fn a_plain_course_of_action_in_the_catalogue_is_not_a_definition() {
        let flow = document(vec![new_control(&spec(), ID, &now())]);
        let mut plain = new_control(&spec(), ID, &now()).to_json();
        plain.remove("extensions");
        plain.insert("name".to_owned(), "Something else".into());
        let catalogue = document(vec![StixObject::from_json(plain)]);
        assert!(drift(&flow, &catalogue).is_empty());
        assert_eq!(missing_from_catalogue(&flow, &catalogue), [ID]);
    }

    #[test]
    fn updating_takes_the_definition_and_keeps_the_copy_s_own_properties() {
        let mut copy = new_control(&spec(), ID, &now()).to_json();
        copy.insert("labels".to_owned(), serde_json::json!(["local"]));
        copy["extensions"][MEDFLOW_EXTENSION_ID]["layout"] = serde_json::json!({"x": 1, "y": 2});
        let copy = StixObject::from_json(copy);

        let mut changed = spec();
        changed.name = "MFA for vendors".to_owned();
        changed.description = None;
        changed.kind = ControlKind::Detect;
        changed.source = Some(ControlSource::Custom("MF-C-012".to_owned()));
        changed.raci.insert(Party::Ehr, Roles::parse("I").unwrap());
        let definition = new_control(&changed, ID, &Timestamp::from_unix_millis(0));

        let updated = updated_from_catalogue(&copy, &definition);
        let flow = document(vec![updated.clone()]);
        let catalogue = document(vec![definition]);
        assert_eq!(drift(&flow, &catalogue), Vec::new());

        let json = updated.to_json();
        assert_eq!(json["id"], ID);
        assert_eq!(
            json["created"],
            now().to_string(),
            "the copy's created is kept"
        );
        assert_eq!(json["labels"], serde_json::json!(["local"]));
        assert!(json.get("description").is_none());
        assert_eq!(
            json["extensions"][MEDFLOW_EXTENSION_ID]["layout"],
            serde_json::json!({"x": 1, "y": 2})
        );
        assert_eq!(
            json["external_references"],
            serde_json::json!([{"source_name": "medflow-controls", "external_id": "MF-C-012"}])
        );
        let entry = control_entry(&updated).unwrap();
        assert_eq!(entry["kind"], "detect");
        assert_eq!(raci_of(entry), changed.raci);
    }

    #[test]
    fn raci_text_lists_parties_in_matrix_order() {
        assert_eq!(raci_text(&spec().raci), "MDM: C, HDO: AR");
        assert_eq!(raci_text(&Raci::new()), "");
    }
}
