//! The STIX 2.1 common properties shared by every Attack Flow object, and external references.

use serde_json::{Map, Value};

use super::fields::{
    Collector, Leftover, Properties, put_bool, put_object, put_objects, put_percentage, put_string,
    put_strings, put_timestamp, to_map,
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
    /// Puts one property into its typed common field when `key` names a common property and
    /// the value has the right shape. Returns the value when it belongs in
    /// [`Common::extra`] instead: an unknown key, or a known one with the wrong shape. `type` is
    /// dropped; the Rust type implies it.
    pub(crate) fn put(&mut self, key: &str, value: Value) -> Leftover {
        match key {
            "type" => None,
            "spec_version" => put_string(&mut self.spec_version, value),
            // An empty id is kept as written, in `extra` (the typed `id` is empty when there
            // is none), so validation and the writer see `"id": ""`, not a missing id.
            "id" => match value {
                Value::String(text) if !text.is_empty() => {
                    self.id = text;
                    None
                }
                other => Some(other),
            },
            "created" => put_timestamp(&mut self.created, value),
            "modified" => put_timestamp(&mut self.modified, value),
            "created_by_ref" => put_string(&mut self.created_by_ref, value),
            "revoked" => put_bool(&mut self.revoked, value),
            "labels" => put_strings(&mut self.labels, value),
            "confidence" => put_percentage(&mut self.confidence, value),
            "lang" => put_string(&mut self.lang, value),
            "external_references" => put_objects(
                &mut self.external_references,
                value,
                ExternalReference::from_json,
            ),
            "object_marking_refs" => put_strings(&mut self.object_marking_refs, value),
            "granular_markings" => put_objects(&mut self.granular_markings, value, |map| map),
            "extensions" => put_object(&mut self.extensions, value),
            _ => Some(value),
        }
    }

    /// Keeps a property that has no typed field, in file order.
    pub(crate) fn keep_extra(&mut self, key: String, leftover: Leftover) {
        if let Some(value) = leftover {
            self.extra.insert(key, value);
        }
    }

    /// Collects the common properties, `type` first (the extra properties come last, added by
    /// the caller after its own).
    pub(crate) fn collect<'a>(&'a self, type_name: &'a str, out: &mut Properties<'a>) {
        let mut collector = Collector::new(out);
        collector
            .text("type", Some(type_name))
            .string("spec_version", self.spec_version.as_ref())
            .text("id", Some(self.id.as_str()).filter(|id| !id.is_empty()))
            .timestamp("created", self.created.as_ref())
            .timestamp("modified", self.modified.as_ref())
            .string("created_by_ref", self.created_by_ref.as_ref())
            .bool("revoked", self.revoked)
            .strings("labels", self.labels.as_ref())
            .percentage("confidence", self.confidence)
            .string("lang", self.lang.as_ref())
            .external_references("external_references", self.external_references.as_ref())
            .strings("object_marking_refs", self.object_marking_refs.as_ref())
            .objects("granular_markings", self.granular_markings.as_ref())
            .object("extensions", self.extensions.as_ref());
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
    fn from_json(map: Map<String, Value>) -> Self {
        let mut reference = Self::default();
        for (key, value) in map {
            let leftover = match key.as_str() {
                "source_name" => put_string(&mut reference.source_name, value),
                "description" => put_string(&mut reference.description, value),
                "url" => put_string(&mut reference.url, value),
                "external_id" => put_string(&mut reference.external_id, value),
                "hashes" => put_object(&mut reference.hashes, value),
                _ => Some(value),
            };
            if let Some(value) = leftover {
                reference.extra.insert(key, value);
            }
        }
        reference
    }

    /// The reference's properties, typed ones first, then the others in file order.
    #[must_use]
    pub fn properties(&self) -> Properties<'_> {
        let mut out = Vec::with_capacity(5 + self.extra.len());
        Collector::new(&mut out)
            .string("source_name", self.source_name.as_ref())
            .string("description", self.description.as_ref())
            .string("url", self.url.as_ref())
            .string("external_id", self.external_id.as_ref())
            .object("hashes", self.hashes.as_ref())
            .extra(&self.extra);
        out
    }

    /// The reference as a JSON object.
    #[must_use]
    pub fn to_json(&self) -> Map<String, Value> {
        to_map(&self.properties())
    }
}
