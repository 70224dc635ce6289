//! Layout algorithms, free of the domain: they place boxes of given sizes along given edges
//! and know nothing of flows, documents or architectures. [`crate::scene`] decides what is
//! drawn and feeds them.
//!
//! * [`auto`]: the deterministic layered ("Sugiyama-style") layout of a directed graph;
//!   `fold` folds a long component of it into side-by-side bands.
//! * [`route`]: an orthogonal route for a link around the boxes between its ends.

pub mod auto;
mod fold;
pub mod route;

pub use auto::{Direction, LayoutGraph, LayoutOptions, layered_layout};
