//! The flow library on disk: a folder of flow files (`*.json`, searched recursively) with
//! the control catalogue ([`CONTROL_CATALOGUE_FILE`]) at its top. The editor lists it, the
//! command line validates and reports on it; both list it here, the same way.

use std::io;
use std::path::{Path, PathBuf};

use medflow_core::library::{
    CONTROL_CATALOGUE_FILE, PROFILE_FOLDER, USE_CASE_FOLDER, is_flow_file,
};
use medflow_core::{Document, ReadLimits, read_bundle};

use crate::files::{Found, ReadProblem, expand, read_limited};

/// The name of the library folder looked for near the program.
pub const LIBRARY_FOLDER: &str = "flows";

/// Expands files and folders like [`expand`], but leaves out the control catalogue at the top
/// of each folder given: a library folder expands to its flows. Files given by name are kept
/// whatever they are.
#[must_use]
pub fn expand_flows(paths: &[PathBuf]) -> Vec<Found> {
    let mut found = Vec::new();
    for path in paths {
        let is_folder = path.is_dir();
        for item in expand(std::slice::from_ref(path)) {
            if is_folder
                && let Found::File(file) = &item
                && !is_library_flow(path, file)
            {
                continue;
            }
            found.push(item);
        }
    }
    found
}

/// The flow files of the library `folder`, sorted (what cannot be searched is left out).
#[must_use]
pub fn flow_files(folder: &Path) -> Vec<PathBuf> {
    expand_flows(&[folder.to_path_buf()])
        .into_iter()
        .filter_map(|found| match found {
            Found::File(path) => Some(path),
            Found::Problem(..) => None,
        })
        .collect()
}

/// The use case files of the library `folder` (`use-cases/`, searched recursively), sorted.
#[must_use]
pub fn use_case_files(folder: &Path) -> Vec<PathBuf> {
    files_under(&folder.join(USE_CASE_FOLDER))
}

/// The example profile files of the library `folder` (`profiles/`), sorted.
#[must_use]
pub fn profile_files(folder: &Path) -> Vec<PathBuf> {
    files_under(&folder.join(PROFILE_FOLDER))
}

fn files_under(folder: &Path) -> Vec<PathBuf> {
    if !folder.is_dir() {
        return Vec::new();
    }
    expand(&[folder.to_path_buf()])
        .into_iter()
        .filter_map(|found| match found {
            Found::File(path) => Some(path),
            Found::Problem(..) => None,
        })
        .collect()
}

/// Whether `file`, found in `folder`, is a flow rather than the folder's control catalogue.
fn is_library_flow(folder: &Path, file: &Path) -> bool {
    file.strip_prefix(folder).map_or(true, |relative| {
        let relative: Vec<String> = relative
            .components()
            .map(|component| component.as_os_str().to_string_lossy().into_owned())
            .collect();
        is_flow_file(&relative.join("/"))
    })
}

/// Why a library's control catalogue cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueProblem {
    /// The file is over the size limit.
    #[error("the file is {size_bytes} bytes, over the limit of {limit_bytes} bytes")]
    TooLarge {
        /// Its size.
        size_bytes: u64,
        /// The limit.
        limit_bytes: u64,
    },
    /// The file cannot be read.
    #[error("cannot read the file: {0}")]
    Io(io::Error),
    /// The file is not a STIX bundle.
    #[error("{0}")]
    Read(#[from] medflow_core::ReadError),
}

/// The control catalogue of the library `folder`, read with `limits`: `Ok(None)` when the
/// folder has none.
///
/// # Errors
/// When the catalogue is there but too large, unreadable or not a bundle.
pub fn read_catalogue(
    folder: &Path,
    limits: &ReadLimits,
) -> Result<Option<Document>, CatalogueProblem> {
    let path = folder.join(CONTROL_CATALOGUE_FILE);
    let bytes = match read_limited(&path, limits.max_bytes) {
        Ok(bytes) => bytes,
        Err(ReadProblem::Io(error)) if error.kind() == io::ErrorKind::NotFound => {
            return Ok(None);
        }
        Err(ReadProblem::Io(error)) => return Err(CatalogueProblem::Io(error)),
        Err(ReadProblem::TooLarge {
            size_bytes,
            limit_bytes,
        }) => {
            return Err(CatalogueProblem::TooLarge {
                size_bytes,
                limit_bytes,
            });
        }
    };
    Ok(Some(read_bundle(&bytes, limits)?.document))
}

/// The library folder near the program, if there is one: `flows/` in the current folder,
/// else in the folder of the program's executable or one of the three above it (a build in
/// `target/release/` of the repository finds the repository's). Nothing is decided when the
/// program is built: an installed program without one shows its built-in library.
#[must_use]
pub fn find_library_folder() -> Option<PathBuf> {
    let current = std::env::current_dir().ok();
    let executable = std::env::current_exe().ok();
    library_folder_near(current.as_deref(), executable.as_deref())
}

/// [`find_library_folder`] for a given current folder and executable path.
#[must_use]
pub fn library_folder_near(current: Option<&Path>, executable: Option<&Path>) -> Option<PathBuf> {
    let candidates = current.into_iter().map(Path::to_path_buf).chain(
        executable
            .and_then(Path::parent)
            .into_iter()
            .flat_map(Path::ancestors)
            .take(4)
            .map(Path::to_path_buf),
    );
    candidates
        .map(|folder| folder.join(LIBRARY_FOLDER))
        .find(|folder| folder.is_dir())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn a_library_lists_its_flows_without_the_catalogue_and_reads_it_with_a_limit() {
        let folder = tempfile::tempdir().unwrap();
        let root = folder.path();
        std::fs::create_dir(root.join("more")).unwrap();
        for name in [
            "b.json",
            "a.json",
            CONTROL_CATALOGUE_FILE,
            "more/c.json",
            "notes.txt",
        ] {
            std::fs::write(root.join(name), "no").unwrap();
        }
        let listed: Vec<String> = flow_files(root)
            .iter()
            .map(|path| path.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(listed, ["a.json", "b.json", "more/c.json"]);
        // A catalogue given by name is kept.
        let named = expand_flows(&[root.join(CONTROL_CATALOGUE_FILE)]);
        assert!(matches!(named.as_slice(), [Found::File(_)]));

        // "no" is no bundle; a small limit refuses before reading.
        let read = read_catalogue(root, &ReadLimits::default());
        assert!(matches!(read, Err(CatalogueProblem::Read(_))), "{read:?}");
        let tiny = ReadLimits {
            max_bytes: 1,
            ..ReadLimits::default()
        };
        assert!(matches!(
            read_catalogue(root, &tiny),
            Err(CatalogueProblem::TooLarge { size_bytes: 2, .. })
        ));
        std::fs::remove_file(root.join(CONTROL_CATALOGUE_FILE)).unwrap();
        assert!(
            read_catalogue(root, &ReadLimits::default())
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn the_library_is_found_in_the_current_folder_or_above_the_executable() {
        let folder = tempfile::tempdir().unwrap();
        let repository = folder.path();
        std::fs::create_dir_all(repository.join("target/release")).unwrap();
        let executable = repository.join("target/release/medflow");
        assert_eq!(library_folder_near(None, Some(&executable)), None);
        std::fs::create_dir(repository.join(LIBRARY_FOLDER)).unwrap();
        assert_eq!(
            library_folder_near(None, Some(&executable)),
            Some(repository.join(LIBRARY_FOLDER))
        );
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::create_dir(elsewhere.path().join(LIBRARY_FOLDER)).unwrap();
        assert_eq!(
            library_folder_near(Some(elsewhere.path()), Some(&executable)),
            Some(elsewhere.path().join(LIBRARY_FOLDER)),
            "the current folder's comes first"
        );
        assert_eq!(
            library_folder_near(Some(Path::new("/nonexistent")), None),
            None
        );
    }
}
