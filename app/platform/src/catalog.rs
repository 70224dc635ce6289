//! The ATT&CK catalog in use: the built-in one, with any domain that the user imported with
//! `medflow attack import` taking the built-in domain's place.

use std::path::{Path, PathBuf};

use medflow_core::attack::{Catalog, Domain, DomainCatalog, embedded_domains};

use crate::files::read_limited;

/// The largest catalog file read (the Enterprise catalog is about 0.5 MB).
const CATALOG_MAX_BYTES: usize = 64 * 1024 * 1024;

/// The catalog loaded, and what the user should know about how.
#[derive(Debug)]
pub struct CatalogInUse {
    /// The catalog.
    pub catalog: Catalog,
    /// Problems met on the way (a user catalog file that could not be used), one sentence
    /// each. The built-in domain is used in their place.
    pub notes: Vec<String>,
}

impl CatalogInUse {
    /// One line saying which catalog is in use per domain, e.g. `ATT&CK Enterprise 19.1
    /// (built-in), Mobile 19.1 (built-in), ICS 19.1 (built-in), mitigations and detection
    /// strategies from 18.1; ATLAS 5.6.1 (built-in)`.
    #[must_use]
    pub fn describe(&self) -> String {
        Self::describe_catalog(&self.catalog)
    }

    /// [`CatalogInUse::describe`] for any catalog.
    #[must_use]
    pub fn describe_catalog(catalog: &Catalog) -> String {
        let part = |info: &medflow_core::attack::DomainInfo| {
            format!(
                "{} {} ({})",
                info.domain.title(),
                info.attack_version,
                info.origin
            )
        };
        let (atlas, attack): (Vec<_>, Vec<_>) = catalog
            .domains()
            .iter()
            .partition(|info| info.domain == Domain::Atlas);
        let mut described = Vec::new();
        if !attack.is_empty() {
            // A catalog completed with an earlier release says so once.
            let mut earlier: Vec<&str> = attack
                .iter()
                .filter_map(|info| info.mitigations_version.as_deref())
                .collect();
            earlier.dedup();
            let mut parts: Vec<String> = attack.into_iter().map(part).collect();
            if !earlier.is_empty() {
                parts.push(format!(
                    "mitigations and detection strategies from {}",
                    earlier.join(" and ")
                ));
            }
            described.push(format!("ATT&CK {}", parts.join(", ")));
        }
        described.extend(atlas.into_iter().map(part));
        described.join("; ")
    }

    /// True when at least one domain comes from a user catalog.
    #[must_use]
    pub fn uses_user_catalog(&self) -> bool {
        self.catalog
            .domains()
            .iter()
            .any(|info| info.origin != medflow_core::attack::BUILT_IN)
    }
}

/// Where `medflow attack import` puts the user catalog by default: `attack/` in the data
/// directory.
#[must_use]
pub fn user_catalog_dir() -> Option<PathBuf> {
    crate::data_dir().map(|dir| dir.join("attack"))
}

/// The file of one domain in a catalog folder: `enterprise.json`, `mobile.json`, `ics.json`.
#[must_use]
pub fn catalog_file(folder: &Path, domain: Domain) -> PathBuf {
    folder.join(format!("{}.json", domain.as_str()))
}

/// Loads the catalog in use: the built-in domains, each replaced by the user's catalog file
/// for that domain when [`user_catalog_dir`] holds one.
#[must_use]
pub fn load_catalog() -> CatalogInUse {
    load_catalog_from(user_catalog_dir().as_deref())
}

/// Like [`load_catalog`], with the user catalog looked for in `user_dir`.
#[must_use]
pub fn load_catalog_from(user_dir: Option<&Path>) -> CatalogInUse {
    // Without a user catalog the built-in one is used as compiled: nothing to read or index.
    if user_dir.is_none_or(|folder| {
        !Domain::ALL
            .into_iter()
            .any(|domain| catalog_file(folder, domain).exists())
    }) {
        return CatalogInUse {
            catalog: Catalog::built_in(),
            notes: Vec::new(),
        };
    }
    let mut notes = Vec::new();
    let mut domains = match embedded_domains() {
        Ok(domains) => domains,
        Err(error) => {
            notes.push(format!("the built-in ATT&CK catalog is damaged: {error}"));
            Vec::new()
        }
    };
    if let Some(folder) = user_dir {
        for domain in Domain::ALL {
            let path = catalog_file(folder, domain);
            if !path.exists() {
                continue;
            }
            let loaded = read_limited(&path, CATALOG_MAX_BYTES)
                .map_err(|problem| problem.to_string())
                .and_then(|bytes| {
                    DomainCatalog::from_bytes(&bytes).map_err(|error| error.to_string())
                })
                .and_then(|catalog| {
                    if catalog.domain == domain {
                        Ok(catalog)
                    } else {
                        Err(format!(
                            "it holds the {} domain, not {}",
                            catalog.domain.as_str(),
                            domain.as_str()
                        ))
                    }
                });
            match loaded {
                Ok(mut catalog) => {
                    catalog.origin = path.display().to_string();
                    domains.push(catalog);
                }
                Err(problem) => notes.push(format!(
                    "{}: not used ({problem}); the built-in {} catalog is used instead",
                    path.display(),
                    domain.title()
                )),
            }
        }
    }
    CatalogInUse {
        catalog: Catalog::from_domains(domains),
        notes,
    }
}
