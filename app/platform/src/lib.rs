//! MedFlow Studio's contact with the machine, shared by the editor and the command line.
//!
//! The core takes bytes, not paths. This crate is where paths become bytes and back:
//! reading files with a size limit, expanding folders into flow files, saving atomically,
//! finding the per-user data directory, and loading the ATT&CK catalog in use (a user catalog
//! made by `medflow attack import` wins over the built-in one, domain by domain), and
//! listing the flow library.

pub mod catalog;
pub mod files;
pub mod library;
pub mod recovery;

pub use catalog::{CatalogInUse, load_catalog, user_catalog_dir};
pub use files::{
    Found, ReadProblem, backup_path, expand, read_limited, save_with_backup, write_atomically,
};
pub use library::{
    expand_flows, find_library_folder, flow_files, profile_files, read_catalogue, use_case_files,
};

use std::path::PathBuf;

/// The environment variable that overrides the data directory (tests, portable installs).
pub const DATA_DIR_VARIABLE: &str = "MEDFLOW_DATA_DIR";

/// The per-user data directory: `$MEDFLOW_DATA_DIR` when set, otherwise the platform's
/// (`~/.local/share/medflow-studio` on Linux). `None` when the platform has none.
#[must_use]
pub fn data_dir() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(DATA_DIR_VARIABLE).filter(|path| !path.is_empty()) {
        return Some(PathBuf::from(path));
    }
    directories::ProjectDirs::from("org", "MedFlow", "medflow-studio")
        .map(|dirs| dirs.data_dir().to_path_buf())
}
