//! The semantic difference of two documents: which objects were added, removed or changed,
//! matched by id, and for a changed object each property that changed, at any depth.
//!
//! Objects are compared in their written JSON form, so the result does not depend on key
//! order, indentation or anything else a text diff trips over. A list of plain values (the
//! `*_refs` of a flow, `labels`) is compared as a list of items: added and removed items, or
//! "order changed" when only the order differs; a list of objects (`external_references`) is
//! compared entry by entry. A change that only moves nodes on the canvas (the product's
//! `layout` and `zone_layout` entries) or only bumps `modified` is marked as such, so a
//! reader can set it aside.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::extension::{Entry, MEDFLOW_EXTENSION_ID};
use crate::model::{Document, StixObject};

/// One step of a path into an object: a property name or a list position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A property of a JSON object.
    Key(String),
    /// An entry of a list, from 0.
    Index(usize),
}

/// What happened at one path.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// The property is new.
    Added(Value),
    /// The property is gone.
    Removed(Value),
    /// The value changed (shown whole when it is not an object or list compared inside).
    Changed {
        /// Before.
        old: Value,
        /// After.
        new: Value,
    },
    /// The list gained this item.
    ItemAdded(Value),
    /// The list lost this item.
    ItemRemoved(Value),
    /// The list holds the same items in another order.
    Reordered {
        /// Before.
        old: Value,
        /// After.
        new: Value,
    },
}

/// One changed property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyChange {
    /// Where, from the object's top level.
    pub path: Vec<Step>,
    /// What changed.
    pub change: Change,
}

/// What kind of change an object had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Its content changed.
    Content,
    /// It only moved on a canvas (perhaps with `modified` bumped).
    LayoutOnly,
    /// Only `modified` changed.
    ModifiedOnly,
}

/// An object as the difference names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectLabel {
    /// Its id.
    pub id: String,
    /// Its `type`.
    pub type_name: String,
    /// Its `name`, if it has one.
    pub name: Option<String>,
}

/// An object present on both sides, changed.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectChange {
    /// The object (its name as in the new document).
    pub object: ObjectLabel,
    /// What kind of change.
    pub kind: ChangeKind,
    /// Each changed property, in the new object's property order (removed ones after).
    pub changes: Vec<PropertyChange>,
}

/// The difference between two documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Difference {
    /// The bundle ids, when they differ: (old, new).
    pub bundle_id: Option<(String, String)>,
    /// Objects only in the new document, in its order.
    pub added: Vec<ObjectLabel>,
    /// Objects only in the old document, in its order.
    pub removed: Vec<ObjectLabel>,
    /// Objects in both, changed, in the new document's order.
    pub changed: Vec<ObjectChange>,
}

impl Difference {
    /// True when the documents are the same (layout and `modified` included).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.bundle_id.is_none()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
    }

    /// The changed objects of one kind.
    pub fn changed_of(&self, kind: ChangeKind) -> impl Iterator<Item = &ObjectChange> {
        self.changed
            .iter()
            .filter(move |change| change.kind == kind)
    }
}

/// A path written for people: `extensions.extension-definition--….layout.x`, `effect_refs[2]`.
#[must_use]
pub fn path_text(path: &[Step]) -> String {
    let mut text = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(key);
            }
            Step::Index(index) => {
                let _ = write!(text, "[{index}]");
            }
        }
    }
    text
}

fn label(object: &StixObject, json: &Map<String, Value>) -> ObjectLabel {
    ObjectLabel {
        id: object.id().to_owned(),
        type_name: object.type_name().to_owned(),
        name: json.get("name").and_then(Value::as_str).map(str::to_owned),
    }
}

/// The difference from `old` to `new`. Objects are matched by id; when a file repeats an id,
/// the first occurrences are matched with each other, then the second, and so on.
#[must_use]
pub fn diff(old: &Document, new: &Document) -> Difference {
    let mut difference = Difference::default();
    if old.bundle_id != new.bundle_id {
        difference.bundle_id = Some((old.bundle_id.clone(), new.bundle_id.clone()));
    }
    // For each id of the old document, its positions, consumed in order.
    let mut old_positions: foldhash::HashMap<&str, std::collections::VecDeque<usize>> =
        foldhash::HashMap::default();
    for (position, object) in old.objects.iter().enumerate() {
        old_positions
            .entry(object.id())
            .or_default()
            .push_back(position);
    }
    let mut matched = vec![false; old.objects.len()];
    for object in &new.objects {
        let new_json = object.to_json();
        let partner = old_positions
            .get_mut(object.id())
            .and_then(std::collections::VecDeque::pop_front);
        let Some(position) = partner else {
            difference.added.push(label(object, &new_json));
            continue;
        };
        matched[position] = true;
        let old_json = old.objects[position].to_json();
        let mut changes = Vec::new();
        compare_maps(&old_json, &new_json, &mut Vec::new(), &mut changes);
        if !changes.is_empty() {
            difference.changed.push(ObjectChange {
                object: label(object, &new_json),
                kind: kind_of(&changes),
                changes,
            });
        }
    }
    for (object, _) in old
        .objects
        .iter()
        .zip(&matched)
        .filter(|(_, matched)| !**matched)
    {
        difference.removed.push(label(object, &object.to_json()));
    }
    difference
}

/// Layout only, `modified` only, or content.
fn kind_of(changes: &[PropertyChange]) -> ChangeKind {
    let is_layout = |path: &[Step]| {
        matches!(path, [Step::Key(extensions), Step::Key(id), Step::Key(entry), ..]
            if extensions == "extensions"
                && id == MEDFLOW_EXTENSION_ID
                && (entry == Entry::Layout.key() || entry == Entry::ZoneLayout.key()))
    };
    let is_modified = |path: &[Step]| matches!(path, [Step::Key(key)] if key == "modified");
    let layout = changes
        .iter()
        .filter(|change| is_layout(&change.path))
        .count();
    let modified = changes
        .iter()
        .filter(|change| is_modified(&change.path))
        .count();
    if layout + modified < changes.len() {
        ChangeKind::Content
    } else if layout > 0 {
        ChangeKind::LayoutOnly
    } else {
        ChangeKind::ModifiedOnly
    }
}

fn with_step<T>(path: &mut Vec<Step>, step: Step, inner: impl FnOnce(&mut Vec<Step>) -> T) -> T {
    path.push(step);
    let result = inner(path);
    path.pop();
    result
}

fn compare_maps(
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    path: &mut Vec<Step>,
    out: &mut Vec<PropertyChange>,
) {
    for (key, new_value) in new {
        with_step(path, Step::Key(key.clone()), |path| match old.get(key) {
            None => out.push(PropertyChange {
                path: path.clone(),
                change: Change::Added(new_value.clone()),
            }),
            Some(old_value) => compare_values(old_value, new_value, path, out),
        });
    }
    for (key, old_value) in old {
        if !new.contains_key(key) {
            let mut at = path.clone();
            at.push(Step::Key(key.clone()));
            out.push(PropertyChange {
                path: at,
                change: Change::Removed(old_value.clone()),
            });
        }
    }
}

fn is_plain(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

fn compare_values(old: &Value, new: &Value, path: &mut Vec<Step>, out: &mut Vec<PropertyChange>) {
    if old == new {
        return;
    }
    match (old, new) {
        (Value::Object(old), Value::Object(new)) => compare_maps(old, new, path, out),
        (Value::Array(old_items), Value::Array(new_items))
            if old_items.iter().chain(new_items).all(is_plain) =>
        {
            compare_plain_lists(old_items, new_items, path, out, (old, new));
        }
        (Value::Array(old_items), Value::Array(new_items)) => {
            for (index, (old_item, new_item)) in old_items.iter().zip(new_items).enumerate() {
                with_step(path, Step::Index(index), |path| {
                    compare_values(old_item, new_item, path, out);
                });
            }
            for item in new_items.iter().skip(old_items.len()) {
                out.push(PropertyChange {
                    path: path.clone(),
                    change: Change::ItemAdded(item.clone()),
                });
            }
            for item in old_items.iter().skip(new_items.len()) {
                out.push(PropertyChange {
                    path: path.clone(),
                    change: Change::ItemRemoved(item.clone()),
                });
            }
        }
        _ => out.push(PropertyChange {
            path: path.clone(),
            change: Change::Changed {
                old: old.clone(),
                new: new.clone(),
            },
        }),
    }
}

/// Two lists of plain values: the items added and removed (counting repeats), or a change of
/// order when they hold the same items.
fn compare_plain_lists(
    old_items: &[Value],
    new_items: &[Value],
    path: &[Step],
    out: &mut Vec<PropertyChange>,
    (old, new): (&Value, &Value),
) {
    // Counted by their JSON text (plain values: equal text, equal value), so a list of any
    // length is compared in one pass over each side.
    let mut available: foldhash::HashMap<String, usize> = foldhash::HashMap::default();
    for item in old_items {
        *available.entry(item.to_string()).or_default() += 1;
    }
    let mut added = Vec::new();
    for item in new_items {
        match available.get_mut(&item.to_string()) {
            Some(count) if *count > 0 => *count -= 1,
            _ => added.push(item),
        }
    }
    let removed: Vec<&Value> = old_items
        .iter()
        .filter(|item| match available.get_mut(&item.to_string()) {
            Some(count) if *count > 0 => {
                *count -= 1;
                true
            }
            _ => false,
        })
        .collect();
    if added.is_empty() && removed.is_empty() {
        out.push(PropertyChange {
            path: path.to_vec(),
            change: Change::Reordered {
                old: old.clone(),
                new: new.clone(),
            },
        });
        return;
    }
    out.extend(added.into_iter().map(|item| PropertyChange {
        path: path.to_vec(),
        change: Change::ItemAdded(item.clone()),
    }));
    out.extend(removed.into_iter().map(|item| PropertyChange {
        path: path.to_vec(),
        change: Change::ItemRemoved(item.clone()),
    }));
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn document(objects: &[Value]) -> Document {
        Document {
            bundle_id: "bundle--00000000-0000-4000-8000-000000000001".to_owned(),
            objects: objects
                .iter()
                .map(|object| StixObject::from_value(object.clone()))
                .collect(),
        }
    }

    fn action(id: &str, name: &str) -> Value {
        json!({
            "type": "attack-action", "spec_version": "2.1",
            "id": format!("attack-action--{id}"),
            "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
            "name": name, "effect_refs": ["attack-action--a", "attack-action--b"],
            "extensions": {
                MEDFLOW_EXTENSION_ID: {
                    "extension_type": "property-extension", "layout": {"x": 1.0, "y": 2.0}
                }
            }
        })
    }

    const ONE: &str = "00000000-0000-4000-8000-000000000011";
    const TWO: &str = "00000000-0000-4000-8000-000000000012";

    #[test]
    fn the_same_document_has_no_difference() {
        let old = document(&[action(ONE, "Phish"), action(TWO, "Log in")]);
        assert!(diff(&old, &old.clone()).is_empty());
    }

    #[test]
    fn added_removed_and_changed_objects_are_matched_by_id() {
        let old = document(&[action(ONE, "Phish"), action(TWO, "Log in")]);
        let mut renamed = action(ONE, "Spear-phish");
        renamed["effect_refs"] = json!(["attack-action--b", "attack-action--c"]);
        renamed["description"] = json!("Mail with a link.");
        let three = "00000000-0000-4000-8000-000000000013";
        let new = document(&[action(three, "Exfiltrate"), renamed]);
        let difference = diff(&old, &new);
        assert_eq!(difference.added.len(), 1);
        assert_eq!(difference.added[0].name.as_deref(), Some("Exfiltrate"));
        assert_eq!(difference.removed.len(), 1);
        assert_eq!(difference.removed[0].id, format!("attack-action--{TWO}"));
        let [changed] = difference.changed.as_slice() else {
            panic!("{difference:?}")
        };
        assert_eq!(changed.kind, ChangeKind::Content);
        let seen: Vec<(String, Change)> = changed
            .changes
            .iter()
            .map(|change| (path_text(&change.path), change.change.clone()))
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "name".to_owned(),
                    Change::Changed {
                        old: json!("Phish"),
                        new: json!("Spear-phish")
                    }
                ),
                (
                    "description".to_owned(),
                    Change::Added(json!("Mail with a link."))
                ),
                (
                    "effect_refs".to_owned(),
                    Change::ItemAdded(json!("attack-action--c"))
                ),
                (
                    "effect_refs".to_owned(),
                    Change::ItemRemoved(json!("attack-action--a"))
                ),
            ]
        );
    }

    #[test]
    fn moves_and_modified_bumps_are_told_apart_from_content() {
        let old = document(&[action(ONE, "Phish"), action(TWO, "Log in")]);
        let mut moved = action(ONE, "Phish");
        moved["extensions"][MEDFLOW_EXTENSION_ID]["layout"]["x"] = json!(80.0);
        moved["modified"] = json!("2026-02-01T00:00:00.000Z");
        let mut touched = action(TWO, "Log in");
        touched["modified"] = json!("2026-02-01T00:00:00.000Z");
        let difference = diff(&old, &document(&[moved, touched]));
        let kinds: Vec<ChangeKind> = difference.changed.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [ChangeKind::LayoutOnly, ChangeKind::ModifiedOnly]);
        assert_eq!(
            path_text(&difference.changed[0].changes[1].path),
            format!("extensions.{MEDFLOW_EXTENSION_ID}.layout.x")
        );
    }

    #[test]
    fn lists_report_items_order_and_nested_entries() {
        let mut old = action(ONE, "Phish");
        old["external_references"] = json!([{"source_name": "a", "url": "https://a.example"}]);
        let mut new = old.clone();
        new["effect_refs"] = json!(["attack-action--b", "attack-action--a"]);
        new["external_references"] = json!([
            {"source_name": "a", "url": "https://b.example"},
            {"source_name": "c"}
        ]);
        let difference = diff(&document(&[old]), &document(&[new]));
        let mut changes: Vec<(String, Change)> = difference.changed[0]
            .changes
            .iter()
            .map(|change| (path_text(&change.path), change.change.clone()))
            .collect();
        changes.sort_by(|left, right| left.0.cmp(&right.0));
        assert_eq!(changes.len(), 3, "{changes:?}");
        assert_eq!(changes[0].0, "effect_refs");
        assert!(matches!(changes[0].1, Change::Reordered { .. }));
        assert_eq!(
            changes[1],
            (
                "external_references".to_owned(),
                Change::ItemAdded(json!({"source_name": "c"}))
            )
        );
        assert_eq!(
            changes[2],
            (
                "external_references[0].url".to_owned(),
                Change::Changed {
                    old: json!("https://a.example"),
                    new: json!("https://b.example")
                }
            )
        );
    }

    #[test]
    fn long_lists_with_repeats_are_compared_as_counted_items() {
        let mut old = action(ONE, "Phish");
        let targets: Vec<String> = (0..200_000)
            .map(|number| format!("attack-action--{number}"))
            .collect();
        old["effect_refs"] = json!(targets);
        let mut new = old.clone();
        let list = new["effect_refs"].as_array_mut().unwrap();
        list.reverse();
        list.push(json!("attack-action--7"));
        list.retain(|item| item != "attack-action--9");
        let difference = diff(&document(&[old]), &document(&[new]));
        let changes: Vec<Change> = difference.changed[0]
            .changes
            .iter()
            .map(|change| change.change.clone())
            .collect();
        assert_eq!(
            changes,
            [
                Change::ItemAdded(json!("attack-action--7")),
                Change::ItemRemoved(json!("attack-action--9")),
            ]
        );
    }

    #[test]
    fn repeated_ids_match_in_order_and_bundle_ids_are_compared() {
        let old = document(&[action(ONE, "First"), action(ONE, "Second")]);
        let mut new = document(&[action(ONE, "First")]);
        new.bundle_id = "bundle--00000000-0000-4000-8000-000000000002".to_owned();
        let difference = diff(&old, &new);
        assert!(difference.bundle_id.is_some());
        assert!(difference.changed.is_empty());
        assert_eq!(difference.removed.len(), 1);
        assert_eq!(difference.removed[0].name.as_deref(), Some("Second"));
    }
}
