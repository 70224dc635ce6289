//! What a control is: its kind (prevent, detect, respond), the FDA premarket cybersecurity
//! category it serves, and where it comes from (an ATT&CK mitigation or detection strategy,
//! or a control of the product's catalogue).

use std::fmt;

/// `source_name` of the product's own (custom) controls in `external_references`.
pub const CUSTOM_SOURCE: &str = "medflow-controls";

/// `source_name` of ATT&CK in `external_references`.
pub const ATTACK_SOURCE: &str = "mitre-attack";

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
