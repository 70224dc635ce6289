//! Throughput of reading, validating and writing bundles: on the largest flow of MITRE's
//! corpus, on the whole 40-flow corpus in one process, and on a generated bundle of 100,000
//! objects. Run with `cargo bench -p medflow-core`; criterion prints time and MB/s.
//!
//! Targets (checked by reading the figures, never by assertions): read+write at least
//! 100 MB/s; the whole corpus read and validated in under 100 ms.
#![allow(missing_docs, reason = "criterion generates the entry point")]

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use medflow_core::{Context, ReadLimits, read_bundle, validate, write_bundle};
use serde_json::{Value, json};

/// The allocator the `medflow` binary ships with, so the figures are the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn reference_corpus() -> Option<Vec<(PathBuf, Vec<u8>)>> {
    let root = std::env::var_os("MEDFLOW_REFERENCE").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference"),
        PathBuf::from,
    );
    let corpus = root.join("attack-flow/corpus");
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&corpus)
        .ok()?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .filter_map(|path| std::fs::read(&path).ok().map(|bytes| (path, bytes)))
        .collect();
    files.sort();
    Some(files)
}

/// A deterministic UUID-shaped string for generated ids.
fn uuid(number: usize) -> String {
    format!("{:08x}-0000-4000-8000-{:012x}", number >> 16, number)
}

/// A valid-looking bundle with `count` objects: a flow, actions in chains, assets, and
/// relationships to identities, as flows use them.
fn generated_bundle(count: usize) -> Vec<u8> {
    let extension = "extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4";
    let time = "2024-03-05T09:15:00.000Z";
    let af_extension = json!({ extension: { "extension_type": "new-sdo" } });
    let mut objects: Vec<Value> = vec![json!({
        "type": "extension-definition", "spec_version": "2.1", "id": extension,
        "created": time, "modified": time, "created_by_ref": format!("identity--{}", uuid(0)),
        "name": "Attack Flow", "schema": "https://example.invalid/schema.json", "version": "2.0.0",
        "extension_types": ["new-sdo"],
    })];
    objects.push(json!({
        "type": "identity", "spec_version": "2.1", "id": format!("identity--{}", uuid(0)),
        "created": time, "modified": time, "name": "Generator", "identity_class": "system",
    }));
    let actions = (count - 3) / 3;
    objects.push(json!({
        "type": "attack-flow", "spec_version": "2.1", "id": format!("attack-flow--{}", uuid(1)),
        "created": time, "modified": time, "name": "Generated", "description": "Benchmark flow",
        "scope": "incident", "start_refs": [format!("attack-action--{}", uuid(10))],
        "extensions": af_extension,
    }));
    for index in 0..actions {
        let number = 10 + index;
        let mut action = json!({
            "type": "attack-action", "spec_version": "2.1",
            "id": format!("attack-action--{}", uuid(number)), "created": time, "modified": time,
            "name": format!("Step {index}"), "technique_id": "T1078", "tactic_id": "TA0001",
            "description": "An adversary uses valid accounts to reach the device cloud.",
            "asset_refs": [format!("attack-asset--{}", uuid(number + 1_000_000))],
            "extensions": af_extension,
        });
        if index + 1 < actions {
            action["effect_refs"] = json!([format!("attack-action--{}", uuid(number + 1))]);
        }
        objects.push(action);
        objects.push(json!({
            "type": "attack-asset", "spec_version": "2.1",
            "id": format!("attack-asset--{}", uuid(number + 1_000_000)), "created": time,
            "modified": time, "name": format!("Asset {index}"), "extensions": af_extension,
        }));
        objects.push(json!({
            "type": "relationship", "spec_version": "2.1",
            "id": format!("relationship--{}", uuid(number + 2_000_000)), "created": time,
            "modified": time, "relationship_type": "related-to",
            "source_ref": format!("attack-action--{}", uuid(number)),
            "target_ref": format!("identity--{}", uuid(0)),
        }));
    }
    serde_json::to_vec_pretty(&json!({
        "type": "bundle", "id": format!("bundle--{}", uuid(2)), "objects": objects,
    }))
    .unwrap_or_default()
}

fn bench_input(criterion: &mut Criterion, label: &str, bytes: &[u8]) {
    let limits = ReadLimits::default();
    let Ok(outcome) = read_bundle(bytes, &limits) else {
        eprintln!("{label}: input does not read; skipped");
        return;
    };
    let document = outcome.document;
    let written = write_bundle(&document);
    let mut group = criterion.benchmark_group(label);
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("read", |bencher| {
        bencher.iter(|| read_bundle(black_box(bytes), &limits));
    });
    group.bench_function("validate", |bencher| {
        bencher.iter(|| validate(black_box(&document), &Context::default()));
    });
    group.throughput(Throughput::Bytes(written.len() as u64));
    group.bench_function("write", |bencher| {
        bencher.iter(|| write_bundle(black_box(&document)));
    });
    group.throughput(Throughput::Bytes((bytes.len() + written.len()) as u64));
    group.bench_function("read+write", |bencher| {
        bencher.iter(|| {
            read_bundle(black_box(bytes), &limits).map(|outcome| write_bundle(&outcome.document))
        });
    });
    group.finish();
}

fn benchmarks(criterion: &mut Criterion) {
    match reference_corpus() {
        Some(corpus) if !corpus.is_empty() => {
            let largest = corpus
                .iter()
                .max_by_key(|(_, bytes)| bytes.len())
                .map(|(_, bytes)| bytes.clone())
                .unwrap_or_default();
            bench_input(criterion, "largest corpus flow", &largest);
            let total: usize = corpus.iter().map(|(_, bytes)| bytes.len()).sum();
            let mut group =
                criterion.benchmark_group(format!("whole corpus ({} flows)", corpus.len()));
            group.sample_size(10);
            group.throughput(Throughput::Bytes(total as u64));
            group.bench_function("read+validate", |bencher| {
                bencher.iter(|| {
                    corpus
                        .iter()
                        .filter_map(|(_, bytes)| read_bundle(bytes, &ReadLimits::default()).ok())
                        .map(|outcome| validate(&outcome.document, &Context::default()).len())
                        .sum::<usize>()
                });
            });
            group.finish();
        }
        _ => eprintln!("skipped: reference data not found (corpus benchmarks)"),
    }
    let generated = generated_bundle(100_000);
    bench_input(criterion, "generated 100k objects", &generated);
}

criterion_group!(throughput, benchmarks);
criterion_main!(throughput);
