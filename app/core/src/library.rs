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

/// The embedded library's flows, sorted by path.
#[must_use]
pub fn embedded_flows() -> impl ExactSizeIterator<Item = EmbeddedFlow> {
    files::FILES
        .iter()
        .map(|&(path, bytes)| EmbeddedFlow { path, bytes })
}
