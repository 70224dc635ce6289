//! `medflow validate`: every rule, over files and folders, as text or JSON; with
//! `--library DIR`, also each flow's drift from the library's control catalogue.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use medflow_core::control::{Drift, drift, not_in_catalogue_diagnostics};
use medflow_core::kind::{DocumentKind, document_kind};
use medflow_core::library::CONTROL_CATALOGUE_FILE;
use medflow_core::{
    Code, Context, Diagnostic, Document, ReadLimits, Severity, Tally, read_bundle, read_checked,
};
use serde_json::{Value, json};

use crate::{Format, Status};
use medflow_platform::library::CatalogueProblem;
use medflow_platform::{Found, ReadProblem, expand, read_limited};

/// The diagnostics of one file, or the reason it could not be checked.
struct FileReport {
    path: PathBuf,
    diagnostics: Vec<Diagnostic>,
    /// The fields of its controls that differ from the library's catalogue (`--library`).
    drift: Vec<Drift>,
    /// True when the file could not be read from disk at all (exit status 2).
    io_problem: bool,
}

impl FileReport {
    fn problem(path: PathBuf, diagnostic: Diagnostic, io_problem: bool) -> Self {
        Self {
            path,
            diagnostics: vec![diagnostic],
            drift: Vec::new(),
            io_problem,
        }
    }
}

/// How `validate` runs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options<'a> {
    /// Text or JSON.
    pub format: Format,
    /// Largest file accepted.
    pub max_bytes: usize,
    /// The library folder whose catalogue and flows the files are checked against.
    pub library: Option<&'a Path>,
    /// Warnings fail the run too.
    pub strict: bool,
}

pub(crate) fn run(
    paths: &[PathBuf],
    options: Options<'_>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<Status> {
    let Options {
        format,
        max_bytes,
        library,
        strict,
    } = options;
    let limits = ReadLimits {
        max_bytes,
        ..ReadLimits::default()
    };
    let (catalogue, catalogue_trouble) = match library {
        Some(folder) if !folder.is_dir() => {
            writeln!(
                stderr,
                "medflow validate: --library {}: not a folder",
                crate::shown(folder)
            )?;
            return Ok(Status::Trouble);
        }
        Some(folder) => read_catalogue(folder, &limits, stderr)?,
        None => (None, false),
    };
    let in_use = medflow_platform::load_catalog();
    crate::attack::announce(&in_use, stderr)?;
    let library_flows = library
        .map(|folder| library_flows(folder, &limits))
        .unwrap_or_default();
    let mut context = Context::with_catalog(&in_use.catalog);
    if library.is_some() {
        context = context.with_flows(&library_flows);
    }
    let found = match library {
        Some(folder) if paths.is_empty() => {
            let mut found = medflow_platform::expand_flows(&[folder.to_path_buf()]);
            found.extend(
                medflow_platform::use_case_files(folder)
                    .into_iter()
                    .chain(medflow_platform::profile_files(folder))
                    .map(Found::File),
            );
            found
        }
        _ => expand(paths),
    };
    let reports: Vec<FileReport> = found
        .into_iter()
        .map(|found| match found {
            Found::File(path) => check_file(path, &limits, context, catalogue.as_ref()),
            Found::Problem(path, error) => {
                let diagnostic = Diagnostic::document(
                    Code::ReadIo,
                    format!("cannot read {}: {error}", crate::shown(&path)),
                );
                FileReport::problem(path, diagnostic, true)
            }
        })
        .collect();

    let mut tally = Tally::of(reports.iter().flat_map(|report| &report.diagnostics));
    tally.warnings += reports
        .iter()
        .map(|report| report.drift.len())
        .sum::<usize>();
    match format {
        Format::Text => print_text(&reports, tally, stdout)?,
        Format::Json => print_json(&reports, tally, library.is_some(), stdout)?,
    }
    // The command ends the process: taking the catalog's thousands of entries apart one by
    // one would only add to the time of every `medflow validate` (a tenth of a small file's).
    std::mem::forget(in_use);
    Ok(
        if catalogue_trouble || reports.iter().any(|report| report.io_problem) {
            Status::Trouble
        } else if tally.errors > 0 || (strict && tally.warnings > 0) {
            Status::Problems
        } else {
            Status::Ok
        },
    )
}

/// Reads the catalogue of the library `folder`. `None` when it has none (noted on `stderr`)
/// or it cannot be read (said on `stderr`, with `true`: exit status 2).
fn read_catalogue(
    folder: &Path,
    limits: &ReadLimits,
    stderr: &mut dyn Write,
) -> io::Result<(Option<Document>, bool)> {
    match medflow_platform::read_catalogue(folder, limits) {
        Ok(Some(catalogue)) => Ok((Some(catalogue), false)),
        Ok(None) => {
            writeln!(
                stderr,
                "medflow: no control catalogue in {} (no {CONTROL_CATALOGUE_FILE}); \
                 control drift not checked",
                crate::shown(folder)
            )?;
            Ok((None, false))
        }
        Err(problem) => {
            let hint = if matches!(problem, CatalogueProblem::TooLarge { .. }) {
                " (see --max-bytes)"
            } else {
                ""
            };
            writeln!(
                stderr,
                "{}: error: cannot use the control catalogue: {problem}{hint}",
                crate::shown(&folder.join(CONTROL_CATALOGUE_FILE))
            )?;
            Ok((None, true))
        }
    }
}

/// The flows of the library `folder` that can be read (a flow that cannot is reported when it
/// is checked itself).
fn library_flows(folder: &Path, limits: &ReadLimits) -> Vec<Document> {
    medflow_platform::flow_files(folder)
        .iter()
        .filter_map(|path| read_limited(path, limits.max_bytes).ok())
        .filter_map(|bytes| read_bundle(&bytes, limits).ok())
        .map(|outcome| outcome.document)
        .collect()
}

/// The library folder a use case file lies in (`LIBRARY/use-cases/…`), if any.
fn library_of_use_case(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .find(|folder| {
            folder.file_name().and_then(|name| name.to_str())
                == Some(medflow_core::library::USE_CASE_FOLDER)
        })
        .and_then(Path::parent)
        .map(Path::to_path_buf)
}

fn check_file(
    path: PathBuf,
    limits: &ReadLimits,
    context: Context<'_>,
    catalogue: Option<&Document>,
) -> FileReport {
    let bytes = match read_limited(&path, limits.max_bytes) {
        Ok(bytes) => bytes,
        Err(ReadProblem::TooLarge { size_bytes, .. }) => {
            let diagnostic = Diagnostic::document(
                Code::ReadTooLarge,
                format!(
                    "the file is {size_bytes} bytes, over the limit of {} bytes (see --max-bytes)",
                    limits.max_bytes
                ),
            );
            return FileReport::problem(path, diagnostic, false);
        }
        Err(ReadProblem::Io(error)) => {
            let diagnostic =
                Diagnostic::document(Code::ReadIo, format!("cannot read the file: {error}"));
            return FileReport::problem(path, diagnostic, true);
        }
    };
    // Each object is checked as it is read (`read_checked`), not written back to JSON after.
    let read = read_checked(&bytes, limits);
    // The text is not needed once read: a large file's memory goes to validation instead.
    drop(bytes);
    match read {
        Ok(read) => {
            let outcome = &read.outcome;
            let mut diagnostics = outcome.diagnostics.clone();
            // A use case in a library's `use-cases/` folder is checked against that library's
            // flows, even when the library was not named.
            let near = (context.flows.is_none()
                && document_kind(&outcome.document) == DocumentKind::UseCase)
                .then(|| library_of_use_case(&path))
                .flatten()
                .map(|folder| library_flows(&folder, limits));
            let context = match &near {
                Some(flows) => context.with_flows(flows),
                None => context,
            };
            diagnostics.extend(read.validate(&context));
            if let Some(catalogue) = catalogue {
                diagnostics.extend(not_in_catalogue_diagnostics(&outcome.document, catalogue));
            }
            FileReport {
                path,
                diagnostics,
                drift: catalogue
                    .map(|catalogue| drift(&outcome.document, catalogue))
                    .unwrap_or_default(),
                io_problem: false,
            }
        }
        Err(error) => {
            let diagnostic = Diagnostic::document(error.code(), error.to_string());
            FileReport::problem(path, diagnostic, false)
        }
    }
}

fn print_text(reports: &[FileReport], tally: Tally, out: &mut dyn Write) -> io::Result<()> {
    for report in reports {
        for diagnostic in &report.diagnostics {
            writeln!(out, "{}: {diagnostic}", crate::shown(&report.path))?;
        }
        for drift in &report.drift {
            writeln!(
                out,
                "{}: {} [{}] {}: {}",
                crate::shown(&report.path),
                Severity::Warning,
                Code::ControlDrift,
                drift.control_id,
                drift_message(drift)
            )?;
        }
    }
    let files = reports.len();
    writeln!(
        out,
        "{files} file{} checked: {} error{}, {} warning{}",
        plural(files),
        tally.errors,
        plural(tally.errors),
        tally.warnings,
        plural(tally.warnings)
    )
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// What a drift line says after its code and control id.
fn drift_message(drift: &Drift) -> String {
    let shown = |text: &str| {
        if text.is_empty() {
            "(none)".to_owned()
        } else {
            format!("{text:?}")
        }
    };
    format!(
        "control {:?}: {} is {} here but {} in the control catalogue",
        drift.control_name,
        drift.field,
        shown(&drift.in_flow),
        shown(&drift.in_catalogue)
    )
}

fn print_json(
    reports: &[FileReport],
    tally: Tally,
    with_drift: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let files: Vec<Value> = reports
        .iter()
        .map(|report| {
            let mut file = json!({
                "path": path_text(&report.path),
                "diagnostics": report.diagnostics.iter().map(diagnostic_json).collect::<Vec<_>>(),
            });
            if with_drift {
                file["drift"] = report.drift.iter().map(drift_json).collect();
            }
            file
        })
        .collect();
    let document = json!({
        "files": files,
        "summary": {
            "files": reports.len(),
            "errors": tally.errors,
            "warnings": tally.warnings,
        },
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

fn diagnostic_json(diagnostic: &Diagnostic) -> Value {
    json!({
        "code": diagnostic.code.as_str(),
        "severity": diagnostic.severity().as_str(),
        "object_id": diagnostic.object_id,
        "message": diagnostic.message,
    })
}

fn drift_json(drift: &Drift) -> Value {
    json!({
        "code": Code::ControlDrift.as_str(),
        "severity": Severity::Warning.as_str(),
        "object_id": drift.control_id,
        "control_name": drift.control_name,
        "field": drift.field,
        "in_flow": drift.in_flow,
        "in_catalogue": drift.in_catalogue,
        "message": drift_message(drift),
    })
}

fn path_text(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_words_match_the_json_contract() {
        let diagnostic = Diagnostic::object(Code::GraphCycle, "attack-action--x", "loop");
        let value = diagnostic_json(&diagnostic);
        assert_eq!(value["severity"], "warning");
        assert_eq!(value["code"], "graph-cycle");
        assert_eq!(value["object_id"], "attack-action--x");
        assert_eq!(Severity::Error.as_str(), "error");
    }

    #[test]
    fn drift_reads_like_a_diagnostic() {
        let drift = Drift {
            control_id: "course-of-action--x".to_owned(),
            control_name: "MFA".to_owned(),
            field: "raci",
            in_flow: "HDO: AR".to_owned(),
            in_catalogue: String::new(),
        };
        assert_eq!(
            drift_message(&drift),
            "control \"MFA\": raci is \"HDO: AR\" here but (none) in the control catalogue"
        );
        let value = drift_json(&drift);
        assert_eq!(value["code"], "control-drift");
        assert_eq!(value["severity"], "warning");
        assert_eq!(value["object_id"], "course-of-action--x");
        assert_eq!(value["in_catalogue"], "");
    }
}
