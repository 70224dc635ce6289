//! Controls and their responsibility (RACI), as the product stores them in STIX.
//!
//! A **control** is a `course-of-action`. What the product adds lives in its property
//! extension ([`MEDFLOW_EXTENSION_ID`]) under `control`:
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

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value, json};

use crate::layout::{MEDFLOW_EXTENSION_ID, product_property, with_product_property};
use crate::model::{Document, StixObject};

pub use catalogue::{
    Drift, drift, missing_from_catalogue, not_in_catalogue_diagnostics, raci_text,
    updated_from_catalogue,
};
pub use coverage::{ActionCoverage, coverage};
pub use edit::{add_control, link_control, set_control, unlink_control};

/// `source_name` of the product's own (custom) controls in `external_references`.
pub const CUSTOM_SOURCE: &str = "medflow-controls";

/// `source_name` of ATT&CK in `external_references`.
pub const ATTACK_SOURCE: &str = "mitre-attack";

/// When the party identities were made (fixed, so every file carries the same objects).
const PARTIES_CREATED: &str = "2026-11-22T00:00:00.000Z";

/// A party that can hold responsibility for a control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Party {
    /// The cloud service provider under the device cloud.
    Csp,
    /// The medical device manufacturer, which also runs the device's cloud service.
    Mdm,
    /// The health delivery organisation: the hospital.
    Hdo,
    /// The electronic health record vendor.
    Ehr,
    /// The patient.
    Patient,
}

impl Party {
    /// The five parties, in matrix order.
    pub const ALL: [Party; 5] = [Self::Csp, Self::Mdm, Self::Hdo, Self::Ehr, Self::Patient];

    /// The party's fixed `identity` id.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Self::Csp => "identity--20b29218-15db-4111-aae5-f71587a1df13",
            Self::Mdm => "identity--cdeab6eb-58f6-43a1-aeb8-c9f4eb2168e4",
            Self::Hdo => "identity--31d47c91-db97-4b9d-a339-a7fdae51e471",
            Self::Ehr => "identity--a2006fd0-b9c6-44cf-a166-cfe688693991",
            Self::Patient => "identity--a2a4f60c-199a-4cf7-a503-2541691547c1",
        }
    }

    /// The short name used in matrices and CSV headers: `CSP`, `MDM`, `HDO`, `EHR`, `Patient`.
    #[must_use]
    pub fn short_name(self) -> &'static str {
        match self {
            Self::Csp => "CSP",
            Self::Mdm => "MDM",
            Self::Hdo => "HDO",
            Self::Ehr => "EHR",
            Self::Patient => "Patient",
        }
    }

    /// The identity's name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Csp => "Cloud service provider (CSP)",
            Self::Mdm => "Medical device manufacturer (MDM)",
            Self::Hdo => "Health delivery organisation (HDO)",
            Self::Ehr => "EHR vendor",
            Self::Patient => "Patient",
        }
    }

    /// The party whose identity has this id.
    #[must_use]
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|party| party.id() == id)
    }

    /// The party with this short name (any case): `csp`, `MDM`, `ehr`, `patient`, …
    #[must_use]
    pub fn from_short_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|party| party.short_name().eq_ignore_ascii_case(name))
    }

    /// The party's `identity` object: organisations, and the patient as a class of people.
    #[must_use]
    pub fn identity(self) -> StixObject {
        let (class, description) = match self {
            Self::Csp => (
                "organization",
                "The cloud service provider whose infrastructure hosts the device's cloud service.",
            ),
            Self::Mdm => (
                "organization",
                "The medical device manufacturer; it also operates the device's cloud service.",
            ),
            Self::Hdo => (
                "organization",
                "The hospital or other health delivery organisation that runs the device.",
            ),
            Self::Ehr => (
                "organization",
                "The vendor of the electronic health record the device's cloud exchanges data with.",
            ),
            Self::Patient => (
                "class",
                "The patients treated with the device, as a class of people.",
            ),
        };
        stix_object(json!({
            "type": "identity",
            "spec_version": "2.1",
            "id": self.id(),
            "created": PARTIES_CREATED,
            "modified": PARTIES_CREATED,
            "name": self.name(),
            "description": description,
            "identity_class": class,
        }))
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.short_name())
    }
}

/// One letter of a RACI assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Answerable for the control: exactly one party per control.
    Accountable,
    /// Does the work: at least one party per control.
    Responsible,
    /// Asked before decisions.
    Consulted,
    /// Told of outcomes.
    Informed,
}

impl Role {
    /// The four roles, in the order their letters are written (`AR`, `RC`, …).
    pub const ALL: [Role; 4] = [
        Self::Accountable,
        Self::Responsible,
        Self::Consulted,
        Self::Informed,
    ];

    /// The role's letter.
    #[must_use]
    pub fn letter(self) -> char {
        match self {
            Self::Accountable => 'A',
            Self::Responsible => 'R',
            Self::Consulted => 'C',
            Self::Informed => 'I',
        }
    }

    /// The role with this letter (any case).
    #[must_use]
    pub fn from_letter(letter: char) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|role| role.letter() == letter.to_ascii_uppercase())
    }

    /// The role's name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Accountable => "Accountable",
            Self::Responsible => "Responsible",
            Self::Consulted => "Consulted",
            Self::Informed => "Informed",
        }
    }

    fn bit(self) -> u8 {
        match self {
            Self::Accountable => 1,
            Self::Responsible => 2,
            Self::Consulted => 4,
            Self::Informed => 8,
        }
    }
}

/// The roles one party holds for one control.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Roles(u8);

impl Roles {
    /// No role.
    pub const NONE: Roles = Roles(0);

    /// Whether the party holds `role`.
    #[must_use]
    pub fn contains(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    /// These roles with `role` added.
    #[must_use]
    pub fn with(self, role: Role) -> Self {
        Self(self.0 | role.bit())
    }

    /// These roles with `role` taken away.
    #[must_use]
    pub fn without(self, role: Role) -> Self {
        Self(self.0 & !role.bit())
    }

    /// Whether no role is held.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The roles held, in letter order.
    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL
            .into_iter()
            .filter(move |role| self.contains(*role))
    }

    /// Parses letters such as `AR`, `r`, `C I` (spaces, commas and `/` ignored). `Err` names
    /// the first character that is not a RACI letter.
    pub fn parse(text: &str) -> Result<Self, char> {
        let mut roles = Self::NONE;
        for character in text.chars() {
            if character.is_whitespace() || matches!(character, ',' | '/' | '-') {
                continue;
            }
            roles = roles.with(Role::from_letter(character).ok_or(character)?);
        }
        Ok(roles)
    }
}

impl fmt::Display for Roles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for role in self.iter() {
            write!(f, "{}", role.letter())?;
        }
        Ok(())
    }
}

/// A RACI assignment: each party's roles (parties holding none are absent).
pub type Raci = BTreeMap<Party, Roles>;

/// What a control does about the actions it addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ControlKind {
    /// Stops the action (`mitigates`).
    Prevent,
    /// Notices the action (`detects`).
    Detect,
    /// Limits the harm once the action happened (`mitigates`).
    Respond,
}

impl ControlKind {
    /// The three kinds.
    pub const ALL: [ControlKind; 3] = [Self::Prevent, Self::Detect, Self::Respond];

    /// The kind as stored: `prevent`, `detect`, `respond`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Prevent => "prevent",
            Self::Detect => "detect",
            Self::Respond => "respond",
        }
    }

    /// The kind stored as `text`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// The relationship type linking a control of this kind to an action.
    #[must_use]
    pub fn relationship_type(self) -> &'static str {
        match self {
            Self::Prevent | Self::Respond => "mitigates",
            Self::Detect => "detects",
        }
    }
}

impl fmt::Display for ControlKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The FDA premarket cybersecurity control categories a control can serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FdaCategory {
    /// Authentication.
    Authentication,
    /// Authorization.
    Authorization,
    /// Cryptography.
    Cryptography,
    /// Code, data and execution integrity.
    Integrity,
    /// Confidentiality.
    Confidentiality,
    /// Event detection and logging.
    EventDetectionLogging,
    /// Resiliency and recovery.
    ResiliencyRecovery,
    /// Updatability and patchability.
    UpdatabilityPatchability,
}

impl FdaCategory {
    /// The eight categories.
    pub const ALL: [FdaCategory; 8] = [
        Self::Authentication,
        Self::Authorization,
        Self::Cryptography,
        Self::Integrity,
        Self::Confidentiality,
        Self::EventDetectionLogging,
        Self::ResiliencyRecovery,
        Self::UpdatabilityPatchability,
    ];

    /// The category as stored.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Authentication => "authentication",
            Self::Authorization => "authorization",
            Self::Cryptography => "cryptography",
            Self::Integrity => "integrity",
            Self::Confidentiality => "confidentiality",
            Self::EventDetectionLogging => "event-detection-logging",
            Self::ResiliencyRecovery => "resiliency-recovery",
            Self::UpdatabilityPatchability => "updatability-patchability",
        }
    }

    /// The category's name as people read it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Authentication => "Authentication",
            Self::Authorization => "Authorization",
            Self::Cryptography => "Cryptography",
            Self::Integrity => "Code, data and execution integrity",
            Self::Confidentiality => "Confidentiality",
            Self::EventDetectionLogging => "Event detection and logging",
            Self::ResiliencyRecovery => "Resiliency and recovery",
            Self::UpdatabilityPatchability => "Updatability and patchability",
        }
    }

    /// The category stored as `text`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|category| category.as_str() == text)
    }
}

/// Where a control comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ControlSource {
    /// An ATT&CK mitigation: `M1032`.
    Mitigation(String),
    /// An ATT&CK detection strategy: `DET0123`.
    DetectionStrategy(String),
    /// A control of the product's catalogue: `MF-C-012`.
    Custom(String),
}

impl ControlSource {
    /// The source's id: `M1032`, `DET0123`, `MF-C-012`.
    #[must_use]
    pub fn id(&self) -> &str {
        match self {
            Self::Mitigation(id) | Self::DetectionStrategy(id) | Self::Custom(id) => id,
        }
    }

    /// The `source_name` it is cited under in `external_references`.
    #[must_use]
    pub fn source_name(&self) -> &'static str {
        match self {
            Self::Mitigation(_) | Self::DetectionStrategy(_) => ATTACK_SOURCE,
            Self::Custom(_) => CUSTOM_SOURCE,
        }
    }

    /// The source an `external_references` entry names, if it names a control source.
    #[must_use]
    pub fn from_reference(source_name: &str, external_id: &str) -> Option<Self> {
        match source_name {
            ATTACK_SOURCE if external_id.starts_with("DET") => {
                Some(Self::DetectionStrategy(external_id.to_owned()))
            }
            ATTACK_SOURCE if external_id.starts_with('M') => {
                Some(Self::Mitigation(external_id.to_owned()))
            }
            CUSTOM_SOURCE => Some(Self::Custom(external_id.to_owned())),
            _ => None,
        }
    }
}

impl fmt::Display for ControlSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

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
    product_property(object, "control")?.as_object()
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

/// The RACI assignment stored in a control entry (unknown parties and letters left out).
#[must_use]
pub fn raci_of(entry: &Map<String, Value>) -> Raci {
    let mut raci = Raci::new();
    for assignment in entry
        .get("raci")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(party) = assignment
            .get("party_ref")
            .and_then(Value::as_str)
            .and_then(Party::from_id)
        else {
            continue;
        };
        let mut roles = raci.get(&party).copied().unwrap_or_default();
        for letter in assignment
            .get("roles")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            let mut characters = letter.chars();
            if let (Some(character), None) = (characters.next(), characters.next())
                && let Some(role) = Role::from_letter(character)
            {
                roles = roles.with(role);
            }
        }
        if !roles.is_empty() {
            raci.insert(party, roles);
        }
    }
    raci
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
    let assignments: Vec<Value> = raci
        .iter()
        .filter(|(_, roles)| !roles.is_empty())
        .map(|(party, roles)| {
            json!({
                "party_ref": party.id(),
                "roles": roles.iter().map(|role| role.letter().to_string()).collect::<Vec<_>>(),
            })
        })
        .collect();
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
        json!({
            MEDFLOW_EXTENSION_ID: {
                "extension_type": "property-extension",
                "control": control_value(spec.kind, spec.fda_category, &spec.raci),
            }
        }),
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
    with_product_property(
        control,
        "control",
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
    let now = now.to_string();
    stix_object(json!({
        "type": "relationship",
        "spec_version": "2.1",
        "id": id,
        "created": now,
        "modified": now,
        "relationship_type": kind.relationship_type(),
        "source_ref": control,
        "target_ref": target,
    }))
}

fn stix_object(value: Value) -> StixObject {
    match value {
        Value::Object(map) => StixObject::from_json(map),
        _ => StixObject::from_json(Map::new()),
    }
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
