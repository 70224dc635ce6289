//! MedFlow Studio's headless commands, as a library the `medflow` binary calls.
//!
//! Arguments are parsed into a resolved [`Command`], which runs against the core and writes to
//! the given output streams. Exit codes follow the ripgrep convention: 0 when all is well,
//! 1 when problems were found, 2 on usage or I/O errors. A problem with one file never stops
//! the run.

mod attack;
mod catalogue;
mod diff;
mod export;
mod fmt;
mod profile;
mod simulate;
mod validate;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use medflow_platform::Found;

/// The process exit status of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Everything is fine.
    Ok = 0,
    /// The command ran and found problems (validation errors, files that need formatting).
    Problems = 1,
    /// Bad usage, or a file could not be read or written.
    Trouble = 2,
}

impl From<Status> for std::process::ExitCode {
    fn from(status: Status) -> Self {
        Self::from(status as u8)
    }
}

/// `medflow`: attack flows for cloud-connected medical devices.
#[derive(Debug, Parser)]
#[command(
    name = "medflow",
    version,
    about = "MedFlow Studio: attack flows for cloud-connected medical devices.\nWithout a command (or with a flow file), `medflow` opens the editor.",
    long_about = None
)]
struct Arguments {
    #[command(subcommand)]
    command: Command,
}

/// A resolved command line.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check Attack Flow files against STIX 2.1, Attack Flow 2.0 and the product's rules.
    Validate {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Largest file accepted, in bytes.
        #[arg(long, default_value_t = medflow_core::ReadLimits::default().max_bytes)]
        max_bytes: usize,
        /// Also check each flow's controls against the library's control catalogue,
        /// DIR/controls.json.
        ///
        /// Without PATH, every flow of DIR is checked (the catalogue itself left out). Each
        /// field of a flow's control that differs from the catalogue's definition of the same
        /// control id (`name`, `description`, `kind`, `fda_category`, `source`, `raci`) is reported as a
        /// warning with code `control-drift`: in text, one line like the other problems; in
        /// JSON, in a `drift` array beside each file's `diagnostics`. Drift is counted with the
        /// warnings and, like them, does not change the exit status. Controls the catalogue
        /// does not define are not drift. A missing catalogue is noted on standard error; one
        /// that cannot be read makes the exit status 2.
        #[arg(long, value_name = "DIR")]
        library: Option<PathBuf>,
        /// Fail (exit 1) on warnings too: catalog facts (unknown, deprecated or revoked ATT&CK
        /// and ATLAS ids, a technique outside its tactic), quality rules (coverage,
        /// connectivity) and control drift. Without it, exit 0 means the files as written are
        /// valid STIX 2.1 and Attack Flow 2.0 and break no rule of the product's extension.
        #[arg(long)]
        strict: bool,
        /// Files, or folders searched recursively for `*.json`.
        #[arg(required_unless_present = "library")]
        paths: Vec<PathBuf>,
    },
    /// Rewrite files in the canonical form (in place, atomically).
    Fmt {
        /// Change nothing; exit 1 if any file would change.
        #[arg(long)]
        check: bool,
        /// Write the canonical form of the single FILE here instead of in place (`-` for
        /// standard output).
        #[arg(short, long, value_name = "OUT", conflicts_with = "check")]
        output: Option<PathBuf>,
        /// Largest file accepted, in bytes.
        #[arg(long, default_value_t = medflow_core::ReadLimits::default().max_bytes)]
        max_bytes: usize,
        /// Files, or folders searched recursively for `*.json`.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// The offline ATT&CK catalog: search, look up, count, import a newer release.
    Attack {
        /// What to do with the catalog.
        #[command(subcommand)]
        command: attack::AttackCommand,
    },
    /// Reports of a flow or a library: the RACI matrix of its controls, its control coverage.
    Export {
        /// What to export.
        #[command(subcommand)]
        command: export::ExportCommand,
    },
    /// Architecture profiles: one product described against the reference architecture.
    Profile {
        /// What to do.
        #[command(subcommand)]
        command: profile::ProfileCommand,
    },
    /// Write a flow library's catalogue (its README.md) from its files: the flows with
    /// their category, origin, impacts and pivots, the pivot keys, the use cases, the example
    /// profiles with the library's score against each, and the control catalogue with RACI.
    ///
    /// Exit 0 when written or up to date, 1 when --check finds it out of date, 2 when a file
    /// cannot be read or written.
    Catalogue {
        /// Write it here (atomically) instead of to standard output.
        #[arg(short, long, value_name = "OUT", conflicts_with = "check")]
        output: Option<PathBuf>,
        /// Write nothing; exit 1 when DIR/README.md differs from the catalogue.
        #[arg(long)]
        check: bool,
        /// The library folder (flows, `controls.json`, `use-cases/`, `profiles/`).
        #[arg(value_name = "DIR")]
        library: PathBuf,
    },
    /// Walk flows, or use cases, against a device's architecture profile: which
    /// patient-safety impacts stay reachable, by which path, with how many detection
    /// opportunities, and what blocks the others.
    ///
    /// Without --use-case each flow is walked alone (its entry pivots' keys taken as held);
    /// with it, each use case's flows are chained through their pivots. Exit 0 when it ran,
    /// 2 when a file cannot be read.
    Simulate {
        /// The architecture profile of the device (`medflow profile new` makes one).
        #[arg(long, value_name = "PROFILE")]
        profile: PathBuf,
        /// A use case file; may be given several times. Its flows must be among PATH.
        #[arg(long = "use-case", value_name = "USECASE")]
        use_cases: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Largest file accepted, in bytes.
        #[arg(long, default_value_t = medflow_core::ReadLimits::default().max_bytes)]
        max_bytes: usize,
        /// Flow files, or library folders (their flows; the catalogue, use cases and
        /// profiles left out).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// The semantic difference of two flows: objects added, removed and changed (matched by
    /// id), property by property, at any depth; not lines of text.
    ///
    /// Changes that only move nodes on the canvas, or only change `modified`, are counted on
    /// one line unless --all. Exit 0 when the flows are the same, 1 when they differ, 2 when a
    /// file cannot be read.
    ///
    /// As a git diff driver it takes git's seven arguments (PATH OLD-FILE OLD-HEX OLD-MODE
    /// NEW-FILE NEW-HEX NEW-MODE), compares OLD-FILE with NEW-FILE and exits 0, as git expects;
    /// /dev/null (an added or deleted file) is an empty flow. See README.md for the
    /// `.gitattributes` and `git config` lines.
    Diff {
        /// Also list, change by change, the objects that only moved or only had `modified`
        /// changed.
        #[arg(long)]
        all: bool,
        /// Output format (JSON always lists every change, each object with its `kind`).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Largest file accepted, in bytes.
        #[arg(long, default_value_t = medflow_core::ReadLimits::default().max_bytes)]
        max_bytes: usize,
        /// OLD and NEW.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// The device score (0-100) from a simulation, each point explained; with --suggest, the
    /// fewest further controls that make every reachable impact unreachable.
    ///
    /// Exit 0 when it ran, 1 when the score is below --min, 2 when a file cannot be read.
    Score {
        /// The architecture profile of the device.
        #[arg(long, value_name = "PROFILE")]
        profile: PathBuf,
        /// A use case file; may be given several times. Its flows must be among PATH.
        #[arg(long = "use-case", value_name = "USECASE")]
        use_cases: Vec<PathBuf>,
        /// Also find the fewest further controls, overall and per impact.
        #[arg(long)]
        suggest: bool,
        /// Exit 1 when the score is below N.
        #[arg(long, value_name = "N")]
        min: Option<f64>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Largest file accepted, in bytes.
        #[arg(long, default_value_t = medflow_core::ReadLimits::default().max_bytes)]
        max_bytes: usize,
        /// Flow files, or library folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One line per problem, for people.
    Text,
    /// One JSON document, for machines.
    Json,
}

/// The names of the subcommands, so the binary can tell a command from a file to open.
#[must_use]
pub fn is_command(word: &str) -> bool {
    matches!(
        word,
        "validate"
            | "fmt"
            | "attack"
            | "export"
            | "profile"
            | "simulate"
            | "score"
            | "diff"
            | "catalogue"
            | "help"
            | "--help"
            | "-h"
            | "--version"
            | "-V"
    )
}

/// Writes a usage error (or `--help`, `--version`) where clap says it goes, in colour only on
/// a terminal (and without `NO_COLOR`): a log or a pipe gets plain text.
fn usage_error(error: &clap::Error, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Status {
    let status = if error.use_stderr() {
        Status::Trouble
    } else {
        Status::Ok
    };
    let to_terminal = if error.use_stderr() {
        std::io::stderr().is_terminal()
    } else {
        std::io::stdout().is_terminal()
    };
    let rendered = error.render();
    let text = if to_terminal && std::env::var_os("NO_COLOR").is_none() {
        rendered.ansi().to_string()
    } else {
        rendered.to_string()
    };
    let target: &mut dyn Write = if error.use_stderr() { stderr } else { stdout };
    // Nothing more can be done when the terminal itself cannot be written.
    let _ = target.write_all(text.as_bytes());
    status
}

/// Parses `args` (including the program name) and runs the command.
pub fn run<I, T>(args: I, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Status
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let arguments = match Arguments::try_parse_from(args) {
        Ok(arguments) => arguments,
        Err(error) => return usage_error(&error, stdout, stderr),
    };
    let outcome = match arguments.command {
        Command::Validate {
            format,
            max_bytes,
            library,
            strict,
            paths,
        } => validate::run(
            &paths,
            validate::Options {
                format,
                max_bytes,
                library: library.as_deref(),
                strict,
            },
            stdout,
            stderr,
        ),
        Command::Fmt {
            check,
            output,
            max_bytes,
            paths,
        } => fmt::run(&paths, check, output.as_deref(), max_bytes, stdout, stderr),
        Command::Attack { command } => attack::run(command, stdout, stderr),
        Command::Export { command } => export::run(command, stdout, stderr),
        Command::Profile { command } => profile::run(command, stdout, stderr),
        Command::Simulate {
            profile,
            use_cases,
            format,
            max_bytes,
            paths,
        } => simulate::run_simulate(
            &simulate::Request {
                profile: &profile,
                use_cases: &use_cases,
                paths: &paths,
                max_bytes,
            },
            format,
            stdout,
            stderr,
        ),
        Command::Diff {
            all,
            format,
            max_bytes,
            files,
        } => diff::run(
            &diff::Request {
                files: &files,
                format,
                all,
                max_bytes,
            },
            stdout,
            stderr,
        ),
        Command::Catalogue {
            output,
            check,
            library,
        } => catalogue::run(&library, output.as_deref(), check, stdout, stderr),
        Command::Score {
            profile,
            use_cases,
            suggest,
            min,
            format,
            max_bytes,
            paths,
        } => simulate::run_score(
            &simulate::Request {
                profile: &profile,
                use_cases: &use_cases,
                paths: &paths,
                max_bytes,
            },
            &simulate::ScoreOptions {
                suggest,
                min,
                format,
            },
            stdout,
            stderr,
        ),
    };
    outcome.unwrap_or_else(|error| {
        // A reader that stopped reading (`medflow export … | head`) is not worth a message.
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(stderr, "medflow: cannot write output: {error}");
        }
        Status::Trouble
    })
}

/// Reads and parses one file that expanding the arguments found: its path, bytes and the
/// reader's outcome. When it cannot be read or is not a bundle, the problem is written to
/// A path as the text output shows it: one line, whatever its name holds (a line break or
/// another control character in a file name is escaped as in Rust, `\n`), so that a line of
/// output is always one problem.
pub(crate) fn shown(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|character| {
                if character.is_control() {
                    character.escape_default().to_string()
                } else {
                    character.to_string()
                }
            })
            .collect()
    } else {
        text
    }
}

/// `stderr` naming the file, and `None` returned.
pub(crate) fn read_found(
    found: Found,
    limits: &medflow_core::ReadLimits,
    stderr: &mut dyn Write,
) -> std::io::Result<Option<(PathBuf, Vec<u8>, medflow_core::ReadOutcome)>> {
    let path = match found {
        Found::File(path) => path,
        Found::Problem(path, error) => {
            writeln!(stderr, "{}: cannot read: {error}", crate::shown(&path))?;
            return Ok(None);
        }
    };
    let bytes = match medflow_platform::read_limited(&path, limits.max_bytes) {
        Ok(bytes) => bytes,
        Err(medflow_platform::ReadProblem::TooLarge { size_bytes, .. }) => {
            writeln!(
                stderr,
                "{}: the file is {size_bytes} bytes, over the limit of {} bytes (see --max-bytes)",
                crate::shown(&path),
                limits.max_bytes
            )?;
            return Ok(None);
        }
        Err(medflow_platform::ReadProblem::Io(error)) => {
            writeln!(stderr, "{}: cannot read: {error}", crate::shown(&path))?;
            return Ok(None);
        }
    };
    match medflow_core::read_bundle(&bytes, limits) {
        Ok(outcome) => Ok(Some((path, bytes, outcome))),
        Err(error) => {
            writeln!(stderr, "{}: {error}", crate::shown(&path))?;
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::{self, Write};

    use super::{Status, run};

    /// Output whose reader has gone away, as `medflow … | head` leaves it.
    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Output that cannot be written for another reason.
    struct FullDisk;

    impl Write for FullDisk {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::other("no space left on device"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_ends_quietly_and_other_write_errors_are_said() {
        let mut stderr = Vec::new();
        let status = run(["medflow", "attack", "stats"], &mut ClosedPipe, &mut stderr);
        assert_eq!(status, Status::Trouble);
        let said = String::from_utf8_lossy(&stderr);
        assert!(!said.contains("cannot write output"), "{said}");

        let mut stderr = Vec::new();
        let status = run(["medflow", "attack", "stats"], &mut FullDisk, &mut stderr);
        assert_eq!(status, Status::Trouble);
        let said = String::from_utf8_lossy(&stderr);
        assert!(
            said.contains("medflow: cannot write output: no space left on device"),
            "{said}"
        );
    }
}
