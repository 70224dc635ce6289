//! Whole `medflow validate` processes at scale, as a CI gate runs them: wall time and peak
//! memory (the child's own maximum resident set, from `wait4`), printed against the targets of
//! PRODUCT.md §4. Run with `cargo bench -p medflow --bench scale`; the figures are read, never
//! asserted.
//!
//! * a large generated flow (`MEDFLOW_BENCH_ACTIONS` actions, 280,000 by default: each with an
//!   asset, about 350 MB): read + validate at ≥ 100 MB/s, peak memory ≤ 3× the file;
//! * 10,000 small generated files in one folder: < 2 s;
//! * MITRE's 40-file corpus in one process: < 33 ms;
//! * one small file: < 5 ms (mostly start-up and the built-in ATT&CK catalog).
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a benchmark harness that prints its figures"
)]
// The product has no unsafe code; this harness needs `wait4`, the one way to read a child
// process's own peak memory, which only libc offers.
#![allow(
    unsafe_code,
    reason = "wait4 through libc, in the benchmark harness only"
)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EXTENSION: &str = "extension-definition--fb9c968a-745b-4ade-9b25-c324172197f4";
const TIME: &str = "2024-03-05T09:15:00.000Z";

fn uuid(number: usize) -> String {
    format!("{:08x}-0000-4000-8000-{:012x}", number >> 16, number)
}

/// A valid flow of `actions` chained actions, each with its own asset, written as `medflow
/// fmt` would lay it out (two-space indentation), straight to `out` without building it in
/// memory first.
fn write_flow(actions: usize, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let identity = format!("identity--{}", uuid(0));
    let mut text = String::new();
    writeln!(
        out,
        "{{\n  \"type\": \"bundle\",\n  \"id\": \"bundle--{}\",\n  \"objects\": [",
        uuid(2)
    )?;
    write!(
        out,
        "    {{\n      \"type\": \"extension-definition\",\n      \"spec_version\": \"2.1\",\n      \"id\": \"{EXTENSION}\",\n      \"created\": \"{TIME}\",\n      \"modified\": \"{TIME}\",\n      \"created_by_ref\": \"{identity}\",\n      \"name\": \"Attack Flow\",\n      \"schema\": \"https://center-for-threat-informed-defense.github.io/attack-flow/stix/attack-flow-schema-2.0.0.json\",\n      \"version\": \"2.0.0\",\n      \"extension_types\": [\n        \"new-sdo\"\n      ]\n    }},\n    {{\n      \"type\": \"identity\",\n      \"spec_version\": \"2.1\",\n      \"id\": \"{identity}\",\n      \"created\": \"{TIME}\",\n      \"modified\": \"{TIME}\",\n      \"name\": \"Benchmark generator\",\n      \"identity_class\": \"system\"\n    }},\n    {{\n      \"type\": \"attack-flow\",\n      \"spec_version\": \"2.1\",\n      \"id\": \"attack-flow--{}\",\n      \"created\": \"{TIME}\",\n      \"modified\": \"{TIME}\",\n      \"created_by_ref\": \"{identity}\",\n      \"name\": \"Generated flow\",\n      \"description\": \"A long chain of steps for the scale benchmark.\",\n      \"scope\": \"incident\",\n      \"start_refs\": [\n        \"attack-action--{}\"\n      ],\n      \"extensions\": {{\n        \"{EXTENSION}\": {{\n          \"extension_type\": \"new-sdo\"\n        }}\n      }}\n    }}",
        uuid(1),
        uuid(10)
    )?;
    for index in 0..actions {
        let number = 10 + index;
        text.clear();
        let effect = if index + 1 < actions {
            format!(
                "      \"effect_refs\": [\n        \"attack-action--{}\"\n      ],\n",
                uuid(number + 1)
            )
        } else {
            String::new()
        };
        write!(
            text,
            ",\n    {{\n      \"type\": \"attack-action\",\n      \"spec_version\": \"2.1\",\n      \"id\": \"attack-action--{action}\",\n      \"created\": \"{TIME}\",\n      \"modified\": \"{TIME}\",\n      \"name\": \"Valid Accounts, step {index}\",\n      \"technique_id\": \"T1078\",\n      \"tactic_id\": \"TA0001\",\n      \"description\": \"The adversary signs in to the device cloud with a vendor account and moves on.\",\n{effect}      \"asset_refs\": [\n        \"attack-asset--{asset}\"\n      ],\n      \"extensions\": {{\n        \"{EXTENSION}\": {{\n          \"extension_type\": \"new-sdo\"\n        }}\n      }}\n    }},\n    {{\n      \"type\": \"attack-asset\",\n      \"spec_version\": \"2.1\",\n      \"id\": \"attack-asset--{asset}\",\n      \"created\": \"{TIME}\",\n      \"modified\": \"{TIME}\",\n      \"name\": \"Hospital server {index}\",\n      \"description\": \"A server on the hospital network.\",\n      \"extensions\": {{\n        \"{EXTENSION}\": {{\n          \"extension_type\": \"new-sdo\"\n        }}\n      }}\n    }}",
            action = uuid(number),
            asset = uuid(number + 1_000_000),
        )
        .unwrap();
        out.write_all(text.as_bytes())?;
    }
    writeln!(out, "\n  ]\n}}")
}

/// One finished `medflow` process: its wall time, peak resident memory and exit code.
struct Run {
    wall: Duration,
    peak_bytes: u64,
    code: i32,
}

/// Runs `medflow ARGS` once, waiting for it with `wait4` to read its own peak memory.
fn run(args: &[&str], folder: &Path) -> Run {
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_medflow"))
        .args(args)
        .current_dir(folder)
        .env("MEDFLOW_DATA_DIR", folder.join(".medflow-data"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("medflow starts");
    let pid = libc::pid_t::try_from(child.id()).expect("a process id");
    let mut status = 0;
    // SAFETY: `rusage` is plain data that `wait4` fills in; the pid is our own child, which
    // nothing else waits for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    let wall = started.elapsed();
    std::mem::forget(child);
    Run {
        wall,
        peak_bytes: u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024,
        code: if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        },
    }
}

/// The median wall time of `count` runs (after one run to warm the file cache).
fn median(args: &[&str], folder: &Path, count: usize) -> (Duration, i32) {
    let code = run(args, folder).code;
    let mut times: Vec<Duration> = (0..count).map(|_| run(args, folder).wall).collect();
    times.sort();
    (times[count / 2], code)
}

fn megabytes(bytes: u64) -> f64 {
    // Exact for any file this harness writes.
    f64::from(u32::try_from(bytes / 1000).unwrap_or(u32::MAX)) / 1000.0
}

fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn reference_corpus() -> Option<PathBuf> {
    let root = std::env::var_os("MEDFLOW_REFERENCE").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference"),
        PathBuf::from,
    );
    let corpus = root.join("attack-flow/corpus");
    corpus.is_dir().then_some(corpus)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter word, if any, is ignored.
    let folder = tempfile::tempdir().expect("a temporary folder");
    let dir = folder.path();
    let actions: usize = std::env::var("MEDFLOW_BENCH_ACTIONS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(280_000);

    // One small file, and 10,000 of them.
    let mut small = Vec::new();
    write_flow(3, &mut small).unwrap();
    std::fs::write(dir.join("one.json"), &small).unwrap();
    std::fs::create_dir(dir.join("many")).unwrap();
    for index in 0..10_000 {
        std::fs::write(dir.join(format!("many/flow-{index:05}.json")), &small).unwrap();
    }
    let (one, code) = median(&["validate", "one.json"], dir, 51);
    println!(
        "one small file ({} bytes): {:.1} ms, median of 51 (exit {code}); target < 5 ms",
        small.len(),
        milliseconds(one)
    );
    let (many, code) = median(&["validate", "many"], dir, 5);
    println!(
        "10,000 small files ({:.1} MB): {:.0} ms, median of 5 (exit {code}); target < 2,000 ms",
        megabytes(u64::try_from(small.len() * 10_000).unwrap()),
        milliseconds(many)
    );
    match reference_corpus() {
        Some(corpus) => {
            let corpus = corpus.display().to_string();
            let (time, code) = median(&["validate", &corpus], dir, 21);
            println!(
                "MITRE's corpus, one process: {:.1} ms, median of 21 (exit {code}: the \
                 exports as written have errors); target < 33 ms",
                milliseconds(time)
            );
        }
        None => println!("MITRE's corpus: skipped: reference data not found"),
    }

    // The large flow last: it is written once and validated three times.
    let path = dir.join("large.json");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    write_flow(actions, &mut out).unwrap();
    out.flush().unwrap();
    drop(out);
    let size = std::fs::metadata(&path).unwrap().len();
    let limit = format!("{}", size + 1);
    let args = ["validate", "--max-bytes", &limit, "large.json"];
    let runs: Vec<Run> = (0..3).map(|_| run(&args, dir)).collect();
    let best = runs.iter().min_by_key(|run| run.wall).unwrap();
    let peak = runs.iter().map(|run| run.peak_bytes).max().unwrap_or(0);
    let seconds = best.wall.as_secs_f64();
    println!(
        "large flow ({actions} actions, {:.1} MB): {:.2} s, {:.1} MB/s (best of 3, exit {}); \
         peak memory {:.0} MB, {:.1}x the file; targets >= 100 MB/s and <= 3x",
        megabytes(size),
        seconds,
        megabytes(size) / seconds,
        best.code,
        megabytes(peak),
        megabytes(peak) / megabytes(size)
    );
}
