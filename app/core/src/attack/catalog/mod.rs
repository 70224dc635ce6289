//! The catalog: ATT&CK entries of one or more domains, the relationships between them, and
//! lookups. [`DomainCatalog`] is one domain as stored in a catalog file; [`Catalog`] joins the
//! domains in memory and indexes them.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

pub use super::domain::{Domain, Kind};
use super::packed::{self, Item, Links, Relationships};
use super::search::SearchIndex;

/// Text of the catalog: borrowed from the program for the built-in catalog, owned for one
/// read from a file.
pub type Text = Cow<'static, str>;
/// A list of texts, borrowed or owned like [`Text`].
pub type TextList = Cow<'static, [Text]>;

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

fn is_empty(list: &TextList) -> bool {
    list.is_empty()
}

/// One ATT&CK object: facts only, no description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The ATT&CK id, e.g. `T1078.004`.
    pub id: Text,
    /// What the entry is.
    pub kind: Kind,
    /// The name, e.g. `Cloud Accounts`.
    pub name: Text,
    /// The STIX id of the ATT&CK object (`attack-pattern--…`, `x-mitre-tactic--…`).
    pub stix_id: Text,
    /// A tactic's short name, as techniques' kill-chain phases use it (`initial-access`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shortname: Option<Text>,
    /// A technique's tactics, by tactic id, in ATT&CK's order.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub tactics: TextList,
    /// A technique's platforms.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub platforms: TextList,
    /// A sub-technique's parent technique id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Text>,
    /// ATT&CK marks the object deprecated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// ATT&CK revoked the object.
    #[serde(default, skip_serializing_if = "is_false")]
    pub revoked: bool,
    /// The id of the object that replaced a revoked one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_by: Option<Text>,
    /// A technique's tactics in the earlier release whose mitigations the catalog carries
    /// ([`DomainCatalog::mitigations_version`]), when they differ from [`Entry::tactics`]:
    /// a flow written for that release may pair the technique with one of them.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub earlier_tactics: TextList,
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
            id: Text::Owned(id.to_owned()),
            kind,
            name: Text::Owned(name.to_owned()),
            stix_id: Text::Owned(stix_id.to_owned()),
            shortname: None,
            tactics: TextList::Owned(Vec::new()),
            platforms: TextList::Owned(Vec::new()),
            parent: None,
            deprecated: false,
            revoked: false,
            revoked_by: None,
            earlier_tactics: TextList::Owned(Vec::new()),
            domain,
            position: 0,
        }
    }

    /// Neither deprecated nor revoked.
    #[must_use]
    pub fn is_active(&self) -> bool {
        !self.deprecated && !self.revoked
    }

    fn item(&self) -> Item<'_> {
        Item {
            domain: self.domain.number(),
            id: &self.id,
            stix_id: &self.stix_id,
            parent: self.parent.as_deref(),
        }
    }
}

fn pairs(list: &[(String, String)]) -> Vec<(&str, &str)> {
    list.iter()
        .map(|(source, target)| (source.as_str(), target.as_str()))
        .collect()
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
    pub attack_version: Text,
    /// MITRE's copyright designation.
    pub notice: Text,
    /// The earlier release its mitigations and detection strategies come from, if any.
    pub mitigations_version: Option<Text>,
    /// Where it was loaded from (`built-in`, or a file path).
    pub origin: Text,
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
///
/// The built-in catalog ([`Catalog::built_in`]) is compiled into the program already indexed:
/// it borrows everything and costs nothing to load. A catalog joined from domain files
/// ([`Catalog::from_domains`]) owns its data; both answer the same way (a test compares them).
#[derive(Debug, Default)]
pub struct Catalog {
    domains: Cow<'static, [DomainInfo]>,
    entries: Cow<'static, [Entry]>,
    /// Every position, sorted by id.
    by_id: Cow<'static, [u32]>,
    /// The first position of each STIX id, sorted by STIX id.
    by_stix_id: Cow<'static, [u32]>,
    mitigated_by: Links,
    mitigates: Links,
    detected_by: Links,
    detects: Links,
    subtechniques: Links,
    /// Per domain: (`mitigates`, `detects`) relationships.
    relationship_counts: Cow<'static, [(Domain, usize, usize)]>,
    /// Built on the first search: validation never searches, so a `medflow validate` process
    /// does not pay for it.
    search_index: std::sync::OnceLock<SearchIndex>,
}

// The built-in catalog, written by the build script from `assets/attack/*.json` with the
// indexes of `packed`: `fn built_in_tables() -> Catalog`.
include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

impl Catalog {
    /// The built-in catalog (ATT&CK v19.1 with v18.1 mitigations, ATLAS v5.6.1), indexed at
    /// build time: nothing is parsed or allocated.
    #[must_use]
    pub fn built_in() -> Self {
        built_in_tables()
    }

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

        let total: usize = chosen.iter().map(|domain| domain.entries.len()).sum();
        let mut entries = Vec::with_capacity(total);
        let mut infos = Vec::with_capacity(chosen.len());
        let mut pending = Vec::with_capacity(chosen.len());
        for mut domain in chosen {
            // Tactics first (as the files have them; `tactic_by_shortname` relies on it).
            domain.entries.sort_by_key(|entry| entry.kind);
            infos.push(DomainInfo {
                domain: domain.domain,
                attack_version: domain.attack_version.into(),
                notice: domain.notice.into(),
                mitigations_version: domain.mitigations_version.map(Text::from),
                origin: domain.origin.into(),
            });
            for mut entry in domain.entries {
                entry.domain = domain.domain;
                entry.position = entries.len();
                entries.push(entry);
            }
            pending.push((domain.domain, domain.mitigates, domain.detects));
        }
        let items: Vec<Item<'_>> = entries.iter().map(Entry::item).collect();
        let relationships: Vec<Relationships<'_>> = pending
            .iter()
            .map(|(domain, mitigates, detects)| Relationships {
                domain: domain.number(),
                mitigates: pairs(mitigates),
                detects: pairs(detects),
            })
            .collect();
        let indexes = packed::build(&items, &relationships);
        let relationship_counts = indexes
            .counts
            .iter()
            .filter_map(|&(domain, mitigates, detects)| {
                Some((Domain::from_number(domain)?, mitigates, detects))
            })
            .collect::<Vec<_>>();
        drop(items);
        Self {
            domains: Cow::Owned(infos),
            entries: Cow::Owned(entries),
            by_id: Cow::Owned(indexes.by_id),
            by_stix_id: Cow::Owned(indexes.by_stix_id),
            mitigated_by: Links::owned(indexes.mitigated_by),
            mitigates: Links::owned(indexes.mitigates),
            detected_by: Links::owned(indexes.detected_by),
            detects: Links::owned(indexes.detects),
            subtechniques: Links::owned(indexes.subtechniques),
            relationship_counts: Cow::Owned(relationship_counts),
            search_index: std::sync::OnceLock::new(),
        }
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
        self.positions(id)
            .find(|&position| self.entries[position].domain == domain)
    }

    /// The positions of the entries with this id, in catalog order.
    fn positions<'a>(&'a self, id: &str) -> impl Iterator<Item = usize> + use<'a> {
        let first = self
            .by_id
            .partition_point(|&at| *self.entries[at as usize].id < *id);
        let end =
            first + self.by_id[first..].partition_point(|&at| *self.entries[at as usize].id == *id);
        self.by_id[first..end].iter().map(|&at| at as usize)
    }

    /// Every entry with this ATT&CK id, in domain order (a few mitigations exist in two
    /// domains).
    pub fn lookup<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Entry> + use<'a> {
        self.positions(id).map(|position| &self.entries[position])
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
        let found = self
            .by_stix_id
            .partition_point(|&at| *self.entries[at as usize].stix_id < *stix_id);
        self.by_stix_id
            .get(found)
            .map(|&at| &self.entries[at as usize])
            .filter(|entry| entry.stix_id == stix_id)
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
        // Entries are in domain order, each domain's tactics first.
        let start = self.entries.partition_point(|entry| entry.domain < domain);
        let mut candidates = self.entries[start..]
            .iter()
            .take_while(|entry| entry.domain == domain && entry.kind == Kind::Tactic)
            .filter(|entry| entry.shortname.as_deref() == Some(shortname));
        let first = candidates.next()?;
        if first.is_active() {
            return Some(first);
        }
        candidates.find(|entry| entry.is_active()).or(Some(first))
    }

    fn related<'a>(&'a self, links: &'a Links, entry: &Entry) -> Vec<&'a Entry> {
        let mut found: Vec<&Entry> = self
            .own(entry)
            .map(|position| {
                links
                    .of(position)
                    .iter()
                    .map(|&at| &self.entries[at as usize])
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
                    attack_version: info.attack_version.to_string(),
                    origin: info.origin.to_string(),
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
                    .iter()
                    .find(|counts| counts.0 == info.domain)
                    .map_or((0, 0), |counts| (counts.1, counts.2));
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

#[cfg(test)]
mod tests;
