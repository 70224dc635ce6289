//! STIX identifiers (`type--UUID`), type names and property names: syntax checks.
//!
//! The rules follow STIX 2.1 §2.9 and the OASIS STIX 2.1 JSON schemas: an identifier is a type
//! name, two dashes and an RFC 4122 UUID of version 1 to 5 with the RFC variant.

/// Splits an identifier into its type prefix and UUID, if it has the `type--uuid` shape.
#[must_use]
pub fn split_identifier(id: &str) -> Option<(&str, &str)> {
    id.split_once("--")
}

/// The type prefix of an identifier (`attack-action` for `attack-action--…`), or `None`.
#[must_use]
pub fn identifier_type(id: &str) -> Option<&str> {
    split_identifier(id).map(|(kind, _)| kind)
}

/// True when `id` is a syntactically valid STIX identifier.
#[must_use]
pub fn is_identifier(id: &str) -> bool {
    match split_identifier(id) {
        Some((kind, uuid)) => is_identifier_type(kind) && is_uuid(uuid),
        None => false,
    }
}

/// True for a type prefix usable in an identifier: lower-case ASCII letters, digits and
/// single hyphens, starting with a letter and not ending with a hyphen, at least 3 characters.
#[must_use]
pub fn is_identifier_type(kind: &str) -> bool {
    kind.len() >= 3 && kind.len() <= 250 && is_type_name(kind) && !kind.ends_with('-')
}

/// True for a STIX object type name: `[a-z][a-z0-9]*(-[a-z0-9]+)*`, 3 to 250 characters.
#[must_use]
pub fn is_type_name(kind: &str) -> bool {
    (3..=250).contains(&kind.len()) && is_hyphenated_word(kind)
}

/// True for `[a-z][a-z0-9]*(-[a-z0-9]+)*` of any length: the shape of type names and of the
/// stem of predefined cyber-observable extension names (`archive` in `archive-ext`).
#[must_use]
pub fn is_hyphenated_word(kind: &str) -> bool {
    let bytes = kind.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_lowercase) {
        return false;
    }
    let mut previous_hyphen = false;
    for &byte in &bytes[1..] {
        match byte {
            b'a'..=b'z' | b'0'..=b'9' => previous_hyphen = false,
            b'-' if !previous_hyphen => previous_hyphen = true,
            _ => return false,
        }
    }
    !previous_hyphen
}

/// True for an RFC 4122 UUID of version 1–5 with the RFC variant, any letter case.
#[must_use]
pub fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 36 {
        return false;
    }
    for (index, &byte) in bytes.iter().enumerate() {
        let ok = match index {
            8 | 13 | 18 | 23 => byte == b'-',
            14 => (b'1'..=b'5').contains(&byte),
            19 => matches!(byte, b'8' | b'9' | b'a' | b'b' | b'A' | b'B'),
            _ => byte.is_ascii_hexdigit(),
        };
        if !ok {
            return false;
        }
    }
    true
}

/// True for a property name STIX 2.1 allows: `[a-z][a-z0-9_]*`, 3 to 250 characters
/// (the two-letter `id` is the one exception).
#[must_use]
pub fn is_property_name(name: &str) -> bool {
    if name == "id" {
        return true;
    }
    let bytes = name.as_bytes();
    (3..=250).contains(&bytes.len())
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || *byte == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert!(is_identifier(
            "attack-action--37345417-3ee0-4e11-b421-1d4be68e6f15"
        ));
        assert!(is_identifier(
            "x-mitre-tactic--37345417-3EE0-4E11-B421-1D4BE68E6F15"
        ));
        assert!(!is_identifier(
            "attack-action--37345417-3ee0-6e11-b421-1d4be68e6f15"
        ));
        assert!(!is_identifier(
            "attack-action--37345417-3ee0-4e11-c421-1d4be68e6f15"
        ));
        assert!(!is_identifier(
            "attack-action-37345417-3ee0-4e11-b421-1d4be68e6f15"
        ));
        assert!(!is_identifier(
            "Attack--37345417-3ee0-4e11-b421-1d4be68e6f15"
        ));
        assert!(!is_identifier("ab--37345417-3ee0-4e11-b421-1d4be68e6f15"));
        assert!(!is_identifier(
            "attack-action--37345417-3ee0-4e11-b421-1d4be68e6f1"
        ));
        assert!(!is_identifier(""));
    }

    #[test]
    fn type_names() {
        assert!(is_type_name("attack-flow"));
        assert!(is_type_name("x-mitre-tactic"));
        assert!(!is_type_name("attack--flow"));
        assert!(!is_type_name("attack-"));
        assert!(!is_type_name("Attack"));
        assert!(!is_type_name("1ab"));
        assert!(!is_type_name("ab"));
    }

    #[test]
    fn property_names() {
        assert!(is_property_name("id"));
        assert!(is_property_name("x_mitre_version"));
        assert!(!is_property_name("ab"));
        assert!(!is_property_name("X_custom"));
        assert!(!is_property_name("x-custom"));
        assert!(!is_property_name("_private"));
    }
}
