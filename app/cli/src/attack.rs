//! `medflow attack search|info|stats|import`: the offline ATT&CK catalog from the command line.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::Subcommand;
use medflow_core::attack::{
    ATTRIBUTION, Catalog, Domain, Entry, ImportOptions, Kind, Query, Replacements,
    complete_with_earlier, import_bundle, import_tables, is_builder_tables,
};
use medflow_platform::catalog::{CatalogInUse, catalog_file, load_catalog};
use medflow_platform::{read_limited, user_catalog_dir, write_atomically};
use serde_json::{Value, json};

use crate::{Format, Status};

/// The largest ATT&CK bundle `attack import` reads (Enterprise 18.1 is about 50 MB).
const BUNDLE_MAX_BYTES: usize = 1024 * 1024 * 1024;

/// The `attack` subcommands.
#[derive(Debug, Subcommand)]
pub enum AttackCommand {
    /// Search techniques, sub-techniques, tactics, mitigations and detection strategies by id
    /// or name (typos tolerated).
    Search {
        /// An id, the start of one (`T1078`, `TA00`), or words of a name.
        query: String,
        /// Only this domain.
        #[arg(long, value_parser = parse_domain)]
        domain: Option<Domain>,
        /// Only techniques of this tactic id (e.g. TA0001).
        #[arg(long, value_name = "TAxxxx", value_parser = parse_tactic)]
        tactic: Option<String>,
        /// At most this many results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Show one entry: tactics, platforms, parent, mitigations, detection strategies.
    Info {
        /// An ATT&CK id: T1078, T1078.004, TA0001, M1051, DET0001, DC0001.
        id: String,
        /// The domain, when the id exists in several.
        #[arg(long, value_parser = parse_domain)]
        domain: Option<Domain>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The ATT&CK version, origin and counts of the catalog in use, per domain.
    Stats {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Build a catalog from official ATT&CK STIX bundles (2.0 or 2.1, one per domain). The
    /// editor and the command line then use it instead of the built-in one.
    Import {
        /// ATT&CK bundles, e.g. enterprise-attack.json mobile-attack.json ics-attack.json,
        /// or the Attack Flow Builder's data tables (MitreAttack.ts, MitreAtlas.ts; give
        /// their release with --attack-version).
        #[arg(required = true)]
        bundles: Vec<PathBuf>,
        /// Where to write the catalog (default: the user catalog folder in the data
        /// directory, which the program reads at start).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The release of files that do not name it (STIX 2.0 bundles of mitre/cti, the
        /// Builder's data tables: e.g. 19.1, or 5.6.1 for ATLAS).
        #[arg(long, value_name = "VERSION")]
        attack_version: Option<String>,
    },
}

fn parse_tactic(text: &str) -> Result<String, String> {
    let upper = text.trim().to_ascii_uppercase();
    if medflow_core::attack::ids::is_tactic_id(&upper) {
        Ok(upper)
    } else {
        Err("expected a tactic id: TA and four digits, e.g. TA0001".to_owned())
    }
}

fn parse_domain(text: &str) -> Result<Domain, String> {
    Domain::parse(text).ok_or_else(|| "expected enterprise, mobile, ics or atlas".to_owned())
}

pub(crate) fn run(
    command: AttackCommand,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<Status> {
    if let AttackCommand::Import {
        bundles,
        out,
        attack_version,
    } = command
    {
        return import(&bundles, out, attack_version, stdout, stderr);
    }
    let in_use = load_catalog();
    announce(&in_use, stderr)?;
    let catalog = &in_use.catalog;
    match command {
        AttackCommand::Search {
            query,
            domain,
            tactic,
            limit,
            format,
        } => search(
            catalog,
            &query,
            domain,
            tactic.as_deref(),
            limit,
            format,
            stdout,
        ),
        AttackCommand::Info { id, domain, format } => {
            info(catalog, &id, domain, format, stdout, stderr)
        }
        AttackCommand::Stats { format } => stats(&in_use, format, stdout),
        AttackCommand::Import { .. } => Ok(Status::Trouble),
    }
}

/// Says on standard error when a user catalog is in use, or could not be used.
pub(crate) fn announce(in_use: &CatalogInUse, stderr: &mut dyn Write) -> io::Result<()> {
    for note in &in_use.notes {
        writeln!(stderr, "medflow: {note}")?;
    }
    if in_use.uses_user_catalog() {
        writeln!(stderr, "medflow: using {}", in_use.describe())?;
    }
    Ok(())
}

fn search(
    catalog: &Catalog,
    text: &str,
    domain: Option<Domain>,
    tactic: Option<&str>,
    limit: usize,
    format: Format,
    stdout: &mut dyn Write,
) -> io::Result<Status> {
    let hits = catalog.search(&Query {
        text,
        domain,
        tactic,
        limit,
        ..Query::default()
    });
    match format {
        Format::Json => {
            let items: Vec<Value> = hits
                .iter()
                .map(|hit| {
                    let entry = hit.entry;
                    json!({
                        "id": entry.id,
                        "name": entry.name,
                        "kind": entry.kind.as_str(),
                        "domain": entry.domain.as_str(),
                        "tactics": entry.tactics,
                        "deprecated": entry.deprecated,
                        "revoked": entry.revoked,
                    })
                })
                .collect();
            write_json(stdout, &Value::Array(items))?;
        }
        Format::Text => {
            for hit in &hits {
                let entry = hit.entry;
                let mut line = format!(
                    "{:<10} {:<11} {:<19} {}",
                    entry.id,
                    entry.domain.as_str(),
                    entry.kind.as_str(),
                    entry.name
                );
                if !entry.tactics.is_empty() {
                    let _ = write!(line, "  [{}]", entry.tactics.join(", "));
                }
                line.push_str(state_suffix(entry).as_str());
                writeln!(stdout, "{line}")?;
            }
            if hits.is_empty() {
                writeln!(stdout, "no match for {text:?}")?;
            }
        }
    }
    Ok(if hits.is_empty() {
        Status::Problems
    } else {
        Status::Ok
    })
}

fn state_suffix(entry: &Entry) -> String {
    match (entry.revoked, &entry.revoked_by, entry.deprecated) {
        (true, Some(replacement), _) => format!("  (revoked; use {replacement})"),
        (true, None, _) => "  (revoked)".to_owned(),
        (false, _, true) => "  (deprecated)".to_owned(),
        _ => String::new(),
    }
}

fn id_and_name(entries: &[&Entry]) -> Vec<Value> {
    entries
        .iter()
        .map(|entry| json!({"id": entry.id, "name": entry.name}))
        .collect()
}

/// What `attack info` shows about one entry.
struct Related<'c> {
    mitigations: Vec<&'c Entry>,
    detections: Vec<&'c Entry>,
    subtechniques: Vec<&'c Entry>,
    /// The techniques a mitigation mitigates or a detection strategy detects.
    techniques: Vec<&'c Entry>,
    other_domains: Vec<String>,
}

impl<'c> Related<'c> {
    fn of(catalog: &'c Catalog, entry: &Entry) -> Self {
        let techniques = match entry.kind {
            Kind::Mitigation => catalog.techniques_mitigated_by(entry),
            Kind::DetectionStrategy | Kind::DataComponent => catalog.techniques_detected_by(entry),
            _ => Vec::new(),
        };
        Self {
            mitigations: catalog.mitigations_of(entry),
            detections: catalog.detections_of(entry),
            subtechniques: catalog.subtechniques_of(entry),
            techniques,
            other_domains: catalog
                .lookup(&entry.id)
                .filter(|other| other.domain != entry.domain)
                .map(|other| other.domain.as_str().to_owned())
                .collect(),
        }
    }
}

fn info(
    catalog: &Catalog,
    id: &str,
    domain: Option<Domain>,
    format: Format,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<Status> {
    let id = id.trim().to_ascii_uppercase();
    let Some(entry) = catalog.entry(&id, domain) else {
        let scope = domain.map_or(String::new(), |domain| format!(" in {}", domain.title()));
        writeln!(stderr, "medflow: {id} is not in the ATT&CK catalog{scope}")?;
        // Suggest the nearest ids: the longest start of the id that matches anything.
        let mut suggestions = Vec::new();
        let mut prefix = id.as_str();
        while suggestions.is_empty() && prefix.len() >= 2 {
            suggestions = catalog.search(&Query {
                text: prefix,
                domain,
                limit: 3,
                ..Query::default()
            });
            // Drop the last character (not byte: the input may be any text).
            prefix = prefix
                .char_indices()
                .last()
                .map_or("", |(at, _)| &prefix[..at]);
        }
        if !suggestions.is_empty() {
            let names: Vec<String> = suggestions
                .iter()
                .map(|hit| format!("{} {}", hit.entry.id, hit.entry.name))
                .collect();
            writeln!(stderr, "  did you mean: {}", names.join("; "))?;
        }
        return Ok(Status::Problems);
    };
    let related = Related::of(catalog, entry);
    match format {
        Format::Json => write_json(stdout, &info_json(entry, &related))?,
        Format::Text => info_text(catalog, entry, &related, stdout)?,
    }
    Ok(Status::Ok)
}

fn info_json(entry: &Entry, related: &Related<'_>) -> Value {
    let mut value = json!({
        "id": entry.id,
        "name": entry.name,
        "kind": entry.kind.as_str(),
        "domain": entry.domain.as_str(),
        "tactics": entry.tactics,
        "platforms": entry.platforms,
        "parent": entry.parent,
        "mitigations": id_and_name(&related.mitigations),
        "detection_strategies": id_and_name(&related.detections),
        "revoked_by": entry.revoked_by,
        "deprecated": entry.deprecated,
        "revoked": entry.revoked,
        "stix_id": entry.stix_id,
    });
    if let Value::Object(map) = &mut value {
        if !related.subtechniques.is_empty() {
            map.insert(
                "subtechniques".into(),
                id_and_name(&related.subtechniques).into(),
            );
        }
        if !entry.kind.is_technique() && entry.kind != Kind::Tactic {
            map.insert("techniques".into(), id_and_name(&related.techniques).into());
        }
        if !related.other_domains.is_empty() {
            map.insert("also_in".into(), json!(related.other_domains));
        }
    }
    value
}

fn info_text(
    catalog: &Catalog,
    entry: &Entry,
    related: &Related<'_>,
    stdout: &mut dyn Write,
) -> io::Result<()> {
    let named = |id: &str| {
        catalog
            .entry(id, Some(entry.domain))
            .map_or_else(|| id.to_owned(), |found| format!("{id} {}", found.name))
    };
    let listed = |entries: &[&Entry]| -> Vec<String> {
        entries
            .iter()
            .map(|found| format!("{} {}", found.id, found.name))
            .collect()
    };
    writeln!(stdout, "{} {}{}", entry.id, entry.name, state_suffix(entry))?;
    writeln!(
        stdout,
        "  {} in {}",
        entry.kind.title(),
        entry.domain.label()
    )?;
    let techniques_label = if entry.kind == Kind::Mitigation {
        "Mitigates"
    } else {
        "Detects"
    };
    let fields: [(&str, Vec<String>); 9] = [
        (
            "Tactics",
            entry.tactics.iter().map(|tactic| named(tactic)).collect(),
        ),
        (
            "Platforms",
            entry.platforms.iter().map(ToString::to_string).collect(),
        ),
        ("Parent", entry.parent.iter().map(|id| named(id)).collect()),
        (
            "Replaced by",
            catalog
                .replacement(entry)
                .map(|found| format!("{} {}", found.id, found.name))
                .into_iter()
                .collect(),
        ),
        ("Sub-techniques", listed(&related.subtechniques)),
        ("Mitigations", listed(&related.mitigations)),
        ("Detection strategies", listed(&related.detections)),
        (techniques_label, listed(&related.techniques)),
        ("Also in", related.other_domains.clone()),
    ];
    for (label, values) in fields {
        if !values.is_empty() {
            writeln!(stdout, "  {label}: {}", values.join(", "))?;
        }
    }
    Ok(())
}

fn stats(in_use: &CatalogInUse, format: Format, stdout: &mut dyn Write) -> io::Result<Status> {
    let stats = in_use.catalog.stats();
    match format {
        Format::Json => {
            let value = json!({
                "catalog": in_use.describe(),
                "domains": stats,
            });
            write_json(stdout, &value)?;
        }
        Format::Text => {
            writeln!(stdout, "{}", in_use.describe())?;
            for domain in &stats {
                writeln!(
                    stdout,
                    "{:<10} v{:<5} {:>3} tactics, {:>3} techniques, {:>3} sub-techniques, \
                     {:>3} mitigations, {:>3} detection strategies, {:>3} data components \
                     (active); {} deprecated, {} revoked; {} mitigates, {} detects",
                    domain.domain.title(),
                    domain.attack_version,
                    domain.tactics,
                    domain.techniques,
                    domain.subtechniques,
                    domain.mitigations,
                    domain.detection_strategies,
                    domain.data_components,
                    domain.deprecated,
                    domain.revoked,
                    domain.mitigates,
                    domain.detects
                )?;
            }
            // MITRE's notice of each knowledge base in use, once.
            let mut notices: Vec<&str> = Vec::new();
            for info in in_use.catalog.domains() {
                if !notices.contains(&&*info.notice) {
                    notices.push(&info.notice);
                }
            }
            for notice in notices {
                writeln!(stdout, "{notice}")?;
            }
            if let Some(terms) = ATTRIBUTION
                .lines()
                .find(|line| line.starts_with("Terms of use:"))
            {
                writeln!(stdout, "ATT&CK {}", terms.replacen("Terms", "terms", 1))?;
            }
        }
    }
    Ok(Status::Ok)
}

fn import(
    bundles: &[PathBuf],
    out: Option<PathBuf>,
    attack_version: Option<String>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<Status> {
    let Some(folder) = out.or_else(user_catalog_dir) else {
        writeln!(
            stderr,
            "medflow: this system has no data directory; give one with --out DIR"
        )?;
        return Ok(Status::Trouble);
    };
    // The Builder's data tables carry no dates: MITRE's designation takes this year's.
    let this_year = medflow_core::edit::system_now()
        .to_string()
        .chars()
        .take(4)
        .collect::<String>();
    let options = ImportOptions {
        attack_version,
        notice_year: Some(this_year),
    };
    let mut imported: Vec<(PathBuf, medflow_core::attack::DomainCatalog)> = Vec::new();
    let mut trouble = false;
    for path in bundles {
        let bytes = match read_limited(path, BUNDLE_MAX_BYTES) {
            Ok(bytes) => bytes,
            Err(problem) => {
                writeln!(stderr, "{}: cannot read: {problem}", crate::shown(path))?;
                trouble = true;
                continue;
            }
        };
        // A STIX bundle, or the Builder's data tables (told apart by their content).
        let read = if is_builder_tables(&bytes) {
            // The tables carry no mitigations, detection strategies or platforms: they come
            // from the catalog in use for the domain (a user catalog in the folder, else the
            // built-in one).
            import_tables(&bytes, &options).map(|catalogs| {
                catalogs
                    .into_iter()
                    .map(|current| match catalog_in_use(&folder, current.domain) {
                        Some(earlier) if current.domain != Domain::Atlas => {
                            complete_with_earlier(current, &earlier, &Replacements::default())
                        }
                        _ => current,
                    })
                    .collect()
            })
        } else {
            import_bundle(&bytes, &options).map(|catalog| vec![catalog])
        };
        match read {
            Ok(catalogs) => {
                for catalog in catalogs {
                    if imported
                        .iter()
                        .any(|(_, known)| known.domain == catalog.domain)
                    {
                        writeln!(
                            stderr,
                            "{}: a second file for the {} domain; give one per domain",
                            crate::shown(path),
                            catalog.domain.title()
                        )?;
                        trouble = true;
                        continue;
                    }
                    imported.push((path.clone(), catalog));
                }
            }
            Err(error) => {
                writeln!(stderr, "{}: {error}", crate::shown(path))?;
                trouble = true;
            }
        }
    }
    if trouble {
        writeln!(stderr, "medflow: nothing written")?;
        return Ok(Status::Trouble);
    }
    if let Err(error) = std::fs::create_dir_all(&folder) {
        writeln!(stderr, "{}: cannot create: {error}", crate::shown(&folder))?;
        return Ok(Status::Trouble);
    }
    for (path, catalog) in &imported {
        let target = catalog_file(&folder, catalog.domain);
        if let Err(error) = write_atomically(&target, &catalog.to_bytes()) {
            writeln!(stderr, "{}: cannot write: {error}", crate::shown(&target))?;
            return Ok(Status::Trouble);
        }
        let single = Catalog::from_domains(vec![catalog.clone()]);
        let counts = single.stats().into_iter().next().unwrap_or_default();
        writeln!(
            stdout,
            "{}: {} {} — {} tactics, {} techniques, {} sub-techniques, {} mitigations, \
             {} detection strategies (active) → {}",
            crate::shown(path),
            catalog.domain.label(),
            catalog.attack_version,
            counts.tactics,
            counts.techniques,
            counts.subtechniques,
            counts.mitigations,
            counts.detection_strategies,
            crate::shown(&target)
        )?;
    }
    write_licence(&folder, stderr)?;
    Ok(Status::Ok)
}

/// The catalog of `domain` in use: the user catalog file in `folder` when it reads, else the
/// built-in one.
fn catalog_in_use(folder: &Path, domain: Domain) -> Option<medflow_core::attack::DomainCatalog> {
    let user = read_limited(&catalog_file(folder, domain), BUNDLE_MAX_BYTES)
        .ok()
        .and_then(|bytes| medflow_core::attack::DomainCatalog::from_bytes(&bytes).ok())
        .filter(|catalog| catalog.domain == domain);
    user.or_else(|| {
        medflow_core::attack::embedded_domains()
            .ok()?
            .into_iter()
            .find(|catalog| catalog.domain == domain)
    })
}

/// Puts MITRE's notice and licence beside an imported catalog, as the ATT&CK terms require.
fn write_licence(folder: &Path, stderr: &mut dyn Write) -> io::Result<()> {
    let target = folder.join("LICENSE.txt");
    if target.exists() {
        return Ok(());
    }
    if let Err(error) = write_atomically(&target, ATTRIBUTION.as_bytes()) {
        writeln!(stderr, "{}: cannot write: {error}", crate::shown(&target))?;
    }
    Ok(())
}

fn write_json(stdout: &mut dyn Write, value: &Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *stdout, value)?;
    writeln!(stdout)
}
