//! Each property's value against the kind its type defines: text, lists, numbers in range,
//! timestamps, kill-chain phases, hashes, dictionaries, vocabularies, registry values, IP and
//! MAC addresses, tokens, and the hex and base64 encodings.

use serde_json::Value;

use super::{Checker, check_timestamp, is_array_of, wrong_type};
use crate::diagnostic::Code;
use crate::model::Timestamp;
use crate::stix::vocabulary::{PropertyKind, REGISTRY_DATA_TYPES, property_kinds};

pub(super) fn check_property_kinds(checker: &mut Checker<'_>, type_name: &str) {
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
        PropertyKind::Hashes => value.as_object().is_some_and(|map| {
            !map.is_empty()
                && map
                    .iter()
                    .all(|(name, digest)| super::tags::hash_problem(name, digest, false).is_none())
        }),
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
        PropertyKind::Hashes => {
            "a non-empty map of hash names (MD5, SHA-1, SHA-256, … or custom names) to digests of their form"
        }
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

pub(super) fn is_hex(text: &str) -> bool {
    !text.is_empty()
        && text.len().is_multiple_of(2)
        && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

pub(super) fn is_base64(text: &str) -> bool {
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
    fn encodings() {
        assert!(is_hex("00ff"));
        assert!(!is_hex("0ff"));
        assert!(is_base64("aGVsbG8="));
        assert!(!is_base64("aGVsbG8"));
    }
}
