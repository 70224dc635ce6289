//! Responsibility for controls: the five parties (with their fixed `identity` objects), the
//! four RACI roles, and a control's assignment of roles to parties as stored in its
//! `control` entry.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value, json};

use crate::model::StixObject;

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
        StixObject::from_value(json!({
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

/// A RACI assignment as text, parties in matrix order: `MDM: C, HDO: AR`.
#[must_use]
pub fn raci_text(raci: &Raci) -> String {
    raci.iter()
        .filter(|(_, roles)| !roles.is_empty())
        .map(|(party, roles)| format!("{party}: {roles}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `raci` list of a control entry: one assignment per party holding a role, in matrix
/// order, its letters in role order.
#[must_use]
pub fn raci_value(raci: &Raci) -> Vec<Value> {
    raci.iter()
        .filter(|(_, roles)| !roles.is_empty())
        .map(|(party, roles)| {
            json!({
                "party_ref": party.id(),
                "roles": roles.iter().map(|role| role.letter().to_string()).collect::<Vec<_>>(),
            })
        })
        .collect()
}
