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

/// The relationship types STIX 2.1 defines between its objects (`related-to` first, the one
/// every pair of objects may use; the rest in alphabetical order). Relationship types are an
/// open vocabulary: other values are allowed.
pub const RELATIONSHIP_TYPES: &[&str] = &[
    "related-to",
    "analysis-of",
    "attributed-to",
    "authored-by",
    "based-on",
    "beacons-to",
    "belongs-to",
    "characterizes",
    "communicates-with",
    "compromises",
    "consists-of",
    "controls",
    "delivers",
    "derived-from",
    "detects",
    "downloads",
    "drops",
    "duplicate-of",
    "dynamic-analysis-of",
    "exfiltrates-to",
    "exploits",
    "has",
    "hosts",
    "impersonates",
    "indicates",
    "investigates",
    "located-at",
    "mitigates",
    "originates-from",
    "owns",
    "remediates",
    "resolves-to",
    "static-analysis-of",
    "targets",
    "uses",
    "variant-of",
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
    /// These two properties must not both be present.
    NotTogether(&'static str, &'static str),
    /// When the first property is present, the second must be too.
    Implies(&'static str, &'static str),
    /// When the boolean property has this value, the other property must be absent.
    ForbiddenWhen {
        /// The boolean property.
        flag: &'static str,
        /// The value that forbids.
        value: bool,
        /// The forbidden property.
        property: &'static str,
    },
}

/// What STIX 2.1 requires of an object of `type_name`, beyond the common properties.
#[must_use]
#[allow(clippy::too_many_lines, reason = "a data table, one arm per STIX type")]
pub fn requirements(type_name: &str) -> &'static [Requirement] {
    use Requirement::{AnyOf, ForbiddenWhen, Implies, NotTogether, Property};
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
        "artifact" => &[
            AnyOf(&["payload_bin", "url"]),
            NotTogether("payload_bin", "url"),
            Implies("url", "hashes"),
            Implies("decryption_key", "encryption_algorithm"),
        ],
        "autonomous-system" => &[Property("number")],
        "directory" => &[Property("path")],
        "domain-name" | "email-addr" | "ipv4-addr" | "ipv6-addr" | "mac-addr" | "url" => {
            &[Property("value")]
        }
        "email-message" => &[
            Property("is_multipart"),
            ForbiddenWhen {
                flag: "is_multipart",
                value: true,
                property: "body",
            },
            ForbiddenWhen {
                flag: "is_multipart",
                value: false,
                property: "body_multipart",
            },
        ],
        "file" => &[AnyOf(&["hashes", "name"])],
        "mutex" | "software" => &[Property("name")],
        "network-traffic" => &[
            Property("protocols"),
            AnyOf(&["src_ref", "dst_ref"]),
            ForbiddenWhen {
                flag: "is_active",
                value: true,
                property: "end",
            },
        ],
        // These observables must carry at least one property of their own.
        "process" => &[AnyOf(&[
            "extensions",
            "is_hidden",
            "pid",
            "name",
            "created",
            "cwd",
            "arguments",
            "command_line",
            "environment_variables",
            "opened_connection_refs",
            "creator_user_ref",
            "image_ref",
            "parent_ref",
            "child_refs",
        ])],
        "user-account" => &[AnyOf(&[
            "extensions",
            "user_id",
            "credential",
            "account_login",
            "account_type",
            "display_name",
            "is_service_account",
            "is_privileged",
            "can_escalate_privs",
            "is_disabled",
            "account_created",
            "account_expires",
            "credential_last_changed",
            "account_first_login",
            "account_last_login",
        ])],
        "windows-registry-key" => &[AnyOf(&[
            "key",
            "values",
            "modified",
            "creator_user_ref",
            "number_of_subkeys",
        ])],
        "x509-certificate" => &[AnyOf(&[
            "is_self_signed",
            "hashes",
            "version",
            "serial_number",
            "signature_algorithm",
            "issuer",
            "validity_not_before",
            "validity_not_after",
            "subject",
            "subject_public_key_algorithm",
            "subject_public_key_modulus",
            "subject_public_key_exponent",
            "x509_v3_extensions",
        ])],
        _ => &[],
    }
}

/// The kind of value a STIX property holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PropertyKind {
    /// A string.
    Text,
    /// A non-empty list of strings.
    TextList,
    /// `true` or `false`.
    Boolean,
    /// An integer within the bounds, when given.
    Integer {
        /// Smallest allowed value.
        minimum: Option<i64>,
        /// Largest allowed value.
        maximum: Option<i64>,
    },
    /// A number within the bounds.
    Number {
        /// Smallest allowed value.
        minimum: f64,
        /// Largest allowed value.
        maximum: f64,
    },
    /// An RFC 3339 timestamp in UTC.
    Timestamp,
    /// A list of kill-chain phases (`kill_chain_name` and `phase_name`).
    KillChainPhases,
    /// A hashes dictionary: algorithm name → hash text.
    Hashes,
    /// A JSON object.
    Dictionary,
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// A non-empty list of these strings.
    ListOf(&'static [&'static str]),
    /// A list of objects (e.g. MIME parts).
    ObjectList,
    /// A list of Windows registry values: each with at least one of `name`, `data` (strings)
    /// and `data_type` (a `REG_*` type).
    RegistryValues,
    /// An IPv4 address or CIDR block.
    Ipv4,
    /// An IPv6 address or CIDR block.
    Ipv6,
    /// A MAC address: six lower-case hex pairs separated by colons.
    MacAddress,
    /// A token of lower-case letters, digits and hyphens (e.g. a relationship type).
    Token,
}

/// The property kinds STIX 2.1 defines for `type_name`, beyond the common properties and
/// beyond `*_ref`/`*_refs` (which every object checks as identifiers).
#[must_use]
#[allow(clippy::too_many_lines, reason = "a data table, one arm per STIX type")]
pub fn property_kinds(type_name: &str) -> &'static [(&'static str, PropertyKind)] {
    use PropertyKind::{
        Boolean, Dictionary, Hashes, Ipv4, Ipv6, KillChainPhases, ListOf, MacAddress, Number,
        ObjectList, OneOf, RegistryValues, Text, TextList, Timestamp, Token,
    };
    const ANY_INT: PropertyKind = PropertyKind::Integer {
        minimum: None,
        maximum: None,
    };
    match type_name {
        "attack-pattern" => &[
            ("name", Text),
            ("description", Text),
            ("aliases", TextList),
            ("kill_chain_phases", KillChainPhases),
        ],
        "campaign" => &[
            ("name", Text),
            ("description", Text),
            ("aliases", TextList),
            ("first_seen", Timestamp),
            ("last_seen", Timestamp),
            ("objective", Text),
        ],
        "course-of-action" | "incident" | "vulnerability" => {
            &[("name", Text), ("description", Text)]
        }
        "grouping" => &[("name", Text), ("description", Text), ("context", Text)],
        "identity" => &[
            ("name", Text),
            ("description", Text),
            ("roles", TextList),
            ("identity_class", Text),
            ("sectors", TextList),
            ("contact_information", Text),
        ],
        "indicator" => &[
            ("name", Text),
            ("description", Text),
            ("indicator_types", TextList),
            ("pattern", Text),
            ("pattern_type", Text),
            ("pattern_version", Text),
            ("valid_from", Timestamp),
            ("valid_until", Timestamp),
            ("kill_chain_phases", KillChainPhases),
        ],
        "infrastructure" => &[
            ("name", Text),
            ("description", Text),
            ("infrastructure_types", TextList),
            ("aliases", TextList),
            ("kill_chain_phases", KillChainPhases),
            ("first_seen", Timestamp),
            ("last_seen", Timestamp),
        ],
        "intrusion-set" => &[
            ("name", Text),
            ("description", Text),
            ("aliases", TextList),
            ("first_seen", Timestamp),
            ("last_seen", Timestamp),
            ("goals", TextList),
            ("resource_level", Text),
            ("primary_motivation", Text),
            ("secondary_motivations", TextList),
        ],
        "location" => &[
            ("name", Text),
            ("description", Text),
            (
                "latitude",
                Number {
                    minimum: -90.0,
                    maximum: 90.0,
                },
            ),
            (
                "longitude",
                Number {
                    minimum: -180.0,
                    maximum: 180.0,
                },
            ),
            (
                "precision",
                Number {
                    minimum: f64::MIN,
                    maximum: f64::MAX,
                },
            ),
            ("region", Text),
            ("country", Text),
            ("administrative_area", Text),
            ("city", Text),
            ("street_address", Text),
            ("postal_code", Text),
        ],
        "malware" => &[
            ("name", Text),
            ("description", Text),
            ("is_family", Boolean),
            ("aliases", TextList),
            ("first_seen", Timestamp),
            ("last_seen", Timestamp),
            ("architecture_execution_envs", TextList),
            ("implementation_languages", TextList),
            ("capabilities", TextList),
            ("malware_types", TextList),
            ("kill_chain_phases", KillChainPhases),
        ],
        "malware-analysis" => &[
            ("product", Text),
            ("version", Text),
            ("configuration_version", Text),
            ("modules", TextList),
            ("analysis_engine_version", Text),
            ("analysis_definition_version", Text),
            ("submitted", Timestamp),
            ("analysis_started", Timestamp),
            ("analysis_ended", Timestamp),
            ("result_name", Text),
            ("result", Text),
        ],
        "note" => &[("abstract", Text), ("content", Text), ("authors", TextList)],
        "observed-data" => &[
            ("first_observed", Timestamp),
            ("last_observed", Timestamp),
            (
                "number_observed",
                PropertyKind::Integer {
                    minimum: Some(1),
                    maximum: Some(999_999_999),
                },
            ),
            ("objects", Dictionary),
        ],
        "opinion" => &[
            ("explanation", Text),
            ("authors", TextList),
            (
                "opinion",
                OneOf(&[
                    "strongly-disagree",
                    "disagree",
                    "neutral",
                    "agree",
                    "strongly-agree",
                ]),
            ),
        ],
        "report" => &[
            ("name", Text),
            ("description", Text),
            ("report_types", TextList),
            ("published", Timestamp),
        ],
        "threat-actor" => &[
            ("name", Text),
            ("description", Text),
            ("threat_actor_types", TextList),
            ("aliases", TextList),
            ("roles", TextList),
            ("goals", TextList),
            ("first_seen", Timestamp),
            ("last_seen", Timestamp),
            ("sophistication", Text),
            ("resource_level", Text),
            ("primary_motivation", Text),
            ("secondary_motivations", TextList),
            ("personal_motivations", TextList),
        ],
        "tool" => &[
            ("name", Text),
            ("description", Text),
            ("aliases", TextList),
            ("tool_types", TextList),
            ("tool_version", Text),
            ("kill_chain_phases", KillChainPhases),
        ],
        "relationship" => &[
            ("relationship_type", Token),
            ("description", Text),
            ("start_time", Timestamp),
            ("stop_time", Timestamp),
        ],
        "sighting" => &[
            ("description", Text),
            ("first_seen", Timestamp),
            ("last_seen", Timestamp),
            (
                "count",
                PropertyKind::Integer {
                    minimum: Some(0),
                    maximum: Some(999_999_999),
                },
            ),
            ("summary", Boolean),
        ],
        "extension-definition" => &[
            ("name", Text),
            ("description", Text),
            ("schema", Text),
            ("version", Text),
            ("extension_types", ListOf(EXTENSION_TYPES)),
            ("extension_properties", TextList),
        ],
        "artifact" => &[
            ("mime_type", Text),
            ("url", Text),
            ("hashes", Hashes),
            ("decryption_key", Text),
        ],
        "autonomous-system" => &[("number", ANY_INT), ("name", Text), ("rir", Text)],
        "directory" => &[
            ("path", Text),
            ("path_enc", Text),
            ("ctime", Timestamp),
            ("mtime", Timestamp),
            ("atime", Timestamp),
        ],
        "domain-name" | "url" => &[("value", Text)],
        "email-addr" => &[("value", Text), ("display_name", Text)],
        "email-message" => &[
            ("is_multipart", Boolean),
            ("date", Timestamp),
            ("content_type", Text),
            ("message_id", Text),
            ("subject", Text),
            ("received_lines", TextList),
            ("additional_header_fields", Dictionary),
            ("body", Text),
            ("body_multipart", ObjectList),
        ],
        "file" => &[
            ("hashes", Hashes),
            (
                "size",
                PropertyKind::Integer {
                    minimum: Some(0),
                    maximum: None,
                },
            ),
            ("name", Text),
            ("name_enc", Text),
            ("mime_type", Text),
            ("ctime", Timestamp),
            ("mtime", Timestamp),
            ("atime", Timestamp),
        ],
        "ipv4-addr" => &[("value", Ipv4)],
        "ipv6-addr" => &[("value", Ipv6)],
        "mac-addr" => &[("value", MacAddress)],
        "mutex" => &[("name", Text)],
        "network-traffic" => &[
            ("start", Timestamp),
            ("end", Timestamp),
            ("is_active", Boolean),
            (
                "src_port",
                PropertyKind::Integer {
                    minimum: Some(0),
                    maximum: Some(65_535),
                },
            ),
            (
                "dst_port",
                PropertyKind::Integer {
                    minimum: Some(0),
                    maximum: Some(65_535),
                },
            ),
            ("protocols", TextList),
            ("src_byte_count", ANY_INT),
            ("dst_byte_count", ANY_INT),
            ("src_packets", ANY_INT),
            ("dst_packets", ANY_INT),
            ("ipfix", Dictionary),
        ],
        "process" => &[
            ("is_hidden", Boolean),
            ("pid", ANY_INT),
            ("created_time", Timestamp),
            ("cwd", Text),
            ("command_line", Text),
            ("environment_variables", Dictionary),
        ],
        "software" => &[
            ("name", Text),
            ("cpe", Text),
            ("swid", Text),
            ("languages", TextList),
            ("vendor", Text),
            ("version", Text),
        ],
        "user-account" => &[
            ("user_id", Text),
            ("credential", Text),
            ("account_login", Text),
            ("account_type", Text),
            ("display_name", Text),
            ("is_service_account", Boolean),
            ("is_privileged", Boolean),
            ("can_escalate_privs", Boolean),
            ("is_disabled", Boolean),
            ("account_created", Timestamp),
            ("account_expires", Timestamp),
            ("credential_last_changed", Timestamp),
            ("account_first_login", Timestamp),
            ("account_last_login", Timestamp),
        ],
        "windows-registry-key" => &[
            ("key", Text),
            ("values", RegistryValues),
            ("modified_time", Timestamp),
            ("number_of_subkeys", ANY_INT),
        ],
        "x509-certificate" => &[
            ("is_self_signed", Boolean),
            ("hashes", Hashes),
            ("version", Text),
            ("serial_number", Text),
            ("signature_algorithm", Text),
            ("issuer", Text),
            ("validity_not_before", Timestamp),
            ("validity_not_after", Timestamp),
            ("subject", Text),
            ("subject_public_key_algorithm", Text),
            ("subject_public_key_modulus", Text),
            ("subject_public_key_exponent", ANY_INT),
            ("x509_v3_extensions", Dictionary),
        ],
        _ => &[],
    }
}

/// The Windows registry value types (`data_type`).
pub const REGISTRY_DATA_TYPES: &[&str] = &[
    "REG_NONE",
    "REG_SZ",
    "REG_EXPAND_SZ",
    "REG_BINARY",
    "REG_DWORD",
    "REG_DWORD_BIG_ENDIAN",
    "REG_DWORD_LITTLE_ENDIAN",
    "REG_LINK",
    "REG_MULTI_SZ",
    "REG_RESOURCE_LIST",
    "REG_FULL_RESOURCE_DESCRIPTION",
    "REG_RESOURCE_REQUIREMENTS_LIST",
    "REG_QWORD",
    "REG_INVALID_TYPE",
];

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
