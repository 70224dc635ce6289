//! The reference index: who points at whom, by which property.
//!
//! A reference is any `*_ref` string or `*_refs` list entry, at the top level of an object or
//! nested inside its properties (for example `granular_markings[0].marking_ref`). The keys of
//! `extensions` are not references here; they name extension definitions, which the document
//! rules check separately.

// foldhash: several times faster than SipHash on ids, and seeded per process, so crafted
// ids cannot make the maps slow.
use foldhash::HashMap;
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::ops::Range;

use serde_json::{Map, Value};

use super::{Document, StixObject};

/// One reference from an object to an id, borrowed from the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference<'a> {
    /// Index of the referring object in [`Document::objects`].
    pub source: usize,
    /// The property holding the reference, as a path (`effect_refs`, `granular_markings[0].marking_ref`).
    pub property: Cow<'a, str>,
    /// The id referred to.
    pub target: &'a str,
}

/// Positions in a list: almost always one, so one is kept without an allocation.
#[derive(Debug, Clone)]
enum Positions {
    One([usize; 1]),
    Many(Vec<usize>),
}

impl Positions {
    fn push(&mut self, position: usize) {
        match self {
            Self::One([first]) => *self = Self::Many(vec![*first, position]),
            Self::Many(all) => all.push(position),
        }
    }

    fn as_slice(&self) -> &[usize] {
        match self {
            Self::One(one) => one,
            Self::Many(all) => all,
        }
    }
}

fn add<'a>(map: &mut HashMap<&'a str, Positions>, key: &'a str, position: usize) {
    match map.entry(key) {
        Entry::Occupied(mut known) => known.get_mut().push(position),
        Entry::Vacant(new) => {
            new.insert(Positions::One([position]));
        }
    }
}

/// Every reference of a document, with lookups in both directions. It borrows the document's
/// ids and targets: building it copies no text.
#[derive(Debug, Clone, Default)]
pub struct ReferenceIndex<'a> {
    references: Vec<Reference<'a>>,
    outgoing: Vec<Range<usize>>,
    incoming: HashMap<&'a str, Positions>,
    objects_by_id: HashMap<&'a str, Positions>,
}

impl<'a> ReferenceIndex<'a> {
    /// Indexes a document.
    #[must_use]
    pub fn build(document: &'a Document) -> Self {
        let mut index = Self {
            outgoing: Vec::with_capacity(document.objects.len()),
            objects_by_id: HashMap::with_capacity_and_hasher(
                document.objects.len(),
                foldhash::fast::RandomState::default(),
            ),
            ..Self::default()
        };
        for (position, object) in document.objects.iter().enumerate() {
            add(&mut index.objects_by_id, object.id(), position);
            let start = index.references.len();
            for_each_reference(object, |property, target| {
                index.references.push(Reference {
                    source: position,
                    property,
                    target,
                });
            });
            index.outgoing.push(start..index.references.len());
        }
        index.incoming.reserve(index.references.len());
        for (number, reference) in index.references.iter().enumerate() {
            add(&mut index.incoming, reference.target, number);
        }
        index
    }

    /// Every reference, in object order and then property order.
    #[must_use]
    pub fn all(&self) -> &[Reference<'a>] {
        &self.references
    }

    /// The references leaving the object at `position`.
    #[must_use]
    pub fn from_object(&self, position: usize) -> &[Reference<'a>] {
        self.outgoing
            .get(position)
            .map_or(&[], |range| &self.references[range.clone()])
    }

    /// The references pointing at `id`, in document order.
    pub fn to_id<'s>(&'s self, id: &str) -> impl Iterator<Item = &'s Reference<'a>> + use<'s, 'a> {
        self.incoming
            .get(id)
            .map_or(&[][..], Positions::as_slice)
            .iter()
            .map(|&number| &self.references[number])
    }

    /// Positions of the objects that have this id (more than one means duplicates).
    #[must_use]
    pub fn positions_of(&self, id: &str) -> &[usize] {
        self.objects_by_id.get(id).map_or(&[], Positions::as_slice)
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
pub fn for_each_reference<'a>(
    object: &'a StixObject,
    mut visit: impl FnMut(Cow<'a, str>, &'a str),
) {
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
        visit(Cow::Borrowed("created_by_ref"), target);
    }
    for target in common.object_marking_refs.iter().flatten() {
        visit(Cow::Borrowed("object_marking_refs"), target);
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
            visit(Cow::Borrowed(property), target);
        }
        for target in list.into_iter().flatten() {
            visit(Cow::Borrowed(property), target);
        }
    }
    scan_map(&common.extra, "", &mut visit);
}

/// `prefix` + `key`, borrowing the key when there is no prefix.
fn path<'a>(prefix: &str, key: &'a str) -> Cow<'a, str> {
    if prefix.is_empty() {
        Cow::Borrowed(key)
    } else {
        Cow::Owned(format!("{prefix}{key}"))
    }
}

fn scan_map<'a>(
    map: &'a Map<String, Value>,
    prefix: &str,
    visit: &mut impl FnMut(Cow<'a, str>, &'a str),
) {
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
                visit(path(prefix, key), target);
            }
            Value::Array(items) if key.ends_with("_refs") => {
                for item in items {
                    if let Value::String(target) = item {
                        visit(path(prefix, key), target);
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
