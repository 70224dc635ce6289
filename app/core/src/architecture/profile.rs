//! Architecture profiles: one product described against the reference architecture.
//!
//! A profile is a STIX bundle whose `grouping` carries the product's extension entry
//! `profile`:
//!
//! ```json
//! "profile": {
//!   "based_on": "ras-reference",
//!   "components": [
//!     {"key": "console", "present": true, "name": "Acme surgeon console"},
//!     {"key": "5g", "present": false}
//!   ],
//!   "controls": [{"control_ref": "course-of-action--…", "party_ref": "identity--…"}],
//!   "assumptions": [{"condition_ref": "attack-condition--…", "holds": false}]
//! }
//! ```
//!
//! `components` lists every component of the reference: present or not, renamed or not.
//! Components the product adds are `infrastructure` objects of the file with the usual
//! `architecture` entry (`element: "component"`, a `key`, a `zone`). `controls` names the
//! catalogue's controls the product implements and the party implementing each; the file
//! carries a copy of each control (and the party identities) so its references resolve.
//! `assumptions` fix the truth of flows' conditions for this product (a condition the product
//! makes always true or always false); the simulation then follows only that branch.
//!
//! [`applicability`] says whether a flow applies to the product: every component the flow's
//! assets are bound to must exist in it.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::{Architecture, ArchitectureError, Component, REFERENCE_KEY, asset_bindings};
use crate::control::Party;
use crate::extension::{self, Entry, MEDFLOW_IDENTITY_ID, View};
use crate::model::{Document, StixObject, Timestamp};

/// One reference component as the product has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileComponent {
    /// The reference component's key.
    pub key: String,
    /// Whether the product has it.
    pub present: bool,
    /// The product's own name for it, when renamed.
    pub name: Option<String>,
}

/// An implemented control: the control's id and the party that implements it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImplementedControl {
    /// The control (`course-of-action`) id.
    pub control: String,
    /// Who implements it.
    pub party: Party,
}

/// A condition whose truth the product fixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assumption {
    /// The `attack-condition` id (in a flow, not in the profile).
    pub condition: String,
    /// Whether the condition holds.
    pub holds: bool,
}

/// A profile read from its bundle.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Profile {
    /// The profile's `grouping` id.
    pub id: String,
    /// Its name (the product's).
    pub name: String,
    /// The key of the architecture it starts from.
    pub based_on: String,
    /// Each reference component, as the product has it.
    pub components: Vec<ProfileComponent>,
    /// Components the product adds.
    pub added: Vec<Component>,
    /// Controls the product implements.
    pub controls: Vec<ImplementedControl>,
    /// Conditions whose truth the product fixes.
    pub assumptions: Vec<Assumption>,
}

/// The product's `profile` entry in an object's extension, if present.
#[must_use]
pub fn profile_entry(object: &StixObject) -> Option<&Map<String, Value>> {
    if object.type_name() != "grouping" {
        return None;
    }
    extension::entry_object(object, Entry::Profile)
}

/// Whether a document is a profile (it has a grouping with a `profile` entry).
#[must_use]
pub fn is_profile(document: &Document) -> bool {
    document
        .objects
        .iter()
        .any(|object| object.type_name() == "grouping" && profile_entry(object).is_some())
}

impl Profile {
    /// Reads the profile a document holds.
    pub fn from_document(document: &Document) -> Result<Self, ArchitectureError> {
        let Some((root, entry)) = document.objects.iter().find_map(|object| {
            (object.type_name() == "grouping")
                .then(|| profile_entry(object).map(|entry| (object, entry)))
                .flatten()
        }) else {
            return Err(ArchitectureError::Invalid(
                "no profile object (a grouping with the profile entry)".to_owned(),
            ));
        };
        let text =
            |value: &Value, key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
        let mut components = Vec::new();
        for item in entry
            .get("components")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(key) = text(item, "key") else {
                return Err(ArchitectureError::Invalid(format!(
                    "{}: a profile component without a key",
                    root.id()
                )));
            };
            components.push(ProfileComponent {
                key,
                present: item.get("present").and_then(Value::as_bool).unwrap_or(true),
                name: text(item, "name").filter(|name| !name.is_empty()),
            });
        }
        let mut controls = Vec::new();
        for item in entry
            .get("controls")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(control), Some(party)) = (
                text(item, "control_ref"),
                text(item, "party_ref").and_then(|id| Party::from_id(&id)),
            ) else {
                return Err(ArchitectureError::Invalid(format!(
                    "{}: an implemented control needs a control_ref and one of the five parties",
                    root.id()
                )));
            };
            controls.push(ImplementedControl { control, party });
        }
        let mut assumptions = Vec::new();
        for item in entry
            .get("assumptions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(condition), Some(holds)) = (
                text(item, "condition_ref").filter(|id| id.starts_with("attack-condition--")),
                item.get("holds").and_then(Value::as_bool),
            ) else {
                return Err(ArchitectureError::Invalid(format!(
                    "{}: an assumption needs a condition_ref naming an attack-condition and holds, true or false",
                    root.id()
                )));
            };
            assumptions.push(Assumption { condition, holds });
        }
        let added = document
            .objects
            .iter()
            .filter_map(|object| {
                let key = super::component_key(object)?;
                let entry = super::architecture_entry(object)?;
                Some(Component {
                    id: object.id().to_owned(),
                    key: key.to_owned(),
                    name: super::text(object, "name").to_owned(),
                    description: super::text(object, "description").to_owned(),
                    zone: entry
                        .get("zone")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    position: extension::position(object, View::Flow),
                })
            })
            .collect();
        Ok(Self {
            id: root.id().to_owned(),
            name: super::text(root, "name").to_owned(),
            based_on: entry
                .get("based_on")
                .and_then(Value::as_str)
                .unwrap_or(REFERENCE_KEY)
                .to_owned(),
            components,
            added,
            controls,
            assumptions,
        })
    }

    /// The keys of every component the product has: present reference components and added
    /// ones.
    #[must_use]
    pub fn present_keys(&self) -> BTreeSet<&str> {
        self.components
            .iter()
            .filter(|component| component.present)
            .map(|component| component.key.as_str())
            .chain(self.added.iter().map(|component| component.key.as_str()))
            .collect()
    }

    /// The name the product gives the component `key`: its own, else the reference's.
    #[must_use]
    pub fn component_name(&self, key: &str, reference: &Architecture) -> String {
        self.components
            .iter()
            .find(|component| component.key == key)
            .and_then(|component| component.name.clone())
            .or_else(|| {
                self.added
                    .iter()
                    .find(|component| component.key == key)
                    .map(|component| component.name.clone())
            })
            .or_else(|| {
                reference
                    .component(key)
                    .map(|component| component.name.clone())
            })
            .unwrap_or_else(|| key.to_owned())
    }
}

/// The `profile` entry's value for these parts.
#[must_use]
pub fn profile_value(
    based_on: &str,
    components: &[ProfileComponent],
    controls: &[ImplementedControl],
) -> Value {
    let components: Vec<Value> = components
        .iter()
        .map(|component| {
            let mut item = Map::new();
            item.insert("key".into(), component.key.clone().into());
            item.insert("present".into(), component.present.into());
            if let Some(name) = &component.name {
                item.insert("name".into(), name.clone().into());
            }
            Value::Object(item)
        })
        .collect();
    let mut entry = Map::new();
    entry.insert("based_on".into(), based_on.into());
    entry.insert("components".into(), Value::Array(components));
    if !controls.is_empty() {
        entry.insert(
            "controls".into(),
            Value::Array(
                controls
                    .iter()
                    .map(|implemented| {
                        json!({"control_ref": implemented.control, "party_ref": implemented.party.id()})
                    })
                    .collect(),
            ),
        );
    }
    Value::Object(entry)
}

/// `root` (the profile's grouping) with its `profile` entry replaced. The assumptions the
/// old entry holds are kept when `value` does not state its own (`profile_value` leaves
/// them out; [`with_assumptions`] sets them).
#[must_use]
pub fn with_profile_value(root: &StixObject, mut value: Value) -> StixObject {
    if let (Some(old), Some(new)) = (
        profile_entry(root).and_then(|entry| entry.get("assumptions")),
        value.as_object_mut(),
    ) && !new.contains_key("assumptions")
    {
        new.insert("assumptions".into(), old.clone());
    }
    extension::with_entry(root, Entry::Profile, Some(value))
}

/// `root` (the profile's grouping) with its assumptions replaced (sorted by condition id,
/// left out when there are none).
#[must_use]
pub fn with_assumptions(root: &StixObject, assumptions: &[Assumption]) -> StixObject {
    let mut entry = profile_entry(root).cloned().unwrap_or_default();
    let mut sorted: Vec<&Assumption> = assumptions.iter().collect();
    sorted.sort_by(|a, b| a.condition.cmp(&b.condition));
    sorted.dedup_by(|a, b| a.condition == b.condition);
    if sorted.is_empty() {
        entry.shift_remove("assumptions");
    } else {
        entry.insert(
            "assumptions".into(),
            Value::Array(
                sorted
                    .into_iter()
                    .map(|assumption| {
                        json!({"condition_ref": assumption.condition, "holds": assumption.holds})
                    })
                    .collect(),
            ),
        );
    }
    extension::with_entry(root, Entry::Profile, Some(Value::Object(entry)))
}

/// A new profile of the architecture `reference` (the RAS reference architecture or another
/// one, whose key it records in `based_on`): every component present, no control yet.
/// `new_id(type)` gives the ids.
#[must_use]
pub fn new_profile(
    name: &str,
    reference: &Architecture,
    new_id: &mut dyn FnMut(&str) -> String,
    now: &Timestamp,
) -> Document {
    let components: Vec<ProfileComponent> = reference
        .components
        .iter()
        .map(|component| ProfileComponent {
            key: component.key.clone(),
            present: true,
            name: None,
        })
        .collect();
    let stamp = now.to_string();
    let mut root = Map::new();
    root.insert("type".into(), "grouping".into());
    root.insert("spec_version".into(), "2.1".into());
    root.insert("id".into(), new_id("grouping").into());
    root.insert("created".into(), stamp.clone().into());
    root.insert("modified".into(), stamp.into());
    root.insert("name".into(), name.into());
    root.insert(
        "description".into(),
        format!(
            "Architecture profile of {name}, based on the {} ({}).",
            reference.name, reference.key
        )
        .into(),
    );
    root.insert("context".into(), "unspecified".into());
    root.insert("object_refs".into(), json!([MEDFLOW_IDENTITY_ID]));
    root.insert(
        "extensions".into(),
        extension::extensions_with(
            Entry::Profile,
            profile_value(&reference.key, &components, &[]),
        ),
    );
    let mut document = Document {
        bundle_id: new_id("bundle"),
        objects: vec![StixObject::from_json(root)],
    };
    let declarations = extension::missing_declarations(&document);
    document.objects.extend(declarations);
    document
}

/// A component the product adds to the architecture, in the zone `zone`: an
/// `infrastructure` object with the `architecture` entry (`element: "component"`). Its type
/// is `unknown` in STIX's infrastructure-type-ov until the author says more.
#[must_use]
pub fn added_component(id: &str, now: &Timestamp, key: &str, name: &str, zone: &str) -> StixObject {
    let stamp = now.to_string();
    let mut object = Map::new();
    object.insert("type".into(), "infrastructure".into());
    object.insert("spec_version".into(), "2.1".into());
    object.insert("id".into(), id.into());
    object.insert("created".into(), stamp.clone().into());
    object.insert("modified".into(), stamp.into());
    object.insert("name".into(), name.into());
    object.insert("infrastructure_types".into(), json!(["unknown"]));
    object.insert(
        "extensions".into(),
        extension::extensions_with(
            Entry::Architecture,
            json!({"element": "component", "key": key, "zone": zone}),
        ),
    );
    StixObject::from_json(object)
}

/// Whether a flow applies to a product, and why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicability {
    /// The component keys the flow's assets are bound to.
    pub needs: Vec<String>,
    /// Those the product lacks, each with its name (the architecture's, else the one the
    /// flow's copy of the component carries, else the key).
    pub missing: Vec<(String, String)>,
}

impl Applicability {
    /// The flow applies: the product has every component it needs.
    #[must_use]
    pub fn applies(&self) -> bool {
        self.missing.is_empty()
    }

    /// Why the flow does not apply, in a sentence ("needs 5G cellular link (5g), which the
    /// profile does not have"); empty when it applies.
    #[must_use]
    pub fn reason(&self) -> String {
        if self.missing.is_empty() {
            return String::new();
        }
        let names: Vec<String> = self
            .missing
            .iter()
            .map(|(key, name)| format!("{name} ({key})"))
            .collect();
        let verb = if names.len() == 1 { "does" } else { "do" };
        format!(
            "needs {}, which the profile {verb} not have",
            names.join(", ")
        )
    }
}

/// Whether `flow` applies to the product `profile` describes; `architecture` is the one the
/// profile is based on. A component the product adds counts like one of the architecture's.
#[must_use]
pub fn applicability(
    profile: &Profile,
    architecture: &Architecture,
    flow: &Document,
) -> Applicability {
    let present = profile.present_keys();
    let needs: BTreeSet<&str> = asset_bindings(flow)
        .into_iter()
        .filter_map(|(_, key)| key)
        .collect();
    let copy_name = |key: &str| {
        flow.objects
            .iter()
            .find(|object| super::component_key(object) == Some(key))
            .map(|object| super::text(object, "name"))
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
    };
    let missing = needs
        .iter()
        .filter(|key| !present.contains(*key))
        .map(|key| {
            let name = architecture
                .component(key)
                .map(|component| component.name.clone())
                .or_else(|| copy_name(key))
                .unwrap_or_else(|| (*key).to_owned());
            ((*key).to_owned(), name)
        })
        .collect();
    Applicability {
        needs: needs.into_iter().map(str::to_owned).collect(),
        missing,
    }
}
