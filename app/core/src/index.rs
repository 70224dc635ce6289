//! The flow library's catalogue (`flows/README.md`), written from the library's files so it
//! never drifts from them: the flows with their category, origin, impacts and pivots; the
//! pivot keys and which flows hand them on and take them up; the use cases; the example
//! device profiles with the score of the library against each; the control catalogue with
//! every control's RACI. The same files always give the same text.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::Document;
use crate::architecture::{Architecture, Profile};
use crate::control::{ControlKind, Party, controls};
use crate::safety::{
    Category, HarmSeverity, Origin, PivotRole, UseCase, document_flow_meta, impacts, pivots,
};
use crate::simulate::{Model, Setting, Unit, score};

/// One file of the library: its path relative to the library folder, and its document.
#[derive(Debug, Clone, Copy)]
pub struct LibraryFile<'a> {
    /// The path, with `/` separators (`use-cases/x.json`).
    pub path: &'a str,
    /// The file, read.
    pub document: &'a Document,
}

/// The library's files, each kind in path order.
#[derive(Debug, Clone, Default)]
pub struct Library<'a> {
    /// Its flows.
    pub flows: Vec<LibraryFile<'a>>,
    /// Its use cases (`use-cases/`).
    pub use_cases: Vec<LibraryFile<'a>>,
    /// Its example device profiles (`profiles/`).
    pub profiles: Vec<LibraryFile<'a>>,
    /// Its control catalogue (`controls.json`), when it has one.
    pub catalogue: Option<&'a Document>,
}

/// The command that rewrites the catalogue, named in its first lines.
pub const REGENERATE: &str = "medflow catalogue flows -o flows/README.md";

/// Text in a Markdown table cell: no line breaks, no bare `|`.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

fn flow_name(document: &Document) -> String {
    document
        .flow()
        .and_then(|flow| flow.name.clone())
        .unwrap_or_else(|| "(unnamed flow)".to_owned())
}

fn flow_id(document: &Document) -> Option<&str> {
    document.flow().map(|flow| flow.common.id.as_str())
}

fn severity_list(document: &Document) -> String {
    let mut counts: BTreeMap<(std::cmp::Reverse<HarmSeverity>, bool), usize> = BTreeMap::new();
    for (_, impact) in impacts(document) {
        *counts
            .entry((std::cmp::Reverse(impact.severity), impact.multi_patient))
            .or_default() += 1;
    }
    if counts.is_empty() {
        return "none stated".to_owned();
    }
    counts
        .into_iter()
        .map(|((std::cmp::Reverse(severity), multi), count)| {
            let times = if count > 1 {
                format!(" ×{count}")
            } else {
                String::new()
            };
            let multi = if multi { " (multi-patient)" } else { "" };
            format!("{}{times}{multi}", severity.as_str())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn pivot_list(document: &Document) -> String {
    let mut words = Vec::new();
    for role in PivotRole::ALL {
        let keys: BTreeSet<String> = pivots(document)
            .into_iter()
            .filter(|(_, pivot)| pivot.role == role)
            .map(|(_, pivot)| pivot.key)
            .collect();
        if !keys.is_empty() {
            let arrow = if role == PivotRole::Entry {
                "from"
            } else {
                "to"
            };
            let keys: Vec<String> = keys.iter().map(|key| format!("`{key}`")).collect();
            words.push(format!("{arrow} {}", keys.join(", ")));
        }
    }
    if words.is_empty() {
        "—".to_owned()
    } else {
        words.join("; ")
    }
}

fn techniques(document: &Document) -> BTreeSet<String> {
    document
        .objects
        .iter()
        .filter_map(|object| match object {
            crate::StixObject::AttackAction(action) => action.technique_id.clone(),
            _ => None,
        })
        .collect()
}

/// The catalogue of `library` as Markdown.
#[must_use]
pub fn markdown(library: &Library<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# The MedFlow Studio flow library\n");
    let _ = writeln!(
        out,
        "Patient-safety attack flows against the cloud-connected robotic-assisted surgery \
         system of the RAS reference architecture, the use cases that chain them, and example \
         device profiles to simulate them against. Every file is a STIX 2.1 bundle in Attack \
         Flow 2.0 form, written by MedFlow Studio in its canonical form; the editor opens the \
         library when no file is given.\n"
    );
    let _ = writeln!(
        out,
        "This catalogue is written from the files by `{REGENERATE}`; do not edit it by hand \
         (`medflow catalogue flows --check` fails when it is out of date).\n"
    );
    flows_section(&mut out, library);
    pivots_section(&mut out, library);
    use_cases_section(&mut out, library);
    profiles_section(&mut out, library);
    controls_section(&mut out, library);
    out
}

fn flows_section(out: &mut String, library: &Library<'_>) {
    let _ = writeln!(out, "## Flows ({})\n", library.flows.len());
    let mut by_category: BTreeMap<Option<Category>, Vec<LibraryFile<'_>>> = BTreeMap::new();
    for file in &library.flows {
        by_category
            .entry(document_flow_meta(file.document).category)
            .or_default()
            .push(*file);
    }
    let realized = library
        .flows
        .iter()
        .filter(|file| origin_of(file.document) == Some(Origin::Realized))
        .count();
    let _ = writeln!(
        out,
        "{realized} realized (the pattern was used against a health delivery organisation; \
         the flow cites the public account) and {} theoretical (the flow gives the research or \
         reasoning it rests on). Impacts are on the five-step harm scale (negligible, minor, \
         serious, critical, catastrophic); multi-patient marks harm that reaches many \
         patients or devices at once. Pivots name what the attacker holds where a flow starts \
         from an earlier one or hands on to a later one.\n",
        library.flows.len() - realized
    );
    let _ = writeln!(
        out,
        "| Category | Flow | Origin | Impacts | Pivots | Actions | Techniques |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    for category in Category::ALL.iter().map(|c| Some(*c)).chain([None]) {
        for file in by_category.get(&category).into_iter().flatten() {
            let document = file.document;
            let actions = document
                .objects
                .iter()
                .filter(|object| matches!(object, crate::StixObject::AttackAction(_)))
                .count();
            let _ = writeln!(
                out,
                "| {} | [{}]({}) | {} | {} | {} | {actions} | {} |",
                category.map_or("(none)", Category::label),
                cell(&flow_name(document)),
                file.path,
                origin_of(document).map_or("(not stated)", Origin::as_str),
                severity_list(document),
                pivot_list(document),
                techniques(document).len(),
            );
        }
    }
    let _ = writeln!(out);
}

fn origin_of(document: &Document) -> Option<Origin> {
    document_flow_meta(document).origin
}

fn pivots_section(out: &mut String, library: &Library<'_>) {
    let mut keys: BTreeMap<String, [BTreeSet<String>; 2]> = BTreeMap::new();
    for file in &library.flows {
        for (_, pivot) in pivots(file.document) {
            let side = usize::from(pivot.role == PivotRole::Entry);
            keys.entry(pivot.key).or_default()[side].insert(flow_name(file.document));
        }
    }
    let _ = writeln!(out, "## Pivot keys ({})\n", keys.len());
    let _ = writeln!(
        out,
        "A flow that ends holding a key hands the attack on to every flow that starts from \
         it; a use case chains such flows.\n"
    );
    let _ = writeln!(out, "| Key | Handed on by | Taken up by |");
    let _ = writeln!(out, "|---|---|---|");
    for (key, [exits, entries]) in &keys {
        let list = |names: &BTreeSet<String>| {
            if names.is_empty() {
                "—".to_owned()
            } else {
                names.iter().map(|n| cell(n)).collect::<Vec<_>>().join("; ")
            }
        };
        let _ = writeln!(out, "| `{key}` | {} | {} |", list(exits), list(entries));
    }
    let _ = writeln!(out);
}

fn use_cases_section(out: &mut String, library: &Library<'_>) {
    let names: BTreeMap<&str, String> = library
        .flows
        .iter()
        .filter_map(|file| Some((flow_id(file.document)?, flow_name(file.document))))
        .collect();
    let _ = writeln!(out, "## Use cases ({})\n", library.use_cases.len());
    let _ = writeln!(out, "| Use case | Flows, in order | What it shows |");
    let _ = writeln!(out, "|---|---|---|");
    for file in &library.use_cases {
        match UseCase::from_document(file.document) {
            Ok(use_case) => {
                let chain: Vec<String> = use_case
                    .flows
                    .iter()
                    .map(|id| {
                        names
                            .get(id.as_str())
                            .map_or_else(|| format!("{id} (missing)"), |name| cell(name))
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "| [{}]({}) | {} | {} |",
                    cell(&use_case.name),
                    file.path,
                    chain.join(" → "),
                    cell(&use_case.description)
                );
            }
            Err(error) => {
                let _ = writeln!(
                    out,
                    "| {} | (cannot be read: {}) | |",
                    file.path,
                    cell(&error)
                );
            }
        }
    }
    let _ = writeln!(out);
}

fn profiles_section(out: &mut String, library: &Library<'_>) {
    let _ = writeln!(
        out,
        "## Example device profiles ({})\n",
        library.profiles.len()
    );
    let _ = writeln!(
        out,
        "The score is the library's flows, each walked alone, against the profile \
         (`medflow score --profile FILE flows/`): 100 when no patient-safety impact stays \
         reachable.\n"
    );
    let _ = writeln!(
        out,
        "| Profile | The device | Components left out | Controls implemented | Impacts reachable | Score |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    let units: Vec<Unit<'_>> = library
        .flows
        .iter()
        .map(|file| Unit::alone(file.document))
        .collect();
    let model = Model::build_units(&units);
    let reference = Architecture::reference();
    for file in &library.profiles {
        let Ok(profile) = Profile::from_document(file.document) else {
            let _ = writeln!(out, "| {} | (cannot be read) | | | | |", file.path);
            continue;
        };
        let description = file
            .document
            .objects
            .iter()
            .find(|object| object.id() == profile.id)
            .and_then(|object| object.to_json().get("description")?.as_str().map(cell))
            .unwrap_or_default();
        let absent: Vec<String> = profile
            .components
            .iter()
            .filter(|component| !component.present)
            .map(|component| {
                reference
                    .component(&component.key)
                    .map_or_else(|| component.key.clone(), |known| known.name.clone())
            })
            .collect();
        let setting = Setting::from_profile(&profile);
        let simulation = model.simulate(&setting);
        let result = score(&model, &simulation);
        let reachable = simulation
            .impacts
            .iter()
            .filter(|impact| impact.reachable)
            .count();
        let _ = writeln!(
            out,
            "| [{}]({}) | {description} | {} | {} | {reachable} of {} | {:.1} |",
            cell(&profile.name),
            file.path,
            if absent.is_empty() {
                "none".to_owned()
            } else {
                cell(&absent.join(", "))
            },
            profile.controls.len(),
            simulation.impacts.len(),
            result.score,
        );
    }
    let _ = writeln!(out);
}

fn controls_section(out: &mut String, library: &Library<'_>) {
    let Some(catalogue) = library.catalogue else {
        return;
    };
    let mut defined = controls(catalogue);
    defined.sort_by(|a, b| {
        let id = |c: &crate::control::Control| c.source.as_ref().map(|s| s.id().to_owned());
        id(a).cmp(&id(b)).then_with(|| a.name.cmp(&b.name))
    });
    let count = |kind: ControlKind| {
        defined
            .iter()
            .filter(|control| control.kind == Some(kind))
            .count()
    };
    let _ = writeln!(out, "## Controls ({})\n", defined.len());
    let _ = writeln!(
        out,
        "The control catalogue `controls.json`: {} prevention, {} detection and {} response \
         controls; ATT&CK mitigations (`M…`) and detection strategies (`DET…`) where they fit, \
         the product's own (`MF-C-…`) for what ATT&CK lacks. Every flow's copy of a control \
         equals its definition here. Responsibility (RACI: Responsible, Accountable, \
         Consulted, Informed) follows a device service run by the manufacturer on a cloud \
         provider: the provider answers for its infrastructure and platform services, the \
         manufacturer for the device and its cloud application, the hospital for its network, \
         staff and procedures, the EHR vendor for its platform and its side of the link.\n",
        count(ControlKind::Prevent),
        count(ControlKind::Detect),
        count(ControlKind::Respond),
    );
    let parties: Vec<&str> = Party::ALL.iter().map(|party| party.short_name()).collect();
    let _ = writeln!(
        out,
        "| Id | Control | Kind | FDA category | {} |",
        parties.join(" | ")
    );
    let _ = writeln!(out, "|---|---|---|---|{}", "---|".repeat(parties.len()));
    for control in &defined {
        let roles: Vec<String> = Party::ALL
            .iter()
            .map(|party| {
                control
                    .raci
                    .get(party)
                    .filter(|roles| !roles.is_empty())
                    .map_or_else(
                        || "—".to_owned(),
                        |roles| roles.iter().map(crate::control::Role::letter).collect(),
                    )
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            control.source.as_ref().map_or("", |source| source.id()),
            cell(&control.name),
            control.kind.map_or("", ControlKind::as_str),
            control.fda_category.map_or("", |category| category.label()),
            roles.join(" | ")
        );
    }
}
