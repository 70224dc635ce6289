//! Rules checked on each object alone: the STIX 2.1 common rules and the Attack Flow 2.0
//! schema, written as Rust checks over the object's JSON form (so they see exactly what the
//! official schemas would see).
//!
//! * this file: the object's type and id, its common properties and timestamps, the rules
//!   every property obeys, and each type's required properties;
//! * [`values`]: each property's value against the kind its type defines (numbers, lists,
//!   hashes, addresses, …);
//! * [`references`]: external references, granular markings and extensions;
//! * [`attack_flow`]: the Attack Flow 2.0 schema of the five Attack Flow types.

mod attack_flow;
mod references;
mod tags;
mod values;

use serde_json::{Map, Value};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Timestamp;
use crate::model::attack_flow::ATTACK_FLOW_TYPES;
use crate::model::id::{identifier_type, is_identifier, is_property_name, is_type_name};
use crate::stix::vocabulary::{
    RESERVED_PROPERTY_NAMES, Requirement, is_cyber_observable_type, requirements,
};

use attack_flow::check_attack_flow_object;
use references::{check_extensions, check_external_references, check_granular_markings};
use values::{check_property_kinds, is_base64, is_hex};

pub(super) struct Checker<'a> {
    object: &'a Map<String, Value>,
    id: String,
    out: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    pub(super) fn report(&mut self, code: Code, message: String) {
        self.out
            .push(Diagnostic::object(code, self.id.clone(), message));
    }
}

/// Checks one object (given as JSON) against the STIX common rules and, for the five Attack
/// Flow types, the Attack Flow 2.0 schema.
pub(crate) fn check_object(object: &Map<String, Value>, out: &mut Vec<Diagnostic>) {
    let id = object
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut checker = Checker { object, id, out };
    let type_name = check_type_and_id(&mut checker);
    check_common_properties(&mut checker, type_name);
    check_every_property(&mut checker);
    if let Some(type_name) = type_name {
        check_type_requirements(&mut checker, type_name);
        if ATTACK_FLOW_TYPES.contains(&type_name) {
            check_attack_flow_object(&mut checker, type_name);
        }
    }
}

fn check_type_and_id<'a>(checker: &mut Checker<'a>) -> Option<&'a str> {
    let type_name = match checker.object.get("type") {
        None => {
            checker.report(Code::StixTypeSyntax, "the object has no type".to_owned());
            None
        }
        Some(Value::String(kind)) if is_type_name(kind) && kind != "action" => Some(kind.as_str()),
        Some(other) => {
            checker.report(
                Code::StixTypeSyntax,
                format!("{other} is not a valid STIX type name"),
            );
            None
        }
    };
    match checker.object.get("id") {
        None => checker.report(
            Code::StixRequiredProperty,
            "the object has no id".to_owned(),
        ),
        Some(Value::String(id)) => {
            if !is_identifier(id) {
                checker.report(
                    Code::StixIdSyntax,
                    format!("the id {id:?} is not a type name followed by -- and a UUID"),
                );
            } else if let Some(kind) = type_name
                && identifier_type(id) != Some(kind)
            {
                checker.report(
                    Code::StixIdSyntax,
                    format!("the id {id:?} does not start with the object's type {kind}--"),
                );
            }
        }
        Some(other) => checker.report(
            Code::StixPropertyType,
            format!("id must be a string, found {}", json_kind(other)),
        ),
    }
    type_name
}

fn check_common_properties(checker: &mut Checker<'_>, type_name: Option<&str>) {
    let object = checker.object;
    let observable = type_name.is_some_and(is_cyber_observable_type);
    let known_sdo_like = type_name.is_some_and(|kind| {
        !observable
            && (ATTACK_FLOW_TYPES.contains(&kind)
                || crate::stix::vocabulary::DOMAIN_OBJECT_TYPES.contains(&kind)
                || matches!(
                    kind,
                    "relationship" | "sighting" | "extension-definition" | "language-content"
                ))
    });
    let mut required: Vec<&str> = Vec::new();
    if known_sdo_like {
        required.extend(["spec_version", "created", "modified"]);
    } else if type_name == Some("marking-definition") {
        required.extend(["spec_version", "created"]);
    }
    for property in required {
        if !object.contains_key(property) {
            checker.report(
                Code::StixRequiredProperty,
                format!("the required property {property} is missing"),
            );
        }
    }

    if let Some(value) = object.get("spec_version") {
        match value {
            Value::String(version) if version == "2.1" => {}
            Value::String(version) => checker.report(
                Code::StixSpecVersion,
                format!("spec_version is {version:?}; it must be \"2.1\""),
            ),
            other => checker.report(
                Code::StixPropertyType,
                format!("spec_version must be a string, found {}", json_kind(other)),
            ),
        }
    }

    let created = check_timestamp(checker, "created", true);
    let modified = check_timestamp(checker, "modified", true);
    if let (Some(created), Some(modified)) = (created, modified)
        && modified < created
    {
        checker.report(
            Code::StixModifiedBeforeCreated,
            format!("modified ({modified}) is earlier than created ({created})"),
        );
    }
    check_time_spans(checker, type_name);
    if let Some(kind) = type_name {
        check_property_kinds(checker, kind);
    }

    check_plain_common_properties(checker, observable);
    if let Some(value) = object.get("external_references") {
        check_external_references(checker, value);
    }
    if let Some(value) = object.get("granular_markings") {
        check_granular_markings(checker, value);
    }
    if let Some(value) = object.get("extensions") {
        check_extensions(checker, value, observable);
    }
}

/// The common properties of a plain type: the flags, `lang`, `labels` and `confidence`.
fn check_plain_common_properties(checker: &mut Checker<'_>, observable: bool) {
    let object = checker.object;
    // `defanged` is a common property of observables only; elsewhere it is a custom one.
    let flags: &[&str] = if observable {
        &["revoked", "defanged"]
    } else {
        &["revoked"]
    };
    for &flag in flags {
        if let Some(value) = object.get(flag)
            && !value.is_boolean()
        {
            wrong_type(checker, Code::StixPropertyType, flag, "a boolean", value);
        }
    }
    match object.get("lang") {
        Some(Value::String(tag)) if !tags::is_language_tag(tag) => checker.report(
            Code::StixPropertyType,
            format!("lang {tag:?} is not a language tag (RFC 5646, such as en or pt-BR)"),
        ),
        Some(value) if !value.is_string() => {
            wrong_type(checker, Code::StixPropertyType, "lang", "a string", value);
        }
        _ => {}
    }
    if let Some(value) = object.get("labels")
        && !is_array_of(value, Value::is_string)
    {
        wrong_type(
            checker,
            Code::StixPropertyType,
            "labels",
            "a list of strings",
            value,
        );
    }
    if let Some(value) = object.get("confidence") {
        let ok = value.as_u64().is_some_and(|number| number <= 100) && !value.is_f64();
        if !ok {
            wrong_type(
                checker,
                Code::StixPropertyType,
                "confidence",
                "an integer from 0 to 100",
                value,
            );
        }
    }
}

/// Checks a timestamp property if present; returns its value when valid.
pub(super) fn check_timestamp(
    checker: &mut Checker<'_>,
    property: &str,
    millisecond_precision: bool,
) -> Option<Timestamp> {
    let value = checker.object.get(property)?;
    let Some(text) = value.as_str() else {
        wrong_type(
            checker,
            Code::StixTimestamp,
            property,
            "a timestamp string",
            value,
        );
        return None;
    };
    match Timestamp::parse(text) {
        None => {
            checker.report(
                Code::StixTimestamp,
                format!("{property} {text:?} is not an RFC 3339 timestamp"),
            );
            None
        }
        Some(parsed) => {
            let utc = text.ends_with('Z') && text.as_bytes().get(10) == Some(&b'T');
            let precise = !millisecond_precision || parsed.was_canonical;
            if !utc || !precise {
                checker.report(
                    Code::StixTimestamp,
                    format!(
                        "{property} {text:?} must be in UTC (ending in Z){}",
                        if millisecond_precision {
                            " with millisecond precision"
                        } else {
                            ""
                        }
                    ),
                );
            }
            Some(parsed.timestamp)
        }
    }
}

/// Checks each property the type defines against its kind.
fn check_every_property(checker: &mut Checker<'_>) {
    let object = checker.object;
    for (name, value) in object {
        if is_property_name(name) && RESERVED_PROPERTY_NAMES.contains(&name.as_str()) {
            checker.report(
                Code::StixPropertyName,
                format!("the property name {name:?} is reserved by STIX 2.1"),
            );
        }
        check_property_basics(checker, None, name, value);
        if name.ends_with("_ref") {
            match value {
                Value::String(target) if is_identifier(target) => {}
                Value::String(target) => checker.report(
                    Code::StixReferenceSyntax,
                    format!("{name} {target:?} is not a STIX identifier"),
                ),
                Value::Null => {}
                other => wrong_type(
                    checker,
                    Code::StixPropertyType,
                    name,
                    "an identifier string",
                    other,
                ),
            }
        } else if name.ends_with("_refs") {
            match value {
                Value::Array(items) => {
                    for item in items {
                        match item {
                            Value::String(target) if is_identifier(target) => {}
                            Value::String(target) => checker.report(
                                Code::StixReferenceSyntax,
                                format!("{name} entry {target:?} is not a STIX identifier"),
                            ),
                            other => wrong_type(
                                checker,
                                Code::StixPropertyType,
                                name,
                                "a list of identifiers",
                                other,
                            ),
                        }
                    }
                }
                Value::Null => {}
                other => wrong_type(
                    checker,
                    Code::StixPropertyType,
                    name,
                    "a list of identifiers",
                    other,
                ),
            }
        }
    }
}

/// The rules STIX sets for any property, at the top of an object or inside the extension
/// named `extension`: its name, no null, no empty list, and the hex and binary encodings its
/// name promises.
pub(super) fn check_property_basics(
    checker: &mut Checker<'_>,
    extension: Option<&str>,
    name: &str,
    value: &Value,
) {
    // Where, as the start of a message: written only when there is something to say.
    let place = || extension.map_or_else(String::new, |key| format!("in the extension {key}, "));
    if !is_property_name(name) {
        checker.report(
            Code::StixPropertyName,
            format!(
                "{}the property name {name:?} must be 3 to 250 lower-case letters, digits or underscores",
                place()
            ),
        );
    }
    match value {
        Value::Null => checker.report(
            Code::StixPropertyType,
            format!(
                "{}{name} is null; STIX has no null values (leave the property out)",
                place()
            ),
        ),
        Value::Array(items) if items.is_empty() => checker.report(
            Code::StixEmptyList,
            format!(
                "{}{name} is an empty list; STIX lists must not be empty (it is dropped on save)",
                place()
            ),
        ),
        _ => {}
    }
    if name.ends_with("_hex") && !value.as_str().is_some_and(is_hex) {
        checker.report(
            Code::StixPropertyType,
            format!(
                "{}{name} must be an even number of hexadecimal digits",
                place()
            ),
        );
    } else if name.ends_with("_bin") && !value.as_str().is_some_and(is_base64) {
        checker.report(
            Code::StixPropertyType,
            format!("{}{name} must be base64 text", place()),
        );
    }
}

fn check_type_requirements(checker: &mut Checker<'_>, type_name: &str) {
    let object = checker.object;
    for requirement in requirements(type_name) {
        let problem = match *requirement {
            Requirement::Property(property) if !object.contains_key(property) => Some((
                Code::StixRequiredProperty,
                format!("a {type_name} requires {property}"),
            )),
            Requirement::AnyOf(properties)
                if !properties
                    .iter()
                    .any(|property| object.contains_key(*property)) =>
            {
                Some((
                    Code::StixRequiredProperty,
                    format!(
                        "a {type_name} requires at least one of {}",
                        properties.join(", ")
                    ),
                ))
            }
            Requirement::NotTogether(first, second)
                if object.contains_key(first) && object.contains_key(second) =>
            {
                Some((
                    Code::StixPropertyType,
                    format!("a {type_name} may not have both {first} and {second}"),
                ))
            }
            Requirement::Implies(first, second)
                if object.contains_key(first) && !object.contains_key(second) =>
            {
                Some((
                    Code::StixRequiredProperty,
                    format!("a {type_name} with {first} requires {second}"),
                ))
            }
            Requirement::ForbiddenWhen {
                flag,
                value,
                property,
            } if object.get(flag) == Some(&Value::Bool(value)) && object.contains_key(property) => {
                Some((
                    Code::StixPropertyType,
                    format!("a {type_name} with {flag} {value} may not have {property}"),
                ))
            }
            _ => None,
        };
        if let Some((code, message)) = problem {
            checker.report(code, message);
        }
    }
    if type_name == "malware"
        && object.get("is_family") == Some(&Value::Bool(true))
        && !object.contains_key("name")
    {
        checker.report(
            Code::StixRequiredProperty,
            "a malware family (is_family true) requires name".to_owned(),
        );
    }
}

/// The Attack Flow 2.0 schema for the five Attack Flow types.
pub(super) fn wrong_type(
    checker: &mut Checker<'_>,
    code: Code,
    property: &str,
    expected: &str,
    value: &Value,
) {
    checker.report(
        code,
        format!("{property} must be {expected}, found {}", json_kind(value)),
    );
}

pub(super) fn is_array_of(value: &Value, predicate: fn(&Value) -> bool) -> bool {
    value
        .as_array()
        .is_some_and(|items| items.iter().all(predicate))
}

/// A short description of a JSON value's kind, for messages.
pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// STIX 2.1's time spans: (type, start, end, whether the end must be strictly later).
const TIME_SPANS: [(&str, &str, &str, bool); 9] = [
    ("relationship", "start_time", "stop_time", true),
    ("indicator", "valid_from", "valid_until", true),
    ("sighting", "first_seen", "last_seen", false),
    ("campaign", "first_seen", "last_seen", false),
    ("intrusion-set", "first_seen", "last_seen", false),
    ("threat-actor", "first_seen", "last_seen", false),
    ("infrastructure", "first_seen", "last_seen", false),
    ("malware", "first_seen", "last_seen", false),
    ("observed-data", "first_observed", "last_observed", false),
];

/// A time span that ends before it starts (the timestamps themselves are checked elsewhere;
/// one that does not parse is not compared).
fn check_time_spans(checker: &mut Checker<'_>, type_name: Option<&str>) {
    let object = checker.object;
    let at = |property: &str| {
        object
            .get(property)
            .and_then(Value::as_str)
            .and_then(Timestamp::parse)
            .map(|parsed| parsed.timestamp)
    };
    for (kind, start, end, strictly) in TIME_SPANS {
        if type_name != Some(kind) {
            continue;
        }
        if let (Some(from), Some(to)) = (at(start), at(end))
            && (to < from || (strictly && to == from))
        {
            let order = if strictly {
                "later than"
            } else {
                "at or after"
            };
            checker.report(
                Code::StixTimeOrder,
                format!("{end} ({to}) must be {order} {start} ({from})"),
            );
        }
    }
}
