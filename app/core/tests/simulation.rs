//! The library's patient-safety statements, use cases and example profiles, and the scores
//! the simulation gives them. The scores are pinned: the formula is a promise across
//! releases (`src/simulate/README.md`), so a change here is a change users must be told of.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use medflow_core::architecture::Profile;
use medflow_core::diagnostic::Severity;
use medflow_core::library::{embedded_flows, embedded_profiles, embedded_use_cases};
use medflow_core::safety::{UseCase, chain_problems, flow_meta, has_public_reference, impacts};
use medflow_core::simulate::{Model, Setting, Unit, score, suggest};
use medflow_core::{Context, Document, ReadLimits, read_bundle, validate, write_bundle};

fn read(bytes: &[u8]) -> Document {
    read_bundle(bytes, &ReadLimits::default()).unwrap().document
}

fn flows() -> Vec<Document> {
    embedded_flows().map(|flow| read(flow.bytes)).collect()
}

fn profile(name: &str) -> Setting {
    let file = embedded_profiles()
        .find(|file| file.path == format!("profiles/{name}.json"))
        .unwrap_or_else(|| panic!("no profile {name}"));
    Setting::from_profile(&Profile::from_document(&read(file.bytes)).unwrap())
}

fn use_cases() -> Vec<UseCase> {
    embedded_use_cases()
        .map(|file| UseCase::from_document(&read(file.bytes)).unwrap())
        .collect()
}

/// Each flow alone.
fn alone(flows: &[Document]) -> Model {
    let units: Vec<Unit<'_>> = flows.iter().map(Unit::alone).collect();
    Model::build_units(&units)
}

/// Every use case of the library, chained.
fn chained(flows: &[Document]) -> Model {
    let cases = use_cases();
    let units: Vec<Unit<'_>> = cases
        .iter()
        .map(|case| Unit {
            name: case.name.clone(),
            use_case: Some(case.id.clone()),
            flows: case
                .flows
                .iter()
                .map(|id| {
                    flows
                        .iter()
                        .find(|flow| flow.flow().is_some_and(|found| &found.common.id == id))
                        .unwrap()
                })
                .collect(),
            chained: true,
        })
        .collect();
    Model::build_units(&units)
}

#[test]
fn every_flow_states_its_origin_category_and_an_impact() {
    for file in embedded_flows() {
        let document = read(file.bytes);
        let flow = document
            .objects
            .iter()
            .find(|object| object.type_name() == "attack-flow")
            .unwrap();
        let meta = flow_meta(flow);
        assert!(meta.origin.is_some(), "{}: origin", file.path);
        assert!(meta.category.is_some(), "{}: category", file.path);
        if meta.origin == Some(medflow_core::safety::Origin::Realized) {
            assert!(
                has_public_reference(flow),
                "{}: a public account",
                file.path
            );
        }
        assert!(!impacts(&document).is_empty(), "{}: an impact", file.path);
    }
}

#[test]
fn use_cases_and_profiles_are_canonical_valid_and_the_use_cases_chain() {
    let flows = flows();
    let library: Vec<&Document> = flows.iter().collect();
    let context = Context::built_in().with_flows(&flows);
    for file in embedded_use_cases().chain(embedded_profiles()) {
        let document = read(file.bytes);
        assert_eq!(
            write_bundle(&document),
            file.bytes,
            "{} is canonical",
            file.path
        );
        let problems: Vec<String> = validate(&document, &context)
            .into_iter()
            .filter(|diagnostic| diagnostic.severity() >= Severity::Warning)
            .map(|diagnostic| diagnostic.to_string())
            .collect();
        assert_eq!(problems, Vec::<String>::new(), "{}", file.path);
        for (entry, errors) in common::schema::extension_entries(file.bytes) {
            assert_eq!(errors, Vec::<String>::new(), "{}: {entry}", file.path);
        }
    }
    let cases = use_cases();
    assert!(!cases.is_empty());
    for case in &cases {
        assert_eq!(chain_problems(case, &library), [], "{}", case.name);
    }
    // The chain is checked, not assumed: the same use case with its flows swapped is told
    // that the second flow does not continue from the first.
    let mut swapped = cases[0].clone();
    swapped.flows.reverse();
    assert!(!chain_problems(&swapped, &library).is_empty());
}

/// The setting of `name` with nothing implemented.
fn bare(name: &str) -> Setting {
    let mut setting = profile(name);
    setting.implemented.clear();
    setting
}

#[test]
fn the_library_scores_are_pinned() {
    let flows = flows();
    for (model, what, pinned) in [
        (alone(&flows), "each flow alone", [0.0, 35.6, 78.4]),
        (chained(&flows), "the use cases", [0.0, 37.0, 83.3]),
    ] {
        let [nothing, typical, on_premises] = pinned;
        let scored = |setting: &Setting| score(&model, &model.simulate(setting));
        let result = scored(&bare("cloud-connected"));
        assert!((result.score - nothing).abs() < 1e-9, "{what}: {result:?}");
        let points: f64 = result
            .deductions
            .iter()
            .map(|deduction| deduction.points)
            .sum();
        // Each deduction is rounded to a tenth of a point.
        let rounding = 0.05 * f64::from(u32::try_from(result.deductions.len()).unwrap());
        assert!(
            (points - 100.0).abs() <= rounding,
            "{what}: every point explained: {points}"
        );
        let cloud = profile("cloud-connected");
        let result = scored(&cloud);
        assert!((result.score - typical).abs() < 1e-9, "{what}: {result:?}");
        let result = scored(&profile("on-premises"));
        assert!(
            (result.score - on_premises).abs() < 1e-9,
            "{what}: {result:?}"
        );
        let suggestion = suggest(&model, &cloud);
        assert!(suggestion.verified && suggestion.exact, "{what}");
        let mut improved = cloud.clone();
        improved
            .implemented
            .extend(suggestion.controls.iter().cloned());
        assert!(
            (scored(&improved).score - 100.0).abs() < 1e-9,
            "{what}: the suggestion closes every impact"
        );
        let hardened = profile("hardened-cloud-connected");
        let result = scored(&hardened);
        assert!((result.score - 100.0).abs() < 1e-9, "{what}: {result:?}");
    }
}

#[test]
fn in_the_use_case_the_robot_flow_continues_from_the_ransomware_flow() {
    let flows = flows();
    let model = chained(&flows);
    let minimal = bare("cloud-connected");
    let run = model.run(&minimal);
    assert!(
        run.keys.contains_key("hospital-network-admin"),
        "the ransomware flow hands the key on"
    );
    assert!(
        run.assumed_keys.is_empty(),
        "nothing is assumed in a use case"
    );
    // Blocking the edge-device exploit alone leaves the arm harm reachable through the key.
    let mut setting = minimal.clone();
    setting
        .implemented
        .insert("course-of-action--e40ed460-637a-48e1-8f60-4b7372e8d532".to_owned());
    let simulation = model.simulate(&setting);
    let arms = simulation
        .impacts
        .iter()
        .find(|impact| impact.action_name == "Move the arms against the surgeon's intent")
        .unwrap();
    assert!(arms.reachable);
    assert!(
        arms.path.len() > 5,
        "the path now runs through the ransomware flow: {:?}",
        arms.path
    );
    // Alone, the robot flow takes the key as held and says so.
    let model = alone(&flows);
    let run = model.run(&minimal);
    assert!(run.assumed_keys.contains("hospital-network-admin"));
}

#[test]
fn the_extension_schema_knows_the_patient_safety_entries() {
    let validator = common::schema::extension_validator();
    let errors = |entry: serde_json::Value| common::schema::extension_errors(&validator, &entry);
    let good = serde_json::json!({
        "extension_type": "property-extension",
        "flow": {"origin": "realized", "category": "robot-control"},
        "impact": {"severity": "critical", "multi_patient": true, "harm": "Bleeding."},
        "pivot": {"role": "exit", "key": "cloud-api-key"},
        "use_case": {"flows": ["attack-flow--a8ff4c64-0257-4eb7-a00f-332c68054cb8"]},
    });
    assert_eq!(errors(good), Vec::<String>::new());
    for bad in [
        serde_json::json!({"extension_type": "property-extension", "impact": {"severity": "fatal"}}),
        serde_json::json!({"extension_type": "property-extension", "flow": {"category": "other"}}),
        serde_json::json!({"extension_type": "property-extension", "pivot": {"role": "exit", "key": "Cloud Key"}}),
        serde_json::json!({"extension_type": "property-extension", "use_case": {"flows": []}}),
    ] {
        assert!(!errors(bad.clone()).is_empty(), "{bad}");
    }
}
