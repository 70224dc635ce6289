#!/usr/bin/env bash
# Runs the fuzz targets in fuzz/ with libFuzzer on stable Rust, each for a given time.
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]      (default: 60 seconds, every target)
#
# Builds fuzz/ with the coverage instrumentation `cargo fuzz` uses (no sanitizer, so no nightly
# toolchain is needed), seeds each target's corpus from the reference data and the flow
# library (fuzz/corpus/TARGET, kept between runs, never committed), and prints libFuzzer's
# figures: inputs run, inputs per second, coverage. A crash is saved under fuzz/artifacts/TARGET
# and fails the script. Environment: MEDFLOW_REFERENCE (default ../shared/reference),
# FUZZ_RUNS (stop after this many inputs instead of after SECONDS).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(reader diff catalog)
reference="${MEDFLOW_REFERENCE:-../shared/reference}"
triple="$(rustc -vV | sed -n 's/^host: //p')"

export RUSTFLAGS="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks"
# Its own target folder: these flags would otherwise rebuild the product's build from scratch.
export CARGO_TARGET_DIR="$PWD/fuzz/target"
cargo build --release --quiet --manifest-path fuzz/Cargo.toml --target "$triple" \
  $(printf -- '--bin %s ' "${targets[@]}")

seed() {
  local target="$1" corpus="fuzz/corpus/$1"
  mkdir -p "$corpus"
  case "$target" in
    reader)
      find "$reference/attack-flow" flows -name '*.json' -size -200k 2>/dev/null |
        while read -r file; do cp "$file" "$corpus/seed-$(basename "$file" | tr -c 'a-zA-Z0-9.\n-' _)"; done
      ;;
    diff)
      # Pairs of flows joined by a NUL byte: each library flow with the next, and with itself
      # edited (a name changed, a node removed).
      local previous=""
      for file in flows/*.json; do
        if [ -n "$previous" ]; then
          { cat "$previous"; printf '\0'; cat "$file"; } > "$corpus/seed-$(basename "$file")"
        fi
        { cat "$file"; printf '\0'; sed '0,/"name": "/s//"name": "Edited /' "$file"; } \
          > "$corpus/seed-edited-$(basename "$file")"
        previous="$file"
      done
      ;;
    catalog)
      find "$reference/attack-flow-builder-intel" -name '*.ts' 2>/dev/null |
        while read -r file; do cp "$file" "$corpus/seed-$(basename "$file")"; done
      # The head of a catalog file and of a STIX bundle: enough to reach past the first checks.
      head -c 6000 assets/attack/ics.json > "$corpus/seed-catalog-head.json"
      [ -f "$reference/attack/ics-attack.json" ] &&
        head -c 20000 "$reference/attack/ics-attack.json" > "$corpus/seed-bundle-head.json"
      ;;
  esac
}

status=0
for target in "${targets[@]}"; do
  seed "$target"
  mkdir -p "fuzz/artifacts/$target"
  if [ -n "${FUZZ_RUNS:-}" ]; then echo "== $target: $FUZZ_RUNS inputs"; else echo "== $target: $seconds s"; fi
  limit=(-max_total_time="$seconds")
  [ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
  log="fuzz/artifacts/$target/last-run.log"
  if ! "fuzz/target/$triple/release/$target" "fuzz/corpus/$target" "${limit[@]}" \
      -max_len=262144 -rss_limit_mb=4096 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="fuzz/artifacts/$target/" > "$log" 2>&1; then
    status=1
    tail -n 40 "$log"
    echo "== $target: FAILED (the input is in fuzz/artifacts/$target/)"
    continue
  fi
  grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)|cov: ' "$log" |
    grep -vE 'INITED|pulse' | tail -n 4
  echo "== $target: passed"
done
exit "$status"
