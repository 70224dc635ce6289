//! What a flow says about patient safety, in the product's extension: where the flow comes
//! from (its **origin**, realized or theoretical) and which of the library's ten
//! **categories** it belongs to (the `flow` entry of the `attack-flow`), the
//! **patient-safety impact** of the actions that cause harm (the `impact` entry of an
//! `attack-action`), the **pivots** where one flow continues in another (the `pivot` entry of
//! an `attack-condition`), and **use cases**, named ordered sets of flows (`use_case.rs`).
//!
//! ```json
//! "flow":   { "origin": "realized", "category": "availability" }
//! "impact": { "severity": "critical", "multi_patient": true, "harm": "Surgery is postponed." }
//! "pivot":  { "role": "exit", "key": "hospital-network-foothold" }
//! ```
//!
//! Reading is tolerant: an entry that is malformed reads as absent here, and validation
//! ([`entry_problems`]) says what is wrong with it.

mod use_case;

pub use use_case::{
    ChainProblem, PivotLink, UseCase, chain_problems, is_use_case, new_use_case, pivot_links,
    use_case_entry,
};

use serde_json::{Map, Value, json};

use crate::extension::{self, Entry};
use crate::model::{Document, StixObject};

/// Where a flow comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    /// A threat actor did this to a health delivery organisation; a public account is cited.
    Realized,
    /// Nobody is known to have done it; the flow rests on reasoning or research.
    Theoretical,
}

impl Origin {
    /// Both origins.
    pub const ALL: [Origin; 2] = [Self::Realized, Self::Theoretical];

    /// The stable key, as stored.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Realized => "realized",
            Self::Theoretical => "theoretical",
        }
    }

    /// The words shown for it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Realized => "Realized",
            Self::Theoretical => "Theoretical",
        }
    }

    /// Reads a stored key.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|origin| origin.as_str() == text)
    }
}

/// The ten categories of the flow library (RAS-REFERENCE.md), each with a stable key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Administrative functions.
    Administrative,
    /// Patient data and privacy.
    PatientData,
    /// Incident response process (log and evidence tampering, hindered root-cause analysis).
    IncidentResponse,
    /// Command and control of the robot (command injection, replay, latency).
    RobotControl,
    /// Device firmware and configuration.
    FirmwareConfiguration,
    /// Sensor readings and the surgeon's view.
    SensorsAndView,
    /// System and network availability.
    Availability,
    /// Cloud services: digital twin, ML, simulation, remote management, cloud keys.
    CloudServices,
    /// EHR integration.
    EhrIntegration,
    /// Vendor access and supply chain.
    VendorSupplyChain,
}

impl Category {
    /// Every category, in the order RAS-REFERENCE.md lists them.
    pub const ALL: [Category; 10] = [
        Self::Administrative,
        Self::PatientData,
        Self::IncidentResponse,
        Self::RobotControl,
        Self::FirmwareConfiguration,
        Self::SensorsAndView,
        Self::Availability,
        Self::CloudServices,
        Self::EhrIntegration,
        Self::VendorSupplyChain,
    ];

    /// The stable key, as stored.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Administrative => "administrative",
            Self::PatientData => "patient-data",
            Self::IncidentResponse => "incident-response",
            Self::RobotControl => "robot-control",
            Self::FirmwareConfiguration => "firmware-configuration",
            Self::SensorsAndView => "sensors-and-view",
            Self::Availability => "availability",
            Self::CloudServices => "cloud-services",
            Self::EhrIntegration => "ehr-integration",
            Self::VendorSupplyChain => "vendor-supply-chain",
        }
    }

    /// The words shown for it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Administrative => "Administrative functions",
            Self::PatientData => "Patient data and privacy",
            Self::IncidentResponse => "Incident response process",
            Self::RobotControl => "Command and control of the robot",
            Self::FirmwareConfiguration => "Device firmware and configuration",
            Self::SensorsAndView => "Sensor readings and the surgeon's view",
            Self::Availability => "System and network availability",
            Self::CloudServices => "Cloud services",
            Self::EhrIntegration => "EHR integration",
            Self::VendorSupplyChain => "Vendor access and supply chain",
        }
    }

    /// Reads a stored key.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|category| category.as_str() == text)
    }
}

/// The severity of harm to a patient, on the five-step scale of medical-device risk practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HarmSeverity {
    /// Inconvenience or temporary discomfort.
    Negligible,
    /// Temporary injury or impairment not needing professional intervention.
    Minor,
    /// Injury or impairment needing professional medical intervention.
    Serious,
    /// Permanent impairment or life-threatening injury.
    Critical,
    /// Death.
    Catastrophic,
}

impl HarmSeverity {
    /// The scale, least severe first.
    pub const ALL: [HarmSeverity; 5] = [
        Self::Negligible,
        Self::Minor,
        Self::Serious,
        Self::Critical,
        Self::Catastrophic,
    ];

    /// The stable key, as stored.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Negligible => "negligible",
            Self::Minor => "minor",
            Self::Serious => "serious",
            Self::Critical => "critical",
            Self::Catastrophic => "catastrophic",
        }
    }

    /// The words shown for it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Negligible => "Negligible",
            Self::Minor => "Minor",
            Self::Serious => "Serious",
            Self::Critical => "Critical",
            Self::Catastrophic => "Catastrophic",
        }
    }

    /// Reads a stored key.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|severity| severity.as_str() == text)
    }
}

/// The patient-safety impact of an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Impact {
    /// How bad the harm is.
    pub severity: HarmSeverity,
    /// Whether one attack harms many patients (or reaches many devices) at once.
    pub multi_patient: bool,
    /// The harm, in one line.
    pub harm: String,
}

/// Which end of a chain a pivot is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PivotRole {
    /// Where a flow starts from what an earlier flow obtained: true exactly when the key is
    /// held.
    Entry,
    /// Where a flow hands what it obtained (the key) to later flows.
    Exit,
}

impl PivotRole {
    /// Both roles.
    pub const ALL: [PivotRole; 2] = [Self::Entry, Self::Exit];

    /// The stable key, as stored.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Entry => "entry",
            Self::Exit => "exit",
        }
    }

    /// The words shown for it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Entry => "Entry pivot",
            Self::Exit => "Exit pivot",
        }
    }

    /// Reads a stored key.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == text)
    }
}

/// A condition marked as a pivot.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pivot {
    /// Entry or exit.
    pub role: PivotRole,
    /// The pivot key: what the attacker holds, as a slug (`cloud-api-key`).
    pub key: String,
}

/// The longest pivot key.
pub const PIVOT_KEY_MAX: usize = 64;

/// Whether `text` is a pivot key: lower-case letters and digits in words joined by single
/// hyphens, at most [`PIVOT_KEY_MAX`] characters.
#[must_use]
pub fn is_pivot_key(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= PIVOT_KEY_MAX
        && text.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit())
        })
}

/// The flow's origin and category, each when stated and known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FlowMeta {
    /// Realized or theoretical.
    pub origin: Option<Origin>,
    /// One of the ten categories.
    pub category: Option<Category>,
}

/// The `flow` entry of the document's attack-flow, read (empty when it has none).
#[must_use]
pub fn document_flow_meta(document: &Document) -> FlowMeta {
    document
        .objects
        .iter()
        .find(|object| matches!(object, StixObject::AttackFlow(_)))
        .map(flow_meta)
        .unwrap_or_default()
}

/// The `flow` entry of an attack-flow, read.
#[must_use]
pub fn flow_meta(object: &StixObject) -> FlowMeta {
    let entry = extension::entry_object(object, Entry::Flow);
    let text = |key: &str| {
        entry
            .and_then(|entry| entry.get(key))
            .and_then(Value::as_str)
    };
    FlowMeta {
        origin: text("origin").and_then(Origin::parse),
        category: text("category").and_then(Category::parse),
    }
}

/// The `flow` entry holding `meta` (`None` when it states nothing).
#[must_use]
pub fn flow_meta_value(meta: FlowMeta) -> Option<Value> {
    let mut entry = Map::new();
    if let Some(origin) = meta.origin {
        entry.insert("origin".into(), origin.as_str().into());
    }
    if let Some(category) = meta.category {
        entry.insert("category".into(), category.as_str().into());
    }
    (!entry.is_empty()).then_some(Value::Object(entry))
}

/// The impact of an action, when its `impact` entry is well formed.
#[must_use]
pub fn impact_of(object: &StixObject) -> Option<Impact> {
    if !matches!(object, StixObject::AttackAction(_)) {
        return None;
    }
    let entry = extension::entry_object(object, Entry::Impact)?;
    Some(Impact {
        severity: HarmSeverity::parse(entry.get("severity")?.as_str()?)?,
        multi_patient: match entry.get("multi_patient") {
            None => false,
            Some(value) => value.as_bool()?,
        },
        harm: match entry.get("harm") {
            None => String::new(),
            Some(value) => value.as_str()?.to_owned(),
        },
    })
}

/// The `impact` entry holding `impact`.
#[must_use]
pub fn impact_value(impact: &Impact) -> Value {
    let mut entry = Map::new();
    entry.insert("severity".into(), impact.severity.as_str().into());
    if impact.multi_patient {
        entry.insert("multi_patient".into(), true.into());
    }
    if !impact.harm.trim().is_empty() {
        entry.insert("harm".into(), impact.harm.trim().into());
    }
    Value::Object(entry)
}

/// The pivot a condition is, when its `pivot` entry is well formed.
#[must_use]
pub fn pivot_of(object: &StixObject) -> Option<Pivot> {
    if !matches!(object, StixObject::AttackCondition(_)) {
        return None;
    }
    let entry = extension::entry_object(object, Entry::Pivot)?;
    let key = entry.get("key")?.as_str()?;
    let role = PivotRole::parse(entry.get("role")?.as_str()?)?;
    is_pivot_key(key).then(|| Pivot {
        role,
        key: key.to_owned(),
    })
}

/// The `pivot` entry holding `pivot`.
#[must_use]
pub fn pivot_value(pivot: &Pivot) -> Value {
    json!({ "role": pivot.role.as_str(), "key": pivot.key })
}

/// Every pivot of a document: the condition's id and its pivot, in document order.
#[must_use]
pub fn pivots(document: &Document) -> Vec<(&str, Pivot)> {
    document
        .objects
        .iter()
        .filter_map(|object| Some((object.id(), pivot_of(object)?)))
        .collect()
}

/// Every action with an impact, in document order.
#[must_use]
pub fn impacts(document: &Document) -> Vec<(&str, Impact)> {
    document
        .objects
        .iter()
        .filter_map(|object| Some((object.id(), impact_of(object)?)))
        .collect()
}

/// Whether the object cites a public account: an external reference with a URL.
#[must_use]
pub fn has_public_reference(object: &StixObject) -> bool {
    object
        .common()
        .and_then(|common| common.external_references.as_ref())
        .is_some_and(|references| {
            references.iter().any(|reference| {
                reference
                    .url
                    .as_deref()
                    .is_some_and(|url| !url.trim().is_empty())
            })
        })
}

/// What is wrong with the product's safety entries on one object, as plain sentences: an
/// entry on the wrong type of object, unknown keys, values outside their lists. Empty when
/// the object has none or they are well formed.
#[must_use]
pub fn entry_problems(object: &StixObject) -> Vec<String> {
    let mut problems = Vec::new();
    let type_name = object.type_name();
    let checks: [(Entry, &str, &[&str]); 3] = [
        (Entry::Flow, "attack-flow", &["origin", "category"]),
        (
            Entry::Impact,
            "attack-action",
            &["severity", "multi_patient", "harm"],
        ),
        (Entry::Pivot, "attack-condition", &["role", "key"]),
    ];
    for (entry, owner, keys) in checks {
        let Some(value) = extension::entry(object, entry) else {
            continue;
        };
        let name = entry.key();
        if type_name != owner {
            problems.push(format!(
                "the {name} entry belongs on an {owner}, not a {type_name}"
            ));
            continue;
        }
        let Some(map) = value.as_object() else {
            problems.push(format!("the {name} entry must be a JSON object"));
            continue;
        };
        for key in map.keys() {
            if !keys.contains(&key.as_str()) {
                problems.push(format!(
                    "the {name} entry has an unknown property {key:?} (it may hold {})",
                    keys.join(", ")
                ));
            }
        }
        let text = |key: &str| map.get(key).map(|value| value.as_str().ok_or(value));
        match entry {
            Entry::Flow => {
                match text("origin") {
                    Some(Ok(origin)) if Origin::parse(origin).is_some() => {}
                    None => {}
                    Some(_) => problems.push("origin must be realized or theoretical".to_owned()),
                }
                match text("category") {
                    Some(Ok(category)) if Category::parse(category).is_some() => {}
                    None => {}
                    Some(_) => problems.push(format!(
                        "category must be one of {}",
                        Category::ALL.map(Category::as_str).join(", ")
                    )),
                }
            }
            Entry::Impact => {
                match text("severity") {
                    Some(Ok(severity)) if HarmSeverity::parse(severity).is_some() => {}
                    None => problems.push("an impact needs a severity".to_owned()),
                    Some(_) => problems.push(format!(
                        "severity must be one of {}",
                        HarmSeverity::ALL.map(HarmSeverity::as_str).join(", ")
                    )),
                }
                if map
                    .get("multi_patient")
                    .is_some_and(|value| !value.is_boolean())
                {
                    problems.push("multi_patient must be true or false".to_owned());
                }
                if let Some(Err(_)) = text("harm") {
                    problems.push("harm must be text".to_owned());
                }
            }
            Entry::Pivot => {
                match text("role") {
                    Some(Ok(role)) if PivotRole::parse(role).is_some() => {}
                    None => problems.push("a pivot needs a role, entry or exit".to_owned()),
                    Some(_) => problems.push("role must be entry or exit".to_owned()),
                }
                match text("key") {
                    Some(Ok(key)) if is_pivot_key(key) => {}
                    None => problems.push("a pivot needs a key".to_owned()),
                    Some(_) => problems.push(format!(
                        "key must be lower-case words joined by hyphens, such as cloud-api-key, at most {PIVOT_KEY_MAX} characters"
                    )),
                }
            }
            _ => {}
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AttackAction, AttackCondition};

    #[test]
    fn pivot_keys_are_slugs() {
        for good in ["cloud-api-key", "a", "vpn2-session"] {
            assert!(is_pivot_key(good), "{good}");
        }
        for bad in ["", "Cloud", "a--b", "-a", "a-", "a b", "ä", &"a".repeat(65)] {
            assert!(!is_pivot_key(bad), "{bad}");
        }
    }

    #[test]
    fn impacts_and_pivots_round_trip_and_malformed_ones_are_named() {
        let action = StixObject::AttackAction(AttackAction::default());
        let impact = Impact {
            severity: HarmSeverity::Critical,
            multi_patient: true,
            harm: " Surgery is stopped. ".to_owned(),
        };
        let marked = extension::with_entry(&action, Entry::Impact, Some(impact_value(&impact)));
        let read = impact_of(&marked).unwrap_or_else(|| panic!("an impact"));
        assert_eq!(read.severity, HarmSeverity::Critical);
        assert!(read.multi_patient);
        assert_eq!(read.harm, "Surgery is stopped.");
        assert!(entry_problems(&marked).is_empty());
        let bad = extension::with_entry(
            &action,
            Entry::Impact,
            Some(json!({"severity": "fatal", "multi_patient": "yes", "colour": 1})),
        );
        assert_eq!(impact_of(&bad), None);
        let problems = entry_problems(&bad);
        assert_eq!(problems.len(), 3, "{problems:?}");

        let condition = StixObject::AttackCondition(AttackCondition::default());
        let pivot = Pivot {
            role: PivotRole::Exit,
            key: "cloud-api-key".to_owned(),
        };
        let marked = extension::with_entry(&condition, Entry::Pivot, Some(pivot_value(&pivot)));
        assert_eq!(pivot_of(&marked), Some(pivot));
        let misplaced = extension::with_entry(
            &action,
            Entry::Pivot,
            Some(json!({"role": "exit", "key": "k"})),
        );
        assert_eq!(pivot_of(&misplaced), None);
        assert_eq!(entry_problems(&misplaced).len(), 1);
    }

    #[test]
    fn keys_are_stable() {
        assert_eq!(
            Category::ALL.map(Category::as_str),
            [
                "administrative",
                "patient-data",
                "incident-response",
                "robot-control",
                "firmware-configuration",
                "sensors-and-view",
                "availability",
                "cloud-services",
                "ehr-integration",
                "vendor-supply-chain"
            ]
        );
        for category in Category::ALL {
            assert_eq!(Category::parse(category.as_str()), Some(category));
        }
        for severity in HarmSeverity::ALL {
            assert_eq!(HarmSeverity::parse(severity.as_str()), Some(severity));
        }
    }
}
