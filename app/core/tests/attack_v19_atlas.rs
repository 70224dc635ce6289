//! ATT&CK v19.1 and MITRE ATLAS in the built-in catalog: the Builder's data tables import with
//! every row, completed with v18.1 they keep its mitigations and name what replaced the removed
//! techniques, MITRE's corpus has no false errors, the v19 changes and ATLAS ids are checked,
//! and search finds AI attacks and a tactic's techniques.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use common::attack::attack_messages;
use medflow_core::attack::{Catalog, Domain, ImportOptions, Kind, Query, import_bundle};
use medflow_core::{Code, Context, ReadLimits, read_bundle, validate};

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

/// The Builder's data tables of the reference (ATT&CK v19.1, ATLAS v5.6.1) import with every
/// row: as many tactics and techniques per domain as the tables list, the v19 tactic TA0112
/// with its techniques, and ATLAS's AML.T0020 under its tactic. The counts are read from the
/// tables themselves, not written here.
#[test]
fn the_builders_data_tables_import_with_every_row() {
    use medflow_core::attack::{import_tables, is_builder_tables};
    let Some(reference) = common::reference_dir() else {
        return;
    };
    let folder = reference.join("attack-flow-builder-intel");
    for (file, version, domains) in [
        (
            "MitreAttack.ts",
            "19.1",
            &[Domain::Enterprise, Domain::Mobile, Domain::Ics][..],
        ),
        ("MitreAtlas.ts", "5.6.1", &[Domain::Atlas][..]),
    ] {
        let bytes = std::fs::read(folder.join(file)).unwrap();
        assert!(is_builder_tables(&bytes), "{file}");
        let options = ImportOptions {
            attack_version: Some(version.to_owned()),
            notice_year: Some("2026".to_owned()),
        };
        let catalogs = import_tables(&bytes, &options).unwrap();
        let found: Vec<Domain> = catalogs.iter().map(|catalog| catalog.domain).collect();
        assert_eq!(found, domains, "{file}");

        // The rows, counted straight from the JSON the file assigns.
        let text = String::from_utf8(bytes).unwrap();
        let start = text.find('{').unwrap();
        let end = text.rfind('}').unwrap();
        let tables: serde_json::Value = serde_json::from_str(&text[start..=end]).unwrap();
        let rows = |key: &str, tag: &str| {
            tables[key]
                .as_array()
                .unwrap()
                .iter()
                .filter(|row| row[1].as_str().unwrap().starts_with(&format!("[{tag}]")))
                .count()
        };
        for catalog in &catalogs {
            let tag = match catalog.domain {
                Domain::Enterprise => "ENT",
                Domain::Mobile => "MOB",
                Domain::Ics => "ICS",
                Domain::Atlas => "ATL",
            };
            let count = |kinds: &[Kind]| {
                catalog
                    .entries
                    .iter()
                    .filter(|entry| kinds.contains(&entry.kind))
                    .count()
            };
            assert_eq!(
                count(&[Kind::Tactic]),
                rows("tactics", tag),
                "{tag} tactics"
            );
            assert_eq!(
                count(&[Kind::Technique, Kind::Subtechnique]),
                rows("techniques", tag),
                "{tag} techniques"
            );
            assert_eq!(catalog.attack_version, version);
            assert!(catalog.mitigates.is_empty() && catalog.detects.is_empty());
            for entry in &catalog.entries {
                assert_eq!(
                    tables["stixIds"][&*entry.id].as_str(),
                    Some(&*entry.stix_id),
                    "{}",
                    entry.id
                );
            }
        }
        let joined = Catalog::from_domains(catalogs);
        if version == "19.1" {
            let impairment = joined.entry("TA0112", None).unwrap();
            assert_eq!(impairment.name, "Defense Impairment");
            assert_eq!(joined.entry("TA0005", None).unwrap().name, "Stealth");
            let disable = joined.entry("T1685", None).unwrap();
            assert_eq!(*disable.tactics, ["TA0112"], "{disable:?}");
            assert!(joined.entry("T1562", None).is_none(), "removed in v19");
        } else {
            let poison = joined.entry("AML.T0020", None).unwrap();
            assert_eq!(poison.domain, Domain::Atlas);
            assert!(!poison.tactics.is_empty(), "{poison:?}");
            assert!(
                poison
                    .tactics
                    .iter()
                    .all(|tactic| tactic.starts_with("AML.TA")),
                "{poison:?}"
            );
        }
    }
}

/// The v19.0 release notes' replacements (`assets/attack/replacements-19.0.json`) name each
/// technique ATT&CK v18.1 has and the v19.1 tables do not, and each replacement is in v19.1;
/// completing the v19.1 tables with the v18.1 bundles keeps every v18.1 mitigation of a
/// persisting technique and marks the removed techniques revoked, replaced.
#[test]
fn the_v19_tables_completed_with_v18_1_keep_mitigations_and_name_replacements() {
    use medflow_core::attack::{Replacements, complete_with_earlier, import_tables};
    let Some(reference) = common::reference_dir() else {
        return;
    };
    let replacements = Replacements::from_bytes(include_bytes!(
        "../../../assets/attack/replacements-19.0.json"
    ))
    .unwrap();
    assert_eq!(replacements.release, "19.0");
    let tables = std::fs::read(reference.join("attack-flow-builder-intel/MitreAttack.ts")).unwrap();
    let options = ImportOptions {
        attack_version: Some("19.1".to_owned()),
        notice_year: Some("2026".to_owned()),
    };
    let current = import_tables(&tables, &options).unwrap();
    let earlier_options = ImportOptions {
        attack_version: Some("18.1".to_owned()),
        ..ImportOptions::default()
    };
    let mut removed_total = 0;
    for new in current {
        let domain = new.domain;
        let bundle = std::fs::read(
            reference
                .join("attack")
                .join(format!("{}.json", domain.stix_name())),
        )
        .unwrap();
        let earlier = import_bundle(&bundle, &earlier_options).unwrap();
        let new_ids: std::collections::BTreeSet<&str> =
            new.entries.iter().map(|entry| &*entry.id).collect();
        let removed: Vec<&str> = earlier
            .entries
            .iter()
            .filter(|entry| entry.kind.is_technique() && entry.is_active())
            .map(|entry| &*entry.id)
            .filter(|id| !new_ids.contains(id))
            .collect();
        removed_total += removed.len();
        for id in &removed {
            let (_, by) = replacements
                .revoked_by
                .iter()
                .find(|(old, _)| old == id)
                .unwrap_or_else(|| panic!("{id}: removed in v19, and the notes say by what"));
            assert!(new_ids.contains(by.as_str()), "{id} → {by}: not in v19.1");
        }
        let merged = complete_with_earlier(new.clone(), &earlier, &replacements);
        assert_eq!(merged.mitigations_version.as_deref(), Some("18.1"));
        for id in &removed {
            let entry = merged.entries.iter().find(|entry| entry.id == *id).unwrap();
            assert!(entry.revoked && entry.revoked_by.is_some(), "{id}");
        }
        // Every v18.1 mitigation of a technique v19.1 still has (same id, same STIX id).
        let new_stix: std::collections::HashMap<&str, &str> = new
            .entries
            .iter()
            .map(|entry| (&*entry.id, &*entry.stix_id))
            .collect();
        let persisting = |technique: &str| {
            earlier.entries.iter().any(|entry| {
                entry.id == technique && new_stix.get(technique) == Some(&&*entry.stix_id)
            })
        };
        let expected: Vec<&(String, String)> = earlier
            .mitigates
            .iter()
            .filter(|(_, technique)| persisting(technique))
            .collect();
        assert_eq!(
            merged.mitigates.iter().collect::<Vec<_>>(),
            expected,
            "{}",
            domain.as_str()
        );
        assert!(!merged.mitigates.is_empty(), "{}", domain.as_str());
    }
    assert_eq!(
        removed_total,
        replacements.revoked_by.len(),
        "no row too many"
    );
}

/// MITRE's corpus, written with ATT&CK v19 ids, Defense Impairment (TA0112) and ATLAS ids,
/// validates (as read) without an error; the only catalog findings left are real problems of
/// their files (an Enterprise tactic on an ICS technique, a tactic Valid Accounts is not in, a
/// tactic id "de"), warnings since catalog facts are. Before v19.1 and ATLAS were built in,
/// TA0112 and the ATLAS ids were reported too.
#[test]
fn the_corpus_has_no_false_errors_under_attack_19_1_and_atlas() {
    use medflow_core::Severity;
    let Some(reference) = common::reference_dir() else {
        return;
    };
    let corpus = reference.join("attack-flow/corpus");
    let mut errors: Vec<(String, String, String)> = Vec::new();
    let mut changed_tactics = 0;
    let mut labels = 0;
    let mut files = 0;
    for entry in std::fs::read_dir(&corpus).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|extension| extension != "json") {
            continue;
        }
        files += 1;
        let outcome = read_bundle(&std::fs::read(&path).unwrap(), &ReadLimits::default()).unwrap();
        for diagnostic in validate(&outcome.document, &Context::built_in()) {
            match diagnostic.code {
                Code::AttackTacticChanged => changed_tactics += 1,
                Code::AttackIdIsLabel => labels += 1,
                _ => {}
            }
            assert_ne!(
                diagnostic.code.severity(),
                Severity::Error,
                "{}: {diagnostic}",
                path.display()
            );
            // Catalog facts are warnings (Attack Flow allows any string there).
            if matches!(
                diagnostic.code,
                Code::AttackTechniqueNotInTactic
                    | Code::AttackTacticMalformed
                    | Code::AttackTechniqueMalformed
                    | Code::AttackTechniqueUnknown
                    | Code::AttackTacticUnknown
            ) {
                errors.push((
                    path.file_name().unwrap().to_string_lossy().into_owned(),
                    diagnostic.code.as_str().to_owned(),
                    diagnostic.message.clone(),
                ));
            }
        }
    }
    assert_eq!(files, 40);
    errors.sort();
    let codes: Vec<(&str, &str)> = errors
        .iter()
        .map(|(file, code, _)| (file.as_str(), code.as_str()))
        .collect();
    assert_eq!(
        codes.len(),
        3,
        "exactly three real catalog findings left: {errors:#?}"
    );
    for (_, _, message) in &errors {
        assert!(
            message.starts_with("T0866 Exploitation of Remote Services is not in tactic TA0008")
                || message.starts_with("T1078 Valid Accounts is not in tactic TA0008")
                || message.starts_with("tactic_id \"de\""),
            "{message}"
        );
    }
    assert!(
        errors
            .iter()
            .all(|(_, _, message)| !message.contains("TA0112") && !message.contains("AML.")),
        "{errors:#?}"
    );
    // Pairings as ATT&CK 18.1 had them are warnings that explain the change; the Builder's
    // labels in technique_id are read for their ATLAS id.
    assert_eq!((changed_tactics, labels), (10, 2));
}

#[test]
fn v19_changes_and_atlas_ids_are_checked_with_the_v19_1_and_atlas_catalog() {
    // Removed in v19: a warning naming what replaced it, never an unknown-technique error.
    let removed = attack_messages(r#""technique_id": "T1562.001", "tactic_id": "TA0005","#);
    assert_eq!(
        removed,
        [(
            Code::AttackTechniqueRevoked,
            "T1562.001 Disable or Modify Tools is revoked in ATT&CK Enterprise 19.1; use T1685 \
             Disable or Modify Tools instead"
                .to_owned()
        )]
    );
    // Paired with its v18.1 tactic: a warning explaining the split.
    let moved = attack_messages(r#""technique_id": "T1112", "tactic_id": "TA0005","#);
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert_eq!(moved[0].0, Code::AttackTacticChanged);
    assert!(
        moved[0].1.contains(
            "ATT&CK 19 split Defense Evasion into Stealth, TA0005, and Defense Impairment, TA0112"
        ),
        "{}",
        moved[0].1
    );
    // In its v19.1 tactic: nothing to say.
    assert_eq!(
        attack_messages(r#""technique_id": "T1112", "tactic_id": "TA0112","#),
        []
    );
    // ATLAS: checked like ATT&CK.
    assert_eq!(
        attack_messages(r#""technique_id": "AML.T0020", "tactic_id": "AML.TA0003","#),
        []
    );
    let unknown = attack_messages(r#""technique_id": "AML.T9999","#);
    assert_eq!(
        unknown,
        [(
            Code::AttackTechniqueUnknown,
            "technique AML.T9999 is not in the ATLAS catalog".to_owned()
        )]
    );
    let wrong_tactic =
        attack_messages(r#""technique_id": "AML.T0020", "tactic_id": "AML.TA0000","#);
    assert_eq!(wrong_tactic.len(), 1, "{wrong_tactic:?}");
    assert_eq!(wrong_tactic[0].0, Code::AttackTechniqueNotInTactic);
}

#[test]
fn search_finds_ai_attacks_and_a_tactics_techniques_by_its_name() {
    let catalog = catalog();
    let search = |text: &str| {
        catalog
            .search(&Query {
                text,
                limit: 12,
                ..Query::default()
            })
            .into_iter()
            .map(|hit| hit.entry)
            .collect::<Vec<_>>()
    };
    assert_eq!(search("poison training data")[0].id, "AML.T0020");
    let impairment = search("defense impairment");
    assert_eq!(impairment[0].id, "TA0112");
    assert!(impairment.len() > 8, "{impairment:?}");
    for entry in &impairment[1..] {
        assert!(
            entry.tactics.iter().any(|tactic| tactic == "TA0112"),
            "{} is not of Defense Impairment",
            entry.id
        );
    }
    // The ATLAS domain filter.
    let atlas = catalog.search(&Query {
        text: "model",
        domain: Some(Domain::Atlas),
        limit: 20,
        ..Query::default()
    });
    assert!(!atlas.is_empty());
    assert!(atlas.iter().all(|hit| hit.entry.id.starts_with("AML.")));
}
