//! Coverage: for each action of a flow, the controls that prevent, detect and respond to it.

use std::collections::HashMap;

use super::{ControlKind, controls};
use crate::model::{Document, StixObject};

/// One action and the controls addressing it, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionCoverage {
    /// The action's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its ATT&CK technique id, if any.
    pub technique_id: Option<String>,
    /// The ids of its prevention controls.
    pub prevention: Vec<String>,
    /// The ids of its detection controls.
    pub detection: Vec<String>,
    /// The ids of its response controls.
    pub response: Vec<String>,
}

impl ActionCoverage {
    /// No prevention control addresses the action.
    #[must_use]
    pub fn lacks_prevention(&self) -> bool {
        self.prevention.is_empty()
    }

    /// No detection control addresses the action.
    #[must_use]
    pub fn lacks_detection(&self) -> bool {
        self.detection.is_empty()
    }
}

/// Every action of the document, in document order, with the controls addressing it.
#[must_use]
pub fn coverage(document: &Document) -> Vec<ActionCoverage> {
    let mut by_action: HashMap<&str, [Vec<String>; 3]> = HashMap::new();
    let controls = controls(document);
    for control in &controls {
        let Some(kind) = control.kind else {
            continue;
        };
        let slot = match kind {
            ControlKind::Prevent => 0,
            ControlKind::Detect => 1,
            ControlKind::Respond => 2,
        };
        for action in &control.addresses {
            by_action.entry(action.as_str()).or_default()[slot].push(control.id.clone());
        }
    }
    document
        .objects
        .iter()
        .filter_map(|object| match object {
            StixObject::AttackAction(action) => {
                let [prevention, detection, response] =
                    by_action.remove(object.id()).unwrap_or_default();
                Some(ActionCoverage {
                    id: object.id().to_owned(),
                    name: action.name.clone().unwrap_or_default(),
                    technique_id: action.technique_id.clone(),
                    prevention,
                    detection,
                    response,
                })
            }
            _ => None,
        })
        .collect()
}
