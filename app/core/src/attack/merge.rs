//! Completing a catalog made from the Builder's data tables (ids, names, tactics, STIX ids)
//! with an earlier release of the same domain: its mitigations, detection strategies, data
//! components and their relationships, and the platforms of every technique that persists
//! (same id, same STIX id); and keeping the earlier release's techniques that the new one
//! removed, as revoked, with what replaces them where the release notes say so.

use std::collections::{BTreeSet, HashMap};

use serde::Deserialize;

use super::catalog::{DomainCatalog, Entry, Kind, Text};

/// What a release's notes say replaced the techniques it revoked: `[revoked id, replacement
/// id]` pairs, with the release and where it says so.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Replacements {
    /// The release the notes are of, e.g. `19.0`.
    pub release: String,
    /// Where the notes are published.
    pub source: String,
    /// `[revoked id, replacement id]`.
    pub revoked_by: Vec<(String, String)>,
}

impl Replacements {
    /// Reads the replacements file (`assets/attack/replacements-19.0.json`).
    ///
    /// # Errors
    /// The JSON error when the bytes are not such a file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}

/// `current` (made from the data tables) completed with `earlier` (an earlier release of the
/// same domain, from its STIX bundle), as the module describes; `replacements` names what
/// replaced each technique `current` no longer has.
#[must_use]
pub fn complete_with_earlier(
    mut current: DomainCatalog,
    earlier: &DomainCatalog,
    replacements: &Replacements,
) -> DomainCatalog {
    let replaced: HashMap<&str, &str> = replacements
        .revoked_by
        .iter()
        .map(|(old, new)| (old.as_str(), new.as_str()))
        .collect();
    let earlier_by_id: HashMap<&str, &Entry> = earlier
        .entries
        .iter()
        .filter(|entry| entry.kind.is_technique())
        .map(|entry| (&*entry.id, entry))
        .collect();
    let current_ids: BTreeSet<String> = current
        .entries
        .iter()
        .map(|entry| entry.id.to_string())
        .collect();
    // Persisting techniques take the earlier platforms, and the earlier tactics when they
    // changed.
    let mut persisting: BTreeSet<String> = BTreeSet::new();
    for entry in current
        .entries
        .iter_mut()
        .filter(|entry| entry.kind.is_technique())
    {
        let Some(before) = earlier_by_id.get(&*entry.id) else {
            continue;
        };
        if before.stix_id != entry.stix_id || !before.is_active() {
            continue;
        }
        entry.platforms.clone_from(&before.platforms);
        let same = |a: &[Text], b: &[Text]| {
            a.iter().collect::<BTreeSet<_>>() == b.iter().collect::<BTreeSet<_>>()
        };
        if !same(&before.tactics, &entry.tactics) {
            entry.earlier_tactics.clone_from(&before.tactics);
        }
        persisting.insert(entry.id.to_string());
    }
    // The earlier techniques the current release no longer has: kept, revoked (as the
    // release revoked them), with their replacement where the notes name it; those revoked
    // or deprecated already stay as they were.
    let mut carried: Vec<Entry> = Vec::new();
    for entry in earlier
        .entries
        .iter()
        .filter(|entry| entry.kind.is_technique() && !current_ids.contains(&*entry.id))
    {
        let mut kept = entry.clone();
        if kept.is_active() {
            kept.revoked = true;
            kept.revoked_by = replaced
                .get(&*entry.id)
                .filter(|new| current_ids.contains(**new))
                .map(|new| Text::Owned((*new).to_owned()));
        }
        carried.push(kept);
    }
    // The earlier tactics the tables leave out (they list active tactics only): kept as they
    // were, deprecated if they were active.
    for entry in earlier
        .entries
        .iter()
        .filter(|entry| entry.kind == Kind::Tactic && !current_ids.contains(&*entry.id))
    {
        let mut kept = entry.clone();
        if kept.is_active() {
            kept.deprecated = true;
        }
        carried.push(kept);
    }
    // Mitigations, detection strategies and data components, and their relationships to
    // the persisting techniques.
    carried.extend(
        earlier
            .entries
            .iter()
            .filter(|entry| {
                matches!(
                    entry.kind,
                    Kind::Mitigation | Kind::DetectionStrategy | Kind::DataComponent
                ) && !current_ids.contains(&*entry.id)
            })
            .cloned(),
    );
    current.entries.extend(carried);
    current
        .entries
        .sort_by(|left, right| (left.kind, &left.id).cmp(&(right.kind, &right.id)));
    let keep = |pairs: &[(String, String)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .filter(|(_, technique)| persisting.contains(technique))
            .cloned()
            .collect()
    };
    current.mitigates = keep(&earlier.mitigates);
    current.detects = keep(&earlier.detects);
    // Where the earlier catalog's own mitigations came from, when it was completed too.
    current.mitigations_version = Some(
        earlier
            .mitigations_version
            .clone()
            .unwrap_or_else(|| earlier.attack_version.clone()),
    );
    current
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attack::{Domain, FORMAT, FORMAT_VERSION};

    fn technique(id: &str, stix: &str, tactics: &[&str]) -> Entry {
        let kind = if id.contains('.') {
            Kind::Subtechnique
        } else {
            Kind::Technique
        };
        let mut entry = Entry::new(Domain::Enterprise, kind, id, id, stix);
        entry.tactics = tactics
            .iter()
            .map(|tactic| Text::Owned((*tactic).to_owned()))
            .collect();
        entry
    }

    fn catalog(version: &str, entries: Vec<Entry>, mitigates: &[(&str, &str)]) -> DomainCatalog {
        DomainCatalog {
            format: FORMAT.to_owned(),
            format_version: FORMAT_VERSION,
            domain: Domain::Enterprise,
            attack_version: version.to_owned(),
            notice: String::new(),
            mitigations_version: None,
            entries,
            mitigates: mitigates
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect(),
            detects: Vec::new(),
            origin: String::new(),
        }
    }

    #[test]
    fn the_earlier_release_completes_the_tables() {
        let mut valid = technique("T1078", "attack-pattern--1", &["TA0001"]);
        valid.platforms = vec!["Linux".into()].into();
        let mut registry = technique("T1112", "attack-pattern--2", &["TA0005"]);
        registry.platforms = vec!["Windows".into()].into();
        let impair = technique("T1562", "attack-pattern--3", &["TA0005"]);
        let mut old = technique("T1000", "attack-pattern--4", &["TA0005"]);
        old.revoked = true;
        old.revoked_by = Some("T1078".into());
        let renumbered = technique("T1200", "attack-pattern--5", &["TA0001"]);
        let mut mitigation = Entry::new(
            Domain::Enterprise,
            Kind::Mitigation,
            "M1000",
            "Audit",
            "course-of-action--1",
        );
        mitigation.platforms = Vec::new().into();
        let earlier = catalog(
            "18.1",
            vec![valid, registry, impair, old, renumbered, mitigation],
            &[("M1000", "T1078"), ("M1000", "T1562"), ("M1000", "T1200")],
        );
        let current = catalog(
            "19.1",
            vec![
                technique("T1078", "attack-pattern--1", &["TA0001"]),
                technique("T1112", "attack-pattern--2", &["TA0112"]),
                technique("T1685", "attack-pattern--9", &["TA0112"]),
                // The same id for another object: not the same technique.
                technique("T1200", "attack-pattern--6", &["TA0001"]),
            ],
            &[],
        );
        let replacements = Replacements {
            release: "19.0".into(),
            source: "notes".into(),
            revoked_by: vec![("T1562".into(), "T1685".into())],
        };
        let merged = complete_with_earlier(current, &earlier, &replacements);
        let find = |id: &str| merged.entries.iter().find(|e| e.id == id).unwrap();
        assert_eq!(merged.mitigations_version.as_deref(), Some("18.1"));
        assert_eq!(*find("T1078").platforms, ["Linux"]);
        assert!(
            find("T1078").earlier_tactics.is_empty(),
            "unchanged tactics"
        );
        assert_eq!(*find("T1112").tactics, ["TA0112"]);
        assert_eq!(*find("T1112").earlier_tactics, ["TA0005"]);
        let removed = find("T1562");
        assert!(removed.revoked);
        assert_eq!(removed.revoked_by.as_deref(), Some("T1685"));
        assert_eq!(
            find("T1000").revoked_by.as_deref(),
            Some("T1078"),
            "as it was"
        );
        assert!(
            find("T1200").platforms.is_empty(),
            "another object, same id"
        );
        assert_eq!(find("M1000").kind, Kind::Mitigation);
        // Mitigations of the persisting techniques only.
        assert_eq!(merged.mitigates, [("M1000".to_owned(), "T1078".to_owned())]);
        // Still sorted by kind, then id.
        let order: Vec<(Kind, &str)> = merged.entries.iter().map(|e| (e.kind, &*e.id)).collect();
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(order, sorted);
    }
}
