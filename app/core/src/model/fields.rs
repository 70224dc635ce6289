//! Moving properties between raw JSON maps and typed fields without losing any.
//!
//! The rule every typed object follows: a typed field holds a value only when the JSON had the
//! right shape for it. A property with the wrong shape stays, untouched, in the object's `extra`
//! map, where validation finds and reports it and the writer writes it back verbatim.

use serde_json::{Map, Value};

use super::timestamp::Timestamp;

/// Takes `key` out of `map` if it is a string.
pub(crate) fn take_string(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    take_if(map, key, |value| match value {
        Value::String(text) => Ok(text),
        other => Err(other),
    })
}

/// Takes `key` out of `map` if it is a boolean.
pub(crate) fn take_bool(map: &mut Map<String, Value>, key: &str) -> Option<bool> {
    take_if(map, key, |value| match value {
        Value::Bool(flag) => Ok(flag),
        other => Err(other),
    })
}

/// Takes `key` out of `map` if it is an integer from 0 to 100.
pub(crate) fn take_percentage(map: &mut Map<String, Value>, key: &str) -> Option<u8> {
    take_if(map, key, |value| {
        match value.as_u64().and_then(|number| u8::try_from(number).ok()) {
            Some(number) if number <= 100 && !value.is_f64() => Ok(number),
            _ => Err(value),
        }
    })
}

/// Takes `key` out of `map` if it is an array of strings (possibly empty).
pub(crate) fn take_strings(map: &mut Map<String, Value>, key: &str) -> Option<Vec<String>> {
    take_if(map, key, |value| match value {
        Value::Array(items) if items.iter().all(Value::is_string) => Ok(items
            .into_iter()
            .filter_map(|item| match item {
                Value::String(text) => Some(text),
                _ => None,
            })
            .collect()),
        other => Err(other),
    })
}

/// Takes `key` out of `map` if it is a JSON object.
pub(crate) fn take_object(map: &mut Map<String, Value>, key: &str) -> Option<Map<String, Value>> {
    take_if(map, key, |value| match value {
        Value::Object(object) => Ok(object),
        other => Err(other),
    })
}

/// Takes `key` out of `map` if it is an array of JSON objects (possibly empty).
pub(crate) fn take_objects(
    map: &mut Map<String, Value>,
    key: &str,
) -> Option<Vec<Map<String, Value>>> {
    take_if(map, key, |value| match value {
        Value::Array(items) if items.iter().all(Value::is_object) => Ok(items
            .into_iter()
            .filter_map(|item| match item {
                Value::Object(object) => Some(object),
                _ => None,
            })
            .collect()),
        other => Err(other),
    })
}

/// Takes `key` out of `map` if it is a valid timestamp (already normalised by the reader).
pub(crate) fn take_timestamp(map: &mut Map<String, Value>, key: &str) -> Option<Timestamp> {
    take_if(map, key, |value| {
        match value.as_str().and_then(Timestamp::parse) {
            Some(parsed) => Ok(parsed.timestamp),
            None => Err(value),
        }
    })
}

/// Takes `key` out of `map` if `convert` accepts its value; otherwise leaves it in place.
fn take_if<T>(
    map: &mut Map<String, Value>,
    key: &str,
    convert: impl FnOnce(Value) -> Result<T, Value>,
) -> Option<T> {
    let value = map.get_mut(key)?;
    let owned = std::mem::take(value);
    match convert(owned) {
        Ok(typed) => {
            map.shift_remove(key);
            Some(typed)
        }
        Err(original) => {
            *value = original;
            None
        }
    }
}

/// Writes typed fields back into a JSON map.
pub(crate) struct Writer<'a> {
    map: &'a mut Map<String, Value>,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(map: &'a mut Map<String, Value>) -> Self {
        Self { map }
    }

    pub(crate) fn string(&mut self, key: &str, value: Option<&String>) -> &mut Self {
        if let Some(text) = value {
            self.map.insert(key.to_owned(), Value::String(text.clone()));
        }
        self
    }

    pub(crate) fn bool(&mut self, key: &str, value: Option<bool>) -> &mut Self {
        if let Some(flag) = value {
            self.map.insert(key.to_owned(), Value::Bool(flag));
        }
        self
    }

    pub(crate) fn percentage(&mut self, key: &str, value: Option<u8>) -> &mut Self {
        if let Some(number) = value {
            self.map.insert(key.to_owned(), Value::from(number));
        }
        self
    }

    pub(crate) fn strings(&mut self, key: &str, value: Option<&Vec<String>>) -> &mut Self {
        if let Some(items) = value {
            self.map.insert(
                key.to_owned(),
                Value::Array(items.iter().cloned().map(Value::String).collect()),
            );
        }
        self
    }

    pub(crate) fn object(&mut self, key: &str, value: Option<&Map<String, Value>>) -> &mut Self {
        if let Some(object) = value {
            self.map
                .insert(key.to_owned(), Value::Object(object.clone()));
        }
        self
    }

    pub(crate) fn objects(
        &mut self,
        key: &str,
        value: Option<&Vec<Map<String, Value>>>,
    ) -> &mut Self {
        if let Some(items) = value {
            self.map.insert(
                key.to_owned(),
                Value::Array(items.iter().cloned().map(Value::Object).collect()),
            );
        }
        self
    }

    pub(crate) fn timestamp(&mut self, key: &str, value: Option<&Timestamp>) -> &mut Self {
        if let Some(timestamp) = value {
            self.map
                .insert(key.to_owned(), Value::String(timestamp.to_string()));
        }
        self
    }
}
