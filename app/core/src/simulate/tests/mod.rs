#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::*;
use crate::extension::{Entry, MEDFLOW_EXTENSION_ID};
use crate::model::Document;

/// A small flow written by hand, one object at a time.
#[derive(Default)]
struct Flow {
    name: String,
    starts: Vec<String>,
    objects: Vec<Value>,
}

fn id(type_name: &str, name: &str) -> String {
    format!("{type_name}--{name}")
}

#[allow(clippy::needless_pass_by_value, reason = "called with json! values")]
fn entry(key: Entry, value: Value) -> Value {
    json!({ MEDFLOW_EXTENSION_ID: { "extension_type": "property-extension", key.key(): value } })
}

impl Flow {
    fn new(name: &str, starts: &[&str]) -> Self {
        Self {
            name: name.to_owned(),
            starts: starts.iter().map(|start| (*start).to_owned()).collect(),
            objects: Vec::new(),
        }
    }

    /// An action `name` leading to `effects` (ids), bound to `components`.
    fn action(mut self, name: &str, effects: &[&str], components: &[&str]) -> Self {
        let mut assets = Vec::new();
        for component in components {
            let asset = id("attack-asset", &format!("{name}-{component}"));
            let infrastructure = id("infrastructure", component);
            if !self
                .objects
                .iter()
                .any(|object| object["id"] == infrastructure)
            {
                self.objects.push(json!({"type": "infrastructure", "id": infrastructure, "name": component,
                    "extensions": entry(Entry::Architecture, json!({"element": "component", "key": component, "zone": "z"}))}));
            }
            self.objects.push(json!({"type": "attack-asset", "id": asset, "name": asset, "object_ref": infrastructure}));
            assets.push(asset);
        }
        self.objects.push(
            json!({"type": "attack-action", "id": id("attack-action", name), "name": name,
            "effect_refs": effects, "asset_refs": assets}),
        );
        self
    }

    /// Marks the action `name` with an impact.
    fn impact(mut self, name: &str, severity: &str, multi: bool) -> Self {
        let target = id("attack-action", name);
        let object = self
            .objects
            .iter_mut()
            .find(|object| object["id"] == target)
            .unwrap();
        object["extensions"] = entry(
            Entry::Impact,
            json!({"severity": severity, "multi_patient": multi, "harm": "harm"}),
        );
        self
    }

    fn operator(mut self, name: &str, operator: &str, effects: &[&str]) -> Self {
        self.objects.push(
            json!({"type": "attack-operator", "id": id("attack-operator", name),
            "operator": operator, "effect_refs": effects}),
        );
        self
    }

    fn condition(
        mut self,
        name: &str,
        on_true: &[&str],
        on_false: &[&str],
        pivot: Option<(&str, &str)>,
    ) -> Self {
        let mut object = json!({"type": "attack-condition", "id": id("attack-condition", name),
            "description": name, "on_true_refs": on_true, "on_false_refs": on_false});
        if let Some((role, key)) = pivot {
            object["extensions"] = entry(Entry::Pivot, json!({"role": role, "key": key}));
        }
        self.objects.push(object);
        self
    }

    /// A control `name` of `kind` addressing the actions `actions`.
    fn control(mut self, name: &str, kind: &str, actions: &[&str]) -> Self {
        let control = id("course-of-action", name);
        if !self.objects.iter().any(|object| object["id"] == control) {
            self.objects.push(
                json!({"type": "course-of-action", "id": control, "name": name,
                "extensions": entry(Entry::Control, json!({"kind": kind}))}),
            );
        }
        for action in actions {
            let relationship = if kind == "detect" {
                "detects"
            } else {
                "mitigates"
            };
            self.objects.push(json!({"type": "relationship", "id": id("relationship", &format!("{name}-{action}")),
                "relationship_type": relationship, "source_ref": control, "target_ref": id("attack-action", action)}));
        }
        self
    }

    fn document(&self) -> Document {
        let mut objects = vec![crate::model::StixObject::from_value(json!({
            "type": "attack-flow", "id": id("attack-flow", &self.name), "name": self.name,
            "start_refs": self.starts,
        }))];
        objects.extend(
            self.objects
                .iter()
                .cloned()
                .map(crate::model::StixObject::from_value),
        );
        Document {
            bundle_id: "bundle--test".to_owned(),
            objects,
        }
    }
}

fn a(name: &str) -> String {
    id("attack-action", name)
}

fn outcome(model: &Model, run: &Run, name: &str) -> Outcome {
    let index = (0..model.flows.len())
        .find_map(|flow| model.step(flow, &a(name)))
        .unwrap_or_else(|| panic!("no action {name}"));
    run.states[index].outcome
}

fn setting(implemented: &[&str], present: Option<&[&str]>) -> Setting {
    Setting {
        name: "test".to_owned(),
        present: present.map(|keys| keys.iter().map(|key| (*key).to_owned()).collect()),
        implemented: implemented
            .iter()
            .map(|control| id("course-of-action", control))
            .collect(),
        assumptions: BTreeMap::new(),
    }
}

#[test]
fn an_and_needs_every_predecessor_an_or_any() {
    let flow = Flow::new("f", &[&a("x"), &a("y")])
        .action("x", &["attack-operator--and", "attack-operator--or"], &[])
        .action("y", &["attack-operator--and", "attack-operator--or"], &[])
        .operator("and", "AND", &[&a("both")])
        .operator("or", "OR", &[&a("either")])
        .action("both", &[], &[])
        .action("either", &[], &[])
        .control("stop-y", "prevent", &["y"]);
    let document = flow.document();
    let model = Model::build(&[&document], false);
    let open = model.run(&setting(&[], None));
    assert_eq!(outcome(&model, &open, "both"), Outcome::Succeeded);
    assert_eq!(outcome(&model, &open, "either"), Outcome::Succeeded);
    let run = model.run(&setting(&["stop-y"], None));
    assert_eq!(outcome(&model, &run, "y"), Outcome::Blocked);
    assert_eq!(
        outcome(&model, &run, "both"),
        Outcome::Unreached,
        "AND lacks y"
    );
    assert_eq!(
        outcome(&model, &run, "either"),
        Outcome::Succeeded,
        "OR has x"
    );
    let both = model.step(0, &a("both")).unwrap();
    let and = model.step(0, "attack-operator--and").unwrap();
    assert_eq!(open.states[and].wave, Some(1));
    assert_eq!(open.states[both].wave, Some(2));
}

#[test]
fn a_condition_leads_to_both_branches_unless_the_profile_fixes_it() {
    let flow = Flow::new("f", &[&a("x")])
        .action("x", &["attack-condition--c"], &[])
        .condition("c", &[&a("yes")], &[&a("no")], None)
        .action("yes", &[], &[])
        .action("no", &[], &[]);
    let document = flow.document();
    let model = Model::build(&[&document], false);
    let both = model.run(&setting(&[], None));
    assert_eq!(outcome(&model, &both, "yes"), Outcome::Succeeded);
    assert_eq!(outcome(&model, &both, "no"), Outcome::Succeeded);
    let mut fixed = setting(&[], None);
    fixed
        .assumptions
        .insert("attack-condition--c".to_owned(), false);
    let run = model.run(&fixed);
    assert_eq!(outcome(&model, &run, "yes"), Outcome::Unreached);
    assert_eq!(outcome(&model, &run, "no"), Outcome::Succeeded);
    fixed
        .assumptions
        .insert("attack-condition--c".to_owned(), true);
    let run = model.run(&fixed);
    assert_eq!(outcome(&model, &run, "yes"), Outcome::Succeeded);
    assert_eq!(outcome(&model, &run, "no"), Outcome::Unreached);
}

/// Flow one ends at an exit pivot `key`; flow two starts at an entry pivot needing it.
fn chained_pair() -> (Document, Document) {
    let one = Flow::new("one", &[&a("steal")])
        .action("steal", &["attack-condition--exit"], &[])
        .condition("exit", &[], &[], Some(("exit", "cloud-api-key")))
        .control("vault", "prevent", &["steal"]);
    let two = Flow::new("two", &["attack-condition--entry"])
        .condition(
            "entry",
            &[&a("use-key")],
            &[&a("guess")],
            Some(("entry", "cloud-api-key")),
        )
        .action("use-key", &[], &[])
        .impact("use-key", "critical", false)
        .action("guess", &[], &[]);
    (one.document(), two.document())
}

#[test]
fn an_entry_pivot_holds_exactly_when_an_earlier_flow_handed_its_key_on() {
    let (one, two) = chained_pair();
    let model = Model::build(&[&one, &two], true);
    let with_key = model.run(&setting(&[], None));
    assert_eq!(outcome(&model, &with_key, "use-key"), Outcome::Succeeded);
    assert!(with_key.keys.contains_key("cloud-api-key"));
    assert!(with_key.assumed_keys.is_empty());
    let simulation = model.simulate(&setting(&[], None));
    assert_eq!(
        simulation.impacts[0].path,
        [a("steal"), a("use-key")],
        "the path crosses flows"
    );

    let without = model.run(&setting(&["vault"], None));
    assert_eq!(outcome(&model, &without, "use-key"), Outcome::Unreached);
    assert_eq!(
        outcome(&model, &without, "guess"),
        Outcome::Succeeded,
        "the false branch stays open"
    );
    let simulation = model.simulate(&setting(&["vault"], None));
    assert!(!simulation.impacts[0].reachable);
    assert_eq!(
        simulation.impacts[0].blocked_by,
        [id("course-of-action", "vault")]
    );

    // Alone, flow two takes its key as held and says so.
    let alone = Model::build(&[&two], false);
    let run = alone.run(&setting(&["vault"], None));
    assert_eq!(outcome(&alone, &run, "use-key"), Outcome::Succeeded);
    assert_eq!(
        run.assumed_keys,
        BTreeSet::from(["cloud-api-key".to_owned()])
    );
    // In the wrong order, the key comes too late.
    let reversed = Model::build(&[&two, &one], true);
    let run = reversed.run(&setting(&[], None));
    assert_eq!(outcome(&reversed, &run, "use-key"), Outcome::Unreached);
}

fn unit<'a>(name: &str, flows: Vec<&'a Document>) -> Unit<'a> {
    Unit {
        name: name.to_owned(),
        use_case: Some(format!("grouping--{name}")),
        flows,
        chained: true,
    }
}

#[test]
fn keys_stay_in_the_use_case_that_obtained_them() {
    let (one, two) = chained_pair();
    let model = Model::build_units(&[unit("first", vec![&one]), unit("second", vec![&two])]);
    let run = model.run(&setting(&[], None));
    let use_key = model.step(1, &a("use-key")).unwrap();
    assert_eq!(run.states[use_key].outcome, Outcome::Unreached);
    assert_eq!(
        run.states[model.step(1, "attack-condition--entry").unwrap()].wave,
        Some(0)
    );
    let together = Model::build_units(&[unit("both", vec![&one, &two])]);
    let run = together.run(&setting(&[], None));
    assert_eq!(
        run.states[together.step(1, &a("use-key")).unwrap()].outcome,
        Outcome::Succeeded
    );
    assert_eq!(
        run.states[together.step(1, "attack-condition--entry").unwrap()].wave,
        Some(2)
    );
}

#[test]
fn an_action_on_a_missing_component_does_not_apply() {
    let flow = Flow::new("f", &[&a("x")])
        .action("x", &[&a("y")], &["5g"])
        .action("y", &[], &["robot"])
        .impact("y", "serious", false);
    let document = flow.document();
    let model = Model::build(&[&document], false);
    let run = model.run(&setting(&[], Some(&["robot"])));
    assert_eq!(outcome(&model, &run, "x"), Outcome::NotApplicable);
    assert_eq!(outcome(&model, &run, "y"), Outcome::Unreached);
    let simulation = model.simulate(&setting(&[], Some(&["robot"])));
    assert_eq!(simulation.impacts[0].absent_components, ["5g"]);
    let run = model.run(&setting(&[], Some(&["robot", "5g"])));
    assert_eq!(outcome(&model, &run, "y"), Outcome::Succeeded);
}

#[test]
fn blocked_stops_the_attack_detected_does_not_and_the_path_avoids_detection() {
    // Two ways to the harm: short and watched, or long and unwatched.
    let flow = Flow::new("f", &[&a("in")])
        .action("in", &[&a("watched"), &a("quiet-1")], &[])
        .action("watched", &[&a("harm")], &[])
        .action("quiet-1", &[&a("quiet-2")], &[])
        .action("quiet-2", &[&a("harm")], &[])
        .action("harm", &[], &[])
        .impact("harm", "catastrophic", false)
        .control("camera", "detect", &["watched"])
        .control("camera-2", "detect", &["quiet-2"])
        .control("wall", "prevent", &["in"]);
    let document = flow.document();
    let model = Model::build(&[&document], false);
    let open = model.simulate(&setting(&[], None));
    assert_eq!(
        open.impacts[0].path,
        [a("in"), a("watched"), a("harm")],
        "fewest steps"
    );
    let watched = model.simulate(&setting(&["camera"], None));
    assert!(
        watched.impacts[0].reachable,
        "detection does not stop the attacker"
    );
    assert_eq!(
        watched.impacts[0].path,
        [a("in"), a("quiet-1"), a("quiet-2"), a("harm")],
        "fewest detections first"
    );
    assert_eq!(watched.impacts[0].detections, 0);
    let both = model.simulate(&setting(&["camera", "camera-2"], None));
    assert_eq!(both.impacts[0].detections, 1);
    assert_eq!(both.impacts[0].path.len(), 3);
    let blocked = model.simulate(&setting(&["wall"], None));
    assert!(!blocked.impacts[0].reachable);
    assert_eq!(
        blocked.impacts[0].blocked_by,
        [id("course-of-action", "wall")]
    );
    // The score: undetected costs all of the impact's points, detected half, blocked none.
    assert!((score(&model, &open).score - 0.0).abs() < 1e-9);
    assert!((score(&model, &both).score - 50.0).abs() < 1e-9);
    assert!((score(&model, &blocked).score - 100.0).abs() < 1e-9);
}

#[test]
fn the_score_weighs_severity_and_multi_patient_harm() {
    assert_eq!(
        severity_weight(crate::safety::HarmSeverity::Negligible, false),
        1
    );
    assert_eq!(
        severity_weight(crate::safety::HarmSeverity::Catastrophic, true),
        32
    );
    let flow = Flow::new("f", &[&a("x"), &a("y")])
        .action("x", &[], &[])
        .impact("x", "critical", true)
        .action("y", &[], &[])
        .impact("y", "serious", false)
        .control("stop-x", "prevent", &["x"]);
    let document = flow.document();
    let model = Model::build(&[&document], false);
    // Weights 16 and 4: blocking x keeps 16/20 of the points.
    let result = score(&model, &model.simulate(&setting(&["stop-x"], None)));
    assert!((result.score - 80.0).abs() < 1e-9, "{result:?}");
    assert_eq!(result.total_weight, 20);
    assert_eq!(result.deductions.len(), 1);
    assert!((result.deductions[0].points - 20.0).abs() < 1e-9);
    let open = score(&model, &model.simulate(&setting(&[], None)));
    assert_eq!(open.deductions[0].action_id, a("x"), "largest first");
    assert_eq!(
        open.deductions[0].missing_controls,
        [id("course-of-action", "stop-x")]
    );
}

#[test]
fn the_suggestion_beats_the_greedy_choice_where_greedy_is_wrong() {
    // Six harms; X prevents 1-3, Y 4-6, Z 1, 2, 4 and 5. Taking the widest control first
    // (Z) needs three controls; X and Y are enough.
    let names = ["h1", "h2", "h3", "h4", "h5", "h6"];
    let ids: Vec<String> = names.iter().map(|name| a(name)).collect();
    let starts: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut flow = Flow::new("f", &starts);
    for name in names {
        flow = flow.action(name, &[], &[]).impact(name, "serious", false);
    }
    let flow = flow
        .control("x", "prevent", &["h1", "h2", "h3"])
        .control("y", "prevent", &["h4", "h5", "h6"])
        .control("z", "prevent", &["h1", "h2", "h4", "h5"]);
    let document = flow.document();
    let model = Model::build(&[&document], false);
    let suggestion = suggest(&model, &setting(&[], None));
    assert_eq!(
        suggestion.controls,
        [id("course-of-action", "x"), id("course-of-action", "y")]
    );
    assert!(suggestion.verified && suggestion.exact);
    assert_eq!(
        suggestion.impacts[0].controls.len(),
        1,
        "one control closes h1"
    );
    // A harm no control can stop names the actions that lack prevention.
    let flow = Flow::new("g", &[&a("in")])
        .action("in", &[&a("harm")], &[])
        .action("harm", &[], &[])
        .impact("harm", "minor", false)
        .control("watch", "detect", &["in"]);
    let document = flow.document();
    let model = Model::build(&[&document], false);
    let suggestion = suggest(&model, &setting(&[], None));
    assert!(suggestion.controls.is_empty());
    assert_eq!(
        suggestion.impacts[0].lacking_prevention,
        [a("in"), a("harm")]
    );
}

mod properties;
