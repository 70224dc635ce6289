//! The ATT&CK catalog: the committed files are a fresh import of the reference files (the
//! Builder's v19.1 and ATLAS tables, the v18.1 bundles); the counts are v19.1's and ATLAS's; the
//! bundle importer reads both published forms and refuses
//! bad input clearly; the catalog file round-trips; search ranks as documented; the ATT&CK
//! validation rules say what is wrong and what replaces it.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use common::attack::{attack_messages, flow_with_action};
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
                &*domain.attack_version,
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
    let mut tactics = valid_accounts.tactics.to_vec();
    tactics.sort();
    assert_eq!(tactics, ["TA0001", "TA0003", "TA0004", "TA0005"]);
    assert_eq!(
        valid_accounts.stix_id,
        "attack-pattern--b17a1a56-e99c-403c-8948-561df0cffe81"
    );

    let loss = catalog.technique("T0826").unwrap();
    assert_eq!(
        (&*loss.name, loss.domain, &*loss.tactics),
        (
            "Loss of Availability",
            Domain::Ics,
            ["TA0105".into()].as_slice()
        )
    );
    assert_eq!(catalog.tactic("TA0105").unwrap().name, "Impact");

    let update = catalog.entry("M1051", None).unwrap();
    assert_eq!(
        (&*update.name, update.kind),
        ("Update Software", Kind::Mitigation)
    );
    let mitigated: Vec<&str> = catalog
        .techniques_mitigated_by(update)
        .iter()
        .map(|entry| &*entry.id)
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
        (modern.domain, &*modern.attack_version),
        (Domain::Ics, "99.1")
    );
    assert!(modern.notice.starts_with("© 2031 The MITRE Corporation."));
    let ids: Vec<(&str, Kind)> = modern
        .entries
        .iter()
        .map(|entry| (&*entry.id, entry.kind))
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
    assert_eq!(*modern.entries[1].tactics, ["TA0105"]);
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
        (imported.domain, &*imported.attack_version),
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
    hits.iter().map(|hit| &*hit.entry.id).collect()
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
        hits.into_iter()
            .map(|hit| hit.entry.id.to_string())
            .collect()
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
