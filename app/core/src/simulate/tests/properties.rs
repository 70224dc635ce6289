//! Properties over random flows and profiles: the score's monotonicity, and the suggestion
//! against brute force.

use proptest::prelude::*;

use super::{Flow, a, id, setting};
use crate::model::Document;
use crate::simulate::{Model, Outcome, score, suggest};

const COMPONENTS: [&str; 3] = ["robot", "5g", "cloud"];

/// A random layered flow: actions, operators and conditions with links only forward, random
/// controls, bindings and impacts.
/// One random step: kind, first links, second links, component, control, impact.
type RandomStep = (u8, Vec<usize>, Vec<usize>, u8, u8, u8);

#[derive(Debug, Clone)]
struct Shape {
    steps: Vec<RandomStep>,
}

fn shape() -> impl Strategy<Value = Shape> {
    prop::collection::vec(
        (
            0_u8..6,
            prop::collection::vec(0_usize..12, 0..3),
            prop::collection::vec(0_usize..12, 0..2),
            0_u8..4,
            0_u8..8,
            0_u8..6,
        ),
        2..12,
    )
    .prop_map(|steps| Shape { steps })
}

fn refs(list: &[String]) -> Vec<&str> {
    list.iter().map(String::as_str).collect()
}

fn build(shape: &Shape) -> Document {
    let count = shape.steps.len();
    let name = |index: usize, kind: u8| match kind {
        0 => format!("attack-operator--s{index}"),
        1 => format!("attack-condition--s{index}"),
        _ => a(&format!("s{index}")),
    };
    let kinds: Vec<u8> = shape.steps.iter().map(|step| step.0).collect();
    let target = |from: usize, offset: usize| {
        let to = from + 1 + offset % (count - from).max(1);
        (to < count).then(|| name(to, kinds[to]))
    };
    let mut flow = Flow::new("random", &[&a("s0")]);
    for (index, (kind, first, second, component, control, impact)) in shape.steps.iter().enumerate()
    {
        let first: Vec<String> = first
            .iter()
            .filter_map(|&offset| target(index, offset))
            .collect();
        let second: Vec<String> = second
            .iter()
            .filter_map(|&offset| target(index, offset))
            .collect();
        let kind = if index == 0 { 2 } else { *kind };
        match kind {
            0 => {
                let operator = if index % 2 == 0 { "AND" } else { "OR" };
                flow = flow.operator(&format!("s{index}"), operator, &refs(&first));
            }
            1 => flow = flow.condition(&format!("s{index}"), &refs(&first), &refs(&second), None),
            _ => {
                let components: Vec<&str> = if *component < 3 {
                    vec![COMPONENTS[*component as usize]]
                } else {
                    Vec::new()
                };
                let step = format!("s{index}");
                flow = flow.action(&step, &refs(&first), &components);
                if *impact < 5 {
                    let severity = crate::safety::HarmSeverity::ALL[*impact as usize].as_str();
                    flow = flow.impact(&step, severity, index % 3 == 0);
                }
                let prevent = format!("p{}", control % 5);
                flow = flow.control(&prevent, "prevent", &[&step]);
                if *control % 2 == 0 {
                    let detect = format!("d{}", control % 3);
                    flow = flow.control(&detect, "detect", &[&step]);
                }
            }
        }
    }
    flow.document()
}

const CONTROLS: [&str; 8] = ["p0", "p1", "p2", "p3", "p4", "d0", "d1", "d2"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn one_more_control_or_one_less_component_never_lowers_the_score(
        shape in shape(),
        implemented in prop::collection::vec(any::<bool>(), 8),
        present in prop::collection::vec(any::<bool>(), 3),
        extra in 0_usize..8,
        removed in 0_usize..3,
    ) {
        let document = build(&shape);
        let model = Model::build(&[&document], false);
        let chosen: Vec<&str> = CONTROLS.iter().zip(&implemented).filter(|(_, on)| **on).map(|(control, _)| *control).collect();
        let keys: Vec<&str> = COMPONENTS.iter().zip(&present).filter(|(_, on)| **on).map(|(key, _)| *key).collect();
        let base = setting(&chosen, Some(&keys));
        let before = score(&model, &model.simulate(&base)).score;
        let mut more = base.clone();
        more.implemented.insert(id("course-of-action", CONTROLS[extra]));
        let after = score(&model, &model.simulate(&more)).score;
        prop_assert!(after >= before, "implementing {} lowered {before} to {after}", CONTROLS[extra]);
        let mut fewer = base.clone();
        if let Some(present) = fewer.present.as_mut() {
            present.remove(COMPONENTS[removed]);
        }
        let after = score(&model, &model.simulate(&fewer)).score;
        prop_assert!(after >= before, "removing {} lowered {before} to {after}", COMPONENTS[removed]);
        // Everything implemented: every impact with a prevent control on each step is blocked.
        let all = setting(&CONTROLS, Some(&keys));
        let simulation = model.simulate(&all);
        if simulation.impacts.iter().all(|impact| !impact.reachable) {
            prop_assert!((score(&model, &simulation).score - 100.0).abs() < 1e-9);
        }
    }

    #[test]
    fn the_suggested_set_is_the_smallest_and_closes_every_blockable_impact(
        shape in shape(),
        implemented in prop::collection::vec(any::<bool>(), 5),
    ) {
        let document = build(&shape);
        let model = Model::build(&[&document], false);
        let chosen: Vec<&str> = CONTROLS[..5].iter().zip(&implemented).filter(|(_, on)| **on).map(|(control, _)| *control).collect();
        let base = setting(&chosen, None);
        let suggestion = suggest(&model, &base);
        prop_assert!(suggestion.verified);
        prop_assert!(suggestion.exact);
        let blockable: Vec<usize> = suggestion.impacts.iter().filter(|impact| impact.lacking_prevention.is_empty()).map(|impact| impact.step).collect();
        // Brute force over every subset of the candidates.
        let candidates: Vec<&str> = CONTROLS[..5].iter().copied().filter(|control| !chosen.contains(control)
            && model.control(&id("course-of-action", control)).is_some()).collect();
        let mut smallest = usize::MAX;
        for mask in 0_u32..(1 << candidates.len()) {
            let mut trial = base.clone();
            for (bit, control) in candidates.iter().enumerate() {
                if mask & (1 << bit) != 0 {
                    trial.implemented.insert(id("course-of-action", control));
                }
            }
            let run = model.run(&trial);
            if blockable.iter().all(|&step| run.states[step].outcome != Outcome::Succeeded) {
                smallest = smallest.min(mask.count_ones() as usize);
            }
        }
        prop_assert_eq!(suggestion.controls.len(), smallest);
        for impact in &suggestion.impacts {
            let mut trial = base.clone();
            trial.implemented.extend(impact.controls.iter().cloned());
            let run = model.run(&trial);
            if impact.lacking_prevention.is_empty() {
                prop_assert!(run.states[impact.step].outcome != Outcome::Succeeded);
            } else {
                prop_assert!(impact.controls.is_empty());
            }
        }
    }
}
