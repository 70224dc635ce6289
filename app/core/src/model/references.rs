//! The reference index: who points at whom, by which property.
//!
//! A reference is any `*_ref` string or `*_refs` list entry, at the top level of an object or
//! nested inside its properties (for example `granular_markings[0].marking_ref`). The keys of
//! `extensions` are not references here; they name extension definitions, which the document
//! rules check separately.

// foldhash: several times faster than SipHash on ids, and seeded per process, so crafted
// ids cannot make the maps slow.
use foldhash::HashMap;
use std::ops::Range;

use serde_json::{Map, Value};

use super::{Document, StixObject};

/// One reference from an object to an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Index of the referring object in [`Document::objects`].
    pub source: usize,
    /// The property holding the reference, as a path (`effect_refs`, `granular_markings[0].marking_ref`).
    pub property: String,
    /// The id referred to.
    pub target: String,
}

/// Every reference of a document, with lookups in both directions.
#[derive(Debug, Clone, Default)]
pub struct ReferenceIndex {
    references: Vec<Reference>,
    outgoing: Vec<Range<usize>>,
    incoming: HashMap<String, Vec<usize>>,
    objects_by_id: HashMap<String, Vec<usize>>,
}

impl ReferenceIndex {
    /// Indexes a document.
    #[must_use]
    pub fn build(document: &Document) -> Self {
        let mut index = Self::default();
        for (position, object) in document.objects.iter().enumerate() {
            index
                .objects_by_id
                .entry(object.id().to_owned())
                .or_default()
                .push(position);
            let start = index.references.len();
            for_each_reference(object, |property, target| {
                index.references.push(Reference {
                    source: position,
                    property,
                    target: target.to_owned(),
                });
            });
            index.outgoing.push(start..index.references.len());
        }
        for (number, reference) in index.references.iter().enumerate() {
            index
                .incoming
                .entry(reference.target.clone())
                .or_default()
                .push(number);
        }
        index
    }

    /// Every reference, in object order and then property order.
    #[must_use]
    pub fn all(&self) -> &[Reference] {
        &self.references
    }

    /// The references leaving the object at `position`.
    #[must_use]
    pub fn from_object(&self, position: usize) -> &[Reference] {
        self.outgoing
            .get(position)
            .map_or(&[], |range| &self.references[range.clone()])
    }

    /// The references pointing at `id`, in document order.
    pub fn to_id<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Reference> + 'a {
        self.incoming
            .get(id)
            .into_iter()
            .flatten()
            .map(|&number| &self.references[number])
    }

    /// Positions of the objects that have this id (more than one means duplicates).
    #[must_use]
    pub fn positions_of(&self, id: &str) -> &[usize] {
        self.objects_by_id.get(id).map_or(&[], Vec::as_slice)
    }

    /// True when some object has this id.
    #[must_use]
    pub fn contains(&self, id: &str) -> bool {
        self.objects_by_id.contains_key(id)
    }
}

/// A typed reference property: its name, a single target, or a list of targets.
type TypedReference<'a> = (&'static str, Option<&'a str>, Option<&'a Vec<String>>);

/// Calls `visit(property path, target)` for every reference an object holds.
pub fn for_each_reference(object: &StixObject, mut visit: impl FnMut(String, &str)) {
    let typed: Vec<TypedReference<'_>> = match object {
        StixObject::AttackFlow(flow) => vec![("start_refs", None, flow.start_refs.as_ref())],
        StixObject::AttackAction(action) => vec![
            ("tactic_ref", action.tactic_ref.as_deref(), None),
            ("technique_ref", action.technique_ref.as_deref(), None),
            ("command_ref", action.command_ref.as_deref(), None),
            ("asset_refs", None, action.asset_refs.as_ref()),
            ("effect_refs", None, action.effect_refs.as_ref()),
        ],
        StixObject::AttackAsset(asset) => vec![("object_ref", asset.object_ref.as_deref(), None)],
        StixObject::AttackCondition(condition) => vec![
            ("on_true_refs", None, condition.on_true_refs.as_ref()),
            ("on_false_refs", None, condition.on_false_refs.as_ref()),
        ],
        StixObject::AttackOperator(operator) => {
            vec![("effect_refs", None, operator.effect_refs.as_ref())]
        }
        StixObject::Other(other) => {
            scan_map(&other.properties, "", &mut visit);
            return;
        }
    };
    let Some(common) = object.common() else {
        return;
    };
    if let Some(target) = &common.created_by_ref {
        visit("created_by_ref".to_owned(), target);
    }
    for target in common.object_marking_refs.iter().flatten() {
        visit("object_marking_refs".to_owned(), target);
    }
    for (number, marking) in common.granular_markings.iter().flatten().enumerate() {
        scan_map(
            marking,
            &format!("granular_markings[{number}]."),
            &mut visit,
        );
    }
    if let Some(extensions) = &common.extensions {
        for (name, extension) in extensions {
            if let Value::Object(properties) = extension {
                scan_map(properties, &format!("extensions.{name}."), &mut visit);
            }
        }
    }
    for (property, single, list) in typed {
        if let Some(target) = single {
            visit(property.to_owned(), target);
        }
        for target in list.into_iter().flatten() {
            visit(property.to_owned(), target);
        }
    }
    scan_map(&common.extra, "", &mut visit);
}

fn scan_map(map: &Map<String, Value>, prefix: &str, visit: &mut impl FnMut(String, &str)) {
    for (key, value) in map {
        if key == "extensions" && prefix.is_empty() {
            if let Value::Object(extensions) = value {
                for (name, extension) in extensions {
                    if let Value::Object(properties) = extension {
                        scan_map(properties, &format!("extensions.{name}."), visit);
                    }
                }
            }
            continue;
        }
        match value {
            Value::String(target) if key.ends_with("_ref") => {
                visit(format!("{prefix}{key}"), target);
            }
            Value::Array(items) if key.ends_with("_refs") => {
                for item in items {
                    if let Value::String(target) = item {
                        visit(format!("{prefix}{key}"), target);
                    }
                }
            }
            Value::Object(inner) => scan_map(inner, &format!("{prefix}{key}."), visit),
            Value::Array(items) => {
                for (number, item) in items.iter().enumerate() {
                    if let Value::Object(inner) = item {
                        scan_map(inner, &format!("{prefix}{key}[{number}]."), visit);
                    }
                }
            }
            _ => {}
        }
    }
}
