//! Simulation speed: simulate + score + the exact suggestion of the flow library against its
//! minimal profile (each flow alone, and its use cases chained; target for the whole
//! `medflow score --suggest` process: under 50 ms), of a generated 10,000-step flow (target:
//! simulate + score under 100 ms), and of a generated 200-action use case with 100 candidate
//! controls (target: the exact suggestion under 1 s).
#![allow(missing_docs, reason = "criterion generates the entry point")]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use medflow_core::architecture::Profile;
use medflow_core::library::{embedded_flows, embedded_profiles, embedded_use_cases};
use medflow_core::safety::UseCase;
use medflow_core::simulate::{Model, Setting, Unit, score, suggest};
use medflow_core::{Document, ReadLimits, StixObject, read_bundle};
use serde_json::{Value, json};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SEVERITIES: [&str; 4] = ["minor", "serious", "critical", "catastrophic"];

const EXTENSION: &str = "extension-definition--5f1c3a2e-8d4b-4c7a-9e26-3b0d7f4a1c58";

fn read(bytes: &[u8]) -> Document {
    read_bundle(bytes, &ReadLimits::default())
        .map(|outcome| outcome.document)
        .unwrap_or_default()
}

/// A deterministic pseudo-random sequence (xorshift).
struct Random(u64);

impl Random {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % bound as u64).unwrap_or_default()
    }
}

#[allow(clippy::needless_pass_by_value, reason = "called with json! values")]
fn own(key: &str, value: Value) -> Value {
    json!({ EXTENSION: { "extension_type": "property-extension", key: value } })
}

/// A layered flow of `layers` × `width` steps (one in ten an operator, one in ten a
/// condition), each leading to two steps of the next layer; `controls` prevent and detect
/// controls over its actions (every `detect_every`-th a detect control; 0: none); an impact on one action in twenty. Ids are prefixed by `name`,
/// so several flows can form a use case; the last layer's first step is an exit pivot and,
/// with `entry`, the first layer starts with an entry pivot needing that key.
/// What [`generated`] makes.
struct Shape<'a> {
    name: &'a str,
    layers: usize,
    width: usize,
    controls: usize,
    detect_every: usize,
    entry: Option<&'a str>,
    exit: &'a str,
}

fn generated(shape: &Shape<'_>, random: &mut Random) -> Document {
    let Shape {
        name,
        layers,
        width,
        controls,
        detect_every,
        entry,
        exit,
    } = *shape;
    let id = |layer: usize, index: usize, kind: &str| format!("{kind}--{name}-{layer}-{index}");
    let kind_of = |layer: usize, index: usize| -> &'static str {
        if layer == layers - 1 && index == 0 {
            return "attack-condition";
        }
        match (layer * 31 + index * 7) % 10 {
            0 if layer > 0 => "attack-operator",
            1 if layer > 0 => "attack-condition",
            _ => "attack-action",
        }
    };
    let mut objects: Vec<Value> = Vec::new();
    let mut starts: Vec<String> = (0..width)
        .map(|index| id(0, index, kind_of(0, index)))
        .collect();
    if let Some(key) = entry {
        let pivot = format!("attack-condition--{name}-entry");
        objects.push(json!({"type": "attack-condition", "id": pivot, "description": "entry",
            "on_true_refs": [id(0, 0, kind_of(0, 0))], "extensions": own("pivot", json!({"role": "entry", "key": key}))}));
        starts = vec![pivot];
    }
    let mut actions = Vec::new();
    for layer in 0..layers {
        for index in 0..width {
            let kind = kind_of(layer, index);
            let me = id(layer, index, kind);
            let next: Vec<String> = if layer + 1 < layers {
                let a = random.below(width);
                let b = random.below(width);
                let mut targets = vec![id(layer + 1, a, kind_of(layer + 1, a))];
                if b != a {
                    targets.push(id(layer + 1, b, kind_of(layer + 1, b)));
                }
                targets
            } else {
                Vec::new()
            };
            let object = match kind {
                "attack-operator" => {
                    json!({"type": kind, "id": me, "operator": if index % 2 == 0 { "OR" } else { "AND" }, "effect_refs": next})
                }
                "attack-condition" if layer == layers - 1 => {
                    json!({"type": kind, "id": me, "description": "exit", "extensions": own("pivot", json!({"role": "exit", "key": exit}))})
                }
                "attack-condition" => {
                    let half = next.len() / 2;
                    json!({"type": kind, "id": me, "description": "c", "on_true_refs": next[..half.max(1).min(next.len())], "on_false_refs": next[half.max(1).min(next.len())..]})
                }
                _ => {
                    let mut action =
                        json!({"type": kind, "id": me, "name": me, "effect_refs": next});
                    if random.below(20) == 0 || layer == layers - 1 {
                        action["extensions"] = own(
                            "impact",
                            json!({"severity": SEVERITIES[random.below(4)], "multi_patient": random.below(5) == 0}),
                        );
                    }
                    actions.push(me.clone());
                    action
                }
            };
            objects.push(object);
        }
    }
    for control in 0..controls {
        let kind = if detect_every > 0 && control % detect_every == detect_every - 1 {
            "detect"
        } else {
            "prevent"
        };
        let control_id = format!("course-of-action--shared-{control}");
        objects.push(
            json!({"type": "course-of-action", "id": control_id, "name": control_id,
            "extensions": own("control", json!({"kind": kind}))}),
        );
        for link in 0..3 {
            let target = &actions[random.below(actions.len())];
            objects.push(json!({"type": "relationship", "id": format!("relationship--{name}-{control}-{link}"),
                "relationship_type": if kind == "detect" { "detects" } else { "mitigates" },
                "source_ref": control_id, "target_ref": target}));
        }
    }
    let mut all = vec![StixObject::from_value(json!({
        "type": "attack-flow", "id": format!("attack-flow--{name}"), "name": name, "start_refs": starts,
    }))];
    all.extend(objects.into_iter().map(StixObject::from_value));
    Document {
        bundle_id: format!("bundle--{name}"),
        objects: all,
    }
}

fn library(criterion: &mut Criterion) {
    let flows: Vec<Document> = embedded_flows().map(|flow| read(flow.bytes)).collect();
    let profile = embedded_profiles()
        .find(|file| file.path == "profiles/cloud-connected.json")
        .map(|file| read(file.bytes))
        .and_then(|document| Profile::from_document(&document).ok())
        .unwrap_or_default();
    let setting = Setting::from_profile(&profile);
    let cases: Vec<UseCase> = embedded_use_cases()
        .filter_map(|file| UseCase::from_document(&read(file.bytes)).ok())
        .collect();
    let mut group = criterion.benchmark_group("simulate");
    group.bench_function("library: read, simulate, score, suggest", |bencher| {
        bencher.iter(|| {
            let mut units: Vec<Unit<'_>> = flows.iter().map(Unit::alone).collect();
            for case in &cases {
                units.push(Unit {
                    name: case.name.clone(),
                    use_case: Some(case.id.clone()),
                    flows: case
                        .flows
                        .iter()
                        .filter_map(|id| {
                            flows.iter().find(|flow| {
                                flow.flow().is_some_and(|found| &found.common.id == id)
                            })
                        })
                        .collect(),
                    chained: true,
                });
            }
            let model = Model::build_units(&units);
            let simulation = model.simulate(&setting);
            black_box((score(&model, &simulation), suggest(&model, &setting)))
        });
    });

    group.finish();
}

fn large(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("simulate");
    let mut random = Random(0x5eed_1234_abcd_0042);
    let large = generated(
        &Shape {
            name: "large",
            layers: 100,
            width: 100,
            controls: 400,
            detect_every: 4,
            entry: None,
            exit: "large-key",
        },
        &mut random,
    );
    let none = Setting::default();
    let model = Model::build(&[&large], false);
    let started = std::time::Instant::now();
    let suggestion = suggest(&model, &none);
    println!(
        "10,000-step flow: suggestion of {} controls in {:.0} ms, exact: {}, {} branches",
        suggestion.controls.len(),
        started.elapsed().as_secs_f64() * 1000.0,
        suggestion.exact,
        suggestion.explored
    );
    group.bench_function("10,000-step flow: build, simulate, score", |bencher| {
        bencher.iter(|| {
            let model = Model::build(&[&large], false);
            let simulation = model.simulate(&none);
            black_box(score(&model, &simulation))
        });
    });

    group.finish();
}

fn use_case(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("simulate");
    let none = Setting::default();
    let mut random = Random(0x0dd_ba11_c0ff_ee00);
    let parts: Vec<Document> = (0..4)
        .map(|part| {
            let entry = (part > 0).then(|| format!("key-{}", part - 1));
            generated(
                &Shape {
                    name: &format!("part{part}"),
                    layers: 13,
                    width: 5,
                    controls: 100,
                    detect_every: 0,
                    entry: entry.as_deref(),
                    exit: &format!("key-{part}"),
                },
                &mut random,
            )
        })
        .collect();
    let chain: Vec<&Document> = parts.iter().collect();
    let model = Model::build(&chain, true);
    let actions = model
        .steps
        .iter()
        .filter(|step| step.kind == medflow_core::simulate::StepKind::Action)
        .count();
    let suggestion = suggest(&model, &none);
    println!(
        "use case: {} flows, {actions} actions, {} controls; suggestion of {} controls, exact: {}, {} branches",
        parts.len(),
        model.controls.len(),
        suggestion.controls.len(),
        suggestion.exact,
        suggestion.explored
    );
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function(
        "200-action use case, 100 controls: exact suggestion",
        |bencher| {
            bencher.iter(|| black_box(suggest(&model, &none)));
        },
    );
    group.finish();
}

criterion_group!(benches, library, large, use_case);
criterion_main!(benches);
