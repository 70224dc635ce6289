#!/usr/bin/env bash
# Runs every test of MedFlow Studio, after the quality gates, on a Debian machine.
# Installs the system packages the build and tests need when they are missing (needs root or sudo).
# Environment: MEDFLOW_REFERENCE (reference data folder, default ../shared/reference),
# MEDFLOW_REQUIRE_REFERENCE=1 (fail instead of skipping when the reference data is absent).
set -euo pipefail
cd "$(dirname "$0")/.."

# Libraries eframe's window layer builds against or loads (X11, Wayland, OpenGL, fonts), and
# Mesa's lavapipe (Vulkan on the CPU), which renders the GUI image snapshots without a GPU.
# g++ builds libFuzzer for the fuzz targets' short run.
packages=(pkg-config libx11-dev libxkbcommon-x11-0 libgl1-mesa-dev libegl1 libfontconfig1-dev
  mesa-vulkan-drivers libvulkan1 g++)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing system packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

# Image snapshots render with lavapipe only, so a missing driver fails loudly instead of
# silently falling back to another renderer; snapshots are compared, never rewritten, here.
export WGPU_BACKEND=vulkan
lavapipe=$(ls /usr/share/vulkan/icd.d/lvp_icd.*.json 2>/dev/null | head -n 1 || true)
[ -n "$lavapipe" ] && export VK_DRIVER_FILES="$lavapipe"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/xdg-$(id -u)}"
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
unset UPDATE_SNAPSHOTS

cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
# A short run of every fuzz target (libFuzzer on stable Rust; see README.md, Fuzzing).
bash scripts/fuzz.sh 10
