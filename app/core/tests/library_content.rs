//! What the flow library holds (PRODUCT.md §3.9): at least twenty flows over all ten
//! categories of RAS-REFERENCE.md, impacts spread over the harm scale, every pivot key
//! handed on by one flow and taken up by another, at least four use cases chaining at least
//! two flows each, at least three example profiles with different scores, every control
//! of the catalogue with a complete RACI, the actions' techniques from the built-in
//! catalog with a tactic they belong to, and `flows/README.md` written from the files.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::collections::{BTreeMap, BTreeSet};

use medflow_core::architecture::Profile;
use medflow_core::attack::Catalog;
use medflow_core::control::{Party, Role, controls};
use medflow_core::index::{Library, LibraryFile, markdown};
use medflow_core::library::{
    embedded_control_catalogue, embedded_flows, embedded_profiles, embedded_use_cases,
};
use medflow_core::safety::{
    Category, HarmSeverity, PivotRole, UseCase, chain_problems, flow_meta, impacts, pivots,
};
use medflow_core::simulate::{Model, Setting, Unit, score};
use medflow_core::{Document, ReadLimits, StixObject, read_bundle};

fn read(bytes: &[u8]) -> Document {
    read_bundle(bytes, &ReadLimits::default()).unwrap().document
}

fn flow_object(document: &Document) -> &StixObject {
    document
        .objects
        .iter()
        .find(|object| object.type_name() == "attack-flow")
        .unwrap()
}

#[test]
fn the_library_covers_every_category_with_at_least_twenty_flows() {
    let mut per_category: BTreeMap<Category, usize> = BTreeMap::new();
    let mut flows = 0;
    for file in embedded_flows() {
        let document = read(file.bytes);
        let category = flow_meta(flow_object(&document))
            .category
            .unwrap_or_else(|| panic!("{}: no category", file.path));
        *per_category.entry(category).or_default() += 1;
        flows += 1;
    }
    assert!(flows >= 20, "{flows} flows");
    for category in Category::ALL {
        let least = match category {
            Category::RobotControl | Category::CloudServices | Category::Availability => 2,
            _ => 1,
        };
        let count = per_category.get(&category).copied().unwrap_or(0);
        assert!(
            count >= least,
            "{}: {count} flows, at least {least} expected",
            category.label()
        );
    }
}

#[test]
fn impacts_spread_over_the_harm_scale_and_multi_patient_harm_is_marked() {
    let mut severities = BTreeSet::new();
    let mut multi = 0;
    for file in embedded_flows() {
        let document = read(file.bytes);
        let found = impacts(&document);
        assert!(!found.is_empty(), "{}: no impact", file.path);
        for (_, impact) in found {
            assert!(!impact.harm.trim().is_empty(), "{}: harm stated", file.path);
            severities.insert(impact.severity);
            multi += usize::from(impact.multi_patient);
        }
    }
    assert_eq!(
        severities.into_iter().collect::<Vec<_>>(),
        HarmSeverity::ALL,
        "every step of the scale is used"
    );
    assert!(multi >= 3, "{multi} multi-patient impacts");
}

#[test]
fn every_technique_is_in_the_built_in_catalog_under_one_of_its_tactics() {
    let catalog = Catalog::embedded();
    for file in embedded_flows() {
        let document = read(file.bytes);
        for object in &document.objects {
            let StixObject::AttackAction(action) = object else {
                continue;
            };
            let name = action.name.as_deref().unwrap_or_default();
            let id = action
                .technique_id
                .as_deref()
                .unwrap_or_else(|| panic!("{}: {name} has no technique", file.path));
            let technique = catalog
                .technique(id)
                .unwrap_or_else(|| panic!("{}: {name}: {id} is not in the catalog", file.path));
            assert!(
                !technique.revoked && !technique.deprecated,
                "{}: {id}",
                file.path
            );
            let tactic = action
                .tactic_id
                .as_deref()
                .unwrap_or_else(|| panic!("{}: {name} has no tactic", file.path));
            assert!(
                technique.tactics.iter().any(|known| known == tactic),
                "{}: {name}: {id} is not a technique of {tactic}",
                file.path
            );
        }
    }
}

#[test]
fn every_control_of_the_catalogue_has_a_complete_raci() {
    let catalogue = read(embedded_control_catalogue().unwrap());
    let defined = controls(&catalogue);
    assert!(defined.len() >= 30);
    for control in &defined {
        for party in Party::ALL {
            assert!(
                control
                    .raci
                    .get(&party)
                    .is_some_and(|roles| !roles.is_empty()),
                "{}: no role for {}",
                control.name,
                party.short_name()
            );
        }
        let holding = |role: Role| {
            control
                .raci
                .values()
                .filter(|roles| roles.contains(role))
                .count()
        };
        assert_eq!(holding(Role::Accountable), 1, "{}", control.name);
        assert!(holding(Role::Responsible) >= 1, "{}", control.name);
        // The cloud provider answers only for its own platform: it is never accountable
        // for a control of the hospital, the device or the EHR.
        let csp = control.raci[&Party::Csp];
        assert!(
            !csp.contains(Role::Accountable),
            "{}: the CSP is accountable",
            control.name
        );
    }
}

#[test]
fn every_pivot_key_is_handed_on_and_taken_up() {
    let mut keys: BTreeMap<String, [usize; 2]> = BTreeMap::new();
    for file in embedded_flows() {
        let document = read(file.bytes);
        for (_, pivot) in pivots(&document) {
            keys.entry(pivot.key).or_default()[usize::from(pivot.role == PivotRole::Entry)] += 1;
        }
    }
    assert!(keys.len() >= 4, "{keys:?}");
    for (key, [exits, entries]) in &keys {
        assert!(*exits > 0, "{key}: no flow hands it on");
        assert!(*entries > 0, "{key}: no flow takes it up");
    }
}

#[test]
fn at_least_four_use_cases_chain_at_least_two_flows_each() {
    let flows: Vec<Document> = embedded_flows().map(|file| read(file.bytes)).collect();
    let library: Vec<&Document> = flows.iter().collect();
    let cases: Vec<UseCase> = embedded_use_cases()
        .map(|file| UseCase::from_document(&read(file.bytes)).unwrap())
        .collect();
    assert!(cases.len() >= 4, "{} use cases", cases.len());
    for case in &cases {
        assert!(case.flows.len() >= 2, "{}", case.name);
        assert_eq!(chain_problems(case, &library), [], "{}", case.name);
    }
}

#[test]
fn the_example_profiles_give_different_scores() {
    let flows: Vec<Document> = embedded_flows().map(|file| read(file.bytes)).collect();
    let units: Vec<Unit<'_>> = flows.iter().map(Unit::alone).collect();
    let model = Model::build_units(&units);
    let mut scores = Vec::new();
    for file in embedded_profiles() {
        let document = read(file.bytes);
        let profile = Profile::from_document(&document).unwrap();
        let grouping = document.object(&profile.id).unwrap().to_json();
        let description = grouping["description"].as_str().unwrap_or_default();
        assert!(
            description.len() > 80 && !description.starts_with("Architecture profile of"),
            "{}: describe the device it stands for",
            file.path
        );
        let result = score(&model, &model.simulate(&Setting::from_profile(&profile)));
        // Scores have one decimal: compare them as tenths.
        scores.push((file.path, format!("{:.1}", result.score)));
    }
    assert!(scores.len() >= 3, "{scores:?}");
    let distinct: BTreeSet<&str> = scores.iter().map(|(_, score)| score.as_str()).collect();
    assert_eq!(distinct.len(), scores.len(), "{scores:?}");
}

fn files<'a>(read: &'a [(&'static str, Document)]) -> Vec<LibraryFile<'a>> {
    read.iter()
        .map(|(path, document)| LibraryFile { path, document })
        .collect()
}

#[test]
fn the_catalogue_readme_is_written_from_the_files() {
    let read_all =
        |files: Vec<medflow_core::library::EmbeddedFlow>| -> Vec<(&'static str, Document)> {
            files
                .into_iter()
                .map(|file| (file.path, read(file.bytes)))
                .collect()
        };
    let flows = read_all(embedded_flows().collect());
    let use_cases = read_all(embedded_use_cases().collect());
    let profiles = read_all(embedded_profiles().collect());
    let catalogue = read(embedded_control_catalogue().unwrap());
    let expected = markdown(&Library {
        flows: files(&flows),
        use_cases: files(&use_cases),
        profiles: files(&profiles),
        catalogue: Some(&catalogue),
    });
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../flows/README.md");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == expected,
        "flows/README.md is out of date; run `{}`",
        medflow_core::index::REGENERATE
    );
    for (path, _) in &flows {
        assert!(expected.contains(&format!("]({path})")), "{path} is listed");
    }
}
