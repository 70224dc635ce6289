//! Rules checked on each object alone: the STIX 2.1 common rules and the Attack Flow 2.0
//! schema, written as Rust checks over the object's JSON form (so they see exactly what the
//! official schemas would see).

use serde_json::{Map, Value};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::attack_flow::{ATTACK_FLOW_TYPES, own_properties, required_properties};
use crate::model::id::{
    identifier_type, is_hyphenated_word, is_identifier, is_property_name, is_type_name,
};
use crate::model::{ATTACK_FLOW_EXTENSION_ID, Operator, Scope, Timestamp};
use crate::stix::vocabulary::{
    EXTENSION_TYPES, PropertyKind, REGISTRY_DATA_TYPES, RESERVED_PROPERTY_NAMES, Requirement,
    is_cyber_observable_type, property_kinds, requirements,
};

/// Collects diagnostics for one object.
struct Checker<'a> {
    object: &'a Map<String, Value>,
    id: String,
    out: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    fn report(&mut self, code: Code, message: String) {
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
    if let Some(kind) = type_name {
        check_property_kinds(checker, kind);
    }

    if let Some(value) = object.get("revoked")
        && !value.is_boolean()
    {
        wrong_type(
            checker,
            Code::StixPropertyType,
            "revoked",
            "a boolean",
            value,
        );
    }
    if let Some(value) = object.get("lang")
        && !value.is_string()
    {
        wrong_type(checker, Code::StixPropertyType, "lang", "a string", value);
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

/// Checks a timestamp property if present; returns its value when valid.
fn check_timestamp(
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
fn check_property_kinds(checker: &mut Checker<'_>, type_name: &str) {
    const ACTION_KINDS: &[(&str, PropertyKind)] = &[
        ("execution_start", PropertyKind::Timestamp),
        ("execution_end", PropertyKind::Timestamp),
    ];
    let kinds = if type_name == "attack-action" {
        ACTION_KINDS
    } else {
        property_kinds(type_name)
    };
    for (property, kind) in kinds {
        let Some(value) = checker.object.get(*property) else {
            continue;
        };
        if *kind == PropertyKind::Timestamp {
            check_timestamp(checker, property, false);
            continue;
        }
        if let Some(expected) = kind_mismatch(*kind, value) {
            wrong_type(checker, Code::StixPropertyType, property, expected, value);
        }
    }
}

/// What was expected, when `value` is not of `kind`.
fn kind_mismatch(kind: PropertyKind, value: &Value) -> Option<&'static str> {
    let fits = match kind {
        PropertyKind::Text => value.is_string(),
        PropertyKind::TextList => is_array_of(value, Value::is_string),
        PropertyKind::Boolean => value.is_boolean(),
        PropertyKind::Integer { minimum, maximum } => {
            value.as_i64().is_some_and(|number| {
                !value.is_f64()
                    && minimum.is_none_or(|low| number >= low)
                    && maximum.is_none_or(|high| number <= high)
            }) || (minimum.is_none_or(|low| low <= 0) && maximum.is_none() && value.is_u64())
        }
        PropertyKind::Number { minimum, maximum } => value
            .as_f64()
            .is_some_and(|number| number >= minimum && number <= maximum),
        PropertyKind::Timestamp => value
            .as_str()
            .is_some_and(|text| Timestamp::parse(text).is_some()),
        PropertyKind::KillChainPhases => is_array_of(value, |phase| {
            ["kill_chain_name", "phase_name"]
                .iter()
                .all(|key| phase.get(*key).is_some_and(Value::is_string))
        }),
        PropertyKind::Hashes => value
            .as_object()
            .is_some_and(|map| !map.is_empty() && map.values().all(Value::is_string)),
        PropertyKind::Dictionary => value.as_object().is_some_and(|map| !map.is_empty()),
        PropertyKind::OneOf(allowed) => value.as_str().is_some_and(|text| allowed.contains(&text)),
        PropertyKind::ListOf(allowed) => value.as_array().is_some_and(|items| {
            items
                .iter()
                .all(|item| item.as_str().is_some_and(|text| allowed.contains(&text)))
        }),
        PropertyKind::ObjectList => is_array_of(value, Value::is_object),
        PropertyKind::RegistryValues => is_array_of(value, is_registry_value),
        PropertyKind::Ipv4 => value.as_str().is_some_and(is_ipv4_value),
        PropertyKind::Ipv6 => value.as_str().is_some_and(is_ipv6_value),
        PropertyKind::MacAddress => value.as_str().is_some_and(is_mac_address),
        PropertyKind::Token => value.as_str().is_some_and(|text| {
            !text.is_empty()
                && text
                    .bytes()
                    .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        }),
    };
    if fits {
        return None;
    }
    Some(match kind {
        PropertyKind::Text => "a string",
        PropertyKind::TextList => "a list of strings",
        PropertyKind::Boolean => "a boolean",
        PropertyKind::Integer { .. } => "an integer in range",
        PropertyKind::Number { .. } => "a number in range",
        PropertyKind::Timestamp => "a timestamp",
        PropertyKind::KillChainPhases => {
            "a list of kill-chain phases (kill_chain_name, phase_name)"
        }
        PropertyKind::Hashes => "a non-empty map of hash names to strings",
        PropertyKind::Dictionary => "a non-empty object",
        PropertyKind::OneOf(_) => "one of the allowed values",
        PropertyKind::ListOf(_) => "a list of the allowed values",
        PropertyKind::ObjectList => "a list of objects",
        PropertyKind::RegistryValues => "a list of registry values (name, data, data_type)",
        PropertyKind::Ipv4 => "an IPv4 address or CIDR block",
        PropertyKind::Ipv6 => "an IPv6 address or CIDR block",
        PropertyKind::MacAddress => "a MAC address like 00:1a:2b:3c:4d:5e",
        PropertyKind::Token => "lower-case letters, digits and hyphens",
    })
}

fn is_registry_value(value: &Value) -> bool {
    let Some(entry) = value.as_object() else {
        return false;
    };
    let has_any = ["name", "data", "data_type"]
        .iter()
        .any(|key| entry.contains_key(*key));
    let strings_ok = ["name", "data"]
        .iter()
        .all(|key| entry.get(*key).is_none_or(Value::is_string));
    let type_ok = entry.get("data_type").is_none_or(|kind| {
        kind.as_str()
            .is_some_and(|text| REGISTRY_DATA_TYPES.contains(&text))
    });
    has_any && strings_ok && type_ok
}

fn split_cidr(text: &str, max_prefix: u8) -> Option<&str> {
    match text.split_once('/') {
        None => Some(text),
        Some((address, prefix)) => prefix
            .parse::<u8>()
            .ok()
            .filter(|bits| *bits <= max_prefix && !prefix.starts_with('+'))
            .map(|_| address),
    }
}

fn is_ipv4_value(text: &str) -> bool {
    split_cidr(text, 32).is_some_and(|address| address.parse::<std::net::Ipv4Addr>().is_ok())
}

fn is_ipv6_value(text: &str) -> bool {
    split_cidr(text, 128).is_some_and(|address| address.parse::<std::net::Ipv6Addr>().is_ok())
}

fn is_mac_address(text: &str) -> bool {
    let parts: Vec<&str> = text.split(':').collect();
    parts.len() == 6
        && parts.iter().all(|part| {
            part.len() == 2
                && part
                    .bytes()
                    .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
        })
}

fn check_external_references(checker: &mut Checker<'_>, value: &Value) {
    let Some(items) = value.as_array() else {
        wrong_type(
            checker,
            Code::StixPropertyType,
            "external_references",
            "a list",
            value,
        );
        return;
    };
    for (number, item) in items.iter().enumerate() {
        let Some(reference) = item.as_object() else {
            checker.report(
                Code::StixExternalReference,
                format!("external_references[{number}] is not an object"),
            );
            continue;
        };
        let problem = external_reference_problem(reference);
        if let Some(problem) = problem {
            checker.report(
                Code::StixExternalReference,
                format!("external_references[{number}] {problem}"),
            );
        }
    }
}

fn external_reference_problem(reference: &Map<String, Value>) -> Option<String> {
    for key in ["source_name", "description", "url", "external_id"] {
        if let Some(value) = reference.get(key)
            && !value.is_string()
        {
            return Some(format!("has a {key} that is not a string"));
        }
    }
    if let Some(hashes) = reference.get("hashes")
        && !hashes
            .as_object()
            .is_some_and(|map| !map.is_empty() && map.values().all(Value::is_string))
    {
        return Some("has hashes that are not a non-empty map of strings".to_owned());
    }
    let Some(source) = reference.get("source_name").and_then(Value::as_str) else {
        return Some("has no source_name".to_owned());
    };
    let external_id = reference.get("external_id").and_then(Value::as_str);
    match source {
        "cve" => match external_id {
            Some(id) if is_cve_id(id) => None,
            _ => Some("with source_name cve needs an external_id like CVE-2021-44228".to_owned()),
        },
        "capec" => match external_id {
            Some(id) if is_capec_id(id) => None,
            _ => Some("with source_name capec needs an external_id like CAPEC-112".to_owned()),
        },
        _ => {
            if external_id.is_some_and(|id| is_cve_id(id) || is_capec_id(id)) {
                Some(
                    "carries a CVE or CAPEC id, so its source_name must be cve or capec".to_owned(),
                )
            } else if ["external_id", "description", "url"]
                .iter()
                .any(|key| reference.contains_key(*key))
            {
                None
            } else {
                Some("needs at least one of external_id, description and url".to_owned())
            }
        }
    }
}

fn is_cve_id(id: &str) -> bool {
    let Some(rest) = id.strip_prefix("CVE-") else {
        return false;
    };
    let Some((year, number)) = rest.split_once('-') else {
        return false;
    };
    year.len() == 4
        && year.bytes().all(|byte| byte.is_ascii_digit())
        && number.len() >= 4
        && number.bytes().all(|byte| byte.is_ascii_digit())
        && !(number.len() > 4 && number.starts_with('0'))
}

fn is_capec_id(id: &str) -> bool {
    id.strip_prefix("CAPEC-").is_some_and(|number| {
        !number.is_empty() && number.bytes().all(|byte| byte.is_ascii_digit())
    })
}

fn check_granular_markings(checker: &mut Checker<'_>, value: &Value) {
    let Some(items) = value.as_array() else {
        wrong_type(
            checker,
            Code::StixPropertyType,
            "granular_markings",
            "a list",
            value,
        );
        return;
    };
    for (number, item) in items.iter().enumerate() {
        let valid = item.as_object().is_some_and(|marking| {
            let selectors_ok = marking
                .get("selectors")
                .and_then(Value::as_array)
                .is_some_and(|selectors| {
                    !selectors.is_empty() && selectors.iter().all(Value::is_string)
                });
            let reference_ok = marking
                .get("marking_ref")
                .and_then(Value::as_str)
                .is_some_and(|target| {
                    is_identifier(target) && target.starts_with("marking-definition--")
                });
            selectors_ok && reference_ok
        });
        if !valid {
            checker.report(
                Code::StixPropertyType,
                format!(
                    "granular_markings[{number}] needs selectors (a list of strings) and a marking_ref to a marking-definition"
                ),
            );
        }
    }
}

fn check_extensions(checker: &mut Checker<'_>, value: &Value, observable: bool) {
    let Some(extensions) = value.as_object() else {
        wrong_type(
            checker,
            Code::StixExtension,
            "extensions",
            "an object",
            value,
        );
        return;
    };
    if extensions.is_empty() {
        checker.report(
            Code::StixExtension,
            "extensions is an empty object".to_owned(),
        );
    }
    for (name, extension) in extensions {
        let is_definition = name.starts_with("extension-definition--") && is_identifier(name);
        let is_predefined = observable && name.strip_suffix("-ext").is_some_and(is_hyphenated_word);
        if !is_definition && !is_predefined {
            checker.report(
                Code::StixExtension,
                format!("the extension key {name:?} is not an extension-definition id"),
            );
            continue;
        }
        let Some(properties) = extension.as_object() else {
            checker.report(
                Code::StixExtension,
                format!("the extension {name} is not an object"),
            );
            continue;
        };
        if is_definition {
            match properties.get("extension_type").and_then(Value::as_str) {
                Some(kind) if EXTENSION_TYPES.contains(&kind) => {}
                _ => checker.report(
                    Code::StixExtension,
                    format!(
                        "the extension {name} needs an extension_type, one of {}",
                        EXTENSION_TYPES.join(", ")
                    ),
                ),
            }
        } else if properties.is_empty() {
            checker.report(
                Code::StixExtension,
                format!("the extension {name} is empty"),
            );
        }
    }
}

/// Rules every top-level property obeys: its name, no null, no empty list, reference syntax,
/// and the binary and hex encodings.
fn check_every_property(checker: &mut Checker<'_>) {
    let object = checker.object;
    for (name, value) in object {
        if !is_property_name(name) {
            checker.report(
                Code::StixPropertyName,
                format!("the property name {name:?} must be 3 to 250 lower-case letters, digits or underscores"),
            );
        } else if RESERVED_PROPERTY_NAMES.contains(&name.as_str()) {
            checker.report(
                Code::StixPropertyName,
                format!("the property name {name:?} is reserved by STIX 2.1"),
            );
        }
        match value {
            Value::Null => checker.report(
                Code::StixPropertyType,
                format!("{name} is null; STIX has no null values (leave the property out)"),
            ),
            Value::Array(items) if items.is_empty() => checker.report(
                Code::StixEmptyList,
                format!(
                    "{name} is an empty list; STIX lists must not be empty (it is dropped on save)"
                ),
            ),
            _ => {}
        }
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
        } else if name.ends_with("_hex") && !value.as_str().is_some_and(is_hex) {
            checker.report(
                Code::StixPropertyType,
                format!("{name} must be an even number of hexadecimal digits"),
            );
        } else if name.ends_with("_bin") && !value.as_str().is_some_and(is_base64) {
            checker.report(
                Code::StixPropertyType,
                format!("{name} must be base64 text"),
            );
        }
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
fn check_attack_flow_object(checker: &mut Checker<'_>, type_name: &str) {
    let object = checker.object;
    for property in required_properties(type_name) {
        if !object.contains_key(*property) {
            checker.report(
                Code::AfRequiredProperty,
                format!("an {type_name} requires {property}"),
            );
        }
    }
    let extension_ok = object
        .get("extensions")
        .and_then(|extensions| extensions.get(ATTACK_FLOW_EXTENSION_ID))
        .and_then(|extension| extension.get("extension_type"))
        .and_then(Value::as_str)
        == Some("new-sdo");
    if !extension_ok {
        checker.report(
            Code::AfExtensionReference,
            format!(
                "an {type_name} must list the Attack Flow extension {ATTACK_FLOW_EXTENSION_ID} under extensions, with extension_type \"new-sdo\""
            ),
        );
    }
    for property in own_properties(type_name) {
        let Some(value) = object.get(*property) else {
            continue;
        };
        check_attack_flow_property(checker, type_name, property, value);
    }
    if type_name == "attack-flow"
        && object
            .get("description")
            .and_then(Value::as_str)
            .is_none_or(|text| text.trim().is_empty())
    {
        checker.report(
            Code::AfFlowDescription,
            "the attack-flow should have a description".to_owned(),
        );
    }
}

fn check_attack_flow_property(
    checker: &mut Checker<'_>,
    type_name: &str,
    property: &str,
    value: &Value,
) {
    let allowed_targets: Option<&[&str]> = match property {
        "start_refs" => Some(&["attack-action", "attack-condition"]),
        "effect_refs" | "on_true_refs" | "on_false_refs" => {
            Some(&["attack-action", "attack-operator", "attack-condition"])
        }
        "asset_refs" => Some(&["attack-asset"]),
        "command_ref" => Some(&["process"]),
        "technique_ref" => Some(&["attack-pattern"]),
        _ => None,
    };
    match property {
        "scope" => {
            if value.as_str().and_then(Scope::parse).is_none() {
                let allowed: Vec<&str> = Scope::ALL.iter().map(|scope| scope.as_str()).collect();
                checker.report(
                    Code::AfEnumValue,
                    format!("scope is {value}; it must be one of {}", allowed.join(", ")),
                );
            }
        }
        "operator" => {
            if value.as_str().and_then(Operator::parse).is_none() {
                checker.report(
                    Code::AfEnumValue,
                    format!("operator is {value}; it must be AND or OR"),
                );
            }
        }
        "execution_start" | "execution_end" => {}
        _ if property.ends_with("_refs") => {
            if !is_array_of(value, Value::is_string) {
                wrong_type(
                    checker,
                    Code::AfPropertyType,
                    property,
                    "a list of identifiers",
                    value,
                );
            }
        }
        _ if property.ends_with("_ref") => {
            if !value.is_string() {
                wrong_type(
                    checker,
                    Code::AfPropertyType,
                    property,
                    "an identifier string",
                    value,
                );
            }
        }
        _ => {
            if !value.is_string() {
                wrong_type(checker, Code::AfPropertyType, property, "a string", value);
            }
        }
    }
    if let Some(allowed) = allowed_targets {
        let targets: Vec<&str> = match value {
            Value::String(target) => vec![target.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        for target in targets {
            if let Some(kind) = identifier_type(target).filter(|_| is_identifier(target))
                && !allowed.contains(&kind)
            {
                checker.report(
                    Code::AfReferenceType,
                    format!(
                        "{property} of an {type_name} may point only at {}; {target} is a {kind}",
                        allowed.join(" or ")
                    ),
                );
            }
        }
    }
}

fn wrong_type(
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

fn is_array_of(value: &Value, predicate: fn(&Value) -> bool) -> bool {
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

fn is_hex(text: &str) -> bool {
    !text.is_empty()
        && text.len().is_multiple_of(2)
        && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

fn is_base64(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.is_empty() || !bytes.len().is_multiple_of(4) {
        return false;
    }
    let padding = bytes.iter().rev().take_while(|byte| **byte == b'=').count();
    padding <= 2
        && bytes[..bytes.len() - padding]
            .iter()
            .all(|byte| byte.is_ascii_alphanumeric() || *byte == b'+' || *byte == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cve_and_capec_ids() {
        assert!(is_cve_id("CVE-2021-44228"));
        assert!(is_cve_id("CVE-1999-0001"));
        assert!(!is_cve_id("CVE-2021-0044228"));
        assert!(!is_cve_id("CVE-21-4422"));
        assert!(is_capec_id("CAPEC-112"));
        assert!(!is_capec_id("CAPEC-"));
    }

    #[test]
    fn encodings() {
        assert!(is_hex("00ff"));
        assert!(!is_hex("0ff"));
        assert!(is_base64("aGVsbG8="));
        assert!(!is_base64("aGVsbG8"));
    }
}
