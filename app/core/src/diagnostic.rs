//! Diagnostics: the problems that reading and validation report.
//!
//! Every problem carries a stable [`Code`], a [`Severity`], the id of the object it concerns
//! (when there is one) and a plain-language message. Codes never change meaning once released;
//! the table in `app/core/src/validate/README.md` lists them all, and a test keeps that table
//! and [`Code::ALL`] in step.

use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; the document is fine.
    Info,
    /// The document is usable but something is doubtful or was normalised.
    Warning,
    /// The document breaks a rule of STIX 2.1, Attack Flow 2.0 or the product.
    Error,
}

impl Severity {
    /// The lower-case word used in JSON output and tables.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = ($text:literal, $severity:ident), )*) => {
        /// A stable diagnostic code. Each code has exactly one severity.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Code {
            /// Every code, in the order of the documented table.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as written in output, e.g. `doc-flow-count`.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text,)* }
            }

            /// The severity every diagnostic with this code has.
            #[must_use]
            pub fn severity(self) -> Severity {
                match self { $(Self::$variant => Severity::$severity,)* }
            }

            /// Looks a code up by its text.
            #[must_use]
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some(Self::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    /// The file could not be read from disk (reported by the command line, not the core).
    ReadIo = ("read-io", Error),
    /// The input is larger than the configured size limit.
    ReadTooLarge = ("read-too-large", Error),
    /// The input nests arrays or objects deeper than the configured limit.
    ReadTooDeep = ("read-too-deep", Error),
    /// The input is not well-formed JSON (or not UTF-8).
    ReadJsonSyntax = ("read-json-syntax", Error),
    /// The input is UTF-16 or UTF-32; Attack Flow files are UTF-8.
    ReadEncoding = ("read-encoding", Error),
    /// An object holds the same key twice (which value counts is ambiguous).
    ReadDuplicateKey = ("read-duplicate-key", Error),
    /// The JSON is not shaped like a STIX bundle: not an object, `objects` not an array,
    /// or an entry of `objects` not an object.
    ReadNotABundle = ("read-not-a-bundle", Error),
    /// A bundle property other than `type`, `id` and `objects` was dropped
    /// (MITRE's Builder writes `spec_version`, `created` and `modified` there).
    ReadBundlePropertyDropped = ("read-bundle-property-dropped", Error),
    /// An object had no `spec_version` (STIX 2.0 style); it is written as `2.1`.
    ReadSpecVersionAdded = ("read-spec-version-added", Error),
    /// A timestamp was not in canonical form (no milliseconds, or an offset other than `Z`);
    /// it is written in UTC with milliseconds.
    ReadTimestampNormalised = ("read-timestamp-normalised", Error),
    /// The file starts with a UTF-8 byte-order mark, which JSON text must not carry; it is
    /// written without one.
    ReadByteOrderMark = ("read-byte-order-mark", Warning),

    /// The top-level `type` is not `bundle`.
    DocBundleType = ("doc-bundle-type", Error),
    /// The bundle id is not `bundle--` followed by a UUID.
    DocBundleId = ("doc-bundle-id", Error),
    /// The bundle does not contain exactly one `attack-flow` object.
    DocFlowCount = ("doc-flow-count", Error),
    /// The Attack Flow `extension-definition` object is not in the bundle.
    DocExtensionMissing = ("doc-extension-missing", Error),
    /// Two or more objects share one id.
    DocDuplicateId = ("doc-duplicate-id", Error),
    /// An Attack Flow reference (`start_refs`, `effect_refs`, `on_true_refs`, `on_false_refs`,
    /// `asset_refs`, `command_ref`, `object_ref`) or a reference to an Attack Flow object
    /// points at an id that is not in the bundle.
    DocDanglingReference = ("doc-dangling-reference", Error),
    /// A relationship's `source_ref` or `target_ref` is not in the bundle.
    DocRelationshipEndpoint = ("doc-relationship-endpoint", Error),
    /// Another reference (for example `created_by_ref`) points outside the bundle.
    DocUnresolvedReference = ("doc-unresolved-reference", Warning),
    /// An object is not connected to the attack-flow object through any references.
    DocUnconnected = ("doc-unconnected", Warning),

    /// The `type` property is missing from the object or is not a valid STIX type name.
    StixTypeSyntax = ("stix-type-syntax", Error),
    /// The `id` is not `<type>--<UUID>` with the object's own type.
    StixIdSyntax = ("stix-id-syntax", Error),
    /// A property that STIX 2.1 requires for this object type is missing.
    StixRequiredProperty = ("stix-required-property", Error),
    /// A STIX property has the wrong JSON type or an impossible value.
    StixPropertyType = ("stix-property-type", Error),
    /// `spec_version` is not `2.1`.
    StixSpecVersion = ("stix-spec-version", Error),
    /// A timestamp property is not an RFC 3339 UTC timestamp.
    StixTimestamp = ("stix-timestamp", Error),
    /// `modified` is earlier than `created`.
    StixModifiedBeforeCreated = ("stix-modified-before-created", Error),
    /// A time span ends before it starts: a relationship's `stop_time` not after its
    /// `start_time`, an indicator's `valid_until` not after its `valid_from`, a `last_seen`
    /// before its `first_seen`, an `last_observed` before its `first_observed`.
    StixTimeOrder = ("stix-time-order", Error),
    /// A `*_ref` or `*_refs` value is not a STIX identifier.
    StixReferenceSyntax = ("stix-reference-syntax", Error),
    /// A property holds an empty list; STIX lists must not be empty (it is dropped on save).
    StixEmptyList = ("stix-empty-list", Error),
    /// A property name breaks the STIX naming rules (lower-case ASCII letters, digits and
    /// underscores, 3 to 250 characters).
    StixPropertyName = ("stix-property-name", Error),
    /// An external reference lacks `source_name`, carries none of `external_id`,
    /// `description` and `url`, or has a malformed CVE or CAPEC id.
    StixExternalReference = ("stix-external-reference", Error),
    /// An `extensions` entry is malformed: its key is not an extension-definition id, or it
    /// lacks a valid `extension_type`.
    StixExtension = ("stix-extension", Error),

    /// A property that Attack Flow 2.0 requires for this object type is missing.
    AfRequiredProperty = ("af-required-property", Error),
    /// An Attack Flow property has the wrong JSON type.
    AfPropertyType = ("af-property-type", Error),
    /// `scope` or `operator` holds a value outside its enumeration.
    AfEnumValue = ("af-enum-value", Error),
    /// An Attack Flow object does not reference the Attack Flow extension with
    /// `extension_type` `new-sdo`.
    AfExtensionReference = ("af-extension-reference", Error),
    /// A reference points at an object of a type that the property does not allow
    /// (e.g. `effect_refs` to an asset, `command_ref` to something other than a process).
    AfReferenceType = ("af-reference-type", Error),
    /// The attack-flow object has no description.
    AfFlowDescription = ("af-flow-description", Warning),

    /// Effects and branches form a cycle.
    GraphCycle = ("graph-cycle", Warning),
    /// A `start_refs` entry is reached from another node, so it is not a real start.
    GraphStartNotRoot = ("graph-start-not-root", Warning),
    /// An action or condition that nothing leads to is missing from `start_refs`.
    GraphRootNotStarted = ("graph-root-not-started", Warning),
    /// An action, condition, operator or asset cannot be reached from `start_refs`.
    GraphUnreachable = ("graph-unreachable", Warning),

    /// `technique_id` is not an ATT&CK technique id (`T` and four digits, `.` and three more
    /// for a sub-technique).
    AttackTechniqueMalformed = ("attack-technique-malformed", Warning),
    /// `technique_id` is well formed but not in the ATT&CK catalog.
    AttackTechniqueUnknown = ("attack-technique-unknown", Warning),
    /// The technique is deprecated in the ATT&CK catalog.
    AttackTechniqueDeprecated = ("attack-technique-deprecated", Warning),
    /// The technique is revoked in the ATT&CK catalog; the message names its replacement.
    AttackTechniqueRevoked = ("attack-technique-revoked", Warning),
    /// `tactic_id` is neither an ATT&CK tactic id (`TA` and four digits) nor a tactic's short
    /// name (`initial-access`), which Attack Flow also allows.
    AttackTacticMalformed = ("attack-tactic-malformed", Warning),
    /// `tactic_id` is well formed but not in the ATT&CK catalog.
    AttackTacticUnknown = ("attack-tactic-unknown", Warning),
    /// The tactic is deprecated in the ATT&CK catalog.
    AttackTacticDeprecated = ("attack-tactic-deprecated", Warning),
    /// The technique does not belong to the action's tactic.
    AttackTechniqueNotInTactic = ("attack-technique-not-in-tactic", Warning),
    /// The technique belonged to the action's tactic in the earlier ATT&CK release whose
    /// mitigations the catalog carries, and the current release moved it (ATT&CK 19 split
    /// Defense Evasion into Stealth and Defense Impairment): a flow written for that release.
    AttackTacticChanged = ("attack-tactic-changed", Warning),
    /// `technique_ref` is not the STIX id of the technique `technique_id` names.
    AttackTechniqueRefMismatch = ("attack-technique-ref-mismatch", Warning),
    /// `tactic_ref` is not the STIX id of the tactic `tactic_id` names.
    AttackTacticRefMismatch = ("attack-tactic-ref-mismatch", Warning),
    /// `technique_id` or `tactic_id` is a MITRE ATLAS id (`AML.T0051`, `AML.TA0002`) and the
    /// catalog in use holds no ATLAS (a user catalog without it); it is not checked.
    AttackAtlasId = ("attack-atlas-id", Info),
    /// `technique_id` or `tactic_id` holds the Attack Flow Builder's label of a technique or
    /// tactic (`[ATL] AML.T0095.000 Code Repositories`) rather than its id; the id in it is
    /// checked.
    AttackIdIsLabel = ("attack-id-is-label", Warning),
    /// `technique_id` or `tactic_id` is an id of another knowledge base than ATT&CK and ATLAS
    /// (`F3`, `FGT5019`): Attack Flow allows any string there; it is not checked.
    AttackIdOtherNamespace = ("attack-id-other-namespace", Warning),

    /// A control's `kind` is missing or is not `prevent`, `detect` or `respond`.
    ControlKindInvalid = ("control-kind-invalid", Error),
    /// A control's `fda_category` is not one of the eight FDA control categories.
    ControlFdaCategoryInvalid = ("control-fda-category-invalid", Error),
    /// A control's `raci` is malformed: not a list, an entry that is not an object, a
    /// `party_ref` missing or not one of the five party identities, `roles` missing, empty or
    /// not the letters `A`, `R`, `C`, `I`, or a party (or a letter) listed twice.
    ControlRaciInvalid = ("control-raci-invalid", Error),
    /// No party is Accountable (`A`) for a control.
    ControlRaciNoAccountable = ("control-raci-no-accountable", Error),
    /// More than one party is Accountable (`A`) for a control; the message names them.
    ControlRaciManyAccountable = ("control-raci-many-accountable", Error),
    /// No party is Responsible (`R`) for a control.
    ControlRaciNoResponsible = ("control-raci-no-responsible", Error),
    /// A control cites (`source_name` `mitre-attack`) an id that is not an ATT&CK mitigation
    /// or detection strategy of the catalog: unknown, malformed, or of another kind (such as a
    /// technique).
    ControlSourceUnknown = ("control-source-unknown", Warning),
    /// A control cites an ATT&CK mitigation or detection strategy that is deprecated or
    /// revoked; for a revoked one the message names its replacement.
    ControlSourceDeprecated = ("control-source-deprecated", Warning),
    /// No `mitigates` or `detects` relationship links a control to anything.
    ControlUnlinked = ("control-unlinked", Warning),
    /// A relationship from a control (of any type) points at an object that is not an
    /// `attack-action`.
    ControlLinkTarget = ("control-link-target", Error),
    /// A relationship from a control has another type than its kind calls for (`detects` for
    /// a detect control, `mitigates` for prevent and respond).
    ControlLinkKind = ("control-link-kind", Warning),
    /// A flow's copy of a control differs from the library's control catalogue in a field
    /// (name, description, kind, FDA category, source or RACI); reported when a flow is checked
    /// against a library (`medflow validate --library`), never by [`crate::validate()`] alone.
    ControlDrift = ("control-drift", Warning),
    /// A flow's control is not in the library's control catalogue, so no other flow can share
    /// its definition; reported when a flow is checked against a library.
    ControlNotInCatalogue = ("control-not-in-catalogue", Warning),
    /// No prevent control addresses an action (checked only in documents that have controls).
    ActionNoPrevention = ("action-no-prevention", Warning),
    /// No detect control addresses an action (checked only in documents that have controls).
    ActionNoDetection = ("action-no-detection", Warning),
    /// An asset is bound (its `object_ref`) to an architecture component whose key the
    /// architecture does not define.
    AssetComponentUnknown = ("asset-component-unknown", Error),
    /// An asset is not bound to a component in a flow whose other assets are.
    AssetUnbound = ("asset-unbound", Warning),
    /// A flow carries a copy of an architecture component that nothing in it refers to: no
    /// asset is bound to it and no relationship or other reference names it (left behind when
    /// its assets were unbound or bound elsewhere outside the editor).
    ComponentUnreferenced = ("component-unreferenced", Warning),
    /// An architecture file does not describe an architecture: a missing or second
    /// architecture object, a zone without a region, a component in an unknown zone, a key
    /// used twice.
    ArchitectureInvalid = ("architecture-invalid", Error),
    /// A profile file cannot be read as a profile: a component without a key, an implemented
    /// control without its control or party, an assumption without its condition or truth; or it adds a component in a zone its
    /// architecture does not define.
    ProfileInvalid = ("profile-invalid", Error),
    /// A profile lists a component key the architecture it is based on does not define.
    ProfileComponentUnknown = ("profile-component-unknown", Error),
    /// A patient-safety entry of the product's extension is malformed: `flow` (origin,
    /// category), `impact` (severity, multi-patient flag, harm) or `pivot` (role, key), or one
    /// sits on the wrong type of object.
    SafetyEntryInvalid = ("safety-entry-invalid", Error),
    /// A flow marked realized cites no public account: no external reference with a URL.
    FlowRealizedUnreferenced = ("flow-realized-unreferenced", Error),
    /// A patient-safety flow (its attack-flow carries the `flow` entry) does not say whether
    /// it is realized or theoretical.
    FlowOriginMissing = ("flow-origin-missing", Warning),
    /// A patient-safety flow does not name its category.
    FlowCategoryMissing = ("flow-category-missing", Warning),
    /// A patient-safety flow has no action with a patient-safety impact.
    FlowNoImpact = ("flow-no-impact", Warning),
    /// A use case file cannot be read as one: its `use_case` entry lacks flows, lists an id
    /// that is not an attack-flow or one twice, or its `object_refs` differ from its flows.
    UseCaseInvalid = ("use-case-invalid", Error),
    /// A use case names a flow the library does not hold (checked with the library).
    UseCaseFlowMissing = ("use-case-flow-missing", Warning),
    /// A flow of a use case, after the first, continues from no earlier flow through a pivot.
    UseCaseUnconnected = ("use-case-unconnected", Warning),
    /// An entry pivot of a use case's flow needs a key no earlier flow hands on.
    UseCaseKeyDangling = ("use-case-key-dangling", Warning),
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// What kind of problem this is.
    pub code: Code,
    /// The id of the object concerned, if the problem concerns one object.
    pub object_id: Option<String>,
    /// A plain sentence for a person.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic about the document as a whole.
    #[must_use]
    pub fn document(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            object_id: None,
            message: message.into(),
        }
    }

    /// A diagnostic about one object.
    #[must_use]
    pub fn object(code: Code, object_id: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code,
            object_id: Some(object_id.into()),
            message: message.into(),
        }
    }

    /// The severity, which follows from the code.
    #[must_use]
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.severity(), self.code)?;
        if let Some(id) = &self.object_id {
            write!(f, " {id}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Counts of diagnostics by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Number of informational notes.
    pub infos: usize,
}

impl Tally {
    /// Counts the given diagnostics.
    #[must_use]
    pub fn of<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Self {
        let mut tally = Self::default();
        for diagnostic in diagnostics {
            match diagnostic.severity() {
                Severity::Error => tally.errors += 1,
                Severity::Warning => tally.warnings += 1,
                Severity::Info => tally.infos += 1,
            }
        }
        tally
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_text_and_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(*code));
            assert!(seen.insert(code.as_str()), "duplicate code {code}");
        }
        assert_eq!(Code::parse("no-such-code"), None);
    }

    #[test]
    fn display_names_severity_code_and_object() {
        let diagnostic = Diagnostic::object(Code::DocDuplicateId, "x--1", "twice");
        assert_eq!(
            diagnostic.to_string(),
            "error [doc-duplicate-id] x--1: twice"
        );
    }
}
