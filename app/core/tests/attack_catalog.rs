//! The ATT&CK catalog: the committed files are a fresh import of the reference bundles; the
//! counts and facts are ATT&CK v18.1's; the importer reads both published forms and refuses
//! bad input clearly; the catalog file round-trips; search ranks as documented; the ATT&CK
//! validation rules say what is wrong and what replaces it.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use medflow_core::attack::{
    Catalog, Domain, DomainCatalog, EMBEDDED_FILES, ImportError, ImportOptions, Kind, Query,
    embedded_domains, import_bundle,
};
use medflow_core::{Code, Context, ReadLimits, read_bundle, validate};

fn catalog() -> &'static Catalog {
    let catalog = Catalog::embedded();
    assert!(!catalog.is_empty(), "the built-in catalog loads");
    catalog
}

/// The first line where two texts differ, for a readable failure.
fn first_difference(left: &str, right: &str) -> String {
    for (number, (a, b)) in left.lines().zip(right.lines()).enumerate() {
        if a != b {
            return format!("line {}:\n  committed: {a}\n  imported:  {b}", number + 1);
        }
    }
    format!(
        "line counts differ: {} vs {}",
        left.lines().count(),
        right.lines().count()
    )
}

/// The built-in catalog, made afresh from the reference files: the Builder's ATT&CK v19.1
/// tables completed with the v18.1 bundles (and the v19 release notes' replacements), and the
/// Builder's ATLAS v5.6.1 tables.
fn fresh_catalog(reference: &std::path::Path) -> Vec<DomainCatalog> {
    use medflow_core::attack::{Replacements, complete_with_earlier, import_tables};
    let intel = reference.join("attack-flow-builder-intel");
    let tables = |file: &str, version: &str| {
        let options = ImportOptions {
            attack_version: Some(version.to_owned()),
            notice_year: Some("2026".to_owned()),
        };
        import_tables(&std::fs::read(intel.join(file)).unwrap(), &options).unwrap()
    };
    let replacements = Replacements::from_bytes(include_bytes!(
        "../../../assets/attack/replacements-19.0.json"
    ))
    .unwrap();
    // The STIX 2.0 bundles of mitre/cti name no release; README.txt says they are v18.1.
    let earlier_options = ImportOptions {
        attack_version: Some("18.1".to_owned()),
        ..ImportOptions::default()
    };
    let mut domains: Vec<DomainCatalog> = tables("MitreAttack.ts", "19.1")
        .into_iter()
        .map(|current| {
            let bundle = reference
                .join("attack")
                .join(format!("{}.json", current.domain.stix_name()));
            let earlier = import_bundle(&std::fs::read(bundle).unwrap(), &earlier_options).unwrap();
            complete_with_earlier(current, &earlier, &replacements)
        })
        .collect();
    domains.extend(tables("MitreAtlas.ts", "5.6.1"));
    domains
}

#[test]
fn committed_catalog_equals_a_fresh_import_of_the_reference_files() {
    let Some(reference) = common::reference_dir() else {
        return;
    };
    let fresh = fresh_catalog(&reference);
    assert_eq!(fresh.len(), EMBEDDED_FILES.len());
    // UPDATE_CATALOG=1 writes the files (a deliberate change of the built-in catalog).
    let update = std::env::var("UPDATE_CATALOG").as_deref() == Ok("1");
    for ((domain, committed), imported) in EMBEDDED_FILES.into_iter().zip(fresh) {
        assert_eq!(domain, imported.domain);
        let imported = String::from_utf8(imported.to_bytes()).unwrap();
        let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../../assets/attack/{}.json", domain.as_str()));
        if update {
            std::fs::write(&target, &imported).unwrap();
            continue;
        }
        let committed = std::str::from_utf8(committed).unwrap();
        assert!(
            committed == imported,
            "assets/attack/{}.json is not a fresh import of the reference files \
             (UPDATE_CATALOG=1 rewrites it): {}",
            domain.as_str(),
            first_difference(committed, &imported)
        );
    }
}

#[test]
fn active_counts_are_those_of_attack_v19_1_and_atlas_5_6_1() {
    let stats = catalog().stats();
    let counts: Vec<_> = stats
        .iter()
        .map(|domain| {
            (
                domain.domain,
                domain.attack_version.as_str(),
                domain.tactics,
                domain.techniques,
                domain.subtechniques,
                domain.mitigations,
                domain.detection_strategies,
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            (Domain::Enterprise, "19.1", 15, 222, 475, 44, 691),
            (Domain::Mobile, "19.1", 12, 77, 47, 13, 124),
            (Domain::Ics, "19.1", 12, 79, 18, 52, 83),
            (Domain::Atlas, "5.6.1", 16, 101, 69, 0, 0),
        ]
    );
    // v18.1's relationships, of the techniques v19.1 kept (v18.1 had 1,445 and 691).
    let enterprise = &stats[0];
    assert_eq!(
        (
            enterprise.data_components,
            enterprise.mitigates,
            enterprise.detects
        ),
        (106, 1398, 674)
    );
    // The 26 techniques v19 removed stay, revoked: Enterprise's 149 revoked include v18.1's
    // own 132 and 17 of them.
    assert_eq!(
        stats
            .iter()
            .map(|domain| domain.revoked)
            .collect::<Vec<_>>(),
        [149, 53, 9, 0]
    );
}

#[test]
fn facts_across_the_three_domains() {
    let catalog = catalog();

    let valid_accounts = catalog.technique("T1078").unwrap();
    assert_eq!(valid_accounts.name, "Valid Accounts");
    assert_eq!(valid_accounts.domain, Domain::Enterprise);
    let mut tactics = valid_accounts.tactics.clone();
    tactics.sort();
    assert_eq!(tactics, ["TA0001", "TA0003", "TA0004", "TA0005"]);
    assert_eq!(
        valid_accounts.stix_id,
        "attack-pattern--b17a1a56-e99c-403c-8948-561df0cffe81"
    );

    let loss = catalog.technique("T0826").unwrap();
    assert_eq!(
        (loss.name.as_str(), loss.domain, loss.tactics.as_slice()),
        (
            "Loss of Availability",
            Domain::Ics,
            ["TA0105".to_owned()].as_slice()
        )
    );
    assert_eq!(catalog.tactic("TA0105").unwrap().name, "Impact");

    let update = catalog.entry("M1051", None).unwrap();
    assert_eq!(
        (update.name.as_str(), update.kind),
        ("Update Software", Kind::Mitigation)
    );
    let mitigated: Vec<&str> = catalog
        .techniques_mitigated_by(update)
        .iter()
        .map(|entry| entry.id.as_str())
        .collect();
    for id in ["T1068", "T1072", "T1190", "T1210"] {
        assert!(
            mitigated.contains(&id),
            "M1051 mitigates {id}: {mitigated:?}"
        );
    }
    let exploit = catalog.technique("T1190").unwrap();
    assert!(
        catalog
            .mitigations_of(exploit)
            .iter()
            .any(|entry| entry.id == "M1051")
    );

    let disabling = catalog.technique("T1089").unwrap();
    assert!(disabling.revoked);
    assert_eq!(disabling.revoked_by.as_deref(), Some("T1562.001"));
    assert_eq!(
        catalog.replacement(disabling).unwrap().name,
        "Disable or Modify Tools"
    );

    let cloud = catalog.technique("T1078.004").unwrap();
    assert_eq!(
        (cloud.kind, cloud.parent.as_deref()),
        (Kind::Subtechnique, Some("T1078"))
    );
    assert!(
        catalog
            .subtechniques_of(valid_accounts)
            .iter()
            .any(|entry| entry.id == "T1078.004")
    );

    // A detection strategy and what it detects; a mitigation shared by two domains.
    let detections = catalog.detections_of(valid_accounts);
    assert!(!detections.is_empty());
    assert!(
        detections
            .iter()
            .all(|entry| entry.kind == Kind::DetectionStrategy)
    );
    let domains: Vec<Domain> = catalog.lookup("M1013").map(|entry| entry.domain).collect();
    assert_eq!(domains, [Domain::Enterprise, Domain::Mobile]);
    assert_eq!(
        catalog.entry("M1013", Some(Domain::Mobile)).unwrap().domain,
        Domain::Mobile
    );
}

#[test]
fn catalog_files_round_trip_byte_for_byte() {
    for ((domain, bytes), parsed) in EMBEDDED_FILES.iter().zip(embedded_domains().unwrap()) {
        assert_eq!(parsed.domain, *domain);
        assert_eq!(parsed.to_bytes(), *bytes, "{}", domain.as_str());
        let again = DomainCatalog::from_bytes(&parsed.to_bytes()).unwrap();
        assert_eq!(again.entries, parsed.entries);
    }
    assert!(matches!(
        DomainCatalog::from_bytes(b"{\"format\": 1"),
        Err(medflow_core::attack::CatalogError::Syntax { line: 1, .. })
    ));
    let wrong = String::from_utf8(EMBEDDED_FILES[2].1.to_vec())
        .unwrap()
        .replace("\"format_version\": 1", "\"format_version\": 99");
    let error = DomainCatalog::from_bytes(wrong.as_bytes()).unwrap_err();
    assert!(error.to_string().contains("newer"), "{error}");
}

/// A tiny ATT&CK-shaped bundle in the STIX 2.1 form (with a collection) or the 2.0 form.
fn tiny_bundle(with_collection: bool) -> String {
    let spec = if with_collection {
        r#""spec_version": "2.1","#
    } else {
        ""
    };
    let collection = if with_collection {
        format!(
            r#"{{"type": "x-mitre-collection", {spec} "id": "x-mitre-collection--90c00720-636b-4485-b342-8751d232bf09", "name": "ICS ATT&CK", "x_mitre_version": "99.1", "modified": "2031-04-01T00:00:00.000Z"}},"#
        )
    } else {
        String::new()
    };
    format!(
        r#"{{"type": "bundle", "id": "bundle--3ac6a9c4-0000-4000-8000-000000000001", "objects": [
        {collection}
        {{"type": "x-mitre-matrix", {spec} "id": "x-mitre-matrix--3ac6a9c4-0000-4000-8000-000000000002", "name": "ICS", "x_mitre_domains": ["ics-attack"]}},
        {{"type": "x-mitre-tactic", {spec} "id": "x-mitre-tactic--3ac6a9c4-0000-4000-8000-000000000003", "name": "Impact", "x_mitre_shortname": "impact",
          "description": "not copied", "external_references": [{{"source_name": "mitre-attack", "external_id": "TA0105"}}]}},
        {{"type": "attack-pattern", {spec} "id": "attack-pattern--3ac6a9c4-0000-4000-8000-000000000004", "name": "Loss of Availability",
          "description": "not copied", "x_mitre_platforms": ["None"], "modified": "2030-05-01T00:00:00.000Z",
          "kill_chain_phases": [{{"kill_chain_name": "mitre-ics-attack", "phase_name": "impact"}}],
          "external_references": [{{"source_name": "mitre-ics-attack", "external_id": "T0826"}}]}},
        {{"type": "course-of-action", {spec} "id": "course-of-action--3ac6a9c4-0000-4000-8000-000000000005", "name": "Redundancy of Service",
          "external_references": [{{"source_name": "mitre-attack", "external_id": "M0811"}}]}},
        {{"type": "course-of-action", {spec} "id": "course-of-action--3ac6a9c4-0000-4000-8000-000000000006", "name": "Legacy mitigation",
          "x_mitre_deprecated": true, "external_references": [{{"source_name": "mitre-attack", "external_id": "T0826"}}]}},
        {{"type": "relationship", {spec} "id": "relationship--3ac6a9c4-0000-4000-8000-000000000007", "relationship_type": "mitigates",
          "source_ref": "course-of-action--3ac6a9c4-0000-4000-8000-000000000005", "target_ref": "attack-pattern--3ac6a9c4-0000-4000-8000-000000000004"}}
        ]}}"#
    )
}

#[test]
fn importer_reads_both_published_forms_and_only_facts() {
    let modern = import_bundle(tiny_bundle(true).as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(
        (modern.domain, modern.attack_version.as_str()),
        (Domain::Ics, "99.1")
    );
    assert!(modern.notice.starts_with("© 2031 The MITRE Corporation."));
    let ids: Vec<(&str, Kind)> = modern
        .entries
        .iter()
        .map(|entry| (entry.id.as_str(), entry.kind))
        .collect();
    // The legacy course-of-action carrying a technique id is left out.
    assert_eq!(
        ids,
        [
            ("TA0105", Kind::Tactic),
            ("T0826", Kind::Technique),
            ("M0811", Kind::Mitigation)
        ]
    );
    assert_eq!(modern.entries[1].tactics, ["TA0105"]);
    assert_eq!(modern.mitigates, [("M0811".to_owned(), "T0826".to_owned())]);
    let text = String::from_utf8(modern.to_bytes()).unwrap();
    assert!(!text.contains("not copied"), "no description is copied");

    // The STIX 2.0 form names no release: it must be given.
    let old = tiny_bundle(false);
    assert_eq!(
        import_bundle(old.as_bytes(), &ImportOptions::default()).unwrap_err(),
        ImportError::UnknownVersion
    );
    let given = ImportOptions {
        attack_version: Some("17.0".to_owned()),
        ..ImportOptions::default()
    };
    let imported = import_bundle(old.as_bytes(), &given).unwrap();
    assert_eq!(
        (imported.domain, imported.attack_version.as_str()),
        (Domain::Ics, "17.0")
    );
    assert_eq!(imported.entries, modern.entries);
}

#[test]
fn importer_refuses_bad_input_clearly() {
    let options = ImportOptions::default();
    match import_bundle(
        b"{\n  \"type\": \"bundle\",\n  \"objects\": [,]\n}",
        &options,
    ) {
        Err(ImportError::Syntax { line, column, .. }) => assert_eq!((line, column), (3, 15)),
        other => panic!("unexpected {other:?}"),
    }
    assert!(matches!(
        import_bundle(b"[]", &options),
        Err(ImportError::NotABundle(_))
    ));
    assert!(matches!(
        import_bundle(br#"{"type": "bundle", "objects": {}}"#, &options),
        Err(ImportError::NotABundle(_))
    ));
    assert_eq!(
        import_bundle(br#"{"type": "bundle", "objects": []}"#, &options).unwrap_err(),
        ImportError::UnknownDomain
    );
    let no_techniques = br#"{"type": "bundle", "objects": [
        {"type": "x-mitre-matrix", "x_mitre_domains": ["mobile-attack"]}]}"#;
    let given = ImportOptions {
        attack_version: Some("1".to_owned()),
        ..ImportOptions::default()
    };
    assert_eq!(
        import_bundle(no_techniques, &given).unwrap_err(),
        ImportError::NoTechniques
    );
}

fn ids<'a>(hits: &[medflow_core::attack::Hit<'a>]) -> Vec<&'a str> {
    hits.iter().map(|hit| hit.entry.id.as_str()).collect()
}

#[test]
fn search_finds_ids_names_and_typos_in_a_stable_order() {
    let catalog = catalog();
    let search = |text: &str| {
        catalog.search(&Query {
            text,
            limit: 5,
            ..Query::default()
        })
    };
    // The exact id first, then ids starting with it.
    assert_eq!(
        ids(&search("t1078")),
        ["T1078", "T1078.001", "T1078.002", "T1078.003", "T1078.004"]
    );
    assert_eq!(ids(&search("TA000"))[0], "TA0001");
    // Name words, with a typo; Enterprise before ICS for the same name.
    assert_eq!(ids(&search("valid acounts"))[..2], ["T1078", "T0859"]);
    assert_eq!(ids(&search("Phising"))[0], "T1566");
    assert_eq!(ids(&search("loss of availability"))[0], "T0826");
    assert_eq!(ids(&search("update software"))[0], "M1051");
    // Deprecated and revoked entries rank below every active one.
    let security_tools = catalog.search(&Query {
        text: "disabling security tools",
        ..Query::default()
    });
    let revoked_at = security_tools
        .iter()
        .position(|hit| hit.entry.id == "T1089")
        .expect("revoked entries are still found");
    assert!(
        security_tools[..revoked_at]
            .iter()
            .all(|hit| hit.entry.is_active())
    );
    // Nothing matches nonsense.
    assert!(search("zzzzqqqq").is_empty());
    // The same query always gives the same order.
    assert_eq!(ids(&search("account")), ids(&search("account")));
}

#[test]
fn search_filters_by_domain_tactic_kind_and_state() {
    let catalog = catalog();
    let hits = catalog.search(&Query {
        text: "valid accounts",
        domain: Some(Domain::Ics),
        ..Query::default()
    });
    assert_eq!(ids(&hits), ["T0859", "DET0724"]);
    let execution = catalog.search(&Query {
        text: "",
        tactic: Some("TA0002"),
        kinds: &[Kind::Technique],
        ..Query::default()
    });
    assert!(!execution.is_empty());
    assert!(execution.iter().all(|hit| {
        hit.entry.kind == Kind::Technique && hit.entry.tactics.iter().any(|id| id == "TA0002")
    }));
    assert!(ids(&execution).contains(&"T1059"));
    let active = catalog.search(&Query {
        text: "disabling security tools",
        active_only: true,
        ..Query::default()
    });
    assert!(active.iter().all(|hit| hit.entry.is_active()));
}

/// A valid flow whose one action carries the given ATT&CK properties.
fn flow_with_action(properties: &str) -> String {
    format!(
        r#"{{"type": "bundle", "id": "bundle--74f89f5f-b564-4d05-b5ae-c1a29edc683f", "objects": [
        {{"type": "extension-definition", "spec_version": "2.1", "id": "extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4",
          "created": "2024-03-05T09:15:00.000Z", "modified": "2024-03-05T09:15:00.000Z",
          "created_by_ref": "identity--fae7a68e-345a-4c3f-a11b-b65171ae3f87", "name": "Attack Flow",
          "schema": "https://center-for-threat-informed-defense.github.io/attack-flow/stix/attack-flow-schema-2.0.0.json",
          "version": "2.0.0", "extension_types": ["new-sdo"]}},
        {{"type": "identity", "spec_version": "2.1", "id": "identity--fae7a68e-345a-4c3f-a11b-b65171ae3f87",
          "created": "2024-03-05T09:15:00.000Z", "modified": "2024-03-05T09:15:00.000Z", "name": "Tests", "identity_class": "organization"}},
        {{"type": "attack-flow", "spec_version": "2.1", "id": "attack-flow--0e5b430f-0474-4841-90d3-c3d9ee46ccdd",
          "created": "2024-03-05T09:15:00.000Z", "modified": "2024-03-05T09:15:00.000Z", "name": "One step",
          "description": "One action.", "scope": "incident", "start_refs": ["attack-action--2b3aed78-7f7f-4a0a-98b6-e0017485c263"],
          "extensions": {{"extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {{"extension_type": "new-sdo"}}}}}},
        {{"type": "attack-action", "spec_version": "2.1", "id": "attack-action--2b3aed78-7f7f-4a0a-98b6-e0017485c263",
          "created": "2024-03-05T09:15:00.000Z", "modified": "2024-03-05T09:15:00.000Z", "name": "Step", {properties}
          "extensions": {{"extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4": {{"extension_type": "new-sdo"}}}}}}
        ]}}"#
    )
}

fn attack_messages(properties: &str) -> Vec<(Code, String)> {
    let text = flow_with_action(properties);
    let outcome = read_bundle(text.as_bytes(), &ReadLimits::default()).unwrap();
    validate(&outcome.document, &Context::built_in())
        .into_iter()
        .map(|diagnostic| (diagnostic.code, diagnostic.message))
        .collect()
}

#[test]
fn attack_rules_name_the_problem_and_the_replacement() {
    // Correct ids, refs and tactic in each domain: nothing to report.
    assert_eq!(
        attack_messages(
            r#""technique_id": "T0826", "tactic_id": "TA0105",
               "technique_ref": "attack-pattern--b5b9bacb-97f2-4249-b804-47fd44de1f95","#
        ),
        []
    );
    assert_eq!(
        attack_messages(
            r#""technique_id": "T1078.004", "tactic_id": "TA0001",
               "tactic_ref": "x-mitre-tactic--ffd5bcee-6e16-4dd2-8eca-7b3beedf33ca","#
        ),
        []
    );

    // Attack Flow allows a tactic's short name instead of its id.
    assert_eq!(
        attack_messages(r#""technique_id": "T0826", "tactic_id": "impact","#),
        []
    );
    let short_wrong = attack_messages(r#""technique_id": "T1078", "tactic_id": "impact","#);
    assert_eq!(short_wrong.len(), 1);
    assert!(
        short_wrong[0].1.contains("TA0040 Impact"),
        "{}",
        short_wrong[0].1
    );

    let revoked = attack_messages(r#""technique_id": "T1089", "tactic_id": "TA0005","#);
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0].0, Code::AttackTechniqueRevoked);
    assert!(
        revoked[0]
            .1
            .contains("use T1562.001 Disable or Modify Tools instead"),
        "{}",
        revoked[0].1
    );

    let wrong_tactic = attack_messages(r#""technique_id": "T1078", "tactic_id": "TA0008","#);
    assert_eq!(wrong_tactic.len(), 1);
    assert_eq!(wrong_tactic[0].0, Code::AttackTechniqueNotInTactic);
    assert!(
        wrong_tactic[0]
            .1
            .contains("T1078 Valid Accounts is not in tactic TA0008 Lateral Movement"),
        "{}",
        wrong_tactic[0].1
    );

    let lower = attack_messages(r#""technique_id": "t1078","#);
    assert_eq!(lower[0].0, Code::AttackTechniqueMalformed);
    assert!(lower[0].1.contains("did you mean T1078?"), "{}", lower[0].1);

    // ATLAS ids are checked against the built-in ATLAS; a catalog without ATLAS (a user's)
    // notes them and checks nothing.
    let atlas_action = r#""technique_id": "AML.T0051.001", "tactic_id": "AML.TA0005","#;
    assert_eq!(attack_messages(atlas_action), []);
    let without_atlas = Catalog::from_domains(
        embedded_domains()
            .unwrap()
            .into_iter()
            .filter(|domain| domain.domain != Domain::Atlas)
            .collect(),
    );
    let outcome = read_bundle(
        flow_with_action(atlas_action).as_bytes(),
        &ReadLimits::default(),
    )
    .unwrap();
    let codes: Vec<Code> = validate(&outcome.document, &Context::with_catalog(&without_atlas))
        .into_iter()
        .map(|diagnostic| diagnostic.code)
        .filter(|code| code.as_str().starts_with("attack-"))
        .collect();
    assert_eq!(codes, [Code::AttackAtlasId, Code::AttackAtlasId]);

    // Without a catalog, the ATT&CK rules do not run.
    let text = flow_with_action(r#""technique_id": "TXXXX","#);
    let outcome = read_bundle(text.as_bytes(), &ReadLimits::default()).unwrap();
    assert!(validate(&outcome.document, &Context::default()).is_empty());
}

#[test]
fn a_technique_found_by_name_brings_its_subtechniques_and_the_preferred_domain_leads() {
    let catalog = Catalog::embedded();
    let ids = |hits: Vec<medflow_core::attack::Hit<'_>>| -> Vec<String> {
        hits.into_iter().map(|hit| hit.entry.id.clone()).collect()
    };
    let valid = ids(catalog.search(&Query {
        text: "valid accounts",
        kinds: &[Kind::Technique, Kind::Subtechnique],
        prefer: Some(Domain::Enterprise),
        ..Query::default()
    }));
    assert_eq!(
        valid[..5],
        ["T1078", "T1078.001", "T1078.002", "T1078.003", "T1078.004"],
        "{valid:?}"
    );
    assert!(
        valid.contains(&"T0859".to_owned()),
        "ICS's Valid Accounts too"
    );
    let spear = ids(catalog.search(&Query {
        text: "spearphishing",
        kinds: &[Kind::Technique, Kind::Subtechnique],
        prefer: Some(Domain::Enterprise),
        ..Query::default()
    }));
    let ics = spear.iter().position(|id| id == "T0865").unwrap();
    let enterprise = spear.iter().position(|id| id == "T1566.001").unwrap();
    assert!(enterprise < ics, "Enterprise first: {spear:?}");
    let spear_ics = ids(catalog.search(&Query {
        text: "spearphishing",
        kinds: &[Kind::Technique, Kind::Subtechnique],
        prefer: Some(Domain::Ics),
        ..Query::default()
    }));
    assert_eq!(spear_ics[0], "T0865", "an ICS flow's author gets ICS first");
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
                    tables["stixIds"][&entry.id].as_str(),
                    Some(entry.stix_id.as_str()),
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
            assert_eq!(disable.tactics, ["TA0112"], "{disable:?}");
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
            new.entries.iter().map(|entry| entry.id.as_str()).collect();
        let removed: Vec<&str> = earlier
            .entries
            .iter()
            .filter(|entry| entry.kind.is_technique() && entry.is_active())
            .map(|entry| entry.id.as_str())
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
            .map(|entry| (entry.id.as_str(), entry.stix_id.as_str()))
            .collect();
        let persisting = |technique: &str| {
            earlier.entries.iter().any(|entry| {
                entry.id == technique && new_stix.get(technique) == Some(&entry.stix_id.as_str())
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
/// validates without a false error: the only errors left are real problems of their files
/// (an Enterprise tactic on an ICS technique, a tactic Valid Accounts is not in, a tactic id
/// "de"). Before v19.1 and ATLAS were built in, TA0112 and the ATLAS ids were errors.
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
            if diagnostic.code.severity() == Severity::Error {
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
        "exactly three real errors left: {errors:#?}"
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
