//! What an entry of the catalog belongs to and is: its [`Domain`] (ATT&CK Enterprise, Mobile,
//! ICS, or MITRE ATLAS) and its [`Kind`] (tactic, technique, mitigation, …).

use serde::{Deserialize, Serialize};

/// An ATT&CK domain.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Domain {
    /// Enterprise ATT&CK.
    #[default]
    Enterprise,
    /// Mobile ATT&CK.
    Mobile,
    /// ATT&CK for ICS.
    Ics,
    /// MITRE ATLAS: attacks on AI and machine-learning systems (`AML.TA…`, `AML.T…` ids).
    Atlas,
}

impl Domain {
    /// Every domain, in the catalog's order.
    pub const ALL: [Domain; 4] = [Self::Enterprise, Self::Mobile, Self::Ics, Self::Atlas];

    /// The domain's place in [`Domain::ALL`].
    #[must_use]
    pub fn number(self) -> u8 {
        match self {
            Self::Enterprise => 0,
            Self::Mobile => 1,
            Self::Ics => 2,
            Self::Atlas => 3,
        }
    }

    /// The domain at this place in [`Domain::ALL`].
    #[must_use]
    pub fn from_number(number: u8) -> Option<Self> {
        Self::ALL.get(usize::from(number)).copied()
    }

    /// The short name used by the product: `enterprise`, `mobile`, `ics`, `atlas`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enterprise => "enterprise",
            Self::Mobile => "mobile",
            Self::Ics => "ics",
            Self::Atlas => "atlas",
        }
    }

    /// The name ATT&CK's STIX data uses in `x_mitre_domains`.
    #[must_use]
    pub fn stix_name(self) -> &'static str {
        match self {
            Self::Enterprise => "enterprise-attack",
            Self::Mobile => "mobile-attack",
            Self::Ics => "ics-attack",
            Self::Atlas => "mitre-atlas",
        }
    }

    /// The `kill_chain_name` of the domain's tactics.
    #[must_use]
    pub fn kill_chain_name(self) -> &'static str {
        match self {
            Self::Enterprise => "mitre-attack",
            Self::Mobile => "mitre-mobile-attack",
            Self::Ics => "mitre-ics-attack",
            Self::Atlas => "mitre-atlas",
        }
    }

    /// The name shown to people: `Enterprise`, `Mobile`, `ICS`, `ATLAS`.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::Enterprise => "Enterprise",
            Self::Mobile => "Mobile",
            Self::Ics => "ICS",
            Self::Atlas => "ATLAS",
        }
    }

    /// The domain with its knowledge base, as people name it: `ATT&CK Enterprise`, `ATT&CK
    /// Mobile`, `ATT&CK ICS`, `ATLAS`.
    #[must_use]
    pub fn label(self) -> String {
        match self {
            Self::Atlas => "ATLAS".to_owned(),
            _ => format!("ATT&CK {}", self.title()),
        }
    }

    /// The knowledge base the domain belongs to: `ATT&CK`, or `ATLAS`.
    #[must_use]
    pub fn knowledge_base(self) -> &'static str {
        match self {
            Self::Atlas => "ATLAS",
            _ => "ATT&CK",
        }
    }

    /// Parses `enterprise`, `mobile`, `ics` or `atlas` (or their STIX names), ignoring case.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let lower = text.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|domain| lower == domain.as_str() || lower == domain.stix_name())
    }
}

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A tactic (`TA0001`).
    Tactic,
    /// A technique (`T1078`).
    Technique,
    /// A sub-technique (`T1078.004`).
    Subtechnique,
    /// A mitigation (`M1051`).
    Mitigation,
    /// A detection strategy (`DET0001`).
    DetectionStrategy,
    /// A data component (`DC0001`).
    DataComponent,
}

impl Kind {
    /// Every kind, in the catalog's order.
    pub const ALL: [Kind; 6] = [
        Self::Tactic,
        Self::Technique,
        Self::Subtechnique,
        Self::Mitigation,
        Self::DetectionStrategy,
        Self::DataComponent,
    ];

    /// The name used in files and JSON output, e.g. `detection-strategy`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tactic => "tactic",
            Self::Technique => "technique",
            Self::Subtechnique => "subtechnique",
            Self::Mitigation => "mitigation",
            Self::DetectionStrategy => "detection-strategy",
            Self::DataComponent => "data-component",
        }
    }

    /// The name shown to people, e.g. `Sub-technique`.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::Tactic => "Tactic",
            Self::Technique => "Technique",
            Self::Subtechnique => "Sub-technique",
            Self::Mitigation => "Mitigation",
            Self::DetectionStrategy => "Detection strategy",
            Self::DataComponent => "Data component",
        }
    }

    /// True for techniques and sub-techniques.
    #[must_use]
    pub fn is_technique(self) -> bool {
        matches!(self, Self::Technique | Self::Subtechnique)
    }
}
