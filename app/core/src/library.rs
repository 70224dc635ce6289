//! The flow library shipped with the product: every `*.json` file under the repository's
//! `flows/` folder, embedded at build time, so an installed editor opens it with no folder
//! on disk. The editor prefers a `flows/` folder it can find (where edits can be saved) and
//! falls back to these copies.

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

/// Whether a file of a library folder (its path relative to the folder, `/`-separated) is a
/// flow, rather than the control catalogue.
#[must_use]
pub fn is_flow_file(relative_path: &str) -> bool {
    relative_path != CONTROL_CATALOGUE_FILE
}

/// The embedded library's flows, sorted by path (the control catalogue left out).
pub fn embedded_flows() -> impl Iterator<Item = EmbeddedFlow> {
    files::FILES
        .iter()
        .filter(|(path, _)| is_flow_file(path))
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
