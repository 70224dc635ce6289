//! `medflow profile new|check`: architecture profiles from the command line.
//!
//! * `new`: a profile of the reference architecture (every component present, no control
//!   implemented yet), written atomically; an existing file is kept unless `--force`.
//! * `check`: which flows of a library apply to the product a profile describes (every
//!   component their assets are bound to exists in it), which do not, and why, against the
//!   architecture the profile is based on (`based_on`): the reference architecture, or the
//!   file given with `--architecture`. A report: the exit status is 0 whatever applies (2
//!   when a file cannot be read, or the profile's architecture is not the one at hand).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::Subcommand;
use medflow_core::architecture::{
    Architecture, Profile, REFERENCE_KEY, applicability, new_profile,
};
use medflow_core::edit::{fresh_id, system_now};
use medflow_core::{ReadLimits, read_bundle, write_bundle};
use medflow_platform::{read_limited, write_atomically};
use serde_json::json;

use crate::{Format, Status};

/// The `profile` subcommands.
#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Create a profile from an architecture (the reference one by default): every component
    /// present, renamed or removed later in the editor's profile panel.
    New {
        /// The architecture to start from: `reference` (the RAS reference architecture the
        /// product ships) or an architecture file.
        #[arg(long, default_value = "reference")]
        from: String,
        /// The product's name.
        #[arg(long, default_value = "My device")]
        name: String,
        /// The profile file to write.
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
        /// Replace OUT if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Which flows of a library apply to the product a profile describes, which do not and
    /// why (a flow applies when every component its assets are bound to exists).
    Check {
        /// The profile file.
        profile: PathBuf,
        /// The library folder (its flows; the control catalogue is left out).
        #[arg(long, value_name = "DIR")]
        library: PathBuf,
        /// The architecture file the profile is based on, when that is not the reference
        /// architecture.
        #[arg(long, value_name = "FILE")]
        architecture: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

pub(crate) fn run(
    command: ProfileCommand,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<Status> {
    match command {
        ProfileCommand::New {
            from,
            name,
            output,
            force,
        } => create(&from, &name, &output, force, stdout, stderr),
        ProfileCommand::Check {
            profile,
            library,
            architecture,
            format,
        } => check(
            &profile,
            &library,
            architecture.as_deref(),
            format,
            stdout,
            stderr,
        ),
    }
}

/// The architecture `from` names: `reference`, or a file.
fn architecture(from: &str, stderr: &mut dyn Write) -> io::Result<Option<(Architecture, Vec<u8>)>> {
    if from == "reference" {
        return Ok(Some((
            Architecture::reference(),
            medflow_core::architecture::REFERENCE_FILE.to_vec(),
        )));
    }
    let path = Path::new(from);
    let bytes = match read_limited(path, ReadLimits::default().max_bytes) {
        Ok(bytes) => bytes,
        Err(error) => {
            writeln!(stderr, "{from}: cannot read: {error}")?;
            return Ok(None);
        }
    };
    match Architecture::from_bytes(&bytes) {
        Ok(architecture) => Ok(Some((architecture, bytes))),
        Err(error) => {
            writeln!(stderr, "{from}: not an architecture: {error}")?;
            Ok(None)
        }
    }
}

fn create(
    from: &str,
    name: &str,
    output: &Path,
    force: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<Status> {
    if output.exists() && !force {
        writeln!(
            stderr,
            "{}: already exists; not replaced (use --force to replace it)",
            crate::shown(output)
        )?;
        return Ok(Status::Trouble);
    }
    let Some((architecture, _)) = architecture(from, stderr)? else {
        return Ok(Status::Trouble);
    };
    let document = new_profile(name, &architecture, &mut fresh_id, &system_now());
    if let Err(error) = write_atomically(output, &write_bundle(&document)) {
        writeln!(stderr, "{}: cannot write: {error}", crate::shown(output))?;
        return Ok(Status::Trouble);
    }
    writeln!(
        stdout,
        "{}: profile \"{name}\" based on the {}, {} components present",
        crate::shown(output),
        architecture.name,
        architecture.components.len()
    )?;
    Ok(Status::Ok)
}

/// The architecture `profile` is based on: the file given, whose key must be the profile's
/// `based_on`, else the reference architecture when that is what the profile names. `None`
/// (after saying why on `stderr`) otherwise.
fn based_on(
    profile_path: &Path,
    profile: &Profile,
    given: Option<&Path>,
    stderr: &mut dyn Write,
) -> io::Result<Option<Architecture>> {
    let Some(path) = given else {
        if profile.based_on == REFERENCE_KEY {
            return Ok(Some(Architecture::reference()));
        }
        writeln!(
            stderr,
            "{}: the profile is based on architecture \"{}\", not on the reference \
             architecture (\"{REFERENCE_KEY}\"); give its file with --architecture FILE",
            crate::shown(profile_path),
            profile.based_on
        )?;
        return Ok(None);
    };
    let Some(text) = path.to_str() else {
        writeln!(stderr, "{}: not a usable file name", crate::shown(path))?;
        return Ok(None);
    };
    let Some((architecture, _)) = self::architecture(text, stderr)? else {
        return Ok(None);
    };
    if architecture.key != profile.based_on {
        writeln!(
            stderr,
            "{}: architecture \"{}\", but the profile {} is based on \"{}\"",
            crate::shown(path),
            architecture.key,
            crate::shown(profile_path),
            profile.based_on
        )?;
        return Ok(None);
    }
    Ok(Some(architecture))
}

fn check(
    profile_path: &Path,
    library: &Path,
    architecture: Option<&Path>,
    format: Format,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<Status> {
    let profile = match read_limited(profile_path, ReadLimits::default().max_bytes)
        .map_err(|error| error.to_string())
        .and_then(|bytes| {
            read_bundle(&bytes, &ReadLimits::default()).map_err(|error| error.to_string())
        })
        .and_then(|outcome| {
            Profile::from_document(&outcome.document).map_err(|error| error.to_string())
        }) {
        Ok(profile) => profile,
        Err(error) => {
            writeln!(stderr, "{}: {error}", crate::shown(profile_path))?;
            return Ok(Status::Trouble);
        }
    };
    if !library.is_dir() {
        writeln!(stderr, "{}: not a folder", crate::shown(library))?;
        return Ok(Status::Trouble);
    }
    let Some(architecture) = based_on(profile_path, &profile, architecture, stderr)? else {
        return Ok(Status::Trouble);
    };
    let (flows, trouble) = crate::export::load(
        &[library.to_path_buf()],
        ReadLimits::default().max_bytes,
        stderr,
    )?;
    let results: Vec<_> = flows
        .iter()
        .map(|(path, flow)| (path, flow, applicability(&profile, &architecture, flow)))
        .collect();
    let applicable = results
        .iter()
        .filter(|(_, _, result)| result.applies())
        .count();
    match format {
        Format::Text => {
            let present = profile.present_keys().len();
            writeln!(
                stdout,
                "{}: profile \"{}\" based on the {} ({present} components)",
                crate::shown(profile_path),
                profile.name,
                architecture.name
            )?;
            for (path, _, result) in &results {
                if result.applies() {
                    let needs = if result.needs.is_empty() {
                        "binds no component".to_owned()
                    } else {
                        format!("needs {}", result.needs.join(", "))
                    };
                    writeln!(stdout, "  applies: {} ({needs})", crate::shown(path))?;
                } else {
                    writeln!(
                        stdout,
                        "  does not apply: {}: {}",
                        crate::shown(path),
                        result.reason()
                    )?;
                }
            }
            writeln!(
                stdout,
                "{} flows: {applicable} apply, {} do not",
                results.len(),
                results.len() - applicable
            )?;
        }
        Format::Json => {
            let flows: Vec<_> = results
                .iter()
                .map(|(path, flow, result)| {
                    json!({
                        "path": path.display().to_string(),
                        "flow": flow.flow().and_then(|flow| flow.name.clone()),
                        "applies": result.applies(),
                        "needs": result.needs,
                        "missing": result.missing.iter()
                            .map(|(key, name)| json!({"key": key, "name": name}))
                            .collect::<Vec<_>>(),
                        "reason": result.reason(),
                    })
                })
                .collect();
            let report = json!({
                "profile": crate::shown(profile_path).clone(),
                "name": profile.name,
                "based_on": {"key": architecture.key, "name": architecture.name},
                "flows": flows,
                "summary": {
                    "flows": results.len(),
                    "applicable": applicable,
                    "not_applicable": results.len() - applicable,
                },
            });
            writeln!(stdout, "{report:#}")?;
        }
    }
    Ok(if trouble { Status::Trouble } else { Status::Ok })
}
