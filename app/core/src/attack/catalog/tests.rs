//! The compiled catalog against the catalog files, and lookups.

use super::super::embedded_domains;
use super::*;

/// The tables the build script compiled are exactly what indexing the catalog files at run
/// time gives: same domains, entries, positions and indexes.
#[test]
fn the_compiled_catalog_equals_the_catalog_files_indexed_at_run_time() {
    let compiled = Catalog::built_in();
    let indexed = Catalog::from_domains(embedded_domains().unwrap());
    assert!(matches!(compiled.entries, Cow::Borrowed(_)));
    assert!(matches!(indexed.entries, Cow::Owned(_)));
    assert_eq!(compiled.domains, indexed.domains);
    assert_eq!(compiled.entries.len(), indexed.entries.len());
    for (left, right) in compiled.entries.iter().zip(indexed.entries.iter()) {
        assert_eq!(left, right);
        assert_eq!(left.position, right.position);
    }
    assert_eq!(compiled.by_id, indexed.by_id);
    assert_eq!(compiled.by_stix_id, indexed.by_stix_id);
    assert_eq!(compiled.mitigated_by, indexed.mitigated_by);
    assert_eq!(compiled.mitigates, indexed.mitigates);
    assert_eq!(compiled.detected_by, indexed.detected_by);
    assert_eq!(compiled.detects, indexed.detects);
    assert_eq!(compiled.subtechniques, indexed.subtechniques);
    assert_eq!(compiled.relationship_counts, indexed.relationship_counts);
    assert_eq!(compiled.stats(), indexed.stats());
}

/// The sorted indexes answer like a map: every id and STIX id is found, each id gives all
/// its entries in catalog order, and absent or near-miss keys give nothing.
#[test]
fn lookups_find_every_entry_and_nothing_else() {
    let catalog = Catalog::built_in();
    assert!(catalog.entries.len() > 2_000);
    for (position, entry) in catalog.entries.iter().enumerate() {
        let found: Vec<usize> = catalog.lookup(&entry.id).map(|hit| hit.position).collect();
        assert!(found.contains(&position), "{}", entry.id);
        assert!(
            found.windows(2).all(|pair| pair[0] < pair[1]),
            "{}",
            entry.id
        );
        assert!(found.iter().all(|&at| catalog.entries[at].id == entry.id));
        let by_stix = catalog.by_stix_id(&entry.stix_id).unwrap();
        assert_eq!(by_stix.stix_id, entry.stix_id);
        assert!(by_stix.position <= position);
    }
    let mitigation_in_two_domains = catalog
        .entries
        .iter()
        .find(|entry| catalog.lookup(&entry.id).count() > 1)
        .unwrap();
    assert!(catalog.lookup(&mitigation_in_two_domains.id).count() > 1);
    for absent in [
        "",
        "T",
        "T0000",
        "T1078.999",
        "TA9999",
        "t1078",
        "T1078 ",
        "zzz",
    ] {
        assert_eq!(catalog.lookup(absent).count(), 0, "{absent:?}");
    }
    assert!(
        catalog
            .by_stix_id("attack-pattern--00000000-0000-4000-8000-000000000000")
            .is_none()
    );
    assert!(catalog.by_stix_id("").is_none());
    let valid_accounts = catalog.technique("T1078").unwrap();
    let subs: Vec<&str> = catalog
        .subtechniques_of(valid_accounts)
        .into_iter()
        .map(|entry| &*entry.id)
        .collect();
    assert_eq!(subs, ["T1078.001", "T1078.002", "T1078.003", "T1078.004"]);
    assert!(!catalog.mitigations_of(valid_accounts).is_empty());
    assert!(!catalog.detections_of(valid_accounts).is_empty());
}
