//! The catalog: ATT&CK entries of one or more domains, the relationships between them, and
//! lookups. [`DomainCatalog`] is one domain as stored in a catalog file; [`Catalog`] joins the
//! domains in memory and indexes them.

use foldhash::HashMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

pub use super::domain::{Domain, Kind};
use super::search::SearchIndex;

/// The name written in every catalog file's `format` property.
pub const FORMAT: &str = "medflow-attack-catalog";
/// The version of the catalog file format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_false(flag: &bool) -> bool {
    !*flag
}

/// One ATT&CK object: facts only, no description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The ATT&CK id, e.g. `T1078.004`.
    pub id: String,
    /// What the entry is.
    pub kind: Kind,
    /// The name, e.g. `Cloud Accounts`.
    pub name: String,
    /// The STIX id of the ATT&CK object (`attack-pattern--…`, `x-mitre-tactic--…`).
    pub stix_id: String,
    /// A tactic's short name, as techniques' kill-chain phases use it (`initial-access`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortname: Option<String>,
    /// A technique's tactics, by tactic id, in ATT&CK's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tactics: Vec<String>,
    /// A technique's platforms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platforms: Vec<String>,
    /// A sub-technique's parent technique id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// ATT&CK marks the object deprecated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// ATT&CK revoked the object.
    #[serde(default, skip_serializing_if = "is_false")]
    pub revoked: bool,
    /// The id of the object that replaced a revoked one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_by: Option<String>,
    /// A technique's tactics in the earlier release whose mitigations the catalog carries
    /// ([`DomainCatalog::mitigations_version`]), when they differ from [`Entry::tactics`]:
    /// a flow written for that release may pair the technique with one of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier_tactics: Vec<String>,
    /// The domain the entry belongs to (from its catalog file).
    #[serde(skip)]
    pub domain: Domain,
    /// The entry's position in [`Catalog::entries`].
    #[serde(skip)]
    position: usize,
}

impl Entry {
    /// A new entry with only the required facts set.
    #[must_use]
    pub fn new(domain: Domain, kind: Kind, id: &str, name: &str, stix_id: &str) -> Self {
        Self {
            id: id.to_owned(),
            kind,
            name: name.to_owned(),
            stix_id: stix_id.to_owned(),
            shortname: None,
            tactics: Vec::new(),
            platforms: Vec::new(),
            parent: None,
            deprecated: false,
            revoked: false,
            revoked_by: None,
            earlier_tactics: Vec::new(),
            domain,
            position: 0,
        }
    }

    /// Neither deprecated nor revoked.
    #[must_use]
    pub fn is_active(&self) -> bool {
        !self.deprecated && !self.revoked
    }
}

/// One domain of the catalog, as stored in a catalog file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainCatalog {
    /// Always [`FORMAT`].
    pub format: String,
    /// The file format version, [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The domain.
    pub domain: Domain,
    /// The ATT&CK release, e.g. `18.1`.
    pub attack_version: String,
    /// MITRE's copyright designation for this data.
    pub notice: String,
    /// The earlier release whose mitigations, detection strategies, data components and
    /// platforms the catalog carries, when its own source had none (the Builder's data
    /// tables): e.g. `18.1` in a `19.1` catalog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mitigations_version: Option<String>,
    /// Tactics, techniques, sub-techniques, mitigations, detection strategies and data
    /// components, ordered by kind, then id.
    pub entries: Vec<Entry>,
    /// `mitigates` relationships: (mitigation id, technique id), sorted.
    pub mitigates: Vec<(String, String)>,
    /// `detects` relationships: (detection strategy or data component id, technique id),
    /// sorted.
    pub detects: Vec<(String, String)>,
    /// Where this domain was loaded from (`built-in`, or a file path); not stored.
    #[serde(skip)]
    pub origin: String,
}

/// A catalog file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// The file is not well-formed JSON of the catalog's shape.
    #[error("not a catalog file: {message} at line {line}, column {column}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The file is JSON but not a catalog this build can read.
    #[error("{0}")]
    Format(String),
}

impl DomainCatalog {
    /// Reads a catalog file.
    ///
    /// # Errors
    /// [`CatalogError`] when the bytes are not a catalog file of a supported format version.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CatalogError> {
        let mut catalog: Self =
            serde_json::from_slice(bytes).map_err(|error| CatalogError::Syntax {
                line: error.line(),
                column: error.column(),
                message: {
                    let text = error.to_string();
                    match text.rfind(" at line ") {
                        Some(cut) => text[..cut].to_owned(),
                        None => text,
                    }
                },
            })?;
        if catalog.format != FORMAT {
            return Err(CatalogError::Format(format!(
                "the format is {:?}, not {FORMAT:?}",
                catalog.format
            )));
        }
        if catalog.format_version > FORMAT_VERSION {
            return Err(CatalogError::Format(format!(
                "format version {} is newer than this program reads ({FORMAT_VERSION}); \
                 update MedFlow Studio or import the ATT&CK bundles again",
                catalog.format_version
            )));
        }
        for entry in &mut catalog.entries {
            entry.domain = catalog.domain;
        }
        Ok(catalog)
    }

    /// Writes the catalog file: deterministic, one entry or relationship per line, LF, a
    /// trailing newline.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        fn json<T: Serialize + ?Sized>(value: &T) -> String {
            serde_json::to_string(value).unwrap_or_default()
        }
        fn list<T: Serialize>(out: &mut String, name: &str, items: &[T], last: bool) {
            let _ = write!(out, "  {}: [", json(name));
            for (index, item) in items.iter().enumerate() {
                let separator = if index + 1 < items.len() { "," } else { "" };
                let _ = write!(out, "\n    {}{separator}", json(item));
            }
            if !items.is_empty() {
                out.push_str("\n  ");
            }
            out.push(']');
            out.push_str(if last { "\n" } else { ",\n" });
        }
        let mut out = String::with_capacity(self.entries.len() * 160);
        out.push_str("{\n");
        let _ = writeln!(out, "  \"format\": {},", json(&self.format));
        let _ = writeln!(out, "  \"format_version\": {},", self.format_version);
        let _ = writeln!(out, "  \"domain\": {},", json(&self.domain));
        let _ = writeln!(out, "  \"attack_version\": {},", json(&self.attack_version));
        let _ = writeln!(out, "  \"notice\": {},", json(&self.notice));
        if let Some(earlier) = &self.mitigations_version {
            let _ = writeln!(out, "  \"mitigations_version\": {},", json(earlier));
        }
        list(&mut out, "entries", &self.entries, false);
        list(&mut out, "mitigates", &self.mitigates, false);
        list(&mut out, "detects", &self.detects, true);
        out.push_str("}\n");
        out.into_bytes()
    }
}

/// What the catalog knows about one of its domains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainInfo {
    /// The domain.
    pub domain: Domain,
    /// The ATT&CK release.
    pub attack_version: String,
    /// MITRE's copyright designation.
    pub notice: String,
    /// The earlier release its mitigations and detection strategies come from, if any.
    pub mitigations_version: Option<String>,
    /// Where it was loaded from (`built-in`, or a file path).
    pub origin: String,
}

/// Counts for one domain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DomainStats {
    /// The domain.
    pub domain: Domain,
    /// The ATT&CK release.
    pub attack_version: String,
    /// Where it was loaded from.
    pub origin: String,
    /// Active tactics.
    pub tactics: usize,
    /// Active techniques.
    pub techniques: usize,
    /// Active sub-techniques.
    pub subtechniques: usize,
    /// Active mitigations.
    pub mitigations: usize,
    /// Active detection strategies.
    pub detection_strategies: usize,
    /// Active data components.
    pub data_components: usize,
    /// Entries of any kind that are deprecated (and not revoked).
    pub deprecated: usize,
    /// Entries of any kind that are revoked.
    pub revoked: usize,
    /// `mitigates` relationships.
    pub mitigates: usize,
    /// `detects` relationships.
    pub detects: usize,
}

/// The ATT&CK catalog in memory: every entry of every loaded domain, indexed.
#[derive(Debug, Default)]
pub struct Catalog {
    domains: Vec<DomainInfo>,
    entries: Vec<Entry>,
    by_id: HashMap<String, Vec<usize>>,
    by_stix_id: HashMap<String, usize>,
    mitigated_by: Vec<Vec<usize>>,
    mitigates: Vec<Vec<usize>>,
    detected_by: Vec<Vec<usize>>,
    detects: Vec<Vec<usize>>,
    subtechniques: Vec<Vec<usize>>,
    relationship_counts: HashMap<Domain, (usize, usize)>,
    /// Built on the first search: validation never searches, so a `medflow validate` process
    /// does not pay for it.
    search_index: std::sync::OnceLock<SearchIndex>,
}

impl Catalog {
    /// Joins domain catalogs (one per domain; a later one for the same domain replaces an
    /// earlier one) and builds the indexes.
    #[must_use]
    pub fn from_domains(domains: Vec<DomainCatalog>) -> Self {
        let mut chosen: Vec<DomainCatalog> = Vec::new();
        for domain in domains {
            chosen.retain(|kept| kept.domain != domain.domain);
            chosen.push(domain);
        }
        chosen.sort_by_key(|domain| domain.domain);

        let mut catalog = Self::default();
        let total: usize = chosen.iter().map(|domain| domain.entries.len()).sum();
        catalog.entries.reserve(total);
        catalog.by_id.reserve(total);
        catalog.by_stix_id.reserve(total);
        let mut pending_relationships = Vec::new();
        for domain in chosen {
            catalog.domains.push(DomainInfo {
                domain: domain.domain,
                attack_version: domain.attack_version,
                notice: domain.notice,
                mitigations_version: domain.mitigations_version,
                origin: domain.origin,
            });
            for mut entry in domain.entries {
                entry.domain = domain.domain;
                entry.position = catalog.entries.len();
                catalog
                    .by_id
                    .entry(entry.id.clone())
                    .or_default()
                    .push(entry.position);
                catalog
                    .by_stix_id
                    .entry(entry.stix_id.clone())
                    .or_insert(entry.position);
                catalog.entries.push(entry);
            }
            pending_relationships.push((domain.domain, domain.mitigates, domain.detects));
        }
        let count = catalog.entries.len();
        catalog.mitigated_by = vec![Vec::new(); count];
        catalog.mitigates = vec![Vec::new(); count];
        catalog.detected_by = vec![Vec::new(); count];
        catalog.detects = vec![Vec::new(); count];
        catalog.subtechniques = vec![Vec::new(); count];
        for (domain, mitigates, detects) in pending_relationships {
            let mut counts = (0, 0);
            for (source, target) in &mitigates {
                if let (Some(source), Some(target)) = (
                    catalog.position_in(domain, source),
                    catalog.position_in(domain, target),
                ) {
                    catalog.mitigates[source].push(target);
                    catalog.mitigated_by[target].push(source);
                    counts.0 += 1;
                }
            }
            for (source, target) in &detects {
                if let (Some(source), Some(target)) = (
                    catalog.position_in(domain, source),
                    catalog.position_in(domain, target),
                ) {
                    catalog.detects[source].push(target);
                    catalog.detected_by[target].push(source);
                    counts.1 += 1;
                }
            }
            catalog.relationship_counts.insert(domain, counts);
        }
        for position in 0..count {
            let parent = catalog.entries[position]
                .parent
                .as_deref()
                .and_then(|parent| catalog.position_in(catalog.entries[position].domain, parent));
            if let Some(parent) = parent {
                catalog.subtechniques[parent].push(position);
            }
        }
        catalog
    }

    /// The domains loaded, in catalog order.
    #[must_use]
    pub fn domains(&self) -> &[DomainInfo] {
        &self.domains
    }

    /// Every entry: domains in order, each by kind then id.
    #[must_use]
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// True when no domain is loaded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position_in(&self, domain: Domain, id: &str) -> Option<usize> {
        self.by_id
            .get(id)?
            .iter()
            .copied()
            .find(|&position| self.entries[position].domain == domain)
    }

    /// Every entry with this ATT&CK id, in domain order (a few mitigations exist in two
    /// domains).
    pub fn lookup<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.by_id
            .get(id)
            .into_iter()
            .flatten()
            .map(|&position| &self.entries[position])
    }

    /// The entry with this id, in `domain` if given, otherwise in the first domain having it.
    #[must_use]
    pub fn entry(&self, id: &str, domain: Option<Domain>) -> Option<&Entry> {
        self.lookup(id)
            .find(|entry| domain.is_none_or(|domain| entry.domain == domain))
    }

    /// The entry for an ATT&CK STIX id.
    #[must_use]
    pub fn by_stix_id(&self, stix_id: &str) -> Option<&Entry> {
        self.by_stix_id
            .get(stix_id)
            .map(|&position| &self.entries[position])
    }

    /// The technique or sub-technique with this id.
    #[must_use]
    pub fn technique(&self, id: &str) -> Option<&Entry> {
        self.lookup(id).find(|entry| entry.kind.is_technique())
    }

    /// The tactic with this id.
    #[must_use]
    pub fn tactic(&self, id: &str) -> Option<&Entry> {
        self.lookup(id).find(|entry| entry.kind == Kind::Tactic)
    }

    /// The tactic with this short name in `domain`, preferring an active one.
    #[must_use]
    pub fn tactic_by_shortname(&self, domain: Domain, shortname: &str) -> Option<&Entry> {
        let mut candidates = self.entries.iter().filter(|entry| {
            entry.kind == Kind::Tactic
                && entry.domain == domain
                && entry.shortname.as_deref() == Some(shortname)
        });
        let first = candidates.next()?;
        if first.is_active() {
            return Some(first);
        }
        candidates.find(|entry| entry.is_active()).or(Some(first))
    }

    fn related<'a>(&'a self, lists: &'a [Vec<usize>], entry: &Entry) -> Vec<&'a Entry> {
        let mut found: Vec<&Entry> = self
            .own(entry)
            .map(|position| {
                lists[position]
                    .iter()
                    .map(|&at| &self.entries[at])
                    .collect()
            })
            .unwrap_or_default();
        found.sort_by(|left, right| left.id.cmp(&right.id));
        found
    }

    /// The entry's position if it belongs to this catalog.
    fn own(&self, entry: &Entry) -> Option<usize> {
        self.entries
            .get(entry.position)
            .filter(|own| std::ptr::eq(*own, entry) || *own == entry)
            .map(|_| entry.position)
    }

    /// The mitigations of a technique, by id.
    #[must_use]
    pub fn mitigations_of(&self, technique: &Entry) -> Vec<&Entry> {
        self.related(&self.mitigated_by, technique)
    }

    /// The detection strategies (and, in older releases, data components) of a technique.
    #[must_use]
    pub fn detections_of(&self, technique: &Entry) -> Vec<&Entry> {
        self.related(&self.detected_by, technique)
    }

    /// The techniques a mitigation mitigates.
    #[must_use]
    pub fn techniques_mitigated_by(&self, mitigation: &Entry) -> Vec<&Entry> {
        self.related(&self.mitigates, mitigation)
    }

    /// The techniques a detection strategy detects.
    #[must_use]
    pub fn techniques_detected_by(&self, detection: &Entry) -> Vec<&Entry> {
        self.related(&self.detects, detection)
    }

    /// The sub-techniques of a technique.
    #[must_use]
    pub fn subtechniques_of(&self, technique: &Entry) -> Vec<&Entry> {
        self.related(&self.subtechniques, technique)
    }

    /// What replaced a revoked entry (in its own domain).
    #[must_use]
    pub fn replacement(&self, entry: &Entry) -> Option<&Entry> {
        let replacement = entry.revoked_by.as_deref()?;
        self.position_in(entry.domain, replacement)
            .map(|position| &self.entries[position])
    }

    /// Counts per domain.
    #[must_use]
    pub fn stats(&self) -> Vec<DomainStats> {
        self.domains
            .iter()
            .map(|info| {
                let mut stats = DomainStats {
                    domain: info.domain,
                    attack_version: info.attack_version.clone(),
                    origin: info.origin.clone(),
                    ..DomainStats::default()
                };
                for entry in self.entries.iter().filter(|e| e.domain == info.domain) {
                    if entry.revoked {
                        stats.revoked += 1;
                        continue;
                    }
                    if entry.deprecated {
                        stats.deprecated += 1;
                        continue;
                    }
                    match entry.kind {
                        Kind::Tactic => stats.tactics += 1,
                        Kind::Technique => stats.techniques += 1,
                        Kind::Subtechnique => stats.subtechniques += 1,
                        Kind::Mitigation => stats.mitigations += 1,
                        Kind::DetectionStrategy => stats.detection_strategies += 1,
                        Kind::DataComponent => stats.data_components += 1,
                    }
                }
                let (mitigates, detects) = self
                    .relationship_counts
                    .get(&info.domain)
                    .copied()
                    .unwrap_or_default();
                stats.mitigates = mitigates;
                stats.detects = detects;
                stats
            })
            .collect()
    }

    pub(crate) fn search_index(&self) -> &SearchIndex {
        self.search_index
            .get_or_init(|| SearchIndex::build(&self.entries))
    }
}
