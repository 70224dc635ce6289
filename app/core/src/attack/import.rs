//! Importing official ATT&CK STIX bundles: the STIX 2.1 collection bundles of
//! `mitre-attack/attack-stix-data` and the STIX 2.0 bundles of `mitre/cti` (objects without
//! `spec_version`, no `x-mitre-collection`). Only facts are kept; descriptions are not read.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value};

use super::catalog::{Domain, DomainCatalog, Entry, FORMAT, FORMAT_VERSION, Kind, Text};
use super::ids::{is_detection_strategy_id, is_mitigation_id, is_tactic_id, is_technique_id};

/// Choices for [`import_bundle`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The ATT&CK release to record when the bundle does not name one (STIX 2.0 bundles have
    /// no `x-mitre-collection`). Ignored when the bundle names its own. Required for the
    /// Builder's data tables ([`super::import_tables`]), which never name it.
    pub attack_version: Option<String>,
    /// The year in MITRE's copyright designation of data that does not carry dates (the
    /// Builder's data tables); bundles take the year of their newest change.
    pub notice_year: Option<String>,
}

/// A bundle could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Not well-formed JSON.
    #[error("{message} at line {line}, column {column}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// Not a STIX bundle with an `objects` array.
    #[error("not a STIX bundle: {0}")]
    NotABundle(String),
    /// The bundle does not say which ATT&CK domain it holds.
    #[error(
        "cannot tell the ATT&CK domain: no x-mitre-collection or x-mitre-matrix object names \
         enterprise-attack, mobile-attack or ics-attack"
    )]
    UnknownDomain,
    /// The bundle does not name its ATT&CK release and none was given.
    #[error(
        "the bundle does not name its ATT&CK version (STIX 2.0 bundles from mitre/cti have no \
         x-mitre-collection object); give it with --attack-version, e.g. --attack-version 18.1"
    )]
    UnknownVersion,
    /// The bundle holds no techniques.
    #[error("the bundle holds no ATT&CK techniques")]
    NoTechniques,
    /// The Builder's data tables are malformed.
    #[error("not the Attack Flow Builder's data tables: {0}")]
    Tables(String),
    /// The Builder's data tables were given without their release.
    #[error(
        "the Attack Flow Builder's data tables do not name their release; give it with \
         --attack-version, e.g. --attack-version 19.1 (ATLAS: 5.6.1)"
    )]
    TablesVersion,
}

/// The ATT&CK id of an object: the `external_id` of its ATT&CK external reference.
fn attack_id(object: &Map<String, Value>) -> Option<&str> {
    object
        .get("external_references")?
        .as_array()?
        .iter()
        .filter_map(Value::as_object)
        .find(|reference| {
            matches!(
                reference.get("source_name").and_then(Value::as_str),
                Some("mitre-attack" | "mitre-mobile-attack" | "mitre-ics-attack")
            )
        })?
        .get("external_id")?
        .as_str()
}

fn text<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    object.get(key).and_then(Value::as_str)
}

fn flag(object: &Map<String, Value>, key: &str) -> bool {
    object.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn strings(object: &Map<String, Value>, key: &str) -> Vec<String> {
    object
        .get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Imports one official ATT&CK bundle (one domain).
///
/// # Errors
/// [`ImportError`] when the bytes are not a bundle, the domain or version cannot be told, or
/// the bundle holds no techniques.
pub fn import_bundle(bytes: &[u8], options: &ImportOptions) -> Result<DomainCatalog, ImportError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|error| ImportError::Syntax {
        line: error.line(),
        column: error.column(),
        message: {
            let message = error.to_string();
            match message.rfind(" at line ") {
                Some(cut) => message[..cut].to_owned(),
                None => message,
            }
        },
    })?;
    let Value::Object(bundle) = value else {
        return Err(ImportError::NotABundle(
            "the top level is not an object".into(),
        ));
    };
    if text(&bundle, "type") != Some("bundle") {
        return Err(ImportError::NotABundle(
            "the top-level type is not \"bundle\"".into(),
        ));
    }
    let objects: Vec<&Map<String, Value>> = bundle
        .get("objects")
        .and_then(Value::as_array)
        .ok_or_else(|| ImportError::NotABundle("`objects` is missing or not an array".into()))?
        .iter()
        .filter_map(Value::as_object)
        .collect();

    let domain = bundle_domain(&objects).ok_or(ImportError::UnknownDomain)?;
    let attack_version = objects
        .iter()
        .find(|object| text(object, "type") == Some("x-mitre-collection"))
        .and_then(|collection| text(collection, "x_mitre_version"))
        .map(str::to_owned)
        .or_else(|| options.attack_version.clone())
        .ok_or(ImportError::UnknownVersion)?;

    let mut importer = Importer::new(domain, &objects);
    importer.collect_entries();
    if !importer
        .entries
        .iter()
        .any(|entry| entry.kind.is_technique())
    {
        return Err(ImportError::NoTechniques);
    }
    let (mitigates, detects) = importer.collect_relationships();
    let mut entries = importer.entries;
    entries.sort_by(|left, right| (left.kind, &left.id).cmp(&(right.kind, &right.id)));
    entries.dedup_by(|later, earlier| later.kind == earlier.kind && later.id == earlier.id);

    Ok(DomainCatalog {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        domain,
        attack_version,
        notice: notice(&objects),
        mitigations_version: None,
        entries,
        mitigates,
        detects,
        origin: String::new(),
    })
}

/// MITRE's copyright designation, with the year of the newest change in the bundle.
fn notice(objects: &[&Map<String, Value>]) -> String {
    let year = objects
        .iter()
        .filter_map(|object| text(object, "modified"))
        .filter_map(|modified| modified.get(..4))
        .filter(|year| year.bytes().all(|byte| byte.is_ascii_digit()))
        .max()
        .unwrap_or("2025");
    format!(
        "© {year} The MITRE Corporation. This work is reproduced and distributed with the \
         permission of The MITRE Corporation."
    )
}

/// The domain a bundle holds: named by its collection, else by its matrices, else by the
/// `x_mitre_domains` most objects carry.
fn bundle_domain(objects: &[&Map<String, Value>]) -> Option<Domain> {
    if let Some(name) = objects
        .iter()
        .find(|object| text(object, "type") == Some("x-mitre-collection"))
        .and_then(|collection| text(collection, "name"))
    {
        let lower = name.to_ascii_lowercase();
        for (word, domain) in [
            ("enterprise", Domain::Enterprise),
            ("mobile", Domain::Mobile),
            ("ics", Domain::Ics),
        ] {
            if lower.split_whitespace().any(|part| part == word) {
                return Some(domain);
            }
        }
    }
    let count_in = |filter: &dyn Fn(&Map<String, Value>) -> bool| {
        let mut counts: HashMap<Domain, usize> = HashMap::new();
        for object in objects.iter().filter(|object| filter(object)) {
            for name in strings(object, "x_mitre_domains") {
                if let Some(domain) = Domain::ALL
                    .into_iter()
                    .find(|domain| domain.stix_name() == name)
                {
                    *counts.entry(domain).or_default() += 1;
                }
            }
        }
        counts
            .into_iter()
            .max_by_key(|&(domain, count)| (count, std::cmp::Reverse(domain)))
            .map(|(domain, _)| domain)
    };
    count_in(&|object| text(object, "type") == Some("x-mitre-matrix"))
        .or_else(|| count_in(&|_| true))
}

/// Relationship pairs: (source ATT&CK id, target ATT&CK id).
type Pairs = Vec<(String, String)>;

struct Importer<'a> {
    domain: Domain,
    objects: &'a [&'a Map<String, Value>],
    /// STIX id → ATT&CK id, for the objects imported.
    ids: HashMap<&'a str, &'a str>,
    entries: Vec<Entry>,
}

impl<'a> Importer<'a> {
    fn new(domain: Domain, objects: &'a [&'a Map<String, Value>]) -> Self {
        Self {
            domain,
            objects,
            ids: HashMap::new(),
            entries: Vec::new(),
        }
    }

    fn relationships(&self, kind: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.objects
            .iter()
            .filter(move |object| {
                text(object, "type") == Some("relationship")
                    && text(object, "relationship_type") == Some(kind)
                    && !flag(object, "revoked")
                    && !flag(object, "x_mitre_deprecated")
            })
            .filter_map(|object| Some((text(object, "source_ref")?, text(object, "target_ref")?)))
    }

    fn collect_entries(&mut self) {
        // Tactics first: techniques name them by short name.
        let mut tactic_by_shortname: HashMap<String, (bool, String)> = HashMap::new();
        for object in self.objects {
            let Some(kind) = Self::kind_of(object) else {
                continue;
            };
            let (Some(id), Some(name), Some(stix_id)) =
                (attack_id(object), text(object, "name"), text(object, "id"))
            else {
                continue;
            };
            let mut entry = Entry::new(self.domain, kind, id, name, stix_id);
            entry.deprecated = flag(object, "x_mitre_deprecated");
            entry.revoked = flag(object, "revoked");
            if kind == Kind::Tactic {
                entry.shortname =
                    text(object, "x_mitre_shortname").map(|name| Text::Owned(name.to_owned()));
                if let Some(shortname) = &entry.shortname {
                    let active = entry.is_active();
                    let known = tactic_by_shortname.get(&**shortname);
                    if known.is_none_or(|(known_active, known_id)| {
                        (active, std::cmp::Reverse(id))
                            > (*known_active, std::cmp::Reverse(known_id))
                    }) {
                        tactic_by_shortname.insert(shortname.to_string(), (active, id.to_owned()));
                    }
                }
            }
            if kind.is_technique() {
                entry.platforms = strings(object, "x_mitre_platforms")
                    .into_iter()
                    .map(Text::Owned)
                    .collect();
            }
            self.ids.insert(stix_id, id);
            self.entries.push(entry);
        }
        // Tactic membership and parents.
        let by_stix: HashMap<&str, &Map<String, Value>> = self
            .objects
            .iter()
            .filter_map(|object| Some((text(object, "id")?, *object)))
            .collect();
        let mut parents: HashMap<String, String> = HashMap::new();
        for (source, target) in self.relationships("subtechnique-of") {
            if let (Some(child), Some(parent)) = (self.ids.get(source), self.ids.get(target)) {
                parents.insert((*child).to_owned(), (*parent).to_owned());
            }
        }
        let mut replacements: HashMap<String, BTreeSet<String>> = HashMap::new();
        for (source, target) in self.relationships("revoked-by") {
            if let (Some(old), Some(new)) = (self.ids.get(source), self.ids.get(target)) {
                replacements
                    .entry((*old).to_owned())
                    .or_default()
                    .insert((*new).to_owned());
            }
        }
        let kill_chain = self.domain.kill_chain_name();
        for entry in &mut self.entries {
            if entry.revoked {
                entry.revoked_by = replacements
                    .get(&*entry.id)
                    .and_then(|found| found.iter().next().cloned())
                    .map(Text::Owned);
            }
            if !entry.kind.is_technique() {
                continue;
            }
            if let Some(object) = by_stix.get(&*entry.stix_id) {
                for phase in object
                    .get("kill_chain_phases")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_object)
                    .filter(|phase| text(phase, "kill_chain_name") == Some(kill_chain))
                {
                    if let Some((_, tactic)) = text(phase, "phase_name")
                        .and_then(|shortname| tactic_by_shortname.get(shortname))
                        && !entry.tactics.iter().any(|known| known == tactic)
                    {
                        entry.tactics.to_mut().push(Text::Owned(tactic.clone()));
                    }
                }
            }
            if entry.kind == Kind::Subtechnique {
                entry.parent = parents
                    .get(&*entry.id)
                    .cloned()
                    .or_else(|| entry.id.split_once('.').map(|(base, _)| base.to_owned()))
                    .map(Text::Owned);
            }
        }
    }

    /// What kind of entry an object is, or `None` to leave it out (groups, software,
    /// campaigns, analytics, and the legacy pre-2019 `course-of-action` objects, which carry
    /// technique ids instead of mitigation ids).
    fn kind_of(object: &Map<String, Value>) -> Option<Kind> {
        let id = attack_id(object)?;
        match text(object, "type")? {
            "x-mitre-tactic" if is_tactic_id(id) => Some(Kind::Tactic),
            "attack-pattern" if is_technique_id(id) => {
                if flag(object, "x_mitre_is_subtechnique") || id.contains('.') {
                    Some(Kind::Subtechnique)
                } else {
                    Some(Kind::Technique)
                }
            }
            "course-of-action" if is_mitigation_id(id) => Some(Kind::Mitigation),
            "x-mitre-detection-strategy" if is_detection_strategy_id(id) => {
                Some(Kind::DetectionStrategy)
            }
            "x-mitre-data-component" => Some(Kind::DataComponent),
            _ => None,
        }
    }

    /// `mitigates` and `detects` pairs between imported entries, sorted and without repeats.
    fn collect_relationships(&self) -> (Pairs, Pairs) {
        let technique_ids: BTreeSet<&str> = self
            .entries
            .iter()
            .filter(|entry| entry.kind.is_technique())
            .map(|entry| &*entry.id)
            .collect();
        let pairs = |kind: &'a str, source_kinds: &[Kind]| {
            let sources: BTreeSet<&str> = self
                .entries
                .iter()
                .filter(|entry| source_kinds.contains(&entry.kind))
                .map(|entry| &*entry.id)
                .collect();
            let found: BTreeSet<(String, String)> = self
                .relationships(kind)
                .filter_map(|(source, target)| {
                    let source = self.ids.get(source)?;
                    let target = self.ids.get(target)?;
                    (sources.contains(source) && technique_ids.contains(target))
                        .then(|| ((*source).to_owned(), (*target).to_owned()))
                })
                .collect();
            found.into_iter().collect::<Vec<_>>()
        };
        (
            pairs("mitigates", &[Kind::Mitigation]),
            pairs("detects", &[Kind::DetectionStrategy, Kind::DataComponent]),
        )
    }
}
