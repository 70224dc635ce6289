//! The STIX 2.1 common properties shared by every Attack Flow object, and external references.

use serde_json::{Map, Value};

use super::fields::{
    Writer, take_bool, take_object, take_objects, take_percentage, take_string, take_strings,
    take_timestamp,
};
use super::timestamp::Timestamp;

/// Names of the STIX 2.1 common properties of SDOs and SROs (STIX 2.1 §3.2).
pub const COMMON_PROPERTIES: &[&str] = &[
    "type",
    "spec_version",
    "id",
    "created_by_ref",
    "created",
    "modified",
    "revoked",
    "labels",
    "confidence",
    "lang",
    "external_references",
    "object_marking_refs",
    "granular_markings",
    "extensions",
];

/// Common properties of an SDO, typed. The object's `type` is implied by its Rust type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Common {
    /// `spec_version`; `2.1` for every object the product writes.
    pub spec_version: Option<String>,
    /// `id`: `type--UUID`. Empty when the object had none (a validation error).
    pub id: String,
    /// `created`.
    pub created: Option<Timestamp>,
    /// `modified`.
    pub modified: Option<Timestamp>,
    /// `created_by_ref`: the identity that made the object.
    pub created_by_ref: Option<String>,
    /// `revoked`.
    pub revoked: Option<bool>,
    /// `labels`.
    pub labels: Option<Vec<String>>,
    /// `confidence`, 0 to 100.
    pub confidence: Option<u8>,
    /// `lang`.
    pub lang: Option<String>,
    /// `external_references`.
    pub external_references: Option<Vec<ExternalReference>>,
    /// `object_marking_refs`.
    pub object_marking_refs: Option<Vec<String>>,
    /// `granular_markings`, kept as JSON objects.
    pub granular_markings: Option<Vec<Map<String, Value>>>,
    /// `extensions`: extension id → extension properties.
    pub extensions: Option<Map<String, Value>>,
    /// Every other property, and any known property whose value had the wrong shape, verbatim.
    pub extra: Map<String, Value>,
}

impl Common {
    /// Takes the common properties out of `map`; what remains becomes [`Common::extra`] once the
    /// caller has taken its own typed properties.
    pub(crate) fn take_from(map: &mut Map<String, Value>) -> Self {
        map.shift_remove("type");
        Self {
            spec_version: take_string(map, "spec_version"),
            id: take_string(map, "id").unwrap_or_default(),
            created: take_timestamp(map, "created"),
            modified: take_timestamp(map, "modified"),
            created_by_ref: take_string(map, "created_by_ref"),
            revoked: take_bool(map, "revoked"),
            labels: take_strings(map, "labels"),
            confidence: take_percentage(map, "confidence"),
            lang: take_string(map, "lang"),
            external_references: take_external_references(map),
            object_marking_refs: take_strings(map, "object_marking_refs"),
            granular_markings: take_objects(map, "granular_markings"),
            extensions: take_object(map, "extensions"),
            extra: Map::new(),
        }
    }

    /// Writes the common properties (with `type`) into `map`, then the extra properties.
    pub(crate) fn write_into(&self, type_name: &str, map: &mut Map<String, Value>) {
        map.insert("type".to_owned(), Value::String(type_name.to_owned()));
        let mut writer = Writer::new(map);
        writer.string("spec_version", self.spec_version.as_ref());
        if !self.id.is_empty() {
            writer.string("id", Some(&self.id));
        }
        writer
            .timestamp("created", self.created.as_ref())
            .timestamp("modified", self.modified.as_ref())
            .string("created_by_ref", self.created_by_ref.as_ref())
            .bool("revoked", self.revoked)
            .strings("labels", self.labels.as_ref())
            .percentage("confidence", self.confidence)
            .string("lang", self.lang.as_ref())
            .strings("object_marking_refs", self.object_marking_refs.as_ref())
            .objects("granular_markings", self.granular_markings.as_ref())
            .object("extensions", self.extensions.as_ref());
        if let Some(references) = &self.external_references {
            map.insert(
                "external_references".to_owned(),
                Value::Array(
                    references
                        .iter()
                        .map(|reference| Value::Object(reference.to_json()))
                        .collect(),
                ),
            );
        }
    }
}

/// A STIX external reference (STIX 2.1 §2.5).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExternalReference {
    /// `source_name` (required by STIX).
    pub source_name: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `url`.
    pub url: Option<String>,
    /// `external_id`, e.g. `T1078` or `CVE-2021-44228`.
    pub external_id: Option<String>,
    /// `hashes` of the referenced content.
    pub hashes: Option<Map<String, Value>>,
    /// Other properties, verbatim.
    pub extra: Map<String, Value>,
}

impl ExternalReference {
    fn from_json(mut map: Map<String, Value>) -> Self {
        Self {
            source_name: take_string(&mut map, "source_name"),
            description: take_string(&mut map, "description"),
            url: take_string(&mut map, "url"),
            external_id: take_string(&mut map, "external_id"),
            hashes: take_object(&mut map, "hashes"),
            extra: map,
        }
    }

    /// The reference as a JSON object.
    #[must_use]
    pub fn to_json(&self) -> Map<String, Value> {
        let mut map = Map::new();
        Writer::new(&mut map)
            .string("source_name", self.source_name.as_ref())
            .string("description", self.description.as_ref())
            .string("url", self.url.as_ref())
            .string("external_id", self.external_id.as_ref())
            .object("hashes", self.hashes.as_ref());
        for (key, value) in &self.extra {
            map.insert(key.clone(), value.clone());
        }
        map
    }
}

fn take_external_references(map: &mut Map<String, Value>) -> Option<Vec<ExternalReference>> {
    take_objects(map, "external_references").map(|items| {
        items
            .into_iter()
            .map(ExternalReference::from_json)
            .collect()
    })
}
