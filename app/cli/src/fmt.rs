//! `medflow fmt`: rewrite files in the canonical form, check that they are, or write the
//! canonical form of one file elsewhere.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use medflow_core::{ReadLimits, read_bundle, write_bundle};

use crate::Status;
use medflow_platform::{Found, ReadProblem, expand, read_limited, write_atomically};

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
    if output.is_some() && (paths.len() != 1 || files.len() != 1) {
        writeln!(
            stderr,
            "medflow fmt: -o/--output needs exactly one input FILE"
        )?;
        return Ok(Status::Trouble);
    }
    let mut trouble = false;
    let mut would_change = 0usize;
    let mut changed = 0usize;
    for found in files {
        let path = match found {
            Found::File(path) => path,
            Found::Problem(path, error) => {
                writeln!(stderr, "{}: cannot read: {error}", path.display())?;
                trouble = true;
                continue;
            }
        };
        let bytes = match read_limited(&path, max_bytes) {
            Ok(bytes) => bytes,
            Err(ReadProblem::TooLarge { size_bytes, .. }) => {
                writeln!(
                    stderr,
                    "{}: the file is {size_bytes} bytes, over the limit of {max_bytes} bytes",
                    path.display()
                )?;
                trouble = true;
                continue;
            }
            Err(ReadProblem::Io(error)) => {
                writeln!(stderr, "{}: cannot read: {error}", path.display())?;
                trouble = true;
                continue;
            }
        };
        let canonical = match read_bundle(&bytes, &limits) {
            Ok(outcome) => write_bundle(&outcome.document),
            Err(error) => {
                writeln!(stderr, "{}: {error}", path.display())?;
                trouble = true;
                continue;
            }
        };
        if let Some(target) = output {
            if let Err(error) = write_atomically(target, &canonical) {
                writeln!(stderr, "{}: cannot write: {error}", target.display())?;
                trouble = true;
            }
            continue;
        }
        if canonical == bytes {
            continue;
        }
        if check {
            writeln!(stdout, "would reformat {}", path.display())?;
            would_change += 1;
        } else if let Err(error) = write_atomically(&path, &canonical) {
            writeln!(stderr, "{}: cannot write: {error}", path.display())?;
            trouble = true;
        } else {
            writeln!(stdout, "reformatted {}", path.display())?;
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
