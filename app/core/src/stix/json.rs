//! JSON text for the reader: its encoding told first (UTF-8, with a byte-order mark noted and
//! skipped; UTF-16 and UTF-32 named rather than failing as a syntax error at the first byte),
//! then the value built with every object's keys checked for repeats, which `serde_json` would
//! otherwise resolve silently by keeping the last.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// The one key `serde_json` (with `arbitrary_precision`) hands a number over under, with the
/// number's text as its value.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// How the bytes are encoded, told from their first four.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    /// UTF-8 (or anything else that is not recognisably UTF-16 or UTF-32: the parser says
    /// where it is not UTF-8).
    Utf8,
    /// UTF-8 behind a byte-order mark (three bytes), which JSON text must not carry.
    Utf8WithMark,
    /// Another Unicode encoding, named.
    Other(&'static str),
}

/// Tells the encoding from a byte-order mark, or from the zero bytes that UTF-16 and UTF-32
/// put beside the ASCII character every JSON text starts with.
pub(super) fn encoding(bytes: &[u8]) -> Encoding {
    match bytes {
        [0xEF, 0xBB, 0xBF, ..] => Encoding::Utf8WithMark,
        [0x00, 0x00, 0xFE, 0xFF, ..] | [0xFF, 0xFE, 0x00, 0x00, ..] => Encoding::Other("UTF-32"),
        [0xFE, 0xFF, ..] | [0xFF, 0xFE, ..] => Encoding::Other("UTF-16"),
        [0, 0, 0, first, ..] | [first, 0, 0, 0, ..] if *first != 0 => Encoding::Other("UTF-32"),
        [0, first, ..] | [first, 0, ..] if *first != 0 => Encoding::Other("UTF-16"),
        _ => Encoding::Utf8,
    }
}

/// Why the text did not parse: the parser's error, and the key when it was a repeated one.
pub(super) struct ParseFailure {
    /// The parser's error, with its line and column.
    pub error: serde_json::Error,
    /// The key an object held twice, when that is what stopped the parse.
    pub repeated_key: Option<String>,
}

/// Parses one JSON value (and nothing after it), refusing an object that holds a key twice.
#[cfg(test)]
pub(super) fn parse(bytes: &[u8]) -> Result<Value, ParseFailure> {
    let repeated = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = Checked(&repeated)
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    parsed.map_err(|error| ParseFailure {
        error,
        repeated_key: repeated.into_inner(),
    })
}

/// What a value read with [`parse_bundle`] was: at the top level, the file's shape.
pub(super) enum Top {
    /// A JSON object: its members other than `objects` (in order), and what `objects` was.
    Object {
        /// Every member but `objects`.
        members: Map<String, Value>,
        /// Whether `objects` was there, and an array.
        objects: Member,
    },
    /// A JSON array (below the top level: its entries went to the sink one by one).
    Array,
    /// Any other JSON value.
    Other,
}

/// The `objects` member of a top-level object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Member {
    /// Not there.
    Missing,
    /// An array, whose entries went to the sink one by one.
    Array,
    /// Something else.
    NotArray,
}

/// Parses a file's top level like [`parse`], but hands each entry of a top-level `objects`
/// array to `sink` as soon as it is parsed, so the whole file is never held as one tree of
/// values: memory stays near the size of what the sink keeps.
pub(super) fn parse_bundle(bytes: &[u8], sink: &mut dyn FnMut(Value)) -> Result<Top, ParseFailure> {
    let repeated = RefCell::new(None);
    let sink = RefCell::new(sink);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = Streamed {
        repeated: &repeated,
        sink: &sink,
        top: true,
    }
    .deserialize(&mut deserializer)
    .and_then(|top| deserializer.end().map(|()| top));
    parsed.map_err(|error| ParseFailure {
        error,
        repeated_key: repeated.into_inner(),
    })
}

/// The top level of a file (`top`), or its `objects` member: an object at the top keeps its
/// members but `objects`; the entries of an `objects` array go to the sink; anything else is
/// parsed (for its syntax and repeated keys) and dropped.
#[derive(Clone, Copy)]
struct Streamed<'a, 's> {
    repeated: &'a RefCell<Option<String>>,
    sink: &'a RefCell<&'s mut dyn FnMut(Value)>,
    top: bool,
}

impl<'de> DeserializeSeed<'de> for Streamed<'_, '_> {
    type Value = Top;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Top, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Streamed<'_, '_> {
    type Value = Top;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Top, E> {
        Ok(Top::Other)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Top, E> {
        Ok(Top::Other)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Top, E> {
        Ok(Top::Other)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Top, E> {
        Ok(Top::Other)
    }

    fn visit_str<E>(self, _: &str) -> Result<Top, E> {
        Ok(Top::Other)
    }

    fn visit_unit<E>(self) -> Result<Top, E> {
        Ok(Top::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Top, A::Error> {
        while let Some(value) = items.next_element_seed(Checked(self.repeated))? {
            if !self.top {
                (self.sink.borrow_mut())(value);
            }
        }
        Ok(Top::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Top, A::Error> {
        if !self.top {
            Checked(self.repeated).visit_map(entries)?;
            return Ok(Top::Other);
        }
        let mut members = Map::new();
        let mut objects = Member::Missing;
        while let Some(key) = entries.next_key::<String>()? {
            if key == NUMBER_TOKEN && members.is_empty() && objects == Member::Missing {
                entries.next_value::<de::IgnoredAny>()?;
                return Ok(Top::Other);
            }
            if members.contains_key(&key) || (key == "objects" && objects != Member::Missing) {
                let message = format!("the key {key:?} appears twice in one object");
                *self.repeated.borrow_mut() = Some(key);
                return Err(de::Error::custom(message));
            }
            if key == "objects" {
                let member = entries.next_value_seed(Streamed { top: false, ..self })?;
                objects = match member {
                    Top::Array => Member::Array,
                    Top::Object { .. } | Top::Other => Member::NotArray,
                };
            } else {
                let value = entries.next_value_seed(Checked(self.repeated))?;
                members.insert(key, value);
            }
        }
        Ok(Top::Object { members, objects })
    }
}

/// Builds a [`Value`] as `serde_json` does, but stops at a repeated key, noting it.
#[derive(Clone, Copy)]
struct Checked<'a>(&'a RefCell<Option<String>>);

impl<'de> DeserializeSeed<'de> for Checked<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Checked<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut values = Vec::with_capacity(items.size_hint().unwrap_or(0).min(4096));
        while let Some(value) = items.next_element_seed(self)? {
            values.push(value);
        }
        Ok(Value::Array(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = entries.next_key::<String>()? {
            if map.is_empty() && key == NUMBER_TOKEN {
                // A number, handed over as its text so that its value is kept exactly.
                let text: String = entries.next_value()?;
                return text
                    .parse::<Number>()
                    .map(Value::Number)
                    .map_err(de::Error::custom);
            }
            if map.contains_key(&key) {
                let message = format!("the key {key:?} appears twice in one object");
                *self.0.borrow_mut() = Some(key);
                return Err(de::Error::custom(message));
            }
            let value = entries.next_value_seed(self)?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn encodings_are_told_by_their_mark_or_their_zero_bytes() {
        let little_16: Vec<u8> = "{}".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let big_16: Vec<u8> = "{}".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let little_32: Vec<u8> = "{}"
            .chars()
            .flat_map(|c| u32::from(c).to_le_bytes())
            .collect();
        let big_32: Vec<u8> = "{}"
            .chars()
            .flat_map(|c| u32::from(c).to_be_bytes())
            .collect();
        assert_eq!(encoding(b"{}"), Encoding::Utf8);
        assert_eq!(encoding(b"\xEF\xBB\xBF{}"), Encoding::Utf8WithMark);
        assert_eq!(encoding(&little_16), Encoding::Other("UTF-16"));
        assert_eq!(encoding(&big_16), Encoding::Other("UTF-16"));
        assert_eq!(encoding(b"\xFF\xFE{\0}\0"), Encoding::Other("UTF-16"));
        assert_eq!(encoding(&little_32), Encoding::Other("UTF-32"));
        assert_eq!(encoding(&big_32), Encoding::Other("UTF-32"));
        assert_eq!(encoding(b"\0\0\xFE\xFF\0\0\0{"), Encoding::Other("UTF-32"));
        assert_eq!(encoding(b""), Encoding::Utf8);
        assert_eq!(encoding(b"\0"), Encoding::Utf8);
    }

    #[test]
    fn the_value_is_what_serde_json_builds() {
        let text = br#"{"b": [1, -2, 3.5, 1e2, true, null, "x\u00e9"], "a": {"c": {}}, "n": -0}"#;
        let expected: Value = serde_json::from_slice(text).unwrap();
        let parsed = parse(text).ok().unwrap();
        assert_eq!(parsed, expected);
        assert_eq!(
            serde_json::to_string(&parsed).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
    }

    #[test]
    fn numbers_keep_their_value_and_their_form() {
        let text = br"[18446744073709551617, 123456789012345678901234567890, -0, 1E2, 0.1, 1e-400, 9007199254740993]";
        let parsed = parse(text).ok().unwrap();
        assert_eq!(
            serde_json::to_string(&parsed).unwrap(),
            "[18446744073709551617,123456789012345678901234567890,-0,1e+2,0.1,1e-400,9007199254740993]"
        );
        assert_eq!(parsed[3].as_f64(), Some(100.0));
        assert_eq!(parsed[6].as_u64(), Some(9_007_199_254_740_993));
    }

    #[test]
    fn a_repeated_key_stops_the_parse_where_it_is_at_any_depth() {
        let failure = parse(b"{\"objects\": [1],\n \"objects\": []}")
            .err()
            .unwrap();
        assert_eq!(failure.repeated_key.as_deref(), Some("objects"));
        assert_eq!(failure.error.line(), 2);
        let nested = parse(br#"{"a": [{"id": 1, "x": 2, "id": 3}]}"#)
            .err()
            .unwrap();
        assert_eq!(nested.repeated_key.as_deref(), Some("id"));
        // Equal keys in different objects are no repeat; text after the value is refused.
        assert!(parse(br#"{"a": {"id": 1}, "b": {"id": 1}}"#).is_ok());
        let trailing = parse(b"{} {}").err().unwrap();
        assert_eq!(trailing.repeated_key, None);
    }
}
