//! `medflow validate`: every rule, over files and folders, as text or JSON.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use medflow_core::{Code, Context, Diagnostic, ReadLimits, Tally, read_bundle, validate};
use serde_json::{Value, json};

use crate::{Format, Status};
use medflow_platform::{Found, ReadProblem, expand, read_limited};

/// The diagnostics of one file, or the reason it could not be checked.
struct FileReport {
    path: PathBuf,
    diagnostics: Vec<Diagnostic>,
    /// True when the file could not be read from disk at all (exit status 2).
    io_problem: bool,
}

pub(crate) fn run(
    paths: &[PathBuf],
    format: Format,
    max_bytes: usize,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<Status> {
    let in_use = medflow_platform::load_catalog();
    crate::attack::announce(&in_use, stderr)?;
    let context = Context::with_catalog(&in_use.catalog);
    let limits = ReadLimits {
        max_bytes,
        ..ReadLimits::default()
    };
    let reports: Vec<FileReport> = expand(paths)
        .into_iter()
        .map(|found| match found {
            Found::File(path) => check_file(path, &limits, context),
            Found::Problem(path, error) => FileReport {
                diagnostics: vec![Diagnostic::document(
                    Code::ReadIo,
                    format!("cannot read {}: {error}", path.display()),
                )],
                path,
                io_problem: true,
            },
        })
        .collect();

    let tally = Tally::of(reports.iter().flat_map(|report| &report.diagnostics));
    match format {
        Format::Text => print_text(&reports, tally, stdout)?,
        Format::Json => print_json(&reports, tally, stdout)?,
    }
    Ok(if reports.iter().any(|report| report.io_problem) {
        Status::Trouble
    } else if tally.errors > 0 {
        Status::Problems
    } else {
        Status::Ok
    })
}

fn check_file(path: PathBuf, limits: &ReadLimits, context: Context<'_>) -> FileReport {
    let bytes = match read_limited(&path, limits.max_bytes) {
        Ok(bytes) => bytes,
        Err(ReadProblem::TooLarge { size_bytes, .. }) => {
            return FileReport {
                diagnostics: vec![Diagnostic::document(
                    Code::ReadTooLarge,
                    format!(
                        "the file is {size_bytes} bytes, over the limit of {} bytes (see --max-bytes)",
                        limits.max_bytes
                    ),
                )],
                path,
                io_problem: false,
            };
        }
        Err(ReadProblem::Io(error)) => {
            return FileReport {
                diagnostics: vec![Diagnostic::document(
                    Code::ReadIo,
                    format!("cannot read the file: {error}"),
                )],
                path,
                io_problem: true,
            };
        }
    };
    let diagnostics = match read_bundle(&bytes, limits) {
        Ok(outcome) => {
            let mut diagnostics = outcome.diagnostics;
            diagnostics.extend(validate(&outcome.document, &context));
            diagnostics
        }
        Err(error) => vec![Diagnostic::document(error.code(), error.to_string())],
    };
    FileReport {
        path,
        diagnostics,
        io_problem: false,
    }
}

fn print_text(reports: &[FileReport], tally: Tally, out: &mut dyn Write) -> io::Result<()> {
    for report in reports {
        for diagnostic in &report.diagnostics {
            writeln!(out, "{}: {diagnostic}", report.path.display())?;
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

fn print_json(reports: &[FileReport], tally: Tally, out: &mut dyn Write) -> io::Result<()> {
    let files: Vec<Value> = reports
        .iter()
        .map(|report| {
            json!({
                "path": path_text(&report.path),
                "diagnostics": report.diagnostics.iter().map(diagnostic_json).collect::<Vec<_>>(),
            })
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

fn path_text(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use medflow_core::Severity;

    #[test]
    fn severity_words_match_the_json_contract() {
        let diagnostic = Diagnostic::object(Code::GraphCycle, "attack-action--x", "loop");
        let value = diagnostic_json(&diagnostic);
        assert_eq!(value["severity"], "warning");
        assert_eq!(value["code"], "graph-cycle");
        assert_eq!(value["object_id"], "attack-action--x");
        assert_eq!(Severity::Error.as_str(), "error");
    }
}
