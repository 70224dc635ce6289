//! Use cases: a named, ordered set of flows that chain through their pivots into one longer
//! attack path.
//!
//! A use case is a file of its own (the library keeps them in `flows/use-cases/`): a STIX
//! `grouping` whose `object_refs` name the flows' `attack-flow` objects in order, with the
//! product's `use_case` entry repeating that order (`{"flows": [...]}`), so that the order is
//! the product's statement and not an accident of a list other tools may sort. The flows live
//! in their own files; [`chain_problems`] checks a use case against them.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::{PivotRole, pivots};
use crate::extension::{self, Entry, MEDFLOW_IDENTITY_ID};
use crate::model::{Document, StixObject, Timestamp};

/// A use case read from its grouping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseCase {
    /// The grouping's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// The `attack-flow` ids of its flows, in order.
    pub flows: Vec<String>,
}

/// The product's `use_case` entry of a grouping, if present.
#[must_use]
pub fn use_case_entry(object: &StixObject) -> Option<&Map<String, Value>> {
    if object.type_name() != "grouping" {
        return None;
    }
    extension::entry_object(object, Entry::UseCase)
}

/// Whether a document is a use case (it has a grouping with a `use_case` entry).
#[must_use]
pub fn is_use_case(document: &Document) -> bool {
    document
        .objects
        .iter()
        .any(|object| use_case_entry(object).is_some())
}

fn text(object: &StixObject, key: &str) -> String {
    object
        .to_json()
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

impl UseCase {
    /// Reads the use case a document holds, or says why it cannot.
    pub fn from_document(document: &Document) -> Result<Self, String> {
        let Some((root, entry)) = document
            .objects
            .iter()
            .find_map(|object| Some((object, use_case_entry(object)?)))
        else {
            return Err("no use case (a grouping with the use_case entry)".to_owned());
        };
        let problems = Self::entry_problems(entry);
        if let Some(first) = problems.first() {
            return Err(format!("{}: {first}", root.id()));
        }
        let flows = entry
            .get("flows")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        Ok(Self {
            id: root.id().to_owned(),
            name: text(root, "name"),
            description: text(root, "description"),
            flows,
        })
    }

    /// What is wrong with a `use_case` entry, as plain sentences.
    #[must_use]
    pub fn entry_problems(entry: &Map<String, Value>) -> Vec<String> {
        let mut problems = Vec::new();
        for key in entry.keys() {
            if key != "flows" {
                problems.push(format!(
                    "the use_case entry has an unknown property {key:?} (it holds flows)"
                ));
            }
        }
        match entry.get("flows").and_then(Value::as_array) {
            None => problems.push(
                "a use case needs flows: the ids of its attack-flow objects, in order".to_owned(),
            ),
            Some(flows) if flows.is_empty() => {
                problems.push("a use case needs at least one flow".to_owned());
            }
            Some(flows) => {
                let mut seen = BTreeSet::new();
                for flow in flows {
                    match flow.as_str() {
                        Some(id) if id.starts_with("attack-flow--") => {
                            if !seen.insert(id) {
                                problems.push(format!("{id} is listed twice"));
                            }
                        }
                        _ => problems.push(format!("{flow} is not the id of an attack-flow")),
                    }
                }
            }
        }
        problems
    }
}

/// A new use case document: the grouping (with `object_refs` and the `use_case` entry naming
/// `flows` in order) and the extension's declarations.
#[must_use]
pub fn new_use_case(
    id: &str,
    bundle_id: &str,
    now: &Timestamp,
    name: &str,
    description: &str,
    flows: &[&str],
) -> Document {
    let now = now.to_string();
    let mut grouping = json!({
        "type": "grouping",
        "spec_version": "2.1",
        "id": id,
        "created": now,
        "modified": now,
        "created_by_ref": MEDFLOW_IDENTITY_ID,
        "name": name,
        "context": "unspecified",
        "object_refs": flows,
        "extensions": extension::extensions_with(Entry::UseCase, json!({ "flows": flows })),
    });
    if !description.is_empty()
        && let Some(map) = grouping.as_object_mut()
    {
        map.insert("description".into(), description.into());
    }
    let mut document = Document {
        bundle_id: bundle_id.to_owned(),
        objects: vec![StixObject::from_value(grouping)],
    };
    let missing = extension::missing_declarations(&document);
    document.objects.extend(missing);
    document
}

/// The `attack-flow` id of a flow document.
fn flow_id(document: &Document) -> Option<&str> {
    document
        .objects
        .iter()
        .find(|object| matches!(object, StixObject::AttackFlow(_)))
        .map(StixObject::id)
}

/// What stops a use case from being one chained attack path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainProblem {
    /// The use case names a flow none of the given files holds.
    FlowMissing {
        /// The `attack-flow` id.
        flow: String,
    },
    /// A flow after the first continues from no earlier flow: none of its entry pivots has a
    /// key an earlier flow's exit pivot hands on.
    Unconnected {
        /// The `attack-flow` id.
        flow: String,
    },
    /// An entry pivot's key is handed on by no earlier flow of the use case; the simulation
    /// takes it as not held.
    DanglingKey {
        /// The `attack-flow` id.
        flow: String,
        /// The entry pivot's condition id.
        condition: String,
        /// Its key.
        key: String,
    },
}

impl ChainProblem {
    /// The problem in plain words.
    #[must_use]
    pub fn message(&self) -> String {
        match self {
            Self::FlowMissing { flow } => {
                format!("names {flow}, which no flow of the library holds")
            }
            Self::Unconnected { flow } => format!(
                "{flow} does not continue from an earlier flow: none of its entry pivots has a key an earlier flow's exit pivot hands on"
            ),
            Self::DanglingKey {
                flow,
                condition,
                key,
            } => format!(
                "the entry pivot {condition} of {flow} needs the key {key:?}, which no earlier flow of the use case hands on"
            ),
        }
    }
}

/// Checks a use case against the flows it may name (`library`: any flow documents, in any
/// order): every flow exists, every flow after the first continues from an earlier one, and
/// every entry pivot's key is handed on by an earlier flow.
#[must_use]
pub fn chain_problems(use_case: &UseCase, library: &[&Document]) -> Vec<ChainProblem> {
    let mut problems = Vec::new();
    let mut held: BTreeSet<String> = BTreeSet::new();
    for (position, flow) in use_case.flows.iter().enumerate() {
        let Some(document) = library
            .iter()
            .find(|document| flow_id(document) == Some(flow.as_str()))
        else {
            problems.push(ChainProblem::FlowMissing { flow: flow.clone() });
            continue;
        };
        let flow_pivots = pivots(document);
        let mut entered = false;
        for (condition, pivot) in &flow_pivots {
            if pivot.role != PivotRole::Entry {
                continue;
            }
            if held.contains(&pivot.key) {
                entered = true;
            } else {
                problems.push(ChainProblem::DanglingKey {
                    flow: flow.clone(),
                    condition: (*condition).to_owned(),
                    key: pivot.key.clone(),
                });
            }
        }
        if position > 0 && !entered {
            problems.push(ChainProblem::Unconnected { flow: flow.clone() });
        }
        held.extend(
            flow_pivots
                .into_iter()
                .filter(|(_, pivot)| pivot.role == PivotRole::Exit)
                .map(|(_, pivot)| pivot.key),
        );
    }
    problems
}

/// One place where a flow continues in another: an exit pivot and an entry pivot with the
/// same key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PivotLink {
    /// The shared key.
    pub key: String,
    /// The flow handing the key on (`attack-flow` id) and its exit pivot (condition id).
    pub from: (String, String),
    /// The flow continuing with it and its entry pivot.
    pub to: (String, String),
}

/// Every pair of an exit pivot and an entry pivot with the same key, across `flows`
/// (a pivot of a flow is never paired with one of the same flow), sorted.
#[must_use]
pub fn pivot_links(flows: &[&Document]) -> Vec<PivotLink> {
    let mut exits = Vec::new();
    let mut entries = Vec::new();
    for document in flows {
        let Some(flow) = flow_id(document) else {
            continue;
        };
        for (condition, pivot) in pivots(document) {
            let end = (pivot.key, (flow.to_owned(), condition.to_owned()));
            match pivot.role {
                PivotRole::Exit => exits.push(end),
                PivotRole::Entry => entries.push(end),
            }
        }
    }
    let mut links: Vec<PivotLink> = exits
        .iter()
        .flat_map(|(key, from)| {
            entries
                .iter()
                .filter(move |(other, to)| other == key && to.0 != from.0)
                .map(move |(_, to)| PivotLink {
                    key: key.clone(),
                    from: from.clone(),
                    to: to.clone(),
                })
        })
        .collect();
    links.sort();
    links.dedup();
    links
}
