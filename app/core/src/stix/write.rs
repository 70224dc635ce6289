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

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value};

use crate::model::{Document, Properties, PropertyRef, StixObject};

/// The keys written first, in this order, in every object.
const LEADING_KEYS: [&str; 5] = ["type", "spec_version", "id", "created", "modified"];

/// Writes the document as canonical JSON bytes.
#[must_use]
pub fn write_bundle(document: &Document) -> Vec<u8> {
    // Objects are serialized from borrowed views of the model; no JSON is built for them.
    let objects: Vec<Properties<'_>> = canonical_order(&document.objects)
        .into_iter()
        .map(StixObject::properties)
        .collect();
    let bundle = BundleView {
        id: &document.bundle_id,
        objects: &objects,
    };
    let mut out = Vec::with_capacity(objects.len() * 512);
    let mut serializer = serde_json::Serializer::pretty(&mut out);
    // Serializing in-memory values to a Vec cannot fail: keys are strings and no custom
    // Serialize impl here returns an error.
    if bundle.serialize(&mut serializer).is_err() {
        out.clear();
    }
    out.push(b'\n');
    out
}

/// The objects in canonical order: the attack-flow first, then by id.
#[must_use]
pub fn canonical_order(objects: &[StixObject]) -> Vec<&StixObject> {
    // Each key is looked up once: an untyped object's id is a map lookup.
    let mut keyed: Vec<(bool, &str, &StixObject)> = objects
        .iter()
        .map(|object| {
            (
                !matches!(object, StixObject::AttackFlow(_)),
                object.id(),
                object,
            )
        })
        .collect();
    keyed.sort_by(|left, right| (left.0, left.1).cmp(&(right.0, right.1)));
    keyed.into_iter().map(|(_, _, object)| object).collect()
}

struct BundleView<'a> {
    id: &'a str,
    objects: &'a [Properties<'a>],
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

struct ObjectsView<'a>(&'a [Properties<'a>]);

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
struct TopLevelObject<'a>(&'a Properties<'a>);

impl Serialize for TopLevelObject<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut entries: Vec<(usize, &str, PropertyRef<'_>)> = self
            .0
            .iter()
            .filter(|(_, value)| !value.is_empty_list())
            .map(|&(key, value)| {
                let rank = LEADING_KEYS
                    .iter()
                    .position(|leading| *leading == key)
                    .unwrap_or(LEADING_KEYS.len());
                (rank, key, value)
            })
            .collect();
        // Stable, so that of two pairs with one name the later stays later and wins below.
        entries.sort_by(|left, right| (left.0, left.1).cmp(&(right.0, right.1)));
        let mut map = serializer.serialize_map(None)?;
        for (index, (_, key, value)) in entries.iter().enumerate() {
            if entries
                .get(index + 1)
                .is_some_and(|(_, next_key, _)| next_key == key)
            {
                continue;
            }
            map.serialize_entry(key, &SortedProperty(*value))?;
        }
        map.end()
    }
}

/// One property of a typed object, with the keys of nested objects sorted.
struct SortedProperty<'a>(PropertyRef<'a>);

impl Serialize for SortedProperty<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            PropertyRef::String(text) => serializer.serialize_str(text),
            PropertyRef::Bool(flag) => serializer.serialize_bool(flag),
            PropertyRef::Integer(number) => serializer.serialize_u8(number),
            PropertyRef::Timestamp(timestamp) => serializer.collect_str(timestamp),
            PropertyRef::Strings(items) => items.serialize(serializer),
            PropertyRef::Object(object) => SortedMap(object).serialize(serializer),
            PropertyRef::Objects(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&SortedMap(item))?;
                }
                seq.end()
            }
            PropertyRef::ExternalReferences(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&SortedPairs(item.properties()))?;
                }
                seq.end()
            }
            PropertyRef::Json(value) => Sorted(value).serialize(serializer),
        }
    }
}

/// Nested `(name, value)` pairs written with sorted keys; a later pair with a name wins.
struct SortedPairs<'a>(Properties<'a>);

impl Serialize for SortedPairs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut entries = self.0.clone();
        entries.sort_by(|left, right| left.0.cmp(right.0));
        let mut map = serializer.serialize_map(None)?;
        for (index, (key, value)) in entries.iter().enumerate() {
            if entries
                .get(index + 1)
                .is_some_and(|(next_key, _)| next_key == key)
            {
                continue;
            }
            map.serialize_entry(key, &SortedProperty(*value))?;
        }
        map.end()
    }
}

/// A JSON object written with its keys (and those of nested objects) sorted.
struct SortedMap<'a>(&'a Map<String, Value>);

impl Serialize for SortedMap<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut entries: Vec<(&String, &Value)> = self.0.iter().collect();
        entries.sort_unstable_by(|left, right| left.0.cmp(right.0));
        let mut map = serializer.serialize_map(Some(entries.len()))?;
        for (key, value) in entries {
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
            Value::Object(object) => SortedMap(object).serialize(serializer),
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

    #[test]
    fn a_typed_field_and_an_extra_property_with_one_name_are_written_once() {
        use crate::model::{AttackAsset, Common};
        let mut common = Common {
            id: "attack-asset--fe7860f3-e23f-4d3f-9248-91105467a77a".to_owned(),
            ..Common::default()
        };
        common.extra.insert("name".to_owned(), Value::from(7));
        let asset = AttackAsset {
            common,
            name: Some("typed".to_owned()),
            ..AttackAsset::default()
        };
        let document = Document {
            bundle_id: "bundle--e8d6416b-feb8-4e3b-833c-cb6b79dfd922".to_owned(),
            objects: vec![StixObject::AttackAsset(asset.clone())],
        };
        let written = String::from_utf8(write_bundle(&document)).unwrap_or_default();
        assert_eq!(written.matches("\"name\"").count(), 1, "{written}");
        assert!(written.contains("\"name\": 7"), "{written}");
        // The JSON form agrees: the later (extra) value wins.
        assert_eq!(
            StixObject::AttackAsset(asset).to_json().get("name"),
            Some(&Value::from(7))
        );
    }
}
