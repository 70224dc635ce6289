//! Writing a document as a canonical STIX 2.1 bundle.
//!
//! The same document always gives the same bytes:
//!
//! * The bundle is `{"type": "bundle", "id": …, "objects": […]}` and nothing else (`objects`
//!   is left out when there are none).
//! * **Object order:** the `attack-flow` object first, then every other object in ascending
//!   byte order of its `id` (so objects of one type sit together); objects with equal ids keep
//!   their relative order.
//! * **Key order in an object:** `type`, `spec_version`, `id`, `created`, `modified`, then every
//!   other property in ascending byte order of its name. Keys of nested objects are in ascending
//!   byte order too.
//! * **Values:** timestamps the model holds are written in UTC with at least millisecond
//!   precision; a property holding an empty list is left out; strings are written as UTF-8 with
//!   only the escapes JSON requires; numbers in their shortest form that reads back to the same
//!   value (so `1.50` is written `1.5`).
//! * **Layout:** two-space indentation, `"key": value` with one space, LF line ends, one
//!   trailing newline.

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value};

use crate::model::{Document, StixObject};

/// The keys written first, in this order, in every object.
const LEADING_KEYS: [&str; 5] = ["type", "spec_version", "id", "created", "modified"];

/// Writes the document as canonical JSON bytes.
#[must_use]
pub fn write_bundle(document: &Document) -> Vec<u8> {
    // Typed objects are turned into JSON; other objects are written straight from the model.
    let objects: Vec<Cow<'_, Map<String, Value>>> = canonical_order(&document.objects)
        .into_iter()
        .map(|object| match object {
            StixObject::Other(other) => Cow::Borrowed(&other.properties),
            typed => Cow::Owned(typed.to_json()),
        })
        .collect();
    let bundle = BundleView {
        id: &document.bundle_id,
        objects: &objects,
    };
    let mut out = Vec::with_capacity(objects.len() * 512);
    let mut serializer = serde_json::Serializer::pretty(&mut out);
    // Serializing in-memory JSON values to a Vec cannot fail: keys are strings and no
    // custom Serialize impl here returns an error.
    if bundle.serialize(&mut serializer).is_err() {
        out.clear();
    }
    out.push(b'\n');
    out
}

/// The objects in canonical order: the attack-flow first, then by id.
#[must_use]
pub fn canonical_order(objects: &[StixObject]) -> Vec<&StixObject> {
    let mut ordered: Vec<&StixObject> = objects.iter().collect();
    ordered.sort_by(|left, right| {
        let left_rank = u8::from(!matches!(left, StixObject::AttackFlow(_)));
        let right_rank = u8::from(!matches!(right, StixObject::AttackFlow(_)));
        left_rank
            .cmp(&right_rank)
            .then_with(|| left.id().cmp(right.id()))
    });
    ordered
}

struct BundleView<'a> {
    id: &'a str,
    objects: &'a [Cow<'a, Map<String, Value>>],
}

impl Serialize for BundleView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", "bundle")?;
        map.serialize_entry("id", self.id)?;
        if !self.objects.is_empty() {
            map.serialize_entry("objects", &ObjectsView(self.objects))?;
        }
        map.end()
    }
}

struct ObjectsView<'a>(&'a [Cow<'a, Map<String, Value>>]);

impl Serialize for ObjectsView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for object in self.0 {
            seq.serialize_element(&TopLevelObject(object))?;
        }
        seq.end()
    }
}

/// A STIX object with the leading keys first and the rest sorted; empty lists left out.
struct TopLevelObject<'a>(&'a Map<String, Value>);

impl Serialize for TopLevelObject<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut entries: Vec<(usize, &String, &Value)> = self
            .0
            .iter()
            .filter(|(_, value)| !matches!(value, Value::Array(items) if items.is_empty()))
            .map(|(key, value)| {
                let rank = LEADING_KEYS
                    .iter()
                    .position(|leading| leading == key)
                    .unwrap_or(LEADING_KEYS.len());
                (rank, key, value)
            })
            .collect();
        entries.sort_unstable_by(|left, right| (left.0, left.1).cmp(&(right.0, right.1)));
        let mut map = serializer.serialize_map(Some(entries.len()))?;
        for (_, key, value) in entries {
            map.serialize_entry(key, &Sorted(value))?;
        }
        map.end()
    }
}

/// A JSON value written with the keys of every nested object sorted.
struct Sorted<'a>(&'a Value);

impl Serialize for Sorted<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Object(object) => {
                let mut entries: Vec<(&String, &Value)> = object.iter().collect();
                entries.sort_unstable_by(|left, right| left.0.cmp(right.0));
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, &Sorted(value))?;
                }
                map.end()
            }
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Sorted(item))?;
                }
                seq.end()
            }
            other => other.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stix::{ReadLimits, read_bundle};

    #[test]
    fn writes_canonical_layout() {
        let text = r#"{"objects": [
            {"name": "Ann", "z_custom": {"b": 1, "a": []}, "id": "identity--fe7860f3-e23f-4d3f-9248-91105467a77a",
             "type": "identity", "spec_version": "2.1", "labels": [],
             "created": "2022-08-02T19:34:35.143Z", "modified": "2022-08-02T19:34:35.143Z"},
            {"type": "attack-flow", "id": "attack-flow--e9ec3a4b-f787-4e81-a3d9-4cfe017ebc2f", "spec_version": "2.1"}
        ], "id": "bundle--e8d6416b-feb8-4e3b-833c-cb6b79dfd922", "type": "bundle"}"#;
        let document = read_bundle(text.as_bytes(), &ReadLimits::default())
            .map(|outcome| outcome.document)
            .unwrap_or_default();
        let written = String::from_utf8(write_bundle(&document)).unwrap_or_default();
        let expected = r#"{
  "type": "bundle",
  "id": "bundle--e8d6416b-feb8-4e3b-833c-cb6b79dfd922",
  "objects": [
    {
      "type": "attack-flow",
      "spec_version": "2.1",
      "id": "attack-flow--e9ec3a4b-f787-4e81-a3d9-4cfe017ebc2f"
    },
    {
      "type": "identity",
      "spec_version": "2.1",
      "id": "identity--fe7860f3-e23f-4d3f-9248-91105467a77a",
      "created": "2022-08-02T19:34:35.143Z",
      "modified": "2022-08-02T19:34:35.143Z",
      "name": "Ann",
      "z_custom": {
        "a": [],
        "b": 1
      }
    }
  ]
}
"#;
        assert_eq!(written, expected);
    }
}
