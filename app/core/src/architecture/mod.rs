//! Architectures: the RAS reference architecture the product ships, read from STIX.
//!
//! An architecture is a STIX bundle. Its parts carry the product's property extension
//! ([`crate::extension::MEDFLOW_EXTENSION_ID`]) under `architecture`, whose `element` says what they are:
//!
//! - one `grouping` (`element: "architecture"`) naming the architecture (`key`) and listing
//!   its trust boundaries (`boundaries`: each a `key`, a `name`, a `description` and where it
//!   lies: either `between` two zones, given by their keys, which need not be neighbours, or
//!   `within` one zone `around` some of its components, given by their keys);
//! - zones: `infrastructure` objects (`element: "zone"`) with a `key` (`operating-room`) and
//!   the `region` they cover on the canvas (`x`, `y`, `width`, `height`);
//! - components: `infrastructure` objects (`element: "component"`) with a `key` (`console`,
//!   the ids of RAS-REFERENCE.md) and the key of their `zone`; their canvas position is the
//!   extension's usual `layout`;
//! - containment: `consists-of` relationships from each zone to its components;
//! - data flows: `communicates-with` relationships between components, the data they carry
//!   in `description`.
//!
//! A flow **binds** an attack-asset to a component by pointing its `object_ref` at the
//! component's `infrastructure` object, a copy of which travels in the flow file.

mod binding;
mod profile;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::extension::{self, Entry, View};
use crate::model::{Document, StixObject};
use crate::stix::{ReadError, ReadLimits, read_bundle};

pub use binding::{asset_bindings, bind_asset, bound_component, unbind_asset};
pub use profile::{
    Applicability, Assumption, ImplementedControl, Profile, ProfileComponent, added_component,
    applicability, is_profile, new_profile, profile_entry, profile_value, with_assumptions,
    with_profile_value,
};

/// The reference architecture's file, as shipped.
pub const REFERENCE_FILE: &[u8] =
    include_bytes!("../../../../assets/architecture/ras-reference.json");

/// The reference architecture's key.
pub const REFERENCE_KEY: &str = "ras-reference";

/// The reference architecture's components that run machine-learning models: attacks on them
/// are MITRE ATLAS's (the technique picker offers ATLAS first for an action on one).
pub const MACHINE_LEARNING_COMPONENTS: &[&str] = &["ml"];

/// A zone: a region of the system the canvas draws as a labelled backdrop.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// The `infrastructure` object's id.
    pub id: String,
    /// The zone's key: `operating-room`, `hospital-network`, …
    pub key: String,
    /// Its name.
    pub name: String,
    /// The canvas region it covers: `[x, y, width, height]`.
    pub region: [f32; 4],
}

/// A component of the system.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// The `infrastructure` object's id.
    pub id: String,
    /// The component's key: `console`, `robot`, `5g`, …
    pub key: String,
    /// Its name.
    pub name: String,
    /// What it does and carries.
    pub description: String,
    /// The key of the zone it sits in.
    pub zone: String,
    /// Where it sits on the canvas, if placed.
    pub position: Option<[f32; 2]>,
}

/// Where a trust boundary lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoundaryPlace {
    /// Between two zones (`between`), by their keys: what passes from one to the other. The
    /// zones need not be neighbours (vendor support reaches the hospital network from the
    /// device cloud without passing through the carrier).
    Between([String; 2]),
    /// Inside one zone (`within`), around some of its components (`around`): what passes
    /// into or out of them, such as the MDM's services on a cloud service provider's shared
    /// infrastructure.
    Within {
        /// The zone's key.
        zone: String,
        /// The keys of the components inside the boundary.
        around: Vec<String>,
    },
}

/// A trust boundary: between two zones, or inside one zone around some of its components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Boundary {
    /// The boundary's key.
    pub key: String,
    /// Its name, as the architecture view labels it.
    pub name: String,
    /// Where it lies.
    pub place: BoundaryPlace,
    /// What crosses it and why it matters.
    pub description: String,
}

impl Boundary {
    /// The keys of the zones the boundary touches: the two it separates, or the one it lies
    /// in.
    #[must_use]
    pub fn zones(&self) -> Vec<&str> {
        match &self.place {
            BoundaryPlace::Between([first, second]) => vec![first.as_str(), second.as_str()],
            BoundaryPlace::Within { zone, .. } => vec![zone.as_str()],
        }
    }
}

/// A data flow between two components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFlow {
    /// The relationship's id.
    pub id: String,
    /// The key of the component the data leaves.
    pub from: String,
    /// The key of the component it reaches.
    pub to: String,
    /// The data carried.
    pub data: String,
}

/// An architecture read from its bundle.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Architecture {
    /// Its key.
    pub key: String,
    /// Its name.
    pub name: String,
    /// Its zones, in file order.
    pub zones: Vec<Zone>,
    /// Its components, in file order.
    pub components: Vec<Component>,
    /// Its trust boundaries.
    pub boundaries: Vec<Boundary>,
    /// Its data flows.
    pub flows: Vec<DataFlow>,
}

/// Why an architecture file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ArchitectureError {
    /// The bundle itself does not read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The bundle reads but does not describe an architecture.
    #[error("{0}")]
    Invalid(String),
}

/// The product's `architecture` entry in an object's extension, if present.
#[must_use]
pub fn architecture_entry(object: &StixObject) -> Option<&Map<String, Value>> {
    extension::entry_object(object, Entry::Architecture)
}

/// The architecture element an object is (`architecture`, `zone`, `component`), if any.
#[must_use]
pub fn element_of(object: &StixObject) -> Option<&str> {
    architecture_entry(object)?.get("element")?.as_str()
}

/// Whether `object` is an architecture component (an `infrastructure` object).
#[must_use]
pub fn is_component(object: &StixObject) -> bool {
    object.type_name() == "infrastructure" && element_of(object) == Some("component")
}

/// A component's key, if `object` is a component.
#[must_use]
pub fn component_key(object: &StixObject) -> Option<&str> {
    if !is_component(object) {
        return None;
    }
    architecture_entry(object)?.get("key")?.as_str()
}

fn text<'a>(object: &'a StixObject, key: &str) -> &'a str {
    match object {
        StixObject::Other(other) => other.string(key).unwrap_or_default(),
        _ => "",
    }
}

fn entry_text<'a>(entry: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    entry.get(key)?.as_str()
}

#[allow(clippy::cast_possible_truncation, reason = "canvas coordinates")]
fn number(value: Option<&Value>) -> Option<f32> {
    value?.as_f64().map(|number| number as f32)
}

impl Architecture {
    /// Reads the architecture a document describes.
    pub fn from_document(document: &Document) -> Result<Self, ArchitectureError> {
        let mut architecture = Self::default();
        let mut found_root = false;
        let mut keys: BTreeMap<String, String> = BTreeMap::new();
        for object in &document.objects {
            let Some(entry) = architecture_entry(object) else {
                continue;
            };
            let key = entry_text(entry, "key").unwrap_or_default().to_owned();
            match entry_text(entry, "element") {
                Some("architecture") => {
                    if found_root {
                        return Err(ArchitectureError::Invalid(format!(
                            "{}: a second architecture object; one file holds one architecture",
                            object.id()
                        )));
                    }
                    found_root = true;
                    architecture.key.clone_from(&key);
                    text(object, "name").clone_into(&mut architecture.name);
                    architecture.boundaries = boundaries(object.id(), entry)?;
                }
                Some("zone") => {
                    let region = entry.get("region").and_then(Value::as_object);
                    let field = |name: &str| number(region.and_then(|region| region.get(name)));
                    let (Some(x), Some(y), Some(width), Some(height)) =
                        (field("x"), field("y"), field("width"), field("height"))
                    else {
                        return Err(ArchitectureError::Invalid(format!(
                            "{}: zone {key:?} has no complete region (x, y, width, height)",
                            object.id()
                        )));
                    };
                    architecture.zones.push(Zone {
                        id: object.id().to_owned(),
                        key: key.clone(),
                        name: text(object, "name").to_owned(),
                        region: [x, y, width, height],
                    });
                }
                Some("component") => {
                    architecture.components.push(Component {
                        id: object.id().to_owned(),
                        key: key.clone(),
                        name: text(object, "name").to_owned(),
                        description: text(object, "description").to_owned(),
                        zone: entry_text(entry, "zone").unwrap_or_default().to_owned(),
                        position: extension::position(object, View::Flow),
                    });
                }
                Some(other) => {
                    return Err(ArchitectureError::Invalid(format!(
                        "{}: unknown architecture element {other:?}",
                        object.id()
                    )));
                }
                None => {
                    return Err(ArchitectureError::Invalid(format!(
                        "{}: architecture entry without an element",
                        object.id()
                    )));
                }
            }
            if key.is_empty() {
                return Err(ArchitectureError::Invalid(format!(
                    "{}: architecture element without a key",
                    object.id()
                )));
            }
            if let Some(previous) = keys.insert(key.clone(), object.id().to_owned()) {
                return Err(ArchitectureError::Invalid(format!(
                    "{}: key {key:?} is already used by {previous}",
                    object.id()
                )));
            }
        }
        if !found_root {
            return Err(ArchitectureError::Invalid(
                "no architecture object (a grouping with the architecture element)".to_owned(),
            ));
        }
        for component in &architecture.components {
            if !architecture
                .zones
                .iter()
                .any(|zone| zone.key == component.zone)
            {
                return Err(ArchitectureError::Invalid(format!(
                    "{}: component {:?} is in zone {:?}, which the architecture does not define",
                    component.id, component.key, component.zone
                )));
            }
        }
        check_boundaries(&architecture)?;
        architecture.flows = data_flows(document, &architecture);
        Ok(architecture)
    }

    /// Reads an architecture file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ArchitectureError> {
        let outcome = read_bundle(bytes, &ReadLimits::default())?;
        Self::from_document(&outcome.document)
    }

    /// The RAS reference architecture shipped with the product.
    ///
    /// # Panics
    ///
    /// Never in a released build: a test reads the shipped file.
    #[must_use]
    pub fn reference() -> Self {
        #[allow(clippy::expect_used, reason = "the shipped file is checked by a test")]
        Self::from_bytes(REFERENCE_FILE).expect("the shipped reference architecture reads")
    }

    /// The reference architecture, read once and kept for the program's life.
    #[must_use]
    pub fn reference_static() -> &'static Self {
        static REFERENCE: std::sync::OnceLock<Architecture> = std::sync::OnceLock::new();
        REFERENCE.get_or_init(Self::reference)
    }

    /// The reference architecture's bundle, read once (the objects copied into flows that
    /// bind to its components come from here).
    ///
    /// # Panics
    ///
    /// Never in a released build: a test reads the shipped file.
    #[must_use]
    pub fn reference_document() -> &'static Document {
        static DOCUMENT: std::sync::OnceLock<Document> = std::sync::OnceLock::new();
        DOCUMENT.get_or_init(|| {
            #[allow(clippy::expect_used, reason = "the shipped file is checked by a test")]
            read_bundle(REFERENCE_FILE, &ReadLimits::default())
                .expect("the shipped reference architecture reads")
                .document
        })
    }

    /// The component with this key.
    #[must_use]
    pub fn component(&self, key: &str) -> Option<&Component> {
        self.components
            .iter()
            .find(|component| component.key == key)
    }

    /// The component whose `infrastructure` object has this id.
    #[must_use]
    pub fn component_by_id(&self, id: &str) -> Option<&Component> {
        self.components.iter().find(|component| component.id == id)
    }

    /// The zone with this key.
    #[must_use]
    pub fn zone(&self, key: &str) -> Option<&Zone> {
        self.zones.iter().find(|zone| zone.key == key)
    }
}

fn boundaries(id: &str, entry: &Map<String, Value>) -> Result<Vec<Boundary>, ArchitectureError> {
    let mut found = Vec::new();
    for boundary in entry
        .get("boundaries")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let text = |name: &str| boundary.get(name).and_then(Value::as_str);
        let keys = |name: &str| -> Option<Vec<String>> {
            boundary
                .get(name)?
                .as_array()?
                .iter()
                .map(|value| value.as_str().map(str::to_owned))
                .collect()
        };
        let (Some(key), Some(name)) = (text("key"), text("name")) else {
            return Err(ArchitectureError::Invalid(format!(
                "{id}: a boundary needs a key and a name"
            )));
        };
        let place = match (keys("between"), text("within"), keys("around")) {
            (Some(between), None, None) => match <[String; 2]>::try_from(between) {
                Ok(pair) => BoundaryPlace::Between(pair),
                Err(_) => {
                    return Err(ArchitectureError::Invalid(format!(
                        "{id}: boundary {key:?} must lie between exactly two zones"
                    )));
                }
            },
            (None, Some(zone), Some(around)) if !around.is_empty() => BoundaryPlace::Within {
                zone: zone.to_owned(),
                around,
            },
            _ => {
                return Err(ArchitectureError::Invalid(format!(
                    "{id}: boundary {key:?} must lie either between two zones, or within one \
                     zone around some of its components"
                )));
            }
        };
        found.push(Boundary {
            key: key.to_owned(),
            name: name.to_owned(),
            place,
            description: text("description").unwrap_or_default().to_owned(),
        });
    }
    Ok(found)
}

/// Each boundary has a key of its own and names zones (and, inside a zone, components of
/// that zone) the architecture defines.
fn check_boundaries(architecture: &Architecture) -> Result<(), ArchitectureError> {
    let invalid = |boundary: &Boundary, problem: String| {
        ArchitectureError::Invalid(format!("boundary {:?} {problem}", boundary.key))
    };
    let mut keys = std::collections::BTreeSet::new();
    for boundary in &architecture.boundaries {
        if !keys.insert(boundary.key.as_str()) {
            return Err(invalid(boundary, "is defined twice".to_owned()));
        }
        for zone in boundary.zones() {
            if architecture.zone(zone).is_none() {
                return Err(invalid(
                    boundary,
                    format!("names zone {zone:?}, which the architecture does not define"),
                ));
            }
        }
        match &boundary.place {
            BoundaryPlace::Between([first, second]) if first == second => {
                return Err(invalid(
                    boundary,
                    format!("separates zone {first:?} from itself"),
                ));
            }
            BoundaryPlace::Within { zone, around } => {
                for key in around {
                    if architecture
                        .component(key)
                        .is_none_or(|component| component.zone != *zone)
                    {
                        return Err(invalid(
                            boundary,
                            format!("encloses {key:?}, which is not a component of zone {zone:?}"),
                        ));
                    }
                }
            }
            BoundaryPlace::Between(_) => {}
        }
    }
    Ok(())
}

fn data_flows(document: &Document, architecture: &Architecture) -> Vec<DataFlow> {
    document
        .objects
        .iter()
        .filter_map(|object| {
            let StixObject::Other(other) = object else {
                return None;
            };
            if other.type_name() != "relationship"
                || other.string("relationship_type") != Some("communicates-with")
            {
                return None;
            }
            let from = architecture.component_by_id(other.string("source_ref")?)?;
            let to = architecture.component_by_id(other.string("target_ref")?)?;
            Some(DataFlow {
                id: other.id().to_owned(),
                from: from.key.clone(),
                to: to.key.clone(),
                data: other.string("description").unwrap_or_default().to_owned(),
            })
        })
        .collect()
}
