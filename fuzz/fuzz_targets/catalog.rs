//! The ATT&CK catalog readers on any bytes: the catalog file format the product ships and
//! `medflow attack import` writes, MITRE's STIX bundles, and the Attack Flow Builder's data
//! tables. What reads is written as a catalog file, which must read back to the same bytes,
//! and searched.
#![no_main]

use libfuzzer_sys::fuzz_target;
use medflow_core::attack::{
    Catalog, DomainCatalog, ImportOptions, Query, import_bundle, import_tables,
};

fuzz_target!(|bytes: &[u8]| {
    let options = ImportOptions {
        attack_version: Some("19.1".to_owned()),
        ..ImportOptions::default()
    };
    let mut read = Vec::new();
    read.extend(DomainCatalog::from_bytes(bytes).ok());
    read.extend(import_bundle(bytes, &options).ok());
    read.extend(import_tables(bytes, &options).ok().into_iter().flatten());
    for domain in &read {
        let written = domain.to_bytes();
        let back = DomainCatalog::from_bytes(&written).expect("a written catalog reads back");
        assert!(back.to_bytes() == written, "a catalog file changes when read and written");
    }
    let catalog = Catalog::from_domains(read);
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(16)]);
    let hits = catalog.search(&Query {
        text: &text,
        limit: 5,
        ..Query::default()
    });
    assert!(hits.len() <= 5);
});
