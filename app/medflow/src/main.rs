//! `medflow`: the one binary of MedFlow Studio.
//!
//! * no arguments, `open [FILE]`, or a path to an existing file → the desktop editor;
//! * anything else (`validate`, `fmt`, `--help`, …) → the command line.
//!
//! Built without the default `gui` feature (for servers), every invocation goes to the command
//! line and `open` explains that the editor is not included.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc: several times faster than the system allocator on large bundles (see the
/// `throughput` benchmark in medflow-core, which uses it too).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Where the arguments send us.
enum Route {
    /// The desktop editor, optionally with a file to open.
    Editor(Option<PathBuf>),
    /// The command line.
    CommandLine,
}

fn route(args: &[OsString]) -> Route {
    match args.get(1).map(|word| word.to_string_lossy()) {
        None => Route::Editor(None),
        Some(word) if word == "open" => Route::Editor(args.get(2).map(PathBuf::from)),
        Some(word) if !medflow_cli::is_command(&word) && PathBuf::from(&*word).is_file() => {
            Route::Editor(Some(PathBuf::from(&*word)))
        }
        Some(_) => Route::CommandLine,
    }
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    match route(&args) {
        Route::Editor(file) => open_editor(file),
        Route::CommandLine => {
            let mut stdout = std::io::stdout().lock();
            let mut stderr = std::io::stderr().lock();
            medflow_cli::run(args, &mut stdout, &mut stderr).into()
        }
    }
}

#[cfg(feature = "gui")]
fn open_editor(file: Option<PathBuf>) -> ExitCode {
    match medflow_gui::run(file) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("medflow: cannot open the editor window: {error}");
            ExitCode::from(2)
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_editor(_file: Option<PathBuf>) -> ExitCode {
    eprintln!(
        "medflow: this build has no desktop editor (built without the `gui` feature); \
         see `medflow --help` for the commands"
    );
    ExitCode::from(2)
}
