//! `medflow simulate` and `medflow score`: flows (each alone) or use cases (`--use-case`,
//! their flows chained through pivots) walked against an architecture profile; which
//! patient-safety impacts stay reachable, by which path, and the device score with its
//! explanation and, with `--suggest`, the fewest further controls that close every
//! reachable impact. The rules and the formula: `app/core/src/simulate/README.md`.
//!
//! Exit status: 0 when it ran (1 when the score is below `--min`), 2 when a file cannot be
//! read or is not what it should be; then nothing is simulated.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use medflow_core::architecture::Profile;
use medflow_core::kind::{DocumentKind, document_kind};
use medflow_core::safety::UseCase;
use medflow_core::simulate::{
    Model, Outcome, Score, Setting, Simulation, Suggestion, Unit, score, suggest,
};
use medflow_core::{Document, ReadLimits, read_bundle};
use medflow_platform::read_limited;
use serde_json::{Value, json};

use crate::{Format, Status};

/// What a simulation is run on.
pub(crate) struct Request<'a> {
    /// The profile file.
    pub profile: &'a Path,
    /// Use case files; empty: each flow alone.
    pub use_cases: &'a [PathBuf],
    /// Flow files or library folders.
    pub paths: &'a [PathBuf],
    /// Largest file accepted.
    pub max_bytes: usize,
}

/// Everything read: the profile, the flows, the units to walk.
struct Loaded {
    profile: Profile,
    flows: Vec<(PathBuf, Document)>,
    use_cases: Vec<UseCase>,
}

fn read_document(path: &Path, limits: &ReadLimits) -> Result<Document, String> {
    let bytes = read_limited(path, limits.max_bytes).map_err(|error| error.to_string())?;
    read_bundle(&bytes, limits)
        .map(|outcome| outcome.document)
        .map_err(|error| error.to_string())
}

/// Reads the profile, the use cases and the flows; `None` (after saying why) when any file
/// cannot be used.
fn load(request: &Request<'_>, stderr: &mut dyn Write) -> io::Result<Option<Loaded>> {
    let limits = ReadLimits {
        max_bytes: request.max_bytes,
        ..ReadLimits::default()
    };
    let mut fine = true;
    let profile = match read_document(request.profile, &limits).and_then(|document| {
        if document_kind(&document) == DocumentKind::Profile {
            Profile::from_document(&document).map_err(|error| error.to_string())
        } else {
            Err(format!(
                "not an architecture profile (it is a {}); make one with `medflow profile new`",
                document_kind(&document).label()
            ))
        }
    }) {
        Ok(profile) => Some(profile),
        Err(error) => {
            writeln!(stderr, "{}: {error}", crate::shown(request.profile))?;
            None
        }
    };
    let mut use_cases = Vec::new();
    for path in request.use_cases {
        match read_document(path, &limits).and_then(|document| UseCase::from_document(&document)) {
            Ok(use_case) => use_cases.push(use_case),
            Err(error) => {
                writeln!(stderr, "{}: {error}", crate::shown(path))?;
                fine = false;
            }
        }
    }
    let (read, trouble) = crate::export::load(request.paths, request.max_bytes, stderr)?;
    fine &= !trouble;
    let mut flows = Vec::new();
    for (path, document) in read {
        let kind = document_kind(&document);
        if kind == DocumentKind::Flow && document.flow().is_some() {
            flows.push((path, document));
        } else {
            let hint = if kind == DocumentKind::UseCase {
                "; give a use case with --use-case"
            } else {
                ""
            };
            writeln!(
                stderr,
                "{}: not an attack flow (it is a {}){hint}",
                crate::shown(&path),
                kind.label()
            )?;
            fine = false;
        }
    }
    if flows.is_empty() && fine {
        writeln!(stderr, "medflow: no flow found in the paths given")?;
        fine = false;
    }
    Ok(match (profile, fine) {
        (Some(profile), true) => Some(Loaded {
            profile,
            flows,
            use_cases,
        }),
        _ => None,
    })
}

fn flow_id(document: &Document) -> Option<&str> {
    document.flow().map(|flow| flow.common.id.as_str())
}

/// The units to walk: each use case's flows chained, or each flow alone. `Err` names a flow
/// a use case needs that none of the paths holds.
fn units(loaded: &Loaded) -> Result<Vec<Unit<'_>>, String> {
    if loaded.use_cases.is_empty() {
        return Ok(loaded
            .flows
            .iter()
            .map(|(_, document)| Unit::alone(document))
            .collect());
    }
    let by_id: BTreeMap<&str, &Document> = loaded
        .flows
        .iter()
        .filter_map(|(_, document)| Some((flow_id(document)?, document)))
        .collect();
    loaded
        .use_cases
        .iter()
        .map(|use_case| {
            let flows = use_case
                .flows
                .iter()
                .map(|id| {
                    by_id.get(id.as_str()).copied().ok_or_else(|| {
                        format!(
                            "the use case \"{}\" names {id}, which none of the flows given holds",
                            use_case.name
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Unit {
                name: use_case.name.clone(),
                use_case: Some(use_case.id.clone()),
                flows,
                chained: true,
            })
        })
        .collect()
}

/// The model, the setting and the simulation, or the exit status after a message.
fn prepare(
    request: &Request<'_>,
    stderr: &mut dyn Write,
) -> io::Result<Result<(Model, Setting, Simulation), Status>> {
    let Some(loaded) = load(request, stderr)? else {
        return Ok(Err(Status::Trouble));
    };
    let units = match units(&loaded) {
        Ok(units) => units,
        Err(error) => {
            writeln!(stderr, "medflow: {error}")?;
            return Ok(Err(Status::Trouble));
        }
    };
    let model = Model::build_units(&units);
    let setting = Setting::from_profile(&loaded.profile);
    let simulation = model.simulate(&setting);
    Ok(Ok((model, setting, simulation)))
}

/// `medflow simulate`.
pub(crate) fn run_simulate(
    request: &Request<'_>,
    format: Format,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<Status> {
    let (model, setting, simulation) = match prepare(request, stderr)? {
        Ok(prepared) => prepared,
        Err(status) => return Ok(status),
    };
    match format {
        Format::Json => {
            let text =
                serde_json::to_string_pretty(&simulation_json(&model, &setting, &simulation))
                    .unwrap_or_default();
            writeln!(stdout, "{text}")?;
        }
        Format::Text => print_simulation(&model, &setting, &simulation, stdout)?,
    }
    Ok(Status::Ok)
}

/// What `medflow score` is asked for beyond the simulation.
pub(crate) struct ScoreOptions {
    /// Also find the fewest further controls.
    pub suggest: bool,
    /// Exit 1 below this score.
    pub min: Option<f64>,
    /// Output format.
    pub format: Format,
}

/// `medflow score`.
pub(crate) fn run_score(
    request: &Request<'_>,
    options: &ScoreOptions,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<Status> {
    if let Some(min) = options.min
        && !(0.0..=100.0).contains(&min)
    {
        writeln!(
            stderr,
            "medflow score: --min {min}: give a score from 0 to 100"
        )?;
        return Ok(Status::Trouble);
    }
    let (model, setting, simulation) = match prepare(request, stderr)? {
        Ok(prepared) => prepared,
        Err(status) => return Ok(status),
    };
    let result = score(&model, &simulation);
    let suggestion = options.suggest.then(|| suggest(&model, &setting));
    match options.format {
        Format::Json => {
            let mut value = json!({
                "profile": setting.name,
                "score": result.score,
                "total_weight": result.total_weight,
                "impacts": result.impacts,
                "deductions": result.deductions.iter().map(|deduction| json!({
                    "flow": deduction.flow,
                    "flow_name": deduction.flow_name,
                    "action_id": deduction.action_id,
                    "action_name": deduction.action_name,
                    "severity": deduction.impact.severity.as_str(),
                    "multi_patient": deduction.impact.multi_patient,
                    "weight": deduction.weight,
                    "points": deduction.points,
                    "detected": deduction.detected,
                    "path": deduction.path,
                    "missing_controls": deduction.missing_controls,
                })).collect::<Vec<_>>(),
            });
            if let (Some(suggestion), Some(map)) = (&suggestion, value.as_object_mut()) {
                map.insert("suggested_controls".into(), json!(suggestion.controls));
                map.insert("suggestion".into(), suggestion_json(suggestion));
            }
            let text = serde_json::to_string_pretty(&value).unwrap_or_default();
            writeln!(stdout, "{text}")?;
        }
        Format::Text => print_score(&model, &setting, &result, suggestion.as_ref(), stdout)?,
    }
    Ok(match options.min {
        Some(min) if result.score < min => Status::Problems,
        _ => Status::Ok,
    })
}

fn suggestion_json(suggestion: &Suggestion) -> Value {
    json!({
        "exact": suggestion.exact,
        "verified": suggestion.verified,
        "per_impact": suggestion.impacts.iter().map(|impact| json!({
            "flow": impact.flow,
            "action_id": impact.action_id,
            "controls": impact.controls,
            "lacking_prevention": impact.lacking_prevention,
        })).collect::<Vec<_>>(),
    })
}

fn simulation_json(model: &Model, setting: &Setting, simulation: &Simulation) -> Value {
    json!({
        "profile": setting.name,
        "units": model.units.iter().enumerate().map(|(index, unit)| {
            let flows: Vec<&str> = model.flows.iter().filter(|flow| flow.unit == index).map(|flow| flow.id.as_str()).collect();
            let assumed: Vec<&str> = assumed_keys(model, simulation, index);
            json!({"name": unit.name, "use_case": unit.use_case, "chained": unit.chained, "flows": flows, "assumed_keys": assumed})
        }).collect::<Vec<_>>(),
        "impacts": simulation.impacts.iter().map(|impact| json!({
            "flow": impact.flow,
            "flow_name": impact.flow_name,
            "use_case": model.units[impact.unit].use_case,
            "action_id": impact.action_id,
            "action_name": impact.action_name,
            "severity": impact.impact.severity.as_str(),
            "multi_patient": impact.impact.multi_patient,
            "harm": impact.impact.harm,
            "reachable": impact.reachable,
            "path": impact.path,
            "detections": impact.detections,
            "blocked_by": impact.blocked_by,
            "absent_components": impact.absent_components,
        })).collect::<Vec<_>>(),
    })
}

/// The entry keys a unit's flows took as held (each flow alone).
fn assumed_keys<'a>(model: &'a Model, simulation: &Simulation, unit: usize) -> Vec<&'a str> {
    let mut keys: Vec<&str> = model
        .steps
        .iter()
        .enumerate()
        .filter(|(index, step)| {
            model.flows[step.flow].unit == unit
                && !model.flows[step.flow].chained
                && simulation.run.states[*index].outcome == Outcome::Reached
        })
        .filter_map(|(_, step)| {
            step.pivot
                .as_ref()
                .filter(|pivot| pivot.role == medflow_core::safety::PivotRole::Entry)
                .map(|pivot| pivot.key.as_str())
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn severity_words(impact: &medflow_core::safety::Impact) -> String {
    if impact.multi_patient {
        format!("{}, multi-patient", impact.severity.as_str())
    } else {
        impact.severity.as_str().to_owned()
    }
}

fn action_names(model: &Model, ids: &[String]) -> String {
    ids.iter()
        .map(|id| {
            model
                .steps
                .iter()
                .find(|step| &step.id == id)
                .map_or(id.as_str(), |step| step.name.as_str())
        })
        .map(|name| {
            if name.is_empty() {
                "(unnamed action)"
            } else {
                name
            }
        })
        .collect::<Vec<_>>()
        .join(" > ")
}

fn control_names(model: &Model, ids: &[String]) -> String {
    ids.iter()
        .map(|id| match model.control(id) {
            Some(index) if !model.controls[index].name.is_empty() => {
                format!("{} ({id})", model.controls[index].name)
            }
            _ => id.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn print_setting(setting: &Setting, stdout: &mut dyn Write) -> io::Result<()> {
    writeln!(
        stdout,
        "Profile \"{}\": {} components present, {} controls implemented, {} assumptions",
        setting.name,
        setting
            .present
            .as_ref()
            .map_or(0, std::collections::BTreeSet::len),
        setting.implemented.len(),
        setting.assumptions.len()
    )
}

fn print_simulation(
    model: &Model,
    setting: &Setting,
    simulation: &Simulation,
    stdout: &mut dyn Write,
) -> io::Result<()> {
    print_setting(setting, stdout)?;
    for (index, unit) in model.units.iter().enumerate() {
        writeln!(stdout)?;
        if unit.chained {
            let names: Vec<&str> = model
                .flows
                .iter()
                .filter(|flow| flow.unit == index)
                .map(|flow| flow.name.as_str())
                .collect();
            writeln!(
                stdout,
                "Use case \"{}\": {}",
                unit.name,
                names.join(", then ")
            )?;
        } else {
            let assumed = assumed_keys(model, simulation, index);
            let note = if assumed.is_empty() {
                String::new()
            } else {
                format!("; entry keys taken as held: {}", assumed.join(", "))
            };
            writeln!(stdout, "Flow \"{}\" (alone{note})", unit.name)?;
        }
        let impacts: Vec<_> = simulation
            .by_severity()
            .into_iter()
            .filter(|impact| impact.unit == index)
            .collect();
        if impacts.is_empty() {
            writeln!(stdout, "  no action states a patient-safety impact")?;
        }
        for impact in impacts {
            let name = impact.action_label();
            let verdict = impact.verdict();
            writeln!(
                stdout,
                "  {verdict:<14} {:<26} {name}: {}",
                severity_words(&impact.impact),
                impact.impact.harm
            )?;
            if impact.reachable {
                writeln!(
                    stdout,
                    "  {:<14} path ({} actions, {} detection opportunities): {}",
                    "",
                    impact.path.len(),
                    impact.detections,
                    action_names(model, &impact.path)
                )?;
            }
            if !impact.blocked_by.is_empty() {
                writeln!(
                    stdout,
                    "  {:<14} blocked by: {}",
                    "",
                    control_names(model, &impact.blocked_by)
                )?;
            }
            if !impact.absent_components.is_empty() {
                writeln!(
                    stdout,
                    "  {:<14} components the device lacks: {}",
                    "",
                    impact.absent_components.join(", ")
                )?;
            }
        }
    }
    let reachable = simulation
        .impacts
        .iter()
        .filter(|impact| impact.reachable)
        .count();
    writeln!(stdout)?;
    writeln!(
        stdout,
        "{reachable} of {} impacts reachable",
        simulation.impacts.len()
    )
}

fn print_score(
    model: &Model,
    setting: &Setting,
    result: &Score,
    suggestion: Option<&Suggestion>,
    stdout: &mut dyn Write,
) -> io::Result<()> {
    print_setting(setting, stdout)?;
    writeln!(
        stdout,
        "Score: {:.1} / 100 ({} impacts, total weight {})",
        result.score, result.impacts, result.total_weight
    )?;
    if result.impacts == 0 {
        writeln!(
            stdout,
            "No flow states a patient-safety impact, so the score says nothing: mark the harm an action causes (its impact) first."
        )?;
    } else if result.deductions.is_empty() {
        writeln!(stdout, "No impact is reachable.")?;
    }
    for deduction in &result.deductions {
        writeln!(
            stdout,
            "  -{:<5.1} {} (weight {}) in \"{}\": {}",
            deduction.points,
            severity_words(&deduction.impact),
            deduction.weight,
            deduction.flow_name,
            deduction.action_name
        )?;
        let detection = if deduction.detected {
            "detected on the way: half the points kept"
        } else {
            "no detection opportunity"
        };
        writeln!(
            stdout,
            "         path: {} ({detection})",
            action_names(model, &deduction.path)
        )?;
        if deduction.missing_controls.is_empty() {
            writeln!(stdout, "         no prevention control addresses this path")?;
        } else {
            writeln!(
                stdout,
                "         missing controls (any one breaks this path): {}",
                control_names(model, &deduction.missing_controls)
            )?;
        }
    }
    let Some(suggestion) = suggestion else {
        return Ok(());
    };
    writeln!(stdout)?;
    if suggestion.controls.is_empty() {
        writeln!(stdout, "Suggested controls: none needed")?;
    } else {
        writeln!(
            stdout,
            "Suggested controls ({}), the fewest that make every blockable impact unreachable{}:",
            suggestion.controls.len(),
            if suggestion.exact {
                ""
            } else {
                " (the search stopped early: maybe not the fewest)"
            }
        )?;
        for control in &suggestion.controls {
            writeln!(
                stdout,
                "  {}",
                control_names(model, std::slice::from_ref(control))
            )?;
        }
    }
    for impact in &suggestion.impacts {
        let name = action_names(model, std::slice::from_ref(&impact.action_id));
        if impact.lacking_prevention.is_empty() {
            writeln!(
                stdout,
                "  to close \"{name}\" alone: {}",
                control_names(model, &impact.controls)
            )?;
        } else {
            writeln!(
                stdout,
                "  \"{name}\" cannot be blocked by the catalogue's controls: no prevention control addresses {}",
                action_names(model, &impact.lacking_prevention)
            )?;
        }
    }
    Ok(())
}
