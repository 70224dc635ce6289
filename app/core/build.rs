//! Embeds data in the crate:
//! * the flow library (`flows/*.json` at the repository's root), so the product carries it
//!   wherever it is installed: `$OUT_DIR/library.rs` with one `include_bytes!` per flow file,
//!   sorted by path;
//! * the built-in ATT&CK and ATLAS catalog (`assets/attack/*.json`) as static tables, indexed
//!   by the crate's own `packed` module: `$OUT_DIR/catalog.rs`, so a process uses the catalog
//!   without parsing or indexing anything.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

#[path = "src/attack/packed.rs"]
#[allow(
    dead_code,
    reason = "the crate uses the whole module; the build script part of it"
)]
mod packed;

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

/// A Rust string literal.
fn literal(text: &str) -> String {
    format!("{text:?}")
}

/// `Cow::Borrowed("…")`.
fn text(value: &str) -> String {
    format!("Cow::Borrowed({})", literal(value))
}

/// `None` or `Some(Cow::Borrowed("…"))` from an optional JSON string.
fn optional_text(value: Option<&Value>) -> Result<String, String> {
    match value {
        None | Some(Value::Null) => Ok("None".to_owned()),
        Some(Value::String(value)) => Ok(format!("Some({})", text(value))),
        Some(other) => Err(format!("expected a string, found {other}")),
    }
}

/// `Cow::Borrowed(&[…])` from an optional JSON list of strings.
fn text_list(value: Option<&Value>) -> Result<String, String> {
    let items = match value {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(text)
                    .ok_or_else(|| format!("expected a string, found {item}"))
            })
            .collect::<Result<_, _>>()?,
        Some(other) => return Err(format!("expected a list, found {other}")),
    };
    Ok(format!("Cow::Borrowed(&[{}])", items.join(", ")))
}

fn string<'a>(object: &'a Value, key: &str) -> Result<&'a str, String> {
    object
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("no string {key:?}"))
}

fn flag(object: &Value, key: &str) -> Result<bool, String> {
    match object.get(key) {
        None => Ok(false),
        Some(value) => value
            .as_bool()
            .ok_or_else(|| format!("{key:?} is not a boolean")),
    }
}

/// The Rust names of the domains and kinds, by their names in the files.
fn variant(name: &str) -> Result<&'static str, String> {
    Ok(match name {
        "enterprise" => "Enterprise",
        "mobile" => "Mobile",
        "ics" => "Ics",
        "atlas" => "Atlas",
        "tactic" => "Tactic",
        "technique" => "Technique",
        "subtechnique" => "Subtechnique",
        "mitigation" => "Mitigation",
        "detection-strategy" => "DetectionStrategy",
        "data-component" => "DataComponent",
        _ => return Err(format!("unknown domain or kind {name:?}")),
    })
}

const ENTRY_KEYS: [&str; 11] = [
    "id",
    "kind",
    "name",
    "stix_id",
    "shortname",
    "tactics",
    "platforms",
    "parent",
    "deprecated",
    "revoked",
    "revoked_by",
];

/// One entry as a Rust `Entry` literal.
fn entry_literal(entry: &Value, domain: &str, position: usize) -> Result<String, String> {
    let fields = entry.as_object().ok_or("an entry is not an object")?;
    if let Some(unknown) = fields
        .keys()
        .find(|key| !ENTRY_KEYS.contains(&key.as_str()) && *key != "earlier_tactics")
    {
        return Err(format!("unknown entry property {unknown:?}"));
    }
    Ok(format!(
        "Entry {{ id: {}, kind: Kind::{}, name: {}, stix_id: {}, shortname: {}, tactics: {}, \
         platforms: {}, parent: {}, deprecated: {}, revoked: {}, revoked_by: {}, \
         earlier_tactics: {}, domain: Domain::{domain}, position: {position} }},\n",
        text(string(entry, "id")?),
        variant(string(entry, "kind")?)?,
        text(string(entry, "name")?),
        text(string(entry, "stix_id")?),
        optional_text(entry.get("shortname"))?,
        text_list(entry.get("tactics"))?,
        text_list(entry.get("platforms"))?,
        optional_text(entry.get("parent"))?,
        flag(entry, "deprecated")?,
        flag(entry, "revoked")?,
        optional_text(entry.get("revoked_by"))?,
        text_list(entry.get("earlier_tactics"))?,
    ))
}

/// A relationship list of a catalog file: (source, target) pairs.
fn relationship_pairs<'a>(file: &'a Value, key: &str) -> Result<Vec<(&'a str, &'a str)>, String> {
    file.get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("no list {key:?}"))?
        .iter()
        .map(|pair| match pair.as_array().map(Vec::as_slice) {
            Some([Value::String(source), Value::String(target)]) => {
                Ok((source.as_str(), target.as_str()))
            }
            _ => Err(format!("{key}: {pair} is not a pair of ids")),
        })
        .collect()
}

fn numbers(values: &[u32]) -> String {
    let mut out = String::with_capacity(values.len() * 6);
    for value in values {
        let _ = write!(out, "{value},");
    }
    out
}

fn adjacency(adjacency: &packed::Adjacency) -> String {
    format!(
        "Links {{ starts: Cow::Borrowed(&[{}]), targets: Cow::Borrowed(&[{}]) }}",
        numbers(&adjacency.starts),
        numbers(&adjacency.targets)
    )
}

/// The built-in catalog's tables as Rust code.
fn catalog_code(files: &[Value]) -> Result<String, String> {
    let mut domains = String::new();
    let mut entries = String::new();
    let mut items = Vec::new();
    let mut relationships = Vec::new();
    for (number, file) in (0_u8..).zip(files) {
        let domain = variant(string(file, "domain")?)?;
        let _ = writeln!(
            domains,
            "DomainInfo {{ domain: Domain::{domain}, attack_version: {}, notice: {}, \
             mitigations_version: {}, origin: Cow::Borrowed(super::embedded::BUILT_IN) }},",
            text(string(file, "attack_version")?),
            text(string(file, "notice")?),
            optional_text(file.get("mitigations_version"))?,
        );
        let list = file
            .get("entries")
            .and_then(Value::as_array)
            .ok_or("no list \"entries\"")?;
        for entry in list {
            entries.push_str(&entry_literal(entry, domain, items.len())?);
            items.push(packed::Item {
                domain: number,
                id: string(entry, "id")?,
                stix_id: string(entry, "stix_id")?,
                parent: entry.get("parent").and_then(Value::as_str),
            });
        }
        relationships.push(packed::Relationships {
            domain: number,
            mitigates: relationship_pairs(file, "mitigates")?,
            detects: relationship_pairs(file, "detects")?,
        });
    }
    let indexes = packed::build(&items, &relationships);
    let counts: Vec<String> = indexes
        .counts
        .iter()
        .map(|&(number, mitigates, detects)| {
            let domain = files
                .get(usize::from(number))
                .and_then(|file| file.get("domain"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            variant(domain).map(|domain| format!("(Domain::{domain}, {mitigates}, {detects})"))
        })
        .collect::<Result<_, _>>()?;
    Ok(format!(
        "/// The built-in domains.\n\
         static BUILT_IN_DOMAINS: &[DomainInfo] = &[\n{domains}];\n\
         /// The built-in entries, in catalog order.\n\
         static BUILT_IN_ENTRIES: &[Entry] = &[\n{entries}];\n\
         /// The built-in catalog, indexed at build time.\n\
         fn built_in_tables() -> Catalog {{\n\
         Catalog {{\n\
         domains: Cow::Borrowed(BUILT_IN_DOMAINS),\n\
         entries: Cow::Borrowed(BUILT_IN_ENTRIES),\n\
         by_id: Cow::Borrowed(&[{}]),\n\
         by_stix_id: Cow::Borrowed(&[{}]),\n\
         mitigated_by: {},\n\
         mitigates: {},\n\
         detected_by: {},\n\
         detects: {},\n\
         subtechniques: {},\n\
         relationship_counts: Cow::Borrowed(&[{}]),\n\
         search_index: std::sync::OnceLock::new(),\n\
         }}\n}}\n",
        numbers(&indexes.by_id),
        numbers(&indexes.by_stix_id),
        adjacency(&indexes.mitigated_by),
        adjacency(&indexes.mitigates),
        adjacency(&indexes.detected_by),
        adjacency(&indexes.detects),
        adjacency(&indexes.subtechniques),
        counts.join(", "),
    ))
}

/// Writes `$OUT_DIR/catalog.rs` from the built-in catalog files.
fn write_catalog(manifest: &Path, out_dir: &Path) {
    let folder = manifest.join("../../assets/attack");
    let mut files = Vec::new();
    for domain in ["enterprise", "mobile", "ics", "atlas"] {
        let path = folder.join(format!("{domain}.json"));
        println!("cargo::rerun-if-changed={}", path.display());
        let parsed = std::fs::read(&path)
            .map_err(|error| error.to_string())
            .and_then(|bytes| {
                serde_json::from_slice::<Value>(&bytes).map_err(|error| error.to_string())
            });
        match parsed {
            Ok(file) => files.push(file),
            Err(error) => {
                println!("cargo::error={}: {error}", path.display());
                return;
            }
        }
    }
    match catalog_code(&files) {
        Ok(code) => {
            let out = out_dir.join("catalog.rs");
            if let Err(error) = std::fs::write(&out, code) {
                println!("cargo::error=cannot write {}: {error}", out.display());
            }
        }
        Err(error) => println!(
            "cargo::error=the built-in catalog in {}: {error}",
            folder.display()
        ),
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    write_catalog(&manifest, &out_dir);
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
    let out = out_dir.join("library.rs");
    if let Err(error) = std::fs::write(&out, code) {
        println!("cargo::error=cannot write {}: {error}", out.display());
    }
}
