//! The flow library shipped with the product: every `*.json` file under the repository's
//! `flows/` folder, embedded at build time, so an installed editor opens it with no folder
//! on disk. The editor prefers a `flows/` folder it can find (where edits can be saved) and
//! falls back to these copies. Beside the flows it holds the control catalogue
//! (`controls.json`), use cases (`use-cases/`) and example profiles (`profiles/`).

mod files {
    include!(concat!(env!("OUT_DIR"), "/library.rs"));
}

/// One flow file of the embedded library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbeddedFlow {
    /// Its path under `flows/`, with `/` separators: `vendor-remote-access-ransomware.json`.
    pub path: &'static str,
    /// The file's bytes.
    pub bytes: &'static [u8],
}

/// The library's control catalogue, beside the flows: a STIX bundle of controls with their
/// RACI, so one control keeps one definition across flows.
pub const CONTROL_CATALOGUE_FILE: &str = "controls.json";

/// The library's folder of use cases: each file a use case naming flows of the library.
pub const USE_CASE_FOLDER: &str = "use-cases";

/// The library's folder of example architecture profiles (devices to simulate against).
pub const PROFILE_FOLDER: &str = "profiles";

/// Whether a file of a library folder (its path relative to the folder, `/`-separated) is a
/// flow, rather than the control catalogue, a use case or a profile.
#[must_use]
pub fn is_flow_file(relative_path: &str) -> bool {
    relative_path != CONTROL_CATALOGUE_FILE
        && !is_use_case_file(relative_path)
        && !is_profile_file(relative_path)
}

/// Whether a file of a library folder (relative path) is a use case.
#[must_use]
pub fn is_use_case_file(relative_path: &str) -> bool {
    relative_path
        .strip_prefix(USE_CASE_FOLDER)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Whether a file of a library folder (relative path) is an example profile.
#[must_use]
pub fn is_profile_file(relative_path: &str) -> bool {
    relative_path
        .strip_prefix(PROFILE_FOLDER)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// The embedded library's flows, sorted by path (the control catalogue left out).
pub fn embedded_flows() -> impl Iterator<Item = EmbeddedFlow> {
    files::FILES
        .iter()
        .filter(|(path, _)| is_flow_file(path))
        .map(|&(path, bytes)| EmbeddedFlow { path, bytes })
}

/// The embedded library's use cases, sorted by path.
pub fn embedded_use_cases() -> impl Iterator<Item = EmbeddedFlow> {
    files::FILES
        .iter()
        .filter(|(path, _)| is_use_case_file(path))
        .map(|&(path, bytes)| EmbeddedFlow { path, bytes })
}

/// The embedded library's example profiles, sorted by path.
pub fn embedded_profiles() -> impl Iterator<Item = EmbeddedFlow> {
    files::FILES
        .iter()
        .filter(|(path, _)| is_profile_file(path))
        .map(|&(path, bytes)| EmbeddedFlow { path, bytes })
}

/// The embedded library's control catalogue, if it has one.
#[must_use]
pub fn embedded_control_catalogue() -> Option<&'static [u8]> {
    files::FILES
        .iter()
        .find(|(path, _)| *path == CONTROL_CATALOGUE_FILE)
        .map(|&(_, bytes)| bytes)
}
