//! Embeds the flow library (`flows/*.json` at the repository's root) in the crate, so the
//! product carries it wherever it is installed: writes `$OUT_DIR/library.rs` with one
//! `include_bytes!` per flow file, sorted by path.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The `*.json` files under `folder`, recursively, sorted.
fn flow_files(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|extension| extension == "json")
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let flows = manifest.join("../../flows");
    println!("cargo::rerun-if-changed={}", flows.display());
    let mut code = String::from(
        "/// The flow library's files: path relative to `flows/`, and contents.\n\
         pub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for path in flow_files(&flows) {
        let relative = path
            .strip_prefix(&flows)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let absolute = path.canonicalize().unwrap_or_else(|_| path.clone());
        let _ = writeln!(
            code,
            "    ({relative:?}, include_bytes!({:?})),",
            absolute.to_string_lossy()
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("library.rs");
    if let Err(error) = std::fs::write(&out, code) {
        println!("cargo::error=cannot write {}: {error}", out.display());
    }
}
