//! Moving properties between raw JSON maps and typed fields without losing any.
//!
//! The rule every typed object follows: a typed field holds a value only when the JSON had the
//! right shape for it. A property with the wrong shape stays, untouched, in the object's `extra`
//! map, where validation finds and reports it and the writer writes it back verbatim.

use serde_json::{Map, Value};

use super::common::ExternalReference;
use super::timestamp::Timestamp;

/// What a `put_*` function hands back: `None` when the value went into the typed field, or the
/// value itself, untouched, when its shape was wrong (the caller keeps it in `extra`).
pub(crate) type Leftover = Option<Value>;

/// Puts `value` into `slot` if it is a string.
pub(crate) fn put_string(slot: &mut Option<String>, value: Value) -> Leftover {
    match value {
        Value::String(text) => {
            *slot = Some(text);
            None
        }
        other => Some(other),
    }
}

/// Puts `value` into `slot` if it is a boolean.
pub(crate) fn put_bool(slot: &mut Option<bool>, value: Value) -> Leftover {
    match value {
        Value::Bool(flag) => {
            *slot = Some(flag);
            None
        }
        other => Some(other),
    }
}

/// Puts `value` into `slot` if it is an integer from 0 to 100.
pub(crate) fn put_percentage(slot: &mut Option<u8>, value: Value) -> Leftover {
    match value.as_u64().and_then(|number| u8::try_from(number).ok()) {
        Some(number) if number <= 100 && !value.is_f64() => {
            *slot = Some(number);
            None
        }
        _ => Some(value),
    }
}

/// Puts `value` into `slot` if it is an array of strings (possibly empty).
pub(crate) fn put_strings(slot: &mut Option<Vec<String>>, value: Value) -> Leftover {
    match value {
        Value::Array(items) if items.iter().all(Value::is_string) => {
            *slot = Some(
                items
                    .into_iter()
                    .filter_map(|item| match item {
                        Value::String(text) => Some(text),
                        _ => None,
                    })
                    .collect(),
            );
            None
        }
        other => Some(other),
    }
}

/// Puts `value` into `slot` if it is a JSON object.
pub(crate) fn put_object(slot: &mut Option<Map<String, Value>>, value: Value) -> Leftover {
    match value {
        Value::Object(object) => {
            *slot = Some(object);
            None
        }
        other => Some(other),
    }
}

/// Puts `value` into `slot`, converted, if it is an array of JSON objects (possibly empty).
pub(crate) fn put_objects<T>(
    slot: &mut Option<Vec<T>>,
    value: Value,
    convert: impl Fn(Map<String, Value>) -> T,
) -> Leftover {
    match value {
        Value::Array(items) if items.iter().all(Value::is_object) => {
            *slot = Some(
                items
                    .into_iter()
                    .filter_map(|item| match item {
                        Value::Object(object) => Some(convert(object)),
                        _ => None,
                    })
                    .collect(),
            );
            None
        }
        other => Some(other),
    }
}

/// Puts `value` into `slot` if it is a valid timestamp (already normalised by the reader).
pub(crate) fn put_timestamp(slot: &mut Option<Timestamp>, value: Value) -> Leftover {
    match value.as_str().and_then(Timestamp::parse) {
        Some(parsed) => {
            *slot = Some(parsed.timestamp);
            None
        }
        None => Some(value),
    }
}

/// Puts `value` into `slot` if it is a string that `parse` accepts.
pub(crate) fn put_enum<T>(
    slot: &mut Option<T>,
    value: Value,
    parse: fn(&str) -> Option<T>,
) -> Leftover {
    match value.as_str().and_then(parse) {
        Some(parsed) => {
            *slot = Some(parsed);
            None
        }
        None => Some(value),
    }
}

/// A borrowed view of one property's value, as a typed object holds it. The writer serializes
/// these directly; [`PropertyRef::to_value`] makes the JSON value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PropertyRef<'a> {
    /// A string.
    String(&'a str),
    /// A boolean.
    Bool(bool),
    /// A small integer (confidence).
    Integer(u8),
    /// A timestamp, written in UTC with at least millisecond precision.
    Timestamp(&'a Timestamp),
    /// A list of strings.
    Strings(&'a [String]),
    /// A JSON object.
    Object(&'a Map<String, Value>),
    /// A list of JSON objects.
    Objects(&'a [Map<String, Value>]),
    /// A list of external references.
    ExternalReferences(&'a [ExternalReference]),
    /// Any JSON value, as read.
    Json(&'a Value),
}

impl PropertyRef<'_> {
    /// The value as JSON.
    #[must_use]
    pub fn to_value(&self) -> Value {
        match *self {
            Self::String(text) => Value::String(text.to_owned()),
            Self::Bool(flag) => Value::Bool(flag),
            Self::Integer(number) => Value::from(number),
            Self::Timestamp(timestamp) => Value::String(timestamp.to_string()),
            Self::Strings(items) => {
                Value::Array(items.iter().cloned().map(Value::String).collect())
            }
            Self::Object(object) => Value::Object(object.clone()),
            Self::Objects(items) => {
                Value::Array(items.iter().cloned().map(Value::Object).collect())
            }
            Self::ExternalReferences(items) => Value::Array(
                items
                    .iter()
                    .map(|reference| Value::Object(reference.to_json()))
                    .collect(),
            ),
            Self::Json(value) => value.clone(),
        }
    }

    /// True for a list with no items (the writer leaves such properties out).
    #[must_use]
    pub fn is_empty_list(&self) -> bool {
        match *self {
            Self::Strings(items) => items.is_empty(),
            Self::Objects(items) => items.is_empty(),
            Self::ExternalReferences(items) => items.is_empty(),
            Self::Json(Value::Array(items)) => items.is_empty(),
            _ => false,
        }
    }
}

/// The properties of one object as `(name, value)` pairs, typed fields first, then the extra
/// properties in file order. An extra property never shares a name with a typed field read
/// from a file; if an edit made them clash, the later pair wins, as in a JSON map.
pub type Properties<'a> = Vec<(&'a str, PropertyRef<'a>)>;

/// Collects the typed fields that hold a value.
pub(crate) struct Collector<'a, 'o> {
    out: &'o mut Properties<'a>,
}

impl<'a, 'o> Collector<'a, 'o> {
    pub(crate) fn new(out: &'o mut Properties<'a>) -> Self {
        Self { out }
    }

    pub(crate) fn string(&mut self, key: &'a str, value: Option<&'a String>) -> &mut Self {
        if let Some(text) = value {
            self.out.push((key, PropertyRef::String(text)));
        }
        self
    }

    pub(crate) fn text(&mut self, key: &'a str, value: Option<&'a str>) -> &mut Self {
        if let Some(text) = value {
            self.out.push((key, PropertyRef::String(text)));
        }
        self
    }

    pub(crate) fn bool(&mut self, key: &'a str, value: Option<bool>) -> &mut Self {
        if let Some(flag) = value {
            self.out.push((key, PropertyRef::Bool(flag)));
        }
        self
    }

    pub(crate) fn percentage(&mut self, key: &'a str, value: Option<u8>) -> &mut Self {
        if let Some(number) = value {
            self.out.push((key, PropertyRef::Integer(number)));
        }
        self
    }

    pub(crate) fn strings(&mut self, key: &'a str, value: Option<&'a Vec<String>>) -> &mut Self {
        if let Some(items) = value {
            self.out.push((key, PropertyRef::Strings(items)));
        }
        self
    }

    pub(crate) fn object(
        &mut self,
        key: &'a str,
        value: Option<&'a Map<String, Value>>,
    ) -> &mut Self {
        if let Some(object) = value {
            self.out.push((key, PropertyRef::Object(object)));
        }
        self
    }

    pub(crate) fn objects(
        &mut self,
        key: &'a str,
        value: Option<&'a Vec<Map<String, Value>>>,
    ) -> &mut Self {
        if let Some(items) = value {
            self.out.push((key, PropertyRef::Objects(items)));
        }
        self
    }

    pub(crate) fn external_references(
        &mut self,
        key: &'a str,
        value: Option<&'a Vec<ExternalReference>>,
    ) -> &mut Self {
        if let Some(items) = value {
            self.out.push((key, PropertyRef::ExternalReferences(items)));
        }
        self
    }

    pub(crate) fn timestamp(&mut self, key: &'a str, value: Option<&'a Timestamp>) -> &mut Self {
        if let Some(timestamp) = value {
            self.out.push((key, PropertyRef::Timestamp(timestamp)));
        }
        self
    }

    /// Appends the extra properties, in file order.
    pub(crate) fn extra(&mut self, extra: &'a Map<String, Value>) {
        self.out.extend(
            extra
                .iter()
                .map(|(key, value)| (key.as_str(), PropertyRef::Json(value))),
        );
    }
}

/// Builds a JSON object from properties; a later pair with the same name replaces the earlier.
pub(crate) fn to_map(properties: &Properties<'_>) -> Map<String, Value> {
    let mut map = Map::with_capacity(properties.len());
    for (key, value) in properties {
        map.insert((*key).to_owned(), value.to_value());
    }
    map
}
