//! The catalog built into the program: the committed files under `assets/attack/`: ATT&CK
//! v19.1 (Enterprise, Mobile, ICS) from the Attack Flow Builder's data tables, completed with
//! the mitigations, detection strategies and platforms of the official v18.1 bundles, and MITRE
//! ATLAS v5.6.1 from the Builder's tables (a test proves they equal a fresh import).

use std::sync::OnceLock;

use super::catalog::{Catalog, CatalogError, Domain, DomainCatalog};

/// The origin of the built-in domains, as [`super::catalog::DomainInfo::origin`] shows it.
pub const BUILT_IN: &str = "built-in";

/// The built-in catalog files, per domain.
pub const EMBEDDED_FILES: [(Domain, &[u8]); 4] = [
    (
        Domain::Enterprise,
        include_bytes!("../../../../assets/attack/enterprise.json"),
    ),
    (
        Domain::Mobile,
        include_bytes!("../../../../assets/attack/mobile.json"),
    ),
    (
        Domain::Ics,
        include_bytes!("../../../../assets/attack/ics.json"),
    ),
    (
        Domain::Atlas,
        include_bytes!("../../../../assets/attack/atlas.json"),
    ),
];

/// MITRE's copyright notice and licence for the ATT&CK data, shipped beside the catalog.
pub const ATTRIBUTION: &str = include_str!("../../../../assets/attack/LICENSE.txt");

/// The built-in domain catalogs, parsed.
///
/// # Errors
/// A [`CatalogError`] if a built-in file is damaged (a test proves they are not).
pub fn embedded_domains() -> Result<Vec<DomainCatalog>, CatalogError> {
    EMBEDDED_FILES
        .iter()
        .map(|(_, bytes)| {
            DomainCatalog::from_bytes(bytes).map(|mut catalog| {
                BUILT_IN.clone_into(&mut catalog.origin);
                catalog
            })
        })
        .collect()
}

impl Catalog {
    /// The built-in catalog ([`Catalog::built_in`]), shared by the whole process.
    #[must_use]
    pub fn embedded() -> &'static Catalog {
        static EMBEDDED: OnceLock<Catalog> = OnceLock::new();
        EMBEDDED.get_or_init(Catalog::built_in)
    }
}
