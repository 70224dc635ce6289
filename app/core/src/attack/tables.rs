//! Importing the data tables that MITRE's Attack Flow Builder publishes for its technique
//! picker (`MitreAttack.ts` for ATT&CK Enterprise, Mobile and ICS, `MitreAtlas.ts` for MITRE
//! ATLAS): a script that assigns one JSON object, `enums = {…}`, holding every tactic and
//! technique with its id, name and STIX id, and the tactic each technique belongs to. They
//! carry no mitigations, detection strategies, platforms or revocation links, and do not name
//! their release: the caller gives it.

use std::collections::HashMap;

use serde::Deserialize;

use super::catalog::{Domain, DomainCatalog, Entry, FORMAT, FORMAT_VERSION, Kind, Text};
use super::ids::{is_atlas_tactic_id, is_atlas_technique_id, is_tactic_id, is_technique_id};
use super::import::{ImportError, ImportOptions};

/// The JSON object the tables assign.
#[derive(Deserialize)]
struct Tables {
    /// `[id, "[TAG] id Name"]`.
    tactics: Vec<(String, String)>,
    /// `[id, "[TAG] id Name"]`, sub-techniques included.
    techniques: Vec<(String, String)>,
    /// `["tactic", tactic id, "technique", technique id]`.
    relationships: Vec<(String, String, String, String)>,
    /// Tactic or technique id → STIX id.
    #[serde(rename = "stixIds")]
    stix_ids: HashMap<String, String>,
}

/// Where the assigned object starts: after `enums`, `=` and white space.
fn object_start(text: &str) -> Option<usize> {
    let name = text.find("enums")?;
    let rest = &text[name + "enums".len()..];
    let equals = rest.find('=')?;
    if !rest[..equals].trim().is_empty() {
        return None;
    }
    let after = &rest[equals + 1..];
    let brace = after.find('{')?;
    after[..brace]
        .trim()
        .is_empty()
        .then(|| name + "enums".len() + equals + 1 + brace)
}

/// Whether `bytes` are the Builder's data tables (a script assigning `enums = {…}`) rather
/// than a STIX bundle.
#[must_use]
pub fn is_builder_tables(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    !text.trim_start().starts_with('{') && object_start(&text).is_some()
}

/// The domain a table row's tag names: `ENT`, `MOB`, `ICS`, `ATL`.
fn domain_of_tag(tag: &str) -> Option<Domain> {
    match tag {
        "ENT" => Some(Domain::Enterprise),
        "MOB" => Some(Domain::Mobile),
        "ICS" => Some(Domain::Ics),
        "ATL" => Some(Domain::Atlas),
        _ => None,
    }
}

/// A row's label, `[ENT] T1078 Valid Accounts`: its domain and name, when it names `id`.
fn read_label<'a>(id: &str, label: &'a str) -> Result<(Domain, &'a str), String> {
    let shape = || format!("{id}: the label {label:?} is not \"[DOMAIN] {id} Name\"");
    let rest = label.strip_prefix('[').ok_or_else(shape)?;
    let (tag, rest) = rest.split_once(']').ok_or_else(shape)?;
    let domain = domain_of_tag(tag.trim())
        .ok_or_else(|| format!("{id}: unknown domain tag [{tag}] (known: ENT, MOB, ICS, ATL)"))?;
    let name = rest
        .trim_start()
        .strip_prefix(id)
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .ok_or_else(shape)?;
    Ok((domain, name))
}

/// A tactic's short name as ATT&CK writes them in kill-chain phases: its name in lower case,
/// words joined by hyphens (`Command and Control` → `command-and-control`).
fn shortname(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

/// Imports the Builder's data tables: one [`DomainCatalog`] for each domain they hold, in
/// [`Domain::ALL`]'s order, each with the release `options.attack_version` (required: the
/// tables do not name it) and MITRE's copyright designation for `options.notice_year`.
///
/// # Errors
/// [`ImportError`] when the bytes are not the tables, a row is malformed, or no release is
/// given.
pub fn import_tables(
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<Vec<DomainCatalog>, ImportError> {
    let tables = read_tables(bytes)?;
    let attack_version = options
        .attack_version
        .clone()
        .ok_or(ImportError::TablesVersion)?;

    let stix_id = |id: &str| {
        tables
            .stix_ids
            .get(id)
            .cloned()
            .ok_or_else(|| ImportError::Tables(format!("{id}: no STIX id in `stixIds`")))
    };
    let mut entries: Vec<Entry> = Vec::new();
    // Each domain's tactics in the tables' order: a technique lists its tactics so.
    let mut tactic_order: HashMap<&str, usize> = HashMap::new();
    for (position, (id, label)) in tables.tactics.iter().enumerate() {
        if !(is_tactic_id(id) || is_atlas_tactic_id(id)) {
            return Err(ImportError::Tables(format!("{id}: not a tactic id")));
        }
        let (domain, name) = read_label(id, label).map_err(ImportError::Tables)?;
        let mut entry = Entry::new(domain, Kind::Tactic, id, name, &stix_id(id)?);
        entry.shortname = Some(Text::Owned(shortname(name)));
        tactic_order.insert(id.as_str(), position);
        entries.push(entry);
    }
    let mut membership: HashMap<&str, Vec<&str>> = HashMap::new();
    for (from, tactic, to, technique) in &tables.relationships {
        if from == "tactic" && to == "technique" && tactic_order.contains_key(tactic.as_str()) {
            membership
                .entry(technique.as_str())
                .or_default()
                .push(tactic.as_str());
        }
    }
    for (id, label) in &tables.techniques {
        let bare = id.strip_prefix("AML.").unwrap_or(id);
        if !(is_technique_id(id) || is_atlas_technique_id(id)) {
            return Err(ImportError::Tables(format!("{id}: not a technique id")));
        }
        let (domain, name) = read_label(id, label).map_err(ImportError::Tables)?;
        let kind = if bare.contains('.') {
            Kind::Subtechnique
        } else {
            Kind::Technique
        };
        let mut entry = Entry::new(domain, kind, id, name, &stix_id(id)?);
        if kind == Kind::Subtechnique {
            entry.parent = id
                .rsplit_once('.')
                .map(|(parent, _)| Text::Owned(parent.to_owned()));
        }
        let mut tactics = membership.get(id.as_str()).cloned().unwrap_or_default();
        tactics.sort_by_key(|tactic| tactic_order.get(tactic).copied());
        tactics.dedup();
        entry.tactics = tactics
            .into_iter()
            .map(|tactic| Text::Owned(tactic.to_owned()))
            .collect();
        entries.push(entry);
    }
    let catalogs = by_domain(&entries, &attack_version, options.notice_year.as_deref());
    if catalogs.is_empty() {
        return Err(ImportError::NoTechniques);
    }
    Ok(catalogs)
}

/// The entries of each domain that has techniques, as a catalog of its own, in
/// [`Domain::ALL`]'s order.
fn by_domain(entries: &[Entry], attack_version: &str, year: Option<&str>) -> Vec<DomainCatalog> {
    let mut catalogs = Vec::new();
    for domain in Domain::ALL {
        let mut mine: Vec<Entry> = entries
            .iter()
            .filter(|entry| entry.domain == domain)
            .cloned()
            .collect();
        if !mine.iter().any(|entry| entry.kind.is_technique()) {
            continue;
        }
        // A technique's tactics are of its own domain.
        let own: Vec<Text> = mine
            .iter()
            .filter(|entry| entry.kind == Kind::Tactic)
            .map(|entry| entry.id.clone())
            .collect();
        for entry in &mut mine {
            entry.tactics.to_mut().retain(|tactic| own.contains(tactic));
        }
        mine.sort_by(|left, right| (left.kind, &left.id).cmp(&(right.kind, &right.id)));
        catalogs.push(DomainCatalog {
            format: FORMAT.to_owned(),
            format_version: FORMAT_VERSION,
            domain,
            attack_version: attack_version.to_owned(),
            notice: notice(domain, year),
            mitigations_version: None,
            entries: mine,
            mitigates: Vec::new(),
            detects: Vec::new(),
            origin: String::new(),
        });
    }
    catalogs
}

/// The JSON object the tables assign, read from the script.
fn read_tables(bytes: &[u8]) -> Result<Tables, ImportError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ImportError::Tables("the file is not UTF-8 text".into()))?;
    let start = object_start(text)
        .ok_or_else(|| ImportError::Tables("no `enums = {…}` assignment found".into()))?;
    serde_json::Deserializer::from_str(&text[start..])
        .into_iter::<Tables>()
        .next()
        .ok_or_else(|| ImportError::Tables("the `enums` object is empty".into()))?
        .map_err(|error| {
            let before = &text[..start];
            let line = before.matches('\n').count() + error.line();
            let column = if error.line() == 1 {
                start - before.rfind('\n').map_or(0, |at| at + 1) + error.column()
            } else {
                error.column()
            };
            let message = error.to_string();
            ImportError::Syntax {
                line,
                column,
                message: match message.rfind(" at line ") {
                    Some(cut) => message[..cut].to_owned(),
                    None => message,
                },
            }
        })
}

/// The notice for the domain's data: MITRE's copyright designation for ATT&CK data of
/// `year` (left out when unknown); for ATLAS, whose data MITRE publishes under the Apache
/// License 2.0, its copyright and licence, and that the facts were extracted.
fn notice(domain: Domain, year: Option<&str>) -> String {
    if domain == Domain::Atlas {
        return "MITRE ATLAS data, Copyright The MITRE Corporation, licensed under the Apache \
                License, Version 2.0; ids, names and tactic membership extracted and \
                reformatted."
            .to_owned();
    }
    let year = year.map(|year| format!("{year} ")).unwrap_or_default();
    format!(
        "© {year}The MITRE Corporation. This work is reproduced and distributed with the \
         permission of The MITRE Corporation."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"export const enums = {"tactics":[["TA0001","[ENT] TA0001 Initial Access"],["TA0112","[ENT] TA0112 Defense Impairment"],["AML.TA0002","[ATL] AML.TA0002 Reconnaissance"]],
"techniques":[["T1078","[ENT] T1078 Valid Accounts"],["T1078.004","[ENT] T1078.004 Cloud Accounts"],["AML.T0000","[ATL] AML.T0000 Search Open Technical Databases"],["AML.T0000.000","[ATL] AML.T0000.000 Journals and Conference Proceedings"]],
"relationships":[["tactic","TA0112","technique","T1078"],["tactic","TA0001","technique","T1078"],["tactic","TA0001","technique","T9999"],["tactic","AML.TA0002","technique","AML.T0000.000"]],
"stixIds":{"TA0001":"x-mitre-tactic--1","TA0112":"x-mitre-tactic--2","AML.TA0002":"x-mitre-tactic--3","T1078":"attack-pattern--1","T1078.004":"attack-pattern--2","AML.T0000":"attack-pattern--3","AML.T0000.000":"attack-pattern--4"}};

export default enums;
"#;

    fn options() -> ImportOptions {
        ImportOptions {
            attack_version: Some("19.1".into()),
            notice_year: Some("2026".into()),
        }
    }

    #[test]
    fn the_tables_become_one_catalog_per_domain() {
        assert!(is_builder_tables(SMALL.as_bytes()));
        assert!(!is_builder_tables(br#"{"type": "bundle", "enums = {": 1}"#));
        let catalogs = import_tables(SMALL.as_bytes(), &options()).unwrap();
        let domains: Vec<Domain> = catalogs.iter().map(|catalog| catalog.domain).collect();
        assert_eq!(domains, [Domain::Enterprise, Domain::Atlas]);
        let enterprise = &catalogs[0];
        assert_eq!(enterprise.attack_version, "19.1");
        assert!(
            enterprise
                .notice
                .starts_with("© 2026 The MITRE Corporation.")
        );
        let valid = enterprise.entries.iter().find(|e| e.id == "T1078").unwrap();
        assert_eq!(valid.name, "Valid Accounts");
        assert_eq!(valid.stix_id, "attack-pattern--1");
        // In the tables' tactic order, not the relationships'.
        assert_eq!(*valid.tactics, ["TA0001", "TA0112"]);
        let cloud = enterprise
            .entries
            .iter()
            .find(|e| e.id == "T1078.004")
            .unwrap();
        assert_eq!(
            (cloud.kind, cloud.parent.as_deref()),
            (Kind::Subtechnique, Some("T1078"))
        );
        let impairment = enterprise
            .entries
            .iter()
            .find(|e| e.id == "TA0112")
            .unwrap();
        assert_eq!(impairment.shortname.as_deref(), Some("defense-impairment"));
        let atlas = &catalogs[1];
        let journals = atlas
            .entries
            .iter()
            .find(|e| e.id == "AML.T0000.000")
            .unwrap();
        assert_eq!(
            (journals.kind, journals.parent.as_deref()),
            (Kind::Subtechnique, Some("AML.T0000"))
        );
        assert_eq!(*journals.tactics, ["AML.TA0002"]);
        assert_eq!(journals.domain, Domain::Atlas);
        assert!(
            atlas.notice.contains("Apache License, Version 2.0"),
            "{}",
            atlas.notice
        );
    }

    #[test]
    fn bad_tables_say_what_is_wrong() {
        let no_version = ImportOptions {
            attack_version: None,
            ..options()
        };
        assert_eq!(
            import_tables(SMALL.as_bytes(), &no_version),
            Err(ImportError::TablesVersion)
        );
        let cut = &SMALL[..SMALL.find("\"relationships\"").unwrap() + 20];
        let Err(ImportError::Syntax { line, .. }) = import_tables(cut.as_bytes(), &options())
        else {
            panic!("a cut file is a syntax error");
        };
        assert_eq!(line, 3, "the line in the file, not in the object");
        let unknown = SMALL.replace("[ATL] AML.TA0002", "[XYZ] AML.TA0002");
        assert_eq!(
            import_tables(unknown.as_bytes(), &options()),
            Err(ImportError::Tables(
                "AML.TA0002: unknown domain tag [XYZ] (known: ENT, MOB, ICS, ATL)".into()
            ))
        );
        let no_stix = SMALL.replace("\"T1078.004\":\"attack-pattern--2\",", "");
        assert_eq!(
            import_tables(no_stix.as_bytes(), &options()),
            Err(ImportError::Tables(
                "T1078.004: no STIX id in `stixIds`".into()
            ))
        );
        assert!(matches!(
            import_tables(b"const x = 1;", &options()),
            Err(ImportError::Tables(_))
        ));
    }
}
