//! Reading STIX 2.1 bundles from bytes.
//!
//! The reader is lenient about what real files contain and strict about safety:
//!
//! * Input larger than [`ReadLimits::max_bytes`] or nested deeper than
//!   [`ReadLimits::max_depth`] is refused before it is parsed.
//! * JSON syntax errors name the line and column; so does an object holding a key twice
//!   ([`ReadError::DuplicateKey`]: JSON readers disagree about which value counts, so the file
//!   is refused rather than read one way). UTF-16 and UTF-32 input is named as such
//!   ([`ReadError::Encoding`]); a UTF-8 byte-order mark is skipped with a warning
//!   ([`Code::ReadByteOrderMark`]).
//! * Structure that cannot be modelled (the top level is not an object, `objects` is not an
//!   array, an entry of `objects` is not an object) is refused with its JSON path.
//! * Each entry of `objects` becomes a typed object as soon as it is parsed, so a large file is
//!   never held as one tree of JSON values.
//! * Everything else is kept, and these normalisations are reported (as errors: the file as
//!   written is invalid, and `medflow fmt` or saving fixes it):
//!   bundle properties other than `type`, `id` and `objects` are dropped
//!   ([`Code::ReadBundlePropertyDropped`]); an object without `spec_version` gets `2.1` unless
//!   it is a STIX cyber-observable, whose `spec_version` is optional
//!   ([`Code::ReadSpecVersionAdded`]); `created`, `modified`, `execution_start` and
//!   `execution_end` are rewritten in UTC with at least millisecond precision
//!   ([`Code::ReadTimestampNormalised`]).
//!
//! Schema problems never stop reading: they are left in the document for validation to report.

use serde_json::{Map, Value};
use thiserror::Error;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Document, StixObject, Timestamp};

use super::json;
use super::vocabulary::is_cyber_observable_type;

/// Limits that protect against hostile or accidental huge input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Largest input accepted, in bytes. Default 256 MiB.
    pub max_bytes: usize,
    /// Deepest nesting of arrays and objects accepted. Default 64; values above 128 act as 128,
    /// the JSON parser's own ceiling.
    pub max_depth: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        Self {
            max_bytes: 256 * 1024 * 1024,
            max_depth: 64,
        }
    }
}

/// Why a file could not be read as a bundle at all.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReadError {
    /// The input is over the size limit.
    #[error("the input is {size_bytes} bytes, over the limit of {limit_bytes} bytes")]
    TooLarge {
        /// Size of the input.
        size_bytes: u64,
        /// The limit in force.
        limit_bytes: u64,
    },
    /// The input nests deeper than the limit.
    #[error("line {line}, column {column}: nesting deeper than the limit of {limit} levels")]
    TooDeep {
        /// 1-based line of the bracket that went too deep.
        line: usize,
        /// 1-based column (in bytes) of that bracket.
        column: usize,
        /// The limit in force.
        limit: usize,
    },
    /// The input is not well-formed JSON.
    #[error("line {line}, column {column}: {message}")]
    JsonSyntax {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What the parser found.
        message: String,
    },
    /// The input is not UTF-8 but another Unicode encoding.
    #[error("{message}")]
    Encoding {
        /// What the encoding is, in a sentence.
        message: String,
    },
    /// An object of the input holds the same key twice: JSON readers disagree about which
    /// value counts, so the file is refused rather than read one way.
    #[error(
        "line {line}, column {column}: the key {key:?} appears twice in one object; \
         remove one (which value counts is ambiguous)"
    )]
    DuplicateKey {
        /// 1-based line just after the repeated key.
        line: usize,
        /// 1-based column just after the repeated key.
        column: usize,
        /// The key.
        key: String,
    },
    /// The JSON is not shaped like a STIX bundle.
    #[error("{path}: {message}")]
    NotABundle {
        /// JSON path of the offending value, e.g. `objects[3]`.
        path: String,
        /// What is wrong there.
        message: String,
    },
}

impl ReadError {
    /// The diagnostic code for this error.
    #[must_use]
    pub fn code(&self) -> Code {
        match self {
            Self::TooLarge { .. } => Code::ReadTooLarge,
            Self::TooDeep { .. } => Code::ReadTooDeep,
            Self::JsonSyntax { .. } => Code::ReadJsonSyntax,
            Self::Encoding { .. } => Code::ReadEncoding,
            Self::DuplicateKey { .. } => Code::ReadDuplicateKey,
            Self::NotABundle { .. } => Code::ReadNotABundle,
        }
    }
}

/// A document read from bytes, with what the reader noticed on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOutcome {
    /// The document.
    pub document: Document,
    /// Warnings about normalisations, and the bundle-type error.
    pub diagnostics: Vec<Diagnostic>,
    /// Set when the JSON is not a STIX bundle at all (whatever could be read of it is in
    /// `document`): an editor must not write over such a file.
    pub foreign: Option<Foreign>,
}

/// A JSON file read that is not a STIX bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Foreign {
    /// An Attack Flow Builder file (`.afb`: a top-level `schema`, no bundle type).
    BuilderFile,
    /// Some other JSON; the text says what its top level is.
    Other(String),
}

impl Foreign {
    /// What the file is, in a sentence for a banner or a message.
    #[must_use]
    pub fn explanation(&self) -> String {
        match self {
            Self::BuilderFile => "This is an Attack Flow Builder file (.afb), not a STIX bundle: \
                 import it to edit it as a flow (the importer comes in a later version)."
                .to_owned(),
            Self::Other(reason) => format!("Not an Attack Flow file: {reason}."),
        }
    }
}

/// Reads a STIX 2.1 bundle.
pub fn read_bundle(bytes: &[u8], limits: &ReadLimits) -> Result<ReadOutcome, ReadError> {
    read_bundle_inspecting(bytes, limits, &mut |_| {})
}

/// [`read_bundle`], showing `inspect` each object of `objects` as the JSON object it was read
/// as (after the reader's normalisation), just before it becomes a typed object: validation
/// checks it there without writing the typed object back to JSON.
pub fn read_bundle_inspecting(
    bytes: &[u8],
    limits: &ReadLimits,
    inspect: &mut dyn FnMut(&Map<String, Value>),
) -> Result<ReadOutcome, ReadError> {
    if bytes.len() > limits.max_bytes {
        return Err(ReadError::TooLarge {
            size_bytes: bytes.len() as u64,
            limit_bytes: limits.max_bytes as u64,
        });
    }
    let mut diagnostics = Vec::new();
    let bytes = match json::encoding(bytes) {
        json::Encoding::Utf8 => bytes,
        json::Encoding::Utf8WithMark => {
            diagnostics.push(Diagnostic::document(
                Code::ReadByteOrderMark,
                "the file starts with a UTF-8 byte-order mark, which JSON text must not carry; \
                 it is written without one",
            ));
            &bytes[3..]
        }
        json::Encoding::Other(name) => {
            return Err(ReadError::Encoding {
                message: format!("the file is {name}; Attack Flow files are UTF-8"),
            });
        }
    };
    check_depth(bytes, limits.max_depth.min(128))?;
    // Each entry of `objects` becomes a typed object as soon as it is parsed.
    // Room for the objects up front (a typed object is a few hundred bytes, an object in a
    // file rarely under 500): a large file's list is not copied each time it grows. Memory
    // reserved and never used is never touched, so it costs no resident memory.
    let mut objects = Vec::with_capacity(bytes.len() / 512);
    let mut object_diagnostics = Vec::new();
    let mut entries = 0usize;
    let mut first_stray: Option<usize> = None;
    let mut sink = |raw: Value| {
        match raw {
            Value::Object(mut map) if first_stray.is_none() => {
                normalise_object(&mut map, &mut object_diagnostics);
                inspect(&map);
                objects.push(StixObject::from_json(map));
            }
            Value::Object(_) => {}
            _ => {
                first_stray.get_or_insert(entries);
            }
        }
        entries += 1;
    };
    let top = json::parse_bundle(bytes, &mut sink).map_err(|failure| {
        let (line, column) = (failure.error.line(), failure.error.column());
        match failure.repeated_key {
            Some(key) => ReadError::DuplicateKey { line, column, key },
            None => ReadError::JsonSyntax {
                line,
                column,
                message: syntax_message(&failure.error),
            },
        }
    })?;
    let json::Top::Object {
        members: bundle,
        objects: member,
    } = top
    else {
        return Err(not_a_bundle("$", "the top level is not a JSON object"));
    };
    match member {
        json::Member::NotArray => {
            return Err(not_a_bundle("objects", "`objects` is not an array"));
        }
        json::Member::Missing | json::Member::Array => {}
    }
    if let Some(position) = first_stray {
        return Err(not_a_bundle(
            &format!("objects[{position}]"),
            "this entry is not a JSON object",
        ));
    }

    let (bundle_id, foreign) = bundle_members(bundle, &mut diagnostics);
    diagnostics.append(&mut object_diagnostics);
    Ok(ReadOutcome {
        document: Document { bundle_id, objects },
        diagnostics,
        foreign,
    })
}

/// The bundle's own members: its id, whether it is a bundle at all, and what the reader drops.
fn bundle_members(
    mut bundle: Map<String, Value>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (String, Option<Foreign>) {
    let mut foreign = None;
    match bundle.shift_remove("type") {
        Some(Value::String(kind)) if kind == "bundle" => {}
        other => {
            let found = other.map_or_else(|| "missing".to_owned(), |value| value.to_string());
            foreign = Some(if bundle.contains_key("schema") {
                Foreign::BuilderFile
            } else {
                Foreign::Other(format!("its top-level type is {found}, not \"bundle\""))
            });
            diagnostics.push(Diagnostic::document(
                Code::DocBundleType,
                format!("the top-level type is {found}, not \"bundle\""),
            ));
        }
    }
    let bundle_id = match bundle.shift_remove("id") {
        Some(Value::String(id)) => id,
        _ => String::new(),
    };
    if !bundle.is_empty() {
        let names: Vec<&str> = bundle.keys().map(String::as_str).collect();
        diagnostics.push(Diagnostic::document(
            Code::ReadBundlePropertyDropped,
            format!(
                "the bundle may hold only type, id and objects; dropped: {} (`medflow fmt` or \
                 saving writes the file without them)",
                names.join(", ")
            ),
        ));
    }
    (bundle_id, foreign)
}

fn not_a_bundle(path: &str, message: &str) -> ReadError {
    ReadError::NotABundle {
        path: path.to_owned(),
        message: message.to_owned(),
    }
}

/// `serde_json`'s message in plain words (the position is reported separately).
fn syntax_message(error: &serde_json::Error) -> String {
    // serde_json appends " at line L column C".
    let text = error.to_string();
    let text = match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    };
    let plain = if error.classify() == serde_json::error::Category::Eof {
        "the file ends before its JSON is complete (it may be cut off)"
    } else if text == "expected value" {
        "a JSON value was expected here"
    } else if text == "expected `,` or `}`" {
        "a comma or a closing brace was expected here"
    } else if text == "expected `,` or `]`" {
        "a comma or a closing bracket was expected here"
    } else if text == "expected `:`" {
        "a colon was expected after the key here"
    } else if text == "trailing comma" {
        "a comma here is followed by no value"
    } else if text == "trailing characters" {
        "there is more text after the end of the JSON"
    } else if text == "key must be a string" {
        "an object key here is not in double quotes"
    } else if text.starts_with("control character") {
        "a string here holds a raw line break or control character"
    } else if text == "invalid escape" {
        "a string here holds an invalid backslash escape"
    } else if text == "lone leading surrogate in hex escape"
        || text == "unexpected end of hex escape"
    {
        "a \\u escape here is cut short, or is half of a UTF-16 surrogate pair \
         (\\uD800-\\uDBFF) without its other half, which is no character"
    } else if text == "invalid unicode code point" {
        "a \\u escape here is a lone UTF-16 surrogate (\\uDC00-\\uDFFF), which is no character"
    } else {
        return format!("malformed JSON ({text})");
    };
    plain.to_owned()
}

/// Applies the reader's documented normalisations to one object.
fn normalise_object(map: &mut Map<String, Value>, diagnostics: &mut Vec<Diagnostic>) {
    let object_id = |map: &Map<String, Value>| {
        map.get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    // One pass over the keys instead of hashed lookups: objects have a dozen properties.
    let mut type_name = "";
    let mut has_spec_version = false;
    for (key, value) in map.iter() {
        match key.as_str() {
            "type" => type_name = value.as_str().unwrap_or_default(),
            "spec_version" => has_spec_version = true,
            _ => {}
        }
    }
    let is_action = type_name == "attack-action";
    if !has_spec_version && !is_cyber_observable_type(type_name) {
        let at = usize::from(map.contains_key("type"));
        map.shift_insert(
            at,
            "spec_version".to_owned(),
            Value::String("2.1".to_owned()),
        );
        diagnostics.push(Diagnostic::object(
            Code::ReadSpecVersionAdded,
            object_id(map),
            "the object has no spec_version (STIX 2.0 style); it is written as 2.1 (`medflow \
             fmt` or saving fixes the file)",
        ));
    }
    let mut normalised = Vec::new();
    for (key, value) in map.iter_mut() {
        let property = match key.as_str() {
            "created" => "created",
            "modified" => "modified",
            "execution_start" if is_action => "execution_start",
            "execution_end" if is_action => "execution_end",
            _ => continue,
        };
        let Value::String(text) = value else {
            continue;
        };
        if let Some(parsed) = Timestamp::parse(text)
            && !parsed.was_canonical
        {
            *text = parsed.timestamp.to_string();
            normalised.push(property);
        }
    }
    if !normalised.is_empty() {
        // Named in a fixed order, whatever the order of the keys in the file.
        const ORDER: [&str; 4] = ["created", "modified", "execution_start", "execution_end"];
        normalised.sort_by_key(|property| ORDER.iter().position(|known| known == property));
        diagnostics.push(Diagnostic::object(
            Code::ReadTimestampNormalised,
            object_id(map),
            format!(
                "{} not in STIX form (UTC, milliseconds, upper-case T and Z); written in it \
                 (`medflow fmt` or saving fixes the file)",
                normalised.join(", ")
            ),
        ));
    }
}

/// Refuses input nested deeper than `limit`, naming where, without parsing it.
///
/// Strings are skipped with `memchr` (they are most of a flow's bytes); the line and column
/// are only worked out when the limit is exceeded.
fn check_depth(bytes: &[u8], limit: usize) -> Result<(), ReadError> {
    let mut depth = 0usize;
    let mut offset = 0usize;
    while let Some(&byte) = bytes.get(offset) {
        match byte {
            b'"' => offset = string_end(bytes, offset + 1),
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    let before = &bytes[..offset];
                    let line_start = memchr::memrchr(b'\n', before).map_or(0, |at| at + 1);
                    return Err(ReadError::TooDeep {
                        line: memchr::memchr_iter(b'\n', before).count() + 1,
                        column: offset - line_start + 1,
                        limit,
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        offset += 1;
    }
    Ok(())
}

/// The offset of the quote closing the string whose contents start at `start` (or the end of
/// the input when the string is not closed).
fn string_end(bytes: &[u8], mut start: usize) -> usize {
    loop {
        let Some(rest) = bytes.get(start..) else {
            return bytes.len();
        };
        match memchr::memchr2(b'"', b'\\', rest) {
            None => return bytes.len(),
            Some(found) if rest[found] == b'"' => return start + found,
            // A backslash escapes the byte after it.
            Some(found) => start += found + 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<ReadOutcome, ReadError> {
        read_bundle(text.as_bytes(), &ReadLimits::default())
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let error = read("{\n  \"type\": \"bundle\",\n  \"id\": x\n}").err();
        match error {
            Some(ReadError::JsonSyntax { line, column, .. }) => assert_eq!((line, column), (3, 9)),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_repeated_key_is_refused_with_its_name_and_position() {
        // The variant that exposed it: `fmt` kept the last `objects` and wrote an empty bundle.
        let text = "{\"type\": \"bundle\", \"objects\": [{}],\n  \"objects\": []}";
        let error = read(text).err();
        match &error {
            Some(ReadError::DuplicateKey { line, key, .. }) => {
                assert_eq!((*line, key.as_str()), (2, "objects"));
            }
            other => panic!("unexpected {other:?}"),
        }
        let message = error.map(|error| error.to_string()).unwrap_or_default();
        assert!(
            message.starts_with("line 2, column 11: the key \"objects\" appears twice"),
            "{message}"
        );
    }

    #[test]
    fn other_encodings_are_named_and_a_byte_order_mark_is_skipped_with_a_warning() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("{}".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let error = read_bundle(&utf16, &ReadLimits::default()).err();
        assert_eq!(
            error.map(|error| error.to_string()),
            Some("the file is UTF-16; Attack Flow files are UTF-8".to_owned())
        );
        let marked = b"\xEF\xBB\xBF{\"type\": \"bundle\", \"objects\": []}";
        let outcome = read_bundle(marked, &ReadLimits::default()).ok();
        let codes: Vec<Code> = outcome
            .iter()
            .flat_map(|outcome| &outcome.diagnostics)
            .map(|diagnostic| diagnostic.code)
            .collect();
        assert_eq!(codes, [Code::ReadByteOrderMark]);
    }

    #[test]
    fn a_lone_surrogate_escape_is_named() {
        for text in [
            "{\"id\": \"x\\ud800\"}",
            "{\"id\": \"x\\ud800\\u0041\"}",
            "{\"id\": \"x\\udc00\"}",
        ] {
            let message = read(text).err().map(|error| error.to_string());
            assert!(
                message
                    .as_deref()
                    .is_some_and(|message| message.contains("surrogate")),
                "{text}: {message:?}"
            );
        }
    }

    #[test]
    fn size_limit_is_enforced_before_parsing() {
        let limits = ReadLimits {
            max_bytes: 10,
            ..ReadLimits::default()
        };
        let error = read_bundle(b"{\"type\": \"bundle\"}", &limits).err();
        assert!(matches!(
            error,
            Some(ReadError::TooLarge {
                size_bytes: 18,
                limit_bytes: 10
            })
        ));
    }

    #[test]
    fn depth_limit_names_the_position() {
        let deep = format!("{{\"objects\": {}{}}}", "[".repeat(70), "]".repeat(70));
        match read(&deep).err() {
            Some(ReadError::TooDeep {
                line,
                column,
                limit,
            }) => {
                assert_eq!((line, column, limit), (1, 76, 64));
            }
            other => panic!("unexpected {other:?}"),
        }
        // Brackets inside strings do not count.
        let text = format!("{{\"type\": \"bundle\", \"id\": \"{}\"}}", "[".repeat(500));
        assert!(read(&text).is_ok());
        // Escaped quotes and backslashes do not end a string early; the line is counted.
        let text = format!(
            "{{\"type\": \"bundle\",\n \"id\": \"a\\\\\\\"{}\\\\\",\n  \"objects\": {}{}}}",
            "[".repeat(500),
            "[".repeat(70),
            "]".repeat(70)
        );
        match read(&text).err() {
            Some(ReadError::TooDeep { line, column, .. }) => assert_eq!((line, column), (3, 77)),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn non_bundle_shapes_are_refused_with_a_path() {
        assert!(matches!(read("[]"), Err(ReadError::NotABundle { path, .. }) if path == "$"));
        assert!(
            matches!(read("{\"objects\": {}}"), Err(ReadError::NotABundle { path, .. }) if path == "objects")
        );
        assert!(
            matches!(read("{\"objects\": [{}, 3]}"), Err(ReadError::NotABundle { path, .. }) if path == "objects[1]")
        );
    }

    #[test]
    fn builder_quirks_are_tolerated_with_warnings() {
        let text = r#"{"type": "bundle", "id": "bundle--e8d6416b-feb8-4e3b-833c-cb6b79dfd922",
            "spec_version": "2.1", "created": "2022-01-01T00:00:00.000Z",
            "objects": [{"type": "identity", "id": "identity--fe7860f3-e23f-4d3f-9248-91105467a77a",
                         "created": "2022-08-02T19:34:35Z", "modified": "2022-08-02T21:34:35.5+02:00",
                         "name": "x"}]}"#;
        let outcome = read(text).ok();
        let Some(outcome) = outcome else {
            panic!("read failed");
        };
        let codes: Vec<Code> = outcome.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            [
                Code::ReadBundlePropertyDropped,
                Code::ReadSpecVersionAdded,
                Code::ReadTimestampNormalised
            ]
        );
        let object = outcome.document.objects[0].to_json();
        assert_eq!(object["spec_version"], "2.1");
        assert_eq!(object["created"], "2022-08-02T19:34:35.000Z");
        assert_eq!(object["modified"], "2022-08-02T19:34:35.500Z");
    }

    #[test]
    fn observables_keep_their_missing_spec_version() {
        let text = r#"{"type": "bundle", "id": "bundle--e8d6416b-feb8-4e3b-833c-cb6b79dfd922",
            "objects": [{"type": "ipv4-addr", "id": "ipv4-addr--fe7860f3-e23f-4d3f-9248-91105467a77a", "value": "10.0.0.1"}]}"#;
        let outcome = read(text).ok();
        assert_eq!(outcome.map(|o| o.diagnostics.len()), Some(0));
    }
}
