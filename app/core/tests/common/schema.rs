//! The official Attack Flow and OASIS STIX JSON schemas, compiled with the `jsonschema` crate
//! from the local reference copies (no network), one validator per object type.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jsonschema::{Retrieve, Uri, Validator};
use medflow_core::stix::vocabulary::{CYBER_OBSERVABLE_TYPES, DOMAIN_OBJECT_TYPES};
use medflow_core::{Document, write_bundle};
use serde_json::Value;

/// Maps the schemas' remote URLs to the local copies by their last two path segments.
struct LocalSchemas {
    root: PathBuf,
}

impl Retrieve for LocalSchemas {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let path = uri.as_str();
        let mut segments = path.rsplit('/');
        let file = segments.next().ok_or("empty uri")?;
        let folder = segments.next().ok_or("short uri")?;
        let local = if path.contains("/oasis-open/") {
            self.root.join("oasis-open").join(folder).join(file)
        } else {
            self.root.join(file)
        };
        let bytes =
            std::fs::read(&local).map_err(|error| format!("{}: {error}", local.display()))?;
        Ok(serde_json::from_slice(&bytes)?)
    }
}

/// One compiled validator per object type, as `af validate` chooses them.
pub struct OfficialSchemas {
    root: PathBuf,
    validators: HashMap<String, Option<Validator>>,
}

impl OfficialSchemas {
    pub fn new(reference: &Path) -> Self {
        Self {
            root: reference.join("attack-flow/schema"),
            validators: HashMap::new(),
        }
    }

    fn schema_path(&self, type_name: &str) -> Option<PathBuf> {
        let oasis = self.root.join("oasis-open");
        if type_name.starts_with("attack-")
            && medflow_core::model::attack_flow::ATTACK_FLOW_TYPES.contains(&type_name)
        {
            Some(self.root.join("attack-flow-schema-2.0.0.json"))
        } else if DOMAIN_OBJECT_TYPES.contains(&type_name) {
            Some(oasis.join("sdos").join(format!("{type_name}.json")))
        } else if CYBER_OBSERVABLE_TYPES.contains(&type_name) {
            Some(oasis.join("observables").join(format!("{type_name}.json")))
        } else if matches!(type_name, "relationship" | "sighting") {
            Some(oasis.join("sros").join(format!("{type_name}.json")))
        } else if type_name == "extension-definition" {
            Some(oasis.join("common/extension-definition.json"))
        } else {
            None
        }
    }

    /// Compiles a schema whose references point into the official schemas (read locally).
    pub fn compile(
        &self,
        schema: &Value,
    ) -> Result<Validator, jsonschema::ValidationError<'static>> {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .with_retriever(LocalSchemas {
                root: self.root.clone(),
            })
            .build(schema)
    }

    /// The official schema's error messages for one object (empty when it passes or when no
    /// official schema covers its type).
    pub fn errors(&mut self, object: &Value) -> Vec<String> {
        let type_name = object
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if !self.validators.contains_key(&type_name) {
            let validator = self.schema_path(&type_name).map(|path| {
                let schema: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                self.compile(&schema)
                    .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
            });
            self.validators.insert(type_name.clone(), validator);
        }
        match &self.validators[&type_name] {
            Some(validator) => validator
                .iter_errors(object)
                .map(|error| format!("{} at {}", error, error.instance_path()))
                .collect(),
            None => Vec::new(),
        }
    }
}

/// The objects of the document as the writer saves them.
pub fn written_objects(document: &Document) -> Vec<Value> {
    let written: Value = serde_json::from_slice(&write_bundle(document)).unwrap();
    written["objects"].as_array().cloned().unwrap_or_default()
}

/// The product extension's own JSON schema (`assets/schema/`), compiled.
pub fn extension_validator() -> Validator {
    let schema: Value = serde_json::from_str(include_str!(
        "../../../../assets/schema/medflow-extension-1.0.0.json"
    ))
    .expect("the extension schema is JSON");
    jsonschema::validator_for(&schema).expect("the extension schema compiles")
}

/// The schema errors of one extension entry.
pub fn extension_errors(validator: &Validator, entry: &Value) -> Vec<String> {
    validator
        .iter_errors(entry)
        .map(|error| error.to_string())
        .collect()
}

/// Every entry of the product's extension in a written bundle, each with its schema errors.
pub fn extension_entries(saved: &[u8]) -> Vec<(Value, Vec<String>)> {
    let validator = extension_validator();
    let written: Value = serde_json::from_slice(saved).expect("a written bundle is JSON");
    written["objects"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|object| {
            object["extensions"].get(medflow_core::extension::MEDFLOW_EXTENSION_ID)
        })
        .map(|entry| (entry.clone(), extension_errors(&validator, entry)))
        .collect()
}
