//! `medflow fmt`: rewrite files in the canonical form, check that they are, or write the
//! canonical form of one file elsewhere.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use medflow_core::{ReadLimits, write_bundle};

use crate::Status;
use medflow_platform::{expand, write_atomically};

pub(crate) fn run(
    paths: &[PathBuf],
    check: bool,
    output: Option<&Path>,
    max_bytes: usize,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<Status> {
    let limits = ReadLimits {
        max_bytes,
        ..ReadLimits::default()
    };
    let files = expand(paths);
    if output.is_some() && (paths.len() != 1 || files.len() != 1 || paths[0].is_dir()) {
        let given = match paths {
            [folder] if folder.is_dir() => format!(
                "{} is a folder ({} file(s)); format a folder in place, without -o",
                crate::shown(folder),
                files.len()
            ),
            _ => format!("{} paths were given", paths.len()),
        };
        writeln!(
            stderr,
            "medflow fmt: -o/--output writes the canonical form of one FILE, but {given}"
        )?;
        return Ok(Status::Trouble);
    }
    let mut trouble = false;
    let mut would_change = 0usize;
    let mut changed = 0usize;
    for found in files {
        let Some((path, bytes, outcome)) = crate::read_found(found, &limits, stderr)? else {
            trouble = true;
            continue;
        };
        // The canonical form of what is not a bundle would silently be a different file.
        if let Some(foreign) = &outcome.foreign {
            writeln!(
                stderr,
                "{}: not formatted: {}",
                crate::shown(&path),
                foreign.explanation()
            )?;
            trouble = true;
            continue;
        }
        let canonical = write_bundle(&outcome.document);
        if let Some(target) = output {
            if target == Path::new("-") {
                stdout.write_all(&canonical)?;
            } else if let Err(error) = write_atomically(target, &canonical) {
                writeln!(stderr, "{}: cannot write: {error}", crate::shown(target))?;
                trouble = true;
            }
            continue;
        }
        if canonical == bytes {
            continue;
        }
        if check {
            writeln!(stdout, "would reformat {}", crate::shown(&path))?;
            would_change += 1;
        } else if let Err(error) = write_atomically(&path, &canonical) {
            writeln!(stderr, "{}: cannot write: {error}", crate::shown(&path))?;
            trouble = true;
        } else {
            writeln!(stdout, "reformatted {}", crate::shown(&path))?;
            changed += 1;
        }
    }
    if check && would_change > 0 {
        writeln!(stdout, "{would_change} file(s) would be reformatted")?;
    } else if changed > 0 {
        writeln!(stdout, "{changed} file(s) reformatted")?;
    }
    Ok(if trouble {
        Status::Trouble
    } else if would_change > 0 {
        Status::Problems
    } else {
        Status::Ok
    })
}
