//! The Attack Flow 2.0 schema for the five Attack Flow types: required properties, the
//! extension reference, each own property's type and vocabulary, and the types each
//! reference property may point at ([`FlowLink::target_types`]).

use serde_json::Value;

use super::{Checker, is_array_of, wrong_type};
use crate::diagnostic::Code;
use crate::flow::FlowLink;
use crate::model::attack_flow::{own_properties, required_properties};
use crate::model::id::{identifier_type, is_identifier};
use crate::model::{ATTACK_FLOW_EXTENSION_ID, Operator, Scope};

pub(super) fn check_attack_flow_object(checker: &mut Checker<'_>, type_name: &str) {
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
        "technique_ref" => Some(&["attack-pattern"]),
        _ => FlowLink::from_property(property).and_then(FlowLink::target_types),
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
