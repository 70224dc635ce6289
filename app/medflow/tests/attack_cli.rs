//! `medflow attack search|info|stats|import` run as the real binary, with the data directory
//! pointed at a temporary folder so that a user catalog can be made and preferred.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::Path;
use std::process::Output;

use common::{fixture, medflow_with_data, text};

use serde_json::Value;

fn medflow(args: &[&str], folder: &Path) -> Output {
    medflow_with_data(args, folder, &folder.join("data"))
}

fn json(output: &Output) -> Value {
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn search_prints_the_documented_json() {
    let folder = tempfile::tempdir().unwrap();
    let output = medflow(
        &[
            "attack",
            "search",
            "valid acounts",
            "--limit",
            "3",
            "--format",
            "json",
        ],
        folder.path(),
    );
    let hits = json(&output);
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 3);
    let first = hits[0].as_object().unwrap();
    let keys: Vec<&str> = first.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "id",
            "name",
            "kind",
            "domain",
            "tactics",
            "deprecated",
            "revoked"
        ]
    );
    assert_eq!(first["id"], "T1078");
    assert_eq!(first["kind"], "technique");
    assert_eq!(first["domain"], "enterprise");
    assert_eq!(hits[1]["id"], "T0859");
    assert_eq!(hits[1]["domain"], "ics");
    // No user catalog, nothing said about one.
    assert_eq!(text(&output.stderr), "");
}

#[test]
fn search_filters_by_domain_and_tactic_in_text() {
    let folder = tempfile::tempdir().unwrap();
    let output = medflow(
        &[
            "attack", "search", "loss", "--domain", "ics", "--tactic", "ta0105",
        ],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(0));
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("T0826"), "{stdout}");
    assert!(lines.iter().all(|line| line.contains(" ics ")), "{stdout}");
    assert!(lines.iter().all(|line| line.contains("TA0105")), "{stdout}");
    let none = medflow(&["attack", "search", "qqqqzzzz"], folder.path());
    assert_eq!(none.status.code(), Some(1));
    let bad = medflow(
        &["attack", "search", "x", "--domain", "moon"],
        folder.path(),
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn info_prints_the_documented_json() {
    let folder = tempfile::tempdir().unwrap();
    let info = json(&medflow(
        &["attack", "info", "T1078", "--format", "json"],
        folder.path(),
    ));
    for key in [
        "id",
        "name",
        "kind",
        "domain",
        "tactics",
        "platforms",
        "parent",
        "mitigations",
        "detection_strategies",
        "revoked_by",
    ] {
        assert!(info.get(key).is_some(), "{key} missing");
    }
    assert_eq!(info["name"], "Valid Accounts");
    assert!(
        info["mitigations"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"id": "M1032", "name": "Multi-factor Authentication"}))
    );
    assert!(!info["detection_strategies"].as_array().unwrap().is_empty());
    assert_eq!(info["revoked_by"], Value::Null);

    let revoked = json(&medflow(
        &["attack", "info", "t1089", "--format", "json"],
        folder.path(),
    ));
    assert_eq!(revoked["revoked_by"], "T1562.001");
    let sub = json(&medflow(
        &["attack", "info", "T1078.004", "--format", "json"],
        folder.path(),
    ));
    assert_eq!(
        (&sub["kind"], &sub["parent"]),
        (&"subtechnique".into(), &"T1078".into())
    );
    let mitigation = json(&medflow(
        &["attack", "info", "M1051", "--format", "json"],
        folder.path(),
    ));
    let techniques = mitigation["techniques"].as_array().unwrap();
    assert!(techniques.iter().any(|item| item["id"] == "T1190"));

    let text_output = medflow(&["attack", "info", "T0826"], folder.path());
    let stdout = text(&text_output.stdout);
    assert!(stdout.starts_with("T0826 Loss of Availability\n  Technique in ATT&CK ICS\n"));
    assert!(stdout.contains("Tactics: TA0105 Impact"), "{stdout}");

    let odd = medflow(&["attack", "info", "TÄÖ€"], folder.path());
    assert_eq!(odd.status.code(), Some(1), "any text gets a clear answer");
    let unknown = medflow(&["attack", "info", "T1078.009"], folder.path());
    assert_eq!(unknown.status.code(), Some(1));
    let stderr = text(&unknown.stderr);
    assert!(
        stderr.contains("T1078.009 is not in the ATT&CK catalog"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean: T1078.001 Default Accounts"),
        "{stderr}"
    );
}

#[test]
fn stats_report_the_built_in_release_and_counts() {
    let folder = tempfile::tempdir().unwrap();
    let stats = json(&medflow(
        &["attack", "stats", "--format", "json"],
        folder.path(),
    ));
    assert_eq!(
        stats["catalog"],
        "ATT&CK Enterprise 19.1 (built-in), Mobile 19.1 (built-in), ICS 19.1 (built-in), \
         mitigations and detection strategies from 18.1; ATLAS 5.6.1 (built-in)"
    );
    // Four domains; the counts of the reference tables (`attack_catalog.rs` reads them
    // from the tables themselves), the mitigations and detection strategies of v18.1.
    let domains = stats["domains"].as_array().unwrap();
    let counts: Vec<(&str, &str, u64, u64, u64, u64)> = domains
        .iter()
        .map(|domain| {
            (
                domain["domain"].as_str().unwrap(),
                domain["attack_version"].as_str().unwrap(),
                domain["tactics"].as_u64().unwrap(),
                domain["techniques"].as_u64().unwrap(),
                domain["subtechniques"].as_u64().unwrap(),
                domain["mitigations"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("enterprise", "19.1", 15, 222, 475, 44),
            ("mobile", "19.1", 12, 77, 47, 13),
            ("ics", "19.1", 12, 79, 18, 52),
            ("atlas", "5.6.1", 16, 101, 69, 0),
        ]
    );
    let text_output = medflow(&["attack", "stats"], folder.path());
    let said = text(&text_output.stdout);
    assert!(said.contains("© 2026 The MITRE Corporation."), "{said}");
    assert!(said.contains("MITRE ATLAS data"), "{said}");
    assert!(said.contains("Apache License, Version 2.0"), "{said}");
}

#[test]
fn an_imported_catalog_is_preferred_and_announced() {
    let folder = tempfile::tempdir().unwrap();
    let bundle = fixture("tiny-ics-attack.json");
    let import = medflow(
        &["attack", "import", bundle.to_str().unwrap()],
        folder.path(),
    );
    assert_eq!(import.status.code(), Some(0), "{}", text(&import.stderr));
    let catalog_dir = folder.path().join("data/attack");
    assert!(catalog_dir.join("ics.json").is_file());
    assert!(
        std::fs::read_to_string(catalog_dir.join("LICENSE.txt"))
            .unwrap()
            .contains("The MITRE Corporation")
    );
    assert!(text(&import.stdout).contains("ATT&CK ICS 99.1"));

    let stats = medflow(&["attack", "stats", "--format", "json"], folder.path());
    let value = json(&stats);
    let description = value["catalog"].as_str().unwrap();
    assert!(
        description
            .starts_with("ATT&CK Enterprise 19.1 (built-in), Mobile 19.1 (built-in), ICS 99.1 ("),
        "{description}"
    );
    assert!(description.contains("ics.json"), "{description}");
    assert!(
        text(&stats.stderr).contains("using ATT&CK"),
        "the program says which catalog it uses"
    );
    assert_eq!(value["domains"][2]["techniques"], 2);

    let found = json(&medflow(
        &["attack", "search", "invented", "--format", "json"],
        folder.path(),
    ));
    assert_eq!(found[0]["id"], "T0999");

    // Validation follows the user catalog: T0866 is not in the imported ICS release.
    let flow = std::fs::read_to_string(fixture("valid-flow.json")).unwrap();
    let ics_flow = flow.replacen(
        "\"technique_id\": \"T1566.001\"",
        "\"technique_id\": \"T0866\"",
        1,
    );
    assert_ne!(flow, ics_flow, "the fixture names T1566.001");
    std::fs::write(folder.path().join("flow.json"), ics_flow).unwrap();
    // A catalog fact is a warning: the file is valid Attack Flow; --strict fails on it.
    let checked = medflow(&["validate", "flow.json"], folder.path());
    assert_eq!(checked.status.code(), Some(0));
    assert!(text(&checked.stdout).contains("warning [attack-technique-unknown]"));
    let strict = medflow(&["validate", "--strict", "flow.json"], folder.path());
    assert_eq!(strict.status.code(), Some(1));

    // A damaged user catalog is reported and the built-in domain used instead.
    std::fs::write(catalog_dir.join("ics.json"), b"{ not json").unwrap();
    let damaged = medflow(&["attack", "stats"], folder.path());
    assert_eq!(damaged.status.code(), Some(0));
    let stderr = text(&damaged.stderr);
    assert!(stderr.contains("ics.json: not used"), "{stderr}");
    assert!(text(&damaged.stdout).contains("ICS 19.1 (built-in)"));
}

#[test]
fn import_refuses_what_it_cannot_use_and_writes_nothing() {
    let folder = tempfile::tempdir().unwrap();
    // The STIX 2.0 form names no release.
    let old_form = std::fs::read_to_string(fixture("tiny-ics-attack.json"))
        .unwrap()
        .replace("x-mitre-collection", "x-mitre-something-else");
    std::fs::write(folder.path().join("old.json"), old_form).unwrap();
    let out = folder.path().join("catalog");
    let refused = medflow(
        &[
            "attack",
            "import",
            "old.json",
            "--out",
            out.to_str().unwrap(),
        ],
        folder.path(),
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("--attack-version"));
    assert!(!out.exists(), "nothing written");

    let given = medflow(
        &[
            "attack",
            "import",
            "old.json",
            "--attack-version",
            "17.0",
            "--out",
            out.to_str().unwrap(),
        ],
        folder.path(),
    );
    assert_eq!(given.status.code(), Some(0), "{}", text(&given.stderr));
    let written = std::fs::read_to_string(out.join("ics.json")).unwrap();
    assert!(written.contains("\"attack_version\": \"17.0\""));

    std::fs::write(folder.path().join("broken.json"), "{\n  \"type\": [\n").unwrap();
    let broken = medflow(&["attack", "import", "broken.json"], folder.path());
    assert_eq!(broken.status.code(), Some(2));
    let stderr = text(&broken.stderr);
    assert!(
        stderr.contains("broken.json:") && stderr.contains("line 3"),
        "{stderr}"
    );
}

/// The Attack Flow Builder's data tables import the same way as bundles, told apart by their
/// content: MITRE ATLAS joins the catalog as a fourth domain, found by search and info.
#[test]
fn the_builders_atlas_tables_import_as_a_fourth_domain() {
    let Some(tables) = common::reference_file("attack-flow-builder-intel/MitreAtlas.ts") else {
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let path = tables.to_str().unwrap();
    // Without the release: refused, nothing written.
    let refused = medflow(&["attack", "import", path], folder.path());
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused.stdout));
    assert!(text(&refused.stderr).contains("--attack-version"));
    assert!(!folder.path().join("data/attack/atlas.json").exists());

    let import = medflow(
        &["attack", "import", path, "--attack-version", "5.6.1"],
        folder.path(),
    );
    assert_eq!(import.status.code(), Some(0), "{}", text(&import.stderr));
    let said = text(&import.stdout);
    assert!(
        said.contains("MitreAtlas.ts: ATLAS 5.6.1 — 16 tactics"),
        "{said}"
    );
    assert!(folder.path().join("data/attack/atlas.json").is_file());

    let stats = json(&medflow(
        &["attack", "stats", "--format", "json"],
        folder.path(),
    ));
    let description = stats["catalog"].as_str().unwrap();
    assert!(
        description.ends_with("; ATLAS 5.6.1 (built-in)")
            || description.contains("; ATLAS 5.6.1 (/"),
        "{description}"
    );
    assert!(
        description.contains("atlas.json"),
        "the user's ATLAS is preferred: {description}"
    );
    assert_eq!(stats["domains"].as_array().unwrap().len(), 4);

    let info = json(&medflow(
        &["attack", "info", "AML.T0020", "--format", "json"],
        folder.path(),
    ));
    assert_eq!(info["id"], "AML.T0020");
    assert_eq!(info["domain"], "atlas");
    let found = json(&medflow(
        &[
            "attack",
            "search",
            "AML.T0020",
            "--domain",
            "atlas",
            "--format",
            "json",
        ],
        folder.path(),
    ));
    assert_eq!(found[0]["id"], "AML.T0020");
}

/// `attack info` on ATT&CK v19 and ATLAS: the new tactic, a v19 technique, an ATLAS technique,
/// and a technique v19 removed, with what replaces it; in text and JSON.
#[test]
fn info_answers_for_v19_and_atlas_and_names_what_replaced_a_removed_technique() {
    let folder = tempfile::tempdir().unwrap();
    let info = |id: &str| {
        json(&medflow(
            &["attack", "info", id, "--format", "json"],
            folder.path(),
        ))
    };
    let impairment = info("TA0112");
    assert_eq!(
        (
            &impairment["name"],
            &impairment["kind"],
            &impairment["domain"]
        ),
        (
            &Value::from("Defense Impairment"),
            &Value::from("tactic"),
            &Value::from("enterprise")
        )
    );
    let disable = info("T1685");
    assert_eq!(disable["name"], "Disable or Modify Tools");
    assert_eq!(disable["tactics"], serde_json::json!(["TA0112"]));
    let poison = info("AML.T0020");
    assert_eq!(
        (&poison["name"], &poison["domain"]),
        (&Value::from("Poison Training Data"), &Value::from("atlas"))
    );
    let removed = info("T1562");
    assert_eq!(removed["revoked"], true);
    assert_eq!(removed["revoked_by"], "T1685");

    let text_info = medflow(&["attack", "info", "T1562"], folder.path());
    assert_eq!(text_info.status.code(), Some(0));
    let said = text(&text_info.stdout);
    assert!(
        said.contains("T1562 Impair Defenses  (revoked; use T1685)"),
        "{said}"
    );
    assert!(
        said.contains("Replaced by: T1685 Disable or Modify Tools"),
        "{said}"
    );
    let atlas = text(&medflow(&["attack", "info", "AML.T0020"], folder.path()).stdout);
    assert!(atlas.contains("Technique in ATLAS"), "{atlas}");
}

/// Imported from the Builder's tables, which hold no mitigations, an ATT&CK domain keeps the
/// mitigations, detection strategies and platforms of the catalog in use.
#[test]
fn attack_tables_imported_keep_the_mitigations_of_the_catalog_in_use() {
    let Some(tables) = common::reference_file("attack-flow-builder-intel/MitreAttack.ts") else {
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let import = medflow(
        &[
            "attack",
            "import",
            tables.to_str().unwrap(),
            "--attack-version",
            "19.1",
        ],
        folder.path(),
    );
    assert_eq!(import.status.code(), Some(0), "{}", text(&import.stderr));
    let said = text(&import.stdout);
    assert!(
        said.contains("ATT&CK Enterprise 19.1 — 15 tactics, 222 techniques"),
        "{said}"
    );
    assert!(said.contains("44 mitigations"), "{said}");
    let stats = json(&medflow(
        &["attack", "stats", "--format", "json"],
        folder.path(),
    ));
    let description = stats["catalog"].as_str().unwrap();
    assert!(description.contains("enterprise.json"), "{description}");
    assert!(
        description.contains("mitigations and detection strategies from 18.1"),
        "{description}"
    );
    assert_eq!(stats["domains"][0]["mitigations"], 44);
    assert_eq!(stats["domains"][0]["detection_strategies"], 691);
}
