//! Facts of the STIX 2.1 specification the reader and validator need: which types are domain
//! objects (SDOs), cyber-observables (SCOs) or relationships (SROs), what each requires, and
//! which properties hold timestamps.

/// The STIX 2.1 domain object types.
pub const DOMAIN_OBJECT_TYPES: &[&str] = &[
    "attack-pattern",
    "campaign",
    "course-of-action",
    "grouping",
    "identity",
    "incident",
    "indicator",
    "infrastructure",
    "intrusion-set",
    "location",
    "malware",
    "malware-analysis",
    "note",
    "observed-data",
    "opinion",
    "report",
    "threat-actor",
    "tool",
    "vulnerability",
];

/// The STIX 2.1 cyber-observable object types.
pub const CYBER_OBSERVABLE_TYPES: &[&str] = &[
    "artifact",
    "autonomous-system",
    "directory",
    "domain-name",
    "email-addr",
    "email-message",
    "file",
    "ipv4-addr",
    "ipv6-addr",
    "mac-addr",
    "mutex",
    "network-traffic",
    "process",
    "software",
    "url",
    "user-account",
    "windows-registry-key",
    "x509-certificate",
];

/// True for a STIX 2.1 cyber-observable type, whose common properties differ from SDOs'.
#[must_use]
pub fn is_cyber_observable_type(type_name: &str) -> bool {
    CYBER_OBSERVABLE_TYPES.contains(&type_name)
}

/// A requirement on an object's properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// This property must be present.
    Property(&'static str),
    /// At least one of these properties must be present.
    AnyOf(&'static [&'static str]),
}

/// What STIX 2.1 requires of an object of `type_name`, beyond the common properties.
#[must_use]
pub fn requirements(type_name: &str) -> &'static [Requirement] {
    use Requirement::{AnyOf, Property};
    match type_name {
        "attack-pattern" | "campaign" | "course-of-action" | "identity" | "incident"
        | "infrastructure" | "intrusion-set" | "threat-actor" | "tool" | "vulnerability" => {
            &[Property("name")]
        }
        "malware" => &[Property("is_family")],
        "note" => &[Property("content"), Property("object_refs")],
        "opinion" => &[Property("opinion"), Property("object_refs")],
        "report" => &[
            Property("name"),
            Property("published"),
            Property("object_refs"),
        ],
        "grouping" => &[Property("context"), Property("object_refs")],
        "indicator" => &[
            Property("pattern"),
            Property("pattern_type"),
            Property("valid_from"),
        ],
        "observed-data" => &[
            Property("first_observed"),
            Property("last_observed"),
            Property("number_observed"),
        ],
        "location" => &[AnyOf(&["region", "country", "latitude"])],
        "malware-analysis" => &[Property("product"), AnyOf(&["result", "analysis_sco_refs"])],
        "relationship" => &[
            Property("relationship_type"),
            Property("source_ref"),
            Property("target_ref"),
        ],
        "sighting" => &[Property("sighting_of_ref")],
        "extension-definition" => &[
            Property("created_by_ref"),
            Property("name"),
            Property("schema"),
            Property("version"),
            Property("extension_types"),
        ],
        "artifact" => &[AnyOf(&["payload_bin", "url"])],
        "autonomous-system" => &[Property("number")],
        "directory" => &[Property("path")],
        "domain-name" | "email-addr" | "ipv4-addr" | "ipv6-addr" | "mac-addr" | "url" => {
            &[Property("value")]
        }
        "email-message" => &[Property("is_multipart")],
        "file" => &[AnyOf(&["hashes", "name"])],
        "mutex" | "software" => &[Property("name")],
        "network-traffic" => &[Property("protocols"), AnyOf(&["src_ref", "dst_ref"])],
        _ => &[],
    }
}

/// Properties of `type_name` (besides `created` and `modified`) that hold timestamps.
#[must_use]
pub fn timestamp_properties(type_name: &str) -> &'static [&'static str] {
    match type_name {
        "attack-action" => &["execution_start", "execution_end"],
        "campaign" | "intrusion-set" | "threat-actor" | "infrastructure" | "malware" => {
            &["first_seen", "last_seen"]
        }
        "indicator" => &["valid_from", "valid_until"],
        "report" => &["published"],
        "observed-data" => &["first_observed", "last_observed"],
        "sighting" => &["first_seen", "last_seen"],
        "relationship" => &["start_time", "stop_time"],
        "malware-analysis" => &["submitted", "analysis_started", "analysis_ended"],
        "file" | "directory" => &["ctime", "mtime", "atime"],
        "email-message" => &["date"],
        "network-traffic" => &["start", "end"],
        "process" => &["created_time"],
        "user-account" => &[
            "account_created",
            "account_expires",
            "credential_last_changed",
            "account_first_login",
            "account_last_login",
        ],
        "windows-registry-key" => &["modified_time"],
        "x509-certificate" => &["validity_not_before", "validity_not_after"],
        _ => &[],
    }
}

/// Property names STIX 2.1 reserves; no object may use them (the OASIS schemas reject them).
pub const RESERVED_PROPERTY_NAMES: &[&str] = &["severity", "action", "username", "phone_numbers"];

/// The values `extension_type` may take.
pub const EXTENSION_TYPES: &[&str] = &[
    "new-sdo",
    "new-sco",
    "new-sro",
    "property-extension",
    "toplevel-property-extension",
];
