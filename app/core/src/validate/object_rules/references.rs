//! External references (with CVE and CAPEC ids), granular markings and extensions.

use serde_json::{Map, Value};

use super::{Checker, wrong_type};
use crate::diagnostic::Code;
use crate::model::id::{is_hyphenated_word, is_identifier};
use crate::stix::vocabulary::EXTENSION_TYPES;

pub(super) fn check_external_references(checker: &mut Checker<'_>, value: &Value) {
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
    if let Some(hashes) = reference.get("hashes") {
        let Some(map) = hashes.as_object().filter(|map| !map.is_empty()) else {
            return Some("has hashes that are not a non-empty map".to_owned());
        };
        if let Some(problem) = map
            .iter()
            .find_map(|(name, digest)| super::tags::hash_problem(name, digest, true))
        {
            return Some(format!("has hashes where {problem}"));
        }
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

pub(super) fn check_granular_markings(checker: &mut Checker<'_>, value: &Value) {
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
                    !selectors.is_empty()
                        && selectors
                            .iter()
                            .all(|selector| selector.as_str().is_some_and(super::tags::is_selector))
                });
            let lang_ok = marking
                .get("lang")
                .is_none_or(|lang| lang.as_str().is_some_and(super::tags::is_language_tag));
            let reference_ok = marking
                .get("marking_ref")
                .and_then(Value::as_str)
                .is_some_and(|target| {
                    is_identifier(target) && target.starts_with("marking-definition--")
                });
            selectors_ok && reference_ok && lang_ok
        });
        if !valid {
            checker.report(
                Code::StixPropertyType,
                format!(
                    "granular_markings[{number}] needs selectors (a list of selectors such as description or external_references.[0].url), a marking_ref to a marking-definition, and a lang that is a language tag if any"
                ),
            );
        }
    }
}

pub(super) fn check_extensions(checker: &mut Checker<'_>, value: &Value, observable: bool) {
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
        for (property, value) in properties {
            super::check_property_basics(checker, Some(name), property, value);
        }
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
}
