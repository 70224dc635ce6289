//! `medflow diff OLD NEW`: the semantic difference of two flows (objects added, removed and
//! changed, property by property), for people or, with `--format json`, for tools.
//!
//! Given git's seven diff-driver arguments (`PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX
//! NEW-MODE`) it compares the two files and exits 0 whatever it finds, as git expects of a
//! driver; `/dev/null` (a file added or deleted in git) is an empty flow.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use medflow_core::diff::{Change, ChangeKind, Difference, ObjectLabel, Step, diff, path_text};
use medflow_core::extension::MEDFLOW_EXTENSION_ID;
use medflow_core::model::ATTACK_FLOW_EXTENSION_ID;
use medflow_core::{Document, ReadLimits, read_bundle};
use medflow_platform::read_limited;
use serde_json::{Value, json};

use crate::{Format, Status};

/// What `medflow diff` was asked.
#[derive(Debug)]
pub struct Request<'a> {
    /// OLD and NEW, or git's seven driver arguments.
    pub files: &'a [PathBuf],
    /// Output format.
    pub format: Format,
    /// List layout-only and `modified`-only changes too.
    pub all: bool,
    /// Largest file accepted.
    pub max_bytes: usize,
}

/// The longest value shown whole in text output; longer ones are cut with `…`.
const SHOWN_CHARACTERS: usize = 100;

fn read_side(path: &Path, limits: &ReadLimits) -> Result<Document, String> {
    if path == Path::new("/dev/null") {
        return Ok(Document::default());
    }
    let bytes = read_limited(path, limits.max_bytes).map_err(|error| error.to_string())?;
    let outcome = read_bundle(&bytes, limits).map_err(|error| error.to_string())?;
    match outcome.foreign {
        Some(foreign) => Err(format!("not compared: {}", foreign.explanation())),
        None => Ok(outcome.document),
    }
}

/// Runs `medflow diff`.
///
/// # Errors
/// Only when standard output or error cannot be written.
pub fn run(
    request: &Request<'_>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<Status> {
    let (old_path, new_path, git_driver) = match request.files {
        [old, new] => (old, new, false),
        [_, old, _, _, new, _, _] => (old, new, true),
        _ => {
            writeln!(
                stderr,
                "medflow diff: give two files, OLD and NEW (or git's seven diff-driver \
                 arguments); {} given",
                request.files.len()
            )?;
            return Ok(Status::Trouble);
        }
    };
    let limits = ReadLimits {
        max_bytes: request.max_bytes,
        ..ReadLimits::default()
    };
    let mut sides = Vec::new();
    for path in [old_path, new_path] {
        match read_side(path, &limits) {
            Ok(document) => sides.push(document),
            Err(error) => writeln!(stderr, "{}: {error}", crate::shown(path))?,
        }
    }
    let [old, new] = sides.as_slice() else {
        return Ok(Status::Trouble);
    };
    let difference = diff(old, new);
    let (old_name, new_name) = match (git_driver, request.files.first()) {
        (true, Some(name)) => (
            format!("a/{}", crate::shown(name)),
            format!("b/{}", crate::shown(name)),
        ),
        _ => (crate::shown(old_path), crate::shown(new_path)),
    };
    match request.format {
        Format::Text => {
            stdout.write_all(text(&difference, &old_name, &new_name, request.all).as_bytes())?;
        }
        Format::Json => {
            let report = to_json(
                &difference,
                &crate::shown(old_path),
                &crate::shown(new_path),
            );
            writeln!(
                stdout,
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            )?;
        }
    }
    Ok(if git_driver || difference.is_empty() {
        Status::Ok
    } else {
        Status::Problems
    })
}

/// A value in one line, cut when long.
fn shown_value(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    if text.chars().count() <= SHOWN_CHARACTERS {
        return text;
    }
    let cut: String = text.chars().take(SHOWN_CHARACTERS).collect();
    format!("{cut}…")
}

fn object_line(object: &ObjectLabel) -> String {
    match &object.name {
        Some(name) => format!("{} {}", object.id, shown_value(&Value::from(name.as_str()))),
        None => object.id.clone(),
    }
}

/// A path for people: inside the product's or Attack Flow's extension entry, the entry is
/// named instead of its 50-character id.
fn shown_path(path: &[Step]) -> String {
    if let [Step::Key(extensions), Step::Key(id), rest @ ..] = path
        && extensions == "extensions"
    {
        let entry = match id.as_str() {
            MEDFLOW_EXTENSION_ID => Some("MedFlow extension"),
            ATTACK_FLOW_EXTENSION_ID => Some("Attack Flow extension"),
            _ => None,
        };
        if let Some(entry) = entry {
            return if rest.is_empty() {
                entry.to_owned()
            } else {
                format!("{entry}: {}", path_text(rest))
            };
        }
    }
    path_text(path)
}

fn change_line(path: &[Step], change: &Change) -> String {
    let at = shown_path(path);
    match change {
        Change::Added(value) => format!("{at}: added {}", shown_value(value)),
        Change::Removed(value) => format!("{at}: removed (was {})", shown_value(value)),
        Change::Changed { old, new } => {
            format!("{at}: {} → {}", shown_value(old), shown_value(new))
        }
        Change::ItemAdded(value) => format!("{at}: + {}", shown_value(value)),
        Change::ItemRemoved(value) => format!("{at}: - {}", shown_value(value)),
        Change::Reordered { .. } => format!("{at}: same items, order changed"),
    }
}

/// The difference for people.
fn text(difference: &Difference, old_name: &str, new_name: &str, all: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "--- {old_name}\n+++ {new_name}");
    if difference.is_empty() {
        out.push_str("no difference\n");
        return out;
    }
    if let Some((old, new)) = &difference.bundle_id {
        let shown = |id: &str| {
            if id.is_empty() {
                "(none)".to_owned()
            } else {
                format!("{id:?}")
            }
        };
        let _ = writeln!(out, "bundle id: {} → {}", shown(old), shown(new));
    }
    for object in &difference.removed {
        let _ = writeln!(out, "- removed {}", object_line(object));
    }
    for object in &difference.added {
        let _ = writeln!(out, "+ added {}", object_line(object));
    }
    for changed in &difference.changed {
        if !all && changed.kind != ChangeKind::Content {
            continue;
        }
        let _ = writeln!(out, "~ changed {}", object_line(&changed.object));
        for change in &changed.changes {
            let _ = writeln!(out, "    {}", change_line(&change.path, &change.change));
        }
    }
    let moved = difference.changed_of(ChangeKind::LayoutOnly).count();
    let touched = difference.changed_of(ChangeKind::ModifiedOnly).count();
    if !all && moved + touched > 0 {
        let mut parts = Vec::new();
        if moved > 0 {
            parts.push(format!(
                "{moved} {} only moved on the canvas",
                objects(moved)
            ));
        }
        if touched > 0 {
            parts.push(format!(
                "{touched} {} only had `modified` changed",
                objects(touched)
            ));
        }
        let _ = writeln!(out, "{} (--all lists them)", parts.join(", "));
    }
    let _ = writeln!(
        out,
        "{} added, {} removed, {} changed",
        difference.added.len(),
        difference.removed.len(),
        difference.changed.len()
    );
    out
}

fn objects(count: usize) -> &'static str {
    if count == 1 { "object" } else { "objects" }
}

fn label_json(object: &ObjectLabel) -> Value {
    json!({"id": object.id, "type": object.type_name, "name": object.name})
}

fn path_json(path: &[Step]) -> Value {
    Value::Array(
        path.iter()
            .map(|step| match step {
                Step::Key(key) => Value::from(key.as_str()),
                Step::Index(index) => Value::from(*index),
            })
            .collect(),
    )
}

fn change_json(path: &[Step], change: &Change) -> Value {
    let (name, old, new) = match change {
        Change::Added(value) => ("added", None, Some(value)),
        Change::Removed(value) => ("removed", Some(value), None),
        Change::Changed { old, new } => ("changed", Some(old), Some(new)),
        Change::ItemAdded(value) => ("item-added", None, Some(value)),
        Change::ItemRemoved(value) => ("item-removed", Some(value), None),
        Change::Reordered { old, new } => ("reordered", Some(old), Some(new)),
    };
    let mut entry = json!({"path": path_json(path), "change": name});
    if let Some(old) = old {
        entry["old"] = old.clone();
    }
    if let Some(new) = new {
        entry["new"] = new.clone();
    }
    entry
}

/// The difference for tools: every change, each changed object with its `kind`.
fn to_json(difference: &Difference, old_name: &str, new_name: &str) -> Value {
    let changed: Vec<Value> = difference
        .changed
        .iter()
        .map(|changed| {
            let mut entry = label_json(&changed.object);
            entry["kind"] = Value::from(match changed.kind {
                ChangeKind::Content => "content",
                ChangeKind::LayoutOnly => "layout",
                ChangeKind::ModifiedOnly => "modified",
            });
            entry["changes"] = changed
                .changes
                .iter()
                .map(|change| change_json(&change.path, &change.change))
                .collect();
            entry
        })
        .collect();
    json!({
        "old": old_name,
        "new": new_name,
        "equal": difference.is_empty(),
        "bundle_id": difference.bundle_id.as_ref().map(|(old, new)| json!({"old": old, "new": new})),
        "added": difference.added.iter().map(label_json).collect::<Vec<_>>(),
        "removed": difference.removed.iter().map(label_json).collect::<Vec<_>>(),
        "changed": changed,
    })
}
