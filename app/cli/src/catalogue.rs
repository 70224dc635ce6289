//! `medflow catalogue DIR`: the library's catalogue (its `README.md`) written from its files —
//! flows, pivot keys, use cases, example profiles with their scores, the control catalogue —
//! to standard output, to `-o FILE`, or compared with `DIR/README.md` (`--check`).
//!
//! Exit status: 0 when written (or up to date), 1 when `--check` finds it out of date, 2 when
//! a file of the library cannot be read or the output cannot be written.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use medflow_core::index::{Library, LibraryFile, markdown};
use medflow_core::{Document, ReadLimits, read_bundle};
use medflow_platform::library::{flow_files, profile_files, read_catalogue, use_case_files};
use medflow_platform::read_limited;
use medflow_platform::write_atomically;

use crate::Status;

/// The catalogue's file name in the library folder.
pub(crate) const README: &str = "README.md";

/// Reads each file of `paths`; `None` (after saying why) when one cannot be used.
fn read_all(
    folder: &Path,
    paths: Vec<PathBuf>,
    limits: &ReadLimits,
    stderr: &mut dyn Write,
) -> io::Result<Option<Vec<(String, Document)>>> {
    let mut read = Vec::new();
    let mut fine = true;
    for path in paths {
        let relative = path
            .strip_prefix(folder)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let outcome = read_limited(&path, limits.max_bytes)
            .map_err(|error| error.to_string())
            .and_then(|bytes| read_bundle(&bytes, limits).map_err(|error| error.to_string()));
        match outcome {
            Ok(outcome) => read.push((relative, outcome.document)),
            Err(error) => {
                writeln!(stderr, "{}: {error}", crate::shown(&path))?;
                fine = false;
            }
        }
    }
    Ok(fine.then_some(read))
}

fn files(read: &[(String, Document)]) -> Vec<LibraryFile<'_>> {
    read.iter()
        .map(|(path, document)| LibraryFile { path, document })
        .collect()
}

/// `medflow catalogue`.
pub(crate) fn run(
    folder: &Path,
    output: Option<&Path>,
    check: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<Status> {
    if !folder.is_dir() {
        writeln!(
            stderr,
            "medflow catalogue: {}: not a folder",
            crate::shown(folder)
        )?;
        return Ok(Status::Trouble);
    }
    let limits = ReadLimits::default();
    let flows = read_all(folder, flow_files(folder), &limits, stderr)?;
    let use_cases = read_all(folder, use_case_files(folder), &limits, stderr)?;
    let profiles = read_all(folder, profile_files(folder), &limits, stderr)?;
    let catalogue = match read_catalogue(folder, &limits) {
        Ok(catalogue) => Some(catalogue),
        Err(error) => {
            writeln!(
                stderr,
                "{}: {error}",
                crate::shown(&folder.join(medflow_core::library::CONTROL_CATALOGUE_FILE))
            )?;
            None
        }
    };
    let (Some(flows), Some(use_cases), Some(profiles), Some(catalogue)) =
        (flows, use_cases, profiles, catalogue)
    else {
        return Ok(Status::Trouble);
    };
    if flows.is_empty() {
        writeln!(
            stderr,
            "medflow catalogue: {}: no flow found",
            crate::shown(folder)
        )?;
        return Ok(Status::Trouble);
    }
    let text = markdown(&Library {
        flows: files(&flows),
        use_cases: files(&use_cases),
        profiles: files(&profiles),
        catalogue: catalogue.as_ref(),
    });
    if check {
        let path = folder.join(README);
        let current = std::fs::read(&path).unwrap_or_default();
        if current == text.as_bytes() {
            writeln!(stdout, "{}: up to date", crate::shown(&path))?;
            return Ok(Status::Ok);
        }
        writeln!(
            stdout,
            "{}: out of date; rewrite it with `medflow catalogue {} -o {}`",
            crate::shown(&path),
            crate::shown(folder),
            crate::shown(&path)
        )?;
        return Ok(Status::Problems);
    }
    match output {
        Some(path) => {
            if let Err(error) = write_atomically(path, text.as_bytes()) {
                writeln!(stderr, "{}: cannot write: {error}", crate::shown(path))?;
                return Ok(Status::Trouble);
            }
            writeln!(
                stdout,
                "wrote {} ({} flows, {} use cases, {} profiles)",
                crate::shown(path),
                flows.len(),
                use_cases.len(),
                profiles.len()
            )?;
        }
        None => stdout.write_all(text.as_bytes())?,
    }
    Ok(Status::Ok)
}
